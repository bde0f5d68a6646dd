/*
 * Prefix sets: entries are kept in insertion order (with a hash for
 * duplicate detection), and netset_build() flattens them per family into a
 * sorted table of address ranges that lookups binary-search.
 */
#include "lib/netset.h"

#include <sys/types.h>

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/*
 * Invariants.
 *
 * Keys. Every address is a 128-bit unsigned key (struct k128): an IPv4
 * address is {0, v4} in a 32-bit key space, an IPv6 address its 16 bytes
 * read big-endian, so key order is address order. A prefix is the closed
 * key range [start, end] where start has the host bits clear and end has
 * them set; two prefixes are either disjoint or nested, never overlapping
 * partly. The families never mix: each has its own entries view and table.
 *
 * Entries. ent[] holds every distinct (family, prefix, value) in insertion
 * order; an entry's index is its age, so "the first value added to a
 * prefix" is the value of its lowest-index entry. hash[] is an open
 * addressing set of entry indices + 1 (0 = empty), at most half full, used
 * only to make re-adding an entry a no-op.
 *
 * Nodes. Building sorts a family's entries by (start, len, index) and
 * makes one node per distinct prefix. In that order a prefix precedes every
 * prefix nested in it, so one pass with a stack of open prefixes (each
 * strictly inside the one below it, hence at most width + 1 deep) finds
 * each node's parent: the innermost prefix containing it. A node's value
 * list vals[off .. off+cnt) is the ascending, duplicate-free union of the
 * values of the node and of all its ancestors, i.e. exactly the answer of
 * netset_match_all() for any address whose most specific prefix is this
 * node; first is the longest-prefix answer.
 *
 * Ranges. The same sweep cuts the key space into maximal ranges with the
 * same innermost prefix: start[i] is where range i begins, node[i] its
 * innermost node or -1 for none. start[0] is 0, starts strictly increase,
 * and range i ends at start[i+1] - 1 (the last at the family's maximum key).
 * Neighbouring ranges have different nodes, so there are at most
 * 2 * nodes + 1 ranges.
 *
 * Index. To narrow the binary search, each range start has a 64-bit index
 * key (ns_ikey: the IPv4 address in the top half, or the high half of the
 * IPv6 address), monotonic in the key. ilo is the index key of start[1]
 * (the first real boundary) and slots of 2^ishift index keys are laid from
 * it over the span of the boundaries, 2^ibits of them with
 * 2^ibits >= ranges (capped). index[s] is the range holding the smallest key
 * of slot s and index[2^ibits] the last range; so an address in slot s lies
 * in a range from index[s] to index[s + 1], and one whose index key is
 * below ilo lies in range 0. Keys past the last slot are clamped into it.
 *
 * Freshness. built is true only while the tables reflect every entry: an
 * add that stores a new entry clears it and netset_build() sets it. While it
 * is false, lookups answer by scanning ent[], so they are always correct.
 */

struct k128 {
	uint64_t hi;
	uint64_t lo;
};

struct ns_entry {
	struct k128 start;
	uint32_t value;
	uint8_t family;
	uint8_t len;
};

struct ns_node {
	uint32_t first; /* longest-prefix value */
	uint32_t off;   /* into vals */
	uint32_t cnt;
};

struct ns_table {
	size_t nrange;
	uint32_t *start4;   /* IPv4 range starts */
	uint64_t *start6hi; /* IPv6 range starts, high halves */
	uint64_t *start6lo; /* and low halves (NULL when all are 0) */
	int32_t *node;      /* per range: node or -1 */
	uint32_t *index;
	unsigned ibits;  /* index has 2^ibits + 1 slots */
	unsigned ishift; /* slot = (ikey - ilo) >> ishift */
	uint64_t ilo;
	struct ns_node *nodes;
	size_t nnode;
	uint32_t *vals;
};

struct netset {
	struct ns_entry *ent;
	size_t nent;
	size_t cap;
	uint32_t *hash;
	size_t hcap; /* 0 or a power of two */
	bool built;
	struct ns_table t4;
	struct ns_table t6;
};

#define NS_MAX_ENTRIES 0x7ffffff0u
#define NS_MAX_IBITS   16

static unsigned
ns_width(uint8_t family)
{
	return family == FT_AF_INET ? 32 : 128;
}

static int
k128_cmp(const struct k128 *a, const struct k128 *b)
{
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return 0;
}

