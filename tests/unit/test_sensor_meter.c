/*
 * The sensor's metering process: deterministic 1-in-N sampling, counters
 * by parse outcome, expiry swept by packet time once a second (with the
 * tick callback), meter_tick and meter_expire_all handing every flow to
 * the output (batched packets included), and the printed statistics and
 * active flows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pcap/dlt.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame_testutil.h"
#include "sensor/meter.h"

#define T0 1700000000000ull

struct mfix {
	struct meter *m;
	size_t nout, nticks;
	struct flow out[64];
	uint64_t out_now[64];
	uint64_t last_tick;
};

static void
collect(void *arg, const struct flow *f, uint64_t now_ms)
{
	struct mfix *x = arg;

	if (x->nout < 64) {
		x->out[x->nout] = *f;
		x->out_now[x->nout] = now_ms;
	}
	x->nout++;
}

static void
ticked(void *arg, uint64_t now_ms)
{
	struct mfix *x = arg;

	x->nticks++;
	x->last_tick = now_ms;
}

/* A meter with a 10 s UDP timeout, sampling 1-in-sampling. */
static struct mfix *
mfix_new(uint32_t sampling)
{
	struct mfix *x = calloc(1, sizeof(*x));
	struct meter_opts o;

	assert_non_null(x);
	meter_defaults(&o);
	assert_int_equal(o.sampling, 1);
	assert_int_equal(o.timeouts[FLOWTABLE_TMO_UDP], FLOWTABLE_DEF_UDP);
	o.timeouts[FLOWTABLE_TMO_UDP] = 10;
	o.sampling = sampling;
	o.tick = ticked;
	o.maxflows = 16;
	x->m = meter_new(&o, collect, x);
	assert_non_null(x->m);
	meter_set_linktype(x->m, DLT_EN10MB);
	return x;
}

static void
mfix_free(struct mfix *x)
{
	meter_free(x->m);
	free(x);
}

/* One frame at ts: UDP from 10.0.0.<src & 0xff>, paylen bytes. */
static void
feed(struct mfix *x, uint32_t src, uint16_t paylen, uint64_t ts)
{
	struct frame f;
	struct capture_pkt p;

	frame_eth_udp4(&f, paylen);
	frame_set_src4(&f, 0x0a000000u | src);
	p.ts_ms = ts;
	p.data = f.b;
	p.caplen = p.wirelen = (uint32_t)f.len;
	meter_packet(x->m, &p);
}

static void
test_sampling(void **state)
{
	struct mfix *x = mfix_new(3);
	struct meter_stats st;
	int i;

	(void)state;
	for (i = 0; i < 10; i++)
		feed(x, 1, 12, T0 + (uint64_t)i * 10);
	meter_get_stats(x->m, &st);
	/* Frames 1, 4, 7 and 10 are counted. */
	assert_int_equal(st.frames, 10);
	assert_int_equal(st.sampled_out, 6);
	assert_int_equal(st.result[PKT_OK], 4);
	assert_int_equal(st.ip_bytes, 4 * 40);
	assert_int_equal(st.ft.packets, 4);
	assert_int_equal(st.ft.bytes, 4 * 40);
	assert_int_equal(st.ft.created, 1);
	assert_int_equal(st.ft.active, 1);
	assert_int_equal(st.ft.max, 16);
	assert_int_equal(meter_first(x->m), T0);
	assert_int_equal(meter_now(x->m), T0 + 90);
	/* Expired flows carry the counted (unscaled) packets. */
	assert_int_equal(meter_expire_all(x->m), 1);
	assert_int_equal(x->nout, 1);
	assert_int_equal(x->out[0].packets, 4);
	assert_int_equal(x->out[0].bytes, 160);
	assert_int_equal(x->out[0].first_ms, T0);
	assert_int_equal(x->out[0].last_ms, T0 + 90);
	mfix_free(x);
}

static void
test_outcomes(void **state)
{
	struct mfix *x = mfix_new(0);
	struct meter_stats st;
	struct capture_pkt p;
	struct frame f;

	(void)state;
	memset(&f, 0, sizeof(f));
	frame_eth(&f, 0x0806); /* ARP */
	frame_payload(&f, 28);
	p = (struct capture_pkt){ T0, f.b, (uint32_t)f.len, (uint32_t)f.len };
	meter_packet(x->m, &p);
	frame_eth_udp4(&f, 4);
	p = (struct capture_pkt){ T0, f.b, 20, (uint32_t)f.len };
	meter_packet(x->m, &p); /* cut inside the IP header */
	meter_set_linktype(x->m, 4242);
	p.caplen = (uint32_t)f.len;
	meter_packet(x->m, &p);
	meter_set_linktype(x->m, DLT_EN10MB);
	meter_packet(x->m, &p);
	meter_get_stats(x->m, &st);
	assert_int_equal(st.frames, 4);
	assert_int_equal(st.sampled_out, 0);
	assert_int_equal(st.result[PKT_NOT_IP], 1);
	assert_int_equal(st.result[PKT_SHORT_IP], 1);
	assert_int_equal(st.result[PKT_LINKTYPE], 1);
	assert_int_equal(st.result[PKT_OK], 1);
	assert_int_equal(st.ft.packets, 1);
	assert_int_equal(st.ip_bytes, 32);
	mfix_free(x);
}

