/*
 * NetFlow v9 and IPFIX datagram writer: templates for IPv4 and IPv6 flows
 * and the sampling options template, sent at start and again when due,
 * then data sets.
 */
#include <errno.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/nfexport.h"

#define NF9_HDR_LEN   20
#define IPFIX_HDR_LEN 16

/* One exported field: the information element and its length. */
struct nfx_field {
	uint16_t type;
	uint16_t len;
};

/* The first two fields differ by version: times. */
static const struct nfx_field nfx_v4[] = {
	{ 22, 4 },
	{ 21, 4 }, /* v9 FIRST/LAST_SWITCHED; IPFIX 152/153 (8) */
	{ 1, 8 },
	{ 2, 8 },
	{ 8, 4 },
	{ 12, 4 },
	{ 15, 4 },
	{ 7, 2 },
	{ 11, 2 },
	{ 4, 1 },
	{ 5, 1 },
	{ 6, 1 },
	{ 10, 4 },
	{ 14, 4 },
	{ 16, 4 },
	{ 17, 4 },
	{ 9, 1 },
	{ 13, 1 },
	{ 61, 1 },
	{ 58, 2 },
	/* v9 only (ICMPv6 too): ICMP_TYPE, type * 256 + code, else 0 */
	{ 32, 2 },
};
static const struct nfx_field nfx_v6[] = {
	{ 22, 4 },
	{ 21, 4 },
	{ 1, 8 },
	{ 2, 8 },
	{ 27, 16 },
	{ 28, 16 },
	{ 62, 16 },
	{ 7, 2 },
	{ 11, 2 },
	{ 4, 1 },
	{ 5, 1 },
	{ 6, 1 },
	{ 10, 4 },
	{ 14, 4 },
	{ 16, 4 },
	{ 17, 4 },
	{ 29, 1 },
	{ 30, 1 },
	{ 61, 1 },
	{ 58, 2 },
	/* v9 only (ICMPv6 too): ICMP_TYPE, type * 256 + code, else 0 */
	{ 32, 2 },
};
#define NFX_NFIELDS (sizeof(nfx_v4) / sizeof(nfx_v4[0]))

/*
 * nfdump reads the v9 ICMP type/code from ICMP_TYPE (32) only, not from the
 * destination port, so v9 carries it. IPFIX does not: nfdump takes it from
 * the port there, and with icmpTypeCode present it would zero the port of
 * other protocols (SCTP).
 */
static size_t
nfx_nfields(int version)
{
	return version == 9 ? NFX_NFIELDS : NFX_NFIELDS - 1;
}

static size_t
nfx_reclen(int version, const struct nfx_field *fl)
{
	size_t i, len = 0;

	for (i = 0; i < nfx_nfields(version); i++)
		len += fl[i].len;
	return version == 10 ? len + 8 : len; /* ms times are 8, not 4 */
}

static int
nfx_write_template(
    struct wbuf *w, int version, uint16_t id, const struct nfx_field *fl)
{
	size_t i;
	uint16_t type, len;

	if (wbuf_u16(w, id) == -1 ||
	    wbuf_u16(w, (uint16_t)nfx_nfields(version)) == -1)
		return -1;
	for (i = 0; i < nfx_nfields(version); i++) {
		type = fl[i].type;
		len = fl[i].len;
		if (version == 10 && i < 2) {
			type = i == 0 ? 152 : 153;
			len = 8;
		}
		if (wbuf_u16(w, type) == -1 || wbuf_u16(w, len) == -1)
			return -1;
	}
	return 0;
}

/* Pad a set to 4 bytes and patch its length. */
static int
nfx_close_set(struct wbuf *w, size_t start)
{
	while ((w->off - start) % 4 != 0)
		if (wbuf_u8(w, 0) == -1)
			return -1;
	return wbuf_patch_u16(w, start + 2, (uint16_t)(w->off - start));
}

/*
 * The templates, and with sampling the options template (scope: system
 * for v9, observationDomainId for IPFIX; samplingInterval 34 and
 * samplingAlgorithm 35, the form nfcapd and tshark read) and its record.
 * Returns the number of records written, or -1.
 */
