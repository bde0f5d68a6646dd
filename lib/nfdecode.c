/*
 * The decoding session: exporters (bounded, least recently used evicted),
 * data held until its template comes (bounded in bytes, oldest dropped),
 * and dispatch of each datagram to the v5, v9 or IPFIX parser.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"
#include "lib/netflow5.h"
#include "lib/nfdecode.h"
#include "lib/nfstate.h"

static const char *nf_errstr[NF_NERR] = {
	"ok",
	"datagram shorter than its header",
	"unknown NetFlow version",
	"bad v5 record count",
	"length disagrees with the datagram",
	"malformed flowset",
	"malformed template",
	"state limit reached",
};

const char *
nf_strerror(int err)
{
	if (err > 0 || err <= -NF_NERR)
		return "unknown error";
	return nf_errstr[-err];
}

struct nf_session *
nf_session_new(const struct nf_limits *lim)
{
	struct nf_session *s;
	size_t nb = 16;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if (lim != NULL)
		s->lim = *lim;
	if (s->lim.max_templates == 0)
		s->lim.max_templates = NF_DEF_TEMPLATES;
	if (s->lim.max_held_bytes == 0)
		s->lim.max_held_bytes = NF_DEF_HELD_BYTES;
	if (s->lim.max_exporters == 0)
		s->lim.max_exporters = NF_DEF_EXPORTERS;
	while (nb < s->lim.max_exporters * 2 && nb < ((size_t)1 << 20))
		nb <<= 1;
	if ((s->ebuckets = calloc(nb, sizeof(*s->ebuckets))) == NULL)
		goto fail;
	s->nebuckets = nb;
	if (nft_cache_init(&s->tc, s->lim.max_templates) == -1)
		goto fail;
	TAILQ_INIT(&s->elru);
	TAILQ_INIT(&s->held);
	return s;
fail:
	free(s->ebuckets);
	free(s);
	return NULL;
}

static void
nf_held_free(struct nf_session *s, struct nf_held *h)
{
	TAILQ_REMOVE(&s->held, h, q);
	s->nheld--;
	s->held_bytes -= sizeof(*h) + h->len;
	free(h);
}

void
nf_session_free(struct nf_session *s)
{
	struct nf_exporter *e;
	struct nf_held *h;

	if (s == NULL)
		return;
	while ((h = TAILQ_FIRST(&s->held)) != NULL)
		nf_held_free(s, h);
	nft_cache_clear(&s->tc);
	while ((e = TAILQ_FIRST(&s->elru)) != NULL) {
		TAILQ_REMOVE(&s->elru, e, lru);
		free(e);
	}
	free(s->ebuckets);
	free(s);
}

void
nf_session_stats(const struct nf_session *s, struct nf_session_stats *st)
{
	*st = s->st;
	st->templates = s->tc.count;
	st->templates_evicted = s->tc.evicted;
	st->exporters = s->nexporters;
	st->held_sets = s->nheld;
	st->held_bytes = s->held_bytes;
}

void
nf_session_set_options_fn(struct nf_session *s, nf_options_fn *fn, void *arg)
{
	s->opt_fn = fn;
	s->opt_arg = arg;
}

static size_t
nf_exporter_hash(const struct nf_session *s, const struct ft_addr *addr,
    uint16_t port, uint16_t version, uint32_t domain)
{
	const uint8_t *p = (const uint8_t *)addr;
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < sizeof(*addr); i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	h = (h ^ port) * 0x100000001b3ull;
	h = (h ^ version) * 0x100000001b3ull;
	h = (h ^ domain) * 0x100000001b3ull;
	h ^= h >> 32;
	return (size_t)h & (s->nebuckets - 1);
}

static void
nf_exporter_evict(struct nf_session *s, struct nf_exporter *e)
{
	struct nf_exporter **pp;
	struct nf_held *h, *next;

	nft_drop_exporter(&s->tc, e);
	for (h = TAILQ_FIRST(&s->held); h != NULL; h = next) {
		next = TAILQ_NEXT(h, q);
		if (h->exp == e) {
			nf_held_free(s, h);
			s->st.held_dropped++;
		}
	}
	for (pp = &s->ebuckets[nf_exporter_hash(
		 s, &e->addr, e->port, e->version, e->domain)];
	     *pp != NULL; pp = &(*pp)->hnext) {
		if (*pp == e) {
			*pp = e->hnext;
			break;
		}
	}
	TAILQ_REMOVE(&s->elru, e, lru);
	s->nexporters--;
	s->st.exporters_evicted++;
	free(e);
}

struct nf_exporter *
nf_exporter_get(struct nf_session *s, const struct ft_addr *addr, uint16_t port,
    uint16_t version, uint32_t domain)
{
	struct nf_exporter *e;
	size_t h = nf_exporter_hash(s, addr, port, version, domain);

	for (e = s->ebuckets[h]; e != NULL; e = e->hnext) {
		if (e->port == port && e->version == version &&
		    e->domain == domain && ft_addr_equal(&e->addr, addr)) {
			TAILQ_REMOVE(&s->elru, e, lru);
			TAILQ_INSERT_TAIL(&s->elru, e, lru);
			return e;
		}
	}
	if (s->nexporters >= s->lim.max_exporters &&
	    (e = TAILQ_FIRST(&s->elru)) != NULL)
		nf_exporter_evict(s, e);
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->addr = *addr;
	e->port = port;
	e->version = version;
	e->domain = domain;
	e->hnext = s->ebuckets[h];
	s->ebuckets[h] = e;
	TAILQ_INSERT_TAIL(&s->elru, e, lru);
	s->nexporters++;
	return e;
}

static int
nf_release(struct nf_ctx *c, const struct nft_template *t)
{
	struct nf_session *s = c->s;
	struct nf_held *h, *next;
	struct rbuf set;
	uint32_t up = c->sys_uptime;
	uint64_t ems = c->export_ms;
	int rc = 0;

	c->releasing = true;
	for (h = TAILQ_FIRST(&s->held); h != NULL; h = next) {
		next = TAILQ_NEXT(h, q);
		if (h->exp != c->exp || h->tid != t->id)
			continue;
		c->sys_uptime = h->sys_uptime;
		c->export_ms = h->export_ms;
		rbuf_init(&set, h->data, h->len);
		/* Once the consumer stops, the rest is dropped, and counted. */
		if (rc != 0)
			s->st.held_dropped++;
		else if (nfrec_decode_set(c, t, &set) == -1)
			rc = -1;
		nf_held_free(s, h);
	}
	c->releasing = false;
	c->sys_uptime = up;
	c->export_ms = ems;
	return rc;
}

