/*
 * story_view.c - reading stories back: lists, one story, its JSON, and
 * the similarity of two articles as placement judges it.
 *
 * A story's representative headline is its most central one: the title
 * of an original member whose words the other members' titles share the
 * most (earliest on a tie), so a one-off angle does not name the story.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "dedup.h"
#include "engine_int.h"
#include "error.h"
#include "util/hmap.h"
#include "util/mem.h"

/* ------------------------------------------------------------------ */
/* Building a story from its members                                   */

typedef struct collect {
	sl_story *s;
	size_t cap;
} collect;

static int add_member(const sl_member *m, void *ctx)
{
	collect *c = ctx;
	sl_story *s = c->s;
	sl_story_member *sm;

	sl_grow(&s->members, &c->cap, s->n_members + 1, sizeof(*s->members));
	sm = &s->members[s->n_members++];
	sm->id = sl_strdup(m->id);
	sm->url = m->url ? sl_strdup(m->url) : NULL;
	sm->title = m->title ? sl_strdup(m->title) : NULL;
	sm->outlet = m->outlet ? sl_strdup(m->outlet) : NULL;
	sm->published = m->published;
	sm->copy_of = m->copy_of ? sl_strdup(m->copy_of) : NULL;
	if (s->n_members == 1 || m->time < s->first)
		s->first = m->time;
	if (s->n_members == 1 || m->time > s->last)
		s->last = m->time;
	return 0;
}

static void add_outlet(sl_story *s, const char *outlet)
{
	if (!outlet)
		return;
	for (size_t i = 0; i < s->n_outlets; i++)
		if (strcmp(s->outlets[i], outlet) == 0)
			return;
	s->outlets =
	    sl_realloc(s->outlets, (s->n_outlets + 1) * sizeof(*s->outlets));
	s->outlets[s->n_outlets++] = sl_strdup(outlet);
}

/* The title terms of a member (ids, not stop words), each once. */
static size_t title_terms(sl_analyzer *an, const char *title, uint64_t **out)
{
	const sl_analysis *a;
	size_t n = 0;

	*out = NULL;
	if (!title)
		return 0;
	a = sl_analyze(an, title, strlen(title), NULL, 0, NULL);
	*out = sl_malloc((a->n_terms + 1) * sizeof(**out));
	for (size_t i = 0; i < a->n_terms; i++)
		if (!a->terms[i].stop)
			(*out)[n++] = a->terms[i].id;
	return n;
}

static void choose_title(sl_engine *e, sl_story *s)
{
	size_t n = s->n_members, best = SIZE_MAX, lead;
	uint64_t **terms = sl_calloc(n + 1, sizeof(*terms));
	size_t *n_terms = sl_calloc(n + 1, sizeof(*n_terms));
	double best_score = -1;

	sl_hmap titles = {0}; /* term -> original titles that have it */

	for (size_t i = 0; i < n; i++) {
		if (s->members[i].copy_of)
			continue;
		n_terms[i] =
		    title_terms(e->analyzer, s->members[i].title, &terms[i]);
		for (size_t k = 0; k < n_terms[i]; k++) {
			uint32_t c = sl_hmap_get(&titles, terms[i][k]);

			sl_hmap_put(&titles, terms[i][k],
				    c == SL_HMAP_NONE ? 1 : c + 1, 0);
		}
	}
	for (size_t i = 0; i < n; i++) {
		double score = 0;

		if (s->members[i].copy_of || !s->members[i].title)
			continue;
		/* Shared words with every other original title (a title's
		 * terms are distinct), over the square root of the title's
		 * length: long titles don't win by length alone. */
		for (size_t k = 0; k < n_terms[i]; k++)
			score += sl_hmap_get(&titles, terms[i][k]) - 1;
		score /= sqrt((double)n_terms[i] + 1);
		if (score > best_score) {
			best_score = score;
			best = i;
		}
	}
	/* The article the headline leads to: that original, else the first
	 * original, else the first member. */
	lead = best;
	for (size_t i = 0; i < n && lead == SIZE_MAX; i++)
		if (!s->members[i].copy_of)
			lead = i;
	s->lead = n ? s->members[lead == SIZE_MAX ? 0 : lead].id : NULL;
	if (best == SIZE_MAX) /* only copies or no titles */
		for (size_t i = 0; i < n && best == SIZE_MAX; i++)
			if (s->members[i].title)
				best = i;
	s->title = best == SIZE_MAX ? NULL : sl_strdup(s->members[best].title);
	for (size_t i = 0; i < n; i++)
		free(terms[i]);
	free(terms);
	free(n_terms);
	sl_hmap_free(&titles);
}

