/*
 * Unit tests for sensor/flowtable.c: counting, idle timeouts per protocol,
 * TCP FIN/RST, the active timeout, eviction order at the flow limit and
 * expire-all. Time is passed in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "sensor/flowtable.h"

#define MAXOUT 64

struct sink {
	struct flow f[MAXOUT];
	enum flowtable_why why[MAXOUT];
	size_t n;
};

static void
sink_cb(void *arg, const struct flow *f, enum flowtable_why why)
{
	struct sink *s = arg;

	assert_true(s->n < MAXOUT);
	s->f[s->n] = *f;
	s->why[s->n++] = why;
}

static struct pkt_info
mkpkt(uint8_t proto, uint8_t host, uint16_t sport, uint8_t flags)
{
	struct pkt_info pi;

	memset(&pi, 0, sizeof(pi));
	pi.key.family = FT_AF_INET;
	pi.key.src[0] = 10;
	pi.key.src[3] = host;
	pi.key.dst[0] = 192;
	pi.key.dst[3] = 1;
	pi.key.proto = proto;
	pi.key.sport = sport;
	pi.key.dport = 80;
	pi.bytes = 100;
	pi.tcp_flags = flags;
	return pi;
}

static const uint32_t tmo[FLOWTABLE_NTMO] = { 60, 5, 30, 10, 20, 120 };

static void
test_sensor_flowtable_counts(void **state)
{
	struct sink s = { 0 };
	struct flowtable *ft = flowtable_new(16, tmo, sink_cb, &s);
	struct pkt_info a = mkpkt(6, 1, 1000, 0x02), b = mkpkt(17, 2, 53, 0);
	struct flowtable_stats st;

	(void)state;
	assert_non_null(ft);
	flowtable_add(ft, &a, 1000);
	a.tcp_flags = 0x10;
	flowtable_add(ft, &a, 2000);
	flowtable_add(ft, &b, 2500);
	flowtable_add(ft, &a, 3000);
	flowtable_get_stats(ft, &st);
	assert_int_equal(st.active, 2);
	assert_int_equal(st.packets, 4);
	assert_int_equal(flowtable_expire(ft, 20000), 0);
	assert_int_equal(flowtable_expire_all(ft), 2);
	assert_int_equal(s.n, 2);
	/* Oldest first. */
	assert_int_equal(s.f[0].proto, 6);
	assert_int_equal(s.f[0].packets, 3);
	assert_int_equal(s.f[0].bytes, 300);
	assert_int_equal(s.f[0].first_ms, 1000);
	assert_int_equal(s.f[0].last_ms, 3000);
	assert_int_equal(s.f[0].tcp_flags, 0x12);
	assert_int_equal(s.f[0].sport, 1000);
	assert_int_equal(s.f[0].src.v4, 0x0a000001);
	assert_int_equal(s.f[0].dst.v4, 0xc0000001);
	assert_int_equal(s.why[0], FLOWTABLE_FORCED);
	assert_int_equal(s.f[1].packets, 1);
	flowtable_get_stats(ft, &st);
	assert_int_equal(st.active, 0);
	assert_int_equal(st.expired[FLOWTABLE_FORCED], 2);
	flowtable_free(ft);
}

static void
test_sensor_flowtable_idle_per_protocol(void **state)
{
	struct sink s = { 0 };
	struct flowtable *ft = flowtable_new(16, tmo, sink_cb, &s);
	struct pkt_info t = mkpkt(6, 1, 1, 0), u = mkpkt(17, 2, 2, 0),
			i = mkpkt(1, 3, 0, 0), o = mkpkt(47, 4, 0, 0);

	(void)state;
	flowtable_add(ft, &t, 0);
	flowtable_add(ft, &u, 0);
	flowtable_add(ft, &i, 0);
	flowtable_add(ft, &o, 0);
	/* The timeout is exceeded strictly. */
	assert_int_equal(flowtable_expire(ft, 10000), 0);
	assert_int_equal(flowtable_expire(ft, 10001), 1);
	assert_int_equal(s.f[0].proto, 1);
	assert_int_equal(flowtable_expire(ft, 20001), 1);
	assert_int_equal(s.f[1].proto, 47);
	assert_int_equal(flowtable_expire(ft, 30001), 1);
	assert_int_equal(s.f[2].proto, 17);
	assert_int_equal(flowtable_expire(ft, 60001), 1);
	assert_int_equal(s.f[3].proto, 6);
	assert_int_equal(s.why[3], FLOWTABLE_IDLE);
	flowtable_free(ft);
}

