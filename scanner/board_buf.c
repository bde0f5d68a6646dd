/*
 * The scoreboard's output buffer: a growing string with HTML, JSON and URL
 * escapers, SI-prefixed number formatting, and an atomic write to disk.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/afile.h"
#include "scanner/board_int.h"

void
board_buf_init(struct board_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void
board_buf_free(struct board_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

void
board_buf_reset(struct board_buf *b)
{
	b->len = 0;
	b->oom = 0;
	if (b->p)
		b->p[0] = '\0';
}

static int
board_buf_grow(struct board_buf *b, size_t more)
{
	size_t cap;
	char *p;

	if (b->oom)
		return -1;
	if (b->len + more + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + more + 1)
		cap *= 2;
	if ((p = realloc(b->p, cap)) == NULL) {
		b->oom = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

static void
board_buf_putn(struct board_buf *b, const char *s, size_t n)
{
	if (board_buf_grow(b, n) == -1)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
board_buf_puts(struct board_buf *b, const char *s)
{
	board_buf_putn(b, s, strlen(s));
}

void
board_buf_printf(struct board_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || board_buf_grow(b, (size_t)n) == -1)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
board_buf_html(struct board_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			board_buf_puts(b, "&amp;");
			break;
		case '<':
			board_buf_puts(b, "&lt;");
			break;
		case '>':
			board_buf_puts(b, "&gt;");
			break;
		case '"':
			board_buf_puts(b, "&quot;");
			break;
		case '\'':
			board_buf_puts(b, "&#39;");
			break;
		default:
			board_buf_putn(b, s, 1);
		}
	}
}

void
board_buf_json(struct board_buf *b, const char *s)
{
	board_buf_puts(b, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			board_buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			board_buf_printf(b, "\\u%04x", c);
		else if (c == '<' || c == '>' || c == '&')
			/* Safe even if the JSON is ever inlined in HTML. */
			board_buf_printf(b, "\\u%04x", c);
		else
			board_buf_putn(b, s, 1);
	}
	board_buf_puts(b, "\"");
}

void
board_buf_url(struct board_buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			board_buf_putn(b, s, 1);
		else
			board_buf_printf(b, "%%%02X", c);
	}
}

int
board_buf_write(const struct board_buf *b, const char *path)
{
	if (b->oom) {
		errno = ENOMEM;
		return -1;
	}
	return afile_write_all(path, b->p ? b->p : "", b->len, 0644);
}

char *
board_buf_si(double v, char *buf, size_t len)
{
	static const char up[] = " kMGTPE";
	static const char down[] = " mun";
	size_t i = 0;
	double a = v < 0 ? -v : v;

	if (a == 0) {
		snprintf(buf, len, "0.0");
		return buf;
	}
	if (a >= 999.95) {
		while (a >= 999.95 && i < sizeof(up) - 2) {
			v /= 1000;
			a /= 1000;
			i++;
		}
		snprintf(buf, len, "%.1f %c", v, up[i]);
	} else if (a < 0.95) {
		while (a < 0.95 && i < sizeof(down) - 2) {
			v *= 1000;
			a *= 1000;
			i++;
		}
		snprintf(buf, len, "%.1f %c", v, down[i]);
	} else
		snprintf(buf, len, "%.1f", v);
	return buf;
}

void
board_buf_sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			*s = '?';
}
