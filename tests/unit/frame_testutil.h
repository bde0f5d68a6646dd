/*
 * Hand-built link-layer frames for the sensor unit tests: Ethernet, IPv4
 * and IPv6 headers, TCP and UDP headers and payload appended to a buffer,
 * with the offset where the flow key ends (for truncation tests).
 */
#ifndef FT_FRAME_TESTUTIL_H
#define FT_FRAME_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct frame {
	uint8_t b[256];
	size_t len;
	size_t keyend; /* bytes needed for a full parse */
};

static __attribute__((unused)) void
frame_put(struct frame *f, const void *p, size_t n)
{
	memcpy(f->b + f->len, p, n);
	f->len += n;
}

static __attribute__((unused)) void
frame_put16(struct frame *f, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	frame_put(f, x, 2);
}

static __attribute__((unused)) void
frame_eth(struct frame *f, uint16_t type)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
	frame_put(f, macs, 12);
	frame_put16(f, type);
}

/* IPv4 header (20 bytes) with total length of hdr + paylen. */
static __attribute__((unused)) void
frame_ipv4(struct frame *f, uint8_t proto, uint16_t paylen, uint16_t frag)
{
	uint8_t h[20] = { 0x45, 0x10, 0, 0, 0, 1, 0, 0, 64, proto, 0, 0, 10, 0,
		0, 1, 192, 168, 1, 2 };
	h[2] = (uint8_t)((20 + paylen) >> 8);
	h[3] = (uint8_t)(20 + paylen);
	h[6] = (uint8_t)(frag >> 8);
	h[7] = (uint8_t)frag;
	frame_put(f, h, 20);
}

static __attribute__((unused)) void
frame_ipv6(struct frame *f, uint8_t nxt, uint16_t paylen)
{
	uint8_t h[40] = { 0x6a, 0x80, 0, 0, 0, 0, nxt, 64 };
	h[4] = (uint8_t)(paylen >> 8);
	h[5] = (uint8_t)paylen;
	h[8] = 0x20;
	h[9] = 0x01;
	h[23] = 1;
	h[24] = 0x20;
	h[25] = 0x01;
	h[39] = 2;
	frame_put(f, h, 40);
}

/* TCP header (20 bytes) 1234 -> 80 with flags; key ends after flags. */
static __attribute__((unused)) void
frame_tcp(struct frame *f, uint8_t flags)
{
	uint8_t h[20] = { 0x04, 0xd2, 0, 80 };
	h[12] = 0x50;
	h[13] = flags;
	f->keyend = f->len + 14;
	frame_put(f, h, 20);
}

static __attribute__((unused)) void
frame_udp(struct frame *f, uint16_t paylen)
{
	uint8_t h[8] = { 0x00, 53, 0x13, 0x88 };
	h[4] = (uint8_t)((8 + paylen) >> 8);
	h[5] = (uint8_t)(8 + paylen);
	f->keyend = f->len + 4;
	frame_put(f, h, 8);
}

static __attribute__((unused)) void
frame_payload(struct frame *f, size_t n)
{
	memset(f->b + f->len, 0xab, n);
	f->len += n;
}

/* Set the IPv4 source address (host order) of an Ethernet frame. */
static __attribute__((unused)) void
frame_set_src4(struct frame *f, uint32_t a)
{
	f->b[26] = (uint8_t)(a >> 24);
	f->b[27] = (uint8_t)(a >> 16);
	f->b[28] = (uint8_t)(a >> 8);
	f->b[29] = (uint8_t)a;
}

/*
 * An Ethernet frame of IPv4 UDP from 10.0.0.1 port 53 to 192.168.1.2
 * port 5000 with paylen bytes of payload (IP length 28 + paylen).
 */
static __attribute__((unused)) void
frame_eth_udp4(struct frame *f, uint16_t paylen)
{
	memset(f, 0, sizeof(*f));
	frame_eth(f, 0x0800);
	frame_ipv4(f, 17, (uint16_t)(8 + paylen), 0);
	frame_udp(f, paylen);
	frame_payload(f, paylen);
}

#endif
