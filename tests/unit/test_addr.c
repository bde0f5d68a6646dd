/*
 * Tests for lib/addr.c: address and prefix parsing and formatting (IPv4 and
 * IPv6, host bits, hostile strings), endpoints and socket addresses.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/addr.h"

static void
test_addr_parse_format_v4(void **state)
{
	struct ft_addr a;
	char buf[ADDR_STRLEN];

	(void)state;
	assert_int_equal(addr_parse("192.0.2.1", &a), 0);
	assert_int_equal(a.family, FT_AF_INET);
	assert_int_equal(a.v4, 0xc0000201);
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "192.0.2.1");
	assert_int_equal(addr_parse("0.0.0.0", &a), 0);
	assert_int_equal(a.v4, 0);
	assert_int_equal(addr_parse("255.255.255.255", &a), 0);
	assert_int_equal(a.v4, 0xffffffff);
	assert_string_equal(
	    addr_format(&a, buf, sizeof(buf)), "255.255.255.255");
}

static void
test_addr_parse_format_v6(void **state)
{
	struct ft_addr a, b;
	char buf[ADDR_STRLEN];

	(void)state;
	assert_int_equal(addr_parse("2001:DB8:0:0:0:0:0:1", &a), 0);
	assert_int_equal(a.family, FT_AF_INET6);
	assert_int_equal(a.v6[0], 0x20);
	assert_int_equal(a.v6[15], 0x01);
	/* Standard (RFC 5952) text form. */
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "2001:db8::1");
	assert_int_equal(addr_parse("::", &a), 0);
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "::");
	/* A v4-mapped address stays IPv6 in text form. */
	assert_int_equal(addr_parse("::ffff:192.0.2.1", &a), 0);
	assert_int_equal(a.family, FT_AF_INET6);
	assert_string_equal(
	    addr_format(&a, buf, sizeof(buf)), "::ffff:192.0.2.1");
	/* Equal addresses compare equal byte for byte. */
	assert_int_equal(addr_parse("2001:db8::1", &b), 0);
	assert_int_equal(addr_parse("2001:0db8:0000::0001", &a), 0);
	assert_true(ft_addr_equal(&a, &b));
	/* Unset address and short buffers. */
	memset(&a, 0, sizeof(a));
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "-");
	assert_int_equal(addr_parse("2001:db8::1", &a), 0);
	memset(buf, 'x', sizeof(buf));
	addr_format(&a, buf, 4);
	assert_int_equal(buf[0], '\0'); /* too short: empty, terminated */
}

static void
test_addr_parse_bad(void **state)
{
	static const char *bad[] = { "", " ", "1.2.3", "1.2.3.4.5", "256.1.1.1",
		"1.2.3.4 ", " 1.2.3.4", "1.2.3.-4", "01.2.3.4x", "::1::2",
		"2001:db8::g", "1:2:3:4:5:6:7:8:9", "[::1]", "1.2.3.4/24",
		"localhost", "0x7f.0.0.1" };
	struct ft_addr a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (addr_parse(bad[i], &a) != -1)
			fail_msg("addr_parse accepted \"%s\"", bad[i]);
	assert_int_equal(addr_parse(NULL, &a), -1);
}

