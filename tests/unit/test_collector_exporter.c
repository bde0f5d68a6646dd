/*
 * Collector exporter accounting: sequence gaps into lost flows for v5
 * (flows), v9 (packets, by the stream's average) and IPFIX (records),
 * late packets, resets, sampling scaling and overrides, the allow-list,
 * and the per-interval snapshot.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <netinet/in.h>

#include <string.h>

#include "collector/exporter.h"
#include "lib/nfdecode.h"
#include "lib/nfencode.h"

#include "addr_testutil.h"

static struct exporter *
get(struct exporter_table *t, uint32_t a, uint16_t version, uint32_t dom)
{
	struct sockaddr_in sin = taddr_sin4(a, 2055);

	return exporter_get(t, (struct sockaddr *)&sin, version, dom, 1000);
}

/* One datagram of `flows` records with sequence seq. */
static uint64_t
pkt(struct exporter *e, uint16_t version, uint32_t seq, uint32_t flows)
{
	struct nf_packet_info info;
	struct flow f;
	uint32_t i;

	memset(&info, 0, sizeof(info));
	info.version = version;
	info.sequence = seq;
	info.records = flows;
	if (version == 5 || version == 10)
		info.seq_flows = flows;
	for (i = 0; i < flows; i++) {
		memset(&f, 0, sizeof(f));
		f.sampling = 1;
		exporter_flow(e, &f);
	}
	return exporter_packet(e, NF_OK, &info, 5000);
}

static void
test_exporter_v5_gap_counts_flows(void **state)
{
	struct exporter_table *t = exporter_table_new(0);
	struct exporter *e = get(t, 0x0a000001, 5, 0);

	(void)state;
	assert_int_equal(pkt(e, 5, 0, 30), 0);
	assert_int_equal(pkt(e, 5, 30, 30), 0);
	/* packets with 30 and 12 flows lost: next expected 60, got 102 */
	assert_int_equal(pkt(e, 5, 102, 30), 42);
	assert_int_equal(pkt(e, 5, 132, 5), 0);
	assert_int_equal(e->total.lost_flows, 42);
	assert_int_equal(e->total.resets, 0);
	assert_int_equal(e->total.packets, 4);
	assert_int_equal(e->total.flows, 95);
	exporter_table_free(t);
}

static void
test_exporter_v5_sequence_wraps(void **state)
{
	struct exporter_table *t = exporter_table_new(0);
	struct exporter *e = get(t, 0x0a000001, 5, 0);

	(void)state;
	pkt(e, 5, UINT32_MAX - 9, 10);
	assert_int_equal(pkt(e, 5, 0, 10), 0);
	assert_int_equal(pkt(e, 5, 20, 10), 10);
	assert_int_equal(e->total.resets, 0);
	exporter_table_free(t);
}

static void
test_exporter_late_packet_is_not_loss(void **state)
{
	struct exporter_table *t = exporter_table_new(0);
	struct exporter *e = get(t, 0x0a000001, 5, 0);

	(void)state;
	pkt(e, 5, 100, 10);
	pkt(e, 5, 110, 10);
	/* a duplicate of the first: late, not a reset, next still 120 */
	assert_int_equal(pkt(e, 5, 100, 10), 0);
	assert_int_equal(pkt(e, 5, 120, 10), 0);
	assert_int_equal(e->total.late_packets, 1);
	assert_int_equal(e->total.lost_flows, 0);
	assert_int_equal(e->total.resets, 0);
	exporter_table_free(t);
}

