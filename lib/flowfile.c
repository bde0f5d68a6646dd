/*
 * Flow files: the writer (in-progress name, blocks of fixed-size records,
 * header rewritten at close, no-replace publish) and the validating reader
 * (bounds-checked, CRC32C per block, salvages intact blocks). The layout is
 * in lib/flowfile.h and docs/FLOWFILE.md.
 */
#include "lib/flowfile.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zstd.h>

#include "lib/afile.h"
#include "lib/crc32c.h"

#define FF_HDR_LEN     256
#define FF_F_CLOSED    0x1u
#define FF_BLK_HDR_LEN 32
#define FF_EXP_LEN     96
#define FF_FMT_V4      1
#define FF_FMT_V6      2
#define FF_REC_V4      88
#define FF_REC_V6      136
#define FF_REC_MAX     FF_REC_V6
#define FF_RAW_MAX     ((size_t)FLOWFILE_BLOCK_RECORDS * FF_REC_MAX)
/* "YYYY/YYYY-MM/YYYY-MM-DD/" with room for any int. */
#define FF_NEST_MAX_DIR 80

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
static unsigned
ff_fam_code(const struct ft_addr *a)
{
	if (a->family == FT_AF_INET)
		return 1;
	if (a->family == FT_AF_INET6)
		return 2;
	return 0;
}

/* An address into a slot of 4 or 16 bytes (network byte order). */
static void
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

/* Encode one record in format fmt at p (FF_REC_V4 or FF_REC_V6 bytes). */
static void
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

static size_t
ff_rec_len(int fmt)
{
	if (fmt == FF_FMT_V4)
		return FF_REC_V4;
	if (fmt == FF_FMT_V6)
		return FF_REC_V6;
	return 0;
}

static void
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

static void
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
static void
ff_put_str(uint8_t *p, const char *s, size_t n)
{
	size_t l = s != NULL ? strnlen(s, n - 1) : 0;

	memset(p, 0, n);
	if (l > 0)
		memcpy(p, s, l);
}

/* A NUL-padded field back into dst of n bytes, printable ASCII only. */
static void
ff_get_str(char *dst, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n && p[i] != 0; i++)
		dst[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '?';
	dst[i] = '\0';
}

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
	struct flow *pend; /* FLOWFILE_BLOCK_RECORDS buffered records */
	size_t npend;
	uint8_t *raw;  /* block header + raw payload */
	uint8_t *zbuf; /* block header + compressed payload */
	size_t zcap;
	ZSTD_CCtx *cctx;
};

