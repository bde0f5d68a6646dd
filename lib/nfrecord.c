/*
 * Decode v9 and IPFIX records with a template: data records into struct
 * flow (every timestamp form, counters, addresses), options records into
 * the exporter's sampling table and system init time.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lib/netflow5.h"
#include "lib/nfstate.h"

/* Information elements (RFC 7012; numbers below 128 are v9's too). */
enum {
	IE_OCTETS = 1,
	IE_PACKETS = 2,
	IE_PROTO = 4,
	IE_TOS = 5,
	IE_TCP_FLAGS = 6,
	IE_SPORT = 7,
	IE_SRC4 = 8,
	IE_SRC_MASK = 9,
	IE_IN_IF = 10,
	IE_DPORT = 11,
	IE_DST4 = 12,
	IE_DST_MASK = 13,
	IE_OUT_IF = 14,
	IE_NEXTHOP4 = 15,
	IE_SRC_AS = 16,
	IE_DST_AS = 17,
	IE_BGP_NEXTHOP4 = 18,
	IE_LAST_SWITCHED = 21,
	IE_FIRST_SWITCHED = 22,
	IE_OUT_OCTETS = 23,
	IE_OUT_PACKETS = 24,
	IE_SRC6 = 27,
	IE_DST6 = 28,
	IE_SRC6_MASK = 29,
	IE_DST6_MASK = 30,
	IE_ICMP_TYPE_CODE4 = 32,
	IE_SAMPLING_INTERVAL = 34,
	IE_SAMPLER_ID = 48,
	IE_SAMPLER_RANDOM_INTERVAL = 50,
	IE_VLAN = 58,
	IE_DIRECTION = 61,
	IE_NEXTHOP6 = 62,
	IE_BGP_NEXTHOP6 = 63,
	IE_OCTET_TOTAL = 85,
	IE_PACKET_TOTAL = 86,
	IE_ICMP_TYPE_CODE6 = 139,
	IE_START_SEC = 150,
	IE_END_SEC = 151,
	IE_START_MS = 152,
	IE_END_MS = 153,
	IE_START_US = 154,
	IE_END_US = 155,
	IE_START_NS = 156,
	IE_END_NS = 157,
	IE_START_DELTA_US = 158,
	IE_END_DELTA_US = 159,
	IE_SYS_INIT_MS = 160,
	IE_DURATION_MS = 161,
	IE_DURATION_US = 162,
	IE_ICMP_TYPE4 = 176,
	IE_ICMP_CODE4 = 177,
	IE_ICMP_TYPE6 = 178,
	IE_ICMP_CODE6 = 179,
	IE_UDP_SPORT = 180,
	IE_UDP_DPORT = 181,
	IE_TCP_SPORT = 182,
	IE_TCP_DPORT = 183,
	IE_INITIATOR_OCTETS = 231,
	IE_DOT1Q_VLAN = 243,
	IE_INITIATOR_PACKETS = 298,
	IE_SELECTOR_ID = 302,
	IE_SAMPLING_PKT_INTERVAL = 305,
	IE_SAMPLING_PKT_SPACE = 306,
	IE_SAMPLING_SIZE = 309,
	IE_SAMPLING_POPULATION = 310,
};

/* Counter sources, best first. */
enum {
	CNT_DELTA,
	CNT_TOTAL,
	CNT_POST,
	CNT_INIT,
	CNT_N
};
/* Time sources, best first. */
enum {
	TM_MS,
	TM_SEC,
	TM_US,
	TM_NS,
	TM_UPTIME,
	TM_DELTA,
	TM_N
};

#define NTP_EPOCH_OFFSET 2208988800ull

/* What one record said, before it is resolved into a flow. */
struct nfrec {
	/* Zeroed for every record (nfrec_reset(): keep it in step). */
	uint32_t bytes_have, pkts_have, start_have, end_have;
	uint64_t duration_ms;
	bool have_duration;
	bool have_icmp, have_port;
	uint8_t icmp_type, icmp_code;
	bool have_sampler;
	bool have_sys_init;
	uint32_t sampler;
	uint64_t interval, random_interval, pkt_interval, pkt_space, size, pop;
	uint64_t sys_init;
	uint16_t tcp_sport, tcp_dport, udp_sport, udp_dport;
	/* Read only where a have bit or an address family says so. */
	uint64_t bytes[CNT_N], pkts[CNT_N];
	uint64_t start[TM_N], end[TM_N];
	/* Addresses per family: a record may carry both (one of them zero). */
	struct ft_addr a4[4], a6[4]; /* src, dst, next hop, BGP next hop */
};

