/*
 * IPFIX: encode->decode round trips (IPv4 and IPv6, header fields,
 * sampling), template withdrawal and redefinition, variable-length and
 * enterprise fields, reduced-size encoding, padding, every timestamp
 * form, sampler tables by selector id, and hostile messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/nfdecode.h"
#include "lib/nfencode.h"
#include "nf_testutil.h"

#define SECS     1600000000u
#define NTP_SECS (SECS + 2208988800ull)
#define DOMAIN   4242

static void
test_ipfix_roundtrip_v4_v6(void **state)
{
	struct nft_fix *t = *state;
	struct flow flows[120];
	struct nf_encoder *e = nft_encoder(10, DOMAIN, 0, 0);
	size_t i;

	for (i = 0; i < 120; i++) {
		nft_make_flow(&flows[i], (unsigned)i, i % 3 == 0);
		flows[i].vlan = (uint16_t)(4000 + i % 90);
		flows[i].direction = FLOW_DIR_EGRESS;
		flows[i].packets = (1ull << 35) + i;
		flows[i].first_ms += 123; /* ms precision */
	}
	nft_roundtrip_equal(e, t->s, flows, 120, &t->out);
	nf_encoder_free(e);
}

static void
test_ipfix_header_sequence_sampling(void **state)
{
	struct nft_fix *t = *state;
	struct flow f[5];
	struct nf_encoder *e = nft_encoder(10, DOMAIN, 512, 2);
	uint8_t buf[1500];
	size_t consumed, skipped, i;
	ssize_t len;
	uint32_t want = 0;

	for (i = 0; i < 5; i++)
		nft_make_flow(&f[i], (unsigned)i, (int)(i % 2));
	ft_addr_set_v4(&f[3].dst, 1); /* v6 src, v4 dst: not exportable */
	for (i = 0; i < 6; i++) {
		len = nf_encoder_pack(
		    e, f, 5, NFT_NOW_MS, buf, sizeof(buf), &consumed, &skipped);
		assert_true(len > 0);
		assert_int_equal(consumed, 5);
		assert_int_equal(skipped, 1);
		assert_int_equal(buf[2] << 8 | buf[3], len);
		t->out.n = 0;
		assert_int_equal(nft_decode_buf(t->s, buf, (size_t)len, 0,
				     &t->out, &t->info),
		    NF_OK);
		assert_int_equal(t->info.version, 10);
		assert_int_equal(t->info.domain, DOMAIN);
		assert_int_equal(t->info.sequence, want);
		assert_int_equal(t->info.records, 4);
		assert_int_equal(t->info.options, i % 3 == 0 ? 1 : 0);
		want += t->info.records + t->info.options; /* RFC 7011 3.1 */
		assert_int_equal(t->out.f[0].sampling, 512);
	}
	nf_encoder_free(e);
}

/* A template withdrawal: id with a field count of 0, in set set. */
static void
withdraw(struct nft_pkt *p, uint16_t set, uint16_t id)
{
	nft_tmpl_begin(p, set, id, 0);
	nft_set_end(p, 1);
}

static void
test_ipfix_withdrawal(void **state)
{
	struct nft_fix *t = *state;
	struct nf_session_stats st;

	nft_pkt_ipfix(&t->p, SECS, 0, 1);
	nft_small_template(&t->p, 256);
	nft_small_template(&t->p, 257);
	nft_small_data(&t->p, 256, 2);
	withdraw(&t->p, 2, 256);
	nft_small_data(&t->p, 256, 1); /* held: its template is gone */
	nft_small_data(&t->p, 257, 1);
	assert_int_equal(nft_fix_decode(t), NF_OK);
	assert_int_equal(t->info.templates, 2);
	assert_int_equal(t->info.withdrawn, 1);
	assert_int_equal(t->info.records, 3);
	assert_int_equal(t->info.held, 1);
	/* Withdraw all data templates: 257 goes too. */
	nft_pkt_ipfix(&t->p, SECS, 3, 1);
	withdraw(&t->p, 2, 2);
	nft_small_data(&t->p, 257, 1);
	assert_int_equal(nft_fix_decode(t), NF_OK);
	assert_int_equal(t->info.records, 0);
	assert_int_equal(t->info.held, 1);
	nf_session_stats(t->s, &st);
	assert_int_equal(st.templates, 0);
	/* Redefined: 256 with the fields in another order. */
	nft_pkt_ipfix(&t->p, SECS, 3, 1);
	nft_tmpl_begin(&t->p, 2, 256, 2);
	wbuf_u32(&t->p.w, 0x000c0004);
	wbuf_u32(&t->p.w, 0x00010004);
	nft_set_end(&t->p, 1);
	t->out.n = 0;
	assert_int_equal(nft_fix_decode(t), NF_OK);
	/* The held 256 record is decoded with the new template. */
	assert_int_equal(t->info.released, 2);
	assert_int_equal(t->out.f[0].dst.v4, 0x0a000001);
}

