/*
 * Atomic file replacement: write a temporary file in the target's directory,
 * fsync it, rename it over the target and fsync the directory, so a reader
 * sees the old content or the new, never a partial file.
 */
#ifndef FT_AFILE_H
#define FT_AFILE_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

struct afile {
	int fd;
	char tmp[PATH_MAX]; /* "<dir>/.<name>.XXXXXX": hidden, never a match */
	char final[PATH_MAX]; /* the target path */
};

/*
 * Create the temporary file for path with the given mode (e.g. 0644).
 * Returns 0, or -1 with errno set (nothing is left behind).
 */
int afile_open(struct afile *af, const char *path, int mode);
/* Write all n bytes: 0, or -1 with errno set. */
int afile_write(struct afile *af, const void *p, size_t n);
/*
 * Write all n bytes of p to fd, retrying short writes and EINTR: 0, or -1
 * with errno set. For any descriptor (files, sockets, pipes).
 */
int afile_write_fd(int fd, const void *p, size_t n);
/*
 * fsync, close, rename to the target and fsync the directory. On failure
 * the temporary file is removed. Returns 0, or -1 with errno set.
 */
int afile_commit(struct afile *af);
/* Close and unlink the temporary file. */
void afile_abort(struct afile *af);
/* Open, write all of p and commit in one call: 0 or -1 with errno set. */
int afile_write_all(const char *path, const void *p, size_t n, int mode);
/*
 * fsync *fd, then close it; *fd is -1 afterwards whatever happened (a
 * failed close still releases the descriptor). 0, or -1 with errno set.
 */
int afile_sync_close(int *fd);
/* fsync the directory holding path: 0 or -1 with errno set. */
int afile_sync_dir(const char *path);
/*
 * Create dir and any missing parents with mode (like mkdir -p): 0 or -1 with
 * errno set.
 */
int afile_mkdirs(const char *dir, int mode);

#endif
