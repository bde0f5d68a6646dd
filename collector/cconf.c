/*
 * Building struct cconf: defaults come from the schema (lib/conf_collector.c),
 * flags override, and every value is checked here so main.c can refuse a
 * bad file before binding anything.
 */
#include "collector/cconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/mcast.h"
#include "lib/scaled.h"
#include "lib/tmutil.h"

int
cconf_parse_size(const char *s, uint64_t *bytes)
{
	static const struct scaled_unit units[] = { { 'K', 1ULL << 10 },
		{ 'k', 1ULL << 10 }, { 'M', 1ULL << 20 }, { 'm', 1ULL << 20 },
		{ 'G', 1ULL << 30 }, { 'g', 1ULL << 30 }, { 'T', 1ULL << 40 },
		{ 't', 1ULL << 40 }, { 0, 0 } };
	static const char *const tails[] = { "B", "iB", NULL };

	return scaled_parse(s, units, tails, bytes);
}

static int
cconf_copy(
    char *dst, size_t len, const char *src, const char *what, struct errbuf *eb)
{
	if (src == NULL)
		src = "";
	if (strlen(src) >= len) {
		errbuf_set(eb, "collector: %s is too long", what);
		return -1;
	}
	strcpy(dst, src);
	return 0;
}

int
cconf_parse_listen(const char *s, struct cconf_listen *l, struct errbuf *eb)
{
	char ep[128];
	const char *pct = strrchr(s, '%'), *br = strrchr(s, ']');
	size_t n = strlen(s);

	memset(l, 0, sizeof(*l));
	if (pct != NULL && (br == NULL || pct > br)) {
		n = (size_t)(pct - s);
		if (strlen(pct + 1) == 0 ||
		    strlen(pct + 1) >= sizeof(l->ifname)) {
			errbuf_set(eb,
			    "collector: listen \"%s\": bad interface name", s);
			return -1;
		}
		strcpy(l->ifname, pct + 1);
	}
	if (n >= sizeof(ep)) {
		errbuf_set(eb, "collector: listen \"%s\": too long", s);
		return -1;
	}
	memcpy(ep, s, n);
	ep[n] = '\0';
	if (addr_parse_endpoint(ep, &l->addr, &l->port) == -1) {
		errbuf_set(eb,
		    "collector: listen \"%s\": not [ADDR:]PORT[%%IFNAME] "
		    "(IPv6 in brackets)",
		    s);
		return -1;
	}
	if (l->ifname[0] != '\0' && !mcast_is_group(&l->addr)) {
		errbuf_set(eb,
		    "collector: listen \"%s\": an interface is given only "
		    "with a multicast group (224.0.0.0/4, ff00::/8)",
		    s);
		return -1;
	}
	return 0;
}

static int
cconf_listen(struct cconf *c, const char *s, struct errbuf *eb)
{
	if (c->n_listen == CCONF_MAX_LISTEN) {
		errbuf_set(eb, "collector: at most %d listen addresses",
		    CCONF_MAX_LISTEN);
		return -1;
	}
	if (cconf_parse_listen(s, &c->listen[c->n_listen], eb) == -1)
		return -1;
	c->n_listen++;
	return 0;
}

