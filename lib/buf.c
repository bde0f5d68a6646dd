/*
 * Bounds-checked big-endian read and write cursors. Every check compares
 * against the bytes left, so no arithmetic can overflow.
 */
#include "lib/buf.h"

#include <string.h>

void
rbuf_init(struct rbuf *b, const void *p, size_t len)
{
	b->p = p;
	b->len = len;
	b->off = 0;
}

int
rbuf_uint(struct rbuf *b, size_t n, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (n == 0 || n > 8 || rbuf_left(b) < n)
		return -1;
	for (i = 0; i < n; i++)
		x = (x << 8) | b->p[b->off + i];
	b->off += n;
	*v = x;
	return 0;
}

int
rbuf_u8(struct rbuf *b, uint8_t *v)
{
	if (rbuf_left(b) < 1)
		return -1;
	*v = b->p[b->off++];
	return 0;
}

int
rbuf_u16(struct rbuf *b, uint16_t *v)
{
	uint64_t x;

	if (rbuf_uint(b, 2, &x) == -1)
		return -1;
	*v = (uint16_t)x;
	return 0;
}

int
rbuf_u32(struct rbuf *b, uint32_t *v)
{
	uint64_t x;

	if (rbuf_uint(b, 4, &x) == -1)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

int
rbuf_u64(struct rbuf *b, uint64_t *v)
{
	return rbuf_uint(b, 8, v);
}

int
rbuf_bytes(struct rbuf *b, void *dst, size_t n)
{
	if (rbuf_left(b) < n)
		return -1;
	if (n > 0)
		memcpy(dst, b->p + b->off, n);
	b->off += n;
	return 0;
}

int
rbuf_skip(struct rbuf *b, size_t n)
{
	if (rbuf_left(b) < n)
		return -1;
	b->off += n;
	return 0;
}

int
rbuf_sub(struct rbuf *b, size_t n, struct rbuf *sub)
{
	if (rbuf_left(b) < n)
		return -1;
	/* No arithmetic on a NULL base (an empty cursor over nothing). */
	rbuf_init(sub, b->p == NULL ? NULL : b->p + b->off, n);
	b->off += n;
	return 0;
}

void
wbuf_init(struct wbuf *b, void *p, size_t cap)
{
	b->p = p;
	b->cap = cap;
	b->off = 0;
}

static int
wbuf_uint(struct wbuf *b, size_t n, uint64_t v)
{
	size_t i;

	if (wbuf_left(b) < n)
		return -1;
	for (i = 0; i < n; i++)
		b->p[b->off + i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	b->off += n;
	return 0;
}

int
wbuf_u8(struct wbuf *b, uint8_t v)
{
	return wbuf_uint(b, 1, v);
}

int
wbuf_u16(struct wbuf *b, uint16_t v)
{
	return wbuf_uint(b, 2, v);
}

int
wbuf_u32(struct wbuf *b, uint32_t v)
{
	return wbuf_uint(b, 4, v);
}

int
wbuf_u64(struct wbuf *b, uint64_t v)
{
	return wbuf_uint(b, 8, v);
}

int
wbuf_bytes(struct wbuf *b, const void *src, size_t n)
{
	if (wbuf_left(b) < n)
		return -1;
	if (n > 0)
		memcpy(b->p + b->off, src, n);
	b->off += n;
	return 0;
}

int
wbuf_zero(struct wbuf *b, size_t n)
{
	if (wbuf_left(b) < n)
		return -1;
	if (n > 0)
		memset(b->p + b->off, 0, n);
	b->off += n;
	return 0;
}

int
wbuf_patch_u16(struct wbuf *b, size_t at, uint16_t v)
{
	if (at > b->off || b->off - at < 2)
		return -1;
	b->p[at] = (uint8_t)(v >> 8);
	b->p[at + 1] = (uint8_t)v;
	return 0;
}
