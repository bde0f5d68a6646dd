/*
 * The scoreboard's reverse DNS (scanner/board_rdns.c), offline: a fake
 * resolver stands in for getnameinfo() (no lookup ever leaves the
 * process). Names and failures are cached (one lookup per address), the
 * per-interval budget bounds new lookups, queued and in-flight addresses
 * are not asked twice, a zero TTL caches nothing, names are sanitised and
 * cut, and the wait gives up at its deadline while a lookup hangs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "addr_testutil.h"
#include "scanner/board_int.h"

/* The fake resolver: counts calls, may hold them until released. */
struct fake {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int hold;
	int held; /* calls waiting at the gate */
	unsigned calls[8];
};

static struct fake fk = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
	0, 0, { 0 } };

static const char long_name[] =
    "a123456789b123456789c123456789d123456789e123456789f123456789g1234567"
    "89h123456789i123456789j123456789k123456789l123456789m123456789n12345"
    "6789o123456789p123456789q123456789r123456789s123456789t123456789u123"
    "456789v123456789w123456789x123456789y123456789z123456789.example";

/*
 * 10.0.0.k: k=1 "a.example", k=2 fails, k=3 control bytes, k=4 an empty
 * name, k=5 300 bytes; 2001:db8::k "v6-k.example"; others "h<k>.example".
 */
static int
fake_fn(const struct ft_addr *a, char *buf, size_t len, void *arg)
{
	struct fake *f = arg;
	unsigned k = a->family == FT_AF_INET ? a->v4 & 0xff : a->v6[15];

	pthread_mutex_lock(&f->mu);
	f->calls[k & 7]++;
	f->held++;
	pthread_cond_broadcast(&f->cv);
	while (f->hold)
		pthread_cond_wait(&f->cv, &f->mu);
	f->held--;
	pthread_mutex_unlock(&f->mu);
	if (a->family == FT_AF_INET6)
		snprintf(buf, len, "v6-%u.example", k);
	else if (k == 1)
		snprintf(buf, len, "a.example");
	else if (k == 2)
		return -1;
	else if (k == 3)
		snprintf(buf, len, "ctl\x01\x7f\xc3\xa9.example");
	else if (k == 4)
		buf[0] = '\0';
	else if (k == 5)
		snprintf(buf, len, "%s", long_name);
	else
		snprintf(buf, len, "h%u.example", k);
	return 0;
}

static void
fake_hold(int on)
{
	pthread_mutex_lock(&fk.mu);
	fk.hold = on;
	pthread_cond_broadcast(&fk.cv);
	pthread_mutex_unlock(&fk.mu);
}

/* Wait (bounded) until a call waits at the gate. */
static void
fake_wait_held(void)
{
	struct timespec dl;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += 5;
	pthread_mutex_lock(&fk.mu);
	while (fk.held == 0 && rc == 0)
		rc = pthread_cond_timedwait(&fk.cv, &fk.mu, &dl);
	pthread_mutex_unlock(&fk.mu);
	if (rc != 0)
		fail_msg("the resolver was never called");
}

static unsigned
calls(unsigned k)
{
	unsigned n;

	pthread_mutex_lock(&fk.mu);
	n = fk.calls[k];
	pthread_mutex_unlock(&fk.mu);
	return n;
}

static struct board_rdns *
new_rdns(unsigned ttl, size_t max)
{
	struct board_rdns *r = board_rdns_new(ttl, max);

	assert_non_null(r);
	pthread_mutex_lock(&fk.mu);
	memset(fk.calls, 0, sizeof(fk.calls));
	fk.hold = 0;
	pthread_mutex_unlock(&fk.mu);
	board_rdns_set_fn(r, fake_fn, &fk);
	board_rdns_begin(r);
	return r;
}

static struct ft_addr
a4(unsigned k)
{
	return taddr_v4(0x0a000000 | k);
}

