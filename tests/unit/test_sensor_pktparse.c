/*
 * Unit tests for sensor/pktparse.c: hand-built frames for each link type,
 * VLAN/QinQ/MPLS, IPv6 extension headers, fragments, and every truncation
 * point of each frame.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pcap/dlt.h>
#include <string.h>

#include "lib/flow.h"
#include "sensor/pktparse.h"

struct frame {
	uint8_t b[256];
	size_t len;
	size_t keyend; /* bytes needed for a full parse */
};

static void
put(struct frame *f, const void *p, size_t n)
{
	memcpy(f->b + f->len, p, n);
	f->len += n;
}

static void
put16(struct frame *f, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	put(f, x, 2);
}

static void
eth(struct frame *f, uint16_t type)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
	put(f, macs, 12);
	put16(f, type);
}

/* IPv4 header (20 bytes) with total length of hdr + paylen. */
static void
ipv4(struct frame *f, uint8_t proto, uint16_t paylen, uint16_t frag)
{
	uint8_t h[20] = { 0x45, 0x10, 0, 0, 0, 1, 0, 0, 64, proto, 0, 0, 10, 0,
		0, 1, 192, 168, 1, 2 };
	h[2] = (uint8_t)((20 + paylen) >> 8);
	h[3] = (uint8_t)(20 + paylen);
	h[6] = (uint8_t)(frag >> 8);
	h[7] = (uint8_t)frag;
	put(f, h, 20);
}

static void
ipv6(struct frame *f, uint8_t nxt, uint16_t paylen)
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
	put(f, h, 40);
}

/* TCP header (20 bytes) 1234 -> 80 with flags; key ends after flags. */
static void
tcp(struct frame *f, uint8_t flags)
{
	uint8_t h[20] = { 0x04, 0xd2, 0, 80 };
	h[12] = 0x50;
	h[13] = flags;
	f->keyend = f->len + 14;
	put(f, h, 20);
}

static void
udp(struct frame *f, uint16_t paylen)
{
	uint8_t h[8] = { 0x00, 53, 0x13, 0x88 };
	h[4] = (uint8_t)((8 + paylen) >> 8);
	h[5] = (uint8_t)(8 + paylen);
	f->keyend = f->len + 4;
	put(f, h, 8);
}

static void
payload(struct frame *f, size_t n)
{
	memset(f->b + f->len, 0xab, n);
	f->len += n;
}

/* Every caplen shorter than keyend fails; keyend and longer parse. */
static void
check_truncations(int dlt, const struct frame *f, const struct pkt_info *want)
{
	struct pkt_info pi;
	size_t c;

	for (c = 0; c <= f->len; c++) {
		enum pkt_result r = pkt_parse(dlt, f->b, c, f->len, &pi);
		if (c < f->keyend) {
			assert_int_not_equal(r, PKT_OK);
		} else {
			assert_int_equal(r, PKT_OK);
			assert_memory_equal(
			    &pi.key, &want->key, sizeof(pi.key));
			assert_int_equal(pi.bytes, want->bytes);
		}
	}
}

static void
test_sensor_pkt_ethernet_tcp_padding(void **state)
{
	struct frame f = { 0 };
	struct pkt_info pi;

	(void)state;
	eth(&f, 0x0800);
	ipv4(&f, 6, 20, 0);
	tcp(&f, 0x12);
	payload(&f, 6); /* Ethernet padding to 60 bytes */
	assert_int_equal(pkt_parse(DLT_EN10MB, f.b, f.len, f.len, &pi), PKT_OK);
	assert_int_equal(pi.bytes, 40); /* not 60 */
	assert_int_equal(pi.key.family, FT_AF_INET);
	assert_int_equal(pi.key.proto, 6);
	assert_int_equal(pi.key.sport, 1234);
	assert_int_equal(pi.key.dport, 80);
	assert_int_equal(pi.key.tos, 0x10);
	assert_int_equal(pi.tcp_flags, 0x12);
	assert_int_equal(pi.key.src[0], 10);
	assert_int_equal(pi.key.dst[3], 2);
	check_truncations(DLT_EN10MB, &f, &pi);
}

