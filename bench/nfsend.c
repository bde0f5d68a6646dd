/*
 * ft-nfsend: a deterministic NetFlow v5/v9/IPFIX sender for tests and
 * benchmarks. It makes flows from a seed and encodes them once with
 * lib/nfencode into a pool of datagrams (all of them when COUNT fits), then
 * replays the pool with sendmmsg() in batches, patching only the sequence
 * number and the header's time in each datagram, so encoding never limits
 * the rate. Sends to a loopback collector, optionally paced and optionally
 * skipping chosen packets (to make sequence gaps). Prints what it sent (and
 * skipped) as "key=value" on stdout.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/addr.h"
#include "lib/nfencode.h"
#include "lib/tmutil.h"

#define SEND_BATCH   64
#define SEND_MAXSKIP 64
#define SEND_DGRAM   1400
#define SEND_POOL    2048 /* datagrams encoded once, then replayed */
#define SEND_TAIL    8    /* datagrams for a last partial pool entry */

/* One encoded datagram and what sending it adds to the sequence. */
struct send_pkt {
	uint8_t *data;
	size_t len;
	uint32_t flows;    /* flow records in it */
	uint32_t seq_step; /* sequence increment (v5/IPFIX records, v9 1) */
};

/* The encoder and the flow generator behind the pool. */
struct send_gen {
	struct nf_encoder *enc;
	uint32_t rs;
	uint64_t made; /* flows generated so far */
	struct flow flows[64];
	size_t have; /* flows not yet encoded at the head of flows[] */
};

struct send_opts {
	int version;
	uint64_t count;
	uint64_t rate; /* flows per second, 0: as fast as possible */
	size_t per_packet;
	uint32_t seed;
	uint32_t domain;
	uint32_t sampling;
	uint64_t export_start_ms; /* 0: the real clock */
	uint64_t export_step_ms;  /* per packet, with export_start_ms */
	uint64_t skip[SEND_MAXSKIP];
	size_t n_skip;
	uint16_t src_port; /* bind the source port (0: any) */
	int dry_run;       /* encode only, send nothing */
};

static void
usage(void)
{
	fprintf(stderr,
	    "usage: ft-nfsend -v 5|9|10 -c count [-r flows/s] [-p per-packet] "
	    "[-s seed] [-P src-port] [-n]\n"
	    "                 [-D domain] [-S sampling] [-T export-start-s] "
	    "[-I step-ms]\n"
	    "                 [-x i,j,...] host:port\n");
	exit(2);
}

