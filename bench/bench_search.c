/*
 * bench_search.c - Storyline's side of the search benchmark (search.sh).
 *
 *   bench_search DB CORPUS.jsonl QUERIES_USER QUERIES_MLT
 *
 * DB must already hold the corpus (search.sh ingests it). Times the index
 * build from the store, then every query, timing only what a peer's
 * top-10 call does: analysing the query and the index's top k, not
 * fetching articles or cutting snippets. Prints one JSON object:
 * The index is rebuilt from the store (any snapshot ignored), saved as a
 * snapshot, and loaded back, each timed.
 * {"articles","rebuild_seconds","build_seconds","index_bytes",
 *  "snapshot_bytes","save_seconds","load_seconds",
 *  "index_bytes_per_article","user":{"p50_ms","p99_ms","mean_ms"},
 *  "mlt":{...},"top10":{"user":[[id,...],...],"mlt":[...]}}
 * User queries are words (any of them); MLT lines are "word:weight ...".
 * Last, "writer": a reader thread runs user queries for 2 s alone, then
 * while the main thread indexes up to 20,000 stored articles again
 * (updates); max_reader_stall_ms is the slowest search while writing,
 * to read beside the slowest without the writer.
 * BENCH_SEARCH_REUSE=1 loads the snapshot there is instead of timing a
 * rebuild; BENCH_SEARCH_QUICK=1 also leaves out the save, the load and
 * the writer (for quick reruns of the queries); BENCH_SEARCH_TIMES=1 adds
 * every query's time, in file order ("ms").
 */
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench_common.h"
#include "engine_int.h"
#include "index.h"
#include "storyline.h"
#include "text.h"
#include "util/mem.h"

/*
 * Run every query of a file; mlt lines carry "word:weight". With
 * BENCH_SEARCH_PASSES=N the file is run N times over and each query
 * keeps its fastest time: on a shared machine, what the code costs
 * rather than what the neighbours did (for comparing two versions).
 */
static json_t *run(sl_engine *e, const char *path, int mlt, json_t *top10)
{
	FILE *fp = fopen(path, "r");
	char line[8192];
	double *ms = NULL;
	size_t n = 0, cap = 0, i = 0;
	int passes = getenv("BENCH_SEARCH_PASSES") ?
			     atoi(getenv("BENCH_SEARCH_PASSES")) :
			     1;
	sl_analyzer *an = sl_analyzer_new();

	if (!fp) {
		perror(path);
		exit(3);
	}
	for (;;) {
		if (!fgets(line, sizeof(line), fp)) {
			if (--passes < 1)
				break;
			rewind(fp);
			i = 0;
			continue;
		}
		sl_qterm terms[64];
		sl_index_query q = {0};
		sl_hit hits[10];
		size_t n_terms = 0, total, n_hits;
		int exact;
		char *save = NULL;
		double t0 = now(), took;
		json_t *ids;

		line[strcspn(line, "\n")] = '\0';
		for (char *w = strtok_r(line, " ", &save); w && n_terms < 64;
		     w = strtok_r(NULL, " ", &save)) {
			char *colon = mlt ? strrchr(w, ':') : NULL;
			float weight = colon ? strtof(colon + 1, NULL) : 1;
			const sl_analysis *res;

			if (colon)
				*colon = '\0';
			res = sl_analyze(an, NULL, 0, w, strlen(w), "en");
			for (size_t t = 0; t < res->n_terms && n_terms < 64;
			     t++)
				if (!res->terms[t].stop) {
					terms[n_terms].id = res->terms[t].id;
					terms[n_terms].weight = weight;
					terms[n_terms].flags = 0;
					n_terms++;
				}
		}
		q.terms = terms;
		q.n_terms = n_terms;
		q.since = q.until = SL_TIME_NONE;
		q.k = 10;
		/* Stop words only: the engine answers nothing without
		 * searching (sl_engine_search), and so does this. */
		n_hits = n_terms ? sl_index_search(e->index, &q, hits, &total,
						   &exact)
				 : 0;
		took = (now() - t0) * 1000;
		if (i < n) { /* a later pass */
			if (took < ms[i])
				ms[i] = took;
			i++;
			continue;
		}
		sl_grow(&ms, &cap, n + 1, sizeof(double));
		ms[n++] = took;
		i++;
		ids = json_array();
		for (size_t h = 0; h < n_hits; h++) {
			char *id = sl_index_doc_id(e->index, hits[h].doc);

			json_array_append_new(ids, json_string(id));
			free(id);
		}
		json_array_append_new(top10, ids);
	}
	fclose(fp);
	sl_analyzer_free(an);
	json_t *per_query = json_array();

	for (size_t j = 0; j < n; j++) /* in query order: latency() sorts */
		json_array_append_new(per_query, json_real(ms[j]));
	json_t *o = latency(ms, n);

	if (getenv("BENCH_SEARCH_TIMES"))
		json_object_set_new(o, "ms", per_query);
	else
		json_decref(per_query);

	free(ms);
	return o;
}

