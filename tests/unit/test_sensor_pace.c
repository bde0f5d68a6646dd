/*
 * Unit tests for sensor/pace.c: replay pacing holds packets back until
 * their scaled capture time (lower bounds only: never a timed upper bound).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/tmutil.h"
#include "sensor/pace.h"

static void
test_sensor_pace_off_never_waits(void **state)
{
	struct pace p;

	(void)state;
	pace_init(&p, 0);
	pace_wait(&p, 1000);
	pace_wait(&p, 1000 + 3600 * 1000); /* an hour later: no wait */
	assert_int_equal(p.start_ns, 0);
}

static void
test_sensor_pace_holds_scaled_time(void **state)
{
	struct pace p;
	uint64_t t0, t;

	(void)state;
	pace_init(&p, 1000);
	t0 = tm_mono_ms();
	pace_wait(&p, 5000000);         /* the first packet sets the schedule */
	pace_wait(&p, 5000000 + 30000); /* 30 s of capture at 1000x: 30 ms */
	t = tm_mono_ms();
	assert_true(t - t0 >= 29);
	/* A packet whose time went backwards is not held. */
	pace_wait(&p, 4000000);
	assert_true(p.first_ms == 5000000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sensor_pace_off_never_waits),
		cmocka_unit_test(test_sensor_pace_holds_scaled_time),
	};
	return cmocka_run_group_tests_name("sensor_pace", tests, NULL, NULL);
}
