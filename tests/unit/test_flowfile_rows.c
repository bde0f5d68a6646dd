/*
 * The flow-file writer encodes records into the block's rows as they come
 * and re-encodes the rows in the IPv6 format when a block's first IPv6
 * record arrives. The blocks must be byte for byte those of a block built
 * from all its records at once as docs/FLOWFILE.md says (format chosen
 * over the whole block, rows transposed into byte planes by the
 * definition, constant planes kept as their value, the others compressed
 * with zstd at the same level or LZ4): checked here against such a
 * reference for IPv4-only blocks, IPv6 first, in the middle and last, an
 * IPv6 block followed by an IPv4 one, a partial last block, writes of any
 * size, and every codec.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lz4.h>
#include <zstd.h>

#include "lib/crc32c.h"
#include "lib/ffcodec.h"
#include "lib/flowfile.h"
#include "lib/flowfile_fmt.h"

#define T_START 1700000100ULL
#define NREC    (3 * FLOWFILE_BLOCK_RECORDS + 123)
#define LEVEL   1

static struct flow flows[NREC];
static uint8_t expect[4 * (FF_BLK_HDR_LEN + FF_RAW_MAX) + 4096];
static uint8_t got[sizeof(expect)];
static uint8_t rows[FF_RAW_MAX], planes[FF_RAW_MAX], vary[FF_RAW_MAX];

static void
make_flow(struct flow *f, unsigned i, int v6)
{
	uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8 };

	memset(f, 0, sizeof(*f));
	if (v6) {
		a[14] = (uint8_t)(i >> 8);
		a[15] = (uint8_t)i;
		ft_addr_set_v6(&f->src, a);
		a[13] = 1;
		ft_addr_set_v6(&f->dst, a);
	} else {
		ft_addr_set_v4(&f->src, 0x0a000000u + i);
		ft_addr_set_v4(&f->dst, 0xc0a80000u + i * 7);
		if (i % 3 == 0)
			ft_addr_set_v4(&f->nexthop, 0xac100001u);
	}
	ft_addr_set_v4(&f->exporter, 0x7f000001u);
	f->bytes = 40 + i * 13ull;
	f->packets = 1 + i % 17;
	f->first_ms = 1700000000000ull + i;
	f->last_ms = f->first_ms + i % 5000;
	f->in_if = i % 7;
	f->out_if = i % 11;
	f->src_as = 64500 + i % 3;
	f->dst_as = i % 5 ? 0 : 65000;
	f->sampling = 1;
	f->sport = (uint16_t)(1024 + i);
	f->dport = (uint16_t)(i % 2 ? 443 : 53);
	f->proto = (uint8_t)(i % 2 ? 6 : 17);
	f->tos = (uint8_t)(i & 0xfc);
	f->tcp_flags = (uint8_t)i;
	f->src_mask = 24;
	f->dst_mask = 16;
	f->direction = (uint8_t)(i % 2);
	f->vlan = (uint16_t)(i % 4);
}

/*
 * The sparse-planes payload of the n records of rl bytes in rows[] at p,
 * by the definition: returns its length.
 */
static size_t
ref_sparse(uint8_t *p, size_t n, size_t rl, enum flowfile_codec c)
{
	size_t i, k, mlen = (rl + 7) / 8, h = mlen, nv = 0;
	int same, z;

	for (k = 0; k < rl; k++)
		for (i = 0; i < n; i++)
			planes[k * n + i] = rows[i * rl + k];
	memset(p, 0, mlen);
	for (k = 0; k < rl; k++) {
		same = 1;
		for (i = 1; i < n; i++)
			same &= planes[k * n + i] == planes[k * n];
		if (same) {
			p[k / 8] |= (uint8_t)(1 << (k % 8));
			p[h++] = planes[k * n];
		} else
			memcpy(vary + n * nv++, planes + k * n, n);
	}
	if (nv == 0)
		return h;
	if (c == FLOWFILE_CODEC_ZSTD) {
		size_t zz = ZSTD_compress(
		    p + h, ZSTD_compressBound(nv * n), vary, nv * n, LEVEL);

		assert_false(ZSTD_isError(zz));
		return h + zz;
	}
	z = LZ4_compress_default((const char *)vary, (char *)p + h,
	    (int)(nv * n), LZ4_compressBound((int)(nv * n)));
	assert_true(z > 0);
	return h + (size_t)z;
}

