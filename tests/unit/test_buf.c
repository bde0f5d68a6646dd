/*
 * Tests for lib/buf.c: every reader and writer with 0, 1 and exactly enough
 * bytes left; failures never advance nor touch the output; reduced-size
 * integers; sub-cursors; the length-field patch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/buf.h"

static const uint8_t bytes[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10 };

/*
 * Run reader fn of width n against buffers leaving 0, 1, n-1 (when
 * different) and exactly n bytes: only the last succeeds.
 */
#define CHECK_READER(fn, type, n, expect)                                      \
	do {                                                                   \
		struct rbuf b;                                                 \
		type v;                                                        \
		size_t left;                                                   \
		for (left = 0; left < (n); left++) {                           \
			rbuf_init(&b, bytes + 16 - left, left);                \
			memset(&v, 0xaa, sizeof(v));                           \
			assert_int_equal(fn(&b, &v), -1);                      \
			assert_int_equal(b.off, 0);                            \
			assert_int_equal(rbuf_left(&b), left);                 \
			type untouched;                                        \
			memset(&untouched, 0xaa, sizeof(untouched));           \
			assert_memory_equal(&v, &untouched, sizeof(v));        \
		}                                                              \
		rbuf_init(&b, bytes, (n));                                     \
		assert_int_equal(fn(&b, &v), 0);                               \
		assert_true(v == (type)(expect));                              \
		assert_int_equal(b.off, (n));                                  \
		assert_int_equal(rbuf_left(&b), 0);                            \
		assert_int_equal(fn(&b, &v), -1);                              \
		assert_int_equal(b.off, (n));                                  \
	} while (0)

static void
test_buf_readers_boundaries(void **state)
{
	(void)state;
	CHECK_READER(rbuf_u8, uint8_t, 1, 0x01);
	CHECK_READER(rbuf_u16, uint16_t, 2, 0x0102);
	CHECK_READER(rbuf_u32, uint32_t, 4, 0x01020304);
	CHECK_READER(rbuf_u64, uint64_t, 8, 0x0102030405060708ULL);
}

static void
test_buf_reader_sequence(void **state)
{
	struct rbuf b;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	(void)state;
	rbuf_init(&b, bytes, sizeof(bytes));
	assert_int_equal(rbuf_u8(&b, &u8), 0);
	assert_int_equal(u8, 0x01);
	assert_int_equal(rbuf_u16(&b, &u16), 0);
	assert_int_equal(u16, 0x0203);
	assert_int_equal(rbuf_u32(&b, &u32), 0);
	assert_int_equal(u32, 0x04050607);
	assert_int_equal(rbuf_u64(&b, &u64), 0);
	assert_true(u64 == 0x08090a0b0c0d0e0fULL);
	assert_int_equal(rbuf_left(&b), 1);
	assert_int_equal(rbuf_u16(&b, &u16), -1);
	assert_int_equal(rbuf_u8(&b, &u8), 0);
	assert_int_equal(u8, 0x10);
}

static void
test_buf_rbuf_uint_sizes(void **state)
{
	struct rbuf b;
	uint64_t v;
	size_t n;
	uint64_t want;

	(void)state;
	for (n = 1; n <= 8; n++) {
		want = 0;
		for (size_t i = 0; i < n; i++)
			want = want << 8 | bytes[i];
		/* Exactly enough. */
		rbuf_init(&b, bytes, n);
		assert_int_equal(rbuf_uint(&b, n, &v), 0);
		assert_true(v == want);
		assert_int_equal(b.off, n);
		/* One short: fails, does not advance, leaves v. */
		rbuf_init(&b, bytes, n - 1);
		v = 77;
		assert_int_equal(rbuf_uint(&b, n, &v), -1);
		assert_int_equal(b.off, 0);
		assert_int_equal(v, 77);
	}
	/* 0 and 9 bytes are not integers, even with plenty of data. */
	rbuf_init(&b, bytes, sizeof(bytes));
	v = 77;
	assert_int_equal(rbuf_uint(&b, 0, &v), -1);
	assert_int_equal(rbuf_uint(&b, 9, &v), -1);
	assert_int_equal(rbuf_uint(&b, SIZE_MAX, &v), -1);
	assert_int_equal(b.off, 0);
	assert_int_equal(v, 77);
	/* High bit set: no sign extension. */
	{
		static const uint8_t ff[8] = { 0xff, 0xff, 0xff, 0xff, 0xff,
			0xff, 0xff, 0xfe };
		rbuf_init(&b, ff, 8);
		assert_int_equal(rbuf_uint(&b, 3, &v), 0);
		assert_true(v == 0xffffff);
		assert_int_equal(rbuf_uint(&b, 5, &v), 0);
		assert_true(v == 0xfffffffffeULL);
	}
}

