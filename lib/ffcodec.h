/*
 * Internal to the flow-file writer and reader: the payload codecs of a
 * block. Every compressed block is stored as byte planes (byte k of every
 * record together, lib/flowfile_fmt.h); since format version 3 the planes
 * that hold one value throughout the block are stored as that value alone
 * ("sparse planes") and only the others go through zstd or LZ4. The
 * layout is specified in docs/FLOWFILE.md.
 */
#ifndef FT_FFCODEC_H
#define FT_FFCODEC_H

#include <stddef.h>
#include <stdint.h>

/* Block codecs, the codec byte of a block header. */
#define FF_CODEC_NONE        0 /* the records as rows */
#define FF_CODEC_ZSTD_ROWS   1 /* zstd of the rows (version 1 files) */
#define FF_CODEC_ZSTD_PLANES 2 /* zstd of all the planes (version 2) */
#define FF_CODEC_ZSTD_SPARSE 3 /* sparse planes, the rest zstd (v3) */
#define FF_CODEC_LZ4_SPARSE  4 /* sparse planes, the rest LZ4 (v3) */

/* Room for the sparse-planes header: the map and one value a plane. */
#define FF_SPARSE_HDR_MAX(rl) (((rl) + 7) / 8 + (rl))

struct ff_enc;
struct ff_dec;

/*
 * An encoder writing codec (FF_CODEC_ZSTD_SPARSE with level, zstd's 1..19
 * or -7..-1; or FF_CODEC_LZ4_SPARSE, level ignored) for blocks of up to
 * max_raw bytes of records. Returns NULL with errno set (EINVAL for
 * another codec, ENOMEM).
 */
struct ff_enc *ff_enc_new(int codec, int level, size_t max_raw);
void ff_enc_free(struct ff_enc *e);
/* Bytes an encoded block may take at most (for the output buffer). */
size_t ff_enc_bound(const struct ff_enc *e);
/*
 * Encode the n records of rl bytes at rows into dst (ff_enc_bound()
 * bytes). Returns the payload length, or 0 when it would not be smaller
 * than the rows (store them raw then).
 */
size_t ff_enc_block(
    struct ff_enc *e, uint8_t *dst, const uint8_t *rows, size_t n, size_t rl);
/* The codec byte the encoder writes. */
int ff_enc_codec(const struct ff_enc *e);

/* A decoder for every codec but FF_CODEC_NONE; NULL with errno set. */
struct ff_dec *ff_dec_new(void);
void ff_dec_free(struct ff_dec *d);
/*
 * Decode a stored payload src[0..len) of codec into out: the n records of
 * rl bytes as rows for FF_CODEC_ZSTD_ROWS, as byte planes (plane k at k *
 * n) for the plane codecs; out holds n * rl bytes. Returns 0, or -1 with
 * *why set to a static reason when the payload is not exactly that (an
 * unknown codec, a malformed header, a stream that does not decompress to
 * the size the header implies).
 */
int ff_dec_block(struct ff_dec *d, int codec, const uint8_t *src, size_t len,
    uint8_t *out, size_t n, size_t rl, const char **why);

/*
 * Bytes a stored payload may take at most for blocks of max_raw bytes of
 * records, whatever the codec (a reader's bound before reading).
 */
size_t ff_stored_max(size_t max_raw);

#endif
