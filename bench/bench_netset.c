/*
 * Prefix-set lookup speed: lookups per second for netset_lookup() and
 * netset_match_all() on sets of 50 and 10,000 random prefixes, IPv4 and
 * IPv6, over a precomputed array of addresses (most inside some prefix).
 * Prints one line per case: the median of REPS timed passes, timed in
 * thread CPU time so that a busy machine does not count against it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/benchutil.h"
#include "lib/addr.h"
#include "lib/netset.h"

#define NADDR  (1u << 16)
#define ROUNDS 100
#define REPS   5

static uint64_t rng_state = 0x853c49e6748fea9bULL;

static uint64_t
rng(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static void
random_prefix(struct ft_prefix *p, int v6)
{
	uint8_t b[16];
	size_t i;

	if (!v6) {
		ft_addr_set_v4(&p->addr, (uint32_t)rng());
		p->len = (uint8_t)(8 + rng() % 25); /* /8../32 */
	} else {
		for (i = 0; i < 16; i++)
			b[i] = (uint8_t)rng();
		b[0] = 0x20;
		ft_addr_set_v6(&p->addr, b);
		p->len = (uint8_t)(16 + rng() % 49); /* /16../64 */
	}
	addr_mask(&p->addr, p->len);
}

static void
run(size_t nprefix, int v6)
{
	struct netset *ns;
	struct ft_prefix *pre;
	struct ft_addr *addrs;
	uint32_t v, vals[16], sink = 0;
	size_t i, r, hits = 0;
	double t0, t1, rate[REPS];
	int rep;

	if ((ns = netset_new()) == NULL ||
	    (pre = calloc(nprefix, sizeof(*pre))) == NULL ||
	    (addrs = calloc(NADDR, sizeof(*addrs))) == NULL) {
		perror("alloc");
		exit(1);
	}
	for (i = 0; i < nprefix; i++) {
		random_prefix(&pre[i], v6);
		if (netset_add(ns, &pre[i], (uint32_t)i) == -1) {
			perror("netset_add");
			exit(1);
		}
	}
	t0 = bench_thread_cpu();
	if (netset_build(ns) == -1) {
		perror("netset_build");
		exit(1);
	}
	t1 = bench_thread_cpu() - t0;
	/* Three addresses in four lie inside a prefix: traffic of a site. */
	for (i = 0; i < NADDR; i++) {
		addrs[i] = pre[rng() % nprefix].addr;
		if (rng() % 4 == 0) {
			if (v6)
				addrs[i].v6[15] ^= (uint8_t)rng();
			else
				addrs[i].v4 ^= (uint32_t)rng();
		} else if (v6) {
			addrs[i].v6[15] |= (uint8_t)(rng() & 1);
		}
	}
	for (rep = 0; rep < REPS; rep++) {
		t0 = bench_thread_cpu();
		for (r = 0; r < ROUNDS; r++)
			for (i = 0; i < NADDR; i++)
				if (netset_lookup(ns, &addrs[i], &v)) {
					hits++;
					sink += v;
				}
		rate[rep] =
		    (double)ROUNDS * NADDR / (bench_thread_cpu() - t0) / 1e6;
	}
	printf("netset %s %6zu prefixes: lookup    %6.1f M/s (median of %d; "
	       "%.0f%% hit; build %.1f ms)\n",
	    v6 ? "v6" : "v4", nprefix, bench_median(rate, REPS), REPS,
	    100.0 * (double)hits / ((double)REPS * ROUNDS * NADDR), t1 * 1e3);
	for (rep = 0; rep < REPS; rep++) {
		t0 = bench_thread_cpu();
		for (r = 0; r < ROUNDS; r++)
			for (i = 0; i < NADDR; i++)
				sink += (uint32_t)netset_match_all(
				    ns, &addrs[i], vals, 16);
		rate[rep] =
		    (double)ROUNDS * NADDR / (bench_thread_cpu() - t0) / 1e6;
	}
	printf("netset %s %6zu prefixes: match_all %6.1f M/s (median of %d)\n",
	    v6 ? "v6" : "v4", nprefix, bench_median(rate, REPS), REPS);
	if (sink == 42)
		printf("\n"); /* keep the loops */
	netset_free(ns);
	free(pre);
	free(addrs);
}

int
main(void)
{
	run(50, 0);
	run(10000, 0);
	run(50, 1);
	run(10000, 1);
	return 0;
}
