/*
 * Per-interval table of inside hosts: what each local address received from
 * outside (in) and sent to outside (out), in bytes, packets and flows. The
 * scanner's classifier fills it for every in/out flow; the scoreboard ranks
 * it at the end of each file. Memory is bounded by the limit given at
 * creation; hosts beyond it are counted in an overflow total, not dropped
 * silently.
 */
#ifndef FT_HOSTTAB_H
#define FT_HOSTTAB_H

#include <stddef.h>
#include <stdint.h>

#include "lib/flow.h"

#define HOST_IN  0
#define HOST_OUT 1

struct host_counts {
	uint64_t bytes[2]; /* [HOST_IN], [HOST_OUT] */
	uint64_t pkts[2];
	uint64_t flows[2];
};

struct host_entry {
	struct ft_addr addr;
	struct host_counts c;
};

/* One add: host (borrowed until the call returns), direction, counters. */
struct host_op {
	const struct ft_addr *host;
	int dir; /* HOST_IN or HOST_OUT */
	uint64_t bytes, pkts, flows;
};

struct hosttab;

/* A table for at most max_hosts hosts, or NULL with errno set. */
struct hosttab *hosttab_new(size_t max_hosts);
void hosttab_free(struct hosttab *t);
/* Forget every host (start of a new file). Allocates nothing. */
void hosttab_reset(struct hosttab *t);
/*
 * Add a flow's counters to host in direction dir (HOST_IN or HOST_OUT).
 * Allocation-free. When the table is full and host is new, the counters go
 * to the overflow entry (hosttab_overflow()), as do those of a host that is
 * not an address (no family).
 */
void hosttab_add(struct hosttab *t, const struct ft_addr *host, int dir,
    uint64_t bytes, uint64_t pkts, uint64_t flows);
/*
 * Apply ops[0..n) in order, as n hosttab_add() calls, with each op's slot
 * prefetched a few ops ahead so that cache misses overlap.
 */
void hosttab_add_batch(struct hosttab *t, const struct host_op *ops, size_t n);
/* Number of distinct hosts held. */
size_t hosttab_count(const struct hosttab *t);
/* The i-th entry, 0 <= i < hosttab_count() (unordered), or NULL. */
const struct host_entry *hosttab_entry(const struct hosttab *t, size_t i);
typedef void hosttab_fn(void *ctx, const struct host_entry *e);
/* Call fn for every host, in no particular order (fastest for ranking). */
void hosttab_foreach(const struct hosttab *t, hosttab_fn *fn, void *ctx);
/* Counters of hosts that did not fit. */
const struct host_counts *hosttab_overflow(const struct hosttab *t);
/* The entry for host, or NULL. */
const struct host_entry *hosttab_find(
    const struct hosttab *t, const struct ft_addr *host);

#endif
