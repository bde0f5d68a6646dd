/*
 * NetFlow v5: encode->decode round trips of every field and header field,
 * exactly 30 records per datagram, IPv6 skipped, and hostile datagrams.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/buf.h"
#include "lib/netflow5.h"
#include "lib/nfdecode.h"
#include "lib/nfencode.h"
#include "nf_testutil.h"

#define ENGINE 0x0102 /* engine type 1, id 2 */

static void
test_nf5_roundtrip_all_fields(void **state)
{
	struct nft_fix *t = *state;
	struct flow flows[40];
	struct nf_encoder *e = nft_encoder(5, ENGINE, 0, 0);
	uint8_t buf[2000];
	size_t consumed, skipped, i;
	ssize_t len;

	for (i = 0; i < 40; i++)
		nft_make_flow(&flows[i], (unsigned)i, 0);
	len = nf_encoder_pack(
	    e, flows, 40, NFT_NOW_MS, buf, sizeof(buf), &consumed, &skipped);
	assert_int_equal(len, NF5_HDR_LEN + 30 * NF5_REC_LEN);
	assert_int_equal(consumed, 30);
	assert_int_equal(skipped, 0);
	t->out.n = 0;
	assert_int_equal(nft_decode_buf(t->s, buf, (size_t)len, NFT_NOW_MS,
			     &t->out, &t->info),
	    NF_OK);
	assert_int_equal(t->out.n, 30);
	assert_int_equal(t->info.version, 5);
	assert_int_equal(t->info.records, 30);
	assert_int_equal(t->info.seq_flows, 30);
	assert_int_equal(t->info.sequence, 0);
	assert_int_equal(t->info.domain, ENGINE);
	assert_int_equal(t->info.export_ms, NFT_NOW_MS);
	assert_int_equal(t->info.sys_uptime, 3600000);
	assert_int_equal(t->info.sampling, 0);
	for (i = 0; i < 30; i++) {
		nft_assert_flow_equal(&t->out.f[i], &flows[i]);
		assert_int_equal(t->out.f[i].exporter.family, FT_AF_INET);
		assert_int_equal(t->out.f[i].exporter.v4, 0x7f000001);
	}
	/* The rest, with the sequence counting flows. */
	len = nf_encoder_pack(e, flows + 30, 10, NFT_NOW_MS, buf, sizeof(buf),
	    &consumed, &skipped);
	assert_int_equal(consumed, 10);
	t->out.n = 0;
	assert_int_equal(
	    nft_fix_decode_raw(t, buf, (size_t)len, NFT_NOW_MS), NF_OK);
	assert_int_equal(t->info.sequence, 30);
	assert_int_equal(t->out.n, 10);
	nft_assert_flow_equal(&t->out.f[9], &flows[39]);
	nf_encoder_free(e);
}

static void
test_nf5_sampling_and_v6_skipped(void **state)
{
	struct nft_fix *t = *state;
	struct flow flows[3];
	struct nf_encoder *e = nft_encoder(5, ENGINE, 100, 0);
	uint8_t buf[2000];
	size_t consumed, skipped;
	ssize_t len;

	nft_make_flow(&flows[0], 1, 1);
	nft_make_flow(&flows[1], 2, 0);
	nft_make_flow(&flows[2], 3, 1);
	len = nf_encoder_pack(
	    e, flows, 3, NFT_NOW_MS, buf, sizeof(buf), &consumed, &skipped);
	assert_int_equal(consumed, 3);
	assert_int_equal(skipped, 2);
	assert_int_equal(len, NF5_HDR_LEN + NF5_REC_LEN);
	t->out.n = 0;
	assert_int_equal(
	    nft_fix_decode_raw(t, buf, (size_t)len, NFT_NOW_MS), NF_OK);
	assert_int_equal(t->out.n, 1);
	assert_int_equal(t->info.sampling, 100);
	assert_int_equal(t->out.f[0].sampling, 100);
	assert_int_equal(t->out.f[0].bytes, flows[1].bytes); /* unscaled */
	/* Only IPv6: nothing to send. */
	len = nf_encoder_pack(
	    e, flows, 1, NFT_NOW_MS, buf, sizeof(buf), &consumed, &skipped);
	assert_int_equal(len, 0);
	assert_int_equal(consumed, 1);
	assert_int_equal(skipped, 1);
	nf_encoder_free(e);
}