enum {
	AD_SRC,
	AD_DST,
	AD_NH,
	AD_BGPNH
};

static uint64_t
nfrec_ntp_ms(uint64_t ntp)
{
	uint64_t secs = ntp >> 32, frac = ntp & 0xffffffffull;

	if (secs < NTP_EPOCH_OFFSET)
		return 0;
	return (secs - NTP_EPOCH_OFFSET) * 1000 + ((frac * 1000) >> 32);
}

/* Interpret a 16-byte (IPv6 address) field. */
static void
nfrec_addr16(struct nfrec *r, uint16_t type, const uint8_t *v6)
{
	switch (type) {
	case IE_SRC6:
		ft_addr_set_v6(&r->a6[AD_SRC], v6);
		break;
	case IE_DST6:
		ft_addr_set_v6(&r->a6[AD_DST], v6);
		break;
	case IE_NEXTHOP6:
		ft_addr_set_v6(&r->a6[AD_NH], v6);
		break;
	case IE_BGP_NEXTHOP6:
		ft_addr_set_v6(&r->a6[AD_BGPNH], v6);
		break;
	}
}

/* Interpret a numeric field of len (1..8) bytes with value x. */
static void
nfrec_num(
    struct nfrec *r, struct flow *f, uint16_t type, uint64_t x, size_t len)
{
	switch (type) {
	case IE_OCTETS:
	case IE_PACKETS:
	case IE_OCTET_TOTAL:
	case IE_PACKET_TOTAL:
	case IE_OUT_OCTETS:
	case IE_OUT_PACKETS:
	case IE_INITIATOR_OCTETS:
	case IE_INITIATOR_PACKETS: {
		int which = type == IE_OCTETS || type == IE_PACKETS ? CNT_DELTA
		    : type == IE_OCTET_TOTAL || type == IE_PACKET_TOTAL
		    ? CNT_TOTAL
		    : type == IE_OUT_OCTETS || type == IE_OUT_PACKETS
		    ? CNT_POST
		    : CNT_INIT;
		if (type == IE_OCTETS || type == IE_OCTET_TOTAL ||
		    type == IE_OUT_OCTETS || type == IE_INITIATOR_OCTETS) {
			r->bytes[which] = x;
			r->bytes_have |= 1u << which;
		} else {
			r->pkts[which] = x;
			r->pkts_have |= 1u << which;
		}
		break;
	}
	case IE_PROTO:
		f->proto = (uint8_t)x;
		break;
	case IE_TOS:
		f->tos = (uint8_t)x;
		break;
	case IE_TCP_FLAGS:
		f->tcp_flags = (uint8_t)x;
		break;
	case IE_SPORT:
		f->sport = (uint16_t)x;
		r->have_port = true;
		break;
	case IE_DPORT:
		f->dport = (uint16_t)x;
		r->have_port = true;
		break;
	case IE_UDP_SPORT:
		r->udp_sport = (uint16_t)x;
		break;
	case IE_UDP_DPORT:
		r->udp_dport = (uint16_t)x;
		break;
	case IE_TCP_SPORT:
		r->tcp_sport = (uint16_t)x;
		break;
	case IE_TCP_DPORT:
		r->tcp_dport = (uint16_t)x;
		break;
	case IE_SRC4:
	case IE_DST4:
	case IE_NEXTHOP4:
	case IE_BGP_NEXTHOP4:
		/* Only 4 bytes make an IPv4 address (H3C sends 2: ignored). */
		if (len == 4)
			ft_addr_set_v4(
			    &r->a4[type == IE_SRC4        ? AD_SRC
				    : type == IE_DST4     ? AD_DST
				    : type == IE_NEXTHOP4 ? AD_NH
							  : AD_BGPNH],
			    (uint32_t)x);
		break;
	case IE_SRC_MASK:
	case IE_SRC6_MASK:
		f->src_mask = (uint8_t)x;
		break;
	case IE_DST_MASK:
	case IE_DST6_MASK:
		f->dst_mask = (uint8_t)x;
		break;
	case IE_IN_IF:
		f->in_if = (uint32_t)x;
		break;
	case IE_OUT_IF:
		f->out_if = (uint32_t)x;
		break;
	case IE_SRC_AS:
		f->src_as = (uint32_t)x;
		break;
	case IE_DST_AS:
		f->dst_as = (uint32_t)x;
		break;
	case IE_LAST_SWITCHED:
		r->end[TM_UPTIME] = x;
		r->end_have |= 1u << TM_UPTIME;
		break;
	case IE_FIRST_SWITCHED:
		r->start[TM_UPTIME] = x;
		r->start_have |= 1u << TM_UPTIME;
		break;
	case IE_START_SEC:
	case IE_END_SEC:
		x *= 1000;
		goto tm_ms;
	case IE_START_US:
	case IE_END_US:
	case IE_START_NS:
	case IE_END_NS:
		x = nfrec_ntp_ms(x);
		goto tm_ms;
	case IE_START_MS:
	case IE_END_MS:
tm_ms : {
	int which = type == IE_START_MS || type == IE_END_MS ? TM_MS
	    : type == IE_START_SEC || type == IE_END_SEC     ? TM_SEC
	    : type == IE_START_US || type == IE_END_US       ? TM_US
							     : TM_NS;
	if (type == IE_START_MS || type == IE_START_SEC ||
	    type == IE_START_US || type == IE_START_NS) {
		r->start[which] = x;
		r->start_have |= 1u << which;
	} else {
		r->end[which] = x;
		r->end_have |= 1u << which;
	}
	break;
}
	case IE_START_DELTA_US:
		r->start[TM_DELTA] = x / 1000;
		r->start_have |= 1u << TM_DELTA;
		break;
	case IE_END_DELTA_US:
		r->end[TM_DELTA] = x / 1000;
		r->end_have |= 1u << TM_DELTA;
		break;
	case IE_DURATION_MS:
		r->duration_ms = x;
		r->have_duration = true;
		break;
	case IE_DURATION_US:
		r->duration_ms = x / 1000;
		r->have_duration = true;
		break;
	case IE_SYS_INIT_MS:
		r->sys_init = x;
		r->have_sys_init = true;
		break;
	case IE_ICMP_TYPE_CODE4:
	case IE_ICMP_TYPE_CODE6:
		r->icmp_type = (uint8_t)(x >> 8);
		r->icmp_code = (uint8_t)x;
		r->have_icmp = true;
		break;
	case IE_ICMP_TYPE4:
	case IE_ICMP_TYPE6:
		r->icmp_type = (uint8_t)x;
		r->have_icmp = true;
		break;
	case IE_ICMP_CODE4:
	case IE_ICMP_CODE6:
		r->icmp_code = (uint8_t)x;
		r->have_icmp = true;
		break;
	case IE_VLAN:
	case IE_DOT1Q_VLAN:
		if (f->vlan == 0)
			f->vlan = (uint16_t)(x & 0xfff);
		break;
	case IE_DIRECTION:
		f->direction = (uint8_t)x;
		break;
	case IE_SAMPLING_INTERVAL:
		r->interval = x;
		break;
	case IE_SAMPLER_RANDOM_INTERVAL:
		r->random_interval = x;
		break;
	case IE_SAMPLER_ID:
	case IE_SELECTOR_ID:
		r->sampler = (uint32_t)x;
		r->have_sampler = true;
		break;
	case IE_SAMPLING_PKT_INTERVAL:
		r->pkt_interval = x;
		break;
	case IE_SAMPLING_PKT_SPACE:
		r->pkt_space = x;
		break;
	case IE_SAMPLING_SIZE:
		r->size = x;
		break;
	case IE_SAMPLING_POPULATION:
		r->pop = x;
		break;
	}
}

