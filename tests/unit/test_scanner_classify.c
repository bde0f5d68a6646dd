/*
 * Classification and aggregation of the scanner against hand-computed
 * expectations: direction, internal and transit, overlapping networks,
 * sampling, multicast, service ranges, network x service, interfaces and
 * interface x AS group, and the vocabulary's error messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/addr.h"
#include "lib/conf.h"
#include "scanner/aggregate.h"
#include "scanner/classify.h"
#include "scanner/vocab.h"

struct fx {
	cfg_t *cfg;
	struct vocab v;
	struct cls c;
	struct agg a;
};

static const char *conf_text =
    "subnets = { \"10.0.0.0/8\", \"2001:db8::/32\" }\n"
    "multicast = true\n"
    "service \"http\" { ports = { \"http/tcp\" } }\n"
    "service \"https\" { ports = { \"443/tcp\" } }\n"
    "service \"real\" { ports = { \"7070/tcp\", \"554/tcp\", "
    "\"6970-7170/udp\" } }\n"
    "service \"web\" { ports = { \"80/tcp\", \"443/tcp\" } }\n"
    "network \"a\" { prefixes = { \"10.1.0.0/16\" } services = { \"http\", "
    "\"https\" } }\n"
    "network \"b\" { prefixes = { \"10.1.2.0/24\", \"2001:db8:1::/48\" } }\n"
    "protocol \"tcp\" { }\n"
    "protocol \"udp\" { number = \"17\" }\n"
    "protocol \"tcp2\" { number = \"6\" }\n"
    "router \"r1\" { address = \"192.0.2.1\" sample_rate = 10 }\n"
    "router \"r2\" { address = \"192.0.2.2\" }\n"
    "as_group \"peers\" { asns = { \"65001-65010\", \"AS3320\" } }\n"
    "as_group \"big\" { asns = { \"65005\" } }\n"
    "interface \"uplink\" { router = \"r2\" ifindex = 3 as_groups = { "
    "\"peers\", \"big\" } }\n"
    "tos \"normal\" { values = { \"0\" } }\n"
    "tos \"other\" { values = { \"1-255\" } }\n";

static int
setup(void **state)
{
	static struct fx fx;
	struct errbuf eb;

	memset(&fx, 0, sizeof(fx));
	fx.cfg = conf_load_string(conf_text, "test.conf", &eb);
	if (fx.cfg == NULL) {
		print_error("%s\n", eb.msg);
		return -1;
	}
	if (vocab_load(&fx.v, fx.cfg, &eb) == -1 ||
	    cls_build(&fx.c, &fx.v, &eb) == -1) {
		print_error("%s\n", eb.msg);
		return -1;
	}
	if (agg_init(&fx.a, &fx.c) == -1)
		return -1;
	*state = &fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	agg_clear(&fx->a);
	cls_clear(&fx->c);
	vocab_clear(&fx->v);
	conf_free(fx->cfg);
	return 0;
}

static struct flow
mk(const char *exp, const char *src, const char *dst, uint8_t proto,
    uint16_t sport, uint16_t dport, uint64_t bytes, uint64_t pkts)
{
	struct flow f;

	memset(&f, 0, sizeof(f));
	assert_int_equal(addr_parse(exp, &f.exporter), 0);
	assert_int_equal(addr_parse(src, &f.src), 0);
	assert_int_equal(addr_parse(dst, &f.dst), 0);
	f.proto = proto;
	f.sport = sport;
	f.dport = dport;
	f.bytes = bytes;
	f.packets = pkts;
	f.sampling = 1;
	return f;
}

/* Count the flow mk() makes of the arguments. */
static void
feed(struct fx *fx, const char *exp, const char *src, const char *dst,
    uint8_t proto, uint16_t sport, uint16_t dport, uint64_t bytes,
    uint64_t pkts)
{
	struct flow f = mk(exp, src, dst, proto, sport, dport, bytes, pkts);

	agg_flow(&fx->a, &f);
}

static void
row_is(struct fx *fx, uint32_t row, uint64_t ib, uint64_t ob, uint64_t ip,
    uint64_t op, uint64_t iflows, uint64_t oflows)
{
	const uint64_t *r = agg_row(&fx->a, row);

	assert_int_equal(r[AGG_IN_BYTES], ib);
	assert_int_equal(r[AGG_OUT_BYTES], ob);
	assert_int_equal(r[AGG_IN_PKTS], ip);
	assert_int_equal(r[AGG_OUT_PKTS], op);
	assert_int_equal(r[AGG_IN_FLOWS], iflows);
	assert_int_equal(r[AGG_OUT_FLOWS], oflows);
}

