/*
 * Helpers shared by the codec unit tests: deterministic flows to encode,
 * a collecting emit callback, a field-by-field flow comparison, encoders,
 * round trips, and hand-built v9/IPFIX datagrams (header, template and data
 * sets) with the decode calls that go with them.
 */
#ifndef FT_NF_TESTUTIL_H
#define FT_NF_TESTUTIL_H

#include <arpa/inet.h>
#include <netinet/in.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/buf.h"
#include "lib/flow.h"
#include "lib/nfdecode.h"
#include "lib/nfencode.h"

#define NFT_BOOT_MS 1700000000000ull
#define NFT_NOW_MS  (NFT_BOOT_MS + 3600000ull)
#define NFT_MAXOUT  4096

struct nft_out {
	size_t n;
	struct flow f[NFT_MAXOUT];
};

static __attribute__((unused)) int
nft_collect(void *arg, const struct flow *f)
{
	struct nft_out *o = arg;

	if (o->n < NFT_MAXOUT)
		o->f[o->n++] = *f;
	return 0;
}

/* Flow i: every field set to something distinct; v6 when asked. */
static __attribute__((unused)) void
nft_make_flow(struct flow *f, unsigned i, int v6)
{
	uint8_t a[16];

	memset(f, 0, sizeof(*f));
	if (v6) {
		memset(a, 0, sizeof(a));
		a[0] = 0x20, a[1] = 0x01, a[2] = 0x0d, a[3] = 0xb8;
		a[15] = (uint8_t)i;
		a[14] = 1;
		ft_addr_set_v6(&f->src, a);
		a[14] = 2;
		ft_addr_set_v6(&f->dst, a);
		a[14] = 3;
		ft_addr_set_v6(&f->nexthop, a);
		f->src_mask = 48;
		f->dst_mask = 64;
	} else {
		ft_addr_set_v4(&f->src, 0x0a000000u + i);
		ft_addr_set_v4(&f->dst, 0xc0a80000u + i * 7);
		ft_addr_set_v4(&f->nexthop, 0xac100001u + i);
		f->src_mask = (uint8_t)(8 + i % 24);
		f->dst_mask = 24;
	}
	f->bytes = 1000 + i * 1500ull;
	f->packets = 1 + i;
	f->first_ms = NFT_BOOT_MS + 1000 + i * 10;
	f->last_ms = f->first_ms + 5000 + i;
	f->in_if = 1 + i;
	f->out_if = 100 + i;
	f->src_as = 64500 + i;
	f->dst_as = 65000 + i;
	f->sampling = 1;
	f->sport = (uint16_t)(1024 + i);
	f->dport = (uint16_t)(i % 2 ? 443 : 53);
	f->proto = (uint8_t)(i % 2 ? 6 : 17);
	f->tos = (uint8_t)(i * 4);
	f->tcp_flags = (uint8_t)(i % 2 ? 0x1b : 0);
	f->direction = FLOW_DIR_UNKNOWN;
}

static __attribute__((unused)) struct sockaddr_in nft_from4 = {
	.sin_family = AF_INET,
	.sin_port = 0x3930, /* 12345 in network order */
	.sin_addr = { .s_addr = 0x0100007f },
};

static __attribute__((unused)) void
nft_assert_flow_equal(const struct flow *a, const struct flow *b)
{
	assert_true(ft_addr_equal(&a->src, &b->src));
	assert_true(ft_addr_equal(&a->dst, &b->dst));
	assert_true(ft_addr_equal(&a->nexthop, &b->nexthop));
	assert_int_equal(a->bytes, b->bytes);
	assert_int_equal(a->packets, b->packets);
	assert_int_equal(a->first_ms, b->first_ms);
	assert_int_equal(a->last_ms, b->last_ms);
	assert_int_equal(a->in_if, b->in_if);
	assert_int_equal(a->out_if, b->out_if);
	assert_int_equal(a->src_as, b->src_as);
	assert_int_equal(a->dst_as, b->dst_as);
	assert_int_equal(a->sport, b->sport);
	assert_int_equal(a->dport, b->dport);
	assert_int_equal(a->proto, b->proto);
	assert_int_equal(a->tos, b->tos);
	assert_int_equal(a->tcp_flags, b->tcp_flags);
	assert_int_equal(a->src_mask, b->src_mask);
	assert_int_equal(a->dst_mask, b->dst_mask);
	assert_int_equal(a->vlan, b->vlan);
	assert_int_equal(a->direction, b->direction);
	assert_int_equal(a->sampling, b->sampling);
}

/* A hand-built v9 or IPFIX datagram. */
struct nft_pkt {
	uint8_t b[8192];
	struct wbuf w;
	size_t set;
	int ipfix;
};

