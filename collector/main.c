/*
 * flowtally-collector: options, config, binding, daemon set-up and the
 * main loop (collect_run). See flowtally-collector(8).
 */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "collector/cconf.h"
#include "collector/collect.h"
#include "collector/listener.h"
#include "collector/mcast.h"
#include "lib/afile.h"
#include "lib/conf.h"
#include "lib/ctlsock.h"
#include "lib/daemon.h"
#include "lib/log.h"

struct main_state {
	const char *conf_path;
	struct cconf_cli cli;
	struct cconf conf[2]; /* current and the one before a reload */
	int cur;
};

static void
usage(void)
{
	fprintf(stderr,
	    "usage: flowtally-collector [-dn] [-f conf] [-l [addr:]port]... "
	    "[-w dir]\n"
	    "                           [-t seconds] [-p pidfile] "
	    "[--export-time]\n"
	    "       flowtally-collector --ctl socket command\n");
	exit(1);
}

static int
main_load(struct main_state *ms, struct cconf *c, struct errbuf *eb)
{
	cfg_t *cfg;
	int rc;

	if (ms->conf_path == NULL)
		cfg = conf_default();
	else
		cfg = conf_load(ms->conf_path, eb);
	if (cfg == NULL) {
		if (ms->conf_path == NULL)
			errbuf_set(eb, "out of memory");
		return -1;
	}
	rc = cconf_build(c, cfg, &ms->cli, eb);
	conf_free(cfg);
	if (rc == -1)
		cconf_clear(c);
	return rc;
}

/*
 * What a reload cannot change (sockets, file layout, queue, state) is kept
 * from the running settings, with a warning when the file says otherwise.
 */
static void
main_keep_fixed(struct cconf *n, const struct cconf *o)
{
	if (n->interval != o->interval || strcmp(n->dir, o->dir) != 0 ||
	    n->nest != o->nest || n->export_time != o->export_time ||
	    n->late_grace != o->late_grace || n->codec != o->codec ||
	    n->zstd_level != o->zstd_level || n->n_listen != o->n_listen ||
	    memcmp(n->listen, o->listen, n->n_listen * sizeof(n->listen[0])) !=
		0 ||
	    strcmp(n->state_dir, o->state_dir) != 0 ||
	    n->queue_size != o->queue_size)
		log_warnx("reload: listen, dir, interval, nest, compress, "
			  "export_time, late_grace, state_dir and queue_size "
			  "change only at the next start");
	memcpy(n->listen, o->listen, sizeof(n->listen));
	n->n_listen = o->n_listen;
	memcpy(n->dir, o->dir, sizeof(n->dir));
	memcpy(n->state_dir, o->state_dir, sizeof(n->state_dir));
	memcpy(n->stats_file, o->stats_file, sizeof(n->stats_file));
	memcpy(n->templates_file, o->templates_file, sizeof(n->templates_file));
	memcpy(n->pidfile, o->pidfile, sizeof(n->pidfile));
	memcpy(n->control, o->control, sizeof(n->control));
	memcpy(n->user, o->user, sizeof(n->user));
	n->interval = o->interval;
	n->nest = o->nest;
	n->export_time = o->export_time;
	n->late_grace = o->late_grace;
	n->codec = o->codec;
	n->zstd_level = o->zstd_level;
	n->rcvbuf = o->rcvbuf;
	n->queue_size = o->queue_size;
	n->max_templates = o->max_templates;
	n->max_held_bytes = o->max_held_bytes;
}

/*
 * The control socket, before the privilege drop: its directory is created
 * if missing, and the socket is handed to the user we become, so the
 * daemon can still remove it at exit. Returns the listening fd; fatal on
 * error.
 */
static int
main_control(const struct cconf *c)
{
	struct errbuf eb;
	struct passwd *pw;
	char dir[sizeof(c->control)], *slash;
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;
	int fd;

	strcpy(dir, c->control);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (afile_mkdirs(dir, 0755) == -1)
			fatal("control socket directory %s", dir);
	}
	if (c->user[0] != '\0' && geteuid() == 0) {
		if ((pw = getpwnam(c->user)) == NULL)
			fatalx("unknown user %s", c->user);
		uid = pw->pw_uid;
		gid = pw->pw_gid;
	}
	if ((fd = ctlsock_listen(c->control, uid, gid, &eb)) == -1)
		fatalx("control socket: %s", eb.msg);
	return fd;
}

/* --ctl SOCKET CMD...: send the words as one command line, print the answer. */
static int
main_client(const char *path, int argc, char *argv[])
{
	struct errbuf eb;
	char cmd[256], *ans = NULL;
	size_t len = 0, anslen = 0;
	FILE *fp;
	int i, n, rc;

	if (argc == 0)
		usage();
	for (i = 0; i < argc; i++) {
		n = snprintf(cmd + len, sizeof(cmd) - len, "%s%s",
		    i > 0 ? " " : "", argv[i]);
		if (n < 0 || (size_t)n >= sizeof(cmd) - len) {
			fprintf(
			    stderr, "flowtally-collector: command too long\n");
			return 2;
		}
		len += (size_t)n;
	}
	if ((fp = open_memstream(&ans, &anslen)) == NULL)
		fatal("memory");
	rc = ctlsock_client(path, cmd, fp, &eb);
	fclose(fp);
	if (rc == -1) {
		fprintf(stderr, "flowtally-collector: %s\n", eb.msg);
		free(ans);
		return 1;
	}
	fwrite(ans, 1, anslen, stdout);
	/* An answer starting "error:" is a refused command. */
	rc = anslen >= 6 && memcmp(ans, "error:", 6) == 0 ? 1 : 0;
	free(ans);
	return rc;
}

