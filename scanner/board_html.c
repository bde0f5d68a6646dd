/*
 * HTML5 pages of the scoreboard: the interval page (six top-N tables with
 * rates and shares) and the aggregate page, for wall screens (large type,
 * the sorted column highlighted). Every string from outside the program
 * (names, labels, URLs) goes through the HTML escaper.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "scanner/board_int.h"

static const char *const board_html_met[BOARD_NMET] = { "bytes", "packets",
	"flows" };
static const char *const board_html_dir[2] = { "in", "out" };
static const char *const board_html_unit[BOARD_NMET] = { "bits/s", "pkts/s",
	"flows/s" };

static const char board_html_style[] =
    "body{font-family:system-ui,sans-serif;font-size:1.35rem;"
    "margin:1rem 2rem;background:#fff;color:#111}\n"
    "h1{font-size:2.2rem;margin:.3rem 0}\n"
    "header p{margin:.3rem 0}\n"
    "nav a{margin-right:1.5rem}\n"
    "table{border-collapse:collapse;margin:1.5rem 0;min-width:70%}\n"
    "caption{text-align:left;font-size:1.6rem;font-weight:bold;"
    "padding:.3rem 0}\n"
    "th,td{border:1px solid #999;padding:.3rem .7rem}\n"
    "th{background:#ffc;font-weight:bold}\n"
    "th.sorted{background:#90ee90}\n"
    "td{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    "td.sorted{background:#add8e6;font-weight:bold}\n"
    "td.host{text-align:left;white-space:normal;max-width:30rem;"
    "overflow-wrap:anywhere}\n"
    ".addr{font-family:monospace}\n"
    ".pct{color:#444;font-size:.8em}\n"
    ".nets a{font-size:.8em;margin-right:.6em}\n"
    "td.none{text-align:center;color:#666}\n";

/* "YYYY-MM-DD HH:MM:SS" (UTC) of t into buf; iso uses the T...Z form. */
static char *
board_html_time(uint64_t t, int iso, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(
	    buf, len, iso ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S", &tm);
	return buf;
}

static void
board_html_head(struct board *b, const char *what, int refresh)
{
	struct board_buf *o = &b->out;

	board_buf_puts(o,
	    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n");
	if (refresh > 0)
		board_buf_printf(o,
		    "<meta http-equiv=\"refresh\" content=\"%d\">\n", refresh);
	board_buf_puts(o, "<title>");
	board_buf_html(o, b->title);
	board_buf_puts(o, ": ");
	board_buf_html(o, what);
	board_buf_puts(o, "</title>\n<style>\n");
	board_buf_puts(o, board_html_style);
	board_buf_puts(o, "</style>\n</head>\n<body>\n<header>\n<h1>");
	board_buf_html(o, b->title);
	board_buf_puts(o, ": ");
	board_buf_html(o, what);
	board_buf_puts(o, "</h1>\n");
}

static void
board_html_link(
    struct board_buf *o, const char *root, const char *rel, const char *text)
{
	board_buf_puts(o, "<a href=\"");
	board_buf_html(o, root);
	board_buf_html(o, rel);
	board_buf_puts(o, "\">");
	board_buf_html(o, text);
	board_buf_puts(o, "</a>\n");
}

/* Navigation between the pages; root leads from this page to dir. */
static void
board_html_nav(struct board *b, int nav, const char *root, const char *json)
{
	struct board_buf *o = &b->out;

	board_buf_puts(o, "<nav>\n");
	if (nav) {
		if (b->cur_rel)
			board_html_link(o, root, b->cur_rel, "Current");
		if (b->history)
			board_html_link(
			    o, root, "history/index.html", "History");
		if (b->aggregate > 0 && b->agg_rel)
			board_html_link(o, root, b->agg_rel, "Aggregate");
	}
	board_html_link(o, "", json, "JSON");
	board_buf_puts(o, "</nav>\n</header>\n<main>\n");
}

static void
board_html_foot(struct board *b)
{
	board_buf_puts(&b->out, "</main>\n</body>\n</html>\n");
}

/* The host cell: name, address, extra text, links to its networks. */
static void
board_html_host(struct board *b, const struct ft_addr *a, const char *extra)
{
	struct board_buf *o = &b->out;
	char name[BOARD_NAMELEN], ab[ADDR_STRLEN];
	const char *labels[16];
	size_t n, i;

	board_buf_puts(o, "<td class=\"host\">");
	if (board_name(b, a, name, sizeof(name))) {
		board_buf_puts(o, "<span class=\"name\">");
		board_buf_html(o, name);
		board_buf_puts(o, "</span><br>");
	}
	board_buf_puts(o, "<span class=\"addr\">");
	board_buf_html(o, addr_format(a, ab, sizeof(ab)));
	board_buf_puts(o, "</span>");
	if (extra)
		board_buf_html(o, extra);
	n = board_net_labels(b, a, labels, 16);
	if (n > 0) {
		board_buf_puts(o, "<br><span class=\"nets\">");
		for (i = 0; i < n; i++) {
			if (b->graph_url[0] != '\0') {
				struct board_buf url;

				board_buf_init(&url);
				board_buf_puts(&url, b->graph_url);
				board_buf_puts(&url, "?network=");
				board_buf_url(&url, labels[i]);
				board_buf_puts(o, "<a href=\"");
				board_buf_html(o, url.p ? url.p : "");
				board_buf_puts(o, "\">");
				board_buf_html(o, labels[i]);
				board_buf_puts(o, "</a>");
				board_buf_free(&url);
			} else {
				board_buf_html(o, labels[i]);
				board_buf_puts(o, " ");
			}
		}
		board_buf_puts(o, "</span>");
	}
	board_buf_puts(o, "</td>");
}

static void
board_html_thead(struct board_buf *o, int sdir, int smet)
{
	int d, m;

	board_buf_puts(o,
	    "<thead><tr><th scope=\"col\">#</th>"
	    "<th scope=\"col\">Host</th>");
	for (m = 0; m < BOARD_NMET; m++)
		for (d = 0; d < 2; d++)
			board_buf_printf(o, "<th scope=\"col\"%s>%s %s</th>",
			    d == sdir && m == smet ? " class=\"sorted\"" : "",
			    board_html_unit[m], board_html_dir[d]);
	board_buf_puts(o, "</tr></thead>\n<tbody>\n");
}

/* Rate of a count: per second, bytes as bits. */
static double
board_html_rate(double count, int met, double secs)
{
	return (met == BOARD_BYTES ? count * 8 : count) / secs;
}

static void
board_html_table(
    struct board *b, const struct board_view *v, int sdir, int smet)
{
	struct board_buf *o = &b->out;
	const struct host_entry *row;
	char si[32];
	size_t i, n = b->rank.n[sdir][smet];
	uint64_t val, tot;
	int d, m;

	board_buf_printf(o, "<table>\n<caption>Top %d by %s %s</caption>\n",
	    b->top, board_html_met[smet], board_html_dir[sdir]);
	board_html_thead(o, sdir, smet);
	for (i = 0; i < n; i++) {
		row = &b->rank.rows[sdir][smet][i];
		board_buf_printf(o, "<tr><td>%zu</td>", i + 1);
		board_html_host(b, &row->addr, NULL);
		for (m = 0; m < BOARD_NMET; m++)
			for (d = 0; d < 2; d++) {
				val = board_rank_value(&row->c, d, m);
				tot = m == BOARD_BYTES ? v->tot->bytes[d]
				    : m == BOARD_PKTS  ? v->tot->pkts[d]
						       : v->tot->flows[d];
				board_buf_printf(o,
				    "<td%s>%s <span class=\"pct\">(%.1f%%)"
				    "</span></td>",
				    d == sdir && m == smet ? " class=\"sorted\""
							   : "",
				    board_buf_si(board_html_rate(
						     (double)val, m, v->secs),
					si, sizeof(si)),
				    tot ? (double)val * 100 / (double)tot
					: 0.0);
			}
		board_buf_puts(o, "</tr>\n");
	}
	if (n == 0)
		board_buf_puts(o,
		    "<tr><td class=\"none\" colspan=\"8\">no "
		    "traffic</td></tr>\n");
	board_buf_puts(o, "</tbody>\n</table>\n");
}

void
board_html_interval(struct board *b, const struct board_view *v)
{
	struct board_buf *o = &b->out;
	char t0[32], t1[32], i0[32], i1[32], what[96], si[32];
	int d, m;

	board_html_time(v->start, 0, t0, sizeof(t0));
	board_html_time(v->end, 0, t1, sizeof(t1));
	snprintf(what, sizeof(what), "top talkers %s UTC", t0);
	board_html_head(b, what, v->refresh);
	board_buf_printf(o,
	    "<p>Interval <time datetime=\"%s\">%s</time> to "
	    "<time datetime=\"%s\">%s</time> UTC (%.0f s), %zu hosts",
	    board_html_time(v->start, 1, i0, sizeof(i0)), t0,
	    board_html_time(v->end, 1, i1, sizeof(i1)), t1, v->secs, v->hosts);
	if (v->overflow->flows[0] || v->overflow->flows[1])
		board_buf_printf(o,
		    " (host table full: %llu flows in, %llu out not ranked)",
		    (unsigned long long)v->overflow->flows[0],
		    (unsigned long long)v->overflow->flows[1]);
	board_buf_puts(o, ".</p>\n<p>Totals:");
	for (d = 0; d < 2; d++) {
		board_buf_printf(o, " %s", board_html_dir[d]);
		for (m = 0; m < BOARD_NMET; m++) {
			uint64_t c = m == BOARD_BYTES ? v->tot->bytes[d]
			    : m == BOARD_PKTS         ? v->tot->pkts[d]
						      : v->tot->flows[d];

			board_buf_si(board_html_rate((double)c, m, v->secs), si,
			    sizeof(si));
			board_buf_printf(o, " %s%s%s%s", si,
			    si[strlen(si) - 1] >= '0' &&
				    si[strlen(si) - 1] <= '9'
				? " "
				: "",
			    board_html_unit[m],
			    m < BOARD_NMET - 1 ? ","
				: d == 0       ? ";"
					       : ".");
		}
	}
	board_buf_puts(o, "</p>\n");
	board_html_nav(b, v->nav, v->root, v->json);
	for (d = 0; d < 2; d++)
		for (m = 0; m < BOARD_NMET; m++)
			board_html_table(b, v, d, m);
	board_html_foot(b);
}

void
board_html_aggregate(struct board *b)
{
	struct board_buf *o = &b->out;
	const char *json, *slash = strrchr(b->agg_page, '/');
	const struct board_agg *a = &b->agg;
	char si[32], extra[64], jname[PATH_MAX];
	size_t idx[BOARD_MAX_TOP_AGG], n, i;
	int sd, sm, d, m;

	snprintf(jname, sizeof(jname), "%s", slash ? slash + 1 : b->agg_page);
	if (strlen(jname) > 5 &&
	    strcmp(jname + strlen(jname) - 5, ".html") == 0)
		jname[strlen(jname) - 5] = '\0';
	if (strlen(jname) + 6 < sizeof(jname))
		strcat(jname, ".json");
	json = jname;
	board_html_head(b, "aggregate top talkers", b->refresh);
	board_buf_printf(o,
	    "<p>Average rates of the hosts that appeared in the per-interval "
	    "tables, over their appearances: %g samples (all figures halved when this reaches %u).</p>\n",
	    a->samples, b->ageing);
	board_html_nav(b, b->agg_nav, b->agg_root, json);
	for (sd = 0; sd < 2; sd++)
		for (sm = 0; sm < BOARD_NMET; sm++) {
			n = board_agg_rank(
			    a, sd, sm, (size_t)b->aggregate, idx);
			board_buf_printf(o,
			    "<table>\n<caption>Top %d by average %s %s"
			    "</caption>\n",
			    b->aggregate, board_html_met[sm],
			    board_html_dir[sd]);
			board_html_thead(o, sd, sm);
			for (i = 0; i < n; i++) {
				const struct board_agg_host *h = &a->h[idx[i]];

				board_buf_printf(o, "<tr><td>%zu</td>", i + 1);
				snprintf(extra, sizeof(extra), " (%g samples)",
				    h->count);
				board_html_host(b, &h->addr, extra);
				for (m = 0; m < BOARD_NMET; m++)
					for (d = 0; d < 2; d++)
						board_buf_printf(o,
						    "<td%s>%s</td>",
						    d == sd && m == sm
							? " class=\"sorted\""
							: "",
						    board_buf_si(h->secs > 0
							    ? board_html_rate(
								  h->sum[d][m],
								  m, h->secs)
							    : 0,
							si, sizeof(si)));
				board_buf_puts(o, "</tr>\n");
			}
			if (n == 0)
				board_buf_puts(o,
				    "<tr><td class=\"none\" colspan=\"8\">no "
				    "hosts yet</td></tr>\n");
			board_buf_puts(o, "</tbody>\n</table>\n");
		}
	board_html_foot(b);
}
