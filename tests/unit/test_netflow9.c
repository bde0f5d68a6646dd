/*
 * NetFlow v9: encode->decode round trips (IPv4 and IPv6, every field,
 * header fields, sampling options, template re-sending), hostile flowsets
 * and templates, data held before its template, redefinition, session
 * persistence and bounded memory under a template flood.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/nfdecode.h"
#include "lib/nfencode.h"
#include "nf_testutil.h"

#define SOURCE_ID 77

static void
test_nf9_roundtrip_v4_v6(void **state)
{
	struct nft_fix *t = *state;
	struct flow flows[100];
	struct nf_encoder *e = nft_encoder(9, SOURCE_ID, 0, 0);
	size_t i;

	for (i = 0; i < 100; i++) {
		nft_make_flow(&flows[i], (unsigned)i, (i / 7) % 2);
		flows[i].vlan = (uint16_t)(i * 3);
		flows[i].direction = (uint8_t)(i % 2);
		flows[i].src_as = 4200000000u + (uint32_t)i; /* 32-bit AS */
		flows[i].bytes = (1ull << 40) + i;           /* 64-bit */
	}
	nft_roundtrip_equal(e, t->s, flows, 100, &t->out);
	nf_encoder_free(e);
}

static void
test_nf9_header_sequence_templates(void **state)
{
	struct nft_fix *t = *state;
	struct flow f[3];
	struct nf_encoder *e = nft_encoder(9, SOURCE_ID, 0, 3);
	uint8_t buf[1500];
	size_t consumed, skipped;
	ssize_t len;
	int i;

	nft_make_flow(&f[0], 1, 0);
	nft_make_flow(&f[1], 2, 1);
	nft_make_flow(&f[2], 3, 0);
	for (i = 0; i < 8; i++) {
		len = nf_encoder_pack(e, f, 3, NFT_NOW_MS + i, buf, sizeof(buf),
		    &consumed, &skipped);
		assert_true(len > 0);
		assert_int_equal(consumed, 3);
		/* count = templates + data records */
		assert_int_equal(
		    buf[2] << 8 | buf[3], (i % 4 == 0 ? 2 : 0) + 3);
		t->out.n = 0;
		assert_int_equal(nft_decode_buf(t->s, buf, (size_t)len, 0,
				     &t->out, &t->info),
		    NF_OK);
		assert_int_equal(t->info.version, 9);
		assert_int_equal(t->info.sequence, (uint32_t)i); /* packets */
		assert_int_equal(t->info.domain, SOURCE_ID);
		assert_int_equal(t->info.sys_uptime, 3600000 + i);
		assert_int_equal(t->info.export_ms, NFT_NOW_MS / 1000 * 1000);
		/* Templates at start, then after every 3 data datagrams. */
		assert_int_equal(t->info.templates, i % 4 == 0 ? 2 : 0);
		assert_int_equal(t->info.records, 3);
		assert_int_equal(t->out.f[1].src.family, FT_AF_INET6);
	}
	/* Forced, and after template_secs. */
	nf_encoder_templates_due(e);
	len = nf_encoder_pack(
	    e, f, 1, NFT_NOW_MS, buf, sizeof(buf), &consumed, &skipped);
	assert_int_equal(buf[2] << 8 | buf[3], 3);
	len = nf_encoder_pack(
	    e, f, 1, NFT_NOW_MS + 61000, buf, sizeof(buf), &consumed, &skipped);
	assert_int_equal(buf[2] << 8 | buf[3], 3);
	/* Nothing to send and no template due. */
	len = nf_encoder_pack(
	    e, f, 0, NFT_NOW_MS + 61000, buf, sizeof(buf), &consumed, &skipped);
	assert_int_equal(len, 0);
	nf_encoder_free(e);
}