static int
cconf_exporters(struct cconf *c, cfg_t *col, struct errbuf *eb)
{
	size_t i, j, n = cfg_size(col, "exporter"), total = 0;
	cfg_t *x;
	long rate;

	for (i = 0; i < n; i++)
		total += cfg_size(cfg_getnsec(col, "exporter", i), "address");
	if (total == 0)
		return 0;
	if ((c->overrides = calloc(total, sizeof(*c->overrides))) == NULL) {
		errbuf_set(eb, "collector: out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		x = cfg_getnsec(col, "exporter", i);
		rate = cfg_getint(x, "sampling");
		if (rate < 0 || rate > UINT32_MAX) {
			errbuf_set(eb,
			    "collector: exporter \"%s\": sampling %ld out of "
			    "range",
			    cfg_title(x), rate);
			return -1;
		}
		for (j = 0; j < cfg_size(x, "address"); j++) {
			struct exporter_override *o =
			    &c->overrides[c->n_overrides];
			const char *a = cfg_getnstr(x, "address", j);

			if (addr_parse_prefix(a, 0, &o->prefix) == -1) {
				errbuf_set(eb,
				    "collector: exporter \"%s\": bad address "
				    "\"%s\"",
				    cfg_title(x), a);
				return -1;
			}
			o->rate = (uint32_t)rate;
			o->force = cfg_getbool(x, "sampling_force");
			if (rate != 0)
				c->n_overrides++;
		}
	}
	return 0;
}

int
cconf_build(
    struct cconf *c, cfg_t *cfg, const struct cconf_cli *cli, struct errbuf *eb)
{
	cfg_t *col = cfg_getsec(cfg, "collector");
	cfg_t *ex = cfg_getsec(col, "expire");
	cfg_t *lg = cfg_getsec(cfg, "log");
	const char *s;
	size_t i, n;
	long v;

	memset(c, 0, sizeof(*c));
	if (cli != NULL && cli->n_listen > 0) {
		for (i = 0; i < cli->n_listen; i++)
			if (cconf_listen(c, cli->listen[i], eb) == -1)
				return -1;
	} else {
		n = cfg_size(col, "listen");
		for (i = 0; i < n; i++)
			if (cconf_listen(
				c, cfg_getnstr(col, "listen", i), eb) == -1)
				return -1;
	}
	if (c->n_listen == 0) {
		errbuf_set(eb, "collector: listen: no address to listen on");
		return -1;
	}
	s = cli != NULL && cli->dir != NULL ? cli->dir : cfg_getstr(col, "dir");
	if (s == NULL || *s == '\0') {
		errbuf_set(eb, "collector: dir: empty");
		return -1;
	}
	if (cconf_copy(c->dir, sizeof(c->dir), s, "dir", eb) == -1 ||
	    cconf_copy(c->state_dir, sizeof(c->state_dir),
		cfg_getstr(col, "state_dir"), "state_dir", eb) == -1 ||
	    cconf_copy(c->user, sizeof(c->user), cfg_getstr(col, "user"),
		"user", eb) == -1 ||
	    cconf_copy(c->post_rotate, sizeof(c->post_rotate),
		cfg_getstr(col, "post_rotate"), "post_rotate", eb) == -1)
		return -1;
	s = cli != NULL && cli->pidfile != NULL ? cli->pidfile
						: cfg_getstr(col, "pidfile");
	if (cconf_copy(c->pidfile, sizeof(c->pidfile), s, "pidfile", eb) == -1)
		return -1;
	s = cfg_getstr(col, "control");
	if (cconf_copy(c->control, sizeof(c->control), s, "control", eb) == -1)
		return -1;
	if (c->control[0] != '\0' && c->control[0] != '/') {
		errbuf_set(eb,
		    "collector: control \"%s\": not an absolute path",
		    c->control);
		return -1;
	}
	if (c->state_dir[0] == '\0') {
		errbuf_set(eb, "collector: state_dir: empty");
		return -1;
	}
	s = cfg_getstr(col, "stats_file");
	if (s != NULL && *s != '\0') {
		if (cconf_copy(c->stats_file, sizeof(c->stats_file), s,
			"stats_file", eb) == -1)
			return -1;
	} else if ((size_t)snprintf(c->stats_file, sizeof(c->stats_file),
		       "%s/stats", c->state_dir) >= sizeof(c->stats_file)) {
		errbuf_set(eb, "collector: state_dir is too long");
		return -1;
	}
	if ((size_t)snprintf(c->templates_file, sizeof(c->templates_file),
		"%s/templates", c->state_dir) >= sizeof(c->templates_file)) {
		errbuf_set(eb, "collector: state_dir is too long");
		return -1;
	}
	s = cli != NULL && cli->interval != NULL ? cli->interval
						 : cfg_getstr(col, "interval");
	if (tm_parse_duration(s, &c->interval) == -1 || c->interval == 0 ||
	    c->interval > 86400 || 86400 % c->interval != 0) {
		errbuf_set(eb,
		    "collector: interval \"%s\": must be a duration that "
		    "divides a day (1s to 1d)",
		    s);
		return -1;
	}
	v = cfg_getint(col, "nest");
	if (v != 0 && v != 3) {
		errbuf_set(eb, "collector: nest %ld: must be 0 or 3", v);
		return -1;
	}
	c->nest = (int)v;
	s = cfg_getstr(col, "compress");
	if (flowfile_codec_parse(s, &c->codec) == -1) {
		errbuf_set(eb,
		    "collector: compress \"%s\": must be lz4, zstd or none", s);
		return -1;
	}
	v = cfg_getint(col, "zstd_level");
	if (v < -7 || v > 19 || v == 0) {
		errbuf_set(eb,
		    "collector: zstd_level %ld: must be -7..-1 (fast) or 1..19",
		    v);
		return -1;
	}
	c->zstd_level = (int)v;
	c->export_time = cfg_getbool(col, "export_time") ||
	    (cli != NULL && cli->export_time);
	s = cfg_getstr(col, "late_grace");
	if (tm_parse_duration(s, &c->late_grace) == -1 ||
	    c->late_grace > 86400) {
		errbuf_set(eb,
		    "collector: late_grace \"%s\": not a duration up to 1d "
		    "(0: off)",
		    s);
		return -1;
	}
	n = cfg_size(col, "allow");
	if (n > 0 && (c->allow = calloc(n, sizeof(*c->allow))) == NULL) {
		errbuf_set(eb, "collector: out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		s = cfg_getnstr(col, "allow", i);
		if (addr_parse_prefix(s, 0, &c->allow[i]) == -1) {
			errbuf_set(eb,
			    "collector: allow \"%s\": not an address or "
			    "prefix",
			    s);
			return -1;
		}
		c->n_allow++;
	}
	if (cconf_exporters(c, col, eb) == -1)
		return -1;
	v = cfg_getint(col, "rcvbuf");
	if (v < 0 || v > INT32_MAX) {
		errbuf_set(eb, "collector: rcvbuf %ld out of range", v);
		return -1;
	}
	c->rcvbuf = (int)v;
	v = cfg_getint(col, "queue_size");
	if (v < 1024 * 1024 || v > (1L << 34)) {
		errbuf_set(eb, "collector: queue_size %ld: 1M to 16G", v);
		return -1;
	}
	c->queue_size = (size_t)v;
	v = cfg_getint(col, "max_templates");
	if (v < 1) {
		errbuf_set(eb, "collector: max_templates %ld: at least 1", v);
		return -1;
	}
	c->max_templates = (size_t)v;
	v = cfg_getint(col, "max_held_bytes");
	if (v < 0) {
		errbuf_set(eb, "collector: max_held_bytes %ld: negative", v);
		return -1;
	}
	c->max_held_bytes = (size_t)v;
	s = cfg_getstr(ex, "max_size");
	if (cconf_parse_size(s, &c->expire_max_bytes) == -1) {
		errbuf_set(eb,
		    "collector: expire max_size \"%s\": not a size (e.g. 50G)",
		    s);
		return -1;
	}
	s = cfg_getstr(ex, "max_age");
	if (tm_parse_duration(s, &c->expire_max_age) == -1) {
		errbuf_set(eb,
		    "collector: expire max_age \"%s\": not a duration (e.g. "
		    "90d)",
		    s);
		return -1;
	}
	c->expire_dry_run = cfg_getbool(ex, "dry_run");
	c->verbose = (int)cfg_getint(lg, "verbose");
	return 0;
}

void
cconf_clear(struct cconf *c)
{
	free(c->allow);
	free(c->overrides);
	c->allow = NULL;
	c->overrides = NULL;
	c->n_allow = c->n_overrides = 0;
}
