/*
 * Flow files: write -> read round trips of every field (IPv4 and IPv6, zero,
 * one and many blocks, both codecs), header and exporter counters, hostile
 * and damaged files (bad magic, future version, truncation, flipped bytes),
 * file naming and publishing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/flowfile.h"
#include "tdir_testutil.h"

#define T_START 1700000100ULL /* 2023-11-14T22:15:00Z */
#define T_END   (T_START + 300)
#define BLK_V4  (32 + FLOWFILE_BLOCK_RECORDS * 88)

static uint64_t rng_state = 88172645463325252ULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void
rand_addr(struct ft_addr *a, int v6)
{
	uint8_t b[16];
	int i;

	if (v6) {
		for (i = 0; i < 16; i++)
			b[i] = (uint8_t)rng();
		ft_addr_set_v6(a, b);
	} else
		ft_addr_set_v4(a, (uint32_t)rng());
}

/* Records with every field random; v6 every v6_every-th (0: never). */
static struct flow *
make_flows(size_t n, size_t v6_every)
{
	struct flow *f = calloc(n ? n : 1, sizeof(*f));
	size_t i;

	assert_non_null(f);
	for (i = 0; i < n; i++) {
		int v6 = v6_every != 0 && i % v6_every == 0;

		f[i].bytes = rng();
		f[i].packets = rng();
		f[i].first_ms = T_START * 1000 + rng() % 300000;
		f[i].last_ms = f[i].first_ms + rng() % 60000;
		rand_addr(&f[i].src, v6);
		rand_addr(&f[i].dst, v6);
		if (i % 5 != 0)
			rand_addr(&f[i].nexthop, v6);
		rand_addr(&f[i].exporter, v6_every != 0 && i % 7 == 0);
		f[i].in_if = (uint32_t)rng();
		f[i].out_if = (uint32_t)rng();
		f[i].src_as = (uint32_t)rng();
		f[i].dst_as = (uint32_t)rng();
		f[i].sampling = (uint32_t)rng();
		f[i].sport = (uint16_t)rng();
		f[i].dport = (uint16_t)rng();
		f[i].proto = (uint8_t)rng();
		f[i].tos = (uint8_t)rng();
		f[i].tcp_flags = (uint8_t)rng();
		f[i].src_mask = (uint8_t)rng();
		f[i].dst_mask = (uint8_t)rng();
		f[i].direction = (uint8_t)rng();
		f[i].vlan = (uint16_t)rng();
	}
	return f;
}

static int
setup(void **state)
{
	return tdir_setup(state, "flowfile");
}

static void
write_file(const char *dir, const struct flow *f, size_t n,
    enum flowfile_codec codec, int nest, const struct flowfile_exporter *e,
    size_t ne, char *path, size_t len)
{
	struct flowfile_opts o = { .codec = codec,
		.zstd_level = 3,
		.nest = nest,
		.creator = "test_flowfile" };
	struct flowfile_writer *w;
	size_t i, k;

	assert_int_equal(flowfile_writer_open(dir, T_START, T_END, &o, &w), 0);
	/* Odd chunk sizes so blocks fill across calls. */
	for (i = 0; i < n; i += k) {
		k = n - i < 1000 ? n - i : 1000;
		assert_int_equal(flowfile_write(w, f + i, k), 0);
	}
	assert_int_equal(flowfile_writer_close(w, e, ne, path, len), 0);
}

/* Read everything; returns records read, counts -1 returns in *errs. */
static size_t
read_all(struct flowfile_reader *r, struct flow *out, size_t cap, int *errs,
    char *last_err, size_t elen)
{
	struct errbuf eb;
	size_t tot = 0;
	ssize_t k;
	int guard = 0;

	*errs = 0;
	while (guard++ < 100000) {
		k = flowfile_read(
		    r, out + tot, cap - tot < 500 ? cap - tot : 500, &eb);
		if (k == 0)
			break;
		if (k == -1) {
			(*errs)++;
			if (last_err != NULL)
				snprintf(last_err, elen, "%s", eb.msg);
			continue;
		}
		tot += (size_t)k;
	}
	return tot;
}