static void
test_scanner_direction(void **state)
{
	struct fx *fx = *state;

	agg_reset(&fx->a);
	feed(
	    fx, "192.0.2.9", "198.51.100.1", "10.5.5.5", 6, 1234, 22, 1000, 10);
	feed(fx, "192.0.2.9", "10.5.5.5", "198.51.100.1", 17, 53, 9999, 300, 3);
	feed(fx, "192.0.2.9", "10.5.5.5", "10.6.6.6", 6, 1, 2, 77, 7);
	feed(fx, "192.0.2.9", "198.51.100.1", "203.0.113.5", 6, 1, 2, 55, 5);
	feed(fx, "192.0.2.9", "2001:db8:9::1", "2001:db9::1", 6, 1, 2, 40, 4);

	row_is(fx, fx->c.global.total, 1000, 340, 10, 7, 1, 2);
	row_is(fx, fx->c.global.internal, 77, 0, 7, 0, 1, 0);
	row_is(fx, fx->c.global.transit, 55, 0, 5, 0, 1, 0);
	/* tcp is listed twice (tcp and tcp2): both count. */
	row_is(fx, fx->c.global.protocol + 0, 1000, 40, 10, 4, 1, 1);
	row_is(fx, fx->c.global.protocol + 2, 1000, 40, 10, 4, 1, 1);
	row_is(fx, fx->c.global.protocol + 1, 0, 300, 0, 3, 0, 1);
	row_is(fx, fx->c.global.tos + 0, 1000, 340, 10, 7, 1, 2);
	assert_int_equal(fx->a.st.flows, 5);
	assert_int_equal(fx->a.st.hits, 3);
	assert_int_equal(fx->a.st.internal, 1);
	assert_int_equal(fx->a.st.transit, 1);
	assert_int_equal(fx->a.st.no_router, 5);
}

static void
test_scanner_overlap(void **state)
{
	struct fx *fx = *state;

	agg_reset(&fx->a);
	feed(fx, "192.0.2.9", "198.51.100.1", "10.1.2.3", 6, 1, 2, 100, 1);
	feed(fx, "192.0.2.9", "10.1.3.3", "198.51.100.1", 6, 1, 2, 10, 1);
	feed(fx, "192.0.2.9", "2001:db8:1:2::5", "2001:db9::1", 6, 1, 2, 7, 1);
	row_is(fx, fx->c.network + 0, 100, 10, 1, 1, 1, 1);
	row_is(fx, fx->c.network + 1, 100, 7, 1, 1, 1, 1);
}

static void
test_scanner_sampling(void **state)
{
	struct fx *fx = *state;
	struct flow f;

	agg_reset(&fx->a);
	/* Override 10 on an unsampled record: x10, 10 flows. */
	feed(fx, "192.0.2.1", "198.51.100.1", "10.0.0.1", 6, 1, 2, 100, 2);
	/* Record rate 4 (already applied by the collector), no override. */
	f = mk("192.0.2.2", "198.51.100.1", "10.0.0.1", 6, 1, 2, 400, 8);
	f.sampling = 4;
	agg_flow(&fx->a, &f);
	/* Override 10 replaces a record rate of 4: 400 / 4 * 10. */
	f = mk("192.0.2.1", "198.51.100.1", "10.0.0.1", 6, 1, 2, 400, 8);
	f.sampling = 4;
	agg_flow(&fx->a, &f);
	/* Unknown rate, no override: counted as is, reported. */
	f = mk("192.0.2.2", "198.51.100.1", "10.0.0.1", 6, 1, 2, 5, 1);
	f.sampling = 0;
	agg_flow(&fx->a, &f);
	row_is(fx, fx->c.global.total, 1000 + 400 + 1000 + 5, 0,
	    20 + 8 + 20 + 1, 0, 10 + 4 + 10 + 1, 0);
	row_is(fx, fx->c.router[0].total, 2000, 0, 40, 0, 20, 0);
	row_is(fx, fx->c.router[1].total, 405, 0, 9, 0, 5, 0);
	assert_int_equal(fx->a.st.sampling_unknown, 1);
}