/* Top names and terms over the original members' vectors. */
typedef struct weighed {
	uint64_t id;
	double w;
	int name;
	char *text;
} weighed;

static int by_w(const void *a, const void *b)
{
	const weighed *x = a, *y = b;

	if (x->w != y->w)
		return x->w < y->w ? 1 : -1;
	return (x->id > y->id) - (x->id < y->id);
}

#define STORY_TOP 10

static void top_terms(sl_engine *e, sl_story *s)
{
	weighed *all = NULL;
	size_t n_all = 0, cap = 0;
	sl_hmap at = {0}; /* term -> index into all */

	for (size_t i = 0; i < s->n_members; i++) {
		sl_article *a;
		const sl_analysis *an;
		sl_vec v;

		if (s->members[i].copy_of ||
		    e->store->ops->get(e->store, s->members[i].id, &a) < 0)
			continue;
		an = sl_engine_analyze(e, a);
		sl_engine_vec(e, a, an, 1, &v);
		for (size_t k = 0; k < v.n; k++) {
			uint32_t j = sl_hmap_get(&at, v.t[k].id);

			if (j == SL_HMAP_NONE) {
				j = (uint32_t)n_all;
				sl_hmap_put(&at, v.t[k].id, j, 0);
				sl_grow(&all, &cap, n_all + 1, sizeof(*all));
				all[n_all].id = v.t[k].id;
				all[n_all].w = 0;
				all[n_all].name = 0;
				all[n_all].text = v.t[k].text;
				v.t[k].text = NULL;
				n_all++;
			}
			all[j].w += v.t[k].w;
			all[j].name |= v.t[k].name;
		}
		sl_vec_clear(&v);
		sl_article_free(a);
	}
	if (n_all > 1)
		qsort(all, n_all, sizeof(*all), by_w);
	s->names = sl_calloc(STORY_TOP, sizeof(char *));
	s->terms = sl_calloc(STORY_TOP, sizeof(char *));
	for (size_t i = 0; i < n_all; i++) {
		if (all[i].name && s->n_names < STORY_TOP && all[i].text)
			s->names[s->n_names++] = sl_strdup(all[i].text);
		else if (!all[i].name && s->n_terms < STORY_TOP && all[i].text)
			s->terms[s->n_terms++] = sl_strdup(all[i].text);
		free(all[i].text);
	}
	sl_hmap_free(&at);
	free(all);
}

/* A story's members, from the store. */
static int read_members(sl_engine *e, int64_t id, sl_story *s)
{
	collect c = {s, 0};
	int rc;

	memset(s, 0, sizeof(*s));
	s->id = id;
	rc = e->store->ops->story_members(e->store, id, add_member, &c);
	if (rc != 0)
		return rc < 0 ? rc : SL_EIO;
	if (s->n_members == 0)
		return sl_error_set(SL_ENOTFOUND, "no story %lld",
				    (long long)id);
	return 0;
}

static int load_story(sl_engine *e, int64_t id, sl_story *s, int detail)
{
	int rc = read_members(e, id, s);

	if (rc < 0)
		return rc;
	s->size = s->n_members;
	for (size_t i = 0; i < s->n_members; i++) {
		s->n_copies += s->members[i].copy_of != NULL;
		add_outlet(s, s->members[i].outlet);
	}
	pthread_mutex_lock(&e->lock);
	choose_title(e, s);
	if (detail)
		top_terms(e, s);
	pthread_mutex_unlock(&e->lock);
	return 0;
}

