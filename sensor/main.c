/*
 * flowtally-sensor: options, configuration and wiring of capture, meter,
 * export and control socket; the capture loop; exporting every flow on
 * shutdown.
 */
#include <sys/stat.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/conf.h"
#include "lib/daemon.h"
#include "lib/log.h"
#include "lib/tmutil.h"
#include "sensor/capture.h"
#include "sensor/ctl.h"
#include "sensor/export.h"
#include "sensor/meter.h"
#include "sensor/opts.h"
#include "sensor/pace.h"

struct sensor {
	struct sensor_opts o;
	struct meter *m;
	struct export *x;
	struct capture *cap;
	struct capture *files[OPTS_MAX_FILES]; /* -r: opened before the drop */
	struct ctl *ctl;
	int shutdown;
	int errors; /* -r: files that could not be read to the end */
	struct pace pace;
};

static void
usage(void)
{
	fprintf(stderr,
	    "usage: flowtally-sensor (-i IFACE | -r FILE...) "
	    "-n HOST:PORT[,HOST:PORT...]\n"
	    "           [-v 5|9|10] [-t NAME=SECONDS]... [-m MAXFLOWS] "
	    "[-s N] [-c CTLSOCK]\n"
	    "           [-p PIDFILE] [-S SRCADDR] [--speed N] [-d] [-D] [-C] "
	    "[-f CONF] [BPF expression]\n"
	    "       flowtally-sensor -c CTLSOCK "
	    "stats|dump|expire-all|shutdown\n");
	exit(1);
}

static void
sensor_out(void *arg, const struct flow *f, uint64_t now_ms)
{
	struct sensor *s = arg;

	if (export_set_boot(s->x, meter_first(s->m)) == -1)
		log_warn("export");
	export_flow(s->x, f, now_ms);
}

static void
sensor_tick(void *arg, uint64_t now_ms)
{
	struct sensor *s = arg;

	export_tick(s->x, now_ms);
}

/* A capture_fn for -r: paced replay (--speed), then metering. */
static void
sensor_file_packet(void *arg, const struct capture_pkt *pkt)
{
	struct sensor *s = arg;

	pace_wait(&s->pace, pkt->ts_ms);
	meter_packet(s->m, pkt);
}

static void
sensor_print_stats(struct sensor *s, FILE *fp)
{
	struct export_stats es;
	uint64_t recv, drop, ifdrop;

	meter_print_stats(s->m, fp);
	export_get_stats(s->x, &es);
	fprintf(fp, "flows_exported %llu\n", (unsigned long long)es.flows);
	fprintf(
	    fp, "flows_not_exportable %llu\n", (unsigned long long)es.skipped);
	fprintf(fp, "flows_encode_errors %llu\n",
	    (unsigned long long)es.encode_errors);
	fprintf(fp, "datagrams %llu\n", (unsigned long long)es.datagrams);
	fprintf(fp, "send_errors %llu\n", (unsigned long long)es.send_errors);
	if (s->cap != NULL && capture_stats(s->cap, &recv, &drop, &ifdrop) == 0)
		fprintf(fp,
		    "pcap_received %llu\npcap_dropped %llu\n"
		    "pcap_ifdropped %llu\n",
		    (unsigned long long)recv, (unsigned long long)drop,
		    (unsigned long long)ifdrop);
}

/* SIGUSR1: the statistics into the log, one line. */
static void
sensor_log_stats(struct sensor *s)
{
	char *buf = NULL, *p;
	size_t len = 0;
	FILE *fp;

	if ((fp = open_memstream(&buf, &len)) == NULL)
		return;
	sensor_print_stats(s, fp);
	fclose(fp);
	for (p = buf; (p = strchr(p, '\n')) != NULL; p++)
		*p = p[1] == '\0' ? '\0' : ',';
	log_info("stats: %s", buf);
	free(buf);
}