static void
test_exporter_reset_on_restart(void **state)
{
	struct exporter_table *t = exporter_table_new(0);
	struct exporter *e = get(t, 0x0a000001, 5, 0);

	(void)state;
	pkt(e, 5, 5000000, 30);
	pkt(e, 5, 5000030, 30);
	/* the exporter restarts: sequence back to 0 */
	assert_int_equal(pkt(e, 5, 0, 30), 0);
	assert_int_equal(e->total.resets, 1);
	assert_int_equal(e->total.lost_flows, 0);
	/* and tracking goes on from there */
	assert_int_equal(pkt(e, 5, 60, 30), 30);
	/* a restart soon after start: three in a row behind are a reset */
	pkt(e, 5, 90, 30);
	assert_int_equal(pkt(e, 5, 0, 30), 0);
	assert_int_equal(pkt(e, 5, 30, 30), 0);
	assert_int_equal(e->total.resets, 1);
	assert_int_equal(pkt(e, 5, 60, 30), 0);
	assert_int_equal(e->total.resets, 2);
	assert_int_equal(e->total.late_packets, 0);
	assert_int_equal(pkt(e, 5, 90, 30), 0);
	assert_int_equal(e->total.lost_flows, 30);
	/* a huge jump forward is a reset too */
	assert_int_equal(pkt(e, 5, 90 + (1u << 25), 30), 0);
	assert_int_equal(e->total.resets, 3);
	exporter_table_free(t);
}

static void
test_exporter_v9_gap_counts_packets(void **state)
{
	struct exporter_table *t = exporter_table_new(0);
	struct exporter *e = get(t, 0x0a000001, 9, 7);

	(void)state;
	pkt(e, 9, 10, 20);
	pkt(e, 9, 11, 20);
	/* packets 12 and 13 lost; average 20 flows a packet so far */
	assert_int_equal(pkt(e, 9, 14, 20), 40);
	assert_int_equal(e->total.lost_packets, 2);
	assert_int_equal(e->total.lost_flows, 40);
	exporter_table_free(t);
}

static void
test_exporter_ipfix_gap_counts_records(void **state)
{
	struct exporter_table *t = exporter_table_new(0);
	struct exporter *e = get(t, 0x0a000001, 10, 1);
	struct nf_packet_info info;

	(void)state;
	pkt(e, 10, 0, 25);
	pkt(e, 10, 25, 25);
	assert_int_equal(pkt(e, 10, 75, 25), 25);
	/* a template-only message does not move the sequence */
	assert_int_equal(pkt(e, 10, 100, 0), 0);
	assert_int_equal(pkt(e, 10, 100, 3), 0);
	/* data held for a template: resynchronise, no false loss */
	memset(&info, 0, sizeof(info));
	info.version = 10;
	info.sequence = 103;
	info.held = 1;
	assert_int_equal(exporter_packet(e, NF_OK, &info, 0), 0);
	assert_int_equal(pkt(e, 10, 140, 5), 0);
	assert_int_equal(pkt(e, 10, 145, 5), 0);
	assert_int_equal(e->total.lost_flows, 25);
	exporter_table_free(t);
}

static void
test_exporter_inclusive_sequence_learned(void **state)
{
	struct exporter_table *t = exporter_table_new(0);
	struct exporter *e = get(t, 0x0a000001, 10, 0);

	(void)state;
	/* softflowd: 18 records with sequence 18, then 23 with 41 */
	assert_int_equal(pkt(e, 10, 18, 18), 0);
	assert_int_equal(pkt(e, 10, 41, 23), 0);
	assert_int_equal(e->seq_mode, EXPORTER_SEQ_INCLUSIVE);
	assert_int_equal(pkt(e, 10, 51, 10), 0);
	/* a message of 10 lost, then one of 5: 10 lost */
	assert_int_equal(pkt(e, 10, 66, 5), 10);
	assert_int_equal(e->total.lost_flows, 10);
	exporter_table_free(t);
}

static void
test_exporter_streams_are_separate(void **state)
{
	struct exporter_table *t = exporter_table_new(0);
	struct exporter *a = get(t, 0x0a000001, 10, 1);
	struct exporter *b = get(t, 0x0a000001, 10, 2);
	struct exporter *c = get(t, 0x0a000002, 10, 1);

	(void)state;
	assert_ptr_not_equal(a, b);
	assert_ptr_not_equal(a, c);
	assert_ptr_equal(a, get(t, 0x0a000001, 10, 1));
	pkt(a, 10, 0, 10);
	pkt(b, 10, 1000, 10);
	assert_int_equal(pkt(a, 10, 10, 10), 0);
	assert_int_equal(pkt(b, 10, 1010, 10), 0);
	exporter_table_free(t);
}

