/*
 * Scoreboard benchmark: hosttab_add throughput for many flows over many
 * distinct hosts (IPv4 and IPv6), the cost of board_interval (ranking and
 * writing every page) on that table, hosttab_reset, and the peak RSS.
 * Usage: board_bench [hosts] [flows] [runs] [outdir] [skew]
 * skew 0: every flow picks a host uniformly (the worst case for caches);
 * skew 1: host index = hosts x u^3 for uniform u (a few heavy talkers, a
 * long tail: closer to real traffic).
 */
#include <sys/resource.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/benchutil.h"
#include "lib/conf.h"
#include "scanner/board.h"
#include "scanner/hosttab.h"

static cfg_opt_t bb_scanner_opts[] = {
	CFG_SEC("scoreboard", conf_board_opts, CFGF_NONE),
	CFG_END(),
};
static cfg_opt_t bb_net_opts[] = {
	CFG_STR_LIST("prefixes", NULL, CFGF_NONE),
	CFG_END(),
};
static cfg_opt_t bb_top_opts[] = {
	CFG_SEC("network", bb_net_opts, CFGF_MULTI | CFGF_TITLE),
	CFG_SEC("scanner", bb_scanner_opts, CFGF_NONE),
	CFG_END(),
};

static uint64_t
bb_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * Host h's address, computed rather than loaded: the scanner has the
 * address in the flow record at hand, so the bench must not add a random
 * memory read per flow. 90% IPv4 in 10/8, 10% IPv6 in 2001:db8::/32.
 */
static void
bb_addr(size_t h, struct ft_addr *a)
{
	if (h % 10 == 9) {
		uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
		uint64_t x = h * 0x9e3779b97f4a7c15ULL;

		memcpy(v6 + 8, &x, 8);
		memcpy(v6 + 4, &h, 4);
		ft_addr_set_v6(a, v6);
	} else
		ft_addr_set_v4(a, 0x0a000000 | (uint32_t)h);
}

static size_t
bb_pick(uint64_t x, size_t hosts, int skew)
{
	double u;

	if (!skew)
		return (size_t)(x % hosts);
	u = (double)(x >> 11) / 9007199254740992.0;
	return (size_t)((double)hosts * u * u * u) % hosts;
}

/* Adds per hosttab_add_batch() call, as the scanner's agg_flows(). */
#define BB_BATCH 256

int
main(int argc, char **argv)
{
	size_t hosts = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	size_t flows = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000000;
	int runs = argc > 3 ? atoi(argv[3]) : 5, r;
	const char *outdir = argc > 4 ? argv[4] : "/tmp/ft-board-bench";
	int skew = argc > 5 ? atoi(argv[5]) : 0;
	double add[32], intv[32], rst[32], base[32], wall[32], t0, w0;
	uint64_t sink = 0;
	struct board_totals tot;
	struct hosttab *t;
	struct board *b;
	struct rusage ru;
	struct errbuf eb;
	char text[1024];
	uint64_t s = 88172645463325252ULL;
	size_t i, j, nb, seen = 0;
	static struct ft_addr ba[BB_BATCH];
	static struct host_op bo[BB_BATCH];
	cfg_t *cfg;

	if (runs < 1 || runs > 32 || hosts == 0)
		return 2;
	snprintf(text, sizeof(text),
	    "network \"lan\" { prefixes = { \"10.0.0.0/8\" } }\n"
	    "network \"v6\" { prefixes = { \"2001:db8::/32\" } }\n"
	    "scanner { scoreboard { top = 10\n dir = \"%s\"\n"
	    " max_hosts = %zu\n graph_url = \"/cgi-bin/flowtally.cgi\" } }\n",
	    outdir, hosts);
	cfg = cfg_init(bb_top_opts, CFGF_NONE);
	if (cfg_parse_buf(cfg, text) != CFG_SUCCESS)
		return 1;
	if ((b = board_new(cfg, "bench", &eb)) == NULL) {
		fprintf(stderr, "board_new: %s\n", eb.msg);
		return 1;
	}
	t = hosttab_new(hosts);
	for (r = 0; r < runs; r++) {
		/* Baseline: the same loop without the table. */
		t0 = bench_cpu();
		for (i = 0; i < flows; i++) {
			uint64_t x = bb_rand(&s);
			struct ft_addr a;

			bb_addr(bb_pick(x, hosts, skew), &a);
			sink += a.v4 + a.v6[15] + (x >> 63);
		}
		base[r] = bench_cpu() - t0;
		memset(&tot, 0, sizeof(tot));
		t0 = bench_cpu();
		/* In batches, as the scanner adds them (agg_flows()). */
		for (i = 0; i < flows; i += nb) {
			nb = flows - i < BB_BATCH ? flows - i : BB_BATCH;
			for (j = 0; j < nb; j++) {
				uint64_t x = bb_rand(&s);
				int dir = (int)(x >> 63);
				uint64_t bytes = 40 + (x >> 40) % 1500;

				bb_addr(bb_pick(x, hosts, skew), &ba[j]);
				bo[j].host = &ba[j];
				bo[j].dir = dir;
				bo[j].bytes = bytes;
				bo[j].pkts = bo[j].flows = 1;
				tot.bytes[dir] += bytes;
				tot.pkts[dir]++;
				tot.flows[dir]++;
			}
			hosttab_add_batch(t, bo, nb);
		}
		add[r] = bench_cpu() - t0;
		t0 = bench_cpu();
		w0 = bench_wall();
		if (board_interval(b, t, &tot, 1795611900 + (uint64_t)r * 300,
			1795612200 + (uint64_t)r * 300, &eb) == -1) {
			fprintf(stderr, "board_interval: %s\n", eb.msg);
			return 1;
		}
		intv[r] = bench_cpu() - t0;
		wall[r] = bench_wall() - w0;
		seen = hosttab_count(t);
		t0 = bench_cpu();
		hosttab_reset(t);
		rst[r] = bench_cpu() - t0;
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("hosts %zu flows %zu runs %d %s; distinct hosts seen %zu\n",
	    hosts, flows, runs, skew ? "skewed" : "uniform", seen);
	printf("hosttab_add_batch median %.1f ns/flow CPU (%.3f s per run)\n",
	    bench_median(add, runs) * 1e9 / (double)flows,
	    bench_median(add, runs));
	printf("baseline loop (same loop, no table) median "
	       "%.1f ns/flow [%llu]\n",
	    bench_median(base, runs) * 1e9 / (double)flows,
	    (unsigned long long)(sink & 1));
	printf("board_interval median %.1f ms CPU (%.1f ns per host), "
	       "%.1f ms wall (fsyncs)\n",
	    bench_median(intv, runs) * 1e3,
	    bench_median(intv, runs) * 1e9 / (double)hosts,
	    bench_median(wall, runs) * 1e3);
	printf("hosttab_reset median %.1f ms\n", bench_median(rst, runs) * 1e3);
	printf("peak RSS %ld MB\n", ru.ru_maxrss / 1024);
	hosttab_free(t);
	board_free(b);
	cfg_free(cfg);
	return 0;
}
