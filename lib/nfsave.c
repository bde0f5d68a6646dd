/*
 * Persistence of a decoding session: templates and option-learned sampling
 * of every exporter written atomically to a versioned, checksummed file,
 * and validated in full before anything is loaded back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/afile.h"
#include "lib/buf.h"
#include "lib/nfstate.h"

/*
 * Layout (big-endian): "FTNFSES1", u32 format version, u32 exporters,
 * u32 templates; each exporter: u8 family, 16 address bytes, u16 port,
 * u16 version, u32 domain, u64 system init ms, u32 rate, u32 samplers,
 * then (u32 id, u32 rate) per sampler; each template: u32 exporter index,
 * u16 id, u8 options, u16 scope fields, u16 fields, then (u32 enterprise,
 * u16 type, u16 length) per field; last a u64 FNV-1a hash of all before.
 */
#define NFSAVE_MAGIC   "FTNFSES1"
#define NFSAVE_VERSION 1
#define NFSAVE_MAX     (64u * 1024 * 1024)
#define NFSAVE_EXP_MIN 41 /* bytes of an exporter without samplers */
#define NFSAVE_TPL_MIN 19 /* bytes of a template with one field */

static uint64_t
nfsave_hash(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static int
nfsave_put_exporter(struct wbuf *w, const struct nf_exporter *e)
{
	uint8_t a[16];
	int rc = 0;
	unsigned i;

	memset(a, 0, sizeof(a));
	if (e->addr.family == FT_AF_INET6)
		memcpy(a, e->addr.v6, 16);
	else {
		a[0] = (uint8_t)(e->addr.v4 >> 24);
		a[1] = (uint8_t)(e->addr.v4 >> 16);
		a[2] = (uint8_t)(e->addr.v4 >> 8);
		a[3] = (uint8_t)e->addr.v4;
	}
	rc |= wbuf_u8(w, e->addr.family) | wbuf_bytes(w, a, 16) |
	    wbuf_u16(w, e->port) | wbuf_u16(w, e->version) |
	    wbuf_u32(w, e->domain) | wbuf_u64(w, e->sys_init_ms) |
	    wbuf_u32(w, e->rate) | wbuf_u32(w, e->nsamplers);
	for (i = 0; i < e->nsamplers; i++)
		rc |= wbuf_u32(w, e->samplers[i].id) |
		    wbuf_u32(w, e->samplers[i].rate);
	return rc == 0 ? 0 : -1;
}

int
nf_session_save(const struct nf_session *s, const char *path)
{
	struct nf_exporter *e;
	struct nft_template *t;
	struct wbuf w;
	uint8_t *buf;
	size_t cap, i;
	uint32_t idx = 0;
	int rc = 0;

	cap = 32 + s->nexporters * (48 + 8 * NF_MAX_SAMPLERS);
	TAILQ_FOREACH(t, &s->tc.lru, lru)
	cap += 16 + (size_t)t->nfields * 8;
	if ((buf = malloc(cap)) == NULL)
		return -1;
	wbuf_init(&w, buf, cap);
	rc |= wbuf_bytes(&w, NFSAVE_MAGIC, 8) | wbuf_u32(&w, NFSAVE_VERSION) |
	    wbuf_u32(&w, (uint32_t)s->nexporters) |
	    wbuf_u32(&w, (uint32_t)s->tc.count);
	TAILQ_FOREACH(e, &s->elru, lru)
	{
		e->save_idx = idx++;
		rc |= nfsave_put_exporter(&w, e);
	}
	TAILQ_FOREACH(t, &s->tc.lru, lru)
	{
		rc |= wbuf_u32(&w, t->exp->save_idx) | wbuf_u16(&w, t->id) |
		    wbuf_u8(&w, t->options) | wbuf_u16(&w, t->nscope) |
		    wbuf_u16(&w, t->nfields);
		for (i = 0; i < t->nfields; i++)
			rc |= wbuf_u32(&w, t->fields[i].pen) |
			    wbuf_u16(&w, t->fields[i].type) |
			    wbuf_u16(&w, t->fields[i].len);
	}
	rc |= wbuf_u64(&w, nfsave_hash(buf, w.off));
	if (rc != 0) {
		free(buf);
		errno = EOVERFLOW;
		return -1;
	}
	rc = afile_write_all(path, buf, w.off, 0600);
	free(buf);
	return rc;
}

/*
 * Parse the body; with s == NULL only validate. Exporters are created in
 * the session as they are read when s is set (exps holds them by index).
 */
static int
nfsave_parse(struct rbuf *r, struct nf_session *s, struct nf_exporter **exps)
{
	struct nft_field fields[NFT_MAX_FIELDS];
	struct nf_exporter tmp, *e;
	struct nf_ctx c;
	struct nf_packet_info info;
	uint32_t version, nexp, ntpl, i, j, ei, ns;
	uint16_t id, nscope, nfields;
	uint8_t fam, opt, a[16];
	uint32_t min_len;
	bool varlen;

	if (rbuf_u32(r, &version) == -1 || version != NFSAVE_VERSION ||
	    rbuf_u32(r, &nexp) == -1 || rbuf_u32(r, &ntpl) == -1)
		return -1;
	if (nexp > rbuf_left(r) / NFSAVE_EXP_MIN ||
	    ntpl > rbuf_left(r) / NFSAVE_TPL_MIN)
		return -1;
	for (i = 0; i < nexp; i++) {
		memset(&tmp, 0, sizeof(tmp));
		if (rbuf_u8(r, &fam) == -1 || rbuf_bytes(r, a, 16) == -1 ||
		    rbuf_u16(r, &tmp.port) == -1 ||
		    rbuf_u16(r, &tmp.version) == -1 ||
		    rbuf_u32(r, &tmp.domain) == -1 ||
		    rbuf_u64(r, &tmp.sys_init_ms) == -1 ||
		    rbuf_u32(r, &tmp.rate) == -1 || rbuf_u32(r, &ns) == -1)
			return -1;
		if ((fam != FT_AF_INET && fam != FT_AF_INET6 &&
			fam != FT_AF_NONE) ||
		    (tmp.version != 9 && tmp.version != 10) ||
		    ns > NF_MAX_SAMPLERS)
			return -1;
		tmp.nsamplers = ns;
		for (j = 0; j < ns; j++)
			if (rbuf_u32(r, &tmp.samplers[j].id) == -1 ||
			    rbuf_u32(r, &tmp.samplers[j].rate) == -1)
				return -1;
		if (fam == FT_AF_INET6)
			ft_addr_set_v6(&tmp.addr, a);
		else if (fam == FT_AF_INET)
			ft_addr_set_v4(&tmp.addr,
			    (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 |
				(uint32_t)a[2] << 8 | a[3]);
		/* Beyond the limit only the most recent exporters are kept
		 * (the file lists them least recently used first), so none
		 * loaded here evicts another. */
		if (s == NULL || nexp - i > s->lim.max_exporters)
			continue;
		if ((e = nf_exporter_get(s, &tmp.addr, tmp.port, tmp.version,
			 tmp.domain)) == NULL)
			return -1;
		e->sys_init_ms = tmp.sys_init_ms;
		e->rate = tmp.rate;
		e->nsamplers = tmp.nsamplers;
		memcpy(e->samplers, tmp.samplers, sizeof(e->samplers));
		exps[i] = e;
	}
	for (i = 0; i < ntpl; i++) {
		if (rbuf_u32(r, &ei) == -1 || rbuf_u16(r, &id) == -1 ||
		    rbuf_u8(r, &opt) == -1 || rbuf_u16(r, &nscope) == -1 ||
		    rbuf_u16(r, &nfields) == -1)
			return -1;
		if (ei >= nexp || id < 256 || opt > 1 ||
		    nfields > NFT_MAX_FIELDS || nscope > nfields)
			return -1;
		for (j = 0; j < nfields; j++)
			if (rbuf_u32(r, &fields[j].pen) == -1 ||
			    rbuf_u16(r, &fields[j].type) == -1 ||
			    rbuf_u16(r, &fields[j].len) == -1)
				return -1;
		if (nft_check(fields, nfields, &min_len, &varlen) == -1)
			return -1;
		if (s == NULL || exps[ei] == NULL)
			continue;
		memset(&c, 0, sizeof(c));
		memset(&info, 0, sizeof(info));
		c.s = s;
		c.exp = exps[ei];
		c.info = &info;
		c.version = exps[ei]->version;
		if (nf_template_learn(&c, id, opt, nscope, fields, nfields) ==
		    -1)
			return -1;
	}
	return rbuf_left(r) == 8 ? 0 : -1;
}

int
nf_session_load(struct nf_session *s, const char *path)
{
	struct nf_exporter **exps = NULL;
	struct stat st;
	struct rbuf r;
	uint8_t *buf = NULL;
	uint64_t hash;
	ssize_t got;
	size_t off = 0;
	int fd, rc = -1, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1)
		goto done;
	/* Magic and checksum at least: nfsave_parse() checks the rest (a
	 * session with no exporters saves to a very short file). */
	if (st.st_size < 16 || (uint64_t)st.st_size > NFSAVE_MAX) {
		errno = EINVAL;
		goto done;
	}
	if ((buf = malloc((size_t)st.st_size)) == NULL)
		goto done;
	while (off < (size_t)st.st_size) {
		got = read(fd, buf + off, (size_t)st.st_size - off);
		if (got <= 0) {
			if (got == 0)
				errno = EINVAL;
			goto done;
		}
		off += (size_t)got;
	}
	rbuf_init(&r, buf, off);
	r.off = off - 8;
	if (rbuf_u64(&r, &hash) == -1 || hash != nfsave_hash(buf, off - 8) ||
	    memcmp(buf, NFSAVE_MAGIC, 8) != 0) {
		errno = EINVAL;
		goto done;
	}
	/* Validate everything first, then load. */
	rbuf_init(&r, buf, off);
	r.off = 8;
	if (nfsave_parse(&r, NULL, NULL) == -1) {
		errno = EINVAL;
		goto done;
	}
	if ((exps = calloc(off / NFSAVE_EXP_MIN + 1, sizeof(*exps))) == NULL)
		goto done;
	rbuf_init(&r, buf, off);
	r.off = 8;
	if (nfsave_parse(&r, s, exps) == -1) {
		errno = EINVAL;
		goto done;
	}
	rc = 0;
done:
	saved = errno;
	close(fd);
	free(buf);
	free(exps);
	errno = saved;
	return rc;
}
