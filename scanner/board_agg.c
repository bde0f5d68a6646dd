/*
 * The long-term aggregate score (CUFlow's AggregateScore, fixed): hosts of
 * any top-N table accumulate their interval totals and an appearance count;
 * every "ageing" samples everything is halved exactly (binary floating
 * point) and hosts seen less than once are dropped. Kept in a text state
 * file written atomically; a corrupt file is set aside, never fatal.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "scanner/board_int.h"

#define BOARD_AGG_MAGIC "flowtally-aggregate 1"
/* Bigger state files are corrupt by definition. */
#define BOARD_AGG_MAXFILE (256u << 20)

void
board_agg_init(struct board_agg *a)
{
	memset(a, 0, sizeof(*a));
}

void
board_agg_free(struct board_agg *a)
{
	free(a->h);
	memset(a, 0, sizeof(*a));
}

/* Index of addr in a, or -(insertion point) - 1. */
static long
board_agg_find(const struct board_agg *a, const struct ft_addr *addr)
{
	size_t lo = 0, hi = a->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = board_rank_addrcmp(&a->h[mid].addr, addr);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -(long)lo - 1;
}

static int
board_agg_reserve(struct board_agg *a, size_t more)
{
	struct board_agg_host *h;
	size_t cap;

	if (a->n + more <= a->cap)
		return 0;
	cap = a->cap ? a->cap : 64;
	while (cap < a->n + more)
		cap *= 2;
	if ((h = realloc(a->h, cap * sizeof(*h))) == NULL)
		return -1;
	a->h = h;
	a->cap = cap;
	return 0;
}

int
board_agg_add(struct board_agg *a, const struct host_entry *rows, size_t n,
    double secs, unsigned ageing)
{
	struct board_agg_host *h;
	size_t i;
	long k;
	int d, m;

	if (board_agg_reserve(a, n) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		k = board_agg_find(a, &rows[i].addr);
		if (k < 0) {
			k = -k - 1;
			memmove(&a->h[k + 1], &a->h[k],
			    (a->n - (size_t)k) * sizeof(*a->h));
			memset(&a->h[k], 0, sizeof(*a->h));
			a->h[k].addr = rows[i].addr;
			a->n++;
		}
		h = &a->h[k];
		h->count += 1;
		h->secs += secs;
		for (d = 0; d < 2; d++)
			for (m = 0; m < BOARD_NMET; m++)
				h->sum[d][m] +=
				    (double)board_rank_value(&rows[i].c, d, m);
	}
	a->samples += 1;
	if (ageing > 0 && a->samples >= ageing)
		board_agg_age(a);
	return 0;
}

void
board_agg_age(struct board_agg *a)
{
	size_t i, k = 0;
	int d, m;

	a->samples /= 2;
	for (i = 0; i < a->n; i++) {
		struct board_agg_host *h = &a->h[i];

		h->count /= 2;
		h->secs /= 2;
		for (d = 0; d < 2; d++)
			for (m = 0; m < BOARD_NMET; m++)
				h->sum[d][m] /= 2;
		if (h->count >= 1)
			a->h[k++] = *h;
	}
	a->n = k;
}

/* Ranking context for qsort. */
static const struct board_agg *board_agg_sa;
static int board_agg_sdir, board_agg_smet;

static double
board_agg_avg(const struct board_agg_host *h, int dir, int met)
{
	return h->secs > 0 ? h->sum[dir][met] / h->secs : 0;
}

static int
board_agg_qcmp(const void *pa, const void *pb)
{
	const struct board_agg_host *x = &board_agg_sa->h[*(const size_t *)pa];
	const struct board_agg_host *y = &board_agg_sa->h[*(const size_t *)pb];
	double vx = board_agg_avg(x, board_agg_sdir, board_agg_smet);
	double vy = board_agg_avg(y, board_agg_sdir, board_agg_smet);

	if (vx != vy)
		return vx > vy ? -1 : 1;
	return board_rank_addrcmp(&x->addr, &y->addr);
}

size_t
board_agg_rank(
    const struct board_agg *a, int dir, int met, size_t top, size_t *idx)
{
	size_t *all, i, n = 0;

	if (top > BOARD_MAX_TOP_AGG)
		top = BOARD_MAX_TOP_AGG;
	if (top == 0 || a->n == 0)
		return 0;
	if ((all = malloc(a->n * sizeof(*all))) == NULL)
		return 0;
	for (i = 0; i < a->n; i++)
		if (a->h[i].sum[dir][met] > 0)
			all[n++] = i;
	board_agg_sa = a;
	board_agg_sdir = dir;
	board_agg_smet = met;
	qsort(all, n, sizeof(*all), board_agg_qcmp);
	if (n > top)
		n = top;
	memcpy(idx, all, n * sizeof(*idx));
	free(all);
	return n;
}

