/*
 * The scoreboard history: one page per interval under
 * dir/history/YYYY/YYYY-MM-DD/HHMMSSZ.html (UTC, no characters that trouble
 * web servers or Windows shares), a day index and a history index (HTML and
 * JSON), and removal of days older than the retention.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "scanner/board_int.h"

#define BOARD_HIST_MAXLIST 100000

char *
board_hist_name(uint64_t start, char *buf, size_t len)
{
	time_t t = (time_t)start;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "history/%Y/%Y-%m-%d/%H%M%SZ", &tm);
	return buf;
}

/* Whether s matches pat, where '9' stands for a digit. */
static int
board_hist_match(const char *s, const char *pat)
{
	for (; *pat; s++, pat++) {
		if (*pat == '9' ? !isdigit((unsigned char)*s) : *s != *pat)
			return 0;
	}
	return *s == '\0';
}

static int
board_hist_desc(const void *a, const void *b)
{
	return -strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in dir matching pat, sorted descending; *n set. NULL if none. */
static char **
board_hist_list(const char *dir, const char *pat, size_t *n)
{
	char **v = NULL, **nv;
	size_t cap = 0;
	struct dirent *de;
	DIR *d;

	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL && *n < BOARD_HIST_MAXLIST) {
		if (!board_hist_match(de->d_name, pat))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL)
				break;
			v = nv;
		}
		if ((v[*n] = strdup(de->d_name)) == NULL)
			break;
		(*n)++;
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), board_hist_desc);
	return v;
}

