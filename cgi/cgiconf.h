/*
 * The CGI's effective settings: the cgi { } section of flowtally.conf with
 * its defaults, falling back on the scanner's section for where the RRDs
 * are, how often they change and which rrdcached holds them.
 */
#ifndef FT_CGI_CGICONF_H
#define FT_CGI_CGICONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <confuse.h>

#include "lib/errbuf.h"

#define CGICONF_DEFAULT_RRD_DIR  "/var/lib/flowtally/rrd"
#define CGICONF_DEFAULT_INTERVAL 300
#define CGICONF_MAX_DASH_GRAPHS  64

/* A dashboard "name" { } block. Strings borrow from the cfg_t. */
struct cgiconf_dash {
	const char *name;
	const char *title;
	const char *graphs[CGICONF_MAX_DASH_GRAPHS];
	size_t ngraphs;
	int columns;
	int refresh;    /* seconds; 0 = aligned to the interval */
	int64_t period; /* seconds */
	int width, height;
	bool scoreboard;
};

/*
 * Settings. Strings borrow from the cfg_t given to cgiconf_load(), which
 * must outlive this.
 */
struct cgiconf {
	cfg_t *cfg;
	const char *rrd_dir;
	const char *rrdcached; /* NULL: read the files directly */
	int interval;          /* seconds between RRD updates */
	int refresh_delay;     /* seconds after a boundary the data is in */
	const char *title;
	const char *sb_url; /* NULL: no scoreboard links */
	const char *sb_current;
	const char *sb_index;
	int width, height;
	int64_t period;
	bool iec;
	struct cgiconf_dash *dash;
	size_t ndash;
};

/*
 * Fill cc from a parsed configuration. Checks what the schema cannot
 * (period presets, dashboard graph count). Returns 0, or -1 with eb set.
 * Release with cgiconf_clear().
 */
int cgiconf_load(cfg_t *cfg, struct cgiconf *cc, struct errbuf *eb);
void cgiconf_clear(struct cgiconf *cc);
/* The dashboard called name, or NULL. */
const struct cgiconf_dash *cgiconf_dash_find(
    const struct cgiconf *cc, const char *name);

#endif
