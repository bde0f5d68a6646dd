/*
 * Export of expired flows: batches them, encodes NetFlow v5, v9 or IPFIX
 * datagrams with lib/nfencode and sends each to every collector.
 */
#ifndef FT_SENSOR_EXPORT_H
#define FT_SENSOR_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/errbuf.h"
#include "lib/flow.h"

#define EXPORT_MAX_COLLECTORS 8

struct export;

struct export_opts {
	int version;            /* 5, 9 or 10 */
	const char *collectors; /* "HOST:PORT[,HOST:PORT...]", [v6]:PORT */
	uint32_t sampling;      /* 1-in-N announced; 0/1 none */
	uint32_t domain;        /* source id / observation domain */
	uint64_t boot_ms;       /* sysUptime zero; 0: export_set_boot() or
				   the first flow's start */
	uint32_t template_secs; /* template refresh (0: default 60 s) */
	size_t mtu;             /* datagram size limit (0: 1400) */
	const char *source;     /* numeric address to send from, or NULL */
};

struct export_stats {
	uint64_t flows;     /* flows encoded */
	uint64_t skipped;   /* IPv6 flows v5 cannot carry */
	uint64_t datagrams; /* datagrams encoded */
	uint64_t send_errors;
	uint64_t encode_errors;
};

/*
 * Resolve the collectors and open one connected UDP socket each. NULL
 * with eb filled (naming the bad collector) on failure.
 */
struct export *export_new(const struct export_opts *o, struct errbuf *eb);
void export_free(struct export *x);
/*
 * Set the exporter's boot time (sysUptime zero) if not set yet: in -r
 * mode, the time of the capture's first packet. 0, or -1 with errno.
 */
int export_set_boot(struct export *x, uint64_t boot_ms);

/*
 * Queue one flow; sends a datagram when a batch is full, stamped with
 * now_ms (the capture time in -r mode). Never fails: send errors are
 * counted and logged at most once a minute.
 */
void export_flow(struct export *x, const struct flow *f, uint64_t now_ms);
/* Send everything queued. */
void export_flush(struct export *x, uint64_t now_ms);
/*
 * Send what is queued once the oldest queued flow has waited
 * EXPORT_MAX_WAIT_MS (of capture time), so each export datagram is stamped
 * close to its flows' expiry: a collector binning by export time then
 * files them in the right interval. Call at least once a second.
 */
void export_tick(struct export *x, uint64_t now_ms);
#define EXPORT_MAX_WAIT_MS 1000
void export_get_stats(const struct export *x, struct export_stats *st);

/*
 * Split "HOST:PORT" or "[V6]:PORT" in place-independent form: copies the
 * host into host (hostlen bytes) and the port into port (portlen).
 * Returns 0 or -1.
 */
int export_split_hostport(
    const char *s, char *host, size_t hostlen, char *port, size_t portlen);

#endif
