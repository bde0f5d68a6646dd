/*
 * What every bench program needs around its timed loops: a clock read in
 * seconds and the median of a set of runs. Header-only, static inline.
 */
#ifndef FT_BENCHUTIL_H
#define FT_BENCHUTIL_H

#include <stdlib.h>
#include <time.h>

/* Clock id in seconds. */
static inline double
bench_clock(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wall-clock seconds (I/O, fsyncs, helper processes). */
static inline double
bench_wall(void)
{
	return bench_clock(CLOCK_MONOTONIC);
}

/*
 * CPU seconds of the process, or of the calling thread: the machines the
 * figures come from are shared, so wall time would measure the neighbours.
 */
static inline double
bench_cpu(void)
{
	return bench_clock(CLOCK_PROCESS_CPUTIME_ID);
}

static inline double
bench_thread_cpu(void)
{
	return bench_clock(CLOCK_THREAD_CPUTIME_ID);
}

static inline int
bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of v[0..n), n > 0 (sorts v; the mean of the middle two when
 * n is even). */
static inline double
bench_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif
