/*
 * The receive pause (collector/rxpace.c): the safe pause with no history,
 * longer pauses at low rates up to the cap, the safe pause again at once
 * when the rate jumps, and a slow decay after a burst.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "collector/rxpace.h"

#define MB (1024 * 1024)

static void
test_pace_first_drain_is_safe(void **state)
{
	struct rxpace p;

	(void)state;
	rxpace_init(&p, 4 * MB, 4000, 40000);
	assert_int_equal(rxpace_next(&p, 1000000, 1000000), 4000);
}

static void
test_pace_slow_stream_naps_long(void **state)
{
	struct rxpace p;
	uint64_t t = 1000000, nap;
	int i;

	(void)state;
	rxpace_init(&p, 4 * MB, 4000, 40000);
	(void)rxpace_next(&p, 0, t);
	/* 1 MB/s of weight: a pause may let in 1 MiB, so the cap. */
	for (i = 0; i < 10; i++) {
		t += 20000;
		nap = rxpace_next(&p, 20000, t);
		assert_int_equal(nap, 40000);
	}
	/* An idle socket (nothing since the last drain): the cap. */
	t += 1000000;
	assert_int_equal(rxpace_next(&p, 0, t), 40000);
}

static void
test_pace_rise_counts_at_once(void **state)
{
	struct rxpace p;
	uint64_t t = 1000000, nap;

	(void)state;
	rxpace_init(&p, 4 * MB, 4000, 40000);
	(void)rxpace_next(&p, 0, t);
	t += 40000;
	assert_int_equal(rxpace_next(&p, 40000, t), 40000);
	/* 100 MB/s of weight: a 1 MiB budget lasts about 10 ms. */
	t += 40000;
	nap = rxpace_next(&p, 4000000, t);
	assert_int_equal(nap, (uint64_t)MB * 1000000 / 100000000);
	/* 1 GB/s: the safe pause (the minimum). */
	t += nap;
	assert_int_equal(rxpace_next(&p, 1000 * nap, t), 4000);
}

static void
test_pace_fall_decays_slowly(void **state)
{
	struct rxpace p;
	uint64_t t = 1000000, nap, prev = 0;
	int i;

	(void)state;
	rxpace_init(&p, 4 * MB, 1000, 50000);
	(void)rxpace_next(&p, 0, t);
	t += 10000;
	assert_int_equal(rxpace_next(&p, 5000000, t), 2097);
	/* Then nothing arrives: the pause grows a quarter at a time. */
	for (i = 0; i < 6; i++) {
		t += 10000;
		nap = rxpace_next(&p, 0, t);
		assert_true(nap > prev || nap == 50000);
		assert_true(nap <= prev * 4 / 3 + 2 || prev == 0);
		prev = nap;
	}
	assert_true(prev < 50000);
}

static void
test_pace_weight_overestimates(void **state)
{
	(void)state;
	assert_int_equal(rxpace_weight(0), 1024);
	assert_int_equal(rxpace_weight(1400), 3824);
}

static void
test_pace_clock_backwards(void **state)
{
	struct rxpace p;

	(void)state;
	rxpace_init(&p, 4 * MB, 4000, 2000); /* max below min: min wins */
	(void)rxpace_next(&p, 0, 5000000);
	assert_int_equal(rxpace_next(&p, 100, 4000000), 4000);
	assert_int_equal(rxpace_next(&p, 0, 4100000), 4000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pace_first_drain_is_safe),
		cmocka_unit_test(test_pace_slow_stream_naps_long),
		cmocka_unit_test(test_pace_rise_counts_at_once),
		cmocka_unit_test(test_pace_fall_decays_slowly),
		cmocka_unit_test(test_pace_weight_overestimates),
		cmocka_unit_test(test_pace_clock_backwards),
	};

	return cmocka_run_group_tests_name(
	    "collector_rxpace", tests, NULL, NULL);
}
