/*
 * A bounded single-producer single-consumer byte ring of datagrams: the
 * receive thread puts each datagram with its source and arrival time, the
 * decode/writer thread takes them in order. Putting never blocks and never
 * allocates; a full ring drops the datagram and counts it.
 */
#ifndef FT_COLLECTOR_RING_H
#define FT_COLLECTOR_RING_H

#include <sys/socket.h>

#include <netinet/in.h>

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* The source of a datagram, large enough for IPv4 and IPv6. */
union ring_sa {
	struct sockaddr sa;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
};

/* One datagram as the consumer sees it (borrowed until ring_release()). */
struct ring_msg {
	const uint8_t *data;
	size_t len;
	uint64_t arrival_ms;
	union ring_sa from;
};

struct ring;

/* A ring of size bytes (rounded up to a power of two), or NULL (errno). */
struct ring *ring_new(size_t size);
void ring_free(struct ring *r);

/*
 * Producer: copy a datagram in. Returns 0, or -1 when the ring is full
 * (the datagram is dropped and counted) or len is larger than a quarter of
 * the ring.
 */
int ring_put(struct ring *r, const void *data, size_t len,
    const struct sockaddr *from, socklen_t fromlen, uint64_t arrival_ms);

/*
 * Consumer: borrow the oldest datagram. Returns 1 with *m set, or 0 when
 * the ring is empty. The datagram stays valid until ring_release().
 */
int ring_peek(struct ring *r, struct ring_msg *m);
/* Consumer: free the datagram returned by the last ring_peek(). */
void ring_release(struct ring *r);

/* Datagrams dropped because the ring was full (any thread may read). */
uint64_t ring_drops(const struct ring *r);
/* Datagrams put (any thread may read). */
uint64_t ring_puts(const struct ring *r);
/* Bytes in use now and the highest seen (any thread may read). */
size_t ring_used(const struct ring *r);
size_t ring_high_water(const struct ring *r);
size_t ring_size(const struct ring *r);

#endif
