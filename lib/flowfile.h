/*
 * The flowtally flow file: a header with the interval and per-exporter
 * counters, then records in checksummed, optionally zstd-compressed blocks.
 * The exact byte layout is documented (with a diagram) in docs/FLOWFILE.md.
 *
 * Naming: a file being written is "<dir>/.ft-inprogress.<start>.<pid>" (a
 * dot name no complete-file glob or flowfile_parse_name() ever accepts);
 * on close it is renamed to "ft-YYYYMMDD-HHMMSSZ" (the interval start, UTC)
 * under optional YYYY/YYYY-MM/YYYY-MM-DD/ nesting.
 */
#ifndef FT_FLOWFILE_H
#define FT_FLOWFILE_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/errbuf.h"
#include "lib/flow.h"

#define FLOWFILE_MAX_EXPORTERS 1024
#define FLOWFILE_PREFIX        "ft-"

/* Counters for one exporter over the file's interval. */
struct flowfile_exporter {
	struct ft_addr addr;
	uint16_t port;
	uint16_t version;         /* last NetFlow version seen: 5, 9, 10 */
	uint32_t domain;          /* v9 source id / IPFIX domain, v5 engine */
	uint32_t sampling;        /* last applied rate; 0 = unknown */
	uint32_t flags;           /* FLOWFILE_EXP_* */
	uint64_t packets;         /* export packets accepted */
	uint64_t flows;           /* flow records stored */
	uint64_t lost_flows;      /* by sequence gaps */
	uint64_t malformed;       /* packets rejected as malformed */
	uint64_t sequence_resets; /* exporter restarts seen */
	int64_t clock_skew_ms;    /* export time minus arrival, last seen */
};

#define FLOWFILE_EXP_SAMPLING_UNKNOWN  0x1 /* sampled, rate not known */
#define FLOWFILE_EXP_SAMPLING_OVERRIDE 0x2 /* rate from the config */

/* What the header says. */
struct flowfile_header {
	uint16_t version; /* format version */
	uint64_t start;   /* interval start, seconds UTC */
	uint64_t end;     /* interval end, seconds UTC */
	char creator[32]; /* creating program */
	char host[64];    /* creating host */
	uint64_t records; /* records written (as the writer counted) */
	uint32_t n_exporters;
	struct flowfile_exporter *exporters; /* n_exporters of them */
};

enum flowfile_codec {
	FLOWFILE_CODEC_NONE = 0,
	FLOWFILE_CODEC_ZSTD = 1,
};

struct flowfile_writer;

/*
 * Options of a new file. nest is 0 (flat) or 3 (YYYY/YYYY-MM/YYYY-MM-DD/).
 * zstd_level applies when codec is FLOWFILE_CODEC_ZSTD (1..19).
 */
struct flowfile_opts {
	enum flowfile_codec codec;
	int zstd_level;
	int nest;
	const char *creator;
};

/*
 * Start a file for the interval [start, end) in dir under its in-progress
 * name. Returns 0 with *out set, or -1 with errno set.
 */
int flowfile_writer_open(const char *dir, uint64_t start, uint64_t end,
    const struct flowfile_opts *opts, struct flowfile_writer **out);
/* Append n records (buffered in blocks): 0, or -1 with errno set. */
int flowfile_write(
    struct flowfile_writer *w, const struct flow *flows, size_t n);
/*
 * Finish the file: flush the last block, write the header with the given
 * exporter counters (borrowed), fsync and publish it under its final name
 * (written to final_path when not NULL). The writer is freed in every case.
 * Returns 0, or -1 with errno set (the in-progress file is then removed).
 */
int flowfile_writer_close(struct flowfile_writer *w,
    const struct flowfile_exporter *exp, size_t n_exp, char *final_path,
    size_t len);
/* Discard the file and free the writer. */
void flowfile_writer_abort(struct flowfile_writer *w);

struct flowfile_reader;

/*
 * Open a complete file and validate its header. Returns 0 with *out set, or
 * -1 with eb naming the file and what is wrong (bad magic, unknown version,
 * truncated header).
 */
int flowfile_open(
    const char *path, struct flowfile_reader **out, struct errbuf *eb);
/* The header (owned by the reader). */
const struct flowfile_header *flowfile_header(const struct flowfile_reader *r);
/*
 * Read up to max records into out. Returns the number read (0 at the end),
 * or -1 when a block is corrupt or truncated: eb then names the file and the
 * byte offset, the block is skipped, and reading may go on with the next
 * intact block.
 */
ssize_t flowfile_read(
    struct flowfile_reader *r, struct flow *out, size_t max, struct errbuf *eb);
/* Records lost in corrupt or truncated blocks so far. */
uint64_t flowfile_lost(const struct flowfile_reader *r);
void flowfile_close(struct flowfile_reader *r);

/*
 * If name (a base name) is a complete flow file's name, return true and set
 * *start to its interval start (seconds UTC). In-progress names never match.
 */
bool flowfile_parse_name(const char *name, uint64_t *start);
/* The final path of the file for start under dir with nesting nest. */
int flowfile_final_path(
    const char *dir, uint64_t start, int nest, char *buf, size_t len);

#endif