static int
nfx_write_templates(struct nf_encoder *e, struct wbuf *w)
{
	int v = e->o.version, n = 2;
	size_t start = w->off;

	if (wbuf_u16(w, v == 9 ? 0 : 2) == -1 || wbuf_u16(w, 0) == -1 ||
	    nfx_write_template(w, v, NFX_TID_V4, nfx_v4) == -1 ||
	    nfx_write_template(w, v, NFX_TID_V6, nfx_v6) == -1 ||
	    nfx_close_set(w, start) == -1)
		return -1;
	if (e->o.sampling <= 1)
		return n;
	start = w->off;
	if (v == 9) {
		if (wbuf_u16(w, 1) == -1 || wbuf_u16(w, 0) == -1 ||
		    wbuf_u16(w, NFX_TID_OPT) == -1 || wbuf_u16(w, 4) == -1 ||
		    wbuf_u16(w, 8) == -1 || wbuf_u16(w, 1) == -1 ||
		    wbuf_u16(w, 4) == -1)
			return -1;
	} else {
		if (wbuf_u16(w, 3) == -1 || wbuf_u16(w, 0) == -1 ||
		    wbuf_u16(w, NFX_TID_OPT) == -1 || wbuf_u16(w, 3) == -1 ||
		    wbuf_u16(w, 1) == -1 || wbuf_u16(w, 149) == -1 ||
		    wbuf_u16(w, 4) == -1)
			return -1;
	}
	if (wbuf_u16(w, 34) == -1 || wbuf_u16(w, 4) == -1 ||
	    wbuf_u16(w, 35) == -1 || wbuf_u16(w, 1) == -1 ||
	    nfx_close_set(w, start) == -1)
		return -1;
	start = w->off;
	/* Algorithm 1: deterministic (count-based) 1-in-N. */
	if (wbuf_u16(w, NFX_TID_OPT) == -1 || wbuf_u16(w, 0) == -1 ||
	    wbuf_u32(w, e->o.domain) == -1 ||
	    wbuf_u32(w, e->o.sampling) == -1 || wbuf_u8(w, 1) == -1 ||
	    nfx_close_set(w, start) == -1)
		return -1;
	return n + 2;
}

static uint32_t
nfx_uptime(uint64_t ms, uint64_t boot_ms)
{
	return ms <= boot_ms ? 0 : (uint32_t)(ms - boot_ms);
}

static bool
nfx_is_icmp(const struct flow *f)
{
	return f->proto == (f->src.family == FT_AF_INET6 ? 58 : 1);
}

static int
nfx_write_record(struct nf_encoder *e, struct wbuf *w, const struct flow *f)
{
	int rc = 0;
	bool v6 = f->src.family == FT_AF_INET6;

	if (e->o.version == 9)
		rc |= wbuf_u32(w, nfx_uptime(f->first_ms, e->o.boot_ms)) |
		    wbuf_u32(w, nfx_uptime(f->last_ms, e->o.boot_ms));
	else
		rc |= wbuf_u64(w, f->first_ms) | wbuf_u64(w, f->last_ms);
	rc |= wbuf_u64(w, f->bytes) | wbuf_u64(w, f->packets);
	if (v6) {
		rc |=
		    wbuf_bytes(w, f->src.v6, 16) | wbuf_bytes(w, f->dst.v6, 16);
		if (f->nexthop.family == FT_AF_INET6)
			rc |= wbuf_bytes(w, f->nexthop.v6, 16);
		else
			rc |= wbuf_zero(w, 16);
	} else {
		rc |= wbuf_u32(w, f->src.v4) | wbuf_u32(w, f->dst.v4) |
		    wbuf_u32(
			w, f->nexthop.family == FT_AF_INET ? f->nexthop.v4 : 0);
	}
	rc |= wbuf_u16(w, f->sport) | wbuf_u16(w, f->dport) |
	    wbuf_u8(w, f->proto) | wbuf_u8(w, f->tos) |
	    wbuf_u8(w, f->tcp_flags) | wbuf_u32(w, f->in_if) |
	    wbuf_u32(w, f->out_if) | wbuf_u32(w, f->src_as) |
	    wbuf_u32(w, f->dst_as) | wbuf_u8(w, f->src_mask) |
	    wbuf_u8(w, f->dst_mask) | wbuf_u8(w, f->direction) |
	    wbuf_u16(w, f->vlan);
	if (e->o.version == 9)
		rc |= wbuf_u16(w, nfx_is_icmp(f) ? f->dport : 0);
	return rc == 0 ? 0 : -1;
}

