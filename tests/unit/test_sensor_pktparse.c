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

#include "frame_testutil.h"
#include "lib/flow.h"
#include "sensor/pktparse.h"

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
	frame_eth(&f, 0x0800);
	frame_ipv4(&f, 6, 20, 0);
	frame_tcp(&f, 0x12);
	frame_payload(&f, 6); /* Ethernet padding to 60 bytes */
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
	frame_eth(&f, 0x88a8);
	frame_put16(&f, 100); /* outer S-tag */
	frame_put16(&f, 0x8100);
	frame_put16(&f, 0x2000 | 200); /* PCP 1, VID 200 */
	frame_put16(&f, 0x0800);
	frame_ipv4(&f, 17, 8 + 10, 0);
	frame_udp(&f, 10);
	frame_payload(&f, 10);
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
	frame_eth(&f, 0x8847);
	frame_put(&f, lbl, 8);
	frame_ipv6(&f, 17, 8);
	frame_udp(&f, 0);
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
	frame_put(&f, sll, 14);
	frame_put16(&f, 0x0800);
	frame_ipv4(&f, 6, 20, 0);
	frame_tcp(&f, 0x02);
	assert_int_equal(
	    pkt_parse(DLT_LINUX_SLL, f.b, f.len, f.len, &pi), PKT_OK);
	assert_int_equal(pi.bytes, 40);
	check_truncations(DLT_LINUX_SLL, &f, &pi);

	frame_put16(&g, 0x86dd);
	frame_put16(&g, 0);
	frame_put(&g, sll2, 16);
	frame_ipv6(&g, 6, 20);
	frame_tcp(&g, 0x01);
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
	frame_ipv4(&f, 1, 8, 0);
	f.keyend = f.len + 2;
	frame_put(&f, (uint8_t[]){ 3, 1, 0, 0, 0, 0, 0, 0 }, 8);
	assert_int_equal(pkt_parse(DLT_RAW, f.b, f.len, f.len, &pi), PKT_OK);
	assert_int_equal(pi.key.proto, 1);
	assert_int_equal(pi.key.sport, 0);
	assert_int_equal(pi.key.dport, 0x0301);
	check_truncations(DLT_RAW, &f, &pi);
	check_truncations(DLT_IPV4, &f, &pi);

	frame_put(&n, af_le, 4);
	frame_ipv4(&n, 47, 4, 0); /* GRE: no ports */
	n.keyend = n.len;
	frame_payload(&n, 4);
	assert_int_equal(pkt_parse(DLT_NULL, n.b, n.len, n.len, &pi), PKT_OK);
	assert_int_equal(pi.key.proto, 47);
	assert_int_equal(pi.bytes, 24);
	check_truncations(DLT_NULL, &n, &pi);

	frame_put(&l, af6_be, 4);
	frame_ipv6(&l, 58, 4);
	l.keyend = l.len + 2;
	frame_put(&l, (uint8_t[]){ 128, 0, 0, 0 }, 4);
	assert_int_equal(pkt_parse(DLT_LOOP, l.b, l.len, l.len, &pi), PKT_OK);
	assert_int_equal(pi.key.proto, 58);
	assert_int_equal(pi.key.dport, 128 << 8);
	check_truncations(DLT_LOOP, &l, &pi);
	memset(&n, 0, sizeof(n));
	frame_put(&n, l.b + 4, l.len - 4);
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
	frame_eth(&f, 0x86dd);
	frame_ipv6(&f, 0, 8 + 16 + 8 + 20 + 4);
	frame_put(&f, hbh, 8);
	frame_put(&f, dst, 16);
	frame_put(&f, frag, 8);
	frame_tcp(&f, 0x10);
	frame_payload(&f, 4);
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
	frame_eth(&f, 0x0800);
	frame_ipv4(&f, 17, 8 + 100, 0x2000); /* MF, offset 0: first */
	frame_udp(&f, 100);
	frame_payload(&f, 100);
	assert_int_equal(pkt_parse(DLT_EN10MB, f.b, f.len, f.len, &pi), PKT_OK);
	assert_int_equal(pi.key.sport, 53);
	assert_int_equal(pi.fragment, 0);

	frame_eth(&g, 0x0800);
	frame_ipv4(&g, 17, 30, 0x000e); /* offset 14*8 */
	g.keyend = g.len;
	frame_payload(&g, 30);
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
	frame_eth(&f, 0x0806); /* ARP */
	frame_payload(&f, 28);
	assert_int_equal(
	    pkt_parse(DLT_EN10MB, f.b, f.len, f.len, &pi), PKT_NOT_IP);
	assert_int_equal(pkt_parse(9999, f.b, f.len, f.len, &pi), PKT_LINKTYPE);
	assert_int_equal(pkt_linktype_supported(DLT_LINUX_SLL2), 1);
	assert_int_equal(pkt_linktype_supported(9999), 0);

	memset(&f, 0, sizeof(f));
	frame_eth(&f, 0x0800);
	frame_ipv4(&f, 6, 20, 0);
	frame_tcp(&f, 0);
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
	frame_eth(&f, 0x8100);
	for (int i = 0; i < 10; i++) {
		frame_put16(&f, 1);
		frame_put16(&f, 0x8100);
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