static void
test_nf5_saturation(void **state)
{
	struct nft_fix *t = *state;
	struct flow f;
	struct nf_encoder *e = nft_encoder(5, ENGINE, 0, 0);
	uint8_t buf[200];
	size_t consumed, skipped;
	ssize_t len;

	nft_make_flow(&f, 1, 0);
	f.bytes = 1ull << 40;
	f.src_as = 4200000000u;
	f.in_if = 70000;
	len = nf_encoder_pack(
	    e, &f, 1, NFT_NOW_MS, buf, sizeof(buf), &consumed, &skipped);
	assert_true(len > 0);
	t->out.n = 0;
	assert_int_equal(
	    nft_fix_decode_raw(t, buf, (size_t)len, NFT_NOW_MS), NF_OK);
	assert_int_equal(t->out.f[0].bytes, UINT32_MAX);
	assert_int_equal(t->out.f[0].src_as, 23456);
	assert_int_equal(t->out.f[0].in_if, 65535);
	nf_encoder_free(e);
}

/* A v5 header with count records of zeros after it. */
static size_t
make_v5(uint8_t *buf, size_t cap, uint16_t version, uint16_t count, size_t nrec,
    uint32_t uptime, uint32_t first)
{
	struct wbuf w;
	size_t i;

	wbuf_init(&w, buf, cap);
	wbuf_u16(&w, version);
	wbuf_u16(&w, count);
	wbuf_u32(&w, uptime);
	wbuf_u32(&w, 1430000000);
	wbuf_u32(&w, 0);
	wbuf_u32(&w, 7);
	wbuf_u32(&w, 0);
	for (i = 0; i < nrec; i++) {
		wbuf_zero(&w, 24);
		wbuf_u32(&w, first);
		wbuf_u32(&w, first);
		wbuf_zero(&w, 16);
	}
	return w.off;
}

static void
test_nf5_hostile(void **state)
{
	struct nft_fix *t = *state;
	uint8_t buf[2000];
	size_t len;

	/* Count larger than the datagram. */
	len = make_v5(buf, sizeof(buf), 5, 10, 2, 1000, 500);
	t->out.n = 0;
	assert_int_equal(nft_fix_decode_raw(t, buf, len, 0), NF_ERR_LENGTH);
	assert_int_equal(t->out.n, 0);
	/* Datagram longer than the count says: trailing bytes ignored. */
	len = make_v5(buf, sizeof(buf), 5, 1, 2, 1000, 500);
	assert_int_equal(nft_fix_decode_raw(t, buf, len, 0), NF_OK);
	assert_int_equal(t->out.n, 1);
	assert_int_equal(t->info.trailing, 48);
	t->out.n = 0;
	/* Zero and 31 records. */
	len = make_v5(buf, sizeof(buf), 5, 0, 0, 1000, 500);
	assert_int_equal(nft_fix_decode_raw(t, buf, len, 0), NF_ERR_COUNT);
	len = make_v5(buf, sizeof(buf), 5, 31, 31, 1000, 500);
	assert_int_equal(nft_fix_decode_raw(t, buf, len, 0), NF_ERR_COUNT);
	/* Truncated header, empty, wrong version. */
	len = make_v5(buf, sizeof(buf), 5, 1, 1, 1000, 500);
	assert_int_equal(nft_fix_decode_raw(t, buf, 23, 0), NF_ERR_SHORT);
	assert_int_equal(nft_fix_decode_raw(t, buf, 0, 0), NF_ERR_SHORT);
	assert_int_equal(nft_fix_decode_raw(t, buf, len - 1, 0), NF_ERR_LENGTH);
	len = make_v5(buf, sizeof(buf), 7, 1, 1, 1000, 500);
	assert_int_equal(nft_fix_decode_raw(t, buf, len, 0), NF_ERR_VERSION);
	assert_int_equal(t->out.n, 0);
	assert_string_equal(nf_strerror(NF_ERR_COUNT), "bad v5 record count");
}

static void
test_nf5_uptime_wrap(void **state)
{
	struct nft_fix *t = *state;
	uint8_t buf[200];
	size_t len;

	/* First just before the uptime wrapped, export just after it. */
	len = make_v5(buf, sizeof(buf), 5, 1, 1, 1000, 0xffffff00u);
	t->out.n = 0;
	assert_int_equal(nft_fix_decode_raw(t, buf, len, 0), NF_OK);
	assert_int_equal(t->out.f[0].first_ms, 1430000000000ull - 1256);
	/* First slightly after the export: in the future, kept there. */
	len = make_v5(buf, sizeof(buf), 5, 1, 1, 1000, 3000);
	t->out.n = 0;
	assert_int_equal(nft_fix_decode_raw(t, buf, len, 0), NF_OK);
	assert_int_equal(t->out.f[0].first_ms, 1430000002000ull);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		NFT_TEST(test_nf5_roundtrip_all_fields),
		NFT_TEST(test_nf5_sampling_and_v6_skipped),
		NFT_TEST(test_nf5_saturation),
		NFT_TEST(test_nf5_hostile),
		NFT_TEST(test_nf5_uptime_wrap),
	};

	return cmocka_run_group_tests_name("netflow5", tests, NULL, NULL);
}
