/*
 * The datagram ring: one contiguous buffer of a power-of-two size with
 * monotonically increasing head (producer) and tail (consumer) byte counters.
 * Each entry is a header and the datagram, padded to 8 bytes; an entry that
 * does not fit before the end of the buffer is preceded by a wrap marker.
 */
#include "collector/ring.h"

#include <sys/mman.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RING_WRAP  UINT32_MAX
#define RING_ALIGN 8
#define RING_HUGE  ((size_t)2 << 20) /* x86-64 huge page */

struct ring_hdr {
	uint32_t len; /* datagram bytes, or RING_WRAP */
	uint32_t pad;
	uint64_t arrival_ms;
	union ring_sa from;
};

struct ring {
	uint8_t *buf;
	size_t size; /* power of two */
	size_t mask;
	_Alignas(64) _Atomic size_t head; /* written by the producer */
	size_t cached_tail;               /* producer's view of tail */
	_Atomic uint64_t drops;
	_Atomic uint64_t puts;
	_Atomic size_t high;
	_Alignas(64) _Atomic size_t tail; /* written by the consumer */
	size_t peeked;                    /* bytes of the peeked entry */
};

static size_t
ring_entry_size(size_t len)
{
	return (sizeof(struct ring_hdr) + len + RING_ALIGN - 1) &
	    ~(size_t)(RING_ALIGN - 1);
}

struct ring *
ring_new(size_t size)
{
	struct ring *r;
	size_t sz = 4096, lead;
	uint8_t *p;

	while (sz < size && sz < ((size_t)1 << 40))
		sz <<= 1;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	/* Over-map by a huge page and trim, so the ring is aligned to one. */
	p = mmap(NULL, sz + RING_HUGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		free(r);
		return NULL;
	}
	lead = (RING_HUGE - (uintptr_t)p % RING_HUGE) % RING_HUGE;
	if (lead > 0)
		(void)munmap(p, lead);
	(void)munmap(p + lead + sz, RING_HUGE - lead);
	r->buf = p + lead;
	/*
	 * Huge pages where the kernel has them: every datagram is copied
	 * into memory not touched since the ring last went round, and 4 KiB
	 * pages would cost a TLB miss per page on both threads. Then touch
	 * every page now: memory stays flat and no page faults on the
	 * receive path.
	 */
	(void)madvise(r->buf, sz, MADV_HUGEPAGE);
	memset(r->buf, 0, sz);
	r->size = sz;
	r->mask = sz - 1;
	atomic_init(&r->head, 0);
	atomic_init(&r->tail, 0);
	atomic_init(&r->drops, 0);
	atomic_init(&r->puts, 0);
	atomic_init(&r->high, 0);
	return r;
}

void
ring_free(struct ring *r)
{
	if (r == NULL)
		return;
	munmap(r->buf, r->size);
	free(r);
}

int
ring_put(struct ring *r, const void *data, size_t len,
    const struct sockaddr *from, socklen_t fromlen, uint64_t arrival_ms)
{
	size_t head, need, off, room_end, used;
	struct ring_hdr h;

	need = ring_entry_size(len);
	if (len > r->size / 4) {
		atomic_fetch_add_explicit(&r->drops, 1, memory_order_relaxed);
		return -1;
	}
	head = atomic_load_explicit(&r->head, memory_order_relaxed);
	off = head & r->mask;
	room_end = r->size - off;
	/* A wrap marker needs the rest of the buffer as well. */
	used = need + (room_end < need ? room_end : 0);
	if (head + used - r->cached_tail > r->size) {
		r->cached_tail =
		    atomic_load_explicit(&r->tail, memory_order_acquire);
		if (head + used - r->cached_tail > r->size) {
			atomic_fetch_add_explicit(
			    &r->drops, 1, memory_order_relaxed);
			return -1;
		}
	}
	if (room_end < need) {
		/* Headers are 8-aligned, so a marker always fits. */
		memset(&h, 0, sizeof(h));
		h.len = RING_WRAP;
		memcpy(r->buf + off, &h.len, sizeof(h.len));
		head += room_end;
		off = 0;
	}
	memset(&h, 0, sizeof(h));
	h.len = (uint32_t)len;
	h.arrival_ms = arrival_ms;
	if (fromlen > sizeof(h.from))
		fromlen = sizeof(h.from);
	memcpy(&h.from, from, fromlen);
	memcpy(r->buf + off, &h, sizeof(h));
	memcpy(r->buf + off + sizeof(h), data, len);
	head += need;
	atomic_store_explicit(&r->head, head, memory_order_release);
	atomic_fetch_add_explicit(&r->puts, 1, memory_order_relaxed);
	used = head - atomic_load_explicit(&r->tail, memory_order_relaxed);
	if (used > atomic_load_explicit(&r->high, memory_order_relaxed))
		atomic_store_explicit(&r->high, used, memory_order_relaxed);
	return 0;
}

int
ring_peek(struct ring *r, struct ring_msg *m)
{
	size_t tail, head, off;
	struct ring_hdr h;
	uint32_t len;

	tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	head = atomic_load_explicit(&r->head, memory_order_acquire);
	if (tail == head)
		return 0;
	off = tail & r->mask;
	memcpy(&len, r->buf + off, sizeof(len));
	if (len == RING_WRAP) {
		tail += r->size - off;
		atomic_store_explicit(&r->tail, tail, memory_order_release);
		if (tail == head)
			return 0;
		off = 0;
	}
	memcpy(&h, r->buf + off, sizeof(h));
	m->data = r->buf + off + sizeof(h);
	m->len = h.len;
	m->arrival_ms = h.arrival_ms;
	m->from = h.from;
	r->peeked = ring_entry_size(h.len);
	return 1;
}

void
ring_release(struct ring *r)
{
	size_t tail;

	if (r->peeked == 0)
		return;
	tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	atomic_store_explicit(&r->tail, tail + r->peeked, memory_order_release);
	r->peeked = 0;
}

uint64_t
ring_drops(const struct ring *r)
{
	return atomic_load_explicit(&r->drops, memory_order_relaxed);
}

uint64_t
ring_puts(const struct ring *r)
{
	return atomic_load_explicit(&r->puts, memory_order_relaxed);
}

size_t
ring_used(const struct ring *r)
{
	return atomic_load_explicit(&r->head, memory_order_relaxed) -
	    atomic_load_explicit(&r->tail, memory_order_relaxed);
}

size_t
ring_high_water(const struct ring *r)
{
	return atomic_load_explicit(&r->high, memory_order_relaxed);
}

size_t
ring_size(const struct ring *r)
{
	return r->size;
}
