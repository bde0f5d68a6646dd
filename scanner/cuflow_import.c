/*
 * CUFlow.cf -> flowtally.conf. Each directive is parsed as CUFlow's parser
 * accepts it (comma lists without spaces, port/proto items, ranges, bare
 * addresses as /32) and printed as the matching flowtally section.
 */
#include "scanner/cuflow_import.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"
#include "scanner/vocab.h"

#define CUF_MAX_ITEMS 1024

/* Split s at commas into items (in place); returns the count. */
static size_t
cuf_split(char *s, char **items, size_t max)
{
	size_t n = 0;
	char *tok, *save;

	for (tok = strtok_r(s, ",", &save); tok != NULL && n < max;
	     tok = strtok_r(NULL, ",", &save))
		items[n++] = tok;
	return n;
}

/* A label safe for flowtally: unsafe characters become '_'. */
static void
cuf_label(const char *in, char *out, size_t len)
{
	size_t i;

	for (i = 0; in[i] != '\0' && i + 1 < len && i < VOCAB_LABEL_MAX; i++)
		out[i] = (isalnum((unsigned char)in[i]) || in[i] == '-' ||
			     in[i] == '_')
		    ? in[i]
		    : '_';
	out[i] = '\0';
}

#define CUF_MAX_ROUTERS 256
#define CUF_MAX_LABELS  8192

/* A label given so far: its kind (directive) and line, for duplicates. */
struct cuf_label_use {
	const char *kind;
	char label[VOCAB_LABEL_MAX + 1];
	unsigned lineno;
};

struct cuf_router {
	char addr[ADDR_STRLEN];
	char label[VOCAB_LABEL_MAX + 1];
	unsigned long rate;
	unsigned lineno; /* where the label was set */
};

struct cuf_out {
	FILE *out;
	struct cuf_router routers[CUF_MAX_ROUTERS];
	size_t n_routers;
	char subnets[64 * 1024];
	/* The last OutputDir, Scoreboard and AggregateScore (-1, "": none). */
	char rrd_dir[4096];
	long top;
	char board_dir[4096];
	long aggregate;
	struct cuf_label_use labels[CUF_MAX_LABELS];
	size_t n_labels;
};

/*
 * Claim label for kind at lineno: 0, or -1 with eb naming both lines when
 * the kind already has it (CUFlow refuses a duplicate label; two labels
 * may also become one once made safe, "a.b" and "a_b").
 */
static int
cuf_claim(struct cuf_out *o, const char *kind, const char *label,
    const char *path, unsigned lineno, struct errbuf *eb)
{
	struct cuf_label_use *u;
	size_t i;

	for (i = 0; i < o->n_labels; i++) {
		u = &o->labels[i];
		if (strcmp(u->kind, kind) == 0 &&
		    strcmp(u->label, label) == 0) {
			errbuf_set(eb,
			    "%s:%u: %s label \"%s\" already used at line %u",
			    path, lineno, kind, label, u->lineno);
			return -1;
		}
	}
	if (o->n_labels == CUF_MAX_LABELS) {
		errbuf_set(eb, "%s:%u: too many labels", path, lineno);
		return -1;
	}
	u = &o->labels[o->n_labels++];
	u->kind = kind;
	snprintf(u->label, sizeof(u->label), "%s", label);
	u->lineno = lineno;
	return 0;
}

/* Whether s can go inside a quoted configuration string as it is. */
static int
cuf_plain(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '"' || *s == '\\' || iscntrl((unsigned char)*s))
			return 0;
	return 1;
}

/* Whether s is a count: digits only, at most 9 of them. */
static int
cuf_count(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && n <= 9 && s[n] == '\0';
}

static int
cuf_prefix(const char *s, char *buf, size_t len)
{
	struct ft_prefix p;

	if (addr_parse_prefix(s, 1, &p) == -1)
		return -1;
	addr_format_prefix(&p, buf, len);
	return 0;
}

static int
cuf_line(struct cuf_out *o, char *line, const char *path, unsigned lineno,
    struct errbuf *eb)
{
	char *w[8], *save, *tok, *items[CUF_MAX_ITEMS],
	    lab[VOCAB_LABEL_MAX + 1], buf[ADDR_STRLEN];
	size_t nw = 0, n, i;
	FILE *f = o->out;