/* The 1-in-N rate a record announces, 0 if none. */
static uint32_t
nfrec_rate(const struct nfrec *r)
{
	uint64_t rate = 0;

	if (r->interval > 0)
		rate = r->interval;
	else if (r->random_interval > 0)
		rate = r->random_interval;
	else if (r->pkt_interval > 0)
		rate = (r->pkt_interval + r->pkt_space) / r->pkt_interval;
	else if (r->size > 0 && r->pop > 0)
		rate = r->pop / r->size;
	return rate > UINT32_MAX ? UINT32_MAX : (uint32_t)rate;
}

/* Whether the record decoder uses an information element. */
static bool
nfrec_known(uint16_t type)
{
	switch (type) {
	case IE_OCTETS:
	case IE_PACKETS:
	case IE_PROTO:
	case IE_TOS:
	case IE_TCP_FLAGS:
	case IE_SPORT:
	case IE_SRC4:
	case IE_SRC_MASK:
	case IE_IN_IF:
	case IE_DPORT:
	case IE_DST4:
	case IE_DST_MASK:
	case IE_OUT_IF:
	case IE_NEXTHOP4:
	case IE_SRC_AS:
	case IE_DST_AS:
	case IE_BGP_NEXTHOP4:
	case IE_LAST_SWITCHED:
	case IE_FIRST_SWITCHED:
	case IE_OUT_OCTETS:
	case IE_OUT_PACKETS:
	case IE_SRC6:
	case IE_DST6:
	case IE_SRC6_MASK:
	case IE_DST6_MASK:
	case IE_ICMP_TYPE_CODE4:
	case IE_SAMPLING_INTERVAL:
	case IE_SAMPLER_ID:
	case IE_SAMPLER_RANDOM_INTERVAL:
	case IE_VLAN:
	case IE_DIRECTION:
	case IE_NEXTHOP6:
	case IE_BGP_NEXTHOP6:
	case IE_OCTET_TOTAL:
	case IE_PACKET_TOTAL:
	case IE_ICMP_TYPE_CODE6:
	case IE_START_SEC:
	case IE_END_SEC:
	case IE_START_MS:
	case IE_END_MS:
	case IE_START_US:
	case IE_END_US:
	case IE_START_NS:
	case IE_END_NS:
	case IE_START_DELTA_US:
	case IE_END_DELTA_US:
	case IE_SYS_INIT_MS:
	case IE_DURATION_MS:
	case IE_DURATION_US:
	case IE_ICMP_TYPE4:
	case IE_ICMP_CODE4:
	case IE_ICMP_TYPE6:
	case IE_ICMP_CODE6:
	case IE_UDP_SPORT:
	case IE_UDP_DPORT:
	case IE_TCP_SPORT:
	case IE_TCP_DPORT:
	case IE_INITIATOR_OCTETS:
	case IE_DOT1Q_VLAN:
	case IE_INITIATOR_PACKETS:
	case IE_SELECTOR_ID:
	case IE_SAMPLING_PKT_INTERVAL:
	case IE_SAMPLING_PKT_SPACE:
	case IE_SAMPLING_SIZE:
	case IE_SAMPLING_POPULATION:
		return true;
	default:
		return false;
	}
}

