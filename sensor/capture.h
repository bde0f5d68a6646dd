/*
 * Packet sources for the sensor: a live interface (promiscuous or not,
 * snaplen, BPF filter) or a pcap/pcapng file, handing each frame with its
 * link type to a callback.
 */
#ifndef FT_SENSOR_CAPTURE_H
#define FT_SENSOR_CAPTURE_H

#include <stdint.h>
#include <stdio.h>

#include "lib/errbuf.h"

struct capture;

/* One frame: ts_ms is the capture timestamp in ms since the epoch. */
struct capture_pkt {
	uint64_t ts_ms;
	const uint8_t *data;
	uint32_t caplen;
	uint32_t wirelen;
};

typedef void capture_fn(void *arg, const struct capture_pkt *pkt);

/*
 * Open interface iface for capture (snaplen bytes, promiscuous when
 * promisc, BPF filter expression or NULL). Non-blocking, for poll() on
 * capture_fd(). NULL with eb filled on failure.
 */
struct capture *capture_open_live(const char *iface, int snaplen, int promisc,
    const char *filter, struct errbuf *eb);
/* Open a pcap or pcapng file ("-" for stdin). */
struct capture *capture_open_file(
    const char *path, const char *filter, struct errbuf *eb);
/* The same from an open stream (tests); the capture owns fp then. */
struct capture *capture_open_fp(
    FILE *fp, const char *name, const char *filter, struct errbuf *eb);
void capture_close(struct capture *c);

/* The DLT_ link type, and whether the parser understands it. */
int capture_linktype(const struct capture *c);
/* A pollable descriptor (live), or -1. */
int capture_fd(const struct capture *c);

/*
 * Hand up to cnt frames (-1: a buffer full) to fn. Returns the number
 * handed, 0 when none was ready (live), -1 on error with eb filled, and
 * -2 at end of file.
 */
int capture_dispatch(
    struct capture *c, int cnt, capture_fn *fn, void *arg, struct errbuf *eb);

/* Kernel statistics of a live capture: 0 or -1 (files have none). */
int capture_stats(struct capture *c, uint64_t *received, uint64_t *dropped,
    uint64_t *ifdropped);

#endif
