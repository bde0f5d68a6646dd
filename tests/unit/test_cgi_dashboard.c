/*
 * The CGI's dashboards (cgi/dashboard.c): the reload delay (the
 * dashboard's own, or just after the next interval's data), the dark page
 * with one tile per configured graph (dashboard sizes and period filled
 * in, a graph's own kept), an escaped error tile for a graph that does not
 * parse or resolve, the scoreboard frame, and the kiosk variant.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cgi/cgiconf.h"
#include "cgi/dashboard.h"
#include "cgi_testutil.h"

#define B 1700000100 /* an interval boundary (a multiple of 300) */

static int
setup(void **state)
{
	struct cgit_fix *f = cgit_new("cgi_dash");

	cgit_files_gw1(f);
	cgit_load(f,
	    "router \"gw1\" { address = \"192.0.2.1\" }\n"
	    "cgi { rrd_dir = \"%s\" interval = 300 refresh_delay = 30\n"
	    " scoreboard_url = \"/sb/\"\n"
	    " dashboard \"noc\" { title = \"NOC <1>\" columns = 3 graphs = {\n"
	    "  \"item=total\",\n"
	    "  \"item=gw1.total&period=1w&width=900&height=300\",\n"
	    "  \"item=nosuch\", \"report=packets\", \"item=<b>\" } }\n"
	    " dashboard \"wall\" { refresh = 60 scoreboard = false\n"
	    "  graphs = { \"all=protocol&report=flows\" } }\n"
	    "}\n",
	    f->dir);
	*state = f;
	return 0;
}

static const struct cgiconf_dash *
dash(struct cgit_fix *f, const char *name)
{
	const struct cgiconf_dash *d = cgiconf_dash_find(&f->cc, name);

	if (d == NULL)
		fail_msg("no dashboard \"%s\"", name);
	return d;
}

static void
render(struct cgit_fix *f, const char *name, bool kiosk, time_t now,
    struct cgit_page *p)
{
	cgit_page_open(p);
	assert_int_equal(
	    dashboard_render(p->fp, &f->cc, &f->cat, dash(f, name), kiosk, now),
	    0);
	cgit_page_close(p);
}

static void
test_cgi_dashboard_refresh(void **state)
{
	struct cgit_fix *f = *state;
	const struct cgiconf_dash *noc = dash(f, "noc");

	/* Data for the interval ending at B is in at B + 30. */
	assert_int_equal(dashboard_refresh(&f->cc, noc, B), 30);
	assert_int_equal(dashboard_refresh(&f->cc, noc, B + 10), 20);
	assert_int_equal(dashboard_refresh(&f->cc, noc, B + 29), 1);
	/* At B + 30 it is in: the next one is due at B + 330. */
	assert_int_equal(dashboard_refresh(&f->cc, noc, B + 30), 300);
	assert_int_equal(dashboard_refresh(&f->cc, noc, B + 299), 31);
	/* The dashboard's own refresh wins. */
	assert_int_equal(
	    dashboard_refresh(&f->cc, dash(f, "wall"), B + 10), 60);
}

static void
test_cgi_dashboard_page(void **state)
{
	struct cgit_fix *f = *state;
	struct cgit_page p;

	render(f, "noc", false, B + 10, &p);
	cgit_once(p.buf, "<meta http-equiv=\"refresh\" content=\"20\">");
	cgit_once(p.buf, "<title>NOC &lt;1&gt;</title>");
	cgit_once(p.buf, "<body class=\"dark\">");
	cgit_once(p.buf, "<h1>NOC &lt;1&gt;</h1>");
	cgit_once(p.buf, "style=\"grid-template-columns:repeat(3,1fr)\"");
	/* Navigation and the kiosk link. */
	cgit_once(p.buf,
	    "<a href=\"?page=dash&amp;dash=noc\">Dashboard: "
	    "NOC &lt;1&gt;</a>");
	cgit_once(p.buf,
	    "<a href=\"?page=dash&amp;dash=wall\">Dashboard: "
	    "wall</a>");
	cgit_once(p.buf,
	    "<a href=\"?page=dash&amp;dash=noc&amp;kiosk=1\">"
	    "Kiosk view</a>");
	/* Tiles: dashboard defaults (1d, 480x160) filled in, own kept. */
	assert_int_equal(cgit_count(p.buf, "<div class=\"tile\">"), 2);
	cgit_once(p.buf,
	    "<div class=\"tile\"><img class=\"graph\" alt=\"graph\" src=\""
	    "?page=graph&amp;report=bits&amp;period=1d&amp;width=480&amp;"
	    "height=160&amp;theme=dark&amp;item=total\"></div>");
	cgit_once(p.buf,
	    "src=\"?page=graph&amp;report=bits&amp;period=1w&amp;width=900&amp;"
	    "height=300&amp;theme=dark&amp;item=gw1.total\"");
	/* Error tiles, escaped, naming the graph. */
	assert_int_equal(cgit_count(p.buf, "<div class=\"tile err\">"), 3);
	cgit_once(p.buf,
	    "<div class=\"tile err\">dashboard graph "
	    "&quot;item=nosuch&quot;: no such graph item: nosuch"
	    "</div>");
	cgit_once(p.buf,
	    "<div class=\"tile err\">dashboard graph "
	    "&quot;report=packets&quot;: no items</div>");
	cgit_once(p.buf, "dashboard graph &quot;item=&lt;b&gt;&quot;: ");
	cgit_none(p.buf, "<b>");
	/* The scoreboard below. */
	cgit_once(p.buf,
	    "<iframe class=\"board\" title=\"scoreboard\" "
	    "src=\"/sb/current.html\"></iframe>");
	cgit_once(p.buf, "</body></html>\n");
	cgit_page_free(&p);
}

static void
test_cgi_dashboard_kiosk(void **state)
{
	struct cgit_fix *f = *state;
	struct cgit_page p;

	render(f, "wall", true, B + 10, &p);
	cgit_once(p.buf, "<meta http-equiv=\"refresh\" content=\"60\">");
	/* The title defaults to the name; no navigation in a kiosk. */
	cgit_once(p.buf, "<h1>wall</h1>");
	cgit_none(p.buf, "class=\"nav\"");
	cgit_none(p.buf, "Kiosk view");
	/* Dashboard defaults: 2 columns; scoreboard = false: no frame. */
	cgit_once(p.buf, "repeat(2,1fr)");
	cgit_none(p.buf, "<iframe");
	cgit_once(p.buf,
	    "src=\"?page=graph&amp;report=flows&amp;period=1d&amp;width=480&amp;"
	    "height=160&amp;theme=dark&amp;all=protocol\"");
	cgit_none(p.buf, "tile err");
	cgit_page_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_cgi_dashboard_refresh, setup, cgit_teardown),
		cmocka_unit_test_setup_teardown(
		    test_cgi_dashboard_page, setup, cgit_teardown),
		cmocka_unit_test_setup_teardown(
		    test_cgi_dashboard_kiosk, setup, cgit_teardown),
	};
	return cmocka_run_group_tests_name("cgi_dashboard", tests, NULL, NULL);
}
