/*
 * The per-interval inside-host table: open addressing with linear probing
 * over a power-of-two slot array, entries preallocated in one array, so an
 * add never allocates and memory is fixed by the host limit.
 */
#include "scanner/hosttab.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * A slot holds the entry index + 1 (0 = empty) in the low 32 bits and the
 * upper 32 bits of the key's hash as a tag, so most probes that miss never
 * touch the entry array.
 */
struct hosttab {
	struct host_entry *entries;
	uint32_t *slotof; /* slot of each entry, for a cheap reset */
	uint64_t *slots;
	size_t max;
	size_t count;
	size_t mask; /* nslots - 1 */
	struct host_counts overflow;
};

#define HOSTTAB_MAX ((size_t)1 << 30)

static inline uint64_t
hosttab_mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static inline uint64_t
hosttab_hash(const struct ft_addr *a)
{
	uint64_t hi, lo;

	if (a->family == FT_AF_INET)
		return hosttab_mix((uint64_t)a->v4 | (uint64_t)4 << 32);
	memcpy(&hi, a->v6, 8);
	memcpy(&lo, a->v6 + 8, 8);
	return hosttab_mix(hi ^ hosttab_mix(lo ^ a->family));
}

struct hosttab *
hosttab_new(size_t max_hosts)
{
	struct hosttab *t;
	size_t nslots = 16;

	if (max_hosts == 0 || max_hosts > HOSTTAB_MAX) {
		errno = EINVAL;
		return NULL;
	}
	/* Load factor at most 1/2. */
	while (nslots < max_hosts * 2)
		nslots <<= 1;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	/* calloc: pages are touched only as hosts arrive. */
	t->entries = calloc(max_hosts, sizeof(*t->entries));
	t->slotof = calloc(max_hosts, sizeof(*t->slotof));
	t->slots = calloc(nslots, sizeof(*t->slots));
	if (t->entries == NULL || t->slotof == NULL || t->slots == NULL) {
		hosttab_free(t);
		errno = ENOMEM;
		return NULL;
	}
	t->max = max_hosts;
	t->mask = nslots - 1;
	return t;
}

void
hosttab_free(struct hosttab *t)
{
	if (t == NULL)
		return;
	free(t->entries);
	free(t->slotof);
	free(t->slots);
	free(t);
}

void
hosttab_reset(struct hosttab *t)
{
	size_t i;

	/* Clear only the used slots: no page of an idle table is touched. */
	for (i = 0; i < t->count; i++)
		t->slots[t->slotof[i]] = 0;
	memset(t->entries, 0, t->count * sizeof(*t->entries));
	memset(&t->overflow, 0, sizeof(t->overflow));
	t->count = 0;
}

static inline void
hosttab_count_in(struct host_counts *c, int dir, uint64_t bytes, uint64_t pkts,
    uint64_t flows)
{
	c->bytes[dir] += bytes;
	c->pkts[dir] += pkts;
	c->flows[dir] += flows;
}

void
hosttab_add(struct hosttab *t, const struct ft_addr *host, int dir,
    uint64_t bytes, uint64_t pkts, uint64_t flows)
{
	uint64_t h = hosttab_hash(host), tag = h & 0xffffffff00000000ULL;
	size_t i = (size_t)h & t->mask;
	struct host_entry *e;
	uint64_t s;

	dir = dir == HOST_OUT ? HOST_OUT : HOST_IN;
	for (;;) {
		s = t->slots[i];
		if (s == 0)
			break;
		if ((s & 0xffffffff00000000ULL) == tag) {
			e = &t->entries[(uint32_t)s - 1];
			if (ft_addr_equal(&e->addr, host)) {
				hosttab_count_in(
				    &e->c, dir, bytes, pkts, flows);
				return;
			}
		}
		i = (i + 1) & t->mask;
	}
	if (t->count == t->max) {
		hosttab_count_in(&t->overflow, dir, bytes, pkts, flows);
		return;
	}
	e = &t->entries[t->count];
	e->addr = *host;
	hosttab_count_in(&e->c, dir, bytes, pkts, flows);
	t->slotof[t->count] = (uint32_t)i;
	t->slots[i] = tag | (uint64_t)(t->count + 1);
	t->count++;
}

size_t
hosttab_count(const struct hosttab *t)
{
	return t->count;
}

const struct host_entry *
hosttab_entry(const struct hosttab *t, size_t i)
{
	return i < t->count ? &t->entries[i] : NULL;
}

const struct host_counts *
hosttab_overflow(const struct hosttab *t)
{
	return &t->overflow;
}

const struct host_entry *
hosttab_find(const struct hosttab *t, const struct ft_addr *host)
{
	uint64_t h = hosttab_hash(host), tag = h & 0xffffffff00000000ULL;
	size_t i = (size_t)h & t->mask;
	const struct host_entry *e;
	uint64_t s;

	while ((s = t->slots[i]) != 0) {
		if ((s & 0xffffffff00000000ULL) == tag) {
			e = &t->entries[(uint32_t)s - 1];
			if (ft_addr_equal(&e->addr, host))
				return e;
		}
		i = (i + 1) & t->mask;
	}
	return NULL;
}