int
nf_template_learn(struct nf_ctx *c, uint16_t id, bool options, uint16_t nscope,
    const struct nft_field *fields, size_t n)
{
	struct nft_template *t;

	if ((t = nft_insert(
		 &c->s->tc, c->exp, id, options, nscope, fields, n)) == NULL) {
		c->s->st.templates_rejected++;
		return -1;
	}
	nfrec_compile(t);
	c->info->templates++;
	if (nf_release(c, t) == -1)
		c->stop = true;
	return 0;
}

void
nf_template_withdraw(struct nf_ctx *c, uint16_t id, int options)
{
	if (options >= 0 && (id == 2 || id == 3)) {
		nft_withdraw_all(&c->s->tc, c->exp, options);
		c->info->withdrawn++;
	} else if (nft_withdraw(&c->s->tc, c->exp, id) == 0)
		c->info->withdrawn++;
}

static void
nf_hold(struct nf_ctx *c, uint16_t tid, struct rbuf *set)
{
	struct nf_session *s = c->s;
	struct nf_held *h;
	size_t len = rbuf_left(set), need = sizeof(*h) + len;

	if (need > s->lim.max_held_bytes) {
		s->st.held_dropped++;
		c->info->skipped++;
		return;
	}
	while (s->held_bytes + need > s->lim.max_held_bytes &&
	    (h = TAILQ_FIRST(&s->held)) != NULL) {
		nf_held_free(s, h);
		s->st.held_dropped++;
	}
	if ((h = malloc(need)) == NULL) {
		s->st.held_dropped++;
		c->info->skipped++;
		return;
	}
	h->exp = c->exp;
	h->tid = tid;
	h->sys_uptime = c->sys_uptime;
	h->export_ms = c->export_ms;
	h->len = len;
	if (rbuf_bytes(set, h->data, len) == -1) {
		free(h);
		return;
	}
	TAILQ_INSERT_TAIL(&s->held, h, q);
	s->nheld++;
	s->held_bytes += need;
	c->info->held++;
}

int
nf_data_set(struct nf_ctx *c, uint16_t tid, struct rbuf *set)
{
	struct nft_template *t;

	if ((t = nft_lookup(&c->s->tc, c->exp, tid)) == NULL) {
		nf_hold(c, tid, set);
		return 0;
	}
	return nfrec_decode_set(c, t, set);
}

int
nf_decode(struct nf_session *s, const uint8_t *pkt, size_t len,
    const struct sockaddr *from, uint64_t arrival_ms, nf_emit_fn *emit,
    void *arg, struct nf_packet_info *info)
{
	struct nf_ctx c;
	struct ft_addr addr;
	uint16_t port = 0, version;

	(void)arrival_ms;
	memset(info, 0, sizeof(*info));
	memset(&addr, 0, sizeof(addr));
	if (from != NULL)
		addr_from_sockaddr(from, &addr, &port);
	if (len < 2)
		return NF_ERR_SHORT;
	version = (uint16_t)(pkt[0] << 8 | pkt[1]);
	info->version = version;
	if (version == 5)
		return nf5_decode(pkt, len, &addr, emit, arg, info);
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.version = version;
	c.emit = emit;
	c.arg = arg;
	c.info = info;
	if (version == 9)
		return nf9_decode(&c, pkt, len, &addr, port);
	if (version == 10)
		return ipfix_decode(&c, pkt, len, &addr, port);
	return NF_ERR_VERSION;
}
