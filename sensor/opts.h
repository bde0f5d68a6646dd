/*
 * The sensor's settings: defaults, then the "sensor" section of
 * flowtally.conf, then softflowd-style command-line flags, each checked
 * with an error naming the flag or option.
 */
#ifndef FT_SENSOR_OPTS_H
#define FT_SENSOR_OPTS_H

#include <stdint.h>

#include <confuse.h>

#include "lib/errbuf.h"
#include "sensor/flowtable.h"

#define OPTS_MAX_FILES 64

/* Bits of sensor_opts.set: settings given by flags. */
#define OPTS_SET_VERSION  0x01
#define OPTS_SET_MAXFLOWS 0x02
#define OPTS_SET_SAMPLING 0x04
#define OPTS_SET_FILTER   0x08
#define OPTS_SET_COLL     0x10
#define OPTS_SET_PIDFILE  0x20
#define OPTS_SET_CTL      0x40
#define OPTS_SET_SOURCE   0x80

struct sensor_opts {
	const char *iface;
	const char *files[OPTS_MAX_FILES];
	int nfiles;
	char collectors[1024];
	const char *source; /* -S: address to export from */
	int version;
	uint32_t timeouts[FLOWTABLE_NTMO];
	int timeout_set[FLOWTABLE_NTMO]; /* given with -t */
	uint64_t maxflows;
	uint32_t sampling;
	uint32_t domain;
	uint32_t template_secs;
	int snaplen;
	int promisc;
	char filter[1024]; /* BPF expression (argv joined, or config) */
	uint32_t speed;    /* --speed: -r replay pace, x capture time; 0 max */
	const char *ctlsock;
	const char *pidfile;
	const char *user;
	const char *chroot;
	const char *conffile;
	int foreground;
	int verbose;
	int checkconf;
	const char *client_cmd; /* -c SOCK CMD: act as a control client */
	unsigned set;           /* which settings flags gave (opts.c) */
};

void opts_defaults(struct sensor_opts *o);
/*
 * Parse argv (getopt: the program's flags, then a BPF expression or, with
 * -c and neither -i nor -r, a control command). Pointers into argv are
 * kept. Returns 0 or -1 with eb naming the flag.
 */
int opts_parse_argv(
    struct sensor_opts *o, int argc, char **argv, struct errbuf *eb);
/*
 * Apply the sensor section of cfg for everything not given on the command
 * line. Strings stay owned by cfg. Returns 0 or -1 with eb naming the
 * option.
 */
int opts_apply_conf(struct sensor_opts *o, cfg_t *cfg, struct errbuf *eb);
/* Final consistency checks (a source and a collector given...): 0 or -1. */
int opts_check(const struct sensor_opts *o, struct errbuf *eb);
/* Parse "300", "300s", "5m", "2h", "1d" into seconds: 0 or -1. */
int opts_parse_secs(const char *s, uint32_t *secs);

#endif
