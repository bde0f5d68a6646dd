/*
 * Numbers with a unit letter (lib/scaled.c): plain numbers, each unit,
 * allowed and refused tails, and every way a value is refused (no digits,
 * a sign, an unknown unit, a tail after no unit, overflow).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/scaled.h"

static const struct scaled_unit units[] = { { 'k', 1000 }, { 'K', 1024 },
	{ 'x', 3 }, { 0, 0 } };
static const char *const tails[] = { "B", "iB", NULL };

static void
test_scaled_accepts(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(scaled_parse("0", units, tails, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(scaled_parse("42", units, NULL, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(scaled_parse("2k", units, NULL, &v), 0);
	assert_int_equal(v, 2000);
	assert_int_equal(scaled_parse("2K", units, tails, &v), 0);
	assert_int_equal(v, 2048);
	assert_int_equal(scaled_parse("2KiB", units, tails, &v), 0);
	assert_int_equal(v, 2048);
	assert_int_equal(scaled_parse("5xB", units, tails, &v), 0);
	assert_int_equal(v, 15);
	assert_int_equal(
	    scaled_parse("18446744073709551615", units, NULL, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(
	    scaled_parse("6148914691236517205x", units, NULL, &v), 0);
	assert_true(v == UINT64_MAX);
}

static void
test_scaled_refuses(void **state)
{
	static const char *const bad[] = { NULL, "", "k", "-1", "+1", " 1",
		"1 ", "1q", "1KB", "1kiBx", "1B", "1.5k",
		"18446744073709551616", "6148914691236517206x" };
	uint64_t v = 77;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rv = scaled_parse(bad[i], units, NULL, &v);

		if (i == 8) /* "1KB": refused without tails, taken with them */
			assert_int_equal(
			    scaled_parse(bad[i], units, tails, &v), 0);
		if (rv != -1)
			fail_msg(
			    "\"%s\" was accepted", bad[i] ? bad[i] : "NULL");
	}
	v = 77;
	assert_int_equal(scaled_parse("1B", units, tails, &v), -1);
	assert_int_equal(scaled_parse("1kBB", units, tails, &v), -1);
	assert_int_equal(v, 77);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scaled_accepts),
		cmocka_unit_test(test_scaled_refuses),
	};
	return cmocka_run_group_tests_name("scaled", tests, NULL, NULL);
}
