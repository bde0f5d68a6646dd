/*
 * Lookup tables compiled from the vocabulary, so that classifying a flow
 * costs the same whatever the number of networks, services or AS groups:
 * sorted disjoint address and AS segments (with a 64 Ki-entry first stage
 * for IPv4), per-protocol 64 Ki port maps, 256-entry ToS and protocol maps,
 * each yielding an interned set of object ids. Also the counter layout:
 * which counter row belongs to which RRD. Read-only once built.
 */
#ifndef FT_SCANNER_CLASSIFY_H
#define FT_SCANNER_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/errbuf.h"
#include "lib/flow.h"
#include "scanner/vocab.h"

#define CLS_NONE UINT32_MAX

#define CLS_V4_BLOCK   0x80000000u
#define CLS_V4_SEARCH  0x40000000u
#define CLS_V4_IDX     0x3fffffffu
#define CLS_V4_MAXBLK  16384 /* at most 16 MiB of /24 stage */
#define CLS_PORT_SPLIT 0x80000000u

/*
 * Counter rows of one scope (the whole site, or one router). Every scope has
 * the same layout, so a router's row is the site's row plus a constant.
 */
struct cls_scope {
	uint32_t total;
	uint32_t internal;
	uint32_t transit;
	uint32_t multicast;
	uint32_t protocol; /* + protocol index */
	uint32_t svc_src;  /* + service index */
	uint32_t svc_dst;
	uint32_t tos; /* + ToS class index */
	uint32_t as;  /* + AS group index */
};

/* One slot of the interface hash: (router << 32 | ifindex) -> interface. */
struct cls_ifx {
	uint64_t key;
	uint32_t iface; /* CLS_NONE: empty slot */
	uint32_t ifas;  /* its row of ifas_cell, or CLS_NONE (no AS groups) */
};

/*
 * Cells: the per-flow path adds a flow to one cell per kind (total,
 * protocol set, source and destination service set, ToS set, AS set) of
 * its scope slot (0: no router, 1 + r: router r), and the cells are folded
 * into their member rows once per file, in the site scope and the router's
 * (struct agg). A cell lists its site-scope rows.
 */
#define CLS_CELL_TOTAL    0
#define CLS_CELL_INTERNAL 1
#define CLS_CELL_TRANSIT  2
#define CLS_CELL_MCAST    3

struct cls_cells {
	uint32_t *off; /* rows of cell k: rows[off[k] .. off[k + 1]) */
	uint32_t *rows;
	size_t n;             /* cells */
	size_t cap, cap_rows; /* build-time capacities */
};

struct cls {
	const struct vocab *v; /* borrowed: must outlive the tables */

	/* Interned sets of object ids: set s is ids[off[s] .. off[s]+n[s]). */
	uint32_t *set_off;
	uint32_t *set_n;
	uint32_t *set_ids;
	size_t n_sets;

	/*
	 * Address segments: value = network set << 1 | inside. IPv4 goes
	 * through two direct stages: v4_first[x >> 16] is a segment index
	 * when one segment covers that /16, else CLS_V4_BLOCK | b, where
	 * v4_mid[b * 257 + (x >> 8 & 255)] does the same for the /24
	 * (CLS_V4_SEARCH | first index when several segments share it; entry
	 * 256 closes the block), or, past CLS_V4_MAXBLK blocks,
	 * CLS_V4_SEARCH | first index (binary search).
	 */
	uint32_t *v4_start;
	uint32_t *v4_val;
	size_t v4_n;
	uint32_t *v4_first; /* 65536 entries */
	uint32_t *v4_mid;   /* 257 entries per split /16 */
	unsigned __int128 *v6_start;
	uint32_t *v6_val;
	size_t v6_n;

	/*
	 * Per protocol: NULL, or the service set id of each port in two
	 * stages (cls_port()): 256 entries by port >> 8, each a set id or
	 * CLS_PORT_SPLIT | b for the 256-entry block b of port_lo.
	 */
	uint32_t *port_hi[256];
	uint16_t *port_lo;
	size_t n_port_lo;
	uint32_t proto_set[256];
	uint32_t tos_set[256];
	uint32_t *as_start; /* AS segments -> AS group set */
	uint32_t *as_val;
	size_t as_n;

	/* IPv4 router addresses: open addressing, key 0 = empty slot. */
	uint32_t *rt4_key;
	uint32_t *rt4_val;
	uint32_t rt4_mask;

	/* Interfaces: open addressing on (router, ifindex). */
	struct cls_ifx *ifx;
	uint32_t ifx_mask;

	/*
	 * Scope cells (every slot has the same n of them) and site cells
	 * (site scope only: networks, interface x AS group). By set id:
	 * svc_cell (source-port cell; the destination-port cell is
	 * n_svc_cells further), net_cell, and net_svc (whether a network of
	 * the set breaks down by service). Parallel to as_val: as_cell, and
	 * as_loc (a dense number of the AS set, < n_as_loc).
	 * ifas_cell[ifx->ifas + as_loc]: the site cell of that interface and
	 * AS set, CLS_NONE when the interface counts none of its groups.
	 */
	struct cls_cells cells;
	struct cls_cells site_cells;
	uint32_t proto_cell[256];
	uint32_t tos_cell[256];
	uint32_t *svc_cell;
	uint32_t n_svc_cells;
	uint32_t *as_cell;
	uint32_t *as_loc;
	uint32_t n_as_loc;
	uint32_t *ifas_cell;
	uint32_t *net_cell;
	uint8_t *net_svc;

