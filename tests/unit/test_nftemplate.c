/*
 * The template cache on its own: field checks and record lengths, lookup
 * keyed by (exporter, id), copies of the fields, redefinition in place,
 * least-recently-used eviction at the limit, withdrawal of one template,
 * of one kind and of a whole exporter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/nfstate.h"
#include "lib/nftemplate.h"

/* Two exporters: the cache only compares their addresses. */
static struct nf_exporter exa, exb;

static const struct nft_field f3[] = {
	{ 0, 8, 4 },
	{ 0, 12, 4 },
	{ 0, 2, 8 },
};

static int
setup(void **state)
{
	struct nft_cache *c = calloc(1, sizeof(*c));

	if (c == NULL || nft_cache_init(c, 4) == -1) {
		free(c);
		return -1;
	}
	*state = c;
	return 0;
}

static int
teardown(void **state)
{
	struct nft_cache *c = *state;

	nft_cache_clear(c);
	free(c);
	return 0;
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

static struct nft_template *
ins(struct nft_cache *c, struct nf_exporter *e, uint16_t id, bool options)
{
	return nft_insert(c, e, id, options, options ? 1 : 0, f3, 3);
}

static void
test_check_lengths(void **state)
{
	struct nft_field f[NFT_MAX_FIELDS + 1];
	uint32_t min = 77;
	bool var = true;
	size_t i;

	(void)state;
	assert_int_equal(nft_check(f3, 3, &min, &var), 0);
	assert_int_equal(min, 16);
	assert_false(var);
	/* A variable-length field counts one byte (its length prefix). */
	memset(f, 0, sizeof(f));
	f[0] = (struct nft_field){ 0, 8, 4 };
	f[1] = (struct nft_field){ 0, 82, NFT_VARLEN };
	assert_int_equal(nft_check(f, 2, &min, &var), 0);
	assert_int_equal(min, 5);
	assert_true(var);
	/* No fields, too many, nothing to read, longer than a datagram. */
	min = 77;
	assert_int_equal(nft_check(f, 0, &min, &var), -1);
	assert_int_equal(min, 77);
	for (i = 0; i < NFT_MAX_FIELDS + 1; i++)
		f[i] = (struct nft_field){ 0, 1, 1 };
	assert_int_equal(nft_check(f, NFT_MAX_FIELDS, &min, &var), 0);
	assert_int_equal(min, NFT_MAX_FIELDS);
	assert_int_equal(nft_check(f, NFT_MAX_FIELDS + 1, &min, &var), -1);
	f[0].len = f[1].len = 0;
	assert_int_equal(nft_check(f, 2, &min, &var), -1);
	f[0].len = 65000 - 4;
	f[1].len = 4;
	assert_int_equal(nft_check(f, 2, &min, &var), 0);
	assert_int_equal(min, NFT_MAX_RECLEN);
	f[1].len = 5;
	assert_int_equal(nft_check(f, 2, &min, &var), -1);
}

static void
test_insert_lookup_copies(void **state)
{
	struct nft_cache *c = *state;
	struct nft_field f[3];
	struct nft_template *t;

	memcpy(f, f3, sizeof(f));
	t = nft_insert(c, &exa, 256, false, 0, f, 3);
	assert_non_null(t);
	assert_ptr_equal(t->exp, &exa);
	assert_int_equal(t->id, 256);
	assert_int_equal(t->nfields, 3);
	assert_int_equal(t->min_len, 16);
	assert_false(t->varlen);
	assert_false(t->options);
	assert_null(t->ops);
	/* The fields were copied: changing the caller's array changes none. */
	f[0].type = 99;
	assert_ptr_not_equal(t->fields, f);
	assert_int_equal(t->fields[0].type, 8);
	assert_ptr_equal(nft_lookup(c, &exa, 256), t);
	assert_int_equal(c->count, 1);
	/* Keyed by exporter and id. */
	assert_null(nft_lookup(c, &exb, 256));
	assert_null(nft_lookup(c, &exa, 257));
	assert_non_null(ins(c, &exb, 256, true));
	assert_ptr_equal(nft_lookup(c, &exa, 256), t);
	assert_true(nft_lookup(c, &exb, 256)->options);
	assert_int_equal(nft_lookup(c, &exb, 256)->nscope, 1);
	assert_int_equal(c->count, 2);
}

static void
test_insert_invalid(void **state)
{
	struct nft_cache *c = *state;
	struct nft_field zero[1] = { { 0, 8, 0 } };
	struct nft_template *t;

	errno = 0;
	assert_null(nft_insert(c, &exa, 256, false, 0, f3, 0));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(nft_insert(c, &exa, 256, false, 0, zero, 1));
	assert_int_equal(errno, EINVAL);
	/* More scope fields than fields. */
	errno = 0;
	assert_null(nft_insert(c, &exa, 256, true, 4, f3, 3));
	assert_int_equal(errno, EINVAL);
	assert_non_null(nft_insert(c, &exa, 256, true, 3, f3, 3));
	assert_int_equal(c->count, 1);
	/* A bad redefinition leaves the known template as it was. */
	assert_null(nft_insert(c, &exa, 256, false, 0, zero, 1));
	t = nft_lookup(c, &exa, 256);
	assert_non_null(t);
	assert_int_equal(t->nfields, 3);
	assert_true(t->options);
	assert_int_equal(c->count, 1);
}

static void
test_redefine_in_place(void **state)
{
	struct nft_cache *c = *state;
	struct nft_field var[2] = { { 0, 8, 4 }, { 9, 100, NFT_VARLEN } };
	struct nft_template *t, *u;

	t = ins(c, &exa, 300, false);
	assert_non_null(t);
	/* Compiled ops of the old layout must go with it. */
	t->ops = calloc(1, sizeof(*t->ops));
	assert_non_null(t->ops);
	t->nops = 1;
	u = nft_insert(c, &exa, 300, true, 1, var, 2);
	assert_ptr_equal(u, t);
	assert_null(u->ops);
	assert_int_equal(u->nops, 0);
	assert_int_equal(u->nfields, 2);
	assert_int_equal(u->fields[1].pen, 9);
	assert_int_equal(u->fields[1].len, NFT_VARLEN);
	assert_true(u->varlen);
	assert_int_equal(u->min_len, 5);
	assert_true(u->options);
	assert_int_equal(u->nscope, 1);
	assert_int_equal(c->count, 1);
	assert_int_equal(c->evicted, 0);
}

static void
test_evict_lru(void **state)
{
	struct nft_cache *c = *state;

	/* The cache holds 4: 1..4, then 1 is used again. */
	assert_non_null(ins(c, &exa, 1, false));
	assert_non_null(ins(c, &exa, 2, false));
	assert_non_null(ins(c, &exb, 3, false));
	assert_non_null(ins(c, &exb, 4, false));
	assert_non_null(nft_lookup(c, &exa, 1));
	/* Redefining 2 makes it recently used too, evicting nothing. */
	assert_non_null(ins(c, &exa, 2, true));
	assert_int_equal(c->evicted, 0);
	/* 3 is now the least recently used. */
	assert_non_null(ins(c, &exa, 5, false));
	assert_int_equal(c->count, 4);
	assert_int_equal(c->evicted, 1);
	assert_null(nft_lookup(c, &exb, 3));
	assert_non_null(ins(c, &exa, 6, false));
	assert_int_equal(c->evicted, 2);
	assert_null(nft_lookup(c, &exb, 4));
	assert_non_null(nft_lookup(c, &exa, 1));
	assert_non_null(nft_lookup(c, &exa, 2));
	assert_non_null(nft_lookup(c, &exa, 5));
	assert_non_null(nft_lookup(c, &exa, 6));
	assert_int_equal(c->count, 4);
}

static void
test_withdraw(void **state)
{
	struct nft_cache *c = *state;

	assert_non_null(ins(c, &exa, 256, false));
	assert_non_null(ins(c, &exa, 257, true));
	assert_int_equal(nft_withdraw(c, &exb, 256), -1);
	assert_int_equal(nft_withdraw(c, &exa, 258), -1);
	assert_int_equal(nft_withdraw(c, &exa, 256), 0);
	assert_null(nft_lookup(c, &exa, 256));
	assert_int_equal(nft_withdraw(c, &exa, 256), -1);
	assert_int_equal(c->count, 1);
	/* Withdrawn is not evicted; the slot is free again. */
	assert_non_null(ins(c, &exa, 256, false));
	assert_int_equal(c->evicted, 0);
	assert_int_equal(c->count, 2);
}

static void
test_withdraw_all_kinds(void **state)
{
	struct nft_cache *c = *state;

	assert_non_null(ins(c, &exa, 256, false));
	assert_non_null(ins(c, &exa, 257, false));
	assert_non_null(ins(c, &exa, 258, true));
	assert_non_null(ins(c, &exb, 256, false));
	nft_withdraw_all(c, &exa, 0);
	assert_null(nft_lookup(c, &exa, 256));
	assert_null(nft_lookup(c, &exa, 257));
	assert_non_null(nft_lookup(c, &exa, 258));
	assert_non_null(nft_lookup(c, &exb, 256));
	assert_int_equal(c->count, 2);
	assert_non_null(ins(c, &exa, 256, false));
	nft_withdraw_all(c, &exa, 1);
	assert_null(nft_lookup(c, &exa, 258));
	assert_non_null(nft_lookup(c, &exa, 256));
	assert_int_equal(c->count, 2);
	assert_non_null(ins(c, &exa, 258, true));
	nft_withdraw_all(c, &exa, -1);
	assert_null(nft_lookup(c, &exa, 256));
	assert_null(nft_lookup(c, &exa, 258));
	assert_non_null(nft_lookup(c, &exb, 256));
	assert_int_equal(c->count, 1);
	nft_drop_exporter(c, &exb);
	assert_int_equal(c->count, 0);
	assert_true(TAILQ_EMPTY(&c->lru));
	assert_int_equal(c->evicted, 0);
}

/* Many templates in one cache: every one found, none lost to the hash. */
static void
test_many(void **state)
{
	struct nft_cache c;
	unsigned i;

	(void)state;
	assert_int_equal(nft_cache_init(&c, 3000), 0);
	assert_true(c.nbuckets >= 6000);
	assert_int_equal(c.nbuckets & (c.nbuckets - 1), 0);
	for (i = 0; i < 3000; i++)
		assert_non_null(
		    ins(&c, i % 2 ? &exa : &exb, (uint16_t)i, i % 3 == 0));
	assert_int_equal(c.count, 3000);
	for (i = 0; i < 3000; i++) {
		struct nft_template *t =
		    nft_lookup(&c, i % 2 ? &exa : &exb, (uint16_t)i);

		assert_non_null(t);
		assert_int_equal(t->id, i);
		assert_int_equal(t->options, i % 3 == 0);
	}
	for (i = 0; i < 3000; i += 2)
		assert_int_equal(nft_withdraw(&c, &exb, (uint16_t)i), 0);
	assert_int_equal(c.count, 1500);
	nft_drop_exporter(&c, &exa);
	assert_int_equal(c.count, 0);
	assert_int_equal(c.evicted, 0);
	nft_cache_clear(&c);
	assert_null(c.buckets);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_lengths),
		T(test_insert_lookup_copies),
		T(test_insert_invalid),
		T(test_redefine_in_place),
		T(test_evict_lru),
		T(test_withdraw),
		T(test_withdraw_all_kinds),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests_name("nftemplate", tests, NULL, NULL);
}
