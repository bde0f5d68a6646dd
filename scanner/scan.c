/*
 * The scanner's work, wired from the configuration: read a flow file in
 * blocks, classify and count every flow, write the RRDs, feed the
 * scoreboard, then record the file in the ledger and archive it.
 */
#include "scanner/scan.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/flowfile.h"
#include "lib/log.h"
#include "lib/tmutil.h"
#include "scanner/board.h"
#include "scanner/hosttab.h"

static void
scan_host(void *ctx, const struct host_op *ops, size_t n)
{
	hosttab_add_batch(ctx, ops, n);
}

int
scan_settings(
    cfg_t *cfg, uint32_t *interval, enum spool_archive *arch, struct errbuf *eb)
{
	const char *name = cfg->filename ? cfg->filename : "(config)";
	cfg_t *sc = cfg_getsec(cfg, "scanner");
	long iv = cfg_getint(sc, "interval");

	if (iv < 10 || iv > 86400) {
		errbuf_set(eb,
		    "%s: scanner interval %ld out of range (10..86400)", name,
		    iv);
		return -1;
	}
	*interval = (uint32_t)iv;
	if (spool_parse_archive(cfg_getstr(sc, "archive"), arch) == -1) {
		errbuf_set(eb,
		    "%s: scanner archive \"%s\": want keep, move or delete",
		    name, cfg_getstr(sc, "archive"));
		return -1;
	}
	return 0;
}

int
scan_init(struct scan *s, cfg_t *cfg, struct errbuf *eb)
{
	const char *name = cfg->filename ? cfg->filename : "(config)";
	enum spool_archive arch;
	cfg_t *sc = cfg_getsec(cfg, "scanner");

	memset(s, 0, sizeof(*s));
	s->sp.ledger_fd = -1;
	s->sp.lock_fd = -1;
	s->sp.writer_fd = -1;
	if (scan_settings(cfg, &s->interval, &arch, eb) == -1)
		return -1;
	if (vocab_load(&s->v, cfg, eb) == -1)
		return -1;
	if (cls_build(&s->c, &s->v, eb) == -1)
		goto fail;
	if (agg_init(&s->a, &s->c) == -1) {
		errbuf_set(eb, "out of memory");
		goto fail;
	}
	if (rrdout_init(&s->o, cfg_getstr(sc, "rrd_dir"),
		cfg_getstr(sc, "rrdcached"), s->interval, eb) == -1 ||
	    rrdout_set_targets(&s->o, &s->v, &s->c, eb) == -1)
		goto fail;
	if ((s->board = board_new(cfg, name, eb)) == NULL)
		goto fail;
	if (board_enabled(s->board)) {
		if ((s->ht = hosttab_new(board_max_hosts(s->board))) == NULL) {
			errbuf_set(eb, "out of memory");
			goto fail;
		}
		s->a.host_fn = scan_host;
		s->a.host_ctx = s->ht;
	}
	if ((s->buf = calloc(SCAN_BATCH, sizeof(*s->buf))) == NULL) {
		errbuf_set(eb, "out of memory");
		goto fail;
	}
	if (spool_open(&s->sp, cfg_getstr(sc, "flow_dir"),
		cfg_getstr(sc, "state_dir"), arch, cfg_getstr(sc, "saved_dir"),
		eb) == -1)
		goto fail;
	return 0;
fail:
	scan_clear(s);
	return -1;
}

void
scan_clear(struct scan *s)
{
	spool_close(&s->sp);
	free(s->buf);
	board_free(s->board);
	if (s->ht != NULL)
		hosttab_free(s->ht);
	rrdout_clear(&s->o);
	agg_clear(&s->a);
	cls_clear(&s->c);
	vocab_clear(&s->v);
	memset(s, 0, sizeof(*s));
	s->sp.ledger_fd = -1;
	s->sp.lock_fd = -1;
	s->sp.writer_fd = -1;
}

int
scan_file(struct scan *s, const char *path, struct scan_result *res,
    struct errbuf *eb)
{
	const struct flowfile_header *h;
	struct flowfile_reader *r;
	struct errbuf reb;
	uint64_t t0 = tm_mono_ms();
	ssize_t n;

