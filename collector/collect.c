/*
 * The decode/writer loop. Flows of a datagram are scaled, counted and
 * batched; a batch goes to the open file when full or before a rotation.
 * Everything slow (compression, fsync, rename, expiry, stats) happens on
 * this thread while the receive thread keeps filling the ring.
 */
#include "collector/collect.h"

#include <sys/eventfd.h>

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/cctl.h"
#include "collector/expire.h"
#include "collector/stats.h"
#include "lib/addr.h"
#include "lib/buf.h"
#include "lib/daemon.h"
#include "lib/log.h"
#include "lib/tmutil.h"

#define COLLECT_BATCH   1024
#define COLLECT_TICK_MS 200 /* longest sleep with datagrams maybe waiting */

struct collect {
	const struct cconf *c;
	struct listener *l;
	struct ring *ring;
	struct nf_session *nf;
	struct exporter_table *xt;
	struct rotate *rot;
	int wake_fd;
	_Atomic int want_wake;
	struct flow batch[COLLECT_BATCH];
	size_t nbatch;
	uint64_t batch_bin;
	/* the datagram being decoded */
	struct exporter *cur;
	uint64_t cur_bin;
	bool cur_late;
	/* totals */
	uint64_t started_ms;
	uint64_t files;
	uint64_t flows;
	uint64_t late_flows;
	uint64_t write_errors;
	uint64_t write_errors_logged;
	/* last logged global counters (per-interval deltas) */
	uint64_t last_ring_drops;
	uint64_t last_kernel_drops;
	uint64_t last_denied;
	bool save_warned;
	struct flowfile_exporter snap[FLOWFILE_MAX_EXPORTERS];
	/* the control socket */
	struct cctl *ctl;
	uint64_t ctl_next_mono;
	char last_published[4096];
};

static int collect_publish(struct collect *co, bool all);

static int
collect_policy(struct collect *co, const struct cconf *c)
{
	struct exporter_policy p = {
		.allow = c->allow,
		.n_allow = c->n_allow,
		.overrides = c->overrides,
		.n_overrides = c->n_overrides,
	};

	return exporter_set_policy(co->xt, &p);
}

static struct rotate *
collect_rotator(const struct cconf *c)
{
	struct rotate_opts ro = {
	    .dir = c->dir,
	    .interval = c->interval,
	    .nest = c->nest,
	    .export_time = c->export_time,
	    .post_cmd = c->post_rotate,
	    .late_grace = c->late_grace,
	    .ff =
		{
		    .codec = c->codec,
		    .zstd_level = c->zstd_level,
		    .nest = c->nest,
		    .creator = "flowtally-collector",
		},
	};

	return rotate_new(&ro);
}

struct collect *
collect_new(const struct cconf *c, struct listener *l)
{
	struct collect *co;
	struct nf_limits lim = {
		.max_templates = c->max_templates,
		.max_held_bytes = c->max_held_bytes,
		.max_exporters = FLOWFILE_MAX_EXPORTERS,
	};

	if ((co = calloc(1, sizeof(*co))) == NULL)
		return NULL;
	co->c = c;
	co->l = l;
	co->wake_fd = -1;
	co->started_ms = tm_now_ms();
	if ((co->ring = ring_new(c->queue_size)) == NULL ||
	    (co->nf = nf_session_new(&lim)) == NULL ||
	    (co->xt = exporter_table_new(FLOWFILE_MAX_EXPORTERS)) == NULL ||
	    (co->rot = collect_rotator(c)) == NULL ||
	    collect_policy(co, c) == -1 ||
	    (co->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) == -1) {
		collect_free(co);
		return NULL;
	}
	if (nf_session_load(co->nf, c->templates_file) == 0)
		log_info("templates loaded from %s", c->templates_file);
	else if (errno != ENOENT)
		log_warn("templates: %s (starting without)", c->templates_file);
	return co;
}