static void
test_sensor_pkt_vlan_qinq(void **state)
{
	struct frame f = { 0 };
	struct pkt_info pi;

	(void)state;
	eth(&f, 0x88a8);
	put16(&f, 100); /* outer S-tag */
	put16(&f, 0x8100);
	put16(&f, 0x2000 | 200); /* PCP 1, VID 200 */
	put16(&f, 0x0800);
	ipv4(&f, 17, 8 + 10, 0);
	udp(&f, 10);
	payload(&f, 10);
	assert_int_equal(pkt_parse(DLT_EN10MB, f.b, f.len, f.len, &pi), PKT_OK);
	assert_int_equal(pi.key.vlan, 100);
	assert_int_equal(pi.key.sport, 53);
	assert_int_equal(pi.key.dport, 5000);
	assert_int_equal(pi.bytes, 38);
	check_truncations(DLT_EN10MB, &f, &pi);
}

static void
test_sensor_pkt_mpls(void **state)
{
	struct frame f = { 0 };
	struct pkt_info pi;
	uint8_t lbl[8] = { 0, 1, 0, 64, 0, 2, 1,
		64 }; /* 2 labels, BoS on 2nd */

	(void)state;
	eth(&f, 0x8847);
	put(&f, lbl, 8);
	ipv6(&f, 17, 8);
	udp(&f, 0);
	assert_int_equal(pkt_parse(DLT_EN10MB, f.b, f.len, f.len, &pi), PKT_OK);
	assert_int_equal(pi.key.family, FT_AF_INET6);
	assert_int_equal(pi.bytes, 48);
	check_truncations(DLT_EN10MB, &f, &pi);
}

static void
test_sensor_pkt_sll_sll2(void **state)
{
	struct frame f = { 0 }, g = { 0 };
	struct pkt_info pi;
	uint8_t sll[14] = { 0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0 };
	uint8_t sll2[18] = { 0, 0, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 1, 2, 3, 4 };

	(void)state;
	put(&f, sll, 14);
	put16(&f, 0x0800);
	ipv4(&f, 6, 20, 0);
	tcp(&f, 0x02);
	assert_int_equal(
	    pkt_parse(DLT_LINUX_SLL, f.b, f.len, f.len, &pi), PKT_OK);
	assert_int_equal(pi.bytes, 40);
	check_truncations(DLT_LINUX_SLL, &f, &pi);

	put16(&g, 0x86dd);
	put16(&g, 0);
	put(&g, sll2, 16);
	ipv6(&g, 6, 20);
	tcp(&g, 0x01);
	assert_int_equal(
	    pkt_parse(DLT_LINUX_SLL2, g.b, g.len, g.len, &pi), PKT_OK);
	assert_int_equal(pi.bytes, 60);
	assert_int_equal(pi.key.tos, 0xa8);
	assert_int_equal(pi.tcp_flags, 0x01);
	check_truncations(DLT_LINUX_SLL2, &g, &pi);
}

