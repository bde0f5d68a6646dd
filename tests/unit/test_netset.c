/*
 * Tests for lib/netset.c: fixed cases for longest match, /0, host routes,
 * overlaps and families, and a randomized comparison of both lookups
 * against a brute-force reference, built and unbuilt.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/addr.h"
#include "lib/netset.h"

static int
setup(void **state)
{
	*state = netset_new();
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	netset_free(*state);
	return 0;
}

/* Longest-prefix value of s, or -1 for no match. */
static long
lookup_str(const struct netset *ns, const char *s)
{
	struct ft_addr a;
	uint32_t v = 0xdeadbeef;

	assert_int_equal(addr_parse(s, &a), 0);
	if (!netset_lookup(ns, &a, &v)) {
		assert_int_equal(netset_contains(ns, &a), 0);
		return -1;
	}
	assert_int_equal(netset_contains(ns, &a), 1);
	return (long)v;
}

static size_t
all_str(const struct netset *ns, const char *s, uint32_t *v, size_t max)
{
	struct ft_addr a;

	assert_int_equal(addr_parse(s, &a), 0);
	return netset_match_all(ns, &a, v, max);
}

/* Run the checks of a case twice: before and after netset_build(). */
#define BOTH_WAYS(ns, body)                                                    \
	do {                                                                   \
		assert_int_equal(netset_is_built(ns), 0);                      \
		body;                                                          \
		assert_int_equal(netset_build(ns), 0);                         \
		assert_int_equal(netset_is_built(ns), 1);                      \
		body;                                                          \
	} while (0)

static void
test_netset_empty(void **state)
{
	struct netset *ns = *state;
	uint32_t v[4];

	BOTH_WAYS(ns, {
		assert_int_equal(lookup_str(ns, "10.0.0.1"), -1);
		assert_int_equal(lookup_str(ns, "::1"), -1);
		assert_int_equal(all_str(ns, "10.0.0.1", v, 4), 0);
		assert_int_equal(netset_count(ns), 0);
	});
}

/* A prefix and its value, or an address and its lookup (-1: none). */
struct sv {
	const char *s;
	long v;
};

/* Add the prefixes of add[] (up to a NULL s) to ns. */
static void
add_all(struct netset *ns, const struct sv *add)
{
	for (; add->s != NULL; add++)
		assert_int_equal(
		    netset_add_str(ns, add->s, (uint32_t)add->v), 0);
}

/*
 * add_all(ns, add); then, before and after netset_build(), each address of
 * want[] must look up to its value.
 */
static void
add_and_look_up(struct netset *ns, const struct sv *add, const struct sv *want)
{
	const struct sv *w;
	long got;

	add_all(ns, add);
	BOTH_WAYS(ns, {
		for (w = want; w->s != NULL; w++) {
			got = lookup_str(ns, w->s);
			if (got != w->v)
				fail_msg("%s: %ld, want %ld (%s)", w->s, got,
				    w->v,
				    netset_is_built(ns) ? "built" : "unbuilt");
		}
	});
}

/*
 * netset_match_all() of address s with room for max (8 at most) values
 * must count n and give the first n (max at most) values of want[], in
 * order, and write nothing after them.
 */
static void
all_are(const struct netset *ns, const char *s, size_t max, size_t n,
    const uint32_t *want)
{
	uint32_t v[8];
	size_t i;

	assert_true(max <= 8);
	memset(v, 0, sizeof(v));
	assert_int_equal(all_str(ns, s, v, max), n);
	for (i = 0; i < n && i < max; i++)
		assert_int_equal(v[i], want[i]);
	for (; i < 8; i++)
		assert_int_equal(v[i], 0);
}

