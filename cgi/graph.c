/*
 * Graph arguments and in-memory rendering through librrd. Variable names
 * inside the RPN are generated from indexes ("o3", "ti0"); file names come
 * from the catalog; legends are catalog labels (a safe character set); so
 * no request text can reach rrdtool's argument syntax.
 */
#include "cgi/graph.h"

#include <sys/stat.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgi/rrdlib.h"

/*
 * Readable colours on white and on near-black (Tableau 10 order); the
 * "dst" layer of a service uses the light variant beside it.
 */
static const char *const graph_colours[][2] = {
	{ "4e79a7", "a0cbe8" },
	{ "f28e2b", "ffbe7d" },
	{ "59a14f", "8cd17d" },
	{ "e15759", "ff9d9a" },
	{ "b6992d", "f1ce63" },
	{ "499894", "86bcb6" },
	{ "b07aa1", "d4a6c8" },
	{ "9d7660", "d7b5a6" },
	{ "79706e", "bab0ac" },
	{ "d37295", "fabfd2" },
};
#define GRAPH_NCOLOURS (sizeof(graph_colours) / sizeof(graph_colours[0]))

#define GRAPH_MAX_ROUTERS (QUERY_MAX_ITEMS + 1)

static int graph_add(struct graph_argv *av, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
graph_add(struct graph_argv *av, const char *fmt, ...)
{
	char **nv, *s;
	va_list ap;
	int r;

	if (av->n + 2 > av->cap) {
		av->cap = av->cap ? av->cap * 2 : 64;
		if ((nv = reallocarray(av->v, av->cap, sizeof(*nv))) == NULL)
			return -1;
		av->v = nv;
	}
	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -1;
	av->v[av->n++] = s;
	av->v[av->n] = NULL;
	return 0;
}

void
graph_argv_free(struct graph_argv *av)
{
	size_t i;

	for (i = 0; i < av->n; i++)
		free(av->v[i]);
	free(av->v);
	memset(av, 0, sizeof(*av));
}

static bool
graph_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The colour of the n-th TOTAL line: the foreground, then the palette. */
static const char *
graph_total_colour(bool dark, size_t n)
{
	if (n == 0)
		return dark ? "f0f0f0" : "000000";
	return graph_colours[(n - 1) % GRAPH_NCOLOURS][dark ? 1 : 0];
}

/* Per-request state while building. */
struct graph_ctx {
	const struct graph_req *r;
	struct graph_argv *av;
	int err;
	const char *ds;                 /* "bytes", "pkts", "flows" */
	const char *scale;              /* CDEF suffix: ",8,*" for bits */
	const char *unit;               /* legend unit: "b/s" */
	bool compact;                   /* narrow graph: shorter legend lines */
	int routers[GRAPH_MAX_ROUTERS]; /* distinct, in item order */
	bool has_total[GRAPH_MAX_ROUTERS];
	size_t nrouters;
};

#define ADD(c, ...)                                                            \
	do {                                                                   \
		if (graph_add((c)->av, __VA_ARGS__) == -1)                     \
			(c)->err = -1;                                         \
	} while (0)

static size_t
graph_router_index(struct graph_ctx *c, int router)
{
	size_t i;

	for (i = 0; i < c->nrouters; i++)
		if (c->routers[i] == router)
			return i;
	return SIZE_MAX;
}

static const char *
graph_prefix(const struct graph_ctx *c, const struct catalog_item *it)
{
	/* Name the router in legends once more than one is drawn. */
	if (c->nrouters > 1 || it->router >= 0)
		return catalog_router_name(c->r->cat, it);
	return NULL;
}

/* DEFs for router totals, used for shares, TOTAL lines and p95. */
static void
graph_defs_totals(struct graph_ctx *c)
{
	char path[4096];
	size_t g;

	for (g = 0; g < c->nrouters; g++) {
		if (catalog_total_path(
			c->r->cat, c->routers[g], path, sizeof(path)) == -1 ||
		    !graph_exists(path))
			continue;
		c->has_total[g] = true;
		ADD(c, "DEF:tro%zu=%s:out_%s:AVERAGE", g, path, c->ds);
		ADD(c, "DEF:tri%zu=%s:in_%s:AVERAGE", g, path, c->ds);
		ADD(c, "CDEF:to%zu=tro%zu%s", g, g, c->scale);
		ADD(c, "CDEF:ti%zu=tri%zu%s", g, g, c->scale);
		ADD(c, "CDEF:nti%zu=ti%zu,-1,*", g, g);
		ADD(c, "VDEF:ato%zu=to%zu,AVERAGE", g, g);
		ADD(c, "VDEF:ati%zu=ti%zu,AVERAGE", g, g);
	}
}

/*
 * DEFs of item k: per file f the scaled layers "o<k>_<f>"/"i<k>_<f>",
 * the item sums "o<k>"/"i<k>", their averages and shares of the total.
 */
static void
graph_defs_item(struct graph_ctx *c, size_t k)
{
	const struct catalog_item *it = c->r->items[k];
	char path[4096];
	int f, nf = it->kind == CATALOG_SERVICE ? 2 : 1;
	size_t g = graph_router_index(c, it->router);

	for (f = 0; f < nf; f++) {
		if (catalog_path(c->r->cat, it, f, path, sizeof(path)) == -1) {
			c->err = -1;
			return;
		}
		ADD(c, "DEF:ro%zu_%d=%s:out_%s:AVERAGE", k, f, path, c->ds);
		ADD(c, "DEF:ri%zu_%d=%s:in_%s:AVERAGE", k, f, path, c->ds);
		ADD(c, "CDEF:o%zu_%d=ro%zu_%d%s", k, f, k, f, c->scale);
		ADD(c, "CDEF:i%zu_%d=ri%zu_%d%s", k, f, k, f, c->scale);
		ADD(c, "CDEF:ni%zu_%d=i%zu_%d,-1,*", k, f, k, f);
	}
	if (nf == 2) {
		ADD(c, "CDEF:o%zu=o%zu_0,o%zu_1,ADDNAN", k, k, k);
		ADD(c, "CDEF:i%zu=i%zu_0,i%zu_1,ADDNAN", k, k, k);
	} else {
		ADD(c, "CDEF:o%zu=o%zu_0", k, k);
		ADD(c, "CDEF:i%zu=i%zu_0", k, k);
	}
	ADD(c, "VDEF:ao%zu=o%zu,AVERAGE", k, k);
	ADD(c, "VDEF:ai%zu=i%zu,AVERAGE", k, k);
	if (c->has_total[g]) {
		/* A VDEF may enter a CDEF only beside a series: POP it. */
		ADD(c, "CDEF:po%zu=o%zu,POP,ao%zu,ato%zu,/,100,*", k, k, k, g);
		ADD(c, "CDEF:pi%zu=i%zu,POP,ai%zu,ati%zu,/,100,*", k, k, k, g);
		ADD(c, "VDEF:vpo%zu=po%zu,AVERAGE", k, k);
		ADD(c, "VDEF:vpi%zu=pi%zu,AVERAGE", k, k);
	}
}

/* "avg out 1.23 Mb/s (12.3%)  in ..." after an item's legend. */
static void
graph_gprint_item(struct graph_ctx *c, size_t k, bool share)
{
	if (c->compact) {
		ADD(c, "GPRINT:ao%zu:%%5.1lf%%s", k);
		if (share)
			ADD(c, "GPRINT:vpo%zu:(%%2.0lf%%%%)", k);
		ADD(c, "GPRINT:ai%zu: in %%5.1lf%%s", k);
		if (share)
			ADD(c, "GPRINT:vpi%zu:(%%2.0lf%%%%)", k);
		ADD(c, "COMMENT:\\l");
		return;
	}
	ADD(c, "GPRINT:ao%zu:out %%7.2lf %%s%s", k, c->unit);
	if (share)
		ADD(c, "GPRINT:vpo%zu:(%%5.1lf%%%%)", k);
	ADD(c, "GPRINT:ai%zu:  in %%7.2lf %%s%s", k, c->unit);
	if (share)
		ADD(c, "GPRINT:vpi%zu:(%%5.1lf%%%%)", k);
	ADD(c, "COMMENT:\\l");
}

static void
graph_label(struct graph_ctx *c, const struct catalog_item *it,
    const char *suffix, char *buf, size_t len)
{
	const char *p = graph_prefix(c, it);

	snprintf(
	    buf, len, "%s%s%s%s", p ? p : "", p ? " " : "", it->label, suffix);
}

/* Outbound stacked areas with legends, then TOTAL lines. */
static void
graph_draw_out(struct graph_ctx *c)
{
	const struct catalog_item *it;
	char label[CATALOG_NAME_MAX * 2 + 16];
	size_t k, ncol = 0, g;
	bool first = true;
	const char *const *col;

	for (k = 0; k < c->r->nitems; k++) {
		it = c->r->items[k];
		if (it->kind == CATALOG_TOTAL)
			continue;
		g = graph_router_index(c, it->router);
		col = graph_colours[ncol++ % GRAPH_NCOLOURS];
		if (it->kind == CATALOG_SERVICE) {
			graph_label(c, it, c->compact ? "" : " src", label,
			    sizeof(label));
			ADD(c, "AREA:o%zu_0#%s:%-*s%s", k, col[0],
			    c->compact ? 6 : 14, label, first ? "" : ":STACK");
			ADD(c, "AREA:o%zu_1#%s:%s:STACK", k, col[1],
			    c->compact ? "" : "dst ");
		} else {
			graph_label(c, it, "", label, sizeof(label));
			ADD(c, "AREA:o%zu_0#%s:%-*s%s", k, col[0],
			    c->compact ? 10 : 22, label, first ? "" : ":STACK");
		}
		first = false;
		graph_gprint_item(c, k, c->has_total[g]);
	}
	for (k = 0, ncol = 0; k < c->r->nitems; k++) {
		it = c->r->items[k];
		if (it->kind != CATALOG_TOTAL)
			continue;
		graph_label(c, it, "", label, sizeof(label));
		ADD(c, "LINE1:o%zu_0#%s:%-*s", k,
		    graph_total_colour(c->r->dark, ncol++),
		    c->compact ? 10 : 22, label);
		graph_gprint_item(c, k, false);
	}
}

/* Per router and kind, the share of the total no drawn item explains. */
static void
graph_draw_other(struct graph_ctx *c)
{
	const struct catalog_item *it;
	char rpn[2048], name[64];
	size_t g, k, off, n;
	int kind;

	for (g = 0; g < c->nrouters; g++) {
		if (!c->has_total[g])
			continue;
		for (kind = CATALOG_PROTOCOL; kind <= CATALOG_IFAS; kind++) {
			for (int dir = 0; dir < 2; dir++) {
				const char *d = dir == 0 ? "o" : "i";

				off = (size_t)snprintf(
				    rpn, sizeof(rpn), "t%s%zu,POP,100", d, g);
				n = 0;
				for (k = 0; k < c->r->nitems; k++) {
					it = c->r->items[k];
					if (it->kind !=
						(enum catalog_kind)kind ||
					    graph_router_index(c, it->router) !=
						g)
						continue;
					if (off < sizeof(rpn))
						off +=
						    (size_t)snprintf(rpn + off,
							sizeof(rpn) - off,
							",vp%s%zu,-", d, k);
					n++;
				}
				if (n == 0 || off >= sizeof(rpn))
					break;
				snprintf(name, sizeof(name), "x%s%zu_%d", d, g,
				    kind);
				ADD(c, "CDEF:%s=%s", name, rpn);
				ADD(c, "VDEF:v%s=%s,AVERAGE", name, name);
			}
		}
	}
	for (g = 0; g < c->nrouters; g++) {
		if (!c->has_total[g])
			continue;
		for (kind = CATALOG_PROTOCOL; kind <= CATALOG_IFAS; kind++) {
			for (k = 0; k < c->r->nitems; k++)
				if (c->r->items[k]->kind ==
					(enum catalog_kind)kind &&
				    graph_router_index(
					c, c->r->items[k]->router) == g)
					break;
			if (k == c->r->nitems)
				continue;
			it = c->r->items[k];
			snprintf(rpn, sizeof(rpn), "Other %s%s%s",
			    catalog_kind_heading((enum catalog_kind)kind),
			    !c->compact && (c->nrouters > 1 || it->router >= 0)
				? " on "
				: "",
			    !c->compact && (c->nrouters > 1 || it->router >= 0)
				? catalog_router_name(c->r->cat, it)
				: "");
			ADD(c, "COMMENT:  %-*s", c->compact ? 18 : 28, rpn);
			ADD(c, "GPRINT:vxo%zu_%d:%s%%5.1lf%%%%", g, kind,
			    c->compact ? "" : "out ");
			ADD(c, "GPRINT:vxi%zu_%d:  in %%5.1lf%%%%\\l", g, kind);
		}
	}
}

/* Inbound: the same areas mirrored below the axis, without legends. */
static void
graph_draw_in(struct graph_ctx *c)
{
	const struct catalog_item *it;
	size_t k, ncol = 0;
	bool first = true;
	const char *const *col;

	for (k = 0; k < c->r->nitems; k++) {
		it = c->r->items[k];
		if (it->kind == CATALOG_TOTAL)
			continue;
		col = graph_colours[ncol++ % GRAPH_NCOLOURS];
		ADD(c, "AREA:ni%zu_0#%s%s", k, col[0], first ? "" : "::STACK");
		if (it->kind == CATALOG_SERVICE)
			ADD(c, "AREA:ni%zu_1#%s::STACK", k, col[1]);
		first = false;
	}
	for (k = 0, ncol = 0; k < c->r->nitems; k++)
		if (c->r->items[k]->kind == CATALOG_TOTAL)
			ADD(c, "LINE1:ni%zu_0#%s", k,
			    graph_total_colour(c->r->dark, ncol++));
}

/*
 * 95th percentile of the traffic drawn: of each TOTAL line, or, without
 * one, of the stacked sum.
 */
static void
graph_draw_p95(struct graph_ctx *c)
{
	char rpn_o[1024], rpn_i[1024];
	size_t k, n = 0, oo = 0, oi = 0;
	const char *red = c->r->dark ? "ff6b6b" : "d62728";

	for (k = 0; k < c->r->nitems; k++) {
		if (c->r->items[k]->kind != CATALOG_TOTAL)
			continue;
		ADD(c, "VDEF:p95o%zu=o%zu,95,PERCENT", k, k);
		ADD(c, "VDEF:p95i%zu=i%zu,95,PERCENT", k, k);
		ADD(c, "CDEF:lp95o%zu=o%zu,POP,p95o%zu", k, k, k);
		ADD(c, "CDEF:lp95i%zu=i%zu,POP,0,p95i%zu,-", k, k, k);
		ADD(c, "LINE1:lp95o%zu#%s:95th percentile %-6s:dashes", k, red,
		    graph_prefix(c, c->r->items[k])
			? graph_prefix(c, c->r->items[k])
			: "");
		ADD(c, "GPRINT:p95o%zu:out %%7.2lf %%s%s", k, c->unit);
		ADD(c, "GPRINT:p95i%zu:  in %%7.2lf %%s%s\\l", k, c->unit);
		ADD(c, "LINE1:lp95i%zu#%s::dashes", k, red);
		n++;
	}
	if (n > 0)
		return;
	for (k = 0; k < c->r->nitems; k++) {
		oo += (size_t)snprintf(rpn_o + oo,
		    oo < sizeof(rpn_o) ? sizeof(rpn_o) - oo : 0, "%so%zu%s",
		    n ? "," : "", k, n ? ",ADDNAN" : "");
		oi += (size_t)snprintf(rpn_i + oi,
		    oi < sizeof(rpn_i) ? sizeof(rpn_i) - oi : 0, "%si%zu%s",
		    n ? "," : "", k, n ? ",ADDNAN" : "");
		n++;
		if (oo >= sizeof(rpn_o) || oi >= sizeof(rpn_i))
			return;
	}
	if (n == 0)
		return;
	ADD(c, "CDEF:so=%s", rpn_o);
	ADD(c, "CDEF:si=%s", rpn_i);
	ADD(c, "VDEF:p95o=so,95,PERCENT");
	ADD(c, "VDEF:p95i=si,95,PERCENT");
	ADD(c, "CDEF:lp95o=so,POP,p95o");
	ADD(c, "CDEF:lp95i=si,POP,0,p95i,-");
	ADD(c, "LINE1:lp95o#%s:95th pct of the sum   :dashes", red);
	ADD(c, "GPRINT:p95o:out %%7.2lf %%s%s", c->unit);
	ADD(c, "GPRINT:p95i:  in %%7.2lf %%s%s\\l", c->unit);
	ADD(c, "LINE1:lp95i#%s::dashes", red);
}

static void
graph_theme(struct graph_ctx *c)
{
	if (!c->r->dark)
		return;
	ADD(c, "--color=BACK#111111");
	ADD(c, "--color=CANVAS#1b1b1b");
	ADD(c, "--color=SHADEA#111111");
	ADD(c, "--color=SHADEB#111111");
	ADD(c, "--color=FONT#dddddd");
	ADD(c, "--color=AXIS#999999");
	ADD(c, "--color=ARROW#999999");
	ADD(c, "--color=FRAME#444444");
	ADD(c, "--color=GRID#33333380");
	ADD(c, "--color=MGRID#55555580");
	ADD(c, "--border=0");
}

int
graph_req_init(struct graph_req *r, const struct cgiconf *cc,
    const struct catalog *cat, const struct query *q,
    const struct catalog_item **items, time_t now, struct errbuf *eb)
{
	ssize_t n;
	int64_t aligned = (int64_t)now - (int64_t)now % cc->interval;

	memset(r, 0, sizeof(*r));
	if ((n = catalog_resolve(cat, q, items, QUERY_MAX_ITEMS, eb)) == -1)
		return -1;
	if (n == 0) {
		errbuf_set(eb, "nothing to draw: choose at least one item");
		return -1;
	}
	r->cat = cat;
	r->title = cc->title;
	r->rrdcached = cc->rrdcached;
	r->items = items;
	r->nitems = (size_t)n;
	r->report = q->report;
	r->format = q->format;
	r->end = q->end != 0 ? q->end : aligned;
	r->start = q->start != 0
	    ? q->start
	    : r->end - (q->period ? q->period : cc->period);
	if (r->start >= r->end) {
		errbuf_set(eb, "start must be before end");
		return -1;
	}
	r->width = q->width ? q->width : cc->width;
	r->height = q->height ? q->height : cc->height;
	r->legend = q->legend != 0;
	r->p95 = q->p95 != 0;
	r->iec = q->units ? q->units == 2 : cc->iec;
	r->dark = q->dark;
	return 0;
}

time_t
graph_req_mtime(const struct graph_req *r)
{
	char path[4096];
	struct stat st;
	time_t t = 0;
	size_t k;
	int f;

	for (k = 0; k < r->nitems; k++) {
		for (f = 0; f < (r->items[k]->kind == CATALOG_SERVICE ? 2 : 1);
		     f++)
			if (catalog_path(r->cat, r->items[k], f, path,
				sizeof(path)) == 0 &&
			    stat(path, &st) == 0 && st.st_mtime > t)
				t = st.st_mtime;
		if (catalog_total_path(
			r->cat, r->items[k]->router, path, sizeof(path)) == 0 &&
		    stat(path, &st) == 0 && st.st_mtime > t)
			t = st.st_mtime;
	}
	return t;
}

int
graph_build(const struct graph_req *r, struct graph_argv *av, struct errbuf *eb)
{
	static const char *const what[] = { "Bits", "Packets", "Flows" };
	static const char *const ds[] = { "bytes", "pkts", "flows" };
	static const char *const unit[] = { "b/s", "p/s", "f/s" };
	struct graph_ctx c;
	size_t k;

	memset(&c, 0, sizeof(c));
	c.r = r;
	c.av = av;
	c.ds = ds[r->report];
	c.unit = unit[r->report];
	c.scale = r->report == QUERY_REPORT_BITS ? ",8,*" : ",1,*";
	c.compact = r->width < 600;
	if (r->nitems == 0 || r->nitems > QUERY_MAX_ITEMS) {
		errbuf_set(eb, "nothing to draw: choose at least one item");
		return -1;
	}
	for (k = 0; k < r->nitems; k++)
		if (graph_router_index(&c, r->items[k]->router) == SIZE_MAX)
			c.routers[c.nrouters++] = r->items[k]->router;

	ADD(&c, "graph");
	ADD(&c, "-");
	ADD(&c, "--imgformat=%s",
	    r->format == QUERY_FORMAT_SVG ? "SVG" : "PNG");
	ADD(&c, "--start=%lld", (long long)r->start);
	ADD(&c, "--end=%lld", (long long)r->end);
	ADD(&c, "--width=%d", r->width);
	ADD(&c, "--height=%d", r->height);
	ADD(&c, "--title=%s - %s per second, +out/-in", r->title,
	    what[r->report]);
	ADD(&c, "--vertical-label=%s per second (%s)",
	    r->report == QUERY_REPORT_BITS          ? "bits"
		: r->report == QUERY_REPORT_PACKETS ? "packets"
						    : "flows",
	    r->iec ? "IEC, 1024" : "SI, 1000");
	ADD(&c, "--base=%d", r->iec ? 1024 : 1000);
	if (!r->legend)
		ADD(&c, "--no-legend");
	graph_theme(&c);

	graph_defs_totals(&c);
	for (k = 0; k < r->nitems; k++)
		graph_defs_item(&c, k);
	graph_draw_out(&c);
	graph_draw_other(&c);
	graph_draw_in(&c);
	if (r->p95)
		graph_draw_p95(&c);
	ADD(&c, "HRULE:0#%s", r->dark ? "bbbbbb" : "000000");
	if (c.err == -1) {
		errbuf_set(eb, "out of memory building the graph");
		return -1;
	}
	return 0;
}

static void graph_flush_files(const struct rrdlib *rl,
    const struct graph_req *r, const struct graph_argv *av);

/* Ask rrdcached to write out what it holds for the files we draw. */
static void
graph_flush(const struct rrdlib *rl, const struct graph_req *r,
    const struct graph_argv *av)
{
	if (r->rrdcached == NULL)
		return;
	rrdlib_foreign_begin();
	graph_flush_files(rl, r, av);
	rrdlib_foreign_end();
}

static void
graph_flush_files(const struct rrdlib *rl, const struct graph_req *r,
    const struct graph_argv *av)
{
	size_t i;
	char *p, *e;

	if (rl->c_connect(r->rrdcached) != 0) {
		fprintf(stderr, "flowtally.cgi: rrdcached %s: %s\n",
		    r->rrdcached, rl->get_error());
		rl->clear_error();
		return;
	}
	for (i = 0; i < av->n; i++) {
		if (strncmp(av->v[i], "DEF:", 4) != 0 ||
		    (p = strchr(av->v[i], '=')) == NULL ||
		    (e = strchr(p, ':')) == NULL)
			continue;
		*e = '\0';
		/* A file the daemon does not hold answers an error: fine. */
		if (rl->c_flush(p + 1) != 0)
			rl->clear_error();
		*e = ':';
	}
	rl->c_disconnect();
}

static time_t
graph_mtime(const struct graph_argv *av)
{
	struct stat st;
	time_t t = 0;
	size_t i;
	char *p, *e;

	for (i = 0; i < av->n; i++) {
		if (strncmp(av->v[i], "DEF:", 4) != 0 ||
		    (p = strchr(av->v[i], '=')) == NULL ||
		    (e = strchr(p, ':')) == NULL)
			continue;
		*e = '\0';
		if (stat(p + 1, &st) == 0 && st.st_mtime > t)
			t = st.st_mtime;
		*e = ':';
	}
	return t;
}

/* Append s to the memstream fp with XML escaping. */
static void
graph_xml(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '&')
			fputs("&amp;", fp);
		else if (*s == '<')
			fputs("&lt;", fp);
		else if (*s == '>')
			fputs("&gt;", fp);
		else if ((unsigned char)*s >= 0x20)
			fputc(*s, fp);
	}
}

