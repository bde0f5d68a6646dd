/*
 * How long the receive thread may pause after a drain: long enough that
 * a slow stream wakes it a few dozen times a second instead of hundreds,
 * short enough that the socket buffer cannot fill meanwhile, judged from
 * the rate of the drains so far. Pure arithmetic, no clock or I/O.
 */
#ifndef FT_COLLECTOR_RXPACE_H
#define FT_COLLECTOR_RXPACE_H

#include <stdint.h>

struct rxpace {
	uint64_t min_us;  /* the pause that is safe at any rate */
	uint64_t max_us;  /* the longest pause */
	uint64_t budget;  /* weighted bytes one pause may let in */
	uint64_t rate;    /* estimate: weighted bytes per second */
	uint64_t last_us; /* when the previous drain ended, 0: none yet */
};

/*
 * Set up for a socket buffer of rcvbuf bytes (the smallest of the
 * sockets): a pause of min_us is what the caller considers safe at any
 * rate; pauses grow up to max_us (at least min_us) while the estimated
 * rate keeps a pause's arrivals under an eighth of the buffer as the
 * kernel counts it (twice rcvbuf), so even an eightfold rise within one
 * pause leaves the buffer half empty.
 */
void rxpace_init(
    struct rxpace *p, uint64_t rcvbuf, uint64_t min_us, uint64_t max_us);

/*
 * The weight of a datagram of len bytes: what the kernel charges the
 * socket buffer for it, overestimated (payload twice plus 1 KiB).
 */
uint64_t rxpace_weight(uint64_t len);

/*
 * A drain ending at now_us (any monotonic clock, microseconds) took
 * datagrams of total weight since the previous one ended: update the
 * estimate (a rise counts at once, a fall a quarter per drain) and return
 * the pause to take now, in microseconds, between min_us and max_us.
 */
uint64_t rxpace_next(struct rxpace *p, uint64_t weight, uint64_t now_us);

#endif
