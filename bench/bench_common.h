/*
 * bench_common.h - what Storyline's own benchmark programs share
 * (bench_search.c, bench_place.c, bench_rail.c, bench_analysis.c): a
 * monotonic clock and latency percentiles.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <jansson.h>
#include <stdlib.h>
#include <time.h>

static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts ms[0..n-1] and sums them up: {"queries","p50_ms","p99_ms",
 * "max_ms","mean_ms"}, p50/p99 = sorted[n/2], sorted[floor(0.99 n)]. */
static inline json_t *latency(double *ms, size_t n)
{
	json_t *o = json_object();
	double sum = 0;

	qsort(ms, n, sizeof(double), cmp_double);
	for (size_t i = 0; i < n; i++)
		sum += ms[i];
	json_object_set_new(o, "queries", json_integer((json_int_t)n));
	json_object_set_new(o, "p50_ms", json_real(n ? ms[n / 2] : 0));
	json_object_set_new(o, "p99_ms",
			    json_real(n ? ms[(size_t)(n * 0.99)] : 0));
	json_object_set_new(o, "max_ms", json_real(n ? ms[n - 1] : 0));
	json_object_set_new(o, "mean_ms", json_real(n ? sum / n : 0));
	return o;
}

#endif