static int
ff_write_all(int fd, const void *p, size_t n)
{
	const uint8_t *c = p;
	ssize_t w;

	while (n > 0) {
		w = write(fd, c, n);
		if (w == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

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
	ZSTD_freeCCtx(w->cctx);
	free(w->pend);
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
	    w->codec != FLOWFILE_CODEC_ZSTD) {
		errno = EINVAL;
		goto fail;
	}
	if (w->level < 1 || w->level > 19)
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
	w->pend = malloc(sizeof(*w->pend) * FLOWFILE_BLOCK_RECORDS);
	w->raw = malloc(FF_BLK_HDR_LEN + FF_RAW_MAX);
	if (w->pend == NULL || w->raw == NULL)
		goto fail;
	if (w->codec == FLOWFILE_CODEC_ZSTD) {
		w->zcap = ZSTD_compressBound(FF_RAW_MAX);
		if ((w->zbuf = malloc(FF_BLK_HDR_LEN + w->zcap)) == NULL)
			goto fail;
		if ((w->cctx = ZSTD_createCCtx()) == NULL) {
			errno = ENOMEM;
			goto fail;
		}
	}
	w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (w->fd == -1)
		goto fail;
	ff_encode_header(h, w, 0, 0, 0, 0);
	if (ff_write_all(w->fd, h, sizeof(h)) == -1)
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
	const struct flow *f;
	uint8_t *blk, *pay;
	size_t i, rl, raw_len, stored;
	int fmt = FF_FMT_V4, codec = FLOWFILE_CODEC_NONE;

	if (w->npend == 0)
		return 0;
	for (i = 0; i < w->npend; i++) {
		f = &w->pend[i];
		if (f->src.family == FT_AF_INET6 ||
		    f->dst.family == FT_AF_INET6 ||
		    f->nexthop.family == FT_AF_INET6 ||
		    f->exporter.family == FT_AF_INET6) {
			fmt = FF_FMT_V6;
			break;
		}
	}
	rl = ff_rec_len(fmt);
	raw_len = rl * w->npend;
	pay = w->raw + FF_BLK_HDR_LEN;
	for (i = 0; i < w->npend; i++)
		ff_encode(pay + i * rl, &w->pend[i], fmt);
	blk = w->raw;
	stored = raw_len;
	if (w->codec == FLOWFILE_CODEC_ZSTD) {
		size_t z = ZSTD_compressCCtx(w->cctx, w->zbuf + FF_BLK_HDR_LEN,
		    w->zcap, pay, raw_len, w->level);

		/* Incompressible blocks are stored raw. */
		if (!ZSTD_isError(z) && z < raw_len) {
			blk = w->zbuf;
			stored = z;
			codec = FLOWFILE_CODEC_ZSTD;
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
	if (ff_write_all(w->fd, blk, FF_BLK_HDR_LEN + stored) == -1)
		return -1;
	w->off += FF_BLK_HDR_LEN + stored;
	w->records += w->npend;
	w->blocks++;
	w->npend = 0;
	return 0;
}

int
flowfile_write(struct flowfile_writer *w, const struct flow *flows, size_t n)
{
	size_t k;

	while (n > 0) {
		k = FLOWFILE_BLOCK_RECORDS - w->npend;
		if (k > n)
			k = n;
		memcpy(w->pend + w->npend, flows, k * sizeof(*flows));
		w->npend += k;
		flows += k;
		n -= k;
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
	if (n_exp > 0 && ff_write_all(w->fd, et, n_exp * FF_EXP_LEN) == -1)
		goto fail;
	ff_encode_header(h, w, FF_F_CLOSED, exp_off, (uint32_t)n_exp, exp_crc);
	if (ff_pwrite_all(w->fd, h, sizeof(h), 0) == -1)
		goto fail;
	if (fsync(w->fd) == -1)
		goto fail;
	if (close(w->fd) == -1) {
		w->fd = -1;
		goto fail;
	}
	w->fd = -1;
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

/* --------------------------------------------------------------- reader */

struct flowfile_reader {
	char name[PATH_MAX];
	int fd;             /* -1 when reading memory */
	const uint8_t *mem; /* the memory source */
	uint64_t size;      /* bytes in the source */
	struct flowfile_header hdr;
	uint64_t off;      /* next block header */
	uint64_t data_end; /* where blocks end */
	uint8_t *io;       /* pread buffer (files only) */
	size_t iocap;
	uint8_t *raw; /* decompressed payload */
	ZSTD_DCtx *dctx;
	const uint8_t *blk; /* current block's records */
	uint32_t blk_n;
	uint32_t blk_cur;
	int blk_fmt;
	uint64_t delivered;
	uint64_t lost;
	bool damaged;
	bool at_end;
	bool pending;
	char pending_msg[sizeof(((struct errbuf *)0)->msg)];
};

/*
 * Point *p at len bytes of the source at off (the caller checked that they
 * lie within size). Returns 0, or -1 if the file could not be read.
 */
static int
ff_fetch(struct flowfile_reader *r, uint64_t off, size_t len, const uint8_t **p)
{
	size_t got = 0;
	ssize_t n;

	if (r->fd == -1) {
		*p = r->mem + off;
		return 0;
	}
	if (len > r->iocap) {
		errno = EFBIG;
		return -1;
	}
	while (got < len) {
		n = pread(r->fd, r->io + got, len - got, (off_t)(off + got));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0) {
			errno = EIO; /* the file shrank under us */
			return -1;
		}
		got += (size_t)n;
	}
	*p = r->io;
	return 0;
}

static void ff_pending(struct flowfile_reader *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ff_pending(struct flowfile_reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->pending_msg, sizeof(r->pending_msg), fmt, ap);
	va_end(ap);
	r->pending = true;
	r->damaged = true;
}

/* Validate the header and the exporter table; 0 or -1 with eb set. */
static int
ff_open_common(struct flowfile_reader *r, struct errbuf *eb)
{
	struct flowfile_header *hd = &r->hdr;
	const uint8_t *h, *et;
	uint64_t exp_off;
	uint32_t n_exp, i;
	uint16_t hlen;

	if (r->size < FF_HDR_LEN) {
		errbuf_set(eb, "%s: truncated header (%" PRIu64 " of %d bytes)",
		    r->name, r->size, FF_HDR_LEN);
		return -1;
	}
	if (ff_fetch(r, 0, FF_HDR_LEN, &h) == -1) {
		errbuf_set(eb, "%s: read header: %s", r->name, strerror(errno));
		return -1;
	}
	if (memcmp(h, ff_magic, sizeof(ff_magic)) != 0) {
		errbuf_set(
		    eb, "%s: not a flowtally flow file (bad magic)", r->name);
		return -1;
	}
	hd->version = le16(h + FH_VERSION);
	if (hd->version != FLOWFILE_VERSION) {
		errbuf_set(eb,
		    "%s: unsupported flow file format version %u (this program reads version %d)",
		    r->name, hd->version, FLOWFILE_VERSION);
		return -1;
	}
	hlen = le16(h + FH_HDRLEN);
	if (hlen != FF_HDR_LEN) {
		errbuf_set(eb, "%s: bad header length %u", r->name, hlen);
		return -1;
	}
	if (crc32c(0, h, FH_CRC) != le32(h + FH_CRC)) {
		errbuf_set(
		    eb, "%s: header checksum mismatch at offset 0", r->name);
		return -1;
	}
	hd->start = le64(h + FH_START);
	hd->end = le64(h + FH_END);
	hd->records = le64(h + FH_RECORDS);
	hd->blocks = le64(h + FH_BLOCKS);
	hd->created_ms = le64(h + FH_CREATED);
	hd->closed = (le32(h + FH_FLAGS) & FF_F_CLOSED) != 0;
	ff_get_str(hd->creator, h + FH_CREATOR, sizeof(hd->creator));
	ff_get_str(hd->host, h + FH_HOST, sizeof(hd->host));
	exp_off = le64(h + FH_EXP_OFF);
	n_exp = le32(h + FH_EXP_N);
	r->off = FF_HDR_LEN;
	r->data_end = r->size;
	if (!hd->closed) {
		ff_pending(r,
		    "%s: never closed by its writer (header at offset 0); reading blocks up to end of file",
		    r->name);
		return 0;
	}
	if (le32(h + FH_EXP_LEN) != FF_EXP_LEN ||
	    n_exp > FLOWFILE_MAX_EXPORTERS || exp_off < FF_HDR_LEN) {
		errbuf_set(
		    eb, "%s: bad exporter table fields in header", r->name);
		return -1;
	}
	{
		uint32_t exp_crc = le32(h + FH_EXP_CRC);

		if (exp_off > r->size ||
		    r->size - exp_off < (uint64_t)n_exp * FF_EXP_LEN) {
			ff_pending(r,
			    "%s: truncated at offset %" PRIu64
			    " (exporter table expected at offset %" PRIu64 ")",
			    r->name, r->size, exp_off);
			if (exp_off < r->size)
				r->data_end = exp_off;
			return 0;
		}
		r->data_end = exp_off;
		if (ff_fetch(r, exp_off, (size_t)n_exp * FF_EXP_LEN, &et) ==
		    -1) {
			errbuf_set(eb, "%s: read exporter table: %s", r->name,
			    strerror(errno));
			return -1;
		}
		if (crc32c(0, et, (size_t)n_exp * FF_EXP_LEN) != exp_crc) {
			ff_pending(r,
			    "%s: exporter table at offset %" PRIu64
			    " is corrupt (checksum mismatch); exporter counters dropped",
			    r->name, exp_off);
			return 0;
		}
		if (n_exp > 0) {
			hd->exporters = calloc(n_exp, sizeof(*hd->exporters));
			if (hd->exporters == NULL) {
				errbuf_set(eb, "%s: out of memory", r->name);
				return -1;
			}
		}
		for (i = 0; i < n_exp; i++)
			ff_decode_exporter(
			    et + (size_t)i * FF_EXP_LEN, &hd->exporters[i]);
		hd->n_exporters = n_exp;
	}
	return 0;
}

static struct flowfile_reader *
ff_reader_new(const char *name, struct errbuf *eb)
{
	struct flowfile_reader *r;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		errbuf_set(eb, "%s: out of memory", name);
		return NULL;
	}
	r->fd = -1;
	snprintf(r->name, sizeof(r->name), "%s", name);
	return r;
}

int
flowfile_open(const char *path, struct flowfile_reader **out, struct errbuf *eb)
{
	struct flowfile_reader *r;
	struct stat st;

	if ((r = ff_reader_new(path, eb)) == NULL)
		return -1;
	if ((r->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		errbuf_set(eb, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (fstat(r->fd, &st) == -1) {
		errbuf_set(eb, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		errbuf_set(eb, "%s: not a regular file", path);
		goto fail;
	}
	r->size = (uint64_t)st.st_size;
	r->iocap = FF_BLK_HDR_LEN + ZSTD_compressBound(FF_RAW_MAX);
	if (r->iocap < (size_t)FLOWFILE_MAX_EXPORTERS * FF_EXP_LEN)
		r->iocap = (size_t)FLOWFILE_MAX_EXPORTERS * FF_EXP_LEN;
	if ((r->io = malloc(r->iocap)) == NULL) {
		errbuf_set(eb, "%s: out of memory", path);
		goto fail;
	}
	if (ff_open_common(r, eb) == -1)
		goto fail;
	*out = r;
	return 0;

fail:
	flowfile_close(r);
	return -1;
}

int
flowfile_open_mem(const void *p, size_t len, const char *name,
    struct flowfile_reader **out, struct errbuf *eb)
{
	struct flowfile_reader *r;

	if ((r = ff_reader_new(name != NULL ? name : "<memory>", eb)) == NULL)
		return -1;
	r->mem = p;
	r->size = len;
	if (ff_open_common(r, eb) == -1) {
		flowfile_close(r);
		return -1;
	}
	*out = r;
	return 0;
}

const struct flowfile_header *
flowfile_header(const struct flowfile_reader *r)
{
	return &r->hdr;
}

uint64_t
flowfile_lost(const struct flowfile_reader *r)
{
	return r->lost;
}

bool
flowfile_damaged(const struct flowfile_reader *r)
{
	return r->damaged;
}

const char *
flowfile_name(const struct flowfile_reader *r)
{
	return r->name;
}

void
flowfile_close(struct flowfile_reader *r)
{
	if (r == NULL)
		return;
	if (r->fd != -1)
		close(r->fd);
	ZSTD_freeDCtx(r->dctx);
	free(r->hdr.exporters);
	free(r->io);
	free(r->raw);
	free(r);
}

/* Whether a valid block header starts at p (magic and header CRC). */
static bool
ff_blk_hdr_ok(const uint8_t *p)
{
	return memcmp(p + FB_MAGIC, ff_blk_magic, 4) == 0 &&
	    crc32c(0, p, FB_HCRC) == le32(p + FB_HCRC);
}

/*
 * After a corrupt block header at r->off, move r->off to the next offset
 * holding a valid block header, or to data_end.
 */
static void
ff_resync(struct flowfile_reader *r)
{
	const uint8_t *p;
	uint64_t pos = r->off + 1;
	size_t win, i;

	while (pos + FF_BLK_HDR_LEN <= r->data_end) {
		win = r->data_end - pos;
		if (win > 65536 + FF_BLK_HDR_LEN)
			win = 65536 + FF_BLK_HDR_LEN;
		if (ff_fetch(r, pos, win, &p) == -1)
			break;
		for (i = 0; i + FF_BLK_HDR_LEN <= win; i++) {
			if (p[i] == ff_blk_magic[0] && ff_blk_hdr_ok(p + i)) {
				r->off = pos + i;
				return;
			}
		}
		pos += i;
	}
	r->off = r->data_end;
}

/*
 * Load the block at r->off. Returns 0 (r->blk set), or -1 with eb naming the
 * damage; r->off then points past it (or at the next candidate block).
 */
static int
ff_load_block(struct flowfile_reader *r, struct errbuf *eb)
{
	const uint8_t *p;
	uint64_t boff = r->off;
	uint32_t nrec, raw_len, stored, pcrc;
	int fmt, codec;
	size_t rl, z;

	if (r->data_end - boff < FF_BLK_HDR_LEN) {
		errbuf_set(eb, "%s: truncated block header at offset %" PRIu64,
		    r->name, boff);
		r->off = r->data_end;
		return -1;
	}
	if (ff_fetch(r, boff, FF_BLK_HDR_LEN, &p) == -1) {
		errbuf_set(eb, "%s: read block at offset %" PRIu64 ": %s",
		    r->name, boff, strerror(errno));
		r->off = r->data_end;
		return -1;
	}
	if (!ff_blk_hdr_ok(p)) {
		errbuf_set(eb, "%s: corrupt block header at offset %" PRIu64,
		    r->name, boff);
		ff_resync(r);
		return -1;
	}
	nrec = le32(p + FB_NREC);
	fmt = p[FB_FORMAT];
	codec = p[FB_CODEC];
	raw_len = le32(p + FB_RAWLEN);
	stored = le32(p + FB_STORLEN);
	pcrc = le32(p + FB_PCRC);
	rl = ff_rec_len(fmt);
	if (rl == 0 || nrec == 0 || nrec > FLOWFILE_BLOCK_RECORDS ||
	    raw_len != nrec * rl ||
	    (codec != FLOWFILE_CODEC_NONE && codec != FLOWFILE_CODEC_ZSTD) ||
	    (codec == FLOWFILE_CODEC_NONE && stored != raw_len) ||
	    stored > ZSTD_compressBound(FF_RAW_MAX)) {
		errbuf_set(eb,
		    "%s: block at offset %" PRIu64
		    " has an unknown format, codec or bad lengths",
		    r->name, boff);
		ff_resync(r);
		return -1;
	}
	if (r->data_end - boff - FF_BLK_HDR_LEN < stored) {
		r->lost += nrec;
		errbuf_set(eb,
		    "%s: truncated block at offset %" PRIu64
		    ": %u records lost",
		    r->name, boff, nrec);
		r->off = r->data_end;
		return -1;
	}
	r->off = boff + FF_BLK_HDR_LEN + stored;
	if (ff_fetch(r, boff + FF_BLK_HDR_LEN, stored, &p) == -1) {
		r->lost += nrec;
		errbuf_set(eb, "%s: read block at offset %" PRIu64 ": %s",
		    r->name, boff, strerror(errno));
		return -1;
	}
	if (crc32c(0, p, stored) != pcrc) {
		r->lost += nrec;
		errbuf_set(eb,
		    "%s: block at offset %" PRIu64
		    " is corrupt (checksum mismatch): %u records lost",
		    r->name, boff, nrec);
		return -1;
	}
	if (codec == FLOWFILE_CODEC_ZSTD) {
		if (r->raw == NULL && (r->raw = malloc(FF_RAW_MAX)) == NULL) {
			r->lost += nrec;
			errbuf_set(eb, "%s: out of memory", r->name);
			return -1;
		}
		if (r->dctx == NULL && (r->dctx = ZSTD_createDCtx()) == NULL) {
			r->lost += nrec;
			errbuf_set(eb, "%s: out of memory", r->name);
			return -1;
		}
		z = ZSTD_decompressDCtx(r->dctx, r->raw, raw_len, p, stored);
		if (ZSTD_isError(z) || z != raw_len) {
			r->lost += nrec;
			errbuf_set(eb,
			    "%s: block at offset %" PRIu64
			    " does not decompress: %u records lost",
			    r->name, boff, nrec);
			return -1;
		}
		p = r->raw;
	}
	r->blk = p;
	r->blk_n = nrec;
	r->blk_cur = 0;
	r->blk_fmt = fmt;
	return 0;
}

ssize_t
flowfile_read(
    struct flowfile_reader *r, struct flow *out, size_t max, struct errbuf *eb)
{
	const uint8_t *p;
	size_t i, n, rl;
	uint64_t seen;

	for (;;) {
		if (r->pending) {
			errbuf_set(eb, "%s", r->pending_msg);
			r->pending = false;
			return -1;
		}
		if (r->blk_cur < r->blk_n) {
			n = r->blk_n - r->blk_cur;
			if (n > max)
				n = max;
			rl = ff_rec_len(r->blk_fmt);
			p = r->blk + (size_t)r->blk_cur * rl;
			if (r->blk_fmt == FF_FMT_V4) {
				for (i = 0; i < n; i++)
					ff_decode(p + i * FF_REC_V4, &out[i],
					    FF_FMT_V4);
			} else {
				for (i = 0; i < n; i++)
					ff_decode(p + i * FF_REC_V6, &out[i],
					    FF_FMT_V6);
			}
			r->blk_cur += (uint32_t)n;
			r->delivered += n;
			return (ssize_t)n;
		}
		if (r->at_end)
			return 0;
		if (r->off >= r->data_end) {
			r->at_end = true;
			seen = r->delivered + r->lost;
			if (r->hdr.closed && r->hdr.records > seen) {
				r->lost += r->hdr.records - seen;
				if (!r->damaged) {
					r->damaged = true;
					errbuf_set(eb,
					    "%s: %" PRIu64
					    " records counted in the header are missing (blocks end at offset %" PRIu64
					    ")",
					    r->name, r->hdr.records - seen,
					    r->data_end);
					return -1;
				}
			}
			return 0;
		}
		if (ff_load_block(r, eb) == -1) {
			r->damaged = true;
			return -1;
		}
	}
}
