/*
 * The CGI's lazily loaded librrd (cgi/rrdlib.c): loaded once with every
 * entry point set, the loaded rrd_graph_v() computing a PRINT of a small
 * RRD to the value worked out by hand, its errors read and cleared
 * through the loaded functions, and the rrdcached client failing cleanly
 * on a socket that does not exist.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rrd.h>

#include "cgi/rrdlib.h"
#include "tdir_testutil.h"

#define T0 1700000100L /* a multiple of 300 */

static int
setup(void **state)
{
	return tdir_setup(state, "rrdlib");
}

static const struct rrdlib *
lib(void)
{
	const struct rrdlib *l;
	struct errbuf eb;

	if ((l = rrdlib_get(&eb)) == NULL)
		fail_msg("rrdlib_get: %s", eb.msg);
	return l;
}

static void
test_cgi_rrdlib_load(void **state)
{
	const struct rrdlib *l = lib();

	(void)state;
	assert_non_null(l->graph_v);
	assert_non_null(l->info_free);
	assert_non_null(l->get_error);
	assert_non_null(l->clear_error);
	assert_non_null(l->c_connect);
	assert_non_null(l->c_flush);
	assert_non_null(l->c_disconnect);
	/* Loaded once: the same table again. */
	assert_ptr_equal(lib(), l);
}

/* The value of key in info, a string, or NULL. */
static const char *
info_str(const rrd_info_t *i, const char *key)
{
	for (; i != NULL; i = i->next)
		if (strcmp(i->key, key) == 0 && i->type == RD_I_STR)
			return i->value.u_str;
	return NULL;
}

static void
test_cgi_rrdlib_graph(void **state)
{
	struct tdir_fix *t = *state;
	const struct rrdlib *l = lib();
	const char *create[] = { "DS:v:GAUGE:600:U:U", "RRA:AVERAGE:0.5:1:10" };
	const char *update[] = { "1700000400:10", "1700000700:20",
		"1700001000:30" };
	char rrd[256], png[256], def[300];
	char start[32], end[32];
	char *argv[] = { "graph", png, "--start", start, "--end", end,
		"--imgformat", "SVG", def, "LINE1:v#ff0000",
		"PRINT:v:AVERAGE:%.1lf", "PRINT:v:MAX:%.1lf" };
	rrd_info_t *info;
	const char *p;

	snprintf(rrd, sizeof(rrd), "%s/t.rrd", t->dir);
	snprintf(png, sizeof(png), "%s/t.svg", t->dir);
	snprintf(def, sizeof(def), "DEF:v=%s:v:AVERAGE", rrd);
	snprintf(start, sizeof(start), "%ld", T0);
	snprintf(end, sizeof(end), "%ld", T0 + 900);
	assert_int_equal(rrd_create_r(rrd, 300, T0 - 300, 2, create), 0);
	assert_int_equal(rrd_update_r(rrd, NULL, 3, update), 0);

	rrdlib_foreign_begin();
	info = l->graph_v((int)(sizeof(argv) / sizeof(argv[0])), argv);
	rrdlib_foreign_end();
	if (info == NULL)
		fail_msg("rrd_graph_v: %s", l->get_error());
	/* Three steps of 10, 20 and 30. */
	p = info_str(info, "print[0]");
	assert_non_null(p);
	assert_string_equal(p, "20.0");
	p = info_str(info, "print[1]");
	assert_non_null(p);
	assert_string_equal(p, "30.0");
	l->info_free(info);
}

static void
test_cgi_rrdlib_errors(void **state)
{
	struct tdir_fix *t = *state;
	const struct rrdlib *l = lib();
	char png[256], def[300];
	char *argv[] = { "graph", png, def, "LINE1:v#ff0000" };

	snprintf(png, sizeof(png), "%s/t.png", t->dir);
	snprintf(def, sizeof(def), "DEF:v=%s/missing.rrd:v:AVERAGE", t->dir);
	l->clear_error();
	rrdlib_foreign_begin();
	assert_null(l->graph_v(4, argv));
	rrdlib_foreign_end();
	/* The error names the missing file; clearing empties it. */
	assert_non_null(strstr(l->get_error(), "missing.rrd"));
	l->clear_error();
	assert_string_equal(l->get_error(), "");
	/* No daemon there: connecting fails with an error, nothing held. */
	snprintf(png, sizeof(png), "unix:%s/no.sock", t->dir);
	assert_int_not_equal(l->c_connect(png), 0);
	assert_string_not_equal(l->get_error(), "");
	l->clear_error();
	assert_int_equal(l->c_disconnect(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cgi_rrdlib_load),
		cmocka_unit_test_setup_teardown(
		    test_cgi_rrdlib_graph, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_cgi_rrdlib_errors, setup, tdir_teardown),
	};
	return cmocka_run_group_tests_name("cgi_rrdlib", tests, NULL, NULL);
}
