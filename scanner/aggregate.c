/*
 * The per-flow path: find the exporter's router, apply the sampling rate,
 * decide the direction as CUFlow does (multicast first, then destination
 * inside = in, source inside = out; both = internal, neither = transit),
 * and add the flow to every counter row it belongs to.
 */
#include "scanner/aggregate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int
agg_init(struct agg *a, const struct cls *c)
{
	memset(a, 0, sizeof(*a));
	a->cls = c;
	a->rows = calloc(c->n_rows + 1, AGG_NCOUNT * sizeof(uint64_t));
	if (a->rows == NULL)
		return -1;
	a->last_router = CLS_NONE;
	return 0;
}

void
agg_clear(struct agg *a)
{
	free(a->rows);
	a->rows = NULL;
}

void
agg_reset(struct agg *a)
{
	memset(a->rows, 0, a->cls->n_rows * AGG_NCOUNT * sizeof(uint64_t));
	memset(&a->st, 0, sizeof(a->st));
}

static inline void
agg_add(
    uint64_t *rows, uint32_t row, int dir, uint64_t b, uint64_t p, uint64_t f)
{
	uint64_t *r = rows + (size_t)row * AGG_NCOUNT;

	r[AGG_IN_BYTES + dir] += b;
	r[AGG_IN_PKTS + dir] += p;
	r[AGG_IN_FLOWS + dir] += f;
}

static uint32_t
agg_router(struct agg *a, const struct ft_addr *exp)
{
	const struct cls *c = a->cls;
	const struct vocab *v = c->v;
	size_t i;

	if (ft_addr_equal(exp, &a->last_exp))
		return a->last_router;
	a->last_exp = *exp;
	a->last_router = CLS_NONE;
	if (exp->family == FT_AF_INET) {
		a->last_router = cls_router_v4(c, exp->v4);
		return a->last_router;
	}
	for (i = 0; i < v->n_routers; i++)
		if (ft_addr_equal(exp, &v->routers[i].addr)) {
			a->last_router = (uint32_t)i;
			break;
		}
	return a->last_router;
}

/* Values of one flow after sampling. */
struct agg_val {
	uint64_t b, p, f;
};

/* One row in the site scope and, when delta is not 0, the router's. */
static inline void
agg_one(struct agg *a, uint32_t row, uint32_t delta, int dir,
    const struct agg_val *x)
{
	agg_add(a->rows, row, dir, x->b, x->p, x->f);
	if (delta != 0)
		agg_add(a->rows, row + delta, dir, x->b, x->p, x->f);
}

/*
 * Rows base + id for every id of set, in the site scope and, when delta is
 * not 0, in the router's scope delta rows further (scopes share a layout).
 */
static inline void
agg_set(struct agg *a, uint32_t set, uint32_t base, uint32_t delta, int dir,
    const struct agg_val *x)
{
	uint32_t n, i;
	const uint32_t *ids = cls_set(a->cls, set, &n);

	for (i = 0; i < n; i++)
		agg_one(a, base + ids[i], delta, dir, x);
}

/* Multicast flow: total, multicast, ToS, AS. */
static void
agg_scope_mcast(struct agg *a, uint32_t delta, int dir, uint32_t tos_set,
    uint32_t as_set, const struct agg_val *x)
{
	const struct cls_scope *s = &a->cls->global;

	agg_one(a, s->total, delta, dir, x);
	agg_one(a, s->multicast, delta, dir, x);
	agg_set(a, tos_set, s->tos, delta, dir, x);
	agg_set(a, as_set, s->as, delta, dir, x);
}

/* An in/out flow in the site scope and the router's. */
static void
agg_scope(struct agg *a, uint32_t delta, int dir, uint32_t proto_set,
    uint32_t ssrc, uint32_t sdst, uint32_t tos_set, uint32_t as_set,
    const struct agg_val *x)
{
	const struct cls_scope *s = &a->cls->global;

	agg_one(a, s->total, delta, dir, x);
	agg_set(a, proto_set, s->protocol, delta, dir, x);
	agg_set(a, ssrc, s->svc_src, delta, dir, x);
	agg_set(a, sdst, s->svc_dst, delta, dir, x);
	agg_set(a, tos_set, s->tos, delta, dir, x);
	agg_set(a, as_set, s->as, delta, dir, x);
}

/*
 * Network and network x service rows for the inside host's networks. A
 * flow counts once in network_N_service_S when either port is in S.
 */
static void
agg_networks(struct agg *a, uint32_t nets, int dir, uint32_t ssrc,
    uint32_t sdst, const struct agg_val *x)
{
	const struct cls *c = a->cls;
	size_t nsvc = c->v->n_services;
	uint32_t nn, ns, nd, i, j, k;
	const uint32_t *ni = cls_set(c, nets, &nn);
	const uint32_t *si = cls_set(c, ssrc, &ns);
	const uint32_t *di = cls_set(c, sdst, &nd);

	for (i = 0; i < nn; i++) {
		const uint32_t *ns_row = c->netsvc + (size_t)ni[i] * nsvc;

		agg_add(a->rows, c->network + ni[i], dir, x->b, x->p, x->f);
		if (c->v->networks[ni[i]].n_services == 0)
			continue;
		for (j = 0; j < ns; j++)
			if (ns_row[si[j]] != CLS_NONE)
				agg_add(a->rows, ns_row[si[j]], dir, x->b, x->p,
				    x->f);
		for (k = 0; k < nd; k++) {
			if (ns_row[di[k]] == CLS_NONE)
				continue;
			/* Both sets are sorted: skip services already hit. */
			for (j = 0; j < ns && si[j] < di[k]; j++)
				;
			if (j < ns && si[j] == di[k])
				continue;
			agg_add(a->rows, ns_row[di[k]], dir, x->b, x->p, x->f);
		}
	}
}