	for (tok = strtok_r(line, " \t\r\n", &save); tok != NULL && nw < 8;
	     tok = strtok_r(NULL, " \t\r\n", &save))
		w[nw++] = tok;
	if (nw == 0)
		return 0;
	if (strcasecmp(w[0], "Subnet") == 0 && nw == 2) {
		if (cuf_prefix(w[1], buf, sizeof(buf)) == -1)
			goto bad;
		snprintf(o->subnets + strlen(o->subnets),
		    sizeof(o->subnets) - strlen(o->subnets), "%s\"%s\"",
		    o->subnets[0] ? ", " : "", buf);
		return 0;
	}
	if (strcasecmp(w[0], "Network") == 0 && nw == 3) {
		cuf_label(w[2], lab, sizeof(lab));
		if (cuf_claim(o, "Network", lab, path, lineno, eb) == -1)
			return -1;
		n = cuf_split(w[1], items, CUF_MAX_ITEMS);
		fprintf(f, "network \"%s\" {\n\tprefixes = {", lab);
		for (i = 0; i < n; i++) {
			if (cuf_prefix(items[i], buf, sizeof(buf)) == -1)
				goto bad;
			fprintf(f, "%s \"%s\"", i ? "," : "", buf);
		}
		fprintf(f, " }\n}\n");
		return 0;
	}
	if (strcasecmp(w[0], "Service") == 0 && nw == 3) {
		struct vocab_port p;
		struct errbuf pe;

		cuf_label(w[2], lab, sizeof(lab));
		if (cuf_claim(o, "Service", lab, path, lineno, eb) == -1)
			return -1;
		n = cuf_split(w[1], items, CUF_MAX_ITEMS);
		fprintf(f, "service \"%s\" {\n\tports = {", lab);
		for (i = 0; i < n; i++) {
			if (vocab_parse_port(items[i], &p, &pe) == -1) {
				errbuf_set(eb, "%s:%u: Service item \"%s\": %s",
				    path, lineno, items[i], pe.msg);
				return -1;
			}
			fprintf(f, "%s \"%s\"", i ? "," : "", items[i]);
		}
		fprintf(f, " }\n}\n");
		return 0;
	}
	if (strcasecmp(w[0], "Protocol") == 0 && (nw == 2 || nw == 3)) {
		uint8_t num;

		if (vocab_parse_proto(w[1], &num) == -1) {
			errbuf_set(eb, "%s:%u: Unknown protocol %s", path,
			    lineno, w[1]);
			return -1;
		}
		cuf_label(nw == 3 ? w[2] : w[1], lab, sizeof(lab));
		if (cuf_claim(o, "Protocol", lab, path, lineno, eb) == -1)
			return -1;
		fprintf(
		    f, "protocol \"%s\" {\n\tnumber = \"%u\"\n}\n", lab, num);
		return 0;
	}
	if ((strcasecmp(w[0], "Router") == 0 && (nw == 2 || nw == 3)) ||
	    (strcasecmp(w[0], "SampleRate") == 0 && nw == 3)) {
		int sr = strcasecmp(w[0], "SampleRate") == 0;
		struct cuf_router *r = NULL;
		struct ft_addr a;
		char *end;

		if (addr_parse(w[1], &a) == -1)
			goto bad;
		addr_format(&a, buf, sizeof(buf));
		for (i = 0; i < o->n_routers; i++)
			if (strcmp(o->routers[i].addr, buf) == 0)
				r = &o->routers[i];
		if (r == NULL) {
			if (o->n_routers == CUF_MAX_ROUTERS) {
				errbuf_set(eb, "%s:%u: too many routers", path,
				    lineno);
				return -1;
			}
			r = &o->routers[o->n_routers++];
			snprintf(r->addr, sizeof(r->addr), "%s", buf);
			cuf_label(buf, r->label, sizeof(r->label));
			r->lineno = lineno;
		}
		if (sr) {
			r->rate = strtoul(w[2], &end, 10);
			if (*end != '\0' || r->rate == 0)
				goto bad;
		} else {
			cuf_label(
			    nw == 3 ? w[2] : w[1], r->label, sizeof(r->label));
			r->lineno = lineno;
		}
		return 0;
	}
	if ((strcasecmp(w[0], "TOS") == 0 ||
		strcasecmp(w[0], "ASNumber") == 0) &&
	    nw == 3) {
		int as = strcasecmp(w[0], "ASNumber") == 0;
		struct vocab_range r;

		cuf_label(w[2], lab, sizeof(lab));
		if (cuf_claim(o, as ? "ASNumber" : "TOS", lab, path, lineno,
			eb) == -1)
			return -1;
		n = cuf_split(w[1], items, CUF_MAX_ITEMS);
		fprintf(f, "%s \"%s\" {\n\t%s = {", as ? "as_group" : "tos",
		    lab, as ? "asns" : "values");
		for (i = 0; i < n; i++) {
			if (vocab_parse_range(items[i], as ? UINT32_MAX : 255,
				as, &r) == -1) {
				errbuf_set(eb, "%s:%u: Bad %s item %s", path,
				    lineno, as ? "AS number" : "TOS", items[i]);
				return -1;
			}
			fprintf(f, "%s \"%s\"", i ? "," : "", items[i]);
		}
		fprintf(f, " }\n}\n");
		return 0;
	}
	if (strcasecmp(w[0], "Multicast") == 0 && nw == 1) {
		fprintf(f, "multicast = true\n");
		return 0;
	}
	if (strcasecmp(w[0], "OutputDir") == 0 && nw == 2 && cuf_plain(w[1]) &&
	    strlen(w[1]) < sizeof(o->rrd_dir)) {
		strcpy(o->rrd_dir, w[1]);
		return 0;
	}
	if (strcasecmp(w[0], "Scoreboard") == 0 && nw >= 2 && cuf_count(w[1]) &&
	    (nw == 2 ||
		(cuf_plain(w[2]) && strlen(w[2]) < sizeof(o->board_dir)))) {
		o->top = strtol(w[1], NULL, 10);
		if (nw > 2)
			strcpy(o->board_dir, w[2]);
		return 0;
	}
	if (strcasecmp(w[0], "AggregateScore") == 0 && nw >= 2 &&
	    cuf_count(w[1])) {
		o->aggregate = strtol(w[1], NULL, 10);
		return 0;
	}
bad:
	errbuf_set(eb, "%s:%u: Invalid line", path, lineno);
	return -1;
}

