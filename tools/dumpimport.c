/*
 * CSV -> flow file. The header line names the columns; every value is
 * checked (numbers in range, addresses in standard form, times as dump
 * prints them) and a bad one fails the import with "file:line: column".
 */
#include "tools/dumpimport.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"
#include "tools/dumpfmt.h"

#define DUMPIMPORT_BATCH 1024

struct dumpimport {
	int cols[DUMPFMT_NCOLS]; /* input position -> column */
	int ncols;
	struct flowfile_exporter *exp;
	size_t nexp;
};

/* An unsigned decimal no larger than max: 0 or -1. */
static int
dumpimport_uint(const char *s, uint64_t max, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || *v > max)
		return -1;
	return 0;
}

static int
dumpimport_addr(const char *s, struct ft_addr *a)
{
	if (strcmp(s, "-") == 0 || *s == '\0') {
		memset(a, 0, sizeof(*a));
		return 0;
	}
	return addr_parse(s, a);
}

static int
dumpimport_field(struct flow *f, int col, const char *s)
{
	uint64_t v;

	switch (col) {
	case DUMPFMT_FIRST:
		return dumpfmt_parse_time(s, &f->first_ms);
	case DUMPFMT_LAST:
		return dumpfmt_parse_time(s, &f->last_ms);
	case DUMPFMT_EXPORTER:
		return dumpimport_addr(s, &f->exporter);
	case DUMPFMT_SRC:
		return dumpimport_addr(s, &f->src);
	case DUMPFMT_DST:
		return dumpimport_addr(s, &f->dst);
	case DUMPFMT_NEXTHOP:
		return dumpimport_addr(s, &f->nexthop);
	case DUMPFMT_PACKETS:
		return dumpimport_uint(s, UINT64_MAX, &f->packets);
	case DUMPFMT_BYTES:
		return dumpimport_uint(s, UINT64_MAX, &f->bytes);
	default:
		break;
	}
	if (dumpimport_uint(s, UINT32_MAX, &v) == -1)
		return -1;
	switch (col) {
	case DUMPFMT_SPORT:
	case DUMPFMT_DPORT:
	case DUMPFMT_VLAN:
		if (v > UINT16_MAX)
			return -1;
		if (col == DUMPFMT_SPORT)
			f->sport = (uint16_t)v;
		else if (col == DUMPFMT_DPORT)
			f->dport = (uint16_t)v;
		else
			f->vlan = (uint16_t)v;
		return 0;
	case DUMPFMT_IN_IF:
		f->in_if = (uint32_t)v;
		return 0;
	case DUMPFMT_OUT_IF:
		f->out_if = (uint32_t)v;
		return 0;
	case DUMPFMT_SRC_AS:
		f->src_as = (uint32_t)v;
		return 0;
	case DUMPFMT_DST_AS:
		f->dst_as = (uint32_t)v;
		return 0;
	case DUMPFMT_SAMPLING:
		f->sampling = (uint32_t)v;
		return 0;
	default:
		break;
	}
	if (v > UINT8_MAX)
		return -1;
	switch (col) {
	case DUMPFMT_PROTO:
		f->proto = (uint8_t)v;
		break;
	case DUMPFMT_TOS:
		f->tos = (uint8_t)v;
		break;
	case DUMPFMT_TCP_FLAGS:
		f->tcp_flags = (uint8_t)v;
		break;
	case DUMPFMT_SRC_MASK:
		f->src_mask = (uint8_t)v;
		break;
	case DUMPFMT_DST_MASK:
		f->dst_mask = (uint8_t)v;
		break;
	case DUMPFMT_DIRECTION:
		f->direction = (uint8_t)v;
		break;
	default:
		return -1;
	}
	return 0;
}