/* Interface and interface x AS group rows of the exporter's router. */
static void
agg_ifaces(struct agg *a, uint32_t router, const struct flow *f,
    const struct agg_val *x)
{
	const struct cls *c = a->cls;
	size_t nas = c->v->n_as_groups;
	uint32_t ifc, n, i, dir;

	for (dir = AGG_IN; dir <= AGG_OUT; dir++) {
		uint32_t ifindex = dir == AGG_IN ? f->in_if : f->out_if;
		uint32_t asn = dir == AGG_IN ? f->src_as : f->dst_as;
		const uint32_t *ids;

		if ((ifc = cls_iface(c, router, ifindex)) == CLS_NONE)
			continue;
		agg_add(a->rows, c->iface + ifc, (int)dir, x->b, x->p, x->f);
		if (c->v->interfaces[ifc].n_as_groups == 0)
			continue;
		ids = cls_set(c, cls_as(c, asn), &n);
		for (i = 0; i < n; i++) {
			uint32_t row = c->ifas[(size_t)ifc * nas + ids[i]];

			if (row != CLS_NONE)
				agg_add(
				    a->rows, row, (int)dir, x->b, x->p, x->f);
		}
	}
}

/* Hand the held host ops to the callback. */
static void
agg_host_flush(struct agg *a)
{
	if (a->nhops > 0)
		a->host_fn(a->host_ctx, a->hops, a->nhops);
	a->nhops = 0;
}

static inline void
agg_classify(struct agg *a, const struct flow *f)
{
	const struct cls *c = a->cls;
	struct agg_val x;
	uint32_t router, rate, sv, dv, pset, tset, aset, ssrc = 0, sdst = 0;
	uint32_t delta = 0; /* router scope row - site scope row */
	const uint16_t *pm;
	int dir;

	a->st.flows++;
	router = agg_router(a, &f->exporter);
	if (router == CLS_NONE)
		a->st.no_router++;
	else
		delta = c->router[router].total - c->global.total;
	/*
	 * Counters are stored already multiplied by the record's rate. A
	 * router override replaces that rate.
	 */
	rate = router != CLS_NONE ? c->v->routers[router].sample_rate : 0;
	if (rate != 0) {
		uint32_t had = f->sampling > 1 ? f->sampling : 1;

		x.b = f->bytes / had * rate;
		x.p = f->packets / had * rate;
		x.f = rate;
	} else {
		if (f->sampling == 0)
			a->st.sampling_unknown++;
		x.b = f->bytes;
		x.p = f->packets;
		x.f = f->sampling > 1 ? f->sampling : 1;
	}
	if (router != CLS_NONE)
		agg_ifaces(a, router, f, &x);

	sv = cls_addr(c, &f->src);
	tset = c->tos_set[f->tos];
	if (cls_is_multicast(&f->dst)) {
		dir = (sv & 1) ? AGG_OUT : AGG_IN;
		aset = cls_as(c, dir == AGG_OUT ? f->dst_as : f->src_as);
		agg_scope_mcast(a, delta, dir, tset, aset, &x);
		a->st.hits++;
		a->st.multicast++;
		return;
	}
	dv = cls_addr(c, &f->dst);
	if ((sv & 1) && (dv & 1)) {
		agg_one(a, c->global.internal, delta, AGG_IN, &x);
		a->st.internal++;
		return;
	}
	if (!(sv & 1) && !(dv & 1)) {
		agg_one(a, c->global.transit, delta, AGG_IN, &x);
		a->st.transit++;
		return;
	}
	a->st.hits++;
	dir = (dv & 1) ? AGG_IN : AGG_OUT;
	aset = cls_as(c, dir == AGG_OUT ? f->dst_as : f->src_as);
	pset = c->proto_set[f->proto];
	if ((pm = c->port_map[f->proto]) != NULL) {
		ssrc = pm[f->sport];
		sdst = pm[f->dport];
	}
	agg_scope(a, delta, dir, pset, ssrc, sdst, tset, aset, &x);
	agg_networks(a, (dir == AGG_IN ? dv : sv) >> 1, dir, ssrc, sdst, &x);
	if (a->host_fn != NULL) {
		struct host_op *op = &a->hops[a->nhops++];

		op->host = dir == AGG_IN ? &f->dst : &f->src;
		op->dir = dir;
		op->bytes = x.b;
		op->pkts = x.p;
		op->flows = x.f;
		if (a->nhops == AGG_HOPS)
			agg_host_flush(a);
	}
}

void
agg_flows(struct agg *a, const struct flow *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		agg_classify(a, &f[i]);
	agg_host_flush(a);
}

void
agg_flow(struct agg *a, const struct flow *f)
{
	agg_flows(a, f, 1);
}
