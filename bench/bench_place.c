/*
 * bench_place.c - the cost of placing a new article (copy check + story)
 * in a store that already holds many placed articles (stories_speed.sh).
 *
 *   bench_place DB NEW.jsonl
 *
 * Opens DB, times loading the index and rebuilding the placer from the
 * store, then places every article of NEW.jsonl as a new one (new id,
 * published after the newest stored article, one minute apart), twice:
 * - "assign": the analysis, then sl_placer_place alone (copy check and
 *   story choice), each timed;
 * - "add": sl_engine_add in one batch (analysis, store, placement), timed
 *   per article, then rolled back, so the database is left as it was.
 * Prints one JSON object.
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

/* The new articles, renamed and dated after the store's newest. */
static sl_article **load(const char *path, int64_t after, size_t *n_out)
{
	sl_reader *r;
	sl_article *a, **v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	if (sl_reader_open(&r, path) < 0) {
		fprintf(stderr, "bench_place: %s\n", sl_error_last());
		exit(3);
	}
	while ((rc = sl_reader_next(r, &a)) != 0) {
		char buf[64];

		if (rc < 0)
			continue;
		snprintf(buf, sizeof(buf), "bench-place-%zu", n);
		free(a->id);
		a->id = sl_strdup(buf);
		snprintf(buf, sizeof(buf), "https://bench.example/place/%zu",
			 n);
		free(a->url);
		a->url = sl_strdup(buf);
		a->published = after + 60 * (int64_t)(n + 1);
		sl_grow(&v, &cap, n + 1, sizeof(*v));
		v[n++] = a;
	}
	sl_reader_free(r);
	*n_out = n;
	return v;
}

int main(int argc, char **argv)
{
	sl_engine *e;
	sl_stats st;
	sl_article **arts;
	size_t n;
	double t0, *ms_an, *ms_place, *ms_add;
	json_t *out = json_object();
	char *text;

	if (argc != 3) {
		fprintf(stderr, "usage: bench_place DB NEW.jsonl\n");
		return 2;
	}
	if (sl_engine_open(&e, argv[1], 0) < 0 || sl_engine_stats(e, &st) < 0) {
		fprintf(stderr, "bench_place: %s\n", sl_error_last());
		return 3;
	}
	json_object_set_new(out, "articles", json_integer(st.articles));
	t0 = now();
	if (sl_engine_index_ready(e) < 0) {
		fprintf(stderr, "bench_place: %s\n", sl_error_last());
		return 3;
	}
	json_object_set_new(out, "index_ready_s", json_real(now() - t0));
	t0 = now();
	if (sl_engine_stories_ready(e) < 0) {
		fprintf(stderr, "bench_place: %s\n", sl_error_last());
		return 3;
	}
	json_object_set_new(out, "placer_ready_s", json_real(now() - t0));
	arts = load(argv[2],
		    st.last_published == SL_TIME_NONE ? (int64_t)time(NULL)
						      : st.last_published,
		    &n);
	sl_stats_clear(&st);
	ms_an = sl_calloc(n + 1, sizeof(double));
	ms_place = sl_calloc(n + 1, sizeof(double));
	ms_add = sl_calloc(n + 1, sizeof(double));

	/* Assignment alone, on the engine's placer (discarded after). */
	sl_df_source df = sl_engine_df(e);
	for (size_t i = 0; i < n; i++) {
		const sl_article *a = arts[i];
		const sl_analysis *an;
		sl_placement pl;
		double t1;

		t0 = now();
		an = sl_analyze(e->analyzer, a->title,
				a->title ? strlen(a->title) : 0, a->body_text,
				a->body_text ? strlen(a->body_text) : 0,
				a->lang);
		t1 = now();
		sl_placer_place(e->placer, a->id, a->published,
				&(sl_doc_text){an, a->title, a->body_text,
					       a->outlet, a->byline, 0},
				&df, &pl);
		sl_vec_clear(&pl.vec);
		ms_an[i] = (t1 - t0) * 1e3;
		ms_place[i] = (now() - t1) * 1e3;
	}
	json_object_set_new(out, "analysis", latency(ms_an, n));
	json_object_set_new(out, "assign", latency(ms_place, n));

	/* The whole add, in one batch, rolled back. */
	sl_placer_free(e->placer);
	e->placer = NULL;
	if (sl_engine_stories_ready(e) < 0 || sl_engine_begin(e) < 0) {
		fprintf(stderr, "bench_place: %s\n", sl_error_last());
		return 3;
	}
	for (size_t i = 0; i < n; i++) {
		t0 = now();
		if (sl_engine_add(e, arts[i], NULL) < 0) {
			fprintf(stderr, "bench_place: %s\n", sl_error_last());
			return 3;
		}
		ms_add[i] = (now() - t0) * 1e3;
	}
	sl_engine_rollback(e);
	json_object_set_new(out, "add", latency(ms_add, n));
	for (size_t i = 0; i < n; i++)
		sl_article_free(arts[i]);
	free(arts);
	free(ms_an);
	free(ms_place);
	free(ms_add);
	e->index_changes = 0; /* nothing to snapshot: the batch rolled back */
	text = json_dumps(out, JSON_COMPACT);
	puts(text);
	free(text);
	json_decref(out);
	sl_engine_free(e);
	return 0;
}