static void
roundtrip(void **state, size_t n, size_t v6_every, enum flowfile_codec codec)
{
	struct tdir_fix *c = *state;
	struct flowfile_exporter e[2];
	const struct flowfile_header *h;
	struct flowfile_reader *r;
	struct errbuf eb;
	struct flow *f, *g;
	char path[512];
	int errs;
	uint64_t start;
	const char *base;

	f = make_flows(n, v6_every);
	g = calloc(n + 1, sizeof(*g));
	memset(e, 0, sizeof(e));
	ft_addr_set_v4(&e[0].addr, 0xc0000201);
	e[0].port = 2055;
	e[0].version = 9;
	e[0].domain = 77;
	e[0].sampling = 100;
	e[0].flags = FLOWFILE_EXP_SAMPLING_OVERRIDE;
	e[0].packets = 1ULL << 40;
	e[0].flows = n;
	e[0].lost_flows = 3;
	e[0].malformed = 4;
	e[0].sequence_resets = 5;
	e[0].clock_skew_ms = -1234;
	e[1] = e[0];
	rand_addr(&e[1].addr, 1);
	e[1].version = 10;
	write_file(c->dir, f, n, codec, 0, e, 2, path, sizeof(path));

	base = strrchr(path, '/') + 1;
	assert_true(flowfile_parse_name(base, &start));
	assert_int_equal(start, T_START);

	assert_int_equal(flowfile_open(path, &r, &eb), 0);
	h = flowfile_header(r);
	assert_int_equal(h->version, FLOWFILE_VERSION);
	assert_int_equal(h->start, T_START);
	assert_int_equal(h->end, T_END);
	assert_int_equal(h->records, n);
	assert_true(h->closed);
	assert_string_equal(h->creator, "test_flowfile");
	assert_true(h->created_ms > 0);
	assert_int_equal(h->n_exporters, 2);
	assert_memory_equal(h->exporters, e, sizeof(e));
	assert_int_equal(h->blocks,
	    (n + FLOWFILE_BLOCK_RECORDS - 1) / FLOWFILE_BLOCK_RECORDS);
	assert_int_equal(read_all(r, g, n + 1, &errs, NULL, 0), n);
	assert_int_equal(errs, 0);
	if (n > 0)
		assert_memory_equal(f, g, n * sizeof(*f));
	assert_int_equal(flowfile_lost(r), 0);
	assert_false(flowfile_damaged(r));
	flowfile_close(r);
	unlink(path);
	free(f);
	free(g);
}

static void
test_flowfile_roundtrip_empty(void **state)
{
	roundtrip(state, 0, 0, FLOWFILE_CODEC_NONE);
	roundtrip(state, 0, 0, FLOWFILE_CODEC_ZSTD);
}

static void
test_flowfile_roundtrip_one(void **state)
{
	roundtrip(state, 1, 0, FLOWFILE_CODEC_NONE);
	roundtrip(state, 1, 1, FLOWFILE_CODEC_NONE);
	roundtrip(state, 1, 1, FLOWFILE_CODEC_ZSTD);
}

static void
test_flowfile_roundtrip_many_none(void **state)
{
	roundtrip(
	    state, 3 * FLOWFILE_BLOCK_RECORDS + 17, 0, FLOWFILE_CODEC_NONE);
	roundtrip(
	    state, 3 * FLOWFILE_BLOCK_RECORDS + 17, 9000, FLOWFILE_CODEC_NONE);
	roundtrip(state, 2 * FLOWFILE_BLOCK_RECORDS, 3, FLOWFILE_CODEC_NONE);
}

