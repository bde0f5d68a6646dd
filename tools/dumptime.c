/*
 * UTC time text for flowtally-dump without the C library's time zone
 * machinery: calendar arithmetic on days since the epoch, so output never
 * depends on TZ or DST.
 */
#include "tools/dumptime.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define DT_MAX_MS 253402300799999ULL /* 9999-12-31T23:59:59.999Z */

/* Howard Hinnant's civil-from-days and days-from-civil. */
static void
dumptime_civil(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t
dumptime_days(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

char *
dumptime_format_ms(uint64_t ms, char *buf, size_t len)
{
	uint64_t s = ms / 1000, sod;
	int y, m, d;

	if (ms > DT_MAX_MS) {
		snprintf(buf, len, "@%llu", (unsigned long long)ms);
		return buf;
	}
	dumptime_civil((int64_t)(s / 86400), &y, &m, &d);
	sod = s % 86400;
	snprintf(buf, len, "%04d-%02d-%02dT%02u:%02u:%02u.%03uZ", y, m, d,
	    (unsigned)(sod / 3600), (unsigned)(sod / 60 % 60),
	    (unsigned)(sod % 60), (unsigned)(ms % 1000));
	return buf;
}

/* Exactly n digits at *p, advancing it. */
static bool
dumptime_num(const char **p, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return false;
		*v = *v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return true;
}

/* "@N" as a plain decimal without overflow. */
static int
dumptime_at(const char *s, uint64_t mult, uint64_t *ms)
{
	uint64_t v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v > UINT64_MAX / mult)
		return -1;
	*ms = v * mult;
	return 0;
}

static int
dumptime_parse_common(const char *s, uint64_t at_mult, uint64_t *ms)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };
	int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0;
	const char *p = s;

	if (*p == '@')
		return dumptime_at(p + 1, at_mult, ms);
	if (!dumptime_num(&p, 4, &y) || *p++ != '-' ||
	    !dumptime_num(&p, 2, &mo) || *p++ != '-' ||
	    !dumptime_num(&p, 2, &d))
		return -1;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (!dumptime_num(&p, 2, &h) || *p++ != ':' ||
		    !dumptime_num(&p, 2, &mi))
			return -1;
		if (*p == ':') {
			p++;
			if (!dumptime_num(&p, 2, &sec))
				return -1;
			if (*p == '.') {
				p++;
				if (!dumptime_num(&p, 3, &frac))
					return -1;
			}
		}
		if (*p == 'Z')
			p++;
	}
	if (*p != '\0' || y < 1970 || mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo - 1] || h > 23 || mi > 59 || sec > 59)
		return -1;
	if (mo == 2 && d == 29 &&
	    !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return -1;
	*ms = ((uint64_t)dumptime_days(y, mo, d) * 86400 + (uint64_t)h * 3600 +
		  (uint64_t)mi * 60 + (uint64_t)sec) *
		1000 +
	    (uint64_t)frac;
	return 0;
}

int
dumptime_parse(const char *s, uint64_t *ms)
{
	return dumptime_parse_common(s, 1000, ms);
}

int
dumptime_parse_ms(const char *s, uint64_t *ms)
{
	return dumptime_parse_common(s, 1, ms);
}
