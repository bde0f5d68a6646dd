/*
 * The per-flow path: find the exporter's router, apply the sampling rate,
 * decide the direction as CUFlow does (multicast first, then destination
 * inside = in, source inside = out; both = internal, neither = transit),
 * and add the flow to one cell per kind (classify.h), folded into every
 * counter row it belongs to when the rows are read (agg_rows()).
 */
#include "scanner/aggregate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int
agg_init(struct agg *a, const struct cls *c)
{
	size_t nslot = c->v->n_routers + 1;

	memset(a, 0, sizeof(*a));
	a->cls = c;
	a->rows = calloc(c->n_rows + 1, AGG_NCOUNT * sizeof(uint64_t));
	/* Cells on cache lines: a multiple of 64 bytes, 64-byte aligned. */
	a->cells = aligned_alloc(64, (nslot * c->cells.n + 1) * AGG_CELL * 8);
	a->site_cells = aligned_alloc(64, (c->site_cells.n + 1) * AGG_CELL * 8);
	if (a->rows == NULL || a->cells == NULL || a->site_cells == NULL) {
		agg_clear(a);
		return -1;
	}
	a->last_router = CLS_NONE;
	a->last_cells = a->cells;
	agg_reset(a);
	return 0;
}

void
agg_clear(struct agg *a)
{
	free(a->rows);
	free(a->cells);
	free(a->site_cells);
	a->rows = a->cells = a->site_cells = NULL;
}

void
agg_reset(struct agg *a)
{
	const struct cls *c = a->cls;

	memset(a->rows, 0, c->n_rows * AGG_NCOUNT * sizeof(uint64_t));
	memset(a->cells, 0,
	    (c->v->n_routers + 1) * c->cells.n * AGG_CELL * sizeof(uint64_t));
	memset(a->site_cells, 0, c->site_cells.n * AGG_CELL * sizeof(uint64_t));
	memset(&a->st, 0, sizeof(a->st));
	a->pending = false;
}

/* Values of one flow after sampling. */
struct agg_val {
	uint64_t b, p, f;
};

/* Add x to the counters r (AGG_* order) in direction dir. */
static inline void
agg_bump(uint64_t *r, int dir, const struct agg_val *x)
{
	r[AGG_IN_BYTES + dir] += x->b;
	r[AGG_IN_PKTS + dir] += x->p;
	r[AGG_IN_FLOWS + dir] += x->f;
}

/* Add x to row k. */
static inline void
agg_add(uint64_t *rows, uint32_t k, int dir, const struct agg_val *x)
{
	agg_bump(rows + (size_t)k * AGG_NCOUNT, dir, x);
}

/* Add x to cell k of a slot (or of the network cells). */
static inline void
agg_cell(uint64_t *cells, uint32_t k, int dir, const struct agg_val *x)
{
	agg_bump(cells + (size_t)k * AGG_CELL, dir, x);
}

/*
 * Fold the cells of one slot into their rows, and delta rows further when
 * scoped is set (a router's scope), then zero them.
 */
static void
agg_fold(uint64_t *rows, uint64_t *cells, const struct cls_cells *cl,
    bool scoped, uint32_t delta)
{
	size_t k, j, i;

	for (k = 0; k < cl->n; k++) {
		uint64_t *x = cells + k * AGG_CELL, any = 0;

		for (i = 0; i < AGG_NCOUNT; i++)
			any |= x[i];
		if (any == 0)
			continue;
		for (j = cl->off[k]; j < cl->off[k + 1]; j++) {
			uint64_t *r = rows + (size_t)cl->rows[j] * AGG_NCOUNT;

			for (i = 0; i < AGG_NCOUNT; i++)
				r[i] += x[i];
			if (!scoped)
				continue;
			r += (size_t)delta * AGG_NCOUNT;
			for (i = 0; i < AGG_NCOUNT; i++)
				r[i] += x[i];
		}
		memset(x, 0, AGG_NCOUNT * sizeof(*x));
	}
}

const uint64_t *
agg_rows(struct agg *a)
{
	const struct cls *c = a->cls;
	size_t r;

	if (!a->pending)
		return a->rows;
	agg_fold(a->rows, a->cells, &c->cells, false, 0);
	for (r = 0; r < c->v->n_routers; r++)
		agg_fold(a->rows, a->cells + (r + 1) * c->cells.n * AGG_CELL,
		    &c->cells, true, c->router[r].total - c->global.total);
	agg_fold(a->rows, a->site_cells, &c->site_cells, false, 0);
	a->pending = false;
	return a->rows;
}

