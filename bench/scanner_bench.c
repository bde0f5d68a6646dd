/*
 * Scanner benchmarks: generate flow files and configurations of a given
 * size, time reading and classification (from memory and from the page
 * cache, with the scoreboard's host table), time RRD writing against
 * librrd's own update loop and rrdcached one-update-per-call, and send a
 * flow file as NetFlow v9 to nfcapd so nfdump can be timed on the same
 * flows. Driven by bench/scanner.sh.
 */
#include <sys/socket.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rrd.h>
#include <rrd_client.h>

#include "bench/benchutil.h"
#include "lib/addr.h"
#include "lib/conf.h"
#include "lib/flowfile.h"
#include "lib/nfencode.h"
#include "lib/tmutil.h"
#include "scanner/aggregate.h"
#include "scanner/board.h"
#include "scanner/classify.h"
#include "scanner/hosttab.h"
#include "scanner/rrdout.h"
#include "scanner/scan.h"
#include "scanner/vocab.h"

#define T0 1700000100ULL

static uint64_t rng = 88172645463325252ULL;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Service i: ports 1000 + 7i on tcp and udp (plus the usual ones). */
static uint16_t
svc_port(int i)
{
	return (uint16_t)(1000 + 7 * i);
}

/* objects: half networks, half services (each network breaks down two
 * services), 10 routers with 2 interfaces each. */
static int
cmd_conf(
    const char *out, int objects, const char *boarddir, int top, long max_hosts)
{
	int nnet = objects / 2 > 0 ? objects / 2 : 1;
	int nsvc = objects - nnet > 0 ? objects - nnet : 1;
	FILE *f = fopen(out, "w");
	int i;

	if (f == NULL)
		return -1;
	fprintf(f, "subnets = { \"10.0.0.0/12\", \"2001:db8::/32\" }\n");
	for (i = 0; i < nsvc; i++)
		fprintf(f,
		    "service \"s%d\" { ports = { \"%u/tcp\", \"%u/udp\" } }\n",
		    i, svc_port(i), svc_port(i));
	for (i = 0; i < nnet; i++)
		fprintf(f,
		    "network \"n%d\" { prefixes = { \"10.%d.%d.0/24\" } services = { \"s%d\", \"s%d\" } }\n",
		    i, (i / 256) % 16, i % 256, i % nsvc, (i + 1) % nsvc);
	fprintf(f,
	    "protocol \"tcp\" { }\nprotocol \"udp\" { }\nprotocol \"icmp\" { }\n");
	fprintf(f,
	    "tos \"normal\" { values = { \"0\" } }\ntos \"other\" { values = { \"1-255\" } }\n");
	fprintf(f, "as_group \"peers\" { asns = { \"64512-64999\" } }\n");
	for (i = 0; i < 10; i++) {
		fprintf(f, "router \"r%d\" { address = \"192.0.2.%d\" }\n", i,
		    i + 1);
		fprintf(f,
		    "interface \"r%d_up\" { router = \"r%d\" ifindex = 1 as_groups = { \"peers\" } }\n",
		    i, i);
		fprintf(f,
		    "interface \"r%d_down\" { router = \"r%d\" ifindex = 2 }\n",
		    i, i);
	}
	fprintf(f,
	    "scanner {\n\trrd_dir = \"/tmp\"\n\tscoreboard { top = %d dir = \"%s\" history = false aggregate = 10 max_hosts = %ld }\n}\n",
	    top, boarddir, max_hosts);
	return fclose(f);
}

/*
 * Flow i. Inside hosts are skewed as real traffic is (a few heavy talkers
 * among 64 Ki addresses), or, with hosts > 0, uniform over that many (the
 * scoreboard's worst case).
 */