static const struct cconf *
main_reload(void *arg)
{
	struct main_state *ms = arg;
	struct errbuf eb;
	int next = 1 - ms->cur;

	cconf_clear(&ms->conf[next]);
	if (main_load(ms, &ms->conf[next], &eb) == -1) {
		log_warnx("reload: %s (keeping the running settings)", eb.msg);
		return NULL;
	}
	main_keep_fixed(&ms->conf[next], &ms->conf[ms->cur]);
	/* The previous settings stay valid until the next reload. */
	ms->cur = next;
	log_setverbose(ms->conf[next].verbose);
	return &ms->conf[next];
}

int
main(int argc, char *argv[])
{
	static struct main_state ms;
	static const struct option longopts[] = {
		{ "export-time", no_argument, NULL, 'E' },
		{ "ctl", required_argument, NULL, 'C' },
		{ NULL, 0, NULL, 0 },
	};
	struct errbuf eb;
	struct cconf *c;
	struct listener *l;
	struct collect *co;
	sigset_t orig;
	const char *ctl_path = NULL;
	int ch, fg = 0, check = 0, rc, ctl_fd = -1;
	size_t i;

	while ((ch = getopt_long(argc, argv, "df:l:np:t:w:", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'd':
			fg = 1;
			break;
		case 'f':
			ms.conf_path = optarg;
			break;
		case 'l':
			if (ms.cli.n_listen == CCONF_MAX_LISTEN)
				fatalx(
				    "at most %d -l options", CCONF_MAX_LISTEN);
			ms.cli.listen[ms.cli.n_listen++] = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'p':
			ms.cli.pidfile = optarg;
			break;
		case 't':
			ms.cli.interval = optarg;
			break;
		case 'w':
			ms.cli.dir = optarg;
			break;
		case 'E':
			ms.cli.export_time = true;
			break;
		case 'C':
			ctl_path = optarg;
			break;
		default:
			usage();
		}
	}
	if (ctl_path != NULL)
		return main_client(ctl_path, argc - optind, argv + optind);
	if (optind != argc)
		usage();
	if (ms.conf_path == NULL && access(conf_default_path(), F_OK) == 0)
		ms.conf_path = conf_default_path();

	log_init("flowtally-collector", 1, 0);
	c = &ms.conf[0];
	if (main_load(&ms, c, &eb) == -1)
		fatalx("%s", eb.msg);
	log_setverbose(c->verbose);
	if (check) {
		printf("%s: configuration OK\n",
		    ms.conf_path ? ms.conf_path : "(defaults)");
		return 0;
	}

	if ((l = listener_new()) == NULL)
		fatal("listener");
	for (i = 0; i < c->n_listen; i++) {
		if (listener_add(l, &c->listen[i].addr, c->listen[i].port,
			c->rcvbuf, &eb) == -1)
			fatalx("%s", eb.msg);
		if (mcast_is_group(&c->listen[i].addr)) {
			if (mcast_join(listener_fd(l, listener_count(l) - 1),
				&c->listen[i].addr, c->listen[i].ifname,
				&eb) == -1)
				fatalx("%s", eb.msg);
			log_info("joined multicast group %s%s%s",
			    listener_name(l, listener_count(l) - 1),
			    c->listen[i].ifname[0] ? " on " : "",
			    c->listen[i].ifname);
		}
	}
	if (afile_mkdirs(c->dir, 0755) == -1)
		fatal("%s", c->dir);
	if (afile_mkdirs(c->state_dir, 0755) == -1)
		fatal("%s", c->state_dir);
	if (c->control[0] != '\0')
		ctl_fd = main_control(c);

	if (!fg) {
		log_init("flowtally-collector", 0, LOG_DAEMON);
		if (daemon_detach() == -1)
			fatal("detach");
	}
	if (c->pidfile[0] != '\0' && daemon_pidfile_write(c->pidfile) == -1)
		fatal("pidfile %s", c->pidfile);
	if (daemon_drop_privs(c->user, NULL) == -1)
		fatal("dropping privileges to %s", c->user);
	if (daemon_signals(&orig) == -1)
		fatal("signals");

	if ((co = collect_new(c, l)) == NULL)
		fatal("collector set-up");
	if (ctl_fd != -1) {
		if (collect_set_control(co, ctl_fd, c->control) == -1)
			fatal("control socket");
		log_info("control socket %s", c->control);
	}
	if (collect_start(co) == -1)
		fatal("starting the receive thread");
	for (i = 0; i < listener_count(l); i++)
		log_info("listening on %s (receive buffer %d bytes)",
		    listener_name(l, i), listener_rcvbuf(l, i));
	log_info("writing %s every %llus, binned by %s time", c->dir,
	    (unsigned long long)c->interval,
	    c->export_time ? "export" : "arrival");
	if (c->export_time && c->late_grace > 0)
		log_info("the previous interval stays open %llus for lagging "
			 "exporters",
		    (unsigned long long)c->late_grace);

	rc = collect_run(co, &orig, main_reload, &ms);
	collect_free(co);
	listener_free(l);
	if (ms.conf[ms.cur].pidfile[0] != '\0')
		daemon_pidfile_remove(ms.conf[ms.cur].pidfile);
	cconf_clear(&ms.conf[0]);
	cconf_clear(&ms.conf[1]);
	log_info("exiting");
	return rc == 0 ? 0 : 1;
}
