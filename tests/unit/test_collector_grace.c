/*
 * Export-time binning with a grace window: the previous interval's file
 * stays open for lagging exporters, takes their data without counting it
 * late, is published when its window ends or when a still later interval
 * arrives, and files are always published oldest first (the scanner's
 * order). Without a window, the old single-file behaviour.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/rotate.h"
#include "tdir_testutil.h"

#define T0    1700000100ULL /* a 300 s boundary */
#define MS(s) ((uint64_t)(s)*1000)

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	return tdir_make(dir, sizeof(dir), "grace");
}

static int
teardown(void **state)
{
	(void)state;
	return tdir_remove(dir);
}

static struct rotate *
new_rot(uint64_t grace)
{
	struct rotate_opts o;
	struct rotate *r;

	memset(&o, 0, sizeof(o));
	o.dir = dir;
	o.interval = 300;
	o.export_time = true;
	o.late_grace = grace;
	o.ff.codec = FLOWFILE_CODEC_NONE;
	o.ff.creator = "test";
	r = rotate_new(&o);
	assert_non_null(r);
	return r;
}

/* What the collector does with one datagram of n flows exported at t_s. */
static uint64_t
put(struct rotate *r, uint64_t t_s, size_t n, uint64_t mono, bool *late,
    int *published, uint64_t *pub_start)
{
	struct flow f[4];
	uint64_t bin, ps;
	char path[4096];
	size_t i;

	memset(f, 0, sizeof(f));
	for (i = 0; i < n; i++) {
		ft_addr_set_v4(&f[i].src, 0x0a000001 + (uint32_t)i);
		ft_addr_set_v4(&f[i].dst, 0x0a000101);
		f[i].packets = 1;
		f[i].bytes = 100;
		f[i].sampling = 1;
	}
	*published = 0;
	bin = rotate_pick(r, MS(T0 + 5000), MS(t_s), late);
	if (rotate_must_publish(r, bin)) {
		assert_true(
		    rotate_grace_open(r, &ps) || rotate_is_open(r, &ps));
		assert_int_equal(
		    rotate_publish(r, NULL, 0, path, sizeof(path)), 1);
		*published = 1;
		*pub_start = ps;
	}
	assert_int_equal(rotate_write(r, bin, f, n, mono), 0);
	return bin;
}

static void
test_grace_lagging_exporter_is_not_late(void **state)
{
	struct rotate *r = new_rot(60);
	uint64_t bin, gs = 0, ps = 0, cs = 0;
	bool late;
	int pub;

	(void)state;
	/* A fast exporter in T0, then in T0+300: T0 becomes the grace file. */
	bin = put(r, T0 + 10, 2, 1000, &late, &pub, &ps);
	assert_int_equal(bin, T0);
	assert_false(late || pub);
	bin = put(r, T0 + 310, 2, 2000, &late, &pub, &ps);
	assert_int_equal(bin, T0 + 300);
	assert_false(late || pub);
	assert_true(rotate_grace_open(r, &gs));
	assert_int_equal(gs, T0);
	assert_true(rotate_is_open(r, &cs));
	assert_int_equal(cs, T0 + 300);
	/* A lagging exporter still in T0: into T0's file, not late. */
	bin = put(r, T0 + 290, 3, 3000, &late, &pub, &ps);
	assert_int_equal(bin, T0);
	assert_false(late || pub);
	/* Older than every open file: the oldest, late. */
	bin = put(r, T0 - 10, 1, 3100, &late, &pub, &ps);
	assert_int_equal(bin, T0);
	assert_true(late);
	/* The window is 60 s of arrival (monotonic) time from 2000. */
	assert_false(rotate_grace_due(r, 61999));
	assert_true(rotate_grace_due(r, 62000));
	/* The current file is counted apart from the grace file. */
	assert_int_equal(rotate_records(r), 2);
	rotate_free(r);
}

static void
test_grace_publish_order_oldest_first(void **state)
{
	struct rotate *r = new_rot(60);
	char path[4096];
	uint64_t bin, ps = 0;
	bool late;
	int pub;

	(void)state;
	put(r, T0 + 10, 1, 1000, &late, &pub, &ps);
	put(r, T0 + 310, 1, 1100, &late, &pub, &ps);
	/* A still later interval: T0 is published first, T0+300 becomes the
	 * grace file, T0+600 the current one. */
	bin = put(r, T0 + 610, 1, 1200, &late, &pub, &ps);
	assert_int_equal(bin, T0 + 600);
	assert_int_equal(pub, 1);
	assert_int_equal(ps, T0);
	assert_true(rotate_grace_open(r, &ps));
	assert_int_equal(ps, T0 + 300);
	/* T0 is closed now: its data is late, into the grace file. */
	bin = put(r, T0 + 20, 1, 1300, &late, &pub, &ps);
	assert_int_equal(bin, T0 + 300);
	assert_true(late);
	/* Between the grace file and the current one: the current, late. */
	rotate_free(r);
	r = new_rot(60);
	put(r, T0 + 10, 1, 1000, &late, &pub, &ps);
	put(r, T0 + 610, 1, 1100, &late, &pub, &ps);
	bin = put(r, T0 + 310, 1, 1200, &late, &pub, &ps);
	assert_int_equal(bin, T0 + 600);
	assert_true(late);
	/* Shutdown: oldest first, then nothing. */
	assert_int_equal(rotate_publish(r, NULL, 0, path, sizeof(path)), 1);
	assert_non_null(strstr(path, "ft-20231114-221500Z"));
	assert_int_equal(rotate_publish(r, NULL, 0, path, sizeof(path)), 1);
	assert_non_null(strstr(path, "ft-20231114-222500Z"));
	assert_int_equal(rotate_publish(r, NULL, 0, path, sizeof(path)), 0);
	assert_false(rotate_grace_open(r, NULL));
	assert_false(rotate_is_open(r, NULL));
	rotate_free(r);
}

static void
test_grace_off_is_one_file(void **state)
{
	struct rotate *r = new_rot(0);
	uint64_t bin, ps = 0;
	bool late;
	int pub;

	(void)state;
	put(r, T0 + 10, 1, 1000, &late, &pub, &ps);
	bin = put(r, T0 + 310, 1, 1100, &late, &pub, &ps);
	assert_int_equal(pub, 1);
	assert_int_equal(ps, T0);
	assert_false(rotate_grace_open(r, NULL));
	bin = put(r, T0 + 290, 1, 1200, &late, &pub, &ps);
	assert_int_equal(bin, T0 + 300);
	assert_true(late);
	assert_false(rotate_grace_due(r, 1000000));
	rotate_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_grace_lagging_exporter_is_not_late, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_grace_publish_order_oldest_first, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_grace_off_is_one_file, setup, teardown),
	};

	return cmocka_run_group_tests_name(
	    "collector_grace", tests, NULL, NULL);
}
