/*
 * Directory walk for flowtally-dump. Bounded depth; entries are read with
 * readdir and classified with lstat so links never lead out of the tree.
 */
#include "tools/dumpwalk.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/flowfile.h"

#define DUMPWALK_MAX_DEPTH 8

void
dumpwalk_init(struct dumpwalk *w)
{
	memset(w, 0, sizeof(*w));
}

static int
dumpwalk_add(struct dumpwalk *w, const char *path, uint64_t start)
{
	struct dumpwalk_file *nv;
	size_t ncap;

	if (w->n == w->cap) {
		ncap = w->cap ? w->cap * 2 : 64;
		if ((nv = realloc(w->v, ncap * sizeof(*nv))) == NULL)
			return -1;
		w->v = nv;
		w->cap = ncap;
	}
	if ((w->v[w->n].path = strdup(path)) == NULL)
		return -1;
	w->v[w->n].start = start;
	w->n++;
	return 0;
}

static int
dumpwalk_rec(struct dumpwalk *w, const char *dir, uint64_t until_s, int depth,
    struct errbuf *eb)
{
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	uint64_t start;
	DIR *d;
	int n, rv = -1;

	if ((d = opendir(dir)) == NULL) {
		errbuf_set(eb, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		n = snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (n < 0 || (size_t)n >= sizeof(path)) {
			errbuf_set(eb, "%s/%s: path too long", dir, de->d_name);
			goto done;
		}
		if (lstat(path, &st) == -1) {
			if (errno == ENOENT) /* expired meanwhile */
				continue;
			errbuf_set(eb, "%s: %s", path, strerror(errno));
			goto done;
		}
		if (S_ISDIR(st.st_mode)) {
			if (depth < DUMPWALK_MAX_DEPTH &&
			    dumpwalk_rec(w, path, until_s, depth + 1, eb) == -1)
				goto done;
		} else if (S_ISREG(st.st_mode) &&
		    flowfile_parse_name(de->d_name, &start) &&
		    start < until_s) {
			if (dumpwalk_add(w, path, start) == -1) {
				errbuf_set(eb, "%s: out of memory", dir);
				goto done;
			}
		}
	}
	rv = 0;
done:
	closedir(d);
	return rv;
}

int
dumpwalk_dir(
    struct dumpwalk *w, const char *dir, uint64_t until_s, struct errbuf *eb)
{
	return dumpwalk_rec(w, dir, until_s, 0, eb);
}

static int
dumpwalk_cmp(const void *a, const void *b)
{
	const struct dumpwalk_file *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return strcmp(x->path, y->path);
}

void
dumpwalk_sort(struct dumpwalk *w)
{
	if (w->n > 1)
		qsort(w->v, w->n, sizeof(*w->v), dumpwalk_cmp);
}

void
dumpwalk_clear(struct dumpwalk *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->v[i].path);
	free(w->v);
	dumpwalk_init(w);
}
