/*
 * The decoder session's internal state (lib/nfstate.h) driven directly:
 * exporters keyed by (address, port, version, domain) with LRU eviction
 * taking their templates and held data along, templates learned and
 * rejected, data held until its template comes (released with its own
 * datagram's time, per exporter), the held-bytes limit, and withdrawal of
 * one template or of all of one kind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "addr_testutil.h"
#include "lib/nfstate.h"
#include "nf_testutil.h"

/* v9 fields: IPv4 source, destination, octets, packets (16 bytes). */
static const struct nft_field f4[] = {
	{ 0, 8, 4 },
	{ 0, 12, 4 },
	{ 0, 1, 4 },
	{ 0, 2, 4 },
};

struct sfix {
	struct nf_session *s;
	struct nf_ctx c;
	struct nf_packet_info info;
	struct nft_out out;
	int stop_after; /* emit says stop after this many flows; 0 never */
};

static int
emit(void *arg, const struct flow *f)
{
	struct sfix *x = arg;

	nft_collect(&x->out, f);
	return x->stop_after > 0 && x->out.n >= (size_t)x->stop_after ? -1 : 0;
}

/* A session with lim (NULL: defaults), a v9 context for exporter ea. */
static struct sfix *
sfix_new(const struct nf_limits *lim)
{
	struct sfix *x = calloc(1, sizeof(*x));
	struct ft_addr a = taddr_v4(0x0a000009);

	assert_non_null(x);
	x->s = nf_session_new(lim);
	assert_non_null(x->s);
	x->c.s = x->s;
	x->c.version = 9;
	x->c.emit = emit;
	x->c.arg = x;
	x->c.info = &x->info;
	x->c.export_ms = NFT_NOW_MS;
	x->c.exp = nf_exporter_get(x->s, &a, 2055, 9, 1);
	assert_non_null(x->c.exp);
	return x;
}

static void
sfix_free(struct sfix *x)
{
	nf_session_free(x->s);
	free(x);
}

/* n records of f4: 10.0.0.(1 + i) -> 10.0.0.2, 100 (i + 1) octets. */
static size_t
records(uint8_t *b, unsigned n)
{
	struct wbuf w;
	unsigned i;

	wbuf_init(&w, b, 16 * n);
	for (i = 0; i < n; i++) {
		wbuf_u32(&w, 0x0a000001 + i);
		wbuf_u32(&w, 0x0a000002);
		wbuf_u32(&w, 100 * (i + 1));
		wbuf_u32(&w, i + 1);
	}
	return w.off;
}

/* nf_data_set() of n records for template tid. */
static int
data(struct sfix *x, uint16_t tid, unsigned n)
{
	uint8_t b[16 * 64];
	struct rbuf set;

	rbuf_init(&set, b, records(b, n));
	return nf_data_set(&x->c, tid, &set);
}

static void
stats(struct sfix *x, struct nf_session_stats *st)
{
	nf_session_stats(x->s, st);
}

static void
test_exporters(void **state)
{
	struct nf_limits lim = { .max_exporters = 3 };
	struct sfix *x = sfix_new(&lim);
	struct nf_exporter *ea = x->c.exp, *e1, *e2, *e3;
	struct ft_addr a = taddr_v4(0x0a000009), a6 = taddr_v6(9);
	struct nf_session_stats st;

	(void)state;
	assert_ptr_equal(nf_exporter_get(x->s, &a, 2055, 9, 1), ea);
	assert_int_equal(ea->port, 2055);
	assert_int_equal(ea->version, 9);
	assert_int_equal(ea->domain, 1);
	assert_true(ft_addr_equal(&ea->addr, &a));
	/* Each part of the key makes another exporter. */
	e1 = nf_exporter_get(x->s, &a, 2056, 9, 1);
	e2 = nf_exporter_get(x->s, &a, 2055, 10, 1);
	assert_non_null(e1);
	assert_non_null(e2);
	assert_ptr_not_equal(e1, ea);
	assert_ptr_not_equal(e2, ea);
	stats(x, &st);
	assert_int_equal(st.exporters, 3);
	/* ea used last: the next new one evicts e1, with its templates
	 * and held data. */
	x->c.exp = e1;
	assert_int_equal(nf_template_learn(&x->c, 256, false, 0, f4, 4), 0);
	assert_int_equal(data(x, 300, 2), 0);
	assert_int_equal(nf_exporter_get(x->s, &a, 2055, 9, 1), ea);
	assert_ptr_equal(nf_exporter_get(x->s, &a, 2055, 10, 1), e2);
	stats(x, &st);
	assert_int_equal(st.templates, 1);
	assert_int_equal(st.held_sets, 1);
	e3 = nf_exporter_get(x->s, &a6, 2055, 9, 1);
	assert_non_null(e3);
	stats(x, &st);
	assert_int_equal(st.exporters, 3);
	assert_int_equal(st.exporters_evicted, 1);
	assert_int_equal(st.templates, 0);
	assert_int_equal(st.held_sets, 0);
	assert_int_equal(st.held_bytes, 0);
	assert_int_equal(st.held_dropped, 1);
	assert_ptr_equal(nf_exporter_get(x->s, &a, 2055, 9, 1), ea);
	assert_ptr_equal(nf_exporter_get(x->s, &a6, 2055, 9, 1), e3);
	/* Back again: a new exporter knowing no template (e2 goes). */
	e1 = nf_exporter_get(x->s, &a, 2056, 9, 1);
	assert_non_null(e1);
	assert_int_equal(e1->nsamplers, 0);
	assert_int_equal(e1->rate, 0);
	assert_null(nft_lookup(&x->s->tc, e1, 256));
	stats(x, &st);
	assert_int_equal(st.exporters_evicted, 2);
	assert_int_equal(st.exporters, 3);
	x->c.exp = ea;
	sfix_free(x);
}