static void
test_netset_longest_prefix_wins(void **state)
{
	static const struct sv add[] = { { "10.0.0.0/8", 1 },
		{ "10.1.0.0/16", 2 }, { "10.1.2.0/24", 3 }, { NULL, 0 } };
	static const struct sv want[] = {
		{ "10.1.2.3", 3 },
		{ "10.1.3.3", 2 },
		{ "10.2.0.1", 1 },
		{ "10.0.0.0", 1 },
		{ "10.255.255.255", 1 },
		{ "11.0.0.0", -1 },
		{ "9.255.255.255", -1 },
		{ "10.1.2.255", 3 },
		{ "10.1.255.255", 2 },
		{ NULL, 0 },
	};

	add_and_look_up(*state, add, want);
}

static void
test_netset_default_route(void **state)
{
	static const struct sv add[] = { { "0.0.0.0/0", 7 },
		{ "192.168.0.0/16", 8 }, { NULL, 0 } };
	static const struct sv want[] = {
		{ "0.0.0.0", 7 },
		{ "255.255.255.255", 7 },
		{ "192.168.1.1", 8 },
		/* v4 /0 says nothing about IPv6. */
		{ "::", -1 },
		{ "2001:db8::1", -1 },
		{ NULL, 0 },
	};

	add_and_look_up(*state, add, want);
}

static void
test_netset_v6_default_route(void **state)
{
	static const struct sv add[] = { { "::/0", 1 }, { "2001:db8::/32", 2 },
		{ NULL, 0 } };
	static const struct sv want[] = {
		{ "::", 1 },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1 },
		{ "2001:db8:ffff::1", 2 },
		{ "2001:db9::", 1 },
		{ "10.0.0.1", -1 },
		{ NULL, 0 },
	};

	add_and_look_up(*state, add, want);
}

static void
test_netset_host_routes(void **state)
{
	static const struct sv add[] = {
		{ "192.0.2.7/32", 1 },
		{ "255.255.255.255/32", 2 },
		{ "0.0.0.0/32", 3 },
		{ "2001:db8::7/128", 4 },
		{ "::/128", 5 },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 6 },
		{ NULL, 0 },
	};
	static const struct sv want[] = {
		{ "192.0.2.7", 1 },
		{ "192.0.2.6", -1 },
		{ "192.0.2.8", -1 },
		{ "255.255.255.255", 2 },
		{ "255.255.255.254", -1 },
		{ "0.0.0.0", 3 },
		{ "0.0.0.1", -1 },
		{ "2001:db8::7", 4 },
		{ "2001:db8::6", -1 },
		{ "2001:db8::8", -1 },
		{ "::", 5 },
		{ "::1", -1 },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 6 },
		{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", -1 },
		{ NULL, 0 },
	};

	add_and_look_up(*state, add, want);
}

static void
test_netset_overlapping_all_matches(void **state)
{
	/* Added out of order, with nested and sibling networks. */
	static const struct sv add[] = { { "10.1.2.0/24", 30 },
		{ "10.0.0.0/8", 10 }, { "10.1.0.0/16", 20 },
		{ "10.1.3.0/24", 5 }, { NULL, 0 } };
	struct netset *ns = *state;

	add_all(ns, add);
	BOTH_WAYS(ns, {
		all_are(ns, "10.1.2.9", 8, 3, (const uint32_t[]){ 10, 20, 30 });
		all_are(ns, "10.1.3.9", 8, 3, (const uint32_t[]){ 5, 10, 20 });
		all_are(ns, "10.9.3.9", 8, 1, (const uint32_t[]){ 10 });
		/* A short buffer still gets the smallest values, and the
		 * full count. */
		all_are(ns, "10.1.2.9", 2, 3, (const uint32_t[]){ 10, 20 });
		assert_int_equal(all_str(ns, "10.1.2.9", NULL, 0), 3);
		all_are(ns, "11.0.0.1", 8, 0, NULL);
	});
}

