/*
 * Flow-file throughput: writer records/s (including the fsync and publish
 * at close) and reader records/s from the page cache, uncompressed, LZ4
 * and zstd (levels -1 and 3), medians of several runs; plus CRC32C speed.
 * The records are synthetic, or taken from existing flow files (the
 * demo's, real traffic) and repeated up to the count asked for.
 * Driven by bench/flowfile.sh; never part of the test suite.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench/benchutil.h"
#include "lib/crc32c.h"
#include "lib/flowfile.h"

#define BATCH   1024
#define MAXRUNS 15

static uint64_t rs = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}

/* Traffic-like records: skewed host and port popularity, rising times. */
static void
gen(struct flow *f, size_t n, uint64_t base_ms)
{
	static const uint16_t ports[] = { 443, 80, 53, 123, 22, 993, 8080 };
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t r = rnd(), h = r % (1 + rnd() % 65536);

		memset(&f[i], 0, sizeof(f[i]));
		ft_addr_set_v4(&f[i].src, 0x0a000000u | (uint32_t)h);
		ft_addr_set_v4(&f[i].dst,
		    0x5d000000u + (uint32_t)(rnd() % (1 + rnd() % 1000000)));
		ft_addr_set_v4(
		    &f[i].exporter, 0xc0000201u + (uint32_t)(r >> 60) % 4);
		if (r % 4 != 0)
			ft_addr_set_v4(&f[i].nexthop, 0xc6336401u);
		f[i].dport = ports[(r >> 8) % 7];
		f[i].sport = (uint16_t)(32768 + (r >> 16) % 28000);
		f[i].proto = f[i].dport == 53 || f[i].dport == 123 ? 17 : 6;
		f[i].tcp_flags = f[i].proto == 6 ? 0x1b : 0;
		f[i].packets = 1 + rnd() % (1 + rnd() % 1000);
		f[i].bytes = f[i].packets * (40 + (r >> 24) % 1460);
		f[i].first_ms = base_ms + i * 300000 / n;
		f[i].last_ms = f[i].first_ms + (r >> 32) % 60000;
		f[i].in_if = 1 + (uint32_t)(r >> 40) % 4;
		f[i].out_if = 5 + (uint32_t)(r >> 42) % 4;
		f[i].src_as = 64512;
		f[i].dst_as = 13335 + (uint32_t)(h % 50);
		f[i].src_mask = 24;
		f[i].dst_mask = 16;
		f[i].sampling = 1;
		f[i].direction = 0;
	}
}

/* Fill f[0..n) with the records of the flow files paths[0..np), over and
 * over; exits on a read error or when the files hold no records. */
static void
load(struct flow *f, size_t n, char **paths, int np)
{
	struct flowfile_reader *r;
	struct errbuf eb;
	size_t have = 0, i;
	ssize_t k;
	int p;

	for (p = 0; p < np && have < n; p++) {
		if (flowfile_open(paths[p], &r, &eb) == -1) {
			fprintf(stderr, "%s\n", eb.msg);
			exit(1);
		}
		while (have < n &&
		    (k = flowfile_read(r, f + have,
			 n - have < BATCH ? n - have : BATCH, &eb)) != 0) {
			if (k < 0) {
				fprintf(stderr, "%s\n", eb.msg);
				exit(1);
			}
			have += (size_t)k;
		}
		flowfile_close(r);
	}
	if (have == 0) {
		fprintf(stderr, "no records in the files given\n");
		exit(1);
	}
	printf("records from %d files: %zu distinct\n", np, have);
	for (i = have; i < n; i++)
		f[i] = f[i % have];
}

static double
write_once(const char *dir, const struct flow *f, size_t n,
    enum flowfile_codec codec, int level, char *path, size_t len, double *tcpu)
{
	struct flowfile_opts o = { .codec = codec, .zstd_level = level };
	struct flowfile_writer *w;
	double t0 = bench_wall(), c0 = bench_cpu();
	size_t i;

	if (flowfile_writer_open(dir, 1700000100, 1700000400, &o, &w) == -1) {
		perror("writer_open");
		exit(1);
	}
	for (i = 0; i < n; i += BATCH)
		if (flowfile_write(w, f + i, n - i < BATCH ? n - i : BATCH) ==
		    -1) {
			perror("write");
			exit(1);
		}
	if (flowfile_writer_close(w, NULL, 0, path, len) == -1) {
		perror("writer_close");
		exit(1);
	}
	*tcpu = bench_cpu() - c0;
	return bench_wall() - t0;
}

