/*
 * fuzz_snapshot.c - the index snapshot reader on arbitrary bytes, past
 * its checksum: the bytes are a snapshot file whose trailing checksum is
 * made to fit before sl_index_load reads it, so that what lies behind
 * the checksum (a snapshot written by a buggy build, or a file changed
 * on purpose) meets the reader's own checks. Whatever it accepts must
 * then be an index like any other.
 *
 * Input: a snapshot file (the store id it names is the one asked for).
 * Seeds: snapshots of the store of fuzz_store.h, written when
 * FUZZ_SNAPSHOT_SEED names a file (`FUZZ_SNAPSHOT_SEED=PATH
 * build/fuzz_snapshot /dev/null`).
 *
 * Checked (abort when broken): a refusal says why; an accepted index
 * answers, for every live document, its id (which finds it back), its
 * facts (a vector of unit length or none) and its story; searches with
 * the terms of its vectors (1-3 terms, then up to 25 weighted, best
 * first or newest first, with and without a time window) give at most k
 * hits, each a live document once, with finite scores in order; adding
 * a document, removing one and compacting keep that true; saved and
 * loaded again, it gives the same hits with the same scores.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "engine_int.h"
#include "fuzz_store.h"
#include "index.h"
#include "text.h"

#define MAGIC_LEN 8
#define VERSION_LEN 8
#define ID_LEN 64 /* the store id's room in a snapshot */
#define MAX_DOCS 256
#define K 10

/* The store's snapshot as a seed file, once, when asked. */
static void write_seed(void)
{
	static int done;
	const char *path = getenv("FUZZ_SNAPSHOT_SEED");
	sl_engine *e;
	char id[ID_LEN];

	if (done || !path)
		return;
	done = 1;
	e = store();
	if (sl_engine_index_ready(e) < 0)
		abort();
	snprintf(id, sizeof(id), "fuzz-store");
	if (sl_index_save(e->index, path, id) < 0)
		abort();
}

/* Terms of a document's vector as a query: from, at most n, weighted by
 * the vector or all 1. */
static size_t query_of(const sl_index_facts *f, size_t from, size_t n,
		       int weighted, sl_qterm *out)
{
	size_t m = 0;

	for (size_t i = from; i < f->n && m < n; i++)
		out[m++] = (sl_qterm){.id = f->t[i].id,
				      .weight = weighted ? f->t[i].w : 1};
	return m;
}

/* Hits are at most k live documents, each once, finite, in order. */
static void check_hits(sl_index *ix, const sl_index_query *q,
		       const sl_hit *h, size_t n)
{
	if (n > q->k)
		abort();
	for (size_t i = 0; i < n; i++) {
		char *id = sl_index_doc_id(ix, h[i].doc);
		uint32_t back;

		if (!id || sl_index_find(ix, id, &back) < 0 ||
		    back != h[i].doc || !isfinite(h[i].score) ||
		    h[i].score < 0)
			abort();
		free(id);
		for (size_t j = 0; j < i; j++)
			if (h[j].doc == h[i].doc)
				abort();
		if (!q->by_time && i && h[i].score > h[i - 1].score)
			abort();
	}
}

/* The searches made of one document's facts; hits into out (room for
 * 4 x K), counts into n[4]. */
static void searches(sl_index *ix, const sl_index_facts *f, sl_hit *out,
		     size_t *n)
{
	sl_qterm terms[25];
	size_t total;
	int exact;

	for (int v = 0; v < 4; v++) {
		sl_index_query q = {.since = SL_TIME_NONE,
				    .until = SL_TIME_NONE,
				    .k = K,
				    .terms = terms};

		q.n_terms = v < 2 ? query_of(f, v, 1 + f->doc % 3, 0, terms)
				  : query_of(f, 0, 25, 1, terms);
		q.by_time = v == 1;
		if (v == 3 && f->published != SL_TIME_NONE) {
			q.since = f->published - 7 * 86400;
			q.until = f->published + 7 * 86400;
		}
		n[v] = sl_index_search(ix, &q, out + v * K, &total, &exact);
		check_hits(ix, &q, out + v * K, n[v]);
	}
}

/*
 * Every live document answers for itself, and the searches made of its
 * terms keep their invariants. With other, the same searches there give
 * the same hits and scores (a saved and loaded copy).
 */