/*
 * Cairo draws SVG text as glyph outlines, which neither screen readers nor
 * tests can read: put the title and every legend line (with the figures
 * GPRINT produced) into <title> and <desc> right after the <svg> tag.
 */
static int
graph_svg_describe(struct graph_image *img, rrd_info_t *info, const char *title,
    const char *vlabel)
{
	const char *svg = (const char *)img->data, *tag, *gt;
	rrd_info_t *p;
	char *buf = NULL;
	size_t len = 0, head;
	FILE *fp;

	tag = memmem(svg, img->size, "<svg", 4);
	if (tag == NULL ||
	    (gt = memchr(tag, '>', img->size - (size_t)(tag - svg))) == NULL)
		return 0;
	head = (size_t)(gt - svg) + 1;
	if ((fp = open_memstream(&buf, &len)) == NULL)
		return -1;
	fwrite(svg, 1, head, fp);
	fputs("\n<title>", fp);
	graph_xml(fp, title);
	fputs("</title>\n<desc>", fp);
	graph_xml(fp, vlabel);
	fputc('\n', fp);
	for (p = info; p != NULL; p = p->next)
		if (p->type == RD_I_STR && strncmp(p->key, "legend[", 7) == 0) {
			graph_xml(fp, p->value.u_str);
			fputc('\n', fp);
		}
	fputs("</desc>", fp);
	fwrite(svg + head, 1, img->size - head, fp);
	if (fclose(fp) != 0) {
		free(buf);
		return -1;
	}
	free(img->data);
	img->data = (unsigned char *)buf;
	img->size = len;
	return 0;
}

