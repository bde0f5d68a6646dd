/*
 * Tests of the scoreboard ranking (scanner/board_rank.c) and output helpers
 * (scanner/board_buf.c): order, ties broken by address, zero values left
 * out, IPv4 before IPv6, the union of the tables, SI formatting, escapers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "addr_testutil.h"
#include "scanner/board_int.h"

static void
test_board_rank_order_ties(void **state)
{
	struct hosttab *t = hosttab_new(100);
	struct board_rank r;
	struct ft_addr a;
	const struct host_entry *row;

	(void)state;
	/* bytes in: .5 = 500, .3 = 300, .4 = 300 (tie), ::1 = 300, .9 = 0 */
	a = taddr_v4(0x0a000005);
	hosttab_add(t, &a, HOST_IN, 500, 1, 1);
	a = taddr_v4(0x0a000004);
	hosttab_add(t, &a, HOST_IN, 300, 5, 1);
	a = taddr_v6(1);
	hosttab_add(t, &a, HOST_IN, 300, 2, 7);
	a = taddr_v4(0x0a000003);
	hosttab_add(t, &a, HOST_IN, 300, 3, 1);
	a = taddr_v4(0x0a000009);
	hosttab_add(t, &a, HOST_OUT, 10, 1, 1);

	assert_int_equal(board_rank_init(&r, 3), 0);
	board_rank_compute(&r, t);
	assert_int_equal(r.n[HOST_IN][BOARD_BYTES], 3);
	row = r.rows[HOST_IN][BOARD_BYTES];
	assert_int_equal(row[0].addr.v4, 0x0a000005);
	assert_int_equal(row[1].addr.v4, 0x0a000003); /* tie: lower addr */
	assert_int_equal(row[2].addr.v4, 0x0a000004); /* v4 before v6 */
	/* Packets in: .4 (5), .3 (3), ::1 (2). */
	row = r.rows[HOST_IN][BOARD_PKTS];
	assert_int_equal(r.n[HOST_IN][BOARD_PKTS], 3);
	assert_int_equal(row[0].addr.v4, 0x0a000004);
	assert_int_equal(row[2].addr.family, FT_AF_INET6);
	/* Flows in: ::1 (7) first, then ties at 1 by address. */
	row = r.rows[HOST_IN][BOARD_FLOWS];
	assert_int_equal(row[0].addr.family, FT_AF_INET6);
	assert_int_equal(row[1].addr.v4, 0x0a000003);
	assert_int_equal(row[2].addr.v4, 0x0a000004);
	/* Out tables hold only the host that sent anything. */
	assert_int_equal(r.n[HOST_OUT][BOARD_BYTES], 1);
	assert_int_equal(r.rows[HOST_OUT][BOARD_BYTES][0].addr.v4, 0x0a000009);
	/* A row carries both directions. */
	assert_int_equal(r.rows[HOST_OUT][BOARD_BYTES][0].c.bytes[HOST_IN], 0);
	board_rank_free(&r);
	hosttab_free(t);
}

/* Many hosts: the heap result equals a full sort. */
static void
test_board_rank_many(void **state)
{
	struct hosttab *t = hosttab_new(5000);
	struct host_entry uni[60];
	struct board_rank r;
	struct ft_addr a;
	uint32_t i;
	size_t k, n;

	(void)state;
	for (i = 0; i < 5000; i++) {
		a = taddr_v4(0x0a000000 + i);
		/* values repeat every 1000: ties everywhere */
		hosttab_add(
		    t, &a, HOST_IN, (i * 7919) % 1000 + 1, i % 13 + 1, 1);
		hosttab_add(t, &a, HOST_OUT, i, 1, i % 5);
	}
	assert_int_equal(board_rank_init(&r, 10), 0);
	board_rank_compute(&r, t);
	for (k = 0; k < 10; k++) {
		const struct host_entry *x = &r.rows[HOST_IN][BOARD_BYTES][k];

		/* value 1000 is reached by i*7919%1000 == 999: i = 1000j+...,
		 * 5 hosts; then 999 by 5 more. */
		assert_int_equal(x->c.bytes[HOST_IN], k < 5 ? 1000 : 999);
		if (k % 5)
			assert_true(
			    board_rank_addrcmp(&x[-1].addr, &x->addr) < 0);
	}
	for (k = 0; k < 10; k++)
		assert_int_equal(
		    r.rows[HOST_OUT][BOARD_BYTES][k].c.bytes[HOST_OUT],
		    4999 - k);
	n = board_rank_union(&r, uni);
	assert_true(n > 10 && n <= 60);
	for (k = 1; k < n; k++)
		assert_true(
		    board_rank_addrcmp(&uni[k - 1].addr, &uni[k].addr) < 0);
	board_rank_free(&r);
	hosttab_free(t);
}

static void
test_board_rank_empty(void **state)
{
	struct hosttab *t = hosttab_new(4);
	struct host_entry uni[6];
	struct board_rank r;

	(void)state;
	assert_int_equal(board_rank_init(&r, 1), 0);
	board_rank_compute(&r, t);
	assert_int_equal(r.n[0][0] + r.n[1][2], 0);
	assert_int_equal(board_rank_union(&r, uni), 0);
	board_rank_free(&r);
	hosttab_free(t);
}

static void
test_board_buf_format(void **state)
{
	struct board_buf b;
	char si[32], s[] = "a\x01\x80z";

	(void)state;
	assert_string_equal(board_buf_si(0, si, sizeof(si)), "0.0");
	assert_string_equal(board_buf_si(950, si, sizeof(si)), "950.0");
	assert_string_equal(board_buf_si(999.96, si, sizeof(si)), "1.0 k");
	assert_string_equal(board_buf_si(1234567, si, sizeof(si)), "1.2 M");
	assert_string_equal(board_buf_si(8e12, si, sizeof(si)), "8.0 T");
	assert_string_equal(board_buf_si(0.0035, si, sizeof(si)), "3.5 m");
	assert_string_equal(board_buf_si(1.0, si, sizeof(si)), "1.0");
	board_buf_sanitize(s);
	assert_string_equal(s, "a??z");

	board_buf_init(&b);
	board_buf_html(&b, "<a href=\"x\">'&'</a>");
	assert_string_equal(
	    b.p, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	board_buf_reset(&b);
	board_buf_json(&b, "q\"\\\n<x>");
	assert_string_equal(b.p, "\"q\\\"\\\\\\u000a\\u003cx\\u003e\"");
	board_buf_reset(&b);
	board_buf_url(&b, "a b&c=d/é");
	assert_string_equal(b.p, "a%20b%26c%3Dd%2F%C3%A9");
	board_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_board_rank_order_ties),
		cmocka_unit_test(test_board_rank_many),
		cmocka_unit_test(test_board_rank_empty),
		cmocka_unit_test(test_board_buf_format),
	};

	return cmocka_run_group_tests_name("board_rank", tests, NULL, NULL);
}
