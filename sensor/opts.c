/*
 * Sensor settings from flags and the config file. Flags win: each flag
 * given marks its setting so the config does not override it.
 */
#include "sensor/opts.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/tmutil.h"

void
opts_defaults(struct sensor_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->version = 9;
	o->timeouts[FLOWTABLE_TMO_TCP] = FLOWTABLE_DEF_TCP;
	o->timeouts[FLOWTABLE_TMO_TCP_FIN] = FLOWTABLE_DEF_TCP_FIN;
	o->timeouts[FLOWTABLE_TMO_UDP] = FLOWTABLE_DEF_UDP;
	o->timeouts[FLOWTABLE_TMO_ICMP] = FLOWTABLE_DEF_ICMP;
	o->timeouts[FLOWTABLE_TMO_OTHER] = FLOWTABLE_DEF_OTHER;
	o->timeouts[FLOWTABLE_TMO_ACTIVE] = FLOWTABLE_DEF_ACTIVE;
	o->maxflows = FLOWTABLE_DEF_MAXFLOWS;
	o->sampling = 1;
	o->template_secs = 60;
	o->snaplen = 256;
	o->promisc = 1;
}

int
opts_parse_secs(const char *s, uint32_t *secs)
{
	uint64_t v;

	if (tm_parse_duration(s, &v) == -1 || v > UINT32_MAX)
		return -1;
	*secs = (uint32_t)v;
	return 0;
}

static int
opts_number(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	unsigned long long x;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || x < min || x > max)
		return -1;
	*v = x;
	return 0;
}

static int
opts_timeout(struct sensor_opts *o, const char *arg, struct errbuf *eb)
{
	char name[32];
	const char *eq = strchr(arg, '=');
	uint32_t secs;
	int t;

	if (eq == NULL || (size_t)(eq - arg) >= sizeof(name)) {
		errbuf_set(eb, "-t %s: expected NAME=SECONDS", arg);
		return -1;
	}
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	if (strcmp(name, "expint") == 0)
		return 0; /* softflowd's expiry interval: we sweep every second
			   */
	if ((t = flowtable_tmo_lookup(name)) == -1) {
		errbuf_set(eb,
		    "-t %s: unknown timeout \"%s\" (tcp, tcp.rst, "
		    "udp, icmp, general, maxlife)",
		    arg, name);
		return -1;
	}
	if (opts_parse_secs(eq + 1, &secs) == -1 || secs > 7 * 86400) {
		errbuf_set(eb, "-t %s: bad duration", arg);
		return -1;
	}
	o->timeouts[t] = secs;
	o->timeout_set[t] = 1;
	return 0;
}

static int
opts_join(char *dst, size_t cap, char **argv, int argc)
{
	size_t n = 0, l;
	int i;

	dst[0] = '\0';
	for (i = 0; i < argc; i++) {
		l = strlen(argv[i]);
		if (n + l + 2 > cap)
			return -1;
		if (i > 0)
			dst[n++] = ' ';
		memcpy(dst + n, argv[i], l + 1);
		n += l;
	}
	return 0;
}

int
opts_parse_argv(struct sensor_opts *o, int argc, char **argv, struct errbuf *eb)
{
	static const struct option longopts[] = {
		{ "speed", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv,
		    "c:CdDf:hi:m:n:p:r:S:s:t:v:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'P':
			if (opts_number(optarg, 0, 1000000, &v) == -1) {
				errbuf_set(eb,
				    "--speed %s: expected 0..1000000", optarg);
				return -1;
			}
			o->speed = (uint32_t)v;
			break;
		case 'c':
			o->ctlsock = optarg;
			o->set |= OPTS_SET_CTL;
			break;
		case 'C':
			o->checkconf = 1;
			break;
		case 'd':
			o->foreground = 1;
			break;
		case 'D':
			o->foreground = 1;
			o->verbose++;
			break;
		case 'f':
			o->conffile = optarg;
			break;
		case 'i':
			o->iface = optarg;
			break;
		case 'm':
			if (opts_number(optarg, 1, 1u << 26, &v) == -1) {
				errbuf_set(eb, "-m %s: expected 1..%u flows",
				    optarg, 1u << 26);
				return -1;
			}
			o->maxflows = v;
			o->set |= OPTS_SET_MAXFLOWS;
			break;
		case 'n':
			if (strlen(optarg) >= sizeof(o->collectors)) {
				errbuf_set(eb, "-n: too long");
				return -1;
			}
			strcpy(o->collectors, optarg);
			o->set |= OPTS_SET_COLL;
			break;
		case 'p':
			o->pidfile = optarg;
			o->set |= OPTS_SET_PIDFILE;
			break;
		case 'r':
			if (o->nfiles == OPTS_MAX_FILES) {
				errbuf_set(eb, "-r %s: at most %d files",
				    optarg, OPTS_MAX_FILES);
				return -1;
			}
			o->files[o->nfiles++] = optarg;
			break;
		case 's':
			if (opts_number(optarg, 1, 0x3fff, &v) == -1) {
				errbuf_set(
				    eb, "-s %s: expected 1..16383", optarg);
				return -1;
			}
			o->sampling = (uint32_t)v;
			o->set |= OPTS_SET_SAMPLING;
			break;
		case 'S':
			o->source = optarg;
			o->set |= OPTS_SET_SOURCE;
			break;
		case 't':
			if (opts_timeout(o, optarg, eb) == -1)
				return -1;
			break;
		case 'v':
			if (opts_number(optarg, 5, 10, &v) == -1 ||
			    (v != 5 && v != 9 && v != 10)) {
				errbuf_set(eb,
				    "-v %s: expected 5, 9 or 10 "
				    "(IPFIX)",
				    optarg);
				return -1;
			}
			o->version = (int)v;
			o->set |= OPTS_SET_VERSION;
			break;
		case 'h':
		default:
			errbuf_set(eb, "%s%c", ch == 'h' ? "" : "bad flag -",
			    ch == 'h' ? ' ' : optopt);
			return -1;
		}
	}
	if (o->ctlsock != NULL && o->iface == NULL && o->nfiles == 0 &&
	    optind < argc) {
		o->client_cmd = argv[optind];
		return 0;
	}
	if (optind < argc) {
		if (opts_join(o->filter, sizeof(o->filter), argv + optind,
			argc - optind) == -1) {
			errbuf_set(eb, "BPF expression too long");
			return -1;
		}
		o->set |= OPTS_SET_FILTER;
	}
	return 0;
}

