/*
 * The CGI's menu and show pages (cgi/menu.c): the form lists the catalog's
 * items per router and kind, preselects the request's choices or the
 * config's defaults, escapes every text, shows the chosen graphs (one
 * stack or one per item) or an error above the form, and the navigation
 * links to dashboards and the scoreboard.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cgi/catalog.h"
#include "cgi/menu.h"
#include "cgi/query.h"
#include "cgi_testutil.h"

static int
setup(void **state)
{
	struct cgit_fix *f = cgit_new("cgi_menu");

	cgit_files_gw1(f);
	cgit_load(f,
	    "router \"gw1\" { address = \"192.0.2.1\" }\n"
	    "cgi { rrd_dir = \"%s\" title = \"A&B <flows>\"\n"
	    " scoreboard_url = \"/sb/\"\n"
	    " dashboard \"noc\" { title = \"NOC <1>\" graphs = { \"item=total\" "
	    "} }\n"
	    "}\n",
	    f->dir);
	*state = f;
	return 0;
}

static int
setup_empty(void **state)
{
	struct cgit_fix *f = cgit_new("cgi_menu0");

	cgit_load(f, "cgi { rrd_dir = \"%s\" }\n", f->dir);
	*state = f;
	return 0;
}

/*
 * Render the page for the query string qs (resolving its items) with
 * error into p; returns the number of items resolved.
 */
static size_t
render(
    struct cgit_fix *f, const char *qs, const char *error, struct cgit_page *p)
{
	const struct catalog_item *items[QUERY_MAX_ITEMS];
	struct errbuf eb;
	struct query q;
	ssize_t n;

	if (query_parse(qs, &q, &eb) == -1)
		fail_msg("query \"%s\": %s", qs, eb.msg);
	n = catalog_resolve(&f->cat, &q, items, QUERY_MAX_ITEMS, &eb);
	if (n == -1)
		fail_msg("query \"%s\": %s", qs, eb.msg);
	cgit_page_open(p);
	assert_int_equal(
	    menu_render(p->fp, &f->cc, &f->cat, &q, items, (size_t)n, error),
	    0);
	cgit_page_close(p);
	return (size_t)n;
}

static void
test_cgi_menu_form(void **state)
{
	struct cgit_fix *f = *state;
	struct cgit_page p;

	render(f, "", NULL, &p);
	/* Title escaped in the head and the heading. */
	cgit_once(p.buf, "<title>A&amp;B &lt;flows&gt;</title>");
	cgit_once(p.buf, "<h1>A&amp;B &lt;flows&gt;: traffic graphs</h1>");
	cgit_none(p.buf, "<flows>");
	/* Navigation: the dashboard and both scoreboard pages. */
	cgit_once(p.buf,
	    "<a href=\"?page=dash&amp;dash=noc\">Dashboard: "
	    "NOC &lt;1&gt;</a>");
	cgit_once(p.buf, "<a href=\"/sb/current.html\">Current scoreboard</a>");
	cgit_once(
	    p.buf, "<a href=\"/sb/history/index.html\">Scoreboard history</a>");
	/* One fieldset for all routers, one for gw1. */
	cgit_once(p.buf, "<legend>All routers</legend>");
	cgit_once(p.buf, "<legend>gw1</legend>");
	/* Two protocols: a list of two and an "all" box; one total: no box. */
	cgit_once(p.buf,
	    "<select name=\"item\" multiple size=\"2\" "
	    "data-kind=\"protocol\"><option value=\"protocol_tcp\">"
	    "TCP</option><option value=\"protocol_udp\">UDP"
	    "</option></select>");
	cgit_once(p.buf,
	    "<input type=\"checkbox\" name=\"all\" value=\"protocol\"> all");
	cgit_once(p.buf, "<option value=\"total\">TOTAL</option>");
	cgit_once(p.buf, "<option value=\"gw1.total\">TOTAL</option>");
	cgit_once(p.buf, "<option value=\"service_http\">HTTP</option>");
	cgit_none(p.buf, "value=\"total\"> all");
	cgit_none(p.buf, "value=\"gw1.total\"> all");
	/* Defaults from the config: 2d, 640x320, SI, legend and p95 on. */
	cgit_once(p.buf, "<option value=\"2d\" selected>48 hours</option>");
	cgit_once(p.buf, "<option value=\"640\" selected>640</option>");
	cgit_once(p.buf, "<option value=\"320\" selected>320</option>");
	cgit_once(p.buf, "<option value=\"si\" selected>SI (1000)</option>");
	cgit_once(p.buf, "<option value=\"bits\" selected>Bits</option>");
	cgit_once(p.buf, "<option value=\"stack\" selected>");
	assert_int_equal(
	    cgit_count(p.buf, "<option value=\"1\" selected>on</option>"), 2);
	/* No range given: the date inputs are empty; no graph on the menu. */
	cgit_once(p.buf, "name=\"start\">");
	cgit_once(p.buf, "name=\"end\">");
	cgit_none(p.buf, "<img");
	cgit_none(p.buf, "No RRDs found yet");
	cgit_once(
	    p.buf, "<input type=\"hidden\" name=\"page\" value=\"show\">");
	cgit_once(p.buf, "</body></html>\n");
	cgit_page_free(&p);
}

