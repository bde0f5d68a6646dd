/*
 * Tests for the CGI's request parsing and validation: the allow-list of
 * keys and value grammars, hostile query strings (path tricks, rrdtool
 * argument syntax, control bytes, oversize, repeats), catalog matching
 * over a generated RRD directory, and HTML escaping of echoed text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cgi/catalog.h"
#include "cgi/cgiconf.h"
#include "cgi/html.h"
#include "cgi/query.h"
#include "cgi_testutil.h"
#include "lib/conf.h"

static int
parse(const char *qs, struct query *q)
{
	struct errbuf eb;

	eb.msg[0] = '\0';
	return query_parse(qs, q, &eb);
}

static void
test_query_empty_is_menu(void **state)
{
	struct query q;

	(void)state;
	assert_int_equal(parse(NULL, &q), 0);
	assert_int_equal(q.page, QUERY_PAGE_MENU);
	assert_int_equal(parse("", &q), 0);
	assert_int_equal(q.page, QUERY_PAGE_MENU);
	assert_int_equal(q.nitems, 0);
}

static void
test_query_full_request(void **state)
{
	struct query q;

	(void)state;
	assert_int_equal(
	    parse("page=graph&report=packets&format=svg&"
		  "period=1w&width=800&height=200&legend=0&"
		  "p95=1&units=iec&item=total&item=gw1.protocol_tcp"
		  "&all=service",
		&q),
	    0);
	assert_int_equal(q.page, QUERY_PAGE_GRAPH);
	assert_int_equal(q.report, QUERY_REPORT_PACKETS);
	assert_int_equal(q.format, QUERY_FORMAT_SVG);
	assert_int_equal(q.period, 7 * 86400);
	assert_int_equal(q.width, 800);
	assert_int_equal(q.height, 200);
	assert_int_equal(q.legend, 0);
	assert_int_equal(q.p95, 1);
	assert_int_equal(q.units, 2);
	assert_int_equal(q.nitems, 3);
	assert_string_equal(q.items[1].id, "gw1.protocol_tcp");
	assert_false(q.items[1].all);
	assert_true(q.items[2].all);
}

static void
test_query_percent_and_plus_decoding(void **state)
{
	struct query q;

	(void)state;
	assert_int_equal(parse("network=web", &q), 0);
	assert_int_equal(q.page, QUERY_PAGE_SHOW);
	assert_string_equal(q.items[0].id, "network_web");
	assert_int_equal(parse("network=..", &q), -1);
	assert_int_equal(parse("network=a%2Fb", &q), -1);
	assert_int_equal(parse("page=show&item=protocol%5Ftcp", &q), 0);
	assert_string_equal(q.items[0].id, "protocol_tcp");
	/* A space decoded from '+' is not a name character. */
	assert_int_equal(parse("item=a+b", &q), -1);
}

static void
test_query_rejects_paths(void **state)
{
	struct query q;

	(void)state;
	assert_int_equal(parse("item=..", &q), -1);
	assert_int_equal(parse("item=a..b", &q), -1);
	assert_int_equal(parse("item=../../etc/passwd", &q), -1);
	assert_int_equal(parse("item=%2e%2e%2fetc", &q), -1);
	assert_int_equal(parse("item=/etc/passwd", &q), -1);
	assert_int_equal(parse("item=gw1/total", &q), -1);
	assert_int_equal(parse("item=.hidden", &q), -1);
	assert_int_equal(parse("dash=..", &q), -1);
}

