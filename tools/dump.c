/*
 * Print flow files: one pass per file through flowfile_read(), records
 * filtered by the time window and formatted by dumpfmt, or, with --stats,
 * the header's exporter counters and the totals of what was read.
 */
#include "tools/dump.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"
#include "lib/flowfile.h"
#include "lib/log.h"

#define DUMP_BATCH 1024

int
dump_init(struct dump *d, const struct dump_opts *o, FILE *out)
{
	memset(d, 0, sizeof(*d));
	d->o = *o;
	d->out = out;
	if ((d->buf = calloc(DUMP_BATCH, sizeof(*d->buf))) == NULL)
		return -1;
	return 0;
}

void
dump_clear(struct dump *d)
{
	free(d->buf);
	d->buf = NULL;
}

bool
dump_wanted(const struct dump *d, uint64_t start_s, uint64_t end_s)
{
	if (d->o.until_ms != UINT64_MAX && start_s * 1000 >= d->o.until_ms)
		return false;
	if (end_s != 0 && end_s > start_s && end_s * 1000 <= d->o.since_ms)
		return false;
	return true;
}

static bool
dump_keep(const struct dump *d, const struct flow *f)
{
	return f->last_ms >= d->o.since_ms && f->first_ms < d->o.until_ms;
}

static void
dump_stats_text(struct dump *d, const char *path,
    const struct flowfile_header *h, const struct dump_totals *t)
{
	char a[32], b[32], c[32], ad[ADDR_STRLEN];
	const struct flowfile_exporter *e;
	uint32_t i;

	fprintf(d->out, "file %s\n", path);
	fprintf(d->out, "  interval %s .. %s\n",
	    dumpfmt_time(h->start * 1000, a, sizeof(a)),
	    dumpfmt_time(h->end * 1000, b, sizeof(b)));
	fprintf(d->out,
	    "  version %u creator %s host %s created %s closed %s\n",
	    h->version, h->creator[0] ? h->creator : "-",
	    h->host[0] ? h->host : "-",
	    dumpfmt_time(h->created_ms, c, sizeof(c)),
	    h->closed ? "yes" : "no");
	fprintf(d->out,
	    "  header records %" PRIu64 " blocks %" PRIu64 " exporters %u\n",
	    h->records, h->blocks, h->n_exporters);
	for (i = 0; i < h->n_exporters; i++) {
		e = &h->exporters[i];
		fprintf(d->out,
		    "  exporter %s port %u version %u domain %u sampling %u flags 0x%x packets %" PRIu64
		    " flows %" PRIu64 " lost_flows %" PRIu64
		    " malformed %" PRIu64 " sequence_resets %" PRIu64
		    " clock_skew_ms %" PRId64 "\n",
		    addr_format(&e->addr, ad, sizeof(ad)), e->port, e->version,
		    e->domain, e->sampling, e->flags, e->packets, e->flows,
		    e->lost_flows, e->malformed, e->sequence_resets,
		    e->clock_skew_ms);
	}
	fprintf(d->out,
	    "  read records %" PRIu64 " packets %" PRIu64 " bytes %" PRIu64
	    " lost %" PRIu64 "\n",
	    t->records, t->packets, t->bytes, t->lost);
}

