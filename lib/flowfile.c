/*
 * Flow files, writing side: file names (format, parse, nested paths) and
 * the writer (in-progress name, blocks of fixed-size records, header
 * rewritten at close, publish without ever replacing a file). The layout is
 * in lib/flowfile_fmt.h and docs/FLOWFILE.md; the reader is flowfile_read.c.
 */
#include "lib/flowfile.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/afile.h"
#include "lib/crc32c.h"
#include "lib/ffcodec.h"
#include "lib/flowfile_fmt.h"

/* "YYYY/YYYY-MM/YYYY-MM-DD/" with room for any int. */
#define FF_NEST_MAX_DIR 80

/* ---------------------------------------------------------------- names */

int
flowfile_format_name(uint64_t start, char *buf, size_t len)
{
	struct tm tm;
	time_t t = (time_t)start;
	int n;

	if (start > (uint64_t)253402300799ULL || gmtime_r(&t, &tm) == NULL) {
		errno = ERANGE;
		return -1;
	}
	n = snprintf(buf, len, "%s%04d%02d%02d-%02d%02d%02dZ", FLOWFILE_PREFIX,
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int
flowfile_final_path(
    const char *dir, uint64_t start, int nest, char *buf, size_t len)
{
	char name[FLOWFILE_NAME_MAX], sub[FF_NEST_MAX_DIR];
	struct tm tm;
	time_t t = (time_t)start;
	int n;

	if (flowfile_format_name(start, name, sizeof(name)) == -1)
		return -1;
	sub[0] = '\0';
	if (nest > 0) {
		gmtime_r(&t, &tm);
		snprintf(sub, sizeof(sub), "%04d/%04d-%02d/%04d-%02d-%02d/",
		    tm.tm_year + 1900, tm.tm_year + 1900, tm.tm_mon + 1,
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	}
	n = snprintf(buf, len, "%s/%s%s", dir, sub, name);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* Parse exactly n decimal digits at s. */
static int
ff_digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's method). */
static int64_t
ff_days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

bool
flowfile_parse_name(const char *name, uint64_t *start)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };
	size_t pl = strlen(FLOWFILE_PREFIX);
	int y, mo, d, h, mi, s, k;
	const char *p;
	bool leap;

	if (strncmp(name, FLOWFILE_PREFIX, pl) != 0)
		return false;
	p = name + pl;
	if (ff_digits(p, 4, &y) == -1 || ff_digits(p + 4, 2, &mo) == -1 ||
	    ff_digits(p + 6, 2, &d) == -1 || p[8] != '-' ||
	    ff_digits(p + 9, 2, &h) == -1 || ff_digits(p + 11, 2, &mi) == -1 ||
	    ff_digits(p + 13, 2, &s) == -1 || p[15] != 'Z')
		return false;
	p += 16;
	/* An optional "-N" publish suffix, N in 1..999999 without zeros. */
	if (*p == '-') {
		p++;
		if (*p < '1' || *p > '9')
			return false;
		for (k = 0; *p >= '0' && *p <= '9' && k < 6; k++)
			p++;
	}
	if (*p != '\0')
		return false;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    h > 23 || mi > 59 || s > 59)
		return false;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo == 2 && d == 29 && !leap)
		return false;
	if (start != NULL)
		*start = (uint64_t)ff_days_from_civil(y, mo, d) * 86400 +
		    (uint64_t)h * 3600 + (uint64_t)mi * 60 + (uint64_t)s;
	return true;
}

/* --------------------------------------------------------------- writer */

static const char *const ff_codec_names[] = {
	[FLOWFILE_CODEC_NONE] = "none",
	[FLOWFILE_CODEC_ZSTD] = "zstd",
	[FLOWFILE_CODEC_LZ4] = "lz4",
};

int
flowfile_codec_parse(const char *name, enum flowfile_codec *c)
{
	size_t i;

	for (i = 0; i < sizeof(ff_codec_names) / sizeof(ff_codec_names[0]); i++)
		if (strcmp(name, ff_codec_names[i]) == 0) {
			*c = (enum flowfile_codec)i;
			return 0;
		}
	return -1;
}

