/*
 * Internal to lib/flowfile.c and lib/flowfile_read.c: the on-disk layout of
 * flow files (offsets, sizes, magic numbers) and the record, exporter and
 * string codecs both sides share. The format is specified in
 * docs/FLOWFILE.md; keep the two in step.
 */
#ifndef FT_FLOWFILE_FMT_H
#define FT_FLOWFILE_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "lib/flowfile.h"

#define FF_HDR_LEN     256
#define FF_F_CLOSED    0x1u
#define FF_BLK_HDR_LEN 32
#define FF_EXP_LEN     96
#define FF_FMT_V4      1
#define FF_FMT_V6      2
#define FF_REC_V4      88
#define FF_REC_V6      136
#define FF_REC_MAX     FF_REC_V6
#define FF_RAW_MAX     ((size_t)FLOWFILE_BLOCK_MAX * FF_REC_MAX)
#define FF_PLANE_CHUNK 64 /* records transposed together */

static const uint8_t ff_magic[8] = { 0x89, 'F', 'T', 'F', '\r', '\n', 0x1a,
	'\n' };
static const uint8_t ff_blk_magic[4] = { 'F', 'T', 'B', 'K' };

/* Header field offsets (docs/FLOWFILE.md). */
#define FH_MAGIC   0
#define FH_VERSION 8
#define FH_HDRLEN  10
#define FH_FLAGS   12
#define FH_START   16
#define FH_END     24
#define FH_RECORDS 32
#define FH_BLOCKS  40
#define FH_EXP_OFF 48
#define FH_EXP_N   56
#define FH_EXP_LEN 60
#define FH_EXP_CRC 64
#define FH_CREATED 72
#define FH_CREATOR 80
#define FH_HOST    112
#define FH_CRC     252

/* Block header field offsets. */
#define FB_MAGIC   0
#define FB_NREC    4
#define FB_FORMAT  8
#define FB_CODEC   9
#define FB_RAWLEN  12
#define FB_STORLEN 16
#define FB_PCRC    20
#define FB_HCRC    28

/*
 * Little-endian loads and stores by shifts: no alignment or aliasing
 * assumptions, and compilers fold them into single moves on x86.
 */
static inline uint16_t
le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static inline uint64_t
le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static inline void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void
put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* Address family code on disk: 0 none, 1 IPv4, 2 IPv6. */
static inline unsigned
ff_fam_code(const struct ft_addr *a)
{
	if (a->family == FT_AF_INET)
		return 1;
	if (a->family == FT_AF_INET6)
		return 2;
	return 0;
}

/* An address into a slot of 4 or 16 bytes (network byte order). */
static inline void
ff_put_addr(uint8_t *p, const struct ft_addr *a, size_t slot)
{
	memset(p, 0, slot);
	if (a->family == FT_AF_INET) {
		p[0] = (uint8_t)(a->v4 >> 24);
		p[1] = (uint8_t)(a->v4 >> 16);
		p[2] = (uint8_t)(a->v4 >> 8);
		p[3] = (uint8_t)a->v4;
	} else if (a->family == FT_AF_INET6 && slot == 16)
		memcpy(p, a->v6, 16);
}

static inline void
ff_get_addr(const uint8_t *p, unsigned code, bool v6ok, struct ft_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (code == 1) {
		a->family = FT_AF_INET;
		a->v4 = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		    (uint32_t)p[2] << 8 | p[3];
	} else if (code == 2 && v6ok) {
		a->family = FT_AF_INET6;
		memcpy(a->v6, p, 16);
	}
}

/*
 * Encode one record in format fmt at p (FF_REC_V4 or FF_REC_V6 bytes).
 * Forced inline so that with a constant fmt the address slots are fixed
 * stores, not memset() calls.
 */