static void
test_flowfile_roundtrip_many_zstd(void **state)
{
	roundtrip(
	    state, 3 * FLOWFILE_BLOCK_RECORDS + 17, 0, FLOWFILE_CODEC_ZSTD);
	roundtrip(
	    state, 3 * FLOWFILE_BLOCK_RECORDS + 17, 4, FLOWFILE_CODEC_ZSTD);
}

/* The bytes of a file, and writing them back. */
static uint8_t *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *b;
	long n;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	b = malloc((size_t)n + 1);
	assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return b;
}

static void
spit(const char *path, const uint8_t *b, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(b, 1, len, fp), len);
	fclose(fp);
}

/*
 * Write an empty flow file in dir (its name into path[0..plen)) and return
 * its bytes (malloc'd, *len of them) for a test to damage.
 */
static uint8_t *
empty_file(const char *dir, char *path, size_t plen, size_t *len)
{
	write_file(dir, NULL, 0, FLOWFILE_CODEC_NONE, 0, NULL, 0, path, plen);
	return slurp(path, len);
}

/*
 * Write b[0..len) to path; flowfile_open() of it must then fail with a
 * message that names path and says want.
 */
static void
open_fails(const char *path, const uint8_t *b, size_t len, const char *want)
{
	struct flowfile_reader *r = NULL;
	struct errbuf eb;

	spit(path, b, len);
	assert_int_equal(flowfile_open(path, &r, &eb), -1);
	assert_non_null(strstr(eb.msg, path));
	assert_non_null(strstr(eb.msg, want));
}

static void
test_flowfile_bad_magic(void **state)
{
	struct tdir_fix *c = *state;
	struct flowfile_reader *r = NULL;
	struct errbuf eb;
	char path[512];
	uint8_t *b;
	size_t len;

	b = empty_file(c->dir, path, sizeof(path), &len);
	b[1] ^= 0x20;
	open_fails(path, b, len, "bad magic");
	/* Short garbage and empty input. */
	assert_int_equal(flowfile_open_mem(b, 10, "short", &r, &eb), -1);
	assert_non_null(strstr(eb.msg, "short: truncated header"));
	assert_int_equal(flowfile_open_mem(b, 0, "empty", &r, &eb), -1);
	free(b);
}

static void
test_flowfile_future_version(void **state)
{
	struct tdir_fix *c = *state;
	struct flowfile_reader *r = NULL;
	struct errbuf eb;
	char path[512];
	uint8_t *b;
	size_t len;

	b = empty_file(c->dir, path, sizeof(path), &len);
	b[8] = FLOWFILE_VERSION + 1;
	open_fails(path, b, len, "unsupported flow file format version 4");
	/* Version 0 never existed. */
	b[8] = 0;
	open_fails(path, b, len, "unsupported flow file format version 0");
	/* A flipped header byte is caught by the header checksum. */
	b[8] = FLOWFILE_VERSION;
	b[20] ^= 1;
	assert_int_equal(flowfile_open_mem(b, len, "hdr", &r, &eb), -1);
	assert_non_null(strstr(eb.msg, "hdr: header checksum mismatch"));
	free(b);
}

