/*
 * Unit tests for sensor/export.c and sensor/opts.c: flows exported to a
 * local UDP socket come back equal through lib/nfdecode (v5, v9, IPFIX),
 * collector lists parse, bad ones are named; flags and config combine.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/conf.h"
#include "lib/nfdecode.h"
#include "sensor/export.h"
#include "sensor/opts.h"

#define NFLOWS 100

struct got {
	struct flow f[NFLOWS * 2];
	size_t n;
};

static int
collect(void *arg, const struct flow *f)
{
	struct got *g = arg;

	if (g->n < NFLOWS * 2)
		g->f[g->n++] = *f;
	return 0;
}

static void
mkflow(struct flow *f, int i, int v6)
{
	uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8 };

	memset(f, 0, sizeof(*f));
	if (v6) {
		a[15] = (uint8_t)i;
		ft_addr_set_v6(&f->src, a);
		a[15] = 0xfe;
		ft_addr_set_v6(&f->dst, a);
	} else {
		ft_addr_set_v4(&f->src, 0x0a000000u + (uint32_t)i);
		ft_addr_set_v4(&f->dst, 0xc0a80101);
	}
	f->packets = 1 + (uint64_t)i;
	f->bytes = 40 * (1 + (uint64_t)i) + (uint64_t)i;
	f->first_ms = 1767225600000ULL + 1000 * (uint64_t)i;
	f->last_ms = f->first_ms + 500;
	f->sport = (uint16_t)(1000 + i);
	f->dport = 80;
	f->proto = i % 2 ? 17 : 6;
	f->tos = (uint8_t)(i % 4) * 32;
	f->tcp_flags = i % 2 ? 0 : 0x1b;
	f->sampling = 1;
}

static void
roundtrip(int version)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	struct export_opts o;
	struct export_stats st;
	struct errbuf eb;
	struct export *x;
	struct nf_session *s;
	struct nf_packet_info info;
	struct flow f[NFLOWS];
	struct got g = { 0 };
	struct pollfd pfd;
	char coll[64];
	uint8_t buf[9000];
	ssize_t n;
	int fd, i, nv4 = 0;
	uint64_t now = 1767225600000ULL + 200000;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	getsockname(fd, (struct sockaddr *)&sin, &sl);
	snprintf(coll, sizeof(coll), "127.0.0.1:%u", ntohs(sin.sin_port));

	memset(&o, 0, sizeof(o));
	o.version = version;
	o.collectors = coll;
	o.boot_ms = 1767225600000ULL - 5000;
	x = export_new(&o, &eb);
	assert_non_null(x);
	for (i = 0; i < NFLOWS; i++) {
		mkflow(&f[i], i, i % 5 == 4);
		nv4 += i % 5 != 4;
		export_flow(x, &f[i], now);
	}
	export_flush(x, now);
	export_get_stats(x, &st);
	assert_int_equal(st.flows, version == 5 ? (uint64_t)nv4 : NFLOWS);
	assert_int_equal(
	    st.skipped, version == 5 ? (uint64_t)(NFLOWS - nv4) : 0);
	assert_int_equal(st.send_errors, 0);

	s = nf_session_new(&(struct nf_limits){ 0 });
	assert_non_null(s);
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, 200) == 1) {
		n = recv(fd, buf, sizeof(buf), 0);
		assert_true(n > 0 && n <= 1400);
		assert_int_equal(
		    nf_decode(s, buf, (size_t)n, (struct sockaddr *)&sin, now,
			collect, &g, &info),
		    NF_OK);
		assert_int_equal(info.version, version);
		assert_int_equal(info.export_ms / 1000, now / 1000);
	}
	assert_int_equal(g.n, st.flows);
	for (i = 0; i < (int)g.n; i++) {
		int k = (int)(g.f[i].src.family == FT_AF_INET
			? g.f[i].src.v4 - 0x0a000000u
			: g.f[i].src.v6[15]);
		assert_true(k >= 0 && k < NFLOWS);
		assert_true(ft_addr_equal(&g.f[i].src, &f[k].src));
		assert_true(ft_addr_equal(&g.f[i].dst, &f[k].dst));
		assert_int_equal(g.f[i].packets, f[k].packets);
		assert_int_equal(g.f[i].bytes, f[k].bytes);
		assert_int_equal(g.f[i].first_ms, f[k].first_ms);
		assert_int_equal(g.f[i].last_ms, f[k].last_ms);
		assert_int_equal(g.f[i].sport, f[k].sport);
		assert_int_equal(g.f[i].dport, f[k].dport);
		assert_int_equal(g.f[i].proto, f[k].proto);
		assert_int_equal(g.f[i].tos, f[k].tos);
		assert_int_equal(g.f[i].tcp_flags, f[k].tcp_flags);
	}
	nf_session_free(s);
	export_free(x);
	close(fd);
}

static void
test_sensor_export_v5_roundtrip(void **state)
{
	(void)state;
	roundtrip(5);
}

static void
test_sensor_export_v9_roundtrip(void **state)
{
	(void)state;
	roundtrip(9);
}

static void
test_sensor_export_ipfix_roundtrip(void **state)
{
	(void)state;
	roundtrip(10);
}

static void
test_sensor_export_collectors(void **state)
{
	struct export_opts o;
	struct errbuf eb;
	struct export *x;
	char h[64], p[16];

	(void)state;
	assert_int_equal(
	    export_split_hostport("[::1]:2055", h, sizeof(h), p, sizeof(p)), 0);
	assert_string_equal(h, "::1");
	assert_string_equal(p, "2055");
	assert_int_equal(
	    export_split_hostport("localhost:9", h, sizeof(h), p, sizeof(p)),
	    0);
	assert_string_equal(h, "localhost");
	assert_int_equal(
	    export_split_hostport("::1:2055", h, sizeof(h), p, sizeof(p)), -1);
	assert_int_equal(
	    export_split_hostport("host", h, sizeof(h), p, sizeof(p)), -1);
	assert_int_equal(
	    export_split_hostport("host:", h, sizeof(h), p, sizeof(p)), -1);

	memset(&o, 0, sizeof(o));
	o.version = 5;
	o.collectors = "127.0.0.1:9,[::1]:9";
	x = export_new(&o, &eb);
	assert_non_null(x);
	export_free(x);
	o.collectors = "127.0.0.1:9,nonsense";
	assert_null(export_new(&o, &eb));
	assert_non_null(strstr(eb.msg, "nonsense"));
	o.collectors = "127.0.0.1:9";
	o.version = 7;
	assert_null(export_new(&o, &eb));
	assert_non_null(strstr(eb.msg, "version 7"));
}

/* A loopback UDP socket standing for a collector; its "HOST:PORT". */
static int
sink_open(char *coll, size_t len)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	getsockname(fd, (struct sockaddr *)&sin, &sl);
	snprintf(coll, len, "127.0.0.1:%u", ntohs(sin.sin_port));
	return fd;
}

