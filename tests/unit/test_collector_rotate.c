/*
 * Collector rotation: interval boundary math, which file a datagram goes
 * to by arrival or export time (late data), publishing at the boundary and
 * at shutdown, and that in-progress names never look like complete files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/rotate.h"
#include "tdir_testutil.h"

#define T0 1700000100ULL /* 2023-11-14T22:15:00Z, a 300 s boundary */

static int
setup(void **state)
{
	return tdir_setup(state, "rot");
}

static struct rotate *
new_rot(const char *dir, uint64_t iv, int nest, bool export_time)
{
	struct rotate_opts o;

	memset(&o, 0, sizeof(o));
	o.dir = dir;
	o.interval = iv;
	o.nest = nest;
	o.export_time = export_time;
	o.ff.codec = FLOWFILE_CODEC_NONE;
	o.ff.creator = "test";
	return rotate_new(&o);
}

static void
flow_at(struct flow *f, uint32_t i)
{
	memset(f, 0, sizeof(*f));
	ft_addr_set_v4(&f->src, 0x0a000000 + i);
	ft_addr_set_v4(&f->dst, 0xc0a80001);
	f->packets = 1;
	f->bytes = 100 + i;
	f->sampling = 1;
}

/* Count the names in dir (recursively one level of nesting ignored). */
static int
count_names(const char *dir, int *complete, int *other)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	uint64_t start;

	*complete = *other = 0;
	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (flowfile_parse_name(de->d_name, &start))
			(*complete)++;
		else
			(*other)++;
	}
	closedir(d);
	return 0;
}

static uint64_t
records_in(const char *path, uint64_t *start)
{
	struct flowfile_reader *r;
	struct errbuf eb;
	struct flow f[64];
	uint64_t n = 0;
	ssize_t got;

	assert_int_equal(flowfile_open(path, &r, &eb), 0);
	*start = flowfile_header(r)->start;
	while ((got = flowfile_read(r, f, 64, &eb)) > 0)
		n += (uint64_t)got;
	assert_int_equal(got, 0);
	flowfile_close(r);
	return n;
}

static void
test_rotate_bin_math(void **state)
{
	(void)state;
	assert_int_equal(rotate_bin(T0 * 1000, 300), T0);
	assert_int_equal(rotate_bin(T0 * 1000 + 299999, 300), T0);
	assert_int_equal(rotate_bin(T0 * 1000 + 300000, 300), T0 + 300);
	assert_int_equal(rotate_bin(T0 * 1000 - 1, 300), T0 - 300);
	/* aligned to UTC midnight for intervals dividing a day */
	assert_int_equal(rotate_bin(1700006399999ULL, 86400), 1699920000);
	assert_int_equal(rotate_bin(T0 * 1000 + 1500, 2), T0);
	assert_int_equal(rotate_bin(T0 * 1000 + 2500, 2), T0 + 2);
}

static void
test_rotate_pick_and_due(void **state)
{
	struct tdir_fix *c = *state;
	struct rotate *r = new_rot(c->dir, 300, 0, false);
	struct flow f;
	bool late;

	flow_at(&f, 1);
	assert_non_null(r);
	assert_false(rotate_due(r, T0 * 1000, 0)); /* nothing open */
	assert_int_equal(rotate_pick(r, T0 * 1000 + 5, 0, &late), T0);
	assert_false(late);
	assert_int_equal(rotate_write(r, T0, &f, 1, 0), 0);
	assert_false(rotate_must_publish(r, T0));
	assert_true(rotate_must_publish(r, T0 + 300));
	assert_false(rotate_due(r, (T0 + 299) * 1000 + 999, 0));
	assert_true(rotate_due(r, (T0 + 300) * 1000, 0));
	/* a datagram stamped before the open file goes into it, late */
	assert_int_equal(rotate_pick(r, (T0 - 1) * 1000, 0, &late), T0);
	assert_true(late);
	/* arrival binning ignores the export time */
	assert_int_equal(
	    rotate_pick(r, T0 * 1000, (T0 + 900) * 1000, &late), T0);
	rotate_free(r);
}

static void
test_rotate_export_time_binning(void **state)
{
	struct tdir_fix *c = *state;
	struct rotate *r = new_rot(c->dir, 300, 0, true);
	struct flow f;
	bool late;

	flow_at(&f, 1);
	/* an old replay lands in its own interval */
	assert_int_equal(
	    rotate_pick(r, (T0 + 86400) * 1000, (T0 + 7) * 1000, &late), T0);
	assert_false(late);
	assert_int_equal(rotate_write(r, T0, &f, 1, 1000), 0);
	/* no export time: arrival decides */
	assert_int_equal(rotate_pick(r, (T0 + 301) * 1000, 0, &late), T0 + 300);
	/* due after an interval without writes, on the monotonic clock */
	assert_false(rotate_due(r, 0, 1000 + 299999));
	assert_true(rotate_due(r, 0, 1000 + 300000));
	rotate_free(r);
}

