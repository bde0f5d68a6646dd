/*
 * Effective CGI settings from flowtally.conf: the cgi section, defaults,
 * and the scanner section's rrd_dir, interval and rrdcached when the cgi
 * section does not override them.
 */
#include "cgi/cgiconf.h"

#include <stdlib.h>
#include <string.h>

#include "cgi/query.h"

/*
 * An option of sec by name, or NULL when the schema has no such key (the
 * scanner's schema is owned elsewhere and may not have it yet).
 */
static cfg_opt_t *
cgiconf_opt(cfg_t *sec, const char *name, cfg_type_t type)
{
	size_t i;

	if (sec == NULL || sec->opts == NULL)
		return NULL;
	for (i = 0; sec->opts[i].name != NULL; i++)
		if (strcmp(sec->opts[i].name, name) == 0)
			return sec->opts[i].type == type &&
				cfg_opt_size(&sec->opts[i]) > 0
			    ? &sec->opts[i]
			    : NULL;
	return NULL;
}

static const char *
cgiconf_str(cfg_t *sec, const char *name)
{
	cfg_opt_t *o = cgiconf_opt(sec, name, CFGT_STR);
	const char *s = o != NULL ? cfg_opt_getnstr(o, 0) : NULL;

	return s != NULL && *s != '\0' ? s : NULL;
}

static long
cgiconf_int(cfg_t *sec, const char *name)
{
	cfg_opt_t *o = cgiconf_opt(sec, name, CFGT_INT);

	return o != NULL ? cfg_opt_getnint(o, 0) : 0;
}

static int
cgiconf_period(
    const char *s, const char *where, int64_t *out, struct errbuf *eb)
{
	const struct query_period *p;

	if ((p = query_period_find(s)) == NULL) {
		errbuf_set(eb,
		    "%s: period \"%s\" is not one of 1h 6h 12h 1d 36h 2d 1w 1m 3m 1y",
		    where, s);
		return -1;
	}
	*out = p->seconds;
	return 0;
}

int
cgiconf_load(cfg_t *cfg, struct cgiconf *cc, struct errbuf *eb)
{
	cfg_t *cgi, *scan, *d;
	struct cgiconf_dash *cd;
	size_t i, j, n;
	const char *s;
	long v;

	memset(cc, 0, sizeof(*cc));
	cc->cfg = cfg;
	cgi = cfg_getsec(cfg, "cgi");
	scan = cfg_getsec(cfg, "scanner");
	if ((cc->rrd_dir = cgiconf_str(cgi, "rrd_dir")) == NULL &&
	    (cc->rrd_dir = cgiconf_str(scan, "rrd_dir")) == NULL)
		cc->rrd_dir = CGICONF_DEFAULT_RRD_DIR;
	if (strpbrk(cc->rrd_dir, ":\n\r\\") != NULL) {
		errbuf_set(
		    eb, "rrd_dir: ':', '\\' and newlines are not allowed");
		return -1;
	}
	if ((cc->rrdcached = cgiconf_str(cgi, "rrdcached")) == NULL)
		cc->rrdcached = cgiconf_str(scan, "rrdcached");
	if ((v = cgiconf_int(cgi, "interval")) <= 0 &&
	    (v = cgiconf_int(scan, "interval")) <= 0)
		v = CGICONF_DEFAULT_INTERVAL;
	cc->interval = (int)v;
	cc->refresh_delay = (int)cgiconf_int(cgi, "refresh_delay");
	cc->title = cgiconf_str(cgi, "title");
	if (cc->title == NULL)
		cc->title = "flowtally";
	cc->sb_url = cgiconf_str(cgi, "scoreboard_url");
	cc->sb_current = cgiconf_str(cgi, "scoreboard_current");
	cc->sb_index = cgiconf_str(cgi, "scoreboard_index");
	cc->width = (int)cgiconf_int(cgi, "width");
	cc->height = (int)cgiconf_int(cgi, "height");
	if (cc->width == 0)
		cc->width = 640;
	if (cc->height == 0)
		cc->height = 320;
	s = cgiconf_str(cgi, "period");
	if (cgiconf_period(s != NULL ? s : "2d", "cgi", &cc->period, eb) == -1)
		return -1;
	s = cgiconf_str(cgi, "units");
	cc->iec = s != NULL && strcmp(s, "iec") == 0;

	n = cgi != NULL ? cfg_size(cgi, "dashboard") : 0;
	if (n > 0 && (cc->dash = calloc(n, sizeof(*cc->dash))) == NULL) {
		errbuf_set(eb, "out of memory");
		return -1;
	}
	for (i = 0; i < n; i++) {
		d = cfg_getnsec(cgi, "dashboard", i);
		cd = &cc->dash[cc->ndash++];
		cd->name = cfg_title(d);
		if (!query_name_ok(cd->name)) {
			errbuf_set(eb,
			    "dashboard \"%s\": names use letters, digits, '_', '-' and '.'",
			    cd->name);
			goto fail;
		}
		cd->title = cgiconf_str(d, "title");
		if (cd->title == NULL)
			cd->title = cd->name;
		cd->ngraphs = cfg_size(d, "graphs");
		if (cd->ngraphs > CGICONF_MAX_DASH_GRAPHS) {
			errbuf_set(eb, "dashboard \"%s\": more than %d graphs",
			    cd->name, CGICONF_MAX_DASH_GRAPHS);
			goto fail;
		}
		for (j = 0; j < cd->ngraphs; j++)
			cd->graphs[j] = cfg_getnstr(d, "graphs", j);
		cd->columns = (int)cfg_getint(d, "columns");
		cd->refresh = (int)cfg_getint(d, "refresh");
		cd->width = (int)cfg_getint(d, "width");
		cd->height = (int)cfg_getint(d, "height");
		cd->scoreboard = cfg_getbool(d, "scoreboard");
		if (cgiconf_period(cfg_getstr(d, "period"), cd->name,
			&cd->period, eb) == -1)
			goto fail;
	}
	return 0;

fail:
	cgiconf_clear(cc);
	return -1;
}

void
cgiconf_clear(struct cgiconf *cc)
{
	free(cc->dash);
	cc->dash = NULL;
	cc->ndash = 0;
}

const struct cgiconf_dash *
cgiconf_dash_find(const struct cgiconf *cc, const char *name)
{
	size_t i;

	for (i = 0; i < cc->ndash; i++)
		if (strcmp(cc->dash[i].name, name) == 0)
			return &cc->dash[i];
	return NULL;
}
