/*
 * NetFlow v5: decode one export datagram into flows and encode flows into
 * one datagram. Pure functions over caller buffers: no sockets, no state
 * beyond what the caller passes in.
 */
#ifndef FT_NETFLOW5_H
#define FT_NETFLOW5_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "lib/flow.h"
#include "lib/nfdecode.h"

#define NF5_VERSION     5
#define NF5_HDR_LEN     24
#define NF5_REC_LEN     48
#define NF5_MAX_RECORDS 30
#define NF5_MAX_LEN     (NF5_HDR_LEN + NF5_REC_LEN * NF5_MAX_RECORDS)

/* The header fields the encoder stamps on a datagram. */
struct nf5_header {
	uint32_t sys_uptime; /* ms since the exporter booted */
	uint32_t unix_secs;
	uint32_t unix_nsecs;
	uint32_t flow_sequence; /* flows sent before this datagram */
	uint8_t engine_type;
	uint8_t engine_id;
	uint16_t sampling; /* 2-bit mode << 14 | 14-bit interval */
};

/*
 * Decode a v5 datagram. The count must be 1..30 and the length at least
 * 24 + 48 * count (NF_ERR_COUNT, NF_ERR_LENGTH: nothing is emitted); bytes
 * after the last record are ignored and counted in info->trailing. Each flow
 * gets exporter, absolute times from the header (export time - (sysUptime -
 * First), with the difference taken as a signed 32-bit number of ms so an
 * uptime wrap between First and export still works) and sampling from the
 * header (1 when the interval is 0 or 1). Fills info. Returns NF_OK or an
 * nf_err.
 */
int nf5_decode(const uint8_t *pkt, size_t len, const struct ft_addr *exporter,
    nf_emit_fn *emit, void *arg, struct nf_packet_info *info);

/*
 * Encode up to 30 IPv4 flows of flows[0..n) into buf (cap bytes) with
 * header h; boot_ms is the exporter's sysUptime 0 in ms UTC. IPv6 (and
 * address-less) flows are consumed and counted in *skipped. Counters over
 * 32 bits saturate, AS numbers over 16 bits become 23456 (AS_TRANS),
 * ifIndex over 16 bits saturates. Sets *consumed and *records. Returns the
 * datagram length, 0 when no flow was encoded, or -1 (cap too small).
 */
ssize_t nf5_encode(const struct flow *flows, size_t n,
    const struct nf5_header *h, uint64_t boot_ms, uint8_t *buf, size_t cap,
    size_t *consumed, size_t *skipped, size_t *records);

/* Absolute ms UTC of sysUptime-relative time t, given the header's. */
uint64_t nf5_uptime_to_ms(uint64_t export_ms, uint32_t sys_uptime, uint32_t t);

#endif
