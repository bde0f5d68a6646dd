/*
 * Builds the scanner's vocabulary from the shared configuration: parses
 * prefixes, port lists (numbers, ranges and /etc/services names), protocol
 * names, ToS values and AS numbers, resolves cross references (network
 * services, interface routers and AS groups) and checks every label.
 */
#include "scanner/vocab.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

/* Where a section was defined, for messages. */
struct vocab_where {
	const char *file;
	int line;
	const char *kind;
	const char *label;
};

static void
vocab_err(struct errbuf *eb, const struct vocab_where *w, const char *what,
    const char *value)
{
	if (w->label != NULL)
		errbuf_set(eb, "%s:%d: %s \"%s\": %s \"%s\"", w->file, w->line,
		    w->kind, w->label, what, value);
	else
		errbuf_set(
		    eb, "%s: %s: %s \"%s\"", w->file, w->kind, what, value);
}

bool
vocab_label_ok(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++, n++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return n > 0 && n <= VOCAB_LABEL_MAX;
}

/* Parse a decimal number 0..max with nothing after it: 0 or -1. */
static int
vocab_number(const char *s, uint32_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int
vocab_parse_proto(const char *s, uint8_t *proto)
{
	struct protoent *pe;
	uint32_t n;

	if (vocab_number(s, 255, &n) == 0) {
		*proto = (uint8_t)n;
		return 0;
	}
	if ((pe = getprotobyname(s)) == NULL || pe->p_proto < 0 ||
	    pe->p_proto > 255)
		return -1;
	*proto = (uint8_t)pe->p_proto;
	return 0;
}

int
vocab_parse_range(const char *s, uint32_t max, bool as, struct vocab_range *r)
{
	char buf[64], *dash, *lo, *hi;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	lo = buf;
	hi = NULL;
	if ((dash = strchr(buf, '-')) != NULL) {
		*dash = '\0';
		hi = dash + 1;
	}
	if (as && (lo[0] == 'A' || lo[0] == 'a') &&
	    (lo[1] == 'S' || lo[1] == 's'))
		lo += 2;
	if (as && hi != NULL && (hi[0] == 'A' || hi[0] == 'a') &&
	    (hi[1] == 'S' || hi[1] == 's'))
		hi += 2;
	if (vocab_number(lo, max, &r->lo) == -1)
		return -1;
	if (hi == NULL)
		r->hi = r->lo;
	else if (vocab_number(hi, max, &r->hi) == -1 || r->hi < r->lo)
		return -1;
	return 0;
}

/* A port number or a services-database name for protocol pname. */
static int
vocab_port_number(const char *s, const char *pname, uint16_t *port)
{
	struct servent *se;
	uint32_t n;

	if (vocab_number(s, 65535, &n) == 0) {
		*port = (uint16_t)n;
		return 0;
	}
	if ((se = getservbyname(s, pname)) == NULL)
		return -1;
	*port = ntohs((uint16_t)se->s_port);
	return 0;
}

int
vocab_parse_port(const char *s, struct vocab_port *p, struct errbuf *eb)
{
	char buf[128], *slash, *dash, *pname;
	struct protoent *pe;

	if (strlen(s) >= sizeof(buf)) {
		errbuf_set(eb, "too long");
		return -1;
	}
	strcpy(buf, s);
	if ((slash = strchr(buf, '/')) == NULL) {
		errbuf_set(eb, "missing /protocol");
		return -1;
	}
	*slash = '\0';
	pname = slash + 1;
	if (vocab_parse_proto(pname, &p->proto) == -1) {
		errbuf_set(eb, "unknown protocol");
		return -1;
	}
	/* getservbyname wants the protocol's name. */
	if ((pe = getprotobynumber(p->proto)) != NULL)
		pname = pe->p_name;
	dash = strchr(buf, '-');
	/* A name may itself hold a dash: try the whole text first. */
	if (vocab_port_number(buf, pname, &p->lo) == 0) {
		p->hi = p->lo;
		return 0;
	}
	if (dash == NULL) {
		errbuf_set(eb, "unknown service");
		return -1;
	}
	*dash = '\0';
	if (vocab_port_number(buf, pname, &p->lo) == -1 ||
	    vocab_port_number(dash + 1, pname, &p->hi) == -1) {
		errbuf_set(eb, "unknown service");
		return -1;
	}
	if (p->hi < p->lo) {
		errbuf_set(eb, "bad range");
		return -1;
	}
	return 0;
}

static uint32_t
vocab_find(const void *arr, size_t n, size_t size, const char *label)
{
	const char *p = arr;
	size_t i;

	/* Every element begins with its label. */
	for (i = 0; i < n; i++)
		if (strcmp(p + i * size, label) == 0)
			return (uint32_t)i;
	return VOCAB_NONE;
}

uint32_t
vocab_find_service(const struct vocab *v, const char *label)
{
	return vocab_find(
	    v->services, v->n_services, sizeof(*v->services), label);
}

uint32_t
vocab_find_router(const struct vocab *v, const char *label)
{
	return vocab_find(v->routers, v->n_routers, sizeof(*v->routers), label);
}

uint32_t
vocab_find_as_group(const struct vocab *v, const char *label)
{
	return vocab_find(
	    v->as_groups, v->n_as_groups, sizeof(*v->as_groups), label);
}

/* calloc for n elements, with n == 0 allowed (returns a 1-byte block). */
static void *
vocab_alloc(size_t n, size_t size)
{
	return calloc(n ? n : 1, size);
}

static int
vocab_label(struct vocab_where *w, cfg_t *sec, char *dst, struct errbuf *eb)
{
	const char *t = cfg_title(sec);

	w->label = t;
	w->line = sec->line;
	if (t == NULL || !vocab_label_ok(t)) {
		errbuf_set(eb,
		    "%s:%d: %s label \"%s\" must be 1-%d of A-Z a-z 0-9 _ -",
		    w->file, w->line, w->kind, t ? t : "", VOCAB_LABEL_MAX);
		return -1;
	}
	strcpy(dst, t);
	return 0;
}

static int
vocab_prefixes(cfg_t *sec, const char *opt, struct ft_prefix **out, size_t *n,
    struct vocab_where *w, struct errbuf *eb)
{
	size_t i, cnt = cfg_size(sec, opt);
	const char *s;

	if ((*out = vocab_alloc(cnt, sizeof(**out))) == NULL) {
		errbuf_set(eb, "%s: out of memory", w->file);
		return -1;
	}
	for (i = 0; i < cnt; i++) {
		s = cfg_getnstr(sec, opt, i);
		if (addr_parse_prefix(s, 0, &(*out)[i]) == -1) {
			vocab_err(eb, w, "bad prefix (host bits set?)", s);
			return -1;
		}
	}
	*n = cnt;
	return 0;
}

static int
vocab_ranges(cfg_t *sec, const char *opt, uint32_t max, bool as,
    struct vocab_class *c, struct vocab_where *w, struct errbuf *eb)
{
	size_t i, cnt = cfg_size(sec, opt);
	const char *s;

	if ((c->ranges = vocab_alloc(cnt, sizeof(*c->ranges))) == NULL) {
		errbuf_set(eb, "%s: out of memory", w->file);
		return -1;
	}
	for (i = 0; i < cnt; i++) {
		s = cfg_getnstr(sec, opt, i);
		if (vocab_parse_range(s, max, as, &c->ranges[i]) == -1) {
			vocab_err(eb, w,
			    as ? "bad AS number or range"
			       : "bad ToS value or range",
			    s);
			return -1;
		}
	}
	if (cnt == 0) {
		vocab_err(eb, w, "empty list", opt);
		return -1;
	}
	c->n_ranges = cnt;
	return 0;
}

static int
vocab_load_services(
    struct vocab *v, cfg_t *cfg, struct vocab_where *w, struct errbuf *eb)
{
	struct vocab_service *sv;
	struct errbuf pe;
	size_t i, j, cnt;
	cfg_t *sec;

	w->kind = "service";
	v->n_services = cfg_size(cfg, "service");
	if ((v->services = vocab_alloc(v->n_services, sizeof(*sv))) == NULL)
		goto oom;
	for (i = 0; i < v->n_services; i++) {
		sec = cfg_getnsec(cfg, "service", i);
		sv = &v->services[i];
		if (vocab_label(w, sec, sv->label, eb) == -1)
			return -1;
		cnt = cfg_size(sec, "ports");
		if (cnt == 0) {
			vocab_err(eb, w, "empty list", "ports");
			return -1;
		}
		if ((sv->ports = vocab_alloc(cnt, sizeof(*sv->ports))) == NULL)
			goto oom;
		for (j = 0; j < cnt; j++) {
			const char *s = cfg_getnstr(sec, "ports", j);

			if (vocab_parse_port(s, &sv->ports[j], &pe) == -1) {
				vocab_err(eb, w, pe.msg, s);
				return -1;
			}
		}
		sv->n_ports = cnt;
	}
	return 0;
oom:
	errbuf_set(eb, "%s: out of memory", w->file);
	return -1;
}

static int
vocab_load_networks(
    struct vocab *v, cfg_t *cfg, struct vocab_where *w, struct errbuf *eb)
{
	struct vocab_network *nw;
	size_t i, j, cnt;
	cfg_t *sec;

	w->kind = "network";
	v->n_networks = cfg_size(cfg, "network");
	if ((v->networks = vocab_alloc(v->n_networks, sizeof(*nw))) == NULL)
		goto oom;
	for (i = 0; i < v->n_networks; i++) {
		sec = cfg_getnsec(cfg, "network", i);
		nw = &v->networks[i];
		if (vocab_label(w, sec, nw->label, eb) == -1)
			return -1;
		if (vocab_prefixes(sec, "prefixes", &nw->prefixes,
			&nw->n_prefixes, w, eb) == -1)
			return -1;
		if (nw->n_prefixes == 0) {
			vocab_err(eb, w, "empty list", "prefixes");
			return -1;
		}
		cnt = cfg_size(sec, "services");
		if ((nw->services = vocab_alloc(cnt, sizeof(uint32_t))) == NULL)
			goto oom;
		for (j = 0; j < cnt; j++) {
			const char *s = cfg_getnstr(sec, "services", j);
			uint32_t k = vocab_find_service(v, s);

			if (k == VOCAB_NONE) {
				vocab_err(eb, w, "unknown service", s);
				return -1;
			}
			nw->services[nw->n_services++] = k;
		}
	}
	return 0;
oom:
	errbuf_set(eb, "%s: out of memory", w->file);
	return -1;
}

static int
vocab_load_protocols(
    struct vocab *v, cfg_t *cfg, struct vocab_where *w, struct errbuf *eb)
{
	struct vocab_protocol *pr;
	const char *num;
	size_t i;
	cfg_t *sec;

	w->kind = "protocol";
	v->n_protocols = cfg_size(cfg, "protocol");
	if ((v->protocols = vocab_alloc(v->n_protocols, sizeof(*pr))) == NULL) {
		errbuf_set(eb, "%s: out of memory", w->file);
		return -1;
	}
	for (i = 0; i < v->n_protocols; i++) {
		sec = cfg_getnsec(cfg, "protocol", i);
		pr = &v->protocols[i];
		if (vocab_label(w, sec, pr->label, eb) == -1)
			return -1;
		if ((num = cfg_getstr(sec, "number")) == NULL)
			num = pr->label;
		if (vocab_parse_proto(num, &pr->number) == -1) {
			vocab_err(eb, w, "unknown protocol", num);
			return -1;
		}
	}
	return 0;
}

static int
vocab_load_routers(
    struct vocab *v, cfg_t *cfg, struct vocab_where *w, struct errbuf *eb)
{
	struct vocab_router *rt;
	const char *addr;
	long rate;
	size_t i, j;
	cfg_t *sec;

	w->kind = "router";
	v->n_routers = cfg_size(cfg, "router");
	if ((v->routers = vocab_alloc(v->n_routers, sizeof(*rt))) == NULL) {
		errbuf_set(eb, "%s: out of memory", w->file);
		return -1;
	}
	for (i = 0; i < v->n_routers; i++) {
		sec = cfg_getnsec(cfg, "router", i);
		rt = &v->routers[i];
		if (vocab_label(w, sec, rt->label, eb) == -1)
			return -1;
		addr = cfg_getstr(sec, "address");
		if (addr == NULL || addr_parse(addr, &rt->addr) == -1) {
			vocab_err(
			    eb, w, "bad or missing address", addr ? addr : "");
			return -1;
		}
		for (j = 0; j < i; j++)
			if (ft_addr_equal(&v->routers[j].addr, &rt->addr)) {
				vocab_err(eb, w,
				    "address already used by another router",
				    addr);
				return -1;
			}
		rate = cfg_getint(sec, "sample_rate");
		if (rate < 0 || rate > UINT32_MAX) {
			vocab_err(eb, w, "sample_rate out of range", "");
			return -1;
		}
		rt->sample_rate = (uint32_t)rate;
	}
	return 0;
}

static int
vocab_load_classes(
    struct vocab *v, cfg_t *cfg, struct vocab_where *w, struct errbuf *eb)
{
	size_t i;
	cfg_t *sec;

	w->kind = "tos";
	v->n_tos = cfg_size(cfg, "tos");
	if ((v->tos = vocab_alloc(v->n_tos, sizeof(*v->tos))) == NULL)
		goto oom;
	for (i = 0; i < v->n_tos; i++) {
		sec = cfg_getnsec(cfg, "tos", i);
		if (vocab_label(w, sec, v->tos[i].label, eb) == -1 ||
		    vocab_ranges(
			sec, "values", 255, false, &v->tos[i], w, eb) == -1)
			return -1;
	}
	w->kind = "as_group";
	v->n_as_groups = cfg_size(cfg, "as_group");
	if ((v->as_groups =
		    vocab_alloc(v->n_as_groups, sizeof(*v->as_groups))) == NULL)
		goto oom;
	for (i = 0; i < v->n_as_groups; i++) {
		sec = cfg_getnsec(cfg, "as_group", i);
		if (vocab_label(w, sec, v->as_groups[i].label, eb) == -1 ||
		    vocab_ranges(sec, "asns", UINT32_MAX, true,
			&v->as_groups[i], w, eb) == -1)
			return -1;
	}
	return 0;
oom:
	errbuf_set(eb, "%s: out of memory", w->file);
	return -1;
}

static int
vocab_load_interfaces(
    struct vocab *v, cfg_t *cfg, struct vocab_where *w, struct errbuf *eb)
{
	struct vocab_interface *in;
	const char *r;
	long ifx;
	size_t i, j, cnt;
	cfg_t *sec;

	w->kind = "interface";
	v->n_interfaces = cfg_size(cfg, "interface");
	if ((v->interfaces = vocab_alloc(v->n_interfaces, sizeof(*in))) == NULL)
		goto oom;
	for (i = 0; i < v->n_interfaces; i++) {
		sec = cfg_getnsec(cfg, "interface", i);
		in = &v->interfaces[i];
		if (vocab_label(w, sec, in->label, eb) == -1)
			return -1;
		r = cfg_getstr(sec, "router");
		if (r == NULL ||
		    (in->router = vocab_find_router(v, r)) == VOCAB_NONE) {
			vocab_err(
			    eb, w, "unknown or missing router", r ? r : "");
			return -1;
		}
		if (cfg_size(sec, "ifindex") == 0) {
			vocab_err(eb, w, "missing", "ifindex");
			return -1;
		}
		ifx = cfg_getint(sec, "ifindex");
		if (ifx < 0 || ifx > UINT32_MAX) {
			vocab_err(eb, w, "ifindex out of range", "");
			return -1;
		}
		in->ifindex = (uint32_t)ifx;
		for (j = 0; j < i; j++)
			if (v->interfaces[j].router == in->router &&
			    v->interfaces[j].ifindex == in->ifindex) {
				vocab_err(eb, w,
				    "same router and ifindex as interface",
				    v->interfaces[j].label);
				return -1;
			}
		cnt = cfg_size(sec, "as_groups");
		if ((in->as_groups = vocab_alloc(cnt, sizeof(uint32_t))) ==
		    NULL)
			goto oom;
		for (j = 0; j < cnt; j++) {
			const char *s = cfg_getnstr(sec, "as_groups", j);
			uint32_t k = vocab_find_as_group(v, s);

			if (k == VOCAB_NONE) {
				vocab_err(eb, w, "unknown as_group", s);
				return -1;
			}
			in->as_groups[in->n_as_groups++] = k;
		}
	}
	return 0;
oom:
	errbuf_set(eb, "%s: out of memory", w->file);
	return -1;
}

int
vocab_load(struct vocab *v, cfg_t *cfg, struct errbuf *eb)
{
	struct vocab_where w;

	memset(v, 0, sizeof(*v));
	memset(&w, 0, sizeof(w));
	w.file = cfg->filename ? cfg->filename : "(config)";
	w.kind = "subnets";
	if (vocab_prefixes(
		cfg, "subnets", &v->subnets, &v->n_subnets, &w, eb) == -1)
		goto fail;
	v->multicast = cfg_getbool(cfg, "multicast");
	/* Services and AS groups first: networks and interfaces name them. */
	if (vocab_load_services(v, cfg, &w, eb) == -1 ||
	    vocab_load_networks(v, cfg, &w, eb) == -1 ||
	    vocab_load_protocols(v, cfg, &w, eb) == -1 ||
	    vocab_load_routers(v, cfg, &w, eb) == -1 ||
	    vocab_load_classes(v, cfg, &w, eb) == -1 ||
	    vocab_load_interfaces(v, cfg, &w, eb) == -1)
		goto fail;
	return 0;
fail:
	vocab_clear(v);
	return -1;
}

void
vocab_clear(struct vocab *v)
{
	size_t i;

	free(v->subnets);
	for (i = 0; v->networks && i < v->n_networks; i++) {
		free(v->networks[i].prefixes);
		free(v->networks[i].services);
	}
	free(v->networks);
	for (i = 0; v->services && i < v->n_services; i++)
		free(v->services[i].ports);
	free(v->services);
	free(v->protocols);
	free(v->routers);
	for (i = 0; v->interfaces && i < v->n_interfaces; i++)
		free(v->interfaces[i].as_groups);
	free(v->interfaces);
	for (i = 0; v->tos && i < v->n_tos; i++)
		free(v->tos[i].ranges);
	free(v->tos);
	for (i = 0; v->as_groups && i < v->n_as_groups; i++)
		free(v->as_groups[i].ranges);
	free(v->as_groups);
	memset(v, 0, sizeof(*v));
}
