/*
 * Per-exporter state of the collector: the allow-list, sampling overrides,
 * sequence tracking per (address, port, version, domain) turned into lost
 * flows and resets, malformed packets by reason and clock skew. Counters
 * are kept for the current file's interval and since start.
 */
#ifndef FT_COLLECTOR_EXPORTER_H
#define FT_COLLECTOR_EXPORTER_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/flow.h"
#include "lib/flowfile.h"
#include "lib/nfdecode.h"

/* A configured sampling rate for the exporters in prefix. */
struct exporter_override {
	struct ft_prefix prefix;
	uint32_t rate;
	bool force; /* also over a rate the exporter announces */
};

/* What the collector is told about exporters (from the config). */
struct exporter_policy {
	const struct ft_prefix *allow; /* none: every exporter is allowed */
	size_t n_allow;
	const struct exporter_override *overrides;
	size_t n_overrides;
};

/* Sequence gaps larger than this (or going backwards further than
 * EXPORTER_LATE_WINDOW) are an exporter restart, not loss. */
#define EXPORTER_RESET_GAP   (1u << 24)
#define EXPORTER_LATE_WINDOW (1u << 16)
/* This many consecutive "late" packets in sequence are a restart. */
#define EXPORTER_RESTART_RUN 3

/*
 * How an exporter's sequence counts: RFC 3954/7011 (records before this
 * message) or inclusive (records up to and including it, as softflowd's
 * IPFIX does); learned from the stream.
 */
#define EXPORTER_SEQ_UNKNOWN   0
#define EXPORTER_SEQ_RFC       1
#define EXPORTER_SEQ_INCLUSIVE 2

/* Counters of one exporter stream. */
struct exporter_counters {
	uint64_t packets;
	uint64_t flows;
	uint64_t lost_flows;
	uint64_t lost_packets; /* v9: packets missing by sequence */
	uint64_t late_packets; /* arrived behind the sequence */
	uint64_t resets;
	uint64_t templates;
	uint64_t malformed;
	uint64_t malformed_by[NF_NERR]; /* by -nf_err */
	uint64_t unknown_sampling;      /* flows with an unknown rate */
};

struct exporter {
	struct ft_addr addr;
	uint16_t port;
	uint16_t version;
	uint32_t domain;
	uint32_t sampling; /* last applied rate (0 unknown) */
	uint32_t flags;    /* FLOWFILE_EXP_* of the last flow */
	int64_t clock_skew_ms;
	uint64_t first_seen_ms;
	uint64_t last_seen_ms;
	/* sequence tracking */
	bool seq_valid;
	uint32_t seq_next;
	uint32_t last_uptime;
	uint32_t seq_prev;  /* the last sequence number */
	uint32_t step_prev; /* and the records of its message */
	uint8_t seq_mode;   /* EXPORTER_SEQ_* */
	uint32_t late_next; /* next sequence of a run of late packets */
	uint32_t late_run;
	/* configured rate for this exporter, 0 none */
	uint32_t ov_rate;
	bool ov_force;
	struct exporter_counters cur;   /* since the last file */
	struct exporter_counters total; /* since start */
	struct exporter *hnext;
};

struct exporter_table;

/* A table holding at most max exporters (0: FLOWFILE_MAX_EXPORTERS). */
struct exporter_table *exporter_table_new(size_t max);
void exporter_table_free(struct exporter_table *t);

/*
 * Install the policy (copied): the allow-list and the overrides apply to
 * exporters already known and to new ones. 0 or -1 (errno).
 */
int exporter_set_policy(
    struct exporter_table *t, const struct exporter_policy *p);

/* Whether the policy allows the exporter at a. */
bool exporter_allowed(const struct exporter_table *t, const struct ft_addr *a);

/*
 * Read the version and domain from a datagram's header (enough to pick the
 * stream before decoding): 0, or -1 when too short.
 */
int exporter_peek(
    const uint8_t *pkt, size_t len, uint16_t *version, uint32_t *domain);

/*
 * The stream of (from, version, domain), created on first sight. NULL when
 * the table is full (the datagram is then counted in
 * exporter_table_overflow()).
 */
struct exporter *exporter_get(struct exporter_table *t,
    const struct sockaddr *from, uint16_t version, uint32_t domain,
    uint64_t now_ms);

/* Count a datagram refused by the allow-list. */
void exporter_deny(struct exporter_table *t, const struct sockaddr *from);
/* Count a datagram too short to say its version. */
void exporter_runt(struct exporter_table *t, const struct sockaddr *from);

/*
 * Apply the sampling rate to a decoded flow in place: the configured rate
 * when the exporter announced none (or always when forced), counters
 * multiplied by the rate, flow->sampling set to it. Counts the flow.
 */
void exporter_flow(struct exporter *e, struct flow *f);

/*
 * Account a decoded datagram: packets, templates, malformed (err != NF_OK),
 * clock skew, and the sequence check. Returns the flows it found lost (0
 * usually).
 */
uint64_t exporter_packet(struct exporter *e, int err,
    const struct nf_packet_info *info, uint64_t arrival_ms);

/*
 * Fill out with the interval counters of every exporter (at most max), and
 * reset those interval counters when reset is set. Returns the count.
 */
size_t exporter_snapshot(struct exporter_table *t,
    struct flowfile_exporter *out, size_t max, bool reset);

/* Visit every exporter (for stats and logs). */
typedef void exporter_visit_fn(const struct exporter *e, void *arg);
void exporter_foreach(
    const struct exporter_table *t, exporter_visit_fn *fn, void *arg);

/* Global counters: denied by the allow-list, runts, table full. */
struct exporter_global {
	uint64_t denied;
	uint64_t runts;
	uint64_t overflow;
	struct ft_addr last_denied;
};
void exporter_global(const struct exporter_table *t, struct exporter_global *g);

/* The name of a malformed reason index (-nf_err). */
const char *exporter_reason(int idx);

#endif
