/*
 * Catalog discovery: list the RRD directory and each configured router's
 * subdirectory, classify every "*.rrd" by the scanner's naming scheme
 * (total, protocol_X, service_X_src/_dst, tos_X, as_X, network_X,
 * network_X_service_Y, interface_X, interface_X_as_Y, internal, transit),
 * and keep only names in the safe character set.
 */
#include "cgi/catalog.h"

#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const catalog_kinds[CATALOG_NKINDS] = {
	[CATALOG_TOTAL] = "total",
	[CATALOG_PROTOCOL] = "protocol",
	[CATALOG_SERVICE] = "service",
	[CATALOG_TOS] = "tos",
	[CATALOG_AS] = "as",
	[CATALOG_NETWORK] = "network",
	[CATALOG_NETSVC] = "netsvc",
	[CATALOG_INTERFACE] = "interface",
	[CATALOG_IFAS] = "ifas",
	[CATALOG_INTERNAL] = "internal",
	[CATALOG_TRANSIT] = "transit",
};

static const char *const catalog_headings[CATALOG_NKINDS] = {
	[CATALOG_TOTAL] = "Total",
	[CATALOG_PROTOCOL] = "Protocols",
	[CATALOG_SERVICE] = "Services",
	[CATALOG_TOS] = "ToS classes",
	[CATALOG_AS] = "AS groups",
	[CATALOG_NETWORK] = "Networks",
	[CATALOG_NETSVC] = "Network/service",
	[CATALOG_INTERFACE] = "Interfaces",
	[CATALOG_IFAS] = "Interface/AS group",
	[CATALOG_INTERNAL] = "Internal",
	[CATALOG_TRANSIT] = "Transit",
};

const char *
catalog_kind_name(enum catalog_kind k)
{
	return catalog_kinds[k];
}

const char *
catalog_kind_heading(enum catalog_kind k)
{
	return catalog_headings[k];
}

const char *
catalog_router_name(const struct catalog *cat, const struct catalog_item *it)
{
	return it->router < 0 ? "all routers" : cat->routers[it->router];
}

static bool
catalog_has_prefix(const char *s, const char *pre)
{
	return strncmp(s, pre, strlen(pre)) == 0;
}

static bool
catalog_has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && strcmp(s + n - m, suf) == 0;
}

/* Upper-case label for legends, CUGrapher style. */
static void
catalog_upper(char *dst, size_t len, const char *a, const char *b)
{
	size_t i;
	int n;

	/* Labels longer than len are cut: they are only for legends. */
	if (b != NULL)
		n = snprintf(dst, len, "%s/%s", a, b);
	else
		n = snprintf(dst, len, "%s", a);
	if (n < 0)
		dst[0] = '\0';
	for (i = 0; dst[i] != '\0'; i++)
		dst[i] = (char)toupper((unsigned char)dst[i]);
}

/*
 * Split rest ("X" or "X<sep>Y") using the config's sections of type sec and
 * their list key: a configured "X" with "Y" in its list wins; otherwise the
 * first sep splits. Returns 1 for a pair (a, b set), 0 for a single name.
 */
static int
catalog_split(cfg_t *cfg, const char *sec, const char *key, const char *sep,
    const char *rest, char *a, char *b, size_t len)
{
	char buf[CATALOG_NAME_MAX * 3];
	const char *p;
	cfg_t *s;
	unsigned i, j, n, m;

	n = cfg_size(cfg, sec);
	for (i = 0; i < n; i++) {
		s = cfg_getnsec(cfg, sec, i);
		if (strcmp(cfg_title(s), rest) == 0) {
			snprintf(a, len, "%s", rest);
			return 0;
		}
		m = cfg_size(s, key);
		for (j = 0; j < m; j++) {
			snprintf(buf, sizeof(buf), "%s%s%s", cfg_title(s), sep,
			    cfg_getnstr(s, key, j));
			if (strcmp(buf, rest) == 0) {
				snprintf(a, len, "%s", cfg_title(s));
				snprintf(b, len, "%s", cfg_getnstr(s, key, j));
				return 1;
			}
		}
	}
	if ((p = strstr(rest, sep)) != NULL && p != rest &&
	    p[strlen(sep)] != '\0') {
		snprintf(a, len, "%.*s", (int)(p - rest), rest);
		snprintf(b, len, "%s", p + strlen(sep));
		return 1;
	}
	snprintf(a, len, "%s", rest);
	return 0;
}