/*
 * What a compiled op does with its value: the common fields go straight
 * to their place; every other field goes through nfrec_num() (OP_NUM) or
 * nfrec_addr16() (OP_ADDR16), so both paths decode alike.
 */
enum {
	OP_NUM,
	OP_ADDR16,
	OP_BYTES, /* arg: counter source */
	OP_PKTS,  /* arg: counter source */
	OP_START, /* arg: time source, value as is */
	OP_END,   /* arg: time source, value as is */
	OP_ADDR4, /* arg: address role (4-byte fields only) */
	OP_PROTO,
	OP_TOS,
	OP_TCP_FLAGS,
	OP_SRC_MASK,
	OP_DST_MASK,
	OP_SPORT,
	OP_DPORT,
	OP_IN_IF,
	OP_OUT_IF,
	OP_SRC_AS,
	OP_DST_AS,
	OP_DIRECTION,
};

/* The action of a field of type and len (1..8 or 16) and its argument. */
static uint8_t
nfrec_action(uint16_t type, uint16_t len, uint8_t *arg)
{
	*arg = 0;
	if (len == 16)
		return OP_ADDR16;
	switch (type) {
	case IE_OCTETS:
		*arg = CNT_DELTA;
		return OP_BYTES;
	case IE_OCTET_TOTAL:
		*arg = CNT_TOTAL;
		return OP_BYTES;
	case IE_OUT_OCTETS:
		*arg = CNT_POST;
		return OP_BYTES;
	case IE_INITIATOR_OCTETS:
		*arg = CNT_INIT;
		return OP_BYTES;
	case IE_PACKETS:
		*arg = CNT_DELTA;
		return OP_PKTS;
	case IE_PACKET_TOTAL:
		*arg = CNT_TOTAL;
		return OP_PKTS;
	case IE_OUT_PACKETS:
		*arg = CNT_POST;
		return OP_PKTS;
	case IE_INITIATOR_PACKETS:
		*arg = CNT_INIT;
		return OP_PKTS;
	case IE_FIRST_SWITCHED:
		*arg = TM_UPTIME;
		return OP_START;
	case IE_LAST_SWITCHED:
		*arg = TM_UPTIME;
		return OP_END;
	case IE_START_MS:
		*arg = TM_MS;
		return OP_START;
	case IE_END_MS:
		*arg = TM_MS;
		return OP_END;
	case IE_SRC4:
	case IE_DST4:
	case IE_NEXTHOP4:
	case IE_BGP_NEXTHOP4:
		if (len != 4)
			return OP_NUM;
		*arg = type == IE_SRC4    ? AD_SRC
		    : type == IE_DST4     ? AD_DST
		    : type == IE_NEXTHOP4 ? AD_NH
					  : AD_BGPNH;
		return OP_ADDR4;
	case IE_PROTO:
		return OP_PROTO;
	case IE_TOS:
		return OP_TOS;
	case IE_TCP_FLAGS:
		return OP_TCP_FLAGS;
	case IE_SRC_MASK:
	case IE_SRC6_MASK:
		return OP_SRC_MASK;
	case IE_DST_MASK:
	case IE_DST6_MASK:
		return OP_DST_MASK;
	case IE_SPORT:
		return OP_SPORT;
	case IE_DPORT:
		return OP_DPORT;
	case IE_IN_IF:
		return OP_IN_IF;
	case IE_OUT_IF:
		return OP_OUT_IF;
	case IE_SRC_AS:
		return OP_SRC_AS;
	case IE_DST_AS:
		return OP_DST_AS;
	case IE_DIRECTION:
		return OP_DIRECTION;
	default:
		return OP_NUM;
	}
}

