/*
 * The v9 and IPFIX datagram writer (nfexport) byte by byte against RFC
 * 3954 and RFC 7011 layouts computed by hand: headers, template and
 * options template sets, the sampling options record, data records,
 * padding, sequence numbers, template refresh, capacity limits and flows
 * that cannot be exported; and a decode of its output with lib/nfdecode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "lib/nfencode.h"
#include "lib/nfexport.h"
#include "nf_testutil.h"

#define BOOT NFT_BOOT_MS
#define DOM  0x01020304u
#define NOW  (BOOT + 3600000ull) /* unix secs 0x6553ff10, uptime 0x36ee80 */

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)be16(p) << 16 | be16(p + 2);
}

static uint64_t
be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* 10.0.0.1:1234 -> 192.168.0.2:80 TCP, every field distinct. */
static void
flow4(struct flow *f)
{
	memset(f, 0, sizeof(*f));
	ft_addr_set_v4(&f->src, 0x0a000001);
	ft_addr_set_v4(&f->dst, 0xc0a80002);
	ft_addr_set_v4(&f->nexthop, 0xac100001);
	f->bytes = 0x0102030405060708ull;
	f->packets = 0x10;
	f->first_ms = BOOT + 1000;
	f->last_ms = BOOT + 2000;
	f->sport = 1234;
	f->dport = 80;
	f->proto = 6;
	f->tos = 0x10;
	f->tcp_flags = 0x1b;
	f->in_if = 3;
	f->out_if = 4;
	f->src_as = 0x10001;
	f->dst_as = 0xfc00;
	f->src_mask = 24;
	f->dst_mask = 16;
	f->direction = 1;
	f->vlan = 100;
}

/* The record of flow4() from the counters on (same in v9 and IPFIX). */
static const uint8_t rec4_tail[] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, /* octets 1 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, /* packets 2 */
	0x0a, 0x00, 0x00, 0x01,                         /* src 8 */
	0xc0, 0xa8, 0x00, 0x02,                         /* dst 12 */
	0xac, 0x10, 0x00, 0x01,                         /* nexthop 15 */
	0x04, 0xd2, 0x00, 0x50,                         /* ports 7, 11 */
	0x06, 0x10, 0x1b,             /* proto 4, tos 5, flags 6 */
	0x00, 0x00, 0x00, 0x03,       /* input 10 */
	0x00, 0x00, 0x00, 0x04,       /* output 14 */
	0x00, 0x01, 0x00, 0x01,       /* src AS 16 */
	0x00, 0x00, 0xfc, 0x00,       /* dst AS 17 */
	0x18, 0x10, 0x01, 0x00, 0x64, /* masks 9, 13, direction 61, vlan 58 */
};

/* Template 256 by RFC 3954 field types, then the IPv6 one (257). */
static const uint16_t tpl4_v9[] = { 22, 4, 21, 4, 1, 8, 2, 8, 8, 4, 12, 4, 15,
	4, 7, 2, 11, 2, 4, 1, 5, 1, 6, 1, 10, 4, 14, 4, 16, 4, 17, 4, 9, 1, 13,
	1, 61, 1, 58, 2, 32, 2 };
static const uint16_t tpl6_v9[] = { 22, 4, 21, 4, 1, 8, 2, 8, 27, 16, 28, 16,
	62, 16, 7, 2, 11, 2, 4, 1, 5, 1, 6, 1, 10, 4, 14, 4, 16, 4, 17, 4, 29,
	1, 30, 1, 61, 1, 58, 2, 32, 2 };

/* At p: template id with the n (type, len) pairs of tl, IPFIX times. */
static void
check_template(
    const uint8_t *p, uint16_t id, const uint16_t *tl, size_t n, int ipfix)
{
	size_t i;

	assert_int_equal(be16(p), id);
	assert_int_equal(be16(p + 2), n);
	for (i = 0; i < n; i++) {
		uint16_t type = tl[2 * i], len = tl[2 * i + 1];

		if (ipfix && i < 2) {
			/* flowStart/EndMilliseconds */
			type = i == 0 ? 152 : 153;
			len = 8;
		}
		assert_int_equal(be16(p + 4 + 4 * i), type);
		assert_int_equal(be16(p + 6 + 4 * i), len);
	}
}

static ssize_t
pack(struct nf_encoder *e, const struct flow *f, size_t n, uint64_t now,
    uint8_t *buf, size_t cap, size_t *consumed, size_t *skipped)
{
	return nfx_pack(e, f, n, now, buf, cap, consumed, skipped);
}