/* A finite, non-negative number filling the whole token: 0 or -1. */
static int
board_agg_num(const char *s, double *v)
{
	char *end;

	if (*s == '\0' || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*v = strtod(s, &end);
	if (*end != '\0' || errno == ERANGE || !isfinite(*v) || *v < 0)
		return -1;
	return 0;
}

/* Parse one host line (NUL-terminated, no newline) into h: 0 or -1. */
static int
board_agg_line(char *line, struct board_agg_host *h, const char **why)
{
	char *tok[10], *save = NULL, *p;
	double v[9];
	int n = 0, i;

	for (p = strtok_r(line, " ", &save); p != NULL;
	     p = strtok_r(NULL, " ", &save)) {
		if (n == 10) {
			*why = "too many fields";
			return -1;
		}
		tok[n++] = p;
	}
	if (n != 9) {
		*why = "expected 9 fields";
		return -1;
	}
	memset(h, 0, sizeof(*h));
	if (addr_parse(tok[0], &h->addr) == -1) {
		*why = "bad address";
		return -1;
	}
	for (i = 1; i < 9; i++)
		if (board_agg_num(tok[i], &v[i]) == -1) {
			*why = "bad number";
			return -1;
		}
	if (v[1] < 1) {
		*why = "count below 1";
		return -1;
	}
	h->count = v[1];
	h->secs = v[2];
	for (i = 0; i < 6; i++)
		h->sum[i / 3][i % 3] = v[3 + i];
	return 0;
}

static int
board_agg_hcmp(const void *pa, const void *pb)
{
	const struct board_agg_host *a = pa, *b = pb;

	return board_rank_addrcmp(&a->addr, &b->addr);
}

int
board_agg_parse(const char *text, size_t len, const char *name,
    struct board_agg *a, struct errbuf *eb)
{
	char line[512], *nl;
	const char *p = text, *end = text + len, *why = NULL;
	struct board_agg_host h;
	size_t n, i;
	int lineno = 0;

	board_agg_init(a);
	while (p < end) {
		lineno++;
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n >= sizeof(line)) {
			why = "line too long";
			goto bad;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		p += n + (nl != NULL);
		if (memchr(line, '\0', n) != NULL) {
			why = "NUL byte";
			goto bad;
		}
		if (lineno == 1) {
			if (strcmp(line, BOARD_AGG_MAGIC) != 0) {
				why = "not a flowtally aggregate state file";
				goto bad;
			}
			continue;
		}
		if (lineno == 2) {
			if (strncmp(line, "samples ", 8) != 0 ||
			    board_agg_num(line + 8, &a->samples) == -1) {
				why = "expected \"samples N\"";
				goto bad;
			}
			continue;
		}
		if (board_agg_line(line, &h, &why) == -1)
			goto bad;
		if (board_agg_reserve(a, 1) == -1) {
			why = "out of memory";
			goto bad;
		}
		a->h[a->n++] = h;
	}
	if (lineno < 2) {
		why = "truncated";
		goto bad;
	}
	if (a->n > 1)
		qsort(a->h, a->n, sizeof(*a->h), board_agg_hcmp);
	for (i = 1; i < a->n; i++)
		if (board_rank_addrcmp(&a->h[i - 1].addr, &a->h[i].addr) == 0) {
			errbuf_set(eb, "%s: duplicate host", name);
			board_agg_free(a);
			return -1;
		}
	return 0;
bad:
	errbuf_set(eb, "%s:%d: %s", name, lineno, why);
	board_agg_free(a);
	return -1;
}

void
board_agg_format(const struct board_agg *a, struct board_buf *out)
{
	char ab[ADDR_STRLEN];
	size_t i;

	board_buf_printf(
	    out, "%s\nsamples %.17g\n", BOARD_AGG_MAGIC, a->samples);
	for (i = 0; i < a->n; i++) {
		const struct board_agg_host *h = &a->h[i];

		board_buf_printf(out,
		    "%s %.17g %.17g %.17g %.17g %.17g %.17g %.17g %.17g\n",
		    addr_format(&h->addr, ab, sizeof(ab)), h->count, h->secs,
		    h->sum[0][0], h->sum[0][1], h->sum[0][2], h->sum[1][0],
		    h->sum[1][1], h->sum[1][2]);
	}
}

int
board_agg_load(const char *path, struct board_agg *a, struct errbuf *eb)
{
	struct errbuf perr;
	char aside[PATH_MAX + 64];
	char *text = NULL;
	struct stat st;
	ssize_t r;
	size_t got = 0;
	int fd, ret = -1;

	board_agg_init(a);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 0;
		errbuf_set(eb, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		errbuf_set(eb, "%s: %s", path, strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > BOARD_AGG_MAXFILE) {
		errbuf_set(&perr, "%s: not a regular file of sane size", path);
		goto corrupt;
	}
	if ((text = malloc((size_t)st.st_size + 1)) == NULL) {
		errbuf_set(eb, "%s: %s", path, strerror(errno));
		goto done;
	}
	while (got < (size_t)st.st_size &&
	    (r = read(fd, text + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)r;
	if (got != (size_t)st.st_size) {
		errbuf_set(eb, "%s: short read", path);
		goto done;
	}
	if (board_agg_parse(text, got, path, a, &perr) == 0) {
		ret = 0;
		goto done;
	}
corrupt:
	snprintf(aside, sizeof(aside), "%s.corrupt-%lld", path,
	    (long long)time(NULL));
	if (rename(path, aside) == -1) {
		errbuf_set(eb, "%s: corrupt (%s) and cannot be set aside: %s",
		    path, perr.msg, strerror(errno));
		goto done;
	}
	log_warnx("scoreboard: aggregate state %s is corrupt (%s); "
		  "moved to %s, starting afresh",
	    path, perr.msg, aside);
	ret = 1;
done:
	free(text);
	close(fd);
	return ret;
}

int
board_agg_save(const struct board_agg *a, const char *path, struct errbuf *eb)
{
	struct board_buf out;
	int ret = 0;

	board_buf_init(&out);
	board_agg_format(a, &out);
	if (board_buf_write(&out, path) == -1) {
		errbuf_set(eb, "%s: %s", path, strerror(errno));
		ret = -1;
	}
	board_buf_free(&out);
	return ret;
}
