/*
 * The scoreboard object: reads its configuration, then once per interval
 * ranks the host table and has the writers publish the current page, the
 * history page and index, and the aggregate score.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/afile.h"
#include "lib/log.h"
#include "scanner/board_int.h"

#define BOARD_MAX_TOP  1000
#define BOARD_MAX_NETS 4096

/* Join dir and name unless name is absolute: 0 or -1 when too long. */
static int
board_path(const char *dir, const char *name, char *out, size_t len)
{
	int n;

	if (name[0] == '/')
		n = snprintf(out, len, "%s", name);
	else
		n = snprintf(out, len, "%s/%s", dir, name);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/*
 * The relative way from the directory of page up to dir ("", "../", ...),
 * or -1 when page is not under dir (then pages carry no navigation).
 */
static int
board_root(const char *dir, const char *page, char *out, size_t len)
{
	size_t dl = strlen(dir);
	const char *rel;

	out[0] = '\0';
	if (strncmp(page, dir, dl) != 0 || page[dl] != '/')
		return -1;
	for (rel = page + dl + 1; *rel; rel++)
		if (*rel == '/' && strlen(out) + 3 < len)
			strcat(out, "../");
	return 0;
}

static int
board_int(cfg_t *sb, const char *key, long lo, long hi, long *v,
    const char *cfgname, struct errbuf *eb)
{
	*v = cfg_getint(sb, key);
	if (*v < lo || *v > hi) {
		errbuf_set(eb,
		    "%s: scanner.scoreboard.%s = %ld: must be %ld..%ld",
		    cfgname, key, *v, lo, hi);
		return -1;
	}
	return 0;
}

static int
board_nets(struct board *b, cfg_t *cfg, const char *cfgname, struct errbuf *eb)
{
	unsigned i, j, nn = cfg_size(cfg, "network"), np;
	struct board_net *n;
	cfg_t *sec;

	if (nn > BOARD_MAX_NETS)
		nn = BOARD_MAX_NETS;
	if (nn == 0)
		return 0;
	if ((b->nets = calloc(nn, sizeof(*b->nets))) == NULL)
		goto oom;
	for (i = 0; i < nn; i++) {
		sec = cfg_getnsec(cfg, "network", i);
		n = &b->nets[b->nnets++];
		if ((n->label = strdup(cfg_title(sec))) == NULL)
			goto oom;
		np = cfg_size(sec, "prefixes");
		if (np && (n->pfx = calloc(np, sizeof(*n->pfx))) == NULL)
			goto oom;
		for (j = 0; j < np; j++) {
			const char *s = cfg_getnstr(sec, "prefixes", j);

			if (addr_parse_prefix(s, 0, &n->pfx[n->npfx]) == -1) {
				errbuf_set(eb,
				    "%s: network \"%s\": bad prefix "
				    "\"%s\"",
				    cfgname, n->label, s);
				return -1;
			}
			n->npfx++;
		}
	}
	return 0;
oom:
	errbuf_set(eb, "%s: scoreboard: %s", cfgname, strerror(ENOMEM));
	return -1;
}

struct board *
board_new(cfg_t *cfg, const char *cfgname, struct errbuf *eb)
{
	struct board *b;
	cfg_t *sc, *sb;
	long v;

	if ((b = calloc(1, sizeof(*b))) == NULL) {
		errbuf_set(eb, "scoreboard: %s", strerror(errno));
		return NULL;
	}
	board_agg_init(&b->agg);
	board_buf_init(&b->out);
	b->last_day = -1;
	sc = cfg_getsec(cfg, "scanner");
	sb = sc ? cfg_getsec(sc, "scoreboard") : NULL;
	if (sb == NULL)
		return b; /* no schema for it: disabled */
	if (board_int(sb, "top", 0, BOARD_MAX_TOP, &v, cfgname, eb) == -1)
		goto fail;
	b->top = (int)v;
	if (board_int(sb, "max_hosts", 1, 1L << 30, &v, cfgname, eb) == -1)
		goto fail;
	b->max_hosts = (size_t)v;
	if (board_int(sb, "aggregate", 0, BOARD_MAX_TOP, &v, cfgname, eb) == -1)
		goto fail;
	b->aggregate = (int)v;
	if (board_int(sb, "ageing_samples", 2, 1000000, &v, cfgname, eb) == -1)
		goto fail;
	b->ageing = (unsigned)v;
	if (board_int(sb, "history_days", 0, 100000, &v, cfgname, eb) == -1)
		goto fail;
	b->history_days = (int)v;
	if (board_int(sb, "rdns_wait", 0, 10000, &v, cfgname, eb) == -1)
		goto fail;
	b->rdns_wait = (unsigned)v;
	if (board_int(sb, "refresh", 0, 86400, &v, cfgname, eb) == -1)
		goto fail;
	b->refresh = (int)v;
	b->history = cfg_getbool(sb, "history");
	b->rdns_on = cfg_getbool(sb, "rdns");
	if (b->top == 0)
		return b;

	if (snprintf(b->dir, sizeof(b->dir), "%s", cfg_getstr(sb, "dir")) >=
		(int)sizeof(b->dir) ||
	    b->dir[0] == '\0') {
		errbuf_set(eb, "%s: scanner.scoreboard.dir: empty or too long",
		    cfgname);
		goto fail;
	}
	while (strlen(b->dir) > 1 && b->dir[strlen(b->dir) - 1] == '/')
		b->dir[strlen(b->dir) - 1] = '\0';
	if (board_path(b->dir, cfg_getstr(sb, "current"), b->current,
		sizeof(b->current)) == -1 ||
	    board_path(b->dir, cfg_getstr(sb, "aggregate_page"), b->agg_page,
		sizeof(b->agg_page)) == -1 ||
	    board_path(b->dir, cfg_getstr(sb, "state_file"), b->state,
		sizeof(b->state)) == -1) {
		errbuf_set(
		    eb, "%s: scanner.scoreboard: path too long", cfgname);
		goto fail;
	}
	if (board_root(b->dir, b->current, b->cur_root, sizeof(b->cur_root)) ==
	    0) {
		b->cur_nav = 1;
		b->cur_rel = b->current + strlen(b->dir) + 1;
	}
	if (board_root(b->dir, b->agg_page, b->agg_root, sizeof(b->agg_root)) ==
	    0) {
		b->agg_nav = 1;
		b->agg_rel = b->agg_page + strlen(b->dir) + 1;
	}
	if ((b->graph_url = strdup(cfg_getstr(sb, "graph_url"))) == NULL ||
	    (b->title = strdup(cfg_getstr(sb, "title"))) == NULL ||
	    (b->uni = calloc(6 * (size_t)b->top, sizeof(*b->uni))) == NULL ||
	    board_rank_init(&b->rank, (size_t)b->top) == -1) {
		errbuf_set(eb, "scoreboard: %s", strerror(ENOMEM));
		goto fail;
	}
	if (board_nets(b, cfg, cfgname, eb) == -1)
		goto fail;
	if (b->aggregate > 0 && board_agg_load(b->state, &b->agg, eb) == -1)
		goto fail;
	if (b->rdns_on) {
		long ttl, max;

		if (board_int(sb, "rdns_cache_ttl", 0, 1L << 30, &ttl, cfgname,
			eb) == -1 ||
		    board_int(sb, "rdns_max_lookups", 0, 100000, &max, cfgname,
			eb) == -1)
			goto fail;
		if ((b->rdns = board_rdns_new((unsigned)ttl, (size_t)max)) ==
		    NULL) {
			errbuf_set(eb, "scoreboard: resolver thread: %s",
			    strerror(errno));
			goto fail;
		}
	}
	return b;
fail:
	board_free(b);
	return NULL;
}

int
board_enabled(const struct board *b)
{
	return b->top > 0;
}

size_t
board_max_hosts(const struct board *b)
{
	return b->max_hosts ? b->max_hosts : 262144;
}

void
board_free(struct board *b)
{
	size_t i;

	if (b == NULL)
		return;
	board_rdns_free(b->rdns);
	for (i = 0; i < b->nnets; i++) {
		free(b->nets[i].label);
		free(b->nets[i].pfx);
	}
	free(b->nets);
	board_rank_free(&b->rank);
	board_agg_free(&b->agg);
	board_buf_free(&b->out);
	free(b->uni);
	free(b->graph_url);
	free(b->title);
	free(b);
}

size_t
board_net_labels(const struct board *b, const struct ft_addr *a,
    const char **out, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < b->nnets && n < max; i++)
		for (j = 0; j < b->nets[i].npfx; j++)
			if (addr_in_prefix(a, &b->nets[i].pfx[j])) {
				out[n++] = b->nets[i].label;
				break;
			}
	return n;
}