static void
test_v9_bytes(void **state)
{
	struct nf_encoder *e = nft_encoder(9, DOM, 1, 0);
	uint8_t buf[1500];
	struct flow f;
	size_t c, s;
	const uint8_t *p;

	(void)state;
	flow4(&f);
	assert_int_equal(pack(e, &f, 1, NOW, buf, sizeof(buf), &c, &s), 272);
	assert_int_equal(c, 1);
	assert_int_equal(s, 0);
	/* Header: version, count = 2 templates + 1 data record, uptime,
	 * unix secs, sequence (datagrams, from 0), source id. */
	static const uint8_t hdr[] = { 0x00, 0x09, 0x00, 0x03, 0x00, 0x36, 0xee,
		0x80, 0x65, 0x53, 0xff, 0x10, 0, 0, 0, 0, 0x01, 0x02, 0x03,
		0x04 };
	assert_memory_equal(buf, hdr, sizeof(hdr));
	/* Template FlowSet 0: 4 + 2 * (4 + 21 * 4) bytes. */
	p = buf + 20;
	assert_int_equal(be16(p), 0);
	assert_int_equal(be16(p + 2), 180);
	check_template(p + 4, 256, tpl4_v9, 21, 0);
	check_template(p + 92, 257, tpl6_v9, 21, 0);
	/* Data FlowSet 256: 66-byte record padded to 72. */
	p = buf + 200;
	assert_int_equal(be16(p), 256);
	assert_int_equal(be16(p + 2), 72);
	assert_int_equal(be32(p + 4), 1000); /* FIRST_SWITCHED */
	assert_int_equal(be32(p + 8), 2000); /* LAST_SWITCHED */
	assert_memory_equal(p + 12, rec4_tail, sizeof(rec4_tail));
	assert_int_equal(be16(p + 12 + sizeof(rec4_tail)), 0); /* not ICMP */
	assert_int_equal(be16(p + 70), 0);                     /* padding */
	/* The next datagram: no templates, sequence 1, count 1. */
	assert_int_equal(pack(e, &f, 1, NOW, buf, sizeof(buf), &c, &s), 92);
	assert_int_equal(be16(buf + 2), 1);
	assert_int_equal(be32(buf + 12), 1);
	assert_int_equal(be16(buf + 20), 256);
	nf_encoder_free(e);
}

static void
test_ipfix_bytes(void **state)
{
	struct nf_encoder *e = nft_encoder(10, DOM, 0, 0);
	uint8_t buf[1500];
	struct flow f[2];
	size_t c, s;
	const uint8_t *p;

	(void)state;
	flow4(&f[0]);
	flow4(&f[1]);
	/* Header: version 10, length, export secs, sequence, domain. */
	assert_int_equal(pack(e, f, 2, NOW, buf, sizeof(buf), &c, &s), 336);
	assert_int_equal(c, 2);
	static const uint8_t hdr[] = { 0x00, 0x0a, 0x01, 0x50, 0x65, 0x53, 0xff,
		0x10, 0, 0, 0, 0, 0x01, 0x02, 0x03, 0x04 };
	assert_memory_equal(buf, hdr, sizeof(hdr));
	/* Template Set 2: no icmpTypeCode, 4 + 2 * (4 + 20 * 4). */
	p = buf + 16;
	assert_int_equal(be16(p), 2);
	assert_int_equal(be16(p + 2), 172);
	check_template(p + 4, 256, tpl4_v9, 20, 1);
	check_template(p + 88, 257, tpl6_v9, 20, 1);
	/* Data Set 256: two 72-byte records, no padding needed. */
	p = buf + 188;
	assert_int_equal(be16(p), 256);
	assert_int_equal(be16(p + 2), 4 + 2 * 72);
	assert_int_equal(be64(p + 4), BOOT + 1000);  /* flowStartMs */
	assert_int_equal(be64(p + 12), BOOT + 2000); /* flowEndMs */
	assert_memory_equal(p + 20, rec4_tail, sizeof(rec4_tail));
	assert_memory_equal(p + 4 + 72, p + 4, 72);
	/* IPFIX sequence counts data records: 2 sent, the next starts at 2. */
	assert_int_equal(pack(e, f, 1, NOW, buf, sizeof(buf), &c, &s), 92);
	assert_int_equal(be16(buf + 2), 92);
	assert_int_equal(be32(buf + 8), 2);
	assert_int_equal(pack(e, f, 1, NOW, buf, sizeof(buf), &c, &s), 92);
	assert_int_equal(be32(buf + 8), 3);
	nf_encoder_free(e);
}

