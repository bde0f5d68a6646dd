/*
 * Temporary directories for the unit tests: made under /tmp with a prefix
 * naming the test, removed with everything in them by a file-tree walk
 * (no shell, so no quoting to get wrong).
 */
#ifndef FT_TDIR_TESTUTIL_H
#define FT_TDIR_TESTUTIL_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

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

#endif