static void
test_netset_same_prefix_several_values(void **state)
{
	static const struct sv add[] = { { "172.16.0.0/12", 9 },
		{ "172.16.0.0/12", 4 }, { "172.16.0.0/12", 6 },
		{ "172.16.0.0/12", 4 }, { "172.16.5.0/24", 6 }, { NULL, 0 } };
	struct netset *ns = *state;

	add_all(ns, add);
	assert_int_equal(netset_count(ns), 4);
	BOTH_WAYS(ns, {
		/* The first value added to the prefix wins. */
		assert_int_equal(lookup_str(ns, "172.17.0.1"), 9);
		assert_int_equal(lookup_str(ns, "172.16.5.1"), 6);
		/* Each distinct value once. */
		all_are(ns, "172.16.5.1", 8, 3, (const uint32_t[]){ 4, 6, 9 });
	});
	/* A duplicate add keeps the built tables. */
	assert_int_equal(netset_add_str(ns, "172.16.0.0/12", 6), 0);
	assert_int_equal(netset_is_built(ns), 1);
}

static void
test_netset_families_apart(void **state)
{
	/* ::a00:0/104 has the same bits as 10.0.0.0/8 in its last 32. */
	static const struct sv add[] = { { "10.0.0.0/8", 1 },
		{ "::a00:0/104", 2 }, { "::ffff:10.0.0.0/104", 3 },
		{ NULL, 0 } };
	struct netset *ns = *state;

	add_all(ns, add);
	BOTH_WAYS(ns, {
		assert_int_equal(lookup_str(ns, "10.1.1.1"), 1);
		assert_int_equal(lookup_str(ns, "::a01:101"), 2);
		assert_int_equal(lookup_str(ns, "::ffff:10.1.1.1"), 3);
		all_are(ns, "10.1.1.1", 4, 1, (const uint32_t[]){ 1 });
		assert_int_equal(lookup_str(ns, "0.0.0.1"), -1);
	});
}

static void
test_netset_bad_input(void **state)
{
	struct netset *ns = *state;
	struct ft_prefix p;
	struct ft_addr none;
	uint32_t v;

	assert_int_equal(netset_add_str(ns, "10.0.0.1/8", 1), -1);
	assert_int_equal(netset_add_str(ns, "10.0.0.0/33", 1), -1);
	assert_int_equal(netset_add_str(ns, "::/129", 1), -1);
	assert_int_equal(netset_add_str(ns, "bogus", 1), -1);
	assert_int_equal(netset_add_str(ns, "", 1), -1);
	memset(&p, 0, sizeof(p));
	assert_int_equal(netset_add(ns, &p, 1), -1); /* no family */
	assert_int_equal(addr_parse("10.0.0.0", &p.addr), 0);
	p.len = 33;
	assert_int_equal(netset_add(ns, &p, 1), -1);
	assert_int_equal(netset_count(ns), 0);
	/* netset_add itself clears host bits it is given. */
	assert_int_equal(addr_parse("172.16.9.9", &p.addr), 0);
	p.len = 12;
	assert_int_equal(netset_add(ns, &p, 5), 0);
	assert_int_equal(netset_add_str(ns, "172.16.0.0/12", 5), 0);
	assert_int_equal(netset_count(ns), 1);
	assert_int_equal(lookup_str(ns, "172.31.0.1"), 5);
	memset(&none, 0, sizeof(none));
	assert_int_equal(netset_add_str(ns, "0.0.0.0/0", 1), 0);
	BOTH_WAYS(ns, {
		assert_int_equal(netset_lookup(ns, &none, &v), 0);
		assert_int_equal(netset_contains(ns, &none), 0);
		assert_int_equal(netset_match_all(ns, &none, &v, 1), 0);
	});
}

static void
test_netset_add_after_build(void **state)
{
	struct netset *ns = *state;

	assert_int_equal(netset_add_str(ns, "10.0.0.0/8", 1), 0);
	assert_int_equal(netset_build(ns), 0);
	assert_int_equal(lookup_str(ns, "10.1.2.3"), 1);
	assert_int_equal(netset_add_str(ns, "10.1.0.0/16", 2), 0);
	/* Correct before the rebuild (slow path) and after. */
	BOTH_WAYS(ns, assert_int_equal(lookup_str(ns, "10.1.2.3"), 2));
	assert_int_equal(netset_build(ns), 0); /* idempotent */
	assert_int_equal(lookup_str(ns, "10.1.2.3"), 2);
}

