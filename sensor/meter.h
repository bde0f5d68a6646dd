/*
 * The sensor's metering process: frames from a capture are parsed,
 * sampled 1-in-N, accounted in the flow table and expired flows handed to
 * an output (the exporter). Keeps the packet counters by outcome, and
 * prints statistics and the active flows for the control socket.
 */
#ifndef FT_SENSOR_METER_H
#define FT_SENSOR_METER_H

#include <stdint.h>
#include <stdio.h>

#include "lib/flow.h"
#include "sensor/capture.h"
#include "sensor/flowtable.h"
#include "sensor/pktparse.h"

struct meter;

/* Receives each expired flow and the current time (latest packet time). */
typedef void meter_out_fn(void *arg, const struct flow *f, uint64_t now_ms);

/* Called after every expiry sweep (once a second of capture time). */
typedef void meter_tick_fn(void *arg, uint64_t now_ms);

struct meter_opts {
	meter_tick_fn *tick;               /* optional, gets meter_new's arg */
	size_t maxflows;                   /* 0: FLOWTABLE_DEF_MAXFLOWS */
	uint32_t timeouts[FLOWTABLE_NTMO]; /* seconds */
	uint32_t sampling;                 /* 1-in-N; 0/1 every packet */
};

struct meter_stats {
	uint64_t frames;               /* frames seen */
	uint64_t sampled_out;          /* skipped by sampling */
	uint64_t result[PKT_NRESULTS]; /* by parse outcome */
	uint64_t ip_bytes;             /* bytes of the counted packets */
	struct flowtable_stats ft;
};

/* Fill o with the defaults. */
void meter_defaults(struct meter_opts *o);
/* A meter and its flow table (all memory now), or NULL with errno. */
struct meter *meter_new(
    const struct meter_opts *o, meter_out_fn *out, void *arg);
void meter_free(struct meter *m);

/* Set the link type of the frames that follow. */
void meter_set_linktype(struct meter *m, int linktype);
/*
 * Account one frame (a capture_fn). Time advances with its timestamp.
 * Parsed packets are held in a small batch and enter the flow table
 * together; every other meter_ call flushes the batch first, and the
 * caller calls meter_flush() after each capture_dispatch().
 */
void meter_packet(void *m, const struct capture_pkt *pkt);
void meter_flush(struct meter *m);
/* Expire flows that timed out by now_ms (live mode, when idle). */
void meter_tick(struct meter *m, uint64_t now_ms);
/* Expire every flow. Returns the count. */
size_t meter_expire_all(struct meter *m);
/* The latest time seen (packet or tick), ms. */
uint64_t meter_now(const struct meter *m);
/* The time of the first frame seen (0 before any). */
uint64_t meter_first(const struct meter *m);

void meter_get_stats(struct meter *m, struct meter_stats *st);
/* Print the statistics as "name value" lines. */
void meter_print_stats(struct meter *m, FILE *fp);
/* Print one line per active flow. */
void meter_print_flows(struct meter *m, FILE *fp);

#endif
