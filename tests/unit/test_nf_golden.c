/*
 * Golden decodes of real exports. As a cmocka test: the ipfixcol2 example
 * file (68 IPFIX messages) decodes to tshark's record count and counter
 * sums. With --print FILE...: decode the files in order as datagrams of one
 * exporter and print one JSON line per packet and per flow, for the
 * Logstash-expectation checker tests/tools/nf_golden_check.py. With
 * --encode VERSION SAMPLING N PREFIX: encode N generated flows (every third
 * IPv6 for v9/IPFIX) into datagrams PREFIX0.bin, PREFIX1.bin, ... and print
 * what was encoded, for tests/tools/nf_tshark_check.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/addr.h"
#include "lib/nfdecode.h"
#include "lib/nfencode.h"
#include "nf_testutil.h"

static uint8_t *
read_file(const char *path, size_t *len)
{
	FILE *fp;
	uint8_t *buf = NULL;
	long n;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL) {
		if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else
			*len = (size_t)n;
	}
	fclose(fp);
	return buf;
}

static int
print_flow(void *arg, const struct flow *f)
{
	char s[ADDR_STRLEN], d[ADDR_STRLEN], n[ADDR_STRLEN];

	(void)arg;
	printf("{\"type\":\"flow\",\"src\":\"%s\",\"dst\":\"%s\","
	       "\"nexthop\":\"%s\",\"sport\":%u,\"dport\":%u,\"proto\":%u,"
	       "\"tos\":%u,\"tcp_flags\":%u,\"in_if\":%u,\"out_if\":%u,"
	       "\"src_as\":%u,\"dst_as\":%u,\"src_mask\":%u,\"dst_mask\":%u,"
	       "\"bytes\":%llu,\"packets\":%llu,\"first_ms\":%llu,"
	       "\"last_ms\":%llu,\"sampling\":%u,\"direction\":%u,"
	       "\"vlan\":%u}\n",
	    addr_format(&f->src, s, sizeof(s)),
	    addr_format(&f->dst, d, sizeof(d)),
	    addr_format(&f->nexthop, n, sizeof(n)), f->sport, f->dport,
	    f->proto, f->tos, f->tcp_flags, f->in_if, f->out_if, f->src_as,
	    f->dst_as, f->src_mask, f->dst_mask, (unsigned long long)f->bytes,
	    (unsigned long long)f->packets, (unsigned long long)f->first_ms,
	    (unsigned long long)f->last_ms, f->sampling, f->direction, f->vlan);
	return 0;
}

static void
print_option(void *arg, uint16_t tid)
{
	(void)arg;
	printf("{\"type\":\"options\",\"template\":%u}\n", tid);
}

static int
print_mode(int argc, char **argv)
{
	struct nf_session *s = nf_session_new(NULL);
	struct nf_packet_info info;
	struct sockaddr_in from = { .sin_family = AF_INET,
		.sin_port = htons(4444),
		.sin_addr = { .s_addr = htonl(0xc0000201) } };
	uint8_t *buf;
	size_t len;
	int i, rc;

	if (s == NULL)
		return 1;
	nf_session_set_options_fn(s, print_option, NULL);
	for (i = 0; i < argc; i++) {
		if ((buf = read_file(argv[i], &len)) == NULL) {
			perror(argv[i]);
			nf_session_free(s);
			return 1;
		}
		rc = nf_decode(s, buf, len, (struct sockaddr *)&from, 0,
		    print_flow, NULL, &info);
		printf("{\"type\":\"packet\",\"file\":\"%s\",\"rc\":%d,"
		       "\"version\":%u,\"records\":%u,\"options\":%u,"
		       "\"held\":%u,\"released\":%u,\"templates\":%u,"
		       "\"export_ms\":%llu}\n",
		    argv[i], rc, info.version, info.records, info.options,
		    info.held, info.released, info.templates,
		    (unsigned long long)info.export_ms);
		free(buf);
	}
	nf_session_free(s);
	return 0;
}

static int
encode_mode(char **argv)
{
	struct nf_encoder_opts o = { .version = atoi(argv[0]),
		.sampling = (uint32_t)atoi(argv[1]),
		.domain = 3,
		.boot_ms = 1700000000000ull,
		.template_every = 5 };
	struct nf_encoder *e = nf_encoder_new(&o);
	size_t n = (size_t)atoi(argv[2]), i, done = 0, consumed, skipped;
	size_t k = 0, recs = 0, v6 = 0;
	uint64_t octets = 0, packets = 0;
	struct flow *flows;
	uint8_t buf[1400];
	char path[4096];
	ssize_t len;
	FILE *fp;

	if (e == NULL || n == 0 || (flows = calloc(n, sizeof(*flows))) == NULL)
		return 1;
	for (i = 0; i < n; i++)
		nft_make_flow(
		    &flows[i], (unsigned)i, o.version != 5 && i % 3 == 0);
	while (done < n) {
		len = nf_encoder_pack(e, flows + done, n - done,
		    1700000100000ull + k * 1000, buf, sizeof(buf), &consumed,
		    &skipped);
		if (len < 0)
			return 1;
		for (i = done; i < done + consumed; i++) {
			if (o.version == 5 && flows[i].src.family != FT_AF_INET)
				continue;
			recs++;
			octets += o.version == 5 && flows[i].bytes > UINT32_MAX
			    ? UINT32_MAX
			    : flows[i].bytes;
			packets += flows[i].packets;
			v6 += flows[i].src.family == FT_AF_INET6;
		}
		done += consumed;
		if (len == 0)
			continue;
		snprintf(path, sizeof(path), "%s%zu.bin", argv[3], k++);
		if ((fp = fopen(path, "wb")) == NULL ||
		    fwrite(buf, 1, (size_t)len, fp) != (size_t)len)
			return 1;
		fclose(fp);
	}
	printf("{\"datagrams\":%zu,\"records\":%zu,\"octets\":%llu,"
	       "\"packets\":%llu,\"v6\":%zu}\n",
	    k, recs, (unsigned long long)octets, (unsigned long long)packets,
	    v6);
	free(flows);
	nf_encoder_free(e);
	return 0;
}

struct sums {
	uint64_t records, octets, packets;
};

static int
sum_flow(void *arg, const struct flow *f)
{
	struct sums *sm = arg;

	sm->records++;
	sm->octets += f->bytes;
	sm->packets += f->packets;
	return 0;
}

/* The ipfixcol2 file: concatenated IPFIX messages, each one datagram. */
static void
test_nf_golden_ipfixcol2(void **state)
{
	struct nf_session *s = nf_session_new(NULL);
	struct nf_packet_info info;
	struct sums sm = { 0 };
	char path[4096];
	const char *src = getenv("FT_SRCDIR");
	uint8_t *buf;
	size_t len, off = 0, mlen, msgs = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/data/netflow/%s",
	    src ? src : ".", "example_flows.ipfix");
	assert_non_null(buf = read_file(path, &len));
	while (off + 4 <= len) {
		mlen = (size_t)buf[off + 2] << 8 | buf[off + 3];
		assert_true(mlen >= 16 && off + mlen <= len);
		assert_int_equal(
		    nf_decode(s, buf + off, mlen, (struct sockaddr *)&nft_from4,
			0, sum_flow, &sm, &info),
		    NF_OK);
		off += mlen;
		msgs++;
	}
	assert_int_equal(off, len);
	assert_int_equal(msgs, 68);
	/* tshark: 3979 data records, octets 49001404, packets 56695. */
	assert_int_equal(sm.records, 3979);
	assert_int_equal(sm.octets, 49001404);
	assert_int_equal(sm.packets, 56695);
	free(buf);
	nf_session_free(s);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nf_golden_ipfixcol2),
	};

	if (argc > 1 && strcmp(argv[1], "--print") == 0)
		return print_mode(argc - 2, argv + 2);
	if (argc == 6 && strcmp(argv[1], "--encode") == 0)
		return encode_mode(argv + 2);
	return cmocka_run_group_tests_name("nf_golden", tests, NULL, NULL);
}