/* Classify one file stem; fills kind, the item's stem and label. */
static int
catalog_classify(
    const struct cgiconf *cc, const char *stem, struct catalog_item *it)
{
	char rest[CATALOG_NAME_MAX], a[CATALOG_NAME_MAX], b[CATALOG_NAME_MAX];
	size_t n = strlen(stem);

	snprintf(it->stem, sizeof(it->stem), "%s", stem);
	if (strcmp(stem, "total") == 0 || strcmp(stem, "internal") == 0 ||
	    strcmp(stem, "transit") == 0) {
		it->kind = stem[0] == 't'
		    ? (stem[1] == 'o' ? CATALOG_TOTAL : CATALOG_TRANSIT)
		    : CATALOG_INTERNAL;
		catalog_upper(it->label, sizeof(it->label), stem, NULL);
		return 0;
	}
	if (catalog_has_prefix(stem, "service_") && n > 12 &&
	    (catalog_has_suffix(stem, "_src") ||
		catalog_has_suffix(stem, "_dst"))) {
		it->kind = CATALOG_SERVICE;
		snprintf(
		    it->stem, sizeof(it->stem), "%.*s", (int)(n - 4), stem);
		catalog_upper(it->label, sizeof(it->label), it->stem + 8, NULL);
		it->has_src = catalog_has_suffix(stem, "_src");
		it->has_dst = !it->has_src;
		return 0;
	}
	if (catalog_has_prefix(stem, "protocol_") && n > 9) {
		it->kind = CATALOG_PROTOCOL;
		catalog_upper(it->label, sizeof(it->label), stem + 9, NULL);
		return 0;
	}
	if (catalog_has_prefix(stem, "tos_") && n > 4) {
		it->kind = CATALOG_TOS;
		catalog_upper(it->label, sizeof(it->label), stem + 4, NULL);
		return 0;
	}
	if (catalog_has_prefix(stem, "as_") && n > 3) {
		it->kind = CATALOG_AS;
		catalog_upper(it->label, sizeof(it->label), stem + 3, NULL);
		return 0;
	}
	if (catalog_has_prefix(stem, "network_") && n > 8) {
		snprintf(rest, sizeof(rest), "%s", stem + 8);
		if (catalog_split(cc->cfg, "network", "services", "_service_",
			rest, a, b, sizeof(a)) == 1) {
			it->kind = CATALOG_NETSVC;
			catalog_upper(it->label, sizeof(it->label), a, b);
		} else {
			it->kind = CATALOG_NETWORK;
			catalog_upper(it->label, sizeof(it->label), a, NULL);
		}
		return 0;
	}
	if (catalog_has_prefix(stem, "interface_") && n > 10) {
		snprintf(rest, sizeof(rest), "%s", stem + 10);
		if (catalog_split(cc->cfg, "interface", "as_groups", "_as_",
			rest, a, b, sizeof(a)) == 1) {
			it->kind = CATALOG_IFAS;
			catalog_upper(it->label, sizeof(it->label), a, b);
		} else {
			it->kind = CATALOG_INTERFACE;
			catalog_upper(it->label, sizeof(it->label), a, NULL);
		}
		return 0;
	}
	return -1;
}

static int
catalog_cmp(const void *a, const void *b)
{
	const struct catalog_item *x = a, *y = b;

	if (x->router != y->router)
		return x->router < y->router ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->stem, y->stem);
}

/* Add the RRDs of one directory (router r, -1 for the top level). */
static int
catalog_scan(struct catalog *cat, const struct cgiconf *cc, int r,
    const char *dir, size_t *cap, struct errbuf *eb)
{
	char stem[CATALOG_NAME_MAX];
	struct catalog_item it, *p;
	struct dirent *de;
	size_t n, i, first = cat->nitems;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return 0; /* nothing drawn yet */
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n <= 4 || n - 4 >= sizeof(stem) ||
		    !catalog_has_suffix(de->d_name, ".rrd"))
			continue;
		snprintf(stem, sizeof(stem), "%.*s", (int)(n - 4), de->d_name);
		if (!query_name_ok(stem))
			continue;
		memset(&it, 0, sizeof(it));
		it.router = r;
		if (catalog_classify(cc, stem, &it) == -1)
			continue;
		if (r >= 0 &&
		    snprintf(it.id, sizeof(it.id), "%s.%s", cat->routers[r],
			it.stem) >= (int)sizeof(it.id))
			continue;
		if (r < 0)
			snprintf(it.id, sizeof(it.id), "%s", it.stem);
		if (it.kind == CATALOG_SERVICE) {
			for (i = first; i < cat->nitems; i++)
				if (strcmp(cat->items[i].id, it.id) == 0)
					break;
			if (i < cat->nitems) {
				cat->items[i].has_src |= it.has_src;
				cat->items[i].has_dst |= it.has_dst;
				continue;
			}
		}
		if (cat->nitems >= CATALOG_MAX_ITEMS)
			break;
		if (cat->nitems == *cap) {
			*cap = *cap ? *cap * 2 : 64;
			if ((p = reallocarray(cat->items, *cap, sizeof(*p))) ==
			    NULL) {
				closedir(d);
				errbuf_set(eb, "out of memory");
				return -1;
			}
			cat->items = p;
		}
		cat->items[cat->nitems++] = it;
	}
	closedir(d);
	return 0;
}