	/* Counter layout. */
	struct cls_scope global;
	struct cls_scope *router; /* one per router */
	uint32_t network;         /* + network index */
	uint32_t *netsvc; /* [network * n_services + service]: row or NONE */
	uint32_t iface;   /* + interface index */
	uint32_t *ifas;   /* [interface * n_as_groups + group]: row or NONE */
	size_t n_rows;
};

/*
 * Compile v into c (v is borrowed and must outlive c). All or nothing:
 * returns 0, or -1 with eb set (out of memory, too many distinct port
 * combinations).
 */
int cls_build(struct cls *c, const struct vocab *v, struct errbuf *eb);
void cls_clear(struct cls *c);

/* The segment value of IPv6 address a (cls_addr()'s slow half). */
uint32_t cls_addr6(const struct cls *c, const struct ft_addr *a);

/*
 * Index of the last start <= x in st[lo..hi) (st[lo] <= x holds). Without
 * a data-dependent branch (a conditional move per step): the keys of
 * consecutive flows are unrelated, so a branch would mispredict half the
 * time.
 */
static inline size_t
cls_search32(const uint32_t *st, size_t lo, size_t hi, uint32_t x)
{
	const uint32_t *b = st + lo;
	size_t n = hi - lo;

	while (n > 1) {
		size_t half = n / 2;

		b = b[half] <= x ? b + half : b;
		n -= half;
	}
	return (size_t)(b - st);
}

/*
 * The segment value of a: network set << 1 | inside (0 when unset). Inline
 * with the other per-flow lookups: they run for every flow.
 */
static inline uint32_t
cls_addr(const struct cls *c, const struct ft_addr *a)
{
	if (a->family == FT_AF_INET) {
		uint32_t x = a->v4, e = c->v4_first[x >> 16];
		size_t hi;

		if (e & CLS_V4_BLOCK) {
			const uint32_t *m = c->v4_mid +
			    (size_t)(e & CLS_V4_IDX) * 257 + (x >> 8 & 0xff);

			e = m[0];
			if (!(e & CLS_V4_SEARCH))
				return c->v4_val[e];
			/* Longer than /24: search up to the next /24's. */
			hi = (size_t)(m[1] & CLS_V4_IDX) + 1;
		} else if (!(e & CLS_V4_SEARCH))
			return c->v4_val[e];
		else
			hi = c->v4_n;
		return c
		    ->v4_val[cls_search32(c->v4_start, e & CLS_V4_IDX, hi, x)];
	}
	if (a->family == FT_AF_INET6)
		return cls_addr6(c, a);
	return 0;
}

/* The service set of port, given a protocol's port_hi (not NULL). */
static inline uint32_t
cls_port(const struct cls *c, const uint32_t *hi, uint16_t port)
{
	uint32_t e = hi[port >> 8];

	if (e & CLS_PORT_SPLIT)
		return c->port_lo[(size_t)(e & ~CLS_PORT_SPLIT) * 256 +
		    (port & 0xff)];
	return e;
}

/* The AS segment of asn: its group set is as_val[], its cell as_cell[]. */
static inline size_t
cls_as_seg(const struct cls *c, uint32_t asn)
{
	if (c->as_n <= 1)
		return 0;
	return cls_search32(c->as_start, 0, c->as_n, asn);
}

/* The AS group set of asn. */
static inline uint32_t
cls_as(const struct cls *c, uint32_t asn)
{
	return c->as_val[cls_as_seg(c, asn)];
}

/* Whether a is multicast (224.0.0.0/4 or ff00::/8). */
static inline bool
cls_is_multicast(const struct ft_addr *a)
{
	if (a->family == FT_AF_INET)
		return (a->v4 >> 28) == 0xe;
	if (a->family == FT_AF_INET6)
		return a->v6[0] == 0xff;
	return false;
}

static inline uint32_t
cls_ifx_hash(uint64_t key, uint32_t mask)
{
	return (uint32_t)((key * 0x9e3779b97f4a7c15ULL) >> 32) & mask;
}

/* The interface (router, ifindex), or NULL. */
static inline const struct cls_ifx *
cls_iface(const struct cls *c, uint32_t router, uint32_t ifindex)
{
	uint64_t key = (uint64_t)router << 32 | ifindex;
	uint32_t h = cls_ifx_hash(key, c->ifx_mask);

	while (c->ifx[h].iface != CLS_NONE) {
		if (c->ifx[h].key == key)
			return &c->ifx[h];
		h = (h + 1) & c->ifx_mask;
	}
	return NULL;
}

/* The router with IPv4 address v4, or CLS_NONE. */
static inline uint32_t
cls_router_v4(const struct cls *c, uint32_t v4)
{
	uint32_t h = (v4 * 2654435761u) & c->rt4_mask;

	while (c->rt4_key[h] != 0) {
		if (c->rt4_key[h] == v4)
			return c->rt4_val[h];
		h = (h + 1) & c->rt4_mask;
	}
	return CLS_NONE;
}

/* Members of set s. */
static inline const uint32_t *
cls_set(const struct cls *c, uint32_t s, uint32_t *n)
{
	*n = c->set_n[s];
	return c->set_ids + c->set_off[s];
}

#endif