int
cuflow_import(const char *path, FILE *out, struct errbuf *eb)
{
	struct cuf_out *o;
	char line[8192], *hash;
	unsigned lineno = 0;
	FILE *fp;
	int ret = -1;

	if ((fp = fopen(path, "r")) == NULL) {
		errbuf_set(eb, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((o = calloc(1, sizeof(*o))) == NULL) {
		errbuf_set(eb, "out of memory");
		fclose(fp);
		return -1;
	}
	o->out = out;
	o->top = o->aggregate = -1;
	fprintf(out, "# flowtally.conf vocabulary imported from %s\n", path);
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		if (cuf_line(o, line, path, lineno, eb) == -1)
			goto out;
	}
	for (size_t i = 0; i < o->n_routers; i++)
		if (cuf_claim(o, "Router", o->routers[i].label, path,
			o->routers[i].lineno, eb) == -1)
			goto out;
	for (size_t i = 0; i < o->n_routers; i++)
		fprintf(out,
		    "router \"%s\" {\n\taddress = \"%s\"\n\tsample_rate = %lu\n}\n",
		    o->routers[i].label, o->routers[i].addr,
		    o->routers[i].rate);
	if (o->subnets[0] != '\0')
		fprintf(out, "subnets = { %s }\n", o->subnets);
	fprintf(out, "scanner {\n");
	if (o->rrd_dir[0] != '\0')
		fprintf(out, "\trrd_dir = \"%s\"\n", o->rrd_dir);
	fprintf(
	    out, "\tscoreboard {\n\t\ttop = %ld\n", o->top > 0 ? o->top : 0);
	if (o->board_dir[0] != '\0')
		fprintf(out, "\t\tdir = \"%s\"\n", o->board_dir);
	if (o->aggregate >= 0)
		fprintf(out, "\t\taggregate = %ld\n", o->aggregate);
	fprintf(out, "\t}\n}\n");
	ret = 0;
out:
	fclose(fp);
	free(o);
	return ret;
}