static void
test_learn_and_reject(void **state)
{
	struct sfix *x = sfix_new(NULL);
	struct nft_field bad[1] = { { 0, 8, 0 } };
	struct nf_session_stats st;

	(void)state;
	assert_int_equal(nf_template_learn(&x->c, 256, false, 0, f4, 4), 0);
	assert_int_equal(x->info.templates, 1);
	assert_int_equal(data(x, 256, 3), 0);
	assert_int_equal(x->out.n, 3);
	assert_int_equal(x->info.records, 3);
	assert_int_equal(x->info.held, 0);
	assert_int_equal(x->out.f[2].bytes, 300);
	assert_int_equal(x->out.f[2].src.v4, 0x0a000003);
	/* A flow with no time fields gets the export time. */
	assert_int_equal(x->out.f[0].first_ms, NFT_NOW_MS);
	assert_int_equal(nf_template_learn(&x->c, 257, false, 0, bad, 1), -1);
	assert_int_equal(nf_template_learn(&x->c, 258, true, 5, f4, 4), -1);
	assert_int_equal(x->info.templates, 1);
	stats(x, &st);
	assert_int_equal(st.templates, 1);
	assert_int_equal(st.templates_rejected, 2);
	sfix_free(x);
}

/* Data before its template: held, then decoded with its own times. */
static void
test_hold_release(void **state)
{
	struct sfix *x = sfix_new(NULL);
	struct nf_exporter *ea = x->c.exp, *eb;
	struct ft_addr b = taddr_v4(0x0a00000a);
	struct nf_session_stats st;

	(void)state;
	eb = nf_exporter_get(x->s, &b, 2055, 9, 1);
	x->c.export_ms = NFT_NOW_MS - 5000;
	assert_int_equal(data(x, 256, 2), 0);
	x->c.export_ms = NFT_NOW_MS - 4000;
	assert_int_equal(data(x, 256, 1), 0);
	assert_int_equal(data(x, 257, 1), 0);
	x->c.exp = eb;
	assert_int_equal(data(x, 256, 4), 0);
	assert_int_equal(x->info.held, 4);
	assert_int_equal(x->out.n, 0);
	stats(x, &st);
	assert_int_equal(st.held_sets, 4);
	assert_int_equal(
	    st.held_bytes, 4 * sizeof(struct nf_held) + 16 * (2 + 1 + 1 + 4));
	/* Template 256 of ea releases ea's two sets for 256, in order. */
	x->c.exp = ea;
	x->c.export_ms = NFT_NOW_MS;
	memset(&x->info, 0, sizeof(x->info));
	assert_int_equal(nf_template_learn(&x->c, 256, false, 0, f4, 4), 0);
	assert_int_equal(x->out.n, 3);
	assert_int_equal(x->info.records, 3);
	assert_int_equal(x->info.released, 3);
	assert_int_equal(x->out.f[0].first_ms, NFT_NOW_MS - 5000);
	assert_int_equal(x->out.f[1].first_ms, NFT_NOW_MS - 5000);
	assert_int_equal(x->out.f[2].first_ms, NFT_NOW_MS - 4000);
	assert_int_equal(x->out.f[2].bytes, 100);
	assert_int_equal(x->c.export_ms, NFT_NOW_MS);
	assert_false(x->c.releasing);
	stats(x, &st);
	assert_int_equal(st.held_sets, 2);
	assert_int_equal(
	    st.held_bytes, 2 * sizeof(struct nf_held) + 16 * (1 + 4));
	/* Data for a known template is not held. */
	assert_int_equal(data(x, 256, 1), 0);
	assert_int_equal(x->out.n, 4);
	assert_int_equal(x->out.f[3].first_ms, NFT_NOW_MS);
	assert_int_equal(st.held_dropped, 0);
	sfix_free(x);
}

