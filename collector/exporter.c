/*
 * Exporter accounting. Streams are found in a small chained hash on
 * (address, port, version, domain); all memory is allocated when a stream
 * is first seen, never per packet. See exporter.h for the sequence rules.
 */
#include "collector/exporter.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"

#define EXPORTER_BUCKETS 256

struct exporter_table {
	struct exporter *buckets[EXPORTER_BUCKETS];
	size_t n, max;
	struct ft_prefix *allow;
	size_t n_allow;
	struct exporter_override *ov;
	size_t n_ov;
	struct exporter_global g;
};

static const char *exporter_reasons[NF_NERR] = {
	"ok",
	"short",
	"version",
	"count",
	"length",
	"flowset",
	"template",
	"memory",
};

const char *
exporter_reason(int idx)
{
	if (idx < 0 || idx >= NF_NERR)
		return "other";
	return exporter_reasons[idx];
}

struct exporter_table *
exporter_table_new(size_t max)
{
	struct exporter_table *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->max = max ? max : FLOWFILE_MAX_EXPORTERS;
	return t;
}

void
exporter_table_free(struct exporter_table *t)
{
	struct exporter *e, *next;
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < EXPORTER_BUCKETS; i++)
		for (e = t->buckets[i]; e != NULL; e = next) {
			next = e->hnext;
			free(e);
		}
	free(t->allow);
	free(t->ov);
	free(t);
}

static void
exporter_apply_override(struct exporter_table *t, struct exporter *e)
{
	size_t i;
	int best = -1;

	e->ov_rate = 0;
	e->ov_force = false;
	/* The most specific prefix wins. */
	for (i = 0; i < t->n_ov; i++)
		if (addr_in_prefix(&e->addr, &t->ov[i].prefix) &&
		    (best == -1 ||
			t->ov[i].prefix.len > t->ov[best].prefix.len))
			best = (int)i;
	if (best != -1) {
		e->ov_rate = t->ov[best].rate;
		e->ov_force = t->ov[best].force;
	}
}

int
exporter_set_policy(struct exporter_table *t, const struct exporter_policy *p)
{
	struct ft_prefix *allow = NULL;
	struct exporter_override *ov = NULL;
	struct exporter *e;
	size_t i;

	if (p->n_allow > 0) {
		if ((allow = calloc(p->n_allow, sizeof(*allow))) == NULL)
			return -1;
		memcpy(allow, p->allow, p->n_allow * sizeof(*allow));
	}
	if (p->n_overrides > 0) {
		if ((ov = calloc(p->n_overrides, sizeof(*ov))) == NULL) {
			free(allow);
			return -1;
		}
		memcpy(ov, p->overrides, p->n_overrides * sizeof(*ov));
	}
	free(t->allow);
	free(t->ov);
	t->allow = allow;
	t->n_allow = p->n_allow;
	t->ov = ov;
	t->n_ov = p->n_overrides;
	for (i = 0; i < EXPORTER_BUCKETS; i++)
		for (e = t->buckets[i]; e != NULL; e = e->hnext)
			exporter_apply_override(t, e);
	return 0;
}

bool
exporter_allowed(const struct exporter_table *t, const struct ft_addr *a)
{
	size_t i;

	if (t->n_allow == 0)
		return true;
	for (i = 0; i < t->n_allow; i++)
		if (addr_in_prefix(a, &t->allow[i]))
			return true;
	return false;
}

int
exporter_peek(
    const uint8_t *pkt, size_t len, uint16_t *version, uint32_t *domain)
{
	struct rbuf b;
	uint8_t et, ei;

	rbuf_init(&b, pkt, len);
	if (rbuf_u16(&b, version) == -1)
		return -1;
	*domain = 0;
	switch (*version) {
	case 5:
		rbuf_init(&b, pkt, len);
		if (rbuf_skip(&b, 20) == -1 || rbuf_u8(&b, &et) == -1 ||
		    rbuf_u8(&b, &ei) == -1)
			return 0; /* the decoder says what is wrong */
		*domain = (uint32_t)et << 8 | ei;
		break;
	case 9:
		rbuf_init(&b, pkt, len);
		if (rbuf_skip(&b, 16) == 0)
			(void)rbuf_u32(&b, domain);
		break;
	case 10:
		rbuf_init(&b, pkt, len);
		if (rbuf_skip(&b, 12) == 0)
			(void)rbuf_u32(&b, domain);
		break;
	default:
		break;
	}
	return 0;
}

