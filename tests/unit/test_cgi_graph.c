/*
 * Tests for the CGI's graph argument builder and HTTP helpers: arguments
 * come only from the catalog and our literals (paths under rrd_dir, no
 * newline, generated variable names), the mirrored layout and shares are
 * there, and the caching arithmetic lands on interval boundaries.
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
#include "cgi/cgiconf.h"
#include "cgi/graph.h"
#include "cgi/http.h"
#include "cgi/query.h"
#include "cgi_testutil.h"
#include "lib/conf.h"

static int
setup(void **state)
{
	struct cgit_fix *f = cgit_new("cgi_graph");

	cgit_files_gw1(f);
	cgit_load(f,
	    "router \"gw1\" { address = \"192.0.2.1\" }\n"
	    "cgi { rrd_dir = \"%s\" title = \"T\" interval = 300 }\n",
	    f->dir);
	*state = f;
	return 0;
}

static size_t
count_prefix(const struct graph_argv *av, const char *pre)
{
	size_t i, n = 0;

	for (i = 0; i < av->n; i++)
		if (strncmp(av->v[i], pre, strlen(pre)) == 0)
			n++;
	return n;
}

static void
test_graph_args_from_catalog_only(void **state)
{
	struct cgit_fix *f = *state;
	const struct catalog_item *items[QUERY_MAX_ITEMS];
	struct graph_argv av = { 0 };
	struct graph_req r;
	struct errbuf eb;
	struct query q;
	size_t i;
	char *p;

	assert_int_equal(
	    query_parse("page=graph&item=total&all=protocol&"
			"item=service_http&item=gw1.total&width=700",
		&q, &eb),
	    0);
	assert_int_equal(
	    graph_req_init(&r, &f->cc, &f->cat, &q, items, 1000000, &eb), 0);
	/* Relative periods end on the interval boundary before now. */
	assert_int_equal(r.end, 1000000 - 1000000 % 300);
	assert_int_equal(r.start, r.end - 2 * 86400);
	assert_int_equal(graph_build(&r, &av, &eb), 0);
	for (i = 0; i < av.n; i++) {
		assert_null(strchr(av.v[i], '\n'));
		if (strncmp(av.v[i], "DEF:", 4) == 0) {
			p = strchr(av.v[i], '=');
			assert_non_null(p);
			assert_memory_equal(p + 1, f->dir, strlen(f->dir));
			assert_non_null(strstr(p, ".rrd:"));
		}
	}
	/* total, tcp, udp, http src + dst, gw1 total: 6 files, in and out;
	 * plus the two router totals for the shares. */
	assert_int_equal(count_prefix(&av, "DEF:"), 2 * 6 + 2 * 2);
	/* Out areas above, in areas mirrored below (service: two layers). */
	assert_int_equal(count_prefix(&av, "AREA:o"), 4);
	assert_int_equal(count_prefix(&av, "AREA:ni"), 4);
	assert_int_equal(count_prefix(&av, "LINE1:o"), 2);     /* TOTALs */
	assert_int_equal(count_prefix(&av, "LINE1:lp95o"), 2); /* p95 */
	assert_int_equal(count_prefix(&av, "HRULE:0"), 1);
	assert_int_equal(count_prefix(&av, "--width=700"), 1);
	assert_int_equal(count_prefix(&av, "--base=1000"), 1);
	assert_true(count_prefix(&av, "GPRINT:vpo") >= 3);   /* shares */
	assert_int_equal(count_prefix(&av, "CDEF:xo0_"), 2); /* other */
	graph_argv_free(&av);
}

static void
test_graph_options(void **state)
{
	struct cgit_fix *f = *state;
	const struct catalog_item *items[QUERY_MAX_ITEMS];
	struct graph_argv av = { 0 };
	struct graph_req r;
	struct errbuf eb;
	struct query q;

	assert_int_equal(query_parse("page=graph&item=protocol_tcp&legend=0&"
				     "p95=0&units=iec&report=flows&format=svg"
				     "&start=2026-01-01&end=2026-01-02",
			     &q, &eb),
	    0);
	assert_int_equal(
	    graph_req_init(&r, &f->cc, &f->cat, &q, items, 1800000000, &eb), 0);
	assert_int_equal(r.start, 1767225600);
	assert_int_equal(r.end, 1767312000);
	assert_int_equal(graph_build(&r, &av, &eb), 0);
	assert_int_equal(count_prefix(&av, "--no-legend"), 1);
	assert_int_equal(count_prefix(&av, "--base=1024"), 1);
	assert_int_equal(count_prefix(&av, "--imgformat=SVG"), 1);
	assert_int_equal(count_prefix(&av, "LINE1:lp95"), 0);
	assert_int_equal(count_prefix(&av, "DEF:ro0_0="), 1);
	assert_non_null(strstr(av.v[av.n - 1], "HRULE"));
	assert_int_equal(count_prefix(&av, "--start=1767225600"), 1);
	graph_argv_free(&av);

	/* Nothing selected, or an unknown item: refused before librrd. */
	assert_int_equal(query_parse("page=graph", &q, &eb), 0);
	assert_int_equal(
	    graph_req_init(&r, &f->cc, &f->cat, &q, items, 1800000000, &eb),
	    -1);
	assert_int_equal(
	    query_parse("page=graph&item=gw1.protocol_tcp", &q, &eb), 0);
	assert_int_equal(
	    graph_req_init(&r, &f->cc, &f->cat, &q, items, 1800000000, &eb),
	    -1);
}

static void
test_http_caching(void **state)
{
	char buf[64];

	(void)state;
	/* The next boundary plus the delay, strictly after now. */
	assert_int_equal(http_next_update(1000, 300, 30), 1230);
	assert_int_equal(http_next_update(1229, 300, 30), 1230);
	assert_int_equal(http_next_update(1230, 300, 30), 1530);
	assert_int_equal(http_next_update(1210, 300, 0), 1500);
	http_date(784111777, buf, sizeof(buf));
	assert_string_equal(buf, "Sun, 06 Nov 1994 08:49:37 GMT");
	assert_true(http_not_modified(buf, 784111777));
	assert_true(http_not_modified(buf, 784111700));
	assert_false(http_not_modified(buf, 784111778));
	assert_false(http_not_modified("yesterday", 1));
	assert_false(http_not_modified(NULL, 1));
	assert_false(http_not_modified("Sun, 06 Nov 1994 08:49:37 GMTx", 1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_graph_args_from_catalog_only, setup, cgit_teardown),
		cmocka_unit_test_setup_teardown(
		    test_graph_options, setup, cgit_teardown),
		cmocka_unit_test(test_http_caching),
	};
	return cmocka_run_group_tests_name("cgi_graph", tests, NULL, NULL);
}
