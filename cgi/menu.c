/*
 * Menu and show pages. The form submits by GET to the CGI itself with
 * page=show; every option value written here is a catalog id or a fixed
 * literal, and every text is escaped.
 */
#include "cgi/menu.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgi/html.h"

static void
menu_option(FILE *fp, const char *value, const char *label, bool selected)
{
	fputs("<option value=\"", fp);
	html_puts(fp, value);
	fputs(selected ? "\" selected>" : "\">", fp);
	html_puts(fp, label);
	fputs("</option>", fp);
}

static void
menu_select(FILE *fp, const char *label, const char *name,
    const char *const *values, const char *const *labels, int selected)
{
	int i;

	fprintf(fp, "<label>%s <select name=\"%s\">", label, name);
	for (i = 0; values[i] != NULL; i++)
		menu_option(fp, values[i], labels[i], i == selected);
	fputs("</select></label>\n", fp);
}

static void
menu_int_select(FILE *fp, const char *label, const char *name,
    const int *values, int selected)
{
	char v[16];
	int i;

	fprintf(fp, "<label>%s <select name=\"%s\">", label, name);
	for (i = 0; values[i] != 0; i++) {
		snprintf(v, sizeof(v), "%d", values[i]);
		menu_option(fp, v, v, values[i] == selected);
	}
	fputs("</select></label>\n", fp);
}

static bool
menu_item_chosen(const struct query *q, const char *id, bool all)
{
	size_t i;

	for (i = 0; i < q->nitems; i++)
		if (q->items[i].all == all && strcmp(q->items[i].id, id) == 0)
			return true;
	return false;
}

static void
menu_time_value(FILE *fp, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	char buf[32];

	if (t == 0)
		return;
	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M", &tm);
	fprintf(fp, " value=\"%s\"", buf);
}

void
menu_nav(FILE *fp, const struct cgiconf *cc)
{
	size_t i;

	fputs("<p class=\"nav\"><a href=\"?\">Graph menu</a>", fp);
	for (i = 0; i < cc->ndash; i++) {
		fputs("<a href=\"?page=dash&amp;dash=", fp);
		html_puts(fp, cc->dash[i].name);
		fputs("\">Dashboard: ", fp);
		html_puts(fp, cc->dash[i].title);
		fputs("</a>", fp);
	}
	if (cc->sb_url != NULL) {
		fputs("<a href=\"", fp);
		html_puts(fp, cc->sb_url);
		html_puts(fp, cc->sb_current ? cc->sb_current : "");
		fputs("\">Current scoreboard</a><a href=\"", fp);
		html_puts(fp, cc->sb_url);
		html_puts(fp, cc->sb_index ? cc->sb_index : "");
		fputs("\">Scoreboard history</a>", fp);
	}
	fputs("</p>\n", fp);
}

/* One fieldset per router: a multi-select and an "all" box per kind. */
static void
menu_router(
    FILE *fp, const struct catalog *cat, const struct query *q, int router)
{
	char allv[CATALOG_NAME_MAX * 2];
	const struct catalog_item *it;
	size_t i, j, count;
	int kind;

	fputs("<fieldset><legend>", fp);
	html_puts(fp, router < 0 ? "All routers" : cat->routers[router]);
	fputs("</legend><div class=\"items\">", fp);
	for (kind = 0; kind < CATALOG_NKINDS; kind++) {
		for (i = 0, count = 0; i < cat->nitems; i++)
			if (cat->items[i].router == router &&
			    cat->items[i].kind == (enum catalog_kind)kind)
				count++;
		if (count == 0)
			continue;
		fputs("<div>", fp);
		html_puts(fp, catalog_kind_heading((enum catalog_kind)kind));
		fprintf(fp,
		    "<br><select name=\"item\" multiple size=\"%zu\" "
		    "data-kind=\"%s\">",
		    count < 2       ? 2
			: count < 6 ? count
				    : 6,
		    catalog_kind_name((enum catalog_kind)kind));
		for (j = 0; j < cat->nitems; j++) {
			it = &cat->items[j];
			if (it->router != router ||
			    it->kind != (enum catalog_kind)kind)
				continue;
			menu_option(fp, it->id, it->label,
			    menu_item_chosen(q, it->id, false));
		}
		fputs("</select>", fp);
		if (count > 1) {
			if (router < 0)
				snprintf(allv, sizeof(allv), "%s",
				    catalog_kind_name((enum catalog_kind)kind));
			else
				snprintf(allv, sizeof(allv), "%s.%s",
				    cat->routers[router],
				    catalog_kind_name((enum catalog_kind)kind));
			fputs("<br><label><input type=\"checkbox\" "
			      "name=\"all\" value=\"",
			    fp);
			html_puts(fp, allv);
			fprintf(fp, "\"%s> all</label>",
			    menu_item_chosen(q, allv, true) ? " checked" : "");
		}
		fputs("</div>", fp);
	}
	fputs("</div></fieldset>\n", fp);
}