struct flowfile_writer {
	int fd;
	int nest;
	int level;
	enum flowfile_codec codec;
	uint64_t start;
	uint64_t end;
	uint64_t off;
	uint64_t records;
	uint64_t blocks;
	char creator[32];
	char dir[PATH_MAX];
	char tmp[PATH_MAX];
	size_t npend;  /* records in the block being built */
	int fmt;       /* its record format (FF_FMT_V4 until an IPv6 one) */
	uint8_t *raw;  /* block header + the records encoded as rows */
	uint8_t *zbuf; /* block header + encoded payload */
	struct ff_enc *enc; /* NULL: no compression */
};

static int
ff_pwrite_all(int fd, const void *p, size_t n, off_t off)
{
	const uint8_t *c = p;
	ssize_t w;

	while (n > 0) {
		w = pwrite(fd, c, n, off);
		if (w == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
		off += w;
	}
	return 0;
}

static void
ff_encode_header(uint8_t *h, const struct flowfile_writer *w, uint32_t flags,
    uint64_t exp_off, uint32_t n_exp, uint32_t exp_crc)
{
	char host[256];

	memset(h, 0, FF_HDR_LEN);
	memcpy(h + FH_MAGIC, ff_magic, sizeof(ff_magic));
	put16(h + FH_VERSION, FLOWFILE_VERSION);
	put16(h + FH_HDRLEN, FF_HDR_LEN);
	put32(h + FH_FLAGS, flags);
	put64(h + FH_START, w->start);
	put64(h + FH_END, w->end);
	put64(h + FH_RECORDS, w->records);
	put64(h + FH_BLOCKS, w->blocks);
	put64(h + FH_EXP_OFF, exp_off);
	put32(h + FH_EXP_N, n_exp);
	put32(h + FH_EXP_LEN, FF_EXP_LEN);
	put32(h + FH_EXP_CRC, exp_crc);
	if (flags & FF_F_CLOSED) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		put64(h + FH_CREATED,
		    (uint64_t)ts.tv_sec * 1000 +
			(uint64_t)ts.tv_nsec / 1000000);
	}
	ff_put_str(h + FH_CREATOR, w->creator, 32);
	if (gethostname(host, sizeof(host)) == -1)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	ff_put_str(h + FH_HOST, host, 64);
	put32(h + FH_CRC, crc32c(0, h, FH_CRC));
}

static void
ff_writer_free(struct flowfile_writer *w)
{
	if (w == NULL)
		return;
	ff_enc_free(w->enc);
	free(w->raw);
	free(w->zbuf);
	free(w);
}

int
flowfile_writer_open(const char *dir, uint64_t start, uint64_t end,
    const struct flowfile_opts *opts, struct flowfile_writer **out)
{
	struct flowfile_writer *w;
	uint8_t h[FF_HDR_LEN];
	int n, saved;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return -1;
	w->fd = -1;
	w->start = start;
	w->end = end;
	w->off = FF_HDR_LEN;
	w->codec = opts != NULL ? opts->codec : FLOWFILE_CODEC_NONE;
	w->level = opts != NULL ? opts->zstd_level : 0;
	w->nest = opts != NULL ? opts->nest : 0;
	snprintf(w->creator, sizeof(w->creator), "%s",
	    opts != NULL && opts->creator != NULL ? opts->creator
						  : "flowtally");
	if (w->codec != FLOWFILE_CODEC_NONE &&
	    w->codec != FLOWFILE_CODEC_ZSTD && w->codec != FLOWFILE_CODEC_LZ4) {
		errno = EINVAL;
		goto fail;
	}
	/* zstd's fast levels are negative (-7 ... -1). */
	if (w->level == 0 || w->level < -7 || w->level > 19)
		w->level = 3;
	n = snprintf(w->dir, sizeof(w->dir), "%s", dir);
	if (n < 0 || (size_t)n >= sizeof(w->dir)) {
		errno = ENAMETOOLONG;
		goto fail;
	}
	n = snprintf(w->tmp, sizeof(w->tmp),
	    "%s/.ft-inprogress.%" PRIu64 ".%ld", dir, start, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(w->tmp)) {
		errno = ENAMETOOLONG;
		goto fail;
	}
	w->fmt = FF_FMT_V4;
	w->raw = malloc(FF_BLK_HDR_LEN + FF_RAW_MAX);
	if (w->raw == NULL)
		goto fail;
	if (w->codec != FLOWFILE_CODEC_NONE) {
		w->enc = ff_enc_new(w->codec == FLOWFILE_CODEC_ZSTD
			? FF_CODEC_ZSTD_SPARSE
			: FF_CODEC_LZ4_SPARSE,
		    w->level, FF_RAW_MAX);
		if (w->enc == NULL ||
		    (w->zbuf = malloc(FF_BLK_HDR_LEN + ff_enc_bound(w->enc))) ==
			NULL)
			goto fail;
	}
	w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (w->fd == -1)
		goto fail;
	ff_encode_header(h, w, 0, 0, 0, 0);
	if (afile_write_fd(w->fd, h, sizeof(h)) == -1)
		goto fail_unlink;
	*out = w;
	return 0;

fail_unlink:
	saved = errno;
	close(w->fd);
	unlink(w->tmp);
	errno = saved;
	w->fd = -1;
fail:
	saved = errno;
	ff_writer_free(w);
	errno = saved;
	return -1;
}

