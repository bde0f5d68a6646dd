/*
 * Flow files, reading side: a validating reader over a file (pread) or
 * memory that checks every length before use and the CRC32C of every
 * block, reports damage with the file and byte offset, resynchronises on
 * the next block header and returns every record of the intact blocks.
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
#include <unistd.h>

#include "lib/crc32c.h"
#include "lib/ffcodec.h"
#include "lib/flowfile_fmt.h"

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
	uint8_t *dec;       /* decoded payload (rows or byte planes) */
	struct ff_dec *ffd; /* made at the first compressed block */
	const uint8_t *blk; /* current block's records, or its byte planes */
	uint32_t blk_n;
	uint32_t blk_cur;
	int blk_fmt;
	bool blk_planes;
	/* Records of a plane block are transposed a chunk at a time here. */
	uint8_t tile[FF_PLANE_CHUNK * FF_REC_MAX];
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
	if (hd->version < FLOWFILE_VERSION_MIN ||
	    hd->version > FLOWFILE_VERSION) {
		errbuf_set(eb,
		    "%s: unsupported flow file format version %u (this program reads versions %d to %d)",
		    r->name, hd->version, FLOWFILE_VERSION_MIN,
		    FLOWFILE_VERSION);
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
	r->iocap = FF_BLK_HDR_LEN + ff_stored_max(FF_RAW_MAX);
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
	ff_dec_free(r->ffd);
	free(r->hdr.exporters);
	free(r->io);
	free(r->dec);
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
 * Whether a block codec is one the file's format version has: 0 and 1
 * since version 1, 2 since version 2, 3 and 4 since version 3.
 */
static bool
ff_codec_known(int codec, uint16_t version)
{
	switch (codec) {
	case FF_CODEC_NONE:
	case FF_CODEC_ZSTD_ROWS:
		return true;
	case FF_CODEC_ZSTD_PLANES:
		return version >= 2;
	case FF_CODEC_ZSTD_SPARSE:
	case FF_CODEC_LZ4_SPARSE:
		return version >= 3;
	default:
		return false;
	}
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
	const char *why;
	size_t rl;

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
	if (rl == 0 || nrec == 0 || nrec > FLOWFILE_BLOCK_MAX ||
	    raw_len != nrec * rl || !ff_codec_known(codec, r->hdr.version) ||
	    (codec == FF_CODEC_NONE && stored != raw_len) ||
	    stored > ff_stored_max(FF_RAW_MAX)) {
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
	if (codec != FF_CODEC_NONE) {
		if ((r->dec == NULL && (r->dec = malloc(FF_RAW_MAX)) == NULL) ||
		    (r->ffd == NULL && (r->ffd = ff_dec_new()) == NULL)) {
			r->lost += nrec;
			errbuf_set(eb, "%s: out of memory", r->name);
			return -1;
		}
		if (ff_dec_block(r->ffd, codec, p, stored, r->dec, nrec, rl,
			&why) == -1) {
			r->lost += nrec;
			errbuf_set(eb,
			    "%s: block at offset %" PRIu64
			    " does not decode (%s): %u records lost",
			    r->name, boff, why, nrec);
			return -1;
		}
		p = r->dec;
	}
	/* Planes stay planes: flowfile_read() transposes via the L1. */
	r->blk_planes = codec != FF_CODEC_NONE && codec != FF_CODEC_ZSTD_ROWS;
	r->blk = p;
	r->blk_n = nrec;
	r->blk_cur = 0;
	r->blk_fmt = fmt;
	return 0;
}

/* Decode n records of format fmt at p into out. */
static void
ff_decode_rows(const uint8_t *p, int fmt, struct flow *out, size_t n)
{
	size_t i;

	/* Constant lengths, so the compiler unrolls each decode. */
	if (fmt == FF_FMT_V4)
		for (i = 0; i < n; i++)
			ff_decode(p + i * FF_REC_V4, &out[i], FF_FMT_V4);
	else
		for (i = 0; i < n; i++)
			ff_decode(p + i * FF_REC_V6, &out[i], FF_FMT_V6);
}

/*
 * Decode the current plane block's next n records into out, a chunk at a
 * time transposed into the L1-sized tile (never the whole block).
 */
static void
ff_decode_planes(struct flowfile_reader *r, struct flow *out, size_t n)
{
	size_t rl = ff_rec_len(r->blk_fmt), done, m;

	for (done = 0; done < n; done += m) {
		m = n - done < FF_PLANE_CHUNK ? n - done : FF_PLANE_CHUNK;
		ff_from_planes_chunk(
		    r->tile, r->blk, r->blk_n, rl, r->blk_cur + done, m);
		ff_decode_rows(r->tile, r->blk_fmt, out + done, m);
	}
}

ssize_t
flowfile_read(
    struct flowfile_reader *r, struct flow *out, size_t max, struct errbuf *eb)
{
	size_t n;
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
			if (r->blk_planes)
				ff_decode_planes(r, out, n);
			else
				ff_decode_rows(r->blk +
					(size_t)r->blk_cur *
					    ff_rec_len(r->blk_fmt),
				    r->blk_fmt, out, n);
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
