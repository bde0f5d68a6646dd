/*
 * NetFlow v5 decoding and encoding: a 24-byte header and up to 30 fixed
 * 48-byte records, read and written only through lib/buf.h cursors.
 */
#include <errno.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/netflow5.h"

#define NF5_AS_TRANS 23456

uint64_t
nf5_uptime_to_ms(uint64_t export_ms, uint32_t sys_uptime, uint32_t t)
{
	/* Signed difference: a flow up to 24.8 days old, or a little in the
	 * future, across an uptime wrap, lands where it belongs. */
	int64_t ago = (int32_t)(sys_uptime - t);

	if (ago > 0 && (uint64_t)ago > export_ms)
		return 0;
	return (uint64_t)((int64_t)export_ms - ago);
}

/*
 * One 48-byte record at fixed offsets into f (src, dst, nexthop, in, out,
 * packets, octets, First, Last, ports, pad, flags, proto, ToS, AS, masks,
 * pad); rec is a sub-cursor of exactly one record. The fields f does not
 * take from the record (exporter, sampling, direction) are left alone.
 */
static inline void
nf5_read_record(const struct rbuf *rec, const struct nf5_header *h,
    uint64_t export_ms, struct flow *f)
{
	uint32_t nh = rbuf_at32(rec, 8);

	ft_addr_set_v4(&f->src, rbuf_at32(rec, 0));
	ft_addr_set_v4(&f->dst, rbuf_at32(rec, 4));
	if (nh != 0)
		ft_addr_set_v4(&f->nexthop, nh);
	else
		memset(&f->nexthop, 0, sizeof(f->nexthop));
	f->in_if = rbuf_at16(rec, 12);
	f->out_if = rbuf_at16(rec, 14);
	f->packets = rbuf_at32(rec, 16);
	f->bytes = rbuf_at32(rec, 20);
	f->first_ms =
	    nf5_uptime_to_ms(export_ms, h->sys_uptime, rbuf_at32(rec, 24));
	f->last_ms =
	    nf5_uptime_to_ms(export_ms, h->sys_uptime, rbuf_at32(rec, 28));
	if (f->first_ms > f->last_ms)
		f->first_ms = f->last_ms;
	f->sport = rbuf_at16(rec, 32);
	f->dport = rbuf_at16(rec, 34);
	f->tcp_flags = rbuf_at8(rec, 37);
	f->proto = rbuf_at8(rec, 38);
	f->tos = rbuf_at8(rec, 39);
	f->src_as = rbuf_at16(rec, 40);
	f->dst_as = rbuf_at16(rec, 42);
	f->src_mask = rbuf_at8(rec, 44);
	f->dst_mask = rbuf_at8(rec, 45);
}

int
nf5_decode(const uint8_t *pkt, size_t len, const struct ft_addr *exporter,
    nf_emit_fn *emit, void *arg, struct nf_packet_info *info)
{
	struct rbuf r;
	struct nf5_header h;
	struct flow f;
	uint64_t export_ms;
	uint16_t version, count, interval;
	unsigned i;

	rbuf_init(&r, pkt, len);
	if (rbuf_u16(&r, &version) == -1 || rbuf_u16(&r, &count) == -1 ||
	    rbuf_u32(&r, &h.sys_uptime) == -1 ||
	    rbuf_u32(&r, &h.unix_secs) == -1 ||
	    rbuf_u32(&r, &h.unix_nsecs) == -1 ||
	    rbuf_u32(&r, &h.flow_sequence) == -1 ||
	    rbuf_u8(&r, &h.engine_type) == -1 ||
	    rbuf_u8(&r, &h.engine_id) == -1 || rbuf_u16(&r, &h.sampling) == -1)
		return NF_ERR_SHORT;
	if (version != NF5_VERSION)
		return NF_ERR_VERSION;
	export_ms = (uint64_t)h.unix_secs * 1000 + h.unix_nsecs / 1000000;
	info->version = version;
	info->domain = (uint32_t)h.engine_type << 8 | h.engine_id;
	info->sequence = h.flow_sequence;
	info->export_ms = export_ms;
	info->sys_uptime = h.sys_uptime;
	interval = h.sampling & 0x3fff;
	info->sampling = interval;
	if (count == 0 || count > NF5_MAX_RECORDS)
		return NF_ERR_COUNT;
	if (len < NF5_HDR_LEN + (size_t)count * NF5_REC_LEN)
		return NF_ERR_LENGTH;
	/* Longer is accepted (Logstash and tshark do; seen in the wild):
	 * the bytes after the count-th record are reported, not decoded. */
	info->trailing = (uint32_t)(len - NF5_HDR_LEN - count * NF5_REC_LEN);
	info->seq_flows = count;

	memset(&f, 0, sizeof(f));
	if (exporter != NULL)
		f.exporter = *exporter;
	f.sampling = interval > 1 ? interval : 1;
	f.direction = FLOW_DIR_UNKNOWN;
	for (i = 0; i < count; i++) {
		struct rbuf rec;

		if (rbuf_sub(&r, NF5_REC_LEN, &rec) == -1)
			return NF_ERR_LENGTH; /* cannot happen: length checked
					       */
		nf5_read_record(&rec, &h, export_ms, &f);
		info->records++;
		if (emit != NULL && emit(arg, &f) == -1)
			break;
	}
	return NF_OK;
}