void
collect_free(struct collect *co)
{
	if (co == NULL)
		return;
	if (co->l != NULL)
		listener_stop(co->l);
	cctl_free(co->ctl);
	rotate_free(co->rot);
	exporter_table_free(co->xt);
	nf_session_free(co->nf);
	ring_free(co->ring);
	if (co->wake_fd != -1)
		close(co->wake_fd);
	free(co);
}

int
collect_start(struct collect *co)
{
	return listener_start(co->l, co->ring, co->wake_fd, &co->want_wake);
}

static void
collect_flush(struct collect *co)
{
	uint64_t mono = tm_mono_ms();

	if (co->nbatch == 0)
		return;
	if (rotate_write(co->rot, co->batch_bin, co->batch, co->nbatch, mono) ==
	    -1) {
		if (co->write_errors == co->write_errors_logged)
			log_warn("writing flows in %s", co->c->dir);
		co->write_errors += co->nbatch;
	} else
		co->flows += co->nbatch;
	co->nbatch = 0;
}

static int
collect_emit(void *arg, const struct flow *f)
{
	struct collect *co = arg;
	struct flow *out;

	if (co->nbatch == COLLECT_BATCH)
		collect_flush(co);
	out = &co->batch[co->nbatch++];
	*out = *f;
	co->batch_bin = co->cur_bin;
	exporter_flow(co->cur, out);
	if (co->cur_late)
		co->late_flows++;
	return 0;
}

/* The export time in a datagram's header, ms UTC (0 if none). */
static uint64_t
collect_export_ms(const uint8_t *pkt, size_t len, uint16_t version)
{
	struct rbuf b;
	uint32_t secs = 0, nsecs = 0;

	rbuf_init(&b, pkt, len);
	if (version == 5 || version == 9) {
		if (rbuf_skip(&b, 8) == -1 || rbuf_u32(&b, &secs) == -1)
			return 0;
		if (version == 5 && rbuf_u32(&b, &nsecs) == -1)
			nsecs = 0;
	} else if (version == 10) {
		if (rbuf_skip(&b, 4) == -1 || rbuf_u32(&b, &secs) == -1)
			return 0;
	} else
		return 0;
	return (uint64_t)secs * 1000 + nsecs / 1000000;
}

static void
collect_datagram(struct collect *co, const struct ring_msg *m)
{
	struct nf_packet_info info;
	struct ft_addr a;
	uint16_t port, version;
	uint32_t domain;
	uint64_t export_ms;
	struct exporter *e;
	char name[ADDR_STRLEN];
	int err;

	addr_from_sockaddr(&m->from.sa, &a, &port);
	if (!exporter_allowed(co->xt, &a)) {
		exporter_deny(co->xt, &m->from.sa);
		return;
	}
	if (exporter_peek(m->data, m->len, &version, &domain) == -1) {
		exporter_runt(co->xt, &m->from.sa);
		return;
	}
	if ((e = exporter_get(
		 co->xt, &m->from.sa, version, domain, m->arrival_ms)) == NULL)
		return;
	if (e->total.packets == 0 && e->total.malformed == 0)
		log_info("new exporter %s version %u domain %" PRIu32,
		    addr_format_sockaddr(&m->from.sa, name, sizeof(name)),
		    version, domain);
	export_ms = collect_export_ms(m->data, m->len, version);
	co->cur_bin =
	    rotate_pick(co->rot, m->arrival_ms, export_ms, &co->cur_late);
	if (co->nbatch > 0 && co->batch_bin != co->cur_bin) {
		/* Batched flows belong to another interval: write them out
		 * (opening their file) and pick again against it. */
		collect_flush(co);
		co->cur_bin = rotate_pick(
		    co->rot, m->arrival_ms, export_ms, &co->cur_late);
	}
	if (rotate_must_publish(co->rot, co->cur_bin))
		(void)collect_publish(co, false);
	co->cur = e;
	memset(&info, 0, sizeof(info));
	err = nf_decode(co->nf, m->data, m->len, &m->from.sa, m->arrival_ms,
	    collect_emit, co, &info);
	if (info.version == 0)
		info.version = version;
	exporter_packet(e, err, &info, m->arrival_ms);
}

