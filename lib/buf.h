/*
 * Bounds-checked cursors over wire bytes: the only code that reads or writes
 * network (big-endian) data. A failed read or write never advances the
 * cursor and leaves the output untouched.
 */
#ifndef FT_BUF_H
#define FT_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A read cursor: borrows the bytes for its lifetime. */
struct rbuf {
	const uint8_t *p;
	size_t len; /* total length */
	size_t off; /* next byte to read */
};

/* A write cursor into caller memory of cap bytes. */
struct wbuf {
	uint8_t *p;
	size_t cap;
	size_t off;
};

void rbuf_init(struct rbuf *b, const void *p, size_t len);
/* Bytes left to read. */
static inline size_t
rbuf_left(const struct rbuf *b)
{
	return b->len - b->off;
}
/* Each reader returns 0 and advances, or -1 (too few bytes) and does not. */
int rbuf_u8(struct rbuf *b, uint8_t *v);
int rbuf_u16(struct rbuf *b, uint16_t *v);
int rbuf_u32(struct rbuf *b, uint32_t *v);
int rbuf_u64(struct rbuf *b, uint64_t *v);
/* Big-endian unsigned integer of n bytes, 1 <= n <= 8 (reduced-size fields). */
int rbuf_uint(struct rbuf *b, size_t n, uint64_t *v);
int rbuf_bytes(struct rbuf *b, void *dst, size_t n);
/*
 * Big-endian unsigned integer of n bytes (1 <= n <= 8) at offset at from
 * the start of b, without moving the cursor: 0, or -1 when out of bounds.
 * Inline for per-field hot paths (template-driven record decoding).
 */
static inline int
rbuf_peek_uint(const struct rbuf *b, size_t at, size_t n, uint64_t *v)
{
	const uint8_t *p;
	uint64_t x = 0;
	size_t i;

	if (n == 0 || n > 8 || at > b->len || b->len - at < n)
		return -1;
	p = b->p + at;
	for (i = 0; i < n; i++)
		x = (x << 8) | p[i];
	*v = x;
	return 0;
}
/*
 * Big-endian 8-, 16- and 32-bit values at offset at from the start of b,
 * without a bounds check: only for a fixed-layout record whose length the
 * caller checked (e.g. split off with rbuf_sub()). Inline for hot paths.
 */
static inline uint8_t
rbuf_at8(const struct rbuf *b, size_t at)
{
	return b->p[at];
}

static inline uint16_t
rbuf_at16(const struct rbuf *b, size_t at)
{
	return (uint16_t)(b->p[at] << 8 | b->p[at + 1]);
}

static inline uint32_t
rbuf_at32(const struct rbuf *b, size_t at)
{
	return (uint32_t)b->p[at] << 24 | (uint32_t)b->p[at + 1] << 16 |
	    (uint32_t)b->p[at + 2] << 8 | b->p[at + 3];
}
/*
 * The 8 bytes at offset at from the start of b as a big-endian 64-bit
 * value, without a bounds check: only where the caller checked that 8
 * bytes from b->p + at lie within the buffer b was cut from (a record's
 * field followed by the rest of its set). One load and a byte swap.
 */
static inline uint64_t
rbuf_at64(const struct rbuf *b, size_t at)
{
	uint64_t v;

	memcpy(&v, b->p + at, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}
int rbuf_skip(struct rbuf *b, size_t n);
/*
 * Split off the next n bytes as a sub-cursor (for a flowset or a record):
 * 0 and both advance, or -1.
 */
int rbuf_sub(struct rbuf *b, size_t n, struct rbuf *sub);

void wbuf_init(struct wbuf *b, void *p, size_t cap);
static inline size_t
wbuf_left(const struct wbuf *b)
{
	return b->cap - b->off;
}
/* Each writer returns 0 and advances, or -1 (no room) and writes nothing. */
int wbuf_u8(struct wbuf *b, uint8_t v);
int wbuf_u16(struct wbuf *b, uint16_t v);
int wbuf_u32(struct wbuf *b, uint32_t v);
int wbuf_u64(struct wbuf *b, uint64_t v);
int wbuf_bytes(struct wbuf *b, const void *src, size_t n);
int wbuf_zero(struct wbuf *b, size_t n);
/* Overwrite a u16 at an earlier offset (a length field): 0 or -1. */
int wbuf_patch_u16(struct wbuf *b, size_t at, uint16_t v);

#endif