static void
sensor_ctl(struct sensor *s)
{
	enum ctl_cmd cmd;
	FILE *out;

	switch ((cmd = ctl_accept(s->ctl, &out))) {
	case CTL_STATS:
		sensor_print_stats(s, out);
		break;
	case CTL_EXPIRE_ALL:
		fprintf(out, "expired %zu\n", meter_expire_all(s->m));
		export_flush(s->x, meter_now(s->m));
		break;
	case CTL_SHUTDOWN:
		fprintf(out, "shutting down\n");
		s->shutdown = 1;
		break;
	case CTL_DUMP:
		meter_print_flows(s->m, out);
		break;
	case CTL_NONE:
		break;
	}
	ctl_reply_done(out);
}

/* Wait up to ms for the capture or control socket; signals only here. */
static void
sensor_wait(struct sensor *s, int ms, const sigset_t *orig)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	struct pollfd pfd[2];
	nfds_t n = 0;

	if (s->cap != NULL && capture_fd(s->cap) != -1) {
		pfd[n].fd = capture_fd(s->cap);
		pfd[n++].events = POLLIN;
	}
	if (s->ctl != NULL) {
		pfd[n].fd = ctl_fd(s->ctl);
		pfd[n++].events = POLLIN;
	}
	if (ppoll(pfd, n, &ts, orig) > 0 && s->ctl != NULL &&
	    (pfd[n - 1].revents & POLLIN))
		sensor_ctl(s);
}

static void
sensor_files(struct sensor *s, const sigset_t *orig)
{
	struct errbuf eb;
	int i, rc;

	for (i = 0; i < s->o.nfiles && !daemon_quit && !s->shutdown; i++) {
		s->cap = s->files[i];
		s->files[i] = NULL;
		meter_set_linktype(s->m, capture_linktype(s->cap));
		while (!daemon_quit && !s->shutdown) {
			rc = capture_dispatch(
			    s->cap, 4096, sensor_file_packet, s, &eb);
			meter_flush(s->m);
			if (rc == -2)
				break;
			if (rc == -1) {
				/* Keep what was read; go on with the next. */
				log_warnx("%s: %s", s->o.files[i], eb.msg);
				s->errors++;
				break;
			}
			sensor_wait(s, 0, orig);
		}
		capture_close(s->cap);
		s->cap = NULL;
	}
}

static void
sensor_live(struct sensor *s, const sigset_t *orig)
{
	struct errbuf eb;
	uint64_t last_tick = 0, now;

	while (!daemon_quit && !s->shutdown) {
		sensor_wait(s, 500, orig);
		if (capture_dispatch(s->cap, -1, meter_packet, s->m, &eb) == -1)
			log_warnx("%s: %s", s->o.iface, eb.msg);
		meter_flush(s->m);
		if ((now = tm_now_ms()) >= last_tick + 1000) {
			meter_tick(s->m, now);
			export_flush(s->x, meter_now(s->m));
			last_tick = now;
		}
		if (daemon_usr1) {
			daemon_usr1 = 0;
			sensor_log_stats(s);
		}
	}
}

static cfg_t *
sensor_conf(const char *path, struct errbuf *eb)
{
	if (path != NULL)
		return conf_load(path, eb);
	if (access(conf_default_path(), F_OK) == 0)
		return conf_load(conf_default_path(), eb);
	return conf_default();
}

