/*
 * Export state of one exporting process and dispatch to the v5, v9 and
 * IPFIX writers: sequence numbers, the sysUptime base, template timing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/netflow5.h"
#include "lib/nfencode.h"
#include "lib/nfexport.h"

#define NF_DEF_TEMPLATE_EVERY 20
#define NF_DEF_TEMPLATE_SECS  60

struct nf_encoder *
nf_encoder_new(const struct nf_encoder_opts *o)
{
	struct nf_encoder *e;

	if (o == NULL ||
	    (o->version != 5 && o->version != 9 && o->version != 10)) {
		errno = EINVAL;
		return NULL;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->o = *o;
	if (e->o.template_every == 0)
		e->o.template_every = NF_DEF_TEMPLATE_EVERY;
	if (e->o.template_secs == 0)
		e->o.template_secs = NF_DEF_TEMPLATE_SECS;
	if (e->o.sampling == 0)
		e->o.sampling = 1;
	e->tpl_due = true;
	return e;
}

void
nf_encoder_free(struct nf_encoder *e)
{
	free(e);
}

void
nf_encoder_templates_due(struct nf_encoder *e)
{
	e->tpl_due = true;
}

static ssize_t
nf_encoder_pack5(struct nf_encoder *e, const struct flow *flows, size_t n,
    uint64_t now_ms, uint8_t *buf, size_t cap, size_t *consumed,
    size_t *skipped)
{
	struct nf5_header h;
	size_t records;
	ssize_t len;

	memset(&h, 0, sizeof(h));
	h.sys_uptime =
	    now_ms > e->o.boot_ms ? (uint32_t)(now_ms - e->o.boot_ms) : 0;
	h.unix_secs = (uint32_t)(now_ms / 1000);
	h.unix_nsecs = (uint32_t)(now_ms % 1000) * 1000000;
	h.flow_sequence = e->seq;
	h.engine_type = (uint8_t)(e->o.domain >> 8);
	h.engine_id = (uint8_t)e->o.domain;
	if (e->o.sampling > 1)
		h.sampling = (uint16_t)(1u << 14 |
		    (e->o.sampling > 0x3fff ? 0x3fff : e->o.sampling));
	len = nf5_encode(
	    flows, n, &h, e->o.boot_ms, buf, cap, consumed, skipped, &records);
	if (len > 0)
		e->seq += (uint32_t)records;
	return len;
}

ssize_t
nf_encoder_pack(struct nf_encoder *e, const struct flow *flows, size_t n,
    uint64_t now_ms, uint8_t *buf, size_t cap, size_t *consumed,
    size_t *skipped)
{
	*consumed = *skipped = 0;
	if (e->o.version == 5)
		return nf_encoder_pack5(
		    e, flows, n, now_ms, buf, cap, consumed, skipped);
	return nfx_pack(e, flows, n, now_ms, buf, cap, consumed, skipped);
}
