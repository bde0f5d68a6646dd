/*
 * The flowtally flow file: a header with the interval and per-exporter
 * counters, then records in checksummed, optionally compressed blocks.
 * docs/FLOWFILE.md documents the layout field by field; in short:
 *
 *   offset 0                                      all integers little-endian
 *   +---------------------------------------------------------------+
 *   | file header, 256 bytes: magic "\x89FTF\r\n\x1a\n", version,    |
 *   | flags (CLOSED), interval start/end (u64 s UTC), records,       |
 *   | blocks, exporter-table offset/count/CRC32C, created (u64 ms),  |
 *   | creator[32], host[64], header CRC32C (last 4 bytes)           |
 *   +---------------------------------------------------------------+
 *   | block 0: 32-byte block header                                 |
 *   |   magic "FTBK", records (u32), format (u8: 1 = v4 88-byte    |
 *   |   records, 2 = v6 136-byte records), codec (u8: 0 none,      |
 *   |   1 zstd rows, 2 zstd planes, 3 zstd sparse planes, 4 LZ4    |
 *   |   sparse planes), raw length (u32), stored length (u32),     |
 *   |   payload CRC32C (u32), header CRC32C (u32)                  |
 *   | payload: the records as rows, or compressed byte planes      |
 *   +---------------------------------------------------------------+
 *   | block 1 ... block N-1  (up to FLOWFILE_BLOCK_RECORDS records) |
 *   +---------------------------------------------------------------+
 *   | exporter table: n x 96-byte entries (struct flowfile_exporter)|
 *   +---------------------------------------------------------------+
 *
 * The writer writes the header with flags 0 at open, streams blocks, then
 * appends the exporter table and rewrites the header in place at close, so
 * a file whose header lacks FLOWFILE_F_CLOSED was never finished.
 *
 * Naming: a file being written is "<dir>/.ft-inprogress.<start>.<pid>" (a
 * dot name no complete-file glob or flowfile_parse_name() ever accepts);
 * on close it is renamed to "ft-YYYYMMDD-HHMMSSZ" (the interval start, UTC)
 * under optional YYYY/YYYY-MM/YYYY-MM-DD/ nesting. If that name is taken
 * (a collector restarted within one interval), "-1", "-2", ... is appended;
 * an existing file is never replaced.
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
#define FLOWFILE_VERSION       3    /* the format version written */
#define FLOWFILE_VERSION_MIN   1    /* the oldest version still read */
#define FLOWFILE_BLOCK_MAX     4096 /* records per block a reader accepts */
/*
 * Records per block the writer writes (the last block of a file may hold
 * fewer): 63 x 64, not 4096. With n records a block's byte planes lie n
 * bytes apart; at n = 4096 every plane starts at the same offset within a
 * 4 KiB page, so a 64-record chunk of all planes falls into one set of
 * the L1 cache and transposing thrashes it (37 ns a record to planes
 * against 4.4 at 4032; reading back 7.4 against 4.7; BENCHMARKS.md).
 */
#define FLOWFILE_BLOCK_RECORDS 4032
#define FLOWFILE_NAME_MAX      64 /* room for any complete base name */

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
	uint16_t version;    /* format version */
	uint64_t start;      /* interval start, seconds UTC */
	uint64_t end;        /* interval end, seconds UTC */
	char creator[32];    /* creating program */
	char host[64];       /* creating host */
	uint64_t records;    /* records written (as the writer counted) */
	uint64_t blocks;     /* blocks written */
	uint64_t created_ms; /* when the writer closed the file, ms UTC */
	bool closed;         /* false: the writer never finished the file */
	uint32_t n_exporters;
	struct flowfile_exporter *exporters; /* n_exporters of them */
};

/* How the writer stores blocks (docs/FLOWFILE.md, block codecs). */
enum flowfile_codec {
	FLOWFILE_CODEC_NONE = 0, /* records as rows (block codec 0) */
	FLOWFILE_CODEC_ZSTD = 1, /* sparse byte planes, zstd (codec 3) */
	FLOWFILE_CODEC_LZ4 = 2,  /* sparse byte planes, LZ4 (codec 4) */
};

