/*
 * Compiles the vocabulary into lookup tables: a sweep over prefix (or AS
 * range) boundaries gives sorted disjoint segments, each carrying the
 * interned set of objects covering it; port, protocol and ToS maps are
 * direct arrays of set ids. Also lays out the counter rows of every RRD.
 */
#include "scanner/classify.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned __int128 u128;

/* Build-time set interning: open addressing over a hash of the ids. */
struct cls_pool {
	struct cls *c;
	size_t cap_sets, cap_ids;
	uint32_t *hash; /* set id + 1, 0 = empty */
	size_t hash_cap;
};

static uint64_t
cls_hash_ids(const uint32_t *ids, uint32_t n)
{
	uint64_t h = 1469598103934665603ULL ^ n;
	uint32_t i;

	for (i = 0; i < n; i++) {
		h ^= ids[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static int
cls_pool_grow_hash(struct cls_pool *p)
{
	size_t cap = p->hash_cap ? p->hash_cap * 2 : 1024, i, j;
	uint32_t *h;

	if ((h = calloc(cap, sizeof(*h))) == NULL)
		return -1;
	for (i = 0; i < p->hash_cap; i++) {
		uint32_t s;

		if (p->hash[i] == 0)
			continue;
		s = p->hash[i] - 1;
		j = cls_hash_ids(
			p->c->set_ids + p->c->set_off[s], p->c->set_n[s]) &
		    (cap - 1);
		while (h[j] != 0)
			j = (j + 1) & (cap - 1);
		h[j] = p->hash[i];
	}
	free(p->hash);
	p->hash = h;
	p->hash_cap = cap;
	return 0;
}

/* Intern the sorted, distinct ids[0..n): the set id, or CLS_NONE. */
static uint32_t
cls_intern(struct cls_pool *p, const uint32_t *ids, uint32_t n)
{
	struct cls *c = p->c;
	size_t j;
	uint32_t s;

	if ((c->n_sets + 1) * 2 > p->hash_cap && cls_pool_grow_hash(p) == -1)
		return CLS_NONE;
	j = cls_hash_ids(ids, n) & (p->hash_cap - 1);
	while (p->hash[j] != 0) {
		s = p->hash[j] - 1;
		if (c->set_n[s] == n &&
		    (n == 0 ||
			memcmp(c->set_ids + c->set_off[s], ids,
			    n * sizeof(*ids)) == 0))
			return s;
		j = (j + 1) & (p->hash_cap - 1);
	}
	if (c->n_sets == p->cap_sets) {
		size_t cap = p->cap_sets ? p->cap_sets * 2 : 64;
		uint32_t *o, *m;

		if ((o = realloc(c->set_off, cap * sizeof(*o))) == NULL)
			return CLS_NONE;
		c->set_off = o;
		if ((m = realloc(c->set_n, cap * sizeof(*m))) == NULL)
			return CLS_NONE;
		c->set_n = m;
		p->cap_sets = cap;
	}
	s = (uint32_t)c->n_sets;
	c->set_off[s] = c->n_sets ? c->set_off[s - 1] + c->set_n[s - 1] : 0;
	if (c->set_off[s] + n > p->cap_ids) {
		size_t cap = (p->cap_ids + n) * 2;
		uint32_t *ni;

		if ((ni = realloc(c->set_ids, cap * sizeof(*ni))) == NULL)
			return CLS_NONE;
		c->set_ids = ni;
		p->cap_ids = cap;
	}
	if (n > 0)
		memcpy(c->set_ids + c->set_off[s], ids, n * sizeof(*ids));
	c->set_n[s] = n;
	c->n_sets++;
	p->hash[j] = s + 1;
	return s;
}

static int
cls_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Sort ids and drop duplicates; returns the new count. */
static uint32_t
cls_uniq(uint32_t *ids, uint32_t n)
{
	uint32_t i, k = 0;

	qsort(ids, n, sizeof(*ids), cls_cmp_u32);
	for (i = 0; i < n; i++)
		if (k == 0 || ids[k - 1] != ids[i])
			ids[k++] = ids[i];
	return k;
}

/* A range [lo, hi] carrying object id. */
struct cls_span {
	u128 lo, hi;
	uint32_t id;
};

struct cls_event {
	u128 pos;
	uint32_t id;
	int add;
};

static int
cls_cmp_event(const void *a, const void *b)
{
	const struct cls_event *x = a, *y = b;

	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	return x->add - y->add;
}

/*
 * Sweep spans over [0, max] into sorted segments: *starts and *vals (the
 * interned set of ids covering each segment, transformed by fn). All or
 * nothing; 0 or -1.
 */
static int
cls_sweep(struct cls_pool *p, const struct cls_span *sp, size_t n, u128 max,
    u128 **starts, uint32_t **vals, size_t *nseg,
    uint32_t (*fn)(struct cls_pool *, uint32_t *, uint32_t))
{
	struct cls_event *ev = NULL;
	uint32_t *active = NULL, *tmp = NULL, n_active = 0;
	size_t n_ev = 0, i, k = 0;
	u128 *st = NULL;
	uint32_t *va = NULL;

	if ((ev = calloc(2 * n + 1, sizeof(*ev))) == NULL ||
	    (active = calloc(n + 1, sizeof(*active))) == NULL ||
	    (tmp = calloc(n + 1, sizeof(*tmp))) == NULL ||
	    (st = calloc(2 * n + 1, sizeof(*st))) == NULL ||
	    (va = calloc(2 * n + 1, sizeof(*va))) == NULL)
		goto fail;
	for (i = 0; i < n; i++) {
		ev[n_ev++] = (struct cls_event){ sp[i].lo, sp[i].id, 1 };
		if (sp[i].hi < max)
			ev[n_ev++] =
			    (struct cls_event){ sp[i].hi + 1, sp[i].id, 0 };
	}
	qsort(ev, n_ev, sizeof(*ev), cls_cmp_event);
	/* Segment 0 always starts at 0. */
	st[0] = 0;
	if ((va[0] = fn(p, tmp, 0)) == CLS_NONE)
		goto fail;
	k = 1;
	for (i = 0; i < n_ev;) {
		u128 pos = ev[i].pos;
		uint32_t j, m;

		for (; i < n_ev && ev[i].pos == pos; i++) {
			if (ev[i].add) {
				active[n_active++] = ev[i].id;
				continue;
			}
			for (j = 0; j < n_active; j++)
				if (active[j] == ev[i].id) {
					active[j] = active[--n_active];
					break;
				}
		}
		memcpy(tmp, active, n_active * sizeof(*tmp));
		m = cls_uniq(tmp, n_active);
		if (pos == 0)
			k = 0;
		st[k] = pos;
		if ((va[k] = fn(p, tmp, m)) == CLS_NONE)
			goto fail;
		/* Merge with the previous segment when equal. */
		if (k > 0 && va[k] == va[k - 1])
			continue;
		k++;
	}
	free(ev);
	free(active);
	free(tmp);
	*starts = st;
	*vals = va;
	*nseg = k;
	return 0;
fail:
	free(ev);
	free(active);
	free(tmp);
	free(st);
	free(va);
	return -1;
}

/* Segment value of an address: id 0 means "inside", id 1+i network i. */
static uint32_t
cls_addr_val(struct cls_pool *p, uint32_t *ids, uint32_t n)
{
	uint32_t inside = 0, i, s;

	if (n > 0 && ids[0] == 0) {
		inside = 1;
		ids++;
		n--;
	}
	for (i = 0; i < n; i++)
		ids[i]--;
	if ((s = cls_intern(p, ids, n)) == CLS_NONE)
		return CLS_NONE;
	return s << 1 | inside;
}

static uint32_t
cls_plain_val(struct cls_pool *p, uint32_t *ids, uint32_t n)
{
	return cls_intern(p, ids, n);
}

static u128
cls_v6_u128(const uint8_t *b)
{
	u128 x = 0;
	int i;

	for (i = 0; i < 16; i++)
		x = x << 8 | b[i];
	return x;
}

static void
cls_prefix_span(const struct ft_prefix *pf, uint32_t id, struct cls_span *s)
{
	unsigned bits = pf->addr.family == FT_AF_INET ? 32 : 128;
	u128 base;

	if (pf->addr.family == FT_AF_INET)
		base = pf->addr.v4;
	else
		base = cls_v6_u128(pf->addr.v6);
	s->lo = base;
	if (pf->len == 0)
		s->hi = bits == 32 ? (u128)0xffffffffu : ~(u128)0;
	else
		s->hi = base + (((u128)1 << (bits - pf->len)) - 1);
	s->id = id;
}

/* Index of the last segment starting at or before a (segment 0 starts at 0). */
static uint32_t
cls_v4_seg(const struct cls *c, uint32_t a)
{
	return (uint32_t)cls_search32(c->v4_start, 0, c->v4_n, a);
}

/*
 * Whether the span [a, a + len) lies in one segment, given j, the segment
 * holding a.
 */
static int
cls_v4_whole(const struct cls *c, uint32_t j, uint32_t a, uint64_t len)
{
	return j + 1 >= c->v4_n || c->v4_start[j + 1] >= (uint64_t)a + len;
}

/* The direct IPv4 stages (struct cls, v4_first and v4_mid). */
static int
cls_v4_stages(struct cls *c)
{
	size_t nblk = 0, i, k;
	uint32_t j, *m;

	if ((c->v4_first = calloc(65536, sizeof(uint32_t))) == NULL)
		return -1;
	for (i = 0; i < 65536; i++) {
		uint32_t a = (uint32_t)i << 16;

		j = cls_v4_seg(c, a);
		if (cls_v4_whole(c, j, a, 65536))
			c->v4_first[i] = j;
		else if (nblk < CLS_V4_MAXBLK)
			c->v4_first[i] = CLS_V4_BLOCK | (uint32_t)nblk++;
		else
			c->v4_first[i] = CLS_V4_SEARCH | j;
	}
	if (nblk == 0)
		return 0;
	if ((c->v4_mid = calloc(nblk * 257, sizeof(uint32_t))) == NULL)
		return -1;
	for (i = 0; i < 65536; i++) {
		if (!(c->v4_first[i] & CLS_V4_BLOCK))
			continue;
		m = c->v4_mid + (size_t)(c->v4_first[i] & CLS_V4_IDX) * 257;
		for (k = 0; k < 256; k++) {
			uint32_t a = (uint32_t)(i << 16 | k << 8);

			j = cls_v4_seg(c, a);
			m[k] =
			    cls_v4_whole(c, j, a, 256) ? j : CLS_V4_SEARCH | j;
		}
		m[256] = i == 65535 ? (uint32_t)c->v4_n - 1
				    : cls_v4_seg(c, (uint32_t)(i + 1) << 16);
	}
	return 0;
}

static int
cls_build_addrs(struct cls *c, struct cls_pool *p)
{
	const struct vocab *v = c->v;
	struct cls_span *s4 = NULL, *s6 = NULL;
	size_t n4 = 0, n6 = 0, total = v->n_subnets, i, j;
	u128 *st = NULL;
	int ret = -1;

	for (i = 0; i < v->n_networks; i++)
		total += v->networks[i].n_prefixes;
	if ((s4 = calloc(total + 1, sizeof(*s4))) == NULL ||
	    (s6 = calloc(total + 1, sizeof(*s6))) == NULL)
		goto out;
	for (i = 0; i < v->n_subnets; i++) {
		const struct ft_prefix *pf = &v->subnets[i];

		if (pf->addr.family == FT_AF_INET)
			cls_prefix_span(pf, 0, &s4[n4++]);
		else
			cls_prefix_span(pf, 0, &s6[n6++]);
	}
	for (i = 0; i < v->n_networks; i++)
		for (j = 0; j < v->networks[i].n_prefixes; j++) {
			const struct ft_prefix *pf =
			    &v->networks[i].prefixes[j];

			if (pf->addr.family == FT_AF_INET)
				cls_prefix_span(pf, 1 + i, &s4[n4++]);
			else
				cls_prefix_span(pf, 1 + i, &s6[n6++]);
		}
	if (cls_sweep(p, s4, n4, 0xffffffffu, &st, &c->v4_val, &c->v4_n,
		cls_addr_val) == -1)
		goto out;
	if ((c->v4_start = calloc(c->v4_n, sizeof(uint32_t))) == NULL)
		goto out;
	for (i = 0; i < c->v4_n; i++)
		c->v4_start[i] = (uint32_t)st[i];
	if (cls_v4_stages(c) == -1)
		goto out;
	if (cls_sweep(p, s6, n6, ~(u128)0, &c->v6_start, &c->v6_val, &c->v6_n,
		cls_addr_val) == -1)
		goto out;
	ret = 0;
out:
	free(st);
	free(s4);
	free(s6);
	return ret;
}

static int
cls_build_as(struct cls *c, struct cls_pool *p)
{
	const struct vocab *v = c->v;
	struct cls_span *sp;
	size_t n = 0, i, j;
	u128 *st = NULL;
	int ret = -1;

	for (i = 0; i < v->n_as_groups; i++)
		n += v->as_groups[i].n_ranges;
	if ((sp = calloc(n + 1, sizeof(*sp))) == NULL)
		return -1;
	n = 0;
	for (i = 0; i < v->n_as_groups; i++)
		for (j = 0; j < v->as_groups[i].n_ranges; j++) {
			sp[n].lo = v->as_groups[i].ranges[j].lo;
			sp[n].hi = v->as_groups[i].ranges[j].hi;
			sp[n++].id = (uint32_t)i;
		}
	if (cls_sweep(p, sp, n, 0xffffffffu, &st, &c->as_val, &c->as_n,
		cls_plain_val) == -1)
		goto out;
	if ((c->as_start = calloc(c->as_n, sizeof(uint32_t))) == NULL)
		goto out;
	for (i = 0; i < c->as_n; i++)
		c->as_start[i] = (uint32_t)st[i];
	ret = 0;
out:
	free(st);
	free(sp);
	return ret;
}

/* Fill map[0..n) with the sets of object ids each value belongs to. */
static int
cls_build_byte_map(struct cls_pool *p, uint32_t *map, size_t n,
    const struct vocab_class *cl, size_t n_cl, const struct vocab *v,
    bool protocols)
{
	uint32_t ids[1024], k, i, j;
	size_t x;

	for (x = 0; x < n; x++) {
		k = 0;
		if (protocols) {
			for (i = 0; i < v->n_protocols && k < 1024; i++)
				if (v->protocols[i].number == x)
					ids[k++] = i;
		} else {
			for (i = 0; i < n_cl && k < 1024; i++)
				for (j = 0; j < cl[i].n_ranges; j++)
					if (x >= cl[i].ranges[j].lo &&
					    x <= cl[i].ranges[j].hi) {
						ids[k++] = i;
						break;
					}
		}
		if ((map[x] = cls_intern(p, ids, k)) == CLS_NONE)
			return -1;
	}
	return 0;
}

/*
 * The two stages of protocol proto's port map (map: 65536 set ids):
 * port_hi[proto][port >> 8] is the set id when the whole 256-port block
 * has one, else CLS_PORT_SPLIT | b, block b of port_lo by port & 255.
 * Ephemeral ports mostly fall in whole blocks, so a lookup stays in a
 * 1 KiB table instead of missing the cache in a 128 KiB one.
 */
static int
cls_port_stages(struct cls *c, int proto, const uint16_t *map)
{
	uint32_t *hi;
	size_t b, k;

	if ((hi = malloc(256 * sizeof(*hi))) == NULL)
		return -1;
	c->port_hi[proto] = hi;
	for (b = 0; b < 256; b++) {
		const uint16_t *blk = map + b * 256;
		uint16_t *lo;

		for (k = 1; k < 256 && blk[k] == blk[0]; k++)
			;
		if (k == 256) {
			hi[b] = blk[0];
			continue;
		}
		if (c->n_port_lo % 16 == 0) {
			lo = realloc(c->port_lo,
			    (c->n_port_lo + 16) * 256 * sizeof(*lo));
			if (lo == NULL)
				return -1;
			c->port_lo = lo;
		}
		memcpy(c->port_lo + c->n_port_lo * 256, blk, 256 * sizeof(*lo));
		hi[b] = CLS_PORT_SPLIT | (uint32_t)c->n_port_lo++;
	}
	return 0;
}

static int
cls_build_ports(struct cls *c, struct cls_pool *p, struct errbuf *eb)
{
	const struct vocab *v = c->v;
	struct cls_span *sp = NULL;
	uint32_t *vals = NULL;
	uint16_t *map = NULL; /* one protocol's 64 Ki ports, then staged */
	u128 *st = NULL;
	size_t n, nseg, i, j, k;
	int proto, ret = -1;

	if ((sp = calloc(1, sizeof(*sp))) == NULL ||
	    (map = malloc(65536 * sizeof(*map))) == NULL)
		goto oom;
	for (proto = 0; proto < 256; proto++) {
		n = 0;
		for (i = 0; i < v->n_services; i++)
			for (j = 0; j < v->services[i].n_ports; j++)
				n += v->services[i].ports[j].proto == proto;
		if (n == 0)
			continue;
		free(sp);
		if ((sp = calloc(n, sizeof(*sp))) == NULL)
			goto oom;
		n = 0;
		for (i = 0; i < v->n_services; i++)
			for (j = 0; j < v->services[i].n_ports; j++) {
				const struct vocab_port *pt =
				    &v->services[i].ports[j];

				if (pt->proto != proto)
					continue;
				sp[n].lo = pt->lo;
				sp[n].hi = pt->hi;
				sp[n++].id = (uint32_t)i;
			}
		if (cls_sweep(p, sp, n, 65535, &st, &vals, &nseg,
			cls_plain_val) == -1)
			goto oom;
		for (k = 0; k < nseg; k++) {
			size_t end = k + 1 < nseg ? (size_t)st[k + 1] : 65536;

			if (vals[k] > UINT16_MAX) {
				errbuf_set(eb,
				    "too many distinct service combinations");
				goto out;
			}
			for (i = (size_t)st[k]; i < end; i++)
				map[i] = (uint16_t)vals[k];
		}
		if (cls_port_stages(c, proto, map) == -1)
			goto oom;
		free(st);
		free(vals);
		st = NULL;
		vals = NULL;
	}
	ret = 0;
	goto out;
oom:
	errbuf_set(eb, "out of memory building the port tables");
out:
	free(map);
	free(st);
	free(vals);
	free(sp);
	return ret;
}

static int
cls_build_ifx(struct cls *c)
{
	const struct vocab *v = c->v;
	size_t cap = 16, i;

	while (cap < 4 * v->n_interfaces)
		cap *= 2;
	if ((c->ifx = malloc(cap * sizeof(*c->ifx))) == NULL)
		return -1;
	for (i = 0; i < cap; i++)
		c->ifx[i].iface = CLS_NONE;
	c->ifx_mask = (uint32_t)cap - 1;
	for (i = 0; i < v->n_interfaces; i++) {
		uint64_t key = (uint64_t)v->interfaces[i].router << 32 |
		    v->interfaces[i].ifindex;
		uint32_t h = cls_ifx_hash(key, c->ifx_mask);

		/* The vocabulary refuses a (router, ifindex) seen twice. */
		while (c->ifx[h].iface != CLS_NONE)
			h = (h + 1) & c->ifx_mask;
		c->ifx[h].key = key;
		c->ifx[h].iface = (uint32_t)i;
		c->ifx[h].ifas = CLS_NONE; /* set by cls_cells_ifas() */
	}
	return 0;
}

static int
cls_build_routers(struct cls *c)
{
	const struct vocab *v = c->v;
	size_t cap = 16, i;

	while (cap < 4 * v->n_routers)
		cap *= 2;
	if ((c->rt4_key = calloc(cap, sizeof(uint32_t))) == NULL ||
	    (c->rt4_val = calloc(cap, sizeof(uint32_t))) == NULL)
		return -1;
	c->rt4_mask = (uint32_t)cap - 1;
	for (i = 0; i < v->n_routers; i++) {
		uint32_t a = v->routers[i].addr.v4, h;

		/* 0.0.0.0 cannot be a key: such a router never matches. */
		if (v->routers[i].addr.family != FT_AF_INET || a == 0)
			continue;
		h = (a * 2654435761u) & c->rt4_mask;
		while (c->rt4_key[h] != 0)
			h = (h + 1) & c->rt4_mask;
		c->rt4_key[h] = a;
		c->rt4_val[h] = (uint32_t)i;
	}
	return 0;
}

static void
cls_layout_scope(const struct vocab *v, struct cls_scope *s, size_t *row)
{
	s->total = (uint32_t)(*row)++;
	s->internal = (uint32_t)(*row)++;
	s->transit = (uint32_t)(*row)++;
	s->multicast = (uint32_t)(*row)++;
	s->protocol = (uint32_t)*row;
	*row += v->n_protocols;
	s->svc_src = (uint32_t)*row;
	*row += v->n_services;
	s->svc_dst = (uint32_t)*row;
	*row += v->n_services;
	s->tos = (uint32_t)*row;
	*row += v->n_tos;
	s->as = (uint32_t)*row;
	*row += v->n_as_groups;
}

static int
cls_layout(struct cls *c)
{
	const struct vocab *v = c->v;
	size_t row = 0, i, j, nn, ni;

	cls_layout_scope(v, &c->global, &row);
	if ((c->router = calloc(v->n_routers + 1, sizeof(*c->router))) == NULL)
		return -1;
	for (i = 0; i < v->n_routers; i++)
		cls_layout_scope(v, &c->router[i], &row);
	c->network = (uint32_t)row;
	row += v->n_networks;
	nn = v->n_networks * v->n_services;
	if ((c->netsvc = malloc((nn + 1) * sizeof(uint32_t))) == NULL)
		return -1;
	memset(c->netsvc, 0xff, (nn + 1) * sizeof(uint32_t));
	for (i = 0; i < v->n_networks; i++)
		for (j = 0; j < v->networks[i].n_services; j++) {
			uint32_t *slot = &c->netsvc[i * v->n_services +
			    v->networks[i].services[j]];

			if (*slot == CLS_NONE)
				*slot = (uint32_t)row++;
		}
	c->iface = (uint32_t)row;
	row += v->n_interfaces;
	ni = v->n_interfaces * v->n_as_groups;
	if ((c->ifas = malloc((ni + 1) * sizeof(uint32_t))) == NULL)
		return -1;
	memset(c->ifas, 0xff, (ni + 1) * sizeof(uint32_t));
	for (i = 0; i < v->n_interfaces; i++)
		for (j = 0; j < v->interfaces[i].n_as_groups; j++) {
			uint32_t *slot = &c->ifas[i * v->n_as_groups +
			    v->interfaces[i].as_groups[j]];

			if (*slot == CLS_NONE)
				*slot = (uint32_t)row++;
		}
	c->n_rows = row;
	return 0;
}

/* A new cell over rows base + ids[0..n): its index, or CLS_NONE. */
static uint32_t
cls_cell_add(
    struct cls_cells *b, const uint32_t *ids, uint32_t n, uint32_t base)
{
	uint32_t i;
	size_t used = b->n ? b->off[b->n] : 0;

	if (b->n + 2 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		uint32_t *o;

		if ((o = realloc(b->off, cap * sizeof(*o))) == NULL)
			return CLS_NONE;
		if (b->n == 0)
			o[0] = 0;
		b->off = o;
		b->cap = cap;
	}
	if (used + n > b->cap_rows) {
		size_t cap = (used + n) * 2 + 64;
		uint32_t *r;

		if ((r = realloc(b->rows, cap * sizeof(*r))) == NULL)
			return CLS_NONE;
		b->rows = r;
		b->cap_rows = cap;
	}
	for (i = 0; i < n; i++)
		b->rows[used + i] = base + ids[i];
	b->off[b->n + 1] = (uint32_t)(used + n);
	return (uint32_t)b->n++;
}

/* The cell of set in one kind (seen[] by set id, CLS_NONE = none yet). */
static uint32_t
cls_cell_of(struct cls_cells *b, const struct cls *c, uint32_t *seen,
    uint32_t set, uint32_t base)
{
	uint32_t n;
	const uint32_t *ids = cls_set(c, set, &n);

	if (seen[set] == CLS_NONE)
		seen[set] = cls_cell_add(b, ids, n, base);
	return seen[set];
}

/* Cells of a 256-entry byte map (protocol or ToS). */
static int
cls_cells_bytes(struct cls *c, uint32_t *seen, const uint32_t *map,
    uint32_t base, uint32_t *cell)
{
	size_t i;

	memset(seen, 0xff, c->n_sets * sizeof(*seen));
	for (i = 0; i < 256; i++)
		if ((cell[i] = cls_cell_of(&c->cells, c, seen, map[i], base)) ==
		    CLS_NONE)
			return -1;
	return 0;
}

/*
 * Service cells: every set a port map holds (and the empty set), first
 * as source-port cells, then in the same order as destination-port ones.
 */
static int
cls_cells_svc(struct cls *c, uint32_t *seen)
{
	uint32_t *order, n = 0, i, cell;
	size_t p, port;

	if ((c->svc_cell = malloc(c->n_sets * sizeof(uint32_t))) == NULL ||
	    (order = malloc(c->n_sets * sizeof(uint32_t))) == NULL)
		return -1;
	memset(c->svc_cell, 0xff, c->n_sets * sizeof(uint32_t));
	memset(seen, 0, c->n_sets * sizeof(*seen));
	seen[0] = 1;
	order[n++] = 0;
	for (p = 0; p < 256; p++)
		for (port = 0; c->port_hi[p] != NULL && port < 65536; port++) {
			uint32_t set =
			    cls_port(c, c->port_hi[p], (uint16_t)port);

			if (!seen[set]) {
				seen[set] = 1;
				order[n++] = set;
			}
		}
	c->n_svc_cells = n;
	for (i = 0; i < 2 * n; i++) {
		uint32_t m, set = order[i % n];
		const uint32_t *ids = cls_set(c, set, &m);

		cell = cls_cell_add(&c->cells, ids, m,
		    i < n ? c->global.svc_src : c->global.svc_dst);
		if (cell == CLS_NONE)
			goto fail;
		if (i < n)
			c->svc_cell[set] = cell;
	}
	free(order);
	return 0;
fail:
	free(order);
	return -1;
}

/* Network cells and flags for the sets of address segment vals. */
static int
cls_cells_net(struct cls *c, uint32_t *seen, const uint32_t *vals, size_t n)
{
	size_t i;
	uint32_t set, k, m;
	const uint32_t *ids;

	for (i = 0; i < n; i++) {
		set = vals[i] >> 1;
		if ((c->net_cell[set] = cls_cell_of(
			 &c->site_cells, c, seen, set, c->network)) == CLS_NONE)
			return -1;
		ids = cls_set(c, set, &m);
		for (k = 0; k < m; k++)
			if (c->v->networks[ids[k]].n_services > 0)
				c->net_svc[set] = 1;
	}
	return 0;
}

/*
 * The interface x AS group cells of interface i, whose ifas_cell row
 * starts at base: for each AS set (as_loc L, a segment of it at seg[L]),
 * the rows of the groups both count, one cell per distinct row list.
 * rows: room for n_as_groups entries.
 */
static int
cls_cells_ifas_one(
    struct cls *c, size_t i, uint32_t base, const size_t *seg, uint32_t *rows)
{
	size_t nas = c->v->n_as_groups, first = c->site_cells.n, k;
	uint32_t n, m, j, l, *cell = c->ifas_cell + base;
	const uint32_t *ids;

	for (l = 0; l < c->n_as_loc; l++) {
		ids = cls_set(c, c->as_val[seg[l]], &m);
		for (n = 0, j = 0; j < m; j++)
			if (c->ifas[i * nas + ids[j]] != CLS_NONE)
				rows[n++] = c->ifas[i * nas + ids[j]];
		cell[l] = CLS_NONE;
		if (n == 0)
			continue;
		/* Share a cell of this interface with the same rows. */
		for (k = first; k < c->site_cells.n; k++) {
			uint32_t o = c->site_cells.off[k];

			if (c->site_cells.off[k + 1] - o == n &&
			    memcmp(c->site_cells.rows + o, rows,
				n * sizeof(*rows)) == 0) {
				cell[l] = (uint32_t)k;
				break;
			}
		}
		if (cell[l] == CLS_NONE &&
		    (cell[l] = cls_cell_add(&c->site_cells, rows, n, 0)) ==
			CLS_NONE)
			return -1;
	}
	return 0;
}

/* as_loc, and the interface x AS group cells (after the network cells). */
static int
cls_cells_ifas(struct cls *c, uint32_t *seen)
{
	const struct vocab *v = c->v;
	size_t *seg = NULL, i, n_ifas = 0;
	uint32_t h, *rows = NULL;
	int ret = -1;

	if ((c->as_loc = malloc(c->as_n * sizeof(uint32_t))) == NULL ||
	    (seg = malloc(c->as_n * sizeof(*seg))) == NULL ||
	    (rows = malloc((v->n_as_groups + 1) * sizeof(*rows))) == NULL)
		goto out;
	memset(seen, 0xff, c->n_sets * sizeof(*seen));
	c->n_as_loc = 0;
	for (i = 0; i < c->as_n; i++) {
		if (seen[c->as_val[i]] == CLS_NONE) {
			seg[c->n_as_loc] = i;
			seen[c->as_val[i]] = c->n_as_loc++;
		}
		c->as_loc[i] = seen[c->as_val[i]];
	}
	for (i = 0; i < v->n_interfaces; i++)
		n_ifas += v->interfaces[i].n_as_groups > 0;
	if ((c->ifas_cell = malloc(
		 (n_ifas * c->n_as_loc + 1) * sizeof(uint32_t))) == NULL)
		goto out;
	n_ifas = 0;
	for (h = 0; h <= c->ifx_mask; h++) {
		struct cls_ifx *e = &c->ifx[h];

		if (e->iface == CLS_NONE ||
		    v->interfaces[e->iface].n_as_groups == 0)
			continue;
		e->ifas = (uint32_t)(n_ifas++ * c->n_as_loc);
		if (cls_cells_ifas_one(c, e->iface, e->ifas, seg, rows) == -1)
			goto out;
	}
	ret = 0;
out:
	free(rows);
	free(seg);
	return ret;
}

/* Every cell of the counter layout (after cls_layout()). */
static int
cls_build_cells(struct cls *c)
{
	const struct cls_scope *g = &c->global;
	/* The fixed cells, in CLS_CELL_* order. */
	const uint32_t fixed[] = { g->total, g->internal, g->transit,
		g->multicast };
	uint32_t *seen;
	size_t i;
	int ret = -1;

	if ((seen = malloc(c->n_sets * sizeof(*seen))) == NULL)
		return -1;
	for (i = 0; i < 4; i++)
		if (cls_cell_add(&c->cells, &fixed[i], 1, 0) == CLS_NONE)
			goto out;
	if (cls_cells_bytes(
		c, seen, c->proto_set, g->protocol, c->proto_cell) == -1 ||
	    cls_cells_bytes(c, seen, c->tos_set, g->tos, c->tos_cell) == -1 ||
	    cls_cells_svc(c, seen) == -1)
		goto out;
	if ((c->as_cell = malloc(c->as_n * sizeof(uint32_t))) == NULL)
		goto out;
	memset(seen, 0xff, c->n_sets * sizeof(*seen));
	for (i = 0; i < c->as_n; i++)
		if ((c->as_cell[i] = cls_cell_of(
			 &c->cells, c, seen, c->as_val[i], g->as)) == CLS_NONE)
			goto out;
	if ((c->net_cell = malloc(c->n_sets * sizeof(uint32_t))) == NULL ||
	    (c->net_svc = calloc(c->n_sets, 1)) == NULL)
		goto out;
	memset(c->net_cell, 0xff, c->n_sets * sizeof(uint32_t));
	memset(seen, 0xff, c->n_sets * sizeof(*seen));
	if (cls_cells_net(c, seen, c->v4_val, c->v4_n) == -1 ||
	    cls_cells_net(c, seen, c->v6_val, c->v6_n) == -1 ||
	    cls_cells_ifas(c, seen) == -1)
		goto out;
	ret = 0;
out:
	free(seen);
	return ret;
}

int
cls_build(struct cls *c, const struct vocab *v, struct errbuf *eb)
{
	struct cls_pool p;

	memset(c, 0, sizeof(*c));
	memset(&p, 0, sizeof(p));
	c->v = v;
	p.c = c;
	/* Never NULL, so set_ids + offset is always defined. */
	if ((c->set_ids = malloc(64 * sizeof(*c->set_ids))) == NULL)
		goto oom;
	p.cap_ids = 64;
	/* Set 0 is the empty set. */
	if (cls_intern(&p, NULL, 0) != 0)
		goto oom;
	if (cls_build_addrs(c, &p) == -1 || cls_build_as(c, &p) == -1)
		goto oom;
	if (cls_build_byte_map(&p, c->proto_set, 256, NULL, 0, v, true) == -1 ||
	    cls_build_byte_map(
		&p, c->tos_set, 256, v->tos, v->n_tos, v, false) == -1)
		goto oom;
	if (cls_build_ports(c, &p, eb) == -1)
		goto fail;
	if (cls_build_ifx(c) == -1 || cls_build_routers(c) == -1 ||
	    cls_layout(c) == -1 || cls_build_cells(c) == -1)
		goto oom;
	free(p.hash);
	return 0;
oom:
	errbuf_set(eb, "out of memory building the classification tables");
fail:
	free(p.hash);
	cls_clear(c);
	return -1;
}

void
cls_clear(struct cls *c)
{
	int i;

	free(c->set_off);
	free(c->set_n);
	free(c->set_ids);
	free(c->v4_start);
	free(c->v4_val);
	free(c->v4_first);
	free(c->v4_mid);
	free(c->v6_start);
	free(c->v6_val);
	for (i = 0; i < 256; i++)
		free(c->port_hi[i]);
	free(c->port_lo);
	free(c->as_start);
	free(c->as_val);
	free(c->ifx);
	free(c->cells.off);
	free(c->cells.rows);
	free(c->site_cells.off);
	free(c->site_cells.rows);
	free(c->svc_cell);
	free(c->as_cell);
	free(c->as_loc);
	free(c->ifas_cell);
	free(c->net_cell);
	free(c->net_svc);
	free(c->rt4_key);
	free(c->rt4_val);
	free(c->router);
	free(c->netsvc);
	free(c->ifas);
	memset(c, 0, sizeof(*c));
}

uint32_t
cls_addr6(const struct cls *c, const struct ft_addr *a)
{
	u128 x = cls_v6_u128(a->v6);
	size_t lo = 0, hi = c->v6_n;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->v6_start[mid] <= x)
			lo = mid;
		else
			hi = mid;
	}
	return c->v6_val[lo];
}
