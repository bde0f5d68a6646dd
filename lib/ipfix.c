/*
 * IPFIX (RFC 7011) message parser: header, template, options template and
 * withdrawal sets into the session's cache, data sets to the record
 * decoder.
 */
#include "lib/nfstate.h"

#define IPFIX_HDR_LEN 16
#define IPFIX_SET_TPL 2
#define IPFIX_SET_OPT 3

/* Read n field specifiers (with enterprise numbers). */
static int
ipfix_read_fields(struct rbuf *r, struct nft_field *fields, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (rbuf_u16(r, &fields[i].type) == -1 ||
		    rbuf_u16(r, &fields[i].len) == -1)
			return -1;
		fields[i].pen = 0;
		if (fields[i].type & 0x8000) {
			fields[i].type &= 0x7fff;
			if (rbuf_u32(r, &fields[i].pen) == -1)
				return -1;
			if (fields[i].pen == 0)
				fields[i].pen =
				    0xfffffffeu; /* still not IANA */
		}
	}
	return 0;
}

static int
ipfix_templates(struct nf_ctx *c, struct rbuf *set, bool options)
{
	struct nft_field fields[NFT_MAX_FIELDS];
	uint16_t id, count, scope = 0;
	int rc = NF_OK;

	while (rbuf_left(set) >= 4 && !c->stop) {
		if (rbuf_u16(set, &id) == -1 || rbuf_u16(set, &count) == -1)
			return NF_ERR_TEMPLATE;
		if (count == 0) {
			if (id == 0)
				break; /* padding */
			nf_template_withdraw(c, id, options);
			continue;
		}
		if (options && rbuf_u16(set, &scope) == -1)
			return NF_ERR_TEMPLATE;
		if (count > NFT_MAX_FIELDS ||
		    (size_t)count * 4 > rbuf_left(set) || scope > count) {
			c->s->st.templates_rejected++;
			return NF_ERR_TEMPLATE;
		}
		if (ipfix_read_fields(set, fields, count) == -1) {
			c->s->st.templates_rejected++;
			return NF_ERR_TEMPLATE;
		}
		if (id < 256 ||
		    nf_template_learn(c, id, options, scope, fields, count) ==
			-1) {
			if (id < 256)
				c->s->st.templates_rejected++;
			rc = NF_ERR_TEMPLATE;
		}
	}
	return rc;
}

int
ipfix_decode(struct nf_ctx *c, const uint8_t *pkt, size_t len,
    const struct ft_addr *addr, uint16_t port)
{
	struct rbuf r, set;
	uint16_t version, mlen, id, slen;
	uint32_t secs, seq, domain;
	int rc = NF_OK, err;

	rbuf_init(&r, pkt, len);
	if (rbuf_u16(&r, &version) == -1 || rbuf_u16(&r, &mlen) == -1 ||
	    rbuf_u32(&r, &secs) == -1 || rbuf_u32(&r, &seq) == -1 ||
	    rbuf_u32(&r, &domain) == -1)
		return NF_ERR_SHORT;
	c->export_ms = (uint64_t)secs * 1000;
	c->info->domain = domain;
	c->info->sequence = seq;
	c->info->export_ms = c->export_ms;
	if (mlen < IPFIX_HDR_LEN || mlen > len)
		return NF_ERR_LENGTH;
	r.len = mlen; /* bytes after the message are not ours */
	if ((c->exp = nf_exporter_get(c->s, addr, port, 10, domain)) == NULL)
		return NF_ERR_MEMORY;
	while (rbuf_left(&r) >= 4 && !c->stop) {
		if (rbuf_u16(&r, &id) == -1 || rbuf_u16(&r, &slen) == -1)
			return NF_ERR_FLOWSET;
		if (slen < 4 || rbuf_sub(&r, slen - 4u, &set) == -1)
			return NF_ERR_FLOWSET;
		if (id == IPFIX_SET_TPL || id == IPFIX_SET_OPT)
			err = ipfix_templates(c, &set, id == IPFIX_SET_OPT);
		else if (id >= 256) {
			(void)nf_data_set(c, id, &set);
			err = NF_OK;
		} else
			err = NF_OK; /* reserved (v9 ids 0 and 1 too) */
		if (err != NF_OK)
			rc = err;
	}
	return rc;
}