static void
gen_flow(struct flow *fl, uint64_t i, uint32_t hosts)
{
	uint64_t r = rnd(), r2 = rnd();
	double u = (double)(r & 0xffff) / 65536.0;
	uint32_t inside = 0x0a000000u |
	    (hosts > 0 ? (uint32_t)(rnd() % hosts)
		       : (uint32_t)(u * u * u * 65536.0));
	uint32_t outside = 0xc6000000u | (uint32_t)((r >> 20) & 0x00ffffff);

	memset(fl, 0, sizeof(*fl));
	if ((r >> 44) & 1) {
		ft_addr_set_v4(&fl->src, outside);
		ft_addr_set_v4(&fl->dst, inside);
	} else {
		ft_addr_set_v4(&fl->src, inside);
		ft_addr_set_v4(&fl->dst, outside);
	}
	ft_addr_set_v4(&fl->exporter, 0xc0000201u + (uint32_t)(r2 % 10));
	fl->proto = (r2 >> 8) % 4 == 0 ? 17 : 6;
	fl->sport = (uint16_t)(1024 + (r2 >> 16) % 60000);
	fl->dport = (r2 >> 32) % 2 ? svc_port((int)((r2 >> 33) % 50))
				   : (uint16_t)((r2 >> 40) % 65536);
	fl->packets = 1 + (r2 >> 48) % 100;
	fl->bytes = fl->packets * (40 + (r >> 50) % 1400);
	fl->first_ms = (T0 + i % 300) * 1000;
	fl->last_ms = fl->first_ms + 1000;
	fl->in_if = 1 + (uint32_t)((r >> 56) & 1);
	fl->out_if = 2 - (uint32_t)((r >> 56) & 1);
	fl->src_as = 64500 + (uint32_t)((r >> 57) % 600);
	fl->dst_as = 64500 + (uint32_t)((r >> 58) % 600);
	fl->sampling = 1;
	fl->tos = (r >> 60) & 1 ? 0 : 184;
}

static int
cmd_gen(const char *dir, uint64_t n, uint32_t hosts, const char *codec)
{
	struct flowfile_opts o = { FLOWFILE_CODEC_NONE, 0, 0, "bench" };
	struct flowfile_writer *w;
	struct flowfile_exporter exp[10];
	struct flow buf[4096];
	char path[4096];
	uint64_t i = 0;
	size_t k, j;

	/* The collector's choices: lz4 (its default), zstd at its default
	 * level -1, or none. */
	if (flowfile_codec_parse(codec, &o.codec) == -1) {
		fprintf(stderr, "gen: codec must be lz4, zstd or none\n");
		return -1;
	}
	o.zstd_level = -1;
	if (flowfile_writer_open(dir, T0, T0 + 300, &o, &w) == -1)
		return -1;
	while (i < n) {
		for (k = 0; k < 4096 && i < n; k++, i++)
			gen_flow(&buf[k], i, hosts);
		if (flowfile_write(w, buf, k) == -1)
			return -1;
	}
	memset(exp, 0, sizeof(exp));
	for (j = 0; j < 10; j++) {
		ft_addr_set_v4(&exp[j].addr, 0xc0000201u + (uint32_t)j);
		exp[j].version = 9;
		exp[j].sampling = 1;
		exp[j].flows = n / 10;
	}
	if (flowfile_writer_close(w, exp, 10, path, sizeof(path)) == -1)
		return -1;
	printf("%s\n", path);
	return 0;
}

struct setup {
	cfg_t *cfg;
	struct vocab v;
	struct cls c;
	struct agg a;
	struct hosttab *ht;
	struct board *b;
};

static void
host_add(void *ctx, const struct host_op *ops, size_t n)
{
	hosttab_add_batch(ctx, ops, n);
}

static int
setup_load(struct setup *s, const char *conf)
{
	struct errbuf eb;

	memset(s, 0, sizeof(*s));
	if ((s->cfg = conf_load(conf, &eb)) == NULL ||
	    vocab_load(&s->v, s->cfg, &eb) == -1 ||
	    cls_build(&s->c, &s->v, &eb) == -1 ||
	    agg_init(&s->a, &s->c) == -1 ||
	    (s->b = board_new(s->cfg, conf, &eb)) == NULL) {
		fprintf(stderr, "%s\n", eb.msg);
		return -1;
	}
	if (board_enabled(s->b)) {
		s->ht = hosttab_new(board_max_hosts(s->b));
		s->a.host_fn = host_add;
		s->a.host_ctx = s->ht;
	}
	return 0;
}

