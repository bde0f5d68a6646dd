/*
 * flowtally-scanner: options, configuration, daemon set-up and the loop
 * that runs a scan pass every interval (and on SIGUSR1), reloads on SIGHUP
 * and exits on SIGTERM. The work itself is in scan.c.
 */
#include <sys/types.h>

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "lib/conf.h"
#include "lib/daemon.h"
#include "lib/log.h"
#include "lib/tmutil.h"
#include "scanner/cuflow_import.h"
#include "scanner/scan.h"

/* Seconds after an interval boundary before scanning: the collector
 * publishes its file at the boundary. */
#define SETTLE_S 5

static void
usage(void)
{
	fprintf(stderr,
	    "usage: flowtally-scanner [-dnv] [-f file] [--once]\n"
	    "       flowtally-scanner --import-cuflow CUFlow.cf\n");
	exit(1);
}

static int
facility_of(const char *name)
{
	static const struct {
		const char *n;
		int f;
	} tab[] = { { "daemon", LOG_DAEMON }, { "user", LOG_USER },
		{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
		{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
		{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
		{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 } };
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(tab[i].n, name) == 0)
			return tab[i].f;
	return LOG_DAEMON;
}

/* Wait until the next interval boundary + SETTLE_S or a signal. */
static void
wait_next(uint32_t interval, const sigset_t *orig)
{
	uint64_t now = tm_now_ms();
	uint64_t next =
	    (tm_align(now / 1000, interval) + interval + SETTLE_S) * 1000;
	struct timespec ts;

	if (next - now > (uint64_t)interval * 1000)
		next -= (uint64_t)interval * 1000;
	if (next <= now)
		next = now + 1000;
	ts.tv_sec = (time_t)((next - now) / 1000);
	ts.tv_nsec = (long)((next - now) % 1000) * 1000000L;
	ppoll(NULL, 0, &ts, orig);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ "import-cuflow", required_argument, NULL, 'I' },
		{ NULL, 0, NULL, 0 },
	};
	const char *conffile = conf_default_path(), *import = NULL;
	int ch, dflag = 0, nflag = 0, once = 0, verbose = 0;
	struct scan *s;
	struct errbuf eb;
	sigset_t orig;
	cfg_t *cfg, *sc;
	char *pidfile = NULL;

	while ((ch = getopt_long(argc, argv, "df:nv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			dflag = 1;
			break;
		case 'f':
			conffile = optarg;
			break;
		case 'n':
			nflag = 1;
			break;
		case 'v':
			verbose++;
			break;
		case 'o':
			once = 1;
			break;
		case 'I':
			import = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	log_init("flowtally-scanner", 1, 0);
	if (import != NULL) {
		if (cuflow_import(import, stdout, &eb) == -1)
			fatalx("%s", eb.msg);
		return 0;
	}
	if ((cfg = conf_load(conffile, &eb)) == NULL)
		fatalx("%s", eb.msg);
	log_setverbose(
	    verbose + (int)cfg_getint(cfg_getsec(cfg, "log"), "verbose"));
	if (nflag) {
		struct vocab v;
		struct cls c;
		struct rrdout o;
		enum spool_archive arch;
		uint32_t interval;

		/*
		 * Check everything that needs no files: settings,
		 * vocabulary, names.
		 */
		if (scan_settings(cfg, &interval, &arch, &eb) == -1 ||
		    vocab_load(&v, cfg, &eb) == -1)
			fatalx("%s", eb.msg);
		if (cls_build(&c, &v, &eb) == -1)
			fatalx("%s", eb.msg);
		sc = cfg_getsec(cfg, "scanner");
		if (rrdout_init(&o, cfg_getstr(sc, "rrd_dir"), NULL, interval,
			&eb) == -1 ||
		    rrdout_set_targets(&o, &v, &c, &eb) == -1)
			fatalx("%s: %s", conffile, eb.msg);
		if (verbose)
			conf_print(cfg, stdout);
		fprintf(
		    stderr, "%s: configuration OK, %zu RRDs\n", conffile, o.n);
		rrdout_clear(&o);
		cls_clear(&c);
		vocab_clear(&v);
		conf_free(cfg);
		return 0;
	}
	/* On the heap: its parts point at each other, so it never moves. */
	if ((s = calloc(1, sizeof(*s))) == NULL)
		fatal("calloc");
	if (scan_init(s, cfg, &eb) == -1)
		fatalx("%s", eb.msg);
	sc = cfg_getsec(cfg, "scanner");
	if (spool_lock(&s->sp, 120000, &eb) == -1)
		fatalx("%s", eb.msg);
	s->o.child_close_fd = s->sp.lock_fd;
	if (!once) {
		/* A copy: a reload frees the configuration. */
		if ((pidfile = strdup(cfg_getstr(sc, "pidfile"))) == NULL)
			fatal("strdup");
		if (pidfile[0] != '\0' && daemon_pidfile_write(pidfile) == -1)
			fatal("pidfile %s", pidfile);
	}
	if (daemon_drop_privs(cfg_getstr(sc, "user"), NULL) == -1)
		fatal("drop privileges to %s", cfg_getstr(sc, "user"));
	if (!once && !dflag) {
		log_init("flowtally-scanner", 0,
		    facility_of(
			cfg_getstr(cfg_getsec(cfg, "log"), "facility")));
		if (daemon_detach() == -1)
			fatal("detach");
	}
	if (daemon_signals(&orig) == -1)
		fatal("signals");
	log_info("started: %zu RRDs, interval %u s%s%s", s->o.n, s->interval,
	    s->o.daemon ? ", through rrdcached " : "",
	    s->o.daemon ? s->o.daemon : "");
	for (;;) {
		scan_pass(s, &daemon_quit);
		if (once || daemon_quit)
			break;
		wait_next(s->interval, &orig);
		if (daemon_quit)
			break;
		if (daemon_reload) {
			struct scan *ns;
			cfg_t *ncfg;

			daemon_reload = 0;
			if ((ncfg = conf_load(conffile, &eb)) == NULL) {
				log_warnx(
				    "reload: %s (keeping the old configuration)",
				    eb.msg);
				continue;
			}
			if ((ns = calloc(1, sizeof(*ns))) == NULL ||
			    scan_init(ns, ncfg, &eb) == -1) {
				free(ns);
				log_warnx(
				    "reload: %s (keeping the old configuration)",
				    eb.msg);
				conf_free(ncfg);
				continue;
			}
			/* The old scanner lets go of the lock, the new takes
			 * it. */
			scan_clear(s);
			free(s);
			s = ns;
			if (spool_lock(&s->sp, 120000, &eb) == -1)
				fatalx("reload: %s", eb.msg);
			s->o.child_close_fd = s->sp.lock_fd;
			conf_free(cfg);
			cfg = ncfg;
			log_info("reloaded: %zu RRDs", s->o.n);
		}
		daemon_usr1 = 0;
	}
	log_info("exiting");
	scan_clear(s);
	free(s);
	conf_free(cfg);
	if (pidfile != NULL && pidfile[0] != '\0')
		daemon_pidfile_remove(pidfile);
	free(pidfile);
	return 0;
}
