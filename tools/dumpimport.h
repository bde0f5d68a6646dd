/*
 * The inverse of `flowtally-dump -o csv`: build a flow file from CSV with
 * the documented column names (any order, any subset; missing columns are
 * zero or no address), so tests and demos can make flow files from text.
 */
#ifndef FT_TOOLS_DUMPIMPORT_H
#define FT_TOOLS_DUMPIMPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/errbuf.h"
#include "lib/flowfile.h"

struct dumpimport_opts {
	uint64_t start_s; /* the file's interval, seconds UTC */
	uint64_t end_s;
	enum flowfile_codec codec;
	int nest; /* 0 or 3, as struct flowfile_opts */
};

/*
 * Read CSV from fp (name is used in messages) and publish one flow file in
 * outdir; its path goes to path. The header counts flows per exporter
 * address seen. Returns 0, or -1 with eb naming the input line and column
 * (no file is left behind).
 */
int dumpimport_csv(FILE *fp, const char *name, const char *outdir,
    const struct dumpimport_opts *o, char *path, size_t len, struct errbuf *eb);

#endif
