/*
 * The UDP receive side. One thread polls every socket and drains each with
 * recvmmsg() in batches, stamping arrival time once per batch and copying
 * each datagram into the ring. Nothing here blocks on anything but poll().
 */
#include "collector/listener.h"

#include <sys/eventfd.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collector/rxpace.h"
#include "lib/addr.h"
#include "lib/log.h"
#include "lib/tmutil.h"

#define LISTENER_BATCH  32
#define LISTENER_MAXDG  65536
#define LISTENER_NAP_US 5000 /* longest pause safe at any rate */
#define LISTENER_NAP_MAX_US                                                    \
	50000              /* longest pause at all, with a rate estimate */
#define LISTENER_ROUNDS 64 /* recvmmsg calls per socket per drain */

struct listener_sock {
	int fd;
	uint16_t port;
	int rcvbuf;
	char name[ADDR_STRLEN];
	_Atomic uint64_t packets;
	_Atomic uint64_t bytes;
	_Atomic uint64_t kernel_drops;
	_Atomic uint64_t truncated;
	_Atomic uint64_t ring_drops;
};

struct listener {
	struct listener_sock socks[LISTENER_MAX_SOCKETS];
	size_t n;
	int stop_fd; /* eventfd to stop the thread */
	pthread_t thread;
	int running;
	struct ring *ring;
	int wake_fd;
	_Atomic int *want_wake;
	uint8_t *bufs; /* LISTENER_BATCH buffers of LISTENER_MAXDG */
};

struct listener *
listener_new(void)
{
	struct listener *l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	l->stop_fd = -1;
	l->wake_fd = -1;
	return l;
}

void
listener_free(struct listener *l)
{
	size_t i;

	if (l == NULL)
		return;
	listener_stop(l);
	for (i = 0; i < l->n; i++)
		close(l->socks[i].fd);
	free(l->bufs);
	free(l);
}

static void
listener_set_rcvbuf(struct listener_sock *s, int rcvbuf)
{
	int got = 0;
	socklen_t sl = sizeof(got);

	if (rcvbuf > 0) {
		/* SO_RCVBUFFORCE passes rmem_max when we are root. */
		if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
			sizeof(rcvbuf)) == -1)
			(void)setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
			    sizeof(rcvbuf));
	}
	if (getsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &got, &sl) == -1)
		got = 0;
	/* Linux reports twice the size set (bookkeeping overhead). */
	s->rcvbuf = got / 2;
	if (rcvbuf > 0 && got / 2 < rcvbuf)
		log_warnx("%s: receive buffer capped by the kernel at %d bytes "
			  "(asked %d): raise net.core.rmem_max",
		    s->name, got / 2, rcvbuf);
}

static int
listener_bind_one(struct listener *l, const struct ft_addr *a, uint16_t port,
    int family, int rcvbuf, struct errbuf *eb)
{
	struct listener_sock *s;
	struct sockaddr_storage ss;
	socklen_t sl;
	int one = 1, fd;
	struct ft_addr any;

	if (l->n == LISTENER_MAX_SOCKETS) {
		errbuf_set(eb, "too many listening sockets (at most %d)",
		    LISTENER_MAX_SOCKETS);
		return -1;
	}
	memset(&any, 0, sizeof(any));
	if (a->family == FT_AF_NONE) {
		if (family == AF_INET)
			ft_addr_set_v4(&any, 0);
		else {
			uint8_t z[16] = { 0 };
			ft_addr_set_v6(&any, z);
		}
		a = &any;
	}
	sl = addr_to_sockaddr(a, port, &ss);
	s = &l->socks[l->n];
	memset(s, 0, sizeof(*s));
	addr_format_sockaddr((struct sockaddr *)&ss, s->name, sizeof(s->name));
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		errbuf_set(eb, "socket for %s: %s", s->name, strerror(errno));
		return -1;
	}
	if (ss.ss_family == AF_INET6)
		(void)setsockopt(
		    fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	(void)setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) == -1) {
		errbuf_set(eb, "bind %s: %s", s->name, strerror(errno));
		close(fd);
		return -1;
	}
	sl = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
		addr_format_sockaddr(
		    (struct sockaddr *)&ss, s->name, sizeof(s->name));
		s->port = ntohs(ss.ss_family == AF_INET
			? ((struct sockaddr_in *)&ss)->sin_port
			: ((struct sockaddr_in6 *)&ss)->sin6_port);
	}
	s->fd = fd;
	listener_set_rcvbuf(s, rcvbuf);
	l->n++;
	return 0;
}