static void
test_sensor_pkt_raw_null_loop(void **state)
{
	struct frame f = { 0 }, n = { 0 }, l = { 0 };
	struct pkt_info pi;
	uint8_t af_le[4] = { 2, 0, 0, 0 }, af6_be[4] = { 0, 0, 0, 30 };

	(void)state;
	ipv4(&f, 1, 8, 0);
	f.keyend = f.len + 2;
	put(&f, (uint8_t[]){ 3, 1, 0, 0, 0, 0, 0, 0 }, 8);
	assert_int_equal(pkt_parse(DLT_RAW, f.b, f.len, f.len, &pi), PKT_OK);
	assert_int_equal(pi.key.proto, 1);
	assert_int_equal(pi.key.sport, 0);
	assert_int_equal(pi.key.dport, 0x0301);
	check_truncations(DLT_RAW, &f, &pi);
	check_truncations(DLT_IPV4, &f, &pi);

	put(&n, af_le, 4);
	ipv4(&n, 47, 4, 0); /* GRE: no ports */
	n.keyend = n.len;
	payload(&n, 4);
	assert_int_equal(pkt_parse(DLT_NULL, n.b, n.len, n.len, &pi), PKT_OK);
	assert_int_equal(pi.key.proto, 47);
	assert_int_equal(pi.bytes, 24);
	check_truncations(DLT_NULL, &n, &pi);

	put(&l, af6_be, 4);
	ipv6(&l, 58, 4);
	l.keyend = l.len + 2;
	put(&l, (uint8_t[]){ 128, 0, 0, 0 }, 4);
	assert_int_equal(pkt_parse(DLT_LOOP, l.b, l.len, l.len, &pi), PKT_OK);
	assert_int_equal(pi.key.proto, 58);
	assert_int_equal(pi.key.dport, 128 << 8);
	check_truncations(DLT_LOOP, &l, &pi);
	memset(&n, 0, sizeof(n));
	put(&n, l.b + 4, l.len - 4);
	n.keyend = l.keyend - 4;
	check_truncations(DLT_IPV6, &n, &pi);
}

static void
test_sensor_pkt_ipv6_exthdrs(void **state)
{
	struct frame f = { 0 };
	struct pkt_info pi;
	uint8_t hbh[8] = { 60, 0, 1, 4, 0, 0, 0, 0 };
	uint8_t dst[16] = { 44, 1 };
	uint8_t frag[8] = { 6, 0, 0, 0, 0, 0, 0, 7 }; /* first fragment */

	(void)state;
	eth(&f, 0x86dd);
	ipv6(&f, 0, 8 + 16 + 8 + 20 + 4);
	put(&f, hbh, 8);
	put(&f, dst, 16);
	put(&f, frag, 8);
	tcp(&f, 0x10);
	payload(&f, 4);
	assert_int_equal(pkt_parse(DLT_EN10MB, f.b, f.len, f.len, &pi), PKT_OK);
	assert_int_equal(pi.key.proto, 6);
	assert_int_equal(pi.key.sport, 1234);
	assert_int_equal(pi.fragment, 0);
	assert_int_equal(pi.bytes, 40 + 56);
	check_truncations(DLT_EN10MB, &f, &pi);

	/* A later fragment: protocol known, no ports. */
	f.b[14 + 40 + 24 + 3] = 0x08; /* offset 1 */
	assert_int_equal(pkt_parse(DLT_EN10MB, f.b, f.len, f.len, &pi), PKT_OK);
	assert_int_equal(pi.key.proto, 6);
	assert_int_equal(pi.key.sport, 0);
	assert_int_equal(pi.key.dport, 0);
	assert_int_equal(pi.fragment, 1);

	/* An extension header claiming more than the packet holds. */
	f.b[14 + 40 + 1] = 200;
	assert_int_equal(
	    pkt_parse(DLT_EN10MB, f.b, f.len, f.len, &pi), PKT_SHORT_EXTHDR);
}

static void
test_sensor_pkt_ipv4_fragments(void **state)
{
	struct frame f = { 0 }, g = { 0 };
	struct pkt_info pi;

	(void)state;
	eth(&f, 0x0800);
	ipv4(&f, 17, 8 + 100, 0x2000); /* MF, offset 0: first */
	udp(&f, 100);
	payload(&f, 100);
	assert_int_equal(pkt_parse(DLT_EN10MB, f.b, f.len, f.len, &pi), PKT_OK);
	assert_int_equal(pi.key.sport, 53);
	assert_int_equal(pi.fragment, 0);

	eth(&g, 0x0800);
	ipv4(&g, 17, 30, 0x000e); /* offset 14*8 */
	g.keyend = g.len;
	payload(&g, 30);
	assert_int_equal(pkt_parse(DLT_EN10MB, g.b, g.len, g.len, &pi), PKT_OK);
	assert_int_equal(pi.fragment, 1);
	assert_int_equal(pi.key.sport, 0);
	assert_int_equal(pi.key.proto, 17);
	assert_int_equal(pi.bytes, 50);
	check_truncations(DLT_EN10MB, &g, &pi);
}

