/*
 * One configured scanner: the vocabulary, lookup tables, counters, RRD
 * output, scoreboard and spool built from a parsed configuration, and the
 * work of one pass: every pending flow file, oldest first, classified,
 * written to the RRDs and the scoreboard, recorded and archived, with one
 * log line per file.
 */
#ifndef FT_SCANNER_SCAN_H
#define FT_SCANNER_SCAN_H

#include <signal.h>
#include <stdint.h>

#include <confuse.h>

#include "lib/errbuf.h"
#include "scanner/aggregate.h"
#include "scanner/classify.h"
#include "scanner/rrdout.h"
#include "scanner/spool.h"
#include "scanner/vocab.h"

/*
 * Flows read and classified per batch: 512 flows (74 KiB) stay in the L2
 * cache between being decoded and being counted, where a whole block of
 * 4096 (590 KiB) went out to L3 and back (cachegrind: 2.3 fewer L2 misses
 * a flow).
 */
#define SCAN_BATCH 512

struct board;
struct hosttab;

struct scan {
	struct vocab v;
	struct cls c;
	struct agg a;
	struct rrdout o;
	struct spool sp;
	struct board *board;
	struct hosttab *ht;
	uint32_t interval;
	struct flow *buf; /* read buffer */
};

/* What one file gave. */
struct scan_result {
	uint64_t start, end;
	struct agg_stats st;
	struct rrdout_stats rrd;
	uint64_t lost;     /* records in damaged blocks */
	unsigned problems; /* damaged blocks, RRD or scoreboard failures */
	double seconds;
};

/*
 * The scanner section's own settings, checked: interval (10..86400 s) and
 * archive. 0, or -1 with eb naming the file, the option and the value.
 */
int scan_settings(cfg_t *cfg, uint32_t *interval, enum spool_archive *arch,
    struct errbuf *eb);
/*
 * Build everything from cfg (the whole configuration, borrowed for the
 * call). All or nothing: 0, or -1 with eb set.
 */
int scan_init(struct scan *s, cfg_t *cfg, struct errbuf *eb);
void scan_clear(struct scan *s);
/*
 * Process one flow file (not the ledger or archive). Returns 0 with *res
 * filled, or -1 with eb set when the file cannot be read at all.
 */
int scan_file(struct scan *s, const char *path, struct scan_result *res,
    struct errbuf *eb);
/*
 * Process every pending file, oldest first, until done or *quit becomes
 * non-zero (checked between files). Returns the number of files
 * processed, or -1 when the spool cannot be listed.
 */
int scan_pass(struct scan *s, volatile const sig_atomic_t *quit);

#endif