static void
test_addr_prefix(void **state)
{
	struct ft_prefix p;
	char buf[ADDR_STRLEN];

	(void)state;
	assert_int_equal(addr_parse_prefix("10.0.0.0/8", 0, &p), 0);
	assert_int_equal(p.len, 8);
	assert_int_equal(p.addr.v4, 0x0a000000);
	assert_string_equal(
	    addr_format_prefix(&p, buf, sizeof(buf)), "10.0.0.0/8");
	/* A bare address is a host prefix. */
	assert_int_equal(addr_parse_prefix("10.1.2.3", 0, &p), 0);
	assert_int_equal(p.len, 32);
	assert_int_equal(addr_parse_prefix("2001:db8::1", 0, &p), 0);
	assert_int_equal(p.len, 128);
	assert_int_equal(addr_parse_prefix("0.0.0.0/0", 0, &p), 0);
	assert_int_equal(p.len, 0);
	assert_int_equal(addr_parse_prefix("::/0", 0, &p), 0);
	assert_int_equal(addr_parse_prefix("2001:db8::/32", 0, &p), 0);
	assert_string_equal(
	    addr_format_prefix(&p, buf, sizeof(buf)), "2001:db8::/32");
	assert_int_equal(addr_parse_prefix("2001:db8:8000::/33", 0, &p), 0);

	/* Host bits: rejected, or cleared on request. */
	assert_int_equal(addr_parse_prefix("10.1.2.3/8", 0, &p), -1);
	assert_int_equal(addr_parse_prefix("10.1.2.3/8", 1, &p), 0);
	assert_int_equal(p.addr.v4, 0x0a000000);
	assert_int_equal(p.len, 8);
	assert_int_equal(addr_parse_prefix("2001:db8::1/64", 0, &p), -1);
	assert_int_equal(
	    addr_parse_prefix("2001:db8:ffff:ffff::1/33", 1, &p), 0);
	assert_string_equal(
	    addr_format_prefix(&p, buf, sizeof(buf)), "2001:db8:8000::/33");
	assert_int_equal(addr_parse_prefix("1.2.3.4/0", 1, &p), 0);
	assert_int_equal(p.addr.v4, 0);
	assert_int_equal(addr_parse_prefix("255.255.255.255/31", 1, &p), 0);
	assert_int_equal(p.addr.v4, 0xfffffffe);
}

static void
test_addr_prefix_bad(void **state)
{
	static const char *bad[] = { "", "/8", "10.0.0.0/", "10.0.0.0/33",
		"::/129", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/8x",
		"10.0.0.0/ 8", "10.0.0.0/8/8", "10.0.0.0/0008",
		"10.0.0.0/99999999999999999999", "bogus/8", "10.0.0.0//8",
		("1111111111111111111111111111111111111111111111111111111111111111"
		 "11111/8") };
	struct ft_prefix p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (addr_parse_prefix(bad[i], 1, &p) != -1)
			fail_msg("addr_parse_prefix accepted \"%s\"", bad[i]);
	assert_int_equal(addr_parse_prefix(NULL, 1, &p), -1);
}

static void
test_addr_in_prefix_and_mask(void **state)
{
	struct ft_prefix p;
	struct ft_addr a;

	(void)state;
	assert_int_equal(addr_parse_prefix("192.168.0.0/16", 0, &p), 0);
	assert_int_equal(addr_parse("192.168.255.1", &a), 0);
	assert_true(addr_in_prefix(&a, &p));
	assert_int_equal(addr_parse("192.169.0.1", &a), 0);
	assert_false(addr_in_prefix(&a, &p));
	/* Never across families, even for ::/0 and 0.0.0.0/0. */
	assert_int_equal(addr_parse_prefix("::/0", 0, &p), 0);
	assert_int_equal(addr_parse("10.0.0.1", &a), 0);
	assert_false(addr_in_prefix(&a, &p));
	assert_int_equal(addr_parse_prefix("0.0.0.0/0", 0, &p), 0);
	assert_true(addr_in_prefix(&a, &p));
	assert_int_equal(addr_parse("::1", &a), 0);
	assert_false(addr_in_prefix(&a, &p));

	/* Masking clamps the length. */
	assert_int_equal(addr_parse("10.1.2.3", &a), 0);
	addr_mask(&a, 99);
	assert_int_equal(a.v4, 0x0a010203);
	addr_mask(&a, 20);
	assert_int_equal(a.v4, 0x0a010000);
	assert_int_equal(addr_parse("2001:db8:ffff::1", &a), 0);
	addr_mask(&a, 200);
	assert_int_equal(a.v6[15], 1);
	addr_mask(&a, 36);
	assert_int_equal(a.v6[4], 0xf0);
	assert_int_equal(a.v6[5], 0);
	assert_int_equal(a.v6[15], 0);
}

static void
test_addr_endpoint(void **state)
{
	struct ft_addr a;
	uint16_t port;
	char buf[ADDR_STRLEN];

	(void)state;
	assert_int_equal(addr_parse_endpoint("9995", &a, &port), 0);
	assert_int_equal(a.family, FT_AF_NONE);
	assert_int_equal(port, 9995);
	assert_int_equal(addr_parse_endpoint("127.0.0.1:9995", &a, &port), 0);
	assert_int_equal(a.family, FT_AF_INET);
	assert_int_equal(a.v4, 0x7f000001);
	assert_int_equal(port, 9995);
	assert_int_equal(addr_parse_endpoint("[::1]:9995", &a, &port), 0);
	assert_int_equal(a.family, FT_AF_INET6);
	assert_string_equal(addr_format(&a, buf, sizeof(buf)), "::1");
	assert_int_equal(port, 9995);
	assert_int_equal(addr_parse_endpoint("0", &a, &port), 0);
	assert_int_equal(port, 0);
	assert_int_equal(addr_parse_endpoint("65535", &a, &port), 0);
	assert_int_equal(port, 65535);
}