static void
test_exporter_table_bounded(void **state)
{
	struct exporter_table *t = exporter_table_new(2);
	struct exporter_global g;

	(void)state;
	assert_non_null(get(t, 1, 5, 0));
	assert_non_null(get(t, 2, 5, 0));
	assert_null(get(t, 3, 5, 0));
	exporter_global(t, &g);
	assert_int_equal(g.overflow, 1);
	exporter_table_free(t);
}

static void
test_exporter_malformed_by_reason(void **state)
{
	struct exporter_table *t = exporter_table_new(0);
	struct exporter *e = get(t, 0x0a000001, 5, 0);
	struct nf_packet_info info;

	(void)state;
	memset(&info, 0, sizeof(info));
	exporter_packet(e, NF_ERR_LENGTH, &info, 0);
	exporter_packet(e, NF_ERR_LENGTH, &info, 0);
	exporter_packet(e, NF_ERR_COUNT, &info, 0);
	assert_int_equal(e->total.malformed, 3);
	assert_int_equal(e->total.malformed_by[-NF_ERR_LENGTH], 2);
	assert_int_equal(e->total.malformed_by[-NF_ERR_COUNT], 1);
	assert_int_equal(e->total.packets, 0);
	assert_string_equal(exporter_reason(-NF_ERR_LENGTH), "length");
	exporter_table_free(t);
}

static void
test_exporter_sampling(void **state)
{
	struct exporter_table *t = exporter_table_new(0);
	struct exporter_override ov[2];
	struct exporter_policy p = { 0 };
	struct exporter *e, *forced, *plain;
	struct flow f;

	(void)state;
	memset(ov, 0, sizeof(ov));
	assert_int_equal(addr_parse_prefix("10.0.0.0/8", 0, &ov[0].prefix), 0);
	ov[0].rate = 100;
	assert_int_equal(addr_parse_prefix("10.9.0.1", 0, &ov[1].prefix), 0);
	ov[1].rate = 50;
	ov[1].force = true;
	p.overrides = ov;
	p.n_overrides = 2;
	assert_int_equal(exporter_set_policy(t, &p), 0);
	e = get(t, 0x0a000001, 5, 0);
	forced = get(t, 0x0a090001, 5, 0);
	plain = get(t, 0xc0000201, 5, 0);

	/* announced rate is applied */
	memset(&f, 0, sizeof(f));
	f.bytes = 1000;
	f.packets = 2;
	f.sampling = 10;
	exporter_flow(plain, &f);
	assert_int_equal(f.bytes, 10000);
	assert_int_equal(f.packets, 20);
	assert_int_equal(f.sampling, 10);
	/* unknown rate: flagged and unscaled */
	f.bytes = 1000;
	f.packets = 2;
	f.sampling = 0;
	exporter_flow(plain, &f);
	assert_int_equal(f.bytes, 1000);
	assert_int_equal(f.sampling, 0);
	assert_true(plain->flags & FLOWFILE_EXP_SAMPLING_UNKNOWN);
	assert_int_equal(plain->total.unknown_sampling, 1);
	/* config rate when the exporter announces none */
	f.bytes = 1000;
	f.packets = 2;
	f.sampling = 1;
	exporter_flow(e, &f);
	assert_int_equal(f.bytes, 100000);
	assert_int_equal(f.sampling, 100);
	assert_true(e->flags & FLOWFILE_EXP_SAMPLING_OVERRIDE);
	/* ... and for an unknown one, but not over an announced rate */
	f.bytes = 1000;
	f.packets = 2;
	f.sampling = 0;
	exporter_flow(e, &f);
	assert_int_equal(f.sampling, 100);
	f.bytes = 1000;
	f.packets = 2;
	f.sampling = 10;
	exporter_flow(e, &f);
	assert_int_equal(f.sampling, 10);
	assert_int_equal(f.bytes, 10000);
	/* forced: over an announced rate too (the most specific prefix) */
	f.bytes = 1000;
	f.packets = 2;
	f.sampling = 10;
	exporter_flow(forced, &f);
	assert_int_equal(f.sampling, 50);
	assert_int_equal(f.bytes, 50000);
	assert_int_equal(f.packets, 100);
	exporter_table_free(t);
}

