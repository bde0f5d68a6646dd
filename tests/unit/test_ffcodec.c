/*
 * The flow-file block payload codecs (lib/ffcodec.c): sparse planes with
 * LZ4 and zstd round trip for IPv4 and IPv6 record sizes, blocks of one
 * record to 4096, all planes constant, none constant, incompressible
 * blocks left to the caller as rows; the older zstd codecs decode; and
 * every malformed payload is refused with a reason, never read past.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <lz4.h>
#include <zstd.h>

#include "lib/ffcodec.h"
#include "lib/flowfile_fmt.h"

static uint8_t rows[FF_RAW_MAX], back[FF_RAW_MAX], planes[FF_RAW_MAX];
static uint8_t enc[FF_RAW_MAX * 2];

static uint32_t rs = 12345;

static uint32_t
rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 17;
	rs ^= rs << 5;
	return rs;
}

/*
 * n records of rl bytes: byte k is constant for k % 3 == 0, a slow count
 * for k % 3 == 1 and random over `spread` values otherwise.
 */
static void
fill(size_t n, size_t rl, unsigned spread)
{
	size_t i, k;

	for (i = 0; i < n; i++)
		for (k = 0; k < rl; k++)
			rows[i * rl + k] = k % 3 == 0 ? (uint8_t)k
			    : k % 3 == 1              ? (uint8_t)(i / 64)
					 : (uint8_t)(rnd() % spread);
}

static void
to_planes_ref(size_t n, size_t rl)
{
	size_t i, k;

	for (k = 0; k < rl; k++)
		for (i = 0; i < n; i++)
			planes[k * n + i] = rows[i * rl + k];
}

/* Encode rows with codec, decode, compare with the planes. */
static size_t
roundtrip(int codec, size_t n, size_t rl)
{
	struct ff_enc *e = ff_enc_new(codec, -1, FF_RAW_MAX);
	struct ff_dec *d = ff_dec_new();
	const char *why = NULL;
	size_t z;

	assert_non_null(e);
	assert_non_null(d);
	assert_int_equal(ff_enc_codec(e), codec);
	z = ff_enc_block(e, enc, rows, n, rl);
	if (z > 0) {
		assert_true(z < n * rl);
		assert_true(z <= ff_enc_bound(e));
		memset(back, 0xa5, sizeof(back));
		assert_int_equal(
		    ff_dec_block(d, codec, enc, z, back, n, rl, &why), 0);
		to_planes_ref(n, rl);
		assert_memory_equal(back, planes, n * rl);
	}
	ff_enc_free(e);
	ff_dec_free(d);
	return z;
}

static void
test_ffcodec_roundtrip(void **state)
{
	static const size_t ns[] = { 2, 15, 64, 100, 4031, 4032, 4096 };
	static const int codecs[] = { FF_CODEC_LZ4_SPARSE,
		FF_CODEC_ZSTD_SPARSE };
	size_t i, j;

	(void)state;
	for (j = 0; j < 2; j++)
		for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
			fill(ns[i], FF_REC_V4, 4);
			roundtrip(codecs[j], ns[i], FF_REC_V4);
			fill(ns[i], FF_REC_V6, 16);
			roundtrip(codecs[j], ns[i], FF_REC_V6);
		}
	/* Large blocks of this shape do compress. */
	fill(4032, FF_REC_V4, 4);
	assert_true(roundtrip(FF_CODEC_LZ4_SPARSE, 4032, FF_REC_V4) > 0);
	assert_true(roundtrip(FF_CODEC_ZSTD_SPARSE, 4032, FF_REC_V4) > 0);
}

/* Every plane constant: the payload is the map and the values alone. */
static void
test_ffcodec_all_constant(void **state)
{
	size_t n = 1000, rl = FF_REC_V4, i, z;

	(void)state;
	for (i = 0; i < n; i++) {
		memset(rows + i * rl, 7, rl);
		rows[i * rl + 5] = 9; /* planes of other values */
		rows[i * rl + 80] = 0;
	}
	z = roundtrip(FF_CODEC_LZ4_SPARSE, n, rl);
	assert_int_equal(z, (rl + 7) / 8 + rl);
	z = roundtrip(FF_CODEC_ZSTD_SPARSE, n, rl);
	assert_int_equal(z, (rl + 7) / 8 + rl);
	/* One record: the header is larger than the record, so rows. */
	assert_int_equal(roundtrip(FF_CODEC_LZ4_SPARSE, 1, rl), 0);
}

/* Random bytes do not compress: the caller stores rows. */
static void
test_ffcodec_incompressible(void **state)
{
	size_t i, n = 4032, rl = FF_REC_V4;

	(void)state;
	for (i = 0; i < n * rl; i++)
		rows[i] = (uint8_t)rnd();
	assert_int_equal(roundtrip(FF_CODEC_LZ4_SPARSE, n, rl), 0);
	assert_int_equal(roundtrip(FF_CODEC_ZSTD_SPARSE, n, rl), 0);
}