static void
test_query_rejects_rrdtool_syntax(void **state)
{
	struct query q;

	(void)state;
	/* CVE-2019-10669 class: anything that could extend an argument. */
	assert_int_equal(parse("item=total:in_bytes:AVERAGE", &q), -1);
	assert_int_equal(parse("item=total%3AAVERAGE", &q), -1);
	assert_int_equal(parse("item=x%0ADEF:a=/etc/shadow:x:AVERAGE", &q), -1);
	assert_int_equal(parse("item=DEF%3Ax%3D%2Fetc%2Fpasswd", &q), -1);
	assert_int_equal(parse("item=PRINT:a:%25s", &q), -1);
	assert_int_equal(parse("width=640%20--imgformat", &q), -1);
	assert_int_equal(parse("period=1d;rm", &q), -1);
	assert_int_equal(parse("item=total%0d", &q), -1);
	assert_int_equal(parse("report=bits%0a", &q), -1);
	assert_int_equal(parse("item=a%22b", &q), -1);
	assert_int_equal(parse("item=a%27b", &q), -1);
	assert_int_equal(parse("item=%3Cscript%3E", &q), -1);
}

static void
test_query_rejects_nul_and_bad_escapes(void **state)
{
	struct query q;

	(void)state;
	assert_int_equal(parse("item=total%00.rrd", &q), -1);
	assert_int_equal(parse("item=total%", &q), -1);
	assert_int_equal(parse("item=total%4", &q), -1);
	assert_int_equal(parse("item=total%zz", &q), -1);
	assert_int_equal(parse("item=%ff", &q), -1);
	assert_int_equal(parse("it%00em=total", &q), -1);
}

static void
test_query_rejects_unknown_and_repeated(void **state)
{
	struct query q;
	struct errbuf eb;

	(void)state;
	assert_int_equal(parse("debug=1", &q), -1);
	assert_int_equal(parse("item", &q), -1);
	assert_int_equal(parse("report=bits&report=flows", &q), -1);
	assert_int_equal(parse("width=640&width=640", &q), -1);
	assert_int_equal(parse("page=graph&page=menu", &q), -1);
	/* The message names the key, never the request's text. */
	assert_int_equal(query_parse("%3Cb%3Ebold=1", &q, &eb), -1);
	assert_null(strstr(eb.msg, "<"));
	assert_int_equal(query_parse("report=%3Cb%3E", &q, &eb), -1);
	assert_null(strstr(eb.msg, "<"));
	assert_non_null(strstr(eb.msg, "report"));
	/* item may repeat. */
	assert_int_equal(parse("item=a&item=b&item=c", &q), 0);
	assert_int_equal(q.nitems, 3);
}

static void
test_query_rejects_oversize(void **state)
{
	char big[QUERY_MAX_LEN + 64], *p;
	struct query q;
	int i;

	(void)state;
	memset(big, 0, sizeof(big));
	strcpy(big, "item=");
	memset(big + 5, 'a', QUERY_MAX_VALUE + 1);
	assert_int_equal(parse(big, &q), -1);
	big[5 + QUERY_MAX_VALUE] = '\0';
	assert_int_equal(parse(big, &q), 0);

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "item=", 5);
	assert_int_equal(parse(big, &q), -1);

	p = big;
	for (i = 0; i < QUERY_MAX_ITEMS + 1; i++)
		p += sprintf(p, "%sitem=i%d", i ? "&" : "", i);
	assert_int_equal(parse(big, &q), -1);

	p = big;
	for (i = 0; i < QUERY_MAX_PARAMS + 1; i++)
		p += sprintf(p, "%slegend=1", i ? "&" : "");
	assert_int_equal(parse(big, &q), -1);
}

static void
test_query_number_ranges(void **state)
{
	struct query q;

	(void)state;
	assert_int_equal(parse("width=99", &q), -1);
	assert_int_equal(parse("width=4001", &q), -1);
	assert_int_equal(parse("width=-5", &q), -1);
	assert_int_equal(parse("width=1e3", &q), -1);
	assert_int_equal(parse("width=0x200", &q), -1);
	assert_int_equal(parse("width=99999999999999999999", &q), -1);
	assert_int_equal(parse("height=49", &q), -1);
	assert_int_equal(parse("height=2000", &q), 0);
	assert_int_equal(parse("width=", &q), -1);
	assert_int_equal(parse("period=5d", &q), -1);
	assert_int_equal(parse("legend=yes", &q), -1);
}