static void
test_addr_endpoint_bad(void **state)
{
	static const char *bad[] = { "", "65536", "-1", "+5", "99999999999999",
		"abc", "127.0.0.1", "127.0.0.1:", ":9995", "127.0.0.1:x",
		"127.0.0.1:9995x", "::1:9995", "[::1]", "[::1]9995",
		"[::1]:", "[]:9995", "[127.0.0.1]:9995", "[::1:9995",
		"host:9995", "1.2.3.4:5:6" };
	struct ft_addr a;
	uint16_t port;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (addr_parse_endpoint(bad[i], &a, &port) != -1)
			fail_msg("addr_parse_endpoint accepted \"%s\"", bad[i]);
	assert_int_equal(addr_parse_endpoint(NULL, &a, &port), -1);
}

static void
test_addr_sockaddr(void **state)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 s6;
	struct ft_addr a, b;
	uint16_t port;
	char buf[ADDR_STRLEN];

	(void)state;
	/* IPv4 round trip. */
	assert_int_equal(addr_parse("192.0.2.9", &a), 0);
	assert_int_equal(
	    addr_to_sockaddr(&a, 2055, &ss), sizeof(struct sockaddr_in));
	assert_int_equal(ss.ss_family, AF_INET);
	addr_from_sockaddr((struct sockaddr *)&ss, &b, &port);
	assert_true(ft_addr_equal(&a, &b));
	assert_int_equal(port, 2055);
	assert_string_equal(
	    addr_format_sockaddr((struct sockaddr *)&ss, buf, sizeof(buf)),
	    "192.0.2.9:2055");
	/* IPv6 round trip. */
	assert_int_equal(addr_parse("2001:db8::5", &a), 0);
	assert_int_equal(
	    addr_to_sockaddr(&a, 4739, &ss), sizeof(struct sockaddr_in6));
	addr_from_sockaddr((struct sockaddr *)&ss, &b, &port);
	assert_true(ft_addr_equal(&a, &b));
	assert_int_equal(port, 4739);
	assert_string_equal(
	    addr_format_sockaddr((struct sockaddr *)&ss, buf, sizeof(buf)),
	    "[2001:db8::5]:4739");
	/* A v4-mapped peer on a dual-stack socket is an IPv4 exporter. */
	memset(&s6, 0, sizeof(s6));
	s6.sin6_family = AF_INET6;
	s6.sin6_port = htons(9995);
	assert_int_equal(
	    inet_pton(AF_INET6, "::ffff:10.1.2.3", &s6.sin6_addr), 1);
	addr_from_sockaddr((struct sockaddr *)&s6, &b, &port);
	assert_int_equal(b.family, FT_AF_INET);
	assert_int_equal(b.v4, 0x0a010203);
	assert_int_equal(port, 9995);
	assert_string_equal(
	    addr_format_sockaddr((struct sockaddr *)&s6, buf, sizeof(buf)),
	    "10.1.2.3:9995");
	/* An unset address has no sockaddr; an unknown family, no address. */
	memset(&a, 0, sizeof(a));
	assert_int_equal(addr_to_sockaddr(&a, 1, &ss), 0);
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = AF_UNIX;
	addr_from_sockaddr((struct sockaddr *)&ss, &b, NULL);
	assert_int_equal(b.family, FT_AF_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_parse_format_v4),
		cmocka_unit_test(test_addr_parse_format_v6),
		cmocka_unit_test(test_addr_parse_bad),
		cmocka_unit_test(test_addr_prefix),
		cmocka_unit_test(test_addr_prefix_bad),
		cmocka_unit_test(test_addr_in_prefix_and_mask),
		cmocka_unit_test(test_addr_endpoint),
		cmocka_unit_test(test_addr_endpoint_bad),
		cmocka_unit_test(test_addr_sockaddr),
	};
	return cmocka_run_group_tests_name("addr", tests, NULL, NULL);
}