void
nfrec_compile(struct nft_template *t)
{
	struct nft_op *ops;
	size_t i, n = 0, off = 0;

	if (t->varlen || t->ops != NULL)
		return;
	if ((ops = calloc(t->nfields, sizeof(*ops))) == NULL)
		return;
	for (i = 0; i < t->nfields; i++) {
		const struct nft_field *fd = &t->fields[i];

		if (fd->pen == 0 && nfrec_known(fd->type) &&
		    ((fd->len >= 1 && fd->len <= 8) || fd->len == 16) &&
		    off + fd->len <= t->min_len &&
		    off + fd->len <= UINT16_MAX) {
			ops[n].off = (uint16_t)off;
			ops[n].len = fd->len;
			ops[n].type = fd->type;
			ops[n].act =
			    nfrec_action(fd->type, fd->len, &ops[n].arg);
			ops[n].shift =
			    fd->len <= 8 ? (uint8_t)(64 - 8 * fd->len) : 0;
			n++;
		}
		off += fd->len;
	}
	t->ops = ops;
	t->nops = (uint16_t)n;
}

/* The big-endian value of a compiled op's field of 1..8 bytes. */
static inline uint64_t
nfrec_op_value(const struct rbuf *rec, const struct nft_op *op)
{
	uint64_t x = 0;

	switch (op->len) {
	case 1:
		return rbuf_at8(rec, op->off);
	case 2:
		return rbuf_at16(rec, op->off);
	case 4:
		return rbuf_at32(rec, op->off);
	case 8:
		return (uint64_t)rbuf_at32(rec, op->off) << 32 |
		    rbuf_at32(rec, op->off + 4);
	}
	(void)rbuf_peek_uint(rec, op->off, op->len, &x);
	return x;
}

/*
 * Apply compiled op's value x (rec: the record, for 16-byte fields).
 * Forced inline: called once per field, and a call per field costs more
 * than the field.
 */
