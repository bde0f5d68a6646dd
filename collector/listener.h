/*
 * UDP receiving: binds the configured IPv4/IPv6 sockets with a large
 * receive buffer, then a receive thread reads datagrams in batches
 * (recvmmsg) and only puts them into the ring: it never touches the disk.
 * Kernel drops are counted per socket from SO_RXQ_OVFL.
 */
#ifndef FT_COLLECTOR_LISTENER_H
#define FT_COLLECTOR_LISTENER_H

#include <stddef.h>
#include <stdint.h>

#include "collector/ring.h"
#include "lib/errbuf.h"
#include "lib/flow.h"

#define LISTENER_MAX_SOCKETS 16

/* Counters of one socket, readable from any thread. */
struct listener_stats {
	uint64_t packets;      /* datagrams received */
	uint64_t bytes;        /* their bytes */
	uint64_t kernel_drops; /* SO_RXQ_OVFL: dropped by the kernel */
	uint64_t truncated;    /* larger than the receive buffer */
	uint64_t ring_drops;   /* ring full */
};

struct listener;

struct listener *listener_new(void);
/* Stop the thread if running, close the sockets, free. NULL allowed. */
void listener_free(struct listener *l);

/*
 * Bind a UDP socket to a (FT_AF_NONE: every IPv4 and IPv6 address, as two
 * sockets) and port (0: an ephemeral port) with a receive buffer of rcvbuf
 * bytes; when the kernel grants less, a warning says so. Returns 0, or -1
 * with eb naming the address and the error.
 */
int listener_add(struct listener *l, const struct ft_addr *a, uint16_t port,
    int rcvbuf, struct errbuf *eb);
/* Number of bound sockets. */
size_t listener_count(const struct listener *l);
/* "addr:port" of socket i as bound (the real port when 0 was asked). */
const char *listener_name(const struct listener *l, size_t i);
uint16_t listener_port(const struct listener *l, size_t i);
/* The descriptor of socket i (for socket options such as joining a
 * multicast group before listener_start()). */
int listener_fd(const struct listener *l, size_t i);
/* The receive buffer the kernel granted socket i. */
int listener_rcvbuf(const struct listener *l, size_t i);
void listener_stats(
    const struct listener *l, size_t i, struct listener_stats *st);

/*
 * Start the receive thread putting into ring, signalling wake_fd (an
 * eventfd, -1 for none) once when the consumer asked for it through
 * *want_wake (cleared on signalling) and the ring holds at least an eighth
 * of its size: a consumer that sleeps must also wake on a timer. Signals
 * are blocked in the thread. 0 or -1 (errno).
 */
int listener_start(
    struct listener *l, struct ring *ring, int wake_fd, _Atomic int *want_wake);
/* Stop and join the receive thread (no-op if not running). */
void listener_stop(struct listener *l);

#endif
