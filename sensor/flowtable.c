/*
 * Flow table: a preallocated pool of entries chained in an open hash,
 * threaded on one least-recently-seen list per timeout class (idle expiry
 * and eviction look at list heads only) and on a creation-order list
 * (active timeout, expire-all). No allocation after flowtable_new().
 * A packet for a known flow touches only its bucket and entry: the class
 * lists are "second chance" ordered, an entry seen since it was placed is
 * moved to the tail when it reaches the head, not on every packet.
 */
#include "sensor/flowtable.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX

/*
 * 88 bytes. Times are ms after the table's base time (rebased every ~24
 * days); counters are 32-bit like NetFlow v5's, a flow about to overflow
 * one is exported and restarted.
 */
struct ft_ent {
	struct pkt_key key;
	uint32_t hnext;        /* hash chain, or free list */
	uint32_t lprev, lnext; /* class list, least recently seen first */
	uint32_t aprev, anext; /* creation order, oldest first */
	uint32_t bytes;
	uint32_t packets;
	uint32_t first_ms;
	uint32_t last_ms;
	uint32_t pos_ms; /* last_ms when last placed on its class list */
	uint8_t cls;
	uint8_t tcp_flags;
};

struct ft_list {
	uint32_t head, tail;
};

struct flowtable {
	struct ft_ent *pool;
	uint32_t *buckets; /* first entry + 1; 0 (calloc) is empty */
	uint32_t mask;
	uint32_t max;
	uint32_t unused; /* pool[unused..max) never used yet */
	uint32_t freelist;
	struct ft_list cls[FLOWTABLE_TMO_ACTIVE];
	struct ft_list age;
	uint64_t tmo_ms[FLOWTABLE_NTMO];
	uint64_t base_ms; /* entry times are relative to this */
	int based;
	flowtable_expire_fn *cb;
	void *arg;
	struct flowtable_stats st;
};

static const char *tmo_names[FLOWTABLE_NTMO] = { "tcp", "tcp.rst", "udp",
	"icmp", "general", "maxlife" };
static const char *why_names[FLOWTABLE_NWHY] = { "idle", "active", "evicted",
	"forced" };
static const uint32_t tmo_defaults[FLOWTABLE_NTMO] = { FLOWTABLE_DEF_TCP,
	FLOWTABLE_DEF_TCP_FIN, FLOWTABLE_DEF_UDP, FLOWTABLE_DEF_ICMP,
	FLOWTABLE_DEF_OTHER, FLOWTABLE_DEF_ACTIVE };

int
flowtable_tmo_lookup(const char *name)
{
	int i;

	for (i = 0; i < FLOWTABLE_NTMO; i++)
		if (strcmp(name, tmo_names[i]) == 0)
			return i;
	if (strcmp(name, "tcp.fin") == 0 || strcmp(name, "tcp_rst") == 0 ||
	    strcmp(name, "tcp_fin") == 0)
		return FLOWTABLE_TMO_TCP_FIN;
	if (strcmp(name, "other") == 0)
		return FLOWTABLE_TMO_OTHER;
	if (strcmp(name, "active") == 0)
		return FLOWTABLE_TMO_ACTIVE;
	return -1;
}

const char *
flowtable_tmo_name(enum flowtable_tmo t)
{
	return (unsigned)t < FLOWTABLE_NTMO ? tmo_names[t] : "unknown";
}

const char *
flowtable_why_name(enum flowtable_why w)
{
	return (unsigned)w < FLOWTABLE_NWHY ? why_names[w] : "unknown";
}

struct flowtable *
flowtable_new(size_t maxflows, const uint32_t *timeouts,
    flowtable_expire_fn *cb, void *arg)
{
	struct flowtable *ft;
	size_t nb;
	int i;

	if (maxflows == 0 || maxflows >= NIL / 4) {
		errno = EINVAL;
		return NULL;
	}
	if ((ft = calloc(1, sizeof(*ft))) == NULL)
		return NULL;
	for (nb = 16; nb < maxflows; nb <<= 1)
		;
	/* calloc: pages of the pool are only touched as flows use them. */
	if ((ft->pool = calloc(maxflows, sizeof(*ft->pool))) == NULL ||
	    (ft->buckets = calloc(nb, sizeof(*ft->buckets))) == NULL)
		goto fail;
	ft->mask = (uint32_t)(nb - 1);
	ft->max = (uint32_t)maxflows;
	ft->freelist = NIL;
	for (i = 0; i < FLOWTABLE_TMO_ACTIVE; i++)
		ft->cls[i].head = ft->cls[i].tail = NIL;
	ft->age.head = ft->age.tail = NIL;
	for (i = 0; i < FLOWTABLE_NTMO; i++)
		ft->tmo_ms[i] =
		    (uint64_t)(timeouts ? timeouts[i] : tmo_defaults[i]) * 1000;
	ft->cb = cb;
	ft->arg = arg;
	ft->st.max = maxflows;
	return ft;
fail:
	free(ft->pool);
	free(ft->buckets);
	free(ft);
	return NULL;
}

