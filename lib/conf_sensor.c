/*
 * Schema of the "sensor { ... }" section of flowtally.conf. Document every
 * option in docs/CONFIG.md when it is added. Command-line flags override
 * these; sensor/opts.c checks the values.
 */
#include "lib/conf.h"

static cfg_opt_t sensor_timeout_opts[] = {
	CFG_INT("tcp", 3600, CFGF_NONE),
	CFG_INT("tcp_rst", 300, CFGF_NONE),
	CFG_INT("udp", 300, CFGF_NONE),
	CFG_INT("icmp", 300, CFGF_NONE),
	CFG_INT("general", 300, CFGF_NONE),
	CFG_INT("maxlife", 300, CFGF_NONE),
	CFG_END(),
};

cfg_opt_t conf_sensor_opts[] = {
	CFG_STR("interface", NULL, CFGF_NONE),
	CFG_BOOL("promisc", cfg_true, CFGF_NONE),
	CFG_INT("snaplen", 256, CFGF_NONE),
	CFG_STR("filter", NULL, CFGF_NONE),
	CFG_STR_LIST("collectors", NULL, CFGF_NONE),
	CFG_STR("source_address", NULL, CFGF_NONE),
	CFG_INT("version", 9, CFGF_NONE),
	CFG_INT("max_flows", 65536, CFGF_NONE),
	CFG_INT("sampling", 1, CFGF_NONE),
	CFG_INT("domain", 0, CFGF_NONE),
	CFG_INT("template_interval", 60, CFGF_NONE),
	CFG_SEC("timeouts", sensor_timeout_opts, CFGF_NONE),
	CFG_STR("control_socket", NULL, CFGF_NONE),
	CFG_STR("pidfile", "/run/flowtally/sensor.pid", CFGF_NONE),
	CFG_STR("user", "flowtally", CFGF_NONE),
	CFG_STR("chroot", NULL, CFGF_NONE),
	CFG_END(),
};