struct flowfile_writer;

/*
 * A codec by its configuration name ("none", "zstd", "lz4"): 0 with *c
 * set, or -1 for any other name.
 */
int flowfile_codec_parse(const char *name, enum flowfile_codec *c);

/*
 * Options of a new file. nest is 0 (flat) or 3 (YYYY/YYYY-MM/YYYY-MM-DD/).
 * zstd_level applies when codec is FLOWFILE_CODEC_ZSTD (1..19, or the
 * fast levels -7..-1; anything else means 3). A block that the codec
 * would not make smaller is stored as rows. creator NULL means
 * "flowtally".
 */
struct flowfile_opts {
	enum flowfile_codec codec;
	int zstd_level;
	int nest;
	const char *creator;
};

/*
 * Start a file for the interval [start, end) under its in-progress name in
 * dir itself (dir must exist; nested directories are made at close). opts
 * may be NULL (no compression, flat). One writer per (dir, start) per
 * process: a second one fails with EEXIST. Returns 0 with *out set, or -1
 * with errno set.
 */
int flowfile_writer_open(const char *dir, uint64_t start, uint64_t end,
    const struct flowfile_opts *opts, struct flowfile_writer **out);
/*
 * Append n records (copied; a full block is compressed and written at
 * once): 0, or -1 with errno set (then abort the writer).
 */
int flowfile_write(
    struct flowfile_writer *w, const struct flow *flows, size_t n);
/*
 * Finish the file: flush the last block, write the header with the given
 * exporter counters (borrowed), fsync and publish it under its final name
 * (written to final_path when not NULL), never replacing an existing file.
 * The writer is freed in every case. Returns 0, or -1 with errno set: the
 * in-progress file is then removed, except when only the final directory
 * fsync failed (final_path is then set and the file stays published).
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
 * truncated header). Damage past the header (a truncated file, a corrupt
 * exporter table, a file never closed by its writer) does not fail the
 * open: flowfile_read() reports it once, then returns what is intact.
 */
int flowfile_open(
    const char *path, struct flowfile_reader **out, struct errbuf *eb);
/*
 * The same over len bytes at p (borrowed until flowfile_close()); name is
 * used in messages (may be NULL).
 */
int flowfile_open_mem(const void *p, size_t len, const char *name,
    struct flowfile_reader **out, struct errbuf *eb);
/* The header (owned by the reader). */
const struct flowfile_header *flowfile_header(const struct flowfile_reader *r);
/*
 * Read up to max (>= 1) records into out; a call never crosses a block
 * boundary. Returns the number read (0 at the end), or -1 when a block is
 * corrupt or truncated (or the file was damaged past its header): eb then
 * names the file and the byte offset, the block is skipped, and the next
 * call goes on with the next intact block.
 */
ssize_t flowfile_read(
    struct flowfile_reader *r, struct flow *out, size_t max, struct errbuf *eb);
/*
 * Records lost in corrupt or truncated blocks so far. After flowfile_read()
 * returned 0 this also counts records the header promised that no intact or
 * identifiable block held.
 */
uint64_t flowfile_lost(const struct flowfile_reader *r);
/* Whether any damage was reported so far. */
bool flowfile_damaged(const struct flowfile_reader *r);
/* The name used in messages (the path). */
const char *flowfile_name(const struct flowfile_reader *r);
/* Close and free; NULL does nothing. */
void flowfile_close(struct flowfile_reader *r);

/*
 * If name (a base name) is a complete flow file's name
 * ("ft-YYYYMMDD-HHMMSSZ", optionally followed by "-N"), return true and set
 * *start to its interval start (seconds UTC). In-progress names never match.
 */
bool flowfile_parse_name(const char *name, uint64_t *start);
/*
 * The final path of the file for start under dir with nesting nest (without
 * any "-N" suffix). Returns 0, or -1 when it does not fit in len.
 */
int flowfile_final_path(
    const char *dir, uint64_t start, int nest, char *buf, size_t len);
/* The base name for start ("ft-YYYYMMDD-HHMMSSZ"): 0, or -1 if too long. */
int flowfile_format_name(uint64_t start, char *buf, size_t len);

#endif