static inline __attribute__((always_inline)) void
ff_encode(uint8_t *p, const struct flow *f, int fmt)
{
	size_t slot = fmt == FF_FMT_V6 ? 16 : 4;

	put64(p + 0, f->bytes);
	put64(p + 8, f->packets);
	put64(p + 16, f->first_ms);
	put64(p + 24, f->last_ms);
	put32(p + 32, f->in_if);
	put32(p + 36, f->out_if);
	put32(p + 40, f->src_as);
	put32(p + 44, f->dst_as);
	put32(p + 48, f->sampling);
	put16(p + 52, f->sport);
	put16(p + 54, f->dport);
	put16(p + 56, f->vlan);
	p[58] = f->proto;
	p[59] = f->tos;
	p[60] = f->tcp_flags;
	p[61] = f->src_mask;
	p[62] = f->dst_mask;
	p[63] = f->direction;
	p[64] = (uint8_t)(ff_fam_code(&f->src) | ff_fam_code(&f->dst) << 2 |
	    ff_fam_code(&f->nexthop) << 4 | ff_fam_code(&f->exporter) << 6);
	p[65] = p[66] = p[67] = 0;
	ff_put_addr(p + 68, &f->src, slot);
	ff_put_addr(p + 68 + slot, &f->dst, slot);
	ff_put_addr(p + 68 + 2 * slot, &f->nexthop, slot);
	ff_put_addr(p + 68 + 3 * slot, &f->exporter, slot);
	memset(p + 68 + 4 * slot, 0, 4);
}

/* Decode one record; total over any bytes (unknown codes give no address). */
static inline void
ff_decode(const uint8_t *p, struct flow *f, int fmt)
{
	size_t slot = fmt == FF_FMT_V6 ? 16 : 4;
	bool v6ok = fmt == FF_FMT_V6;
	unsigned fam = p[64];

	f->bytes = le64(p + 0);
	f->packets = le64(p + 8);
	f->first_ms = le64(p + 16);
	f->last_ms = le64(p + 24);
	f->in_if = le32(p + 32);
	f->out_if = le32(p + 36);
	f->src_as = le32(p + 40);
	f->dst_as = le32(p + 44);
	f->sampling = le32(p + 48);
	f->sport = le16(p + 52);
	f->dport = le16(p + 54);
	f->vlan = le16(p + 56);
	f->proto = p[58];
	f->tos = p[59];
	f->tcp_flags = p[60];
	f->src_mask = p[61];
	f->dst_mask = p[62];
	f->direction = p[63];
	ff_get_addr(p + 68, fam & 3, v6ok, &f->src);
	ff_get_addr(p + 68 + slot, (fam >> 2) & 3, v6ok, &f->dst);
	ff_get_addr(p + 68 + 2 * slot, (fam >> 4) & 3, v6ok, &f->nexthop);
	ff_get_addr(p + 68 + 3 * slot, (fam >> 6) & 3, v6ok, &f->exporter);
}

static inline size_t
ff_rec_len(int fmt)
{
	if (fmt == FF_FMT_V4)
		return FF_REC_V4;
	if (fmt == FF_FMT_V6)
		return FF_REC_V6;
	return 0;
}

/* Swap the blocks selected by mask m (shifted by sh) between a and b. */
#define FF_SWAP(a, b, m, sh)                                                   \
	do {                                                                   \
		uint64_t t_ = (((a) >> (sh)) ^ (b)) & (m);                     \
		(b) ^= t_;                                                     \
		(a) ^= t_ << (sh);                                             \
	} while (0)

/*
 * Transpose an 8x8 byte matrix held in eight words, byte j of word i being
 * the (i, j) element (little-endian loads, so endian-neutral): three rounds
 * swapping 4-, 2- and 1-byte blocks. The words stay in registers.
 */
#define FF_TRANSPOSE8(w0, w1, w2, w3, w4, w5, w6, w7)                          \
	do {                                                                   \
		const uint64_t m4_ = 0x00000000ffffffffull;                    \
		const uint64_t m2_ = 0x0000ffff0000ffffull;                    \
		const uint64_t m1_ = 0x00ff00ff00ff00ffull;                    \
		FF_SWAP(w0, w4, m4_, 32);                                      \
		FF_SWAP(w1, w5, m4_, 32);                                      \
		FF_SWAP(w2, w6, m4_, 32);                                      \
		FF_SWAP(w3, w7, m4_, 32);                                      \
		FF_SWAP(w0, w2, m2_, 16);                                      \
		FF_SWAP(w1, w3, m2_, 16);                                      \
		FF_SWAP(w4, w6, m2_, 16);                                      \
		FF_SWAP(w5, w7, m2_, 16);                                      \
		FF_SWAP(w0, w1, m1_, 8);                                       \
		FF_SWAP(w2, w3, m1_, 8);                                       \
		FF_SWAP(w4, w5, m1_, 8);                                       \
		FF_SWAP(w6, w7, m1_, 8);                                       \
	} while (0)