int
main(int argc, char **argv)
{
	struct sensor s;
	struct export_opts xo;
	struct meter_opts mo;
	struct errbuf eb;
	sigset_t orig;
	cfg_t *cfg;
	int live, i;

	memset(&s, 0, sizeof(s));
	opts_defaults(&s.o);
	log_init("flowtally-sensor", 1, 0);
	if (opts_parse_argv(&s.o, argc, argv, &eb) == -1) {
		if (eb.msg[0] != ' ')
			log_warnx("%s", eb.msg);
		usage();
	}
	if (s.o.client_cmd != NULL) {
		if (ctl_client(s.o.ctlsock, s.o.client_cmd, stdout, &eb) == -1)
			fatalx("%s", eb.msg);
		return 0;
	}
	if ((cfg = sensor_conf(s.o.conffile, &eb)) == NULL)
		fatalx("%s", eb.msg);
	if (opts_apply_conf(&s.o, cfg, &eb) == -1 ||
	    opts_check(&s.o, &eb) == -1)
		fatalx("%s", eb.msg);
	if (s.o.checkconf) {
		printf("configuration OK\n");
		conf_free(cfg);
		return 0;
	}
	live = s.o.iface != NULL;
	log_init("flowtally-sensor", s.o.foreground || !live, 0);
	log_setverbose(s.o.verbose);

	meter_defaults(&mo);
	mo.maxflows = s.o.maxflows;
	memcpy(mo.timeouts, s.o.timeouts, sizeof(mo.timeouts));
	mo.sampling = s.o.sampling;
	mo.tick = sensor_tick;
	if ((s.m = meter_new(&mo, sensor_out, &s)) == NULL)
		fatal("flow table of %llu flows",
		    (unsigned long long)s.o.maxflows);
	memset(&xo, 0, sizeof(xo));
	xo.version = s.o.version;
	xo.collectors = s.o.collectors;
	xo.source = s.o.source;
	xo.sampling = s.o.sampling;
	xo.domain = s.o.domain;
	xo.template_secs = s.o.template_secs;
	xo.source = s.o.source;
	xo.boot_ms = live ? tm_now_ms() : 0;
	if ((s.x = export_new(&xo, &eb)) == NULL)
		fatalx("%s", eb.msg);
	if (live) {
		s.cap = capture_open_live(
		    s.o.iface, s.o.snaplen, s.o.promisc, s.o.filter, &eb);
		if (s.cap == NULL)
			fatalx("%s", eb.msg);
		if (!pkt_linktype_supported(capture_linktype(s.cap)))
			fatalx("%s: unsupported link type %d", s.o.iface,
			    capture_linktype(s.cap));
		meter_set_linktype(s.m, capture_linktype(s.cap));
	}
	for (i = 0; i < s.o.nfiles; i++) {
		s.files[i] = capture_open_file(s.o.files[i], s.o.filter, &eb);
		if (s.files[i] == NULL)
			fatalx("%s", eb.msg);
		if (!pkt_linktype_supported(capture_linktype(s.files[i])))
			fatalx("%s: unsupported link type %d", s.o.files[i],
			    capture_linktype(s.files[i]));
	}
	if (s.o.ctlsock != NULL && *s.o.ctlsock != '\0' &&
	    strcmp(s.o.ctlsock, "none") != 0 &&
	    (s.ctl = ctl_open(s.o.ctlsock, &eb)) == NULL)
		fatalx("%s", eb.msg);
	if (live && !s.o.foreground && daemon_detach() == -1)
		fatal("detach");
	if ((live || (s.o.set & OPTS_SET_PIDFILE)) && s.o.pidfile != NULL &&
	    *s.o.pidfile != '\0' && daemon_pidfile_write(s.o.pidfile) == -1)
		fatal("pidfile %s", s.o.pidfile);
	if (daemon_drop_privs(s.o.user, s.o.chroot) == -1) {
		if (live || errno != ENOENT)
			fatal("cannot switch to user %s", s.o.user);
		log_warnx("user %s unknown: reading files as root", s.o.user);
	}
	if (daemon_signals(&orig) == -1)
		fatal("signals");
	log_info("started: %s, NetFlow v%d to %s", live ? s.o.iface : "files",
	    s.o.version, s.o.collectors);

	if (live)
		sensor_live(&s, &orig);
	else
		pace_init(&s.pace, s.o.speed);
	sensor_files(&s, &orig);

	log_info("exporting %zu active flows", meter_expire_all(s.m));
	export_flush(s.x, meter_now(s.m));
	if (s.o.verbose || !live)
		sensor_print_stats(&s, stderr);
	if (s.ctl != NULL)
		ctl_close(s.ctl);
	if ((live || (s.o.set & OPTS_SET_PIDFILE)) && s.o.pidfile != NULL &&
	    *s.o.pidfile != '\0')
		daemon_pidfile_remove(s.o.pidfile);
	capture_close(s.cap);
	export_free(s.x);
	meter_free(s.m);
	for (i = 0; i < s.o.nfiles; i++)
		capture_close(s.files[i]);
	conf_free(cfg);
	return s.errors ? 1 : 0;
}
