/*
 * Formatting the stats snapshot. One line per object, each a keyword and
 * "key=value" fields, so scripts and tests can grep it:
 *   collector now=... started=... interval=... files=... flows=...
 *   listen addr=... rcvbuf=... packets=... kernel_drops=... ring_drops=...
 *   ring size=... used=... high_water=... drops=...
 *   exporter addr=... port=... version=... domain=... packets=... ...
 */
#include "collector/stats.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>

#include "lib/addr.h"
#include "lib/afile.h"

static void
stats_exporter(const struct exporter *e, void *arg)
{
	FILE *fp = arg;
	char a[ADDR_STRLEN];
	int i;

	fprintf(fp,
	    "exporter addr=%s port=%u version=%u domain=%" PRIu32
	    " packets=%" PRIu64 " flows=%" PRIu64 " lost_flows=%" PRIu64
	    " lost_packets=%" PRIu64 " late_packets=%" PRIu64 " resets=%" PRIu64
	    " templates=%" PRIu64 " malformed=%" PRIu64,
	    addr_format(&e->addr, a, sizeof(a)), e->port, e->version, e->domain,
	    e->total.packets, e->total.flows, e->total.lost_flows,
	    e->total.lost_packets, e->total.late_packets, e->total.resets,
	    e->total.templates, e->total.malformed);
	for (i = 1; i < NF_NERR; i++)
		fprintf(fp, " malformed_%s=%" PRIu64, exporter_reason(i),
		    e->total.malformed_by[i]);
	fprintf(fp,
	    " sampling=%" PRIu32 " sampling_unknown_flows=%" PRIu64
	    " sampling_override=%d clock_skew_ms=%" PRId64
	    " first_seen=%" PRIu64 " last_seen=%" PRIu64 "\n",
	    e->sampling, e->total.unknown_sampling,
	    (e->flags & FLOWFILE_EXP_SAMPLING_OVERRIDE) ? 1 : 0,
	    e->clock_skew_ms, e->first_seen_ms / 1000, e->last_seen_ms / 1000);
}

/* Kernel drops over every socket, and datagrams dropped with the ring full. */
static void
stats_totals(const struct stats_view *v, uint64_t *kd, uint64_t *rd)
{
	struct listener_stats ls;
	size_t i;

	*kd = 0;
	for (i = 0; i < listener_count(v->listener); i++) {
		listener_stats(v->listener, i, &ls);
		*kd += ls.kernel_drops;
	}
	*rd = ring_drops(v->ring);
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void
stats_json_str(FILE *fp, const char *s)
{
	const unsigned char *p;

	fputc('"', fp);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(fp, "\\u%04x", *p);
		else
			fputc(*p, fp);
	}
	fputc('"', fp);
}

struct stats_json_ctx {
	FILE *fp;
	bool first;
};

static void
stats_json_exporter(const struct exporter *e, void *arg)
{
	struct stats_json_ctx *x = arg;
	FILE *fp = x->fp;
	char a[ADDR_STRLEN];
	int i;

	fprintf(fp, "%s\n    {\"addr\": ", x->first ? "" : ",");
	x->first = false;
	stats_json_str(fp, addr_format(&e->addr, a, sizeof(a)));
	fprintf(fp,
	    ", \"port\": %u, \"version\": %u, \"domain\": %" PRIu32
	    ", \"packets\": %" PRIu64 ", \"flows\": %" PRIu64
	    ", \"lost_flows\": %" PRIu64 ", \"lost_packets\": %" PRIu64
	    ", \"late_packets\": %" PRIu64 ", \"resets\": %" PRIu64
	    ", \"templates\": %" PRIu64 ", \"malformed\": %" PRIu64
	    ", \"malformed_by\": {",
	    e->port, e->version, e->domain, e->total.packets, e->total.flows,
	    e->total.lost_flows, e->total.lost_packets, e->total.late_packets,
	    e->total.resets, e->total.templates, e->total.malformed);
	for (i = 1; i < NF_NERR; i++)
		fprintf(fp, "%s\"%s\": %" PRIu64, i > 1 ? ", " : "",
		    exporter_reason(i), e->total.malformed_by[i]);
	fprintf(fp,
	    "}, \"sampling\": %" PRIu32 ", \"sampling_unknown_flows\": %" PRIu64
	    ", \"sampling_override\": %s, \"clock_skew_ms\": %" PRId64
	    ", \"first_seen\": %" PRIu64 ", \"last_seen\": %" PRIu64 "}",
	    e->sampling, e->total.unknown_sampling,
	    (e->flags & FLOWFILE_EXP_SAMPLING_OVERRIDE) ? "true" : "false",
	    e->clock_skew_ms, e->first_seen_ms / 1000, e->last_seen_ms / 1000);
}

