/*
 * Tests of scanner/hosttab.c: per-direction counts, IPv4 and IPv6 keys,
 * the overflow entry, reset (queued adds included), and many keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "addr_testutil.h"
#include "lib/addr.h"
#include "scanner/hosttab.h"

static void
test_hosttab_counts(void **state)
{
	struct hosttab *t = hosttab_new(8);
	struct ft_addr a = taddr_v4(0x0a000001), b = taddr_v6(1),
		       c = taddr_v4(1);
	const struct host_entry *e;

	(void)state;
	assert_non_null(t);
	hosttab_add(t, &a, HOST_IN, 100, 2, 1);
	hosttab_add(t, &a, HOST_IN, 50, 1, 1);
	hosttab_add(t, &a, HOST_OUT, 7, 1, 1);
	hosttab_add(t, &b, HOST_OUT, 1000, 10, 3);
	assert_int_equal(hosttab_count(t), 2);
	e = hosttab_find(t, &a);
	assert_non_null(e);
	assert_true(ft_addr_equal(&e->addr, &a));
	assert_int_equal(e->c.bytes[HOST_IN], 150);
	assert_int_equal(e->c.pkts[HOST_IN], 3);
	assert_int_equal(e->c.flows[HOST_IN], 2);
	assert_int_equal(e->c.bytes[HOST_OUT], 7);
	e = hosttab_find(t, &b);
	assert_non_null(e);
	assert_int_equal(e->c.bytes[HOST_OUT], 1000);
	assert_int_equal(e->c.flows[HOST_OUT], 3);
	assert_int_equal(e->c.bytes[HOST_IN], 0);
	/* ::1-like v6 and 0.0.0.1 v4 are different keys. */
	assert_null(hosttab_find(t, &c));
	assert_non_null(hosttab_entry(t, 1));
	assert_null(hosttab_entry(t, 2));
	hosttab_free(t);
}

static void
test_hosttab_overflow_reset(void **state)
{
	struct hosttab *t = hosttab_new(3);
	struct ft_addr a;
	uint32_t i;

	(void)state;
	assert_non_null(t);
	for (i = 0; i < 5; i++) {
		a = taddr_v4(0xc0a80000 + i);
		hosttab_add(t, &a, HOST_OUT, 10, 1, 1);
	}
	assert_int_equal(hosttab_count(t), 3);
	assert_int_equal(hosttab_overflow(t)->bytes[HOST_OUT], 20);
	assert_int_equal(hosttab_overflow(t)->flows[HOST_OUT], 2);
	/* A known host still counts to itself when the table is full. */
	a = taddr_v4(0xc0a80000);
	hosttab_add(t, &a, HOST_IN, 5, 1, 1);
	assert_int_equal(hosttab_find(t, &a)->c.bytes[HOST_IN], 5);
	assert_int_equal(hosttab_overflow(t)->bytes[HOST_IN], 0);

	hosttab_reset(t);
	assert_int_equal(hosttab_count(t), 0);
	assert_null(hosttab_find(t, &a));
	assert_int_equal(hosttab_overflow(t)->bytes[HOST_OUT], 0);
	a = taddr_v6(9);
	hosttab_add(t, &a, HOST_IN, 1, 1, 1);
	assert_int_equal(hosttab_count(t), 1);
	assert_int_equal(hosttab_find(t, &a)->c.bytes[HOST_IN], 1);
	hosttab_free(t);
}

static void
test_hosttab_many(void **state)
{
	const uint32_t n = 50000;
	struct hosttab *t = hosttab_new(2 * n);
	struct ft_addr a;
	uint32_t i, round;

	(void)state;
	assert_non_null(t);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < n; i++) {
			a = taddr_v4(0x0a000000 + i * 256);
			hosttab_add(t, &a, HOST_IN, i, 1, 1);
			a = taddr_v6(i);
			hosttab_add(t, &a, HOST_OUT, i, 1, 1);
		}
		assert_int_equal(hosttab_count(t), 2 * n);
		for (i = 0; i < n; i += 997) {
			a = taddr_v6(i);
			assert_int_equal(
			    hosttab_find(t, &a)->c.bytes[HOST_OUT], i);
			a = taddr_v4(0x0a000000 + i * 256);
			assert_int_equal(
			    hosttab_find(t, &a)->c.flows[HOST_IN], 1);
		}
		hosttab_reset(t);
		assert_int_equal(hosttab_count(t), 0);
	}
	/* A host without an address family is never a key: overflow. */
	memset(&a, 0, sizeof(a));
	hosttab_add(t, &a, HOST_IN, 9, 1, 1);
	assert_int_equal(hosttab_count(t), 0);
	assert_int_equal(hosttab_overflow(t)->bytes[HOST_IN], 9);
	assert_null(hosttab_find(t, &a));
	assert_null(hosttab_new(0));
	hosttab_free(t);
	hosttab_free(NULL);
}