static void
test_query_times(void **state)
{
	struct query q;

	(void)state;
	assert_int_equal(parse("start=2026-11-24T10:00&end=2026-11-25", &q), 0);
	assert_int_equal(q.start, 1795514400);
	assert_int_equal(q.end, 1795564800);
	assert_int_equal(parse("start=1795514400&end=", &q), 0);
	assert_int_equal(q.start, 1795514400);
	assert_int_equal(q.end, 0);
	assert_int_equal(parse("start=2026-02-30", &q), -1);
	assert_int_equal(parse("start=2026-11-24T25:00", &q), -1);
	assert_int_equal(parse("start=1999-12-31", &q), -1);
	assert_int_equal(parse("start=12", &q), -1);
	assert_int_equal(parse("start=2026-11-24T10:00:00:00", &q), -1);
	assert_int_equal(parse("start=now-1d", &q), -1);
	assert_int_equal(parse("start=2026-11-25&end=2026-11-24", &q), -1);
}

static void
test_query_format_roundtrip(void **state)
{
	struct query q, r;
	char buf[QUERY_MAX_LEN];

	(void)state;
	assert_int_equal(parse("report=flows&period=1d&item=total&all=gw1."
			       "protocol&width=300&units=si",
			     &q),
	    0);
	assert_int_equal(q.page, QUERY_PAGE_SHOW);
	assert_int_equal(
	    query_format(&q, QUERY_PAGE_GRAPH, NULL, buf, sizeof(buf)), 0);
	assert_int_equal(parse(buf, &r), 0);
	assert_int_equal(r.page, QUERY_PAGE_GRAPH);
	assert_int_equal(r.report, QUERY_REPORT_FLOWS);
	assert_int_equal(r.period, 86400);
	assert_int_equal(r.nitems, 2);
	assert_true(r.items[1].all);
	assert_int_equal(
	    query_format(&q, QUERY_PAGE_GRAPH, "gw1.total", buf, sizeof(buf)),
	    0);
	assert_non_null(strstr(buf, "&item=gw1.total"));
	assert_null(strstr(buf, "&item=total"));
	assert_int_equal(query_format(&q, QUERY_PAGE_GRAPH, NULL, buf, 10), -1);
}

static void
test_query_wants_image(void **state)
{
	(void)state;
	assert_true(query_wants_image("page=graph&item=x"));
	assert_true(query_wants_image("item=x&page=graph"));
	assert_false(query_wants_image("xpage=graph"));
	assert_false(query_wants_image("page=graphs"));
	assert_false(query_wants_image(NULL));
}

static void
test_html_escapes(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	fp = open_memstream(&buf, &len);
	assert_non_null(fp);
	html_puts(fp, "<script>alert('x')</script>&\"");
	fclose(fp);
	assert_string_equal(buf,
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
	    "&amp;&quot;");
	free(buf);
}

static int
setup_catalog(void **state)
{
	static const char *const top[] = { "total.rrd", "protocol_tcp.rrd",
		"protocol_udp.rrd", "service_http_src.rrd",
		"service_http_dst.rrd", "network_web.rrd",
		"network_web_service_http.rrd",
		"network_a_service_b_service_c.rrd", "as_google.rrd",
		"tos_ef.rrd", "interface_uplink.rrd",
		"interface_uplink_as_google.rrd", "internal.rrd", "transit.rrd",
		"bad name.rrd", "notes.txt", "x:y.rrd", NULL };
	static const char *const gw1[] = { "total.rrd", "protocol_tcp.rrd",
		NULL };
	static const char *const notarouter[] = { "total.rrd", NULL };
	struct cgit_fix *f = cgit_new("cgi_query");

	cgit_files(f, NULL, top);
	cgit_files(f, "gw1", gw1);
	cgit_files(f, "notarouter", notarouter);
	cgit_load(f,
	    "router \"gw1\" { address = \"192.0.2.1\" }\n"
	    "router \"gw2\" { address = \"192.0.2.2\" }\n"
	    "network \"a_service_b\" { prefixes = { \"10.0.0.0/8\" } "
	    "services = { \"c\" } }\n"
	    "cgi { rrd_dir = \"%s\" }\n",
	    f->dir);
	*state = f;
	return 0;
}

