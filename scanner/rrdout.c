/*
 * RRD files: naming, creation and update, either directly with librrd (in
 * a forked writer so that a SIGKILL of the scanner never leaves an RRD
 * half-updated) or through rrdcached with one BATCH per file.
 */
#include "scanner/rrdout.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rrd.h>

#include "lib/afile.h"
#include "lib/log.h"
#include "scanner/aggregate.h"

#define RRDOUT_NDEF     13
#define RRDOUT_VALS_MAX 200

/* DS and RRA definitions for step: fills defs, returns the count. */
static int
rrdout_defs(uint32_t step, char defs[RRDOUT_NDEF][64])
{
	static const char *ds[] = { "in_bytes", "out_bytes", "in_pkts",
		"out_pkts", "in_flows", "out_flows" };
	/* Resolution and span of each archive, in seconds (CUFlow's). */
	static const uint64_t res[] = { 0, 1800, 7200, 86400 };
	static const uint64_t span[] = { 50 * 3600, 300 * 3600, 50 * 86400,
		1827 * 86400 };
	int n = 0, i;

	for (i = 0; i < 6; i++)
		snprintf(defs[n++], 64, "DS:%s:ABSOLUTE:%" PRIu32 ":U:U", ds[i],
		    2 * step);
	for (i = 0; i < 4; i++) {
		uint64_t pdp = res[i] > step ? res[i] / step : 1;
		uint64_t rows = (span[i] + pdp * step - 1) / (pdp * step);

		snprintf(defs[n++], 64, "RRA:AVERAGE:0:%" PRIu64 ":%" PRIu64,
		    pdp, rows);
		if (i > 0)
			snprintf(defs[n++], 64,
			    "RRA:MAX:0:%" PRIu64 ":%" PRIu64, pdp, rows);
	}
	return n;
}

int
rrdout_init(struct rrdout *o, const char *dir, const char *daemon,
    uint32_t step, struct errbuf *eb)
{
	memset(o, 0, sizeof(*o));
	if (step < 10) {
		errbuf_set(eb, "interval %" PRIu32 " is too short", step);
		return -1;
	}
	o->step = step;
	o->fork_writer = 1;
	o->child_close_fd = -1;
	if ((o->dir = strdup(dir)) == NULL)
		goto oom;
	if (daemon != NULL && daemon[0] != '\0' &&
	    (o->daemon = strdup(daemon)) == NULL)
		goto oom;
	return 0;
oom:
	errbuf_set(eb, "out of memory");
	rrdout_clear(o);
	return -1;
}

void
rrdout_clear(struct rrdout *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		free(o->t[i].rel);
	free(o->t);
	free(o->dir);
	free(o->daemon);
	memset(o, 0, sizeof(*o));
}

struct rrdout_list {
	struct rrdout_target *t;
	size_t n, cap;
};

static int rrdout_add(struct rrdout_list *l, uint32_t row, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
rrdout_add(struct rrdout_list *l, uint32_t row, const char *fmt, ...)
{
	va_list ap;
	char name[PATH_MAX];

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct rrdout_target *t = realloc(l->t, cap * sizeof(*t));

		if (t == NULL)
			return -1;
		l->t = t;
		l->cap = cap;
	}
	if ((l->t[l->n].rel = strdup(name)) == NULL)
		return -1;
	l->t[l->n].row = row;
	l->t[l->n].last = 0;
	l->n++;
	return 0;
}