/* ------------------------------------------------------------------ */
/* Readers during writes                                               */

/* The reader cycles through the user queries, as a page would. */
#define PROBES 200
#define PROBE_TERMS 3

typedef struct stall {
	sl_index *ix;
	sl_qterm probes[PROBES][PROBE_TERMS];
	size_t n_probe_terms[PROBES], n_probes;
	int stop;
	double *ms;
	size_t searches, cap;
} stall;

static void *stall_reader(void *p)
{
	stall *st = p;
	sl_hit hits[10];

	while (!__atomic_load_n(&st->stop, __ATOMIC_ACQUIRE)) {
		size_t i = st->searches % st->n_probes;
		sl_index_query q = {0};
		size_t total;
		int exact;
		double t0 = now();

		q.terms = st->probes[i];
		q.n_terms = st->n_probe_terms[i];
		q.since = q.until = SL_TIME_NONE;
		q.k = 10;
		sl_index_search(st->ix, &q, hits, &total, &exact);
		sl_grow(&st->ms, &st->cap, st->searches + 1, sizeof(double));
		st->ms[st->searches++] = (now() - t0) * 1000;
	}
	return NULL;
}

typedef struct rewrite {
	sl_engine *e;
	size_t left;
	double max_add_ms; /* the longest single add, copies included */
} rewrite;

static int rewrite_one(const sl_article *a, void *ctx)
{
	rewrite *rw = ctx;

	if (!rw->left)
		return 1;
	double t0 = now(), ms;

	rw->left--;
	sl_engine_index_article(rw->e, a);
	ms = (now() - t0) * 1000;
	if (ms > rw->max_add_ms)
		rw->max_add_ms = ms;
	return 0;
}

/* Reader latencies for 2 s with no writer, or while the main thread
 * indexes 20,000 stored articles again. */
static json_t *reader_phase(stall *st, sl_engine *e, int write)
{
	pthread_t reader;
	rewrite rw = {e, 20000, 0};
	json_t *o = json_object();
	double t0 = now();

	st->searches = 0;
	st->stop = 0;
	pthread_create(&reader, NULL, stall_reader, st);
	if (write) {
		if (sl_engine_foreach(e, 0, rewrite_one, &rw) < 0)
			fprintf(stderr, "bench_search: writer: %s\n",
				sl_error_last());
		json_object_set_new(o, "articles_indexed",
				    json_integer((json_int_t)(20000 - rw.left)));
		json_object_set_new(o, "max_add_ms", json_real(rw.max_add_ms));
	} else {
		while (now() - t0 < 2.0)
			;
	}
	__atomic_store_n(&st->stop, 1, __ATOMIC_RELEASE);
	pthread_join(reader, NULL);
	json_object_set_new(o, "seconds", json_real(now() - t0));
	json_object_set_new(o, "reader", latency(st->ms, st->searches));
	json_object_set_new(o, "max_ms",
			    json_real(st->searches ? st->ms[st->searches - 1] :
						     0)); /* sorted by latency() */
	return o;
}