static unsigned
exporter_hash(
    const struct ft_addr *a, uint16_t port, uint16_t version, uint32_t domain)
{
	const uint8_t *p = (const uint8_t *)a;
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(*a); i++)
		h = (h ^ p[i]) * 16777619u;
	h = (h ^ port) * 16777619u;
	h = (h ^ version) * 16777619u;
	h = (h ^ domain) * 16777619u;
	return h % EXPORTER_BUCKETS;
}

struct exporter *
exporter_get(struct exporter_table *t, const struct sockaddr *from,
    uint16_t version, uint32_t domain, uint64_t now_ms)
{
	struct ft_addr a;
	uint16_t port;
	unsigned h;
	struct exporter *e;

	addr_from_sockaddr(from, &a, &port);
	h = exporter_hash(&a, port, version, domain);
	for (e = t->buckets[h]; e != NULL; e = e->hnext)
		if (e->port == port && e->version == version &&
		    e->domain == domain && ft_addr_equal(&e->addr, &a)) {
			e->last_seen_ms = now_ms;
			return e;
		}
	if (t->n >= t->max || (e = calloc(1, sizeof(*e))) == NULL) {
		t->g.overflow++;
		return NULL;
	}
	e->addr = a;
	e->port = port;
	e->version = version;
	e->domain = domain;
	e->sampling = 1;
	e->first_seen_ms = e->last_seen_ms = now_ms;
	exporter_apply_override(t, e);
	e->hnext = t->buckets[h];
	t->buckets[h] = e;
	t->n++;
	return e;
}

void
exporter_deny(struct exporter_table *t, const struct sockaddr *from)
{
	uint16_t port;

	t->g.denied++;
	addr_from_sockaddr(from, &t->g.last_denied, &port);
}

void
exporter_runt(struct exporter_table *t, const struct sockaddr *from)
{
	(void)from;
	t->g.runts++;
}

void
exporter_flow(struct exporter *e, struct flow *f)
{
	uint32_t rate = f->sampling;

	e->flags &= ~(uint32_t)(FLOWFILE_EXP_SAMPLING_OVERRIDE |
	    FLOWFILE_EXP_SAMPLING_UNKNOWN);
	if (e->ov_rate != 0 && (e->ov_force || rate <= 1)) {
		rate = e->ov_rate;
		e->flags |= FLOWFILE_EXP_SAMPLING_OVERRIDE;
	}
	if (rate == 0) {
		e->flags |= FLOWFILE_EXP_SAMPLING_UNKNOWN;
		e->cur.unknown_sampling++;
		e->total.unknown_sampling++;
	} else if (rate > 1) {
		f->bytes *= rate;
		f->packets *= rate;
	}
	f->sampling = rate;
	e->sampling = rate;
	e->cur.flows++;
	e->total.flows++;
}

static void
exporter_add(struct exporter *e, size_t off, uint64_t n)
{
	*(uint64_t *)((char *)&e->cur + off) += n;
	*(uint64_t *)((char *)&e->total + off) += n;
}

#define EXP_ADD(e, field, n)                                                   \
	exporter_add((e), offsetof(struct exporter_counters, field), (n))

/*
 * How many sequence units this datagram advances: v5 counts flows, IPFIX
 * counts every data record, options data records included (RFC 7011 3.1),
 * and v9 counts export packets, whatever they carry (RFC 3954 5.1). Records
 * released from an earlier message's held sets belong to that message.
 */
static uint32_t
exporter_seq_step(const struct nf_packet_info *info)
{
	if (info->version == 9)
		return 1;
	if (info->seq_flows != 0 || info->version == 5)
		return info->seq_flows;
	return info->records - info->released + info->options -
	    info->released_options + info->held + info->skipped;
}

/* v9 loses packets: turn them into flows by this stream's average. */
static uint64_t
exporter_v9_flows(const struct exporter *e, uint64_t lost_packets)
{
	uint64_t pk = e->total.packets, fl = e->total.flows;

	if (pk == 0)
		return 0;
	return (lost_packets * fl + pk / 2) / pk;
}