static void
menu_graphs(FILE *fp, const struct query *q,
    const struct catalog_item *const *items, size_t n)
{
	char url[QUERY_MAX_LEN * 2];
	size_t i;

	fputs("<div class=\"graphs\">\n", fp);
	for (i = 0; i < (q->each ? n : 1); i++) {
		if (query_format(q, QUERY_PAGE_GRAPH,
			q->each ? items[i]->id : NULL, url, sizeof(url)) == -1)
			continue;
		fputs("<img class=\"graph\" alt=\"graph\" src=\"?", fp);
		html_puts(fp, url);
		fputs("\">\n", fp);
	}
	fputs("</div>\n", fp);
}

int
menu_render(FILE *fp, const struct cgiconf *cc, const struct catalog *cat,
    const struct query *q, const struct catalog_item *const *items, size_t n,
    const char *error)
{
	static const char *const reports[] = { "bits", "packets", "flows",
		NULL };
	static const char *const report_labels[] = { "Bits", "Packets", "Flows",
		NULL };
	static const char *const formats[] = { "png", "svg", NULL };
	static const char *const format_labels[] = { "PNG", "SVG", NULL };
	static const char *const units[] = { "si", "iec", NULL };
	static const char *const unit_labels[] = { "SI (1000)", "IEC (1024)",
		NULL };
	static const char *const modes[] = { "stack", "each", NULL };
	static const char *const mode_labels[] = { "one stacked graph",
		"one graph per item", NULL };
	static const char *const onoff[] = { "1", "0", NULL };
	static const char *const onoff_labels[] = { "on", "off", NULL };
	static const int widths[] = { 400, 480, 640, 800, 1024, 1280, 1600, 0 };
	static const int heights[] = { 120, 160, 200, 320, 400, 600, 0 };
	const struct query_period *p;
	int64_t period = q->period ? q->period : cc->period;
	size_t r;

	html_head(fp, cc->title, 0, 0);
	fputs("<h1>", fp);
	html_puts(fp, cc->title);
	fputs(": traffic graphs</h1>\n", fp);
	menu_nav(fp, cc);
	if (error != NULL) {
		fputs("<p class=\"err\">", fp);
		html_puts(fp, error);
		fputs("</p>\n", fp);
	} else if (q->page == QUERY_PAGE_SHOW && n > 0)
		menu_graphs(fp, q, items, n);

	fputs("<form method=\"get\" action=\"\" id=\"menu\">\n"
	      "<input type=\"hidden\" name=\"page\" value=\"show\">\n"
	      "<fieldset><legend>Graph</legend>\n",
	    fp);
	menu_select(
	    fp, "Report", "report", reports, report_labels, (int)q->report);
	fputs("<label>Period <select name=\"period\">", fp);
	for (p = query_periods; p->name != NULL; p++)
		menu_option(fp, p->name, p->label, p->seconds == period);
	fputs(
	    "</select></label>\n<label>or from <input type=\"datetime-local\" "
	    "name=\"start\"",
	    fp);
	menu_time_value(fp, q->start);
	fputs("></label><label>to <input type=\"datetime-local\" name=\"end\"",
	    fp);
	menu_time_value(fp, q->end);
	fputs("> (UTC)</label><br>\n", fp);
	menu_int_select(
	    fp, "Width", "width", widths, q->width ? q->width : cc->width);
	menu_int_select(fp, "Height", "height", heights,
	    q->height ? q->height : cc->height);
	menu_select(
	    fp, "Image", "format", formats, format_labels, (int)q->format);
	menu_select(fp, "Units", "units", units, unit_labels,
	    q->units ? q->units - 1 : cc->iec);
	menu_select(fp, "Layout", "mode", modes, mode_labels, q->each);
	menu_select(
	    fp, "Legend", "legend", onoff, onoff_labels, q->legend == 0);
	menu_select(
	    fp, "95th percentile", "p95", onoff, onoff_labels, q->p95 == 0);
	fputs("</fieldset>\n", fp);

	if (cat->nitems == 0)
		fputs("<p class=\"err\">No RRDs found yet: the scanner has "
		      "not written any.</p>\n",
		    fp);
	menu_router(fp, cat, q, -1);
	for (r = 0; r < cat->nrouters; r++)
		menu_router(fp, cat, q, (int)r);
	fputs("<p><button type=\"submit\" id=\"generate\">Generate graph"
	      "</button></p>\n</form>\n",
	    fp);
	html_tail(fp);
	return ferror(fp) ? -1 : 0;
}