int
listener_add(struct listener *l, const struct ft_addr *a, uint16_t port,
    int rcvbuf, struct errbuf *eb)
{
	struct errbuf eb6;

	if (a->family != FT_AF_NONE)
		return listener_bind_one(l, a, port, 0, rcvbuf, eb);
	if (listener_bind_one(l, a, port, AF_INET, rcvbuf, eb) == -1)
		return -1;
	/* With port 0 the IPv6 socket takes the port IPv4 got. */
	if (listener_bind_one(l, a, port ? port : l->socks[l->n - 1].port,
		AF_INET6, rcvbuf, &eb6) == -1)
		log_warnx("IPv6 listener not available: %s", eb6.msg);
	return 0;
}

size_t
listener_count(const struct listener *l)
{
	return l->n;
}

const char *
listener_name(const struct listener *l, size_t i)
{
	return l->socks[i].name;
}

uint16_t
listener_port(const struct listener *l, size_t i)
{
	return l->socks[i].port;
}

int
listener_rcvbuf(const struct listener *l, size_t i)
{
	return l->socks[i].rcvbuf;
}

void
listener_stats(const struct listener *l, size_t i, struct listener_stats *st)
{
	const struct listener_sock *s = &l->socks[i];

	st->packets = atomic_load(&s->packets);
	st->bytes = atomic_load(&s->bytes);
	st->kernel_drops = atomic_load(&s->kernel_drops);
	st->truncated = atomic_load(&s->truncated);
	st->ring_drops = atomic_load(&s->ring_drops);
}

/*
 * Drain one socket; returns the number of datagrams put and adds their
 * weight (rxpace_weight()) to *weight.
 */
static int
listener_drain(struct listener *l, struct listener_sock *s, uint64_t *weight)
{
	struct mmsghdr msgs[LISTENER_BATCH];
	struct iovec iov[LISTENER_BATCH];
	union ring_sa from[LISTENER_BATCH];
	union {
		char buf[CMSG_SPACE(sizeof(uint32_t))];
		struct cmsghdr align;
	} ctl[LISTENER_BATCH];
	struct cmsghdr *cm;
	uint64_t now, pk = 0, by = 0, tr = 0, rd = 0, wt = 0;
	uint32_t ovfl;
	int i, n, total = 0, rounds;

	for (rounds = 0; rounds < LISTENER_ROUNDS; rounds++) {
		memset(msgs, 0, sizeof(msgs));
		for (i = 0; i < LISTENER_BATCH; i++) {
			iov[i].iov_base = l->bufs + (size_t)i * LISTENER_MAXDG;
			iov[i].iov_len = LISTENER_MAXDG;
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
			msgs[i].msg_hdr.msg_name = &from[i];
			msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
			msgs[i].msg_hdr.msg_control = ctl[i].buf;
			msgs[i].msg_hdr.msg_controllen = sizeof(ctl[i].buf);
		}
		n = recvmmsg(s->fd, msgs, LISTENER_BATCH, MSG_DONTWAIT, NULL);
		if (n <= 0)
			break;
		now = tm_now_ms();
		for (i = 0; i < n; i++) {
			struct msghdr *h = &msgs[i].msg_hdr;

			for (cm = CMSG_FIRSTHDR(h); cm != NULL;
			     cm = CMSG_NXTHDR(h, cm)) {
				if (cm->cmsg_level == SOL_SOCKET &&
				    cm->cmsg_type == SO_RXQ_OVFL) {
					memcpy(
					    &ovfl, CMSG_DATA(cm), sizeof(ovfl));
					atomic_store(&s->kernel_drops, ovfl);
				}
			}
			pk++;
			by += msgs[i].msg_len;
			wt += rxpace_weight(msgs[i].msg_len);
			if (h->msg_flags & MSG_TRUNC) {
				tr++;
				continue;
			}
			if (ring_put(l->ring, iov[i].iov_base, msgs[i].msg_len,
				&from[i].sa, h->msg_namelen, now) == -1)
				rd++;
		}
		total += n;
		if (n < LISTENER_BATCH)
			break;
	}
	atomic_fetch_add(&s->packets, pk);
	atomic_fetch_add(&s->bytes, by);
	atomic_fetch_add(&s->truncated, tr);
	atomic_fetch_add(&s->ring_drops, rd);
	*weight += wt;
	return total;
}

/*
 * How long to pause after a drain that found datagrams, in microseconds:
 * the time the smallest receive buffer takes to fill at 1 GB/s (1 us per
 * KiB; the kernel allows twice the size in its own accounting), at most
 * LISTENER_NAP_US. Under steady traffic this trades one wake-up per
 * datagram for one per pause, each draining a batch; the kernel buffer
 * holds what arrives meanwhile. Sleeping and waking is what costs here
 * (tens of microseconds in a VM), not the system calls.
 */