static __attribute__((unused)) void
nft_pkt_v9(struct nft_pkt *p, uint32_t uptime, uint32_t secs, uint32_t seq,
    uint32_t source)
{
	wbuf_init(&p->w, p->b, sizeof(p->b));
	p->ipfix = 0;
	wbuf_u16(&p->w, 9);
	wbuf_u16(&p->w, 1);
	wbuf_u32(&p->w, uptime);
	wbuf_u32(&p->w, secs);
	wbuf_u32(&p->w, seq);
	wbuf_u32(&p->w, source);
}

static __attribute__((unused)) void
nft_pkt_ipfix(struct nft_pkt *p, uint32_t secs, uint32_t seq, uint32_t dom)
{
	wbuf_init(&p->w, p->b, sizeof(p->b));
	p->ipfix = 1;
	wbuf_u16(&p->w, 10);
	wbuf_u16(&p->w, 0);
	wbuf_u32(&p->w, secs);
	wbuf_u32(&p->w, seq);
	wbuf_u32(&p->w, dom);
}

static __attribute__((unused)) void
nft_set_begin(struct nft_pkt *p, uint16_t id)
{
	p->set = p->w.off;
	wbuf_u16(&p->w, id);
	wbuf_u16(&p->w, 0);
}

/* Close the set, padding to a multiple of pad bytes (1: none). */
static __attribute__((unused)) void
nft_set_end(struct nft_pkt *p, size_t pad)
{
	while ((p->w.off - p->set) % pad != 0)
		wbuf_u8(&p->w, 0);
	wbuf_patch_u16(&p->w, p->set + 2, (uint16_t)(p->w.off - p->set));
}

static __attribute__((unused)) size_t
nft_pkt_end(struct nft_pkt *p)
{
	if (p->ipfix)
		wbuf_patch_u16(&p->w, 2, (uint16_t)p->w.off);
	return p->w.off;
}

/* Field specifiers: (type, len) pairs, for templates. */
static __attribute__((unused)) void
nft_fields(struct nft_pkt *p, const uint16_t *tl, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		wbuf_u16(&p->w, tl[2 * i]);
		wbuf_u16(&p->w, tl[2 * i + 1]);
	}
}

/*
 * Open a template set (set id set: v9 0 or 1, IPFIX 2 or 3) and write one
 * template record header: id, then count (the field count; for a v9
 * options template the scope length in bytes). The caller writes the rest
 * and closes the set with nft_set_end().
 */
static __attribute__((unused)) void
nft_tmpl_begin(struct nft_pkt *p, uint16_t set, uint16_t id, uint16_t count)
{
	nft_set_begin(p, set);
	wbuf_u16(&p->w, id);
	wbuf_u16(&p->w, count);
}

/*
 * A template set of one (data) template: id with the n (type, len) fields
 * of tl, in the set id of p's protocol (v9 0, IPFIX 2). 8 + 4n bytes, so
 * never padded.
 */
static __attribute__((unused)) void
nft_template(struct nft_pkt *p, uint16_t id, const uint16_t *tl, size_t n)
{
	nft_tmpl_begin(p, p->ipfix ? 2 : 0, id, (uint16_t)n);
	nft_fields(p, tl, n);
	nft_set_end(p, 1);
}

/*
 * The small template: IPv4 source and destination, octets, packets and,
 * in v9 only, FIRST and LAST_SWITCHED (IPFIX's uptime forms would need
 * systemInitTimeMilliseconds first). NFT_SMALL_FIELDS(p) of them.
 */
static const uint16_t nft_tpl_small[] = { 8, 4, 12, 4, 1, 4, 2, 4, 22, 4, 21,
	4 };
#define NFT_SMALL_FIELDS(p) ((p)->ipfix ? 4 : 6)

static __attribute__((unused)) void
nft_small_template(struct nft_pkt *p, uint16_t id)
{
	nft_template(p, id, nft_tpl_small, NFT_SMALL_FIELDS(p));
}

/*
 * A data set of n records of the small template id: record i is from
 * 10.0.0.(1 + i) to 10.0.0.2, 100 * (i + 1) octets, i + 1 packets and, in
 * v9, uptimes 9000 to 9500 ms. 4 + 16n or 4 + 24n bytes: never padded.
 */
static __attribute__((unused)) void
nft_small_data(struct nft_pkt *p, uint16_t id, unsigned n)
{
	unsigned i;

	nft_set_begin(p, id);
	for (i = 0; i < n; i++) {
		wbuf_u32(&p->w, 0x0a000001 + i);
		wbuf_u32(&p->w, 0x0a000002);
		wbuf_u32(&p->w, 100 * (i + 1));
		wbuf_u32(&p->w, i + 1);
		if (!p->ipfix) {
			wbuf_u32(&p->w, 9000);
			wbuf_u32(&p->w, 9500);
		}
	}
	nft_set_end(p, 1);
}

