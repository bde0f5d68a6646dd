/*
 * Record formatting for flowtally-dump: aligned text, CSV (the columns
 * documented in docs/FLOWFILE.md, which csv import reads back) and JSON
 * Lines, one record per line into a caller buffer.
 */
#ifndef FT_TOOLS_DUMPFMT_H
#define FT_TOOLS_DUMPFMT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/flow.h"

enum dumpfmt_kind {
	DUMPFMT_TEXT,
	DUMPFMT_CSV,
	DUMPFMT_JSON,
};

/* The CSV columns, in output order. */
enum dumpfmt_col {
	DUMPFMT_FIRST,
	DUMPFMT_LAST,
	DUMPFMT_EXPORTER,
	DUMPFMT_SRC,
	DUMPFMT_DST,
	DUMPFMT_SPORT,
	DUMPFMT_DPORT,
	DUMPFMT_PROTO,
	DUMPFMT_TOS,
	DUMPFMT_TCP_FLAGS,
	DUMPFMT_PACKETS,
	DUMPFMT_BYTES,
	DUMPFMT_IN_IF,
	DUMPFMT_OUT_IF,
	DUMPFMT_SRC_AS,
	DUMPFMT_DST_AS,
	DUMPFMT_SAMPLING,
	DUMPFMT_NEXTHOP,
	DUMPFMT_SRC_MASK,
	DUMPFMT_DST_MASK,
	DUMPFMT_DIRECTION,
	DUMPFMT_VLAN,
	DUMPFMT_NCOLS
};

/* Enough for any formatted record line. */
#define DUMPFMT_LINE_MAX 1024

/* The name of CSV column c ("first", "src", ...). */
const char *dumpfmt_col_name(enum dumpfmt_col c);
/* Parse a --output name ("text", "csv", "json"): 0 or -1. */
int dumpfmt_parse_kind(const char *s, enum dumpfmt_kind *k);
/*
 * The header line of kind k with its newline (column titles; CSV names),
 * or "" for JSON. Returns buf.
 */
char *dumpfmt_header(enum dumpfmt_kind k, char *buf, size_t len);
/*
 * Format f as one line ending in a newline into buf. Returns the length,
 * or -1 if buf is too small (DUMPFMT_LINE_MAX always suffices).
 */
int dumpfmt_record(
    enum dumpfmt_kind k, const struct flow *f, char *buf, size_t len);
/*
 * A record time as CSV and text print it: "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC),
 * or "@<ms>" past the year 9999. Returns buf.
 */
char *dumpfmt_time(uint64_t ms, char *buf, size_t len);
/* Parse what dumpfmt_time() prints (or any tm_parse() time): 0 or -1. */
int dumpfmt_parse_time(const char *s, uint64_t *ms);
/* TCP flags as "CEUAPRSF" letters with '.' for clear bits (9 bytes). */
char *dumpfmt_tcp_flags(unsigned flags, char *buf, size_t len);

#endif