static void
test_board_rdns_cache(void **state)
{
	struct board_rdns *r = new_rdns(3600, 8);
	struct ft_addr a1 = a4(1), a2 = a4(2), v6 = taddr_v6(6);
	char buf[BOARD_NAMELEN];

	(void)state;
	/* Nothing known before a lookup. */
	assert_int_equal(board_rdns_get(r, &a1, buf, sizeof(buf)), 0);
	board_rdns_request(r, &a1);
	board_rdns_request(r, &a2);
	board_rdns_request(r, &v6);
	board_rdns_wait(r, 5000);
	assert_int_equal(board_rdns_get(r, &a1, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "a.example");
	assert_int_equal(board_rdns_get(r, &v6, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "v6-6.example");
	assert_int_equal(board_rdns_get(r, &a2, buf, sizeof(buf)), 0);
	/* Names and failures are cached: asking again looks nothing up. */
	board_rdns_begin(r);
	board_rdns_request(r, &a1);
	board_rdns_request(r, &a2);
	board_rdns_wait(r, 5000);
	assert_int_equal(calls(1), 1);
	assert_int_equal(calls(2), 1);
	assert_int_equal(calls(6), 1);
	/* A short buffer gets a cut name. */
	assert_int_equal(board_rdns_get(r, &a1, buf, 5), 1);
	assert_string_equal(buf, "a.ex");
	board_rdns_free(r);
}

static void
test_board_rdns_names(void **state)
{
	struct board_rdns *r = new_rdns(3600, 8);
	struct ft_addr a3 = a4(3), a4_ = a4(4), a5 = a4(5);
	char buf[BOARD_NAMELEN * 2];

	(void)state;
	board_rdns_request(r, &a3);
	board_rdns_request(r, &a4_);
	board_rdns_request(r, &a5);
	board_rdns_wait(r, 5000);
	/* Bytes that are not printable ASCII become '?'. */
	assert_int_equal(board_rdns_get(r, &a3, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "ctl????.example");
	/* An empty answer is no name. */
	assert_int_equal(board_rdns_get(r, &a4_, buf, sizeof(buf)), 0);
	/* Long names are cut to BOARD_NAMELEN - 1 bytes. */
	assert_int_equal(board_rdns_get(r, &a5, buf, sizeof(buf)), 1);
	assert_int_equal(strlen(buf), BOARD_NAMELEN - 1);
	assert_memory_equal(buf, long_name, BOARD_NAMELEN - 1);
	board_rdns_free(r);
}

static void
test_board_rdns_budget(void **state)
{
	struct board_rdns *r = new_rdns(3600, 2);
	struct ft_addr a1 = a4(1), h6 = a4(6), h7 = a4(7);
	char buf[64];

	(void)state;
	/* Two new lookups per interval: the third address waits. */
	board_rdns_request(r, &a1);
	board_rdns_request(r, &h6);
	board_rdns_request(r, &h7);
	board_rdns_wait(r, 5000);
	assert_int_equal(board_rdns_get(r, &h6, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "h6.example");
	assert_int_equal(board_rdns_get(r, &h7, buf, sizeof(buf)), 0);
	assert_int_equal(calls(7), 0);
	/* Cached names cost nothing: the next interval gets h7 done. */
	board_rdns_begin(r);
	board_rdns_request(r, &a1);
	board_rdns_request(r, &h6);
	board_rdns_request(r, &h7);
	board_rdns_wait(r, 5000);
	assert_int_equal(board_rdns_get(r, &h7, buf, sizeof(buf)), 1);
	assert_string_equal(buf, "h7.example");
	assert_int_equal(calls(1), 1);
	assert_int_equal(calls(6), 1);
	assert_int_equal(calls(7), 1);
	board_rdns_free(r);
}

static void
test_board_rdns_no_double(void **state)
{
	struct board_rdns *r = new_rdns(3600, 8);
	struct ft_addr a1 = a4(1), h6 = a4(6);
	struct timespec t0, t1;
	char buf[64];
	long ms;

	(void)state;
	fake_hold(1);
	board_rdns_request(r, &a1);
	fake_wait_held(); /* a1 is in flight */
	board_rdns_request(r, &a1);
	board_rdns_request(r, &h6);
	board_rdns_request(r, &h6); /* queued already */
	/* The wait gives up at its deadline while the lookup hangs. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	board_rdns_wait(r, 100);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000;
	assert_true(ms >= 90);
	assert_int_equal(board_rdns_get(r, &a1, buf, sizeof(buf)), 0);
	fake_hold(0);
	board_rdns_wait(r, 5000);
	assert_int_equal(calls(1), 1);
	assert_int_equal(calls(6), 1);
	assert_int_equal(board_rdns_get(r, &a1, buf, sizeof(buf)), 1);
	assert_int_equal(board_rdns_get(r, &h6, buf, sizeof(buf)), 1);
	board_rdns_free(r);
}

static void
test_board_rdns_ttl0(void **state)
{
	struct board_rdns *r = new_rdns(0, 8);
	struct ft_addr a1 = a4(1);
	char buf[64];

	(void)state;
	/* A zero TTL keeps nothing: every request is a new lookup. */
	board_rdns_request(r, &a1);
	board_rdns_wait(r, 5000);
	assert_int_equal(board_rdns_get(r, &a1, buf, sizeof(buf)), 0);
	board_rdns_request(r, &a1);
	board_rdns_wait(r, 5000);
	assert_int_equal(calls(1), 2);
	board_rdns_free(r);
	/* Freeing nothing is fine. */
	board_rdns_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_board_rdns_cache),
		cmocka_unit_test(test_board_rdns_names),
		cmocka_unit_test(test_board_rdns_budget),
		cmocka_unit_test(test_board_rdns_no_double),
		cmocka_unit_test(test_board_rdns_ttl0),
	};
	return cmocka_run_group_tests_name("board_rdns", tests, NULL, NULL);
}
