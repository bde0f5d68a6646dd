/*
 * Schema of the "scanner { scoreboard { ... } }" subsection of
 * flowtally.conf: top-talker pages and the aggregate score. Documented in
 * docs/CONFIG.md; values are checked by scanner/board.c.
 */
#include "lib/conf.h"

cfg_opt_t conf_board_opts[] = {
	/* Rows per table; 0 disables the scoreboard. */
	CFG_INT("top", 10, CFGF_NONE),
	/* Root of the pages: current page, history/, aggregate page. */
	CFG_STR("dir", "/var/www/flowtally/scoreboard", CFGF_NONE),
	/* The current page (relative names are under dir); JSON beside it. */
	CFG_STR("current", "current.html", CFGF_NONE),
	/* Keep a page per interval under dir/history/, with an index. */
	CFG_BOOL("history", cfg_true, CFGF_NONE),
	/* Days of history kept; 0 keeps everything. */
	CFG_INT("history_days", 35, CFGF_NONE),
	/* Distinct hosts ranked per interval; more go to "overflow". */
	CFG_INT("max_hosts", 262144, CFGF_NONE),
	/* Rows per aggregate table; 0 disables the aggregate score. */
	CFG_INT("aggregate", 10, CFGF_NONE),
	/* The aggregate page (relative names are under dir). */
	CFG_STR("aggregate_page", "overall.html", CFGF_NONE),
	/* The aggregate state file (relative names are under dir). */
	CFG_STR("state_file", "aggregate.state", CFGF_NONE),
	/* Halve the aggregate each time this many samples are reached. */
	CFG_INT("ageing_samples", 100, CFGF_NONE),
	/* Reverse DNS for listed hosts. */
	CFG_BOOL("rdns", cfg_false, CFGF_NONE),
	/* Longest wait for pending names per interval, milliseconds. */
	CFG_INT("rdns_wait", 200, CFGF_NONE),
	/* New lookups started per interval (cached names do not count). */
	CFG_INT("rdns_max_lookups", 64, CFGF_NONE),
	/* Seconds a name (or a failed lookup) stays cached. */
	CFG_INT("rdns_cache_ttl", 3600, CFGF_NONE),
	/* Graph CGI base URL; links are <graph_url>?network=<label>. */
	CFG_STR("graph_url", "", CFGF_NONE),
	/* Page title prefix. */
	CFG_STR("title", "flowtally", CFGF_NONE),
	/* Auto-refresh of the current page for wall screens, seconds; 0 off. */
	CFG_INT("refresh", 300, CFGF_NONE),
	CFG_END(),
};
