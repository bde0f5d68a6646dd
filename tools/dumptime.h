/*
 * Time text for flowtally-dump: UTC ISO 8601 with milliseconds out, and the
 * tm_parse() grammar in. Local until lib/tmutil.c lands on main; the same
 * contracts as tm_format_iso_ms() and tm_parse() in lib/tmutil.h.
 */
#ifndef FT_TOOLS_DUMPTIME_H
#define FT_TOOLS_DUMPTIME_H

#include <stddef.h>
#include <stdint.h>

/*
 * "YYYY-MM-DDTHH:MM:SS.mmmZ" for ms since the epoch; times past year 9999
 * print as "@<ms>" (which dumptime_parse_ms() reads back). Returns buf.
 */
char *dumptime_format_ms(uint64_t ms, char *buf, size_t len);
/*
 * Parse "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.mmm]][Z]" (a space may replace
 * T) or "@SECONDS": 0 with *ms set, or -1.
 */
int dumptime_parse(const char *s, uint64_t *ms);
/* Like dumptime_parse(), but "@N" is N milliseconds (the CSV form). */
int dumptime_parse_ms(const char *s, uint64_t *ms);

#endif
