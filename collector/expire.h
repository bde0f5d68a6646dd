/*
 * Retention of published flow files: by total size and by age, oldest
 * (interval start) first, logging each removed file and removing date
 * directories left empty. A dry run only logs what it would remove.
 */
#ifndef FT_COLLECTOR_EXPIRE_H
#define FT_COLLECTOR_EXPIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct expire_opts {
	const char *dir;    /* the collector's output directory */
	uint64_t max_bytes; /* 0: no size limit */
	uint64_t max_age;   /* seconds, 0: no age limit */
	bool dry_run;
};

struct expire_result {
	size_t files;   /* complete flow files found */
	uint64_t bytes; /* their size */
	size_t removed; /* removed (or, in a dry run, to remove) */
	uint64_t freed; /* their size */
	size_t dirs;    /* empty directories removed */
};

/*
 * Apply the limits at now (seconds UTC): a file goes when its interval
 * started more than max_age ago, then the oldest go until the total is at
 * most max_bytes. Only names flowfile_parse_name() accepts are considered.
 * Returns 0, or -1 with errno set when dir cannot be read (single files
 * that cannot be removed are logged and skipped).
 */
int expire_run(
    const struct expire_opts *o, uint64_t now, struct expire_result *res);

#endif