/* The mask of the host bits of a /len in a space of width bits. */
static struct k128
k128_hostmask(unsigned width, unsigned len)
{
	struct k128 m = { 0, 0 };
	unsigned h = width - len;

	if (h == 0)
		return m;
	if (h < 64) {
		m.lo = (UINT64_C(1) << h) - 1;
	} else {
		m.lo = UINT64_MAX;
		if (h == 128)
			m.hi = UINT64_MAX;
		else if (h > 64)
			m.hi = (UINT64_C(1) << (h - 64)) - 1;
	}
	return m;
}

static uint64_t
be64(const uint8_t *p)
{
	return (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 |
	    (uint64_t)p[2] << 40 | (uint64_t)p[3] << 32 | (uint64_t)p[4] << 24 |
	    (uint64_t)p[5] << 16 | (uint64_t)p[6] << 8 | (uint64_t)p[7];
}

static struct k128
ns_key(const struct ft_addr *a)
{
	struct k128 k = { 0, 0 };

	if (a->family == FT_AF_INET) {
		k.lo = a->v4;
	} else if (a->family == FT_AF_INET6) {
		k.hi = be64(a->v6);
		k.lo = be64(a->v6 + 8);
	}
	return k;
}

static struct k128
ns_entry_end(const struct ns_entry *e)
{
	struct k128 m = k128_hostmask(ns_width(e->family), e->len);

	m.hi |= e->start.hi;
	m.lo |= e->start.lo;
	return m;
}

static bool
ns_entry_has(const struct ns_entry *e, uint8_t family, const struct k128 *k)
{
	struct k128 m;

	if (e->family != family)
		return false;
	m = k128_hostmask(ns_width(family), e->len);
	return (k->hi & ~m.hi) == e->start.hi && (k->lo & ~m.lo) == e->start.lo;
}

/* --- entries and the duplicate hash --- */

static uint64_t
ns_hash(const struct ns_entry *e)
{
	uint64_t h;

	h = e->start.hi * UINT64_C(0x9e3779b97f4a7c15);
	h ^= e->start.lo + UINT64_C(0xbf58476d1ce4e5b9) + (h << 6) + (h >> 2);
	h ^= ((uint64_t)e->value << 16 | (uint64_t)e->len << 8 | e->family) *
	    UINT64_C(0x94d049bb133111eb);
	h ^= h >> 31;
	h *= UINT64_C(0xd6e8feb86659fd93);
	h ^= h >> 32;
	return h;
}

static bool
ns_entry_same(const struct ns_entry *a, const struct ns_entry *b)
{
	return a->family == b->family && a->len == b->len &&
	    a->value == b->value && k128_cmp(&a->start, &b->start) == 0;
}

/* The hash slot holding e, or the empty slot where it belongs. */
static size_t
ns_hash_slot(const struct netset *ns, const struct ns_entry *e)
{
	size_t mask = ns->hcap - 1, i = (size_t)ns_hash(e) & mask;

	while (ns->hash[i] != 0 && !ns_entry_same(&ns->ent[ns->hash[i] - 1], e))
		i = (i + 1) & mask;
	return i;
}

static int
ns_hash_grow(struct netset *ns)
{
	uint32_t *old = ns->hash;
	size_t oldcap = ns->hcap, i;

	ns->hcap = oldcap ? oldcap * 2 : 64;
	if ((ns->hash = calloc(ns->hcap, sizeof(*ns->hash))) == NULL) {
		ns->hash = old;
		ns->hcap = oldcap;
		return -1;
	}
	for (i = 0; i < oldcap; i++)
		if (old[i] != 0)
			ns->hash[ns_hash_slot(ns, &ns->ent[old[i] - 1])] =
			    old[i];
	free(old);
	return 0;
}

struct netset *
netset_new(void)
{
	return calloc(1, sizeof(struct netset));
}

static void
ns_table_clear(struct ns_table *t)
{
	free(t->start4);
	free(t->start6hi);
	free(t->start6lo);
	free(t->node);
	free(t->index);
	free(t->nodes);
	free(t->vals);
	memset(t, 0, sizeof(*t));
}

void
netset_free(struct netset *ns)
{
	if (ns == NULL)
		return;
	ns_table_clear(&ns->t4);
	ns_table_clear(&ns->t6);
	free(ns->ent);
	free(ns->hash);
	free(ns);
}

int
netset_add(struct netset *ns, const struct ft_prefix *p, uint32_t value)
{
	struct ns_entry e;
	struct ns_entry *ne;
	struct k128 m;
	size_t slot, ncap;

	if ((p->addr.family != FT_AF_INET && p->addr.family != FT_AF_INET6) ||
	    p->len > ns_width(p->addr.family)) {
		errno = EINVAL;
		return -1;
	}
	memset(&e, 0, sizeof(e));
	e.family = p->addr.family;
	e.len = p->len;
	e.value = value;
	e.start = ns_key(&p->addr);
	m = k128_hostmask(ns_width(e.family), e.len);
	e.start.hi &= ~m.hi;
	e.start.lo &= ~m.lo;

	if (ns->hcap != 0 && ns->hash[ns_hash_slot(ns, &e)] != 0)
		return 0; /* already there */
	if (ns->nent >= NS_MAX_ENTRIES) {
		errno = ENOMEM;
		return -1;
	}
	if ((ns->nent + 1) * 2 > ns->hcap && ns_hash_grow(ns) == -1)
		return -1;
	if (ns->nent == ns->cap) {
		ncap = ns->cap ? ns->cap * 2 : 16;
		if ((ne = reallocarray(ns->ent, ncap, sizeof(*ne))) == NULL)
			return -1;
		ns->ent = ne;
		ns->cap = ncap;
	}
	slot = ns_hash_slot(ns, &e);
	ns->ent[ns->nent++] = e;
	ns->hash[slot] = (uint32_t)ns->nent;
	ns->built = false;
	return 0;
}

int
netset_add_str(struct netset *ns, const char *prefix, uint32_t value)
{
	struct ft_prefix p;

	if (addr_parse_prefix(prefix, 0, &p) == -1) {
		errno = EINVAL;
		return -1;
	}
	return netset_add(ns, &p, value);
}

size_t
netset_count(const struct netset *ns)
{
	return ns->nent;
}

int
netset_is_built(const struct netset *ns)
{
	return ns->built;
}

/* --- building --- */

/* What the sweep over one family's sorted entries produces. */
struct ns_builder {
	struct ns_table t;
	struct k128 *rstart; /* range starts, before narrowing to start4 */
	size_t rcap;
	size_t vcap;
	size_t nval;
};

static int
ns_cmp_idx(const void *pa, const void *pb, void *arg)
{
	const struct ns_entry *ent = arg;
	uint32_t ia = *(const uint32_t *)pa, ib = *(const uint32_t *)pb;
	const struct ns_entry *a = &ent[ia], *b = &ent[ib];
	int c;

	if ((c = k128_cmp(&a->start, &b->start)) != 0)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

static int
ns_cmp_u32(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;

	return a < b ? -1 : a > b;
}

/* Append range [from, ...) owned by node (-1: none), merging equal
 * neighbours. */
static int
ns_emit(struct ns_builder *b, const struct k128 *from, int32_t node)
{
	struct k128 *rs;
	int32_t *rn;
	size_t ncap;

	if (b->t.nrange > 0 && b->t.node[b->t.nrange - 1] == node)
		return 0;
	if (b->t.nrange == b->rcap) {
		ncap = b->rcap ? b->rcap * 2 : 64;
		if ((rs = reallocarray(b->rstart, ncap, sizeof(*rs))) == NULL)
			return -1;
		b->rstart = rs;
		if ((rn = reallocarray(b->t.node, ncap, sizeof(*rn))) == NULL)
			return -1;
		b->t.node = rn;
		b->rcap = ncap;
	}
	b->rstart[b->t.nrange] = *from;
	b->t.node[b->t.nrange++] = node;
	return 0;
}

/*
 * Give node n (whose own sorted distinct values are own[0..nown)) the union
 * of its parent's list and its own.
 */
static int
ns_node_vals(struct ns_builder *b, size_t n, int32_t parent,
    const uint32_t *own, size_t nown)
{
	struct ns_node *nd = &b->t.nodes[n];
	const uint32_t *pv;
	uint32_t *v;
	size_t need, pcnt = 0, i = 0, j = 0, ncap;

	if (parent >= 0)
		pcnt = b->t.nodes[parent].cnt;
	need = b->nval + pcnt + nown;
	if (need > UINT32_MAX) {
		errno = ENOMEM;
		return -1;
	}
	if (need > b->vcap) {
		ncap = b->vcap ? b->vcap : 256;
		while (ncap < need)
			ncap *= 2;
		if ((v = reallocarray(b->t.vals, ncap, sizeof(*v))) == NULL)
			return -1;
		b->t.vals = v;
		b->vcap = ncap;
	}
	pv = parent >= 0 ? b->t.vals + b->t.nodes[parent].off : NULL;
	v = b->t.vals + b->nval;
	nd->off = (uint32_t)b->nval;
	while (i < pcnt || j < nown) {
		if (j == nown || (i < pcnt && pv[i] < own[j]))
			*v++ = pv[i++];
		else if (i == pcnt || own[j] < pv[i])
			*v++ = own[j++];
		else {
			*v++ = pv[i++];
			j++;
		}
	}
	nd->cnt = (uint32_t)(v - (b->t.vals + b->nval));
	b->nval += nd->cnt;
	return 0;
}

static bool
k128_lt(const struct k128 *a, const struct k128 *b)
{
	return k128_cmp(a, b) < 0;
}

/* k + 1; returns true on wrap past the maximum of a width-bit space. */
static bool
k128_inc(struct k128 *k, unsigned width)
{
	if (width == 32) {
		if (k->lo == UINT32_MAX)
			return true;
		k->lo++;
		return false;
	}
	if (++k->lo == 0 && ++k->hi == 0)
		return true;
	return false;
}

/*
 * Closing the open prefix node ending at end: the keys from pos to end (if
 * any remain, a nested prefix may have run to the same end) are its own.
 */
static int
ns_close(struct ns_builder *b, const struct k128 *pos, bool done, int32_t node,
    const struct k128 *end)
{
	if (done || k128_lt(end, pos))
		return 0;
	return ns_emit(b, pos, node);
}

/*
 * The 64-bit index key of a key: an IPv4 address in the top 32 bits, or the
 * high half of an IPv6 address. Order-preserving (not strictly).
 */
static uint64_t
ns_ikey(uint8_t family, const struct k128 *k)
{
	return family == FT_AF_INET ? k->lo << 32 : k->hi;
}

static int
ns_build_index(struct ns_builder *b, uint8_t family)
{
	struct ns_table *t = &b->t;
	struct k128 bs;
	uint64_t span, off, ik;
	size_t nslot, s, i = 0;

	t->ibits = 1;
	while (t->ibits < NS_MAX_IBITS && ((size_t)1 << t->ibits) < t->nrange)
		t->ibits++;
	nslot = (size_t)1 << t->ibits;
	t->ilo = t->nrange > 1 ? ns_ikey(family, &b->rstart[1]) : 0;
	span = ns_ikey(family, &b->rstart[t->nrange - 1]) - t->ilo;
	t->ishift = 0;
	while ((span >> t->ishift) >= nslot)
		t->ishift++;
	if ((t->index = calloc(nslot + 1, sizeof(*t->index))) == NULL)
		return -1;
	for (s = 0; s < nslot; s++) {
		off = (uint64_t)s << t->ishift;
		if (off > UINT64_MAX - t->ilo) {
			t->index[s] = (uint32_t)(t->nrange - 1);
			continue;
		}
		ik = t->ilo + off;
		bs.hi = family == FT_AF_INET ? 0 : ik;
		bs.lo = family == FT_AF_INET ? ik >> 32 : 0;
		while (i + 1 < t->nrange && !k128_lt(&bs, &b->rstart[i + 1]))
			i++;
		t->index[s] = (uint32_t)i;
	}
	t->index[nslot] = (uint32_t)(t->nrange - 1);
	return 0;
}

/* The slice [*l, *r] of ranges that holds a key with index key ik. */
static void
ns_slice(const struct ns_table *t, uint64_t ik, size_t *l, size_t *r)
{
	uint64_t s;

	if (ik < t->ilo) {
		*l = *r = 0;
		return;
	}
	s = (ik - t->ilo) >> t->ishift;
	if (s >= ((uint64_t)1 << t->ibits))
		s = ((uint64_t)1 << t->ibits) - 1;
	*l = t->index[s];
	*r = t->index[s + 1];
}

/*
 * Build the table of one family from ent[idx[0..n)], which are sorted by
 * ns_cmp_idx. All or nothing: on failure b holds what must be freed.
 */
static int
ns_build_family(struct netset *ns, uint8_t family, const uint32_t *idx,
    size_t n, struct ns_builder *b, uint32_t *own)
{
	int32_t stack[129];
	struct k128 ends[129], pos = { 0, 0 }, end;
	const struct ns_entry *e;
	unsigned width = ns_width(family);
	size_t i, j, nown, sp = 0, r;
	int32_t top;
	bool done = false;

	if (n > 0 && (b->t.nodes = calloc(n, sizeof(*b->t.nodes))) == NULL)
		return -1;
	for (i = 0; i < n; i = j) {
		e = &ns->ent[idx[i]];
		/* The group of entries with this prefix: idx[i..j). */
		nown = 0;
		for (j = i; j < n && ns->ent[idx[j]].len == e->len &&
		     k128_cmp(&ns->ent[idx[j]].start, &e->start) == 0;
		     j++)
			own[nown++] = ns->ent[idx[j]].value;
		qsort(own, nown, sizeof(*own), ns_cmp_u32);
		end = ns_entry_end(e);
		/* Close the open prefixes that end before this one. */
		while (sp > 0 && k128_lt(&ends[sp - 1], &e->start)) {
			sp--;
			if (ns_close(b, &pos, done, stack[sp], &ends[sp]) == -1)
				return -1;
			pos = ends[sp];
			done = k128_inc(&pos, width);
		}
		top = sp > 0 ? stack[sp - 1] : -1;
		if (!done && k128_lt(&pos, &e->start) && ns_emit(b, &pos, top))
			return -1;
		b->t.nodes[b->t.nnode].first = e->value;
		if (ns_node_vals(b, b->t.nnode, top, own, nown) == -1)
			return -1;
		stack[sp] = (int32_t)b->t.nnode++;
		ends[sp++] = end;
		pos = e->start;
	}
	while (sp > 0) {
		sp--;
		if (ns_close(b, &pos, done, stack[sp], &ends[sp]) == -1)
			return -1;
		pos = ends[sp];
		done = k128_inc(&pos, width);
	}
	if (!done && ns_emit(b, &pos, -1) == -1)
		return -1;

	if (family == FT_AF_INET) {
		b->t.start4 = calloc(b->t.nrange, sizeof(*b->t.start4));
		if (b->t.start4 == NULL)
			return -1;
		for (r = 0; r < b->t.nrange; r++)
			b->t.start4[r] = (uint32_t)b->rstart[r].lo;
	}
	if (ns_build_index(b, family) == -1)
		return -1;
	if (family == FT_AF_INET6) {
		/*
		 * Prefixes up to /64 only make boundaries with a zero low
		 * half: then the search compares the high halves alone.
		 */
		b->t.start6hi = calloc(b->t.nrange, sizeof(*b->t.start6hi));
		if (b->t.start6hi == NULL)
			return -1;
		for (r = 0; r < b->t.nrange; r++) {
			b->t.start6hi[r] = b->rstart[r].hi;
			if (b->rstart[r].lo != 0 && b->t.start6lo == NULL &&
			    (b->t.start6lo = calloc(
				 b->t.nrange, sizeof(*b->t.start6lo))) == NULL)
				return -1;
		}
		for (r = 0; b->t.start6lo != NULL && r < b->t.nrange; r++)
			b->t.start6lo[r] = b->rstart[r].lo;
	}
	return 0;
}

int
netset_build(struct netset *ns)
{
	struct ns_builder b4, b6;
	uint32_t *idx = NULL, *own = NULL;
	size_t i, n4 = 0, n6 = 0;
	int r = -1, saved;

	if (ns->built)
		return 0;
	memset(&b4, 0, sizeof(b4));
	memset(&b6, 0, sizeof(b6));
	/* One spare slot each, so neither is NULL for an empty set. */
	if ((idx = calloc(ns->nent + 1, sizeof(*idx))) == NULL ||
	    (own = calloc(ns->nent + 1, sizeof(*own))) == NULL)
		goto done;
	/* IPv4 entries first, IPv6 entries after them. */
	for (i = 0; i < ns->nent; i++)
		if (ns->ent[i].family == FT_AF_INET)
			idx[n4++] = (uint32_t)i;
	for (i = 0; i < ns->nent; i++)
		if (ns->ent[i].family == FT_AF_INET6)
			idx[n4 + n6++] = (uint32_t)i;
	if (n4 > 1)
		qsort_r(idx, n4, sizeof(*idx), ns_cmp_idx, ns->ent);
	if (n6 > 1)
		qsort_r(idx + n4, n6, sizeof(*idx), ns_cmp_idx, ns->ent);
	if (ns_build_family(ns, FT_AF_INET, idx, n4, &b4, own) == -1 ||
	    ns_build_family(ns, FT_AF_INET6, idx + n4, n6, &b6, own) == -1)
		goto done;
	ns_table_clear(&ns->t4);
	ns_table_clear(&ns->t6);
	ns->t4 = b4.t;
	ns->t6 = b6.t;
	memset(&b4.t, 0, sizeof(b4.t));
	memset(&b6.t, 0, sizeof(b6.t));
	ns->built = true;
	r = 0;
done:
	saved = errno;
	ns_table_clear(&b4.t);
	ns_table_clear(&b6.t);
	free(b4.rstart);
	free(b6.rstart);
	free(own);
	free(idx);
	errno = saved;
	return r;
}

/* --- lookups --- */

/* The innermost node holding a in a built set, or -1. */
static int32_t
ns_find(const struct netset *ns, const struct ft_addr *a,
    const struct ns_table **tp)
{
	const struct ns_table *t;
	size_t l, r, m;
	uint32_t v4;
	struct k128 k;

	if (a->family == FT_AF_INET) {
		t = &ns->t4;
		*tp = t;
		v4 = a->v4;
		ns_slice(t, (uint64_t)v4 << 32, &l, &r);
		while (l < r) {
			m = (l + r + 1) / 2;
			if (t->start4[m] <= v4)
				l = m;
			else
				r = m - 1;
		}
		return t->node[l];
	}
	if (a->family != FT_AF_INET6)
		return -1;
	t = &ns->t6;
	*tp = t;
	k = ns_key(a);
	ns_slice(t, k.hi, &l, &r);
	if (t->start6lo == NULL) {
		while (l < r) {
			m = (l + r + 1) / 2;
			if (t->start6hi[m] <= k.hi)
				l = m;
			else
				r = m - 1;
		}
		return t->node[l];
	}
	while (l < r) {
		m = (l + r + 1) / 2;
		if (t->start6hi[m] < k.hi ||
		    (t->start6hi[m] == k.hi && t->start6lo[m] <= k.lo))
			l = m;
		else
			r = m - 1;
	}
	return t->node[l];
}

/* Unbuilt set: the oldest entry of the longest prefix holding a, or -1. */
static ssize_t
ns_scan_best(const struct netset *ns, const struct ft_addr *a)
{
	struct k128 k = ns_key(a);
	ssize_t best = -1;
	size_t i;

	for (i = 0; i < ns->nent; i++)
		if (ns_entry_has(&ns->ent[i], a->family, &k) &&
		    (best < 0 || ns->ent[i].len > ns->ent[best].len))
			best = (ssize_t)i;
	return best;
}

int
netset_lookup(const struct netset *ns, const struct ft_addr *a, uint32_t *value)
{
	const struct ns_table *t;
	int32_t n;
	ssize_t e;

	if (!ns->built) {
		if ((e = ns_scan_best(ns, a)) < 0)
			return 0;
		*value = ns->ent[e].value;
		return 1;
	}
	if ((n = ns_find(ns, a, &t)) < 0)
		return 0;
	*value = t->nodes[n].first;
	return 1;
}

int
netset_contains(const struct netset *ns, const struct ft_addr *a)
{
	const struct ns_table *t;

	if (!ns->built)
		return ns_scan_best(ns, a) >= 0;
	return ns_find(ns, a, &t) >= 0;
}

/*
 * Unbuilt set: distinct values of the entries holding a, by repeated
 * selection (quadratic, but allocation-free and only until the build).
 */
static size_t
ns_scan_all(const struct netset *ns, const struct ft_addr *a, uint32_t *values,
    size_t max)
{
	struct k128 k = ns_key(a);
	size_t i, total = 0, out = 0;
	uint32_t prev = 0, next;
	bool have_prev = false, found;

	for (;;) {
		found = false;
		next = 0;
		for (i = 0; i < ns->nent; i++) {
			if (!ns_entry_has(&ns->ent[i], a->family, &k))
				continue;
			if (have_prev && ns->ent[i].value <= prev)
				continue;
			if (!found || ns->ent[i].value < next)
				next = ns->ent[i].value;
			found = true;
		}
		if (!found)
			break;
		if (out < max)
			values[out++] = next;
		total++;
		prev = next;
		have_prev = true;
	}
	return total;
}

size_t
netset_match_all(const struct netset *ns, const struct ft_addr *a,
    uint32_t *values, size_t max)
{
	const struct ns_table *t;
	const struct ns_node *nd;
	int32_t n;

	if (!ns->built)
		return ns_scan_all(ns, a, values, max);
	if ((n = ns_find(ns, a, &t)) < 0)
		return 0;
	nd = &t->nodes[n];
	if (max > 0)
		memcpy(values, t->vals + nd->off,
		    (nd->cnt < max ? nd->cnt : max) * sizeof(*values));
	return nd->cnt;
}
