/*
 * The compiled record path (nfrecord.c: fixed-layout templates decoded
 * through per-field actions, 8-byte loads when the set has room) against
 * the field-by-field path: the same fields and bytes, once in a fixed
 * template and once with a trailing variable-length field (which forces
 * field-by-field decoding), must give identical flows, for every field
 * the compiled path handles, at every reduced size, for records in the
 * middle and at the end of a set.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/nfdecode.h"
#include "nf_testutil.h"

#define SECS 1700000000u

static struct nft_out out_fast, out_slow;
static uint32_t rs = 12345;

static uint8_t
rnd8(void)
{
	rs = rs * 1103515245u + 12345u;
	return (uint8_t)(rs >> 16);
}

/* Template tid from fields tl[0..n) (plus a variable-length field when
 * slow), then nrec records of random bytes (the same for both). */
static void
decode_set(struct nf_session *s, uint16_t tid, const uint16_t *tl, size_t n,
    int slow, const uint8_t *data, size_t rec_len, size_t nrec,
    struct nft_out *o)
{
	struct nf_packet_info info;
	struct nft_pkt p;
	size_t i;

	nft_pkt_ipfix(&p, SECS, 0, 1);
	nft_set_begin(&p, 2);
	wbuf_u16(&p.w, tid);
	wbuf_u16(&p.w, (uint16_t)(n + (slow ? 1 : 0)));
	nft_fields(&p, tl, n);
	if (slow) {
		wbuf_u16(&p.w, 82); /* interfaceName */
		wbuf_u16(&p.w, 0xffff);
	}
	nft_set_end(&p, 1);
	nft_set_begin(&p, tid);
	for (i = 0; i < nrec; i++) {
		wbuf_bytes(&p.w, data + i * rec_len, rec_len);
		if (slow)
			wbuf_u8(&p.w, 0); /* an empty name */
	}
	nft_set_end(&p, 1);
	o->n = 0;
	assert_int_equal(nft_decode(s, &p, o, &info), NF_OK);
	assert_int_equal(o->n, nrec);
}

static void
compare(const uint16_t *tl, size_t n)
{
	struct nf_session *s = nf_session_new(NULL);
	uint8_t data[16 * 512];
	size_t rec_len = 0, i, nrec, k, j;

	assert_non_null(s);
	for (i = 0; i < n; i++)
		rec_len += tl[2 * i + 1];
	assert_true(rec_len <= 512);
	/* 1 record (never room for a wide load), 2, and 16. */
	for (j = 0; j < 3; j++) {
		nrec = j == 0 ? 1 : j == 1 ? 2 : 16;
		for (k = 0; k < nrec * rec_len; k++)
			data[k] = rnd8();
		decode_set(s, 400, tl, n, 0, data, rec_len, nrec, &out_fast);
		decode_set(s, 401, tl, n, 1, data, rec_len, nrec, &out_slow);
		for (k = 0; k < nrec; k++) {
			nft_assert_flow_equal(&out_fast.f[k], &out_slow.f[k]);
			assert_true(ft_addr_equal(
			    &out_fast.f[k].exporter, &out_slow.f[k].exporter));
		}
	}
	nf_session_free(s);
}

static void
test_ops_v4_common(void **state)
{
	static const uint16_t tl[] = { 8, 4, 12, 4, 15, 4, 7, 2, 11, 2, 4, 1, 5,
		1, 6, 1, 9, 1, 13, 1, 10, 4, 14, 4, 16, 4, 17, 4, 1, 8, 2, 8,
		152, 8, 153, 8, 61, 1 };

	(void)state;
	compare(tl, sizeof(tl) / sizeof(tl[0]) / 2);
}

static void
test_ops_reduced_and_uptime(void **state)
{
	static const uint16_t tl[] = { 1, 3, 2, 5, 10, 2, 14, 2, 16, 2, 17, 2,
		22, 4, 21, 4, 8, 4, 12, 4, 18, 4, 7, 2, 11, 2, 4, 1, 58, 2, 32,
		2, 1, 7, 2, 6, 10, 3, 4, 2, 7, 4, 61, 2 };

	(void)state;
	compare(tl, sizeof(tl) / sizeof(tl[0]) / 2);
}

static void
test_ops_v6_totals_and_others(void **state)
{
	static const uint16_t tl[] = { 27, 16, 28, 16, 62, 16, 63, 16, 29, 1,
		30, 1, 85, 7, 86, 6, 23, 4, 24, 4, 231, 8, 298, 8, 150, 4, 151,
		4, 4, 1, 8, 2, 12, 4, 15, 4, 34, 4, 48, 1, 243, 2, 176, 1, 177,
		1, 180, 2, 181, 2, 161, 4, 154, 8 };

	(void)state;
	compare(tl, sizeof(tl) / sizeof(tl[0]) / 2);
}

static void
test_ops_odd_sizes_everywhere(void **state)
{
	/* Every size 1..8 for the counters, ports, interfaces and AS. */
	uint16_t tl[2 * 40];
	static const uint16_t types[] = { 1, 2, 7, 11, 10, 14, 16, 17, 5 };
	size_t n = 0, t, len;

	(void)state;
	for (t = 0; t < sizeof(types) / sizeof(types[0]); t += 2) {
		n = 0;
		for (len = 1; len <= 8; len++) {
			tl[2 * n] = types[t];
			tl[2 * n + 1] = (uint16_t)len;
			n++;
			if (t + 1 < sizeof(types) / sizeof(types[0])) {
				tl[2 * n] = types[t + 1];
				tl[2 * n + 1] = (uint16_t)(9 - len);
				n++;
			}
		}
		compare(tl, n);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ops_v4_common),
		cmocka_unit_test(test_ops_reduced_and_uptime),
		cmocka_unit_test(test_ops_v6_totals_and_others),
		cmocka_unit_test(test_ops_odd_sizes_everywhere),
	};

	return cmocka_run_group_tests_name("nfrecord_ops", tests, NULL, NULL);
}