static inline __attribute__((always_inline)) void
nfrec_apply(struct nfrec *r, struct flow *f, const struct nft_op *op,
    uint64_t x, struct rbuf *rec)
{
	uint8_t a6[16];

	switch (op->act) {
	case OP_ADDR16:
		rec->off = op->off;
		if (rbuf_bytes(rec, a6, 16) == 0)
			nfrec_addr16(r, op->type, a6);
		break;
	case OP_BYTES:
		r->bytes[op->arg] = x;
		r->bytes_have |= 1u << op->arg;
		break;
	case OP_PKTS:
		r->pkts[op->arg] = x;
		r->pkts_have |= 1u << op->arg;
		break;
	case OP_START:
		r->start[op->arg] = x;
		r->start_have |= 1u << op->arg;
		break;
	case OP_END:
		r->end[op->arg] = x;
		r->end_have |= 1u << op->arg;
		break;
	case OP_ADDR4:
		ft_addr_set_v4(&r->a4[op->arg], (uint32_t)x);
		break;
	case OP_PROTO:
		f->proto = (uint8_t)x;
		break;
	case OP_TOS:
		f->tos = (uint8_t)x;
		break;
	case OP_TCP_FLAGS:
		f->tcp_flags = (uint8_t)x;
		break;
	case OP_SRC_MASK:
		f->src_mask = (uint8_t)x;
		break;
	case OP_DST_MASK:
		f->dst_mask = (uint8_t)x;
		break;
	case OP_SPORT:
		f->sport = (uint16_t)x;
		r->have_port = true;
		break;
	case OP_DPORT:
		f->dport = (uint16_t)x;
		r->have_port = true;
		break;
	case OP_IN_IF:
		f->in_if = (uint32_t)x;
		break;
	case OP_OUT_IF:
		f->out_if = (uint32_t)x;
		break;
	case OP_SRC_AS:
		f->src_as = (uint32_t)x;
		break;
	case OP_DST_AS:
		f->dst_as = (uint32_t)x;
		break;
	case OP_DIRECTION:
		f->direction = (uint8_t)x;
		break;
	default:
		nfrec_num(r, f, op->type, x, op->len);
		break;
	}
}

/* The fast path: a fixed-layout record through compiled ops. */
static int
nfrec_read_ops(const struct nft_template *t, struct rbuf *set, struct nfrec *r,
    struct flow *f)
{
	const struct nft_op *op = t->ops, *end = t->ops + t->nops;
	struct rbuf rec;
	bool wide;

	/* With 8 bytes of the set after the record, every field is read
	 * with one 8-byte load (shifted down to its size). */
	wide = rbuf_left(set) >= (size_t)t->min_len + 8;
	if (rbuf_sub(set, t->min_len, &rec) == -1)
		return -1;
	/* Compiled ops lie within min_len bytes, the length of rec. */
	if (wide)
		for (; op < end; op++)
			nfrec_apply(r, f, op,
			    rbuf_at64(&rec, op->off) >> op->shift, &rec);
	else
		for (; op < end; op++)
			nfrec_apply(r, f, op,
			    op->act == OP_ADDR16 ? 0 : nfrec_op_value(&rec, op),
			    &rec);
	return 0;
}

/* Read the next record's fields into r and f: 0, or -1 if truncated. */
static int
nfrec_read(const struct nft_template *t, struct rbuf *set, struct nfrec *r,
    struct flow *f)
{
	const struct nft_field *fd;
	struct rbuf v;
	uint64_t x;
	uint16_t l16;
	uint8_t l8, a6[16];
	size_t i, len;

	for (i = 0; i < t->nfields; i++) {
		fd = &t->fields[i];
		len = fd->len;
		if (len == NFT_VARLEN) {
			if (rbuf_u8(set, &l8) == -1)
				return -1;
			len = l8;
			if (l8 == 255) {
				if (rbuf_u16(set, &l16) == -1)
					return -1;
				len = l16;
			}
		}
		if (rbuf_sub(set, len, &v) == -1)
			return -1;
		if (fd->pen != 0)
			continue; /* enterprise or v9 scope field */
		if (len >= 1 && len <= 8 && rbuf_uint(&v, len, &x) == 0)
			nfrec_num(r, f, fd->type, x, len);
		else if (len == 16 && rbuf_bytes(&v, a6, 16) == 0)
			nfrec_addr16(r, fd->type, a6);
	}
	return 0;
}