/* Sampling: the options template and its record after the templates. */
static void
test_sampling_options(void **state)
{
	struct nf_encoder *e = nft_encoder(9, DOM, 100, 0);
	uint8_t buf[1500];
	size_t c, s;

	(void)state;
	/* No flows: templates and options only, count 4. */
	assert_int_equal(pack(e, NULL, 0, NOW, buf, sizeof(buf), &c, &s),
	    20 + 180 + 24 + 16);
	assert_int_equal(be16(buf + 2), 4);
	/* v9 Options Template FlowSet 1: id 258, scope length 4, option
	 * length 8, scope System (1) of 4, samplingInterval 34 (4),
	 * samplingAlgorithm 35 (1). */
	static const uint8_t opt9[] = { 0, 1, 0, 24, 0x01, 0x02, 0, 4, 0, 8, 0,
		1, 0, 4, 0, 34, 0, 4, 0, 35, 0, 1, 0, 0 };
	assert_memory_equal(buf + 200, opt9, sizeof(opt9));
	/* Its record: source id, 100, algorithm 1, padded to 16. */
	static const uint8_t rec[] = { 0x01, 0x02, 0, 16, 0x01, 0x02, 0x03,
		0x04, 0, 0, 0, 100, 1, 0, 0, 0 };
	assert_memory_equal(buf + 224, rec, sizeof(rec));
	/* Templates only: the v9 sequence still counts the datagram. */
	assert_int_equal(pack(e, NULL, 0, NOW, buf, sizeof(buf), &c, &s), 0);
	nf_encoder_free(e);

	e = nft_encoder(10, DOM, 100, 0);
	assert_int_equal(pack(e, NULL, 0, NOW, buf, sizeof(buf), &c, &s),
	    16 + 172 + 24 + 16);
	/* IPFIX Options Template Set 3: id 258, 3 fields, 1 scope field
	 * observationDomainId 149 (4), then 34 (4), 35 (1); 22 bytes
	 * padded to 24. */
	static const uint8_t opt10[] = { 0, 3, 0, 24, 0x01, 0x02, 0, 3, 0, 1, 0,
		149, 0, 4, 0, 34, 0, 4, 0, 35, 0, 1, 0, 0 };
	assert_memory_equal(buf + 188, opt10, sizeof(opt10));
	assert_memory_equal(buf + 212, rec, sizeof(rec));
	/* The options record is a data record: the sequence moves by 1. */
	nf_encoder_templates_due(e);
	assert_true(pack(e, NULL, 0, NOW, buf, sizeof(buf), &c, &s) > 0);
	assert_int_equal(be32(buf + 8), 1);
	nf_encoder_free(e);
}

/* ICMP type/code in v9 ICMP_TYPE, v6 records, mixed families, skips. */
static void
test_v9_icmp_v6_mixed(void **state)
{
	struct nf_encoder *e = nft_encoder(9, DOM, 1, 0);
	uint8_t buf[1500];
	struct flow f[5];
	size_t c, s;
	const uint8_t *p;
	uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

	(void)state;
	flow4(&f[0]);
	f[0].proto = 1;
	f[0].dport = 0x0303; /* port unreachable */
	nft_make_flow(&f[1], 1, 1);
	f[1].proto = 58;
	f[1].dport = 0x8000; /* echo request */
	f[1].nexthop.family = FT_AF_NONE;
	flow4(&f[2]);
	f[2].dst.family = FT_AF_NONE; /* not exportable */
	flow4(&f[3]);
	f[3].proto = 58; /* ICMPv6 number on IPv4: not ICMP */
	f[3].dport = 0x8000;
	f[3].first_ms = BOOT - 5; /* before boot: uptime 0 */
	memset(&f[4], 0, sizeof(f[4]));
	ft_addr_set_v6(&f[4].src, a6);
	ft_addr_set_v4(&f[4].dst, 1); /* mixed families: skipped */
	assert_int_equal(pack(e, f, 5, NOW, buf, sizeof(buf), &c, &s),
	    20 + 180 + 72 + 4 + 102 + 2 + 72);
	assert_int_equal(c, 5);
	assert_int_equal(s, 2);
	assert_int_equal(be16(buf + 2), 5);
	p = buf + 200;
	assert_int_equal(be16(p + 4 + 64), 0x0303);
	/* IPFIX-style sets: 256, then 257 (102 bytes padded to 108). */
	p += 72;
	assert_int_equal(be16(p), 257);
	assert_int_equal(be16(p + 2), 108);
	assert_memory_equal(p + 4 + 24, f[1].src.v6, 16);
	assert_memory_equal(p + 4 + 40, f[1].dst.v6, 16);
	for (size_t i = 0; i < 16; i++)
		assert_int_equal(p[4 + 56 + i], 0); /* no next hop */
	assert_int_equal(be16(p + 4 + 100), 0x8000);
	p += 108;
	assert_int_equal(be16(p), 256);
	assert_int_equal(be16(p + 2), 72);
	assert_int_equal(be32(p + 4), 0);
	assert_int_equal(be16(p + 4 + 64), 0);
	nf_encoder_free(e);
}