static json_t *writer_phase(sl_engine *e, const char *queries)
{
	sl_analyzer *an = sl_analyzer_new();
	stall *st = sl_calloc(1, sizeof(*st));
	FILE *fp = fopen(queries, "r");
	char line[1024];
	json_t *o = json_object(), *quiet, *busy;

	st->ix = e->index;
	while (fp && st->n_probes < PROBES && fgets(line, sizeof(line), fp)) {
		const sl_analysis *res = sl_analyze(an, NULL, 0, line,
						    strcspn(line, "\n"), "en");
		size_t n = 0;

		for (size_t t = 0; t < res->n_terms && n < PROBE_TERMS; t++)
			if (!res->terms[t].stop) {
				st->probes[st->n_probes][n].id =
					res->terms[t].id;
				st->probes[st->n_probes][n].weight = 1;
				n++;
			}
		if (n)
			st->n_probe_terms[st->n_probes++] = n;
	}
	if (fp)
		fclose(fp);
	if (st->n_probes) {
		quiet = reader_phase(st, e, 0);
		busy = reader_phase(st, e, 1);
		/* Conservative: the slowest search while writing, whatever
		 * part of it was the search's own work. */
		json_object_set_new(o, "max_reader_stall_ms",
			json_real(json_real_value(json_object_get(busy, "max_ms"))));
		json_object_set(o, "quiet", quiet);
		json_object_set(o, "while_writing", busy);
		json_decref(quiet);
		json_decref(busy);
	}
	free(st->ms);
	free(st);
	sl_analyzer_free(an);
	return o;
}

int main(int argc, char **argv)
{
	sl_engine *e;
	sl_index_stats st;
	json_t *out = json_object(), *top10 = json_object();
	json_t *user_top = json_array(), *mlt_top = json_array();
	double t0, build;
	char *text, snap[4096], snap_id[128];
	struct stat sb;
	sl_index *loaded = NULL;
	int64_t snap_seq;

	if (argc != 5) {
		fprintf(stderr, "usage: bench_search DB CORPUS.jsonl "
				"QUERIES_USER QUERIES_MLT\n");
		return 2;
	}
	if (sl_engine_open(&e, argv[1], SL_OPEN_READONLY) < 0) {
		fprintf(stderr, "bench_search: %s\n", sl_error_last());
		return 3;
	}
	snprintf(snap, sizeof(snap), "%s.index", argv[1]);
	/* Time a rebuild from the store, unless told to reuse a snapshot
	 * (BENCH_SEARCH_REUSE=1, for quick reruns of the queries). */
	if (!getenv("BENCH_SEARCH_REUSE"))
		unlink(snap);
	t0 = now();
	if (sl_engine_index_ready(e) < 0) {
		fprintf(stderr, "bench_search: %s\n", sl_error_last());
		return 3;
	}
	build = now() - t0;
	if (getenv("BENCH_SEARCH_QUICK"))
		goto queries;
	t0 = now();
	if (sl_engine_index_save(e) < 0) {
		fprintf(stderr, "bench_search: %s\n", sl_error_last());
		return 3;
	}
	json_object_set_new(out, "save_seconds", json_real(now() - t0));
	if (stat(snap, &sb) == 0)
		json_object_set_new(out, "snapshot_bytes",
				    json_integer((json_int_t)sb.st_size));
	t0 = now();
	sl_engine_snapshot_id(e, e->epoch, snap_id, sizeof(snap_id));
	if (sl_index_load(&loaded, snap, snap_id, &snap_seq) < 0) {
		fprintf(stderr, "bench_search: %s\n", sl_error_last());
		return 3;
	}
	json_object_set_new(out, "load_seconds", json_real(now() - t0));
	sl_index_free(loaded);
queries:
	sl_index_stats_get(e->index, &st);
	json_object_set_new(out, "articles", json_integer((json_int_t)st.docs));
	json_object_set_new(out, "rebuild_seconds", json_real(build));
	json_object_set_new(out, "build_seconds", json_real(build));
	json_object_set_new(out, "index_bytes", json_integer((json_int_t)st.bytes));
	json_object_set_new(out, "index_bytes_per_article",
			    json_real(st.docs ? (double)st.bytes / st.docs : 0));
	json_object_set_new(out, "postings",
			    json_integer((json_int_t)st.postings));
	json_object_set_new(out, "terms", json_integer((json_int_t)st.terms));
	json_object_set_new(out, "user", run(e, argv[3], 0, user_top));
	json_object_set_new(out, "mlt", run(e, argv[4], 1, mlt_top));
	json_object_set_new(top10, "user", user_top);
	json_object_set_new(top10, "mlt", mlt_top);
	json_object_set_new(out, "top10", top10);
	if (!getenv("BENCH_SEARCH_QUICK"))
		json_object_set_new(out, "writer",
				    writer_phase(e, argv[3]));
	e->index_changes = 0; /* the rewrite is not worth a snapshot */
	text = json_dumps(out, JSON_COMPACT);
	puts(text);
	free(text);
	json_decref(out);
	sl_engine_free(e);
	(void)argv[2];
	return 0;
}
