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
 * "max_ms","mean_ms","mean_items","close_items","close_same_topic",
 * "subject_items","subject_same_topic"}.
 *
 * The generated corpus (bench/gen_corpus.py) labels every article with
 * its topic (kept in the article's extra fields): after each timed rail,
 * its items are checked against the article's topic, close items and
 * items on the same subject apart. An item of another topic is one that
 * only chance put there: a million random texts hold many that share a
 * few words with any article.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_common.h"
#include "engine_int.h"
#include "storyline.h"
#include "util/mem.h"

/* The "topic" of an article's extra fields, or NULL; caller frees. */
static char *topic_of(sl_engine *e, const char *id)
{
	sl_article *a;
	json_t *x, *t;
	char *topic = NULL;

	if (sl_engine_get(e, id, &a) < 0)
		return NULL;
	if (a->extra && (x = json_loads(a->extra, 0, NULL))) {
		if (json_is_string(t = json_object_get(x, "topic")))
			topic = sl_strdup(json_string_value(t));
		json_decref(x);
	}
	sl_article_free(a);
	return topic;
}

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
	size_t judged[2] = {0, 0}, same[2] = {0, 0}; /* close, subject */

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
		char *topic = topic_of(e, id);

		for (size_t k = 0; topic && k < r->n_items; k++) {
			char *t = topic_of(e, r->items[k].id);
			int tier = r->items[k].same_subject != 0;

			judged[tier] += t != NULL;
			same[tier] += t && !strcmp(t, topic);
			free(t);
		}
		free(topic);
		sl_related_free(r);
		free(id);
	}
	qsort(ms, done, sizeof(double), cmp_double);
	printf(",\"rails\":%zu,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,"
	       "\"mean_ms\":%.3f,\"mean_items\":%.2f,\"close_items\":%zu,"
	       "\"close_same_topic\":%zu,\"subject_items\":%zu,"
	       "\"subject_same_topic\":%zu}\n",
	       done, done ? ms[done / 2] : 0, done ? ms[done * 99 / 100] : 0,
	       done ? ms[done - 1] : 0, done ? sum / done : 0,
	       done ? items / done : 0, judged[0], same[0], judged[1], same[1]);
	sl_stats_clear(&st);
	free(ms);
	sl_engine_free(e);
	return 0;
}