/* The per-scope set: dir is "" or "router/". */
static int
rrdout_scope(struct rrdout_list *l, const struct vocab *v,
    const struct cls_scope *s, const char *dir)
{
	size_t i;
	int r = 0;

	r |= rrdout_add(l, s->total, "%stotal.rrd", dir);
	r |= rrdout_add(l, s->internal, "%sinternal.rrd", dir);
	r |= rrdout_add(l, s->transit, "%stransit.rrd", dir);
	if (v->multicast)
		r |= rrdout_add(
		    l, s->multicast, "%sprotocol_multicast.rrd", dir);
	for (i = 0; i < v->n_protocols; i++)
		r |= rrdout_add(l, s->protocol + (uint32_t)i,
		    "%sprotocol_%s.rrd", dir, v->protocols[i].label);
	for (i = 0; i < v->n_services; i++) {
		r |= rrdout_add(l, s->svc_src + (uint32_t)i,
		    "%sservice_%s_src.rrd", dir, v->services[i].label);
		r |= rrdout_add(l, s->svc_dst + (uint32_t)i,
		    "%sservice_%s_dst.rrd", dir, v->services[i].label);
	}
	for (i = 0; i < v->n_tos; i++)
		r |= rrdout_add(l, s->tos + (uint32_t)i, "%stos_%s.rrd", dir,
		    v->tos[i].label);
	for (i = 0; i < v->n_as_groups; i++)
		r |= rrdout_add(l, s->as + (uint32_t)i, "%sas_%s.rrd", dir,
		    v->as_groups[i].label);
	return r ? -1 : 0;
}

static int
rrdout_cmp_rel(const void *a, const void *b)
{
	const struct rrdout_target *x = a, *y = b;

	return strcmp(x->rel, y->rel);
}

int
rrdout_set_targets(struct rrdout *o, const struct vocab *v, const struct cls *c,
    struct errbuf *eb)
{
	struct rrdout_list l = { NULL, 0, 0 };
	char dir[VOCAB_LABEL_MAX + 2];
	size_t i, j;
	int r = 0;

	r |= rrdout_scope(&l, v, &c->global, "");
	for (i = 0; i < v->n_routers; i++) {
		snprintf(dir, sizeof(dir), "%s/", v->routers[i].label);
		r |= rrdout_scope(&l, v, &c->router[i], dir);
	}
	for (i = 0; i < v->n_networks; i++) {
		const struct vocab_network *nw = &v->networks[i];

		r |= rrdout_add(
		    &l, c->network + (uint32_t)i, "network_%s.rrd", nw->label);
		for (j = 0; j < nw->n_services; j++) {
			uint32_t s = nw->services[j];
			uint32_t row = c->netsvc[i * v->n_services + s];

			r |= rrdout_add(&l, row, "network_%s_service_%s.rrd",
			    nw->label, v->services[s].label);
		}
	}
	for (i = 0; i < v->n_interfaces; i++) {
		const struct vocab_interface *in = &v->interfaces[i];

		r |= rrdout_add(
		    &l, c->iface + (uint32_t)i, "interface_%s.rrd", in->label);
		for (j = 0; j < in->n_as_groups; j++) {
			uint32_t g = in->as_groups[j];
			uint32_t row = c->ifas[i * v->n_as_groups + g];

			r |= rrdout_add(&l, row, "interface_%s_as_%s.rrd",
			    in->label, v->as_groups[g].label);
		}
	}
	if (r != 0) {
		errbuf_set(eb, "out of memory");
		goto fail;
	}
	/* A network x service pair listed twice gives one file. */
	qsort(l.t, l.n, sizeof(*l.t), rrdout_cmp_rel);
	for (i = 1, j = 1; l.n > 0 && i < l.n; i++) {
		if (strcmp(l.t[i].rel, l.t[j - 1].rel) == 0) {
			if (l.t[i].row != l.t[j - 1].row) {
				errbuf_set(eb,
				    "two objects would both write %s: rename one",
				    l.t[i].rel);
				j = l.n; /* free all below */
				goto fail;
			}
			free(l.t[i].rel);
			continue;
		}
		l.t[j++] = l.t[i];
	}
	for (i = 0; i < o->n; i++)
		free(o->t[i].rel);
	free(o->t);
	o->t = l.t;
	o->n = l.n > 0 ? j : 0;
	return 0;
fail:
	for (i = 0; i < l.n; i++)
		free(l.t[i].rel);
	free(l.t);
	return -1;
}

/* "E:v1:...:v6" of row r. */
static void
rrdout_values(char *buf, size_t len, uint64_t t, const uint64_t *row)
{
	snprintf(buf, len,
	    "%" PRIu64 ":%" PRIu64 ":%" PRIu64 ":%" PRIu64 ":%" PRIu64
	    ":%" PRIu64 ":%" PRIu64,
	    t, row[0], row[1], row[2], row[3], row[4], row[5]);
}