	memset(res, 0, sizeof(*res));
	if (flowfile_open(path, &r, eb) == -1)
		return -1;
	h = flowfile_header(r);
	res->start = h->start;
	res->end = h->end;
	if (h->end <= h->start) {
		errbuf_set(eb, "%s: empty or inverted interval", path);
		flowfile_close(r);
		return -1;
	}
	agg_reset(&s->a);
	if (s->ht != NULL)
		hosttab_reset(s->ht);
	for (;;) {
		n = flowfile_read(r, s->buf, SCAN_BATCH, &reb);
		if (n == 0)
			break;
		if (n == -1) {
			log_warnx("%s", reb.msg);
			res->problems++;
			if (res->problems > 1000)
				break;
			continue;
		}
		agg_flows(&s->a, s->buf, (size_t)n);
	}
	res->lost = flowfile_lost(r);
	flowfile_close(r);
	res->st = s->a.st;
	if (res->end - res->start != s->interval)
		log_warnx("%s: interval is %" PRIu64
			  " s, the RRD step is %" PRIu32 " s",
		    path, res->end - res->start, s->interval);

	if (rrdout_write(&s->o, agg_rows(&s->a), res->start, res->end,
		&res->rrd) == -1) {
		res->problems++;
		res->rrd.errors = s->o.n;
	}
	res->problems += (unsigned)res->rrd.errors;
	if (s->ht != NULL) {
		const uint64_t *tot = agg_row(&s->a, s->c.global.total);
		struct board_totals bt;
		struct errbuf beb;
		int d;

		for (d = 0; d < 2; d++) {
			bt.bytes[d] = tot[AGG_IN_BYTES + d];
			bt.pkts[d] = tot[AGG_IN_PKTS + d];
			bt.flows[d] = tot[AGG_IN_FLOWS + d];
		}
		if (board_interval(s->board, s->ht, &bt, res->start, res->end,
			&beb) == -1) {
			log_warnx("scoreboard: %s", beb.msg);
			res->problems++;
		}
	}
	res->seconds = (double)(tm_mono_ms() - t0) / 1000.0;
	return 0;
}

int
scan_pass(struct scan *s, volatile const sig_atomic_t *quit)
{
	struct spool_file *files;
	struct scan_result res;
	struct errbuf eb;
	char summary[256];
	size_t n, i, pending;
	int done = 0;

	if (spool_list(&s->sp, &files, &n, &eb) == -1) {
		log_warnx("%s", eb.msg);
		return -1;
	}
	for (i = 0, pending = 0; i < n; i++)
		pending += !spool_is_done(&s->sp, files[i].start);
	if (pending > 1)
		log_info("%zu flow files pending", pending);
	for (i = 0; i < n && !*quit; i++) {
		const struct spool_file *f = &files[i];

		if (spool_is_done(&s->sp, f->start)) {
			/* Processed before a crash, not archived yet. */
			if (spool_archive_file(&s->sp, f, &eb) == -1)
				log_warnx("%s", eb.msg);
			continue;
		}
		if (scan_file(s, f->path, &res, &eb) == -1) {
			log_warnx("file %s: unusable: %s", f->path, eb.msg);
			if (spool_reject(&s->sp, f, &eb) == -1)
				log_warnx("%s", eb.msg);
			continue;
		}
		log_info(
		    "file %s: %" PRIu64 " flows, hit ratio %" PRIu64 "/%" PRIu64
		    " (%.1f%%), internal %" PRIu64 ", transit %" PRIu64
		    ", %zu RRDs updated (%zu already, %zu stale, %zu errors), %.3f s%s%s",
		    f->path, res.st.flows, res.st.hits, res.st.flows,
		    res.st.flows
			? 100.0 * (double)res.st.hits / (double)res.st.flows
			: 100.0,
		    res.st.internal, res.st.transit, res.rrd.updated,
		    res.rrd.already, res.rrd.stale, res.rrd.errors, res.seconds,
		    res.lost ? ", records lost in damaged blocks" : "",
		    res.st.sampling_unknown
			? ", sampling rate unknown for some flows"
			: "");
		if (res.rrd.errors > 0 && res.rrd.updated == 0 &&
		    res.rrd.already == 0) {
			/* Nothing written (no rrdcached?): retry next pass. */
			log_warnx(
			    "file %s: no RRD written, will retry", f->path);
			break;
		}
		snprintf(summary, sizeof(summary),
		    "%" PRIu64 " %" PRIu64 " %" PRIu64 " %zu", res.end,
		    res.st.flows, res.st.hits, res.rrd.updated);
		if (spool_done(&s->sp, f, summary, &eb) == -1)
			log_warnx("%s", eb.msg);
		done++;
	}
	free(files);
	return done;
}