/* Codecs 1 and 2 (zstd of rows, of all planes) still decode. */
static void
test_ffcodec_old_zstd(void **state)
{
	struct ff_dec *d = ff_dec_new();
	size_t n = 500, rl = FF_REC_V4, z;
	const char *why;

	(void)state;
	fill(n, rl, 8);
	z = ZSTD_compress(enc, sizeof(enc), rows, n * rl, 3);
	assert_false(ZSTD_isError(z));
	assert_int_equal(
	    ff_dec_block(d, FF_CODEC_ZSTD_ROWS, enc, z, back, n, rl, &why), 0);
	assert_memory_equal(back, rows, n * rl);
	to_planes_ref(n, rl);
	z = ZSTD_compress(enc, sizeof(enc), planes, n * rl, 3);
	assert_int_equal(
	    ff_dec_block(d, FF_CODEC_ZSTD_PLANES, enc, z, back, n, rl, &why),
	    0);
	assert_memory_equal(back, planes, n * rl);
	/* A frame of the wrong size is refused. */
	assert_int_equal(
	    ff_dec_block(d, FF_CODEC_ZSTD_ROWS, enc, z, back, n - 1, rl, &why),
	    -1);
	assert_non_null(strstr(why, "zstd"));
	ff_dec_free(d);
}

/* Decode must fail with a reason naming the problem. */
static void
refused(int codec, const uint8_t *p, size_t len, size_t n, size_t rl,
    const char *want)
{
	struct ff_dec *d = ff_dec_new();
	const char *why = NULL;

	assert_int_equal(ff_dec_block(d, codec, p, len, back, n, rl, &why), -1);
	assert_non_null(why);
	if (strstr(why, want) == NULL)
		fail_msg("\"%s\" does not say %s", why, want);
	ff_dec_free(d);
}

static void
test_ffcodec_malformed(void **state)
{
	struct ff_enc *e = ff_enc_new(FF_CODEC_LZ4_SPARSE, 0, FF_RAW_MAX);
	size_t n = 2000, rl = FF_REC_V4, z, mlen = (rl + 7) / 8;
	uint8_t small[64];

	(void)state;
	fill(n, rl, 4);
	z = ff_enc_block(e, enc, rows, n, rl);
	assert_true(z > 0);
	refused(FF_CODEC_LZ4_SPARSE, enc, mlen - 1, n, rl, "map");
	refused(FF_CODEC_LZ4_SPARSE, enc, mlen + 3, n, rl, "values");
	/* The stream cut short, or decoded as zstd. */
	refused(FF_CODEC_LZ4_SPARSE, enc, z - 1, n, rl, "LZ4");
	refused(FF_CODEC_ZSTD_SPARSE, enc, z, n, rl, "zstd");
	/* A plane more or less marked constant: the sizes disagree. */
	enc[0] ^= 0x2;
	refused(FF_CODEC_LZ4_SPARSE, enc, z, n, rl, "LZ4");
	enc[0] ^= 0x2;
	/* The wrong record count for the stream. */
	refused(FF_CODEC_LZ4_SPARSE, enc, z, n + 1, rl, "LZ4");
	/* Unknown codecs and sizes. */
	refused(9, enc, z, n, rl, "unknown codec");
	refused(FF_CODEC_NONE, enc, z, n, rl, "unknown codec");
	refused(FF_CODEC_LZ4_SPARSE, enc, z, 0, rl, "empty");
	refused(FF_CODEC_LZ4_SPARSE, enc, z, n, FF_REC_MAX + 1, "record size");
	/* rl = 10: two map bytes, bits past plane 9 must be clear. */
	memset(small, 0, sizeof(small));
	small[1] = 0x04; /* plane 10 */
	refused(FF_CODEC_LZ4_SPARSE, small, sizeof(small), 4, 10, "past");
	/* All ten planes constant, then bytes that should not be there. */
	small[0] = 0xff;
	small[1] = 0x03;
	refused(FF_CODEC_LZ4_SPARSE, small, 2 + 10 + 1, 4, 10, "after");
	ff_enc_free(e);
}

static void
test_ffcodec_bad_encoder(void **state)
{
	(void)state;
	errno = 0;
	assert_null(ff_enc_new(FF_CODEC_ZSTD_PLANES, 1, FF_RAW_MAX));
	assert_int_equal(errno, EINVAL);
	assert_null(ff_enc_new(FF_CODEC_LZ4_SPARSE, 1, 0));
	assert_true(ff_stored_max(FF_RAW_MAX) > FF_RAW_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ffcodec_roundtrip),
		cmocka_unit_test(test_ffcodec_all_constant),
		cmocka_unit_test(test_ffcodec_incompressible),
		cmocka_unit_test(test_ffcodec_old_zstd),
		cmocka_unit_test(test_ffcodec_malformed),
		cmocka_unit_test(test_ffcodec_bad_encoder),
	};

	return cmocka_run_group_tests_name("ffcodec", tests, NULL, NULL);
}