/* The exporter's router (or CLS_NONE); sets last_cells to its slot. */
static uint32_t
agg_router(struct agg *a, const struct ft_addr *exp)
{
	const struct cls *c = a->cls;
	const struct vocab *v = c->v;
	uint32_t r = CLS_NONE;
	size_t i;

	if (ft_addr_equal(exp, &a->last_exp))
		return a->last_router;
	if (exp->family == FT_AF_INET)
		r = cls_router_v4(c, exp->v4);
	else
		for (i = 0; i < v->n_routers; i++)
			if (ft_addr_equal(exp, &v->routers[i].addr)) {
				r = (uint32_t)i;
				break;
			}
	a->last_exp = *exp;
	a->last_router = r;
	a->last_cells = a->cells +
	    (r == CLS_NONE ? 0 : (size_t)(r + 1) * c->cells.n * AGG_CELL);
	return r;
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
	const uint32_t *ni, *si, *di;

	agg_cell(a->site_cells, c->net_cell[nets], dir, x);
	if (!c->net_svc[nets])
		return;
	ni = cls_set(c, nets, &nn);
	si = cls_set(c, ssrc, &ns);
	di = cls_set(c, sdst, &nd);
	for (i = 0; i < nn; i++) {
		const uint32_t *ns_row = c->netsvc + (size_t)ni[i] * nsvc;

		if (c->v->networks[ni[i]].n_services == 0)
			continue;
		for (j = 0; j < ns; j++)
			if (ns_row[si[j]] != CLS_NONE)
				agg_add(a->rows, ns_row[si[j]], dir, x);
		for (k = 0; k < nd; k++) {
			if (ns_row[di[k]] == CLS_NONE)
				continue;
			/* Both sets are sorted: skip services already hit. */
			for (j = 0; j < ns && si[j] < di[k]; j++)
				;
			if (j < ns && si[j] == di[k])
				continue;
			agg_add(a->rows, ns_row[di[k]], dir, x);
		}
	}
}

/*
 * Interface and interface x AS group counters of (router, ifindex) in
 * direction dir, the far end's AS being in segment seg.
 */
static inline void
agg_iface(struct agg *a, uint32_t router, uint32_t ifindex, size_t seg, int dir,
    const struct agg_val *x)
{
	const struct cls *c = a->cls;
	const struct cls_ifx *e;
	uint32_t k;

	if ((e = cls_iface(c, router, ifindex)) == NULL)
		return;
	agg_add(a->rows, c->iface + e->iface, dir, x);
	if (e->ifas != CLS_NONE &&
	    (k = c->ifas_cell[e->ifas + c->as_loc[seg]]) != CLS_NONE)
		agg_cell(a->site_cells, k, dir, x);
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
	uint32_t router, rate, sv, dv, ssrc = 0, sdst = 0;
	uint64_t *cs; /* the cells of the flow's scope slot */
	const uint32_t *pm;
	size_t sseg, dseg, aseg;
	int dir;

	a->st.flows++;
	router = agg_router(a, &f->exporter);
	cs = a->last_cells;
	if (router == CLS_NONE)
		a->st.no_router++;
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
	sseg = cls_as_seg(c, f->src_as);
	dseg = cls_as_seg(c, f->dst_as);
	/* In through in_if from the source AS, out through out_if to the
	 * destination AS. */
	if (router != CLS_NONE) {
		agg_iface(a, router, f->in_if, sseg, AGG_IN, &x);
		agg_iface(a, router, f->out_if, dseg, AGG_OUT, &x);
	}

	sv = cls_addr(c, &f->src);
	if (cls_is_multicast(&f->dst)) {
		dir = (sv & 1) ? AGG_OUT : AGG_IN;
		aseg = dir == AGG_OUT ? dseg : sseg;
		agg_cell(cs, CLS_CELL_TOTAL, dir, &x);
		agg_cell(cs, CLS_CELL_MCAST, dir, &x);
		agg_cell(cs, c->tos_cell[f->tos], dir, &x);
		agg_cell(cs, c->as_cell[aseg], dir, &x);
		a->st.hits++;
		a->st.multicast++;
		return;
	}
	dv = cls_addr(c, &f->dst);
	if ((sv & 1) && (dv & 1)) {
		agg_cell(cs, CLS_CELL_INTERNAL, AGG_IN, &x);
		a->st.internal++;
		return;
	}
	if (!(sv & 1) && !(dv & 1)) {
		agg_cell(cs, CLS_CELL_TRANSIT, AGG_IN, &x);
		a->st.transit++;
		return;
	}
	a->st.hits++;
	dir = (dv & 1) ? AGG_IN : AGG_OUT;
	aseg = dir == AGG_OUT ? dseg : sseg;
	if ((pm = c->port_hi[f->proto]) != NULL) {
		ssrc = cls_port(c, pm, f->sport);
		sdst = cls_port(c, pm, f->dport);
	}
	agg_cell(cs, CLS_CELL_TOTAL, dir, &x);
	agg_cell(cs, c->proto_cell[f->proto], dir, &x);
	agg_cell(cs, c->svc_cell[ssrc], dir, &x);
	agg_cell(cs, c->svc_cell[sdst] + c->n_svc_cells, dir, &x);
	agg_cell(cs, c->tos_cell[f->tos], dir, &x);
	agg_cell(cs, c->as_cell[aseg], dir, &x);
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

	a->pending = true;
	for (i = 0; i < n; i++)
		agg_classify(a, &f[i]);
	agg_host_flush(a);
}

void
agg_flow(struct agg *a, const struct flow *f)
{
	agg_flows(a, f, 1);
}
