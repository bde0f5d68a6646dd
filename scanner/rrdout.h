/*
 * RRD output: one RRD per counter row (names derived from the vocabulary's
 * labels), created on first use and updated once per flow file, stamped at
 * the interval's end. Writes go straight through librrd (in a writer
 * process that a crash of the scanner does not interrupt) or, batched,
 * through rrdcached. Re-applying a file is harmless: an RRD refuses an
 * update at or before its last update, and that refusal is counted as
 * "already applied".
 */
#ifndef FT_SCANNER_RRDOUT_H
#define FT_SCANNER_RRDOUT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/errbuf.h"
#include "scanner/classify.h"
#include "scanner/vocab.h"

struct rrdout_target {
	char *rel;     /* "total.rrd", "r1/protocol_tcp.rrd" */
	uint32_t row;  /* counter row */
	uint64_t last; /* last update known to us; 0 = ask the RRD */
};

struct rrdout_stats {
	size_t updated; /* RRDs updated with this file's values */
	size_t created;
	size_t already; /* already held this interval (re-run after a crash) */
	size_t stale;   /* held a later interval: update refused */
	size_t errors;
};

struct rrdout {
	char *dir;
	char *daemon; /* NULL: librrd directly */
	uint32_t step;
	int fork_writer;    /* direct mode: write in a child process */
	int child_close_fd; /* closed in the writer child (-1: none) */
	struct rrdout_target *t;
	size_t n;
};

/*
 * Set up output into dir, through daemon ("unix:/path", "/path",
 * "host:port" or "host"; NULL or "" for direct librrd) with the given step
 * (the scan interval). Returns 0, or -1 with eb set.
 */
int rrdout_init(struct rrdout *o, const char *dir, const char *daemon,
    uint32_t step, struct errbuf *eb);
void rrdout_clear(struct rrdout *o);
/*
 * Derive the RRD list from the vocabulary and the counter layout; fails
 * when two objects would share a file name. Returns 0, or -1 with eb set.
 */
int rrdout_set_targets(struct rrdout *o, const struct vocab *v,
    const struct cls *c, struct errbuf *eb);
/*
 * Write the counters rows (AGG_NCOUNT per row) of the interval
 * [start, end) into every target: create missing RRDs (starting at
 * start), mark a gap before start as unknown, update at end. Failures of
 * single RRDs are logged and counted in st->errors. Returns 0, or -1 when
 * nothing could be written (no daemon, no writer process).
 */
int rrdout_write(struct rrdout *o, const uint64_t *rows, uint64_t start,
    uint64_t end, struct rrdout_stats *st);
#endif