static void
test_nf9_sampling_announced(void **state)
{
	struct nft_fix *t = *state;
	struct flow f;
	struct nf_encoder *e = nft_encoder(9, SOURCE_ID, 64, 0);

	nft_make_flow(&f, 5, 0);
	t->out.n = 0;
	nft_roundtrip(e, t->s, &f, 1, NFT_NOW_MS, &t->out);
	assert_int_equal(t->out.n, 1);
	assert_int_equal(t->out.f[0].sampling, 64);
	assert_int_equal(t->out.f[0].bytes, f.bytes); /* unscaled */
	nf_encoder_free(e);
}

static void
test_nf9_data_before_template(void **state)
{
	struct nft_fix *t = *state;
	struct nf_session_stats st;

	nft_pkt_v9(&t->p, 10000, 1500000000, 1, 3);
	nft_small_data(&t->p, 300, 2);
	assert_int_equal(nft_fix_decode(t), NF_OK);
	assert_int_equal(t->out.n, 0);
	assert_int_equal(t->info.held, 1);
	nf_session_stats(t->s, &st);
	assert_int_equal(st.held_sets, 1);
	/* The template comes, with more data after it in the same packet. */
	nft_pkt_v9(&t->p, 20000, 1500000010, 2, 3);
	nft_small_template(&t->p, 300);
	nft_small_data(&t->p, 300, 3);
	assert_int_equal(nft_fix_decode(t), NF_OK);
	assert_int_equal(t->info.released, 2);
	assert_int_equal(t->info.records, 5);
	assert_int_equal(t->out.n, 5);
	/* Held records keep their own datagram's times. */
	assert_int_equal(t->out.f[0].first_ms, 1500000000000ull - 1000);
	assert_int_equal(t->out.f[0].last_ms, 1500000000000ull - 500);
	assert_int_equal(t->out.f[2].first_ms, 1500000010000ull - 11000);
	assert_int_equal(t->out.f[1].bytes, 200);
	assert_int_equal(t->out.f[1].src.v4, 0x0a000002);
	nf_session_stats(t->s, &st);
	assert_int_equal(st.held_sets, 0);
	/* Another source id of the same exporter has no template 300. */
	nft_pkt_v9(&t->p, 20000, 1500000010, 3, 4);
	nft_small_data(&t->p, 300, 1);
	assert_int_equal(nft_fix_decode(t), NF_OK);
	assert_int_equal(t->info.held, 1);
}

static void
test_nf9_redefinition(void **state)
{
	static const uint16_t tpl2[] = { 12, 4, 8, 4, 1, 8 };
	struct nft_fix *t = *state;

	nft_pkt_v9(&t->p, 10000, 1500000000, 1, 3);
	nft_small_template(&t->p, 300);
	nft_small_data(&t->p, 300, 1);
	t->out.n = 0;
	assert_int_equal(nft_fix_decode(t), NF_OK);
	assert_int_equal(t->out.f[0].bytes, 100);
	nft_pkt_v9(&t->p, 10000, 1500000000, 2, 3);
	nft_template(&t->p, 300, tpl2, 3);
	nft_set_begin(&t->p, 300);
	wbuf_u32(&t->p.w, 0x01020304);
	wbuf_u32(&t->p.w, 0x05060708);
	wbuf_u64(&t->p.w, 1ull << 33);
	nft_set_end(&t->p, 4);
	assert_int_equal(nft_fix_decode(t), NF_OK);
	assert_int_equal(t->out.n, 2);
	assert_int_equal(t->out.f[1].dst.v4, 0x01020304);
	assert_int_equal(t->out.f[1].src.v4, 0x05060708);
	assert_int_equal(t->out.f[1].bytes, 1ull << 33);
	/* No times in the record: both are the export time. */
	assert_int_equal(t->out.f[1].first_ms, 1500000000000ull);
}

