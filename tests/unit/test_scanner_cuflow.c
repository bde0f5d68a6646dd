/*
 * --import-cuflow: a CUFlow.cf in the upstream sample's style translates
 * into a configuration that loads, with the same subnets, networks,
 * services, protocols, routers (sample rates folded in), ToS classes and AS
 * groups; CUFlow's own fatal errors stay fatal with the line number.
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

#include "lib/conf.h"
#include "scanner/cuflow_import.h"
#include "scanner/vocab.h"

static const char *sample =
    "# CUFlow.cf sample\n"
    "Subnet 10.0.0.0/8\n"
    "Subnet 192.168.0.0/16\n"
    "Network 10.1.0.0/16,10.2.0.0/16 campus\n"
    "Network 192.168.1.4 proxy\n"
    "OutputDir /var/lib/cuflow/rrd\n"
    "Multicast\n"
    "Scoreboard 10 /var/www/flowscan/topten /var/www/flowscan/topten.html\n"
    "AggregateScore 10 /var/www/agg.dat /var/www/overall.html\n"
    "Router 10.0.0.1 main-gw\n"
    "Router 10.0.0.2\n"
    "SampleRate 10.0.0.2 100\n"
    "Service 20-21/tcp ftp\n"
    "Service 53/udp,53/tcp dns\n"
    "Service http/tcp http\n"
    "Service 7070/tcp,554/tcp,6970-7170/udp real\n"
    "Protocol 1 icmp\n"
    "Protocol tcp\n"
    "Protocol 17 udp\n"
    "TOS 0 normal\n"
    "TOS 1-255 other\n"
    "ASNumber 701,702,3320-3330 bigisps\n";

static char *
import(const char *text, struct errbuf *eb, int *ret)
{
	char path[] = "/tmp/ft-cuflow-XXXXXX", *buf = NULL;
	size_t len = 0;
	FILE *in, *out;
	int fd;

	fd = mkstemp(path);
	assert_true(fd != -1);
	in = fdopen(fd, "w");
	fputs(text, in);
	fclose(in);
	out = open_memstream(&buf, &len);
	*ret = cuflow_import(path, out, eb);
	fclose(out);
	unlink(path);
	return buf;
}

static void
test_scanner_cuflow_sample(void **state)
{
	struct errbuf eb;
	struct vocab v;
	cfg_t *cfg;
	char *text;
	int ret;

	(void)state;
	text = import(sample, &eb, &ret);
	if (ret != 0)
		fail_msg("%s", eb.msg);
	cfg = conf_load_string(text, "imported", &eb);
	if (cfg == NULL)
		fail_msg("%s\n%s", eb.msg, text);
	assert_int_equal(vocab_load(&v, cfg, &eb), 0);
	assert_int_equal(v.n_subnets, 2);
	assert_true(v.multicast);
	assert_int_equal(v.n_networks, 2);
	assert_string_equal(v.networks[0].label, "campus");
	assert_int_equal(v.networks[0].n_prefixes, 2);
	assert_int_equal(v.networks[1].prefixes[0].len, 32);
	assert_int_equal(v.n_services, 4);
	assert_int_equal(v.services[3].n_ports, 3);
	assert_int_equal(v.services[3].ports[2].lo, 6970);
	assert_int_equal(v.services[3].ports[2].hi, 7170);
	assert_int_equal(v.services[2].ports[0].lo, 80);
	assert_int_equal(v.n_protocols, 3);
	assert_string_equal(v.protocols[1].label, "tcp");
	assert_int_equal(v.protocols[1].number, 6);
	assert_int_equal(v.n_routers, 2);
	assert_string_equal(v.routers[0].label, "main-gw");
	assert_int_equal(v.routers[0].sample_rate, 0);
	assert_string_equal(v.routers[1].label, "10_0_0_2");
	assert_int_equal(v.routers[1].sample_rate, 100);
	assert_int_equal(v.n_tos, 2);
	assert_int_equal(v.tos[1].ranges[0].hi, 255);
	assert_int_equal(v.n_as_groups, 1);
	assert_int_equal(v.as_groups[0].n_ranges, 3);
	assert_int_equal(v.as_groups[0].ranges[2].hi, 3330);
	assert_string_equal(cfg_getstr(cfg_getsec(cfg, "scanner"), "rrd_dir"),
	    "/var/lib/cuflow/rrd");
	assert_int_equal(
	    cfg_getint(
		cfg_getsec(cfg_getsec(cfg, "scanner"), "scoreboard"), "top"),
	    10);
	vocab_clear(&v);
	conf_free(cfg);
	free(text);
}

static void
test_scanner_cuflow_errors(void **state)
{
	struct errbuf eb;
	char *text;
	int ret;

	(void)state;
	text = import("Subnet 10.0.0.0/8\nFoo bar\n", &eb, &ret);
	assert_int_equal(ret, -1);
	assert_non_null(strstr(eb.msg, ":2: Invalid line"));
	free(text);
	text = import("\nProtocol nosuchproto\n", &eb, &ret);
	assert_int_equal(ret, -1);
	assert_non_null(strstr(eb.msg, ":2: Unknown protocol nosuchproto"));
	free(text);
	text = import("Service 90-80/tcp x\n", &eb, &ret);
	assert_int_equal(ret, -1);
	assert_non_null(strstr(eb.msg, ":1: Service item \"90-80/tcp\""));
	free(text);
	text = import("ASNumber 70x1 a\n", &eb, &ret);
	assert_int_equal(ret, -1);
	assert_non_null(strstr(eb.msg, ":1: Bad AS number item 70x1"));
	free(text);
}

/* What would print an unloadable configuration is refused or normalised. */
static void
test_scanner_cuflow_hostile(void **state)
{
	static const struct {
		const char *in, *want;
	} bad[] = {
		/* Labels are unique per directive, also once made safe. */
		{ "Network 10.1.0.0/16 a\nNetwork 10.2.0.0/16 a\n",
		    ":2: Network label \"a\" already used at line 1" },
		{ "Service 80/tcp w.w\n\nService 81/tcp w_w\n",
		    ":3: Service label \"w_w\" already used at line 1" },
		{ "Protocol tcp\nprotocol 6 tcp\n",
		    ":2: Protocol label \"tcp\" already used at line 1" },
		{ "Router 10.0.0.1 gw\nRouter 10.0.0.2 gw\n",
		    ":2: Router label \"gw\" already used at line 1" },
		/* Nothing that would break out of a quoted string. */
		{ "OutputDir /x\"y\n", ":1: Invalid line" },
		{ "Scoreboard 10 /a\\b\n", ":1: Invalid line" },
		{ "Scoreboard 1x\n", ":1: Invalid line" },
		{ "AggregateScore -5\n", ":1: Invalid line" },
	};
	struct errbuf eb;
	struct vocab v;
	cfg_t *cfg;
	char *text;
	size_t i;
	int ret;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		text = import(bad[i].in, &eb, &ret);
		assert_int_equal(ret, -1);
		if (strstr(eb.msg, bad[i].want) == NULL)
			fail_msg("%s: got \"%s\"", bad[i].in, eb.msg);
		free(text);
	}
	/* The last Scoreboard wins, its count as a number ("09" is 9). */
	text = import(
	    "Scoreboard 5 /a\nScoreboard 09 /b\nTOS 0 n\nTOS 1 N\n", &eb, &ret);
	assert_int_equal(ret, 0);
	cfg = conf_load_string(text, "imported", &eb);
	if (cfg == NULL)
		fail_msg("%s\n%s", eb.msg, text);
	assert_int_equal(vocab_load(&v, cfg, &eb), 0);
	assert_int_equal(
	    cfg_getint(
		cfg_getsec(cfg_getsec(cfg, "scanner"), "scoreboard"), "top"),
	    9);
	assert_string_equal(
	    cfg_getstr(
		cfg_getsec(cfg_getsec(cfg, "scanner"), "scoreboard"), "dir"),
	    "/b");
	vocab_clear(&v);
	conf_free(cfg);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scanner_cuflow_sample),
		cmocka_unit_test(test_scanner_cuflow_errors),
		cmocka_unit_test(test_scanner_cuflow_hostile),
	};
	return cmocka_run_group_tests_name("scanner_cuflow", tests, NULL, NULL);
}