/* Run rrd_graph_v and take the "image" blob. */
static int
graph_run(struct graph_argv *av, bool svg, const char *title,
    const char *vlabel, struct graph_image *img, struct errbuf *eb)
{
	const struct rrdlib *rl;
	rrd_info_t *info, *p;
	const char *msg;

	if ((rl = rrdlib_get(eb)) == NULL)
		return -1;
	rl->clear_error();
	rrdlib_foreign_begin();
	info = rl->graph_v((int)av->n, av->v);
	rrdlib_foreign_end();
	if (info == NULL) {
		msg = rl->get_error();
		errbuf_set(eb, "%s", msg && *msg ? msg : "rrd_graph failed");
		rl->clear_error();
		return -1;
	}
	for (p = info; p != NULL; p = p->next)
		if (p->type == RD_I_BLO && strcmp(p->key, "image") == 0)
			break;
	if (p == NULL || p->value.u_blo.size == 0 ||
	    (img->data = malloc(p->value.u_blo.size)) == NULL) {
		errbuf_set(eb, "rrd_graph returned no image");
		rl->info_free(info);
		return -1;
	}
	memcpy(img->data, p->value.u_blo.ptr, p->value.u_blo.size);
	img->size = p->value.u_blo.size;
	if (svg && graph_svg_describe(img, info, title, vlabel) == -1) {
		errbuf_set(eb, "out of memory");
		rl->info_free(info);
		return -1;
	}
	rl->info_free(info);
	return 0;
}