static void story_clear(sl_story *s)
{
	for (size_t i = 0; i < s->n_members; i++) {
		sl_story_member *m = &s->members[i];

		free(m->id);
		free(m->url);
		free(m->title);
		free(m->outlet);
		free(m->copy_of);
	}
	free(s->members);
	for (size_t i = 0; i < s->n_outlets; i++)
		free(s->outlets[i]);
	free(s->outlets);
	for (size_t i = 0; i < s->n_names; i++)
		free(s->names[i]);
	for (size_t i = 0; i < s->n_terms; i++)
		free(s->terms[i]);
	free(s->names);
	free(s->terms);
	free(s->title);
}

char *sl_story_lead(sl_engine *e, int64_t id)
{
	sl_story s;
	char *lead = NULL;

	if (read_members(e, id, &s) == 0) {
		choose_title(e, &s);
		lead = sl_strdup(s.lead);
	}
	story_clear(&s);
	return lead;
}

void sl_stories_free(sl_story *s, size_t n)
{
	if (!s)
		return;
	for (size_t i = 0; i < n; i++)
		story_clear(&s[i]);
	free(s);
}

typedef struct ids {
	int64_t *v;
	size_t n, cap;
} ids;

static int add_id(int64_t story, void *ctx)
{
	ids *l = ctx;

	sl_grow(&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = story;
	return 0;
}

#define TOP_POOL 200	    /* newest stories the top ones come from */
#define TOP_HALF_LIFE 12.0 /* hours: a story's weight halves */

/* A story's weight among the top stories: its coverage, outlets counting
 * most, halved every TOP_HALF_LIFE hours since its last article, against
 * the newest news in the store (not the clock, so that a store of old
 * news still has top stories). */
static double story_weight(int64_t outlets, int64_t size, int64_t last,
			   int64_t newest)
{
	double hours = (double)(newest - last) / 3600.0;

	if (hours < 0)
		hours = 0;
	return ((double)outlets * 2 + log2(1.0 + (double)size)) *
	       pow(0.5, hours / TOP_HALF_LIFE);
}

static int by_weight(const void *a, const void *b)
{
	const sl_top_story *x = a, *y = b;

	if (x->weight != y->weight)
		return x->weight < y->weight ? 1 : -1;
	return (x->id < y->id) - (x->id > y->id); /* newer first */
}

/* Rank the n stories of t (ids given) by weight, from their counts alone
 * (a story is read whole only if it is shown). */
static int rank_top(sl_engine *e, sl_top_story *t, size_t n)
{
	int64_t newest = SL_TIME_NONE, first;
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = e->store->ops->story_stats(e->store, t[i].id, &t[i].size,
						&first, &t[i].last,
						&t[i].outlets);
		if (rc == 0 && (newest == SL_TIME_NONE || t[i].last > newest))
			newest = t[i].last;
	}
	for (size_t i = 0; i < n && rc == 0; i++)
		t[i].weight =
		    story_weight(t[i].outlets, t[i].size, t[i].last, newest);
	if (rc == 0)
		qsort(t, n, sizeof(*t), by_weight);
	return rc;
}

#define TOP_KEEP 50 /* top stories kept ranked until the engine changes */