static void
test_scanner_multicast(void **state)
{
	struct fx *fx = *state;
	struct flow f;

	agg_reset(&fx->a);
	f = mk("192.0.2.2", "10.1.2.3", "239.1.1.1", 17, 5000, 5000, 900, 9);
	f.tos = 0;
	f.dst_as = 65005;
	agg_flow(&fx->a, &f);
	f = mk("192.0.2.2", "198.51.100.7", "ff02::1", 17, 1, 1, 90, 1);
	f.tos = 184;
	f.src_as = 3320;
	agg_flow(&fx->a, &f);
	row_is(fx, fx->c.global.total, 90, 900, 1, 9, 1, 1);
	row_is(fx, fx->c.global.multicast, 90, 900, 1, 9, 1, 1);
	row_is(fx, fx->c.router[1].multicast, 90, 900, 1, 9, 1, 1);
	/* Not in protocols, services or networks. */
	row_is(fx, fx->c.global.protocol + 1, 0, 0, 0, 0, 0, 0);
	row_is(fx, fx->c.network + 0, 0, 0, 0, 0, 0, 0);
	row_is(fx, fx->c.global.tos + 0, 0, 900, 0, 9, 0, 1);
	row_is(fx, fx->c.global.tos + 1, 90, 0, 1, 0, 1, 0);
	/* AS by direction: out uses dst_as (65005: peers and big). */
	row_is(fx, fx->c.global.as + 0, 90, 900, 1, 9, 1, 1);
	row_is(fx, fx->c.global.as + 1, 0, 900, 0, 9, 0, 1);
	assert_int_equal(fx->a.st.hits, 2);
	assert_int_equal(fx->a.st.multicast, 2);
}

static void
test_scanner_service_ranges(void **state)
{
	struct fx *fx = *state;
	uint32_t real = 2;

	agg_reset(&fx->a);
	/* Real dst. */
	feed(
	    fx, "192.0.2.9", "198.51.100.1", "10.0.0.1", 17, 40000, 7000, 1, 1);
	/* Real src. */
	feed(
	    fx, "192.0.2.9", "10.0.0.1", "198.51.100.1", 17, 6970, 40000, 2, 1);
	/* 7000/tcp: nothing. */
	feed(fx, "192.0.2.9", "198.51.100.1", "10.0.0.1", 6, 40000, 7000, 4, 1);
	/* Just past the range. */
	feed(fx, "192.0.2.9", "198.51.100.1", "10.0.0.1", 17, 7171, 7171, 8, 1);
	/* Both: src and dst. */
	feed(fx, "192.0.2.9", "198.51.100.1", "10.0.0.1", 6, 554, 7070, 16, 1);
	row_is(fx, fx->c.global.svc_dst + real, 1 + 16, 0, 2, 0, 2, 0);
	row_is(fx, fx->c.global.svc_src + real, 16, 2, 1, 1, 1, 1);
	/* 80/tcp is in http and web. */
	feed(fx, "192.0.2.9", "198.51.100.1", "10.0.0.1", 6, 40000, 80, 32, 1);
	row_is(fx, fx->c.global.svc_dst + 0, 32, 0, 1, 0, 1, 0);
	row_is(fx, fx->c.global.svc_dst + 3, 32, 0, 1, 0, 1, 0);
}

static void
test_scanner_network_service(void **state)
{
	struct fx *fx = *state;
	size_t ns = fx->v.n_services;
	uint32_t http, https;

	http = fx->c.netsvc[0 * ns + 0];
	https = fx->c.netsvc[0 * ns + 1];
	assert_int_not_equal(http, CLS_NONE);
	assert_int_not_equal(https, CLS_NONE);
	assert_int_equal(fx->c.netsvc[0 * ns + 2], CLS_NONE);
	assert_int_equal(fx->c.netsvc[1 * ns + 0], CLS_NONE);

	agg_reset(&fx->a);
	feed(fx, "192.0.2.9", "198.51.100.1", "10.1.1.1", 6, 40000, 80, 100, 1);
	feed(
	    fx, "192.0.2.9", "10.1.1.1", "198.51.100.1", 6, 80, 40000, 1000, 1);
	/* Both ports 443: counted once. */
	feed(fx, "192.0.2.9", "10.1.1.1", "198.51.100.1", 6, 443, 443, 7, 1);
	/* Port 80 and 443: once in each. */
	feed(fx, "192.0.2.9", "198.51.100.1", "10.1.2.2", 6, 443, 80, 3, 1);
	/* Outside the network: nothing. */
	feed(fx, "192.0.2.9", "198.51.100.1", "10.2.1.1", 6, 40000, 80, 50, 1);
	row_is(fx, http, 103, 1000, 2, 1, 2, 1);
	row_is(fx, https, 3, 7, 1, 1, 1, 1);
	row_is(fx, fx->c.network + 0, 103, 1007, 2, 2, 2, 2);
}

