/*
 * Schema of the "scanner { ... }" section of flowtally.conf: where flow
 * files come from and go, where RRDs are written (directly or through
 * rrdcached), the interval and the daemon settings. Documented in
 * docs/CONFIG.md.
 */
#include "lib/conf.h"

cfg_opt_t conf_scanner_opts[] = {
	CFG_STR("flow_dir", "/var/lib/flowtally/flows", CFGF_NONE),
	CFG_STR("rrd_dir", "/var/lib/flowtally/rrd", CFGF_NONE),
	CFG_STR("state_dir", "/var/lib/flowtally/scanner", CFGF_NONE),
	CFG_INT("interval", 300, CFGF_NONE),
	CFG_STR("archive", "keep", CFGF_NONE),
	CFG_STR("saved_dir", "", CFGF_NONE),
	CFG_STR("rrdcached", "", CFGF_NONE),
	CFG_STR("pidfile", "/run/flowtally-scanner.pid", CFGF_NONE),
	CFG_STR("user", "", CFGF_NONE),
	CFG_SEC("scoreboard", conf_board_opts, CFGF_NONE),
	CFG_END(),
};