/* --- randomized comparison with a brute-force reference --- */

static uint64_t rng_state;
/* Longest IPv6 prefix generated (64: the common case of site networks). */
static unsigned max_len6 = 128;

static uint64_t
rng(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

struct ref {
	struct ft_prefix p[4096];
	uint32_t v[4096];
	size_t n;
};

static void
ref_add(struct ref *r, const struct ft_prefix *p, uint32_t v)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i] == v && r->p[i].len == p->len &&
		    ft_addr_equal(&r->p[i].addr, &p->addr))
			return;
	r->p[r->n] = *p;
	r->v[r->n++] = v;
}

static long
ref_lookup(const struct ref *r, const struct ft_addr *a)
{
	long best = -1;
	int blen = -1;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (addr_in_prefix(a, &r->p[i]) && r->p[i].len > blen) {
			blen = r->p[i].len;
			best = r->v[i];
		}
	return best;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static size_t
ref_all(const struct ref *r, const struct ft_addr *a, uint32_t *out)
{
	size_t i, n = 0, k = 0;

	for (i = 0; i < r->n; i++)
		if (addr_in_prefix(a, &r->p[i]))
			out[n++] = r->v[i];
	qsort(out, n, sizeof(*out), cmp_u32);
	for (i = 0; i < n; i++)
		if (k == 0 || out[k - 1] != out[i])
			out[k++] = out[i];
	return k;
}

/* A random address near a few clustered bases, so prefixes overlap. */
static void
random_addr(struct ft_addr *a, int v6)
{
	static const uint32_t base4[] = { 0x0a000000, 0xc0a80000, 0x00000000,
		0xffffffff, 0xac100000 };
	uint8_t b[16];
	uint64_t noise;
	size_t i;

	if (!v6) {
		noise = rng() & 0xffffffff;
		ft_addr_set_v4(
		    a, base4[rng() % 5] ^ (uint32_t)(noise >> (rng() % 33)));
		return;
	}
	memset(b, 0, sizeof(b));
	switch (rng() % 3) {
	case 0:
		b[0] = 0x20;
		b[1] = 0x01;
		b[2] = 0x0d;
		b[3] = 0xb8;
		break;
	case 1:
		memset(b, 0xff, sizeof(b));
		break;
	default:
		break;
	}
	for (i = rng() % 16; i < 16; i++)
		if (rng() % 3 == 0)
			b[i] ^= (uint8_t)rng();
	ft_addr_set_v6(a, b);
}

static void
random_prefix(struct ft_prefix *p, int v6)
{
	random_addr(&p->addr, v6);
	p->len = (uint8_t)(rng() % ((v6 ? max_len6 : 32) + 1));
	addr_mask(&p->addr, p->len);
}

/* The first and last address of p, and their neighbours outside it. */
static void
edges(const struct ft_prefix *p, struct ft_addr out[4])
{
	struct ft_addr lo = p->addr, hi = p->addr;
	unsigned i, w = p->addr.family == FT_AF_INET ? 32 : 128;
	int byte;

	if (p->addr.family == FT_AF_INET) {
		hi.v4 |= p->len == 0
		    ? 0xffffffffu
		    : (p->len == 32 ? 0 : (0xffffffffu >> p->len));
		out[0] = lo;
		out[1] = hi;
		out[2] = lo;
		out[2].v4--;
		out[3] = hi;
		out[3].v4++;
		return;
	}
	for (i = p->len; i < w; i++)
		hi.v6[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	out[0] = lo;
	out[1] = hi;
	out[2] = lo;
	for (byte = 15; byte >= 0 && out[2].v6[byte]-- == 0; byte--)
		;
	out[3] = hi;
	for (byte = 15; byte >= 0 && ++out[3].v6[byte] == 0; byte--)
		;
}

static void
compare(const struct netset *ns, const struct ref *r, const struct ft_addr *a)
{
	uint32_t got[4096], want[4096], v = 0;
	size_t ng, nw, i;
	long rl = ref_lookup(r, a);
	int found = netset_lookup(ns, a, &v);
	char s[ADDR_STRLEN];

	addr_format(a, s, sizeof(s));
	if (found != (rl >= 0) || (found && (long)v != rl))
		fail_msg("lookup %s: got %d/%u, want %ld", s, found, v, rl);
	assert_int_equal(netset_contains(ns, a), rl >= 0);
	nw = ref_all(r, a, want);
	ng = netset_match_all(ns, a, got, 4096);
	if (ng != nw)
		fail_msg("match_all %s: got %zu values, want %zu", s, ng, nw);
	for (i = 0; i < nw; i++)
		assert_int_equal(got[i], want[i]);
	if (nw > 1) {
		/* Truncated output: the smallest ones, the full count. */
		assert_int_equal(netset_match_all(ns, a, got, 1), nw);
		assert_int_equal(got[0], want[0]);
	}
}

static void
random_round(size_t nprefix, size_t naddr, int build, uint32_t nvalues)
{
	struct netset *ns = netset_new();
	struct ref *r = calloc(1, sizeof(*r));
	struct ft_addr a, e[4];
	size_t i, j;
	int v6;

	assert_non_null(ns);
	assert_non_null(r);
	for (i = 0; i < nprefix; i++) {
		struct ft_prefix p;
		uint32_t val = (uint32_t)(rng() % nvalues);

		random_prefix(&p, (int)(rng() % 2));
		assert_int_equal(netset_add(ns, &p, val), 0);
		ref_add(r, &p, val);
		if (rng() % 8 == 0) {
			/* Same prefix again with another value. */
			val = (uint32_t)(rng() % nvalues);
			assert_int_equal(netset_add(ns, &p, val), 0);
			ref_add(r, &p, val);
		}
	}
	assert_int_equal(netset_count(ns), r->n);
	if (build)
		assert_int_equal(netset_build(ns), 0);
	for (i = 0; i < naddr; i++) {
		v6 = (int)(rng() % 2);
		random_addr(&a, v6);
		compare(ns, r, &a);
	}
	/* Prefix edges and the addresses just outside. */
	for (i = 0; i < r->n && i < 300; i++) {
		edges(&r->p[i], e);
		for (j = 0; j < 4; j++)
			compare(ns, r, &e[j]);
	}
	netset_free(ns);
	free(r);
}

static void
test_netset_random_vs_reference(void **state)
{
	static const size_t sizes[] = { 1, 2, 3, 5, 8, 20, 50, 100, 300, 1000,
		3000 };
	size_t round;

	(void)state;
	rng_state = 0x2545f4914f6cdd1dULL;
	for (round = 0; round < 2 * 11; round++)
		random_round(
		    sizes[round / 2], 2000, 1, round % 2 ? 8 : 1000000);
	/* IPv6 networks no longer than /64 (a faster search path). */
	max_len6 = 64;
	for (round = 0; round < 2 * 10; round++)
		random_round(
		    sizes[round / 2], 1000, 1, round % 2 ? 8 : 1000000);
	max_len6 = 128;
}

static void
test_netset_random_unbuilt_vs_reference(void **state)
{
	size_t round;

	(void)state;
	rng_state = 0x9e3779b97f4a7c15ULL;
	for (round = 0; round < 10; round++)
		random_round(1 + round * 20, 500, 0, round % 2 ? 5 : 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_netset_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_netset_longest_prefix_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_netset_default_route, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_netset_v6_default_route, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_netset_host_routes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_netset_overlapping_all_matches, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_netset_same_prefix_several_values, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_netset_families_apart, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_netset_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_netset_add_after_build, setup, teardown),
		cmocka_unit_test(test_netset_random_vs_reference),
		cmocka_unit_test(test_netset_random_unbuilt_vs_reference),
	};
	return cmocka_run_group_tests_name("netset", tests, NULL, NULL);
}