static void
rrdout_unknown(char *buf, size_t len, uint64_t t)
{
	snprintf(buf, len, "%" PRIu64 ":U:U:U:U:U:U", t);
}

/* mkdir -p of the directory holding path (best effort). */
static void
rrdout_mkdir_for(const char *path)
{
	char dir[PATH_MAX], *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) == NULL || slash == dir)
		return;
	*slash = '\0';
	if (afile_mkdirs(dir, 0755) == -1)
		log_warn("mkdir %s", dir);
}

/* Direct librrd: one target. Updates st; sets t->last on success. */
static void
rrdout_direct_one(struct rrdout *o, struct rrdout_target *t,
    const uint64_t *rows, uint64_t start, uint64_t end, struct rrdout_stats *st)
{
	char path[PATH_MAX], defs[RRDOUT_NDEF][64], v0[RRDOUT_VALS_MAX],
	    v1[RRDOUT_VALS_MAX];
	const char *argv[RRDOUT_NDEF], *upd[2];
	struct stat sb;
	int n, i, argc = 0;
	time_t last;

	snprintf(path, sizeof(path), "%s/%s", o->dir, t->rel);
	if (t->last == 0) {
		if (stat(path, &sb) == -1 && errno == ENOENT) {
			rrdout_mkdir_for(path);
			n = rrdout_defs(o->step, defs);
			for (i = 0; i < n; i++)
				argv[i] = defs[i];
			rrd_clear_error();
			if (rrd_create_r(
				path, o->step, (time_t)start, n, argv) != 0) {
				log_warnx("rrd %s: create: %s", path,
				    rrd_get_error());
				rrd_clear_error();
				st->errors++;
				return;
			}
			st->created++;
			t->last = start;
		} else {
			rrd_clear_error();
			if ((last = rrd_last_r(path)) == -1) {
				log_warnx("rrd %s: %s", path, rrd_get_error());
				rrd_clear_error();
				st->errors++;
				return;
			}
			t->last = (uint64_t)last;
		}
	}
	if (t->last >= end) {
		if (t->last == end)
			st->already++;
		else
			st->stale++;
		return;
	}
	if (t->last < start) {
		rrdout_unknown(v0, sizeof(v0), start);
		upd[argc++] = v0;
	}
	rrdout_values(v1, sizeof(v1), end, rows + (size_t)t->row * AGG_NCOUNT);
	upd[argc++] = v1;
	rrd_clear_error();
	if (rrd_update_r(path, NULL, argc, upd) != 0) {
		log_warnx("rrd %s: update: %s", path, rrd_get_error());
		rrd_clear_error();
		st->errors++;
		t->last = 0;
		return;
	}
	t->last = end;
	st->updated++;
}

/*
 * Direct mode. The writes run in a child: if the scanner is killed, the
 * child finishes the file's updates (the next scanner waits for it on the
 * state lock), so no RRD is left half-updated.
 */
