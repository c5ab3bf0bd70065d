/*
 * search.c - a reader's query against the engine: the query language
 * turned into weighted terms with the shared analysis, phrases checked
 * against the text, and the hits dressed with their snippets.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "article.h"
#include "engine_int.h"
#include "error.h"
#include "query.h"
#include "util/mem.h"

#define DEFAULT_LIMIT 10
#define MAX_HITS 1000      /* offset + limit */
#define SNIPPET_CHARS 220  /* about two lines under a headline */
#define DEFAULT_QUERY_LANG "en"

void sl_search_opts_init(sl_search_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->limit = DEFAULT_LIMIT;
	opts->since = opts->until = SL_TIME_NONE;
}

/* A phrase as the sequence of its tokens' term ids. */
typedef struct phrase {
	uint64_t *ids;
	size_t n;
	int excluded;
} phrase;

typedef struct plan {
	sl_qterm *terms;
	size_t n_terms, cap_terms;
	phrase *phrases;
	size_t n_phrases, cap_phrases;
	uint64_t *highlight; /* term ids to mark in snippets */
	size_t n_highlight, cap_highlight;
} plan;

static void plan_free(plan *p)
{
	for (size_t i = 0; i < p->n_phrases; i++)
		free(p->phrases[i].ids);
	free(p->phrases);
	free(p->terms);
	free(p->highlight);
}

static void add_term(plan *p, uint64_t id, int flags)
{
	for (size_t i = 0; i < p->n_terms; i++)
		if (p->terms[i].id == id && p->terms[i].flags == flags) {
			p->terms[i].weight += 1; /* said twice: weighs more */
			return;
		}
	sl_grow(&p->terms, &p->cap_terms, p->n_terms + 1, sizeof(sl_qterm));
	p->terms[p->n_terms].id = id;
	p->terms[p->n_terms].weight = 1;
	p->terms[p->n_terms].flags = (uint8_t)flags;
	p->n_terms++;
	if (!(flags & SL_QT_EXCLUDED)) {
		sl_grow(&p->highlight, &p->cap_highlight, p->n_highlight + 1,
			sizeof(uint64_t));
		p->highlight[p->n_highlight++] = id;
	}
}

/* Turn the parsed query into index terms and phrases to verify. */
static void plan_query(sl_analyzer *an, const sl_query *q, const char *lang,
		       plan *p)
{
	for (size_t i = 0; i < q->n_parts; i++) {
		const sl_query_part *part = &q->parts[i];
		const sl_analysis *res = sl_analyze(an, NULL, 0, part->text,
						    strlen(part->text), lang);
		size_t content = 0;

		for (size_t t = 0; t < res->n_terms; t++)
			content += !res->terms[t].stop;
		/* One word is a term; several tokens (a phrase, or a word
		 * such as "long-term") must appear in order. */
		if (res->n_tokens > 1 &&
		    (part->kind == SL_PART_PHRASE ||
		     part->flags & SL_QT_EXCLUDED)) {
			phrase *ph;

			sl_grow(&p->phrases, &p->cap_phrases, p->n_phrases + 1,
				sizeof(phrase));
			ph = &p->phrases[p->n_phrases++];
			ph->n = res->n_tokens;
			ph->ids = sl_malloc(ph->n * sizeof(uint64_t));
			ph->excluded = (part->flags & SL_QT_EXCLUDED) != 0;
			for (size_t t = 0; t < res->n_tokens; t++)
				ph->ids[t] = res->terms[res->tokens[t].term].id;
			if (ph->excluded)
				continue;
		}
		for (size_t t = 0; t < res->n_terms && content; t++) {
			int flags = part->flags;

			if (res->terms[t].stop)
				continue;
			if (part->kind == SL_PART_PHRASE && !flags)
				flags = SL_QT_REQUIRED;
			add_term(p, res->terms[t].id, flags);
		}
	}
}

/* Does the token sequence of one field hold the phrase? */
static int holds(const sl_analysis *res, const phrase *ph)
{
	for (size_t i = 0; i + ph->n <= res->n_tokens; i++) {
		size_t k = 0;

		while (k < ph->n && res->tokens[i + k].field ==
					    res->tokens[i].field &&
		       res->terms[res->tokens[i + k].term].id == ph->ids[k])
			k++;
		if (k == ph->n)
			return 1;
	}
	return 0;
}

typedef struct verify_ctx {
	sl_engine *e;
	const plan *p;
} verify_ctx;

/* Phrases are checked on the article's own text, only for candidates
 * that would make the top k. */
