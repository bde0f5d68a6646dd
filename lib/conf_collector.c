/*
 * Schema of the "collector { ... }" section of flowtally.conf. Document every
 * option in docs/CONFIG.md when it is added.
 */
#include "lib/conf.h"

/* exporter "name" { address = "192.0.2.1" sampling = 100 ... } */
static cfg_opt_t conf_collector_exporter_opts[] = {
	CFG_STR_LIST("address", NULL, CFGF_NONE),
	CFG_INT("sampling", 0, CFGF_NONE),
	CFG_BOOL("sampling_force", cfg_false, CFGF_NONE),
	CFG_END(),
};

static cfg_opt_t conf_collector_expire_opts[] = {
	CFG_STR("max_size", "0", CFGF_NONE),
	CFG_STR("max_age", "0", CFGF_NONE),
	CFG_BOOL("dry_run", cfg_false, CFGF_NONE),
	CFG_END(),
};

cfg_opt_t conf_collector_opts[] = {
	CFG_STR_LIST("listen", "{9995}", CFGF_NONE),
	CFG_STR("dir", "/var/lib/flowtally/flows", CFGF_NONE),
	CFG_STR("state_dir", "/var/lib/flowtally/collector", CFGF_NONE),
	CFG_STR("stats_file", "", CFGF_NONE),
	CFG_STR("pidfile", "/run/flowtally-collector.pid", CFGF_NONE),
	CFG_STR("control", "", CFGF_NONE),
	CFG_STR("user", "", CFGF_NONE),
	CFG_STR("interval", "300", CFGF_NONE),
	CFG_INT("nest", 3, CFGF_NONE),
	CFG_STR("compress", "lz4", CFGF_NONE),
	CFG_INT("zstd_level", -1, CFGF_NONE),
	CFG_BOOL("export_time", cfg_false, CFGF_NONE),
	CFG_STR("late_grace", "60", CFGF_NONE),
	CFG_STR("post_rotate", "", CFGF_NONE),
	CFG_STR_LIST("allow", NULL, CFGF_NONE),
	CFG_SEC("exporter", conf_collector_exporter_opts,
	    CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES),
	CFG_INT("rcvbuf", 16 * 1024 * 1024, CFGF_NONE),
	CFG_INT("queue_size", 8 * 1024 * 1024, CFGF_NONE),
	CFG_INT("max_templates", 4096, CFGF_NONE),
	CFG_INT("max_held_bytes", 4 * 1024 * 1024, CFGF_NONE),
	CFG_SEC("expire", conf_collector_expire_opts, CFGF_NONE),
	CFG_END(),
};
