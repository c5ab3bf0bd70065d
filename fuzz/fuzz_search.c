/*
 * fuzz_search.c - a search as a reader runs it, on arbitrary bytes: the
 * query text through the parser, the analysis, the index, phrase checks
 * and the snippets, against the small store of fuzz_store.h (a real
 * SQLite file in a temporary folder, removed at exit).
 *
 * Input: byte 0 sets the page (limit (b & 7) + 1, by time when b & 8,
 * offset (b >> 4) & 3), byte 1 the filters (a date range, an outlet, a
 * language, each from a short list); the rest is the query.
 *
 * Checked (abort when broken): a refusal says why; the hits are at most
 * the page, each a stored article once, best (or newest) first; an
 * exact total covers a page that has hits; every snippet is valid UTF-8
 * whose only markup is <b>...</b> around matches and whose other text is
 * escaped; the JSON form parses with as many results; the same search
 * again gives the same hits.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_store.h"
#include "storyline.h"
#include "util/utf8.h"

static const char *const outlets[] = {NULL, "Island Post",
				      "Millford Times", "Nobody"};
static const char *const langs[] = {NULL, "en", "de", "fr"};

/* Only <b> and </b>, alternating, and entities; no other < > or ". */
static int snippet_ok(const char *s)
{
	int open = 0;

	if (!sl_utf8_valid(s, strlen(s)))
		return 0;
	while (*s) {
		if (*s == '<') {
			if (!strncmp(s, "<b>", 3) && !open) {
				open = 1;
				s += 3;
			} else if (!strncmp(s, "</b>", 4) && open) {
				open = 0;
				s += 4;
			} else {
				return 0;
			}
			continue;
		}
		if (*s == '>' || *s == '"')
			return 0;
		if (*s == '&') {
			size_t n = strspn(s + 1, "abcdefghijklmnopqrstuvwxyz"
						 "0123456789#");

			if (n == 0 || s[1 + n] != ';')
				return 0;
			s += n + 2;
			continue;
		}
		s++;
	}
	return !open;
}

/* One of the stored articles: f1 .. f8. */
static int known(const char *id)
{
	size_t n = sizeof(articles) / sizeof(*articles);

	return id[0] == 'f' && id[1] >= '1' && (size_t)(id[1] - '0') <= n &&
	       !id[2];
}

static void check(const sl_search_result *r, const sl_search_opts *o,
		  const char *query)
{
	json_t *parsed;
	char *json;

	if (r->n_hits > o->limit)
		abort();
	if (r->total_exact && r->n_hits && r->total < o->offset + r->n_hits)
		abort(); /* a page past the end is empty, not wrong */
	for (size_t i = 0; i < r->n_hits; i++) {
		const sl_search_hit *h = &r->hits[i];

		if (!h->id || !known(h->id) || !h->snippet ||
		    !snippet_ok(h->snippet))
			abort();
		for (size_t j = 0; j < i; j++)
			if (!strcmp(r->hits[j].id, h->id))
				abort(); /* twice */
		if (i && !o->by_time && h->score > r->hits[i - 1].score)
			abort();
		if (i && o->by_time &&
		    h->published > r->hits[i - 1].published)
			abort();
	}
	for (size_t i = 0; i < r->n_hits && !o->all_copies; i++)
		for (size_t j = 0; j < r->n_hits; j++)
			if (!strcmp(r->hits[i].id, "f1") &&
			    !strcmp(r->hits[j].id, "f8"))
				abort(); /* one text twice (f8 copies f1) */
	json = sl_search_result_to_json(r, query);
	parsed = json ? json_loads(json, 0, NULL) : NULL;
	if (!parsed ||
	    json_array_size(json_object_get(parsed, "results")) != r->n_hits)
		abort();
	json_decref(parsed);
	free(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sl_engine *e = store();
	sl_search_opts o;
	sl_search_result *r = NULL, *again = NULL;
	char *query;
	int rc;

	if (size < 2)
		return 0;
	sl_search_opts_init(&o);
	o.limit = (size_t)(data[0] & 7) + 1;
	o.by_time = (data[0] & 8) != 0;
	o.offset = (size_t)(data[0] >> 4 & 3);
	if (data[1] & 1)
		sl_time_parse(&o.since, "2026-03-02T00:00:00Z");
	if (data[1] & 2)
		sl_time_parse(&o.until, "2026-03-02T23:59:59Z");
	o.outlet = outlets[data[1] >> 2 & 3];
	o.lang = langs[data[1] >> 4 & 3];
	o.all_copies = data[1] >> 6 & 1;
	query = malloc(size - 1);
	memcpy(query, data + 2, size - 2);
	query[size - 2] = '\0';

	rc = sl_engine_search(e, query, &o, &r);
	if (rc < 0) {
		if (r || !sl_error_last()[0])
			abort(); /* refused without saying why */
		free(query);
		return 0;
	}
	check(r, &o, query);
	if (sl_engine_search(e, query, &o, &again) < 0 ||
	    again->n_hits != r->n_hits || again->total != r->total)
		abort();
	for (size_t i = 0; i < r->n_hits; i++)
		if (strcmp(again->hits[i].id, r->hits[i].id) ||
		    again->hits[i].score != r->hits[i].score ||
		    strcmp(again->hits[i].snippet, r->hits[i].snippet))
			abort();
	sl_search_result_free(again);
	sl_search_result_free(r);
	free(query);
	return 0;
}
