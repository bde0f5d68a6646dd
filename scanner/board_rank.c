/*
 * Scoreboard ranking: the top N inside hosts per direction and metric in
 * one pass over the host table, with a bounded min-heap per table and a
 * deterministic order (value descending, then address ascending).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scanner/board_int.h"

uint64_t
board_rank_value(const struct host_counts *c, int dir, int met)
{
	switch (met) {
	case BOARD_BYTES:
		return c->bytes[dir];
	case BOARD_PKTS:
		return c->pkts[dir];
	default:
		return c->flows[dir];
	}
}

int
board_rank_addrcmp(const struct ft_addr *a, const struct ft_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->family == FT_AF_INET)
		return a->v4 < b->v4 ? -1 : a->v4 > b->v4;
	return memcmp(a->v6, b->v6, 16);
}

int
board_rank_init(struct board_rank *r, size_t top)
{
	int d, m;

	memset(r, 0, sizeof(*r));
	r->top = top;
	for (d = 0; d < 2; d++)
		for (m = 0; m < BOARD_NMET; m++)
			if ((r->rows[d][m] = calloc(top ? top : 1,
				 sizeof(struct host_entry))) == NULL) {
				board_rank_free(r);
				errno = ENOMEM;
				return -1;
			}
	return 0;
}

void
board_rank_free(struct board_rank *r)
{
	int d, m;

	for (d = 0; d < 2; d++)
		for (m = 0; m < BOARD_NMET; m++) {
			free(r->rows[d][m]);
			r->rows[d][m] = NULL;
		}
}

/* Whether x ranks above y in table (dir, met). */
static int
board_rank_better(
    const struct host_entry *x, const struct host_entry *y, int dir, int met)
{
	uint64_t vx = board_rank_value(&x->c, dir, met);
	uint64_t vy = board_rank_value(&y->c, dir, met);

	if (vx != vy)
		return vx > vy;
	return board_rank_addrcmp(&x->addr, &y->addr) < 0;
}

/* Restore the heap (worst row at the root) below index i. */
static void
board_rank_sift(struct host_entry *h, size_t n, size_t i, int dir, int met)
{
	struct host_entry tmp;
	size_t c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= n)
			return;
		/* The worse child. */
		if (c + 1 < n && board_rank_better(&h[c], &h[c + 1], dir, met))
			c++;
		if (!board_rank_better(&h[i], &h[c], dir, met))
			return;
		tmp = h[i];
		h[i] = h[c];
		h[c] = tmp;
		i = c;
	}
}

static void
board_rank_up(struct host_entry *h, size_t i, int dir, int met)
{
	struct host_entry tmp;
	size_t p;

	while (i > 0) {
		p = (i - 1) / 2;
		/* Parent must be worse than the child. */
		if (!board_rank_better(&h[p], &h[i], dir, met))
			return;
		tmp = h[i];
		h[i] = h[p];
		h[p] = tmp;
		i = p;
	}
}

/* qsort has no context argument: the table being sorted. */
static int board_rank_sdir, board_rank_smet;

static int
board_rank_qcmp(const void *pa, const void *pb)
{
	const struct host_entry *a = pa, *b = pb;

	if (board_rank_better(a, b, board_rank_sdir, board_rank_smet))
		return -1;
	if (board_rank_better(b, a, board_rank_sdir, board_rank_smet))
		return 1;
	return 0;
}

/* Offer one host to every table's bounded heap. */
static void
board_rank_offer(void *ctx, const struct host_entry *e)
{
	struct board_rank *r = ctx;
	struct host_entry *h;
	size_t *n;
	int d, m;

	for (d = 0; d < 2; d++)
		for (m = 0; m < BOARD_NMET; m++) {
			if (board_rank_value(&e->c, d, m) == 0)
				continue;
			h = r->rows[d][m];
			n = &r->n[d][m];
			if (*n < r->top) {
				h[*n] = *e;
				board_rank_up(h, (*n)++, d, m);
			} else if (board_rank_better(e, &h[0], d, m)) {
				h[0] = *e;
				board_rank_sift(h, *n, 0, d, m);
			}
		}
}

void
board_rank_compute(struct board_rank *r, const struct hosttab *t)
{
	int d, m;

	for (d = 0; d < 2; d++)
		for (m = 0; m < BOARD_NMET; m++)
			r->n[d][m] = 0;
	if (r->top == 0)
		return;
	hosttab_foreach(t, board_rank_offer, r);
	for (d = 0; d < 2; d++)
		for (m = 0; m < BOARD_NMET; m++) {
			board_rank_sdir = d;
			board_rank_smet = m;
			qsort(r->rows[d][m], r->n[d][m],
			    sizeof(struct host_entry), board_rank_qcmp);
		}
}

static int
board_rank_ucmp(const void *pa, const void *pb)
{
	const struct host_entry *a = pa, *b = pb;

	return board_rank_addrcmp(&a->addr, &b->addr);
}

size_t
board_rank_union(const struct board_rank *r, struct host_entry *out)
{
	size_t n = 0, i, k;
	int d, m;

	for (d = 0; d < 2; d++)
		for (m = 0; m < BOARD_NMET; m++)
			for (i = 0; i < r->n[d][m]; i++)
				out[n++] = r->rows[d][m][i];
	if (n == 0)
		return 0;
	qsort(out, n, sizeof(*out), board_rank_ucmp);
	for (i = 1, k = 1; i < n; i++)
		if (board_rank_addrcmp(&out[i].addr, &out[k - 1].addr) != 0)
			out[k++] = out[i];
	return k;
}
