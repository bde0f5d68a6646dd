/*
 * Internal state of an nf_session, shared by the session code (nfdecode.c),
 * the v9 and IPFIX parsers, the record decoder and persistence: exporters,
 * the template cache and data held back until its template comes.
 */
#ifndef FT_NFSTATE_H
#define FT_NFSTATE_H

#include <sys/queue.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"
#include "lib/flow.h"
#include "lib/nfdecode.h"
#include "lib/nftemplate.h"

#define NF_DEF_TEMPLATES  4096
#define NF_DEF_HELD_BYTES (1024 * 1024)
#define NF_DEF_EXPORTERS  1024
#define NF_MAX_SAMPLERS   32

/* A sampler an exporter announced in options data: id -> 1-in-rate. */
struct nf_sampler {
	uint32_t id;
	uint32_t rate; /* 0: announced without a usable rate */
};

/* One exporting process: (address, port, version, source id / domain). */
struct nf_exporter {
	TAILQ_ENTRY(nf_exporter) lru;
	struct nf_exporter *hnext;
	struct ft_addr addr;
	uint16_t port;
	uint16_t version;
	uint32_t domain;
	uint64_t sys_init_ms; /* IPFIX systemInitTimeMilliseconds; 0 unknown */
	uint32_t rate;        /* rate announced without a sampler id; 0 none */
	unsigned nsamplers;
	struct nf_sampler samplers[NF_MAX_SAMPLERS];
	uint32_t save_idx; /* scratch for nf_session_save() */
};

/* A data set waiting for its template, with its datagram's times. */
struct nf_held {
	TAILQ_ENTRY(nf_held) q;
	struct nf_exporter *exp;
	uint16_t tid;
	uint32_t sys_uptime;
	uint64_t export_ms;
	size_t len;
	uint8_t data[];
};

TAILQ_HEAD(nf_exporter_lru, nf_exporter);
TAILQ_HEAD(nf_held_q, nf_held);

struct nf_session {
	struct nf_limits lim;
	struct nft_cache tc;
	struct nf_exporter **ebuckets;
	size_t nebuckets;
	size_t nexporters;
	struct nf_exporter_lru elru;
	struct nf_held_q held;
	size_t nheld;
	size_t held_bytes;
	struct nf_session_stats st;
	nf_options_fn *opt_fn;
	void *opt_arg;
};

/* The datagram being decoded: what records need beyond their template. */
struct nf_ctx {
	struct nf_session *s;
	struct nf_exporter *exp;
	uint16_t version;
	uint32_t sys_uptime; /* v9 header */
	uint64_t export_ms;
	nf_emit_fn *emit;
	void *arg;
	struct nf_packet_info *info;
	bool releasing; /* decoding held data */
	bool stop;      /* the emit callback asked to stop */
};

/*
 * The exporter (addr, port, version, domain), created when new (evicting
 * the least recently used one, with its templates and held data, at the
 * limit). NULL only when out of memory.
 */
struct nf_exporter *nf_exporter_get(struct nf_session *s,
    const struct ft_addr *addr, uint16_t port, uint16_t version,
    uint32_t domain);

/*
 * Learn a template for c->exp and decode any data held for it. Counts a
 * rejected template. Returns 0, or -1 when the template is malformed.
 */
int nf_template_learn(struct nf_ctx *c, uint16_t id, bool options,
    uint16_t nscope, const struct nft_field *fields, size_t n);
/*
 * Withdraw template id; with options >= 0 and id 2 (v9/IPFIX data) or 3
 * (options), every template of that kind of the exporter (options: 0 data,
 * 1 options templates), as IPFIX's "withdraw all" set ids.
 */
void nf_template_withdraw(struct nf_ctx *c, uint16_t id, int options);

/*
 * A data set with template id tid: decode it if the template is known,
 * otherwise hold a copy. Returns 0, or -1 when the callback said stop.
 */
int nf_data_set(struct nf_ctx *c, uint16_t tid, struct rbuf *set);

/*
 * Decode the records of a data set with template t (nfrecord.c): data
 * records are emitted, options records teach the exporter's sampling and
 * system init time. Trailing bytes shorter than a record are padding.
 * Returns 0, or -1 when the callback said stop.
 */
int nfrec_decode_set(
    struct nf_ctx *c, const struct nft_template *t, struct rbuf *set);

/*
 * Compile a fixed-layout template's known fields into t->ops for the fast
 * path; on failure (or variable-length fields) t->ops stays NULL.
 */
void nfrec_compile(struct nft_template *t);

/* The v9 and IPFIX datagram parsers (after the version check). */
int nf9_decode(struct nf_ctx *c, const uint8_t *pkt, size_t len,
    const struct ft_addr *addr, uint16_t port);
int ipfix_decode(struct nf_ctx *c, const uint8_t *pkt, size_t len,
    const struct ft_addr *addr, uint16_t port);

#endif