static void
test_exporter_allow_list(void **state)
{
	struct exporter_table *t = exporter_table_new(0);
	struct ft_prefix allow[2];
	struct exporter_policy p = { 0 };
	struct ft_addr a;

	(void)state;
	ft_addr_set_v4(&a, 0x0a000001);
	assert_true(exporter_allowed(t, &a)); /* no list: all */
	assert_int_equal(addr_parse_prefix("192.0.2.0/24", 0, &allow[0]), 0);
	assert_int_equal(addr_parse_prefix("2001:db8::1", 0, &allow[1]), 0);
	p.allow = allow;
	p.n_allow = 2;
	assert_int_equal(exporter_set_policy(t, &p), 0);
	assert_false(exporter_allowed(t, &a));
	ft_addr_set_v4(&a, 0xc0000207);
	assert_true(exporter_allowed(t, &a));
	assert_int_equal(addr_parse("2001:db8::1", &a), 0);
	assert_true(exporter_allowed(t, &a));
	assert_int_equal(addr_parse("2001:db8::2", &a), 0);
	assert_false(exporter_allowed(t, &a));
	exporter_table_free(t);
}

static void
test_exporter_snapshot_resets_interval(void **state)
{
	struct exporter_table *t = exporter_table_new(0);
	struct exporter *e = get(t, 0x0a000001, 5, 3);
	struct flowfile_exporter x[4];

	(void)state;
	pkt(e, 5, 0, 30);
	pkt(e, 5, 60, 30);
	assert_int_equal(exporter_snapshot(t, x, 4, true), 1);
	assert_int_equal(x[0].packets, 2);
	assert_int_equal(x[0].flows, 60);
	assert_int_equal(x[0].lost_flows, 30);
	assert_int_equal(x[0].version, 5);
	assert_int_equal(x[0].domain, 3);
	assert_int_equal(x[0].port, 2055);
	assert_int_equal(x[0].clock_skew_ms, 0);
	assert_int_equal(exporter_snapshot(t, x, 4, false), 1);
	assert_int_equal(x[0].packets, 0);
	assert_int_equal(e->total.packets, 2);
	exporter_table_free(t);
}

static void
test_exporter_peek(void **state)
{
	uint8_t v5[24] = { 0, 5 };
	uint8_t v9[20] = { 0, 9 };
	uint8_t ipfix[16] = { 0, 10 };
	uint16_t v;
	uint32_t d;

	(void)state;
	v5[20] = 1;
	v5[21] = 2;
	v9[19] = 42;
	ipfix[15] = 7;
	assert_int_equal(exporter_peek(v5, sizeof(v5), &v, &d), 0);
	assert_int_equal(v, 5);
	assert_int_equal(d, 0x102);
	assert_int_equal(exporter_peek(v9, sizeof(v9), &v, &d), 0);
	assert_int_equal(d, 42);
	assert_int_equal(exporter_peek(ipfix, sizeof(ipfix), &v, &d), 0);
	assert_int_equal(d, 7);
	assert_int_equal(exporter_peek(v5, 1, &v, &d), -1);
}

static int
count_flow(void *arg, const struct flow *f)
{
	(void)f;
	(*(unsigned *)arg)++;
	return 0;
}

/*
 * Real datagrams from our encoder with sampling on, so template messages
 * carry an options data record (the sampling rate); datagram number `drop`
 * (and drop2) is lost on the way. Returns the exporter's lost flows.
 */
