/*
 * The stats file: a plain "key=value" text snapshot of the collector
 * (listening sockets and their kernel and queue drops, the ring, every
 * exporter's counters since start), replaced atomically so a reader always
 * sees a whole snapshot. Rewritten each interval and on SIGUSR1; the same
 * text, or JSON, is the answer to the control socket's "stats".
 */
#ifndef FT_COLLECTOR_STATS_H
#define FT_COLLECTOR_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "collector/exporter.h"
#include "collector/listener.h"
#include "collector/ring.h"

struct stats_view {
	const struct listener *listener;
	const struct ring *ring;
	const struct exporter_table *exporters;
	uint64_t now_ms;
	uint64_t started_ms;
	uint64_t interval;
	uint64_t files;        /* files published */
	uint64_t open_start;   /* interval start of the open file, 0 none */
	uint64_t open_records; /* records in it so far */
	uint64_t grace_start;  /* interval of the open grace file, 0 none */
	uint64_t flows;        /* flows written since start */
	uint64_t late_flows;   /* binned into a later file than their own */
	uint64_t write_errors; /* flows lost to write errors */
	const char *open_path; /* final name of the open file, NULL none */
};

/* Print the snapshot to fp: 0 or -1. */
int stats_print(const struct stats_view *v, FILE *fp);
/* The same snapshot as one JSON object (for "stats json"): 0 or -1. */
int stats_print_json(const struct stats_view *v, FILE *fp);
/* Write the snapshot to path atomically: 0 or -1 (errno). */
int stats_write(const struct stats_view *v, const char *path);

#endif
