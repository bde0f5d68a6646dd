/*
 * Tests of the aggregate score (scanner/board_agg.c): accumulation, the
 * exact halving at the ageing threshold and pruning, against hand-computed
 * values; ranking by average per appearance; the state file round trip,
 * parse errors with line numbers, and a corrupt file set aside.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <glob.h>

#include "lib/log.h"
#include "scanner/board_int.h"
#include "tdir_testutil.h"

static struct host_entry
row(uint32_t a, uint64_t bytes_in)
{
	struct host_entry e;

	memset(&e, 0, sizeof(e));
	ft_addr_set_v4(&e.addr, a);
	e.c.bytes[HOST_IN] = bytes_in;
	e.c.pkts[HOST_IN] = 1;
	e.c.flows[HOST_IN] = 1;
	return e;
}

#define A 0x0a000001
#define B 0x0a000002
#define C 0x0a000003

static const struct board_agg_host *
find(const struct board_agg *a, uint32_t addr)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (a->h[i].addr.v4 == addr)
			return &a->h[i];
	return NULL;
}

static void
test_board_agg_ageing(void **state)
{
	struct host_entry r[2];
	struct board_agg a;
	const struct board_agg_host *h;
	size_t idx[4];

	(void)state;
	board_agg_init(&a);
	/* ageing = 4: halve when samples reaches 4. */
	r[0] = row(A, 1000);
	r[1] = row(B, 3000);
	assert_int_equal(board_agg_add(&a, r, 2, 300, 4), 0);
	r[0] = row(A, 2000);
	assert_int_equal(board_agg_add(&a, r, 1, 300, 4), 0);
	r[0] = row(A, 3000);
	assert_int_equal(board_agg_add(&a, r, 1, 300, 4), 0);
	h = find(&a, A);
	assert_true(h->count == 3 && h->sum[HOST_IN][BOARD_BYTES] == 6000);
	assert_true(a.samples == 3);
	assert_int_equal(a.n, 2);
	/* The fourth sample triggers the halving: 4 -> 2. */
	r[0] = row(A, 4001);
	assert_int_equal(board_agg_add(&a, r, 1, 300, 4), 0);
	assert_true(a.samples == 2);
	h = find(&a, A);
	assert_non_null(h);
	/* count 4 -> 2, sum 10001 -> 5000.5 exactly (CUFlow: 5000). */
	assert_true(h->count == 2);
	assert_true(h->sum[HOST_IN][BOARD_BYTES] == 5000.5);
	assert_true(h->sum[HOST_IN][BOARD_PKTS] == 2);
	assert_true(h->secs == 600);
	/* B was seen once: count 0.5 < 1, dropped. */
	assert_null(find(&a, B));
	assert_int_equal(a.n, 1);

	/* Average per appearance: C (2000 in one) beats A (5001.5 in 3). */
	r[0] = row(A, 1);
	r[1] = row(C, 2000);
	assert_int_equal(board_agg_add(&a, r, 2, 300, 4), 0);
	assert_true(a.samples == 3);
	h = find(&a, A);
	assert_true(h->count == 3 && h->sum[HOST_IN][BOARD_BYTES] == 5001.5);
	assert_int_equal(board_agg_rank(&a, HOST_IN, BOARD_BYTES, 4, idx), 2);
	assert_int_equal(a.h[idx[0]].addr.v4, C);
	assert_int_equal(a.h[idx[1]].addr.v4, A);
	/* Packets: both average 1 per appearance: tie by address. */
	assert_int_equal(board_agg_rank(&a, HOST_IN, BOARD_PKTS, 4, idx), 2);
	assert_int_equal(a.h[idx[0]].addr.v4, A);
	/* Nothing out: empty table. */
	assert_int_equal(board_agg_rank(&a, HOST_OUT, BOARD_BYTES, 4, idx), 0);
	/* Top cuts. */
	assert_int_equal(board_agg_rank(&a, HOST_IN, BOARD_BYTES, 1, idx), 1);

	/* The next halving: samples 3 -> 4 -> 2; A 4 -> 2, C 2 -> 1 kept. */
	r[0] = row(A, 0);
	r[1] = row(C, 0);
	assert_int_equal(board_agg_add(&a, r, 2, 300, 4), 0);
	assert_true(a.samples == 2);
	assert_true(find(&a, A)->count == 2);
	assert_true(find(&a, A)->sum[HOST_IN][BOARD_BYTES] == 2500.75);
	assert_true(find(&a, C)->count == 1);
	assert_true(find(&a, C)->sum[HOST_IN][BOARD_BYTES] == 1000);
	board_agg_free(&a);
}

/* Steady state with the default ageing of 100: samples cycle 50..99. */
static void
test_board_agg_cycle(void **state)
{
	struct host_entry r = row(A, 7);
	struct board_agg a;
	int i;

	(void)state;
	board_agg_init(&a);
	for (i = 0; i < 99; i++)
		board_agg_add(&a, &r, 1, 300, 100);
	assert_true(a.samples == 99);
	board_agg_add(&a, &r, 1, 300, 100);
	assert_true(a.samples == 50);
	for (i = 0; i < 49; i++)
		board_agg_add(&a, &r, 1, 300, 100);
	assert_true(a.samples == 99);
	board_agg_add(&a, &r, 1, 300, 100);
	assert_true(a.samples == 50);
	assert_true(a.h[0].count == 50);
	assert_true(a.h[0].sum[HOST_IN][BOARD_BYTES] == 350);
	board_agg_free(&a);
}

