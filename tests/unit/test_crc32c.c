/*
 * CRC32C: published test vectors (RFC 3720 appendix B.4 and the "check"
 * value), hardware and software paths agreeing on every length and
 * alignment, and incremental updates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/crc32c.h"

static void
test_crc32c_check_value(void **state)
{
	(void)state;
	assert_int_equal(crc32c(0, "123456789", 9), 0xE3069283u);
	assert_int_equal(crc32c_sw(0, "123456789", 9), 0xE3069283u);
	assert_int_equal(crc32c(0, "", 0), 0);
}

static void
test_crc32c_rfc3720_vectors(void **state)
{
	uint8_t b[48];
	int i;

	(void)state;
	memset(b, 0, 32);
	assert_int_equal(crc32c(0, b, 32), 0x8A9136AAu);
	memset(b, 0xff, 32);
	assert_int_equal(crc32c(0, b, 32), 0x62A8AB43u);
	for (i = 0; i < 32; i++)
		b[i] = (uint8_t)i;
	assert_int_equal(crc32c(0, b, 32), 0x46DD794Eu);
	for (i = 0; i < 32; i++)
		b[i] = (uint8_t)(31 - i);
	assert_int_equal(crc32c(0, b, 32), 0x113FDB5Cu);
	/* An iSCSI read command PDU. */
	static const uint8_t pdu[48] = { 0x01, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0x14, 0, 0, 0, 0, 0, 0x04, 0, 0, 0, 0, 0x14, 0,
		0, 0, 0x18, 0x28, 0, 0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0,
		0 };
	assert_int_equal(crc32c(0, pdu, 48), 0xD9963A56u);
}

static void
test_crc32c_hw_matches_sw(void **state)
{
	uint8_t b[1100];
	size_t off, len;
	uint32_t seed = 12345;

	(void)state;
	for (size_t i = 0; i < sizeof(b); i++) {
		seed = seed * 1103515245u + 12345u;
		b[i] = (uint8_t)(seed >> 16);
	}
	for (off = 0; off < 9; off++)
		for (len = 0; len + off <= sizeof(b); len += 7)
			assert_int_equal(crc32c(0, b + off, len),
			    crc32c_sw(0, b + off, len));
}

/* Long buffers (three streams joined) against the table-driven path. */
static void
test_crc32c_long_matches_sw(void **state)
{
	static uint8_t b[300000];
	uint32_t seed = 777, crc;
	size_t len, off;

	(void)state;
	for (size_t i = 0; i < sizeof(b); i++) {
		seed = seed * 1103515245u + 12345u;
		b[i] = (uint8_t)(seed >> 16);
	}
	for (len = 8000; len + 16 < sizeof(b); len = len * 5 / 4 + 13)
		for (off = 0; off < 3; off++) {
			crc = crc32c_sw(0x1234u, b + off, len);
			assert_int_equal(crc32c(0x1234u, b + off, len), crc);
		}
	assert_int_equal(crc32c(0, b, sizeof(b)), crc32c_sw(0, b, sizeof(b)));
}

static void
test_crc32c_incremental(void **state)
{
	const char *s = "The quick brown fox jumps over the lazy dog";
	size_t n = strlen(s), k;
	uint32_t whole = crc32c(0, s, n);

	(void)state;
	for (k = 0; k <= n; k++) {
		assert_int_equal(crc32c(crc32c(0, s, k), s + k, n - k), whole);
		assert_int_equal(
		    crc32c_sw(crc32c_sw(0, s, k), s + k, n - k), whole);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32c_check_value),
		cmocka_unit_test(test_crc32c_rfc3720_vectors),
		cmocka_unit_test(test_crc32c_long_matches_sw),
		cmocka_unit_test(test_crc32c_hw_matches_sw),
		cmocka_unit_test(test_crc32c_incremental),
	};

	return cmocka_run_group_tests_name("crc32c", tests, NULL, NULL);
}