static void
test_scanner_interfaces(void **state)
{
	struct fx *fx = *state;
	size_t nas = fx->v.n_as_groups;
	struct flow f;

	agg_reset(&fx->a);
	/* Transit flow in on ifindex 3 from AS 65005, out on 4 to AS 1. */
	f = mk("192.0.2.2", "198.51.100.1", "203.0.113.1", 6, 1, 2, 100, 1);
	f.in_if = 3;
	f.out_if = 4;
	f.src_as = 65005;
	f.dst_as = 1;
	agg_flow(&fx->a, &f);
	/* Out through ifindex 3 to AS 3320. */
	f = mk("192.0.2.2", "10.0.0.1", "198.51.100.1", 6, 1, 2, 10, 1);
	f.in_if = 7;
	f.out_if = 3;
	f.dst_as = 3320;
	agg_flow(&fx->a, &f);
	/* Same ifindex on another router: not this interface. */
	f = mk("192.0.2.1", "10.0.0.1", "198.51.100.1", 6, 1, 2, 10, 1);
	f.out_if = 3;
	agg_flow(&fx->a, &f);
	row_is(fx, fx->c.iface + 0, 100, 10, 1, 1, 1, 1);
	row_is(fx, fx->c.ifas[0 * nas + 0], 100, 10, 1, 1, 1, 1);
	row_is(fx, fx->c.ifas[0 * nas + 1], 100, 0, 1, 0, 1, 0);
	row_is(fx, fx->c.router[1].transit, 100, 0, 1, 0, 1, 0);
}

static void
test_scanner_reset(void **state)
{
	struct fx *fx = *state;
	size_t i;

	feed(fx, "192.0.2.1", "198.51.100.1", "10.1.2.3", 6, 1, 80, 100, 2);
	agg_reset(&fx->a);
	/* Nothing pending survives a reset either. */
	for (i = 0; i < fx->c.n_rows * AGG_NCOUNT; i++)
		assert_int_equal(agg_rows(&fx->a)[i], 0);
	assert_int_equal(fx->a.st.flows, 0);
}

/*
 * Rows read between batches (cells folded) go on counting exactly: in
 * the site scope and the router's, once each, whatever the order of reads.
 */
static void
test_scanner_fold(void **state)
{
	struct fx *fx = *state;
	const struct cls_scope *g = &fx->c.global, *r2 = &fx->c.router[1];
	struct flow f[3];
	int round;

	agg_reset(&fx->a);
	f[0] = mk("192.0.2.2", "198.51.100.1", "10.1.2.3", 6, 1234, 80, 100, 2);
	f[1] = mk("192.0.2.2", "10.1.2.3", "198.51.100.1", 6, 443, 999, 50, 1);
	f[2] = mk("192.0.2.9", "198.51.100.1", "10.9.9.9", 17, 1, 2, 7, 1);
	for (round = 1; round <= 3; round++) {
		agg_flows(&fx->a, f, 3);
		row_is(fx, g->total, 107u * round, 50u * round, 3u * round,
		    1u * round, 2u * round, 1u * round);
		row_is(fx, r2->total, 100u * round, 50u * round, 2u * round,
		    1u * round, 1u * round, 1u * round);
		/* http (service 0) by destination port, https by source. */
		row_is(fx, g->svc_dst + 0, 100u * round, 0, 2u * round, 0,
		    1u * round, 0);
		row_is(fx, r2->svc_src + 1, 0, 50u * round, 0, 1u * round, 0,
		    1u * round);
		row_is(fx, fx->c.network + 0, 100u * round, 50u * round,
		    2u * round, 1u * round, 1u * round, 1u * round);
	}
	assert_int_equal(fx->a.st.flows, 9);
	assert_int_equal(fx->a.st.no_router, 3);
}