static void
test_cgi_menu_show_stack(void **state)
{
	struct cgit_fix *f = *state;
	struct cgit_page p;

	assert_int_equal(render(f,
			     "page=show&item=gw1.total&all=protocol&period=1w&"
			     "width=800&height=200&report=packets&format=svg&"
			     "units=iec&legend=0&p95=0",
			     NULL, &p),
	    3);
	/* One stacked graph of the request. */
	assert_int_equal(cgit_count(p.buf, "<img"), 1);
	cgit_once(
	    p.buf, "<img class=\"graph\" alt=\"graph\" src=\"?page=graph&amp;");
	cgit_once(p.buf, "item=gw1.total");
	/* The choices are preselected. */
	cgit_once(p.buf, "<option value=\"gw1.total\" selected>TOTAL</option>");
	cgit_once(p.buf, "<option value=\"total\">TOTAL</option>");
	cgit_once(p.buf, "name=\"all\" value=\"protocol\" checked> all");
	cgit_once(p.buf, "<option value=\"protocol_tcp\">TCP</option>");
	cgit_once(p.buf, "<option value=\"1w\" selected>1 week</option>");
	cgit_once(p.buf, "<option value=\"800\" selected>800</option>");
	cgit_once(p.buf, "<option value=\"200\" selected>200</option>");
	cgit_once(p.buf, "<option value=\"packets\" selected>Packets</option>");
	cgit_once(p.buf, "<option value=\"svg\" selected>SVG</option>");
	cgit_once(p.buf, "<option value=\"iec\" selected>IEC (1024)</option>");
	assert_int_equal(
	    cgit_count(p.buf, "<option value=\"0\" selected>off</option>"), 2);
	cgit_none(p.buf, "<option value=\"2d\" selected>");
	cgit_page_free(&p);
}

static void
test_cgi_menu_show_each(void **state)
{
	struct cgit_fix *f = *state;
	struct cgit_page p;

	/* item= and all= overlap: tcp once; one graph per item. */
	assert_int_equal(render(f,
			     "page=show&item=protocol_tcp&all=protocol&"
			     "item=service_http&mode=each",
			     NULL, &p),
	    3);
	assert_int_equal(cgit_count(p.buf, "<img"), 3);
	cgit_once(p.buf, "item=protocol_tcp\">");
	cgit_once(p.buf, "item=protocol_udp\">");
	cgit_once(p.buf, "item=service_http\">");
	cgit_none(p.buf, "all=protocol\">");
	cgit_once(p.buf, "<option value=\"each\" selected>");
	cgit_once(
	    p.buf, "<option value=\"protocol_tcp\" selected>TCP</option>");
	cgit_once(
	    p.buf, "<option value=\"service_http\" selected>HTTP</option>");
	cgit_page_free(&p);
}

static void
test_cgi_menu_error(void **state)
{
	struct cgit_fix *f = *state;
	struct cgit_page p;

	/* An error replaces the graphs and is escaped. */
	render(f, "page=show&item=total", "no such item \"<x>\"", &p);
	cgit_once(
	    p.buf, "<p class=\"err\">no such item &quot;&lt;x&gt;&quot;</p>");
	cgit_none(p.buf, "<img");
	cgit_none(p.buf, "<x>");
	/* The form is still there, with the choice kept. */
	cgit_once(p.buf, "<option value=\"total\" selected>TOTAL</option>");
	cgit_page_free(&p);
}

static void
test_cgi_menu_range(void **state)
{
	struct cgit_fix *f = *state;
	struct cgit_page p;
	struct query q;

	query_init(&q);
	q.page = QUERY_PAGE_MENU;
	q.start = 1700000100; /* 2023-11-14 22:15:00 UTC */
	q.end = 1700086559;   /* 2023-11-15 22:15:59 UTC */
	cgit_page_open(&p);
	assert_int_equal(
	    menu_render(p.fp, &f->cc, &f->cat, &q, NULL, 0, NULL), 0);
	cgit_page_close(&p);
	cgit_once(p.buf, "name=\"start\" value=\"2023-11-14T22:15\">");
	cgit_once(p.buf, "name=\"end\" value=\"2023-11-15T22:15\">");
	/* A custom range has no period preset, the config's is shown. */
	cgit_once(p.buf, "<option value=\"2d\" selected>");
	cgit_page_free(&p);
}

static void
test_cgi_menu_empty(void **state)
{
	struct cgit_fix *f = *state;
	struct cgit_page p;

	render(f, "", NULL, &p);
	cgit_once(p.buf, "No RRDs found yet");
	cgit_once(p.buf, "<legend>All routers</legend>");
	cgit_none(p.buf, "<select name=\"item\"");
	/* Default title, no dashboards, no scoreboard links. */
	cgit_once(p.buf, "<title>flowtally</title>");
	cgit_once(p.buf, "<p class=\"nav\"><a href=\"?\">Graph menu</a></p>");
	cgit_page_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_cgi_menu_form, setup, cgit_teardown),
		cmocka_unit_test_setup_teardown(
		    test_cgi_menu_show_stack, setup, cgit_teardown),
		cmocka_unit_test_setup_teardown(
		    test_cgi_menu_show_each, setup, cgit_teardown),
		cmocka_unit_test_setup_teardown(
		    test_cgi_menu_error, setup, cgit_teardown),
		cmocka_unit_test_setup_teardown(
		    test_cgi_menu_range, setup, cgit_teardown),
		cmocka_unit_test_setup_teardown(
		    test_cgi_menu_empty, setup_empty, cgit_teardown),
	};
	return cmocka_run_group_tests_name("cgi_menu", tests, NULL, NULL);
}
