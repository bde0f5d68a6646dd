/*
 * Flow-file block payload codecs: rows to byte planes, the planes that
 * hold one value throughout the block elided to that value (a map and the
 * values first), the others compressed with zstd or LZ4; and back. On
 * real traffic most planes of a block are constant (high bytes of
 * counters, times and AS numbers, masks, families, padding), and
 * compressing them was a third of the compressor's time for nothing.
 */
#include "lib/ffcodec.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <lz4.h>
#include <zstd.h>

#include "lib/flowfile_fmt.h"

struct ff_enc {
	int codec;
	int level;
	size_t max_raw;
	uint8_t *planes; /* the block's planes, varying ones moved first */
	ZSTD_CCtx *cctx;
	void *lz4; /* LZ4_sizeofState() bytes */
};

struct ff_dec {
	ZSTD_DCtx *dctx;
};

static size_t
ff_max(size_t a, size_t b)
{
	return a > b ? a : b;
}

size_t
ff_stored_max(size_t max_raw)
{
	return FF_SPARSE_HDR_MAX(FF_REC_MAX) +
	    ff_max(ZSTD_compressBound(max_raw),
		(size_t)LZ4_COMPRESSBOUND(max_raw));
}

struct ff_enc *
ff_enc_new(int codec, int level, size_t max_raw)
{
	struct ff_enc *e;

	if ((codec != FF_CODEC_ZSTD_SPARSE && codec != FF_CODEC_LZ4_SPARSE) ||
	    max_raw == 0 || max_raw > (size_t)LZ4_MAX_INPUT_SIZE) {
		errno = EINVAL;
		return NULL;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->codec = codec;
	e->level = level;
	e->max_raw = max_raw;
	if ((e->planes = malloc(max_raw)) == NULL)
		goto fail;
	if (codec == FF_CODEC_ZSTD_SPARSE)
		e->cctx = ZSTD_createCCtx();
	else
		e->lz4 = malloc((size_t)LZ4_sizeofState());
	if (e->cctx == NULL && e->lz4 == NULL)
		goto fail;
	return e;
fail:
	ff_enc_free(e);
	errno = ENOMEM;
	return NULL;
}

void
ff_enc_free(struct ff_enc *e)
{
	if (e == NULL)
		return;
	ZSTD_freeCCtx(e->cctx);
	free(e->lz4);
	free(e->planes);
	free(e);
}

size_t
ff_enc_bound(const struct ff_enc *e)
{
	return ff_stored_max(e->max_raw);
}

int
ff_enc_codec(const struct ff_enc *e)
{
	return e->codec;
}

/* Whether the n bytes at p (n >= 1) all equal p[0]. */
static bool
ff_plane_const(const uint8_t *p, size_t n)
{
	size_t i = 0;

#ifdef __SSE2__
	const __m128i v = _mm_set1_epi8((char)p[0]);

	for (; i + 32 <= n; i += 32) {
		__m128i a = _mm_cmpeq_epi8(
			    _mm_loadu_si128((const __m128i *)(p + i)), v),
			b = _mm_cmpeq_epi8(
			    _mm_loadu_si128((const __m128i *)(p + i + 16)), v);

		if (_mm_movemask_epi8(_mm_and_si128(a, b)) != 0xffff)
			return false;
	}
#else
	const uint64_t v = 0x0101010101010101ull * p[0];

	for (; i + 8 <= n; i += 8)
		if (le64(p + i) != v)
			return false;
#endif
	for (; i < n; i++)
		if (p[i] != p[0])
			return false;
	return true;
}

/*
 * The sparse-planes header of the rl planes of n bytes at planes into
 * hdr (map, then the constant planes' values); the varying planes are
 * moved to the front of planes, in order. Returns the header's length
 * with *nvary the number of varying planes.
 */
static size_t
ff_sparse_pack(
    uint8_t *hdr, uint8_t *planes, size_t n, size_t rl, size_t *nvary)
{
	size_t mlen = (rl + 7) / 8, nv = 0, nc = 0, k;
	uint8_t *p;

	memset(hdr, 0, mlen);
	for (k = 0; k < rl; k++) {
		p = planes + k * n;
		if (ff_plane_const(p, n)) {
			hdr[k / 8] |= (uint8_t)(1u << (k % 8));
			hdr[mlen + nc++] = p[0];
		} else {
			if (nv != k)
				memcpy(planes + nv * n, p, n);
			nv++;
		}
	}
	*nvary = nv;
	return mlen + nc;
}

size_t
ff_enc_block(
    struct ff_enc *e, uint8_t *dst, const uint8_t *rows, size_t n, size_t rl)
{
	size_t raw = n * rl, hlen, nv, z = 0, cap = ff_enc_bound(e);
	int l;

	if (n == 0 || rl == 0 || rl > FF_REC_MAX || raw > e->max_raw)
		return 0;
	ff_to_planes(e->planes, rows, n, rl);
	hlen = ff_sparse_pack(dst, e->planes, n, rl, &nv);
	if (nv > 0 && e->codec == FF_CODEC_ZSTD_SPARSE) {
		z = ZSTD_compressCCtx(e->cctx, dst + hlen, cap - hlen,
		    e->planes, nv * n, e->level);
		if (ZSTD_isError(z))
			return 0;
	} else if (nv > 0) {
		l = LZ4_compress_fast_extState(e->lz4, (const char *)e->planes,
		    (char *)dst + hlen, (int)(nv * n), (int)(cap - hlen), 1);
		if (l <= 0)
			return 0;
		z = (size_t)l;
	}
	return hlen + z < raw ? hlen + z : 0;
}

struct ff_dec *
ff_dec_new(void)
{
	struct ff_dec *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	if ((d->dctx = ZSTD_createDCtx()) == NULL) {
		free(d);
		errno = ENOMEM;
		return NULL;
	}
	return d;
}

void
ff_dec_free(struct ff_dec *d)
{
	if (d == NULL)
		return;
	ZSTD_freeDCtx(d->dctx);
	free(d);
}

/* zstd of src into exactly want bytes at out: 0 or -1. */
static int
ff_unzstd(
    struct ff_dec *d, uint8_t *out, size_t want, const uint8_t *src, size_t len)
{
	size_t z = ZSTD_decompressDCtx(d->dctx, out, want, src, len);

	return ZSTD_isError(z) || z != want ? -1 : 0;
}

/*
 * Planes from a sparse-planes payload whose varying planes have been
 * decompressed to the front of out: moved to their places from the last
 * one back (a place is never below where its plane lies now), and the
 * constant planes filled in.
 */
static void
ff_sparse_expand(uint8_t *out, size_t n, size_t rl, const uint8_t *map,
    const uint8_t *vals, size_t nc, size_t nv)
{
	size_t k = rl;

	while (k-- > 0) {
		if (map[k / 8] & (1u << (k % 8)))
			memset(out + k * n, vals[--nc], n);
		else if (--nv != k)
			memmove(out + k * n, out + nv * n, n);
	}
}

static int
ff_dec_sparse(struct ff_dec *d, int codec, const uint8_t *src, size_t len,
    uint8_t *out, size_t n, size_t rl, const char **why)
{
	size_t mlen = (rl + 7) / 8, nc = 0, nv, zlen, k;
	const uint8_t *z;

	if (len < mlen) {
		*why = "a sparse-planes header shorter than its map";
		return -1;
	}
	for (k = 0; k < mlen * 8; k++)
		if (src[k / 8] & (1u << (k % 8))) {
			if (k >= rl) {
				*why = "a sparse-planes map naming planes past "
				       "the record";
				return -1;
			}
			nc++;
		}
	if (len - mlen < nc) {
		*why = "a sparse-planes header shorter than its values";
		return -1;
	}
	nv = rl - nc;
	z = src + mlen + nc;
	zlen = len - mlen - nc;
	if (nv == 0 && zlen != 0) {
		*why = "data after a sparse-planes block of constant planes";
		return -1;
	}
	if (nv > 0 && codec == FF_CODEC_ZSTD_SPARSE &&
	    ff_unzstd(d, out, nv * n, z, zlen) == -1) {
		*why = "a zstd stream that does not decompress to its planes";
		return -1;
	}
	if (nv > 0 && codec == FF_CODEC_LZ4_SPARSE &&
	    (zlen > (size_t)LZ4_MAX_INPUT_SIZE ||
		LZ4_decompress_safe((const char *)z, (char *)out, (int)zlen,
		    (int)(nv * n)) != (int)(nv * n))) {
		*why = "an LZ4 block that does not decompress to its planes";
		return -1;
	}
	ff_sparse_expand(out, n, rl, src, src + mlen, nc, nv);
	return 0;
}

int
ff_dec_block(struct ff_dec *d, int codec, const uint8_t *src, size_t len,
    uint8_t *out, size_t n, size_t rl, const char **why)
{
	if (n == 0 || rl == 0 || rl > FF_REC_MAX) {
		*why = "an empty block or an unknown record size";
		return -1;
	}
	switch (codec) {
	case FF_CODEC_ZSTD_ROWS:
	case FF_CODEC_ZSTD_PLANES:
		if (ff_unzstd(d, out, n * rl, src, len) == -1) {
			*why = "a zstd frame that does not decompress to its "
			       "records";
			return -1;
		}
		return 0;
	case FF_CODEC_ZSTD_SPARSE:
	case FF_CODEC_LZ4_SPARSE:
		return ff_dec_sparse(d, codec, src, len, out, n, rl, why);
	default:
		*why = "an unknown codec";
		return -1;
	}
}
