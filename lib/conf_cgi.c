/*
 * Schema of the "cgi { ... }" section of flowtally.conf: where the graph CGI
 * finds the RRDs and the scoreboard, its page defaults, and the dashboards
 * for wall screens. Documented in docs/CONFIG.md.
 */
#include "lib/conf.h"

#include <stdlib.h>
#include <string.h>

/* Bounds shared with cgi/query.h (kept literal here: lib/ has no cgi/). */
#define CGI_WIDTH_MIN  100
#define CGI_WIDTH_MAX  4000
#define CGI_HEIGHT_MIN 50
#define CGI_HEIGHT_MAX 2000

/* Parse an integer option and check it lies in lo..hi. */
static int
conf_cgi_int(
    cfg_t *cfg, cfg_opt_t *opt, const char *value, long *res, long lo, long hi)
{
	char *end;
	long v;

	v = strtol(value, &end, 10);
	if (*value == '\0' || *end != '\0' || v < lo || v > hi) {
		cfg_error(cfg,
		    "option '%s': '%s' is not an integer in %ld..%ld",
		    opt->name, value, lo, hi);
		return -1;
	}
	*res = v;
	return 0;
}

static int
conf_cgi_width(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *res)
{
	return conf_cgi_int(cfg, opt, value, res, CGI_WIDTH_MIN, CGI_WIDTH_MAX);
}

static int
conf_cgi_height(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *res)
{
	return conf_cgi_int(
	    cfg, opt, value, res, CGI_HEIGHT_MIN, CGI_HEIGHT_MAX);
}

static int
conf_cgi_columns(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *res)
{
	return conf_cgi_int(cfg, opt, value, res, 1, 8);
}

static int
conf_cgi_seconds(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *res)
{
	return conf_cgi_int(cfg, opt, value, res, 0, 86400);
}

static int
conf_cgi_units(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *res)
{
	(void)opt;
	if (strcmp(value, "si") != 0 && strcmp(value, "iec") != 0) {
		cfg_error(cfg, "option 'units': must be \"si\" or \"iec\"");
		return -1;
	}
	*(const char **)res = value;
	return 0;
}

/*
 * Paths end up inside rrdtool DEF arguments: refuse the characters that
 * would split or end one there.
 */
static int
conf_cgi_path(cfg_t *cfg, cfg_opt_t *opt, const char *value, void *res)
{
	if (strpbrk(value, ":\n\r\\") != NULL) {
		cfg_error(cfg,
		    "option '%s': ':', '\\' and newlines are not allowed",
		    opt->name);
		return -1;
	}
	*(const char **)res = value;
	return 0;
}

static cfg_opt_t dashboard_opts[] = {
	CFG_STR("title", NULL, CFGF_NONE),
	CFG_STR_LIST("graphs", NULL, CFGF_NONE),
	CFG_INT_CB("columns", 2, CFGF_NONE, conf_cgi_columns),
	CFG_INT_CB("refresh", 0, CFGF_NONE, conf_cgi_seconds),
	CFG_STR("period", "1d", CFGF_NONE),
	CFG_INT_CB("width", 480, CFGF_NONE, conf_cgi_width),
	CFG_INT_CB("height", 160, CFGF_NONE, conf_cgi_height),
	CFG_BOOL("scoreboard", cfg_true, CFGF_NONE),
	CFG_END(),
};

cfg_opt_t conf_cgi_opts[] = {
	CFG_STR_CB("rrd_dir", NULL, CFGF_NONE, conf_cgi_path),
	CFG_STR("rrdcached", NULL, CFGF_NONE),
	CFG_INT_CB("interval", 0, CFGF_NONE, conf_cgi_seconds),
	CFG_INT_CB("refresh_delay", 30, CFGF_NONE, conf_cgi_seconds),
	CFG_STR("title", "flowtally", CFGF_NONE),
	CFG_STR("scoreboard_url", NULL, CFGF_NONE),
	CFG_STR("scoreboard_current", "current.html", CFGF_NONE),
	CFG_STR("scoreboard_index", "history/index.html", CFGF_NONE),
	CFG_STR("scoreboard_dir", NULL, CFGF_NONE),
	CFG_INT_CB("width", 640, CFGF_NONE, conf_cgi_width),
	CFG_INT_CB("height", 320, CFGF_NONE, conf_cgi_height),
	CFG_STR("period", "2d", CFGF_NONE),
	CFG_STR_CB("units", "si", CFGF_NONE, conf_cgi_units),
	CFG_SEC("dashboard", dashboard_opts,
	    CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
	CFG_END(),
};
