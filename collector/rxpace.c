/*
 * The receive pause from a rate estimate: weighted bytes per second over
 * the interval between drains, rising at once and decaying slowly, turned
 * into the time that lets a budget of bytes in.
 */
#include "collector/rxpace.h"

void
rxpace_init(struct rxpace *p, uint64_t rcvbuf, uint64_t min_us, uint64_t max_us)
{
	p->min_us = min_us;
	p->max_us = max_us > min_us ? max_us : min_us;
	/* The kernel allows twice rcvbuf; an eighth of that per pause. */
	p->budget = rcvbuf * 2 / 8;
	p->rate = 0;
	p->last_us = 0;
}

uint64_t
rxpace_weight(uint64_t len)
{
	return 2 * len + 1024;
}

uint64_t
rxpace_next(struct rxpace *p, uint64_t weight, uint64_t now_us)
{
	uint64_t dt, inst, nap;

	if (p->last_us == 0 || now_us <= p->last_us) {
		/* No interval to judge by yet: the safe pause. */
		p->last_us = now_us;
		return p->min_us;
	}
	dt = now_us - p->last_us;
	p->last_us = now_us;
	/* Weighted bytes per second; weight is far below 2^44. */
	inst = weight >= (UINT64_MAX / 1000000) ? UINT64_MAX
						: weight * 1000000 / dt;
	p->rate -= p->rate / 4;
	if (inst > p->rate)
		p->rate = inst;
	if (p->rate == 0)
		return p->max_us;
	if (p->budget >= UINT64_MAX / 1000000)
		return p->max_us;
	nap = p->budget * 1000000 / p->rate;
	if (nap < p->min_us)
		nap = p->min_us;
	if (nap > p->max_us)
		nap = p->max_us;
	return nap;
}
