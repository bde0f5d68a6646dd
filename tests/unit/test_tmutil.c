/*
 * Tests for lib/tmutil.c: interval alignment, ISO 8601 formatting and
 * parsing (round trips, every accepted form, bad inputs) and durations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "lib/tmutil.h"

static uint64_t
parse_ok(const char *s)
{
	uint64_t ms = 0;

	if (tm_parse(s, &ms) != 0)
		fail_msg("tm_parse rejected \"%s\"", s);
	return ms;
}

static void
test_tm_align(void **state)
{
	(void)state;
	assert_int_equal(tm_align(0, 300), 0);
	assert_int_equal(tm_align(299, 300), 0);
	assert_int_equal(tm_align(300, 300), 300);
	assert_int_equal(tm_align(1732500123, 300), 1732500000);
	assert_int_equal(
	    tm_align(1732500123, 3600), 1732500000 - 1732500000 % 3600);
	assert_int_equal(tm_align(1732500123, 86400), 1732492800);
	assert_int_equal(tm_align(12345, 1), 12345);
	assert_int_equal(tm_align(12345, 0), 12345); /* no interval */
	assert_int_equal(
	    tm_align(UINT64_MAX, 300), UINT64_MAX - UINT64_MAX % 300);
}

static void
test_tm_format_iso(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(
	    tm_format_iso_ms(0, buf, sizeof(buf)), "1970-01-01T00:00:00.000Z");
	assert_string_equal(
	    tm_format_iso_ms(1732500123456ULL, buf, sizeof(buf)),
	    "2024-11-25T02:02:03.456Z");
	/* Leap days and the end of a leap year. */
	assert_string_equal(tm_format_iso_ms(951782400000ULL, buf, sizeof(buf)),
	    "2000-02-29T00:00:00.000Z");
	assert_string_equal(
	    tm_format_iso_ms(1735689599999ULL, buf, sizeof(buf)),
	    "2024-12-31T23:59:59.999Z");
	assert_string_equal(
	    tm_format_iso_ms(4107542400000ULL, buf, sizeof(buf)),
	    "2100-03-01T00:00:00.000Z");
	/* Truncated into a short buffer, still terminated. */
	memset(buf, 'x', sizeof(buf));
	tm_format_iso_ms(0, buf, 5);
	assert_string_equal(buf, "1970");
}

static void
test_tm_format_matches_gmtime(void **state)
{
	char ours[32], theirs[96];
	struct tm tm;
	time_t t;
	uint64_t ms;
	unsigned i;

	(void)state;
	/* Every ~3.3 days from 1970 to 2100, against libc. */
	for (i = 0; i < 15000; i++) {
		ms = (uint64_t)i * 287654321ULL + i % 1000;
		t = (time_t)(ms / 1000);
		assert_non_null(gmtime_r(&t, &tm));
		snprintf(theirs, sizeof(theirs),
		    "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		    (unsigned)(ms % 1000));
		tm_format_iso_ms(ms, ours, sizeof(ours));
		assert_string_equal(ours, theirs);
		assert_int_equal(parse_ok(ours), ms);
	}
}

static void
test_tm_parse_forms(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("1970-01-01"), 0);
	assert_int_equal(parse_ok("2024-11-25"), 1732492800000ULL);
	assert_int_equal(parse_ok("2024-11-25T02:02"), 1732500120000ULL);
	assert_int_equal(parse_ok("2024-11-25T02:02Z"), 1732500120000ULL);
	assert_int_equal(parse_ok("2024-11-25 02:02:03"), 1732500123000ULL);
	assert_int_equal(parse_ok("2024-11-25T02:02:03Z"), 1732500123000ULL);
	assert_int_equal(
	    parse_ok("2024-11-25T02:02:03.456Z"), 1732500123456ULL);
	assert_int_equal(parse_ok("2024-11-25T02:02:03.456"), 1732500123456ULL);
	assert_int_equal(parse_ok("2000-02-29"), 951782400000ULL);
	assert_int_equal(parse_ok("@0"), 0);
	assert_int_equal(parse_ok("@1732500123"), 1732500123000ULL);
}

