/*
 * Tests for lib/afile.c: commit replaces the target atomically (the old
 * content stays until the rename), abort leaves nothing, and mkdirs.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
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
#include "tdir_testutil.h"

static int
setup(void **state)
{
	return tdir_setup(state, "afile");
}

/* Number of entries in dir besides . and .. */
static int
count_entries(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static char *
slurp(const char *path, char *buf, size_t len)
{
	FILE *fp = fopen(path, "r");
	size_t n;

	if (fp == NULL)
		return NULL;
	n = fread(buf, 1, len - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void
test_afile_commit_replaces(void **state)
{
	struct tdir_fix *t = *state;
	struct afile af;
	char path[128], got[64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/out.html", t->dir);
	assert_int_equal(afile_write_all(path, "old\n", 4, 0644), 0);
	assert_string_equal(slurp(path, got, sizeof(got)), "old\n");

	assert_int_equal(afile_open(&af, path, 0640), 0);
	assert_int_equal(afile_write(&af, "new ", 4), 0);
	assert_int_equal(afile_write(&af, "content\n", 8), 0);
	/* Until the commit, readers see the old file; the temp is hidden. */
	assert_string_equal(slurp(path, got, sizeof(got)), "old\n");
	assert_int_equal(count_entries(t->dir), 2);
	assert_non_null(strstr(af.tmp, "/.out.html."));
	assert_int_equal(afile_commit(&af), 0);
	assert_string_equal(slurp(path, got, sizeof(got)), "new content\n");
	assert_int_equal(count_entries(t->dir), 1);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
}

static void
test_afile_abort_leaves_nothing(void **state)
{
	struct tdir_fix *t = *state;
	struct afile af;
	char path[128], got[64];

	snprintf(path, sizeof(path), "%s/file", t->dir);
	assert_int_equal(afile_open(&af, path, 0644), 0);
	assert_int_equal(afile_write(&af, "partial", 7), 0);
	afile_abort(&af);
	assert_int_equal(count_entries(t->dir), 0);
	assert_int_equal(access(path, F_OK), -1);

	/* Aborting a replacement keeps the old file. */
	assert_int_equal(afile_write_all(path, "keep", 4, 0644), 0);
	assert_int_equal(afile_open(&af, path, 0644), 0);
	assert_int_equal(afile_write(&af, "drop", 4), 0);
	afile_abort(&af);
	assert_string_equal(slurp(path, got, sizeof(got)), "keep");
	assert_int_equal(count_entries(t->dir), 1);
}

static void
test_afile_errors(void **state)
{
	struct tdir_fix *t = *state;
	struct afile af;
	char path[128];

	/* Missing directory: fails, nothing created. */
	snprintf(path, sizeof(path), "%s/no/such/dir/file", t->dir);
	errno = 0;
	assert_int_equal(afile_open(&af, path, 0644), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(afile_write_all(path, "x", 1, 0644), -1);
	assert_int_equal(count_entries(t->dir), 0);
	/* The target is a directory: the rename fails, the temp goes. */
	snprintf(path, sizeof(path), "%s/adir", t->dir);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(mkdir(strcat(path, "/sub"), 0755), 0);
	snprintf(path, sizeof(path), "%s/adir", t->dir);
	assert_int_equal(afile_write_all(path, "x", 1, 0644), -1);
	assert_int_equal(count_entries(t->dir), 1);
	/* A name too long for the temp name. */
	{
		char *longp = malloc(PATH_MAX + 10);

		assert_non_null(longp);
		memset(longp, 'a', PATH_MAX + 9);
		longp[PATH_MAX + 9] = '\0';
		errno = 0;
		assert_int_equal(afile_open(&af, longp, 0644), -1);
		assert_int_equal(errno, ENAMETOOLONG);
		free(longp);
	}
}

static void
test_afile_mkdirs(void **state)
{
	struct tdir_fix *t = *state;
	char path[160], file[200];
	struct stat st;

	snprintf(path, sizeof(path), "%s/2024/2024-11/2024-11-25", t->dir);
	assert_int_equal(afile_mkdirs(path, 0755), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	/* Again: already there is fine; so are a trailing slash and //. */
	assert_int_equal(afile_mkdirs(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/a//b/", t->dir);
	assert_int_equal(afile_mkdirs(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/a/b", t->dir);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	/* A file in the way is an error, at the end or in the middle. */
	snprintf(file, sizeof(file), "%s/plain", t->dir);
	assert_int_equal(afile_write_all(file, "x", 1, 0644), 0);
	errno = 0;
	assert_int_equal(afile_mkdirs(file, 0755), -1);
	assert_int_equal(errno, ENOTDIR);
	snprintf(file, sizeof(file), "%s/plain/sub", t->dir);
	assert_int_equal(afile_mkdirs(file, 0755), -1);
	assert_int_equal(afile_mkdirs("", 0755), -1);
}

/* afile_write_fd writes everything, across a pipe's short writes. */
static void
test_afile_write_fd_all(void **state)
{
	static char big[200000], back[200000];
	size_t got = 0;
	ssize_t r;
	pid_t pid;
	int fds[2], st;

	(void)state;
	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = 'y';
	assert_int_equal(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		close(fds[0]);
		_exit(afile_write_fd(fds[1], big, sizeof(big)) == 0 ? 0 : 1);
	}
	close(fds[1]);
	while ((r = read(fds[0], back + got, sizeof(back) - got)) > 0)
		got += (size_t)r;
	close(fds[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(got, sizeof(big));
	assert_memory_equal(back, big, sizeof(big));
	assert_int_equal(afile_write_fd(-1, big, 1), -1);
	assert_int_equal(errno, EBADF);
}

/*
 * afile_sync_close: the descriptor is closed and reads -1 afterwards, on
 * success and on failure (fsync of a pipe: EINVAL), with errno kept.
 */
static void
test_afile_sync_close(void **state)
{
	struct tdir_fix *t = *state;
	char path[PATH_MAX];
	int fd, fds[2];

	snprintf(path, sizeof(path), "%s/f", t->dir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x", 1), 1);
	assert_int_equal(afile_sync_close(&fd), 0);
	assert_int_equal(fd, -1);
	assert_int_equal(pipe(fds), 0);
	fd = fds[1];
	assert_int_equal(afile_sync_close(&fd), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(fd, -1);
	/* Closed: writing to the old number fails. */
	assert_int_equal(write(fds[1], "x", 1), -1);
	close(fds[0]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_afile_commit_replaces, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_afile_abort_leaves_nothing, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_afile_errors, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_afile_mkdirs, setup, tdir_teardown),
		cmocka_unit_test(test_afile_write_fd_all),
		cmocka_unit_test_setup_teardown(
		    test_afile_sync_close, setup, tdir_teardown),
	};
	return cmocka_run_group_tests_name("afile", tests, NULL, NULL);
}
