/*
 * Flow export: a queue of expired flows, packed into datagrams by the
 * NetFlow encoder and sent over connected UDP sockets to each collector.
 */
#include "sensor/export.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/nfencode.h"

#define EXPORT_QUEUE 64
#define EXPORT_BUF   9000

struct export
{
	struct nf_encoder *enc;
	struct nf_encoder_opts eo;
	int fds[EXPORT_MAX_COLLECTORS];
	char names[EXPORT_MAX_COLLECTORS][96];
	int nfds;
	int version;
	size_t mtu;
	struct flow q[EXPORT_QUEUE];
	size_t nq;
	uint64_t q_since; /* when the oldest queued flow was queued */
	uint64_t last_err_log;
	int warned_v6;
	struct export_stats st;
	uint8_t buf[EXPORT_BUF];
};

int
export_split_hostport(
    const char *s, char *host, size_t hostlen, char *port, size_t portlen)
{
	const char *colon, *hs, *he;

	if (*s == '[') {
		hs = s + 1;
		if ((he = strchr(hs, ']')) == NULL || he[1] != ':')
			return -1;
		colon = he + 1;
	} else {
		hs = s;
		if ((colon = strrchr(s, ':')) == NULL)
			return -1;
		he = colon;
		if (memchr(s, ':', (size_t)(colon - s)) != NULL)
			return -1; /* bare IPv6 needs brackets */
	}
	if (he == hs || (size_t)(he - hs) >= hostlen || colon[1] == '\0' ||
	    strlen(colon + 1) >= portlen)
		return -1;
	memcpy(host, hs, (size_t)(he - hs));
	host[he - hs] = '\0';
	strcpy(port, colon + 1);
	return 0;
}