static void
test_ipfix_varlen_enterprise_reduced_padding(void **state)
{
	struct nft_fix *t = *state;
	unsigned i;

	nft_pkt_ipfix(&t->p, SECS, 0, 1);
	nft_tmpl_begin(&t->p, 2, 300, 8);
	wbuf_u32(&t->p.w, 0x00080004);   /* sourceIPv4Address */
	wbuf_u32(&t->p.w, 0x0052ffff);   /* interfaceName, variable */
	wbuf_u16(&t->p.w, 0x8000 | 100); /* enterprise field, 4 bytes */
	wbuf_u16(&t->p.w, 4);
	wbuf_u32(&t->p.w, 9);
	wbuf_u16(&t->p.w, 0x8000 | 1); /* enterprise 1 == octets? no */
	wbuf_u16(&t->p.w, 0xffff);
	wbuf_u32(&t->p.w, 29305);
	wbuf_u32(&t->p.w, 0x00010004); /* octetDeltaCount in 4 bytes */
	wbuf_u32(&t->p.w, 0x00020002); /* packetDeltaCount in 2 bytes */
	wbuf_u32(&t->p.w, 0x00100002); /* bgpSourceAsNumber in 2 bytes */
	wbuf_u32(&t->p.w, 0x00f30002); /* dot1qVlanId */
	nft_set_end(&t->p, 1);
	nft_set_begin(&t->p, 300);
	/* Record 1: 1-byte lengths. */
	wbuf_u32(&t->p.w, 0xc0a80001);
	wbuf_u8(&t->p.w, 3);
	wbuf_bytes(&t->p.w, "eth", 3);
	wbuf_u32(&t->p.w, 0x11111111);
	wbuf_u8(&t->p.w, 2);
	wbuf_u16(&t->p.w, 0x2222);
	wbuf_u32(&t->p.w, 1000);
	wbuf_u16(&t->p.w, 10);
	wbuf_u16(&t->p.w, 65001);
	wbuf_u16(&t->p.w, 42);
	/* Record 2: 3-byte length forms (300 bytes of name). */
	wbuf_u32(&t->p.w, 0xc0a80002);
	wbuf_u8(&t->p.w, 255);
	wbuf_u16(&t->p.w, 300);
	for (i = 0; i < 300; i++)
		wbuf_u8(&t->p.w, 'x');
	wbuf_u32(&t->p.w, 0x11111111);
	wbuf_u8(&t->p.w, 255);
	wbuf_u16(&t->p.w, 0);
	wbuf_u32(&t->p.w, 2000);
	wbuf_u16(&t->p.w, 20);
	wbuf_u16(&t->p.w, 65002);
	wbuf_u16(&t->p.w, 43);
	nft_set_end(&t->p, 4); /* padding: shorter than a record */
	t->out.n = 0;
	assert_int_equal(nft_fix_decode(t), NF_OK);
	assert_int_equal(t->out.n, 2);
	assert_int_equal(t->out.f[0].src.v4, 0xc0a80001);
	assert_int_equal(t->out.f[0].bytes, 1000);
	assert_int_equal(t->out.f[0].packets, 10);
	assert_int_equal(t->out.f[0].src_as, 65001);
	assert_int_equal(t->out.f[0].vlan, 42);
	assert_int_equal(t->out.f[1].src.v4, 0xc0a80002);
	assert_int_equal(t->out.f[1].bytes, 2000);
	assert_int_equal(t->out.f[1].packets, 20);
	assert_int_equal(t->out.f[1].vlan, 43);
}

/* Decode one record of template fields tl with data d with t; return it. */
static struct flow *
one_record(struct nft_fix *t, uint16_t tid, const uint16_t *tl, size_t n,
    const uint8_t *d, size_t dlen)
{
	nft_pkt_ipfix(&t->p, SECS, 0, 1);
	nft_template(&t->p, tid, tl, n);
	nft_set_begin(&t->p, tid);
	wbuf_bytes(&t->p.w, d, dlen);
	nft_set_end(&t->p, 1);
	t->out.n = 0;
	assert_int_equal(nft_fix_decode(t), NF_OK);
	assert_int_equal(t->out.n, 1);
	return &t->out.f[0];
}

static size_t
put64(uint8_t *d, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		d[i] = (uint8_t)(v >> (56 - 8 * i));
	return 8;
}