static int
rrdout_write_direct(struct rrdout *o, const uint64_t *rows, uint64_t start,
    uint64_t end, struct rrdout_stats *st)
{
	int fds[2], status;
	pid_t pid;
	ssize_t r;
	size_t i;

	if (!o->fork_writer) {
		for (i = 0; i < o->n; i++)
			rrdout_direct_one(o, &o->t[i], rows, start, end, st);
		return 0;
	}
	if (pipe(fds) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		/* Keep only the writer lock: a new scanner may start as soon
		 * as ours is gone, and waits for this writer. */
		if (o->child_close_fd != -1)
			close(o->child_close_fd);
		signal(SIGTERM, SIG_IGN);
		signal(SIGINT, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		for (i = 0; i < o->n; i++)
			rrdout_direct_one(o, &o->t[i], rows, start, end, st);
		r = write(fds[1], st, sizeof(*st));
		_exit(r == (ssize_t)sizeof(*st) ? 0 : 1);
	}
	close(fds[1]);
	do
		r = read(fds[0], st, sizeof(*st));
	while (r == -1 && errno == EINTR);
	close(fds[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (r != (ssize_t)sizeof(*st) || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		log_warnx("rrd writer process failed");
		for (i = 0; i < o->n; i++)
			o->t[i].last = 0;
		errno = EIO;
		return -1;
	}
	/* Mirror what the child learnt. */
	for (i = 0; i < o->n; i++)
		o->t[i].last = st->errors == 0 ? end : 0;
	return 0;
}

/* Connect to rrdcached: a socket fd, or -1 with errno set. */
static int
rrdout_connect(const char *addr)
{
	struct addrinfo hints, *res, *ai;
	struct sockaddr_un sun;
	char host[256], *colon;
	const char *port = "42217";
	int fd = -1;

	if (strncmp(addr, "unix:", 5) == 0 || addr[0] == '/') {
		const char *p = addr[0] == '/' ? addr : addr + 5;

		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		if (strlen(p) >= sizeof(sun.sun_path)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		strcpy(sun.sun_path, p);
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
			return -1;
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
			close(fd);
			return -1;
		}
		return fd;
	}
	snprintf(host, sizeof(host), "%s", addr);
	if (host[0] == '[') {
		char *end = strchr(host, ']');

		if (end == NULL) {
			errno = EINVAL;
			return -1;
		}
		*end = '\0';
		if (end[1] == ':')
			port = end + 2;
		memmove(host, host + 1, strlen(host + 1) + 1);
	} else if ((colon = strrchr(host, ':')) != NULL &&
	    strchr(host, ':') == colon) {
		*colon = '\0';
		port = colon + 1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &res) != 0) {
		errno = EHOSTUNREACH;
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype, 0)) == -1)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

/* A growing output buffer for the batch. */
struct rrdout_buf {
	char *p;
	size_t len, cap;
};

static int
rrdout_puts(struct rrdout_buf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->cap + n + 1) * 2;
		char *p = realloc(b->p, cap);

		if (p == NULL)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	return 0;
}

/* Read one line (without the newline) into line: 0 or -1. */
static int
rrdout_getline(FILE *fp, char *line, size_t len)
{
	size_t n;

	if (fgets(line, (int)len, fp) == NULL)
		return -1;
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return 0;
}

/* What each batch command was, to interpret errors. */
#define RRDOUT_CMD_CREATE 0
#define RRDOUT_CMD_FILL   1
#define RRDOUT_CMD_UPDATE 2

struct rrdout_cmd {
	uint32_t target;
	uint8_t kind;
};

