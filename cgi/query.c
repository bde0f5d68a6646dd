/*
 * QUERY_STRING parsing for flowtally.cgi: a fixed table of keys, each with
 * a value grammar. Everything not in the table, repeated, oversized or
 * outside its grammar is refused with a message that never echoes request
 * bytes, so it can go into an HTML page or an image unescaped-safe.
 */
#include "cgi/query.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct query_period query_periods[] = {
	{ "1h", "1 hour", 3600 },
	{ "6h", "6 hours", 6 * 3600 },
	{ "12h", "12 hours", 12 * 3600 },
	{ "1d", "24 hours", 86400 },
	{ "36h", "36 hours", 36 * 3600 },
	{ "2d", "48 hours", 2 * 86400 },
	{ "1w", "1 week", 7 * 86400 },
	{ "1m", "1 month", 31 * 86400 },
	{ "3m", "3 months", 92 * 86400 },
	{ "1y", "1 year", 366 * 86400 },
	{ NULL, NULL, 0 },
};

enum query_key {
	K_PAGE,
	K_REPORT,
	K_FORMAT,
	K_PERIOD,
	K_START,
	K_END,
	K_WIDTH,
	K_HEIGHT,
	K_LEGEND,
	K_P95,
	K_UNITS,
	K_MODE,
	K_THEME,
	K_KIOSK,
	K_DASH,
	K_ITEM,
	K_ALL,
	K_NETWORK,
	K_COUNT
};

static const char *const query_keys[K_COUNT] = {
	[K_PAGE] = "page",
	[K_REPORT] = "report",
	[K_FORMAT] = "format",
	[K_PERIOD] = "period",
	[K_START] = "start",
	[K_END] = "end",
	[K_WIDTH] = "width",
	[K_HEIGHT] = "height",
	[K_LEGEND] = "legend",
	[K_P95] = "p95",
	[K_UNITS] = "units",
	[K_MODE] = "mode",
	[K_THEME] = "theme",
	[K_KIOSK] = "kiosk",
	[K_DASH] = "dash",
	[K_ITEM] = "item",
	[K_ALL] = "all",
	[K_NETWORK] = "network",
};

void
query_init(struct query *q)
{
	memset(q, 0, sizeof(*q));
	q->legend = -1;
	q->p95 = -1;
}

const struct query_period *
query_period_find(const char *name)
{
	const struct query_period *p;

	for (p = query_periods; p->name != NULL; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

bool
query_name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > QUERY_MAX_VALUE || !isalnum((unsigned char)s[0]))
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!(isalnum(c) || c == '_' || c == '-' || c == '.'))
			return false;
	}
	return strstr(s, "..") == NULL;
}

static int
query_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode one form-urlencoded token of n bytes into out (size QUERY_MAX_VALUE
 * + 1). Refuses bad escapes, oversize, and any decoded control byte (NUL,
 * newline, DEL...) or non-ASCII byte. Returns 0 or -1.
 */