static double
read_once(const char *path, size_t n, uint64_t *sum, double *tcpu)
{
	static struct flow buf[BATCH];
	struct flowfile_reader *r;
	struct errbuf eb;
	double t0 = bench_wall(), c0 = bench_cpu();
	size_t tot = 0;
	ssize_t k, i;

	if (flowfile_open(path, &r, &eb) == -1) {
		fprintf(stderr, "%s\n", eb.msg);
		exit(1);
	}
	while ((k = flowfile_read(r, buf, BATCH, &eb)) != 0) {
		if (k < 0) {
			fprintf(stderr, "%s\n", eb.msg);
			exit(1);
		}
		for (i = 0; i < k; i++)
			*sum += buf[i].bytes ^ buf[i].dst.v4;
		tot += (size_t)k;
	}
	flowfile_close(r);
	if (tot != n) {
		fprintf(stderr, "read %zu of %zu records\n", tot, n);
		exit(1);
	}
	*tcpu = bench_cpu() - c0;
	return bench_wall() - t0;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		enum flowfile_codec codec;
		int level;
	} cs[] = {
		{ "none", FLOWFILE_CODEC_NONE, 0 },
		{ "lz4", FLOWFILE_CODEC_LZ4, 0 },
		{ "zstd -1", FLOWFILE_CODEC_ZSTD, -1 },
		{ "zstd 3", FLOWFILE_CODEC_ZSTD, 3 },
	};
	const size_t ncs = sizeof(cs) / sizeof(cs[0]);
	double tw[MAXRUNS], tr[MAXRUNS], cw[MAXRUNS], cr[MAXRUNS], t, tc, dummy;
	char path[4096];
	struct flow *f;
	struct stat st;
	uint64_t sum = 0;
	size_t n;
	int runs, i;
	size_t c;

	if (argc < 4) {
		fprintf(stderr,
		    "usage: bench_flowfile DIR NRECORDS RUNS [FLOWFILE...]\n");
		return 2;
	}
	n = strtoul(argv[2], NULL, 10);
	runs = atoi(argv[3]);
	if (runs < 1 || runs > MAXRUNS || n == 0)
		return 2;
	if ((f = malloc(n * sizeof(*f))) == NULL)
		return 1;
	if (argc > 4)
		load(f, n, argv + 4, argc - 4);
	else
		gen(f, n, 1700000100000ULL);
	printf("records %zu, runs %d, crc32c %s\n", n, runs,
	    crc32c_hw_available() ? "sse4.2" : "software");
	for (c = 0; c < ncs; c++) {
		for (i = 0; i < runs; i++) {
			tw[i] = write_once(argv[1], f, n, cs[c].codec,
			    cs[c].level, path, sizeof(path), &cw[i]);
			if (i + 1 < runs)
				unlink(path);
		}
		stat(path, &st);
		read_once(path, n, &sum, &dummy); /* warm the page cache */
		for (i = 0; i < runs; i++)
			tr[i] = read_once(path, n, &sum, &cr[i]);
		t = bench_median(tw, runs);
		tc = bench_median(cw, runs);
		printf(
		    "write %s: %.2f M records/s per CPU second, %.2f M/s wall incl. fsync (file %.1f MB, %.1f bytes/record)\n",
		    cs[c].name, n / tc / 1e6, n / t / 1e6, st.st_size / 1e6,
		    (double)st.st_size / (double)n);
		t = bench_median(tr, runs);
		tc = bench_median(cr, runs);
		printf(
		    "read %s: %.2f M records/s per CPU second, %.2f M/s wall\n",
		    cs[c].name, n / tc / 1e6, n / t / 1e6);
		unlink(path);
	}
	{
		size_t len = 64 << 20;
		uint8_t *b = malloc(len);
		uint32_t k = 0;

		memset(b, 0x5a, len);
		t = bench_cpu();
		k ^= crc32c(0, b, len);
		printf("crc32c: %.2f GB per CPU second\n",
		    len / (bench_cpu() - t) / 1e9);
		t = bench_cpu();
		k ^= crc32c_sw(0, b, len);
		printf("crc32c software: %.2f GB per CPU second\n",
		    len / (bench_cpu() - t) / 1e9);
		sum ^= k;
		free(b);
	}
	fprintf(stderr, "checksum %" PRIx64 "\n", sum);
	free(f);
	return 0;
}
