/*
 * related.c - Recommended Stories: the rail under an article.
 *
 * For an article A:
 * 1. Candidates: a "more like this" query of A's 30 heaviest terms (names
 *    without their story boost: a search is about the whole text)
 *    against the index, published within the window around A (default
 *    +-7 days; no window for an undated A); A and its copies left out.
 * 2. Relevance: a candidate must be close to A in the term vectors that
 *    stories are placed by (cosine, names boosted, RELEVANT = 0.12 or
 *    more: nothing unrelated, whatever else); its relevance is the
 *    geometric mean of that cosine and the same cosine without the
 *    names' boost, so that names and the rest of the text both count.
 *    (The index score is not used: it put a handball final first under
 *    a summit report in another language.)
 * 3. Score, per candidate:
 *        score = relevance x support x (1/2 + 1/2 freshness) x story
 *        support = 1 + 0.1 ln(candidates of its story that are related)
 *        freshness = e^(-|t - t_ref| / 3 days), t_ref = A's time (or
 *                    "now" for the live page)
 *        story = 1 + 0.05 ln(1 + size) + 0.05 ln(1 + pace), pace = the
 *                story's articles per day over its span
 *    so relevance leads, several related articles of one story back each
 *    other up, freshness can halve a score, and a big, fast story gains
 *    a little.
 * 4. One item per story: its best-scoring article (ties: the freshest),
 *    with the number of other outlets covering the story. A's own story
 *    comes once, as "more on this story".
 * 5. Diversity: items are taken greedily by score minus 0.5 x their
 *    highest similarity to the items already taken beyond 0.3 (MMR that
 *    leaves merely related items alone and holds back near repeats); an
 *    item almost the same as one taken (similarity 0.8 or more) is
 *    dropped, and no outlet takes more than a third of the rail while
 *    other outlets have related items: beyond that, its items only come
 *    after everyone else's (a single-outlet store still gets full rails).
 * 6. No padding: the rail ends when related candidates do. With fill_top
 *    the rest is filled with the top stories of the moment, labelled.
 *
 * Article facts (story, copy root, vector) are cached per engine until
 * the next commit, so a run over every article analyses each once.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "engine_int.h"
#include "error.h"
#include "related.h"
#include "util/hmap.h"
#include "util/mem.h"
#include "util/strtab.h"

#define MLT_TERMS     30
#define NAME_WEIGHT   2.5f /* the boost of names in story vectors */
#define CANDIDATES    80
#define ENOUGH	      2 /* related stories per rail item, then stop */
#define RELEVANT      0.12
#define FRESH_TAU     (3 * 86400.0)
#define MMR_PENALTY   0.5 /* per unit of likeness above MMR_FREE */
#define MMR_FREE      0.3
#define NEAR_SAME     0.8
#define SNIPPET_CHARS 160
#define WHY_MAX	      6
#define CACHE_MAX     50000 /* articles; the cache starts over past it,
			     * between rails */

/* What the rail needs to know of an article. */
typedef struct fact {
	char *id, *url, *title, *outlet, *summary;
	int64_t published, time;
	int64_t story;
	char *root; /* the original of its text: copy_of, else its own id */
	sl_vec vec; /* with surface forms */
	double plain_norm; /* of vec without the names' boost */
	int stale;	   /* its article changed: read it again */
} fact;

typedef struct story_fact {
	int64_t size, first, last, outlets;
} story_fact;

struct sl_related_cache {
	sl_hmap by_id; /* hash of id -> facts index */
	fact **facts;
	size_t n, cap;
	sl_hmap stories; /* story -> story_facts index */
	story_fact *sf;
	size_t n_sf, cap_sf;
};

static void fact_free(fact *f)
{
	if (!f)
		return;
	free(f->id);
	free(f->url);
	free(f->title);
	free(f->outlet);
	free(f->summary);
	free(f->root);
	sl_vec_clear(&f->vec);
	free(f);
}

void sl_related_cache_free(sl_engine *e)
{
	struct sl_related_cache *c = e->related;

	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		fact_free(c->facts[i]);
	free(c->facts);
	free(c->sf);
	sl_hmap_free(&c->by_id);
	sl_hmap_free(&c->stories);
	free(c);
	e->related = NULL;
}