int
board_name(struct board *b, const struct ft_addr *a, char *buf, size_t len)
{
	if (b->rdns == NULL)
		return 0;
	return board_rdns_get(b->rdns, a, buf, len);
}

void
board_set_resolver(struct board *b, board_rdns_fn fn, void *arg)
{
	if (b->rdns)
		board_rdns_set_fn(b->rdns, fn, arg);
}

/* "x.html" -> "x.json"; other names get ".json" appended. */
static int
board_json_path(const char *html, char *out, size_t len)
{
	size_t n = strlen(html);
	int r;

	if (n > 5 && strcmp(html + n - 5, ".html") == 0)
		r = snprintf(out, len, "%.*s.json", (int)(n - 5), html);
	else
		r = snprintf(out, len, "%s.json", html);
	return r < 0 || (size_t)r >= len ? -1 : 0;
}

/* Write b->out to path, creating its directory: 0 or -1 with eb. */
static int
board_publish(struct board *b, const char *path, struct errbuf *eb)
{
	char dir[PATH_MAX], *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (afile_mkdirs(dir, 0755) == -1) {
			errbuf_set(eb, "%s: %s", dir, strerror(errno));
			return -1;
		}
	}
	if (board_buf_write(&b->out, path) == -1) {
		errbuf_set(eb, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Render the interval as HTML and JSON and write both beside html. */
static int
board_write_pair(
    struct board *b, struct board_view *v, const char *html, struct errbuf *eb)
{
	char json[PATH_MAX];
	const char *slash;

	if (board_json_path(html, json, sizeof(json)) == -1) {
		errbuf_set(eb, "%s: path too long", html);
		return -1;
	}
	slash = strrchr(json, '/');
	v->json = slash ? slash + 1 : json;
	board_buf_reset(&b->out);
	board_html_interval(b, v);
	if (board_publish(b, html, eb) == -1)
		return -1;
	board_buf_reset(&b->out);
	board_json_interval(b, v);
	return board_publish(b, json, eb);
}

static int
board_write_aggregate(struct board *b, struct errbuf *eb)
{
	char json[PATH_MAX];

	if (board_agg_save(&b->agg, b->state, eb) == -1)
		return -1;
	if (board_json_path(b->agg_page, json, sizeof(json)) == -1) {
		errbuf_set(eb, "%s: path too long", b->agg_page);
		return -1;
	}
	board_buf_reset(&b->out);
	board_html_aggregate(b);
	if (board_publish(b, b->agg_page, eb) == -1)
		return -1;
	board_buf_reset(&b->out);
	board_json_aggregate(b);
	return board_publish(b, json, eb);
}

int
board_interval(struct board *b, const struct hosttab *t,
    const struct board_totals *totals, uint64_t start, uint64_t end,
    struct errbuf *eb)
{
	struct board_view v;
	struct errbuf first;
	char rel[64], path[PATH_MAX];
	size_t nuni, i;
	int ret = 0;

	if (b->top == 0)
		return 0;
	first.msg[0] = '\0';
	memset(&v, 0, sizeof(v));
	v.start = start;
	v.end = end;
	v.secs = end > start ? (double)(end - start) : 1.0;
	v.tot = totals;
	v.hosts = hosttab_count(t);
	v.overflow = hosttab_overflow(t);

	board_rank_compute(&b->rank, t);
	nuni = board_rank_union(&b->rank, b->uni);
	if (b->rdns) {
		board_rdns_begin(b->rdns);
		for (i = 0; i < nuni; i++)
			board_rdns_request(b->rdns, &b->uni[i].addr);
		board_rdns_wait(b->rdns, b->rdns_wait);
	}

	v.root = b->cur_root;
	v.nav = b->cur_nav;
	v.refresh = b->refresh;
	if (board_write_pair(b, &v, b->current, &first) == -1)
		ret = -1;
	if (b->history) {
		board_hist_name(start, rel, sizeof(rel) - 5);
		strcat(rel, ".html");
		if (board_path(b->dir, rel, path, sizeof(path)) == -1)
			path[0] = '\0'; /* dir was checked at start */
		v.root = "../../../";
		v.nav = 1;
		v.refresh = 0;
		if (board_write_pair(b, &v, path, ret ? NULL : &first) == -1)
			ret = -1;
		else if (board_hist_index(b, start, ret ? NULL : &first) == -1)
			ret = -1;
		board_hist_prune(b, start);
	}
	if (b->aggregate > 0) {
		if (board_agg_add(&b->agg, b->uni, nuni, v.secs, b->ageing) ==
		    -1) {
			if (ret == 0)
				errbuf_set(&first, "scoreboard: aggregate: %s",
				    strerror(ENOMEM));
			ret = -1;
		} else if (board_write_aggregate(b, ret ? NULL : &first) == -1)
			ret = -1;
	}
	if (ret == -1 && eb != NULL)
		*eb = first;
	return ret;
}