static const char *
graph_find_opt(const struct graph_argv *av, const char *opt)
{
	size_t i, n = strlen(opt);

	for (i = 0; i < av->n; i++)
		if (strncmp(av->v[i], opt, n) == 0)
			return av->v[i] + n;
	return "";
}

int
graph_render(
    const struct graph_req *r, struct graph_image *img, struct errbuf *eb)
{
	struct graph_argv av = { 0 };
	const struct rrdlib *rl;
	int rc = -1;

	memset(img, 0, sizeof(*img));
	if (graph_build(r, &av, eb) == -1)
		goto done;
	if ((rl = rrdlib_get(eb)) == NULL)
		goto done;
	graph_flush(rl, r, &av);
	img->mtime = graph_mtime(&av);
	rc = graph_run(&av, r->format == QUERY_FORMAT_SVG,
	    graph_find_opt(&av, "--title="),
	    graph_find_opt(&av, "--vertical-label="), img, eb);
done:
	graph_argv_free(&av);
	return rc;
}

int
graph_error_image(enum query_format fmt, int width, int height, bool dark,
    const char *msg, struct graph_image *img)
{
	struct graph_argv av = { 0 };
	struct errbuf eb;
	char safe[256];
	size_t i, o = 0;
	int rc = -1;
	time_t now = time(NULL);

	memset(img, 0, sizeof(*img));
	/* Keep letters, digits and plain punctuation; escape ':' for rrdtool.
	 */
	for (i = 0; msg[i] != '\0' && o + 3 < sizeof(safe); i++) {
		char ch = msg[i];

		if (ch == ':') {
			safe[o++] = '\\';
			safe[o++] = ':';
		} else if ((ch >= 'a' && ch <= 'z') ||
		    (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    strchr(" _.,'()-=/", ch) != NULL)
			safe[o++] = ch;
		else
			safe[o++] = '?';
	}
	safe[o] = '\0';
	if (graph_add(&av, "graph") == -1 || graph_add(&av, "-") == -1 ||
	    graph_add(&av, "--imgformat=%s",
		fmt == QUERY_FORMAT_SVG ? "SVG" : "PNG") == -1 ||
	    graph_add(&av, "--start=%lld", (long long)now - 3600) == -1 ||
	    graph_add(&av, "--end=%lld", (long long)now) == -1 ||
	    graph_add(&av, "--width=%d", width) == -1 ||
	    graph_add(&av, "--height=%d", height) == -1 ||
	    graph_add(&av, "--title=flowtally - graph failed") == -1 ||
	    graph_add(&av, "--lower-limit=0") == -1 ||
	    graph_add(&av, "--upper-limit=1") == -1 ||
	    graph_add(&av, "--rigid") == -1 ||
	    graph_add(&av, "--y-grid=none") == -1 ||
	    graph_add(&av, "--x-grid=none") == -1 ||
	    (dark && graph_add(&av, "--color=BACK#111111") == -1) ||
	    (dark && graph_add(&av, "--color=CANVAS#1b1b1b") == -1) ||
	    (dark && graph_add(&av, "--color=FONT#ff8080") == -1) ||
	    graph_add(&av, "HRULE:0.5#00000000") == -1 ||
	    graph_add(&av, "COMMENT:%s\\c", safe) == -1)
		goto done;
	rc = graph_run(
	    &av, fmt == QUERY_FORMAT_SVG, "graph failed", safe, img, &eb);
done:
	graph_argv_free(&av);
	return rc;
}

void
graph_image_free(struct graph_image *img)
{
	free(img->data);
	img->data = NULL;
	img->size = 0;
}