size_t
collect_drain(struct collect *co, size_t max)
{
	struct ring_msg m;
	size_t n = 0;

	while ((max == 0 || n < max) && ring_peek(co->ring, &m)) {
		collect_datagram(co, &m);
		ring_release(co->ring);
		n++;
	}
	collect_flush(co);
	return n;
}

static void
collect_log_exporter(
    const struct flowfile_exporter *x, const struct exporter_table *xt)
{
	char a[ADDR_STRLEN];

	(void)xt;
	if (x->packets == 0 && x->malformed == 0)
		return;
	log_info("exporter %s port %u v%u domain %" PRIu32 ": packets %" PRIu64
		 " flows %" PRIu64 " lost %" PRIu64 " malformed %" PRIu64
		 " resets %" PRIu64 " sampling %" PRIu32 "%s skew %" PRId64
		 "ms",
	    addr_format(&x->addr, a, sizeof(a)), x->port, x->version, x->domain,
	    x->packets, x->flows, x->lost_flows, x->malformed,
	    x->sequence_resets, x->sampling,
	    (x->flags & FLOWFILE_EXP_SAMPLING_UNKNOWN)        ? " (unknown)"
		: (x->flags & FLOWFILE_EXP_SAMPLING_OVERRIDE) ? " (config)"
							      : "",
	    x->clock_skew_ms);
}

static void
collect_log_global(struct collect *co)
{
	struct listener_stats ls;
	struct exporter_global g;
	uint64_t kd = 0, rd = ring_drops(co->ring);
	size_t i;

	for (i = 0; i < listener_count(co->l); i++) {
		listener_stats(co->l, i, &ls);
		kd += ls.kernel_drops;
	}
	exporter_global(co->xt, &g);
	if (kd != co->last_kernel_drops || rd != co->last_ring_drops ||
	    g.denied != co->last_denied)
		log_warnx("receive losses this interval: kernel %" PRIu64
			  " queue %" PRIu64 " denied %" PRIu64,
		    kd - co->last_kernel_drops, rd - co->last_ring_drops,
		    g.denied - co->last_denied);
	co->last_kernel_drops = kd;
	co->last_ring_drops = rd;
	co->last_denied = g.denied;
	if (co->write_errors != co->write_errors_logged) {
		log_warnx("%" PRIu64 " flows lost to write errors",
		    co->write_errors - co->write_errors_logged);
		co->write_errors_logged = co->write_errors;
	}
}

static void
collect_expire(struct collect *co)
{
	struct expire_opts eo = {
		.dir = co->c->dir,
		.max_bytes = co->c->expire_max_bytes,
		.max_age = co->c->expire_max_age,
		.dry_run = co->c->expire_dry_run,
	};
	struct expire_result res;

	if (eo.max_bytes == 0 && eo.max_age == 0)
		return;
	if (expire_run(&eo, tm_now_ms() / 1000, &res) == -1)
		log_warn("expire: %s", eo.dir);
}

/*
 * Publish the oldest open file (all of them, oldest first, with all), each
 * with the exporter counters since the last publish, then log, save
 * templates, expire and write stats.
 */