/* A small deterministic generator (xorshift32). */
static uint32_t
send_rand(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static void
send_make_flow(struct flow *f, uint64_t i, uint32_t *rs, uint64_t now_ms)
{
	static const uint16_t ports[] = { 80, 443, 53, 22, 25, 123, 8080 };
	uint32_t r = send_rand(rs);

	memset(f, 0, sizeof(*f));
	ft_addr_set_v4(&f->src, 0x0a000000u | (uint32_t)(i & 0xffffff));
	ft_addr_set_v4(&f->dst, 0xc0a80000u | (r & 0xffff));
	ft_addr_set_v4(&f->nexthop, 0xc0a800feu);
	f->proto = (r >> 16) % 3 == 0 ? 17 : 6;
	f->sport = (uint16_t)(1024 + (i % 60000));
	f->dport = ports[(r >> 20) % 7];
	f->packets = 1 + (r >> 8) % 13;
	f->bytes = f->packets * (40 + (r >> 4) % 1400);
	f->last_ms = now_ms - (r % 1000);
	f->first_ms = f->last_ms - (r >> 12) % 30000;
	f->in_if = 1 + r % 4;
	f->out_if = 5;
	f->src_as = 64512;
	f->dst_as = 65000 + (r % 100);
	f->src_mask = 24;
	f->dst_mask = 16;
	f->tcp_flags = f->proto == 6 ? 0x1b : 0;
	f->direction = FLOW_DIR_INGRESS;
	f->sampling = 1;
}

static uint32_t
send_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
send_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Offset of the sequence number in a datagram of this version. */
static size_t
send_seq_off(int version)
{
	return version == 5 ? 16 : version == 9 ? 12 : 8;
}

/*
 * Stamp a datagram with sequence seq and export time now_ms (v5, v9:
 * sysUptime since boot_ms and UNIX time; IPFIX: export time). Record
 * times keep what they were encoded with, as an exporter's would.
 */
static void
send_patch(
    uint8_t *p, int version, uint32_t seq, uint64_t now_ms, uint64_t boot_ms)
{
	uint32_t up = now_ms > boot_ms ? (uint32_t)(now_ms - boot_ms) : 0;

	send_put32(p + send_seq_off(version), seq);
	if (version == 10) {
		send_put32(p + 4, (uint32_t)(now_ms / 1000));
		return;
	}
	send_put32(p + 4, up);
	send_put32(p + 8, (uint32_t)(now_ms / 1000));
	if (version == 5)
		send_put32(p + 12, (uint32_t)(now_ms % 1000) * 1000000);
}

/*
 * Encode the next datagram of at most max flows (fewer when the encoder
 * fills it, or when templates are due) into buf: its length (0 when
 * nothing was encoded) with *flows set, or -1.
 */
static ssize_t
send_encode(struct send_gen *g, size_t max, size_t per_packet, uint64_t now_ms,
    uint8_t *buf, uint32_t *flows)
{
	size_t n = per_packet < max ? per_packet : max, i, consumed, skipped;
	ssize_t len;

	for (i = g->have; i < n; i++)
		send_make_flow(&g->flows[i], g->made++, &g->rs, now_ms);
	if (g->have < n)
		g->have = n;
	len = nf_encoder_pack(
	    g->enc, g->flows, n, now_ms, buf, SEND_DGRAM, &consumed, &skipped);
	if (len < 0)
		return -1;
	/* Flows that did not fit go first next time. */
	if (consumed < g->have)
		memmove(g->flows, g->flows + consumed,
		    (g->have - consumed) * sizeof(g->flows[0]));
	g->have -= consumed;
	*flows = (uint32_t)consumed;
	return len;
}

/*
 * Encode the last left flows into fresh datagrams tail[0..*nt), their
 * sequence steps taken from the encoder's own numbering. 0 or -1.
 */
static int
send_tail(struct send_gen *g, const struct send_opts *o, uint64_t left,
    uint64_t now_ms, struct send_pkt *tail, uint8_t (*mem)[SEND_DGRAM],
    size_t seq_off, size_t *nt)
{
	uint32_t fl;
	ssize_t len;
	size_t k, tries;

	*nt = 0;
	for (tries = 0; left > 0 && *nt < SEND_TAIL && tries < 4 * SEND_TAIL;
	     tries++) {
		len =
		    send_encode(g, left, o->per_packet, now_ms, mem[*nt], &fl);
		if (len < 0) {
			perror("ft-nfsend: encode");
			return -1;
		}
		if (len == 0)
			continue;
		tail[*nt].data = mem[*nt];
		tail[*nt].len = (size_t)len;
		tail[*nt].flows = fl;
		tail[*nt].seq_step = 0;
		left -= fl;
		(*nt)++;
	}
	if (left > 0) {
		fprintf(stderr, "ft-nfsend: cannot encode the last flows\n");
		return -1;
	}
	for (k = 0; k + 1 < *nt; k++)
		tail[k].seq_step = send_be32(tail[k + 1].data + seq_off) -
		    send_be32(tail[k].data + seq_off);
	return 0;
}

static int
send_is_skipped(const struct send_opts *o, uint64_t pkt)
{
	size_t i;

	for (i = 0; i < o->n_skip; i++)
		if (o->skip[i] == pkt)
			return 1;
	return 0;
}

static void
send_parse_skip(struct send_opts *o, char *s)
{
	char *tok;

	for (tok = strtok(s, ","); tok != NULL && o->n_skip < SEND_MAXSKIP;
	     tok = strtok(NULL, ","))
		o->skip[o->n_skip++] = strtoull(tok, NULL, 10);
}

int
main(int argc, char *argv[])
{
	struct send_opts o;
	struct nf_encoder_opts eo;
	struct send_gen g;
	struct sockaddr_storage ss;
	struct ft_addr a;
	uint16_t port;
	socklen_t sl;
	struct send_pkt *pool = NULL, tail[SEND_TAIL], *sp;
	uint8_t *pool_mem = NULL, extra[SEND_DGRAM];
	static uint8_t tail_mem[SEND_TAIL][SEND_DGRAM];
	struct mmsghdr msgs[SEND_BATCH];
	struct iovec iov[SEND_BATCH];
	uint64_t sent_flows = 0, sent_pkts = 0, skip_flows = 0, skip_pkts = 0;
	uint64_t pkt = 0, done = 0, t0, now_ms = 0, errors = 0, pool_flows = 0;
	uint32_t seq, fl;
	size_t np = 0, nt = 0, ti = 0, nb = 0, i, pending = 0, seq_off;
	uint64_t pi = 0;
	ssize_t len;
	int ch, fd;

	memset(&o, 0, sizeof(o));
	o.version = 5;
	o.seed = 1;
	while ((ch = getopt(argc, argv, "c:D:I:np:P:r:s:S:T:v:x:")) != -1) {
		switch (ch) {
		case 'c':
			o.count = strtoull(optarg, NULL, 10);
			break;
		case 'D':
			o.domain = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 'I':
			o.export_step_ms = strtoull(optarg, NULL, 10);
			break;
		case 'n':
			o.dry_run = 1;
			break;
		case 'p':
			o.per_packet = strtoul(optarg, NULL, 10);
			break;
		case 'P':
			o.src_port = (uint16_t)strtoul(optarg, NULL, 10);
			break;
		case 'r':
			o.rate = strtoull(optarg, NULL, 10);
			break;
		case 's':
			o.seed = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 'S':
			o.sampling = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 'T':
			o.export_start_ms = strtoull(optarg, NULL, 10) * 1000;
			break;
		case 'v':
			o.version = atoi(optarg);
			break;
		case 'x':
			send_parse_skip(&o, optarg);
			break;
		default:
			usage();
		}
	}
	if (optind + 1 != argc || o.count == 0)
		usage();
	if (addr_parse_endpoint(argv[optind], &a, &port) == -1 ||
	    a.family == FT_AF_NONE) {
		fprintf(
		    stderr, "ft-nfsend: bad destination %s\n", argv[optind]);
		return 2;
	}
	/* Loopback only: this is a test tool. */
	if (!((a.family == FT_AF_INET && (a.v4 >> 24) == 127) ||
		(a.family == FT_AF_INET6 && a.v6[15] == 1 &&
		    memcmp(a.v6, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 15) == 0))) {
		fprintf(stderr, "ft-nfsend: loopback destinations only\n");
		return 2;
	}
	if (o.per_packet == 0 || o.per_packet > 64)
		o.per_packet = o.version == 5 ? 30 : 64;
	if (o.seed == 0)
		o.seed = 1;
	sl = addr_to_sockaddr(&a, port, &ss);
	if ((fd = socket(ss.ss_family, SOCK_DGRAM, 0)) == -1) {
		perror("ft-nfsend: socket");
		return 1;
	}
	if (o.src_port != 0) {
		struct sockaddr_storage src;
		struct ft_addr any;
		socklen_t srclen;

		memset(&any, 0, sizeof(any));
		if (a.family == FT_AF_INET)
			ft_addr_set_v4(&any, 0x7f000001);
		else
			any = a;
		srclen = addr_to_sockaddr(&any, o.src_port, &src);
		if (bind(fd, (struct sockaddr *)&src, srclen) == -1) {
			perror("ft-nfsend: bind");
			return 1;
		}
	}
	if (connect(fd, (struct sockaddr *)&ss, sl) == -1) {
		perror("ft-nfsend: socket");
		return 1;
	}
	memset(&eo, 0, sizeof(eo));
	eo.version = o.version;
	eo.domain = o.domain;
	eo.sampling = o.sampling;
	eo.boot_ms =
	    (o.export_start_ms ? o.export_start_ms : tm_now_ms()) - 3600 * 1000;
	eo.template_every = 20;
	eo.template_secs = 60;
	memset(&g, 0, sizeof(g));
	g.rs = o.seed;
	if ((g.enc = nf_encoder_new(&eo)) == NULL) {
		perror("ft-nfsend: encoder");
		return 1;
	}
	pool = calloc(SEND_POOL, sizeof(*pool));
	pool_mem = malloc((size_t)SEND_POOL * SEND_DGRAM);
	if (pool == NULL || pool_mem == NULL) {
		perror("ft-nfsend: pool");
		return 1;
	}
	seq_off = send_seq_off(o.version);

	/* Encode the pool once: every datagram when COUNT fits. */
	while (np < SEND_POOL && pool_flows < o.count) {
		now_ms = o.export_start_ms
		    ? o.export_start_ms + np * o.export_step_ms
		    : tm_now_ms();
		len = send_encode(&g, o.count - pool_flows, o.per_packet,
		    now_ms, pool_mem + np * SEND_DGRAM, &fl);
		if (len < 0) {
			perror("ft-nfsend: encode");
			return 1;
		}
		if (len == 0)
			continue;
		pool[np].data = pool_mem + np * SEND_DGRAM;
		pool[np].len = (size_t)len;
		pool[np].flows = fl;
		pool_flows += fl;
		np++;
	}
	if (np == 0) {
		fprintf(stderr, "ft-nfsend: nothing to encode\n");
		return 1;
	}
	/* Sequence steps: the difference to the next datagram's sequence. */
	len = 0;
	while (len == 0)
		len = send_encode(
		    &g, o.per_packet, o.per_packet, now_ms, extra, &fl);
	if (len < 0) {
		perror("ft-nfsend: encode");
		return 1;
	}
	for (i = 0; i < np; i++)
		pool[i].seq_step =
		    send_be32(
			(i + 1 < np ? pool[i + 1].data : extra) + seq_off) -
		    send_be32(pool[i].data + seq_off);
	seq = send_be32(pool[0].data + seq_off);

	t0 = tm_mono_ns();
	while (done < o.count) {
		size_t bmax = o.rate != 0 && o.rate < 100000 ? 1 : SEND_BATCH;

		nb = 0;
		pending = 0;
		if (!o.export_start_ms)
			now_ms = tm_now_ms();
		while (nb < bmax && done < o.count) {
			if (ti == nt && pool[pi % np].flows > o.count - done) {
				/* The last flows: fresh datagrams of just them.
				 */
				if (send_tail(&g, &o, o.count - done, now_ms,
					tail, tail_mem, seq_off, &nt) == -1)
					return 1;
				ti = 0;
			}
			if (ti < nt)
				sp = &tail[ti++];
			else {
				/* A pool entry goes out once per batch. */
				if (pi % np == 0 && pi > 0 && nb > 0)
					break;
				sp = &pool[pi++ % np];
			}
			if (o.export_start_ms)
				now_ms =
				    o.export_start_ms + pkt * o.export_step_ms;
			send_patch(
			    sp->data, o.version, seq, now_ms, eo.boot_ms);
			seq += sp->seq_step;
			if (o.dry_run || send_is_skipped(&o, pkt)) {
				skip_pkts++;
				skip_flows += sp->flows;
			} else {
				iov[nb].iov_base = sp->data;
				iov[nb].iov_len = sp->len;
				memset(&msgs[nb], 0, sizeof(msgs[nb]));
				msgs[nb].msg_hdr.msg_iov = &iov[nb];
				msgs[nb].msg_hdr.msg_iovlen = 1;
				nb++;
				sent_pkts++;
				sent_flows += sp->flows;
				pending += sp->flows;
			}
			done += sp->flows;
			pkt++;
		}
		if (o.rate != 0 && nb > 0) {
			uint64_t due =
			    t0 + (sent_flows - pending) * 1000000000u / o.rate;
			uint64_t t = tm_mono_ns();

			if (due > t) {
				struct timespec ts = {
					.tv_sec =
					    (time_t)((due - t) / 1000000000u),
					.tv_nsec =
					    (long)((due - t) % 1000000000u),
				};
				nanosleep(&ts, NULL);
			}
		}
		for (i = 0; i < nb;) {
			int r = sendmmsg(fd, msgs + i, (unsigned)(nb - i), 0);

			if (r <= 0) {
				if (errno == EINTR || errno == EAGAIN ||
				    errno == ENOBUFS)
					continue;
				errors++;
				if (errno == ECONNREFUSED) {
					i++;
					continue;
				}
				perror("ft-nfsend: send");
				return 1;
			}
			i += (size_t)r;
		}
	}
	printf("version=%d packets=%" PRIu64 " flows=%" PRIu64
	       " skipped_packets=%" PRIu64 " skipped_flows=%" PRIu64
	       " send_errors=%" PRIu64 " seconds=%.3f\n",
	    o.version, sent_pkts, sent_flows, skip_pkts, skip_flows, errors,
	    (double)(tm_mono_ns() - t0) / 1e9);
	nf_encoder_free(g.enc);
	free(pool);
	free(pool_mem);
	close(fd);
	return 0;
}