/* Bind fd to the numeric address source (any port): 0 or -1. */
static int
export_bind(int fd, int family, const char *source)
{
	struct addrinfo hints, *res = NULL;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
	if (getaddrinfo(source, "0", &hints, &res) != 0) {
		errno = EADDRNOTAVAIL;
		return -1;
	}
	rc = bind(fd, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return rc;
}

static int
export_connect(
    struct export *x, const char *spec, const char *source, struct errbuf *eb)
{
	struct addrinfo hints, *res = NULL, *ai;
	char host[256], port[16];
	int fd = -1, rc;

	if (x->nfds == EXPORT_MAX_COLLECTORS) {
		errbuf_set(eb, "too many collectors (at most %d)",
		    EXPORT_MAX_COLLECTORS);
		return -1;
	}
	if (export_split_hostport(
		spec, host, sizeof(host), port, sizeof(port)) == -1) {
		errbuf_set(eb, "collector \"%s\": expected HOST:PORT", spec);
		return -1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		errbuf_set(eb, "collector \"%s\": %s", spec, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = socket(
			 ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
			continue;
		if ((source == NULL ||
			export_bind(fd, ai->ai_family, source) == 0) &&
		    connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	if (fd == -1)
		errbuf_set(eb, "collector \"%s\"%s%s: %s", spec,
		    source ? " from " : "", source ? source : "",
		    strerror(errno));
	freeaddrinfo(res);
	if (fd == -1)
		return -1;
	x->fds[x->nfds] = fd;
	snprintf(x->names[x->nfds], sizeof(x->names[0]), "%s", spec);
	x->nfds++;
	return 0;
}

struct export *
export_new(const struct export_opts *o, struct errbuf *eb)
{
	struct nf_encoder_opts *eo;
	struct export *x;
	char *list = NULL, *tok, *save;

	if ((x = calloc(1, sizeof(*x))) == NULL) {
		errbuf_set(eb, "out of memory");
		return NULL;
	}
	x->version = o->version;
	x->mtu = o->mtu ? o->mtu : 1400;
	if (x->mtu > EXPORT_BUF)
		x->mtu = EXPORT_BUF;
	eo = &x->eo;
	eo->version = o->version;
	eo->domain = o->domain;
	eo->sampling = o->sampling;
	eo->template_every = 20;
	eo->template_secs = o->template_secs ? o->template_secs : 60;
	if (o->version != 5 && o->version != 9 && o->version != 10) {
		errbuf_set(
		    eb, "export version %d: expected 5, 9 or 10", o->version);
		goto fail;
	}
	if (o->boot_ms != 0 && export_set_boot(x, o->boot_ms) == -1) {
		errbuf_set(
		    eb, "export version %d: %s", o->version, strerror(errno));
		goto fail;
	}
	if (o->collectors == NULL || (list = strdup(o->collectors)) == NULL) {
		errbuf_set(eb, "no collector given");
		goto fail;
	}
	for (tok = strtok_r(list, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save))
		if (export_connect(x, tok, o->source, eb) == -1)
			goto fail;
	if (x->nfds == 0) {
		errbuf_set(eb, "no collector given");
		goto fail;
	}
	free(list);
	return x;
fail:
	free(list);
	export_free(x);
	return NULL;
}

int
export_set_boot(struct export *x, uint64_t boot_ms)
{
	if (x->enc != NULL)
		return 0;
	x->eo.boot_ms = boot_ms;
	if ((x->enc = nf_encoder_new(&x->eo)) == NULL)
		return -1;
	return 0;
}

void
export_free(struct export *x)
{
	int i;

	if (x == NULL)
		return;
	for (i = 0; i < x->nfds; i++)
		close(x->fds[i]);
	nf_encoder_free(x->enc);
	free(x);
}

static void
export_send(struct export *x, size_t len, uint64_t now_ms)
{
	int i;

	x->st.datagrams++;
	for (i = 0; i < x->nfds; i++) {
		if (send(x->fds[i], x->buf, len, 0) == (ssize_t)len)
			continue;
		x->st.send_errors++;
		if (now_ms >= x->last_err_log + 60000 || x->last_err_log == 0) {
			log_warn("send to collector %s", x->names[i]);
			x->last_err_log = now_ms;
		}
	}
}

/* Encode and send queued flows; all of them when all, else full batches. */
static void
export_drain(struct export *x, uint64_t now_ms, int all)
{
	size_t off = 0, used, skipped;
	ssize_t len;

	if (x->enc == NULL && x->nq > 0) {
		uint64_t boot = now_ms;
		size_t i;
		for (i = 0; i < x->nq; i++)
			if (x->q[i].first_ms < boot)
				boot = x->q[i].first_ms;
		if (export_set_boot(x, boot) == -1) {
			log_warn("netflow v%d encoder", x->version);
			return;
		}
	}
	while (off < x->nq) {
		used = skipped = 0;
		len = nf_encoder_pack(x->enc, x->q + off, x->nq - off, now_ms,
		    x->buf, x->mtu, &used, &skipped);
		if (len == -1) {
			x->st.encode_errors++;
			log_warn("netflow v%d encode", x->version);
			break;
		}
		if (len == 0 && used == 0)
			break;
		x->st.flows += used - skipped;
		x->st.skipped += skipped;
		if (skipped > 0 && !x->warned_v6) {
			log_warnx("NetFlow v5 cannot carry IPv6 flows: they "
				  "are counted, not exported (use -v 9 or 10)");
			x->warned_v6 = 1;
		}
		off += used;
		if (len > 0)
			export_send(x, (size_t)len, now_ms);
		if (used == 0)
			break;
		if (!all && x->nq - off < EXPORT_QUEUE / 2)
			break;
	}
	if (off > 0 && off < x->nq)
		memmove(x->q, x->q + off, (x->nq - off) * sizeof(x->q[0]));
	x->nq -= off < x->nq ? off : x->nq;
}

void
export_tick(struct export *x, uint64_t now_ms)
{
	if (x->nq > 0 && now_ms >= x->q_since + EXPORT_MAX_WAIT_MS)
		export_drain(x, now_ms, 1);
}

void
export_flow(struct export *x, const struct flow *f, uint64_t now_ms)
{
	if (x->nq == 0)
		x->q_since = now_ms;
	x->q[x->nq++] = *f;
	if (x->nq == EXPORT_QUEUE)
		export_drain(x, now_ms, 0);
	if (x->nq == EXPORT_QUEUE) { /* the encoder made no progress */
		x->st.encode_errors += x->nq;
		x->nq = 0;
	}
}

void
export_flush(struct export *x, uint64_t now_ms)
{
	export_drain(x, now_ms, 1);
	x->st.encode_errors += x->nq;
	x->nq = 0;
}

void
export_get_stats(const struct export *x, struct export_stats *st)
{
	*st = x->st;
}