static void
test_sensor_pkt_bad_and_odd(void **state)
{
	struct frame f = { 0 };
	struct pkt_info pi;

	(void)state;
	eth(&f, 0x0806); /* ARP */
	payload(&f, 28);
	assert_int_equal(
	    pkt_parse(DLT_EN10MB, f.b, f.len, f.len, &pi), PKT_NOT_IP);
	assert_int_equal(pkt_parse(9999, f.b, f.len, f.len, &pi), PKT_LINKTYPE);
	assert_int_equal(pkt_linktype_supported(DLT_LINUX_SLL2), 1);
	assert_int_equal(pkt_linktype_supported(9999), 0);

	memset(&f, 0, sizeof(f));
	eth(&f, 0x0800);
	ipv4(&f, 6, 20, 0);
	tcp(&f, 0);
	/* Total length beyond the frame. */
	f.b[16] = 0x05;
	assert_int_equal(
	    pkt_parse(DLT_EN10MB, f.b, f.len, f.len, &pi), PKT_BAD_IP);
	/* ... but fine when the frame was longer than captured. */
	f.b[16] = 0;
	f.b[17] = 200;
	assert_int_equal(pkt_parse(DLT_EN10MB, f.b, f.len, 214, &pi), PKT_OK);
	assert_int_equal(pi.bytes, 200);
	/* IHL < 5, and a header length beyond the total length. */
	f.b[17] = 40;
	f.b[14] = 0x44;
	assert_int_equal(
	    pkt_parse(DLT_EN10MB, f.b, f.len, f.len, &pi), PKT_BAD_IP);
	f.b[14] = 0x4f;
	assert_int_equal(
	    pkt_parse(DLT_EN10MB, f.b, f.len, f.len, &pi), PKT_BAD_IP);
	/* Version 5. */
	f.b[14] = 0x55;
	assert_int_equal(
	    pkt_parse(DLT_EN10MB, f.b, f.len, f.len, &pi), PKT_BAD_IP);
	/* TCP header cut by the IP length though the frame goes on. */
	f.b[14] = 0x45;
	f.b[17] = 30;
	assert_int_equal(
	    pkt_parse(DLT_EN10MB, f.b, f.len, f.len, &pi), PKT_SHORT_TRANSPORT);
	/* Too many VLAN tags. */
	memset(&f, 0, sizeof(f));
	eth(&f, 0x8100);
	for (int i = 0; i < 10; i++) {
		put16(&f, 1);
		put16(&f, 0x8100);
	}
	assert_int_equal(
	    pkt_parse(DLT_EN10MB, f.b, f.len, f.len, &pi), PKT_SHORT_LINK);
	assert_string_equal(pkt_result_name(PKT_SHORT_IP), "short_ip");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sensor_pkt_ethernet_tcp_padding),
		cmocka_unit_test(test_sensor_pkt_vlan_qinq),
		cmocka_unit_test(test_sensor_pkt_mpls),
		cmocka_unit_test(test_sensor_pkt_sll_sll2),
		cmocka_unit_test(test_sensor_pkt_raw_null_loop),
		cmocka_unit_test(test_sensor_pkt_ipv6_exthdrs),
		cmocka_unit_test(test_sensor_pkt_ipv4_fragments),
		cmocka_unit_test(test_sensor_pkt_bad_and_odd),
	};
	return cmocka_run_group_tests_name(
	    "sensor_pktparse", tests, NULL, NULL);
}