static uint32_t
nf5_sat32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static uint16_t
nf5_sat16(uint32_t v)
{
	return v > UINT16_MAX ? UINT16_MAX : (uint16_t)v;
}

static uint16_t
nf5_as16(uint32_t as)
{
	return as > UINT16_MAX ? NF5_AS_TRANS : (uint16_t)as;
}

static uint32_t
nf5_uptime(uint64_t ms, uint64_t boot_ms)
{
	return ms <= boot_ms ? 0 : (uint32_t)(ms - boot_ms);
}

static int
nf5_write_record(struct wbuf *w, const struct flow *f, uint64_t boot_ms)
{
	uint32_t nh = f->nexthop.family == FT_AF_INET ? f->nexthop.v4 : 0;

	if (wbuf_u32(w, f->src.v4) == -1 || wbuf_u32(w, f->dst.v4) == -1 ||
	    wbuf_u32(w, nh) == -1 || wbuf_u16(w, nf5_sat16(f->in_if)) == -1 ||
	    wbuf_u16(w, nf5_sat16(f->out_if)) == -1 ||
	    wbuf_u32(w, nf5_sat32(f->packets)) == -1 ||
	    wbuf_u32(w, nf5_sat32(f->bytes)) == -1 ||
	    wbuf_u32(w, nf5_uptime(f->first_ms, boot_ms)) == -1 ||
	    wbuf_u32(w, nf5_uptime(f->last_ms, boot_ms)) == -1 ||
	    wbuf_u16(w, f->sport) == -1 || wbuf_u16(w, f->dport) == -1 ||
	    wbuf_u8(w, 0) == -1 || wbuf_u8(w, f->tcp_flags) == -1 ||
	    wbuf_u8(w, f->proto) == -1 || wbuf_u8(w, f->tos) == -1 ||
	    wbuf_u16(w, nf5_as16(f->src_as)) == -1 ||
	    wbuf_u16(w, nf5_as16(f->dst_as)) == -1 ||
	    wbuf_u8(w, f->src_mask) == -1 || wbuf_u8(w, f->dst_mask) == -1 ||
	    wbuf_zero(w, 2) == -1)
		return -1;
	return 0;
}

ssize_t
nf5_encode(const struct flow *flows, size_t n, const struct nf5_header *h,
    uint64_t boot_ms, uint8_t *buf, size_t cap, size_t *consumed,
    size_t *skipped, size_t *records)
{
	struct wbuf w;
	size_t i, count = 0, skip = 0;

	*consumed = *skipped = *records = 0;
	if (cap < NF5_HDR_LEN + NF5_REC_LEN) {
		errno = ENOSPC;
		return -1;
	}
	wbuf_init(&w, buf, cap);
	if (wbuf_u16(&w, NF5_VERSION) == -1 || wbuf_u16(&w, 0) == -1 ||
	    wbuf_u32(&w, h->sys_uptime) == -1 ||
	    wbuf_u32(&w, h->unix_secs) == -1 ||
	    wbuf_u32(&w, h->unix_nsecs) == -1 ||
	    wbuf_u32(&w, h->flow_sequence) == -1 ||
	    wbuf_u8(&w, h->engine_type) == -1 ||
	    wbuf_u8(&w, h->engine_id) == -1 || wbuf_u16(&w, h->sampling) == -1)
		return -1;
	for (i = 0; i < n && count < NF5_MAX_RECORDS; i++) {
		if (flows[i].src.family != FT_AF_INET ||
		    flows[i].dst.family != FT_AF_INET) {
			skip++;
			continue;
		}
		if (wbuf_left(&w) < NF5_REC_LEN ||
		    nf5_write_record(&w, &flows[i], boot_ms) == -1)
			break;
		count++;
	}
	*consumed = i;
	*skipped = skip;
	*records = count;
	if (count == 0)
		return 0;
	if (wbuf_patch_u16(&w, 2, (uint16_t)count) == -1)
		return -1;
	return (ssize_t)w.off;
}
