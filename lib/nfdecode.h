/*
 * NetFlow v5, v9 and IPFIX decoding into struct flow. One nf_session holds
 * the state of every exporter seen: templates and options templates keyed
 * by (exporter address and port, source id / observation domain, template
 * id), learned sampling rates, and data held back until its template comes.
 * Its memory is bounded by the limits given to nf_session_new().
 *
 * Decoded flows carry the counters as received (unscaled) and the sampling
 * rate the exporter announced in flow.sampling: 1 when it announced none,
 * 0 when it references a sampler whose rate is unknown. Applying the rate
 * (and config overrides) is the caller's job. Rates come from the v5
 * header; from options data (samplingInterval 34, samplerRandomInterval
 * 50, samplingPacketInterval/Space 305/306, samplingSize/Population
 * 309/310), per sampler id (48, 302) when the record names one, else the
 * exporter's rate announced without an id, else its only sampler's rate;
 * or from those fields in the data record itself.
 *
 * Times: v5/v9 sysUptime-relative times are export time - (sysUptime -
 * t), the difference taken as a signed 32-bit number of ms: a flow that
 * started before an uptime wrap lands just before it, and a First a few ms
 * past sysUptime is read as in the future, not 49.7 days later (Logstash
 * reads it the other way). IPFIX: flowStart/End Seconds, Milliseconds,
 * Microseconds and Nanoseconds (NTP), SysUpTime (21/22, with the options'
 * systemInitTimeMilliseconds; export time when that is unknown), Delta
 * Microseconds (before export time) and flowDuration Milliseconds or
 * Microseconds for a missing end. A flow with no time gets the export
 * time. first_ms is never after last_ms.
 *
 * Addresses: a record carrying both IPv4 and IPv6 fields gives the family
 * whose address is not zero; a record with neither has FT_AF_NONE
 * addresses (NSEL events, layer-2 records). A zero next hop is FT_AF_NONE.
 */
#ifndef FT_NFDECODE_H
#define FT_NFDECODE_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#include "lib/flow.h"

enum nf_err {
	NF_OK = 0,
	NF_ERR_SHORT = -1,    /* shorter than its header */
	NF_ERR_VERSION = -2,  /* not 5, 9 or 10 */
	NF_ERR_COUNT = -3,    /* v5 count > 30 or zero */
	NF_ERR_LENGTH = -4,   /* length field disagrees with the datagram */
	NF_ERR_FLOWSET = -5,  /* a flowset/set header is malformed */
	NF_ERR_TEMPLATE = -6, /* a template is malformed */
	NF_ERR_MEMORY = -7,   /* a state limit was hit */
};
#define NF_NERR 8

/* What one datagram was, for the caller's per-exporter accounting. */
struct nf_packet_info {
	uint16_t version;
	uint32_t domain; /* v9 source id, IPFIX domain, v5 engine type<<8|id */
	uint32_t sequence; /* the header's sequence number */
	uint32_t
	    seq_flows; /* v5: records in this packet (sequence counts flows) */
	uint64_t export_ms;  /* export time from the header, ms UTC */
	uint32_t sys_uptime; /* v5/v9 header sysUptime, ms */
	uint32_t records;    /* data records emitted now (released ones too) */
	uint32_t held;       /* data sets held waiting for a template */
	uint32_t released;   /* of records: held ones this packet's templates
				released */
	uint32_t templates;  /* templates and options templates learned */
	uint32_t skipped;  /* records skipped (unknown template dropped etc.) */
	uint32_t sampling; /* the rate in the v5 header, 0 if none */
	uint32_t options;  /* options data records decoded (not emitted) */
	uint32_t withdrawn; /* templates withdrawn */
	uint32_t trailing;  /* v5: bytes after the last record, ignored */
	uint32_t released_options; /* of options: held ones released now */
};

/* Session-wide state counters (nf_session_stats()). */
struct nf_session_stats {
	uint64_t templates;          /* templates cached now */
	uint64_t templates_evicted;  /* dropped to stay under max_templates */
	uint64_t templates_rejected; /* malformed templates refused */
	uint64_t exporters;          /* exporters (addr, port, domain) now */
	uint64_t exporters_evicted;
	uint64_t held_sets;    /* data sets held now */
	uint64_t held_bytes;   /* their bytes */
	uint64_t held_dropped; /* held sets dropped (limit, no template,
				  consumer stopped) */
};

struct nf_session;

/* Limits: 0 picks a default (4096 templates, 1 MiB held, 1024 exporters). */
struct nf_limits {
	size_t max_templates;  /* templates over all exporters */
	size_t max_held_bytes; /* data held waiting for templates */
	size_t max_exporters;
};

/* A new session, or NULL with errno set. */
struct nf_session *nf_session_new(const struct nf_limits *lim);
void nf_session_free(struct nf_session *s);
/* Copy the session's counters into st. */
void nf_session_stats(const struct nf_session *s, struct nf_session_stats *st);

/*
 * Optional, for tests and debugging: called with the template id for each
 * options data record decoded (those are never emitted as flows).
 */
typedef void nf_options_fn(void *arg, uint16_t tid);
void nf_session_set_options_fn(
    struct nf_session *s, nf_options_fn *fn, void *arg);

/*
 * Called once per decoded flow record. The flow is borrowed for the call.
 * Return 0 to go on, -1 to stop decoding this datagram.
 */
typedef int nf_emit_fn(void *arg, const struct flow *f);

/*
 * Decode one datagram from the exporter at from, received at arrival_ms
 * (ms UTC; not used by the decoder today). Each flow gets exporter = the
 * source address. Returns NF_OK or an nf_err; on error, records emitted
 * before the fault stay emitted and info says how far it got. A malformed
 * template is skipped (NF_ERR_TEMPLATE) and the following flowsets are
 * still decoded. Data sets whose template is unknown are held (info.held)
 * and decoded, with their own datagram's times, when the template comes:
 * their flows are emitted then, counted in that call's records and
 * released.
 */
int nf_decode(struct nf_session *s, const uint8_t *pkt, size_t len,
    const struct sockaddr *from, uint64_t arrival_ms, nf_emit_fn *emit,
    void *arg, struct nf_packet_info *info);
const char *nf_strerror(int err);

/*
 * Save the templates of every exporter to path (atomically) and load them
 * back: so data right after a restart decodes at once. 0 or -1 (errno).
 */
int nf_session_save(const struct nf_session *s, const char *path);
int nf_session_load(struct nf_session *s, const char *path);

#endif