static void
test_board_agg_roundtrip(void **state)
{
	struct host_entry r[2];
	struct board_agg a, b;
	struct board_buf out;
	struct errbuf eb;
	uint8_t six[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

	(void)state;
	board_agg_init(&a);
	r[0] = row(A, 12345);
	memset(&r[1], 0, sizeof(r[1]));
	ft_addr_set_v6(&r[1].addr, six);
	r[1].c.bytes[HOST_OUT] = 99999999999ULL;
	board_agg_add(&a, r, 2, 317, 3);
	board_agg_add(&a, r, 2, 300, 3);
	board_agg_add(&a, r, 1, 300, 3); /* halves: fractions appear */
	board_buf_init(&out);
	board_agg_format(&a, &out);
	assert_int_equal(board_agg_parse(out.p, out.len, "s", &b, &eb), 0);
	assert_true(b.samples == a.samples);
	assert_int_equal(b.n, a.n);
	assert_memory_equal(b.h, a.h, a.n * sizeof(*a.h));
	board_agg_free(&b);
	board_agg_free(&a);
	board_buf_free(&out);
}

static void
test_board_agg_parse_errors(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "", "s:0: truncated" },
		{ "nope\n", "s:1: not a flowtally aggregate state file" },
		{ "flowtally-aggregate 1\nsamples x\n",
		    "s:2: expected \"samples N\"" },
		{ "flowtally-aggregate 1\nsamples 3\n10.0.0.1 1 2 3\n",
		    "s:3: expected 9 fields" },
		{ "flowtally-aggregate 1\nsamples 3\n"
		  "10.0.0.1 1 300 -1 0 0 0 0 0\n",
		    "s:3: bad number" },
		{ "flowtally-aggregate 1\nsamples 3\n"
		  "10.0.0.1 1 300 nan 0 0 0 0 0\n",
		    "s:3: bad number" },
		{ "flowtally-aggregate 1\nsamples 3\n"
		  "10.0.0.1 0.5 300 1 0 0 0 0 0\n",
		    "s:3: count below 1" },
		{ "flowtally-aggregate 1\nsamples 3\n"
		  "10.0.0.999 1 300 1 0 0 0 0 0\n",
		    "s:3: bad address" },
		{ "flowtally-aggregate 1\nsamples 3\n"
		  "10.0.0.1 1 300 1 0 0 0 0 0\n10.0.0.1 1 300 1 0 0 0 0 0\n",
		    "s: duplicate host" },
	};
	struct board_agg a;
	struct errbuf eb;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(board_agg_parse(cases[i].text,
				     strlen(cases[i].text), "s", &a, &eb),
		    -1);
		assert_string_equal(eb.msg, cases[i].msg);
		assert_int_equal(a.n, 0);
	}
	/* No final newline is fine. */
	assert_int_equal(board_agg_parse("flowtally-aggregate 1\nsamples 0", 31,
			     "s", &a, &eb),
	    0);
}

static void
test_board_agg_corrupt_file(void **state)
{
	char dir[64], path[128];
	glob_t g;
	struct board_agg a;
	struct host_entry r = row(A, 5);
	struct errbuf eb;
	FILE *fp;

	(void)state;
	assert_int_equal(tdir_make(dir, sizeof(dir), "agg"), 0);
	snprintf(path, sizeof(path), "%s/agg.state", dir);
	/* Absent: fresh. */
	assert_int_equal(board_agg_load(path, &a, &eb), 0);
	assert_int_equal(a.n, 0);
	/* Saved then loaded. */
	board_agg_add(&a, &r, 1, 300, 100);
	assert_int_equal(board_agg_save(&a, path, &eb), 0);
	board_agg_free(&a);
	assert_int_equal(board_agg_load(path, &a, &eb), 0);
	assert_int_equal(a.n, 1);
	board_agg_free(&a);
	/* Corrupt: set aside, fresh state. */
	fp = fopen(path, "w");
	fputs("flowtally-aggregate 1\nsamples 1\n10.0.0.1 1 2\n", fp);
	fclose(fp);
	assert_int_equal(board_agg_load(path, &a, &eb), 1);
	assert_int_equal(a.n, 0);
	assert_int_not_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/agg.state.corrupt-*", dir);
	assert_int_equal(glob(path, 0, NULL, &g), 0);
	assert_int_equal(g.gl_pathc, 1);
	globfree(&g);
	assert_int_equal(tdir_remove(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_board_agg_ageing),
		cmocka_unit_test(test_board_agg_cycle),
		cmocka_unit_test(test_board_agg_roundtrip),
		cmocka_unit_test(test_board_agg_parse_errors),
		cmocka_unit_test(test_board_agg_corrupt_file),
	};

	log_init("test_board_agg", 1, 0);
	return cmocka_run_group_tests_name("board_agg", tests, NULL, NULL);
}
