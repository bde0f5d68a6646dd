/*
 * NetFlow v9 (RFC 3954) datagram parser: header, template and options
 * template flowsets into the session's cache, data flowsets to the record
 * decoder.
 */
#include "lib/nfstate.h"

#define NF9_HDR_LEN 20

/*
 * Read n (type, length) pairs; scope pairs are marked so the record
 * decoder never mistakes a v9 scope type for a flow field.
 */
static int
nf9_read_fields(struct rbuf *r, struct nft_field *fields, size_t n, bool scope)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (rbuf_u16(r, &fields[i].type) == -1 ||
		    rbuf_u16(r, &fields[i].len) == -1)
			return -1;
		fields[i].pen = scope ? NFT_PEN_SCOPE9 : 0;
	}
	return 0;
}

static int
nf9_templates(struct nf_ctx *c, struct rbuf *set)
{
	struct nft_field fields[NFT_MAX_FIELDS];
	uint16_t id, count;
	int rc = NF_OK;

	while (rbuf_left(set) >= 4 && !c->stop) {
		if (rbuf_u16(set, &id) == -1 || rbuf_u16(set, &count) == -1)
			return NF_ERR_TEMPLATE;
		if (count == 0 && id == 0)
			break; /* padding */
		if (count == 0 || count > NFT_MAX_FIELDS ||
		    (size_t)count * 4 > rbuf_left(set)) {
			c->s->st.templates_rejected++;
			return NF_ERR_TEMPLATE;
		}
		if (nf9_read_fields(set, fields, count, false) == -1)
			return NF_ERR_TEMPLATE;
		if (id < 256 ||
		    nf_template_learn(c, id, false, 0, fields, count) == -1) {
			if (id < 256)
				c->s->st.templates_rejected++;
			rc = NF_ERR_TEMPLATE;
		}
	}
	return rc;
}

static int
nf9_options(struct nf_ctx *c, struct rbuf *set)
{
	struct nft_field fields[NFT_MAX_FIELDS];
	uint16_t id, slen, olen;
	size_t ns, no;
	int rc = NF_OK;

	while (rbuf_left(set) >= 6 && !c->stop) {
		if (rbuf_u16(set, &id) == -1 || rbuf_u16(set, &slen) == -1 ||
		    rbuf_u16(set, &olen) == -1)
			return NF_ERR_TEMPLATE;
		if (id == 0 && slen == 0 && olen == 0)
			break; /* padding */
		ns = slen / 4;
		no = olen / 4;
		if (slen % 4 != 0 || olen % 4 != 0 ||
		    ns + no > NFT_MAX_FIELDS ||
		    (size_t)slen + olen > rbuf_left(set)) {
			c->s->st.templates_rejected++;
			return NF_ERR_TEMPLATE;
		}
		if (nf9_read_fields(set, fields, ns, true) == -1 ||
		    nf9_read_fields(set, fields + ns, no, false) == -1)
			return NF_ERR_TEMPLATE;
		if (id < 256 ||
		    nf_template_learn(
			c, id, true, (uint16_t)ns, fields, ns + no) == -1) {
			if (id < 256)
				c->s->st.templates_rejected++;
			rc = NF_ERR_TEMPLATE;
		}
	}
	return rc;
}

int
nf9_decode(struct nf_ctx *c, const uint8_t *pkt, size_t len,
    const struct ft_addr *addr, uint16_t port)
{
	struct rbuf r, set;
	uint16_t version, count, id, slen;
	uint32_t secs, seq, source;
	int rc = NF_OK, err;

	rbuf_init(&r, pkt, len);
	if (rbuf_u16(&r, &version) == -1 || rbuf_u16(&r, &count) == -1 ||
	    rbuf_u32(&r, &c->sys_uptime) == -1 || rbuf_u32(&r, &secs) == -1 ||
	    rbuf_u32(&r, &seq) == -1 || rbuf_u32(&r, &source) == -1)
		return NF_ERR_SHORT;
	c->export_ms = (uint64_t)secs * 1000;
	c->info->domain = source;
	c->info->sequence = seq;
	c->info->export_ms = c->export_ms;
	c->info->sys_uptime = c->sys_uptime;
	if ((c->exp = nf_exporter_get(c->s, addr, port, 9, source)) == NULL)
		return NF_ERR_MEMORY;
	while (rbuf_left(&r) >= 4 && !c->stop) {
		if (rbuf_u16(&r, &id) == -1 || rbuf_u16(&r, &slen) == -1)
			return NF_ERR_FLOWSET;
		if (slen < 4) {
			if (id == 0 && slen == 0)
				break; /* zero padding after the last flowset */
			return NF_ERR_FLOWSET;
		}
		if (rbuf_sub(&r, slen - 4u, &set) == -1)
			return NF_ERR_FLOWSET;
		if (id == 0)
			err = nf9_templates(c, &set);
		else if (id == 1)
			err = nf9_options(c, &set);
		else if (id >= 256)
			(void)nf_data_set(c, id, &set), err = NF_OK;
		else
			err = NF_OK; /* reserved: skipped */
		if (err != NF_OK)
			rc = err;
	}
	return rc;
}
