/*
 * Collector expiry: by age and by total size, oldest interval first, only
 * complete flow-file names, empty date directories removed (never the
 * output directory), and a dry run that removes nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/expire.h"
#include "lib/afile.h"
#include "lib/flowfile.h"
#include "tdir_testutil.h"

#define DAY 86400ULL
#define T0  1700006400ULL /* 2023-11-15T00:00:00Z */

static int
setup(void **state)
{
	return tdir_setup(state, "exp");
}

/* A file named for start holding size bytes, nested YYYY/YYYY-MM/... */
static void
make_file(const char *dir, uint64_t start, size_t size, char *path)
{
	char d[PATH_MAX];
	char *buf = calloc(1, size + 1);
	FILE *fp;

	assert_int_equal(flowfile_final_path(dir, start, 3, path, PATH_MAX), 0);
	strcpy(d, path);
	*strrchr(d, '/') = '\0';
	assert_int_equal(afile_mkdirs(d, 0755), 0);
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(buf, 1, size, fp), size);
	fclose(fp);
	free(buf);
}

static bool
exists(const char *p)
{
	return access(p, F_OK) == 0;
}

static void
test_expire_by_age_removes_empty_dirs(void **state)
{
	struct tdir_fix *c = *state;
	char p[4][PATH_MAX], daydir[PATH_MAX], yeardir[PATH_MAX];
	struct expire_opts o = { .dir = c->dir, .max_age = 2 * DAY };
	struct expire_result res;

	make_file(c->dir, T0 - 40 * DAY, 100, p[0]); /* 2023-10-06 */
	make_file(c->dir, T0 - 3 * DAY, 100, p[1]);
	make_file(c->dir, T0 - 1 * DAY, 100, p[2]);
	make_file(c->dir, T0, 100, p[3]);
	assert_int_equal(expire_run(&o, T0 + 300, &res), 0);
	assert_int_equal(res.files, 4);
	assert_int_equal(res.removed, 2);
	assert_int_equal(res.freed, 200);
	assert_false(exists(p[0]));
	assert_false(exists(p[1]));
	assert_true(exists(p[2]));
	assert_true(exists(p[3]));
	/* 2023-10 and 2023-11-12 are gone, 2023 and the top stay */
	snprintf(daydir, sizeof(daydir), "%s/2023/2023-10", c->dir);
	assert_false(exists(daydir));
	snprintf(daydir, sizeof(daydir), "%s/2023/2023-11/2023-11-12", c->dir);
	assert_false(exists(daydir));
	snprintf(yeardir, sizeof(yeardir), "%s/2023", c->dir);
	assert_true(exists(yeardir));
	assert_true(exists(c->dir));
	assert_int_equal(res.dirs, 3);
}

static void
test_expire_by_size_oldest_first(void **state)
{
	struct tdir_fix *c = *state;
	char p[5][PATH_MAX];
	struct expire_opts o = { .dir = c->dir, .max_bytes = 2500 };
	struct expire_result res;
	int i;

	/* made out of order: removal follows the interval, not mtime */
	make_file(c->dir, T0 + 600, 1000, p[2]);
	make_file(c->dir, T0, 1000, p[0]);
	make_file(c->dir, T0 + 900, 1000, p[3]);
	make_file(c->dir, T0 + 300, 1000, p[1]);
	make_file(c->dir, T0 + 1200, 100, p[4]);
	assert_int_equal(expire_run(&o, T0 + 1500, &res), 0);
	assert_int_equal(res.bytes, 4100);
	assert_int_equal(res.removed, 2);
	for (i = 0; i < 2; i++)
		assert_false(exists(p[i]));
	for (i = 2; i < 5; i++)
		assert_true(exists(p[i]));
	/* at the limit: nothing more */
	assert_int_equal(expire_run(&o, T0 + 1500, &res), 0);
	assert_int_equal(res.removed, 0);
	assert_int_equal(res.bytes, 2100);
}

static void
test_expire_ignores_other_names(void **state)
{
	struct tdir_fix *c = *state;
	char p[PATH_MAX], other[PATH_MAX], inprog[PATH_MAX];
	struct expire_opts o = { .dir = c->dir, .max_bytes = 1 };
	struct expire_result res;
	FILE *fp;

	make_file(c->dir, T0, 10, p);
	snprintf(other, sizeof(other), "%s/notes.txt", c->dir);
	snprintf(inprog, sizeof(inprog), "%s/.ft-inprogress.%llu.1", c->dir,
	    (unsigned long long)T0);
	fp = fopen(other, "w");
	fclose(fp);
	fp = fopen(inprog, "w");
	fclose(fp);
	assert_int_equal(expire_run(&o, T0, &res), 0);
	assert_int_equal(res.files, 1);
	assert_false(exists(p));
	assert_true(exists(other));
	assert_true(exists(inprog));
}

static void
test_expire_dry_run(void **state)
{
	struct tdir_fix *c = *state;
	char p[PATH_MAX];
	struct expire_opts o = {
		.dir = c->dir, .max_age = DAY, .max_bytes = 1, .dry_run = true
	};
	struct expire_result res;

	make_file(c->dir, T0 - 10 * DAY, 10, p);
	assert_int_equal(expire_run(&o, T0, &res), 0);
	assert_int_equal(res.removed, 1);
	assert_true(exists(p));
	assert_int_equal(res.dirs, 0);
}

static void
test_expire_missing_dir(void **state)
{
	struct expire_opts o = { .dir = "/nonexistent/ft-exp", .max_age = 1 };
	struct expire_result res;

	(void)state;
	assert_int_equal(expire_run(&o, T0, &res), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_expire_by_age_removes_empty_dirs, setup,
		    tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_expire_by_size_oldest_first, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_expire_ignores_other_names, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_expire_dry_run, setup, tdir_teardown),
		cmocka_unit_test(test_expire_missing_dir),
	};

	return cmocka_run_group_tests_name(
	    "collector_expire", tests, NULL, NULL);
}