static int
collect_publish(struct collect *co, bool all)
{
	char path[4096];
	size_t n, i;
	int rc = 0, pub;

	collect_flush(co);
	do {
		if (!rotate_is_open(co->rot, NULL) &&
		    !rotate_grace_open(co->rot, NULL))
			break;
		n = exporter_snapshot(
		    co->xt, co->snap, FLOWFILE_MAX_EXPORTERS, true);
		pub = rotate_publish(co->rot, co->snap, n, path, sizeof(path));
		if (pub == -1) {
			log_warn("publishing the flow file in %s", co->c->dir);
			rc = -1;
		} else if (pub == 1) {
			co->files++;
			log_debug("published %s", path);
			memcpy(co->last_published, path, sizeof(path));
		}
		for (i = 0; i < n; i++)
			collect_log_exporter(&co->snap[i], co->xt);
	} while (all && pub != 0);
	collect_log_global(co);
	if (nf_session_save(co->nf, co->c->templates_file) == -1) {
		if (!co->save_warned)
			log_warn(
			    "saving templates to %s", co->c->templates_file);
		co->save_warned = true;
	} else
		co->save_warned = false;
	collect_expire(co);
	(void)collect_write_stats(co);
	return rc;
}

int
collect_rotate(struct collect *co)
{
	return collect_publish(co, true);
}

/* The stats snapshot of now; path receives the open file's final name. */
static void
collect_view(struct collect *co, struct stats_view *v, char *path, size_t len)
{
	uint64_t start = 0;

	memset(v, 0, sizeof(*v));
	v->listener = co->l;
	v->ring = co->ring;
	v->exporters = co->xt;
	v->now_ms = tm_now_ms();
	v->started_ms = co->started_ms;
	v->interval = co->c->interval;
	v->files = co->files;
	if (rotate_is_open(co->rot, &start)) {
		v->open_start = start;
		v->open_records = rotate_records(co->rot);
		if (flowfile_final_path(
			co->c->dir, start, co->c->nest, path, len) == 0)
			v->open_path = path;
	}
	(void)rotate_grace_open(co->rot, &v->grace_start);
	if (!rotate_grace_open(co->rot, NULL))
		v->grace_start = 0;
	v->flows = co->flows;
	v->late_flows = co->late_flows;
	v->write_errors = co->write_errors;
}

int
collect_write_stats(struct collect *co)
{
	struct stats_view v;
	char path[4096];

	collect_view(co, &v, path, sizeof(path));
	if (stats_write(&v, co->c->stats_file) == -1) {
		log_warn("stats file %s", co->c->stats_file);
		return -1;
	}
	return 0;
}

int
collect_set_control(struct collect *co, int fd, const char *path)
{
	if ((co->ctl = cctl_new(fd, path, collect_command, co)) == NULL)
		return -1;
	return 0;
}

int
collect_command(void *arg, const char *cmd, FILE *out)
{
	struct collect *co = arg;
	struct stats_view v;
	char path[4096];
	uint64_t files;

	if (strcmp(cmd, "stats") == 0 || strcmp(cmd, "stats json") == 0) {
		collect_flush(co);
		collect_view(co, &v, path, sizeof(path));
		if (strcmp(cmd, "stats") == 0)
			return stats_print(&v, out);
		return stats_print_json(&v, out);
	}
	if (strcmp(cmd, "rotate") == 0) {
		files = co->files;
		(void)collect_drain(co, 0);
		if (collect_rotate(co) == -1)
			fprintf(
			    out, "error: publishing failed (see the log)\n");
		else if (co->files != files)
			fprintf(out, "published %s\n", co->last_published);
		else
			fprintf(out, "nothing to publish\n");
		return 0;
	}
	if (strcmp(cmd, "help") == 0) {
		fprintf(out,
		    "stats       counters of the collector, its sockets and "
		    "every exporter\n"
		    "stats json  the same as one JSON object\n"
		    "rotate      publish the open file now\n"
		    "help        this list\n");
		return 0;
	}
	fprintf(out, "error: unknown command \"%.64s\" (try help)\n", cmd);
	return -1;
}

/* Serve the control socket when it is ready or at least every 20 ms. */
static void
collect_control(struct collect *co, bool ready)
{
	uint64_t mono;

	if (co->ctl == NULL)
		return;
	mono = tm_mono_ms();
	if (!ready && mono < co->ctl_next_mono)
		return;
	co->ctl_next_mono = mono + 20;
	cctl_service(co->ctl, mono);
}