static size_t
put32(uint8_t *d, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		d[i] = (uint8_t)(v >> (24 - 8 * i));
	return 4;
}

static void
test_ipfix_time_forms(void **state)
{
	static const uint16_t t_sec[] = { 150, 4, 151, 4 };
	static const uint16_t t_us[] = { 154, 8, 155, 8 };
	static const uint16_t t_ns[] = { 156, 8, 157, 8 };
	static const uint16_t t_delta[] = { 158, 4, 159, 4 };
	static const uint16_t t_dur[] = { 152, 8, 161, 4 };
	static const uint16_t t_durend[] = { 153, 8, 162, 4 };
	static const uint16_t t_up[] = { 22, 4, 21, 4 };
	static const uint16_t opt[] = { 149, 4, 160, 8 };
	struct nft_fix *t = *state;
	struct flow *f;
	uint8_t d[64];
	size_t n;

	n = put32(d, SECS - 60);
	n += put32(d + n, SECS - 1);
	f = one_record(t, 300, t_sec, 2, d, n);
	assert_int_equal(f->first_ms, (SECS - 60) * 1000ull);
	assert_int_equal(f->last_ms, (SECS - 1) * 1000ull);
	/* NTP: half a second is 0x80000000 of fraction. */
	n = put64(d, (NTP_SECS - 10) << 32 | 0x80000000u);
	n += put64(d + n, (NTP_SECS - 5) << 32 | 0x40000000u);
	f = one_record(t, 301, t_us, 2, d, n);
	assert_int_equal(f->first_ms, (SECS - 10) * 1000ull + 500);
	assert_int_equal(f->last_ms, (SECS - 5) * 1000ull + 250);
	f = one_record(t, 302, t_ns, 2, d, n);
	assert_int_equal(f->first_ms, (SECS - 10) * 1000ull + 500);
	/* Deltas in us before the export time. */
	n = put32(d, 3000000);
	n += put32(d + n, 1500);
	f = one_record(t, 303, t_delta, 2, d, n);
	assert_int_equal(f->first_ms, SECS * 1000ull - 3000);
	assert_int_equal(f->last_ms, SECS * 1000ull - 1);
	/* Start and a duration; end and a duration in us. */
	n = put64(d, SECS * 1000ull - 7000);
	n += put32(d + n, 2500);
	f = one_record(t, 304, t_dur, 2, d, n);
	assert_int_equal(f->first_ms, SECS * 1000ull - 7000);
	assert_int_equal(f->last_ms, SECS * 1000ull - 4500);
	f = one_record(t, 305, t_durend, 2, d, n);
	assert_int_equal(f->last_ms, SECS * 1000ull - 7000);
	assert_int_equal(f->first_ms, SECS * 1000ull - 7002);
	/* SysUpTime forms once systemInitTimeMilliseconds is known. */
	nft_pkt_ipfix(&t->p, SECS, 0, 1);
	nft_tmpl_begin(&t->p, 3, 310, 2);
	wbuf_u16(&t->p.w, 1); /* scope fields */
	nft_fields(&t->p, opt, 2);
	nft_set_end(&t->p, 1);
	nft_set_begin(&t->p, 310);
	wbuf_u32(&t->p.w, 1);
	wbuf_u64(&t->p.w, SECS * 1000ull - 86400000);
	nft_set_end(&t->p, 1);
	assert_int_equal(nft_fix_decode(t), NF_OK);
	assert_int_equal(t->info.options, 1);
	n = put32(d, 86400000 - 9000);
	n += put32(d + n, 86400000 - 8000);
	f = one_record(t, 306, t_up, 2, d, n);
	assert_int_equal(f->first_ms, SECS * 1000ull - 9000);
	assert_int_equal(f->last_ms, SECS * 1000ull - 8000);
}