static int
rrdout_write_cached(struct rrdout *o, const uint64_t *rows, uint64_t start,
    uint64_t end, struct rrdout_stats *st)
{
	struct rrdout_buf b = { NULL, 0, 0 };
	struct rrdout_cmd *cmd = NULL;
	char line[PATH_MAX + 512], defs[RRDOUT_NDEF][64], vals[RRDOUT_VALS_MAX],
	    path[PATH_MAX];
	uint8_t *failed = NULL;
	size_t ncmd = 0, i, nerr;
	FILE *fp = NULL;
	int fd, n, k, ret = -1, local;

	if ((fd = rrdout_connect(o->daemon)) == -1) {
		log_warn("rrdcached %s", o->daemon);
		return -1;
	}
	local = strncmp(o->daemon, "unix:", 5) == 0 || o->daemon[0] == '/';
	if ((cmd = calloc(3 * o->n + 1, sizeof(*cmd))) == NULL ||
	    (failed = calloc(o->n + 1, 1)) == NULL)
		goto out;
	n = rrdout_defs(o->step, defs);
	if (rrdout_puts(&b, "BATCH\n") == -1)
		goto out;
	for (i = 0; i < o->n; i++) {
		struct rrdout_target *t = &o->t[i];

		if (t->last >= end && t->last != 0) {
			st->already++;
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", o->dir, t->rel);
		if (t->last == 0) {
			/* Unknown: create unless it exists (-O). */
			if (local)
				rrdout_mkdir_for(path);
			snprintf(line, sizeof(line),
			    "CREATE %s -s %" PRIu32 " -b %" PRIu64 " -O", path,
			    o->step, start);
			if (rrdout_puts(&b, line) == -1)
				goto out;
			for (k = 0; k < n; k++)
				if (rrdout_puts(&b, " ") == -1 ||
				    rrdout_puts(&b, defs[k]) == -1)
					goto out;
			if (rrdout_puts(&b, "\n") == -1)
				goto out;
			cmd[ncmd++] = (struct rrdout_cmd){ (uint32_t)i,
				RRDOUT_CMD_CREATE };
		}
		if (t->last < start) {
			/* Marks a gap unknown; refused when there is none. */
			rrdout_unknown(vals, sizeof(vals), start);
			snprintf(
			    line, sizeof(line), "UPDATE %s %s\n", path, vals);
			if (rrdout_puts(&b, line) == -1)
				goto out;
			cmd[ncmd++] =
			    (struct rrdout_cmd){ (uint32_t)i, RRDOUT_CMD_FILL };
		}
		rrdout_values(vals, sizeof(vals), end,
		    rows + (size_t)t->row * AGG_NCOUNT);
		snprintf(line, sizeof(line), "UPDATE %s %s\n", path, vals);
		if (rrdout_puts(&b, line) == -1)
			goto out;
		cmd[ncmd++] =
		    (struct rrdout_cmd){ (uint32_t)i, RRDOUT_CMD_UPDATE };
	}
	if (rrdout_puts(&b, ".\n") == -1)
		goto out;
	if ((fp = fdopen(fd, "r")) == NULL)
		goto out;
	if (afile_write_fd(fd, b.p, b.len) == -1) {
		log_warn("rrdcached %s: write", o->daemon);
		goto out;
	}
	/* "0 Go ahead..." then "N errors" and N lines "cmdno message". */
	if (rrdout_getline(fp, line, sizeof(line)) == -1 || atoi(line) != 0) {
		log_warnx("rrdcached %s: BATCH refused: %s", o->daemon, line);
		goto out;
	}
	if (rrdout_getline(fp, line, sizeof(line)) == -1) {
		log_warnx("rrdcached %s: no batch summary", o->daemon);
		goto out;
	}
	nerr = (size_t)strtoul(line, NULL, 10);
	for (i = 0; i < nerr; i++) {
		char *msg;
		size_t c;
		uint64_t when, last;

		if (rrdout_getline(fp, line, sizeof(line)) == -1)
			goto out;
		c = (size_t)strtoul(line, &msg, 10);
		if (c == 0 || c > ncmd)
			continue;
		c--;
		if (cmd[c].kind == RRDOUT_CMD_CREATE &&
		    strstr(msg, "exists") != NULL)
			continue;
		if (cmd[c].kind != RRDOUT_CMD_CREATE &&
		    sscanf(msg,
			" illegal attempt to update using time %" SCNu64
			".%*u when last update time is %" SCNu64,
			&when, &last) == 2) {
			if (cmd[c].kind == RRDOUT_CMD_FILL)
				continue;
			failed[cmd[c].target] = last == end ? 2 : 3;
			continue;
		}
		if (cmd[c].kind == RRDOUT_CMD_CREATE)
			continue; /* the update will tell */
		log_warnx("rrdcached %s:%s", o->t[cmd[c].target].rel, msg);
		failed[cmd[c].target] = 1;
	}
	for (i = 0; i < ncmd; i++) {
		uint32_t t = cmd[i].target;

		if (cmd[i].kind == RRDOUT_CMD_CREATE)
			st->created++; /* or found */
		if (cmd[i].kind != RRDOUT_CMD_UPDATE)
			continue;
		switch (failed[t]) {
		case 0:
			st->updated++;
			o->t[t].last = end;
			break;
		case 2:
			st->already++;
			o->t[t].last = end;
			break;
		case 3:
			st->stale++;
			o->t[t].last = 0;
			break;
		default:
			st->errors++;
			o->t[t].last = 0;
		}
	}
	ret = 0;
out:
	if (fp != NULL)
		fclose(fp);
	else
		close(fd);
	free(b.p);
	free(cmd);
	free(failed);
	return ret;
}

int
rrdout_write(struct rrdout *o, const uint64_t *rows, uint64_t start,
    uint64_t end, struct rrdout_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (o->daemon != NULL)
		return rrdout_write_cached(o, rows, start, end, st);
	return rrdout_write_direct(o, rows, start, end, st);
}