static void walk(sl_index *ix, sl_index *other)
{
	sl_index_facts *f = malloc(sizeof(*f));

	if (!f)
		abort();
	for (uint32_t d = 0; d < MAX_DOCS; d++) {
		char *id = sl_index_doc_id(ix, d);
		sl_index_story st;
		sl_hit a[4 * K], b[4 * K];
		size_t na[4], nb[4];
		uint32_t back;
		double len = 0;

		if (sl_index_facts_get(ix, d, f) < 0) {
			free(id);
			continue;
		}
		if (!id || sl_index_find(ix, id, &back) < 0 || back != d)
			abort();
		free(id);
		for (size_t i = 0; i < f->n; i++)
			len += (double)f->t[i].w * f->t[i].w;
		if (f->n > SL_VEC_TERMS || (len != 0 && fabs(len - 1) > 1e-3))
			abort();
		if (f->story && sl_index_story_get(ix, f->story, 1, &st) == 0 &&
		    (st.size < 1 || st.outlets < 0 || st.outlets > st.size))
			abort();
		searches(ix, f, a, na);
		if (!other)
			continue;
		searches(other, f, b, nb);
		for (int v = 0; v < 4; v++) {
			if (na[v] != nb[v])
				abort();
			for (size_t i = 0; i < na[v]; i++)
				if (a[v * K + i].doc != b[v * K + i].doc ||
				    a[v * K + i].score != b[v * K + i].score)
					abort();
		}
	}
	free(f);
}

/* Writes on the loaded index: a document added, the first one removed,
 * the room given back. */
static void write_to(sl_index *ix)
{
	static const char title[] = "Ferry strike ends in Port Avel";
	static const char body[] = "Dock workers voted to return on Friday "
				   "after the ferry company raised night "
				   "pay; sailings resume at dawn.";
	sl_analyzer *an = sl_analyzer_new();
	const sl_analysis *res = sl_analyze(an, title, strlen(title), body,
					    strlen(body), "en");
	sl_index_doc_info info = {.id = "fuzz-new",
				  .published = 1772600000,
				  .outlet = "Coast Herald",
				  .lang = "en",
				  .story = 1};
	char *first = NULL;

	sl_index_add(ix, &info, res);
	sl_analyzer_free(an);
	for (uint32_t d = 0; d < MAX_DOCS && !first; d++) {
		uint32_t back;

		first = sl_index_doc_id(ix, d);
		if (first &&
		    (sl_index_find(ix, first, &back) < 0 || back != d)) {
			free(first); /* retired: an older version */
			first = NULL;
		}
	}
	if (sl_index_remove(ix, first ? first : "fuzz-new") < 0)
		abort();
	free(first);
	sl_index_compact(ix);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[sizeof(dir) + 32], again[sizeof(dir) + 32], id[ID_LEN];
	uint8_t *bytes = malloc(size ? size : 1);
	sl_index *ix = NULL, *copy = NULL;
	int64_t seq;
	FILE *fp;

	write_seed();
	store(); /* the temporary folder */
	if (!bytes)
		abort();
	memcpy(bytes, data, size);
	if (size >= 8) { /* the checksum made to fit */
		uint64_t sum = XXH3_64bits(bytes, size - 8);

		memcpy(bytes + size - 8, &sum, 8);
	}
	id[0] = '\0';
	if (size >= MAGIC_LEN + VERSION_LEN + ID_LEN)
		snprintf(id, sizeof(id), "%.*s", ID_LEN - 1,
			 (const char *)bytes + MAGIC_LEN + VERSION_LEN);
	snprintf(path, sizeof(path), "%s/fuzz.index", dir);
	snprintf(again, sizeof(again), "%s/again.index", dir);
	if (!(fp = fopen(path, "wb")) || fwrite(bytes, 1, size, fp) != size ||
	    fclose(fp) != 0)
		abort();
	free(bytes);
	if (sl_index_load(&ix, path, id, &seq) < 0) {
		if (ix || !*sl_error_last())
			abort();
		unlink(path);
		return 0;
	}
	walk(ix, NULL);
	write_to(ix);
	walk(ix, NULL);
	if (sl_index_save(ix, again, id) < 0 ||
	    sl_index_load(&copy, again, id, &seq) < 0)
		abort();
	walk(ix, copy);
	sl_index_free(copy);
	sl_index_free(ix);
	unlink(path);
	unlink(again);
	return 0;
}
