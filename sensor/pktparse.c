/*
 * Frame parser: link layer (Ethernet with VLAN/QinQ/MPLS, Linux cooked v1
 * and v2, raw IP, BSD null/loopback) to IPv4/IPv6 (extension headers
 * walked) to the transport ports, through bounds-checked cursors only.
 */
#include "sensor/pktparse.h"

#include <pcap/dlt.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/flow.h"

#define ETHERTYPE_IPV4  0x0800
#define ETHERTYPE_IPV6  0x86dd
#define ETHERTYPE_VLAN  0x8100
#define ETHERTYPE_QINQ  0x88a8
#define ETHERTYPE_QINQ9 0x9100
#define ETHERTYPE_MPLS  0x8847
#define ETHERTYPE_MPLSM 0x8848

#define MAX_TAGS    8  /* VLAN tags or MPLS labels followed */
#define MAX_EXTHDRS 16 /* IPv6 extension headers walked */

static const char *pkt_names[PKT_NRESULTS] = {
	"ok",
	"not_ip",
	"linktype",
	"short_link",
	"short_ip",
	"bad_ip",
	"short_exthdr",
	"short_transport",
};

const char *
pkt_result_name(enum pkt_result r)
{
	if ((unsigned)r >= PKT_NRESULTS)
		return "unknown";
	return pkt_names[r];
}

int
pkt_linktype_supported(int linktype)
{
	switch (linktype) {
	case DLT_EN10MB:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
	case DLT_NULL:
	case DLT_LOOP:
		return 1;
	default:
		return 0;
	}
}

/* Ports (or ICMP type/code, TCP flags) of a first fragment or whole packet. */
static enum pkt_result
pkt_transport(struct rbuf *b, struct pkt_info *pi)
{
	uint16_t sport, dport;
	uint8_t type, code, flags;

	switch (pi->key.proto) {
	case 6: /* TCP: ports, then flags at offset 13 */
		if (rbuf_u16(b, &sport) == -1 || rbuf_u16(b, &dport) == -1 ||
		    rbuf_skip(b, 9) == -1 || rbuf_u8(b, &flags) == -1)
			return PKT_SHORT_TRANSPORT;
		pi->tcp_flags = flags;
		break;
	case 17:  /* UDP */
	case 33:  /* DCCP */
	case 132: /* SCTP */
	case 136: /* UDP-Lite */
		if (rbuf_u16(b, &sport) == -1 || rbuf_u16(b, &dport) == -1)
			return PKT_SHORT_TRANSPORT;
		break;
	case 1:  /* ICMP */
	case 58: /* ICMPv6 */
		if (rbuf_u8(b, &type) == -1 || rbuf_u8(b, &code) == -1)
			return PKT_SHORT_TRANSPORT;
		sport = 0;
		dport = (uint16_t)(type << 8 | code);
		break;
	default:
		return PKT_OK;
	}
	pi->key.sport = sport;
	pi->key.dport = dport;
	return PKT_OK;
}

/* The IP length to count: the header's, or the frame's rest when it is 0. */
static enum pkt_result
pkt_iplen(size_t hdrlen, size_t total, size_t avail, struct pkt_info *pi)
{
	if (total == 0)
		total = avail;
	if (total < hdrlen || total > avail || total > UINT32_MAX)
		return PKT_BAD_IP;
	pi->bytes = (uint32_t)total;
	return PKT_OK;
}