static int verify_phrases(uint32_t docno, const char *id, void *ctx)
{
	verify_ctx *v = ctx;
	sl_article *a = NULL;
	const sl_analysis *res;
	int ok = 1;

	(void)docno;
	if (v->e->store->ops->get(v->e->store, id, &a) < 0)
		return 0;
	res = sl_engine_analyze(v->e, a);
	for (size_t i = 0; i < v->p->n_phrases && ok; i++)
		ok = holds(res, &v->p->phrases[i]) != v->p->phrases[i].excluded;
	sl_article_free(a);
	return ok;
}

/* ------------------------------------------------------------------ */
/* Snippets                                                            */

/* Append s[0..n) HTML-escaped, white space runs as one space. */
static void add_escaped(sl_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (strchr(" \t\n\r", s[i])) {
			if (b->len && b->data[b->len - 1] != ' ')
				sl_buf_addc(b, ' ');
			continue;
		}
		switch (s[i]) {
		case '&': sl_buf_adds(b, "&amp;"); break;
		case '<': sl_buf_adds(b, "&lt;"); break;
		case '>': sl_buf_adds(b, "&gt;"); break;
		case '"': sl_buf_adds(b, "&quot;"); break;
		case '\'': sl_buf_adds(b, "&#39;"); break;
		default: sl_buf_addc(b, s[i]);
		}
	}
}

static int wanted(const plan *p, uint64_t id)
{
	for (size_t i = 0; i < p->n_highlight; i++)
		if (p->highlight[i] == id)
			return 1;
	return 0;
}

/*
 * The stretch of the body of about SNIPPET_CHARS that holds the most
 * matching tokens, started and ended at word boundaries, with the
 * matches in <b></b> and everything else HTML-escaped.
 */
static char *snippet(sl_analyzer *an, const sl_article *a, const plan *p)
{
	const char *body = a->body_text ? a->body_text : "";
	const sl_analysis *res = sl_analyze(an, NULL, 0, body, strlen(body),
					    a->lang);
	size_t best_start = 0, best_count = 0, count = 0, lo = 0, from, to;
	sl_buf b = {0};

	if (!res->n_tokens) {
		if (a->summary)
			add_escaped(&b, a->summary, strlen(a->summary));
		return sl_buf_detach(&b);
	}
	/* Slide a window over the tokens: [lo, hi] within the length. */
	for (size_t hi = 0; hi < res->n_tokens; hi++) {
		count += wanted(p, res->terms[res->tokens[hi].term].id);
		while (res->tokens[hi].off + res->tokens[hi].len -
			       res->tokens[lo].off >
		       SNIPPET_CHARS) {
			count -= wanted(p, res->terms[res->tokens[lo].term].id);
			lo++;
		}
		if (count > best_count) {
			best_count = count;
			best_start = lo;
		}
	}
	/* Start a little before the window's first match (up to 3 words,
	 * and never so far that the match falls out of the snippet). */
	if (best_count) {
		size_t first = best_start;

		while (first < res->n_tokens &&
		       !wanted(p, res->terms[res->tokens[first].term].id))
			first++;
		best_start = first;
		for (int back = 0; back < 3 && best_start > 0; back++) {
			const sl_token *m = &res->tokens[first];

			if (m->off + m->len - res->tokens[best_start - 1].off >
			    SNIPPET_CHARS / 2)
				break;
			best_start--;
		}
	}
	from = res->tokens[best_start].off;
	to = from;
	if (best_start > 0)
		sl_buf_adds(&b, "\xE2\x80\xA6 ");
	for (size_t i = best_start; i < res->n_tokens; i++) {
		const sl_token *t = &res->tokens[i];

		if (t->off + t->len - from > SNIPPET_CHARS)
			break;
		add_escaped(&b, body + to, t->off - to);
		if (wanted(p, res->terms[t->term].id)) {
			sl_buf_adds(&b, "<b>");
			add_escaped(&b, body + t->off, t->len);
			sl_buf_adds(&b, "</b>");
		} else {
			add_escaped(&b, body + t->off, t->len);
		}
		to = t->off + t->len;
	}
	/* Close the sentence if it ends right here. */
	if (body[to] && strchr(".!?", body[to])) {
		sl_buf_addc(&b, body[to]);
		to++;
	}
	if (body[to])
		sl_buf_adds(&b, " \xE2\x80\xA6");
	return sl_buf_detach(&b);
}

/* ------------------------------------------------------------------ */
/* The search                                                          */

