/*
 * Time helpers: wall and monotonic clocks in milliseconds, interval
 * alignment, and UTC ISO 8601 parsing and formatting into caller buffers.
 */
#ifndef FT_TMUTIL_H
#define FT_TMUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Wall clock, ms since the epoch (UTC). */
uint64_t tm_now_ms(void);
/* Monotonic clock, ms. */
uint64_t tm_mono_ms(void);
/* Monotonic clock, ns (pacing, rate estimates). */
uint64_t tm_mono_ns(void);
/* The start of the interval of length len (seconds) holding t (seconds). */
uint64_t tm_align(uint64_t t, uint64_t len);
/*
 * Format ms since the epoch as "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC). Returns buf.
 */
char *tm_format_iso_ms(uint64_t ms, char *buf, size_t len);
/*
 * Parse a UTC time: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.mmm]][Z]" (a space
 * may replace T), or "@SECONDS" since the epoch. Returns 0 with *ms set, or
 * -1.
 */
int tm_parse(const char *s, uint64_t *ms);
/* Parse a duration "300", "300s", "5m", "2h", "7d": 0 with *secs, or -1. */
int tm_parse_duration(const char *s, uint64_t *secs);

#endif
