/*
 * Replay pacing: the wall-clock schedule of a capture replayed at N times
 * its real speed, kept against the monotonic clock.
 */
#include "sensor/pace.h"

#include "lib/tmutil.h"

#include <errno.h>
#include <time.h>

void
pace_init(struct pace *p, uint32_t speed)
{
	p->speed = speed;
	p->first_ms = 0;
	p->start_ns = 0;
}

void
pace_wait(struct pace *p, uint64_t ts_ms)
{
	uint64_t due, now;
	struct timespec ts;

	if (p->speed == 0)
		return;
	if (p->start_ns == 0) {
		p->first_ms = ts_ms;
		p->start_ns = tm_mono_ns();
		return;
	}
	if (ts_ms <= p->first_ms)
		return;
	due = p->start_ns + (ts_ms - p->first_ms) * 1000000u / p->speed;
	now = tm_mono_ns();
	/* Sleeping for less than a millisecond costs more than it keeps. */
	if (due <= now + 1000000u)
		return;
	ts.tv_sec = (time_t)((due - now) / 1000000000u);
	ts.tv_nsec = (long)((due - now) % 1000000000u);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}