static void
dumpimport_chomp(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

static int
dumpimport_header(
    struct dumpimport *im, char *line, const char *name, struct errbuf *eb)
{
	bool seen[DUMPFMT_NCOLS] = { false };
	char *tok, *save = NULL;
	int c;

	for (tok = strtok_r(line, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		for (c = 0; c < DUMPFMT_NCOLS; c++)
			if (strcmp(tok, dumpfmt_col_name(c)) == 0)
				break;
		if (c == DUMPFMT_NCOLS) {
			errbuf_set(eb, "%s:1: unknown column '%s'", name, tok);
			return -1;
		}
		if (seen[c]) {
			errbuf_set(
			    eb, "%s:1: duplicate column '%s'", name, tok);
			return -1;
		}
		seen[c] = true;
		im->cols[im->ncols++] = c;
	}
	if (im->ncols == 0) {
		errbuf_set(eb, "%s:1: no header line", name);
		return -1;
	}
	return 0;
}

/* Count a flow for its exporter in the header table. */
static int
dumpimport_count(struct dumpimport *im, const struct flow *f)
{
	size_t i;

	if (f->exporter.family == FT_AF_NONE)
		return 0;
	for (i = 0; i < im->nexp; i++) {
		if (ft_addr_equal(&im->exp[i].addr, &f->exporter)) {
			im->exp[i].flows++;
			return 0;
		}
	}
	if (im->nexp == FLOWFILE_MAX_EXPORTERS)
		return 0;
	memset(&im->exp[im->nexp], 0, sizeof(im->exp[0]));
	im->exp[im->nexp].addr = f->exporter;
	im->exp[im->nexp].flows = 1;
	im->nexp++;
	return 0;
}

static int
dumpimport_line(struct dumpimport *im, char *line, struct flow *f,
    const char *name, unsigned long lineno, struct errbuf *eb)
{
	char *p = line, *comma;
	int i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < im->ncols; i++) {
		comma = strchr(p, ',');
		if ((comma == NULL) != (i == im->ncols - 1)) {
			errbuf_set(eb, "%s:%lu: expected %d fields", name,
			    lineno, im->ncols);
			return -1;
		}
		if (comma != NULL)
			*comma = '\0';
		if (dumpimport_field(f, im->cols[i], p) == -1) {
			errbuf_set(eb, "%s:%lu: bad value '%s' for column '%s'",
			    name, lineno, p, dumpfmt_col_name(im->cols[i]));
			return -1;
		}
		p = comma != NULL ? comma + 1 : p;
	}
	return dumpimport_count(im, f);
}

int
dumpimport_csv(FILE *fp, const char *name, const char *outdir,
    const struct dumpimport_opts *o, char *path, size_t len, struct errbuf *eb)
{
	struct flowfile_opts fo = { .codec = o->codec,
		.zstd_level = 3,
		.nest = o->nest,
		.creator = "flowtally-dump" };
	struct flowfile_writer *w = NULL;
	struct dumpimport im;
	struct flow *batch = NULL;
	char *line = NULL;
	size_t cap = 0, nb = 0;
	unsigned long lineno = 0;
	ssize_t n;

	memset(&im, 0, sizeof(im));
	batch = calloc(DUMPIMPORT_BATCH, sizeof(*batch));
	im.exp = calloc(FLOWFILE_MAX_EXPORTERS, sizeof(*im.exp));
	if (batch == NULL || im.exp == NULL) {
		errbuf_set(eb, "%s: out of memory", name);
		goto fail;
	}
	if ((n = getline(&line, &cap, fp)) == -1) {
		errbuf_set(eb, "%s:1: no header line", name);
		goto fail;
	}
	lineno = 1;
	dumpimport_chomp(line);
	if (dumpimport_header(&im, line, name, eb) == -1)
		goto fail;
	if (flowfile_writer_open(outdir, o->start_s, o->end_s, &fo, &w) == -1) {
		errbuf_set(eb, "%s: %s", outdir, strerror(errno));
		goto fail;
	}
	while ((n = getline(&line, &cap, fp)) != -1) {
		lineno++;
		dumpimport_chomp(line);
		if (line[0] == '\0')
			continue;
		if (dumpimport_line(&im, line, &batch[nb], name, lineno, eb) ==
		    -1)
			goto fail;
		if (++nb == DUMPIMPORT_BATCH) {
			if (flowfile_write(w, batch, nb) == -1)
				goto fail_io;
			nb = 0;
		}
	}
	if (ferror(fp)) {
		errbuf_set(eb, "%s: %s", name, strerror(errno));
		goto fail;
	}
	if (nb > 0 && flowfile_write(w, batch, nb) == -1)
		goto fail_io;
	if (flowfile_writer_close(w, im.exp, im.nexp, path, len) == -1) {
		w = NULL;
		goto fail_io;
	}
	free(line);
	free(batch);
	free(im.exp);
	return 0;

fail_io:
	errbuf_set(eb, "%s: write flow file: %s", outdir, strerror(errno));
fail:
	flowfile_writer_abort(w);
	free(line);
	free(batch);
	free(im.exp);
	return -1;
}