void
flowtable_free(struct flowtable *ft)
{
	if (ft == NULL)
		return;
	free(ft->pool);
	free(ft->buckets);
	free(ft);
}

static uint32_t
ft_hash(const struct pkt_key *k)
{
	uint64_t w[sizeof(*k) / 8 + 1], h = 0x243f6a8885a308d3ULL;
	size_t i;

	w[sizeof(*k) / 8] = 0;
	memcpy(w, k, sizeof(*k));
	for (i = 0; i < sizeof(w) / 8; i++) {
		h = (h ^ w[i]) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	return (uint32_t)(h ^ (h >> 32));
}

/* Doubly linked lists threaded through the pool by index. */
#define LIST_APPEND(ft, l, idx, PREV, NEXT)                                    \
	do {                                                                   \
		(ft)->pool[idx].PREV = (l)->tail;                              \
		(ft)->pool[idx].NEXT = NIL;                                    \
		if ((l)->tail != NIL)                                          \
			(ft)->pool[(l)->tail].NEXT = (idx);                    \
		else                                                           \
			(l)->head = (idx);                                     \
		(l)->tail = (idx);                                             \
	} while (0)
#define LIST_REMOVE(ft, l, idx, PREV, NEXT)                                    \
	do {                                                                   \
		struct ft_ent *e_ = &(ft)->pool[idx];                          \
		if (e_->PREV != NIL)                                           \
			(ft)->pool[e_->PREV].NEXT = e_->NEXT;                  \
		else                                                           \
			(l)->head = e_->NEXT;                                  \
		if (e_->NEXT != NIL)                                           \
			(ft)->pool[e_->NEXT].PREV = e_->PREV;                  \
		else                                                           \
			(l)->tail = e_->PREV;                                  \
	} while (0)

static void
ft_key_to_addr(uint8_t family, const uint8_t *b, struct ft_addr *a)
{
	if (family == FT_AF_INET)
		ft_addr_set_v4(a,
		    (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
			(uint32_t)b[2] << 8 | b[3]);
	else
		ft_addr_set_v6(a, b);
}

static void
ft_to_flow(const struct flowtable *ft, const struct ft_ent *e, struct flow *f)
{
	memset(f, 0, sizeof(*f));
	f->bytes = e->bytes;
	f->packets = e->packets;
	f->first_ms = ft->base_ms + e->first_ms;
	f->last_ms = ft->base_ms + e->last_ms;
	ft_key_to_addr(e->key.family, e->key.src, &f->src);
	ft_key_to_addr(e->key.family, e->key.dst, &f->dst);
	f->sampling = 1;
	f->sport = e->key.sport;
	f->dport = e->key.dport;
	f->proto = e->key.proto;
	f->tos = e->key.tos;
	f->tcp_flags = e->tcp_flags;
	f->direction = FLOW_DIR_UNKNOWN;
	f->vlan = e->key.vlan;
}

/* Unlink entry idx everywhere, report it, and free it. */
static void
ft_remove(struct flowtable *ft, uint32_t idx, enum flowtable_why why)
{
	struct ft_ent *e = &ft->pool[idx];
	struct flow f;
	uint32_t *bp = &ft->buckets[ft_hash(&e->key) & ft->mask], p;

	if (*bp - 1 == idx)
		*bp = e->hnext + 1;
	else {
		for (p = *bp - 1; ft->pool[p].hnext != idx;
		     p = ft->pool[p].hnext)
			;
		ft->pool[p].hnext = e->hnext;
	}
	LIST_REMOVE(ft, &ft->cls[e->cls], idx, lprev, lnext);
	LIST_REMOVE(ft, &ft->age, idx, aprev, anext);
	ft_to_flow(ft, e, &f);
	ft->st.expired[why]++;
	ft->st.active--;
	e->hnext = ft->freelist;
	ft->freelist = idx;
	if (ft->cb != NULL)
		ft->cb(ft->arg, &f, why);
}

static uint8_t
ft_class(const struct pkt_info *pi)
{
	switch (pi->key.proto) {
	case 6:
		return (pi->tcp_flags & 0x05) ? FLOWTABLE_TMO_TCP_FIN
					      : FLOWTABLE_TMO_TCP;
	case 17:
		return FLOWTABLE_TMO_UDP;
	case 1:
	case 58:
		return FLOWTABLE_TMO_ICMP;
	default:
		return FLOWTABLE_TMO_OTHER;
	}
}

/* Whether e's idle or active timeout ran out by now; sets *why. */
static int
ft_is_expired(const struct flowtable *ft, const struct ft_ent *e, uint32_t now,
    enum flowtable_why *why)
{
	if (now > e->last_ms && now - e->last_ms > ft->tmo_ms[e->cls]) {
		*why = FLOWTABLE_IDLE;
		return 1;
	}
	if (now > e->first_ms &&
	    now - e->first_ms > ft->tmo_ms[FLOWTABLE_TMO_ACTIVE]) {
		*why = FLOWTABLE_ACTIVE;
		return 1;
	}
	return 0;
}

/* Move entry idx, seen since it was placed, to the tail of its list. */
static void
ft_requeue(struct flowtable *ft, uint32_t idx)
{
	struct ft_ent *e = &ft->pool[idx];

	LIST_REMOVE(ft, &ft->cls[e->cls], idx, lprev, lnext);
	e->pos_ms = e->last_ms;
	LIST_APPEND(ft, &ft->cls[e->cls], idx, lprev, lnext);
}

/* The least recently seen flow over all class lists. */
static uint32_t
ft_oldest(struct flowtable *ft)
{
	uint32_t best = NIL, h;
	int i, n;

	for (i = 0; i < FLOWTABLE_TMO_ACTIVE; i++) {
		/* Give heads seen since they were placed a second chance. */
		for (n = 0; n < 64 && (h = ft->cls[i].head) != NIL &&
		     ft->pool[h].last_ms != ft->pool[h].pos_ms;
		     n++)
			ft_requeue(ft, h);
	}
	for (i = 0; i < FLOWTABLE_TMO_ACTIVE; i++) {
		h = ft->cls[i].head;
		if (h != NIL &&
		    (best == NIL ||
			ft->pool[h].last_ms < ft->pool[best].last_ms))
			best = h;
	}
	return best;
}

static uint32_t
ft_alloc(struct flowtable *ft)
{
	uint32_t idx;

	if (ft->freelist == NIL && ft->unused == ft->max)
		ft_remove(ft, ft_oldest(ft), FLOWTABLE_EVICTED);
	if (ft->freelist != NIL) {
		idx = ft->freelist;
		ft->freelist = ft->pool[idx].hnext;
	} else
		idx = ft->unused++;
	return idx;
}

static void
ft_add_hashed(
    struct flowtable *ft, const struct pkt_info *pi, uint32_t h, uint32_t now)
{
	uint32_t idx;
	struct ft_ent *e;
	enum flowtable_why why = FLOWTABLE_NWHY;
	uint8_t cls;

	ft->st.packets++;
	ft->st.bytes += pi->bytes;
	for (idx = ft->buckets[h & ft->mask] - 1; idx != NIL; idx = e->hnext) {
		e = &ft->pool[idx];
		if (memcmp(&e->key, &pi->key, sizeof(e->key)) == 0)
			break;
	}
	if (idx != NIL &&
	    (e->packets == UINT32_MAX || e->bytes > UINT32_MAX - pi->bytes))
		why = FLOWTABLE_ACTIVE; /* would overflow: restart */
	else if (idx != NIL && !ft_is_expired(ft, e, now, &why))
		why = FLOWTABLE_NWHY;
	if (idx != NIL && why != FLOWTABLE_NWHY) {
		ft_remove(ft, idx, why);
		idx = NIL;
	}
	if (idx == NIL) {
		idx = ft_alloc(ft);
		e = &ft->pool[idx];
		e->key = pi->key;
		e->hnext = ft->buckets[h & ft->mask] - 1;
		ft->buckets[h & ft->mask] = idx + 1;
		e->cls = ft_class(pi);
		e->tcp_flags = 0;
		e->bytes = e->packets = 0;
		e->first_ms = e->last_ms = e->pos_ms = now;
		LIST_APPEND(ft, &ft->cls[e->cls], idx, lprev, lnext);
		LIST_APPEND(ft, &ft->age, idx, aprev, anext);
		ft->st.created++;
		ft->st.active++;
	} else if (e->cls != FLOWTABLE_TMO_TCP_FIN &&
	    (cls = ft_class(pi)) != e->cls) {
		LIST_REMOVE(ft, &ft->cls[e->cls], idx, lprev, lnext);
		e->cls = cls;
		e->pos_ms = now > e->last_ms ? now : e->last_ms;
		LIST_APPEND(ft, &ft->cls[e->cls], idx, lprev, lnext);
	}
	e->bytes += pi->bytes;
	e->packets++;
	e->tcp_flags |= pi->tcp_flags;
	if (now > e->last_ms)
		e->last_ms = now;
	if (now < e->first_ms)
		e->first_ms = now;
}

#define FT_REBASE_AT   (1ULL << 31) /* ~24.8 days after the base */
#define FT_REBASE_KEEP (1ULL << 30) /* how far back the new base goes */

/*
 * Move the base forward by delta ms (now is ms after the old base). Flows
 * that started before the new base are exported first: with timeouts
 * under FT_REBASE_KEEP they have timed out anyway.
 */
static void
ft_rebase(struct flowtable *ft, uint64_t now, uint64_t delta)
{
	struct ft_ent *e;
	uint32_t idx;

	while ((idx = ft->age.head) != NIL && ft->pool[idx].first_ms < delta) {
		e = &ft->pool[idx];
		ft_remove(ft, idx,
		    now - e->last_ms > ft->tmo_ms[e->cls] ? FLOWTABLE_IDLE
							  : FLOWTABLE_ACTIVE);
	}
	for (idx = ft->age.head; idx != NIL; idx = e->anext) {
		e = &ft->pool[idx];
		e->first_ms =
		    e->first_ms > delta ? e->first_ms - (uint32_t)delta : 0;
		e->last_ms =
		    e->last_ms > delta ? e->last_ms - (uint32_t)delta : 0;
		e->pos_ms = e->pos_ms > delta ? e->pos_ms - (uint32_t)delta : 0;
	}
	ft->base_ms += delta;
}

/* now_ms relative to the base (earlier times count as the base). */
static uint32_t
ft_rel(struct flowtable *ft, uint64_t now_ms)
{
	if (!ft->based) {
		ft->base_ms = now_ms;
		ft->based = 1;
	}
	if (now_ms < ft->base_ms)
		return 0;
	if (now_ms - ft->base_ms >= FT_REBASE_AT)
		ft_rebase(ft, now_ms - ft->base_ms,
		    now_ms - ft->base_ms - FT_REBASE_KEEP);
	return (uint32_t)(now_ms - ft->base_ms);
}

void
flowtable_add(struct flowtable *ft, const struct pkt_info *pi, uint64_t now)
{
	ft_add_hashed(ft, pi, ft_hash(&pi->key), ft_rel(ft, now));
}

void
flowtable_add_batch(struct flowtable *ft, const struct pkt_info *pi,
    const uint64_t *now, size_t n)
{
	uint32_t h[FLOWTABLE_BATCH], idx;
	size_t i;

	while (n > 0) {
		size_t k = n < FLOWTABLE_BATCH ? n : FLOWTABLE_BATCH;
		/* Overlap the cache misses: buckets, then entries. */
		for (i = 0; i < k; i++) {
			h[i] = ft_hash(&pi[i].key);
			__builtin_prefetch(&ft->buckets[h[i] & ft->mask]);
		}
		for (i = 0; i < k; i++) {
			idx = ft->buckets[h[i] & ft->mask] - 1;
			if (idx != NIL)
				__builtin_prefetch(&ft->pool[idx]);
		}
		for (i = 0; i < k; i++)
			ft_add_hashed(ft, &pi[i], h[i], ft_rel(ft, now[i]));
		pi += k;
		now += k;
		n -= k;
	}
}

size_t
flowtable_expire(struct flowtable *ft, uint64_t now_ms)
{
	uint32_t now = ft_rel(ft, now_ms);
	enum flowtable_why why;
	size_t n = 0;
	uint32_t h;
	int i;

	for (i = 0; i < FLOWTABLE_TMO_ACTIVE; i++)
		while ((h = ft->cls[i].head) != NIL &&
		    now > ft->pool[h].pos_ms &&
		    now - ft->pool[h].pos_ms > ft->tmo_ms[i]) {
			if (ft_is_expired(ft, &ft->pool[h], now, &why)) {
				ft_remove(ft, h, why);
				n++;
			} else
				ft_requeue(ft, h); /* seen since: later */
		}
	while ((h = ft->age.head) != NIL &&
	    ft_is_expired(ft, &ft->pool[h], now, &why)) {
		ft_remove(ft, h, why);
		n++;
	}
	return n;
}

size_t
flowtable_expire_all(struct flowtable *ft)
{
	size_t n = 0;

	while (ft->age.head != NIL) {
		ft_remove(ft, ft->age.head, FLOWTABLE_FORCED);
		n++;
	}
	return n;
}

void
flowtable_walk(struct flowtable *ft, flowtable_visit_fn *fn, void *arg)
{
	struct flow f;
	uint32_t idx;

	for (idx = ft->age.head; idx != NIL; idx = ft->pool[idx].anext) {
		ft_to_flow(ft, &ft->pool[idx], &f);
		fn(arg, &f);
	}
}

void
flowtable_get_stats(const struct flowtable *ft, struct flowtable_stats *st)
{
	*st = ft->st;
}