static void
board_hist_freelist(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
board_hist_head(struct board *b, const char *what, const char *root)
{
	struct board_buf *o = &b->out;

	board_buf_puts(o,
	    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n"
	    "<title>");
	board_buf_html(o, b->title);
	board_buf_puts(o, ": ");
	board_buf_html(o, what);
	board_buf_puts(o,
	    "</title>\n<style>\n"
	    "body{font-family:system-ui,sans-serif;font-size:1.35rem;"
	    "margin:1rem 2rem}\n"
	    "li{margin:.2rem 0}\nnav a{margin-right:1.5rem}\n"
	    "ul.times{columns:12rem}\n"
	    "</style>\n</head>\n<body>\n<h1>");
	board_buf_html(o, b->title);
	board_buf_puts(o, ": ");
	board_buf_html(o, what);
	board_buf_puts(o, "</h1>\n<nav>\n");
	if (b->cur_rel) {
		board_buf_puts(o, "<a href=\"");
		board_buf_html(o, root);
		board_buf_html(o, b->cur_rel);
		board_buf_puts(o, "\">Current</a>\n");
	}
	board_buf_puts(o, "<a href=\"");
	board_buf_html(o, root);
	board_buf_puts(o, "history/index.html\">History</a>\n");
	if (b->aggregate > 0 && b->agg_rel) {
		board_buf_puts(o, "<a href=\"");
		board_buf_html(o, root);
		board_buf_html(o, b->agg_rel);
		board_buf_puts(o, "\">Aggregate</a>\n");
	}
	board_buf_puts(o, "</nav>\n");
}

static int
board_hist_write(struct board *b, const char *path, struct errbuf *eb)
{
	if (board_buf_write(&b->out, path) == -1) {
		errbuf_set(eb, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* dir/history/YYYY/YYYY-MM-DD/index.{html,json}. */
static int
board_hist_day(struct board *b, const char *day, struct errbuf *eb)
{
	char path[PATH_MAX], what[64];
	char **v;
	size_t n, i;
	int ret;

	snprintf(path, sizeof(path), "%s/history/%.4s/%s", b->dir, day, day);
	v = board_hist_list(path, "999999Z.html", &n);
	snprintf(what, sizeof(what), "history of %s (UTC)", day);
	board_buf_reset(&b->out);
	board_hist_head(b, what, "../../../");
	board_buf_puts(&b->out,
	    "<p><a href=\"../../index.html\">All days</a>"
	    "</p>\n<ul class=\"times\">\n");
	for (i = 0; i < n; i++)
		board_buf_printf(&b->out,
		    "<li><a href=\"%s\">%.2s:%.2s:%.2s</a></li>\n", v[i], v[i],
		    v[i] + 2, v[i] + 4);
	board_buf_puts(&b->out, "</ul>\n</body>\n</html>\n");
	snprintf(path, sizeof(path), "%s/history/%.4s/%s/index.html", b->dir,
	    day, day);
	ret = board_hist_write(b, path, eb);

	board_buf_reset(&b->out);
	board_buf_printf(
	    &b->out, "{\"version\":1,\"day\":\"%s\",\"pages\":[", day);
	for (i = 0; i < n; i++)
		board_buf_printf(&b->out,
		    "%s\n{\"html\":\"%s\",\"json\":"
		    "\"%.7s.json\"}",
		    i ? "," : "", v[i], v[i]);
	board_buf_puts(&b->out, "\n]}\n");
	snprintf(path, sizeof(path), "%s/history/%.4s/%s/index.json", b->dir,
	    day, day);
	if (ret == 0)
		ret = board_hist_write(b, path, eb);
	board_hist_freelist(v, n);
	return ret;
}

int
board_hist_index(struct board *b, uint64_t start, struct errbuf *eb)
{
	char path[PATH_MAX], rel[64], day[16];
	char **years, **days;
	size_t ny, nd, i, j, k = 0;
	struct board_buf js;
	int ret;

	board_hist_name(start, rel, sizeof(rel));
	/* rel = "history/YYYY/YYYY-MM-DD/HHMMSSZ" */
	snprintf(day, sizeof(day), "%.10s", rel + 13);
	if (board_hist_day(b, day, eb) == -1)
		return -1;

	board_buf_init(&js);
	board_buf_puts(&js, "{\"version\":1,\"days\":[");
	board_buf_reset(&b->out);
	board_hist_head(b, "history (UTC)", "../");
	snprintf(path, sizeof(path), "%s/history", b->dir);
	years = board_hist_list(path, "9999", &ny);
	for (i = 0; i < ny; i++) {
		board_buf_printf(&b->out, "<h2>%s</h2>\n<ul>\n", years[i]);
		snprintf(path, sizeof(path), "%s/history/%s", b->dir, years[i]);
		days = board_hist_list(path, "9999-99-99", &nd);
		for (j = 0; j < nd; j++) {
			board_buf_printf(&b->out,
			    "<li><a href=\"%s/%s/index.html\">%s</a></li>\n",
			    years[i], days[j], days[j]);
			board_buf_printf(&js,
			    "%s\n{\"day\":\"%s\",\"index\":"
			    "\"%s/%s/index.json\"}",
			    k++ ? "," : "", days[j], years[i], days[j]);
		}
		board_buf_puts(&b->out, "</ul>\n");
		board_hist_freelist(days, nd);
	}
	board_hist_freelist(years, ny);
	board_buf_puts(&b->out, "</body>\n</html>\n");
	board_buf_puts(&js, "\n]}\n");
	snprintf(path, sizeof(path), "%s/history/index.html", b->dir);
	ret = board_hist_write(b, path, eb);
	snprintf(path, sizeof(path), "%s/history/index.json", b->dir);
	if (ret == 0 && board_buf_write(&js, path) == -1) {
		errbuf_set(eb, "%s: %s", path, strerror(errno));
		ret = -1;
	}
	board_buf_free(&js);
	return ret;
}

/* Days since the epoch of "YYYY-MM-DD". */
static int64_t
board_hist_daynum(const char *s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = atoi(s) - 1900;
	tm.tm_mon = atoi(s + 5) - 1;
	tm.tm_mday = atoi(s + 8);
	return (int64_t)timegm(&tm) / 86400;
}

static void
board_hist_rmday(const char *dir)
{
	struct dirent *de;
	char path[PATH_MAX];
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (strlen(dir) + strlen(de->d_name) + 2 > sizeof(path))
			continue;
		strcpy(path, dir);
		strcat(path, "/");
		strcat(path, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

void
board_hist_prune(struct board *b, uint64_t start)
{
	int64_t today = (int64_t)(start / 86400);
	char path[PATH_MAX];
	char **years, **days;
	size_t ny, nd, i, j;

	if (b->history_days <= 0 || today == b->last_day)
		return;
	b->last_day = today;
	snprintf(path, sizeof(path), "%s/history", b->dir);
	years = board_hist_list(path, "9999", &ny);
	for (i = 0; i < ny; i++) {
		snprintf(path, sizeof(path), "%s/history/%s", b->dir, years[i]);
		days = board_hist_list(path, "9999-99-99", &nd);
		for (j = 0; j < nd; j++)
			if (board_hist_daynum(days[j]) <=
			    today - b->history_days) {
				snprintf(path, sizeof(path), "%s/history/%s/%s",
				    b->dir, years[i], days[j]);
				board_hist_rmday(path);
			}
		board_hist_freelist(days, nd);
		snprintf(path, sizeof(path), "%s/history/%s", b->dir, years[i]);
		rmdir(path); /* only when empty */
	}
	board_hist_freelist(years, ny);
}