static void
encoded_stream(int version, const int *drop, size_t ndrop, uint64_t *lost,
    uint64_t *lost_packets, uint64_t *options)
{
	struct nf_encoder_opts o = {
		.version = version,
		.domain = 9,
		.sampling = 10,
		.boot_ms = 1000,
		.template_every = 2,
		.template_secs = 3600,
	};
	struct nf_encoder *enc = nf_encoder_new(&o);
	struct nf_session *s = nf_session_new(NULL);
	struct exporter_table *t = exporter_table_new(0);
	struct exporter *e = get(t, 0x0a000009, (uint16_t)version, 9);
	struct sockaddr_in from = taddr_sin4(0x0a000009, 2055);
	struct nf_packet_info info;
	struct flow f[5];
	uint8_t buf[1500];
	size_t consumed, skipped, j;
	ssize_t len;
	unsigned got = 0;
	int i, err;
	bool dropped;

	assert_non_null(enc);
	assert_non_null(s);
	for (j = 0; j < 5; j++) {
		memset(&f[j], 0, sizeof(f[j]));
		ft_addr_set_v4(&f[j].src, 0x0a000001 + (uint32_t)j);
		ft_addr_set_v4(&f[j].dst, 0x0a000101);
		f[j].proto = 17;
		f[j].packets = 1;
		f[j].bytes = 100;
		f[j].first_ms = f[j].last_ms = 5000;
	}
	*options = 0;
	for (i = 0; i < 12; i++) {
		/* Message 7 carries templates and options only. */
		if (i == 7)
			nf_encoder_templates_due(enc);
		len = nf_encoder_pack(enc, f, i == 7 ? 0 : 5, 10000 + i, buf,
		    sizeof(buf), &consumed, &skipped);
		assert_true(len > 0);
		for (dropped = false, j = 0; j < ndrop; j++)
			dropped |= drop[j] == i;
		if (dropped)
			continue;
		memset(&info, 0, sizeof(info));
		err = nf_decode(s, buf, (size_t)len, (struct sockaddr *)&from,
		    5000, count_flow, &got, &info);
		assert_int_equal(err, NF_OK);
		*options += info.options;
		exporter_packet(e, err, &info, 5000);
	}
	*lost = e->total.lost_flows;
	*lost_packets = e->total.lost_packets;
	assert_int_equal(e->total.resets, 0);
	exporter_table_free(t);
	nf_session_free(s);
	nf_encoder_free(enc);
}

/*
 * RFC 7011 3.1: the IPFIX sequence counts every data record, options data
 * records included, so a stream with sampling options loses nothing when
 * nothing is dropped, and a lost template message counts its options
 * record. RFC 3954: v9 counts packets, template/options-only ones too.
 */
static void
test_exporter_sequence_counts_options_records(void **state)
{
	static const int none[] = { -1 };
	/* 4: 5 flows; 6: templates, options record and 5 flows */
	static const int some[] = { 4, 6 };
	/* 7: only templates and the options record */
	static const int tonly[] = { 7 };
	uint64_t lost, lostpk, opts;

	(void)state;
	encoded_stream(10, none, 1, &lost, &lostpk, &opts);
	assert_true(opts >= 3); /* messages 0, 3, 6, 7 and 10 */
	assert_int_equal(lost, 0);
	encoded_stream(10, some, 2, &lost, &lostpk, &opts);
	assert_int_equal(lost, 5 + 5 + 1);
	encoded_stream(10, tonly, 1, &lost, &lostpk, &opts);
	assert_int_equal(lost, 1);
	encoded_stream(9, none, 1, &lost, &lostpk, &opts);
	assert_true(opts >= 3);
	assert_int_equal(lost, 0);
	assert_int_equal(lostpk, 0);
	encoded_stream(9, some, 2, &lost, &lostpk, &opts);
	assert_int_equal(lostpk, 2);
	encoded_stream(9, tonly, 1, &lost, &lostpk, &opts);
	assert_int_equal(lostpk, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exporter_v5_gap_counts_flows),
		cmocka_unit_test(test_exporter_v5_sequence_wraps),
		cmocka_unit_test(test_exporter_late_packet_is_not_loss),
		cmocka_unit_test(test_exporter_reset_on_restart),
		cmocka_unit_test(test_exporter_v9_gap_counts_packets),
		cmocka_unit_test(test_exporter_ipfix_gap_counts_records),
		cmocka_unit_test(test_exporter_inclusive_sequence_learned),
		cmocka_unit_test(test_exporter_streams_are_separate),
		cmocka_unit_test(test_exporter_table_bounded),
		cmocka_unit_test(test_exporter_malformed_by_reason),
		cmocka_unit_test(test_exporter_sampling),
		cmocka_unit_test(test_exporter_allow_list),
		cmocka_unit_test(test_exporter_snapshot_resets_interval),
		cmocka_unit_test(test_exporter_peek),
		cmocka_unit_test(test_exporter_sequence_counts_options_records),
	};

	return cmocka_run_group_tests_name(
	    "collector_exporter", tests, NULL, NULL);
}
