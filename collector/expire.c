/*
 * Expiry: list the complete flow files under the output directory (at most
 * four levels deep, as nesting makes), sort them by interval start, remove
 * from the oldest, then rmdir each emptied parent up to the output
 * directory itself.
 */
#include "collector/expire.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/flowfile.h"
#include "lib/log.h"

#define EXPIRE_DEPTH 4

struct expire_file {
	uint64_t start;
	uint64_t size;
	char *path;
};

struct expire_list {
	struct expire_file *v;
	size_t n, cap;
};

static int
expire_add(
    struct expire_list *l, uint64_t start, uint64_t size, const char *path)
{
	struct expire_file *nv;
	size_t ncap;

	if (l->n == l->cap) {
		ncap = l->cap ? l->cap * 2 : 256;
		if ((nv = realloc(l->v, ncap * sizeof(*nv))) == NULL)
			return -1;
		l->v = nv;
		l->cap = ncap;
	}
	if ((l->v[l->n].path = strdup(path)) == NULL)
		return -1;
	l->v[l->n].start = start;
	l->v[l->n].size = size;
	l->n++;
	return 0;
}

static int
expire_scan(struct expire_list *l, const char *dir, int depth)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	char path[PATH_MAX];
	uint64_t start;
	int rc = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue; /* ., .., in-progress and temp files */
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
			de->d_name) >= sizeof(path))
			continue;
		if (lstat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (depth < EXPIRE_DEPTH)
				(void)expire_scan(l, path, depth + 1);
			continue;
		}
		if (!S_ISREG(st.st_mode) ||
		    !flowfile_parse_name(de->d_name, &start))
			continue;
		if (expire_add(l, start, (uint64_t)st.st_size, path) == -1) {
			rc = -1;
			break;
		}
	}
	closedir(d);
	return rc;
}

static int
expire_cmp(const void *a, const void *b)
{
	const struct expire_file *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* rmdir the parents of path that are empty, up to (not including) top. */
static size_t
expire_prune(const char *top, const char *path)
{
	char dir[PATH_MAX];
	char *slash;
	size_t toplen = strlen(top), n = 0;

	strncpy(dir, path, sizeof(dir) - 1);
	dir[sizeof(dir) - 1] = '\0';
	while ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		if (strlen(dir) <= toplen)
			break;
		if (rmdir(dir) == -1)
			break; /* not empty (or not ours): stop here */
		log_info("expire: removed empty directory %s", dir);
		n++;
	}
	return n;
}

int
expire_run(const struct expire_opts *o, uint64_t now, struct expire_result *res)
{
	struct expire_list l = { 0 };
	uint64_t total = 0;
	size_t i;
	const char *why;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	if (expire_scan(&l, o->dir, 1) == -1) {
		rc = -1;
		goto done;
	}
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(*l.v), expire_cmp);
	for (i = 0; i < l.n; i++)
		total += l.v[i].size;
	res->files = l.n;
	res->bytes = total;
	for (i = 0; i < l.n; i++) {
		struct expire_file *f = &l.v[i];

		if (o->max_age != 0 && f->start + o->max_age < now)
			why = "age";
		else if (o->max_bytes != 0 && total > o->max_bytes)
			why = "size";
		else
			break; /* sorted: the rest are newer */
		if (o->dry_run) {
			log_info("expire: would remove %s (%s, %llu bytes)",
			    f->path, why, (unsigned long long)f->size);
		} else {
			if (unlink(f->path) == -1) {
				log_warn("expire: unlink %s", f->path);
				continue;
			}
			log_info("expire: removed %s (%s, %llu bytes)", f->path,
			    why, (unsigned long long)f->size);
			res->dirs += expire_prune(o->dir, f->path);
		}
		total -= f->size;
		res->removed++;
		res->freed += f->size;
	}
done:
	for (i = 0; i < l.n; i++)
		free(l.v[i].path);
	free(l.v);
	return rc;
}
