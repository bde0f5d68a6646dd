/*
 * Counter cells: for each kind of object a flow is counted in, the
 * distinct sets of objects (a port in several services, an address in
 * several networks) become one cell each, listing the counter rows it
 * folds into, so the per-flow path adds to one cell per kind.
 */
#include "scanner/cells.h"

#include <stdlib.h>
#include <string.h>

/* A new cell over rows base + ids[0..n): its index, or CLS_NONE. */
static uint32_t
cells_add(struct cls_cells *b, const uint32_t *ids, uint32_t n, uint32_t base)
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
cells_of(struct cls_cells *b, const struct cls *c, uint32_t *seen, uint32_t set,
    uint32_t base)
{
	uint32_t n;
	const uint32_t *ids;

	if (seen[set] == CLS_NONE) {
		ids = cls_set(c, set, &n);
		seen[set] = cells_add(b, ids, n, base);
	}
	return seen[set];
}

/* Cells of a 256-entry byte map (protocol or ToS). */
static int
cells_bytes(struct cls *c, uint32_t *seen, const uint32_t *map, uint32_t base,
    uint32_t *cell)
{
	size_t i;

	memset(seen, 0xff, c->n_sets * sizeof(*seen));
	for (i = 0; i < 256; i++)
		if ((cell[i] = cells_of(&c->cells, c, seen, map[i], base)) ==
		    CLS_NONE)
			return -1;
	return 0;
}

/*
 * Service cells: every set a port map holds (and the empty set), first
 * as source-port cells, then in the same order as destination-port ones.
 */
static int
cells_svc(struct cls *c, uint32_t *seen)
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

		cell = cells_add(&c->cells, ids, m,
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
cells_net(struct cls *c, uint32_t *seen, const uint32_t *vals, size_t n)
{
	size_t i;
	uint32_t set, k, m;
	const uint32_t *ids;

	for (i = 0; i < n; i++) {
		set = vals[i] >> 1;
		if ((c->net_cell[set] = cells_of(
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
cells_ifas_one(
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
		    (cell[l] = cells_add(&c->site_cells, rows, n, 0)) ==
			CLS_NONE)
			return -1;
	}
	return 0;
}

/* as_loc, and the interface x AS group cells (after the network cells). */
static int
cells_ifas(struct cls *c, uint32_t *seen)
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
		if (cells_ifas_one(c, e->iface, e->ifas, seg, rows) == -1)
			goto out;
	}
	ret = 0;
out:
	free(rows);
	free(seg);
	return ret;
}

int
cells_build(struct cls *c)
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
		if (cells_add(&c->cells, &fixed[i], 1, 0) == CLS_NONE)
			goto out;
	if (cells_bytes(c, seen, c->proto_set, g->protocol, c->proto_cell) ==
		-1 ||
	    cells_bytes(c, seen, c->tos_set, g->tos, c->tos_cell) == -1 ||
	    cells_svc(c, seen) == -1)
		goto out;
	if ((c->as_cell = malloc(c->as_n * sizeof(uint32_t))) == NULL)
		goto out;
	memset(seen, 0xff, c->n_sets * sizeof(*seen));
	for (i = 0; i < c->as_n; i++)
		if ((c->as_cell[i] = cells_of(
			 &c->cells, c, seen, c->as_val[i], g->as)) == CLS_NONE)
			goto out;
	if ((c->net_cell = malloc(c->n_sets * sizeof(uint32_t))) == NULL ||
	    (c->net_svc = calloc(c->n_sets, 1)) == NULL)
		goto out;
	memset(c->net_cell, 0xff, c->n_sets * sizeof(uint32_t));
	memset(seen, 0xff, c->n_sets * sizeof(*seen));
	if (cells_net(c, seen, c->v4_val, c->v4_n) == -1 ||
	    cells_net(c, seen, c->v6_val, c->v6_n) == -1 ||
	    cells_ifas(c, seen) == -1)
		goto out;
	ret = 0;
out:
	free(seen);
	return ret;
}