static void
test_buf_bytes_skip_sub(void **state)
{
	struct rbuf b, sub;
	uint8_t out[16];
	uint8_t u8;

	(void)state;
	rbuf_init(&b, bytes, 4);
	memset(out, 0xee, sizeof(out));
	assert_int_equal(rbuf_bytes(&b, out, 5), -1);
	assert_int_equal(b.off, 0);
	assert_int_equal(out[0], 0xee);
	assert_int_equal(rbuf_bytes(&b, out, 0), 0);
	assert_int_equal(b.off, 0);
	assert_int_equal(rbuf_bytes(&b, out, 4), 0);
	assert_memory_equal(out, bytes, 4);
	assert_int_equal(rbuf_bytes(&b, out, 1), -1);
	assert_int_equal(rbuf_bytes(&b, out, 0), 0);

	rbuf_init(&b, bytes, 4);
	assert_int_equal(rbuf_skip(&b, 5), -1);
	assert_int_equal(b.off, 0);
	assert_int_equal(rbuf_skip(&b, SIZE_MAX), -1);
	assert_int_equal(rbuf_skip(&b, 1), 0);
	assert_int_equal(rbuf_skip(&b, 3), 0);
	assert_int_equal(rbuf_skip(&b, 1), -1);
	assert_int_equal(rbuf_skip(&b, 0), 0);

	/* A sub-cursor sees only its bytes; both advance together. */
	rbuf_init(&b, bytes, 6);
	assert_int_equal(rbuf_u8(&b, &u8), 0);
	assert_int_equal(rbuf_sub(&b, 6, &sub), -1);
	assert_int_equal(b.off, 1);
	assert_int_equal(rbuf_sub(&b, 3, &sub), 0);
	assert_int_equal(b.off, 4);
	assert_int_equal(sub.len, 3);
	assert_int_equal(sub.off, 0);
	assert_int_equal(rbuf_bytes(&sub, out, 3), 0);
	assert_memory_equal(out, bytes + 1, 3);
	assert_int_equal(rbuf_u8(&sub, &u8), -1);
	assert_int_equal(rbuf_sub(&b, 2, &sub), 0);
	assert_int_equal(rbuf_left(&b), 0);
	assert_int_equal(rbuf_sub(&b, 0, &sub), 0);
	assert_int_equal(rbuf_left(&sub), 0);
	assert_int_equal(rbuf_sub(&b, 1, &sub), -1);

	/* An empty cursor over no memory at all. */
	rbuf_init(&b, NULL, 0);
	assert_int_equal(rbuf_u8(&b, &u8), -1);
	assert_int_equal(rbuf_bytes(&b, out, 0), 0);
	assert_int_equal(rbuf_sub(&b, 0, &sub), 0);
}

/* Each writer with 0, 1 and exactly enough room. */
#define CHECK_WRITER(fn, n, val, expect)                                       \
	do {                                                                   \
		struct wbuf w;                                                 \
		uint8_t mem[16];                                               \
		size_t room;                                                   \
		static const uint8_t want[] = expect;                          \
		for (room = 0; room < (n); room++) {                           \
			memset(mem, 0xee, sizeof(mem));                        \
			wbuf_init(&w, mem, room);                              \
			assert_int_equal(fn(&w, (val)), -1);                   \
			assert_int_equal(w.off, 0);                            \
			assert_int_equal(mem[0], 0xee);                        \
		}                                                              \
		memset(mem, 0xee, sizeof(mem));                                \
		wbuf_init(&w, mem, (n));                                       \
		assert_int_equal(fn(&w, (val)), 0);                            \
		assert_int_equal(w.off, (n));                                  \
		assert_int_equal(wbuf_left(&w), 0);                            \
		assert_memory_equal(mem, want, (n));                           \
		assert_int_equal(mem[(n)], 0xee);                              \
		assert_int_equal(fn(&w, (val)), -1);                           \
		assert_int_equal(w.off, (n));                                  \
	} while (0)

#define B(...)                                                                 \
	{                                                                      \
		__VA_ARGS__                                                    \
	}