int sl_engine_search(sl_engine *e, const char *text,
		     const sl_search_opts *given, sl_search_result **out)
{
	sl_search_opts opts;
	sl_query q;
	plan p = {0};
	sl_index_query iq = {0};
	sl_search_result *r = NULL;
	sl_hit *hits = NULL;
	verify_ctx verify;
	size_t n_hits, k;
	int rc, exact;

	*out = NULL;
	if (given)
		opts = *given;
	else
		sl_search_opts_init(&opts);
	if (opts.limit == 0)
		opts.limit = DEFAULT_LIMIT;
	if (opts.offset >= MAX_HITS || opts.limit > MAX_HITS)
		return sl_error_set(SL_EINVAL, "at most %d results can be "
				    "paged through", MAX_HITS);
	rc = sl_query_parse(&q, text);
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&e->lock);
	rc = sl_engine_index_ready(e);
	if (rc < 0)
		goto cleanup;
	plan_query(e->analyzer, &q,
		   q.lang ? q.lang : opts.lang ? opts.lang : DEFAULT_QUERY_LANG,
		   &p);

	k = opts.offset + opts.limit;
	if (k > MAX_HITS)
		k = MAX_HITS;
	iq.terms = p.terms;
	iq.n_terms = p.n_terms;
	iq.since = q.since != SL_TIME_NONE ? q.since : opts.since;
	iq.until = q.until != SL_TIME_NONE ? q.until : opts.until;
	iq.outlet = q.outlet ? q.outlet : opts.outlet;
	iq.lang = q.lang ? q.lang : opts.lang;
	iq.by_time = opts.by_time;
	iq.collapse = !opts.all_copies;
	iq.k = k;
	verify.e = e;
	verify.p = &p;
	if (p.n_phrases) {
		iq.accept = verify_phrases;
		iq.accept_ctx = &verify;
	}
	r = sl_calloc(1, sizeof(*r));
	r->total_exact = 1;
	/* Only stop words or phrases of them: nothing can match. */
	if (!p.n_terms && q.n_parts)
		goto cleanup;
	hits = sl_malloc(k * sizeof(sl_hit));
	n_hits = sl_index_search(e->index, &iq, hits, &r->total, &exact);
	r->total_exact = exact;
	if (n_hits > opts.offset) {
		r->hits = sl_calloc(n_hits - opts.offset, sizeof(sl_search_hit));
		for (size_t i = opts.offset; i < n_hits; i++) {
			char *id = sl_index_doc_id(e->index, hits[i].doc);
			sl_article *a = NULL;
			sl_search_hit *h;

			if (!id || e->store->ops->get(e->store, id, &a) < 0) {
				free(id);
				continue; /* removed meanwhile */
			}
			h = &r->hits[r->n_hits++];
			h->id = id;
			h->url = sl_strdup(a->url);
			h->title = sl_strdup(a->title);
			h->outlet = sl_strdup(a->outlet);
			h->published = a->published;
			h->score = hits[i].score;
			h->snippet = snippet(e->analyzer, a, &p);
			h->copies = sl_index_copies(e->index, hits[i].doc,
						    &h->story);
			sl_article_free(a);
		}
	}
cleanup:
	pthread_mutex_unlock(&e->lock);
	free(hits);
	plan_free(&p);
	sl_query_clear(&q);
	if (rc < 0) {
		sl_search_result_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

void sl_search_result_free(sl_search_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_hits; i++) {
		free(r->hits[i].id);
		free(r->hits[i].url);
		free(r->hits[i].title);
		free(r->hits[i].outlet);
		free(r->hits[i].snippet);
	}
	free(r->hits);
	free(r);
}

char *sl_search_result_to_json(const sl_search_result *r, const char *query)
{
	json_t *obj = json_object(), *results = json_array();
	char *text;

	json_object_set_new(obj, "query", sl_json_str(query));
	json_object_set_new(obj, "total", json_integer((json_int_t)r->total));
	json_object_set_new(obj, "total_exact", json_boolean(r->total_exact));
	for (size_t i = 0; i < r->n_hits; i++) {
		const sl_search_hit *h = &r->hits[i];
		json_t *item = json_object();

		json_object_set_new(item, "id", json_string(h->id));
		json_object_set_new(item, "url", sl_json_str(h->url));
		json_object_set_new(item, "title", sl_json_str(h->title));
		json_object_set_new(item, "outlet", sl_json_str(h->outlet));
		json_object_set_new(item, "published", sl_json_time(h->published));
		json_object_set_new(item, "score", json_real(h->score));
		json_object_set_new(item, "snippet", sl_json_str(h->snippet));
		json_object_set_new(item, "story", json_integer(h->story));
		json_object_set_new(item, "copies",
				    json_integer((json_int_t)h->copies));
		json_array_append_new(results, item);
	}
	json_object_set_new(obj, "results", results);
	text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	return text;
}
