/*
 * What can be drawn: the RRDs the scanner wrote, discovered from the RRD
 * directory (top level and one subdirectory per router named in the
 * config), with the config's labels used to tell composite names apart.
 * Request names are only ever matched against this list; file paths are
 * built from catalog entries, never from request text.
 */
#ifndef FT_CGI_CATALOG_H
#define FT_CGI_CATALOG_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>

#include "cgi/cgiconf.h"
#include "cgi/query.h"
#include "lib/errbuf.h"

#define CATALOG_MAX_ITEMS   8192
#define CATALOG_MAX_ROUTERS 256
#define CATALOG_NAME_MAX    (QUERY_MAX_VALUE + 1)

enum catalog_kind {
	CATALOG_TOTAL = 0,
	CATALOG_PROTOCOL,
	CATALOG_SERVICE,
	CATALOG_TOS,
	CATALOG_AS,
	CATALOG_NETWORK,
	CATALOG_NETSVC, /* network x service */
	CATALOG_INTERFACE,
	CATALOG_IFAS, /* interface x AS group */
	CATALOG_INTERNAL,
	CATALOG_TRANSIT,
	CATALOG_NKINDS
};

/*
 * One drawable thing. id is what requests name ("protocol_tcp", or
 * "gw1.protocol_tcp" for router gw1); stem is the file name without ".rrd"
 * (for services without "_src"/"_dst": those have two files).
 */
struct catalog_item {
	char id[CATALOG_NAME_MAX];
	char stem[CATALOG_NAME_MAX];
	char label[CATALOG_NAME_MAX]; /* for legends: "HTTP", "WEB/HTTP" */
	int router;                   /* -1: all routers (top level) */
	enum catalog_kind kind;
	bool has_src, has_dst; /* services only */
};

struct catalog {
	const char *rrd_dir; /* borrowed from the cgiconf */
	char routers[CATALOG_MAX_ROUTERS][CATALOG_NAME_MAX];
	size_t nrouters;
	struct catalog_item *items; /* sorted: router, kind, label */
	size_t nitems;
};

/*
 * Build the catalog for cc (cc must outlive it). A missing RRD directory
 * is not an error: the catalog is empty. Returns 0, or -1 with eb set
 * (allocation failure). Release with catalog_clear().
 */
int catalog_load(
    struct catalog *cat, const struct cgiconf *cc, struct errbuf *eb);
void catalog_clear(struct catalog *cat);

/* The item whose id is exactly id, or NULL. */
const struct catalog_item *catalog_find(
    const struct catalog *cat, const char *id);
/* The kind's name in all= values ("protocol"), and its plural heading. */
const char *catalog_kind_name(enum catalog_kind k);
const char *catalog_kind_heading(enum catalog_kind k);
/* The router's name for the item ("all routers" at the top level). */
const char *catalog_router_name(
    const struct catalog *cat, const struct catalog_item *it);

/*
 * Expand the request's item= and all= values into catalog items, in
 * request order, without duplicates, at most max. all= takes "KIND" or
 * "ROUTER.KIND". Returns the count, or -1 with eb naming the first value
 * the catalog does not hold (the value passed query_name_ok(), so it is
 * safe to show).
 */
ssize_t catalog_resolve(const struct catalog *cat, const struct query *q,
    const struct catalog_item **out, size_t max, struct errbuf *eb);

/*
 * The path of file n (0, or 1 for a service's "_dst") of it into buf.
 * Returns 0, or -1 when buf is too small.
 */
int catalog_path(const struct catalog *cat, const struct catalog_item *it,
    int n, char *buf, size_t len);
/* The path of the total.rrd for the item's router (-1: top level). */
int catalog_total_path(
    const struct catalog *cat, int router, char *buf, size_t len);

#endif