static void
test_catalog_discovers(void **state)
{
	struct cgit_fix *f = *state;
	const struct catalog_item *it;

	assert_int_equal(f->cat.nrouters, 1); /* gw2 has no directory */
	assert_string_equal(f->cat.routers[0], "gw1");
	assert_non_null(it = catalog_find(&f->cat, "total"));
	assert_int_equal(it->kind, CATALOG_TOTAL);
	assert_non_null(it = catalog_find(&f->cat, "service_http"));
	assert_true(it->has_src && it->has_dst);
	assert_non_null(it = catalog_find(&f->cat, "network_web_service_http"));
	assert_int_equal(it->kind, CATALOG_NETSVC);
	assert_string_equal(it->label, "WEB/HTTP");
	/* The config says "a_service_b" is a network with service c. */
	assert_non_null(
	    it = catalog_find(&f->cat, "network_a_service_b_service_c"));
	assert_int_equal(it->kind, CATALOG_NETSVC);
	assert_string_equal(it->label, "A_SERVICE_B/C");
	assert_non_null(
	    it = catalog_find(&f->cat, "interface_uplink_as_google"));
	assert_int_equal(it->kind, CATALOG_IFAS);
	assert_non_null(it = catalog_find(&f->cat, "gw1.protocol_tcp"));
	assert_int_equal(it->router, 0);
	assert_null(catalog_find(&f->cat, "gw1.protocol_udp"));
	assert_null(catalog_find(&f->cat, "notarouter.total"));
	assert_null(catalog_find(&f->cat, "bad name"));
	assert_null(catalog_find(&f->cat, "x:y"));
	assert_null(catalog_find(&f->cat, "notes"));
}

static void
test_catalog_resolve(void **state)
{
	struct cgit_fix *f = *state;
	const struct catalog_item *out[QUERY_MAX_ITEMS];
	struct errbuf eb;
	struct query q;
	char path[512];

	assert_int_equal(parse("item=total&all=protocol&item=protocol_tcp"
			       "&all=gw1.total",
			     &q),
	    0);
	assert_int_equal(
	    catalog_resolve(&f->cat, &q, out, QUERY_MAX_ITEMS, &eb), 4);
	assert_string_equal(out[0]->id, "total");
	assert_string_equal(out[1]->id, "protocol_tcp");
	assert_string_equal(out[2]->id, "protocol_udp");
	assert_string_equal(out[3]->id, "gw1.total");
	assert_int_equal(
	    catalog_path(&f->cat, out[3], 0, path, sizeof(path)), 0);
	assert_non_null(strstr(path, "/gw1/total.rrd"));

	assert_int_equal(parse("item=protocol_icmp", &q), 0);
	assert_int_equal(
	    catalog_resolve(&f->cat, &q, out, QUERY_MAX_ITEMS, &eb), -1);
	assert_non_null(strstr(eb.msg, "protocol_icmp"));
	assert_int_equal(parse("item=gw2.total", &q), 0);
	assert_int_equal(
	    catalog_resolve(&f->cat, &q, out, QUERY_MAX_ITEMS, &eb), -1);
	assert_int_equal(parse("all=gw2.protocol", &q), 0);
	assert_int_equal(
	    catalog_resolve(&f->cat, &q, out, QUERY_MAX_ITEMS, &eb), -1);
	assert_int_equal(parse("all=bogus", &q), 0);
	assert_int_equal(
	    catalog_resolve(&f->cat, &q, out, QUERY_MAX_ITEMS, &eb), -1);
	/* "total.rrd" is a file name, not an item. */
	assert_int_equal(parse("item=total.rrd", &q), 0);
	assert_int_equal(
	    catalog_resolve(&f->cat, &q, out, QUERY_MAX_ITEMS, &eb), -1);
}

