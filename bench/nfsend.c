/*
 * ft-nfsend: a deterministic NetFlow v5/v9/IPFIX sender for tests and
 * benchmarks. It makes COUNT flows from a seed, encodes them with
 * lib/nfencode and sends them to a loopback collector, optionally paced to
 * a rate and optionally skipping chosen packets (to make sequence gaps).
 * Prints what it sent (and skipped) as "key=value" on stdout.
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

#define SEND_BATCH   32
#define SEND_MAXSKIP 64
#define SEND_DGRAM   1400

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

static uint64_t
send_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t
send_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
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
	struct nf_encoder *enc;
	struct sockaddr_storage ss;
	struct ft_addr a;
	uint16_t port;
	socklen_t sl;
	struct flow flows[64];
	static uint8_t bufs[SEND_BATCH][SEND_DGRAM];
	struct mmsghdr msgs[SEND_BATCH];
	struct iovec iov[SEND_BATCH];
	uint64_t sent_flows = 0, sent_pkts = 0, skip_flows = 0, skip_pkts = 0;
	uint64_t pkt = 0, done = 0, t0, now_ms, errors = 0;
	uint32_t rs;
	size_t nb = 0, n, consumed, skipped, i, pending = 0, have = 0;
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
	rs = o.seed;
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
	eo.boot_ms = (o.export_start_ms ? o.export_start_ms : send_now_ms()) -
	    3600 * 1000;
	eo.template_every = 20;
	eo.template_secs = 60;
	if ((enc = nf_encoder_new(&eo)) == NULL) {
		perror("ft-nfsend: encoder");
		return 1;
	}
	t0 = send_mono_ns();
	while (done < o.count) {
		n = o.per_packet;
		if (n > o.count - done)
			n = (size_t)(o.count - done);
		now_ms = o.export_start_ms
		    ? o.export_start_ms + pkt * o.export_step_ms
		    : send_now_ms();
		/* Flows that did not fit last time go first. */
		for (i = have; i < n; i++)
			send_make_flow(&flows[i], done + i, &rs, now_ms);
		have = n;
		len = nf_encoder_pack(enc, flows, n, now_ms, bufs[nb],
		    SEND_DGRAM, &consumed, &skipped);
		if (len < 0) {
			perror("ft-nfsend: encode");
			return 1;
		}
		if (consumed < n)
			memmove(flows, flows + consumed,
			    (n - consumed) * sizeof(flows[0]));
		have = n - consumed;
		done += consumed;
		if (len == 0)
			continue;
		if (o.dry_run || send_is_skipped(&o, pkt)) {
			skip_pkts++;
			skip_flows += consumed;
		} else {
			iov[nb].iov_base = bufs[nb];
			iov[nb].iov_len = (size_t)len;
			memset(&msgs[nb], 0, sizeof(msgs[nb]));
			msgs[nb].msg_hdr.msg_iov = &iov[nb];
			msgs[nb].msg_hdr.msg_iovlen = 1;
			nb++;
			sent_pkts++;
			sent_flows += consumed;
			pending += consumed;
		}
		pkt++;
		if (nb == SEND_BATCH || done >= o.count ||
		    (o.rate != 0 && o.rate < 100000)) {
			if (o.rate != 0) {
				uint64_t due = t0 +
				    (sent_flows - pending) * 1000000000u /
					o.rate;
				uint64_t t = send_mono_ns();

				if (due > t) {
					struct timespec ts = {
						.tv_sec = (time_t)((due - t) /
						    1000000000u),
						.tv_nsec = (long)((due - t) %
						    1000000000u),
					};
					nanosleep(&ts, NULL);
				}
			}
			for (i = 0; i < nb;) {
				int r = sendmmsg(
				    fd, msgs + i, (unsigned)(nb - i), 0);
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
			nb = 0;
			pending = 0;
		}
	}
	printf("version=%d packets=%" PRIu64 " flows=%" PRIu64
	       " skipped_packets=%" PRIu64 " skipped_flows=%" PRIu64
	       " send_errors=%" PRIu64 " seconds=%.3f\n",
	    o.version, sent_pkts, sent_flows, skip_pkts, skip_flows, errors,
	    (double)(send_mono_ns() - t0) / 1e9);
	nf_encoder_free(enc);
	close(fd);
	return 0;
}