static int
ff_flush_block(struct flowfile_writer *w)
{
	uint8_t *blk, *rows;
	size_t rl, raw_len, stored;
	int fmt = w->fmt, codec = FF_CODEC_NONE;

	if (w->npend == 0)
		return 0;
	rl = ff_rec_len(fmt);
	raw_len = rl * w->npend;
	rows = w->raw + FF_BLK_HDR_LEN;
	blk = w->raw;
	stored = raw_len;
	if (w->enc != NULL) {
		/* 0: not smaller than the rows, which are stored then. */
		size_t z = ff_enc_block(
		    w->enc, w->zbuf + FF_BLK_HDR_LEN, rows, w->npend, rl);

		if (z > 0) {
			blk = w->zbuf;
			stored = z;
			codec = ff_enc_codec(w->enc);
		}
	}
	memcpy(blk + FB_MAGIC, ff_blk_magic, 4);
	put32(blk + FB_NREC, (uint32_t)w->npend);
	blk[FB_FORMAT] = (uint8_t)fmt;
	blk[FB_CODEC] = (uint8_t)codec;
	blk[10] = blk[11] = 0;
	put32(blk + FB_RAWLEN, (uint32_t)raw_len);
	put32(blk + FB_STORLEN, (uint32_t)stored);
	put32(blk + FB_PCRC, crc32c(0, blk + FF_BLK_HDR_LEN, stored));
	put32(blk + 24, 0);
	put32(blk + FB_HCRC, crc32c(0, blk, FB_HCRC));
	if (afile_write_fd(w->fd, blk, FF_BLK_HDR_LEN + stored) == -1)
		return -1;
	w->off += FF_BLK_HDR_LEN + stored;
	w->records += w->npend;
	w->blocks++;
	w->npend = 0;
	w->fmt = FF_FMT_V4;
	return 0;
}

static bool
ff_has_v6(const struct flow *f)
{
	return f->src.family == FT_AF_INET6 || f->dst.family == FT_AF_INET6 ||
	    f->nexthop.family == FT_AF_INET6 ||
	    f->exporter.family == FT_AF_INET6;
}

/*
 * The block's first IPv6 record: re-encode the IPv4-format rows so far in
 * the IPv6 format, in place, last first (each wider row lies at or after
 * its narrower one). Decoding a row gives back what was encoded, so the
 * rows are those a block built in the IPv6 format from the start has.
 */
static void
ff_widen(struct flowfile_writer *w)
{
	uint8_t *rows = w->raw + FF_BLK_HDR_LEN;
	struct flow f;
	size_t i;

	for (i = w->npend; i-- > 0;) {
		ff_decode(rows + i * FF_REC_V4, &f, FF_FMT_V4);
		ff_encode(rows + i * FF_REC_V6, &f, FF_FMT_V6);
	}
	w->fmt = FF_FMT_V6;
}

