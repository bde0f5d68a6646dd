/*
 * Multicast listen addresses: the "[ADDR:]PORT[%IFNAME]" syntax, which
 * addresses are groups, and the errors of joining (not a group, an unknown
 * interface). Joining for real is tested in test_collector_multicast.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/socket.h>

#include <string.h>
#include <unistd.h>

#include "collector/cconf.h"
#include "collector/mcast.h"

static void
test_mcast_listen_syntax(void **state)
{
	struct cconf_listen l;
	struct errbuf eb;

	(void)state;
	assert_int_equal(cconf_parse_listen("239.1.2.3:9995%eth0", &l, &eb), 0);
	assert_int_equal(l.port, 9995);
	assert_string_equal(l.ifname, "eth0");
	assert_true(mcast_is_group(&l.addr));
	assert_int_equal(cconf_parse_listen("239.1.2.3:9995", &l, &eb), 0);
	assert_string_equal(l.ifname, "");
	assert_int_equal(
	    cconf_parse_listen("[ff15::1234]:2055%lo", &l, &eb), 0);
	assert_int_equal(l.port, 2055);
	assert_string_equal(l.ifname, "lo");
	assert_true(mcast_is_group(&l.addr));
	assert_int_equal(cconf_parse_listen("[::1]:2055", &l, &eb), 0);
	assert_false(mcast_is_group(&l.addr));
	assert_int_equal(cconf_parse_listen("10.0.0.1:2055", &l, &eb), 0);
	assert_false(mcast_is_group(&l.addr));
	assert_int_equal(cconf_parse_listen("223.255.255.255:1", &l, &eb), 0);
	assert_false(mcast_is_group(&l.addr));
	assert_int_equal(cconf_parse_listen("224.0.0.0:1", &l, &eb), 0);
	assert_true(mcast_is_group(&l.addr));
	/* An interface only with a group; names must fit. */
	assert_int_equal(cconf_parse_listen("10.0.0.1:2055%eth0", &l, &eb), -1);
	assert_non_null(strstr(eb.msg, "only with a multicast group"));
	assert_int_equal(cconf_parse_listen("9995%eth0", &l, &eb), -1);
	assert_int_equal(cconf_parse_listen("239.1.2.3:9995%", &l, &eb), -1);
	assert_int_equal(
	    cconf_parse_listen("239.1.2.3:9995%averyveryverylongname", &l, &eb),
	    -1);
	assert_non_null(strstr(eb.msg, "bad interface name"));
	assert_int_equal(cconf_parse_listen("239.1.2.3%eth0", &l, &eb), -1);
}

static void
test_mcast_join_errors(void **state)
{
	struct cconf_listen l;
	struct errbuf eb;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(cconf_parse_listen("10.0.0.1:9995", &l, &eb), 0);
	assert_int_equal(mcast_join(fd, &l.addr, NULL, &eb), -1);
	assert_non_null(strstr(eb.msg, "not a multicast group"));
	assert_int_equal(cconf_parse_listen("239.1.2.3:9995", &l, &eb), 0);
	assert_int_equal(mcast_join(fd, &l.addr, "nosuch0", &eb), -1);
	assert_non_null(strstr(eb.msg, "no interface \"nosuch0\""));
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mcast_listen_syntax),
		cmocka_unit_test(test_mcast_join_errors),
	};

	return cmocka_run_group_tests_name(
	    "collector_mcast", tests, NULL, NULL);
}
