/*
 * Collector receive path: the datagram ring (order, wrap-around, full ring
 * counted as drops) and the UDP listener on loopback (ephemeral port,
 * datagrams reach the ring with their source, counters).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/eventfd.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "collector/listener.h"
#include "collector/ring.h"
#include "lib/addr.h"

static struct sockaddr_in
lo(uint16_t port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(0x7f000001);
	sin.sin_port = htons(port);
	return sin;
}

static void
test_ring_order_and_wrap(void **state)
{
	struct ring *r = ring_new(4096);
	struct sockaddr_in from = lo(1234);
	struct ring_msg m;
	uint8_t buf[700];
	uint32_t next_put = 0, next_get = 0, i;

	(void)state;
	assert_non_null(r);
	assert_int_equal(ring_size(r), 4096);
	/* many rounds of uneven sizes so entries wrap at every offset */
	for (i = 0; i < 2000; i++) {
		size_t len = 1 + (i * 37) % sizeof(buf);

		memset(buf, (int)(next_put & 0xff), len);
		buf[0] = (uint8_t)len;
		if (ring_put(r, buf, len, (struct sockaddr *)&from,
			sizeof(from), next_put) == 0)
			next_put++;
		if (i % 3 != 0)
			continue;
		while (ring_peek(r, &m)) {
			assert_int_equal(m.arrival_ms, next_get);
			assert_int_equal(m.data[0], (uint8_t)m.len);
			if (m.len > 1)
				assert_int_equal(
				    m.data[m.len - 1], next_get & 0xff);
			assert_int_equal(ntohs(m.from.sin.sin_port), 1234);
			ring_release(r);
			next_get++;
		}
	}
	while (ring_peek(r, &m)) {
		assert_int_equal(m.arrival_ms, next_get);
		ring_release(r);
		next_get++;
	}
	assert_int_equal(next_get, next_put);
	assert_int_equal(ring_puts(r), next_put);
	assert_int_equal(ring_used(r), 0);
	ring_free(r);
}

static void
test_ring_full_counts_drops(void **state)
{
	struct ring *r = ring_new(4096);
	struct sockaddr_in from = lo(1);
	uint8_t buf[1000] = { 0 };
	struct ring_msg m;
	int ok = 0, i;

	(void)state;
	for (i = 0; i < 10; i++)
		if (ring_put(r, buf, sizeof(buf), (struct sockaddr *)&from,
			sizeof(from), 0) == 0)
			ok++;
	assert_int_equal(ok, 3);
	assert_int_equal(ring_drops(r), 7);
	/* too big for the ring at all */
	assert_int_equal(
	    ring_put(r, buf, 1000, (struct sockaddr *)&from, sizeof(from), 0),
	    -1);
	assert_true(ring_peek(r, &m));
	ring_release(r);
	assert_int_equal(ring_put(r, buf, sizeof(buf), (struct sockaddr *)&from,
			     sizeof(from), 0),
	    0);
	ring_free(r);
}

static void
test_listener_loopback(void **state)
{
	struct listener *l = listener_new();
	struct ring *r = ring_new(1 << 16);
	struct errbuf eb;
	struct ft_addr a;
	struct sockaddr_in to, me;
	socklen_t sl = sizeof(me);
	_Atomic int want = 1;
	struct listener_stats st;
	struct ring_msg m;
	struct pollfd pfd;
	uint8_t msg[256];
	int fd, wake, i, got = 0, tries;

	(void)state;
	ft_addr_set_v4(&a, 0x7f000001);
	assert_int_equal(listener_add(l, &a, 0, 1 << 20, &eb), 0);
	assert_int_equal(listener_count(l), 1);
	assert_true(listener_port(l, 0) != 0);
	assert_true(listener_rcvbuf(l, 0) > 0);
	assert_non_null(strstr(listener_name(l, 0), "127.0.0.1:"));
	wake = eventfd(0, EFD_NONBLOCK);
	assert_int_equal(listener_start(l, r, wake, &want), 0);

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	me = lo(0);
	assert_int_equal(bind(fd, (struct sockaddr *)&me, sizeof(me)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&me, &sl), 0);
	to = lo(listener_port(l, 0));
	/* 50 datagrams of 200+ bytes fill more than an eighth of the ring */
	for (i = 0; i < 50; i++) {
		memset(msg, i, sizeof(msg));
		assert_int_equal(sendto(fd, msg, 200 + (size_t)i, 0,
				     (struct sockaddr *)&to, sizeof(to)),
		    200 + i);
	}
	/* the sleeping consumer is woken, then reads everything in order */
	pfd.fd = wake;
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	for (tries = 0; got < 50 && tries < 500; tries++) {
		while (ring_peek(r, &m)) {
			assert_int_equal(m.len, 200 + got);
			assert_int_equal(m.data[0], got);
			assert_int_equal(m.from.sin.sin_port, me.sin_port);
			assert_true(m.arrival_ms > 1600000000000ULL);
			ring_release(r);
			got++;
		}
		usleep(10000);
	}
	assert_int_equal(got, 50);
	listener_stop(l);
	listener_stats(l, 0, &st);
	assert_int_equal(st.packets, 50);
	assert_int_equal(st.ring_drops, 0);
	assert_int_equal(st.kernel_drops, 0);
	close(fd);
	close(wake);
	listener_free(l);
	ring_free(r);
}

static void
test_listener_bind_error_names_address(void **state)
{
	struct listener *l = listener_new(), *l2 = listener_new();
	struct errbuf eb;
	struct ft_addr a;
	char want[64];

	(void)state;
	ft_addr_set_v4(&a, 0x7f000001);
	assert_int_equal(listener_add(l, &a, 0, 0, &eb), 0);
	/* SO_REUSEADDR does not let a second UDP socket share the port */
	snprintf(want, sizeof(want), "127.0.0.1:%u", listener_port(l, 0));
	if (listener_add(l2, &a, listener_port(l, 0), 0, &eb) == -1)
		assert_non_null(strstr(eb.msg, want));
	listener_free(l);
	listener_free(l2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_order_and_wrap),
		cmocka_unit_test(test_ring_full_counts_drops),
		cmocka_unit_test(test_listener_loopback),
		cmocka_unit_test(test_listener_bind_error_names_address),
	};

	return cmocka_run_group_tests_name(
	    "collector_listener", tests, NULL, NULL);
}
