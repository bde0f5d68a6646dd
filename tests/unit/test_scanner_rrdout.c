/*
 * RRD output, straight through librrd: file names from the vocabulary,
 * creation on first use, values stamped at the interval's end and read
 * back exactly, re-applying an interval refused as "already applied", a
 * missing interval left unknown.
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
#include <math.h>
#include <rrd.h>

#include "lib/conf.h"
#include "scanner/aggregate.h"
#include "scanner/classify.h"
#include "scanner/rrdout.h"
#include "scanner/vocab.h"
#include "tdir_testutil.h"

static const char *conf_text =
    "subnets = { \"10.0.0.0/8\" }\n"
    "service \"http\" { ports = { \"80/tcp\" } }\n"
    "network \"a\" { prefixes = { \"10.1.0.0/16\" } services = { \"http\" "
    "} }\n"
    "protocol \"tcp\" { }\n"
    "router \"r1\" { address = \"192.0.2.1\" }\n"
    "as_group \"g\" { asns = { \"1\" } }\n"
    "interface \"up\" { router = \"r1\" ifindex = 2 as_groups = { \"g\" } "
    "}\n"
    "tos \"normal\" { values = { \"0\" } }\n";

struct fx {
	cfg_t *cfg;
	struct vocab v;
	struct cls c;
	struct rrdout o;
	char dir[64];
};

static int
setup(void **state)
{
	static struct fx fx;
	struct errbuf eb;

	memset(&fx, 0, sizeof(fx));
	if (tdir_make(fx.dir, sizeof(fx.dir), "rrdout") == -1)
		return -1;
	if ((fx.cfg = conf_load_string(conf_text, "t.conf", &eb)) == NULL ||
	    vocab_load(&fx.v, fx.cfg, &eb) == -1 ||
	    cls_build(&fx.c, &fx.v, &eb) == -1 ||
	    rrdout_init(&fx.o, fx.dir, NULL, 300, &eb) == -1 ||
	    rrdout_set_targets(&fx.o, &fx.v, &fx.c, &eb) == -1) {
		print_error("%s\n", eb.msg);
		return -1;
	}
	*state = &fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;
	rrdout_clear(&fx->o);
	cls_clear(&fx->c);
	vocab_clear(&fx->v);
	conf_free(fx->cfg);
	return tdir_remove(fx->dir);
}

static void
near(double got, double want)
{
	if (!(fabs(got - want) < 1e-6))
		fail_msg("got %.6f, want %.6f", got, want);
}

static bool
has_target(struct fx *fx, const char *rel)
{
	size_t i;

	for (i = 0; i < fx->o.n; i++)
		if (strcmp(fx->o.t[i].rel, rel) == 0)
			return true;
	return false;
}

static void
test_scanner_rrd_names(void **state)
{
	struct fx *fx = *state;

	/* 8 global, 8 in r1, network, network x service, interface,
	 * interface x AS. */
	assert_int_equal(fx->o.n, 8 + 8 + 4);
	assert_true(has_target(fx, "total.rrd"));
	assert_true(has_target(fx, "internal.rrd"));
	assert_true(has_target(fx, "transit.rrd"));
	assert_true(has_target(fx, "protocol_tcp.rrd"));
	assert_true(has_target(fx, "service_http_src.rrd"));
	assert_true(has_target(fx, "service_http_dst.rrd"));
	assert_true(has_target(fx, "tos_normal.rrd"));
	assert_true(has_target(fx, "as_g.rrd"));
	assert_true(has_target(fx, "r1/total.rrd"));
	assert_true(has_target(fx, "r1/as_g.rrd"));
	assert_true(has_target(fx, "network_a.rrd"));
	assert_true(has_target(fx, "network_a_service_http.rrd"));
	assert_true(has_target(fx, "interface_up.rrd"));
	assert_true(has_target(fx, "interface_up_as_g.rrd"));
	assert_false(has_target(fx, "protocol_multicast.rrd"));
}

/* The 1-step AVERAGE value of ds at time t (the row ending at t). */
static double
fetch(struct fx *fx, const char *rel, time_t t, int ds)
{
	char path[256];
	time_t start = t - 300, end = t, i;
	unsigned long step = 300, n_ds, k;
	char **names;
	rrd_value_t *data;
	double v = NAN;

	snprintf(path, sizeof(path), "%s/%s", fx->dir, rel);
	if (rrd_fetch_r(path, "AVERAGE", &start, &end, &step, &n_ds, &names,
		&data) != 0) {
		print_error("%s\n", rrd_get_error());
		rrd_clear_error();
		return NAN;
	}
	for (i = start + (time_t)step, k = 0; i <= end; i += (time_t)step, k++)
		if (i == t)
			v = data[k * n_ds + (unsigned long)ds];
	for (k = 0; k < n_ds; k++)
		free(names[k]);
	free(names);
	free(data);
	return v;
}

static void
test_scanner_rrd_write(void **state)
{
	struct fx *fx = *state;
	struct rrdout_stats st;
	uint64_t *rows;
	uint64_t t0 = 1700000100; /* a multiple of 300 */
	size_t i;

	rows = calloc(fx->c.n_rows, AGG_NCOUNT * sizeof(*rows));
	assert_non_null(rows);
	for (i = 0; i < fx->c.n_rows * AGG_NCOUNT; i++)
		rows[i] = 1000003 * (i + 1);
	assert_int_equal(rrdout_write(&fx->o, rows, t0, t0 + 300, &st), 0);
	assert_int_equal(st.created, fx->o.n);
	assert_int_equal(st.updated, fx->o.n);
	assert_int_equal(st.errors, 0);
	/* total row 0: in_bytes = 1000003, out_flows = 6000018. */
	near(fetch(fx, "total.rrd", (time_t)t0 + 300, 0) * 300, 1000003.0);
	near(fetch(fx, "total.rrd", (time_t)t0 + 300, 5) * 300, 6000018.0);

	/* The same interval again (a re-run after a crash): refused. */
	fx->o.t[0].last = 0; /* forget what we know: ask the file */
	assert_int_equal(rrdout_write(&fx->o, rows, t0, t0 + 300, &st), 0);
	assert_int_equal(st.updated, 0);
	assert_int_equal(st.already, fx->o.n);
	near(fetch(fx, "total.rrd", (time_t)t0 + 300, 0) * 300, 1000003.0);

	/* Skip one interval: it stays unknown, the next is exact. */
	for (i = 0; i < fx->o.n; i++)
		fx->o.t[i].last = 0;
	assert_int_equal(
	    rrdout_write(&fx->o, rows, t0 + 600, t0 + 900, &st), 0);
	assert_int_equal(st.updated, fx->o.n);
	assert_true(isnan(fetch(fx, "total.rrd", (time_t)t0 + 600, 0)));
	near(fetch(fx, "total.rrd", (time_t)t0 + 900, 0) * 300, 1000003.0);
	/* An older interval after a newer one: refused as stale. */
	assert_int_equal(
	    rrdout_write(&fx->o, rows, t0 + 300, t0 + 600, &st), 0);
	assert_int_equal(st.updated, 0);
	free(rows);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scanner_rrd_names),
		cmocka_unit_test(test_scanner_rrd_write),
	};
	return cmocka_run_group_tests_name(
	    "scanner_rrdout", tests, setup, teardown);
}