void sl_related_cache_changed(sl_engine *e, const char *const *ids, size_t n)
{
	struct sl_related_cache *c = e->related;

	if (!c)
		return;
	for (size_t i = 0; i < n; i++) {
		const sl_hmap_slot *slot =
		    sl_hmap_find(&c->by_id, sl_hash(ids[i], strlen(ids[i])));

		if (slot && strcmp(c->facts[slot->value]->id, ids[i]) == 0)
			c->facts[slot->value]->stale = 1;
	}
	/* Stories grew: their sizes and outlets are read again. */
	c->n_sf = 0;
	sl_hmap_clear(&c->stories);
}

/* A vector term's weight without the names' boost. */
static inline double plain(const sl_vec_term *t)
{
	return t->name ? t->w / NAME_WEIGHT : t->w;
}

static double plain_norm(const sl_vec *v)
{
	double n = 0;

	for (size_t k = 0; k < v->n; k++)
		n += plain(&v->t[k]) * plain(&v->t[k]);
	return sqrt(n);
}

/* The facts of a stored article, from the cache or the store. Called
 * with the engine's lock held. NULL with the error set (*rc, if given). */
static const fact *fact_get(sl_engine *e, const char *id, int *rc)
{
	struct sl_related_cache *c = e->related;
	uint64_t h = sl_hash(id, strlen(id));
	const sl_hmap_slot *slot = sl_hmap_find(&c->by_id, h);
	sl_df_source df = sl_engine_df(e);
	const sl_analysis *an;
	sl_article *a;
	char *copy_of = NULL;
	fact *f;

	if (slot && !c->facts[slot->value]->stale &&
	    strcmp(c->facts[slot->value]->id, id) == 0)
		return c->facts[slot->value];
	if ((*rc = e->store->ops->get(e->store, id, &a)) < 0)
		return NULL;
	f = sl_calloc(1, sizeof(*f));
	f->id = sl_strdup(a->id);
	f->url = a->url ? sl_strdup(a->url) : NULL;
	f->title = a->title ? sl_strdup(a->title) : NULL;
	f->outlet = a->outlet ? sl_strdup(a->outlet) : NULL;
	f->summary = a->summary ? sl_strdup(a->summary) : NULL;
	f->published = a->published;
	f->time = a->published != SL_TIME_NONE ? a->published : a->fetched_at;
	if (e->store->ops->placement(e->store, id, &f->story, &copy_of) < 0)
		f->story = 0; /* not placed (an old store): its own story */
	f->root = copy_of ? copy_of : sl_strdup(a->id);
	an = sl_engine_analyze(e, a);
	sl_vec_of(
	    &f->vec,
	    &(sl_doc_text){an, a->title, a->body_text, a->outlet, a->byline, 1},
	    &df);
	f->plain_norm = plain_norm(&f->vec);
	sl_article_free(a);
	sl_grow(&c->facts, &c->cap, c->n + 1, sizeof(*c->facts));
	c->facts[c->n] = f;
	sl_hmap_put(&c->by_id, h, (uint32_t)c->n++, 0);
	return f;
}

static const fact *fact_of(sl_engine *e, const char *id)
{
	int rc;

	return fact_get(e, id, &rc);
}

static const story_fact *story_of(sl_engine *e, int64_t story)
{
	struct sl_related_cache *c = e->related;
	uint64_t key = (uint64_t)story * 0x9e3779b97f4a7c15ULL;
	uint32_t i = sl_hmap_get(&c->stories, key);
	story_fact *s;

	if (i != SL_HMAP_NONE)
		return &c->sf[i];
	sl_grow(&c->sf, &c->cap_sf, c->n_sf + 1, sizeof(*c->sf));
	s = &c->sf[c->n_sf];
	memset(s, 0, sizeof(*s));
	if (story &&
	    e->store->ops->story_stats(e->store, story, &s->size, &s->first,
				       &s->last, &s->outlets) < 0)
		memset(s, 0, sizeof(*s));
	sl_hmap_put(&c->stories, key, (uint32_t)c->n_sf++, 0);
	return s;
}

void sl_related_opts_init(sl_related_opts *o)
{
	o->limit = 20;
	o->window = 7 * 86400;
	o->now = SL_TIME_NONE;
	o->fill_top = 0;
}

/* A candidate on its way into the rail (rail.data points here). */
typedef struct cand {
	const fact *f;
	int same_story;
	int64_t other_outlets;
} cand;

static int by_score(const void *a, const void *b)
{
	const sl_rail_cand *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	if (x->time != y->time) /* ties: the freshest */
		return x->time < y->time ? 1 : -1;
	return strcmp(x->id, y->id);
}

