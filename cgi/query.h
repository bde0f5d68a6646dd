/*
 * The CGI request: QUERY_STRING parsed against a fixed allow-list of keys,
 * each value checked for its own small grammar (names, presets, bounded
 * integers, dates). Nothing from the request is kept that could reach a
 * path or an rrdtool argument unchecked: names are later matched exactly
 * against the catalog, numbers are stored as numbers.
 */
#ifndef FT_CGI_QUERY_H
#define FT_CGI_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/errbuf.h"

#define QUERY_MAX_LEN    4096 /* whole QUERY_STRING, bytes */
#define QUERY_MAX_PARAMS 80   /* key=value pairs */
#define QUERY_MAX_VALUE  96   /* one decoded value, bytes */
#define QUERY_MAX_ITEMS  32   /* item= and all= values together */
#define QUERY_WIDTH_MIN  100
#define QUERY_WIDTH_MAX  4000
#define QUERY_HEIGHT_MIN 50
#define QUERY_HEIGHT_MAX 2000
/* Custom start/end: 2000-01-01 .. 2100-01-01 UTC. */
#define QUERY_TIME_MIN 946684800LL
#define QUERY_TIME_MAX 4102444800LL

enum query_page {
	QUERY_PAGE_MENU = 0, /* no parameters: the menu */
	QUERY_PAGE_SHOW,     /* the menu with the chosen graph(s) above it */
	QUERY_PAGE_GRAPH,    /* the image itself */
	QUERY_PAGE_DASH,     /* a dashboard from the config */
};

enum query_report {
	QUERY_REPORT_BITS = 0,
	QUERY_REPORT_PACKETS,
	QUERY_REPORT_FLOWS,
};

enum query_format {
	QUERY_FORMAT_PNG = 0,
	QUERY_FORMAT_SVG,
};

/* A value of 0 in an int field means "not given: use the default". */
struct query {
	enum query_page page;
	enum query_report report;
	enum query_format format;
	int64_t period;     /* seconds, from a preset; 0 = default */
	int64_t start, end; /* custom range, epoch seconds; 0 = unset */
	int width, height;  /* 0 = default */
	int legend;         /* -1 default (on), 0 off, 1 on */
	int p95;            /* -1 default (on), 0 off, 1 on */
	int units;          /* 0 default, 1 SI (1000), 2 IEC (1024) */
	bool each;          /* one graph per item instead of one stack */
	bool dark;          /* dark colours (dashboards) */
	bool kiosk;         /* dashboard without navigation */
	char dash[QUERY_MAX_VALUE + 1];
	/* item= and all= values, in request order; checked by the catalog. */
	size_t nitems;
	struct query_item {
		bool all; /* all=ROUTER.KIND rather than item=ID */
		char id[QUERY_MAX_VALUE + 1];
	} items[QUERY_MAX_ITEMS];
};

/* A period preset: its name in URLs and menus, and its length. */
struct query_period {
	const char *name;
	const char *label;
	int64_t seconds;
};

/* The presets in menu order, terminated by a NULL name. */
extern const struct query_period query_periods[];

/* Set every field of q to "not given". */
void query_init(struct query *q);

/*
 * Parse a QUERY_STRING (qs may be NULL or empty: the menu). Rejects unknown
 * or repeated keys (item and all may repeat, up to QUERY_MAX_ITEMS), values
 * outside their grammar or range, oversized input, control bytes, '/',
 * "..", ':' outside a date, and a start after the end. Returns 0, or -1
 * with a message in eb that is safe to show (it quotes no request bytes
 * other than an allow-listed key name).
 */
int query_parse(const char *qs, struct query *q, struct errbuf *eb);

/*
 * True when qs asks for an image (page=graph), so that errors are answered
 * with an image too. Looks only for that exact pair.
 */
bool query_wants_image(const char *qs);

/* The period preset named name, or NULL. */
const struct query_period *query_period_find(const char *name);

/*
 * True when s is a name the catalog could hold: 1..QUERY_MAX_VALUE bytes
 * of [A-Za-z0-9_.-], starting with a letter or digit, without "..".
 */
bool query_name_ok(const char *s);

/*
 * Write the canonical query string for q (page, then every field that is
 * set) into buf of size len, with page replaced by page. Only validated
 * fields are written, so the result is safe to put in a URL or HTML
 * attribute after HTML escaping. When only is not NULL (a catalog id), it
 * replaces every item. Returns 0, or -1 if buf is too small.
 */
int query_format(const struct query *q, enum query_page page, const char *only,
    char *buf, size_t len);

#endif