/*
 * Capacity: a datagram takes what fits, the rest goes in the next; too
 * small for the header or for a single record is ENOSPC with nothing
 * consumed and the encoder unchanged.
 */
static void
test_capacity(void **state)
{
	struct nf_encoder *e = nft_encoder(9, DOM, 1, 1000);
	uint8_t buf[1500];
	struct flow f[30];
	size_t c = 9, s = 9, i;

	(void)state;
	for (i = 0; i < 30; i++)
		flow4(&f[i]);
	errno = 0;
	assert_int_equal(pack(e, f, 30, NOW, buf, 19, &c, &s), -1);
	assert_int_equal(errno, ENOSPC);
	assert_int_equal(c, 0);
	/* Header and templates fit, no record: the templates go alone. */
	assert_int_equal(pack(e, f, 30, NOW, buf, 200 + 72, &c, &s), 200);
	assert_int_equal(c, 0);
	assert_int_equal(be16(buf + 2), 2);
	/* Without templates: 1 record needs 20 + 4 + 66 + 3 bytes. */
	errno = 0;
	assert_int_equal(pack(e, f, 30, NOW, buf, 92, &c, &s), -1);
	assert_int_equal(errno, ENOSPC);
	assert_int_equal(c, 0);
	assert_int_equal(pack(e, f, 30, NOW, buf, 93, &c, &s), 92);
	assert_int_equal(c, 1);
	assert_int_equal(be32(buf + 12), 1);
	/* 1400 bytes: (1400 - 24 - 3) / 66 = 20 records. */
	assert_int_equal(pack(e, f, 30, NOW, buf, 1400, &c, &s), 24 + 20 * 66);
	assert_int_equal(c, 20);
	assert_int_equal(be16(buf + 2), 20);
	assert_int_equal(be32(buf + 12), 2);
	nf_encoder_free(e);
}

/* Templates again after template_every datagrams or template_secs. */
static void
test_template_refresh(void **state)
{
	struct nf_encoder *e = nft_encoder(9, DOM, 1, 3);
	uint8_t buf[1500];
	struct flow f;
	size_t c, s;
	int i, with[8];

	(void)state;
	flow4(&f);
	for (i = 0; i < 8; i++) {
		assert_true(pack(e, &f, 1, NOW, buf, sizeof(buf), &c, &s) > 0);
		with[i] = be16(buf + 20) == 0;
	}
	/* Templates, then template_every datagrams without them (the codec
	 * tests pin this reading of "every N": every (N + 1)th datagram). */
	assert_true(with[0]);
	assert_false(with[1]);
	assert_false(with[2]);
	assert_false(with[3]);
	assert_true(with[4]);
	assert_false(with[5]);
	assert_false(with[6]);
	assert_false(with[7]);
	/* By time: 59.999 s after the last templates, not yet; 60 s, yes. */
	nf_encoder_free(e);
	e = nft_encoder(9, DOM, 1, 1000);
	assert_int_equal(pack(e, &f, 1, NOW, buf, sizeof(buf), &c, &s), 272);
	assert_int_equal(
	    pack(e, &f, 1, NOW + 59999, buf, sizeof(buf), &c, &s), 92);
	assert_int_equal(
	    pack(e, &f, 1, NOW + 60000, buf, sizeof(buf), &c, &s), 272);
	/* Nothing to send and nothing due: 0, no sequence used. */
	assert_int_equal(
	    pack(e, NULL, 0, NOW + 61000, buf, sizeof(buf), &c, &s), 0);
	assert_int_equal(
	    pack(e, &f, 1, NOW + 61000, buf, sizeof(buf), &c, &s), 92);
	assert_int_equal(be32(buf + 12), 3);
	nf_encoder_free(e);
}

/* What the writer packs, lib/nfdecode reads back, sampling included. */
static void
test_decodes(void **state)
{
	struct nft_fix *t = *state;
	struct nf_encoder *e;
	struct flow f[12];
	int v;
	unsigned i;

	for (v = 9; v <= 10; v++) {
		e = nft_encoder(v, 7, 64, 0);
		for (i = 0; i < 12; i++) {
			nft_make_flow(&f[i], i, i % 3 == 0);
			f[i].sampling = 64;
		}
		nft_roundtrip_equal(e, t->s, f, 12, &t->out);
		nf_encoder_free(e);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v9_bytes),
		cmocka_unit_test(test_ipfix_bytes),
		cmocka_unit_test(test_sampling_options),
		cmocka_unit_test(test_v9_icmp_v6_mixed),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_template_refresh),
		NFT_TEST(test_decodes),
	};

	return cmocka_run_group_tests_name("nfexport", tests, NULL, NULL);
}
