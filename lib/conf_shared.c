/*
 * Schema of the shared top level of flowtally.conf: logging and the
 * classification vocabulary that the scanner counts by and the CGI offers
 * (local subnets, networks, services, protocols, routers, interfaces, ToS
 * classes, AS groups). Documented in docs/CONFIG.md.
 */
#include "lib/conf.h"

static cfg_opt_t log_opts[] = {
	CFG_INT("verbose", 0, CFGF_NONE),
	CFG_STR("facility", "daemon", CFGF_NONE),
	CFG_END(),
};

static cfg_opt_t network_opts[] = {
	CFG_STR_LIST("prefixes", NULL, CFGF_NONE),
	CFG_STR_LIST("services", NULL, CFGF_NONE),
	CFG_END(),
};

static cfg_opt_t service_opts[] = {
	CFG_STR_LIST("ports", NULL, CFGF_NONE),
	CFG_END(),
};

static cfg_opt_t protocol_opts[] = {
	CFG_STR("number", NULL, CFGF_NODEFAULT),
	CFG_END(),
};

static cfg_opt_t router_opts[] = {
	CFG_STR("address", NULL, CFGF_NODEFAULT),
	CFG_INT("sample_rate", 0, CFGF_NONE),
	CFG_END(),
};

static cfg_opt_t interface_opts[] = {
	CFG_STR("router", NULL, CFGF_NODEFAULT),
	CFG_INT("ifindex", 0, CFGF_NODEFAULT),
	CFG_STR_LIST("as_groups", NULL, CFGF_NONE),
	CFG_END(),
};

static cfg_opt_t tos_opts[] = {
	CFG_STR_LIST("values", NULL, CFGF_NONE),
	CFG_END(),
};

static cfg_opt_t as_group_opts[] = {
	CFG_STR_LIST("asns", NULL, CFGF_NONE),
	CFG_END(),
};

#define LABELLED (CFGF_MULTI | CFGF_TITLE | CFGF_NO_TITLE_DUPES)

cfg_opt_t conf_shared_opts[] = {
	CFG_SEC("log", log_opts, CFGF_NONE),
	CFG_STR_LIST("subnets", NULL, CFGF_NONE),
	CFG_BOOL("multicast", cfg_false, CFGF_NONE),
	CFG_SEC("network", network_opts, LABELLED),
	CFG_SEC("service", service_opts, LABELLED),
	CFG_SEC("protocol", protocol_opts, LABELLED),
	CFG_SEC("router", router_opts, LABELLED),
	CFG_SEC("interface", interface_opts, LABELLED),
	CFG_SEC("tos", tos_opts, LABELLED),
	CFG_SEC("as_group", as_group_opts, LABELLED),
	CFG_END(),
};
