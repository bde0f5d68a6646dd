/*
 * CGI responses: status line, headers (type, length, caching, security)
 * and body on stdout, plus the interval arithmetic behind the caching
 * headers (a graph changes once per scanner interval).
 */
#ifndef FT_CGI_HTTP_H
#define FT_CGI_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Caching of one response; a zero field is left out. */
struct http_cache {
	time_t last_modified;
	time_t expires;
	bool no_store; /* Cache-Control: no-store instead of max-age */
};

/*
 * The moment the next interval's data should be in: the smallest
 * k * interval + delay that is after now.
 */
time_t http_next_update(time_t now, int interval, int delay);
/* Format t as an RFC 7231 date into buf (at least 32 bytes). */
void http_date(time_t t, char *buf, size_t len);
/*
 * True when the If-Modified-Since value ims (may be NULL) is a valid date
 * no older than last_modified.
 */
bool http_not_modified(const char *ims, time_t last_modified);
/*
 * Write a complete response to stdout: status, Content-Type, the caching
 * headers against now, Content-Length and, unless head, the body.
 */
void http_send(int status, const char *type, const struct http_cache *cache,
    time_t now, const void *body, size_t len, bool head);

#endif