/*
 * Decode len bytes of buf with s as if from nft_from4 at export time now,
 * collecting the flows into o (NULL: none); nf_decode()'s result.
 */
static __attribute__((unused)) int
nft_decode_buf(struct nf_session *s, const uint8_t *buf, size_t len,
    uint64_t now, struct nft_out *o, struct nf_packet_info *info)
{
	return nf_decode(s, buf, len, (struct sockaddr *)&nft_from4, now,
	    o != NULL ? nft_collect : NULL, o, info);
}

/* Finish p (nft_pkt_end()) and decode all of it with nft_decode_buf(). */
static __attribute__((unused)) int
nft_decode(struct nf_session *s, struct nft_pkt *p, struct nft_out *o,
    struct nf_packet_info *info)
{
	size_t len = nft_pkt_end(p);

	return nft_decode_buf(s, p->b, len, 0, o, info);
}

/*
 * An encoder of version (5, 9 or 10) with observation domain / source id
 * domain, sampling rate announced, templates every `every` datagrams (0:
 * the default), boot time NFT_BOOT_MS. Fails the test if it cannot.
 */
static __attribute__((unused)) struct nf_encoder *
nft_encoder(int version, uint32_t domain, uint32_t sampling, uint32_t every)
{
	struct nf_encoder_opts o = {
		.version = version,
		.domain = domain,
		.sampling = sampling,
		.boot_ms = NFT_BOOT_MS,
		.template_every = every,
	};
	struct nf_encoder *e = nf_encoder_new(&o);

	assert_non_null(e);
	return e;
}

/* Encode all of flows[0..n) with e, decoding each datagram with s. */
static __attribute__((unused)) void
nft_roundtrip(struct nf_encoder *e, struct nf_session *s,
    const struct flow *flows, size_t n, uint64_t now, struct nft_out *o)
{
	struct nf_packet_info info;
	uint8_t buf[1500];
	size_t done = 0, consumed, skipped;
	ssize_t len;
	int guard = 0;

	while (done < n && guard++ < 1000) {
		len = nf_encoder_pack(e, flows + done, n - done, now, buf,
		    sizeof(buf), &consumed, &skipped);
		assert_true(len > 0);
		assert_int_equal(
		    nft_decode_buf(s, buf, (size_t)len, now, o, &info), NF_OK);
		done += consumed;
	}
	assert_int_equal(done, n);
}

/*
 * Round-trip flows[0..n) (nft_roundtrip() at NFT_NOW_MS into o, emptied
 * first) and assert every flow comes back, equal and in order.
 */
static __attribute__((unused)) void
nft_roundtrip_equal(struct nf_encoder *e, struct nf_session *s,
    const struct flow *flows, size_t n, struct nft_out *o)
{
	size_t i;

	o->n = 0;
	nft_roundtrip(e, s, flows, n, NFT_NOW_MS, o);
	assert_int_equal(o->n, n);
	for (i = 0; i < n; i++)
		nft_assert_flow_equal(&o->f[i], &flows[i]);
}

/*
 * One test's decoder state, made by nft_setup() before it and freed by
 * nft_teardown() after it (even when an assertion fails): a session with
 * the default limits, the datagram being built, what the last decode said
 * and the flows decoded so far (none at the start).
 */
struct nft_fix {
	struct nf_session *s;
	struct nft_pkt p;
	struct nf_packet_info info;
	struct nft_out out;
};

static __attribute__((unused)) int
nft_setup(void **state)
{
	struct nft_fix *t = calloc(1, sizeof(*t));

	if (t == NULL || (t->s = nf_session_new(NULL)) == NULL) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

static __attribute__((unused)) int
nft_teardown(void **state)
{
	struct nft_fix *t = *state;

	nf_session_free(t->s);
	free(t);
	return 0;
}

/* A test that gets a struct nft_fix in *state. */
#define NFT_TEST(f) cmocka_unit_test_setup_teardown(f, nft_setup, nft_teardown)

/* Finish t->p and decode it with t->s into t->out and t->info. */
static __attribute__((unused)) int
nft_fix_decode(struct nft_fix *t)
{
	return nft_decode(t->s, &t->p, &t->out, &t->info);
}

/*
 * Decode buf[0..len) with t->s into t->out and t->info, with no sender
 * address, at export time now.
 */
static __attribute__((unused)) int
nft_fix_decode_raw(
    struct nft_fix *t, const uint8_t *buf, size_t len, uint64_t now)
{
	return nf_decode(
	    t->s, buf, len, NULL, now, nft_collect, &t->out, &t->info);
}

/*
 * Decode only the first len bytes of t->p as they stand (no length
 * patched), with no sender address: for truncated and lying headers.
 */
static __attribute__((unused)) int
nft_fix_decode_cut(struct nft_fix *t, size_t len)
{
	return nft_fix_decode_raw(t, t->p.b, len, 0);
}

#endif