static void
test_sensor_flowtable_second_chance(void **state)
{
	struct sink s = { 0 };
	struct flowtable *ft = flowtable_new(16, tmo, sink_cb, &s);
	struct pkt_info a = mkpkt(17, 1, 1, 0), b = mkpkt(17, 2, 2, 0);

	(void)state;
	flowtable_add(ft, &a, 0);
	flowtable_add(ft, &b, 1000);
	flowtable_add(ft, &a, 20000); /* a stays at the head, refreshed */
	assert_int_equal(flowtable_expire(ft, 30001), 0);
	assert_int_equal(flowtable_expire(ft, 31001), 1);
	assert_int_equal(s.f[0].sport, 2);
	assert_int_equal(flowtable_expire(ft, 50000), 0);
	assert_int_equal(flowtable_expire(ft, 50001), 1);
	assert_int_equal(s.f[1].sport, 1);
	assert_int_equal(s.f[1].packets, 2);
	flowtable_free(ft);
}

static void
test_sensor_flowtable_fin_rst(void **state)
{
	struct sink s = { 0 };
	struct flowtable *ft = flowtable_new(16, tmo, sink_cb, &s);
	struct pkt_info a = mkpkt(6, 1, 1, 0x10), b = mkpkt(6, 2, 2, 0x10);

	(void)state;
	flowtable_add(ft, &a, 0);
	flowtable_add(ft, &b, 0);
	a.tcp_flags = 0x11; /* FIN */
	flowtable_add(ft, &a, 1000);
	b.tcp_flags = 0x04; /* RST */
	flowtable_add(ft, &b, 2000);
	/* Later segments do not take a flow out of the FIN class. */
	a.tcp_flags = 0x10;
	flowtable_add(ft, &a, 3000);
	assert_int_equal(flowtable_expire(ft, 7001), 1);
	assert_int_equal(s.f[0].sport, 2);
	assert_int_equal(flowtable_expire(ft, 8001), 1);
	assert_int_equal(s.f[1].sport, 1);
	assert_int_equal(s.f[1].tcp_flags, 0x11);
	flowtable_free(ft);
}

static void
test_sensor_flowtable_active_and_restart(void **state)
{
	struct sink s = { 0 };
	struct flowtable *ft = flowtable_new(16, tmo, sink_cb, &s);
	struct pkt_info a = mkpkt(6, 1, 1, 0);
	uint64_t t;

	(void)state;
	/* A packet every 10 s for 300 s: cut at the active timeout. */
	for (t = 0; t <= 300000; t += 10000) {
		flowtable_add(ft, &a, t);
		flowtable_expire(ft, t);
	}
	assert_int_equal(s.n, 2);
	assert_int_equal(s.why[0], FLOWTABLE_ACTIVE);
	assert_int_equal(s.f[0].first_ms, 0);
	assert_int_equal(s.f[0].last_ms, 120000);
	assert_int_equal(s.f[0].packets, 13);
	/* A packet after the idle timeout starts a new flow even without a
	 * sweep. */
	flowtable_expire_all(ft);
	s.n = 0;
	flowtable_add(ft, &a, 1000000);
	flowtable_add(ft, &a, 1000000 + 60001);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.why[0], FLOWTABLE_IDLE);
	assert_int_equal(s.f[0].packets, 1);
	flowtable_free(ft);
}

static void
test_sensor_flowtable_eviction_order(void **state)
{
	struct sink s = { 0 };
	struct flowtable *ft = flowtable_new(4, tmo, sink_cb, &s);
	struct pkt_info p[6];
	struct flowtable_stats st;
	int i;

	(void)state;
	for (i = 0; i < 6; i++)
		p[i] = mkpkt(i % 2 ? 17 : 6, (uint8_t)(i + 1), 9, 0);
	for (i = 0; i < 4; i++)
		flowtable_add(ft, &p[i], 1000 * (uint64_t)i);
	flowtable_add(ft, &p[0], 5000); /* 0 is now the most recent */
	flowtable_add(ft, &p[4], 6000); /* evicts 1, the least recent */
	flowtable_add(ft, &p[5], 7000); /* evicts 2 */
	assert_int_equal(s.n, 2);
	assert_int_equal(s.why[0], FLOWTABLE_EVICTED);
	assert_int_equal(s.f[0].src.v4 & 0xff, 2);
	assert_int_equal(s.f[1].src.v4 & 0xff, 3);
	flowtable_get_stats(ft, &st);
	assert_int_equal(st.active, 4);
	assert_int_equal(st.expired[FLOWTABLE_EVICTED], 2);
	/* Nothing lost: every packet comes out. */
	flowtable_expire_all(ft);
	uint64_t pk = 0;
	for (size_t k = 0; k < s.n; k++)
		pk += s.f[k].packets;
	assert_int_equal(pk, 7);
	flowtable_free(ft);
}