static bool
nfx_exportable(const struct flow *f)
{
	return (f->src.family == FT_AF_INET && f->dst.family == FT_AF_INET) ||
	    (f->src.family == FT_AF_INET6 && f->dst.family == FT_AF_INET6);
}

ssize_t
nfx_pack(struct nf_encoder *e, const struct flow *flows, size_t n,
    uint64_t now_ms, uint8_t *buf, size_t cap, size_t *consumed,
    size_t *skipped)
{
	struct wbuf w;
	size_t i, set = 0, reclen, records = 0, skip = 0;
	int nrec = 0, fam = 0, k;
	bool tpl;
	uint32_t seq;

	*consumed = *skipped = 0;
	tpl = e->tpl_due || e->since_tpl >= e->o.template_every ||
	    now_ms >= e->tpl_ms + (uint64_t)e->o.template_secs * 1000;
	if (n == 0 && !tpl)
		return 0;
	wbuf_init(&w, buf, cap);
	seq = e->seq;
	if (e->o.version == 9) {
		if (wbuf_u16(&w, 9) == -1 || wbuf_u16(&w, 0) == -1 ||
		    wbuf_u32(&w, nfx_uptime(now_ms, e->o.boot_ms)) == -1 ||
		    wbuf_u32(&w, (uint32_t)(now_ms / 1000)) == -1 ||
		    wbuf_u32(&w, seq) == -1 || wbuf_u32(&w, e->o.domain) == -1)
			goto nospace;
	} else {
		if (wbuf_u16(&w, 10) == -1 || wbuf_u16(&w, 0) == -1 ||
		    wbuf_u32(&w, (uint32_t)(now_ms / 1000)) == -1 ||
		    wbuf_u32(&w, seq) == -1 || wbuf_u32(&w, e->o.domain) == -1)
			goto nospace;
	}
	if (tpl) {
		if ((k = nfx_write_templates(e, &w)) == -1)
			goto nospace;
		nrec += k;
	}
	for (i = 0; i < n; i++) {
		const struct flow *f = &flows[i];
		int ffam;

		if (!nfx_exportable(f)) {
			skip++;
			continue;
		}
		ffam = f->src.family;
		reclen = nfx_reclen(
		    e->o.version, ffam == FT_AF_INET ? nfx_v4 : nfx_v6);
		if (ffam != fam) {
			/* A new data set: its header, the record, padding. */
			if (set != 0 && nfx_close_set(&w, set) == -1)
				goto nospace;
			if (wbuf_left(&w) < 4 + reclen + 3)
				break;
			set = w.off;
			wbuf_u16(
			    &w, ffam == FT_AF_INET ? NFX_TID_V4 : NFX_TID_V6);
			wbuf_u16(&w, 0);
			fam = ffam;
		} else if (wbuf_left(&w) < reclen + 3)
			break;
		if (nfx_write_record(e, &w, f) == -1)
			goto nospace;
		records++;
		nrec++;
	}
	if (set != 0 && nfx_close_set(&w, set) == -1)
		goto nospace;
	*consumed = i;
	*skipped = skip;
	if (records == 0 && !tpl) {
		if (i < n)
			goto nospace; /* not even one record fits */
		return 0;
	}
	if (e->o.version == 9) {
		if (wbuf_patch_u16(&w, 2, (uint16_t)nrec) == -1)
			goto nospace;
		e->seq++;
	} else {
		if (wbuf_patch_u16(&w, 2, (uint16_t)w.off) == -1)
			goto nospace;
		/*
		 * All data records, the sampling options record included
		 * (RFC 7011 3.1; tshark checks this). nfcapd 1.7.1 counts
		 * flow records only and reports a sequence failure at each
		 * refresh when sampling is on.
		 */
		e->seq +=
		    (uint32_t)records + (tpl && e->o.sampling > 1 ? 1u : 0u);
	}
	if (tpl) {
		e->tpl_due = false;
		e->since_tpl = 0;
		e->tpl_ms = now_ms;
	} else
		e->since_tpl++;
	return (ssize_t)w.off;
nospace:
	*consumed = *skipped = 0;
	errno = ENOSPC;
	return -1;
}