int
catalog_load(struct catalog *cat, const struct cgiconf *cc, struct errbuf *eb)
{
	char dir[4096];
	struct stat st;
	const char *name;
	size_t cap = 0, i, n;

	memset(cat, 0, sizeof(*cat));
	cat->rrd_dir = cc->rrd_dir;
	n = cfg_size(cc->cfg, "router");
	for (i = 0; i < n && cat->nrouters < CATALOG_MAX_ROUTERS; i++) {
		name = cfg_title(cfg_getnsec(cc->cfg, "router", i));
		if (name == NULL || !query_name_ok(name) ||
		    strlen(name) > QUERY_MAX_VALUE / 2)
			continue;
		if (snprintf(dir, sizeof(dir), "%s/%s", cc->rrd_dir, name) >=
			(int)sizeof(dir) ||
		    stat(dir, &st) == -1 || !S_ISDIR(st.st_mode))
			continue;
		snprintf(cat->routers[cat->nrouters++], CATALOG_NAME_MAX, "%s",
		    name);
	}
	if (catalog_scan(cat, cc, -1, cc->rrd_dir, &cap, eb) == -1)
		goto fail;
	for (i = 0; i < cat->nrouters; i++) {
		snprintf(
		    dir, sizeof(dir), "%s/%s", cc->rrd_dir, cat->routers[i]);
		if (catalog_scan(cat, cc, (int)i, dir, &cap, eb) == -1)
			goto fail;
	}
	if (cat->nitems > 0)
		qsort(
		    cat->items, cat->nitems, sizeof(*cat->items), catalog_cmp);
	return 0;

fail:
	catalog_clear(cat);
	return -1;
}

void
catalog_clear(struct catalog *cat)
{
	free(cat->items);
	cat->items = NULL;
	cat->nitems = 0;
}

const struct catalog_item *
catalog_find(const struct catalog *cat, const char *id)
{
	size_t i;

	for (i = 0; i < cat->nitems; i++)
		if (strcmp(cat->items[i].id, id) == 0)
			return &cat->items[i];
	return NULL;
}

/* Parse "KIND" or "ROUTER.KIND" into a router index and kind. */
static int
catalog_parse_all(const struct catalog *cat, const char *v, int *router,
    enum catalog_kind *kind)
{
	const char *dot = strrchr(v, '.'), *k = v;
	size_t i;
	int r = -1;

	if (dot != NULL) {
		for (i = 0; i < cat->nrouters; i++)
			if (strlen(cat->routers[i]) == (size_t)(dot - v) &&
			    strncmp(cat->routers[i], v, (size_t)(dot - v)) == 0)
				break;
		if (i == cat->nrouters)
			return -1;
		r = (int)i;
		k = dot + 1;
	}
	for (i = 0; i < CATALOG_NKINDS; i++)
		if (strcmp(catalog_kinds[i], k) == 0) {
			*router = r;
			*kind = (enum catalog_kind)i;
			return 0;
		}
	return -1;
}

static int
catalog_add(const struct catalog_item **out, size_t *n, size_t max,
    const struct catalog_item *it)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (out[i] == it)
			return 0;
	if (*n >= max)
		return -1;
	out[(*n)++] = it;
	return 0;
}

ssize_t
catalog_resolve(const struct catalog *cat, const struct query *q,
    const struct catalog_item **out, size_t max, struct errbuf *eb)
{
	const struct catalog_item *it;
	enum catalog_kind kind;
	size_t i, j, n = 0;
	int router;

	for (i = 0; i < q->nitems; i++) {
		if (!q->items[i].all) {
			if ((it = catalog_find(cat, q->items[i].id)) == NULL) {
				errbuf_set(eb, "no such graph item: %s",
				    q->items[i].id);
				return -1;
			}
			if (catalog_add(out, &n, max, it) == -1)
				goto full;
			continue;
		}
		if (catalog_parse_all(cat, q->items[i].id, &router, &kind) ==
		    -1) {
			errbuf_set(
			    eb, "no such item group: %s", q->items[i].id);
			return -1;
		}
		for (j = 0; j < cat->nitems; j++)
			if (cat->items[j].router == router &&
			    cat->items[j].kind == kind &&
			    catalog_add(out, &n, max, &cat->items[j]) == -1)
				goto full;
	}
	return (ssize_t)n;

full:
	errbuf_set(eb, "more than %zu items in one graph", max);
	return -1;
}

int
catalog_path(const struct catalog *cat, const struct catalog_item *it, int n,
    char *buf, size_t len)
{
	const char *suffix = "";
	int r;

	if (it->kind == CATALOG_SERVICE)
		suffix = n == 0 ? "_src" : "_dst";
	if (it->router < 0)
		r = snprintf(
		    buf, len, "%s/%s%s.rrd", cat->rrd_dir, it->stem, suffix);
	else
		r = snprintf(buf, len, "%s/%s/%s%s.rrd", cat->rrd_dir,
		    cat->routers[it->router], it->stem, suffix);
	return r < 0 || (size_t)r >= len ? -1 : 0;
}

int
catalog_total_path(const struct catalog *cat, int router, char *buf, size_t len)
{
	int r;

	if (router < 0)
		r = snprintf(buf, len, "%s/total.rrd", cat->rrd_dir);
	else
		r = snprintf(buf, len, "%s/%s/total.rrd", cat->rrd_dir,
		    cat->routers[router]);
	return r < 0 || (size_t)r >= len ? -1 : 0;
}
