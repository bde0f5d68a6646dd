/*
 * Reverse DNS for the scoreboard without stalling the scanner: a resolver
 * thread works through a small queue while the scanner waits at most a
 * deadline; results (and failures) live in a fixed-size cache with a TTL.
 * The number of new lookups per interval is bounded.
 */
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scanner/board_int.h"

#define BOARD_RDNS_CACHE 4096

struct board_rdns_ent {
	struct ft_addr addr;
	int used;
	int found;
	time_t expires;
	char name[BOARD_NAMELEN];
};

struct board_rdns {
	pthread_mutex_t mu;
	pthread_cond_t work; /* queue not empty, or stopping */
	pthread_cond_t idle; /* queue empty and nothing in progress */
	pthread_t thread;
	int started;
	int stop;
	board_rdns_fn fn;
	void *arg;
	unsigned ttl;
	size_t max_lookups;
	size_t budget;
	struct ft_addr *queue; /* max_lookups */
	size_t qhead, qlen;
	int busy;
	struct ft_addr inflight;
	struct board_rdns_ent *cache; /* BOARD_RDNS_CACHE */
};

static int
board_rdns_system(const struct ft_addr *a, char *buf, size_t len, void *arg)
{
	struct sockaddr_storage ss;
	socklen_t sl;

	(void)arg;
	if ((sl = addr_to_sockaddr(a, 0, &ss)) == 0)
		return -1;
	if (getnameinfo((struct sockaddr *)&ss, sl, buf, (socklen_t)len, NULL,
		0, NI_NAMEREQD) != 0)
		return -1;
	return 0;
}

static time_t
board_rdns_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* The cache entry for a, or NULL. Called locked. */
static struct board_rdns_ent *
board_rdns_lookup(struct board_rdns *r, const struct ft_addr *a, time_t now)
{
	size_t i;

	for (i = 0; i < BOARD_RDNS_CACHE; i++)
		if (r->cache[i].used && ft_addr_equal(&r->cache[i].addr, a)) {
			if (r->cache[i].expires <= now) {
				r->cache[i].used = 0;
				return NULL;
			}
			return &r->cache[i];
		}
	return NULL;
}

/* Store a result, evicting the entry closest to expiry. Called locked. */
static void
board_rdns_store(
    struct board_rdns *r, const struct ft_addr *a, int found, const char *name)
{
	struct board_rdns_ent *e = NULL;
	time_t now = board_rdns_now();
	size_t i;

	for (i = 0; i < BOARD_RDNS_CACHE; i++) {
		struct board_rdns_ent *c = &r->cache[i];

		if (c->used && ft_addr_equal(&c->addr, a)) {
			e = c;
			break;
		}
		if (!c->used || c->expires <= now) {
			if (e == NULL || e->used)
				e = c;
		} else if (e == NULL || (e->used && c->expires < e->expires))
			e = c;
	}
	e->used = 1;
	e->addr = *a;
	e->found = found;
	e->expires = now + (time_t)r->ttl;
	e->name[0] = '\0';
	if (found) {
		strncpy(e->name, name, sizeof(e->name) - 1);
		e->name[sizeof(e->name) - 1] = '\0';
		board_buf_sanitize(e->name);
	}
}

