/*
 * Configuration loading: assembles the per-owner schema arrays into one
 * libconfuse schema, parses a file or string, and turns libconfuse's
 * diagnostics into one "file:line: message" in the caller's errbuf.
 */
#include "lib/conf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
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

/*
 * The parse under way: libconfuse's error callback takes no user argument,
 * so it finds the caller's errbuf and the name to print here. This makes
 * parsing non-reentrant (libconfuse's flex lexer is too): load
 * configurations from one thread at a time.
 */
static struct errbuf *conf_eb;
static const char *conf_name;
static int conf_eb_set;

static void conf_errfunc(cfg_t *, const char *, va_list)
    __attribute__((format(printf, 2, 0)));

static void
conf_errfunc(cfg_t *cfg, const char *fmt, va_list ap)
{
	char msg[400];
	const char *name = conf_name ? conf_name : "(config)";

	if (conf_eb == NULL || conf_eb_set)
		return; /* keep the first message: it names the cause */
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/*
	 * A section has its own cfg_t, without the file name but with the
	 * current line, so take the name from the parse and the line from
	 * whichever cfg_t reports.
	 */
	if (cfg != NULL && cfg->line > 0)
		errbuf_set(conf_eb, "%s:%d: %s", name, cfg->line, msg);
	else
		errbuf_set(conf_eb, "%s: %s", name, msg);
	conf_eb_set = 1;
}

/*
 * libconfuse accepts a file that ends inside a section ("log {" and then
 * EOF) as if the section were closed, so a truncated file would load with
 * its tail silently missing. Walk the text with libconfuse's lexical rules
 * (quoted strings with escapes, #, // and C comments, ${VAR}) and reject an
 * unclosed brace, naming the line where it opened. Stray closing braces
 * are left to libconfuse, which reports them.
 */
#define CONF_MAX_DEPTH 32

static int
conf_check_braces(const char *s, const char *name, struct errbuf *eb)
{
	int open_line[CONF_MAX_DEPTH];
	int line = 1, depth = 0;
	char q;

	while (*s != '\0') {
		if (*s == '\n') {
			line++;
			s++;
		} else if (*s == '"' || *s == '\'') {
			for (q = *s++; *s != '\0' && *s != q; s++) {
				if (*s == '\\' && s[1] != '\0')
					s++;
				if (*s == '\n')
					line++;
			}
			if (*s == '\0') {
				errbuf_set(eb, "%s:%d: unterminated string",
				    name, line);
				return -1;
			}
			s++;
		} else if (*s == '#' || (s[0] == '/' && s[1] == '/')) {
			while (*s != '\0' && *s != '\n')
				s++;
		} else if (s[0] == '/' && s[1] == '*') {
			for (s += 2;
			     *s != '\0' && !(s[0] == '*' && s[1] == '/'); s++)
				if (*s == '\n')
					line++;
			if (*s == '\0') {
				errbuf_set(eb, "%s:%d: unterminated comment",
				    name, line);
				return -1;
			}
			s += 2;
		} else if (s[0] == '$' && s[1] == '{') {
			while (*s != '\0' && *s != '}' && *s != '\n')
				s++;
			if (*s == '}')
				s++;
		} else if (*s == '{') {
			if (depth < CONF_MAX_DEPTH)
				open_line[depth] = line;
			depth++;
			s++;
		} else if (*s == '}') {
			if (depth > 0)
				depth--;
			s++;
		} else {
			s++;
		}
	}
	if (depth > 0) {
		errbuf_set(eb,
		    "%s:%d: '{' is never closed (premature end of file)", name,
		    open_line[depth <= CONF_MAX_DEPTH ? depth - 1
						      : CONF_MAX_DEPTH - 1]);
		return -1;
	}
	return 0;
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

/* Parse text (NUL-terminated) as the configuration called name. */
static cfg_t *
conf_parse_text(const char *text, const char *name, struct errbuf *eb)
{
	cfg_t *cfg;
	int ret;

	if (conf_check_braces(text, name, eb) == -1)
		return NULL;
	if ((cfg = conf_new()) == NULL) {
		errbuf_set(eb, "%s: out of memory", name);
		return NULL;
	}
	conf_eb = eb;
	conf_name = name;
	conf_eb_set = 0;
	ret = cfg_parse_buf(cfg, text);
	if (ret != CFG_SUCCESS && !conf_eb_set)
		errbuf_set(eb, "%s: parse error", name);
	conf_eb = NULL;
	conf_name = NULL;
	if (ret != CFG_SUCCESS) {
		cfg_free(cfg);
		return NULL;
	}
	/* cfg_parse_buf() names the config "[buf]": later messages that
	 * use cfg->filename must name the file (NULL if out of memory). */
	free(cfg->filename);
	cfg->filename = strdup(name);
	return cfg;
}

/* Larger than any sane configuration; bounds what a bad path can cost. */
#define CONF_MAX_SIZE (16 * 1024 * 1024)

cfg_t *
conf_load(const char *path, struct errbuf *eb)
{
	FILE *fp;
	char *text = NULL;
	size_t n = 0, cap = 0;
	cfg_t *cfg = NULL;
	char *nt;

	if ((fp = fopen(path, "r")) == NULL) {
		errbuf_set(eb, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (cap - n < 4096) {
			if (cap >= CONF_MAX_SIZE) {
				errbuf_set(eb, "%s: larger than %d bytes", path,
				    CONF_MAX_SIZE);
				goto done;
			}
			cap = cap ? cap * 2 : 8192;
			if ((nt = realloc(text, cap + 1)) == NULL) {
				errbuf_set(eb, "%s: out of memory", path);
				goto done;
			}
			text = nt;
		}
		n += fread(text + n, 1, cap - n, fp);
		if (ferror(fp)) {
			errbuf_set(eb, "%s: %s", path, strerror(errno));
			goto done;
		}
		if (feof(fp))
			break;
	}
	text[n] = '\0';
	if (strlen(text) != n) {
		errbuf_set(eb, "%s: contains a NUL byte", path);
		goto done;
	}
	cfg = conf_parse_text(text, path, eb);
done:
	free(text);
	fclose(fp);
	return cfg;
}

cfg_t *
conf_load_string(const char *text, const char *name, struct errbuf *eb)
{
	return conf_parse_text(text, name, eb);
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