uint64_t
exporter_packet(struct exporter *e, int err, const struct nf_packet_info *info,
    uint64_t arrival_ms)
{
	uint32_t step;
	int64_t diff;
	uint64_t lost = 0;
	bool uptime_back;

	if (err != NF_OK) {
		int idx = -err;

		EXP_ADD(e, malformed, 1);
		if (idx > 0 && idx < NF_NERR)
			EXP_ADD(e, malformed_by[idx], 1);
		if (info->records == 0 && info->templates == 0)
			return 0;
	}
	EXP_ADD(e, packets, 1);
	EXP_ADD(e, templates, info->templates);
	if (info->export_ms != 0)
		e->clock_skew_ms =
		    (int64_t)info->export_ms - (int64_t)arrival_ms;
	if (err != NF_OK)
		return 0; /* a broken packet says nothing about sequence */
	step = exporter_seq_step(info);
	uptime_back = info->version != 10 && e->seq_valid &&
	    info->sys_uptime + 1000 < e->last_uptime;
	e->last_uptime = info->sys_uptime;
	if (!e->seq_valid) {
		e->seq_valid = info->version != 10 || info->held == 0;
		e->seq_next = info->sequence + step;
		e->seq_prev = info->sequence;
		e->step_prev = step;
		return 0;
	}
	if (e->seq_mode == EXPORTER_SEQ_INCLUSIVE)
		e->seq_next = e->seq_prev + step;
	diff = (int32_t)(info->sequence - e->seq_next);
	/*
	 * Some exporters (softflowd's IPFIX) count the records of the
	 * message itself in its sequence number. Learn which kind this is
	 * once two messages of different sizes tell the kinds apart.
	 */
	if (info->version != 9 && e->seq_mode == EXPORTER_SEQ_UNKNOWN &&
	    step != e->step_prev) {
		if (diff == 0)
			e->seq_mode = EXPORTER_SEQ_RFC;
		else if (info->sequence == e->seq_prev + step) {
			e->seq_mode = EXPORTER_SEQ_INCLUSIVE;
			diff = 0;
		}
	}
	e->seq_prev = info->sequence;
	e->step_prev = step;
	if (diff >= 0 || -diff > (int64_t)EXPORTER_LATE_WINDOW)
		e->late_run = 0;
	if (diff == 0) {
		/* in order */
	} else if (uptime_back) {
		EXP_ADD(e, resets, 1);
	} else if (diff > 0 && diff < (int64_t)EXPORTER_RESET_GAP) {
		if (info->version == 9) {
			EXP_ADD(e, lost_packets, (uint64_t)diff);
			lost = exporter_v9_flows(e, (uint64_t)diff);
		} else
			lost = (uint64_t)diff;
		EXP_ADD(e, lost_flows, lost);
	} else if (diff < 0 && -diff <= (int64_t)EXPORTER_LATE_WINDOW) {
		/*
		 * Late or duplicated: keep expecting what we expected. But
		 * a run of "late" packets that follow one another is a
		 * restarted exporter counting again from a small number.
		 */
		if (e->late_run > 0 && info->sequence == e->late_next)
			e->late_run++;
		else
			e->late_run = 1;
		e->late_next = info->sequence + step;
		if (e->late_run < EXPORTER_RESTART_RUN) {
			EXP_ADD(e, late_packets, 1);
			return 0;
		}
		e->cur.late_packets -= e->cur.late_packets >= e->late_run - 1
		    ? e->late_run - 1
		    : e->cur.late_packets;
		e->total.late_packets -= e->late_run - 1;
		EXP_ADD(e, resets, 1);
	} else {
		EXP_ADD(e, resets, 1);
	}
	e->seq_next = info->sequence + step;
	/*
	 * IPFIX data held for a missing template cannot be counted by
	 * records yet: pick the sequence up again at the next message.
	 */
	if (info->version == 10 && info->held > 0)
		e->seq_valid = false;
	return lost;
}

size_t
exporter_snapshot(struct exporter_table *t, struct flowfile_exporter *out,
    size_t max, bool reset)
{
	struct exporter *e;
	size_t i, n = 0;

	for (i = 0; i < EXPORTER_BUCKETS; i++)
		for (e = t->buckets[i]; e != NULL; e = e->hnext) {
			if (n < max) {
				struct flowfile_exporter *x = &out[n++];

				memset(x, 0, sizeof(*x));
				x->addr = e->addr;
				x->port = e->port;
				x->version = e->version;
				x->domain = e->domain;
				x->sampling = e->sampling;
				x->flags = e->flags;
				x->packets = e->cur.packets;
				x->flows = e->cur.flows;
				x->lost_flows = e->cur.lost_flows;
				x->malformed = e->cur.malformed;
				x->sequence_resets = e->cur.resets;
				x->clock_skew_ms = e->clock_skew_ms;
			}
			if (reset)
				memset(&e->cur, 0, sizeof(e->cur));
		}
	return n;
}

void
exporter_foreach(
    const struct exporter_table *t, exporter_visit_fn *fn, void *arg)
{
	const struct exporter *e;
	size_t i;

	for (i = 0; i < EXPORTER_BUCKETS; i++)
		for (e = t->buckets[i]; e != NULL; e = e->hnext)
			fn(e, arg);
}

void
exporter_global(const struct exporter_table *t, struct exporter_global *g)
{
	*g = t->g;
}
