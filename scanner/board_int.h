/*
 * Internals shared by the scoreboard modules (board.c, board_buf.c,
 * board_rank.c, board_html.c, board_json.c, board_hist.c, board_agg.c,
 * board_rdns.c) and their tests. Not for the rest of the scanner: use
 * scanner/board.h.
 */
#ifndef FT_BOARD_INT_H
#define FT_BOARD_INT_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/errbuf.h"
#include "scanner/board.h"
#include "scanner/hosttab.h"

/* Metrics, in table order within a direction. */
#define BOARD_BYTES 0
#define BOARD_PKTS  1
#define BOARD_FLOWS 2
#define BOARD_NMET  3

/* Longest host name kept from reverse DNS (longer ones are cut). */
#define BOARD_NAMELEN 256
/* Most rows of one table (top and aggregate). */
#define BOARD_MAX_TOP_AGG 1000

/* ---- board_buf.c: a growing output buffer with escapers. ---- */
struct board_buf {
	char *p;
	size_t len;
	size_t cap;
	int oom; /* set on allocation failure; later appends are ignored */
};

void board_buf_init(struct board_buf *b);
void board_buf_free(struct board_buf *b);
void board_buf_reset(struct board_buf *b);
void board_buf_puts(struct board_buf *b, const char *s);
void board_buf_printf(struct board_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append s with & < > " ' as character references. */
void board_buf_html(struct board_buf *b, const char *s);
/* Append s as a JSON string literal, quotes included. */
void board_buf_json(struct board_buf *b, const char *s);
/* Append s percent-encoded for a URL query value (RFC 3986 unreserved). */
void board_buf_url(struct board_buf *b, const char *s);
/* Write the buffer to path atomically (mode 0644): 0, or -1 with errno. */
int board_buf_write(const struct board_buf *b, const char *path);
/*
 * Format v with one decimal and an SI prefix ("1.2 M", "950.0", "3.4 m")
 * into buf. Returns buf.
 */
char *board_buf_si(double v, char *buf, size_t len);
/* Replace every byte that is not printable ASCII with '?', in place. */
void board_buf_sanitize(char *s);

/* ---- board_rank.c: top N per direction and metric. ---- */
/* Rows are host table entries (address and both directions' counts). */
struct board_rank {
	size_t top;
	size_t n[2][BOARD_NMET];                /* rows in each table */
	struct host_entry *rows[2][BOARD_NMET]; /* top rows each */
};

/* The value of metric met in direction dir. */
uint64_t board_rank_value(const struct host_counts *c, int dir, int met);
/*
 * Total order on addresses: IPv4 before IPv6, then numerically ascending.
 * Returns <0, 0, >0.
 */
int board_rank_addrcmp(const struct ft_addr *a, const struct ft_addr *b);
/* Allocate tables of top rows: 0 or -1 (errno). */
int board_rank_init(struct board_rank *r, size_t top);
void board_rank_free(struct board_rank *r);
/*
 * Fill the six tables from t: hosts with a non-zero value, descending by
 * value, ties by ascending address. One pass over t with a bounded heap per
 * table: O(hosts x log top).
 */
void board_rank_compute(struct board_rank *r, const struct hosttab *t);
/*
 * The distinct hosts of all six tables, sorted by address, into out (room
 * for 6 x top). Returns how many.
 */
size_t board_rank_union(const struct board_rank *r, struct host_entry *out);

/* ---- board_agg.c: the long-term aggregate score. ---- */
struct board_agg_host {
	struct ft_addr addr;
	double count;              /* appearances, halved by ageing */
	double secs;               /* seconds of those intervals, halved too */
	double sum[2][BOARD_NMET]; /* totals over the appearances */
};

struct board_agg {
	double samples; /* intervals aggregated, halved by ageing */
	size_t n;
	size_t cap;
	struct board_agg_host *h; /* sorted by address */
};

void board_agg_init(struct board_agg *a);
void board_agg_free(struct board_agg *a);
/*
 * Add one interval of length secs: every host of rows[0..n) (distinct)
 * gets count + 1, secs + secs and its six totals added; samples + 1. Then,
 * if samples >= ageing, board_agg_age(). Returns 0 or -1 (no memory; the
 * aggregate is unchanged).
 */
int board_agg_add(struct board_agg *a, const struct host_entry *rows, size_t n,
    double secs, unsigned ageing);
/*
 * Halve samples and every host's count, secs and totals (exact in binary
 * floating point), then drop hosts whose count fell below 1.
 */
void board_agg_age(struct board_agg *a);
/*
 * Indices of the top hosts for (dir, met) by average rate over their
 * appearances (sum / secs), descending, ties by address; hosts with a zero
 * sum are skipped. Writes at most top (and at most BOARD_MAX_TOP_AGG)
 * indices into idx; returns how many.
 */
size_t board_agg_rank(
    const struct board_agg *a, int dir, int met, size_t top, size_t *idx);
/*
 * Parse a state file held in memory (name for messages). On error returns
 * -1 with eb = "name:line: reason" and a left empty.
 */
int board_agg_parse(const char *text, size_t len, const char *name,
    struct board_agg *a, struct errbuf *eb);
/* Serialise a in the state file format. */
void board_agg_format(const struct board_agg *a, struct board_buf *out);
/*
 * Load path into a (empty on entry). Returns 0 when loaded or absent
 * (fresh), 1 when corrupt: logged with its path, renamed to
 * "<path>.corrupt-<unixtime>" and a left empty; -1 when unreadable (eb).
 */
int board_agg_load(const char *path, struct board_agg *a, struct errbuf *eb);
/* Write a to path atomically: 0 or -1 with eb. */
int board_agg_save(
    const struct board_agg *a, const char *path, struct errbuf *eb);

/* ---- board_rdns.c: cached, bounded, asynchronous reverse DNS. ---- */
/* A resolver: name of a into buf (NUL-terminated), 0; or -1 if none. */
typedef int (*board_rdns_fn)(
    const struct ft_addr *a, char *buf, size_t len, void *arg);
struct board_rdns;

/* A resolver thread with a cache; NULL with errno on failure. */
struct board_rdns *board_rdns_new(unsigned ttl, size_t max_lookups);
void board_rdns_free(struct board_rdns *r);
/* Replace the resolver (tests); NULL restores getnameinfo(). */
void board_rdns_set_fn(struct board_rdns *r, board_rdns_fn fn, void *arg);
/* Start an interval: the lookup budget is max_lookups again. */
void board_rdns_begin(struct board_rdns *r);
/* Queue a lookup for a unless cached, queued or over budget. */
void board_rdns_request(struct board_rdns *r, const struct ft_addr *a);
/* Wait until no lookup is queued or in progress, at most ms. */
void board_rdns_wait(struct board_rdns *r, unsigned ms);
/* Copy a's cached name to buf: 1; 0 when none (yet). */
int board_rdns_get(
    struct board_rdns *r, const struct ft_addr *a, char *buf, size_t len);

/* ---- board.c: the object. ---- */
struct board_net {
	char *label;
	struct ft_prefix *pfx;
	size_t npfx;
};

struct board {
	int top;
	char dir[PATH_MAX / 2];  /* leaves room for the names under it */
	char current[PATH_MAX];  /* full path of the current HTML page */
	char cur_root[PATH_MAX]; /* relative path from current page to dir */
	int cur_nav;             /* current page is under dir */
	const char *cur_rel;     /* current page relative to dir, or NULL */
	int history;
	int history_days;
	size_t max_hosts;
	int aggregate;
	char agg_page[PATH_MAX];
	char agg_root[PATH_MAX];
	int agg_nav;         /* aggregate page is under dir */
	const char *agg_rel; /* aggregate page relative to dir, or NULL */
	char state[PATH_MAX];
	unsigned ageing;
	int rdns_on;
	unsigned rdns_wait;
	char *graph_url;
	char *title;
	int refresh;
	struct board_net *nets;
	size_t nnets;

	struct board_rank rank;
	struct host_entry *uni; /* 6 x top */
	struct board_agg agg;
	struct board_rdns *rdns;
	struct board_buf out;
	int64_t last_day; /* day number of the last history prune */
};

/* The interval being published, as the writers see it. */
struct board_view {
	uint64_t start;
	uint64_t end;
	double secs;
	const struct board_totals *tot;
	size_t hosts; /* distinct hosts ranked */
	const struct host_counts *overflow;
	const char *root; /* relative path from the page to dir ("" or ../) */
	int nav;          /* root is valid: write navigation links */
	int refresh;      /* meta refresh seconds, 0 for none */
	const char *json; /* file name of the JSON copy, for the link */
};

/* Labels of the networks containing a (at most max, in config order). */
size_t board_net_labels(const struct board *b, const struct ft_addr *a,
    const char **out, size_t max);
/* The cached reverse-DNS name of a into buf: 1, or 0 when none. */
int board_name(struct board *b, const struct ft_addr *a, char *buf, size_t len);
/* Replace the resolver (tests); enables nothing by itself. */
void board_set_resolver(struct board *b, board_rdns_fn fn, void *arg);

/* ---- board_html.c / board_json.c: page writers into b->out. ---- */
void board_html_interval(struct board *b, const struct board_view *v);
void board_html_aggregate(struct board *b);
void board_json_interval(struct board *b, const struct board_view *v);
void board_json_aggregate(struct board *b);

/* ---- board_hist.c: history tree, index pages, retention. ---- */
/*
 * "history/YYYY/YYYY-MM-DD/HHMMSSZ" for start (UTC), relative to dir,
 * without extension. Returns buf.
 */
char *board_hist_name(uint64_t start, char *buf, size_t len);
/* Rewrite the day index and the history index after a new page. */
int board_hist_index(struct board *b, uint64_t start, struct errbuf *eb);
/* Remove day directories older than history_days before start. */
void board_hist_prune(struct board *b, uint64_t start);

#endif