static void
expect_error(const char *text, const char *msg)
{
	struct errbuf eb;
	struct vocab v;
	cfg_t *cfg;

	memset(&eb, 0, sizeof(eb));
	cfg = conf_load_string(text, "bad.conf", &eb);
	if (cfg != NULL) {
		assert_int_equal(vocab_load(&v, cfg, &eb), -1);
		conf_free(cfg);
	}
	if (strstr(eb.msg, msg) == NULL)
		fail_msg("got \"%s\", want \"%s\"", eb.msg, msg);
}

static void
test_scanner_vocab_errors(void **state)
{
	(void)state;
	expect_error("\n\nservice \"a b\" { ports = { \"80/tcp\" } }\n",
	    ":3: service label \"a b\"");
	expect_error("service \"x\" { ports = { \"nosuchservice/tcp\" } }\n",
	    ":1: service \"x\": unknown service \"nosuchservice/tcp\"");
	expect_error("service \"x\" { ports = { \"90-80/tcp\" } }\n",
	    "bad range \"90-80/tcp\"");
	expect_error("service \"x\" { ports = { \"80/nosuchproto\" } }\n",
	    "unknown protocol \"80/nosuchproto\"");
	expect_error("network \"n\" { prefixes = { \"10.0.0.1/8\" } }\n",
	    ":1: network \"n\": bad prefix");
	expect_error("network \"n\" { prefixes = { \"10.0.0.0/8\" } "
		     "services = { \"nope\" } }\n",
	    "unknown service \"nope\"");
	expect_error("as_group \"g\" { asns = { \"4294967296\" } }\n",
	    "bad AS number or range \"4294967296\"");
	expect_error("tos \"t\" { values = { \"256\" } }\n",
	    "bad ToS value or range \"256\"");
	expect_error("router \"r\" { address = \"1.2.3\" }\n",
	    "bad or missing address \"1.2.3\"");
	expect_error("router \"r\" { address = \"1.2.3.4\" }\n"
		     "interface \"i\" { router = \"q\" ifindex = 1 }\n",
	    ":2: interface \"i\": unknown or missing router \"q\"");
	expect_error(
	    "subnets = { \"10.0.0.0/33\" }\n", ": subnets: bad prefix");
	expect_error("netwrk \"n\" { }\n", ":1: no such option");
}

static void
test_scanner_vocab_parsers(void **state)
{
	struct vocab_range r;
	struct vocab_port p;
	struct errbuf eb;
	uint8_t proto;

	(void)state;
	assert_int_equal(vocab_parse_port("20-21/tcp", &p, &eb), 0);
	assert_int_equal(p.proto, 6);
	assert_int_equal(p.lo, 20);
	assert_int_equal(p.hi, 21);
	assert_int_equal(vocab_parse_port("domain/udp", &p, &eb), 0);
	assert_int_equal(p.lo, 53);
	assert_int_equal(p.proto, 17);
	assert_int_equal(vocab_parse_proto("gre", &proto), 0);
	assert_int_equal(proto, 47);
	assert_int_equal(vocab_parse_proto("256", &proto), -1);
	assert_int_equal(
	    vocab_parse_range("AS64512-AS65534", UINT32_MAX, true, &r), 0);
	assert_int_equal(r.lo, 64512);
	assert_int_equal(r.hi, 65534);
	assert_true(vocab_label_ok("web-1_a"));
	assert_false(vocab_label_ok("../x"));
	assert_false(vocab_label_ok(""));
}

static uint64_t lcg = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd32(void)
{
	lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(lcg >> 32);
}

/*
 * The two direct IPv4 stages against a brute-force walk of every prefix:
 * 300 networks of /8 to /32 clustered in a few /16s (so /16s and /24s
 * split, and longer prefixes need the search), probed at random and at
 * every prefix's first and last address and their neighbours.
 */