/* Read the whole file: returns the flows (malloc'd) and their count. */
static struct flow *
load_all(const char *path, size_t *n)
{
	struct flowfile_reader *r;
	struct errbuf eb;
	struct flow *all;
	size_t cap;
	ssize_t k;

	if (flowfile_open(path, &r, &eb) == -1) {
		fprintf(stderr, "%s\n", eb.msg);
		return NULL;
	}
	cap = flowfile_header(r)->records + 4096;
	all = malloc(cap * sizeof(*all));
	*n = 0;
	while (all && (k = flowfile_read(r, all + *n, cap - *n, &eb)) > 0)
		*n += (size_t)k;
	flowfile_close(r);
	return all;
}

static int
cmd_classify(const char *conf, const char *file, int runs)
{
	struct setup s;
	struct flow *all, buf[SCAN_BATCH];
	double t_mem[32], t_read[32], t_full[32], t_board[32], t;
	struct board_totals bt;
	struct errbuf eb;
	size_t n;
	ssize_t k;
	int run;

	if (runs > 32)
		runs = 32;
	if (setup_load(&s, conf) == -1 || (all = load_all(file, &n)) == NULL)
		return -1;
	memset(&bt, 0, sizeof(bt));
	for (run = 0; run < runs; run++) {
		struct flowfile_reader *r;

		/* Classification alone, flows already in memory. */
		agg_reset(&s.a);
		if (s.ht)
			hosttab_reset(s.ht);
		t = bench_thread_cpu();
		agg_flows(&s.a, all, n);
		t_mem[run] = bench_thread_cpu() - t;
		/* Ranking and pages. */
		t = bench_thread_cpu();
		if (s.ht &&
		    board_interval(s.b, s.ht, &bt, T0, T0 + 300, &eb) == -1)
			fprintf(stderr, "board: %s\n", eb.msg);
		t_board[run] = bench_thread_cpu() - t;
		/* Reading alone (page cache). */
		t = bench_thread_cpu();
		if (flowfile_open(file, &r, &eb) == -1)
			return -1;
		while ((k = flowfile_read(r, buf, SCAN_BATCH, &eb)) > 0)
			;
		flowfile_close(r);
		t_read[run] = bench_thread_cpu() - t;
		/* Both, as the scanner does. */
		agg_reset(&s.a);
		if (s.ht)
			hosttab_reset(s.ht);
		t = bench_thread_cpu();
		if (flowfile_open(file, &r, &eb) == -1)
			return -1;
		while ((k = flowfile_read(r, buf, SCAN_BATCH, &eb)) > 0)
			agg_flows(&s.a, buf, (size_t)k);
		flowfile_close(r);
		t_full[run] = bench_thread_cpu() - t;
	}
	printf("flows=%zu rows=%zu sets=%zu classify_mps=%.2f read_mps=%.2f "
	       "read_classify_mps=%.2f board_s=%.4f hosts=%zu\n",
	    n, s.c.n_rows, s.c.n_sets,
	    (double)n / bench_median(t_mem, runs) / 1e6,
	    (double)n / bench_median(t_read, runs) / 1e6,
	    (double)n / bench_median(t_full, runs) / 1e6,
	    bench_median(t_board, runs),
	    s.ht ? hosttab_count(s.ht) : (size_t)0);
	free(all);
	return 0;
}

/* One baseline update of b<i>.rrd at time e, for i < n. */
static void
baseline_updates(const char *dir, size_t n, uint64_t e, const char *daemon)
{
	char path[4096], val[200];
	const char *argv[1];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/b%zu.rrd", dir, i);
		snprintf(val, sizeof(val), "%" PRIu64 ":1:2:3:4:5:6", e);
		argv[0] = val;
		if (daemon == NULL) {
			if (rrd_update_r(path, NULL, 1, argv) != 0) {
				fprintf(stderr, "%s\n", rrd_get_error());
				rrd_clear_error();
			}
		} else if (rrdc_update(path, 1, argv) != 0) {
			fprintf(stderr, "%s\n", rrd_get_error());
			rrd_clear_error();
		}
	}
}