static void
test_buf_writers_boundaries(void **state)
{
	(void)state;
	CHECK_WRITER(wbuf_u8, 1, 0xab, B(0xab));
	CHECK_WRITER(wbuf_u16, 2, 0xabcd, B(0xab, 0xcd));
	CHECK_WRITER(wbuf_u32, 4, 0x01020304, B(1, 2, 3, 4));
	CHECK_WRITER(
	    wbuf_u64, 8, 0x0102030405060708ULL, B(1, 2, 3, 4, 5, 6, 7, 8));
}

static void
test_buf_writer_bytes_zero(void **state)
{
	struct wbuf w;
	uint8_t mem[8];
	struct rbuf r;
	uint32_t u32;
	uint16_t u16;

	(void)state;
	memset(mem, 0xee, sizeof(mem));
	wbuf_init(&w, mem, 4);
	assert_int_equal(wbuf_bytes(&w, bytes, 5), -1);
	assert_int_equal(w.off, 0);
	assert_int_equal(mem[0], 0xee);
	assert_int_equal(wbuf_bytes(&w, bytes, 0), 0);
	assert_int_equal(wbuf_bytes(&w, bytes, 3), 0);
	assert_int_equal(wbuf_zero(&w, 2), -1);
	assert_int_equal(w.off, 3);
	assert_int_equal(mem[3], 0xee);
	assert_int_equal(wbuf_zero(&w, 0), 0);
	assert_int_equal(wbuf_zero(&w, 1), 0);
	assert_int_equal(wbuf_left(&w), 0);
	assert_memory_equal(mem, bytes, 3);
	assert_int_equal(mem[3], 0);
	assert_int_equal(mem[4], 0xee);

	/* What the writers produce, the readers read back. */
	wbuf_init(&w, mem, sizeof(mem));
	assert_int_equal(wbuf_u16(&w, 0xbeef), 0);
	assert_int_equal(wbuf_u32(&w, 0xdeadbeef), 0);
	rbuf_init(&r, mem, w.off);
	assert_int_equal(rbuf_u16(&r, &u16), 0);
	assert_int_equal(u16, 0xbeef);
	assert_int_equal(rbuf_u32(&r, &u32), 0);
	assert_int_equal(u32, 0xdeadbeef);

	/* An empty writer over no memory. */
	wbuf_init(&w, NULL, 0);
	assert_int_equal(wbuf_zero(&w, 0), 0);
	assert_int_equal(wbuf_bytes(&w, bytes, 0), 0);
	assert_int_equal(wbuf_u8(&w, 1), -1);
}

static void
test_buf_patch_u16(void **state)
{
	struct wbuf w;
	uint8_t mem[8];

	(void)state;
	memset(mem, 0, sizeof(mem));
	wbuf_init(&w, mem, sizeof(mem));
	/* Nothing written yet: nothing to patch. */
	assert_int_equal(wbuf_patch_u16(&w, 0, 0x1234), -1);
	assert_int_equal(wbuf_u16(&w, 0), 0); /* length placeholder */
	assert_int_equal(wbuf_u8(&w, 0x55), 0);
	assert_int_equal(wbuf_patch_u16(&w, 0, 0x1234), 0);
	assert_int_equal(mem[0], 0x12);
	assert_int_equal(mem[1], 0x34);
	assert_int_equal(w.off, 3); /* patching does not move */
	assert_int_equal(wbuf_patch_u16(&w, 1, 0xabcd), 0);
	assert_int_equal(mem[1], 0xab);
	assert_int_equal(mem[2], 0xcd);
	/* Only inside what has been written. */
	assert_int_equal(wbuf_patch_u16(&w, 2, 0xffff), -1);
	assert_int_equal(wbuf_patch_u16(&w, 3, 0xffff), -1);
	assert_int_equal(wbuf_patch_u16(&w, SIZE_MAX, 0xffff), -1);
	assert_int_equal(mem[3], 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_readers_boundaries),
		cmocka_unit_test(test_buf_reader_sequence),
		cmocka_unit_test(test_buf_rbuf_uint_sizes),
		cmocka_unit_test(test_buf_bytes_skip_sub),
		cmocka_unit_test(test_buf_writers_boundaries),
		cmocka_unit_test(test_buf_writer_bytes_zero),
		cmocka_unit_test(test_buf_patch_u16),
	};
	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
