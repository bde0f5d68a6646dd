/*
 * NetFlow v5, v9 and IPFIX encoding of struct flow into export datagrams,
 * for the sensor and for tests and benchmarks. An encoder keeps the export
 * state of one exporting process: sequence numbers, the sysUptime base, and
 * when templates are due again.
 *
 * What goes on the wire:
 * - v5: IPv4 only; counters saturate at 32 bits, AS numbers over 16 bits
 *   become 23456, ifIndex saturates at 16 bits; sampling in the header
 *   (mode 1, 14-bit interval); flow_sequence counts flows.
 * - v9 and IPFIX: template 256 (IPv4) and 257 (IPv6) with 64-bit
 *   counters, 32-bit AS and ifIndex, masks, ToS, TCP flags, direction and
 *   VLAN; times are v9 FIRST/LAST_SWITCHED (sysUptime-relative to boot_ms)
 *   or IPFIX flowStart/EndMilliseconds. With sampling, options template
 *   258 (scope: v9 System / IPFIX observationDomainId; samplingInterval 34,
 *   samplingAlgorithm 35 = 1) and its record follow the templates: tshark
 *   decodes it; Debian's nfcapd 1.7.1 was seen not to apply any v9/IPFIX
 *   sampling option form. v9 sequence counts datagrams, IPFIX counts all
 *   data records, the options record included (RFC 7011 3.1, as tshark
 *   checks; nfcapd counts flow records only).
 * - Defaults: templates every 20 datagrams or 60 seconds.
 */
#ifndef FT_NFENCODE_H
#define FT_NFENCODE_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "lib/flow.h"

struct nf_encoder;

struct nf_encoder_opts {
	int version;       /* 5, 9 or 10 (IPFIX) */
	uint32_t domain;   /* v9 source id / IPFIX domain / v5 engine id */
	uint32_t sampling; /* 1-in-N packet sampling applied; 0/1 none */
	uint64_t boot_ms;  /* when the exporter "booted" (sysUptime 0) */
	/* re-send templates after N datagrams without them (in the N+1th) */
	uint32_t template_every;
	uint32_t template_secs; /* ... or after this many seconds */
};

/* A new encoder, or NULL with errno set (EINVAL for a bad version). */
struct nf_encoder *nf_encoder_new(const struct nf_encoder_opts *o);
void nf_encoder_free(struct nf_encoder *e);

/*
 * Encode flows[0..n) into one datagram in buf (cap bytes, 1400 or more
 * recommended) stamped with export time now_ms. Templates (and the
 * sampling options) are included first when due. Sets *consumed to the
 * number of flows encoded (v5 skips IPv6 flows: they are consumed, counted
 * in *skipped, not encoded). Returns the datagram length, 0 if there was
 * nothing to send, or -1 with errno set.
 */
ssize_t nf_encoder_pack(struct nf_encoder *e, const struct flow *flows,
    size_t n, uint64_t now_ms, uint8_t *buf, size_t cap, size_t *consumed,
    size_t *skipped);
/* Force templates into the next datagram. */
void nf_encoder_templates_due(struct nf_encoder *e);

#endif
