/*
 * flowtally.cgi: reads the CGI environment, loads the config named by
 * FLOWTALLY_CONF (or the default), validates the request, dispatches to
 * the menu, a graph, or a dashboard, and writes one complete response.
 * Every failure becomes an HTML error page or an error image.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgi/catalog.h"
#include "cgi/cgiconf.h"
#include "cgi/dashboard.h"
#include "cgi/graph.h"
#include "cgi/html.h"
#include "cgi/http.h"
#include "cgi/menu.h"
#include "cgi/query.h"
#include "lib/conf.h"

struct cgi {
	time_t now;
	bool head;
	bool image; /* the request wants an image: errors are images */
	enum query_format format;
	cfg_t *cfg;
	struct cgiconf cc;
	struct catalog cat;
	struct query q;
};

static void
cgi_error(struct cgi *c, int status, const char *msg)
{
	struct graph_image img;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	if (c->image &&
	    graph_error_image(c->format, c->q.width ? c->q.width : 640,
		c->q.height ? c->q.height : 200, c->q.dark, msg, &img) == 0) {
		http_send(status,
		    c->format == QUERY_FORMAT_SVG ? "image/svg+xml"
						  : "image/png",
		    NULL, c->now, img.data, img.size, c->head);
		graph_image_free(&img);
		return;
	}
	if ((fp = open_memstream(&buf, &len)) == NULL) {
		http_send(
		    500, "text/plain", NULL, c->now, "error\n", 6, c->head);
		return;
	}
	html_head(fp, "flowtally: error", 0, 0);
	fputs("<h1>Error</h1>\n<p class=\"err\">", fp);
	html_puts(fp, msg);
	fputs("</p>\n<p><a href=\"?\">Back to the graph menu</a></p>\n", fp);
	html_tail(fp);
	fclose(fp);
	http_send(status, "text/html; charset=utf-8", NULL, c->now, buf, len,
	    c->head);
	free(buf);
}

static void
cgi_graph(struct cgi *c)
{
	const struct catalog_item *items[QUERY_MAX_ITEMS];
	struct http_cache cache = { 0 };
	struct graph_image img;
	struct graph_req r;
	struct errbuf eb;

	if (graph_req_init(&r, &c->cc, &c->cat, &c->q, items, c->now, &eb) ==
	    -1) {
		cgi_error(c, 400, eb.msg);
		return;
	}
	cache.last_modified = graph_req_mtime(&r);
	if (cache.last_modified == 0 || cache.last_modified > c->now)
		cache.last_modified = c->now;
	cache.expires =
	    http_next_update(c->now, c->cc.interval, c->cc.refresh_delay);
	if (http_not_modified(
		getenv("HTTP_IF_MODIFIED_SINCE"), cache.last_modified)) {
		http_send(304, "", &cache, c->now, NULL, 0, true);
		return;
	}
	if (graph_render(&r, &img, &eb) == -1) {
		fprintf(stderr, "flowtally.cgi: graph failed: %s\n", eb.msg);
		cgi_error(c, 500, "graph failed: could not read the RRDs");
		return;
	}
	http_send(200,
	    r.format == QUERY_FORMAT_SVG ? "image/svg+xml" : "image/png",
	    &cache, c->now, img.data, img.size, c->head);
	graph_image_free(&img);
}

static void
cgi_page(struct cgi *c)
{
	const struct catalog_item *items[QUERY_MAX_ITEMS];
	const struct cgiconf_dash *d = NULL;
	struct http_cache cache = { 0 };
	const char *error = NULL;
	struct errbuf eb;
	ssize_t n = 0;
	char *buf = NULL;
	size_t len = 0;
	int status = 200, rc;
	FILE *fp;

	if (c->q.page == QUERY_PAGE_DASH &&
	    (d = cgiconf_dash_find(&c->cc, c->q.dash)) == NULL) {
		cgi_error(c, 404, "no such dashboard");
		return;
	}
	if (c->q.page == QUERY_PAGE_SHOW) {
		n = catalog_resolve(
		    &c->cat, &c->q, items, QUERY_MAX_ITEMS, &eb);
		if (n == -1) {
			error = eb.msg;
			status = 400;
		} else if (n == 0)
			error = "Choose at least one item to draw.";
	}
	if ((fp = open_memstream(&buf, &len)) == NULL) {
		cgi_error(c, 500, "out of memory");
		return;
	}
	if (d != NULL) {
		rc = dashboard_render(
		    fp, &c->cc, &c->cat, d, c->q.kiosk, c->now);
		cache.expires = c->now + dashboard_refresh(&c->cc, d, c->now);
	} else {
		rc = menu_render(fp, &c->cc, &c->cat, &c->q, items,
		    n > 0 ? (size_t)n : 0, error);
		cache.no_store = true;
	}
	if (fclose(fp) != 0 || rc == -1) {
		free(buf);
		cgi_error(c, 500, "could not build the page");
		return;
	}
	http_send(status, "text/html; charset=utf-8", &cache, c->now, buf, len,
	    c->head);
	free(buf);
}

int
main(void)
{
	const char *method = getenv("REQUEST_METHOD");
	const char *qs = getenv("QUERY_STRING");
	const char *path = getenv("FLOWTALLY_CONF");
	struct errbuf eb;
	struct cgi c;

	memset(&c, 0, sizeof(c));
	query_init(&c.q);
	c.now = time(NULL);
	c.head = method != NULL && strcmp(method, "HEAD") == 0;
	c.image = query_wants_image(qs);
	/* librrd would otherwise read through a daemon named by the server
	 * environment; we flush explicitly and read the files. */
	unsetenv("RRDCACHED_ADDRESS");

	if (method != NULL && strcmp(method, "GET") != 0 && !c.head) {
		c.image = false;
		cgi_error(&c, 405, "only GET and HEAD are supported");
		return 0;
	}
	if (path == NULL || *path == '\0')
		path = conf_default_path();
	if ((c.cfg = conf_load(path, &eb)) == NULL) {
		fprintf(stderr, "flowtally.cgi: %s\n", eb.msg);
		cgi_error(&c, 500, "configuration error (see the server log)");
		return 0;
	}
	if (cgiconf_load(c.cfg, &c.cc, &eb) == -1) {
		fprintf(stderr, "flowtally.cgi: %s: %s\n", path, eb.msg);
		cgi_error(&c, 500, "configuration error (see the server log)");
		goto out_cfg;
	}
	if (query_parse(qs, &c.q, &eb) == -1) {
		query_init(&c.q);
		c.format = qs != NULL && strstr(qs, "format=svg") != NULL
		    ? QUERY_FORMAT_SVG
		    : QUERY_FORMAT_PNG;
		cgi_error(&c, 400, eb.msg);
		goto out_cc;
	}
	c.format = c.q.format;
	if (catalog_load(&c.cat, &c.cc, &eb) == -1) {
		cgi_error(&c, 500, eb.msg);
		goto out_cc;
	}
	if (c.q.page == QUERY_PAGE_GRAPH)
		cgi_graph(&c);
	else
		cgi_page(&c);
	catalog_clear(&c.cat);
out_cc:
	cgiconf_clear(&c.cc);
out_cfg:
	conf_free(c.cfg);
	return 0;
}