static enum pkt_result
pkt_ipv4(struct rbuf *b, size_t wireleft, struct pkt_info *pi)
{
	uint8_t vihl, tos, proto;
	uint16_t total, frag;
	uint32_t src, dst;
	size_t hlen, start = b->off;
	enum pkt_result r;

	if (rbuf_left(b) < 20)
		return PKT_SHORT_IP;
	(void)rbuf_u8(b, &vihl);
	(void)rbuf_u8(b, &tos);
	(void)rbuf_u16(b, &total);
	(void)rbuf_skip(b, 2); /* id */
	(void)rbuf_u16(b, &frag);
	(void)rbuf_skip(b, 1); /* ttl */
	(void)rbuf_u8(b, &proto);
	(void)rbuf_skip(b, 2); /* checksum */
	(void)rbuf_u32(b, &src);
	(void)rbuf_u32(b, &dst);
	if ((vihl >> 4) != 4)
		return PKT_BAD_IP;
	hlen = (size_t)(vihl & 0x0f) * 4;
	if (hlen < 20)
		return PKT_BAD_IP;
	if ((r = pkt_iplen(hlen, total, wireleft, pi)) != PKT_OK)
		return r;
	if (rbuf_skip(b, hlen - 20) == -1)
		return PKT_SHORT_IP;
	pi->key.family = FT_AF_INET;
	pi->key.proto = proto;
	pi->key.tos = tos;
	pi->key.src[0] = (uint8_t)(src >> 24);
	pi->key.src[1] = (uint8_t)(src >> 16);
	pi->key.src[2] = (uint8_t)(src >> 8);
	pi->key.src[3] = (uint8_t)src;
	pi->key.dst[0] = (uint8_t)(dst >> 24);
	pi->key.dst[1] = (uint8_t)(dst >> 16);
	pi->key.dst[2] = (uint8_t)(dst >> 8);
	pi->key.dst[3] = (uint8_t)dst;
	if ((frag & 0x1fff) != 0) {
		pi->fragment = 1;
		return PKT_OK;
	}
	/* The transport header must lie within the IP packet too. */
	b->len = start + pi->bytes < b->len ? start + pi->bytes : b->len;
	return pkt_transport(b, pi);
}

static enum pkt_result
pkt_ipv6(struct rbuf *b, size_t wireleft, struct pkt_info *pi)
{
	uint32_t vtcfl;
	uint16_t plen, fragoff;
	uint8_t nxt, hlen;
	size_t start = b->off;
	enum pkt_result r;
	int i;

	if (rbuf_left(b) < 40)
		return PKT_SHORT_IP;
	(void)rbuf_u32(b, &vtcfl);
	(void)rbuf_u16(b, &plen);
	(void)rbuf_u8(b, &nxt);
	(void)rbuf_skip(b, 1); /* hop limit */
	(void)rbuf_bytes(b, pi->key.src, 16);
	(void)rbuf_bytes(b, pi->key.dst, 16);
	if ((vtcfl >> 28) != 6)
		return PKT_BAD_IP;
	if ((r = pkt_iplen(40, plen == 0 ? 0 : (size_t)plen + 40, wireleft,
		 pi)) != PKT_OK)
		return r;
	pi->key.family = FT_AF_INET6;
	pi->key.tos = (uint8_t)(vtcfl >> 20);
	b->len = start + pi->bytes < b->len ? start + pi->bytes : b->len;
	for (i = 0; i < MAX_EXTHDRS; i++) {
		pi->key.proto = nxt;
		switch (nxt) {
		case 0:   /* hop-by-hop */
		case 43:  /* routing */
		case 60:  /* destination options */
		case 135: /* mobility */
		case 139: /* HIP */
		case 140: /* shim6 */
			if (rbuf_u8(b, &nxt) == -1 || rbuf_u8(b, &hlen) == -1 ||
			    rbuf_skip(b, (size_t)hlen * 8 + 6) == -1)
				return PKT_SHORT_EXTHDR;
			break;
		case 51: /* AH: length in 4-byte units, minus 2 */
			if (rbuf_u8(b, &nxt) == -1 || rbuf_u8(b, &hlen) == -1 ||
			    rbuf_skip(b, (size_t)hlen * 4 + 6) == -1)
				return PKT_SHORT_EXTHDR;
			break;
		case 44: /* fragment */
			if (rbuf_u8(b, &nxt) == -1 || rbuf_skip(b, 1) == -1 ||
			    rbuf_u16(b, &fragoff) == -1 ||
			    rbuf_skip(b, 4) == -1)
				return PKT_SHORT_EXTHDR;
			if ((fragoff & 0xfff8) != 0) {
				/* Later fragments: the next header is known,
				 * but not the ports. */
				pi->key.proto = nxt;
				pi->fragment = 1;
				return PKT_OK;
			}
			break;
		default:
			return pkt_transport(b, pi);
		}
	}
	return PKT_SHORT_EXTHDR;
}