static void
test_rotate_publish_on_boundary(void **state)
{
	struct tdir_fix *c = *state;
	struct rotate *r = new_rot(c->dir, 300, 0, false);
	struct flowfile_exporter x;
	char path[PATH_MAX], path2[PATH_MAX];
	struct flow f[3];
	uint64_t start;
	int complete, other;
	uint32_t i;

	for (i = 0; i < 3; i++)
		flow_at(&f[i], i);
	memset(&x, 0, sizeof(x));
	ft_addr_set_v4(&x.addr, 0x7f000001);
	x.packets = 1;
	x.flows = 3;
	x.lost_flows = 7;
	assert_int_equal(rotate_write(r, T0, f, 3, 0), 0);
	assert_int_equal(rotate_records(r), 3);
	/* while open: only an in-progress name, never a complete one */
	assert_int_equal(count_names(c->dir, &complete, &other), 0);
	assert_int_equal(complete, 0);
	assert_int_equal(other, 1);
	assert_int_equal(rotate_publish(r, &x, 1, path, sizeof(path)), 1);
	assert_int_equal(records_in(path, &start), 3);
	assert_int_equal(start, T0);
	/* the next interval, then a shutdown publish of a partial one */
	assert_int_equal(rotate_write(r, T0 + 300, f, 2, 0), 0);
	assert_int_equal(rotate_publish(r, &x, 1, path2, sizeof(path2)), 1);
	assert_string_not_equal(path, path2);
	assert_int_equal(records_in(path2, &start), 2);
	assert_int_equal(start, T0 + 300);
	assert_int_equal(rotate_publish(r, &x, 1, path2, sizeof(path2)), 0);
	assert_int_equal(count_names(c->dir, &complete, &other), 0);
	assert_int_equal(complete, 2);
	assert_int_equal(other, 0);
	rotate_free(r);
}

static void
test_rotate_empty_interval_gets_a_file(void **state)
{
	struct tdir_fix *c = *state;
	struct rotate *r = new_rot(c->dir, 60, 0, false);
	char path[PATH_MAX];
	uint64_t start;

	assert_int_equal(rotate_open(r, T0, 0), 0);
	assert_int_equal(rotate_publish(r, NULL, 0, path, sizeof(path)), 1);
	assert_int_equal(records_in(path, &start), 0);
	rotate_free(r);
}

static void
test_rotate_abort_leaves_nothing(void **state)
{
	struct tdir_fix *c = *state;
	struct rotate *r = new_rot(c->dir, 300, 0, false);
	struct flow f;
	int complete, other;

	flow_at(&f, 1);
	assert_int_equal(rotate_write(r, T0, &f, 1, 0), 0);
	rotate_free(r);
	assert_int_equal(count_names(c->dir, &complete, &other), 0);
	assert_int_equal(complete + other, 0);
}

static void
test_rotate_post_command(void **state)
{
	struct tdir_fix *c = *state;
	struct rotate *r = new_rot(c->dir, 300, 3, false);
	char cmd[512], mark[128], path[PATH_MAX], got[PATH_MAX];
	FILE *fp;
	int i;

	snprintf(mark, sizeof(mark), "%s/.mark", c->dir);
	snprintf(cmd, sizeof(cmd), "echo \"$1\" > %s.tmp && mv %s.tmp %s", mark,
	    mark, mark);
	assert_int_equal(rotate_set_post_cmd(r, cmd), 0);
	assert_int_equal(rotate_open(r, T0, 0), 0);
	assert_int_equal(rotate_publish(r, NULL, 0, path, sizeof(path)), 1);
	assert_non_null(strstr(path, "/2023/2023-11/2023-11-14/ft-"));
	for (i = 0; i < 500 && access(mark, F_OK) != 0; i++) {
		usleep(10000);
		rotate_reap(r);
	}
	fp = fopen(mark, "r");
	assert_non_null(fp);
	assert_non_null(fgets(got, sizeof(got), fp));
	fclose(fp);
	got[strcspn(got, "\n")] = '\0';
	assert_string_equal(got, path);
	rotate_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rotate_bin_math),
		cmocka_unit_test_setup_teardown(
		    test_rotate_pick_and_due, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rotate_export_time_binning, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rotate_publish_on_boundary, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rotate_empty_interval_gets_a_file, setup,
		    tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rotate_abort_leaves_nothing, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_rotate_post_command, setup, tdir_teardown),
	};

	return cmocka_run_group_tests_name(
	    "collector_rotate", tests, NULL, NULL);
}