static void
test_tm_parse_bad(void **state)
{
	static const char *bad[] = {
		"",
		"2024",
		"2024-11",
		"2024-1-25",
		"24-11-25",
		"2024/11/25",
		"2024-13-01",
		"2024-00-10",
		"2024-11-00",
		"2024-11-31",
		"2023-02-29",
		"1900-02-29",
		"1969-12-31",
		"2024-11-25T",
		"2024-11-25T2:02",
		"2024-11-25T24:00",
		"2024-11-25T23:60",
		"2024-11-25T23:59:60",
		"2024-11-25T23:59:59.",
		"2024-11-25T23:59:59.4",
		"2024-11-25T23:59:59.4567",
		"2024-11-25T23:59:59+01:00",
		"2024-11-25T23:59:59ZZ",
		"2024-11-25x",
		" 2024-11-25",
		"@",
		"@-1",
		"@12x",
		"@99999999999999999999999",
		"now",
	};
	uint64_t ms = 42;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (tm_parse(bad[i], &ms) != -1)
			fail_msg("tm_parse accepted \"%s\"", bad[i]);
	assert_int_equal(tm_parse(NULL, &ms), -1);
	assert_int_equal(ms, 42); /* untouched on failure */
}

static void
test_tm_parse_duration(void **state)
{
	uint64_t s = 0;

	(void)state;
	assert_int_equal(tm_parse_duration("300", &s), 0);
	assert_int_equal(s, 300);
	assert_int_equal(tm_parse_duration("300s", &s), 0);
	assert_int_equal(s, 300);
	assert_int_equal(tm_parse_duration("5m", &s), 0);
	assert_int_equal(s, 300);
	assert_int_equal(tm_parse_duration("2h", &s), 0);
	assert_int_equal(s, 7200);
	assert_int_equal(tm_parse_duration("7d", &s), 0);
	assert_int_equal(s, 604800);
	assert_int_equal(tm_parse_duration("0", &s), 0);
	assert_int_equal(s, 0);
	s = 99;
	assert_int_equal(tm_parse_duration("", &s), -1);
	assert_int_equal(tm_parse_duration("m", &s), -1);
	assert_int_equal(tm_parse_duration("-5m", &s), -1);
	assert_int_equal(tm_parse_duration(" 5m", &s), -1);
	assert_int_equal(tm_parse_duration("5 m", &s), -1);
	assert_int_equal(tm_parse_duration("5mm", &s), -1);
	assert_int_equal(tm_parse_duration("5w", &s), -1);
	assert_int_equal(tm_parse_duration("1.5h", &s), -1);
	assert_int_equal(tm_parse_duration("99999999999999999999", &s), -1);
	assert_int_equal(tm_parse_duration("999999999999999999d", &s), -1);
	assert_int_equal(tm_parse_duration(NULL, &s), -1);
	assert_int_equal(s, 99);
}

static void
test_tm_clocks(void **state)
{
	uint64_t w = tm_now_ms(), m1 = tm_mono_ms(), m2, n;

	(void)state;
	assert_true(w > 1577836800000ULL); /* after 2020 */
	assert_true(w - (uint64_t)time(NULL) * 1000 < 2000 ||
	    (uint64_t)time(NULL) * 1000 - w < 2000);
	m2 = tm_mono_ms();
	assert_true(m2 >= m1);
	/* The ns clock is the same clock: between two ms readings. */
	n = tm_mono_ns();
	assert_true(n / 1000000 >= m2);
	assert_true(n / 1000000 <= tm_mono_ms());
	assert_true(tm_mono_ns() >= n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tm_align),
		cmocka_unit_test(test_tm_format_iso),
		cmocka_unit_test(test_tm_format_matches_gmtime),
		cmocka_unit_test(test_tm_parse_forms),
		cmocka_unit_test(test_tm_parse_bad),
		cmocka_unit_test(test_tm_parse_duration),
		cmocka_unit_test(test_tm_clocks),
	};
	return cmocka_run_group_tests_name("tmutil", tests, NULL, NULL);
}
