/*
 * Finding, remembering and archiving flow files. The ledger is one line
 * per processed file, "<start> <name> <summary>", appended and fsync'ed
 * after the file's RRD updates; a restart skips what it lists (and RRDs
 * refuse updates they already hold, for the window in between).
 */
#include "scanner/spool.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/afile.h"
#include "lib/flowfile.h"

#define SPOOL_LEDGER "ledger"
#define SPOOL_LOCK   "lock"
#define SPOOL_WLOCK  "writer.lock"

int
spool_parse_archive(const char *s, enum spool_archive *a)
{
	if (strcmp(s, "keep") == 0)
		*a = SPOOL_KEEP;
	else if (strcmp(s, "move") == 0)
		*a = SPOOL_MOVE;
	else if (strcmp(s, "delete") == 0)
		*a = SPOOL_DELETE;
	else
		return -1;
	return 0;
}

static int
spool_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
spool_remember(struct spool *s, uint64_t start)
{
	if (s->n_done == s->cap_done) {
		size_t cap = s->cap_done ? s->cap_done * 2 : 1024;
		uint64_t *d = realloc(s->done, cap * sizeof(*d));

		if (d == NULL)
			return -1;
		s->done = d;
		s->cap_done = cap;
	}
	s->done[s->n_done++] = start;
	/* Mostly appended in order: keep sorted cheaply. */
	if (s->n_done > 1 && s->done[s->n_done - 2] > start)
		qsort(s->done, s->n_done, sizeof(*s->done), spool_cmp_u64);
	return 0;
}