/*
 * One 8x8 tile: word j loaded from src + j * sstride, transposed, word j
 * stored at dst + j * dstride.
 */
static inline void
ff_tile8(uint8_t *dst, size_t dstride, const uint8_t *src, size_t sstride)
{
	uint64_t w0 = le64(src), w1 = le64(src + sstride),
		 w2 = le64(src + 2 * sstride), w3 = le64(src + 3 * sstride),
		 w4 = le64(src + 4 * sstride), w5 = le64(src + 5 * sstride),
		 w6 = le64(src + 6 * sstride), w7 = le64(src + 7 * sstride);

	FF_TRANSPOSE8(w0, w1, w2, w3, w4, w5, w6, w7);
	put64(dst, w0);
	put64(dst + dstride, w1);
	put64(dst + 2 * dstride, w2);
	put64(dst + 3 * dstride, w3);
	put64(dst + 4 * dstride, w4);
	put64(dst + 5 * dstride, w5);
	put64(dst + 6 * dstride, w6);
	put64(dst + 7 * dstride, w7);
}

#ifdef __SSE2__
/*
 * One 16x16 tile with SSE2 (every x86-64 has it): row j (16 bytes) loaded
 * from src + j * sstride, column j stored at dst + j * dstride. Four
 * rounds of interleaving 8-, 16-, 32- and 64-bit units of row pairs; the
 * scalar 8x8 tile takes about eight times the operations per byte.
 */
