/*
 * Shared by the v9 and IPFIX decoder fuzz targets: split the input into
 * datagrams (2-byte big-endian length, then the bytes) and decode them in
 * order with one small-limit session, so template state, held data and
 * eviction are all exercised.
 */
#ifndef FT_FUZZ_NF_COMMON_H
#define FT_FUZZ_NF_COMMON_H

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/nfdecode.h"

static int
fuzz_nf_emit(void *arg, const struct flow *f)
{
	uint64_t *sum = arg;

	/* Touch every field so the sanitizers see uninitialised reads. */
	*sum += f->bytes + f->packets + f->first_ms + f->last_ms + f->sport +
	    f->dport + f->proto + f->src.family + f->dst.v4 + f->sampling +
	    f->vlan + f->direction + f->in_if + f->out_if + f->src_as;
	return 0;
}

static void
fuzz_nf_datagrams(const uint8_t *data, size_t size, uint16_t version)
{
	static uint8_t pkt[65536];
	struct nf_limits lim = {
		.max_templates = 16, .max_held_bytes = 4096, .max_exporters = 4
	};
	struct nf_session *s = nf_session_new(&lim);
	struct nf_packet_info info;
	struct sockaddr_in from;
	uint64_t sum = 0;
	size_t off = 0, len;

	if (s == NULL)
		return;
	memset(&from, 0, sizeof(from));
	from.sin_family = AF_INET;
	while (off + 2 <= size) {
		len = (size_t)data[off] << 8 | data[off + 1];
		off += 2;
		if (len > size - off)
			len = size - off;
		memcpy(pkt, data + off, len);
		off += len;
		/* Steer towards the parser under test. */
		if (len >= 2) {
			pkt[0] = (uint8_t)(version >> 8);
			pkt[1] = (uint8_t)version;
		}
		if (version == 10 && len >= 4) {
			pkt[2] = (uint8_t)(len >> 8);
			pkt[3] = (uint8_t)len;
		}
		/* Two exporters, so per-exporter keys matter. */
		from.sin_port = htons((uint16_t)(off & 1));
		(void)nf_decode(s, pkt, len, (struct sockaddr *)&from, 0,
		    fuzz_nf_emit, &sum, &info);
	}
	nf_session_free(s);
}

#endif
