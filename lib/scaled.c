/*
 * Numbers with a unit letter (scaled.h): one parser for the sizes and
 * durations of every configuration key and command-line flag.
 */
#include "lib/scaled.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int
scaled_parse(const char *s, const struct scaled_unit *units,
    const char *const *tails, uint64_t *out)
{
	unsigned long long v;
	uint64_t mul = 1;
	char *end;
	size_t i;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	if (*end != '\0') {
		for (i = 0; units[i].c != 0 && units[i].c != *end; i++)
			;
		if (units[i].c == 0)
			return -1;
		mul = units[i].mul;
		end++;
		for (i = 0; *end != '\0' && tails != NULL && tails[i] != NULL;
		     i++)
			if (strcmp(end, tails[i]) == 0)
				break;
		if (*end != '\0' && (tails == NULL || tails[i] == NULL))
			return -1;
	}
	if (v > UINT64_MAX / mul)
		return -1;
	*out = (uint64_t)v * mul;
	return 0;
}
