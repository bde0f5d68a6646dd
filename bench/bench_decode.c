/*
 * Codec speed: flows per second decoded (nf_decode) and encoded
 * (nf_encoder_pack) for NetFlow v5, v9 and IPFIX, on one core, over 1,000
 * precomputed 1,400-byte datagrams of generated IPv4 flows (v9/IPFIX also
 * with one flow in four IPv6). Prints one line per case: the median of
 * REPS timed passes, in CPU time (the machine is shared).
 */
#include <netinet/in.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/benchutil.h"
#include "lib/nfdecode.h"
#include "lib/nfencode.h"

#define NFLOWS 30000
#define NPKT   2000
#define ROUNDS 20
#define REPS   5

struct dgram {
	uint16_t len;
	uint8_t b[1400];
};

static struct flow flows[NFLOWS];
static struct dgram pkts[NPKT];

static void
make_flows(int v6_every)
{
	uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	size_t i;

	for (i = 0; i < NFLOWS; i++) {
		struct flow *f = &flows[i];

		memset(f, 0, sizeof(*f));
		if (v6_every && i % (size_t)v6_every == 0) {
			a[12] = (uint8_t)(i >> 8);
			a[15] = (uint8_t)i;
			ft_addr_set_v6(&f->src, a);
			a[14] = 1;
			ft_addr_set_v6(&f->dst, a);
		} else {
			ft_addr_set_v4(&f->src, 0x0a000000u + (uint32_t)i);
			ft_addr_set_v4(&f->dst, 0xc0a80000u + (uint32_t)i * 7);
		}
		f->bytes = 40 + i % 1500;
		f->packets = 1 + i % 9;
		f->first_ms = 1700000000000ull + i;
		f->last_ms = f->first_ms + 500;
		f->sport = (uint16_t)(1024 + i);
		f->dport = 443;
		f->proto = 6;
		f->in_if = 1;
		f->out_if = 2;
		f->direction = 0;
	}
}

/* Encode the flows; returns the number of datagrams, sets *nflows. */
static size_t
encode_all(int version, size_t *nflows, double *secs)
{
	struct nf_encoder_opts o = { .version = version,
		.boot_ms = 1699990000000ull,
		.template_every = 20 };
	struct nf_encoder *e = nf_encoder_new(&o);
	size_t done = 0, np = 0, consumed, skipped, total = 0;
	ssize_t len;
	double t0 = bench_cpu();

	while (done < NFLOWS && np < NPKT) {
		len = nf_encoder_pack(e, flows + done, NFLOWS - done,
		    1700000100000ull, pkts[np].b, sizeof(pkts[np].b), &consumed,
		    &skipped);
		if (len <= 0)
			break;
		pkts[np++].len = (uint16_t)len;
		done += consumed;
		total += consumed - skipped;
	}
	*secs = bench_cpu() - t0;
	*nflows = total;
	nf_encoder_free(e);
	return np;
}

static int
count(void *arg, const struct flow *f)
{
	uint64_t *n = arg;

	*n += 1 + (f->bytes == 0);
	return 0;
}

static void
bench(const char *name, int version, int v6_every)
{
	struct nf_session *s = nf_session_new(NULL);
	struct nf_packet_info info;
	struct sockaddr_in from = { .sin_family = AF_INET };
	double dec[REPS], enc[REPS], t0, esecs;
	size_t np = 0, nflows = 0, i, r, k;
	uint64_t n;

	make_flows(v6_every);
	for (r = 0; r < REPS; r++) {
		np = encode_all(version, &nflows, &esecs);
		enc[r] = (double)nflows / esecs;
	}
	for (r = 0; r < REPS; r++) {
		n = 0;
		t0 = bench_cpu();
		for (k = 0; k < ROUNDS; k++)
			for (i = 0; i < np; i++)
				nf_decode(s, pkts[i].b, pkts[i].len,
				    (struct sockaddr *)&from, 0, count, &n,
				    &info);
		dec[r] = (double)n / (bench_cpu() - t0);
	}
	qsort(dec, REPS, sizeof(double), bench_cmp_double);
	qsort(enc, REPS, sizeof(double), bench_cmp_double);
	printf("%-22s %5zu datagrams %6zu flows  decode %6.1f M flows/s  "
	       "encode %6.1f M flows/s\n",
	    name, np, nflows, dec[REPS / 2] / 1e6, enc[REPS / 2] / 1e6);
	nf_session_free(s);
}

int
main(void)
{
	bench("v5", 5, 0);
	bench("v9 IPv4", 9, 0);
	bench("v9 1/4 IPv6", 9, 4);
	bench("IPFIX IPv4", 10, 0);
	bench("IPFIX 1/4 IPv6", 10, 4);
	return 0;
}
