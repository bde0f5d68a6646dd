/*
 * The classification vocabulary as the scanner uses it: local subnets,
 * networks, services, protocols, routers, interfaces, ToS classes and AS
 * groups, parsed and validated from the shared part of flowtally.conf
 * (port and protocol names resolved, ranges checked, labels made safe for
 * file names). Pure data; the lookup tables are built from it by classify.
 */
#ifndef FT_SCANNER_VOCAB_H
#define FT_SCANNER_VOCAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <confuse.h>

#include "lib/addr.h"
#include "lib/errbuf.h"

#define VOCAB_LABEL_MAX 64
#define VOCAB_NONE      UINT32_MAX

/* An inclusive range of ToS values or AS numbers. */
struct vocab_range {
	uint32_t lo;
	uint32_t hi;
};

/* An inclusive port range of one IP protocol. */
struct vocab_port {
	uint8_t proto;
	uint16_t lo;
	uint16_t hi;
};

struct vocab_network {
	char label[VOCAB_LABEL_MAX + 1];
	struct ft_prefix *prefixes;
	size_t n_prefixes;
	uint32_t *services; /* service indexes to break down */
	size_t n_services;
};

struct vocab_service {
	char label[VOCAB_LABEL_MAX + 1];
	struct vocab_port *ports;
	size_t n_ports;
};

struct vocab_protocol {
	char label[VOCAB_LABEL_MAX + 1];
	uint8_t number;
};

struct vocab_router {
	char label[VOCAB_LABEL_MAX + 1];
	struct ft_addr addr;
	uint32_t sample_rate; /* 0: use the records' rate */
};

struct vocab_interface {
	char label[VOCAB_LABEL_MAX + 1];
	uint32_t router; /* router index */
	uint32_t ifindex;
	uint32_t *as_groups; /* AS group indexes to break down */
	size_t n_as_groups;
};

/* A ToS class or an AS group: a label and its ranges. */
struct vocab_class {
	char label[VOCAB_LABEL_MAX + 1];
	struct vocab_range *ranges;
	size_t n_ranges;
};

struct vocab {
	struct ft_prefix *subnets;
	size_t n_subnets;
	bool multicast;
	struct vocab_network *networks;
	size_t n_networks;
	struct vocab_service *services;
	size_t n_services;
	struct vocab_protocol *protocols;
	size_t n_protocols;
	struct vocab_router *routers;
	size_t n_routers;
	struct vocab_interface *interfaces;
	size_t n_interfaces;
	struct vocab_class *tos;
	size_t n_tos;
	struct vocab_class *as_groups;
	size_t n_as_groups;
};

/*
 * Fill v from the shared part of a loaded configuration. All or nothing:
 * returns 0, or -1 with eb naming the file, the line of the section and
 * the bad value (v is then empty). Release with vocab_clear().
 */
int vocab_load(struct vocab *v, cfg_t *cfg, struct errbuf *eb);
void vocab_clear(struct vocab *v);

/* Whether s is a usable label: 1..VOCAB_LABEL_MAX of [A-Za-z0-9_-]. */
bool vocab_label_ok(const char *s);
/*
 * Parse one service item "port[-port]/proto" (port and proto may be names
 * from the services and protocols databases): 0, or -1 with eb set.
 */
int vocab_parse_port(const char *s, struct vocab_port *p, struct errbuf *eb);
/* Parse a protocol name or number 0..255: 0, or -1. */
int vocab_parse_proto(const char *s, uint8_t *proto);
/*
 * Parse "N" or "N-M" with N <= M <= max into r ("AS" prefixes allowed when
 * as is true): 0, or -1.
 */
int vocab_parse_range(
    const char *s, uint32_t max, bool as, struct vocab_range *r);
/* Index of the service, router or AS group labelled label, or VOCAB_NONE. */
uint32_t vocab_find_service(const struct vocab *v, const char *label);
uint32_t vocab_find_router(const struct vocab *v, const char *label);
uint32_t vocab_find_as_group(const struct vocab *v, const char *label);

#endif