bool
spool_is_done(const struct spool *s, uint64_t start)
{
	size_t lo = 0, hi = s->n_done;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->done[mid] == start)
			return true;
		if (s->done[mid] < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int
spool_load_ledger(struct spool *s, const char *path, struct errbuf *eb)
{
	char line[1024];
	unsigned long n = 0;
	uint64_t start;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 0;
		errbuf_set(eb, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		n++;
		/* A torn last line (crash while appending) is ignored. */
		if (strchr(line, '\n') == NULL)
			break;
		if (sscanf(line, "%" SCNu64, &start) != 1)
			continue;
		if (spool_remember(s, start) == -1) {
			fclose(fp);
			errbuf_set(eb, "%s: out of memory", path);
			return -1;
		}
	}
	fclose(fp);
	if (s->n_done > 1)
		qsort(s->done, s->n_done, sizeof(*s->done), spool_cmp_u64);
	return 0;
}

int
spool_open(struct spool *s, const char *dir, const char *state_dir,
    enum spool_archive archive, const char *saved_dir, struct errbuf *eb)
{
	char path[PATH_MAX];

	memset(s, 0, sizeof(*s));
	s->ledger_fd = -1;
	s->lock_fd = -1;
	s->writer_fd = -1;
	s->archive = archive;
	if ((s->dir = strdup(dir)) == NULL ||
	    (s->state_dir = strdup(state_dir)) == NULL)
		goto oom;
	if (saved_dir != NULL && saved_dir[0] != '\0')
		s->saved_dir = strdup(saved_dir);
	else if (asprintf(&s->saved_dir, "%s/saved", dir) == -1)
		s->saved_dir = NULL;
	if (s->saved_dir == NULL)
		goto oom;
	if (afile_mkdirs(state_dir, 0755) == -1) {
		errbuf_set(eb, "%s: %s", state_dir, strerror(errno));
		goto fail;
	}
	if (archive == SPOOL_MOVE && afile_mkdirs(s->saved_dir, 0755) == -1) {
		errbuf_set(eb, "%s: %s", s->saved_dir, strerror(errno));
		goto fail;
	}
	snprintf(path, sizeof(path), "%s/%s", state_dir, SPOOL_LEDGER);
	if (spool_load_ledger(s, path, eb) == -1)
		goto fail;
	if ((s->ledger_fd = open(
		 path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) == -1) {
		errbuf_set(eb, "%s: %s", path, strerror(errno));
		goto fail;
	}
	/* A line torn by a crash gets its end, so the next entry stands
	 * alone. */
	{
		off_t end = lseek(s->ledger_fd, 0, SEEK_END);
		char last = '\n';

		if (end > 0 && pread(s->ledger_fd, &last, 1, end - 1) == 1 &&
		    last != '\n' && write(s->ledger_fd, "\n", 1) != 1) {
			errbuf_set(eb, "%s: %s", path, strerror(errno));
			goto fail;
		}
	}
	return 0;
oom:
	errbuf_set(eb, "out of memory");
fail:
	spool_close(s);
	return -1;
}

void
spool_close(struct spool *s)
{
	if (s->ledger_fd != -1)
		close(s->ledger_fd);
	if (s->lock_fd != -1)
		close(s->lock_fd);
	if (s->writer_fd != -1)
		close(s->writer_fd);
	free(s->dir);
	free(s->saved_dir);
	free(s->state_dir);
	free(s->done);
	memset(s, 0, sizeof(*s));
	s->ledger_fd = -1;
	s->lock_fd = -1;
	s->writer_fd = -1;
}

int
spool_lock(struct spool *s, unsigned wait_ms, struct errbuf *eb)
{
	char path[PATH_MAX];
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	unsigned waited = 0;

	snprintf(path, sizeof(path), "%s/%s", s->state_dir, SPOOL_LOCK);
	if ((s->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) ==
	    -1) {
		errbuf_set(eb, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(s->lock_fd, LOCK_EX | LOCK_NB) == -1) {
		errbuf_set(eb, "%s: %s", path,
		    errno == EWOULDBLOCK ? "held by another scanner"
					 : strerror(errno));
		return -1;
	}
	/* Inherited by the RRD writer, which outlives a killed scanner. */
	snprintf(path, sizeof(path), "%s/%s", s->state_dir, SPOOL_WLOCK);
	if ((s->writer_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) ==
	    -1) {
		errbuf_set(eb, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (flock(s->writer_fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			errbuf_set(eb, "%s: %s", path, strerror(errno));
			return -1;
		}
		if (waited >= wait_ms) {
			errbuf_set(eb,
			    "%s: still held by the RRD writer of a previous scanner",
			    path);
			return -1;
		}
		nanosleep(&ts, NULL);
		waited += 50;
	}
	return 0;
}

/* Collect matching files under path, descending into date directories. */
static int
spool_walk(const char *path, int depth, struct spool_file **out, size_t *n,
    size_t *cap)
{
	struct dirent *de;
	struct stat sb;
	uint64_t start;
	DIR *d;
	int ret = 0;

	if ((d = opendir(path)) == NULL)
		return depth == 0 ? -1 : 0;
	while ((de = readdir(d)) != NULL) {
		char child[PATH_MAX];

		if (de->d_name[0] == '.')
			continue;
		if (snprintf(child, sizeof(child), "%s/%s", path, de->d_name) >=
		    (int)sizeof(child))
			continue;
		if (flowfile_parse_name(de->d_name, &start)) {
			if (stat(child, &sb) == -1 || !S_ISREG(sb.st_mode))
				continue;
			if (*n == *cap) {
				size_t nc = *cap ? *cap * 2 : 64;
				struct spool_file *f =
				    realloc(*out, nc * sizeof(*f));

				if (f == NULL) {
					ret = -1;
					break;
				}
				*out = f;
				*cap = nc;
			}
			snprintf((*out)[*n].path, PATH_MAX, "%s", child);
			(*out)[*n].start = start;
			(*n)++;
			continue;
		}
		/* Date nesting: YYYY/YYYY-MM/YYYY-MM-DD. */
		if (depth < 3 && de->d_name[0] >= '0' && de->d_name[0] <= '9' &&
		    stat(child, &sb) == 0 && S_ISDIR(sb.st_mode) &&
		    spool_walk(child, depth + 1, out, n, cap) == -1) {
			ret = -1;
			break;
		}
	}
	closedir(d);
	return ret;
}

static int
spool_cmp_file(const void *a, const void *b)
{
	const struct spool_file *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return strcmp(x->path, y->path);
}

int
spool_list(
    struct spool *s, struct spool_file **out, size_t *n, struct errbuf *eb)
{
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	if (spool_walk(s->dir, 0, out, n, &cap) == -1) {
		errbuf_set(eb, "%s: %s", s->dir, strerror(errno));
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	if (*n > 0)
		qsort(*out, *n, sizeof(**out), spool_cmp_file);
	return 0;
}

static const char *
spool_base(const char *path)
{
	const char *p = strrchr(path, '/');

	return p ? p + 1 : path;
}

/* Move path into dir/sub/ (created), keeping its name. */
static int
spool_move(
    const char *path, const char *dir, const char *sub, struct errbuf *eb)
{
	char d[PATH_MAX], dst[PATH_MAX];

	snprintf(d, sizeof(d), "%s/%s", dir, sub);
	if (afile_mkdirs(d, 0755) == -1) {
		errbuf_set(eb, "%s: %s", d, strerror(errno));
		return -1;
	}
	if (snprintf(dst, sizeof(dst), "%s/%s", d, spool_base(path)) >=
	    (int)sizeof(dst)) {
		errbuf_set(eb, "%s: path too long", d);
		return -1;
	}
	if (rename(path, dst) == -1) {
		errbuf_set(eb, "move %s to %s: %s", path, d, strerror(errno));
		return -1;
	}
	afile_sync_dir(dst);
	return 0;
}

int
spool_archive_file(
    struct spool *s, const struct spool_file *f, struct errbuf *eb)
{
	char day[16];
	time_t t = (time_t)f->start;
	struct tm tm;

	switch (s->archive) {
	case SPOOL_KEEP:
		return 0;
	case SPOOL_DELETE:
		if (unlink(f->path) == -1 && errno != ENOENT) {
			errbuf_set(
			    eb, "delete %s: %s", f->path, strerror(errno));
			return -1;
		}
		return 0;
	case SPOOL_MOVE:
		gmtime_r(&t, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		return spool_move(f->path, s->saved_dir, day, eb);
	}
	return 0;
}

int
spool_done(struct spool *s, const struct spool_file *f, const char *summary,
    struct errbuf *eb)
{
	char line[PATH_MAX + 512];
	int len;

	len = snprintf(line, sizeof(line), "%" PRIu64 " %s %s\n", f->start,
	    spool_base(f->path), summary);
	if (len >= (int)sizeof(line))
		len = (int)sizeof(line) - 1;
	line[len - 1] = '\n';
	if (write(s->ledger_fd, line, (size_t)len) != len ||
	    fsync(s->ledger_fd) == -1) {
		errbuf_set(eb, "%s/%s: %s", s->state_dir, SPOOL_LEDGER,
		    strerror(errno));
		return -1;
	}
	if (spool_remember(s, f->start) == -1) {
		errbuf_set(eb, "out of memory");
		return -1;
	}
	return spool_archive_file(s, f, eb);
}

int
spool_reject(struct spool *s, const struct spool_file *f, struct errbuf *eb)
{
	return spool_move(f->path, s->dir, "rejected", eb);
}