size_t sl_rail_collapse(sl_rail_cand *c, size_t n)
{
	size_t k = 0;

	if (n > 1)
		qsort(c, n, sizeof(*c), by_score);
	for (size_t i = 0; i < n; i++) { /* best first: keep the first */
		size_t j;

		for (j = 0; j < k && (!c[i].story || c[j].story != c[i].story);
		     j++)
			;
		if (j == k)
			c[k++] = c[i];
	}
	return k;
}

size_t sl_rail_diversify(const sl_rail_cand *c, size_t n, size_t limit,
			 size_t *chosen)
{
	size_t k = 0, cap = (limit + 2) / 3;
	uint8_t *out = sl_calloc(n + 1, 1); /* 1 taken or dropped, 2 capped */
	double *like = sl_calloc(n + 1, sizeof(double)); /* to the chosen */
	size_t *same =
	    sl_calloc(n + 1, sizeof(size_t)); /* chosen, its outlet */

	/* The second round lets capped outlets fill what the others could
	 * not: their items come after everyone else's, never before. */
	for (int round = 0; round < 2 && k < limit; round++) {
		for (size_t i = 0; i < n; i++)
			if (out[i] == 2)
				out[i] = 0;
		while (k < limit) {
			double best = 0;
			size_t at = n;

			for (size_t i = 0; i < n; i++) {
				double v;

				if (out[i])
					continue;
				if (like[i] >= NEAR_SAME) {
					out[i] = 1; /* a repeat: never */
					continue;
				}
				if (round == 0 && same[i] >= cap) {
					out[i] = 2; /* not while others wait */
					continue;
				}
				v = c[i].score -
				    MMR_PENALTY * (like[i] > MMR_FREE
						       ? like[i] - MMR_FREE
						       : 0);
				if (at == n || v > best) {
					best = v;
					at = i;
				}
			}
			if (at == n)
				break;
			out[at] = 1;
			chosen[k++] = at;
			/* What the new item changes for the others. */
			for (size_t i = 0; i < n; i++) {
				if (out[i] == 1)
					continue;
				if (c[i].vec && c[at].vec) {
					double l =
					    sl_vec_cosine(c[i].vec, c[at].vec);

					if (l > like[i])
						like[i] = l;
				}
				same[i] += c[i].outlet && c[at].outlet &&
					   !strcmp(c[i].outlet, c[at].outlet);
			}
		}
	}
	free(out);
	free(like);
	free(same);
	return k;
}

/* Cosine of two story vectors with the names' boost taken out. */
static double plain_cosine(const fact *a, const fact *b)
{
	double dot = 0;
	size_t i = 0, j = 0;

	while (i < a->vec.n && j < b->vec.n) {
		if (a->vec.t[i].id < b->vec.t[j].id) {
			i++;
		} else if (a->vec.t[i].id > b->vec.t[j].id) {
			j++;
		} else {
			dot += plain(&a->vec.t[i]) * plain(&b->vec.t[j]);
			i++;
			j++;
		}
	}
	return a->plain_norm > 0 && b->plain_norm > 0
		   ? dot / (a->plain_norm * b->plain_norm)
		   : 0;
}

/* The heaviest terms of v as a query. */
static size_t query_terms(const sl_vec *v, sl_qterm *q)
{
	sl_vec_term *t = sl_malloc((v->n + 1) * sizeof(*t));
	size_t n = v->n < MLT_TERMS ? v->n : MLT_TERMS;

	memcpy(t, v->t, v->n * sizeof(*t));
	for (size_t i = 0; i < n; i++) { /* selection: n is small */
		size_t best = i;

		for (size_t j = i + 1; j < v->n; j++)
			if (t[j].w > t[best].w ||
			    (t[j].w == t[best].w && t[j].id < t[best].id))
				best = j;
		sl_vec_term tmp = t[i];

		t[i] = t[best];
		t[best] = tmp;
		q[i].id = t[i].id;
		/* Names lead stories, not searches: their boost is left out. */
		q[i].weight = t[i].w / (t[i].name ? NAME_WEIGHT : 1.0f);
		q[i].flags = 0;
	}
	free(t);
	return n;
}

static void fill_why(sl_related_item *it, const sl_vec *a, const sl_vec *b)
{
	it->why = sl_calloc(WHY_MAX + 1, sizeof(char *));
	it->n_why = sl_vec_shared(a, b, it->why, WHY_MAX);
}

static void set_item(sl_related_item *it, const fact *f)
{
	it->id = sl_strdup(f->id);
	it->url = f->url ? sl_strdup(f->url) : NULL;
	it->title = f->title ? sl_strdup(f->title) : NULL;
	it->outlet = f->outlet ? sl_strdup(f->outlet) : NULL;
	it->snippet = sl_summary_of(f->summary, SNIPPET_CHARS);
	it->published = f->published;
	it->story = f->story;
}

