/*
 * Temporary directories for the unit tests: made under /tmp with a prefix
 * naming the test, removed with everything in them by a file-tree walk
 * (no shell, so no quoting to get wrong); files made in them with their
 * directories; and a cmocka fixture of one.
 */
#ifndef FT_TDIR_TESTUTIL_H
#define FT_TDIR_TESTUTIL_H

#include <sys/stat.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Make /tmp/ft-TAG.XXXXXX (X replaced) into dir[0..len): 0, or -1 when
 * it does not fit or mkdtemp() fails.
 */
static inline int
tdir_make(char *dir, size_t len, const char *tag)
{
	int n = snprintf(dir, len, "/tmp/ft-%s.XXXXXX", tag);

	if (n < 0 || (size_t)n >= len)
		return -1;
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static inline int
tdir_rm1(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)type;
	(void)f;
	return remove(path);
}

/* Remove dir and everything under it (symbolic links not followed): 0/-1. */
static inline int
tdir_remove(const char *dir)
{
	return nftw(dir, tdir_rm1, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * Create dir/rel as an empty file, or as a directory when rel ends in '/',
 * with the directories on the way: 0, or -1 when it cannot.
 */
static inline int
tdir_create(const char *dir, const char *rel)
{
	char path[1024];
	char *p;
	FILE *fp;
	int n = snprintf(path, sizeof(path), "%s/%s", dir, rel);

	if (n < 0 || (size_t)n >= sizeof(path))
		return -1;
	for (p = path + strlen(dir) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(path, 0755) == -1 && access(path, F_OK) == -1)
			return -1;
		*p = '/';
	}
	if (path[n - 1] == '/')
		return 0;
	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	return fclose(fp) == EOF ? -1 : 0;
}

/*
 * A cmocka fixture of one temporary directory. A test's own fixture may
 * begin with a struct tdir_fix and add fields after it.
 */
struct tdir_fix {
	char dir[64];
};

/*
 * For a cmocka setup: allocate size bytes (zeroed; at least a struct
 * tdir_fix), make its directory /tmp/ft-TAG.* and set *state to it. 0, or
 * -1 with nothing left behind.
 */
static inline int
tdir_setup_size(void **state, const char *tag, size_t size)
{
	struct tdir_fix *t = calloc(1, size);

	if (t == NULL)
		return -1;
	if (tdir_make(t->dir, sizeof(t->dir), tag) == -1) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

/* tdir_setup_size() of a plain struct tdir_fix. */
static inline int
tdir_setup(void **state, const char *tag)
{
	return tdir_setup_size(state, tag, sizeof(struct tdir_fix));
}

/*
 * A cmocka teardown for tdir_setup(): remove the directory with everything
 * in it and free the fixture. 0, or -1 if the removal failed.
 */
static inline int
tdir_teardown(void **state)
{
	struct tdir_fix *t = *state;
	int rv = tdir_remove(t->dir);

	free(t);
	return rv;
}

#endif