int
stats_print_json(const struct stats_view *v, FILE *fp)
{
	struct stats_json_ctx x = { fp, true };
	struct listener_stats ls;
	struct exporter_global g;
	char a[ADDR_STRLEN];
	uint64_t kd, rd;
	size_t i;

	stats_totals(v, &kd, &rd);
	fprintf(fp,
	    "{\n  \"collector\": {\"now\": %" PRIu64 ", \"started\": %" PRIu64
	    ", \"interval\": %" PRIu64 ", \"files\": %" PRIu64
	    ", \"flows\": %" PRIu64 ", \"late_flows\": %" PRIu64
	    ", \"write_errors\": %" PRIu64 ", \"open_start\": %" PRIu64
	    ", \"open_records\": %" PRIu64 ", \"grace_start\": %" PRIu64
	    ", \"kernel_drops\": %" PRIu64 ", \"ring_drops\": %" PRIu64
	    ", \"open_file\": ",
	    v->now_ms / 1000, v->started_ms / 1000, v->interval, v->files,
	    v->flows, v->late_flows, v->write_errors, v->open_start,
	    v->open_records, v->grace_start, kd, rd);
	if (v->open_path != NULL)
		stats_json_str(fp, v->open_path);
	else
		fputs("null", fp);
	fputs("},\n  \"listen\": [", fp);
	for (i = 0; i < listener_count(v->listener); i++) {
		listener_stats(v->listener, i, &ls);
		fprintf(fp, "%s\n    {\"addr\": ", i > 0 ? "," : "");
		stats_json_str(fp, listener_name(v->listener, i));
		fprintf(fp,
		    ", \"port\": %u, \"rcvbuf\": %d, \"packets\": %" PRIu64
		    ", \"bytes\": %" PRIu64 ", \"kernel_drops\": %" PRIu64
		    ", \"truncated\": %" PRIu64 ", \"ring_drops\": %" PRIu64
		    "}",
		    listener_port(v->listener, i),
		    listener_rcvbuf(v->listener, i), ls.packets, ls.bytes,
		    ls.kernel_drops, ls.truncated, ls.ring_drops);
	}
	fprintf(fp,
	    "],\n  \"ring\": {\"size\": %zu, \"used\": %zu, "
	    "\"high_water\": %zu, \"puts\": %" PRIu64 ", \"drops\": %" PRIu64
	    "},\n",
	    ring_size(v->ring), ring_used(v->ring), ring_high_water(v->ring),
	    ring_puts(v->ring), ring_drops(v->ring));
	exporter_global(v->exporters, &g);
	fprintf(fp,
	    "  \"exporters_global\": {\"denied\": %" PRIu64
	    ", \"last_denied\": ",
	    g.denied);
	stats_json_str(fp, addr_format(&g.last_denied, a, sizeof(a)));
	fprintf(fp,
	    ", \"runts\": %" PRIu64 ", \"table_full\": %" PRIu64
	    "},\n  \"exporters\": [",
	    g.runts, g.overflow);
	exporter_foreach(v->exporters, stats_json_exporter, &x);
	fputs("\n  ]\n}\n", fp);
	return ferror(fp) ? -1 : 0;
}

int
stats_print(const struct stats_view *v, FILE *fp)
{
	struct listener_stats ls;
	struct exporter_global g;
	char a[ADDR_STRLEN];
	uint64_t kd, rd;
	size_t i;

	stats_totals(v, &kd, &rd);
	fprintf(fp,
	    "collector now=%" PRIu64 " started=%" PRIu64 " interval=%" PRIu64
	    " files=%" PRIu64 " flows=%" PRIu64 " late_flows=%" PRIu64
	    " write_errors=%" PRIu64 " open_start=%" PRIu64
	    " open_records=%" PRIu64 " grace_start=%" PRIu64
	    " kernel_drops=%" PRIu64 " ring_drops=%" PRIu64 " open_file=%s\n",
	    v->now_ms / 1000, v->started_ms / 1000, v->interval, v->files,
	    v->flows, v->late_flows, v->write_errors, v->open_start,
	    v->open_records, v->grace_start, kd, rd,
	    v->open_path ? v->open_path : "-");
	for (i = 0; i < listener_count(v->listener); i++) {
		listener_stats(v->listener, i, &ls);
		fprintf(fp,
		    "listen addr=%s port=%u rcvbuf=%d packets=%" PRIu64
		    " bytes=%" PRIu64 " kernel_drops=%" PRIu64
		    " truncated=%" PRIu64 " ring_drops=%" PRIu64 "\n",
		    listener_name(v->listener, i),
		    listener_port(v->listener, i),
		    listener_rcvbuf(v->listener, i), ls.packets, ls.bytes,
		    ls.kernel_drops, ls.truncated, ls.ring_drops);
	}
	fprintf(fp,
	    "ring size=%zu used=%zu high_water=%zu puts=%" PRIu64
	    " drops=%" PRIu64 "\n",
	    ring_size(v->ring), ring_used(v->ring), ring_high_water(v->ring),
	    ring_puts(v->ring), ring_drops(v->ring));
	exporter_global(v->exporters, &g);
	fprintf(fp,
	    "exporters denied=%" PRIu64 " last_denied=%s runts=%" PRIu64
	    " table_full=%" PRIu64 "\n",
	    g.denied, addr_format(&g.last_denied, a, sizeof(a)), g.runts,
	    g.overflow);
	exporter_foreach(v->exporters, stats_exporter, fp);
	return ferror(fp) ? -1 : 0;
}

int
stats_write(const struct stats_view *v, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp;
	int rc;

	if ((fp = open_memstream(&text, &len)) == NULL)
		return -1;
	rc = stats_print(v, fp);
	if (fclose(fp) != 0)
		rc = -1;
	if (rc == 0)
		rc = afile_write_all(path, text, len, 0644);
	free(text);
	return rc;
}
