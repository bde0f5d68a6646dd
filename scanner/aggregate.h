/*
 * Per-file aggregation: classifies each flow with the compiled tables
 * (direction, sampling, multicast, internal and transit) and counts it in
 * dense counter rows, one row per RRD, six counters per row in DS order
 * (in/out bytes, in/out packets, in/out flows), through per-kind cells
 * folded into the rows when they are read. No allocation per flow.
 */
#ifndef FT_SCANNER_AGGREGATE_H
#define FT_SCANNER_AGGREGATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/flow.h"
#include "scanner/classify.h"
#include "scanner/hosttab.h"

#define AGG_IN  0
#define AGG_OUT 1

/* Counter k of row r: rows[r * AGG_NCOUNT + k]. */
#define AGG_NCOUNT    6
#define AGG_IN_BYTES  0
#define AGG_OUT_BYTES 1
#define AGG_IN_PKTS   2
#define AGG_OUT_PKTS  3
#define AGG_IN_FLOWS  4
#define AGG_OUT_FLOWS 5
/* A pending cell: the AGG_NCOUNT counters padded to one cache line. */
#define AGG_CELL 8

/*
 * Called with the inside host of in/out flows (the scoreboard), in flow
 * order, in batches; the hosts point into the flows given to agg_flows().
 */
typedef void agg_host_fn(void *ctx, const struct host_op *ops, size_t n);

/* Host ops held before agg_host_fn is called. */
#define AGG_HOPS 256

struct agg_stats {
	uint64_t flows;            /* records seen */
	uint64_t hits;             /* in, out or multicast */
	uint64_t internal;         /* both ends inside */
	uint64_t transit;          /* neither end inside */
	uint64_t multicast;        /* among hits */
	uint64_t no_router;        /* exporter not configured as a router */
	uint64_t sampling_unknown; /* sampled at an unknown rate, no override */
};

struct agg {
	const struct cls *cls; /* borrowed */
	uint64_t *rows; /* cls->n_rows * AGG_NCOUNT, current after agg_rows() */
	/*
	 * Pending cells (classify.h): (1 + n_routers) slots of
	 * cls->cells.n, then cls->site_cells.n site cells; AGG_NCOUNT
	 * counters each, AGG_CELL apart. pending: some cell is not folded into
	 * rows yet.
	 */
	uint64_t *cells;
	uint64_t *site_cells;
	bool pending;
	struct agg_stats st;
	agg_host_fn *host_fn;
	void *host_ctx;
	/* Last exporter seen, its router (or CLS_NONE) and slot. */
	struct ft_addr last_exp;
	uint32_t last_router;
	uint64_t *last_cells; /* its slot's cells */
	struct host_op hops[AGG_HOPS];
	size_t nhops;
};

/* Allocate the counters for c (borrowed): 0, or -1 with errno set. */
int agg_init(struct agg *a, const struct cls *c);
void agg_clear(struct agg *a);
/* Zero every counter and statistic (start of a file). */
void agg_reset(struct agg *a);
/* Classify and count one flow. */
void agg_flow(struct agg *a, const struct flow *f);
/*
 * Classify and count f[0..n), as n agg_flow() calls; the host callback gets
 * them in batches before this returns.
 */
void agg_flows(struct agg *a, const struct flow *f, size_t n);

/*
 * The counter rows (cls->n_rows * AGG_NCOUNT), every flow given so far
 * included: folds the pending cells first. Valid until the next agg_flows()
 * or agg_reset().
 */
const uint64_t *agg_rows(struct agg *a);

/* Counters of one row, as agg_rows(). */
static inline const uint64_t *
agg_row(struct agg *a, uint32_t row)
{
	return agg_rows(a) + (size_t)row * AGG_NCOUNT;
}

#endif