static void
test_nf9_hostile(void **state)
{
	struct nft_fix *t = *state;
	size_t len;

	/* Truncated header. */
	nft_pkt_v9(&t->p, 1, 2, 3, 4);
	assert_int_equal(nft_fix_decode_cut(t, 19), NF_ERR_SHORT);
	/* Flowset length 0 with a non-zero id, and 3. */
	nft_pkt_v9(&t->p, 1, 2, 3, 4);
	wbuf_u16(&t->p.w, 300);
	wbuf_u16(&t->p.w, 0);
	assert_int_equal(nft_fix_decode(t), NF_ERR_FLOWSET);
	nft_pkt_v9(&t->p, 1, 2, 3, 4);
	wbuf_u16(&t->p.w, 300);
	wbuf_u16(&t->p.w, 3);
	wbuf_zero(&t->p.w, 8);
	assert_int_equal(nft_fix_decode(t), NF_ERR_FLOWSET);
	/* Flowset longer than the datagram. */
	nft_pkt_v9(&t->p, 1, 2, 3, 4);
	wbuf_u16(&t->p.w, 0);
	wbuf_u16(&t->p.w, 400);
	wbuf_zero(&t->p.w, 20);
	assert_int_equal(nft_fix_decode(t), NF_ERR_FLOWSET);
	/* Zero padding after the last flowset is fine. */
	nft_pkt_v9(&t->p, 1, 2, 3, 4);
	nft_small_template(&t->p, 300);
	wbuf_zero(&t->p.w, 100);
	assert_int_equal(nft_fix_decode(t), NF_OK);
	assert_int_equal(t->info.templates, 1);
	/* Template with 0 fields; huge field count; id below 256. */
	nft_pkt_v9(&t->p, 1, 2, 3, 4);
	nft_tmpl_begin(&t->p, 0, 301, 0);
	wbuf_u32(&t->p.w, 0);
	nft_set_end(&t->p, 4);
	assert_int_equal(nft_fix_decode(t), NF_ERR_TEMPLATE);
	nft_pkt_v9(&t->p, 1, 2, 3, 4);
	nft_tmpl_begin(&t->p, 0, 301, 65535);
	nft_fields(&t->p, nft_tpl_small, 6);
	nft_set_end(&t->p, 4);
	assert_int_equal(nft_fix_decode(t), NF_ERR_TEMPLATE);
	nft_pkt_v9(&t->p, 1, 2, 3, 4);
	nft_template(&t->p, 255, nft_tpl_small, 6);
	assert_int_equal(nft_fix_decode(t), NF_ERR_TEMPLATE);
	/* A template whose fields are all 0 bytes long. */
	nft_pkt_v9(&t->p, 1, 2, 3, 4);
	nft_tmpl_begin(&t->p, 0, 302, 2);
	wbuf_u32(&t->p.w, 0x00080000);
	wbuf_u32(&t->p.w, 0x000c0000);
	nft_set_end(&t->p, 4);
	assert_int_equal(nft_fix_decode(t), NF_ERR_TEMPLATE);
	/* Options template with odd lengths. */
	nft_pkt_v9(&t->p, 1, 2, 3, 4);
	nft_tmpl_begin(&t->p, 1, 303, 3); /* scope length 3 */
	wbuf_u16(&t->p.w, 4000);          /* options length */
	wbuf_zero(&t->p.w, 8);
	nft_set_end(&t->p, 4);
	assert_int_equal(nft_fix_decode(t), NF_ERR_TEMPLATE);
	/* A data record cut short is padding, not a record. */
	nft_pkt_v9(&t->p, 1, 2, 3, 4);
	nft_set_begin(&t->p, 300);
	wbuf_zero(&t->p.w, 23);
	nft_set_end(&t->p, 1);
	assert_int_equal(nft_fix_decode(t), NF_OK);
	assert_int_equal(t->info.records, 0);
	assert_int_equal(t->out.n, 0);
	/* Random bytes after a valid header never crash. */
	nft_pkt_v9(&t->p, 1, 2, 3, 4);
	for (len = 0; len < 300; len++)
		wbuf_u8(&t->p.w, (uint8_t)(len * 37 + 11));
	(void)nft_fix_decode(t);
}

