/*
 * The template cache shared by the NetFlow v9 and IPFIX decoders: templates
 * and options templates keyed by (exporter, template id), bounded in
 * number, the least recently used evicted first.
 */
#ifndef FT_NFTEMPLATE_H
#define FT_NFTEMPLATE_H

#include <sys/queue.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nf_exporter;

#define NFT_VARLEN     0xffff      /* IPFIX variable-length field */
#define NFT_PEN_SCOPE9 0xffffffffu /* v9 scope field: never a flow field */
#define NFT_MAX_FIELDS 512
/* The longest record a template may describe (a datagram's payload). */
#define NFT_MAX_RECLEN 65000

struct nft_field {
	uint32_t pen; /* enterprise number, 0 for IANA/v9 fields */
	uint16_t type;
	uint16_t len; /* bytes, or NFT_VARLEN */
};

/*
 * A field the record decoder reads, at a fixed offset in the record, and
 * what it does with the value (act, arg: nfrecord.c's own codes).
 */
struct nft_op {
	uint16_t off;
	uint16_t len;
	uint16_t type;
	uint8_t act;
	uint8_t arg;
	uint8_t shift; /* 64 - 8 * len for fields of 1..8 bytes, else 0 */
};

struct nft_template {
	TAILQ_ENTRY(nft_template) lru;
	struct nft_template *hnext;
	struct nf_exporter *exp;
	uint16_t id;
	uint16_t nfields;
	uint16_t nscope; /* options templates: the first nscope fields */
	bool options;
	bool varlen;      /* has variable-length fields */
	uint32_t min_len; /* fixed lengths + 1 per variable-length field */
	struct nft_field *fields;
	/* Fixed-layout templates: the known fields, compiled (nfrecord.c);
	 * NULL means decode field by field. */
	struct nft_op *ops;
	uint16_t nops;
};

TAILQ_HEAD(nft_lru, nft_template);

struct nft_cache {
	struct nft_template **buckets;
	size_t nbuckets; /* a power of two */
	size_t count;
	size_t max;
	struct nft_lru lru; /* least recently used first */
	uint64_t evicted;
};

/* Set up a cache for max templates: 0 or -1 (errno). */
int nft_cache_init(struct nft_cache *c, size_t max);
void nft_cache_clear(struct nft_cache *c);

/*
 * Check a template's fields: at least one, no more than NFT_MAX_FIELDS,
 * and a minimum record length between 1 and NFT_MAX_RECLEN. Fills min_len
 * and varlen. Returns 0 or -1.
 */
int nft_check(
    const struct nft_field *fields, size_t n, uint32_t *min_len, bool *varlen);

/* The template id of exp, marked as recently used; NULL if unknown. */
struct nft_template *nft_lookup(
    struct nft_cache *c, const struct nf_exporter *exp, uint16_t id);

/*
 * Learn (or redefine) a template of exp. The fields are copied. When the
 * cache is full the least recently used template is evicted. Returns the
 * template, or NULL (invalid fields, or out of memory with errno).
 */
struct nft_template *nft_insert(struct nft_cache *c, struct nf_exporter *exp,
    uint16_t id, bool options, uint16_t nscope, const struct nft_field *fields,
    size_t n);

/* Withdraw a template; 0 if it was known, -1 if not. */
int nft_withdraw(
    struct nft_cache *c, const struct nf_exporter *exp, uint16_t id);
/* Withdraw every template of exp: options -1 all, 0 data, 1 options. */
void nft_withdraw_all(
    struct nft_cache *c, const struct nf_exporter *exp, int options);
/* Forget every template of exp (it is being evicted). */
void nft_drop_exporter(struct nft_cache *c, const struct nf_exporter *exp);

#endif