/* One reference block of flows f[0..n) at p: returns its size. */
static size_t
ref_block(uint8_t *p, const struct flow *f, size_t n, enum flowfile_codec c)
{
	int fmt = FF_FMT_V4, codec = FF_CODEC_NONE;
	size_t i, rl, raw_len, stored, z;
	const uint8_t *pay = rows;

	for (i = 0; i < n; i++)
		if (f[i].src.family == FT_AF_INET6 ||
		    f[i].dst.family == FT_AF_INET6 ||
		    f[i].nexthop.family == FT_AF_INET6 ||
		    f[i].exporter.family == FT_AF_INET6)
			fmt = FF_FMT_V6;
	rl = ff_rec_len(fmt);
	raw_len = rl * n;
	for (i = 0; i < n; i++)
		ff_encode(rows + i * rl, &f[i], fmt);
	stored = raw_len;
	if (c != FLOWFILE_CODEC_NONE) {
		z = ref_sparse(p + FF_BLK_HDR_LEN, n, rl, c);
		if (z < raw_len) {
			stored = z;
			codec = c == FLOWFILE_CODEC_ZSTD ? FF_CODEC_ZSTD_SPARSE
							 : FF_CODEC_LZ4_SPARSE;
			pay = NULL;
		}
	}
	if (pay != NULL)
		memcpy(p + FF_BLK_HDR_LEN, pay, raw_len);
	memset(p, 0, FF_BLK_HDR_LEN);
	memcpy(p + FB_MAGIC, ff_blk_magic, 4);
	put32(p + FB_NREC, (uint32_t)n);
	p[FB_FORMAT] = (uint8_t)fmt;
	p[FB_CODEC] = (uint8_t)codec;
	put32(p + FB_RAWLEN, (uint32_t)raw_len);
	put32(p + FB_STORLEN, (uint32_t)stored);
	put32(p + FB_PCRC, crc32c(0, p + FF_BLK_HDR_LEN, stored));
	put32(p + FB_HCRC, crc32c(0, p, FB_HCRC));
	return FF_BLK_HDR_LEN + stored;
}

/* Write flows[0..n) in writes of step records; compare with the reference. */
static void
check(size_t n, size_t step, enum flowfile_codec c)
{
	char dir[] = "/tmp/ft-ffrows.XXXXXX", path[4096];
	struct flowfile_opts o = {
		.codec = c,
		.zstd_level = LEVEL,
	};
	struct flowfile_writer *w;
	size_t off = 0, i, k;
	ssize_t r, glen = 0;
	int fd;

	assert_non_null(mkdtemp(dir));
	for (i = 0; i < n; i += FLOWFILE_BLOCK_RECORDS) {
		k = n - i < FLOWFILE_BLOCK_RECORDS ? n - i
						   : FLOWFILE_BLOCK_RECORDS;
		off += ref_block(expect + off, flows + i, k, c);
	}
	assert_int_equal(
	    flowfile_writer_open(dir, T_START, T_START + 300, &o, &w), 0);
	for (i = 0; i < n; i += k) {
		k = n - i < step ? n - i : step;
		assert_int_equal(flowfile_write(w, flows + i, k), 0);
	}
	assert_int_equal(
	    flowfile_writer_close(w, NULL, 0, path, sizeof(path)), 0);
	fd = open(path, O_RDONLY);
	assert_true(fd != -1);
	assert_int_equal(lseek(fd, FF_HDR_LEN, SEEK_SET), FF_HDR_LEN);
	while ((r = read(fd, got + glen, sizeof(got) - (size_t)glen)) > 0)
		glen += r;
	close(fd);
	assert_int_equal((size_t)glen, off); /* no exporters: blocks only */
	assert_memory_equal(got, expect, off);
	unlink(path);
	rmdir(dir);
}

/* flows[i] is IPv6 where v6(i) says so. */
static void
fill(int (*v6)(size_t))
{
	size_t i;

	for (i = 0; i < NREC; i++)
		make_flow(&flows[i], (unsigned)i, v6(i));
}

static int
none_v6(size_t i)
{
	(void)i;
	return 0;
}

/* Block 0: IPv6 first; block 1: one in the middle; block 2: last; block
 * 3 (partial): none. */
static int
some_v6(size_t i)
{
	return i == 0 || i == FLOWFILE_BLOCK_RECORDS + 1000 ||
	    i == 3 * FLOWFILE_BLOCK_RECORDS - 1;
}

static int
every_fifth_v6(size_t i)
{
	return i % 5 == 4;
}

static void
test_rows_v4_only(void **state)
{
	(void)state;
	fill(none_v6);
	check(NREC, 1000, FLOWFILE_CODEC_ZSTD);
	check(NREC, 1000, FLOWFILE_CODEC_LZ4);
	check(NREC, 1024, FLOWFILE_CODEC_NONE);
	check(100, 7, FLOWFILE_CODEC_ZSTD);
	check(100, 7, FLOWFILE_CODEC_LZ4);
	check(1, 1, FLOWFILE_CODEC_LZ4);
}

static void
test_rows_v6_first_middle_last(void **state)
{
	(void)state;
	fill(some_v6);
	check(NREC, 1, FLOWFILE_CODEC_ZSTD);
	check(NREC, 4096, FLOWFILE_CODEC_LZ4);
	check(NREC, 999, FLOWFILE_CODEC_NONE);
}

static void
test_rows_mixed(void **state)
{
	(void)state;
	fill(every_fifth_v6);
	check(NREC, 64, FLOWFILE_CODEC_ZSTD);
	check(NREC, 64, FLOWFILE_CODEC_LZ4);
	check(NREC, NREC, FLOWFILE_CODEC_NONE);
	check(3, 1, FLOWFILE_CODEC_ZSTD);
	check(3, 1, FLOWFILE_CODEC_LZ4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_v4_only),
		cmocka_unit_test(test_rows_v6_first_middle_last),
		cmocka_unit_test(test_rows_mixed),
	};

	return cmocka_run_group_tests_name("flowfile_rows", tests, NULL, NULL);
}