static void
test_nf9_template_flood_bounded(void **state)
{
	struct nft_fix *t = *state;
	struct nf_limits lim = {
		.max_templates = 64, .max_held_bytes = 4096, .max_exporters = 8
	};
	struct nf_session *s = nf_session_new(&lim);
	struct nf_session_stats st;
	unsigned i;

	for (i = 0; i < 5000; i++) {
		/* Many templates from few exporters, then many exporters. */
		nft_pkt_v9(&t->p, 1, 2, i, i < 4000 ? i % 4 : i);
		nft_small_template(&t->p, (uint16_t)(256 + i % 3000));
		nft_small_data(&t->p, (uint16_t)(256 + (i + 7) % 3000), 10);
		(void)nft_decode(s, &t->p, &t->out, &t->info);
		t->out.n = 0;
	}
	nf_session_stats(s, &st);
	assert_true(st.templates <= 64);
	assert_true(st.templates_evicted > 0);
	assert_true(st.exporters <= 8);
	assert_true(st.exporters_evicted > 0);
	assert_true(st.held_bytes <= 4096);
	assert_true(st.held_dropped > 0);
	nf_session_free(s);
}

/* A collector stopped before any exporter spoke saves an empty session;
 * its next start must load it without complaint. */
static void
test_nf9_persistence_empty(void **state)
{
	char path[] = "/tmp/ft-nf9-empty-XXXXXX";
	struct nf_session *s, *s2;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) != -1);
	close(fd);
	assert_non_null(s = nf_session_new(NULL));
	assert_int_equal(nf_session_save(s, path), 0);
	assert_non_null(s2 = nf_session_new(NULL));
	assert_int_equal(nf_session_load(s2, path), 0);
	nf_session_free(s);
	nf_session_free(s2);
	unlink(path);
}

static void
test_nf9_persistence(void **state)
{
	struct nft_fix *t = *state;
	struct flow f[2];
	struct nf_encoder *e = nft_encoder(9, SOURCE_ID, 10, 100);
	struct nf_session *s2;
	char path[] = "/tmp/test_nf9_saveXXXXXX";
	uint8_t buf[1500], raw[65536];
	size_t consumed, skipped;
	ssize_t len;
	FILE *fp;
	size_t n;
	int fd;

	assert_true((fd = mkstemp(path)) != -1);
	close(fd);
	nft_make_flow(&f[0], 1, 0);
	nft_make_flow(&f[1], 2, 1);
	len = nf_encoder_pack(
	    e, f, 2, NFT_NOW_MS, buf, sizeof(buf), &consumed, &skipped);
	assert_int_equal(
	    nft_decode_buf(t->s, buf, (size_t)len, 0, NULL, &t->info), NF_OK);
	assert_int_equal(nf_session_save(t->s, path), 0);
	/* A data-only datagram decodes at once in a restarted session. */
	len = nf_encoder_pack(
	    e, f, 2, NFT_NOW_MS, buf, sizeof(buf), &consumed, &skipped);
	assert_int_equal(t->info.templates, 0 + 3); /* from the first packet */
	s2 = nf_session_new(NULL);
	assert_int_equal(nf_session_load(s2, path), 0);
	t->out.n = 0;
	assert_int_equal(
	    nft_decode_buf(s2, buf, (size_t)len, 0, &t->out, &t->info), NF_OK);
	assert_int_equal(t->info.templates, 0);
	assert_int_equal(t->out.n, 2);
	f[0].sampling = 10;
	nft_assert_flow_equal(&t->out.f[0], &f[0]);
	assert_int_equal(t->out.f[1].sampling, 10); /* learned rate kept */
	nf_session_free(s2);
	/* Corrupt: every single flipped byte, and truncation, rejected. */
	assert_non_null(fp = fopen(path, "rb"));
	n = fread(raw, 1, sizeof(raw), fp);
	fclose(fp);
	for (size_t i = 0; i < n; i += 7) {
		raw[i] ^= 0x40;
		assert_non_null(fp = fopen(path, "wb"));
		assert_int_equal(fwrite(raw, 1, n, fp), n);
		fclose(fp);
		s2 = nf_session_new(NULL);
		assert_int_equal(nf_session_load(s2, path), -1);
		nf_session_free(s2);
		raw[i] ^= 0x40;
	}
	assert_non_null(fp = fopen(path, "wb"));
	assert_int_equal(fwrite(raw, 1, n - 1, fp), n - 1);
	fclose(fp);
	s2 = nf_session_new(NULL);
	assert_int_equal(nf_session_load(s2, path), -1);
	assert_int_equal(nf_session_load(s2, "/nonexistent/x"), -1);
	nf_session_free(s2);
	/* Many exporters that only sent data (no templates, no samplers). */
	s2 = nf_session_new(NULL);
	for (n = 0; n < 20; n++) {
		nft_pkt_v9(&t->p, 1, 2, 3, (uint32_t)n);
		nft_set_begin(&t->p, 300);
		wbuf_zero(&t->p.w, 8);
		nft_set_end(&t->p, 4);
		(void)nft_decode(s2, &t->p, &t->out, &t->info);
	}
	assert_int_equal(nf_session_save(s2, path), 0);
	nf_session_free(s2);
	s2 = nf_session_new(NULL);
	assert_int_equal(nf_session_load(s2, path), 0);
	nf_session_free(s2);
	unlink(path);
	nf_encoder_free(e);
}