static int
query_decode(const char *s, size_t n, char *out, const char **why)
{
	size_t i, o = 0;
	int hi, lo, c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '+')
			c = ' ';
		else if (c == '%') {
			if (i + 2 >= n) {
				*why = "a bad %-escape";
				return -1;
			}
			hi = query_hex((unsigned char)s[i + 1]);
			lo = query_hex((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0) {
				*why = "a bad %-escape";
				return -1;
			}
			c = hi * 16 + lo;
			i += 2;
		}
		if (c < 0x20 || c >= 0x7f) {
			*why = "a control or non-ASCII byte";
			return -1;
		}
		if (o >= QUERY_MAX_VALUE) {
			*why = "an oversized value";
			return -1;
		}
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

/* Strict decimal in lo..hi. */
static int
query_int(const char *s, long long lo, long long hi, long long *out)
{
	long long v = 0;
	size_t i, n = strlen(s);

	if (n == 0 || n > 12)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long long
query_days(long long y, long long m, long long d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
query_digits(const char *s, size_t n, long long *out)
{
	long long v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/*
 * A time: epoch seconds, or UTC "YYYY-MM-DD", "YYYY-MM-DDTHH:MM" or
 * "YYYY-MM-DDTHH:MM:SS" (what an HTML datetime-local input sends). The
 * result is a number; the text is never reused.
 */
static int
query_time(const char *s, long long *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };
	long long y, mo, d, h = 0, mi = 0, sec = 0, t;
	size_t n = strlen(s);

	if (n > 0 && strspn(s, "0123456789") == n)
		return query_int(s, QUERY_TIME_MIN, QUERY_TIME_MAX, out);
	if (n != 10 && n != 16 && n != 19)
		return -1;
	if (query_digits(s, 4, &y) == -1 || s[4] != '-' ||
	    query_digits(s + 5, 2, &mo) == -1 || s[7] != '-' ||
	    query_digits(s + 8, 2, &d) == -1)
		return -1;
	if (n >= 16 &&
	    ((s[10] != 'T' && s[10] != ' ') ||
		query_digits(s + 11, 2, &h) == -1 || s[13] != ':' ||
		query_digits(s + 14, 2, &mi) == -1))
		return -1;
	if (n == 19 && (s[16] != ':' || query_digits(s + 17, 2, &sec) == -1))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
	    mi > 59 || sec > 59)
		return -1;
	t = query_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	if (t < QUERY_TIME_MIN || t > QUERY_TIME_MAX)
		return -1;
	*out = t;
	return 0;
}

static int
query_bool(const char *v, int *out)
{
	if (strcmp(v, "1") == 0 || strcmp(v, "on") == 0)
		*out = 1;
	else if (strcmp(v, "0") == 0 || strcmp(v, "off") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

/* Apply one decoded key=value; -1 when the value is outside its grammar. */
static int
query_apply(struct query *q, enum query_key k, const char *v)
{
	const struct query_period *p;
	long long n;
	int b;

	switch (k) {
	case K_PAGE:
		if (strcmp(v, "menu") == 0)
			q->page = QUERY_PAGE_MENU;
		else if (strcmp(v, "show") == 0)
			q->page = QUERY_PAGE_SHOW;
		else if (strcmp(v, "graph") == 0)
			q->page = QUERY_PAGE_GRAPH;
		else if (strcmp(v, "dash") == 0)
			q->page = QUERY_PAGE_DASH;
		else
			return -1;
		return 0;
	case K_REPORT:
		if (strcmp(v, "bits") == 0)
			q->report = QUERY_REPORT_BITS;
		else if (strcmp(v, "packets") == 0 || strcmp(v, "pkts") == 0)
			q->report = QUERY_REPORT_PACKETS;
		else if (strcmp(v, "flows") == 0)
			q->report = QUERY_REPORT_FLOWS;
		else
			return -1;
		return 0;
	case K_FORMAT:
		if (strcmp(v, "png") == 0)
			q->format = QUERY_FORMAT_PNG;
		else if (strcmp(v, "svg") == 0)
			q->format = QUERY_FORMAT_SVG;
		else
			return -1;
		return 0;
	case K_PERIOD:
		if ((p = query_period_find(v)) == NULL)
			return -1;
		q->period = p->seconds;
		return 0;
	case K_START:
	case K_END:
		if (*v == '\0') /* an empty form field: not given */
			return 0;
		if (query_time(v, &n) == -1)
			return -1;
		if (k == K_START)
			q->start = n;
		else
			q->end = n;
		return 0;
	case K_WIDTH:
		if (query_int(v, QUERY_WIDTH_MIN, QUERY_WIDTH_MAX, &n) == -1)
			return -1;
		q->width = (int)n;
		return 0;
	case K_HEIGHT:
		if (query_int(v, QUERY_HEIGHT_MIN, QUERY_HEIGHT_MAX, &n) == -1)
			return -1;
		q->height = (int)n;
		return 0;
	case K_LEGEND:
		return query_bool(v, &q->legend);
	case K_P95:
		return query_bool(v, &q->p95);
	case K_KIOSK:
		if (query_bool(v, &b) == -1)
			return -1;
		q->kiosk = b;
		return 0;
	case K_UNITS:
		if (strcmp(v, "si") == 0)
			q->units = 1;
		else if (strcmp(v, "iec") == 0)
			q->units = 2;
		else
			return -1;
		return 0;
	case K_MODE:
		if (strcmp(v, "stack") == 0)
			q->each = false;
		else if (strcmp(v, "each") == 0)
			q->each = true;
		else
			return -1;
		return 0;
	case K_THEME:
		if (strcmp(v, "light") == 0)
			q->dark = false;
		else if (strcmp(v, "dark") == 0)
			q->dark = true;
		else
			return -1;
		return 0;
	case K_DASH:
		if (!query_name_ok(v))
			return -1;
		strcpy(q->dash, v); /* length checked by query_name_ok */
		return 0;
	case K_ITEM:
	case K_ALL:
		if (!query_name_ok(v))
			return -1;
		q->items[q->nitems].all = k == K_ALL;
		strcpy(q->items[q->nitems].id, v);
		q->nitems++;
		return 0;
	case K_NETWORK:
		/* The scoreboard's links: "network=LABEL" is item
		 * network_LABEL. */
		if (!query_name_ok(v) || strlen(v) + 8 > QUERY_MAX_VALUE)
			return -1;
		q->items[q->nitems].all = false;
		snprintf(q->items[q->nitems].id, sizeof(q->items[0].id),
		    "network_%s", v);
		q->nitems++;
		return 0;
	case K_COUNT:
		break;
	}
	return -1;
}

int
query_parse(const char *qs, struct query *q, struct errbuf *eb)
{
	char key[QUERY_MAX_VALUE + 1], val[QUERY_MAX_VALUE + 1];
	unsigned seen = 0;
	size_t len, nparams = 0, klen, tlen;
	const char *p, *amp, *eq, *why;
	int k;

	query_init(q);
	if (qs == NULL || *qs == '\0')
		return 0;
	if ((len = strlen(qs)) > QUERY_MAX_LEN) {
		errbuf_set(eb, "the query string is longer than %d bytes",
		    QUERY_MAX_LEN);
		return -1;
	}
	for (p = qs; p < qs + len; p = amp + 1) {
		if ((amp = strchr(p, '&')) == NULL)
			amp = qs + len;
		tlen = (size_t)(amp - p);
		if (tlen == 0)
			continue; /* "a=1&&b=2": tolerated */
		if (++nparams > QUERY_MAX_PARAMS) {
			errbuf_set(
			    eb, "more than %d parameters", QUERY_MAX_PARAMS);
			return -1;
		}
		eq = memchr(p, '=', tlen);
		klen = eq != NULL ? (size_t)(eq - p) : tlen;
		if (query_decode(p, klen, key, &why) == -1) {
			errbuf_set(eb, "a parameter name holds %s", why);
			return -1;
		}
		for (k = 0; k < K_COUNT; k++)
			if (strcmp(key, query_keys[k]) == 0)
				break;
		if (k == K_COUNT) {
			errbuf_set(eb, "unknown parameter");
			return -1;
		}
		if (eq == NULL) {
			errbuf_set(
			    eb, "parameter '%s' has no value", query_keys[k]);
			return -1;
		}
		if (query_decode(eq + 1, tlen - klen - 1, val, &why) == -1) {
			errbuf_set(
			    eb, "parameter '%s' holds %s", query_keys[k], why);
			return -1;
		}
		if (k == K_ITEM || k == K_ALL || k == K_NETWORK) {
			if (*val == '\0')
				continue; /* an empty select */
			if (q->nitems >= QUERY_MAX_ITEMS) {
				errbuf_set(
				    eb, "more than %d items", QUERY_MAX_ITEMS);
				return -1;
			}
		} else if (seen & (1u << k)) {
			errbuf_set(
			    eb, "parameter '%s' is repeated", query_keys[k]);
			return -1;
		}
		seen |= 1u << k;
		if (query_apply(q, (enum query_key)k, val) == -1) {
			errbuf_set(eb, "parameter '%s' has an invalid value",
			    query_keys[k]);
			return -1;
		}
	}
	if (q->start != 0 && q->end != 0 && q->start >= q->end) {
		errbuf_set(eb, "start must be before end");
		return -1;
	}
	if (q->page == QUERY_PAGE_MENU && (seen & ~(1u << K_PAGE)) != 0 &&
	    !(seen & (1u << K_PAGE)))
		q->page = QUERY_PAGE_SHOW; /* parameters without a page */
	if (q->page == QUERY_PAGE_DASH && q->dash[0] == '\0') {
		errbuf_set(eb, "parameter 'dash' is missing");
		return -1;
	}
	return 0;
}

bool
query_wants_image(const char *qs)
{
	const char *p;
	size_t n = strlen("page=graph");

	if (qs == NULL)
		return false;
	for (p = qs; (p = strstr(p, "page=graph")) != NULL; p += n)
		if ((p == qs || p[-1] == '&') && (p[n] == '&' || p[n] == '\0'))
			return true;
	return false;
}

/* Append with snprintf semantics; returns -1 once buf is full. */
static int query_cat(char *buf, size_t len, size_t *off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
query_cat(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= len)
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len - *off)
		return -1;
	*off += (size_t)n;
	return 0;
}

int
query_format(const struct query *q, enum query_page page, const char *only,
    char *buf, size_t len)
{
	static const char *const pages[] = { "menu", "show", "graph", "dash" };
	static const char *const reports[] = { "bits", "packets", "flows" };
	const struct query_period *p;
	size_t off = 0, i;
	int r = 0;

	r |= query_cat(buf, len, &off, "page=%s", pages[page]);
	r |= query_cat(buf, len, &off, "&report=%s", reports[q->report]);
	if (q->format == QUERY_FORMAT_SVG)
		r |= query_cat(buf, len, &off, "&format=svg");
	for (p = query_periods; p->name != NULL; p++)
		if (p->seconds == q->period)
			r |= query_cat(buf, len, &off, "&period=%s", p->name);
	if (q->start != 0)
		r |= query_cat(
		    buf, len, &off, "&start=%lld", (long long)q->start);
	if (q->end != 0)
		r |= query_cat(buf, len, &off, "&end=%lld", (long long)q->end);
	if (q->width != 0)
		r |= query_cat(buf, len, &off, "&width=%d", q->width);
	if (q->height != 0)
		r |= query_cat(buf, len, &off, "&height=%d", q->height);
	if (q->legend >= 0)
		r |= query_cat(buf, len, &off, "&legend=%d", q->legend);
	if (q->p95 >= 0)
		r |= query_cat(buf, len, &off, "&p95=%d", q->p95);
	if (q->units != 0)
		r |= query_cat(
		    buf, len, &off, "&units=%s", q->units == 2 ? "iec" : "si");
	if (q->each && page != QUERY_PAGE_GRAPH)
		r |= query_cat(buf, len, &off, "&mode=each");
	if (q->dark)
		r |= query_cat(buf, len, &off, "&theme=dark");
	if (q->kiosk)
		r |= query_cat(buf, len, &off, "&kiosk=1");
	if (q->dash[0] != '\0')
		r |= query_cat(buf, len, &off, "&dash=%s", q->dash);
	if (only != NULL)
		r |= query_cat(buf, len, &off, "&item=%s", only);
	for (i = 0; only == NULL && i < q->nitems; i++)
		r |= query_cat(buf, len, &off, "&%s=%s",
		    q->items[i].all ? "all" : "item", q->items[i].id);
	return r == 0 ? 0 : -1;
}