/* Dispatch on an ethertype, following VLAN tags and MPLS labels. */
static enum pkt_result
pkt_ethertype(
    struct rbuf *b, uint16_t type, size_t wirelen, struct pkt_info *pi)
{
	uint16_t tci;
	uint32_t label;
	uint8_t v;
	int i;

	for (i = 0; i < MAX_TAGS; i++) {
		switch (type) {
		case ETHERTYPE_IPV4:
			return pkt_ipv4(b, wirelen - b->off, pi);
		case ETHERTYPE_IPV6:
			return pkt_ipv6(b, wirelen - b->off, pi);
		case ETHERTYPE_VLAN:
		case ETHERTYPE_QINQ:
		case ETHERTYPE_QINQ9:
			if (rbuf_u16(b, &tci) == -1 || rbuf_u16(b, &type) == -1)
				return PKT_SHORT_LINK;
			if (pi->key.vlan == 0)
				pi->key.vlan = tci & 0x0fff;
			break;
		case ETHERTYPE_MPLS:
		case ETHERTYPE_MPLSM:
			if (rbuf_u32(b, &label) == -1)
				return PKT_SHORT_LINK;
			if ((label & 0x100) == 0)
				break; /* not bottom of stack */
			/* Guess the payload from the IP version nibble. */
			if (rbuf_left(b) < 1)
				return PKT_SHORT_IP;
			v = b->p[b->off] >> 4;
			if (v == 4)
				type = ETHERTYPE_IPV4;
			else if (v == 6)
				type = ETHERTYPE_IPV6;
			else
				return PKT_NOT_IP;
			break;
		default:
			return PKT_NOT_IP;
		}
	}
	return PKT_SHORT_LINK;
}

/* DLT_NULL/DLT_LOOP address family, in either byte order. */
static enum pkt_result
pkt_null(struct rbuf *b, size_t wirelen, struct pkt_info *pi)
{
	uint32_t af;

	if (rbuf_u32(b, &af) == -1)
		return PKT_SHORT_LINK;
	if ((af & 0xffff) == 0)
		af = (af >> 24) | ((af >> 8) & 0xff00);
	switch (af) {
	case 2: /* AF_INET everywhere */
		return pkt_ipv4(b, wirelen - b->off, pi);
	case 10: /* Linux */
	case 24: /* NetBSD, OpenBSD */
	case 28: /* FreeBSD */
	case 30: /* macOS */
		return pkt_ipv6(b, wirelen - b->off, pi);
	default:
		return PKT_NOT_IP;
	}
}

enum pkt_result
pkt_parse(int linktype, const uint8_t *p, size_t caplen, size_t wirelen,
    struct pkt_info *pi)
{
	struct rbuf b;
	uint16_t type;
	uint8_t v;

	memset(pi, 0, sizeof(*pi));
	if (wirelen < caplen)
		wirelen = caplen;
	rbuf_init(&b, p, caplen);
	switch (linktype) {
	case DLT_EN10MB:
		if (rbuf_skip(&b, 12) == -1 || rbuf_u16(&b, &type) == -1)
			return PKT_SHORT_LINK;
		return pkt_ethertype(&b, type, wirelen, pi);
	case DLT_LINUX_SLL:
		if (rbuf_skip(&b, 14) == -1 || rbuf_u16(&b, &type) == -1)
			return PKT_SHORT_LINK;
		return pkt_ethertype(&b, type, wirelen, pi);
	case DLT_LINUX_SLL2:
		if (rbuf_u16(&b, &type) == -1 || rbuf_skip(&b, 18) == -1)
			return PKT_SHORT_LINK;
		return pkt_ethertype(&b, type, wirelen, pi);
	case DLT_RAW:
		if (rbuf_left(&b) < 1)
			return PKT_SHORT_IP;
		v = p[0] >> 4;
		if (v == 4)
			return pkt_ipv4(&b, wirelen, pi);
		if (v == 6)
			return pkt_ipv6(&b, wirelen, pi);
		return PKT_BAD_IP;
	case DLT_IPV4:
		return pkt_ipv4(&b, wirelen, pi);
	case DLT_IPV6:
		return pkt_ipv6(&b, wirelen, pi);
	case DLT_NULL:
	case DLT_LOOP:
		return pkt_null(&b, wirelen, pi);
	default:
		return PKT_LINKTYPE;
	}
}