static int
make_targets(struct rrdout *o, size_t n, const char *prefix)
{
	char name[64];
	size_t i;

	if ((o->t = calloc(n, sizeof(*o->t))) == NULL)
		return -1;
	o->n = n;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s%zu.rrd", prefix, i);
		o->t[i].rel = strdup(name);
		o->t[i].row = (uint32_t)(i % 64);
	}
	return 0;
}

/*
 * n RRDs for the baseline (b<i>.rrd) and n for ours (o<i>.rrd), both
 * created by rrdout and then updated at the same times, so that both
 * cross the same consolidation boundaries.
 */
static int
cmd_rrd(const char *dir, size_t n, int runs, const char *daemon)
{
	struct rrdout o, ob;
	struct rrdout_stats st;
	struct errbuf eb;
	uint64_t *rows;
	double t_lib[32], t_ours[32], t_one[32], t;
	size_t i;
	int run;

	if (runs > 32)
		runs = 32;
	if (rrdout_init(&o, dir, daemon, 300, &eb) == -1 ||
	    rrdout_init(&ob, dir, daemon, 300, &eb) == -1)
		return -1;
	/* FT_BENCH_NOFORK=1: write in-process, to measure the fork's cost. */
	if (getenv("FT_BENCH_NOFORK") != NULL)
		o.fork_writer = 0;
	if (make_targets(&o, n, "o") == -1 || make_targets(&ob, n, "b") == -1)
		return -1;
	rows = calloc(64 * AGG_NCOUNT, sizeof(*rows));
	for (i = 0; i < 64 * AGG_NCOUNT; i++)
		rows[i] = getenv("FT_BENCH_SMALL") ? i % 6 + 1 : i * 1000;
	/* Create everything (not timed). */
	if (rrdout_write(&o, rows, T0, T0 + 300, &st) == -1 || st.errors ||
	    rrdout_write(&ob, rows, T0, T0 + 300, &st) == -1 || st.errors) {
		fprintf(stderr, "create failed\n");
		return -1;
	}
	if (daemon != NULL) {
		/* Debian's librrd 1.7.2 declares the handle API (rrd_client_*)
		 * but does not export it: the global rrdc_* one it is. */
		if (rrdc_connect(daemon) != 0) {
			fprintf(stderr, "rrdc_connect %s failed\n", daemon);
			return -1;
		}
	}
	for (run = 0; run < runs; run++) {
		uint64_t e = T0 + 600 + (uint64_t)run * 600;

		/* Baseline: one librrd (or rrdc) call per RRD. */
		t = bench_wall();
		baseline_updates(dir, n, e, daemon);
		t_lib[run] = bench_wall() - t;
		/* Ours at the same time: forked writer, or one BATCH. */
		for (i = 0; i < n; i++)
			o.t[i].last = e - 300;
		t = bench_wall();
		if (rrdout_write(&o, rows, e - 300, e, &st) == -1 ||
		    st.updated != n)
			fprintf(stderr, "rrdout: %zu updated, %zu errors\n",
			    st.updated, st.errors);
		t_ours[run] = bench_wall() - t;
		/* Next step: baseline untimed, ours after a "restart". */
		baseline_updates(dir, n, e + 300, daemon);
		for (i = 0; i < n; i++)
			o.t[i].last = 0;
		t = bench_wall();
		rrdout_write(&o, rows, e, e + 300, &st);
		t_one[run] = bench_wall() - t;
	}
	printf("rrds=%zu mode=%s baseline_per_s=%.0f ours_per_s=%.0f "
	       "ours_after_restart_per_s=%.0f\n",
	    n, daemon ? "rrdcached" : "direct",
	    (double)n / bench_median(t_lib, runs),
	    (double)n / bench_median(t_ours, runs),
	    (double)n / bench_median(t_one, runs));
	if (daemon != NULL)
		rrdc_disconnect();
	rrdout_clear(&o);
	rrdout_clear(&ob);
	free(rows);
	return 0;
}

