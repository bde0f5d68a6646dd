/*
 * Numbers with a unit letter, as configuration files and command lines
 * write sizes ("50M") and durations ("5m"): the digits, then at most one
 * unit from a caller's table, then one of the caller's allowed tails.
 */
#ifndef FT_SCALED_H
#define FT_SCALED_H

#include <stdint.h>

/* A unit letter and what it multiplies by; a table ends with c == 0. */
struct scaled_unit {
	char c;
	uint64_t mul;
};

/*
 * Parse s: decimal digits, then nothing, or a unit of units (its letter)
 * optionally followed by one of the strings of tails (NULL-terminated;
 * tails itself may be NULL). Returns 0 with *out = number * multiplier,
 * or -1 (not a number, an unknown unit or tail, or above UINT64_MAX).
 */
int scaled_parse(const char *s, const struct scaled_unit *units,
    const char *const *tails, uint64_t *out);

#endif
