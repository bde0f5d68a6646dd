/*
 * HTML escaping and the shared page frame (head, style sheet, tail) for
 * the menu, dashboards and error pages.
 */
#include "cgi/html.h"

#include <stdarg.h>
#include <stdlib.h>

void
html_puts(FILE *fp, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&#39;", fp);
			break;
		default:
			fputc(*s, fp);
		}
	}
}

void
html_printf(FILE *fp, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	html_puts(fp, buf);
}

static const char html_style[] =
    "body{font-family:sans-serif;margin:1em;background:#fff;color:#222}"
    "h1{font-size:1.4em;margin:0 0 .5em}"
    "fieldset{border:1px solid #ccc;margin:.5em 0;padding:.5em}"
    "legend{font-weight:bold}"
    ".items{display:flex;flex-wrap:wrap;gap:.3em 1em}"
    "select{min-width:9em}"
    "label{white-space:nowrap;margin-right:1em}"
    ".graphs img{margin:.3em;border:1px solid #ddd;max-width:100%}"
    ".nav a{margin-right:1em}"
    ".err{color:#a00;font-weight:bold}"
    "body.dark{background:#111;color:#ddd;margin:.3em}"
    "body.dark a{color:#8cf}"
    "body.dark h1{font-size:1.2em}"
    ".grid{display:grid;gap:6px}"
    ".grid img{width:100%;height:auto;border:0}"
    ".grid .tile{background:#1b1b1b;padding:2px}"
    ".grid .tile.err{color:#f66;padding:1em}"
    "iframe.board{width:100%;height:60vh;border:0;background:#fff;"
    "margin-top:6px}";

void
html_head(FILE *fp, const char *title, int dark, int refresh)
{
	fputs(
	    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width\">",
	    fp);
	if (refresh > 0)
		fprintf(fp, "<meta http-equiv=\"refresh\" content=\"%d\">",
		    refresh);
	fputs("<title>", fp);
	html_puts(fp, title);
	fprintf(fp, "</title><style>%s</style></head>\n<body%s>\n", html_style,
	    dark ? " class=\"dark\"" : "");
}

void
html_tail(FILE *fp)
{
	fputs("</body></html>\n", fp);
}
