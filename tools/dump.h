/*
 * flowtally-dump's printer: reads flow files with lib/flowfile and prints
 * their records (text, CSV, JSON Lines) or their header counters (--stats),
 * filtered by time, salvaging what damaged files still hold.
 */
#ifndef FT_TOOLS_DUMP_H
#define FT_TOOLS_DUMP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/flow.h"
#include "tools/dumpfmt.h"

struct dump_opts {
	enum dumpfmt_kind kind;
	bool stats;        /* header counters and totals instead of records */
	uint64_t since_ms; /* keep records with last >= since */
	uint64_t until_ms; /* and first < until (UINT64_MAX: no limit) */
};

struct dump_totals {
	uint64_t files;
	uint64_t records;
	uint64_t packets;
	uint64_t bytes;
	uint64_t lost;
	uint64_t damaged; /* files with damage or unreadable */
};

struct dump {
	struct dump_opts o;
	FILE *out;
	bool header_done;
	struct dump_totals tot;
	struct flow *buf;
};

/* Start printing to out (borrowed): 0, or -1 (out of memory). */
int dump_init(struct dump *d, const struct dump_opts *o, FILE *out);
/*
 * Whether a file whose interval is [start_s, end_s) can hold records in
 * the time window (end_s 0: unknown).
 */
bool dump_wanted(const struct dump *d, uint64_t start_s, uint64_t end_s);
/*
 * Print one file. Damage is reported on stderr naming the file and byte
 * offset, after printing every intact record. Returns 0, or -1 if the file
 * could not be read or was damaged.
 */
int dump_file(struct dump *d, const char *path);
/* With --stats, print the totals. Returns 0, or -1 on an output error. */
int dump_finish(struct dump *d);
void dump_clear(struct dump *d);

#endif