static int
opts_conf_int(
    cfg_t *s, const char *name, long min, long max, long *v, struct errbuf *eb)
{
	*v = cfg_getint(s, name);
	if (*v < min || *v > max) {
		errbuf_set(eb, "sensor.%s = %ld: expected %ld..%ld", name, *v,
		    min, max);
		return -1;
	}
	return 0;
}

int
opts_apply_conf(struct sensor_opts *o, cfg_t *cfg, struct errbuf *eb)
{
	static const char *tnames[FLOWTABLE_NTMO] = { "tcp", "tcp_rst", "udp",
		"icmp", "general", "maxlife" };
	cfg_t *s, *t;
	const char *str;
	size_t n = 0, l;
	unsigned i;
	long v;

	if ((s = cfg_getsec(cfg, "sensor")) == NULL)
		return 0;
	if (o->iface == NULL && o->nfiles == 0)
		o->iface = cfg_getstr(s, "interface");
	o->promisc = cfg_getbool(s, "promisc") ? 1 : 0;
	if (opts_conf_int(s, "snaplen", 64, 65535, &v, eb) == -1)
		return -1;
	o->snaplen = (int)v;
	if (!(o->set & OPTS_SET_FILTER) && (str = cfg_getstr(s, "filter"))) {
		if (strlen(str) >= sizeof(o->filter)) {
			errbuf_set(eb, "sensor.filter: too long");
			return -1;
		}
		strcpy(o->filter, str);
	}
	if (!(o->set & OPTS_SET_COLL)) {
		for (i = 0; i < cfg_size(s, "collectors"); i++) {
			str = cfg_getnstr(s, "collectors", i);
			l = strlen(str);
			if (n + l + 2 > sizeof(o->collectors)) {
				errbuf_set(eb, "sensor.collectors: too long");
				return -1;
			}
			if (n > 0)
				o->collectors[n++] = ',';
			memcpy(o->collectors + n, str, l + 1);
			n += l;
		}
	}
	if (opts_conf_int(s, "version", 5, 10, &v, eb) == -1)
		return -1;
	if (v != 5 && v != 9 && v != 10) {
		errbuf_set(eb, "sensor.version = %ld: expected 5, 9 or 10", v);
		return -1;
	}
	if (!(o->set & OPTS_SET_VERSION))
		o->version = (int)v;
	if (opts_conf_int(s, "max_flows", 1, 1L << 26, &v, eb) == -1)
		return -1;
	if (!(o->set & OPTS_SET_MAXFLOWS))
		o->maxflows = (uint64_t)v;
	if (opts_conf_int(s, "sampling", 1, 0x3fff, &v, eb) == -1)
		return -1;
	if (!(o->set & OPTS_SET_SAMPLING))
		o->sampling = (uint32_t)v;
	if (opts_conf_int(s, "domain", 0, UINT32_MAX, &v, eb) == -1)
		return -1;
	o->domain = (uint32_t)v;
	if (opts_conf_int(s, "template_interval", 1, 86400, &v, eb) == -1)
		return -1;
	o->template_secs = (uint32_t)v;
	if ((t = cfg_getsec(s, "timeouts")) != NULL)
		for (i = 0; i < FLOWTABLE_NTMO; i++) {
			if (o->timeout_set[i])
				continue;
			if (opts_conf_int(t, tnames[i], 0, 7 * 86400, &v, eb) ==
			    -1)
				return -1;
			o->timeouts[i] = (uint32_t)v;
		}
	if (!(o->set & OPTS_SET_CTL))
		o->ctlsock = cfg_getstr(s, "control_socket");
	if (!(o->set & OPTS_SET_PIDFILE))
		o->pidfile = cfg_getstr(s, "pidfile");
	if (!(o->set & OPTS_SET_SOURCE))
		o->source = cfg_getstr(s, "source_address");
	o->user = cfg_getstr(s, "user");
	o->chroot = cfg_getstr(s, "chroot");
	return 0;
}

int
opts_check(const struct sensor_opts *o, struct errbuf *eb)
{
	if (o->client_cmd != NULL)
		return 0;
	if ((o->iface != NULL) == (o->nfiles > 0)) {
		errbuf_set(eb, "give exactly one of -i IFACE or -r FILE");
		return -1;
	}
	if (o->collectors[0] == '\0') {
		errbuf_set(eb, "no collector: give -n HOST:PORT");
		return -1;
	}
	if (o->timeouts[FLOWTABLE_TMO_ACTIVE] == 0) {
		errbuf_set(eb, "maxlife timeout must be at least 1 second");
		return -1;
	}
	return 0;
}