static void
test_flowfile_truncated(void **state)
{
	struct tdir_fix *c = *state;
	struct flowfile_reader *r;
	struct errbuf eb;
	struct flow *f, *g;
	size_t n = 3 * FLOWFILE_BLOCK_RECORDS, len;
	char path[512], err[512], want[64];
	uint8_t *b;
	int errs;

	f = make_flows(n, 0);
	g = calloc(n, sizeof(*g));
	write_file(
	    c->dir, f, n, FLOWFILE_CODEC_NONE, 0, NULL, 0, path, sizeof(path));
	b = slurp(path, &len);
	assert_int_equal(len, 256 + 3 * BLK_V4);
	/* Cut in the middle of the second block. */
	spit(path, b, 256 + BLK_V4 + 1000);
	assert_int_equal(flowfile_open(path, &r, &eb), 0);
	assert_int_equal(
	    read_all(r, g, n, &errs, err, sizeof(err)), FLOWFILE_BLOCK_RECORDS);
	assert_memory_equal(f, g, FLOWFILE_BLOCK_RECORDS * sizeof(*f));
	assert_true(errs >= 1);
	assert_non_null(strstr(err, path));
	snprintf(want, sizeof(want), "offset %d", 256 + BLK_V4);
	assert_non_null(strstr(err, want));
	assert_int_equal(flowfile_lost(r), 2 * FLOWFILE_BLOCK_RECORDS);
	assert_true(flowfile_damaged(r));
	flowfile_close(r);

	/* Every prefix of the file: no crash, never more than written. */
	for (size_t cut = 0; cut < len; cut += 4099) {
		if (flowfile_open_mem(b, cut, "cut", &r, &eb) == -1) {
			assert_true(cut < 256);
			continue;
		}
		/* The header's count accounts for every record. */
		assert_int_equal(
		    read_all(r, g, n, &errs, NULL, 0) + flowfile_lost(r), n);
		flowfile_close(r);
	}
	free(b);
	free(f);
	free(g);
}

static void
flipped(void **state, enum flowfile_codec codec, size_t at_in_block,
    const char *what)
{
	struct tdir_fix *c = *state;
	struct flowfile_reader *r;
	struct errbuf eb;
	struct flow *f, *g;
	size_t n = 3 * FLOWFILE_BLOCK_RECORDS + 100, len, boff, got;
	char path[512], err[512], want[64];
	uint8_t *b;
	int errs;

	f = make_flows(n, 0);
	g = calloc(n, sizeof(*g));
	write_file(c->dir, f, n, codec, 0, NULL, 0, path, sizeof(path));
	b = slurp(path, &len);
	/* Find the second block: the first one's stored length + header. */
	boff = 256 + 32 +
	    ((size_t)b[256 + 16] | (size_t)b[256 + 17] << 8 |
		(size_t)b[256 + 18] << 16 | (size_t)b[256 + 19] << 24);
	b[boff + at_in_block] ^= 0x40;
	spit(path, b, len);
	assert_int_equal(flowfile_open(path, &r, &eb), 0);
	got = read_all(r, g, n, &errs, err, sizeof(err));
	assert_int_equal(got, n - FLOWFILE_BLOCK_RECORDS);
	assert_memory_equal(f, g, FLOWFILE_BLOCK_RECORDS * sizeof(*f));
	assert_memory_equal(f + 2 * FLOWFILE_BLOCK_RECORDS,
	    g + FLOWFILE_BLOCK_RECORDS,
	    (n - 2 * FLOWFILE_BLOCK_RECORDS) * sizeof(*f));
	assert_int_equal(errs, 1);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, what));
	snprintf(want, sizeof(want), "offset %zu", boff);
	assert_non_null(strstr(err, want));
	assert_int_equal(flowfile_lost(r), FLOWFILE_BLOCK_RECORDS);
	flowfile_close(r);

	/* The same from memory. */
	assert_int_equal(flowfile_open_mem(b, len, "mem", &r, &eb), 0);
	assert_int_equal(read_all(r, g, n, &errs, err, sizeof(err)), got);
	assert_int_equal(flowfile_lost(r), FLOWFILE_BLOCK_RECORDS);
	flowfile_close(r);
	free(b);
	free(f);
	free(g);
}

static void
test_flowfile_flipped_payload_byte(void **state)
{
	flipped(state, FLOWFILE_CODEC_NONE, 32 + 5000, "checksum mismatch");
	flipped(state, FLOWFILE_CODEC_ZSTD, 32 + 100, "checksum mismatch");
}

static void
test_flowfile_flipped_block_header_byte(void **state)
{
	/* The reader resyncs on the next block header. */
	flipped(state, FLOWFILE_CODEC_NONE, 5, "corrupt block header");
	flipped(state, FLOWFILE_CODEC_ZSTD, 13, "corrupt block header");
}

