/*
 * Metering: parse each frame, apply deterministic 1-in-N sampling, feed
 * the flow table, and sweep timeouts once per second of packet time.
 */
#include "sensor/meter.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "lib/addr.h"

struct meter {
	struct flowtable *ft;
	meter_out_fn *out;
	meter_tick_fn *tick;
	void *arg;
	int linktype;
	uint32_t sampling;
	uint32_t skip; /* packets to skip before the next sampled one */
	uint64_t now;
	uint64_t first; /* the first packet's time */
	uint64_t last_sweep;
	struct meter_stats st;
	/* Parsed packets not yet in the table (see meter_flush()). */
	struct pkt_info batch[FLOWTABLE_BATCH];
	uint64_t batch_ts[FLOWTABLE_BATCH];
	size_t nbatch;
};

void
meter_flush(struct meter *m)
{
	flowtable_add_batch(m->ft, m->batch, m->batch_ts, m->nbatch);
	m->nbatch = 0;
}

void
meter_defaults(struct meter_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->maxflows = FLOWTABLE_DEF_MAXFLOWS;
	o->timeouts[FLOWTABLE_TMO_TCP] = FLOWTABLE_DEF_TCP;
	o->timeouts[FLOWTABLE_TMO_TCP_FIN] = FLOWTABLE_DEF_TCP_FIN;
	o->timeouts[FLOWTABLE_TMO_UDP] = FLOWTABLE_DEF_UDP;
	o->timeouts[FLOWTABLE_TMO_ICMP] = FLOWTABLE_DEF_ICMP;
	o->timeouts[FLOWTABLE_TMO_OTHER] = FLOWTABLE_DEF_OTHER;
	o->timeouts[FLOWTABLE_TMO_ACTIVE] = FLOWTABLE_DEF_ACTIVE;
	o->sampling = 1;
}

static void
meter_expired(void *arg, const struct flow *f, enum flowtable_why why)
{
	struct meter *m = arg;

	(void)why;
	if (m->out != NULL)
		m->out(m->arg, f, m->now);
}

struct meter *
meter_new(const struct meter_opts *o, meter_out_fn *out, void *arg)
{
	struct meter *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->ft =
	    flowtable_new(o->maxflows ? o->maxflows : FLOWTABLE_DEF_MAXFLOWS,
		o->timeouts, meter_expired, m);
	if (m->ft == NULL) {
		free(m);
		return NULL;
	}
	m->out = out;
	m->tick = o->tick;
	m->arg = arg;
	m->sampling = o->sampling > 1 ? o->sampling : 1;
	return m;
}

void
meter_free(struct meter *m)
{
	if (m == NULL)
		return;
	flowtable_free(m->ft);
	free(m);
}

void
meter_set_linktype(struct meter *m, int linktype)
{
	m->linktype = linktype;
}

void
meter_packet(void *arg, const struct capture_pkt *pkt)
{
	struct meter *m = arg;
	struct pkt_info *pi;
	enum pkt_result r;

	if (m->st.frames++ == 0)
		m->first = pkt->ts_ms;
	if (pkt->ts_ms > m->now)
		m->now = pkt->ts_ms;
	if (m->now >= m->last_sweep + 1000) {
		meter_flush(m);
		flowtable_expire(m->ft, m->now);
		m->last_sweep = m->now;
		if (m->tick != NULL)
			m->tick(m->arg, m->now);
	}
	if (m->skip > 0) {
		m->skip--;
		m->st.sampled_out++;
		return;
	}
	m->skip = m->sampling - 1;
	pi = &m->batch[m->nbatch];
	r = pkt_parse(m->linktype, pkt->data, pkt->caplen, pkt->wirelen, pi);
	m->st.result[r]++;
	if (r != PKT_OK)
		return;
	m->st.ip_bytes += pi->bytes;
	m->batch_ts[m->nbatch++] = pkt->ts_ms;
	if (m->nbatch == FLOWTABLE_BATCH)
		meter_flush(m);
}

void
meter_tick(struct meter *m, uint64_t now_ms)
{
	if (now_ms > m->now)
		m->now = now_ms;
	meter_flush(m);
	flowtable_expire(m->ft, m->now);
	m->last_sweep = m->now;
	if (m->tick != NULL)
		m->tick(m->arg, m->now);
}

size_t
meter_expire_all(struct meter *m)
{
	meter_flush(m);
	return flowtable_expire_all(m->ft);
}

uint64_t
meter_first(const struct meter *m)
{
	return m->first;
}

uint64_t
meter_now(const struct meter *m)
{
	return m->now;
}

void
meter_get_stats(struct meter *m, struct meter_stats *st)
{
	meter_flush(m);
	*st = m->st;
	flowtable_get_stats(m->ft, &st->ft);
}

void
meter_print_stats(struct meter *m, FILE *fp)
{
	struct meter_stats st;
	uint64_t expired = 0;
	int i;

	meter_get_stats(m, &st);
	fprintf(fp, "frames %" PRIu64 "\n", st.frames);
	fprintf(fp, "packets %" PRIu64 "\n", st.ft.packets);
	fprintf(fp, "bytes %" PRIu64 "\n", st.ft.bytes);
	fprintf(fp, "sampled_out %" PRIu64 "\n", st.sampled_out);
	for (i = 1; i < PKT_NRESULTS; i++)
		fprintf(fp, "drop_%s %" PRIu64 "\n",
		    pkt_result_name((enum pkt_result)i), st.result[i]);
	fprintf(fp, "flows_created %" PRIu64 "\n", st.ft.created);
	fprintf(fp, "flows_active %" PRIu64 "\n", st.ft.active);
	fprintf(fp, "flows_max %" PRIu64 "\n", st.ft.max);
	for (i = 0; i < FLOWTABLE_NWHY; i++) {
		fprintf(fp, "flows_expired_%s %" PRIu64 "\n",
		    flowtable_why_name((enum flowtable_why)i),
		    st.ft.expired[i]);
		expired += st.ft.expired[i];
	}
	fprintf(fp, "flows_expired %" PRIu64 "\n", expired);
}

static void
meter_print_flow(void *arg, const struct flow *f)
{
	char s[ADDR_STRLEN], d[ADDR_STRLEN];

	fprintf((FILE *)arg,
	    "%s %u %s %u proto %u tos %u vlan %u packets %" PRIu64
	    " bytes %" PRIu64 " first %" PRIu64 " last %" PRIu64 "\n",
	    addr_format(&f->src, s, sizeof(s)), f->sport,
	    addr_format(&f->dst, d, sizeof(d)), f->dport, f->proto, f->tos,
	    f->vlan, f->packets, f->bytes, f->first_ms, f->last_ms);
}

void
meter_print_flows(struct meter *m, FILE *fp)
{
	meter_flush(m);
	flowtable_walk(m->ft, meter_print_flow, fp);
}