static void
test_sensor_export_tick_sends_after_max_wait(void **state)
{
	struct export_opts o;
	struct export_stats st;
	struct errbuf eb;
	struct export *x;
	struct flow f;
	char coll[64];
	int fd;
	uint64_t t0 = 1767225600000ULL;

	(void)state;
	fd = sink_open(coll, sizeof(coll));
	memset(&o, 0, sizeof(o));
	o.version = 9;
	o.collectors = coll;
	o.boot_ms = t0 - 5000;
	assert_non_null(x = export_new(&o, &eb));
	mkflow(&f, 1, 0);
	export_flow(x, &f, t0);
	export_tick(x, t0 + EXPORT_MAX_WAIT_MS - 1);
	export_get_stats(x, &st);
	assert_int_equal(st.datagrams, 0); /* not due yet */
	mkflow(&f, 2, 0);
	export_flow(x, &f, t0 + 500); /* the oldest flow still decides */
	export_tick(x, t0 + EXPORT_MAX_WAIT_MS);
	export_get_stats(x, &st);
	assert_int_equal(st.datagrams, 1);
	assert_int_equal(st.flows, 2);
	export_tick(x, t0 + 10 * EXPORT_MAX_WAIT_MS); /* nothing queued */
	export_get_stats(x, &st);
	assert_int_equal(st.datagrams, 1);
	export_free(x);
	close(fd);
}

static void
test_sensor_export_source_address(void **state)
{
	struct export_opts o;
	struct errbuf eb;
	struct export *x;
	struct flow f;
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	uint8_t buf[2000];
	char coll[64];
	int fd;

	(void)state;
	fd = sink_open(coll, sizeof(coll));
	memset(&o, 0, sizeof(o));
	o.version = 5;
	o.collectors = coll;
	o.source = "127.0.0.3";
	o.boot_ms = 1767225600000ULL;
	assert_non_null(x = export_new(&o, &eb));
	mkflow(&f, 1, 0);
	export_flow(x, &f, o.boot_ms + 1000);
	export_flush(x, o.boot_ms + 1000);
	assert_true(recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			&fl) > 0);
	assert_int_equal(ntohl(from.sin_addr.s_addr), 0x7f000003);
	export_free(x);

	o.source = "not-an-address";
	assert_null(export_new(&o, &eb));
	assert_non_null(strstr(eb.msg, "not-an-address"));
	o.source = "::1"; /* no IPv6 route to an IPv4 collector */
	assert_null(export_new(&o, &eb));
	close(fd);
}

