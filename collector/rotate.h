/*
 * The open flow file and its interval: which interval a datagram belongs
 * to (by arrival or by export time), when the open file is due, publishing
 * it by rename, and running the post-rotate command on the published path.
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
 * export_ms (when the exporter gave one). When a file is open and the
 * datagram's interval is older than it (late data), the open file's
 * interval, and *late is set.
 */
uint64_t rotate_pick(const struct rotate *r, uint64_t arrival_ms,
    uint64_t export_ms, bool *late);

/* Whether a file is open, and its interval start. */
bool rotate_is_open(const struct rotate *r, uint64_t *start);

/*
 * Whether the open file must be published before anything for interval
 * bin is written (bin is later than the open file).
 */
bool rotate_must_publish(const struct rotate *r, uint64_t bin);

/*
 * Whether the open file is due by the clock: by arrival time, now_ms has
 * passed its end; by export time, nothing was written for an interval of
 * monotonic time (mono_ms).
 */
bool rotate_due(const struct rotate *r, uint64_t now_ms, uint64_t mono_ms);

/*
 * Write n flows into the file of interval bin, opening it when no file is
 * open. The caller publishes first when rotate_must_publish(). 0 or -1
 * (errno).
 */
int rotate_write(struct rotate *r, uint64_t bin, const struct flow *f, size_t n,
    uint64_t mono_ms);

/* Open the file of interval bin now if none is open (empty intervals get a
 * file too). 0 or -1 (errno). */
int rotate_open(struct rotate *r, uint64_t bin, uint64_t mono_ms);

/*
 * Publish the open file with the exporter counters, and start the
 * post-rotate command. path (len bytes, may be NULL) gets the final path.
 * Returns 1 when a file was published, 0 when none was open, -1 on error
 * (errno; the file is lost and the error must be logged).
 */
int rotate_publish(struct rotate *r, const struct flowfile_exporter *exp,
    size_t n_exp, char *path, size_t len);

/* Reap finished post-rotate commands (never blocks). */
void rotate_reap(struct rotate *r);

/* Records written into the open file so far. */
uint64_t rotate_records(const struct rotate *r);

#endif