int
collect_reconfigure(struct collect *co, const struct cconf *c)
{
	if (collect_policy(co, c) == -1 ||
	    rotate_set_post_cmd(co->rot, c->post_rotate) == -1)
		return -1;
	co->c = c;
	return 0;
}

/* Milliseconds until the next interval boundary, at most 1000. */
static int
collect_timeout(const struct collect *co)
{
	uint64_t now = tm_now_ms(), iv = co->c->interval * 1000;
	uint64_t left = iv - now % iv;

	return left > 1000 ? 1000 : (int)left + 1;
}

int
collect_run(struct collect *co, const sigset_t *sigmask,
    collect_reload_fn *reload_fn, void *arg)
{
	struct pollfd pfd[1 + CCTL_MAX_CLIENTS + 1];
	struct timespec ts;
	uint64_t now, v;
	const struct cconf *nc;
	bool ctl_ready = false;
	size_t npfd, i;
	int to;

	(void)collect_write_stats(co);
	while (!daemon_quit) {
		(void)collect_drain(co, 65536);
		now = tm_now_ms();
		if (rotate_grace_due(co->rot, tm_mono_ms())) {
			/* Lagging exporters had their time: publish the
			 * previous interval (what is queued goes in first). */
			(void)collect_drain(co, 0);
			(void)collect_publish(co, false);
		}
		if (rotate_due(co->rot, now, tm_mono_ms())) {
			(void)collect_drain(co, 0);
			(void)collect_rotate(co);
		}
		if (!co->c->export_time && !rotate_is_open(co->rot, NULL) &&
		    rotate_open(co->rot, rotate_bin(now, co->c->interval),
			tm_mono_ms()) == -1)
			log_warn("opening a flow file in %s", co->c->dir);
		rotate_reap(co->rot);
		if (daemon_reload) {
			daemon_reload = 0;
			log_info("SIGHUP: reloading and rotating");
			nc = reload_fn != NULL ? reload_fn(arg) : NULL;
			if (nc != NULL && collect_reconfigure(co, nc) == -1)
				log_warn("reload");
			(void)collect_drain(co, 0);
			(void)collect_rotate(co);
		}
		if (daemon_usr1) {
			daemon_usr1 = 0;
			(void)collect_write_stats(co);
		}
		collect_control(co, ctl_ready);
		ctl_ready = false;
		if (daemon_quit)
			break;
		/*
		 * Sleep a tick rather than being woken per datagram: the
		 * receive thread wakes us early only when the ring is an
		 * eighth full, so at steady rates we wake a few times a
		 * second and drain thousands of datagrams each time. Every
		 * sleep costs tens of microseconds in a VM; the ring holds
		 * far more than a tick of traffic.
		 */
		atomic_store(&co->want_wake, 1);
		if (ring_used(co->ring) >= ring_size(co->ring) / 8)
			continue;
		to = collect_timeout(co);
		if (to > COLLECT_TICK_MS)
			to = COLLECT_TICK_MS;
		ts.tv_sec = to / 1000;
		ts.tv_nsec = (long)(to % 1000) * 1000000;
		pfd[0].fd = co->wake_fd;
		pfd[0].events = POLLIN;
		pfd[0].revents = 0;
		npfd = 1;
		if (co->ctl != NULL)
			npfd += cctl_pollfds(
			    co->ctl, pfd + 1, sizeof(pfd) / sizeof(pfd[0]) - 1);
		if (ppoll(pfd, npfd, &ts, sigmask) > 0) {
			if (pfd[0].revents & POLLIN)
				(void)!read(co->wake_fd, &v, sizeof(v));
			for (i = 1; i < npfd; i++)
				if (pfd[i].revents != 0)
					ctl_ready = true;
		}
		atomic_store(&co->want_wake, 0);
	}
	log_info("shutting down: publishing the open file");
	listener_stop(co->l);
	(void)collect_drain(co, 0);
	return collect_rotate(co);
}
