/*
 * The flow-file byte-plane transposition (lib/flowfile_fmt.h) against the
 * definition, byte k of record i at k * n + i: both directions, record
 * lengths of IPv4 and IPv6 blocks, every count through three chunks (so
 * every tile boundary: 8, 16, 64 records) and a whole block, and runs of
 * records from any position (the reader's chunks).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/flowfile_fmt.h"

static void
check(size_t n, size_t rl)
{
	uint8_t *rows = malloc(n * rl + 1), *planes = malloc(n * rl + 1),
		*back = malloc(n * rl + 1);
	uint32_t x = (uint32_t)(n * 2654435761u + rl);
	size_t i, k;

	assert_non_null(rows);
	assert_non_null(planes);
	assert_non_null(back);
	for (i = 0; i < n * rl; i++) {
		x = x * 1103515245u + 12345u;
		rows[i] = (uint8_t)(x >> 16);
	}
	ff_to_planes(planes, rows, n, rl);
	for (i = 0; i < n; i++)
		for (k = 0; k < rl; k++)
			if (planes[k * n + i] != rows[i * rl + k])
				fail_msg("to_planes n=%zu rl=%zu record %zu "
					 "byte %zu",
				    n, rl, i, k);
	memset(back, 0xa5, n * rl);
	ff_from_planes_chunk(back, planes, n, rl, 0, n);
	for (i = 0; i < n * rl; i++)
		if (back[i] != rows[i])
			fail_msg("from_planes n=%zu rl=%zu record %zu byte %zu",
			    n, rl, i / rl, i % rl);
	/* Any run of up to a chunk from any record, as the reader asks. */
	for (i = 0; i < n; i += 1 + i % 23) {
		size_t m = (n - i) % (FF_PLANE_CHUNK + 1);

		memset(back, 0xa5, m * rl + 1);
		ff_from_planes_chunk(back, planes, n, rl, i, m);
		if (memcmp(back, rows + i * rl, m * rl) != 0 ||
		    back[m * rl] != 0xa5)
			fail_msg("from_planes_chunk n=%zu rl=%zu at %zu, %zu "
				 "records",
			    n, rl, i, m);
	}
	free(rows);
	free(planes);
	free(back);
}

static void
test_flowfile_planes(void **state)
{
	size_t n;

	(void)state;
	/* Every count through three chunks, then a whole block. */
	for (n = 0; n <= 3 * FF_PLANE_CHUNK + 17; n++) {
		check(n, FF_REC_V4);
		check(n, FF_REC_V6);
	}
	check(FLOWFILE_BLOCK_RECORDS - 1, FF_REC_V4);
	check(FLOWFILE_BLOCK_RECORDS, FF_REC_V6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flowfile_planes),
	};
	return cmocka_run_group_tests_name(
	    "flowfile_planes", tests, NULL, NULL);
}