static void
dump_json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(out, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

static void
dump_stats_json(struct dump *d, const char *path,
    const struct flowfile_header *h, const struct dump_totals *t)
{
	char a[32], b[32], c[32], ad[ADDR_STRLEN];
	const struct flowfile_exporter *e;
	uint32_t i;

	fprintf(d->out, "{\"file\":");
	dump_json_str(d->out, path);
	fprintf(d->out,
	    ",\"start\":\"%s\",\"end\":\"%s\",\"version\":%u,\"creator\":",
	    dumpfmt_time(h->start * 1000, a, sizeof(a)),
	    dumpfmt_time(h->end * 1000, b, sizeof(b)), h->version);
	dump_json_str(d->out, h->creator);
	fprintf(d->out, ",\"host\":");
	dump_json_str(d->out, h->host);
	fprintf(d->out,
	    ",\"created\":\"%s\",\"closed\":%s,\"records\":%" PRIu64
	    ",\"blocks\":%" PRIu64 ",\"exporters\":[",
	    dumpfmt_time(h->created_ms, c, sizeof(c)),
	    h->closed ? "true" : "false", h->records, h->blocks);
	for (i = 0; i < h->n_exporters; i++) {
		e = &h->exporters[i];
		fprintf(d->out,
		    "%s{\"addr\":\"%s\",\"port\":%u,\"version\":%u,\"domain\":%u,\"sampling\":%u,\"flags\":%u,\"packets\":%" PRIu64
		    ",\"flows\":%" PRIu64 ",\"lost_flows\":%" PRIu64
		    ",\"malformed\":%" PRIu64 ",\"sequence_resets\":%" PRIu64
		    ",\"clock_skew_ms\":%" PRId64 "}",
		    i > 0 ? "," : "", addr_format(&e->addr, ad, sizeof(ad)),
		    e->port, e->version, e->domain, e->sampling, e->flags,
		    e->packets, e->flows, e->lost_flows, e->malformed,
		    e->sequence_resets, e->clock_skew_ms);
	}
	fprintf(d->out,
	    "],\"read\":{\"records\":%" PRIu64 ",\"packets\":%" PRIu64
	    ",\"bytes\":%" PRIu64 ",\"lost\":%" PRIu64 "}}\n",
	    t->records, t->packets, t->bytes, t->lost);
}

int
dump_file(struct dump *d, const char *path)
{
	char line[DUMPFMT_LINE_MAX];
	struct flowfile_reader *r;
	const struct flowfile_header *h;
	struct dump_totals t;
	struct errbuf eb;
	ssize_t n, i;
	int len, rv = 0;

	memset(&t, 0, sizeof(t));
	if (flowfile_open(path, &r, &eb) == -1) {
		log_warnx("%s", eb.msg);
		d->tot.damaged++;
		return -1;
	}
	h = flowfile_header(r);
	if (!dump_wanted(d, h->start, h->end))
		goto done;
	if (!d->o.stats && !d->header_done) {
		fputs(dumpfmt_header(d->o.kind, line, sizeof(line)), d->out);
		d->header_done = true;
	}
	while ((n = flowfile_read(r, d->buf, DUMP_BATCH, &eb)) != 0) {
		if (n == -1) {
			/* Flush first so the message follows what printed. */
			fflush(d->out);
			log_warnx("%s", eb.msg);
			rv = -1;
			continue;
		}
		for (i = 0; i < n; i++) {
			if (!dump_keep(d, &d->buf[i]))
				continue;
			t.records++;
			t.packets += d->buf[i].packets;
			t.bytes += d->buf[i].bytes;
			if (d->o.stats)
				continue;
			len = dumpfmt_record(
			    d->o.kind, &d->buf[i], line, sizeof(line));
			if (len > 0)
				fwrite(line, 1, (size_t)len, d->out);
		}
	}
	t.lost = flowfile_lost(r);
	if (flowfile_damaged(r)) {
		fflush(d->out);
		log_warnx(
		    "%s: damaged: %" PRIu64 " records lost", path, t.lost);
		rv = -1;
	}
	if (d->o.stats) {
		if (d->o.kind == DUMPFMT_JSON)
			dump_stats_json(d, path, h, &t);
		else
			dump_stats_text(d, path, h, &t);
	}
	d->tot.files++;
	d->tot.records += t.records;
	d->tot.packets += t.packets;
	d->tot.bytes += t.bytes;
	d->tot.lost += t.lost;
done:
	if (rv == -1)
		d->tot.damaged++;
	flowfile_close(r);
	return rv;
}

int
dump_finish(struct dump *d)
{
	const struct dump_totals *t = &d->tot;
	char line[DUMPFMT_LINE_MAX];

	/* Scripts reading CSV get the header line even with no records. */
	if (!d->o.stats && !d->header_done) {
		fputs(dumpfmt_header(d->o.kind, line, sizeof(line)), d->out);
		d->header_done = true;
	}
	if (d->o.stats) {
		if (d->o.kind == DUMPFMT_JSON)
			fprintf(d->out,
			    "{\"totals\":{\"files\":%" PRIu64
			    ",\"records\":%" PRIu64 ",\"packets\":%" PRIu64
			    ",\"bytes\":%" PRIu64 ",\"lost\":%" PRIu64
			    ",\"damaged\":%" PRIu64 "}}\n",
			    t->files, t->records, t->packets, t->bytes, t->lost,
			    t->damaged);
		else
			fprintf(d->out,
			    "totals files %" PRIu64 " records %" PRIu64
			    " packets %" PRIu64 " bytes %" PRIu64
			    " lost %" PRIu64 " damaged %" PRIu64 "\n",
			    t->files, t->records, t->packets, t->bytes, t->lost,
			    t->damaged);
	}
	if (fflush(d->out) == EOF || ferror(d->out))
		return -1;
	return 0;
}
