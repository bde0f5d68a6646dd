/*
 * Find complete flow files for flowtally-dump: walk directory trees for
 * names flowfile_parse_name() accepts (never in-progress files) and sort
 * them by interval start.
 */
#ifndef FT_TOOLS_DUMPWALK_H
#define FT_TOOLS_DUMPWALK_H

#include <stddef.h>
#include <stdint.h>

#include "lib/errbuf.h"

struct dumpwalk_file {
	char *path;
	uint64_t start; /* interval start from the name, seconds UTC */
};

struct dumpwalk {
	struct dumpwalk_file *v;
	size_t n;
	size_t cap;
};

/* An empty list. */
void dumpwalk_init(struct dumpwalk *w);
/*
 * Append every complete flow file under dir (nested directories included,
 * dot entries and symbolic links skipped) whose start is below until_s.
 * Returns 0, or -1 with eb naming the directory.
 */
int dumpwalk_dir(
    struct dumpwalk *w, const char *dir, uint64_t until_s, struct errbuf *eb);
/* Sort by start, then path. */
void dumpwalk_sort(struct dumpwalk *w);
void dumpwalk_clear(struct dumpwalk *w);

#endif