/* The held-bytes limit: the oldest sets go first; too big never held. */
static void
test_hold_limit(void **state)
{
	struct nf_limits lim = { .max_held_bytes =
				     3 * (sizeof(struct nf_held) + 16 * 4) };
	struct sfix *x = sfix_new(&lim);
	struct nf_session_stats st;
	uint16_t i;

	(void)state;
	for (i = 0; i < 5; i++)
		assert_int_equal(data(x, (uint16_t)(300 + i), 4), 0);
	stats(x, &st);
	assert_int_equal(st.held_sets, 3);
	assert_int_equal(st.held_dropped, 2);
	assert_int_equal(x->info.held, 5);
	/* 300 and 301 were dropped, 302..304 are still there. */
	assert_int_equal(nf_template_learn(&x->c, 300, false, 0, f4, 4), 0);
	assert_int_equal(x->out.n, 0);
	assert_int_equal(nf_template_learn(&x->c, 302, false, 0, f4, 4), 0);
	assert_int_equal(x->out.n, 4);
	/* A set larger than the whole limit: skipped, nothing evicted. */
	assert_int_equal(data(x, 310, 64), 0);
	stats(x, &st);
	assert_int_equal(st.held_sets, 2);
	assert_int_equal(st.held_dropped, 3);
	assert_int_equal(x->info.skipped, 1);
	sfix_free(x);
}

static void
test_withdraw(void **state)
{
	struct sfix *x = sfix_new(NULL);
	struct nf_session_stats st;

	(void)state;
	x->c.version = 10;
	assert_int_equal(nf_template_learn(&x->c, 256, false, 0, f4, 4), 0);
	assert_int_equal(nf_template_learn(&x->c, 257, false, 0, f4, 4), 0);
	assert_int_equal(nf_template_learn(&x->c, 258, true, 1, f4, 4), 0);
	assert_int_equal(nf_template_learn(&x->c, 259, true, 1, f4, 4), 0);
	nf_template_withdraw(&x->c, 256, 0);
	assert_int_equal(x->info.withdrawn, 1);
	assert_null(nft_lookup(&x->s->tc, x->c.exp, 256));
	/* Unknown: not counted. */
	nf_template_withdraw(&x->c, 256, 0);
	nf_template_withdraw(&x->c, 999, -1);
	assert_int_equal(x->info.withdrawn, 1);
	/* IPFIX: id 3 in an options template set withdraws every options
	 * template (RFC 7011 8.1), the data template stays. */
	nf_template_withdraw(&x->c, 3, 1);
	assert_int_equal(x->info.withdrawn, 2);
	assert_null(nft_lookup(&x->s->tc, x->c.exp, 258));
	assert_null(nft_lookup(&x->s->tc, x->c.exp, 259));
	assert_non_null(nft_lookup(&x->s->tc, x->c.exp, 257));
	nf_template_withdraw(&x->c, 2, 0);
	assert_null(nft_lookup(&x->s->tc, x->c.exp, 257));
	stats(x, &st);
	assert_int_equal(st.templates, 0);
	/* Data for a withdrawn template is held again. */
	assert_int_equal(data(x, 257, 1), 0);
	assert_int_equal(x->info.held, 1);
	sfix_free(x);
}

/*
 * The emit callback stops while held data is released: the set being
 * decoded stops, and the other held sets of that template are dropped and
 * counted in held_dropped.
 */
static void
test_release_stop(void **state)
{
	struct sfix *x = sfix_new(NULL);
	struct nf_session_stats st;

	(void)state;
	assert_int_equal(data(x, 256, 2), 0);
	assert_int_equal(data(x, 256, 2), 0);
	x->stop_after = 1;
	assert_int_equal(nf_template_learn(&x->c, 256, false, 0, f4, 4), 0);
	assert_true(x->c.stop);
	assert_int_equal(x->out.n, 1);
	stats(x, &st);
	assert_int_equal(st.held_sets, 0);
	sfix_free(x);
	assert_int_equal(st.held_dropped, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exporters),
		cmocka_unit_test(test_learn_and_reject),
		cmocka_unit_test(test_hold_release),
		cmocka_unit_test(test_hold_limit),
		cmocka_unit_test(test_withdraw),
		cmocka_unit_test(test_release_stop),
	};

	return cmocka_run_group_tests_name("nfstate", tests, NULL, NULL);
}
