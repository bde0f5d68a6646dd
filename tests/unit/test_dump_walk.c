/*
 * flowtally-dump's directory walk (tools/dumpwalk.c): complete flow file
 * names only (never in-progress, dot or other names), nested directories
 * down to the depth limit, symbolic links skipped, the until bound, the
 * sort by interval start then path, and an unreadable directory named.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tdir_testutil.h"
#include "tools/dumpwalk.h"

#define T0 1700000100ULL /* 2023-11-14T22:15:00Z */

static int
setup(void **state)
{
	return tdir_setup(state, "dumpwalk");
}

/* tdir_create(), failing the test with the path when it cannot. */
static void
make(const char *dir, const char *rel)
{
	if (tdir_create(dir, rel) == -1)
		fail_msg("create %s/%s", dir, rel);
}

/* The walk's file i is dir/rel starting at start. */
static void
is(const struct dumpwalk *w, size_t i, const char *dir, const char *rel,
    uint64_t start)
{
	char want[512];

	snprintf(want, sizeof(want), "%s/%s", dir, rel);
	if (i >= w->n)
		fail_msg("file %zu (%s) missing: %zu found", i, want, w->n);
	assert_string_equal(w->v[i].path, want);
	assert_int_equal(w->v[i].start, start);
}

static void
test_dump_walk_tree(void **state)
{
	struct tdir_fix *t = *state;
	char target[512], link[512];
	struct dumpwalk w;
	struct errbuf eb;

	make(t->dir, "ft-20231114-221500Z");
	make(t->dir, "ft-20231114-221500Z-1"); /* a restart: same start */
	make(t->dir, "ft-20231114-222000Z");
	make(t->dir, "2023/2023-11/2023-11-14/ft-20231114-221000Z");
	make(t->dir, "ft-20231114-222500Z"); /* at until: left out */
	make(t->dir, "ft-20231115-000000Z"); /* after until */
	/* Never listed: in-progress, dot, other names, a directory. */
	make(t->dir, ".ft-inprogress.1700000100.123");
	make(t->dir, ".old/ft-20231114-220000Z");
	make(t->dir, "notes.txt");
	make(t->dir, "ft-20231114-2215Z");
	make(t->dir, "ft-20231114-221500Z.tmp");
	make(t->dir, "ft-20231114-220500Z/");
	/* Links are not followed, to files or to directories. */
	snprintf(target, sizeof(target), "%s/2023", t->dir);
	snprintf(link, sizeof(link), "%s/linkdir", t->dir);
	assert_int_equal(symlink(target, link), 0);
	snprintf(target, sizeof(target), "%s/ft-20231114-221500Z", t->dir);
	snprintf(link, sizeof(link), "%s/ft-20231114-221700Z", t->dir);
	assert_int_equal(symlink(target, link), 0);

	dumpwalk_init(&w);
	assert_int_equal(dumpwalk_dir(&w, t->dir, T0 + 600, &eb), 0);
	assert_int_equal(w.n, 4);
	dumpwalk_sort(&w);
	is(&w, 0, t->dir, "2023/2023-11/2023-11-14/ft-20231114-221000Z",
	    T0 - 300);
	is(&w, 1, t->dir, "ft-20231114-221500Z", T0);
	is(&w, 2, t->dir, "ft-20231114-221500Z-1", T0);
	is(&w, 3, t->dir, "ft-20231114-222000Z", T0 + 300);

	/* A second directory appends; no bound: everything. */
	assert_int_equal(dumpwalk_dir(&w, t->dir, UINT64_MAX, &eb), 0);
	assert_int_equal(w.n, 4 + 6);
	dumpwalk_sort(&w);
	is(&w, 0, t->dir, "2023/2023-11/2023-11-14/ft-20231114-221000Z",
	    T0 - 300);
	is(&w, 1, t->dir, "2023/2023-11/2023-11-14/ft-20231114-221000Z",
	    T0 - 300);
	is(&w, 8, t->dir, "ft-20231114-222500Z", T0 + 600);
	is(&w, 9, t->dir, "ft-20231115-000000Z", T0 + 6300);
	dumpwalk_clear(&w);
	assert_int_equal(w.n, 0);
	assert_null(w.v);
}

static void
test_dump_walk_depth(void **state)
{
	struct tdir_fix *t = *state;
	struct dumpwalk w;
	struct errbuf eb;

	/* Eight directory levels below the root are walked, not nine. */
	make(t->dir, "1/2/3/4/5/6/7/8/ft-20231114-221500Z");
	make(t->dir, "1/2/3/4/5/6/7/8/9/ft-20231114-222000Z");
	dumpwalk_init(&w);
	assert_int_equal(dumpwalk_dir(&w, t->dir, UINT64_MAX, &eb), 0);
	assert_int_equal(w.n, 1);
	is(&w, 0, t->dir, "1/2/3/4/5/6/7/8/ft-20231114-221500Z", T0);
	dumpwalk_clear(&w);
}

static void
test_dump_walk_errors(void **state)
{
	struct tdir_fix *t = *state;
	char missing[512];
	struct dumpwalk w;
	struct errbuf eb;

	dumpwalk_init(&w);
	/* An empty directory is no error. */
	assert_int_equal(dumpwalk_dir(&w, t->dir, UINT64_MAX, &eb), 0);
	assert_int_equal(w.n, 0);
	dumpwalk_sort(&w);
	snprintf(missing, sizeof(missing), "%s/nope", t->dir);
	assert_int_equal(dumpwalk_dir(&w, missing, UINT64_MAX, &eb), -1);
	snprintf(missing, sizeof(missing), "%s/nope: No such file or directory",
	    t->dir);
	assert_string_equal(eb.msg, missing);
	/* A file given as the directory. */
	make(t->dir, "ft-20231114-221500Z");
	snprintf(missing, sizeof(missing), "%s/ft-20231114-221500Z", t->dir);
	assert_int_equal(dumpwalk_dir(&w, missing, UINT64_MAX, &eb), -1);
	assert_non_null(strstr(eb.msg, missing));
	assert_non_null(strstr(eb.msg, "Not a directory"));
	assert_int_equal(w.n, 0);
	dumpwalk_clear(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_dump_walk_tree, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_dump_walk_depth, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_dump_walk_errors, setup, tdir_teardown),
	};
	return cmocka_run_group_tests_name("dump_walk", tests, NULL, NULL);
}
