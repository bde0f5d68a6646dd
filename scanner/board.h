/*
 * Top-talker scoreboards: once per processed flow file, rank the interval's
 * inside hosts (scanner/hosttab.h) and write the current page, a dated
 * history page, the history index and the long-term aggregate score, each as
 * HTML with a JSON copy beside it. Reverse DNS, when enabled, runs in a
 * resolver thread of its own, so the caller never waits on a slow resolver.
 */
#ifndef FT_BOARD_H
#define FT_BOARD_H

#include <stddef.h>
#include <stdint.h>

#include <confuse.h>

#include "lib/errbuf.h"
#include "scanner/hosttab.h"

/*
 * The interval's global totals per direction ([HOST_IN], [HOST_OUT]), the
 * denominators of the "% of total" figures: every in/out flow the scanner
 * counted for the interval, multicast INCLUDED (as CUFlow), so the shares of
 * the listed hosts may add up to less than 100.
 */
struct board_totals {
	uint64_t bytes[2];
	uint64_t pkts[2];
	uint64_t flows[2];
};

struct board;

/*
 * A scoreboard configured by cfg, the WHOLE parsed configuration (the
 * object reads "scanner { scoreboard { } }" and the top-level "network"
 * sections, whose prefixes label hosts and link to their graphs). cfgname
 * is the configuration file's name, used in messages.
 *
 * Returns the board, or NULL with eb filled (bad option value, unreadable
 * aggregate state file, no memory). A disabled scoreboard (top = 0) is
 * still returned: board_enabled() then says 0 and board_interval() does
 * nothing. Loading a corrupt aggregate state file is NOT an error: it is
 * logged with its path, renamed aside and a fresh state is started.
 * Starts the resolver thread when reverse DNS is enabled.
 */
struct board *board_new(cfg_t *cfg, const char *cfgname, struct errbuf *eb);

/* Whether the scoreboard writes anything (top > 0). */
int board_enabled(const struct board *b);

/*
 * The host limit the caller should give hosttab_new() ("max_hosts"); hosts
 * beyond it are counted in the table's overflow entry, not ranked.
 */
size_t board_max_hosts(const struct board *b);

/*
 * Rank and publish one interval: t holds the interval's inside hosts,
 * totals its global totals, start and end its real bounds in seconds since
 * the epoch, UTC (rates divide by end - start; an empty or inverted
 * interval counts as 1 s). Call once per processed flow file, in time
 * order, from one thread; t is only read and may be reset once this
 * returns.
 *
 * Writes, each atomically: the current page (HTML + JSON), the history
 * page for start (when history is on) and the history index, the aggregate
 * page and its state file (when aggregate > 0). Waits at most rdns_wait
 * milliseconds for names still being resolved; names that arrive later are
 * used from the cache in later intervals.
 *
 * Returns 0, or -1 with eb naming the path that failed; the board stays
 * usable and the caller should log and carry on (the flow file's RRD work
 * is not affected).
 */
int board_interval(struct board *b, const struct hosttab *t,
    const struct board_totals *totals, uint64_t start, uint64_t end,
    struct errbuf *eb);

/* Stop the resolver thread and free everything; NULL is allowed. */
void board_free(struct board *b);

#endif
