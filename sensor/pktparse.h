/*
 * Packet parsing for the sensor: one captured frame of a given link type
 * into a flow key, the IP packet's length and TCP flags. Every read is
 * bounds-checked against the captured length; a frame that cannot be parsed
 * completely is rejected with the reason, never guessed at.
 */
#ifndef FT_SENSOR_PKTPARSE_H
#define FT_SENSOR_PKTPARSE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The key a flow is tracked by. Addresses in network byte order (IPv4 in
 * the first 4 bytes, the rest zero). For ICMP/ICMPv6 sport is 0 and dport
 * type << 8 | code; protocols without ports have both 0, and so do
 * non-first fragments. Padding is zero so keys compare with memcmp.
 */
struct pkt_key {
	uint8_t src[16];
	uint8_t dst[16];
	uint16_t sport;
	uint16_t dport;
	uint16_t vlan;  /* outermost 802.1Q/802.1ad VLAN id, 0 for none */
	uint8_t family; /* FT_AF_INET or FT_AF_INET6 */
	uint8_t proto;
	uint8_t tos; /* IPv4 ToS / IPv6 traffic class */
	uint8_t pad[3];
};

/* What a parsed packet contributes to its flow. */
struct pkt_info {
	struct pkt_key key;
	uint32_t bytes; /* the IP packet's length from its header */
	uint8_t tcp_flags;
	uint8_t fragment; /* 1 when a non-first fragment (no ports) */
};

/*
 * Why a frame was not counted. PKT_NOT_IP (ARP, LLDP...) is not an error,
 * the rest are truncated or malformed frames.
 */
enum pkt_result {
	PKT_OK = 0,
	PKT_NOT_IP,         /* a non-IP ethertype / address family */
	PKT_LINKTYPE,       /* unsupported link type */
	PKT_SHORT_LINK,     /* truncated link-layer header or VLAN/MPLS tag */
	PKT_SHORT_IP,       /* truncated IPv4/IPv6 header */
	PKT_BAD_IP,         /* bad version, header length or total length */
	PKT_SHORT_EXTHDR,   /* truncated or too many IPv6 extension headers */
	PKT_SHORT_TRANSPORT /* truncated TCP/UDP/SCTP/ICMP header */
};
#define PKT_NRESULTS 8

/*
 * Link types understood (the DLT_ values libpcap reports): DLT_EN10MB
 * (with 802.1Q, 802.1ad/QinQ and MPLS), DLT_LINUX_SLL, DLT_LINUX_SLL2,
 * DLT_RAW, DLT_IPV4, DLT_IPV6, DLT_NULL and DLT_LOOP.
 * Returns 1 when linktype is supported, 0 otherwise.
 */
int pkt_linktype_supported(int linktype);

/*
 * Parse one frame: caplen bytes captured of a frame wirelen bytes long.
 * On PKT_OK fills *pi. bytes is the IP header's total length (IPv6: 40 +
 * payload length), never the frame length, so link padding is not
 * counted; it is at most what the frame can hold (a larger one is
 * PKT_BAD_IP). A zero length field (TSO, jumbograms) counts the rest of
 * the frame. Headers needed for the key must be fully captured; the
 * payload need not be.
 */
enum pkt_result pkt_parse(int linktype, const uint8_t *p, size_t caplen,
    size_t wirelen, struct pkt_info *pi);

/* A short name for a result ("short_ip"), for statistics. */
const char *pkt_result_name(enum pkt_result r);

#endif