/* Candidates from the index, scored, one per story, best first, into
 * rail (room for CANDIDATES) with their facts in info. */
static size_t candidates(sl_engine *e, const fact *a, const sl_related_opts *o,
			 sl_rail_cand *rail, cand *info)
{
	sl_qterm q[MLT_TERMS];
	sl_index_query iq = {0};
	sl_hit hits[CANDIDATES];
	size_t n_hits, total, n = 0;
	int exact;
	int64_t t_ref = o->now != SL_TIME_NONE ? o->now : a->time;
	char *ids[CANDIDATES];

	iq.terms = q;
	iq.n_terms = query_terms(&a->vec, q);
	/* The window, for a dated article; an undated one (no published
	 * time) has nothing to be near, so all is candidate. */
	iq.since = iq.until = SL_TIME_NONE;
	if (a->published != SL_TIME_NONE) {
		iq.since = a->published - o->window;
		iq.until = a->published + o->window;
	}
	iq.k = CANDIDATES;
	n_hits = iq.n_terms
		     ? sl_index_search(e->index, &iq, hits, &total, &exact)
		     : 0;
	for (size_t i = 0; i < n_hits; i++)
		ids[i] = sl_index_doc_id(e->index, hits[i].doc);
	for (size_t i = 0, stories = 0; i < n_hits; i++) {
		const fact *f;
		const story_fact *sf;
		double rel, fresh, pace, span;

		/* Enough related stories found, in the index's order, to
		 * choose a rail from: the rest are not read. */
		if (stories >= ENOUGH * o->limit)
			break;
		if (!ids[i] || strcmp(ids[i], a->id) == 0 ||
		    !(f = fact_of(e, ids[i])))
			continue;
		if (strcmp(f->root, a->root) == 0) /* A's copy or original */
			continue;
		rel = sl_vec_cosine(&a->vec, &f->vec);
		if (rel < RELEVANT)
			continue;
		rel = sqrt(rel * plain_cosine(a, f));
		sf = story_of(e, f->story);
		span = (double)(sf->last - sf->first) / 86400.0;
		pace = sf->size / (1.0 + span);
		fresh = exp(-fabs((double)(f->time - t_ref)) / FRESH_TAU);
		info[n].f = f;
		info[n].same_story = f->story && f->story == a->story;
		info[n].other_outlets = sf->outlets;
		rail[n].id = f->id;
		rail[n].outlet = f->outlet;
		rail[n].story = f->story;
		rail[n].time = f->time;
		rail[n].vec = &f->vec;
		rail[n].data = &info[n];
		rail[n].score =
		    rel * (0.5 + 0.5 * fresh) *
		    (1 + 0.05 * log1p((double)sf->size) + 0.05 * log1p(pace));
		{
			size_t k;

			for (k = 0;
			     k < n && (!f->story || rail[k].story != f->story);
			     k++)
				;
			stories += k == n;
		}
		n++;
	}
	for (size_t i = 0; i < n_hits; i++)
		free(ids[i]);
	for (size_t i = 0; i < n; i++) { /* support within the story */
		size_t same = 0;

		for (size_t j = 0; j < n && rail[i].story; j++)
			same += rail[j].story == rail[i].story;
		if (same > 1)
			rail[i].score *= 1 + 0.1 * log((double)same);
	}
	return sl_rail_collapse(rail, n);
}

/* Top stories of the moment for the rest of a short rail, labelled.
 * Called with the engine's lock held; reading stories takes it too. */
static void fill_top(sl_engine *e, const fact *a, sl_related *r, size_t limit)
{
	sl_stories_opts so = {SL_TIME_NONE, limit * 2, 0};
	sl_story *s;
	size_t n;
	int rc;

	pthread_mutex_unlock(&e->lock);
	rc = sl_engine_stories(e, &so, &s, &n);
	pthread_mutex_lock(&e->lock);
	if (rc < 0)
		return;
	for (size_t i = 0; i < n && r->n_items < limit; i++) {
		const sl_story_member *m = NULL;
		int taken = s[i].id == a->story;
		const fact *f;

		for (size_t k = 0; k < r->n_items && !taken; k++)
			taken = r->items[k].story == s[i].id;
		for (size_t k = 0; k < s[i].n_members && !m; k++)
			if (!s[i].members[k].copy_of)
				m = &s[i].members[k];
		if (taken || !m || !(f = fact_of(e, m->id)))
			continue;
		sl_related_item *it = &r->items[r->n_items++];

		set_item(it, f);
		it->top_story = 1;
		it->other_outlets = s[i].n_outlets > 0 ? s[i].n_outlets - 1 : 0;
		it->why = sl_calloc(1, sizeof(char *));
	}
	sl_stories_free(s, n);
}