static void
test_cgiconf_rejects_bad_values(void **state)
{
	struct errbuf eb;
	struct cgiconf cc;
	cfg_t *cfg;

	(void)state;
	assert_null(conf_load_string("cgi {\n width = 5\n}\n", "t.conf", &eb));
	assert_non_null(strstr(eb.msg, "width"));
	assert_null(conf_load_string("cgi { units = \"bogus\" }", "t", &eb));
	assert_null(conf_load_string("cgi { rrd_dir = \"/a:b\" }", "t", &eb));
	cfg = conf_load_string("cgi { period = \"5d\" }", "t", &eb);
	assert_non_null(cfg);
	assert_int_equal(cgiconf_load(cfg, &cc, &eb), -1);
	conf_free(cfg);
	cfg = conf_load_string("cgi { dashboard \"noc\" { graphs = "
			       "{ \"item=total\" } columns = 3 } }",
	    "t", &eb);
	assert_non_null(cfg);
	assert_int_equal(cgiconf_load(cfg, &cc, &eb), 0);
	assert_non_null(cgiconf_dash_find(&cc, "noc"));
	assert_int_equal(cgiconf_dash_find(&cc, "noc")->columns, 3);
	assert_int_equal(cc.interval, 300);
	cgiconf_clear(&cc);
	conf_free(cfg);
}

static void
test_cgiconf_sample_config(void **state)
{
	const char *src = getenv("FT_SRCDIR");
	const struct cgiconf_dash *d;
	struct query q;
	char path[1024];
	struct errbuf eb;
	struct cgiconf cc;
	cfg_t *cfg;
	size_t i;

	(void)state;
	snprintf(path, sizeof(path), "%s/etc/flowtally.conf", src ? src : ".");
	cfg = conf_load(path, &eb);
	if (cfg == NULL)
		fail_msg("%s", eb.msg);
	assert_int_equal(cgiconf_load(cfg, &cc, &eb), 0);
	assert_non_null(d = cgiconf_dash_find(&cc, "noc"));
	/* Every sample dashboard graph is a valid request. */
	for (i = 0; i < d->ngraphs; i++)
		assert_int_equal(query_parse(d->graphs[i], &q, &eb), 0);
	cgiconf_clear(&cc);
	conf_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_empty_is_menu),
		cmocka_unit_test(test_query_full_request),
		cmocka_unit_test(test_query_percent_and_plus_decoding),
		cmocka_unit_test(test_query_rejects_paths),
		cmocka_unit_test(test_query_rejects_rrdtool_syntax),
		cmocka_unit_test(test_query_rejects_nul_and_bad_escapes),
		cmocka_unit_test(test_query_rejects_unknown_and_repeated),
		cmocka_unit_test(test_query_rejects_oversize),
		cmocka_unit_test(test_query_number_ranges),
		cmocka_unit_test(test_query_times),
		cmocka_unit_test(test_query_format_roundtrip),
		cmocka_unit_test(test_query_wants_image),
		cmocka_unit_test(test_html_escapes),
		cmocka_unit_test_setup_teardown(
		    test_catalog_discovers, setup_catalog, cgit_teardown),
		cmocka_unit_test_setup_teardown(
		    test_catalog_resolve, setup_catalog, cgit_teardown),
		cmocka_unit_test(test_cgiconf_rejects_bad_values),
		cmocka_unit_test(test_cgiconf_sample_config),
	};
	return cmocka_run_group_tests_name("cgi_query", tests, NULL, NULL);
}
