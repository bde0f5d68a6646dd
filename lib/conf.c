/*
 * Configuration loading: assembles the per-owner schema arrays into one
 * libconfuse schema, parses a file or string, and turns libconfuse's
 * diagnostics into one "file:line: message" in the caller's errbuf.
 */
#include "lib/conf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/*
 * The assembled top level. Filled on first use from the owners' arrays;
 * libconfuse copies the options in cfg_init(), so this is read-only after.
 */
#define CONF_MAX_TOP 128
static cfg_opt_t conf_top[CONF_MAX_TOP];
static int conf_top_ready;

static void
conf_build_top(void)
{
	size_t n = 0, i;

	if (conf_top_ready)
		return;
	for (i = 0;
	     conf_shared_opts[i].type != CFGT_NONE && n < CONF_MAX_TOP - 6; i++)
		conf_top[n++] = conf_shared_opts[i];
	conf_top[n++] =
	    (cfg_opt_t)CFG_SEC("sensor", conf_sensor_opts, CFGF_NONE);
	conf_top[n++] =
	    (cfg_opt_t)CFG_SEC("collector", conf_collector_opts, CFGF_NONE);
	conf_top[n++] =
	    (cfg_opt_t)CFG_SEC("scanner", conf_scanner_opts, CFGF_NONE);
	conf_top[n++] = (cfg_opt_t)CFG_SEC("cgi", conf_cgi_opts, CFGF_NONE);
	conf_top[n] = (cfg_opt_t)CFG_END();
	conf_top_ready = 1;
}

/* The errbuf of the parse under way; the error callback has no argument. */
static struct errbuf *conf_eb;
static int conf_eb_set;

static void
conf_errfunc(cfg_t *cfg, const char *fmt, va_list ap)
{
	char msg[400];

	if (conf_eb == NULL || conf_eb_set)
		return; /* keep the first message: it names the cause */
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (cfg && cfg->filename && cfg->line)
		errbuf_set(conf_eb, "%s:%d: %s", cfg->filename, cfg->line, msg);
	else if (cfg && cfg->filename)
		errbuf_set(conf_eb, "%s: %s", cfg->filename, msg);
	else
		errbuf_set(conf_eb, "%s", msg);
	conf_eb_set = 1;
}

static cfg_t *
conf_new(void)
{
	cfg_t *cfg;

	conf_build_top();
	cfg = cfg_init(conf_top, CFGF_NONE);
	if (cfg == NULL)
		return NULL;
	cfg_set_error_function(cfg, conf_errfunc);
	return cfg;
}

static cfg_t *
conf_finish(cfg_t *cfg, int ret, const char *name, struct errbuf *eb)
{
	if (ret == CFG_SUCCESS) {
		conf_eb = NULL;
		return cfg;
	}
	if (!conf_eb_set) {
		if (ret == CFG_FILE_ERROR)
			errbuf_set(eb, "%s: %s", name, strerror(errno));
		else
			errbuf_set(eb, "%s: parse error", name);
	}
	conf_eb = NULL;
	cfg_free(cfg);
	return NULL;
}

cfg_t *
conf_load(const char *path, struct errbuf *eb)
{
	cfg_t *cfg;
	int ret;

	if ((cfg = conf_new()) == NULL) {
		errbuf_set(eb, "%s: out of memory", path);
		return NULL;
	}
	conf_eb = eb;
	conf_eb_set = 0;
	errno = 0;
	ret = cfg_parse(cfg, path);
	return conf_finish(cfg, ret, path, eb);
}

cfg_t *
conf_load_string(const char *text, const char *name, struct errbuf *eb)
{
	cfg_t *cfg;
	int ret;

	if ((cfg = conf_new()) == NULL) {
		errbuf_set(eb, "%s: out of memory", name);
		return NULL;
	}
	/* libconfuse frees the old name when given a new one. */
	free(cfg->filename);
	cfg->filename = strdup(name);
	conf_eb = eb;
	conf_eb_set = 0;
	ret = cfg_parse_buf(cfg, text);
	return conf_finish(cfg, ret, name, eb);
}

cfg_t *
conf_default(void)
{
	return conf_load_string("", "(defaults)", NULL);
}

void
conf_free(cfg_t *cfg)
{
	if (cfg != NULL)
		cfg_free(cfg);
}

int
conf_print(cfg_t *cfg, FILE *fp)
{
	return cfg_print(cfg, fp) == CFG_SUCCESS ? 0 : -1;
}

const char *
conf_default_path(void)
{
	return FLOWTALLY_SYSCONFDIR "/flowtally.conf";
}
