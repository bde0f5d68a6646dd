/*
 * The decode/writer side of the collector: takes datagrams from the ring,
 * checks the allow-list, decodes them, applies sampling, accounts per
 * exporter and writes the flows into the rotating files (compression
 * happens here, never on the receive thread). Also owns the per-interval
 * log lines, the stats file, template persistence and expiry.
 */
#ifndef FT_COLLECTOR_COLLECT_H
#define FT_COLLECTOR_COLLECT_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "collector/cconf.h"
#include "collector/exporter.h"
#include "collector/listener.h"
#include "collector/ring.h"
#include "collector/rotate.h"
#include "lib/nfdecode.h"

struct collect;

/*
 * A collector over the already bound listener (borrowed) with settings c
 * (borrowed; must outlive it unless replaced by collect_reconfigure()).
 * Loads saved templates. NULL with errno set.
 */
struct collect *collect_new(const struct cconf *c, struct listener *l);
/* Publish nothing, stop the listener, free. */
void collect_free(struct collect *co);

/* Start receiving (the listener thread). 0 or -1 (errno). */
int collect_start(struct collect *co);

/*
 * Decode every datagram waiting in the ring (at most max; 0: all) and
 * publish files that are due. Returns the number of datagrams handled.
 */
size_t collect_drain(struct collect *co, size_t max);

/*
 * Run until daemon_quit: drain, rotate when due, wait for datagrams with
 * ppoll() under sigmask (signals arrive only while waiting), and handle
 * daemon_reload (reload_fn is called to get new settings; NULL keeps
 * them) and daemon_usr1 (stats file). On quit: stop receiving, drain the
 * ring, publish the open file and save templates. Returns 0 or -1.
 */
typedef const struct cconf *collect_reload_fn(void *arg);
int collect_run(struct collect *co, const sigset_t *sigmask,
    collect_reload_fn *reload_fn, void *arg);

/* Apply new settings: allow-list, overrides, post-rotate command and
 * expiry (the caller keeps the file layout unchanged). */
int collect_reconfigure(struct collect *co, const struct cconf *c);

/* Publish the open file now (with its counters and the per-interval log
 * lines), save templates, run expiry, write stats: 0 or -1. */
int collect_rotate(struct collect *co);

/* Rewrite the stats file now: 0 or -1 (errno). */
int collect_write_stats(struct collect *co);

/*
 * Serve the control socket listening on fd (from ctlsock_listen(); taken
 * over, closed and path removed by collect_free()) from collect_run().
 * 0 or -1 (errno).
 */
int collect_set_control(struct collect *co, int fd, const char *path);

/*
 * Answer one control command line into out: "stats", "stats json",
 * "rotate", "help". 0, or -1 for an unknown command (answered with an
 * error line).
 */
int collect_command(void *arg, const char *cmd, FILE *out);

#endif