static inline void
ff_tile16(uint8_t *dst, size_t dstride, const uint8_t *src, size_t sstride)
{
#define FF_LD(j)    _mm_loadu_si128((const __m128i *)(src + (j)*sstride))
#define FF_ST(j, v) _mm_storeu_si128((__m128i *)(dst + (j)*dstride), v)
	__m128i r0 = FF_LD(0), r1 = FF_LD(1), r2 = FF_LD(2), r3 = FF_LD(3),
		r4 = FF_LD(4), r5 = FF_LD(5), r6 = FF_LD(6), r7 = FF_LD(7),
		r8 = FF_LD(8), r9 = FF_LD(9), ra = FF_LD(10), rb = FF_LD(11),
		rc = FF_LD(12), rd = FF_LD(13), re = FF_LD(14), rf = FF_LD(15);
	/* pXY: rows 2p, 2p+1 interleaved; columns 0..7 (l) or 8..15 (h) */
	__m128i p0l = _mm_unpacklo_epi8(r0, r1),
		p0h = _mm_unpackhi_epi8(r0, r1),
		p1l = _mm_unpacklo_epi8(r2, r3),
		p1h = _mm_unpackhi_epi8(r2, r3),
		p2l = _mm_unpacklo_epi8(r4, r5),
		p2h = _mm_unpackhi_epi8(r4, r5),
		p3l = _mm_unpacklo_epi8(r6, r7),
		p3h = _mm_unpackhi_epi8(r6, r7),
		p4l = _mm_unpacklo_epi8(r8, r9),
		p4h = _mm_unpackhi_epi8(r8, r9),
		p5l = _mm_unpacklo_epi8(ra, rb),
		p5h = _mm_unpackhi_epi8(ra, rb),
		p6l = _mm_unpacklo_epi8(rc, rd),
		p6h = _mm_unpackhi_epi8(rc, rd),
		p7l = _mm_unpacklo_epi8(re, rf),
		p7h = _mm_unpackhi_epi8(re, rf);
	/* qQ_G: rows 4Q..4Q+3, columns 4G..4G+3 */
	__m128i q0_0 = _mm_unpacklo_epi16(p0l, p1l),
		q0_1 = _mm_unpackhi_epi16(p0l, p1l),
		q0_2 = _mm_unpacklo_epi16(p0h, p1h),
		q0_3 = _mm_unpackhi_epi16(p0h, p1h),
		q1_0 = _mm_unpacklo_epi16(p2l, p3l),
		q1_1 = _mm_unpackhi_epi16(p2l, p3l),
		q1_2 = _mm_unpacklo_epi16(p2h, p3h),
		q1_3 = _mm_unpackhi_epi16(p2h, p3h),
		q2_0 = _mm_unpacklo_epi16(p4l, p5l),
		q2_1 = _mm_unpackhi_epi16(p4l, p5l),
		q2_2 = _mm_unpacklo_epi16(p4h, p5h),
		q2_3 = _mm_unpackhi_epi16(p4h, p5h),
		q3_0 = _mm_unpacklo_epi16(p6l, p7l),
		q3_1 = _mm_unpackhi_epi16(p6l, p7l),
		q3_2 = _mm_unpacklo_epi16(p6h, p7h),
		q3_3 = _mm_unpackhi_epi16(p6h, p7h);
	/* oO_C: rows 8O..8O+7, columns 2C, 2C+1 */
	__m128i o0_0 = _mm_unpacklo_epi32(q0_0, q1_0),
		o0_1 = _mm_unpackhi_epi32(q0_0, q1_0),
		o0_2 = _mm_unpacklo_epi32(q0_1, q1_1),
		o0_3 = _mm_unpackhi_epi32(q0_1, q1_1),
		o0_4 = _mm_unpacklo_epi32(q0_2, q1_2),
		o0_5 = _mm_unpackhi_epi32(q0_2, q1_2),
		o0_6 = _mm_unpacklo_epi32(q0_3, q1_3),
		o0_7 = _mm_unpackhi_epi32(q0_3, q1_3),
		o1_0 = _mm_unpacklo_epi32(q2_0, q3_0),
		o1_1 = _mm_unpackhi_epi32(q2_0, q3_0),
		o1_2 = _mm_unpacklo_epi32(q2_1, q3_1),
		o1_3 = _mm_unpackhi_epi32(q2_1, q3_1),
		o1_4 = _mm_unpacklo_epi32(q2_2, q3_2),
		o1_5 = _mm_unpackhi_epi32(q2_2, q3_2),
		o1_6 = _mm_unpacklo_epi32(q2_3, q3_3),
		o1_7 = _mm_unpackhi_epi32(q2_3, q3_3);

	/* column c: rows 0..15 */
	FF_ST(0, _mm_unpacklo_epi64(o0_0, o1_0));
	FF_ST(1, _mm_unpackhi_epi64(o0_0, o1_0));
	FF_ST(2, _mm_unpacklo_epi64(o0_1, o1_1));
	FF_ST(3, _mm_unpackhi_epi64(o0_1, o1_1));
	FF_ST(4, _mm_unpacklo_epi64(o0_2, o1_2));
	FF_ST(5, _mm_unpackhi_epi64(o0_2, o1_2));
	FF_ST(6, _mm_unpacklo_epi64(o0_3, o1_3));
	FF_ST(7, _mm_unpackhi_epi64(o0_3, o1_3));
	FF_ST(8, _mm_unpacklo_epi64(o0_4, o1_4));
	FF_ST(9, _mm_unpackhi_epi64(o0_4, o1_4));
	FF_ST(10, _mm_unpacklo_epi64(o0_5, o1_5));
	FF_ST(11, _mm_unpackhi_epi64(o0_5, o1_5));
	FF_ST(12, _mm_unpacklo_epi64(o0_6, o1_6));
	FF_ST(13, _mm_unpackhi_epi64(o0_6, o1_6));
	FF_ST(14, _mm_unpacklo_epi64(o0_7, o1_7));
	FF_ST(15, _mm_unpackhi_epi64(o0_7, o1_7));
#undef FF_LD
#undef FF_ST
}
#endif

/*
 * b = the transpose of the nr x nc bytes at a: b[c * bs + r] = a[r * as +
 * c] (as and bs the row strides). With SSE2 16 x 16 tiles, then 8 x 8
 * tiles for the rest of what is a multiple of 8 each way, then bytes.
 */