static int
nfrec_pick(uint32_t have, const uint64_t *v, uint64_t *out)
{
	int i;

	for (i = 0; i < 8; i++) {
		if (have & (1u << i)) {
			*out = v[i];
			return 0;
		}
	}
	return -1;
}

/* Absolute time of a time value of kind which. */
static uint64_t
nfrec_time(const struct nf_ctx *c, int which, uint64_t v)
{
	switch (which) {
	case TM_UPTIME:
		if (c->version == 9)
			return nf5_uptime_to_ms(
			    c->export_ms, c->sys_uptime, (uint32_t)v);
		if (c->exp->sys_init_ms != 0)
			return c->exp->sys_init_ms + v;
		return c->export_ms;
	case TM_DELTA:
		return v > c->export_ms ? 0 : c->export_ms - v;
	default:
		return v;
	}
}

static void
nfrec_times(const struct nf_ctx *c, const struct nfrec *r, struct flow *f)
{
	uint64_t v;
	int i, have_s = 0, have_e = 0;

	for (i = 0; i < TM_N && !have_s; i++) {
		if (r->start_have & (1u << i)) {
			f->first_ms = nfrec_time(c, i, r->start[i]);
			have_s = 1;
		}
	}
	for (i = 0; i < TM_N && !have_e; i++) {
		if (r->end_have & (1u << i)) {
			f->last_ms = nfrec_time(c, i, r->end[i]);
			have_e = 1;
		}
	}
	if (have_s && !have_e)
		f->last_ms = r->have_duration ? f->first_ms + r->duration_ms
					      : f->first_ms;
	else if (!have_s && have_e) {
		v = r->have_duration ? r->duration_ms : 0;
		f->first_ms = v > f->last_ms ? 0 : f->last_ms - v;
	} else if (!have_s && !have_e) {
		f->last_ms = c->export_ms;
		v = r->have_duration ? r->duration_ms : 0;
		f->first_ms = v > f->last_ms ? 0 : f->last_ms - v;
	}
	if (f->first_ms > f->last_ms)
		f->first_ms = f->last_ms;
}

static uint32_t
nfrec_lookup_sampler(const struct nf_exporter *e, uint32_t id)
{
	unsigned i;

	for (i = 0; i < e->nsamplers; i++)
		if (e->samplers[i].id == id)
			return e->samplers[i].rate;
	return 0;
}

static uint32_t
nfrec_sampling(const struct nf_exporter *e, const struct nfrec *r)
{
	uint32_t rate;

	if (r->have_sampler && r->sampler != 0)
		return nfrec_lookup_sampler(e, r->sampler);
	if ((rate = nfrec_rate(r)) > 0)
		return rate;
	if (e->rate > 0)
		return e->rate;
	/* One sampler announced and flows that do not name it: its rate. */
	if (e->nsamplers == 1 && e->samplers[0].rate > 0)
		return e->samplers[0].rate;
	return 1;
}

static bool
nfrec_is_zero(const struct ft_addr *a)
{
	static const uint8_t zero[16];

	return a->family == FT_AF_NONE ||
	    (a->family == FT_AF_INET && a->v4 == 0) ||
	    (a->family == FT_AF_INET6 && memcmp(a->v6, zero, 16) == 0);
}

/* The address of one role: the non-zero family, IPv4 if both zero. */
static void
nfrec_pick_addr(const struct nfrec *r, int role, struct ft_addr *out)
{
	const struct ft_addr *a4 = &r->a4[role], *a6 = &r->a6[role];

	if (a6->family != FT_AF_NONE &&
	    (a4->family == FT_AF_NONE ||
		(nfrec_is_zero(a4) && !nfrec_is_zero(a6))))
		*out = *a6;
	else if (a4->family != FT_AF_NONE)
		*out = *a4;
}