/* Sweeps run on packet time, once a second; idle flows leave then. */
static void
test_expiry_by_packet_time(void **state)
{
	struct mfix *x = mfix_new(1);

	(void)state;
	feed(x, 1, 0, T0);
	/* The first frame sweeps (an empty table) and ticks. */
	assert_int_equal(x->nticks, 1);
	assert_int_equal(x->last_tick, T0);
	feed(x, 2, 0, T0 + 500);
	feed(x, 2, 0, T0 + 999);
	assert_int_equal(x->nticks, 1);
	feed(x, 2, 0, T0 + 1000);
	assert_int_equal(x->nticks, 2);
	/* A frame back in time does not move the clock back. */
	feed(x, 2, 0, T0 + 10);
	assert_int_equal(meter_now(x->m), T0 + 1000);
	/* 10 s after 10.0.0.1's last packet: not yet (strictly more). */
	feed(x, 2, 0, T0 + 10000);
	assert_int_equal(x->nout, 0);
	feed(x, 2, 0, T0 + 11001);
	assert_int_equal(x->nout, 1);
	assert_int_equal(x->out[0].src.v4, 0x0a000001);
	assert_int_equal(x->out[0].dport, 5000);
	assert_int_equal(x->out[0].packets, 1);
	assert_int_equal(x->out_now[0], T0 + 11001);
	/* meter_tick: time from the caller, the batch flushed first. */
	feed(x, 3, 0, T0 + 11002);
	meter_tick(x->m, T0 + 30000);
	assert_int_equal(x->nout, 3);
	assert_int_equal(x->out_now[2], T0 + 30000);
	assert_int_equal(x->last_tick, T0 + 30000);
	assert_int_equal(meter_now(x->m), T0 + 30000);
	/* An earlier tick keeps the clock. */
	meter_tick(x->m, T0);
	assert_int_equal(meter_now(x->m), T0 + 30000);
	assert_int_equal(meter_expire_all(x->m), 0);
	mfix_free(x);
}

/* Packets still in the batch are in the table for every meter_ call. */
static void
test_expire_all_batch(void **state)
{
	struct mfix *x = mfix_new(1);
	struct meter_stats st;
	uint32_t i, seen = 0;

	(void)state;
	feed(x, 0, 0, T0);
	for (i = 1; i <= 40; i++)
		feed(x, i, 0, T0 + 1);
	assert_int_equal(meter_expire_all(x->m), 16);
	/* 41 flows in a table of 16: the rest were evicted on the way. */
	assert_int_equal(x->nout, 41);
	for (i = 0; i < 41 && i < 64; i++)
		seen |= x->out[i].src.v4 == 0x0a000028 ? 1u : 0u;
	assert_int_equal(seen, 1);
	meter_get_stats(x->m, &st);
	assert_int_equal(st.ft.created, 41);
	assert_int_equal(st.ft.expired[FLOWTABLE_FORCED], 16);
	assert_int_equal(st.ft.expired[FLOWTABLE_EVICTED], 25);
	assert_int_equal(st.ft.active, 0);
	mfix_free(x);
}

static void
test_print(void **state)
{
	struct mfix *x = mfix_new(2);
	char *text = NULL, want[256];
	size_t len = 0;
	FILE *fp;

	(void)state;
	feed(x, 1, 12, T0);
	feed(x, 1, 12, T0 + 5); /* sampled out */
	feed(x, 1, 12, T0 + 7);
	fp = open_memstream(&text, &len);
	assert_non_null(fp);
	meter_print_flows(x->m, fp);
	assert_int_equal(fclose(fp), 0);
	snprintf(want, sizeof(want),
	    "10.0.0.1 53 192.168.1.2 5000 proto 17 tos 16 vlan 0 packets 2 "
	    "bytes 80 first %llu last %llu\n",
	    T0, T0 + 7);
	assert_string_equal(text, want);
	free(text);
	fp = open_memstream(&text, &len);
	assert_non_null(fp);
	meter_print_stats(x->m, fp);
	assert_int_equal(fclose(fp), 0);
	assert_string_equal(text,
	    "frames 3\npackets 2\nbytes 80\nsampled_out 1\n"
	    "drop_not_ip 0\ndrop_linktype 0\ndrop_short_link 0\n"
	    "drop_short_ip 0\ndrop_bad_ip 0\ndrop_short_exthdr 0\n"
	    "drop_short_transport 0\nflows_created 1\nflows_active 1\n"
	    "flows_max 16\nflows_expired_idle 0\nflows_expired_active 0\n"
	    "flows_expired_evicted 0\nflows_expired_forced 0\n"
	    "flows_expired 0\n");
	free(text);
	mfix_free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sampling),
		cmocka_unit_test(test_outcomes),
		cmocka_unit_test(test_expiry_by_packet_time),
		cmocka_unit_test(test_expire_all_batch),
		cmocka_unit_test(test_print),
	};

	return cmocka_run_group_tests_name("sensor_meter", tests, NULL, NULL);
}