static void
test_scanner_addr_stages(void **state)
{
	static char text[65536];
	struct vocab v;
	struct cls c;
	struct errbuf eb;
	struct ft_addr probe;
	cfg_t *cfg;
	size_t len = 0, i, j, k, n = 300;
	uint32_t want_ids[300], nw, ng, *got, val;
	int inside;

	(void)state;
	memset(&v, 0, sizeof(v));
	memset(&c, 0, sizeof(c));
	len += (size_t)snprintf(text + len, sizeof(text) - len,
	    "subnets = { \"10.0.0.0/8\", \"172.16.5.128/25\" }\n");
	for (i = 0; i < n; i++) {
		unsigned plen = 8 + rnd32() % 25;
		uint32_t a = (rnd32() % 4 == 0)
		    ? rnd32()
		    : (0x0a010000u | (rnd32() & 0x3ffff));

		if (i % 7 == 0)
			a = 0xac100500u | (rnd32() & 0xff);
		a &= plen == 32 ? 0xffffffffu : ~(0xffffffffu >> plen);
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		    "network \"n%zu\" { prefixes = { \"%u.%u.%u.%u/%u\" } }\n",
		    i, a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255, plen);
	}
	cfg = conf_load_string(text, "stages.conf", &eb);
	assert_non_null(cfg);
	assert_int_equal(vocab_load(&v, cfg, &eb), 0);
	assert_int_equal(cls_build(&c, &v, &eb), 0);
	for (k = 0; k < 200000; k++) {
		uint32_t x;

		if (k < 4 * n) {
			const struct ft_prefix *pf =
			    &v.networks[k / 4].prefixes[0];
			uint32_t span = (uint32_t)(0xffffffffULL >> pf->len);
			x = pf->addr.v4 +
			    (k % 4 == 0          ? 0u
				    : k % 4 == 1 ? span
				    : k % 4 == 2 ? (uint32_t)-1
						 : span + 1);
		} else if (k % 2)
			x = 0x0a010000u | (rnd32() & 0x3ffff);
		else
			x = rnd32();
		ft_addr_set_v4(&probe, x);
		for (i = 0, nw = 0; i < v.n_networks; i++)
			for (j = 0; j < v.networks[i].n_prefixes; j++)
				if (addr_in_prefix(
					&probe, &v.networks[i].prefixes[j])) {
					want_ids[nw++] = (uint32_t)i;
					break;
				}
		for (i = 0, inside = 0; i < v.n_subnets; i++)
			inside |= addr_in_prefix(&probe, &v.subnets[i]);
		val = cls_addr(&c, &probe);
		assert_int_equal(val & 1, inside);
		got = (uint32_t *)cls_set(&c, val >> 1, &ng);
		assert_int_equal(ng, nw);
		for (i = 0; i < nw; i++)
			assert_int_equal(got[i], want_ids[i]);
	}
	cls_clear(&c);
	vocab_clear(&v);
	conf_free(cfg);
}

/*
 * The two-stage port maps against the definition: for 60 random services
 * (single ports and ranges, many across 256-port blocks, tcp and udp),
 * every port of tcp, udp and an unlisted protocol gets exactly the
 * services whose ranges hold it.
 */
static void
test_scanner_port_stages(void **state)
{
	static char text[65536];
	static const uint8_t protos[] = { 6, 17, 1 };
	struct vocab v;
	struct cls c;
	struct errbuf eb;
	cfg_t *cfg;
	size_t len = 0, i, j, pi, n = 60;
	uint32_t port, want[60], nw, ng;
	const uint32_t *got;

	(void)state;
	for (i = 0; i < n; i++) {
		uint32_t lo = rnd32() % 65536, w = rnd32() % 4;
		uint32_t hi =
		    w == 0 ? lo : lo + rnd32() % (w == 1 ? 300 : 5000);

		if (hi > 65535)
			hi = 65535;
		len += (size_t)snprintf(text + len, sizeof(text) - len,
		    "service \"s%zu\" { ports = { \"%u-%u/%s\" } }\n", i, lo,
		    hi, i % 3 ? "tcp" : "udp");
	}
	cfg = conf_load_string(text, "ports.conf", &eb);
	assert_non_null(cfg);
	assert_int_equal(vocab_load(&v, cfg, &eb), 0);
	assert_int_equal(cls_build(&c, &v, &eb), 0);
	assert_null(c.port_hi[1]);
	for (pi = 0; pi < sizeof(protos); pi++)
		for (port = 0; port < 65536; port++) {
			nw = 0;
			for (i = 0; i < v.n_services; i++)
				for (j = 0; j < v.services[i].n_ports; j++) {
					const struct vocab_port *pt =
					    &v.services[i].ports[j];

					if (pt->proto == protos[pi] &&
					    port >= pt->lo && port <= pt->hi) {
						want[nw++] = (uint32_t)i;
						break;
					}
				}
			if (c.port_hi[protos[pi]] == NULL) {
				assert_int_equal(nw, 0);
				continue;
			}
			got = cls_set(&c,
			    cls_port(&c, c.port_hi[protos[pi]], (uint16_t)port),
			    &ng);
			if (ng != nw ||
			    (nw > 0 && memcmp(got, want, nw * sizeof(*got))))
				fail_msg(
				    "proto %u port %u: %u services, want %u",
				    protos[pi], port, ng, nw);
		}
	/* Only blocks holding a boundary are split. */
	assert_true(c.n_port_lo <= 2 * n + 2);
	cls_clear(&c);
	vocab_clear(&v);
	conf_free(cfg);
}