int sl_engine_top_stories(sl_engine *e, int64_t since, size_t limit,
			  sl_top_story **out, size_t *n_out)
{
	uint64_t changes = sl_engine_changes(e);
	int keep = since == SL_TIME_NONE && limit && limit <= TOP_KEEP;
	ids l = {0};
	sl_top_story *t;
	int rc;

	*out = NULL;
	*n_out = 0;
	if (keep) {
		pthread_mutex_lock(&e->lock);
		if (e->top.t && e->top.changes == changes) {
			*n_out = limit < e->top.n ? limit : e->top.n;
			*out = sl_malloc((*n_out + 1) * sizeof(**out));
			memcpy(*out, e->top.t, *n_out * sizeof(**out));
			pthread_mutex_unlock(&e->lock);
			return 0;
		}
		pthread_mutex_unlock(&e->lock);
	}
	rc = e->store->ops->list_stories(
	    e->store, since, limit && limit < TOP_POOL ? TOP_POOL : limit, 0,
	    add_id, &l);
	if (rc != 0) {
		free(l.v);
		return rc < 0 ? rc : SL_EIO;
	}
	t = sl_calloc(l.n + 1, sizeof(*t));
	for (size_t i = 0; i < l.n; i++)
		t[i].id = l.v[i];
	free(l.v);
	if ((rc = rank_top(e, t, l.n)) < 0) {
		free(t);
		return rc;
	}
	if (keep) {
		size_t k = l.n < TOP_KEEP ? l.n : TOP_KEEP;

		pthread_mutex_lock(&e->lock);
		free(e->top.t);
		e->top.t = sl_malloc((k + 1) * sizeof(*t));
		memcpy(e->top.t, t, k * sizeof(*t));
		e->top.n = k;
		e->top.changes = changes;
		pthread_mutex_unlock(&e->lock);
	}
	*out = t;
	*n_out = limit && limit < l.n ? limit : l.n;
	return 0;
}

/* The ids of the stories opts asks for, into l. */
static int story_ids(sl_engine *e, const sl_stories_opts *opts, ids *l)
{
	sl_top_story *t;
	size_t n;
	int rc;

	if (!opts->top)
		return e->store->ops->list_stories(e->store, opts->since,
						   opts->limit, opts->by_size,
						   add_id, l);
	if ((rc = sl_engine_top_stories(e, opts->since, opts->limit, &t,
					&n)) < 0)
		return rc;
	l->v = sl_malloc((n + 1) * sizeof(*l->v));
	for (size_t i = 0; i < n; i++)
		l->v[i] = t[i].id;
	l->n = n;
	free(t);
	return 0;
}

int sl_engine_stories(sl_engine *e, const sl_stories_opts *opts, sl_story **out,
		      size_t *n_out)
{
	ids l = {0};
	sl_story *s;
	int rc;

	*out = NULL;
	*n_out = 0;
	rc = story_ids(e, opts, &l);
	if (rc != 0) {
		free(l.v);
		return rc < 0 ? rc : SL_EIO;
	}
	s = sl_calloc(l.n + 1, sizeof(*s));
	for (size_t i = 0; i < l.n; i++) {
		if ((rc = load_story(e, l.v[i], &s[i], 0)) < 0) {
			sl_stories_free(s, i + 1);
			free(l.v);
			return rc;
		}
	}
	*out = s;
	*n_out = l.n;
	free(l.v);
	return 0;
}

int sl_engine_story(sl_engine *e, int64_t id, sl_story **out)
{
	sl_story *s = sl_calloc(1, sizeof(*s));
	int rc = load_story(e, id, s, 1);

	if (rc < 0) {
		sl_stories_free(s, 1);
		*out = NULL;
		return rc;
	}
	*out = s;
	return 0;
}

