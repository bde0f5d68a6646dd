/*
 * The open flow file and its interval: which interval a datagram belongs
 * to (by arrival or by export time), when the open file is due, publishing
 * it by rename, and running the post-rotate command on the published path.
 * With export-time binning and a grace window, the previous interval's file
 * stays open too (the "grace file") for exporters lagging behind; files are
 * always published oldest first.
 */
#ifndef FT_COLLECTOR_ROTATE_H
#define FT_COLLECTOR_ROTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/flow.h"
#include "lib/flowfile.h"

struct rotate_opts {
	const char *dir;      /* output directory (copied) */
	uint64_t interval;    /* seconds, > 0 */
	int nest;             /* 0 or 3 */
	bool export_time;     /* bin by the export packet's time */
	const char *post_cmd; /* run with the path as $1; NULL for none */
	uint64_t late_grace;  /* export_time: seconds the previous interval's
				 file stays open for lagging exporters; 0 off */
	struct flowfile_opts ff;
};

struct rotate;

/* A rotator, or NULL with errno set. No file is open yet. */
struct rotate *rotate_new(const struct rotate_opts *o);
/* Abort any open file (nothing is published) and free. */
void rotate_free(struct rotate *r);
/* Change the post-rotate command (NULL: none). 0 or -1. */
int rotate_set_post_cmd(struct rotate *r, const char *cmd);

/* The start (seconds) of the interval of length interval holding t_ms. */
uint64_t rotate_bin(uint64_t t_ms, uint64_t interval);

/*
 * The interval a datagram goes to: by arrival_ms, or with export_time by
 * export_ms (when the exporter gave one). The grace file's interval takes
 * its own data. Data older than every open file (late) goes to the oldest
 * open one, data between the grace file and the current one to the
 * current one, and *late is set for both.
 */
uint64_t rotate_pick(const struct rotate *r, uint64_t arrival_ms,
    uint64_t export_ms, bool *late);

/* Whether a file is open, and its interval start. */
bool rotate_is_open(const struct rotate *r, uint64_t *start);

/*
 * Whether a file must be published (rotate_publish(): the oldest) before
 * anything for interval bin is written: bin is later than the current
 * file and, with a grace window, a grace file is still open (the current
 * file then becomes the grace file when bin is written).
 */
bool rotate_must_publish(const struct rotate *r, uint64_t bin);

/* Whether the grace file is open, and its interval start. */
bool rotate_grace_open(const struct rotate *r, uint64_t *start);
/* Whether the grace file's window (late_grace of mono_ms since the
 * current file took over) is over: it is then to be published. */
bool rotate_grace_due(const struct rotate *r, uint64_t mono_ms);

/*
 * Whether the open file is due by the clock: by arrival time, now_ms has
 * passed its end; by export time, nothing was written for an interval of
 * monotonic time (mono_ms).
 */
bool rotate_due(const struct rotate *r, uint64_t now_ms, uint64_t mono_ms);

/*
 * Write n flows into the file of interval bin (as rotate_pick() gave it),
 * opening it when no file is open; a bin later than the current file's
 * makes the current file the grace file (with a grace window). The caller
 * publishes first when rotate_must_publish(). 0 or -1 (errno).
 */
int rotate_write(struct rotate *r, uint64_t bin, const struct flow *f, size_t n,
    uint64_t mono_ms);

/* Open the file of interval bin now if none is open (empty intervals get a
 * file too). 0 or -1 (errno). */
int rotate_open(struct rotate *r, uint64_t bin, uint64_t mono_ms);

/*
 * Publish the oldest open file (the grace file if open, else the current
 * one) with the exporter counters, and start the post-rotate command. path
 * (len bytes, may be NULL) gets the final path. Returns 1 when a file was
 * published, 0 when none was open, -1 on error (errno; the file is lost
 * and the error must be logged).
 */
int rotate_publish(struct rotate *r, const struct flowfile_exporter *exp,
    size_t n_exp, char *path, size_t len);

/* Reap finished post-rotate commands (never blocks). */
void rotate_reap(struct rotate *r);

/* Records written into the open file so far. */
uint64_t rotate_records(const struct rotate *r);

#endif