static void
test_flowfile_not_closed(void **state)
{
	struct tdir_fix *c = *state;
	struct flowfile_writer *w;
	struct flowfile_reader *r;
	struct errbuf eb;
	struct flow *f, *g;
	char tmp[512], err[512];
	size_t n = FLOWFILE_BLOCK_RECORDS + 1;
	DIR *d;
	struct dirent *de;
	int errs, found = 0;

	f = make_flows(n, 2);
	g = calloc(n, sizeof(*g));
	assert_int_equal(
	    flowfile_writer_open(c->dir, T_START, T_END, NULL, &w), 0);
	assert_int_equal(flowfile_write(w, f, n), 0);
	/* One block is on disk; the in-progress name never parses. */
	assert_non_null(d = opendir(c->dir));
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, ".ft-inprogress.", 15) != 0)
			continue;
		found++;
		assert_false(flowfile_parse_name(de->d_name, NULL));
		snprintf(tmp, sizeof(tmp), "%s/%s", c->dir, de->d_name);
	}
	closedir(d);
	assert_int_equal(found, 1);
	assert_int_equal(flowfile_open(tmp, &r, &eb), 0);
	assert_false(flowfile_header(r)->closed);
	assert_int_equal(
	    read_all(r, g, n, &errs, err, sizeof(err)), FLOWFILE_BLOCK_RECORDS);
	assert_int_equal(errs, 1);
	assert_non_null(strstr(err, "never closed"));
	flowfile_close(r);
	flowfile_writer_abort(w);
	assert_int_equal(access(tmp, F_OK), -1);
	free(f);
	free(g);
}

static void
test_flowfile_corrupt_exporter_table(void **state)
{
	struct tdir_fix *c = *state;
	struct flowfile_exporter e[3];
	struct flowfile_reader *r;
	struct errbuf eb;
	struct flow *f, *g;
	size_t n = 100, len;
	char path[512], err[512];
	uint8_t *b;
	int errs;

	memset(e, 0, sizeof(e));
	f = make_flows(n, 0);
	g = calloc(n, sizeof(*g));
	write_file(
	    c->dir, f, n, FLOWFILE_CODEC_NONE, 0, e, 3, path, sizeof(path));
	b = slurp(path, &len);
	b[len - 50] ^= 1; /* inside the last exporter entry */
	assert_int_equal(flowfile_open_mem(b, len, "exp", &r, &eb), 0);
	assert_int_equal(flowfile_header(r)->n_exporters, 0);
	assert_int_equal(read_all(r, g, n, &errs, err, sizeof(err)), n);
	assert_memory_equal(f, g, n * sizeof(*f));
	assert_int_equal(errs, 1);
	assert_non_null(strstr(err, "exp: exporter table at offset"));
	assert_int_equal(flowfile_lost(r), 0);
	assert_true(flowfile_damaged(r));
	flowfile_close(r);
	free(b);
	free(f);
	free(g);
}

