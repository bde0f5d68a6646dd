/*
 * The canonical flow record shared by every program: what the sensor
 * exports, the collector decodes and stores, and the scanner classifies.
 * Host byte order, fixed-width fields, no I/O.
 */
#ifndef FT_FLOW_H
#define FT_FLOW_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/*
 * An IPv4 or IPv6 address. family is FT_AF_NONE (unset, e.g. no next hop),
 * FT_AF_INET or FT_AF_INET6. IPv4 is kept in v4 in host byte order; IPv6 in
 * v6 in network byte order. Unused bytes are zero, so two addresses compare
 * equal with memcmp.
 */
#define FT_AF_NONE  0
#define FT_AF_INET  4
#define FT_AF_INET6 6

struct ft_addr {
	uint8_t family;
	uint8_t pad[3];
	union {
		uint32_t v4;
		uint8_t v6[16];
	};
};

/* Flow direction as the exporter reports it (IPFIX flowDirection). */
#define FLOW_DIR_INGRESS 0
#define FLOW_DIR_EGRESS  1
#define FLOW_DIR_UNKNOWN 0xff

/*
 * One unidirectional flow.
 * - bytes and packets are the counters as stored: when the exporter sampled
 *   1-in-N, the collector has already multiplied them by N and sets
 *   sampling = N. sampling is 1 for unsampled and 0 when the exporter said
 *   it samples but the rate is unknown (counters then unscaled).
 * - first_ms and last_ms are milliseconds since the Unix epoch, UTC.
 * - For ICMP and ICMPv6, sport is 0 and dport is type << 8 | code (the
 *   NetFlow v5 convention).
 */
struct flow {
	uint64_t bytes;
	uint64_t packets;
	uint64_t first_ms;
	uint64_t last_ms;
	struct ft_addr src;
	struct ft_addr dst;
	struct ft_addr nexthop;
	struct ft_addr exporter; /* the exporter's address (UDP source) */
	uint32_t in_if;
	uint32_t out_if;
	uint32_t src_as;
	uint32_t dst_as;
	uint32_t sampling;
	uint16_t sport;
	uint16_t dport;
	uint8_t proto;
	uint8_t tos;
	uint8_t tcp_flags;
	uint8_t src_mask;
	uint8_t dst_mask;
	uint8_t direction; /* FLOW_DIR_* */
	uint16_t vlan;     /* 0 when none */
};

static inline void
ft_addr_set_v4(struct ft_addr *a, uint32_t v4)
{
	memset(a, 0, sizeof(*a));
	a->family = FT_AF_INET;
	a->v4 = v4;
}

static inline void
ft_addr_set_v6(struct ft_addr *a, const uint8_t v6[16])
{
	memset(a, 0, sizeof(*a));
	a->family = FT_AF_INET6;
	memcpy(a->v6, v6, 16);
}

static inline bool
ft_addr_equal(const struct ft_addr *a, const struct ft_addr *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

#endif
