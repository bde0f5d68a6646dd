/*
 * HTML output helpers: every string that did not come from a literal in
 * our code goes through html_puts() (text and attribute values alike).
 */
#ifndef FT_CGI_HTML_H
#define FT_CGI_HTML_H

#include <stdio.h>

/* Write s to fp with & < > " ' escaped as entities. */
void html_puts(FILE *fp, const char *s);
/* printf into fp, escaping the formatted result as html_puts() does. */
void html_printf(FILE *fp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * The page head and the opening of <body>: title escaped, dark selects the
 * dark theme, refresh > 0 adds a meta refresh of that many seconds.
 */
void html_head(FILE *fp, const char *title, int dark, int refresh);
/* Close <body> and <html>. */
void html_tail(FILE *fp);

#endif
