/*
 * JSON copies of the scoreboard pages, for dashboards and scripts: the
 * interval (six tables with raw counts, rates and shares) and the aggregate
 * score. The schema is documented in docs/SCOREBOARD.md.
 */
#include <stdio.h>
#include <time.h>

#include "scanner/board_int.h"

static const char *const board_json_met[BOARD_NMET] = { "bytes", "packets",
	"flows" };
static const char *const board_json_dir[2] = { "in", "out" };

static void
board_json_time(struct board_buf *o, const char *key, uint64_t t)
{
	time_t tt = (time_t)t;
	char buf[32];
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	board_buf_printf(o, "\"%s\":%llu,\"%s_iso\":\"%s\",", key,
	    (unsigned long long)t, key, buf);
}

/* "key":{"in":{"bytes":..,"packets":..,"flows":..},"out":{...}} */
static void
board_json_counts(struct board_buf *o, const char *key, const uint64_t *bytes,
    const uint64_t *pkts, const uint64_t *flows)
{
	int d;

	board_buf_printf(o, "\"%s\":{", key);
	for (d = 0; d < 2; d++)
		board_buf_printf(o,
		    "%s\"%s\":{\"bytes\":%llu,\"packets\":%llu,\"flows\":%llu}",
		    d ? "," : "", board_json_dir[d],
		    (unsigned long long)bytes[d], (unsigned long long)pkts[d],
		    (unsigned long long)flows[d]);
	board_buf_puts(o, "}");
}

/* "name":..., "address":..., "networks":[...] of a host. */
static void
board_json_host(struct board *b, const struct ft_addr *a)
{
	struct board_buf *o = &b->out;
	char name[BOARD_NAMELEN], ab[ADDR_STRLEN];
	const char *labels[16];
	size_t n, i;

	board_buf_puts(o, "\"address\":");
	board_buf_json(o, addr_format(a, ab, sizeof(ab)));
	board_buf_puts(o, ",\"name\":");
	if (board_name(b, a, name, sizeof(name)))
		board_buf_json(o, name);
	else
		board_buf_puts(o, "null");
	board_buf_puts(o, ",\"networks\":[");
	n = board_net_labels(b, a, labels, 16);
	for (i = 0; i < n; i++) {
		if (i)
			board_buf_puts(o, ",");
		board_buf_json(o, labels[i]);
	}
	board_buf_puts(o, "]");
}

static uint64_t
board_json_total(const struct board_totals *t, int d, int m)
{
	return m == BOARD_BYTES ? t->bytes[d]
	    : m == BOARD_PKTS   ? t->pkts[d]
				: t->flows[d];
}

void
board_json_interval(struct board *b, const struct board_view *v)
{
	struct board_buf *o = &b->out;
	const struct host_entry *row;
	uint64_t val, tot;
	size_t i;
	int sd, sm, d, m;

	board_buf_puts(o, "{\"version\":1,\"kind\":\"interval\",");
	board_json_time(o, "start", v->start);
	board_json_time(o, "end", v->end);
	board_buf_printf(o, "\"seconds\":%.0f,\"top\":%d,\"hosts\":%zu,",
	    v->secs, b->top, v->hosts);
	board_json_counts(
	    o, "totals", v->tot->bytes, v->tot->pkts, v->tot->flows);
	board_buf_puts(o, ",");
	board_json_counts(o, "overflow", v->overflow->bytes, v->overflow->pkts,
	    v->overflow->flows);
	board_buf_puts(o, ",\n\"tables\":[\n");
	for (sd = 0; sd < 2; sd++)
		for (sm = 0; sm < BOARD_NMET; sm++) {
			board_buf_printf(o,
			    "%s{\"direction\":\"%s\",\"metric\":\"%s\","
			    "\"rows\":[\n",
			    sd + sm ? ",\n" : "", board_json_dir[sd],
			    board_json_met[sm]);
			for (i = 0; i < b->rank.n[sd][sm]; i++) {
				row = &b->rank.rows[sd][sm][i];
				board_buf_printf(o, "%s{\"rank\":%zu,",
				    i ? ",\n" : "", i + 1);
				board_json_host(b, &row->addr);
				for (d = 0; d < 2; d++) {
					board_buf_printf(
					    o, ",\"%s\":{", board_json_dir[d]);
					for (m = 0; m < BOARD_NMET; m++) {
						val = board_rank_value(
						    &row->c, d, m);
						tot = board_json_total(
						    v->tot, d, m);
						board_buf_printf(o,
						    "%s\"%s\":%llu,\"%s_per_s\":"
						    "%.3f,\"%s_pct\":%.3f",
						    m ? "," : "",
						    board_json_met[m],
						    (unsigned long long)val,
						    m == BOARD_BYTES
							? "bits"
							: board_json_met[m],
						    (m == BOARD_BYTES
							    ? (double)val * 8
							    : (double)val) /
							v->secs,
						    board_json_met[m],
						    tot ? (double)val * 100 /
							    (double)tot
							: 0.0);
					}
					board_buf_puts(o, "}");
				}
				board_buf_puts(o, "}");
			}
			board_buf_puts(o, "]}");
		}
	board_buf_puts(o, "\n]}\n");
}

void
board_json_aggregate(struct board *b)
{
	struct board_buf *o = &b->out;
	const struct board_agg *a = &b->agg;
	size_t idx[BOARD_MAX_TOP_AGG], n, i;
	int sd, sm, d, m;

	board_buf_printf(o,
	    "{\"version\":1,\"kind\":\"aggregate\",\"samples\":%.17g,"
	    "\"ageing_samples\":%u,\"top\":%d,\"hosts\":%zu,\n\"tables\":[\n",
	    a->samples, b->ageing, b->aggregate, a->n);
	for (sd = 0; sd < 2; sd++)
		for (sm = 0; sm < BOARD_NMET; sm++) {
			n = board_agg_rank(
			    a, sd, sm, (size_t)b->aggregate, idx);
			board_buf_printf(o,
			    "%s{\"direction\":\"%s\",\"metric\":\"%s\","
			    "\"rows\":[\n",
			    sd + sm ? ",\n" : "", board_json_dir[sd],
			    board_json_met[sm]);
			for (i = 0; i < n; i++) {
				const struct board_agg_host *h = &a->h[idx[i]];

				board_buf_printf(o, "%s{\"rank\":%zu,",
				    i ? ",\n" : "", i + 1);
				board_json_host(b, &h->addr);
				board_buf_printf(o,
				    ",\"samples\":%.17g,\"seconds\":%.17g",
				    h->count, h->secs);
				for (d = 0; d < 2; d++) {
					board_buf_printf(
					    o, ",\"%s\":{", board_json_dir[d]);
					for (m = 0; m < BOARD_NMET; m++)
						board_buf_printf(o,
						    "%s\"%s\":%.17g,"
						    "\"%s_per_s\":%.3f",
						    m ? "," : "",
						    board_json_met[m],
						    h->sum[d][m],
						    m == BOARD_BYTES
							? "bits"
							: board_json_met[m],
						    h->secs > 0
							? (m == BOARD_BYTES
								  ? 8
								  : 1) *
							    h->sum[d][m] /
							    h->secs
							: 0.0);
					board_buf_puts(o, "}");
				}
				board_buf_puts(o, "}");
			}
			board_buf_puts(o, "]}");
		}
	board_buf_puts(o, "\n]}\n");
}