static void
test_nf9_options_sampler_table(void **state)
{
	struct nft_fix *t = *state;
	/* Options: scope system, FLOW_SAMPLER_ID, MODE, RANDOM_INTERVAL. */
	static const uint16_t scope[] = { 1, 4 };
	static const uint16_t opts[] = { 48, 1, 49, 1, 50, 4 };
	static const uint16_t tpl[] = { 8, 4, 12, 4, 48, 1, 32, 2, 4, 1 };

	nft_pkt_v9(&t->p, 1000, 1500000000, 1, 9);
	nft_tmpl_begin(&t->p, 1, 400, 4); /* scope length 4 */
	wbuf_u16(&t->p.w, 12);            /* options length */
	nft_fields(&t->p, scope, 1);
	nft_fields(&t->p, opts, 3);
	nft_set_end(&t->p, 4);
	nft_set_begin(&t->p, 400);
	wbuf_u32(&t->p.w, 0);
	wbuf_u8(&t->p.w, 5);
	wbuf_u8(&t->p.w, 2);
	wbuf_u32(&t->p.w, 100);
	nft_set_end(&t->p, 4);
	nft_template(&t->p, 401, tpl, 5);
	nft_set_begin(&t->p, 401);
	/* sampler 5: known; 6: unknown; 0: none; ICMP echo request. */
	wbuf_u32(&t->p.w, 1);
	wbuf_u32(&t->p.w, 2);
	wbuf_u8(&t->p.w, 5);
	wbuf_u16(&t->p.w, 0x0800);
	wbuf_u8(&t->p.w, 1);
	wbuf_u32(&t->p.w, 1);
	wbuf_u32(&t->p.w, 2);
	wbuf_u8(&t->p.w, 6);
	wbuf_u16(&t->p.w, 0);
	wbuf_u8(&t->p.w, 6);
	wbuf_u32(&t->p.w, 1);
	wbuf_u32(&t->p.w, 2);
	wbuf_u8(&t->p.w, 0);
	wbuf_u16(&t->p.w, 0);
	wbuf_u8(&t->p.w, 17);
	nft_set_end(&t->p, 4);
	t->out.n = 0;
	assert_int_equal(nft_fix_decode(t), NF_OK);
	assert_int_equal(t->info.options, 1);
	assert_int_equal(t->out.n, 3);
	assert_int_equal(t->out.f[0].sampling, 100);
	assert_int_equal(t->out.f[0].dport, 0x0800);
	assert_int_equal(t->out.f[0].sport, 0);
	assert_int_equal(t->out.f[1].sampling, 0);
	/* One sampler known, flow names none: that sampler's rate. */
	assert_int_equal(t->out.f[2].sampling, 100);
}

