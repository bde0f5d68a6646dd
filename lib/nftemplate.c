/*
 * Template cache: a chained hash table of templates keyed by exporter and
 * template id, with an LRU list for eviction when the limit is reached.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/nftemplate.h"

static size_t
nft_hash(const struct nft_cache *c, const struct nf_exporter *exp, uint16_t id)
{
	uint64_t h = (uint64_t)(uintptr_t)exp * 0x9e3779b97f4a7c15ull;

	h ^= (uint64_t)id * 0xc2b2ae3d27d4eb4full;
	h ^= h >> 29;
	return (size_t)h & (c->nbuckets - 1);
}

int
nft_cache_init(struct nft_cache *c, size_t max)
{
	size_t nb = 16;

	memset(c, 0, sizeof(*c));
	while (nb < max * 2 && nb < ((size_t)1 << 24))
		nb <<= 1;
	if ((c->buckets = calloc(nb, sizeof(*c->buckets))) == NULL)
		return -1;
	c->nbuckets = nb;
	c->max = max;
	TAILQ_INIT(&c->lru);
	return 0;
}

static void
nft_unlink(struct nft_cache *c, struct nft_template *t)
{
	struct nft_template **pp;

	for (pp = &c->buckets[nft_hash(c, t->exp, t->id)]; *pp != NULL;
	     pp = &(*pp)->hnext) {
		if (*pp == t) {
			*pp = t->hnext;
			break;
		}
	}
	TAILQ_REMOVE(&c->lru, t, lru);
	c->count--;
	free(t->ops);
	free(t->fields);
	free(t);
}

void
nft_cache_clear(struct nft_cache *c)
{
	struct nft_template *t;

	while ((t = TAILQ_FIRST(&c->lru)) != NULL)
		nft_unlink(c, t);
	free(c->buckets);
	c->buckets = NULL;
	c->nbuckets = 0;
}

int
nft_check(
    const struct nft_field *fields, size_t n, uint32_t *min_len, bool *varlen)
{
	uint32_t len = 0;
	bool var = false;
	size_t i;

	if (n == 0 || n > NFT_MAX_FIELDS)
		return -1;
	for (i = 0; i < n; i++) {
		if (fields[i].len == NFT_VARLEN) {
			var = true;
			len += 1;
		} else
			len += fields[i].len;
	}
	if (len == 0 || len > NFT_MAX_RECLEN)
		return -1;
	*min_len = len;
	*varlen = var;
	return 0;
}

struct nft_template *
nft_lookup(struct nft_cache *c, const struct nf_exporter *exp, uint16_t id)
{
	struct nft_template *t;

	for (t = c->buckets[nft_hash(c, exp, id)]; t != NULL; t = t->hnext) {
		if (t->exp == exp && t->id == id) {
			TAILQ_REMOVE(&c->lru, t, lru);
			TAILQ_INSERT_TAIL(&c->lru, t, lru);
			return t;
		}
	}
	return NULL;
}

struct nft_template *
nft_insert(struct nft_cache *c, struct nf_exporter *exp, uint16_t id,
    bool options, uint16_t nscope, const struct nft_field *fields, size_t n)
{
	struct nft_template *t;
	struct nft_field *copy;
	uint32_t min_len;
	bool varlen;
	size_t h;

	if (nft_check(fields, n, &min_len, &varlen) == -1 || nscope > n) {
		errno = EINVAL;
		return NULL;
	}
	if ((copy = malloc(n * sizeof(*copy))) == NULL)
		return NULL;
	memcpy(copy, fields, n * sizeof(*copy));
	if ((t = nft_lookup(c, exp, id)) != NULL) {
		/* Redefinition: replace the fields in place. */
		free(t->fields);
		free(t->ops);
		t->ops = NULL;
		t->nops = 0;
	} else {
		if (c->count >= c->max && (t = TAILQ_FIRST(&c->lru)) != NULL) {
			nft_unlink(c, t);
			c->evicted++;
		}
		if ((t = calloc(1, sizeof(*t))) == NULL) {
			free(copy);
			return NULL;
		}
		t->exp = exp;
		t->id = id;
		h = nft_hash(c, exp, id);
		t->hnext = c->buckets[h];
		c->buckets[h] = t;
		TAILQ_INSERT_TAIL(&c->lru, t, lru);
		c->count++;
	}
	t->fields = copy;
	t->nfields = (uint16_t)n;
	t->nscope = nscope;
	t->options = options;
	t->min_len = min_len;
	t->varlen = varlen;
	return t;
}

int
nft_withdraw(struct nft_cache *c, const struct nf_exporter *exp, uint16_t id)
{
	struct nft_template *t;

	if ((t = nft_lookup(c, exp, id)) == NULL)
		return -1;
	nft_unlink(c, t);
	return 0;
}

void
nft_withdraw_all(
    struct nft_cache *c, const struct nf_exporter *exp, int options)
{
	struct nft_template *t, *next;

	for (t = TAILQ_FIRST(&c->lru); t != NULL; t = next) {
		next = TAILQ_NEXT(t, lru);
		if (t->exp == exp && (options == -1 || t->options == options))
			nft_unlink(c, t);
	}
}

void
nft_drop_exporter(struct nft_cache *c, const struct nf_exporter *exp)
{
	nft_withdraw_all(c, exp, -1);
}
