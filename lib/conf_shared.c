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

/* network "label" { prefixes = {...}  services = {...} } */
static cfg_opt_t network_opts[] = {
	CFG_STR_LIST("prefixes", NULL, CFGF_NONE),
	CFG_STR_LIST("services", NULL, CFGF_NONE),
	CFG_END(),
};

/* service "label" { ports = { "80/tcp", "6970-7170/udp", "https/tcp" } } */
static cfg_opt_t service_opts[] = {
	CFG_STR_LIST("ports", NULL, CFGF_NONE),
	CFG_END(),
};

/* protocol "label" { number = "6" }; number defaults to the label. */
static cfg_opt_t protocol_opts[] = {
	CFG_STR("number", NULL, CFGF_NODEFAULT),
	CFG_END(),
};

/* router "label" { address = "192.0.2.1"  sample_rate = 0 } */
static cfg_opt_t router_opts[] = {
	CFG_STR("address", NULL, CFGF_NODEFAULT),
	CFG_INT("sample_rate", 0, CFGF_NONE),
	CFG_END(),
};

/* interface "label" { router = "r1"  ifindex = 3  as_groups = {...} } */
static cfg_opt_t interface_opts[] = {
	CFG_STR("router", NULL, CFGF_NODEFAULT),
	CFG_INT("ifindex", 0, CFGF_NODEFAULT),
	CFG_STR_LIST("as_groups", NULL, CFGF_NONE),
	CFG_END(),
};

/* tos "label" { values = { "0", "1-255" } } */
static cfg_opt_t tos_opts[] = {
	CFG_STR_LIST("values", NULL, CFGF_NONE),
	CFG_END(),
};

/* as_group "label" { asns = { "3320", "64512-65534" } } */
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