int
flowfile_write(struct flowfile_writer *w, const struct flow *flows, size_t n)
{
	uint8_t *rows = w->raw + FF_BLK_HDR_LEN;
	size_t i;

	/* Records are encoded as they come, into the block's rows. */
	for (i = 0; i < n; i++) {
		if (w->fmt == FF_FMT_V4) {
			if (!ff_has_v6(&flows[i]))
				ff_encode(rows + w->npend * FF_REC_V4,
				    &flows[i], FF_FMT_V4);
			else {
				ff_widen(w);
				ff_encode(rows + w->npend * FF_REC_V6,
				    &flows[i], FF_FMT_V6);
			}
		} else
			ff_encode(
			    rows + w->npend * FF_REC_V6, &flows[i], FF_FMT_V6);
		w->npend++;
		if (w->npend == FLOWFILE_BLOCK_RECORDS &&
		    ff_flush_block(w) == -1)
			return -1;
	}
	return 0;
}

/*
 * Move tmp to final without ever replacing an existing file: link() fails
 * with EEXIST where rename() would overwrite.
 */
static int
ff_publish(const char *tmp, const char *final)
{
	if (link(tmp, final) == -1)
		return -1;
	if (unlink(tmp) == -1)
		return -1;
	return 0;
}

int
flowfile_writer_close(struct flowfile_writer *w,
    const struct flowfile_exporter *exp, size_t n_exp, char *final_path,
    size_t len)
{
	char base[PATH_MAX], final[PATH_MAX], d[PATH_MAX];
	uint8_t h[FF_HDR_LEN];
	uint8_t *et = NULL;
	uint64_t exp_off;
	uint32_t exp_crc;
	size_t i;
	int k, n, saved;
	char *slash;

	if (n_exp > FLOWFILE_MAX_EXPORTERS) {
		errno = EINVAL;
		goto fail;
	}
	if (ff_flush_block(w) == -1)
		goto fail;
	exp_off = w->off;
	if (n_exp > 0 && (et = calloc(n_exp, FF_EXP_LEN)) == NULL)
		goto fail;
	for (i = 0; i < n_exp; i++)
		ff_encode_exporter(et + i * FF_EXP_LEN, &exp[i]);
	exp_crc = crc32c(0, et != NULL ? et : h, n_exp * FF_EXP_LEN);
	if (n_exp > 0 && afile_write_fd(w->fd, et, n_exp * FF_EXP_LEN) == -1)
		goto fail;
	ff_encode_header(h, w, FF_F_CLOSED, exp_off, (uint32_t)n_exp, exp_crc);
	if (ff_pwrite_all(w->fd, h, sizeof(h), 0) == -1)
		goto fail;
	if (afile_sync_close(&w->fd) == -1)
		goto fail;
	if (flowfile_final_path(
		w->dir, w->start, w->nest, base, sizeof(base)) == -1)
		goto fail;
	if (w->nest > 0) {
		snprintf(d, sizeof(d), "%s", base);
		if ((slash = strrchr(d, '/')) != NULL)
			*slash = '\0';
		if (afile_mkdirs(d, 0755) == -1)
			goto fail;
	}
	snprintf(final, sizeof(final), "%s", base);
	for (k = 1; ff_publish(w->tmp, final) == -1; k++) {
		if (errno != EEXIST || k > 999)
			goto fail;
		n = snprintf(final, sizeof(final), "%s-%d", base, k);
		if (n < 0 || (size_t)n >= sizeof(final)) {
			errno = ENAMETOOLONG;
			goto fail;
		}
	}
	if (afile_sync_dir(final) == -1)
		goto fail_published;
	if (w->nest > 0 && afile_sync_dir(w->tmp) == -1)
		goto fail_published;
	if (final_path != NULL)
		snprintf(final_path, len, "%s", final);
	free(et);
	ff_writer_free(w);
	return 0;

fail_published:
	/* The file is complete under its final name; only durability failed. */
	saved = errno;
	if (final_path != NULL)
		snprintf(final_path, len, "%s", final);
	free(et);
	ff_writer_free(w);
	errno = saved;
	return -1;
fail:
	saved = errno;
	if (w->fd != -1)
		close(w->fd);
	unlink(w->tmp);
	free(et);
	ff_writer_free(w);
	errno = saved;
	return -1;
}

void
flowfile_writer_abort(struct flowfile_writer *w)
{
	if (w == NULL)
		return;
	if (w->fd != -1)
		close(w->fd);
	unlink(w->tmp);
	ff_writer_free(w);
}