static void
test_ipfix_selector_sampling_icmp(void **state)
{
	static const uint16_t opt[] = { 302, 4, 304, 2, 305, 4, 306, 4 };
	static const uint16_t tpl[] = { 8, 4, 302, 4, 4, 1, 176, 1, 177, 1 };
	struct nft_fix *t = *state;

	nft_pkt_ipfix(&t->p, SECS, 0, 1);
	nft_tmpl_begin(&t->p, 3, 400, 4);
	wbuf_u16(&t->p.w, 1); /* scope fields */
	nft_fields(&t->p, opt, 4);
	nft_set_end(&t->p, 1);
	nft_set_begin(&t->p, 400);
	wbuf_u32(&t->p.w, 7);
	wbuf_u16(&t->p.w, 1);
	wbuf_u32(&t->p.w, 1);
	wbuf_u32(&t->p.w, 999); /* 1 in 1000 */
	nft_set_end(&t->p, 1);
	nft_template(&t->p, 401, tpl, 5);
	nft_set_begin(&t->p, 401);
	wbuf_u32(&t->p.w, 1);
	wbuf_u32(&t->p.w, 7);
	wbuf_u8(&t->p.w, 1);
	wbuf_u8(&t->p.w, 3);
	wbuf_u8(&t->p.w, 1);
	wbuf_u32(&t->p.w, 1);
	wbuf_u32(&t->p.w, 8);
	wbuf_u8(&t->p.w, 1);
	wbuf_u8(&t->p.w, 0);
	wbuf_u8(&t->p.w, 0);
	nft_set_end(&t->p, 1);
	t->out.n = 0;
	assert_int_equal(nft_fix_decode(t), NF_OK);
	assert_int_equal(t->out.n, 2);
	assert_int_equal(t->out.f[0].sampling, 1000);
	assert_int_equal(t->out.f[0].dport, 0x0301);
	assert_int_equal(t->out.f[1].sampling, 0); /* selector 8 unknown */
}

static void
test_ipfix_hostile(void **state)
{
	struct nft_fix *t = *state;
	size_t len;

	nft_pkt_ipfix(&t->p, SECS, 0, 1);
	len = nft_pkt_end(&t->p);
	assert_int_equal(nft_fix_decode_cut(t, 15), NF_ERR_SHORT);
	/* Message length larger than the datagram, and below 16. */
	nft_small_template(&t->p, 256);
	len = nft_pkt_end(&t->p);
	assert_int_equal(nft_fix_decode_cut(t, len - 1), NF_ERR_LENGTH);
	t->p.b[2] = 0;
	t->p.b[3] = 15;
	assert_int_equal(nft_fix_decode_cut(t, len), NF_ERR_LENGTH);
	/* Set length 0 and too big. */
	nft_pkt_ipfix(&t->p, SECS, 0, 1);
	wbuf_u32(&t->p.w, 0x01000000);
	assert_int_equal(nft_fix_decode(t), NF_ERR_FLOWSET);
	nft_pkt_ipfix(&t->p, SECS, 0, 1);
	wbuf_u32(&t->p.w, 0x01000100);
	wbuf_zero(&t->p.w, 8);
	assert_int_equal(nft_fix_decode(t), NF_ERR_FLOWSET);
	/* Huge field count; enterprise number cut off. */
	nft_pkt_ipfix(&t->p, SECS, 0, 1);
	nft_tmpl_begin(&t->p, 2, 256, 60000);
	nft_fields(&t->p, nft_tpl_small, 4);
	nft_set_end(&t->p, 1);
	assert_int_equal(nft_fix_decode(t), NF_ERR_TEMPLATE);
	nft_pkt_ipfix(&t->p, SECS, 0, 1);
	nft_tmpl_begin(&t->p, 2, 256, 1);
	wbuf_u32(&t->p.w, 0x80010004);
	nft_set_end(&t->p, 1);
	assert_int_equal(nft_fix_decode(t), NF_ERR_TEMPLATE);
	/* Options template with more scope fields than fields. */
	nft_pkt_ipfix(&t->p, SECS, 0, 1);
	nft_tmpl_begin(&t->p, 3, 256, 1);
	wbuf_u16(&t->p.w, 2); /* scope fields */
	wbuf_u32(&t->p.w, 0x00010004);
	nft_set_end(&t->p, 1);
	assert_int_equal(nft_fix_decode(t), NF_ERR_TEMPLATE);
	/* A variable-length field longer than the record. */
	nft_pkt_ipfix(&t->p, SECS, 0, 1);
	nft_tmpl_begin(&t->p, 2, 260, 1);
	wbuf_u32(&t->p.w, 0x0052ffff);
	nft_set_end(&t->p, 1);
	nft_set_begin(&t->p, 260);
	wbuf_u8(&t->p.w, 255);
	wbuf_u16(&t->p.w, 5000);
	wbuf_zero(&t->p.w, 10);
	nft_set_end(&t->p, 1);
	assert_int_equal(nft_fix_decode(t), NF_OK);
	assert_int_equal(t->out.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		NFT_TEST(test_ipfix_roundtrip_v4_v6),
		NFT_TEST(test_ipfix_header_sequence_sampling),
		NFT_TEST(test_ipfix_withdrawal),
		NFT_TEST(test_ipfix_varlen_enterprise_reduced_padding),
		NFT_TEST(test_ipfix_time_forms),
		NFT_TEST(test_ipfix_selector_sampling_icmp),
		NFT_TEST(test_ipfix_hostile),
	};

	return cmocka_run_group_tests_name("ipfix", tests, NULL, NULL);
}