/* Rows of cell k of cl, compared with base + the members of set. */
static void
cell_is(const struct cls *c, const struct cls_cells *cl, uint32_t k,
    uint32_t set, uint32_t base)
{
	uint32_t n, i;
	const uint32_t *ids = cls_set(c, set, &n);

	assert_true(k < cl->n);
	assert_int_equal(cl->off[k + 1] - cl->off[k], n);
	for (i = 0; i < n; i++)
		assert_int_equal(cl->rows[cl->off[k] + i], base + ids[i]);
}

/*
 * cells_build(): each kind's cell lists exactly the site rows of its set;
 * equal sets share a cell; interface x AS cells hold only the groups the
 * interface counts.
 */
static void
test_scanner_cells(void **state)
{
	struct fx *fx = *state;
	const struct cls *c = &fx->c;
	const struct cls_scope *g = &c->global;
	size_t nas = fx->v.n_as_groups, i;
	uint32_t set, k;

	assert_int_equal(c->cells.rows[c->cells.off[CLS_CELL_TOTAL]], g->total);
	assert_int_equal(
	    c->cells.rows[c->cells.off[CLS_CELL_TRANSIT]], g->transit);
	for (i = 0; i < 256; i++) {
		cell_is(c, &c->cells, c->proto_cell[i], c->proto_set[i],
		    g->protocol);
		cell_is(c, &c->cells, c->tos_cell[i], c->tos_set[i], g->tos);
		if (c->proto_set[i] == c->proto_set[6])
			assert_int_equal(c->proto_cell[i], c->proto_cell[6]);
	}
	/* Port 80/tcp: http and web, as a source and a destination. */
	set = cls_port(c, c->port_hi[6], 80);
	cell_is(c, &c->cells, c->svc_cell[set], set, g->svc_src);
	cell_is(
	    c, &c->cells, c->svc_cell[set] + c->n_svc_cells, set, g->svc_dst);
	for (i = 0; i < c->as_n; i++)
		cell_is(c, &c->cells, c->as_cell[i], c->as_val[i], g->as);
	/* 10.1.2.3: networks a and b. */
	set =
	    cls_addr(c,
		&(struct ft_addr){ .family = FT_AF_INET, .v4 = 0x0a010203 }) >>
	    1;
	cell_is(c, &c->site_cells, c->net_cell[set], set, c->network);
	assert_true(c->net_svc[set]);
	/* AS 65005 (peers and big) through uplink: both its groups. */
	{
		const struct cls_ifx *e = cls_iface(c, 1, 3);
		size_t seg = cls_as_seg(c, 65005);

		assert_non_null(e);
		k = c->ifas_cell[e->ifas + c->as_loc[seg]];
		assert_int_equal(
		    c->site_cells.off[k + 1] - c->site_cells.off[k], 2);
		assert_int_equal(c->site_cells.rows[c->site_cells.off[k]],
		    c->ifas[e->iface * nas + 0]);
		/* AS 1: no group, no cell. */
		seg = cls_as_seg(c, 1);
		assert_int_equal(
		    c->ifas_cell[e->ifas + c->as_loc[seg]], CLS_NONE);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scanner_direction),
		cmocka_unit_test(test_scanner_overlap),
		cmocka_unit_test(test_scanner_sampling),
		cmocka_unit_test(test_scanner_multicast),
		cmocka_unit_test(test_scanner_service_ranges),
		cmocka_unit_test(test_scanner_network_service),
		cmocka_unit_test(test_scanner_interfaces),
		cmocka_unit_test(test_scanner_reset),
		cmocka_unit_test(test_scanner_fold),
		cmocka_unit_test(test_scanner_vocab_errors),
		cmocka_unit_test(test_scanner_vocab_parsers),
		cmocka_unit_test(test_scanner_addr_stages),
		cmocka_unit_test(test_scanner_port_stages),
		cmocka_unit_test(test_scanner_cells),
	};
	return cmocka_run_group_tests_name(
	    "scanner_classify", tests, setup, teardown);
}
