/*
 * Flow files for the unit tests of their readers: write records as the
 * file of an interval in a directory, and damage a written file by
 * flipping one payload byte of its second block.
 */
#ifndef FT_FLOWFILE_TESTUTIL_H
#define FT_FLOWFILE_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "lib/flowfile.h"

/*
 * Write flows[0..n) (flows may be NULL when n is 0) as the uncompressed
 * file of [start, end) in dir, with the exporter counters exp[0..n_exp);
 * its final path goes to path[0..len). Fails the test if it cannot.
 */
static inline void
fft_write(const char *dir, uint64_t start, uint64_t end,
    const struct flow *flows, size_t n, const struct flowfile_exporter *exp,
    size_t n_exp, char *path, size_t len)
{
	struct flowfile_writer *w;

	assert_int_equal(flowfile_writer_open(dir, start, end, NULL, &w), 0);
	if (n > 0)
		assert_int_equal(flowfile_write(w, flows, n), 0);
	assert_int_equal(flowfile_writer_close(w, exp, n_exp, path, len), 0);
}

/*
 * Flip a bit of the byte at in_payload in the payload of the second block
 * of the file at path (written by fft_write(), so more than
 * FLOWFILE_BLOCK_RECORDS records): the reader then finds that block's
 * checksum wrong and loses its records. Fails the test if it cannot.
 */
static inline void
fft_damage_second_block(const char *path, size_t in_payload)
{
	uint8_t *b;
	size_t len, off;
	FILE *fp;

	assert_non_null(fp = fopen(path, "r+b"));
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	len = (size_t)ftell(fp);
	assert_non_null(b = malloc(len));
	rewind(fp);
	assert_int_equal(fread(b, 1, len, fp), len);
	/* File header, first block's header and stored payload length. */
	off = 256 + 32 +
	    ((size_t)b[256 + 16] | (size_t)b[256 + 17] << 8 |
		(size_t)b[256 + 18] << 16 | (size_t)b[256 + 19] << 24);
	off += 32 + in_payload;
	assert_true(off < len);
	b[off] ^= 0x40;
	rewind(fp);
	assert_int_equal(fwrite(b, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	free(b);
}

#endif
