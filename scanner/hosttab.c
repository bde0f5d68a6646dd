/*
 * The per-interval inside-host table: open addressing with linear probing
 * over a power-of-two array of entries (key and counters in the same slot,
 * so an add costs one random memory access), plus a dense list of the used
 * slots for iteration and a cheap reset. The array starts small and doubles
 * (load at most 3/4) up to the size the host limit needs, so a few thousand
 * hosts stay in cache even with a limit of millions; both halves of the
 * ping-pong are mapped at creation and an add never allocates. Batched
 * adds hash and prefetch each op's slot HOSTTAB_AHEAD ops before applying
 * it, so cache misses overlap.
 */
#include "scanner/hosttab.h"

#include <sys/mman.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define HOSTTAB_AHEAD 64
#define HOSTTAB_CHUNK 256  /* ops hashed per round (hash array on stack) */
#define HOSTTAB_MIN   4096 /* initial slots (288 KiB) */

struct hosttab {
	struct host_entry *slots; /* active array; family FT_AF_NONE = empty */
	struct host_entry *spare; /* the other one, all zero */
	uint32_t *used;           /* slot of the i-th host */
	size_t max;
	size_t count;
	size_t mask;   /* active slots - 1 */
	size_t nslots; /* slots of each array (the most ever needed) */
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

/*
 * Zeroed memory from the kernel, touched only as hosts arrive, on
 * transparent huge pages where allowed: a table of a million hosts is
 * probed at random, and 4 KiB pages would cost a TLB miss per probe.
 */
static void *
hosttab_alloc(size_t n)
{
	void *p;

	p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED)
		return NULL;
#ifdef MADV_HUGEPAGE
	if (n >= ((size_t)4 << 20))
		(void)madvise(p, n, MADV_HUGEPAGE);
#endif
	return p;
}

static void
hosttab_unmap(void *p, size_t n)
{
	if (p != NULL)
		munmap(p, n);
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
	/* Load factor at most 3/4 when full. */
	while (nslots < max_hosts + max_hosts / 3 + 1)
		nslots <<= 1;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->max = max_hosts;
	t->nslots = nslots;
	t->mask = (nslots < HOSTTAB_MIN ? nslots : HOSTTAB_MIN) - 1;
	t->slots = hosttab_alloc(nslots * sizeof(*t->slots));
	t->spare = hosttab_alloc(nslots * sizeof(*t->spare));
	t->used = hosttab_alloc(max_hosts * sizeof(*t->used));
	if (t->slots == NULL || t->spare == NULL || t->used == NULL) {
		hosttab_free(t);
		errno = ENOMEM;
		return NULL;
	}
	return t;
}

void
hosttab_free(struct hosttab *t)
{
	if (t == NULL)
		return;
	hosttab_unmap(t->slots, t->nslots * sizeof(*t->slots));
	hosttab_unmap(t->spare, t->nslots * sizeof(*t->spare));
	hosttab_unmap(t->used, t->max * sizeof(*t->used));
	free(t);
}

void
hosttab_reset(struct hosttab *t)
{
	size_t i;

	/* Clear only the used slots: an idle table's pages stay untouched. */
	if (t->count > (t->mask + 1) / 4)
		memset(t->slots, 0, (t->mask + 1) * sizeof(*t->slots));
	else
		for (i = 0; i < t->count; i++)
			memset(&t->slots[t->used[i]], 0, sizeof(*t->slots));
	memset(&t->overflow, 0, sizeof(t->overflow));
	t->count = 0;
	/* The size reached is kept: the next interval is likely alike. */
}

static inline void
hosttab_count_in(struct host_counts *c, int dir, uint64_t bytes, uint64_t pkts,
    uint64_t flows)
{
	c->bytes[dir] += bytes;
	c->pkts[dir] += pkts;
	c->flows[dir] += flows;
}

/* Double the active array: rehash into the spare, clear the old one. */
static void
hosttab_grow(struct hosttab *t)
{
	size_t nmask = t->mask * 2 + 1, i, j;
	struct host_entry *old = t->slots, *e;

	for (i = 0; i < t->count; i++) {
		e = &old[t->used[i]];
		j = (size_t)hosttab_hash(&e->addr) & nmask;
		while (t->spare[j].addr.family != FT_AF_NONE)
			j = (j + 1) & nmask;
		t->spare[j] = *e;
		t->used[i] = (uint32_t)j;
	}
	/* The spare must read as zero: large arrays go back to the kernel. */
	if ((t->mask + 1) * sizeof(*old) >= ((size_t)2 << 20))
		(void)madvise(old, (t->mask + 1) * sizeof(*old), MADV_DONTNEED);
	else
		memset(old, 0, (t->mask + 1) * sizeof(*old));
	t->slots = t->spare;
	t->spare = old;
	t->mask = nmask;
}