static void *
board_rdns_main(void *arg)
{
	struct board_rdns *r = arg;
	char name[1025];
	board_rdns_fn fn;
	void *fnarg;
	int found;

	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (!r->stop && r->qlen == 0)
			pthread_cond_wait(&r->work, &r->mu);
		if (r->stop)
			break;
		r->inflight = r->queue[r->qhead];
		r->qhead = (r->qhead + 1) % r->max_lookups;
		r->qlen--;
		r->busy = 1;
		fn = r->fn;
		fnarg = r->arg;
		pthread_mutex_unlock(&r->mu);
		name[0] = '\0';
		found = fn(&r->inflight, name, sizeof(name), fnarg) == 0 &&
		    name[0] != '\0';
		name[sizeof(name) - 1] = '\0';
		pthread_mutex_lock(&r->mu);
		board_rdns_store(r, &r->inflight, found, name);
		r->busy = 0;
		if (r->qlen == 0)
			pthread_cond_broadcast(&r->idle);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

struct board_rdns *
board_rdns_new(unsigned ttl, size_t max_lookups)
{
	struct board_rdns *r;
	pthread_condattr_t ca;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->ttl = ttl;
	r->max_lookups = max_lookups ? max_lookups : 1;
	r->fn = board_rdns_system;
	r->queue = calloc(r->max_lookups, sizeof(*r->queue));
	r->cache = calloc(BOARD_RDNS_CACHE, sizeof(*r->cache));
	if (r->queue == NULL || r->cache == NULL) {
		free(r->queue);
		free(r->cache);
		free(r);
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_init(&r->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r->work, &ca);
	pthread_cond_init(&r->idle, &ca);
	pthread_condattr_destroy(&ca);
	if ((errno = pthread_create(&r->thread, NULL, board_rdns_main, r)) !=
	    0) {
		board_rdns_free(r);
		return NULL;
	}
	r->started = 1;
	return r;
}

void
board_rdns_free(struct board_rdns *r)
{
	if (r == NULL)
		return;
	if (r->started) {
		pthread_mutex_lock(&r->mu);
		r->stop = 1;
		pthread_cond_broadcast(&r->work);
		pthread_mutex_unlock(&r->mu);
		/*
		 * A lookup stuck in the system resolver would block the join;
		 * detach instead if one is in progress (the process is ending
		 * or reloading; the thread exits when the resolver returns).
		 */
		pthread_mutex_lock(&r->mu);
		if (r->busy) {
			pthread_mutex_unlock(&r->mu);
			pthread_detach(r->thread);
			return; /* r stays allocated for the thread */
		}
		pthread_mutex_unlock(&r->mu);
		pthread_join(r->thread, NULL);
	}
	pthread_cond_destroy(&r->work);
	pthread_cond_destroy(&r->idle);
	pthread_mutex_destroy(&r->mu);
	free(r->queue);
	free(r->cache);
	free(r);
}

void
board_rdns_set_fn(struct board_rdns *r, board_rdns_fn fn, void *arg)
{
	pthread_mutex_lock(&r->mu);
	r->fn = fn ? fn : board_rdns_system;
	r->arg = fn ? arg : NULL;
	pthread_mutex_unlock(&r->mu);
}

void
board_rdns_begin(struct board_rdns *r)
{
	pthread_mutex_lock(&r->mu);
	r->budget = r->max_lookups;
	pthread_mutex_unlock(&r->mu);
}

void
board_rdns_request(struct board_rdns *r, const struct ft_addr *a)
{
	size_t i;

	pthread_mutex_lock(&r->mu);
	if (board_rdns_lookup(r, a, board_rdns_now()) != NULL)
		goto out;
	if (r->busy && ft_addr_equal(&r->inflight, a))
		goto out;
	for (i = 0; i < r->qlen; i++)
		if (ft_addr_equal(
			&r->queue[(r->qhead + i) % r->max_lookups], a))
			goto out;
	if (r->budget == 0 || r->qlen == r->max_lookups)
		goto out;
	r->budget--;
	r->queue[(r->qhead + r->qlen) % r->max_lookups] = *a;
	r->qlen++;
	pthread_cond_signal(&r->work);
out:
	pthread_mutex_unlock(&r->mu);
}

void
board_rdns_wait(struct board_rdns *r, unsigned ms)
{
	struct timespec dl;

	clock_gettime(CLOCK_MONOTONIC, &dl);
	dl.tv_sec += ms / 1000;
	dl.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (dl.tv_nsec >= 1000000000L) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&r->mu);
	while (r->qlen > 0 || r->busy)
		if (pthread_cond_timedwait(&r->idle, &r->mu, &dl) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&r->mu);
}

int
board_rdns_get(
    struct board_rdns *r, const struct ft_addr *a, char *buf, size_t len)
{
	struct board_rdns_ent *e;
	int ret = 0;

	pthread_mutex_lock(&r->mu);
	e = board_rdns_lookup(r, a, board_rdns_now());
	if (e != NULL && e->found && len > 0) {
		strncpy(buf, e->name, len - 1);
		buf[len - 1] = '\0';
		ret = 1;
	}
	pthread_mutex_unlock(&r->mu);
	return ret;
}
