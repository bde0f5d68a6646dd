/*
 * The sensor's flow table: unidirectional flows keyed by struct pkt_key,
 * in a pool and hash allocated once, with per-protocol idle timeouts, an
 * active timeout and a flow limit enforced by expiring the least recently
 * seen flow. Time is always passed in (packet timestamps), never read.
 */
#ifndef FT_SENSOR_FLOWTABLE_H
#define FT_SENSOR_FLOWTABLE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/flow.h"
#include "sensor/pktparse.h"

/* Timeout classes: the idle timeout that applies to a flow. */
enum flowtable_tmo {
	FLOWTABLE_TMO_TCP = 0,
	FLOWTABLE_TMO_TCP_FIN, /* TCP after a FIN or RST was seen */
	FLOWTABLE_TMO_UDP,
	FLOWTABLE_TMO_ICMP,
	FLOWTABLE_TMO_OTHER,
	FLOWTABLE_TMO_ACTIVE, /* flows longer than this are cut */
};
#define FLOWTABLE_NTMO 6

/* Why a flow left the table. */
enum flowtable_why {
	FLOWTABLE_IDLE = 0,
	FLOWTABLE_ACTIVE,
	FLOWTABLE_EVICTED, /* the table was full */
	FLOWTABLE_FORCED,  /* expire-all, shutdown, end of file */
};
#define FLOWTABLE_NWHY 4

/* Defaults in seconds, and the default flow limit. */
#define FLOWTABLE_DEF_TCP      3600
#define FLOWTABLE_DEF_TCP_FIN  300
#define FLOWTABLE_DEF_UDP      300
#define FLOWTABLE_DEF_ICMP     300
#define FLOWTABLE_DEF_OTHER    300
#define FLOWTABLE_DEF_ACTIVE   300
#define FLOWTABLE_DEF_MAXFLOWS 65536

struct flowtable;

/* Counters, monotonic since creation. */
struct flowtable_stats {
	uint64_t packets; /* packets added */
	uint64_t bytes;   /* bytes added */
	uint64_t created; /* flows created */
	uint64_t expired[FLOWTABLE_NWHY];
	uint64_t active; /* flows in the table now */
	uint64_t max;    /* the flow limit */
};

/*
 * Called for each flow leaving the table; the flow is borrowed for the
 * call. The callback must not call back into the table.
 */
typedef void flowtable_expire_fn(
    void *arg, const struct flow *f, enum flowtable_why why);

/*
 * A table for at most maxflows flows (>= 1), all memory allocated now.
 * timeouts[] gives seconds per enum flowtable_tmo (NULL: the defaults);
 * keep them under 12 days. Counters are 32-bit per flow: a flow about to
 * overflow one is exported (FLOWTABLE_ACTIVE) and restarted.
 * Returns NULL with errno set.
 */
struct flowtable *flowtable_new(size_t maxflows, const uint32_t *timeouts,
    flowtable_expire_fn *cb, void *arg);
void flowtable_free(struct flowtable *ft);

/* Name of a timeout class ("tcp", "tcp.rst", "udp", "icmp", "general",
 * "maxlife", as softflowd names them); -1 if name is unknown. */
int flowtable_tmo_lookup(const char *name);
const char *flowtable_tmo_name(enum flowtable_tmo t);
const char *flowtable_why_name(enum flowtable_why w);

/*
 * Account one packet seen at now_ms. A flow whose timeouts ran out before
 * now_ms is expired first and a new one started; when the table is full
 * the least recently seen flow is expired (FLOWTABLE_EVICTED). Never
 * allocates.
 */
void flowtable_add(
    struct flowtable *ft, const struct pkt_info *pi, uint64_t now_ms);

/*
 * The same for n packets in order (pi[i] seen at now[i]), prefetching the
 * table memory of a batch of FLOWTABLE_BATCH packets at a time.
 */
#define FLOWTABLE_BATCH 32
void flowtable_add_batch(struct flowtable *ft, const struct pkt_info *pi,
    const uint64_t *now, size_t n);

/* Expire every flow whose idle or active timeout ran out by now_ms.
 * Returns the number expired. */
size_t flowtable_expire(struct flowtable *ft, uint64_t now_ms);

/* Expire every flow (FLOWTABLE_FORCED), oldest first. Returns the count. */
size_t flowtable_expire_all(struct flowtable *ft);

/* Visit every active flow (without removing it), for a dump. */
typedef void flowtable_visit_fn(void *arg, const struct flow *f);
void flowtable_walk(struct flowtable *ft, flowtable_visit_fn *fn, void *arg);

void flowtable_get_stats(
    const struct flowtable *ft, struct flowtable_stats *st);

#endif
