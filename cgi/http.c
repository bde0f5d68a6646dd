/*
 * CGI response writing and HTTP dates. Everything goes to stdout in one
 * write after the headers, so a failed render never leaves half a page.
 */
#include "cgi/http.h"

#include <stdio.h>
#include <string.h>

time_t
http_next_update(time_t now, int interval, int delay)
{
	time_t b;

	if (interval <= 0)
		interval = 300;
	b = now - now % interval + delay;
	while (b <= now)
		b += interval;
	return b;
}

void
http_date(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

bool
http_not_modified(const char *ims, time_t last_modified)
{
	struct tm tm;
	const char *end;
	time_t t;

	if (ims == NULL || last_modified == 0)
		return false;
	memset(&tm, 0, sizeof(tm));
	end = strptime(ims, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (end == NULL || *end != '\0')
		return false;
	t = timegm(&tm);
	return t != (time_t)-1 && t >= last_modified;
}

static const char *
http_reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 304:
		return "Not Modified";
	case 400:
		return "Bad Request";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	default:
		return "Internal Server Error";
	}
}

void
http_send(int status, const char *type, const struct http_cache *cache,
    time_t now, const void *body, size_t len, bool head)
{
	char date[64];
	long age;

	printf("Status: %d %s\r\n", status, http_reason(status));
	if (status != 304)
		printf("Content-Type: %s\r\n", type);
	printf("X-Content-Type-Options: nosniff\r\n");
	if (strncmp(type, "text/html", 9) == 0)
		printf("Content-Security-Policy: default-src 'self'; "
		       "style-src 'unsafe-inline'; img-src 'self' data:; "
		       "frame-src *; script-src 'none'; "
		       "frame-ancestors 'self'\r\n");
	if (status == 405)
		printf("Allow: GET, HEAD\r\n");
	if (cache == NULL || cache->no_store) {
		printf("Cache-Control: no-store\r\n");
	} else {
		if (cache->last_modified != 0) {
			http_date(cache->last_modified, date, sizeof(date));
			printf("Last-Modified: %s\r\n", date);
		}
		if (cache->expires != 0) {
			http_date(cache->expires, date, sizeof(date));
			printf("Expires: %s\r\n", date);
			age = cache->expires > now
			    ? (long)(cache->expires - now)
			    : 0;
			printf("Cache-Control: public, max-age=%ld\r\n", age);
		}
	}
	if (status != 304)
		printf("Content-Length: %zu\r\n", len);
	printf("\r\n");
	if (!head && status != 304 && len > 0)
		fwrite(body, 1, len, stdout);
	fflush(stdout);
}
