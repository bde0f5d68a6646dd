/*
 * Graph rendering: turns validated catalog items into an rrd_graph_v()
 * argument vector (CUGrapher's mirrored look: outbound stacked above the
 * axis, inbound below, TOTAL lines, each item's average and share of its
 * router's total, the "other" remainder, 95th percentile lines) and
 * renders it in memory as PNG or SVG.
 */
#ifndef FT_CGI_GRAPH_H
#define FT_CGI_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cgi/catalog.h"
#include "cgi/cgiconf.h"
#include "cgi/query.h"
#include "lib/errbuf.h"

/* A graph request: every field already validated. */
struct graph_req {
	const struct catalog *cat;
	const char *title;     /* organisation, from the config */
	const char *rrdcached; /* NULL: no flush */
	const struct catalog_item *const *items;
	size_t nitems;
	enum query_report report;
	enum query_format format;
	int64_t start, end;
	int width, height;
	bool legend, p95, iec, dark;
};

/* An argument vector; every string is owned by it. */
struct graph_argv {
	char **v;
	size_t n, cap;
};

/* A rendered image; data is owned by it. */
struct graph_image {
	unsigned char *data;
	size_t size;
	time_t mtime; /* newest RRD drawn; 0 when none */
};

/*
 * Fill r from a parsed query: items resolved through cat into items (an
 * array of QUERY_MAX_ITEMS), defaults from cc, the time range ending at
 * the last interval boundary before now unless the query gives one.
 * Returns 0, or -1 with eb set to a message safe to show.
 */
int graph_req_init(struct graph_req *r, const struct cgiconf *cc,
    const struct catalog *cat, const struct query *q,
    const struct catalog_item **items, time_t now, struct errbuf *eb);

/* The newest modification time of the RRDs r draws (0 if none). */
time_t graph_req_mtime(const struct graph_req *r);

/*
 * Build the rrd_graph_v() arguments for r into av (empty on entry).
 * Every string comes from our literals, numbers, or catalog names.
 * Returns 0, or -1 with eb set. Release with graph_argv_free().
 */
int graph_build(
    const struct graph_req *r, struct graph_argv *av, struct errbuf *eb);
void graph_argv_free(struct graph_argv *av);

/*
 * Flush the request's RRDs through rrdcached when configured, then render
 * into img. Returns 0, or -1 with eb set to librrd's message.
 */
int graph_render(
    const struct graph_req *r, struct graph_image *img, struct errbuf *eb);

/*
 * An image of the given format and size saying "graph failed" and msg
 * (reduced to a safe character set first). Returns 0 or -1.
 */
int graph_error_image(enum query_format fmt, int width, int height, bool dark,
    const char *msg, struct graph_image *img);
void graph_image_free(struct graph_image *img);

#endif