static inline void
ff_transpose(
    uint8_t *b, size_t bs, const uint8_t *a, size_t as, size_t nr, size_t nc)
{
	size_t r, c, r8 = nr & ~(size_t)7, c8 = nc & ~(size_t)7, r16 = 0,
		     c16 = 0;

#ifdef __SSE2__
	r16 = nr & ~(size_t)15;
	c16 = nc & ~(size_t)15;
	for (r = 0; r < r16; r += 16)
		for (c = 0; c < c16; c += 16)
			ff_tile16(b + c * bs + r, bs, a + r * as + c, as);
#endif
	for (r = 0; r < r8; r += 8)
		for (c = r < r16 ? c16 : 0; c < c8; c += 8)
			ff_tile8(b + c * bs + r, bs, a + r * as + c, as);
	for (r = 0; r < nr; r++)
		for (c = r < r8 ? c8 : 0; c < nc; c++)
			b[c * bs + r] = a[r * as + c];
}

/*
 * Byte planes: byte k of record i of n records of rl bytes goes to k * n
 * + i, so equal high bytes, zero pads and slowly changing fields become
 * long runs that zstd compresses well and fast. This writes records c0 ..
 * c0 + m (rows[0] is record c0) into the planes at dst.
 */
static inline void
ff_to_planes_chunk(
    uint8_t *dst, const uint8_t *rows, size_t n, size_t rl, size_t c0, size_t m)
{
	ff_transpose(dst + c0, n, rows, rl, m, rl);
}

/*
 * All n records: chunks of FF_PLANE_CHUNK records, so each plane gets a
 * whole cache line per chunk (4 KiB strides would thrash the L1 cache).
 */
static inline void
ff_to_planes(uint8_t *dst, const uint8_t *rows, size_t n, size_t rl)
{
	size_t c0, m;

	for (c0 = 0; c0 < n; c0 += m) {
		m = n - c0 < FF_PLANE_CHUNK ? n - c0 : FF_PLANE_CHUNK;
		ff_to_planes_chunk(dst, rows + c0 * rl, n, rl, c0, m);
	}
}

/*
 * The inverse of ff_to_planes_chunk(): records c0 .. c0 + m of the n in
 * the planes at src into rows (m records of rl bytes).
 */
static inline void
ff_from_planes_chunk(
    uint8_t *rows, const uint8_t *src, size_t n, size_t rl, size_t c0, size_t m)
{
	ff_transpose(rows, rl, src + c0, n, rl, m);
}

static inline void
ff_encode_exporter(uint8_t *p, const struct flowfile_exporter *e)
{
	memset(p, 0, FF_EXP_LEN);
	p[0] = (uint8_t)ff_fam_code(&e->addr);
	put16(p + 2, e->port);
	ff_put_addr(p + 4, &e->addr, 16);
	put16(p + 20, e->version);
	put32(p + 24, e->domain);
	put32(p + 28, e->sampling);
	put32(p + 32, e->flags);
	put64(p + 40, e->packets);
	put64(p + 48, e->flows);
	put64(p + 56, e->lost_flows);
	put64(p + 64, e->malformed);
	put64(p + 72, e->sequence_resets);
	put64(p + 80, (uint64_t)e->clock_skew_ms);
}

static inline void
ff_decode_exporter(const uint8_t *p, struct flowfile_exporter *e)
{
	memset(e, 0, sizeof(*e));
	ff_get_addr(p + 4, p[0] & 3, true, &e->addr);
	e->port = le16(p + 2);
	e->version = le16(p + 20);
	e->domain = le32(p + 24);
	e->sampling = le32(p + 28);
	e->flags = le32(p + 32);
	e->packets = le64(p + 40);
	e->flows = le64(p + 48);
	e->lost_flows = le64(p + 56);
	e->malformed = le64(p + 64);
	e->sequence_resets = le64(p + 72);
	e->clock_skew_ms = (int64_t)le64(p + 80);
}

/* Copy a string into a NUL-padded field of n bytes (always terminated). */
static inline void
ff_put_str(uint8_t *p, const char *s, size_t n)
{
	size_t l = s != NULL ? strnlen(s, n - 1) : 0;

	memset(p, 0, n);
	if (l > 0)
		memcpy(p, s, l);
}

/* A NUL-padded field back into dst of n bytes, printable ASCII only. */
static inline void
ff_get_str(char *dst, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n && p[i] != 0; i++)
		dst[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '?';
	dst[i] = '\0';
}

#endif
