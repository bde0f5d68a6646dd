/*
 * Dashboard pages. Graph tiles are ordinary graph URLs (page=graph with
 * theme=dark), so browsers cache them until the next interval like any
 * other graph; the page reloads itself just after new data is in.
 */
#include "cgi/dashboard.h"

#include <string.h>

#include "cgi/html.h"
#include "cgi/http.h"
#include "cgi/menu.h"

int
dashboard_refresh(
    const struct cgiconf *cc, const struct cgiconf_dash *d, time_t now)
{
	if (d->refresh > 0)
		return d->refresh;
	return (
	    int)(http_next_update(now, cc->interval, cc->refresh_delay) - now);
}

static void
dashboard_tile(FILE *fp, const struct cgiconf *cc, const struct catalog *cat,
    const struct cgiconf_dash *d, const char *spec)
{
	const struct catalog_item *items[QUERY_MAX_ITEMS];
	char url[QUERY_MAX_LEN * 2];
	struct errbuf eb;
	struct query q;

	(void)cc;
	if (query_parse(spec, &q, &eb) == -1 ||
	    catalog_resolve(cat, &q, items, QUERY_MAX_ITEMS, &eb) == -1 ||
	    (q.nitems == 0 && (errbuf_set(&eb, "no items"), 1))) {
		fputs("<div class=\"tile err\">", fp);
		html_printf(fp, "dashboard graph \"%s\": %s", spec, eb.msg);
		fputs("</div>\n", fp);
		return;
	}
	q.dark = true;
	if (q.width == 0)
		q.width = d->width;
	if (q.height == 0)
		q.height = d->height;
	if (q.period == 0 && q.start == 0)
		q.period = d->period;
	if (query_format(&q, QUERY_PAGE_GRAPH, NULL, url, sizeof(url)) == -1)
		return;
	fputs("<div class=\"tile\"><img class=\"graph\" alt=\"graph\" src=\"?",
	    fp);
	html_puts(fp, url);
	fputs("\"></div>\n", fp);
}

int
dashboard_render(FILE *fp, const struct cgiconf *cc, const struct catalog *cat,
    const struct cgiconf_dash *d, bool kiosk, time_t now)
{
	size_t i;

	html_head(fp, d->title, 1, dashboard_refresh(cc, d, now));
	if (!kiosk) {
		menu_nav(fp, cc);
		fputs("<p class=\"nav\"><a href=\"?page=dash&amp;dash=", fp);
		html_puts(fp, d->name);
		fputs("&amp;kiosk=1\">Kiosk view</a></p>\n", fp);
	}
	fputs("<h1>", fp);
	html_puts(fp, d->title);
	fputs("</h1>\n", fp);
	fprintf(fp,
	    "<div class=\"grid\" id=\"dashboard\" "
	    "style=\"grid-template-columns:repeat(%d,1fr)\">\n",
	    d->columns);
	for (i = 0; i < d->ngraphs; i++)
		dashboard_tile(fp, cc, cat, d, d->graphs[i]);
	fputs("</div>\n", fp);
	if (d->scoreboard && cc->sb_url != NULL) {
		fputs(
		    "<iframe class=\"board\" title=\"scoreboard\" src=\"", fp);
		html_puts(fp, cc->sb_url);
		html_puts(fp, cc->sb_current ? cc->sb_current : "");
		fputs("\"></iframe>\n", fp);
	}
	html_tail(fp);
	return ferror(fp) ? -1 : 0;
}