static void
test_sensor_opts_flags_and_conf(void **state)
{
	struct sensor_opts o;
	struct errbuf eb;
	cfg_t *cfg;
	char *argv1[] = { "s", "-r", "a.pcap", "-r", "b.pcap", "-n",
		"127.0.0.1:2055", "-v", "10", "-t", "tcp=2m", "-t",
		"maxlife=60", "-m", "1000", "-s", "10", "tcp", "port", "80",
		NULL };
	char *argv2[] = { "s", "-c", "/run/x.ctl", "stats", NULL };
	char *argv3[] = { "s", "-t", "bogus=3", NULL };
	char *argv4[] = { "s", "-v", "7", NULL };

	(void)state;
	opts_defaults(&o);
	assert_int_equal(opts_parse_argv(&o, 20, argv1, &eb), 0);
	assert_int_equal(o.nfiles, 2);
	assert_int_equal(o.version, 10);
	assert_int_equal(o.timeouts[FLOWTABLE_TMO_TCP], 120);
	assert_int_equal(o.timeouts[FLOWTABLE_TMO_ACTIVE], 60);
	assert_int_equal(o.maxflows, 1000);
	assert_int_equal(o.sampling, 10);
	assert_string_equal(o.filter, "tcp port 80");
	cfg = conf_load_string("sensor {\n version = 5\n max_flows = 77\n"
			       " collectors = {\"10.0.0.1:9995\"}\n"
			       " timeouts { udp = 30\n tcp = 99 }\n}\n",
	    "t.conf", &eb);
	assert_non_null(cfg);
	assert_int_equal(opts_apply_conf(&o, cfg, &eb), 0);
	/* Flags win over the file. */
	assert_int_equal(o.version, 10);
	assert_int_equal(o.maxflows, 1000);
	assert_string_equal(o.collectors, "127.0.0.1:2055");
	assert_int_equal(o.timeouts[FLOWTABLE_TMO_TCP], 120);
	assert_int_equal(o.timeouts[FLOWTABLE_TMO_UDP], 30);
	assert_int_equal(opts_check(&o, &eb), 0);
	conf_free(cfg);

	opts_defaults(&o);
	assert_int_equal(opts_parse_argv(&o, 4, argv2, &eb), 0);
	assert_string_equal(o.client_cmd, "stats");
	opts_defaults(&o);
	assert_int_equal(opts_parse_argv(&o, 3, argv3, &eb), -1);
	assert_non_null(strstr(eb.msg, "bogus"));
	opts_defaults(&o);
	assert_int_equal(opts_parse_argv(&o, 3, argv4, &eb), -1);
	assert_non_null(strstr(eb.msg, "-v 7"));
	opts_defaults(&o);
	assert_int_equal(opts_check(&o, &eb), -1);

	cfg = conf_load_string("sensor {\n version = 6\n}\n", "t.conf", &eb);
	assert_non_null(cfg);
	opts_defaults(&o);
	assert_int_equal(opts_apply_conf(&o, cfg, &eb), -1);
	assert_non_null(strstr(eb.msg, "sensor.version"));
	conf_free(cfg);

	uint32_t secs;
	assert_int_equal(opts_parse_secs("2h", &secs), 0);
	assert_int_equal(secs, 7200);
	assert_int_equal(opts_parse_secs("2x", &secs), -1);
	assert_int_equal(opts_parse_secs("", &secs), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sensor_export_v5_roundtrip),
		cmocka_unit_test(test_sensor_export_v9_roundtrip),
		cmocka_unit_test(test_sensor_export_ipfix_roundtrip),
		cmocka_unit_test(test_sensor_export_collectors),
		cmocka_unit_test(test_sensor_opts_flags_and_conf),
		cmocka_unit_test(test_sensor_export_tick_sends_after_max_wait),
		cmocka_unit_test(test_sensor_export_source_address),
	};
	return cmocka_run_group_tests_name("sensor_export", tests, NULL, NULL);
}
