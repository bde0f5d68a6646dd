/*
 * Time helpers: clocks in milliseconds, interval alignment, and strict UTC
 * ISO 8601 formatting and parsing without the TZ-dependent libc calls.
 */
#include "lib/tmutil.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/scaled.h"

uint64_t
tm_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t
tm_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t
tm_mono_ms(void)
{
	return tm_mono_ns() / 1000000;
}

uint64_t
tm_align(uint64_t t, uint64_t len)
{
	if (len == 0)
		return t;
	return t - t % len;
}

/*
 * Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil), valid for every year >= 1970 used here.
 */
static int64_t
tm_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* The inverse: a day count to year, month and day. */
static void
tm_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

char *
tm_format_iso_ms(uint64_t ms, char *buf, size_t len)
{
	uint64_t secs = ms / 1000, days = secs / 86400, sod = secs % 86400;
	int64_t y;
	unsigned m, d;

	if (len == 0)
		return buf;
	tm_civil_from_days((int64_t)days, &y, &m, &d);
	snprintf(buf, len, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ",
	    (long long)y, m, d, (unsigned)(sod / 3600),
	    (unsigned)(sod / 60 % 60), (unsigned)(sod % 60),
	    (unsigned)(ms % 1000));
	return buf;
}

/* Exactly n digits at *s, advancing it: 0 with *v, or -1. */
static int
tm_digits(const char **s, unsigned n, unsigned *v)
{
	unsigned i, x = 0;

	for (i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return -1;
		x = x * 10 + (unsigned)((*s)[i] - '0');
	}
	*s += n;
	*v = x;
	return 0;
}

static bool
tm_leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
tm_parse_epoch(const char *s, uint64_t *ms)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > UINT64_MAX / 1000)
		return -1;
	*ms = (uint64_t)v * 1000;
	return 0;
}

int
tm_parse(const char *s, uint64_t *ms)
{
	static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
		31, 30, 31 };
	unsigned y, mo, d, h = 0, mi = 0, sec = 0, frac = 0, dim;

	if (s == NULL)
		return -1;
	if (*s == '@')
		return tm_parse_epoch(s + 1, ms);
	if (tm_digits(&s, 4, &y) == -1 || *s++ != '-' ||
	    tm_digits(&s, 2, &mo) == -1 || *s++ != '-' ||
	    tm_digits(&s, 2, &d) == -1)
		return -1;
	if (*s == 'T' || *s == ' ') {
		s++;
		if (tm_digits(&s, 2, &h) == -1 || *s++ != ':' ||
		    tm_digits(&s, 2, &mi) == -1)
			return -1;
		if (*s == ':') {
			s++;
			if (tm_digits(&s, 2, &sec) == -1)
				return -1;
			if (*s == '.') {
				s++;
				if (tm_digits(&s, 3, &frac) == -1)
					return -1;
			}
		}
		if (*s == 'Z')
			s++;
	}
	if (*s != '\0')
		return -1;
	if (y < 1970 || mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 59)
		return -1;
	dim = mdays[mo - 1] + (mo == 2 && tm_leap(y));
	if (d < 1 || d > dim)
		return -1;
	*ms = ((uint64_t)tm_days_from_civil(y, mo, d) * 86400 + h * 3600 +
		  mi * 60 + sec) *
		1000 +
	    frac;
	return 0;
}

int
tm_parse_duration(const char *s, uint64_t *secs)
{
	static const struct scaled_unit units[] = { { 's', 1 }, { 'm', 60 },
		{ 'h', 3600 }, { 'd', 86400 }, { 0, 0 } };

	return scaled_parse(s, units, NULL, secs);
}