static void
test_sensor_flowtable_overflow_and_long_runs(void **state)
{
	static const uint32_t week[FLOWTABLE_NTMO] = { 604800, 604800, 604800,
		604800, 604800, 604800 };
	struct sink s = { 0 };
	struct flowtable *ft = flowtable_new(16, week, sink_cb, &s);
	struct pkt_info a = mkpkt(17, 1, 1, 0), b = mkpkt(17, 2, 2, 0);
	uint64_t t0 = 1767225600000ULL, day = 86400000ULL;

	(void)state;
	/* Byte counter overflow: exported and restarted, nothing lost. */
	a.bytes = 2000000000;
	flowtable_add(ft, &a, t0);
	flowtable_add(ft, &a, t0 + 1);
	flowtable_add(ft, &a, t0 + 2); /* would pass 2^32 */
	assert_int_equal(s.n, 1);
	assert_int_equal(s.why[0], FLOWTABLE_ACTIVE);
	assert_int_equal(s.f[0].bytes, 4000000000ULL);
	assert_int_equal(s.f[0].packets, 2);
	flowtable_expire_all(ft);
	assert_int_equal(s.f[1].bytes, 2000000000ULL);
	assert_int_equal(s.f[1].first_ms, t0 + 2);

	/* Thirty days on: times stay exact across the rebase, and a flow
	 * that timed out long ago is exported with its own times. */
	s.n = 0;
	a.bytes = b.bytes = 100;
	flowtable_add(ft, &a, t0 + 1000);
	flowtable_add(ft, &b, t0 + 20 * day);
	flowtable_add(ft, &b, t0 + 30 * day);
	assert_int_equal(s.n, 2); /* a, then the first b, timed out */
	assert_int_equal(s.f[0].first_ms, t0 + 1000);
	assert_int_equal(s.f[0].last_ms, t0 + 1000);
	assert_int_equal(s.f[1].first_ms, t0 + 20 * day);
	flowtable_add(ft, &b, t0 + 30 * day + 5);
	flowtable_expire_all(ft);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.f[2].first_ms, t0 + 30 * day);
	assert_int_equal(s.f[2].last_ms, t0 + 30 * day + 5);
	assert_int_equal(s.f[2].packets, 2);
	/* A packet older than everything seen counts at the base time. */
	flowtable_add(ft, &a, t0);
	flowtable_expire_all(ft);
	assert_int_equal(s.f[3].packets, 1);
	flowtable_free(ft);
}

static void
walk_cb(void *arg, const struct flow *f)
{
	(*(uint64_t *)arg) += f->packets;
}

static void
test_sensor_flowtable_walk_and_names(void **state)
{
	struct flowtable *ft = flowtable_new(8, NULL, NULL, NULL);
	struct pkt_info a = mkpkt(6, 1, 1, 0), b = mkpkt(6, 2, 1, 0);
	uint64_t n = 0;

	(void)state;
	flowtable_add(ft, &a, 1);
	flowtable_add(ft, &b, 2);
	flowtable_add(ft, &b, 3);
	flowtable_walk(ft, walk_cb, &n);
	assert_int_equal(n, 3);
	assert_int_equal(
	    flowtable_tmo_lookup("tcp.rst"), FLOWTABLE_TMO_TCP_FIN);
	assert_int_equal(flowtable_tmo_lookup("maxlife"), FLOWTABLE_TMO_ACTIVE);
	assert_int_equal(flowtable_tmo_lookup("bogus"), -1);
	assert_null(flowtable_new(0, NULL, NULL, NULL));
	flowtable_free(ft);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sensor_flowtable_counts),
		cmocka_unit_test(test_sensor_flowtable_idle_per_protocol),
		cmocka_unit_test(test_sensor_flowtable_second_chance),
		cmocka_unit_test(test_sensor_flowtable_fin_rst),
		cmocka_unit_test(test_sensor_flowtable_active_and_restart),
		cmocka_unit_test(test_sensor_flowtable_eviction_order),
		cmocka_unit_test(test_sensor_flowtable_overflow_and_long_runs),
		cmocka_unit_test(test_sensor_flowtable_walk_and_names),
	};
	return cmocka_run_group_tests_name(
	    "sensor_flowtable", tests, NULL, NULL);
}