/* Growth with adds still queued: every count survives the rehashes. */
static void
test_hosttab_growth(void **state)
{
	struct hosttab *t = hosttab_new(300000);
	struct ft_addr a;
	uint32_t i;
	uint64_t sum = 0;
	size_t k;

	(void)state;
	assert_non_null(t);
	for (i = 0; i < 200000; i++) {
		a = taddr_v4(i * 2654435761u);
		hosttab_add(t, &a, i & 1 ? HOST_OUT : HOST_IN, i, 1, 1);
		a = taddr_v4(7); /* one host seen throughout */
		hosttab_add(t, &a, HOST_IN, 1, 1, 1);
	}
	assert_int_equal(hosttab_count(t), 200001);
	a = taddr_v4(7);
	assert_int_equal(hosttab_find(t, &a)->c.bytes[HOST_IN], 200000);
	for (k = 0; k < hosttab_count(t); k++) {
		const struct host_entry *e = hosttab_entry(t, k);

		sum += e->c.bytes[HOST_IN] + e->c.bytes[HOST_OUT];
	}
	/* sum of 0..199999 plus the 200000 of host 7 (and 7 = i*K never). */
	assert_true(sum == (uint64_t)199999 * 200000 / 2 + 200000);
	assert_int_equal(hosttab_overflow(t)->flows[HOST_IN], 0);
	hosttab_reset(t);
	assert_null(hosttab_find(t, &a));
	hosttab_add(t, &a, HOST_OUT, 3, 1, 1);
	assert_int_equal(hosttab_find(t, &a)->c.bytes[HOST_OUT], 3);
	hosttab_free(t);
}

static void
foreach_sum(void *ctx, const struct host_entry *e)
{
	uint64_t *sum = ctx;

	sum[0] += e->c.bytes[HOST_IN] + e->c.bytes[HOST_OUT];
	sum[1]++;
}

/*
 * Batched adds with a host that is not an address and an IPv6 one; foreach
 * visits every host once, sparse (by the used list) and dense (by a pass
 * over the slots).
 */
static void
test_hosttab_batch_foreach(void **state)
{
	static struct ft_addr addr[3000];
	static struct host_op ops[3000];
	struct hosttab *t = hosttab_new(4000);
	struct ft_addr none, six;
	uint64_t sum[2];
	size_t i;

	(void)state;
	assert_non_null(t);
	memset(&none, 0, sizeof(none));
	assert_int_equal(addr_parse("2001:db8::5", &six), 0);
	for (i = 0; i < 3000; i++) {
		addr[i] = taddr_v4(0x0a000000u + (uint32_t)(i % 1000));
		if (i == 5)
			addr[i] = none;
		if (i == 8)
			addr[i] = six;
		ops[i].host = &addr[i];
		ops[i].dir = i & 1 ? HOST_OUT : HOST_IN;
		ops[i].bytes = 10;
		ops[i].pkts = ops[i].flows = 1;
	}
	/* A sparse table first (count <= slots / 8), then a dense one. */
	hosttab_add_batch(t, ops, 10);
	sum[0] = sum[1] = 0;
	hosttab_foreach(t, foreach_sum, sum);
	assert_int_equal(sum[1], 9); /* 10.0.0.{0-4,6,7,9}, 2001:db8::5 */
	assert_int_equal(sum[0], 90);
	assert_int_equal(hosttab_overflow(t)->bytes[HOST_OUT], 10); /* 5 */
	assert_int_equal(hosttab_overflow(t)->bytes[HOST_IN], 0);
	assert_int_equal(hosttab_find(t, &six)->c.bytes[HOST_IN], 10);
	hosttab_add_batch(t, ops + 10, 2990);
	sum[0] = sum[1] = 0;
	hosttab_foreach(t, foreach_sum, sum);
	assert_int_equal(sum[1], hosttab_count(t));
	assert_int_equal(sum[1], 1001);      /* 1000 IPv4 hosts + 2001:db8::5 */
	assert_int_equal(sum[0], 2999 * 10); /* all but op 5 */
	hosttab_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hosttab_counts),
		cmocka_unit_test(test_hosttab_overflow_reset),
		cmocka_unit_test(test_hosttab_many),
		cmocka_unit_test(test_hosttab_growth),
		cmocka_unit_test(test_hosttab_batch_foreach),
	};

	return cmocka_run_group_tests_name("hosttab", tests, NULL, NULL);
}