int sl_engine_story_of(sl_engine *e, const char *article_id, int64_t *story,
		       char **copy_of)
{
	char *orig = NULL;
	int rc = e->store->ops->placement(e->store, article_id, story, &orig);

	if (rc == SL_ENOTFOUND)
		rc = sl_error_set(SL_ENOTFOUND, "%s: not placed in a story",
				  article_id);
	if (copy_of)
		*copy_of = orig;
	else
		free(orig);
	return rc;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

static json_t *strings(char **v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

char *sl_story_to_json(const sl_story *s, int detail)
{
	json_t *o = json_object(), *arts = json_array(),
	       *copies = json_object();
	char *text;

	json_object_set_new(o, "id", json_integer(s->id));
	json_object_set_new(o, "title", sl_json_str(s->title));
	json_object_set_new(o, "lead", sl_json_str(s->lead));
	json_object_set_new(o, "size", json_integer((json_int_t)s->size));
	json_object_set_new(o, "copies_count",
			    json_integer((json_int_t)s->n_copies));
	json_object_set_new(o, "outlets", strings(s->outlets, s->n_outlets));
	json_object_set_new(o, "first", sl_json_time(s->first));
	json_object_set_new(o, "last", sl_json_time(s->last));
	for (size_t i = 0; i < s->n_members; i++) {
		const sl_story_member *m = &s->members[i];

		json_array_append_new(arts, json_string(m->id));
		if (m->copy_of) {
			json_t *l = json_object_get(copies, m->copy_of);

			if (!l) {
				l = json_array();
				json_object_set_new(copies, m->copy_of, l);
			}
			json_array_append_new(l, json_string(m->id));
		}
	}
	json_object_set_new(o, "articles", arts);
	json_object_set_new(o, "copies", copies);
	if (detail) {
		json_t *ms = json_array();

		for (size_t i = 0; i < s->n_members; i++) {
			const sl_story_member *m = &s->members[i];
			json_t *mo = json_object();

			json_object_set_new(mo, "id", json_string(m->id));
			json_object_set_new(mo, "url", sl_json_str(m->url));
			json_object_set_new(mo, "title", sl_json_str(m->title));
			json_object_set_new(mo, "outlet",
					    sl_json_str(m->outlet));
			json_object_set_new(mo, "published",
					    sl_json_time(m->published));
			json_object_set_new(mo, "copy_of",
					    sl_json_str(m->copy_of));
			json_array_append_new(ms, mo);
		}
		json_object_set_new(o, "members", ms);
		json_object_set_new(o, "names", strings(s->names, s->n_names));
		json_object_set_new(o, "terms", strings(s->terms, s->n_terms));
	}
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return text;
}

/* ------------------------------------------------------------------ */
/* Similarity                                                          */

typedef struct side {
	sl_vec v;
	sl_fingerprint fp;
	int64_t time;
} side;

static void side_of(sl_engine *e, const sl_article *a, side *s)
{
	const sl_analysis *an = sl_engine_analyze(e, a);

	sl_engine_vec(e, a, an, 1, &s->v);
	sl_fingerprint_of(an, &s->fp);
	s->time = a->published;
}

#define WHY_MAX 8

int sl_engine_similarity(sl_engine *e, const sl_article *a, const sl_article *b,
			 sl_similarity *out)
{
	side x, y;
	sl_vec_names names;
	double decay = 1;
	int rc;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&e->lock);
	if ((rc = sl_engine_index_ready(e)) < 0) {
		pthread_mutex_unlock(&e->lock);
		return rc;
	}
	side_of(e, a, &x);
	side_of(e, b, &y);
	pthread_mutex_unlock(&e->lock);
	sl_vec_names_of(&x.v, &names);
	sl_vec_align(&x.v, &names, &y.v);
	sl_vec_names_clear(&names);
	sl_vec_story_weights(&x.v);
	sl_vec_story_weights(&y.v);
	out->score = sl_vec_cosine(&x.v, &y.v);
	out->copy = sl_fingerprint_is_copy(&x.fp, &y.fp);
	if (out->copy) {
		double c = sl_fingerprint_containment(&x.fp, &y.fp);

		if (c > out->score)
			out->score = c;
	}
	if (x.time != SL_TIME_NONE && y.time != SL_TIME_NONE)
		decay = sl_story_decay(x.time - y.time);
	out->same_story = out->copy || out->score * decay >= SL_STORY_JOIN;
	out->why = sl_calloc(WHY_MAX + 1, sizeof(char *));
	if (out->copy)
		out->why[out->n_why++] = sl_strdup("same text (a copy)");
	out->n_why += sl_vec_shared(&x.v, &y.v, out->why + out->n_why,
				    WHY_MAX - out->n_why);
	sl_vec_clear(&x.v);
	sl_vec_clear(&y.v);
	return 0;
}

void sl_similarity_clear(sl_similarity *s)
{
	for (size_t i = 0; i < s->n_why; i++)
		free(s->why[i]);
	free(s->why);
	memset(s, 0, sizeof(*s));
}