static void
hosttab_apply(struct hosttab *t, const struct host_op *op, uint64_t hash)
{
	const struct ft_addr *host = op->host;
	int dir = op->dir == HOST_OUT ? HOST_OUT : HOST_IN;
	size_t i = (size_t)hash & t->mask;
	struct host_entry *e;

	if (host->family != FT_AF_INET && host->family != FT_AF_INET6) {
		/* Not a host address: never a slot key (0 marks empty). */
		hosttab_count_in(
		    &t->overflow, dir, op->bytes, op->pkts, op->flows);
		return;
	}
	for (;;) {
		e = &t->slots[i];
		if (e->addr.family == FT_AF_NONE)
			break;
		if (ft_addr_equal(&e->addr, host)) {
			hosttab_count_in(
			    &e->c, dir, op->bytes, op->pkts, op->flows);
			return;
		}
		i = (i + 1) & t->mask;
	}
	if (t->count == t->max) {
		hosttab_count_in(
		    &t->overflow, dir, op->bytes, op->pkts, op->flows);
		return;
	}
	if ((t->count + 1) * 4 > (t->mask + 1) * 3 && t->mask + 1 < t->nslots) {
		hosttab_grow(t);
		i = (size_t)hash & t->mask;
		while (t->slots[i].addr.family != FT_AF_NONE)
			i = (i + 1) & t->mask;
		e = &t->slots[i];
	}
	e->addr = *host;
	hosttab_count_in(&e->c, dir, op->bytes, op->pkts, op->flows);
	t->used[t->count++] = (uint32_t)i;
}

/* Hash op's host and prefetch its home slot. */
static inline uint64_t
hosttab_warm(const struct hosttab *t, const struct host_op *op)
{
	uint64_t h = hosttab_hash(op->host);
	const char *p = (const char *)&t->slots[(size_t)h & t->mask];

	__builtin_prefetch(p, 1);
	__builtin_prefetch(p + sizeof(struct host_entry) - 1, 1);
	return h;
}

void
hosttab_add_batch(struct hosttab *t, const struct host_op *ops, size_t n)
{
	uint64_t hash[HOSTTAB_CHUNK];
	size_t m, i;

	for (; n > 0; ops += m, n -= m) {
		m = n < HOSTTAB_CHUNK ? n : HOSTTAB_CHUNK;
		for (i = 0; i < m && i < HOSTTAB_AHEAD; i++)
			hash[i] = hosttab_warm(t, &ops[i]);
		for (i = 0; i < m; i++) {
			if (i + HOSTTAB_AHEAD < m)
				hash[i + HOSTTAB_AHEAD] =
				    hosttab_warm(t, &ops[i + HOSTTAB_AHEAD]);
			/* A grow moves slots: the prefetch was a hint only,
			 * the hash stays right. */
			hosttab_apply(t, &ops[i], hash[i]);
		}
	}
}

void
hosttab_add(struct hosttab *t, const struct ft_addr *host, int dir,
    uint64_t bytes, uint64_t pkts, uint64_t flows)
{
	struct host_op op = { host, dir, bytes, pkts, flows };

	hosttab_add_batch(t, &op, 1);
}

size_t
hosttab_count(const struct hosttab *t)
{
	return t->count;
}

const struct host_entry *
hosttab_entry(const struct hosttab *t, size_t i)
{
	return i < t->count ? &t->slots[t->used[i]] : NULL;
}

void
hosttab_foreach(const struct hosttab *t, hosttab_fn *fn, void *ctx)
{
	size_t i;

	if (t->count > (t->mask + 1) / 8) {
		/* Dense: one sequential pass beats random reads by index. */
		for (i = 0; i <= t->mask; i++)
			if (t->slots[i].addr.family != FT_AF_NONE)
				fn(ctx, &t->slots[i]);
		return;
	}
	for (i = 0; i < t->count; i++)
		fn(ctx, &t->slots[t->used[i]]);
}

const struct host_counts *
hosttab_overflow(const struct hosttab *t)
{
	return &t->overflow;
}

const struct host_entry *
hosttab_find(const struct hosttab *t, const struct ft_addr *host)
{
	size_t i = 0;
	const struct host_entry *e;

	if (host->family != FT_AF_INET && host->family != FT_AF_INET6)
		return NULL;
	i = (size_t)hosttab_hash(host) & t->mask;
	for (;;) {
		e = &t->slots[i];
		if (e->addr.family == FT_AF_NONE)
			return NULL;
		if (ft_addr_equal(&e->addr, host))
			return e;
		i = (i + 1) & t->mask;
	}
}