static void
nfrec_finish(const struct nf_ctx *c, struct nfrec *r, struct flow *f)
{
	if (nfrec_pick(r->bytes_have, r->bytes, &f->bytes) == -1)
		f->bytes = 0;
	if (nfrec_pick(r->pkts_have, r->pkts, &f->packets) == -1)
		f->packets = 0;
	nfrec_pick_addr(r, AD_SRC, &f->src);
	nfrec_pick_addr(r, AD_DST, &f->dst);
	nfrec_pick_addr(r, AD_NH, &f->nexthop);
	if (nfrec_is_zero(&f->nexthop))
		nfrec_pick_addr(r, AD_BGPNH, &f->nexthop);
	/* No next hop is FT_AF_NONE, not 0.0.0.0. */
	if (nfrec_is_zero(&f->nexthop))
		memset(&f->nexthop, 0, sizeof(f->nexthop));
	if (!r->have_port) {
		f->sport = r->tcp_sport ? r->tcp_sport : r->udp_sport;
		f->dport = r->tcp_dport ? r->tcp_dport : r->udp_dport;
	}
	if (r->have_icmp && f->dport == 0 && f->sport == 0)
		f->dport = (uint16_t)(r->icmp_type << 8 | r->icmp_code);
	nfrec_times(c, r, f);
	f->sampling = nfrec_sampling(c->exp, r);
	f->exporter = c->exp->addr;
}

static void
nfrec_learn_options(struct nf_exporter *e, const struct nfrec *r)
{
	uint32_t rate = nfrec_rate(r);
	unsigned i;

	if (r->have_sys_init && r->sys_init != 0)
		e->sys_init_ms = r->sys_init;
	if (r->have_sampler) {
		for (i = 0; i < e->nsamplers; i++)
			if (e->samplers[i].id == r->sampler)
				break;
		if (i == e->nsamplers) {
			if (e->nsamplers == NF_MAX_SAMPLERS) {
				/* Full: forget the oldest. */
				memmove(&e->samplers[0], &e->samplers[1],
				    (NF_MAX_SAMPLERS - 1) *
					sizeof(e->samplers[0]));
				i = NF_MAX_SAMPLERS - 1;
			} else
				e->nsamplers++;
			e->samplers[i].id = r->sampler;
			e->samplers[i].rate = 0;
		}
		if (rate > 0)
			e->samplers[i].rate = rate;
	} else if (rate > 0)
		e->rate = rate;
}

/* Zero what nfrec_decode_set() must reset per record (see struct nfrec). */
static inline void
nfrec_reset(struct nfrec *r)
{
	r->bytes_have = r->pkts_have = r->start_have = r->end_have = 0;
	r->duration_ms = 0;
	r->have_duration = r->have_icmp = r->have_port = false;
	r->icmp_type = r->icmp_code = 0;
	r->have_sampler = r->have_sys_init = false;
	r->sampler = 0;
	r->interval = r->random_interval = r->pkt_interval = 0;
	r->pkt_space = r->size = r->pop = r->sys_init = 0;
	r->tcp_sport = r->tcp_dport = r->udp_sport = r->udp_dport = 0;
}

int
nfrec_decode_set(
    struct nf_ctx *c, const struct nft_template *t, struct rbuf *set)
{
	static const struct ft_addr a0;
	struct nfrec r;
	struct flow f;
	int i;

	while (!c->stop && rbuf_left(set) >= t->min_len) {
		/*
		 * Reset field by field: compilers turn a memset of these
		 * structs into rep stos, which costs more than decoding the
		 * record.
		 */
		nfrec_reset(&r);
		for (i = 0; i < 4; i++)
			r.a4[i].family = r.a6[i].family = FT_AF_NONE;
		f.bytes = f.packets = f.first_ms = f.last_ms = 0;
		f.src = f.dst = f.nexthop = f.exporter = a0;
		f.in_if = f.out_if = f.src_as = f.dst_as = f.sampling = 0;
		f.sport = f.dport = f.vlan = 0;
		f.proto = f.tos = f.tcp_flags = f.src_mask = f.dst_mask = 0;
		f.direction = FLOW_DIR_UNKNOWN;
		if ((t->ops != NULL ? nfrec_read_ops(t, set, &r, &f)
				    : nfrec_read(t, set, &r, &f)) == -1)
			break; /* a truncated last record: padding */
		if (t->options) {
			nfrec_learn_options(c->exp, &r);
			c->info->options++;
			if (c->releasing)
				c->info->released_options++;
			if (c->s->opt_fn != NULL)
				c->s->opt_fn(c->s->opt_arg, t->id);
			continue;
		}
		nfrec_finish(c, &r, &f);
		c->info->records++;
		if (c->releasing)
			c->info->released++;
		if (c->emit != NULL && c->emit(c->arg, &f) == -1)
			c->stop = true;
	}
	return c->stop ? -1 : 0;
}