int sl_engine_related(sl_engine *e, const char *id, const sl_related_opts *opts,
		      sl_related **out)
{
	sl_related_opts o;
	const fact *a;
	sl_rail_cand rail[CANDIDATES];
	cand info[CANDIDATES];
	size_t *chosen, n, k;
	sl_related *r;
	int rc;

	*out = NULL;
	if (opts)
		o = *opts;
	else
		sl_related_opts_init(&o);
	if (o.limit == 0 || o.limit > 100)
		o.limit = o.limit ? 100 : 20;
	if (o.window <= 0)
		o.window = 7 * 86400;
	if ((rc = sl_engine_index_ready(e)) < 0)
		return rc;
	pthread_mutex_lock(&e->lock);
	if (!e->related)
		e->related = sl_calloc(1, sizeof(*e->related));
	/* Start over rather than grow forever: between rails, never in
	 * one, whose facts are in use until it is done. */
	if (e->related->n >= CACHE_MAX) {
		struct sl_related_cache *c = e->related;

		for (size_t i = 0; i < c->n; i++)
			fact_free(c->facts[i]);
		c->n = 0;
		sl_hmap_clear(&c->by_id);
	}
	if (!(a = fact_get(e, id, &rc))) {
		pthread_mutex_unlock(&e->lock);
		return rc;
	}
	n = candidates(e, a, &o, rail, info);
	chosen = sl_calloc(o.limit + 1, sizeof(*chosen));
	k = sl_rail_diversify(rail, n, o.limit, chosen);
	r = sl_calloc(1, sizeof(*r));
	r->id = sl_strdup(a->id);
	r->items = sl_calloc(o.limit + 1, sizeof(*r->items));
	for (size_t i = 0; i < k; i++) {
		const sl_rail_cand *rc_ = &rail[chosen[i]];
		const cand *ci = rc_->data;
		sl_related_item *it = &r->items[r->n_items++];
		int64_t own = ci->f->outlet ? 1 : 0;

		set_item(it, ci->f);
		it->score = rc_->score;
		it->same_story = ci->same_story;
		it->other_outlets =
		    (size_t)(ci->other_outlets > own ? ci->other_outlets - own
						     : 0);
		fill_why(it, &a->vec, &ci->f->vec);
	}
	if (o.fill_top && r->n_items < o.limit)
		fill_top(e, a, r, o.limit);
	pthread_mutex_unlock(&e->lock);
	free(chosen);
	*out = r;
	return 0;
}

void sl_related_free(sl_related *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_items; i++) {
		sl_related_item *it = &r->items[i];

		free(it->id);
		free(it->url);
		free(it->title);
		free(it->outlet);
		free(it->snippet);
		for (size_t k = 0; k < it->n_why; k++)
			free(it->why[k]);
		free(it->why);
	}
	free(r->items);
	free(r->id);
	free(r);
}

char *sl_related_to_json(const sl_related *r)
{
	json_t *o = json_object(), *items = json_array();
	char *text;

	json_object_set_new(o, "id", json_string(r->id));
	for (size_t i = 0; i < r->n_items; i++) {
		const sl_related_item *it = &r->items[i];
		json_t *j = json_object(), *why = json_array();

		json_object_set_new(j, "id", json_string(it->id));
		json_object_set_new(j, "url", sl_json_str(it->url));
		json_object_set_new(j, "title", sl_json_str(it->title));
		json_object_set_new(j, "outlet", sl_json_str(it->outlet));
		json_object_set_new(j, "published",
				    sl_json_time(it->published));
		json_object_set_new(j, "story", json_integer(it->story));
		json_object_set_new(j, "score", json_real(it->score));
		json_object_set_new(j, "same_story",
				    json_boolean(it->same_story));
		json_object_set_new(j, "top_story",
				    json_boolean(it->top_story));
		json_object_set_new(
		    j, "other_outlets",
		    json_integer((json_int_t)it->other_outlets));
		json_object_set_new(j, "snippet", sl_json_str(it->snippet));
		for (size_t k = 0; k < it->n_why; k++)
			json_array_append_new(why, json_string(it->why[k]));
		json_object_set_new(j, "why", why);
		json_array_append_new(items, j);
	}
	json_object_set_new(o, "related", items);
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return text;
}