static void
test_flowfile_writer_errors(void **state)
{
	struct tdir_fix *c = *state;
	struct flowfile_opts o = { .codec = 7 };
	struct flowfile_writer *w, *w2;
	struct flowfile_exporter e;
	char dir[128];

	snprintf(dir, sizeof(dir), "%s/missing", c->dir);
	assert_int_equal(
	    flowfile_writer_open(dir, T_START, T_END, NULL, &w), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(
	    flowfile_writer_open(c->dir, T_START, T_END, &o, &w), -1);
	assert_int_equal(errno, EINVAL);
	/* One writer per interval and directory in a process. */
	assert_int_equal(
	    flowfile_writer_open(c->dir, T_START, T_END, NULL, &w), 0);
	assert_int_equal(
	    flowfile_writer_open(c->dir, T_START, T_END, NULL, &w2), -1);
	assert_int_equal(errno, EEXIST);
	/* Too many exporters: close fails and removes the file. */
	memset(&e, 0, sizeof(e));
	assert_int_equal(
	    flowfile_writer_close(w, &e, FLOWFILE_MAX_EXPORTERS + 1, NULL, 0),
	    -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(rmdir(c->dir), 0);
	assert_int_equal(mkdir(c->dir, 0700), 0);
}

static void
test_flowfile_names(void **state)
{
	char buf[128];
	uint64_t t;

	(void)state;
	assert_int_equal(flowfile_format_name(T_START, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "ft-20231114-221500Z");
	assert_true(flowfile_parse_name(buf, &t));
	assert_int_equal(t, T_START);
	assert_true(flowfile_parse_name("ft-19700101-000000Z", &t));
	assert_int_equal(t, 0);
	assert_true(flowfile_parse_name("ft-20240229-235959Z-12", &t));
	assert_int_equal(t, 1709251199);
	assert_int_equal(flowfile_format_name(T_START, buf, 10), -1);

	assert_false(flowfile_parse_name("ft-20230229-000000Z", &t));
	assert_false(flowfile_parse_name("ft-20231314-000000Z", &t));
	assert_false(flowfile_parse_name("ft-20231114-240000Z", &t));
	assert_false(flowfile_parse_name("ft-20231114-221500", &t));
	assert_false(flowfile_parse_name("ft-20231114-221500Z-", &t));
	assert_false(flowfile_parse_name("ft-20231114-221500Z-0", &t));
	assert_false(flowfile_parse_name("ft-20231114-221500Z.tmp", &t));
	assert_false(flowfile_parse_name("ft-2023111-221500Z", &t));
	assert_false(flowfile_parse_name("", &t));
	assert_false(flowfile_parse_name(".ft-inprogress.1700000100.42", &t));
	assert_false(flowfile_parse_name(".ft-20231114-221500Z", &t));

	assert_int_equal(
	    flowfile_final_path("/x", T_START, 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/x/ft-20231114-221500Z");
	assert_int_equal(
	    flowfile_final_path("/x", T_START, 3, buf, sizeof(buf)), 0);
	assert_string_equal(
	    buf, "/x/2023/2023-11/2023-11-14/ft-20231114-221500Z");
	assert_int_equal(flowfile_final_path("/x", T_START, 3, buf, 20), -1);
}

static void
test_flowfile_publish_nested_no_replace(void **state)
{
	struct tdir_fix *c = *state;
	char p1[512], p2[512], want[512];
	struct stat st;

	write_file(
	    c->dir, NULL, 0, FLOWFILE_CODEC_NONE, 3, NULL, 0, p1, sizeof(p1));
	snprintf(want, sizeof(want),
	    "%s/2023/2023-11/2023-11-14/ft-20231114-221500Z", c->dir);
	assert_string_equal(p1, want);
	assert_int_equal(stat(p1, &st), 0);
	/* A second file for the same interval never replaces the first. */
	write_file(
	    c->dir, NULL, 0, FLOWFILE_CODEC_NONE, 3, NULL, 0, p2, sizeof(p2));
	strcat(want, "-1");
	assert_string_equal(p2, want);
	assert_int_equal(stat(p1, &st), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_flowfile_roundtrip_empty, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_flowfile_roundtrip_one, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_flowfile_roundtrip_many_none, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_flowfile_roundtrip_many_zstd, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_flowfile_bad_magic, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_flowfile_future_version, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_flowfile_truncated, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_flowfile_flipped_payload_byte, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_flowfile_flipped_block_header_byte, setup,
		    tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_flowfile_not_closed, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_flowfile_corrupt_exporter_table, setup, tdir_teardown),
		cmocka_unit_test_setup_teardown(
		    test_flowfile_writer_errors, setup, tdir_teardown),
		cmocka_unit_test(test_flowfile_names),
		cmocka_unit_test_setup_teardown(
		    test_flowfile_publish_nested_no_replace, setup,
		    tdir_teardown),
	};

	return cmocka_run_group_tests_name("flowfile", tests, NULL, NULL);
}