/* Send a flow file as NetFlow v5 to host:port, paced. */
static int
cmd_send(const char *file, const char *host, int port, int pps)
{
	struct nf_encoder_opts eo = { 5, 1, 1, 0, 20, 60 };
	struct sockaddr_storage ss;
	struct nf_encoder *e;
	struct ft_addr a;
	struct flow *all;
	uint8_t dg[1500];
	size_t n, off = 0, used, skipped;
	ssize_t len;
	socklen_t sl;
	uint64_t sent = 0, t0 = tm_mono_ms();
	int fd;

	if ((all = load_all(file, &n)) == NULL || addr_parse(host, &a) == -1)
		return -1;
	eo.boot_ms = tm_now_ms() - 3600 * 1000;
	if ((e = nf_encoder_new(&eo)) == NULL)
		return -1;
	sl = addr_to_sockaddr(&a, (uint16_t)port, &ss);
	if ((fd = socket(ss.ss_family, SOCK_DGRAM, 0)) == -1)
		return -1;
	/* Flow times as now, so nfcapd keeps them in its current file. */
	while (off < n) {
		uint64_t now = tm_now_ms();
		size_t j;

		for (j = off; j < n && j < off + 64; j++) {
			all[j].first_ms = now - 2000;
			all[j].last_ms = now - 1000;
		}
		len = nf_encoder_pack(e, all + off, j - off, now, dg,
		    sizeof(dg), &used, &skipped);
		if (len <= 0) {
			fprintf(stderr, "pack: %zd (%s) at flow %zu\n", len,
			    strerror(errno), off);
			break;
		}
		if (sendto(fd, dg, (size_t)len, 0, (struct sockaddr *)&ss,
			sl) == -1 &&
		    errno != ENOBUFS)
			return -1;
		off += used;
		/* Pace: pps datagrams per second. */
		if (++sent % 64 == 0) {
			uint64_t due = t0 + sent * 1000 / (uint64_t)pps;

			while (tm_mono_ms() < due)
				usleep(200);
		}
	}
	printf("sent %zu flows in %" PRIu64 " datagrams\n", off, sent);
	nf_encoder_free(e);
	close(fd);
	free(all);
	return 0;
}

int
main(int argc, char *argv[])
{
	if (argc >= 4 && strcmp(argv[1], "gen") == 0)
		return cmd_gen(argv[2], strtoull(argv[3], NULL, 10),
			   argc > 4 ? (uint32_t)strtoul(argv[4], NULL, 10) : 0,
			   argc > 5 ? argv[5] : "none")
		    ? 1
		    : 0;
	if (argc >= 4 && strcmp(argv[1], "conf") == 0)
		return cmd_conf(argv[2], atoi(argv[3]),
			   argc > 4 ? argv[4] : "/tmp/ft-bench-board",
			   argc > 5 ? atoi(argv[5]) : 10,
			   argc > 6 ? atol(argv[6]) : 262144)
		    ? 1
		    : 0;
	if (argc >= 5 && strcmp(argv[1], "classify") == 0)
		return cmd_classify(argv[2], argv[3], atoi(argv[4])) ? 1 : 0;
	if (argc >= 5 && strcmp(argv[1], "rrd") == 0)
		return cmd_rrd(argv[2], strtoul(argv[3], NULL, 10),
			   atoi(argv[4]), argc > 5 ? argv[5] : NULL)
		    ? 1
		    : 0;
	if (argc >= 5 && strcmp(argv[1], "send") == 0)
		return cmd_send(argv[2], argv[3], atoi(argv[4]),
			   argc > 5 ? atoi(argv[5]) : 20000)
		    ? 1
		    : 0;
	fprintf(stderr,
	    "usage: scanner_bench gen DIR N [HOSTS [lz4|zstd|none]] | conf OUT OBJECTS [BOARDDIR [TOP [MAX_HOSTS]]] | classify CONF FILE RUNS | rrd DIR N RUNS [DAEMON] | send FILE ADDR PORT [PPS]\n");
	return 1;
}
