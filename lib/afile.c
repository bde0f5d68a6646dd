/*
 * Atomic file writes: temp file, fsync, rename, fsync the directory.
 */
#include "lib/afile.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
afile_open(struct afile *af, const char *path, int mode)
{
	char d[PATH_MAX], b[PATH_MAX];
	char *dir, *base;
	int n;

	af->fd = -1;
	if (strlen(path) >= sizeof(d)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(d, path);
	strcpy(b, path);
	dir = dirname(d);
	base = basename(b);
	n = snprintf(af->tmp, sizeof(af->tmp), "%s/.%s.XXXXXX", dir, base);
	if (n < 0 || (size_t)n >= sizeof(af->tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	snprintf(af->final, sizeof(af->final), "%s", path);
	if ((af->fd = mkstemp(af->tmp)) == -1)
		return -1;
	if (fchmod(af->fd, (mode_t)mode) == -1) {
		afile_abort(af);
		return -1;
	}
	return 0;
}

int
afile_write_fd(int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t w;

	while (n > 0) {
		w = write(fd, c, n);
		if (w == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int
afile_write(struct afile *af, const void *p, size_t n)
{
	return afile_write_fd(af->fd, p, n);
}

int
afile_sync_close(int *fd)
{
	int r = fsync(*fd), saved = errno;

	if (close(*fd) == -1 && r == 0) {
		r = -1;
		saved = errno;
	}
	*fd = -1;
	errno = saved;
	return r;
}

int
afile_sync_dir(const char *path)
{
	char d[PATH_MAX];
	int fd, r;

	if (strlen(path) >= sizeof(d)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(d, path);
	if ((fd = open(dirname(d), O_RDONLY | O_DIRECTORY)) == -1)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

int
afile_commit(struct afile *af)
{
	int saved;

	if (afile_sync_close(&af->fd) == -1)
		goto fail;
	if (rename(af->tmp, af->final) == -1)
		goto fail;
	return afile_sync_dir(af->final);

fail:
	saved = errno;
	afile_abort(af);
	errno = saved;
	return -1;
}

void
afile_abort(struct afile *af)
{
	int saved = errno;

	if (af->fd != -1)
		close(af->fd);
	af->fd = -1;
	unlink(af->tmp);
	errno = saved;
}

int
afile_write_all(const char *path, const void *p, size_t n, int mode)
{
	struct afile af;

	if (afile_open(&af, path, mode) == -1)
		return -1;
	if (afile_write(&af, p, n) == -1) {
		afile_abort(&af);
		return -1;
	}
	return afile_commit(&af);
}

int
afile_mkdirs(const char *dir, int mode)
{
	char p[PATH_MAX];
	struct stat st;
	size_t i, n = strlen(dir);

	if (n == 0 || n >= sizeof(p)) {
		errno = n == 0 ? ENOENT : ENAMETOOLONG;
		return -1;
	}
	memcpy(p, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		p[i] = '\0';
		if (mkdir(p, (mode_t)mode) == -1 && errno != EEXIST)
			return -1;
		if (i < n)
			p[i] = '/';
	}
	/* EEXIST above may have been a file, not a directory. */
	if (stat(dir, &st) == -1)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}
