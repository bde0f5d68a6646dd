/*
 * Replay pacing for -r: holds each packet back until its capture time,
 * scaled by a speed factor, has come on the monotonic clock, so several
 * sensors replaying captures of the same period stay in step (a collector
 * binning by export time then sees their exports in time order).
 */
#ifndef FT_SENSOR_PACE_H
#define FT_SENSOR_PACE_H

#include <stdint.h>

struct pace {
	uint32_t speed;    /* x capture time; 0 = no pacing */
	uint64_t first_ms; /* capture time of the first packet */
	uint64_t start_ns; /* monotonic time it was replayed */
};

/* Start pacing at speed (0 disables it). */
void pace_init(struct pace *p, uint32_t speed);
/*
 * Sleep until the packet stamped ts_ms is due. Packets whose time goes
 * backwards are not held. Returns at once when pacing is off.
 */
void pace_wait(struct pace *p, uint64_t ts_ms);

#endif
