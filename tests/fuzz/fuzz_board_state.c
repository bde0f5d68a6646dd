/*
 * Fuzz target for the scoreboard's aggregate state-file parser
 * (board_agg_parse): any input is rejected cleanly or parses into a state
 * that formats and parses back to the same hosts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scanner/board_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct board_agg a, b;
	struct board_buf out;
	struct errbuf eb;
	size_t idx[8];

	if (board_agg_parse((const char *)data, size, "fuzz", &a, &eb) == -1)
		return 0;
	board_buf_init(&out);
	board_agg_format(&a, &out);
	if (board_agg_parse(out.p, out.len, "again", &b, &eb) == -1 ||
	    b.n != a.n || b.samples != a.samples)
		abort();
	board_agg_rank(&a, 0, 0, 8, idx);
	board_agg_age(&a);
	board_agg_free(&a);
	board_agg_free(&b);
	board_buf_free(&out);
	return 0;
}