static long
listener_nap_us(const struct listener *l)
{
	long us = LISTENER_NAP_US, b;
	size_t i;

	for (i = 0; i < l->n; i++) {
		b = l->socks[i].rcvbuf / 1024;
		if (b < us)
			us = b;
	}
	return us;
}

/* The smallest receive buffer of the sockets, bytes. */
static uint64_t
listener_min_rcvbuf(const struct listener *l)
{
	uint64_t m = UINT64_MAX;
	size_t i;

	for (i = 0; i < l->n; i++)
		if ((uint64_t)l->socks[i].rcvbuf < m)
			m = (uint64_t)l->socks[i].rcvbuf;
	return m == UINT64_MAX ? 0 : m;
}

static void *
listener_main(void *arg)
{
	struct listener *l = arg;
	struct pollfd pfd[LISTENER_MAX_SOCKETS + 1];
	struct timespec nap;
	struct rxpace pace;
	uint64_t one = 1, weight = 0, nap_us,
		 base_us = (uint64_t)listener_nap_us(l);
	size_t i;
	int got, n;
	bool full;

	/*
	 * Pauses beyond base_us (safe at 1 GB/s) only while the rate
	 * estimate allows, and at most ten times base_us: safe from any
	 * state up to 100 MB/s.
	 */
	rxpace_init(&pace, listener_min_rcvbuf(l), base_us,
	    10 * base_us < LISTENER_NAP_MAX_US ? 10 * base_us
					       : LISTENER_NAP_MAX_US);

	for (i = 0; i < l->n; i++) {
		pfd[i].fd = l->socks[i].fd;
		pfd[i].events = POLLIN;
	}
	pfd[l->n].fd = l->stop_fd;
	pfd[l->n].events = POLLIN;
	for (;;) {
		if (poll(pfd, l->n + 1, -1) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("listener poll");
			break;
		}
		if (pfd[l->n].revents) {
			/* Take what the kernel still holds before stopping. */
			for (i = 0; i < l->n; i++)
				(void)listener_drain(l, &l->socks[i], &weight);
			break;
		}
		got = 0;
		weight = 0;
		full = false;
		for (i = 0; i < l->n; i++) {
			if (pfd[i].revents & POLLIN) {
				n = listener_drain(l, &l->socks[i], &weight);
				got += n;
				full |= n == LISTENER_ROUNDS * LISTENER_BATCH;
			}
		}
		/* Wake the consumer only when it sleeps and the ring holds
		 * an eighth of its size: it wakes on its own timer anyway. */
		if (got > 0 && l->wake_fd != -1 && l->want_wake != NULL &&
		    atomic_load(l->want_wake) &&
		    ring_used(l->ring) >= ring_size(l->ring) / 8 &&
		    atomic_exchange(l->want_wake, 0))
			(void)!write(l->wake_fd, &one, sizeof(one));
		if (got == 0)
			continue;
		nap_us = rxpace_next(&pace, weight, tm_mono_ns() / 1000);
		/* No pause while a socket still had more than a drain. */
		if (!full && nap_us > 0) {
			nap.tv_sec = (time_t)(nap_us / 1000000);
			nap.tv_nsec = (long)(nap_us % 1000000) * 1000;
			(void)nanosleep(&nap, NULL);
		}
	}
	return NULL;
}

int
listener_start(
    struct listener *l, struct ring *ring, int wake_fd, _Atomic int *want_wake)
{
	sigset_t all, old;
	int rc;

	if (l->running)
		return 0;
	if (l->bufs == NULL &&
	    (l->bufs = malloc((size_t)LISTENER_BATCH * LISTENER_MAXDG)) == NULL)
		return -1;
	if ((l->stop_fd = eventfd(0, EFD_CLOEXEC)) == -1)
		return -1;
	l->ring = ring;
	l->wake_fd = wake_fd;
	l->want_wake = want_wake;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&l->thread, NULL, listener_main, l);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		close(l->stop_fd);
		l->stop_fd = -1;
		errno = rc;
		return -1;
	}
	l->running = 1;
	return 0;
}

void
listener_stop(struct listener *l)
{
	uint64_t one = 1;

	if (!l->running)
		return;
	(void)!write(l->stop_fd, &one, sizeof(one));
	pthread_join(l->thread, NULL);
	close(l->stop_fd);
	l->stop_fd = -1;
	l->running = 0;
}

int
listener_fd(const struct listener *l, size_t i)
{
	return l->socks[i].fd;
}
