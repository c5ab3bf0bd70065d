/*
 * bench_rail.c - the latency of a Recommended Stories rail in a large
 * store (related.sh, or by hand at 1M articles).
 *
 *   bench_rail DB [N]
 *
 * Opens DB read-only, times the index start-up, then builds the rail
 * (20 items, defaults) for N articles (default 1000) spread evenly over
 * the store, each timed, in one engine, as a server would. Prints one
 * JSON object: {"articles","index_ready_s","rails","p50_ms","p99_ms",
 * "max_ms","mean_ms","mean_items"}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_common.h"
#include "engine_int.h"
#include "storyline.h"
#include "util/mem.h"

static int first_id(const sl_article *a, void *ctx)
{
	*(char **)ctx = sl_strdup(a->id);
	return 1; /* one is enough */
}

int main(int argc, char **argv)
{
	sl_engine *e;
	sl_stats st;
	size_t n = argc > 2 ? (size_t)atol(argv[2]) : 1000, done = 0;
	double t0, *ms, sum = 0, items = 0;

	if (argc < 2 || n == 0) {
		fprintf(stderr, "usage: bench_rail DB [N]\n");
		return 2;
	}
	if (sl_engine_open(&e, argv[1], SL_OPEN_READONLY) < 0 ||
	    sl_engine_stats(e, &st) < 0) {
		fprintf(stderr, "bench_rail: %s\n", sl_error_last());
		return 3;
	}
	t0 = now();
	if (sl_engine_index_ready(e) < 0) {
		fprintf(stderr, "bench_rail: %s\n", sl_error_last());
		return 3;
	}
	printf("{\"articles\":%lld,\"index_ready_s\":%.3f",
	       (long long)st.articles, now() - t0);
	ms = sl_calloc(n, sizeof(double));
	for (size_t i = 0; i < n; i++) {
		int64_t after = (int64_t)((double)st.max_seq * i / n);
		char *id = NULL;
		sl_related *r;

		sl_engine_foreach(e, after, first_id, &id);
		if (!id)
			continue;
		t0 = now();
		if (sl_engine_related(e, id, NULL, &r) < 0) {
			fprintf(stderr, "bench_rail: %s\n", sl_error_last());
			return 3;
		}
		ms[done] = (now() - t0) * 1e3;
		sum += ms[done++];
		items += (double)r->n_items;
		sl_related_free(r);
		free(id);
	}
	qsort(ms, done, sizeof(double), cmp_double);
	printf(",\"rails\":%zu,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,"
	       "\"mean_ms\":%.3f,\"mean_items\":%.2f}\n",
	       done, done ? ms[done / 2] : 0, done ? ms[done * 99 / 100] : 0,
	       done ? ms[done - 1] : 0, done ? sum / done : 0,
	       done ? items / done : 0);
	sl_stats_clear(&st);
	free(ms);
	sl_engine_free(e);
	return 0;
}