/* The encoder's v9 templates carry ICMP_TYPE (32) for IPv4 and IPv6 flows
 * (nfdump reads it from there); the decoder maps it to type << 8 | code. */
static void
test_nf9_icmp_type_code(void **state)
{
	struct nft_fix *t = *state;
	struct flow f[2];
	struct nf_encoder *e = nft_encoder(9, SOURCE_ID, 0, 0);
	uint8_t buf[1500];
	size_t consumed, skipped, i, n32 = 0;
	ssize_t len;
	static const uint16_t tpl[] = { 8, 4, 12, 4, 4, 1, 32, 2 };

	nft_make_flow(&f[0], 1, 0);
	nft_make_flow(&f[1], 2, 1);
	f[0].proto = 1;
	f[0].sport = 0;
	f[0].dport = 3 << 8 | 1; /* unreachable, host */
	f[1].proto = 58;
	f[1].sport = 0;
	f[1].dport = 128 << 8; /* echo request */
	len = nf_encoder_pack(
	    e, f, 2, NFT_NOW_MS, buf, sizeof(buf), &consumed, &skipped);
	assert_true(len > 0);
	/* The template flowset comes first: count the ICMP_TYPE specifiers. */
	for (i = 24; i + 4 <= (size_t)(buf[22] << 8 | buf[23]) + 20; i += 4)
		if ((buf[i] << 8 | buf[i + 1]) == 32 && buf[i + 3] == 2)
			n32++;
	assert_int_equal(n32, 2);
	t->out.n = 0;
	assert_int_equal(
	    nft_decode_buf(t->s, buf, (size_t)len, 0, &t->out, &t->info),
	    NF_OK);
	assert_int_equal(t->out.n, 2);
	nft_assert_flow_equal(&t->out.f[0], &f[0]);
	nft_assert_flow_equal(&t->out.f[1], &f[1]);
	/* A router's record: ICMP_TYPE only, no ports. */
	nft_pkt_v9(&t->p, 10000, 1500000000, 0, 5);
	nft_template(&t->p, 300, tpl, 4);
	nft_set_begin(&t->p, 300);
	wbuf_u32(&t->p.w, 0x0a000001);
	wbuf_u32(&t->p.w, 0x0a000002);
	wbuf_u8(&t->p.w, 1);
	wbuf_u16(&t->p.w, 11 << 8 | 0); /* time exceeded */
	nft_set_end(&t->p, 4);
	t->out.n = 0;
	assert_int_equal(nft_fix_decode(t), NF_OK);
	assert_int_equal(t->out.n, 1);
	assert_int_equal(t->out.f[0].proto, 1);
	assert_int_equal(t->out.f[0].sport, 0);
	assert_int_equal(t->out.f[0].dport, 11 << 8);
	nf_encoder_free(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		NFT_TEST(test_nf9_roundtrip_v4_v6),
		NFT_TEST(test_nf9_icmp_type_code),
		NFT_TEST(test_nf9_header_sequence_templates),
		NFT_TEST(test_nf9_sampling_announced),
		NFT_TEST(test_nf9_data_before_template),
		NFT_TEST(test_nf9_redefinition),
		NFT_TEST(test_nf9_hostile),
		NFT_TEST(test_nf9_template_flood_bounded),
		NFT_TEST(test_nf9_persistence),
		cmocka_unit_test(test_nf9_persistence_empty),
		NFT_TEST(test_nf9_options_sampler_table),
	};

	return cmocka_run_group_tests_name("netflow9", tests, NULL, NULL);
}
