/*
 * The scanner's spool: complete files only (never in-progress ones),
 * oldest first across flat and date-nested directories, the ledger
 * (including a line torn by a crash), archive by move and delete, and the
 * state lock.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/afile.h"
#include "lib/flowfile.h"
#include "scanner/spool.h"
#include "tdir_testutil.h"

static char dir[64];

static void
touch_file(uint64_t start, int nest)
{
	char path[4096], d[4096], *slash;
	int fd;

	assert_int_equal(
	    flowfile_final_path(dir, start, nest, path, sizeof(path)), 0);
	snprintf(d, sizeof(d), "%s", path);
	slash = strrchr(d, '/');
	*slash = '\0';
	assert_int_equal(afile_mkdirs(d, 0755), 0);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	assert_true(fd != -1);
	close(fd);
}

static int
setup(void **state)
{
	(void)state;
	return tdir_make(dir, sizeof(dir), "spool");
}

static int
teardown(void **state)
{
	(void)state;
	return tdir_remove(dir);
}

static void
test_scanner_spool_order_and_archive(void **state)
{
	char state_dir[128], path[256];
	struct spool_file *f;
	struct spool s;
	struct errbuf eb;
	size_t n;
	int fd;

	(void)state;
	touch_file(1700000700, 0);
	touch_file(1700000100, 3);
	touch_file(1700000400, 0);
	/* In-progress and foreign files are never listed. */
	snprintf(path, sizeof(path), "%s/.ft-inprogress.1700001000.42", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	close(fd);
	snprintf(path, sizeof(path), "%s/notes.txt", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	close(fd);
	snprintf(state_dir, sizeof(state_dir), "%s/state", dir);

	assert_int_equal(
	    spool_open(&s, dir, state_dir, SPOOL_MOVE, NULL, &eb), 0);
	assert_int_equal(spool_lock(&s, 0, &eb), 0);
	assert_int_equal(spool_list(&s, &f, &n, &eb), 0);
	assert_int_equal(n, 3);
	assert_int_equal(f[0].start, 1700000100);
	assert_int_equal(f[1].start, 1700000400);
	assert_int_equal(f[2].start, 1700000700);
	assert_non_null(strstr(f[0].path, "/2023/2023-11/2023-11-14/"));
	assert_int_equal(spool_done(&s, &f[0], "x", &eb), 0);
	assert_true(spool_is_done(&s, 1700000100));
	assert_false(spool_is_done(&s, 1700000400));
	/* Moved to saved/<day>/. */
	snprintf(
	    path, sizeof(path), "%s/saved/2023-11-14/ft-20231114-221500Z", dir);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(access(f[0].path, F_OK), -1);
	free(f);
	spool_close(&s);

	/* A crash tore the ledger's last line: it is ignored, and the next
	 * entry still stands on its own line. */
	snprintf(path, sizeof(path), "%s/ledger", state_dir);
	fd = open(path, O_WRONLY | O_APPEND);
	assert_int_equal(write(fd, "17000004", 8), 8);
	close(fd);
	assert_int_equal(
	    spool_open(&s, dir, state_dir, SPOOL_DELETE, NULL, &eb), 0);
	assert_true(spool_is_done(&s, 1700000100));
	assert_false(spool_is_done(&s, 1700000400));
	assert_int_equal(spool_list(&s, &f, &n, &eb), 0);
	assert_int_equal(n, 2);
	assert_int_equal(spool_done(&s, &f[0], "y", &eb), 0);
	assert_int_equal(access(f[0].path, F_OK), -1); /* deleted */
	free(f);
	spool_close(&s);
	assert_int_equal(
	    spool_open(&s, dir, state_dir, SPOOL_KEEP, NULL, &eb), 0);
	assert_true(spool_is_done(&s, 1700000400));
	assert_false(spool_is_done(&s, 1700000700));
	spool_close(&s);
}

static void
test_scanner_spool_lock(void **state)
{
	char state_dir[128];
	struct spool a, b;
	struct errbuf eb;

	(void)state;
	snprintf(state_dir, sizeof(state_dir), "%s/state2", dir);
	assert_int_equal(
	    spool_open(&a, dir, state_dir, SPOOL_KEEP, NULL, &eb), 0);
	assert_int_equal(
	    spool_open(&b, dir, state_dir, SPOOL_KEEP, NULL, &eb), 0);
	assert_int_equal(spool_lock(&a, 0, &eb), 0);
	assert_int_equal(spool_lock(&b, 100, &eb), -1);
	assert_non_null(strstr(eb.msg, "held by another scanner"));
	spool_close(&b);
	assert_int_equal(
	    spool_open(&b, dir, state_dir, SPOOL_KEEP, NULL, &eb), 0);
	spool_close(&a);
	spool_close(&b);
	assert_int_equal(
	    spool_open(&b, dir, state_dir, SPOOL_KEEP, NULL, &eb), 0);
	assert_int_equal(spool_lock(&b, 0, &eb), 0);
	spool_close(&b);
}

static void
test_scanner_spool_archive_modes(void **state)
{
	enum spool_archive a;

	(void)state;
	assert_int_equal(spool_parse_archive("keep", &a), 0);
	assert_int_equal(a, SPOOL_KEEP);
	assert_int_equal(spool_parse_archive("move", &a), 0);
	assert_int_equal(a, SPOOL_MOVE);
	assert_int_equal(spool_parse_archive("delete", &a), 0);
	assert_int_equal(a, SPOOL_DELETE);
	assert_int_equal(spool_parse_archive("remove", &a), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scanner_spool_order_and_archive),
		cmocka_unit_test(test_scanner_spool_lock),
		cmocka_unit_test(test_scanner_spool_archive_modes),
	};
	return cmocka_run_group_tests_name(
	    "scanner_spool", tests, setup, teardown);
}
