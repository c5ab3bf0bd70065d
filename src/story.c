/*
 * story.c - copies and stories, placed online (see story.h).
 *
 * Live stories sit in an array of slots; a map from story number to slot
 * and, per term, the slots of the stories whose members use it (each
 * story once: a term enters a story's list when it first appears there,
 * and members never leave a live story). Articles of live stories keep
 * their fingerprints in an LSH table for copy detection. Every SWEEP
 * placements, stories whose last article is older than the window plus
 * SL_STORY_SLACK before the newest time seen are dropped and the tables
 * rebuilt.
 */
#include "story.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dedup.h"
#include "storyline.h"
#include "util/hmap.h"
#include "util/mem.h"

#define CANDIDATES  12	 /* stories scored fully per article */
#define KEY_TERMS   16	 /* heaviest terms that find the candidates */
#define OWN_TERMS   3	 /* a story worth joining uses one of these, */
#define OWN_SHARE   0.5f /* each weighing this much of the heaviest */
#define ONE_TERM    0.5	 /* the most a match may owe to a single term */
#define DECAY	    (4 * 86400.0) /* time factor e^(-gap / DECAY) */
#define COPY_WINDOW (7 * 86400)	  /* copies published this close */
#define SWEEP	    4096	  /* placements between sweeps */

/* ------------------------------------------------------------------ */
/* Vectors                                                             */

static int by_weight(const void *a, const void *b)
{
	const sl_vec_term *x = a, *y = b;

	if (x->w != y->w)
		return x->w < y->w ? 1 : -1;
	return (x->id > y->id) - (x->id < y->id);
}

static int by_id(const void *a, const void *b)
{
	const sl_vec_term *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* Is the all-capitals token i an acronym in ordinary text, rather than
 * part of a run of capitals (a shouted line)? */
static int lone_capitals(const sl_analysis *an, size_t i)
{
	int caps = 0;

	if (i > 0 && an->tokens[i - 1].field == an->tokens[i].field)
		caps += (an->tokens[i - 1].flags & SL_TOK_UPPER) != 0;
	if (i + 1 < an->n_tokens &&
	    an->tokens[i + 1].field == an->tokens[i].field)
		caps += (an->tokens[i + 1].flags & SL_TOK_UPPER) != 0;
	return caps < 2;
}

/* Is the word (len bytes at src) one of the words of names? */
static int word_in(const char *names, const char *src, size_t len)
{
	const char *o = names;

	while (o && *o) {
		size_t n = strcspn(o, " -.,;&'");

		if (n == len && strncasecmp(o, src, len) == 0)
			return 1;
		o += n;
		o += strspn(o, " -.,;&'");
	}
	return 0;
}

/* A word of the article's own outlet or byline says nothing about the
 * story: a wire writes "told Continental Press Agency". */
static int own_word(const sl_doc_text *d, const sl_token *tk)
{
	const char *src;

	if (!(tk->field == SL_FIELD_TITLE ? d->title : d->body))
		return 0;
	src = sl_token_source(tk, d->title, d->body);
	return word_in(d->outlet, src, tk->len) ||
	       word_in(d->byline, src, tk->len);
}

/* Where the body's closing credit line starts ("Additional reporting by
 * ...; editing by ..."), or SIZE_MAX: the names in it are the newsroom's,
 * not the story's. */
static size_t credits_at(const char *body)
{
	static const char *const lead[] = {
	    "additional reporting by",
	    "reporting by",
	    "editing by",
	    "writing by",
	    "compiled by",
	    "with reporting by",
	    "with additional reporting",
	    "mit material von",
	    "avec la collaboration",
	    "con informaci",
	};
	const char *last;
	size_t n;

	if (!body || !*body)
		return SIZE_MAX;
	n = strlen(body);
	while (n > 0 && (body[n - 1] == '\n' || body[n - 1] == ' '))
		n--;
	for (last = body + n; last > body && last[-1] != '\n'; last--)
		;
	for (size_t i = 0; i < sizeof(lead) / sizeof(*lead); i++)
		if (strncasecmp(last, lead[i], strlen(lead[i])) == 0)
			return (size_t)(last - body);
	return SIZE_MAX;
}

/* Sift down in a heap whose root is the lightest term. */
static void sift_light(sl_vec_term *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		sl_vec_term tmp;

		if (l < n && by_weight(&h[l], &h[m]) > 0)
			m = l;
		if (r < n && by_weight(&h[r], &h[m]) > 0)
			m = r;
		if (m == i)
			return;
		tmp = h[i];
		h[i] = h[m];
		h[m] = tmp;
		i = m;
	}
}

/* Keep the k heaviest of t[0..n-1] in t[0..k-1], in no order. */
static void select_top(sl_vec_term *t, size_t n, size_t k)
{
	for (size_t i = k / 2; i-- > 0;)
		sift_light(t, k, i);
	for (size_t i = k; i < n; i++) {
		if (by_weight(&t[i], &t[0]) < 0) {
			t[0] = t[i];
			sift_light(t, k, 0);
		}
	}
}

void sl_vec_unit_length(sl_vec_term *t, size_t n)
{
	double norm = 0;

	for (size_t i = 0; i < n; i++)
		norm += (double)t[i].w * t[i].w;
	norm = sqrt(norm);
	for (size_t i = 0; i < n && norm > 0; i++)
		t[i].w = (float)(t[i].w / norm);
}

size_t sl_vec_counts(const sl_vec *v, const sl_analysis *an, uint8_t *count)
{
	size_t n = v ? (v->n < SL_VEC_TERMS ? v->n : SL_VEC_TERMS) : 0;

	memset(count, 0, SL_VEC_TERMS);
	for (size_t i = 0; i < an->n_terms && n; i++) {
		const sl_term *t = &an->terms[i];
		size_t lo = 0, hi = n;

		while (lo < hi) { /* the vector is by id */
			size_t mid = (lo + hi) / 2;

			if (v->t[mid].id < t->id)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < n && v->t[lo].id == t->id) {
			uint32_t r = SL_VEC_TITLE_TF * t->tf[SL_FIELD_TITLE] +
				     t->tf[SL_FIELD_BODY];

			count[lo] = (uint8_t)(r > 255 ? 255 : r);
		}
	}
	return n;
}

void sl_vec_of(sl_vec *v, const sl_doc_text *d, const sl_df_source *df)
{
	const sl_analysis *an = d->an;
	const char *title = d->title, *body = d->body;
	size_t n_terms = an->n_terms + 1;
	uint8_t *name = sl_calloc(n_terms, 1);
	uint8_t *seen = sl_calloc(n_terms, 1); /* outside the credits */
	size_t credits = credits_at(body);
	uint32_t *first = sl_malloc(n_terms * sizeof(*first));
	uint32_t *dfs = sl_malloc(n_terms * sizeof(*dfs));
	uint32_t *raw = sl_malloc(n_terms * sizeof(*raw));
	uint64_t *ids = sl_malloc(n_terms * sizeof(*ids));
	sl_vec_term *t = sl_malloc(n_terms * sizeof(*t));
	size_t n = 0, n_docs = 0;

	for (size_t i = 0; i < an->n_terms; i++)
		first[i] = UINT32_MAX;
	for (size_t i = 0; i < an->n_tokens; i++) {
		const sl_token *tk = &an->tokens[i];

		if (tk->field == SL_FIELD_BODY && tk->off >= credits)
			continue;
		seen[tk->term] = 1;
		if (first[tk->term] == UINT32_MAX)
			first[tk->term] = (uint32_t)i;
		/* A name: capitalised inside a sentence of the body, or an
		 * acronym between words that are not capitals themselves.
		 * Titles say nothing: title case and all-capital headlines. */
		if (tk->field != SL_FIELD_BODY ||
		    (tk->flags & (SL_TOK_STOP | SL_TOK_NUM | SL_TOK_URL)))
			continue;
		if ((tk->flags & SL_TOK_CAP) && !(tk->flags & SL_TOK_SENT) &&
		    (!(tk->flags & SL_TOK_UPPER) || lone_capitals(an, i)))
			name[tk->term] = 1;
	}
	/* The terms that count, then their document frequencies at once. */
	for (size_t i = 0; i < an->n_terms; i++) {
		const sl_term *term = &an->terms[i];
		uint32_t r = SL_VEC_TITLE_TF * term->tf[SL_FIELD_TITLE] +
			     term->tf[SL_FIELD_BODY];

		/* Numbers are left out with days and months: two reports
		 * share "52" or "1987" by chance, not by event. */
		if (term->stop || term->calendar || term->len < 2 || r == 0 ||
		    !seen[i] || (an->tokens[first[i]].flags & SL_TOK_NUM) ||
		    own_word(d, &an->tokens[first[i]]))
			continue;
		t[n].id = ids[n] = term->id;
		t[n].name = name[i];
		t[n].word = name[i] ? term->word : term->id;
		t[n].text = NULL;
		first[n] = first[i]; /* n <= i: first[i] is read first */
		raw[n++] = r;
	}
	if (n)
		df->df(df->ctx, ids, n, dfs, &n_docs);
	for (size_t i = 0; i < n; i++) {
		uint32_t d = dfs[i] > n_docs ? (uint32_t)n_docs : dfs[i];
		double idf = log(1 + (n_docs - d + 0.5) / (d + 0.5));

		t[i].common = t[i].name && n_docs >= SL_VEC_COMMON_DOCS &&
			      d >= SL_VEC_COMMON_SHARE * (double)n_docs;
		t[i].w = (float)((1 + log(raw[i])) * idf) *
			 (t[i].name ? SL_VEC_NAME_BOOST : 1.0f);
		/* The surface form rides in text until the cut. */
		t[i].text = (char *)(uintptr_t)first[i];
	}
	if (n > SL_VEC_TERMS) {
		select_top(t, n, SL_VEC_TERMS);
		n = SL_VEC_TERMS;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t tok = (uint32_t)(uintptr_t)t[i].text;

		t[i].text = NULL;
		if (tok != UINT32_MAX && d->keep_text) {
			const sl_token *tk = &an->tokens[tok];

			t[i].text = sl_strndup(sl_token_source(tk, title, body),
					       tk->len);
		}
	}
	sl_vec_unit_length(t, n);
	qsort(t, n, sizeof(*t), by_id);
	v->t = t;
	v->n = n;
	free(name);
	free(seen);
	free(first);
	free(dfs);
	free(raw);
	free(ids);
}

void sl_vec_clear(sl_vec *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->t[i].text);
	free(v->t);
	v->t = NULL;
	v->n = 0;
}

/* The dot product of two term lists sorted by id; *top receives the
 * biggest single term's part of it. */
static double dot_of(const sl_vec_term *a, size_t na, const sl_vec_term *b,
		     size_t nb, double *top)
{
	double dot = 0;
	size_t i = 0, j = 0;

	*top = 0;
	while (i < na && j < nb) {
		if (a[i].id < b[j].id) {
			i++;
		} else if (a[i].id > b[j].id) {
			j++;
		} else {
			double x = (double)a[i].w * b[j].w;

			dot += x;
			if (x > *top)
				*top = x;
			i++;
			j++;
		}
	}
	return dot;
}

void sl_vec_story_weights(sl_vec *v)
{
	int common = 0;

	for (size_t i = 0; i < v->n; i++)
		if (v->t[i].common) {
			v->t[i].w /= SL_VEC_NAME_BOOST;
			common = 1;
		}
	if (common)
		sl_vec_unit_length(v->t, v->n);
}

double sl_vec_cosine(const sl_vec *a, const sl_vec *b)
{
	double top, dot = dot_of(a->t, a->n, b->t, b->n, &top);

	return dot > 1 ? 1 : dot;
}

static int by_word(const void *x, const void *y)
{
	const struct sl_vec_alias *a = x, *b = y;

	return (a->word > b->word) - (a->word < b->word);
}

void sl_vec_names_of(const sl_vec *v, sl_vec_names *out)
{
	out->alias = sl_malloc((v->n + 1) * sizeof(*out->alias));
	out->n = 0;
	for (size_t i = 0; i < v->n; i++)
		if (v->t[i].name && v->t[i].word != v->t[i].id)
			out->alias[out->n++] =
			    (struct sl_vec_alias){v->t[i].word, v->t[i].id};
	qsort(out->alias, out->n, sizeof(*out->alias), by_word);
}

void sl_vec_names_clear(sl_vec_names *nm)
{
	free(nm->alias);
	nm->alias = NULL;
	nm->n = 0;
}

/* The first of n records (size bytes each, led by a uint64_t key, in
 * ascending order) whose key is key, or NULL. */
static const void *find_key(const void *base, size_t n, size_t size,
			    uint64_t key)
{
	const char *b = base;
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t k;

		memcpy(&k, b + mid * size, sizeof(k));
		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n) {
		uint64_t k;

		memcpy(&k, b + lo * size, sizeof(k));
		if (k == key)
			return b + lo * size;
	}
	return NULL;
}

/* a's term for word w: its term of that id, else its name written w; 0
 * when none. */
static uint64_t term_for(const sl_vec *a, const sl_vec_names *names,
			 uint64_t w)
{
	const struct sl_vec_alias *al;

	if (find_key(a->t, a->n, sizeof(*a->t), w))
		return w;
	al = find_key(names->alias, names->n, sizeof(*names->alias), w);
	return al ? al->id : 0;
}

void sl_vec_align(const sl_vec *a, const sl_vec_names *names, sl_vec *b)
{
	size_t i = 0, j = 0, moved = 0;

	/* b's terms that are a's names as written: one merge, both sorted. */
	while (i < b->n && j < names->n) {
		if (b->t[i].id < names->alias[j].word) {
			i++;
		} else if (b->t[i].id > names->alias[j].word) {
			j++;
		} else {
			b->t[i++].id = names->alias[j++].id;
			moved++;
		}
	}
	/* b's own names as written (few; none in the index's vectors). */
	for (i = 0; i < b->n; i++) {
		uint64_t id;

		if (b->t[i].word == b->t[i].id)
			continue;
		id = term_for(a, names, b->t[i].word);
		if (id && id != b->t[i].id) {
			b->t[i].id = id;
			moved++;
		}
	}
	if (moved)
		qsort(b->t, b->n, sizeof(*b->t), by_id);
}

typedef struct shared_term {
	double w;
	int name;
	const char *text;
} shared_term;

static int by_shared(const void *a, const void *b)
{
	const shared_term *x = a, *y = b;

	if (x->name != y->name)
		return y->name - x->name;
	return (x->w < y->w) - (x->w > y->w);
}

size_t sl_vec_shared(const sl_vec *a, const sl_vec *b, char **why, size_t max)
{
	shared_term *sh = sl_malloc((a->n + 1) * sizeof(*sh));
	size_t n = 0, i = 0, j = 0, k;

	while (i < a->n && j < b->n) {
		if (a->t[i].id < b->t[j].id) {
			i++;
		} else if (a->t[i].id > b->t[j].id) {
			j++;
		} else {
			const char *text =
			    b->t[j].text ? b->t[j].text : a->t[i].text;

			if (text) {
				const sl_vec_term *x = &a->t[i], *y = &b->t[j];
				int common = x->common || y->common;

				/* A common name ("Inc", "U.S") says as little
				 * as a word: ranked as one, without its boost. */
				sh[n].w = (double)x->w * y->w;
				if (common && x->name)
					sh[n].w /= SL_VEC_NAME_BOOST;
				if (common && y->name)
					sh[n].w /= SL_VEC_NAME_BOOST;
				sh[n].name = (x->name || y->name) && !common;
				sh[n].text = text;
				n++;
			}
			i++;
			j++;
		}
	}
	if (n > 1)
		qsort(sh, n, sizeof(*sh), by_shared);
	for (k = 0; k < n && k < max; k++)
		why[k] = sl_strdup(sh[k].text);
	free(sh);
	return k;
}

double sl_story_decay(int64_t gap)
{
	return exp(-(double)(gap < 0 ? -gap : gap) / DECAY);
}

/* ------------------------------------------------------------------ */
/* Live stories and articles                                           */

typedef struct core_term {
	uint64_t id;
	float sum;	  /* of the members' weights */
	uint32_t support; /* members using the term */
} core_term;

typedef struct live_story {
	int64_t id;
	int64_t first, last;
	uint32_t n;	  /* members in the core (copies are not) */
	core_term *terms; /* by id */
	size_t n_terms, cap_terms;
	/* The core as matched: the terms that qualify, weight = mean, by
	 * id; made again after a member joins. */
	sl_vec_term *core;
	size_t n_core, cap_core;
	double core_norm;
	int core_stale;
	uint32_t *docs; /* its live articles (indexes into docs), copies too */
	size_t n_docs, cap_docs;
} live_story;

typedef struct live_doc {
	char *id;
	char *original;	   /* for a copy, else NULL */
	int64_t time;
	int64_t root_time; /* its original's (its own for an original) */
	uint32_t story; /* slot */
	sl_fingerprint fp;
} live_doc;

typedef struct slots {
	uint32_t *v;
	size_t n, cap;
} slots;

struct sl_placer {
	live_story *stories;
	size_t n_stories, cap_stories;
	live_doc *docs;
	size_t n_docs, cap_docs;
	sl_hmap by_id;	 /* story number -> slot */
	sl_hmap by_term; /* term -> index into lists */
	slots *lists;
	size_t n_lists, cap_lists;
	sl_lsh *lsh;
	float *acc;	/* per story slot, during one placement */
	uint32_t *mark; /* per story slot: the placement that set acc */
	size_t cap_acc;
	uint32_t query;
	uint32_t *found;
	size_t cap_found;
	int64_t next_id, max_time;
	int64_t window; /* a story takes articles this close to its span */
	size_t since_sweep;
	char *rerooted; /* the last placement's old original, see place */
};

sl_placer *sl_placer_new(int64_t window)
{
	sl_placer *p = sl_calloc(1, sizeof(*p));

	p->window = window > 0 ? window : SL_STORY_WINDOW;
	p->lsh = sl_lsh_new();
	p->next_id = 1;
	p->max_time = INT64_MIN;
	return p;
}

static void drop_tables(sl_placer *p)
{
	for (size_t i = 0; i < p->n_lists; i++)
		free(p->lists[i].v);
	p->n_lists = 0;
	sl_hmap_clear(&p->by_term);
	sl_hmap_clear(&p->by_id);
	sl_lsh_clear(p->lsh);
}

void sl_placer_free(sl_placer *p)
{
	if (!p)
		return;
	drop_tables(p);
	for (size_t i = 0; i < p->n_stories; i++) {
		free(p->stories[i].terms);
		free(p->stories[i].core);
		free(p->stories[i].docs);
	}
	for (size_t i = 0; i < p->n_docs; i++) {
		free(p->docs[i].id);
		free(p->docs[i].original);
	}
	sl_hmap_free(&p->by_term);
	sl_hmap_free(&p->by_id);
	sl_lsh_free(p->lsh);
	free(p->lists);
	free(p->stories);
	free(p->docs);
	free(p->acc);
	free(p->mark);
	free(p->found);
	free(p->rerooted);
	free(p);
}

int sl_placer_behind(const sl_placer *p, int64_t time)
{
	return p->max_time != INT64_MIN && time < p->max_time - p->window;
}

void sl_placer_set_next(sl_placer *p, int64_t max_story)
{
	if (max_story + 1 > p->next_id)
		p->next_id = max_story + 1;
}

static uint64_t story_key(int64_t id)
{
	return (uint64_t)id * 0x9e3779b97f4a7c15ULL;
}

/* The term's list of story slots. */
static void list_add(sl_placer *p, uint64_t term, uint32_t slot)
{
	uint32_t i = sl_hmap_get(&p->by_term, term);
	slots *l;

	if (i == SL_HMAP_NONE) {
		sl_grow(&p->lists, &p->cap_lists, p->n_lists + 1,
			sizeof(*p->lists));
		i = (uint32_t)p->n_lists++;
		memset(&p->lists[i], 0, sizeof(slots));
		sl_hmap_put(&p->by_term, term, i, 0);
	}
	l = &p->lists[i];
	sl_grow(&l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = slot;
}

static uint32_t new_story(sl_placer *p, int64_t id, int64_t time)
{
	live_story *s;
	uint32_t slot;

	sl_grow(&p->stories, &p->cap_stories, p->n_stories + 1,
		sizeof(*p->stories));
	slot = (uint32_t)p->n_stories++;
	s = &p->stories[slot];
	memset(s, 0, sizeof(*s));
	s->id = id;
	s->first = s->last = time;
	sl_hmap_put(&p->by_id, story_key(id), slot, 0);
	if (id >= p->next_id)
		p->next_id = id + 1;
	if (p->n_stories > p->cap_acc) {
		size_t old = p->cap_acc;

		p->cap_acc = p->cap_stories;
		p->acc = sl_realloc(p->acc, p->cap_acc * sizeof(*p->acc));
		p->mark = sl_realloc(p->mark, p->cap_acc * sizeof(*p->mark));
		memset(p->mark + old, 0, (p->cap_acc - old) * sizeof(*p->mark));
	}
	return slot;
}

/* Merge a member's vector into its story's core. */
static void add_member(sl_placer *p, uint32_t slot, const sl_vec *v)
{
	live_story *s = &p->stories[slot];
	size_t n = s->n_terms + v->n, i = s->n_terms, j = v->n, k = n;

	sl_grow(&s->terms, &s->cap_terms, n, sizeof(*s->terms));
	/* Merge from the back, both sides sorted by id. */
	while (j > 0) {
		const sl_vec_term *t = &v->t[j - 1];

		if (i > 0 && s->terms[i - 1].id > t->id) {
			s->terms[--k] = s->terms[--i];
		} else if (i > 0 && s->terms[i - 1].id == t->id) {
			s->terms[--k] = s->terms[--i];
			s->terms[k].sum += t->w;
			s->terms[k].support++;
			j--;
		} else {
			core_term c = {t->id, t->w, 1};

			s->terms[--k] = c;
			list_add(p, t->id, slot);
			j--;
		}
	}
	/* Shift the merged block down over the gap of shared terms. */
	if (k > i) {
		memmove(s->terms + i, s->terms + k,
			(n - k) * sizeof(*s->terms));
		n -= k - i;
	}
	s->n_terms = n;
	s->n++;
	s->core_stale = 1;
}

/* Make the story's core again: the terms at least half the members
 * use (all of them below three members), each at its mean weight. */
static void make_core(live_story *s)
{
	uint32_t need = s->n >= 3 ? (s->n + 1) / 2 : 1;
	double norm = 0;

	s->n_core = 0;
	for (size_t i = 0; i < s->n_terms; i++) {
		const core_term *c = &s->terms[i];
		sl_vec_term *t;

		if (c->support < need)
			continue;
		sl_grow(&s->core, &s->cap_core, s->n_core + 1,
			sizeof(*s->core));
		t = &s->core[s->n_core++];
		memset(t, 0, sizeof(*t));
		t->id = c->id;
		t->w = c->sum / s->n;
		norm += (double)t->w * t->w;
	}
	s->core_norm = sqrt(norm);
	s->core_stale = 0;
}

/* Similarity of an article to a story's core, before the time factor:
 * 0 when it rests on one term, that is when what the other shared terms
 * give comes to less than SL_STORY_JOIN x ONE_TERM (a country's name in
 * common makes a topic, "Japan", not an event). */
static double core_similarity(live_story *s, const sl_vec *v)
{
	double dot, top;

	if (s->n == 0)
		return 0;
	if (s->core_stale)
		make_core(s);
	if (s->core_norm <= 0)
		return 0;
	dot = dot_of(s->core, s->n_core, v->t, v->n, &top);
	if (dot - top < SL_STORY_JOIN * ONE_TERM * s->core_norm)
		return 0;
	/* The cosine; v is of unit length. */
	return (dot > s->core_norm ? 1 : dot / s->core_norm);
}

static int64_t gap_to(const live_story *s, int64_t time)
{
	if (time > s->last)
		return time - s->last;
	if (time < s->first)
		return s->first - time;
	return 0;
}

static void touch(live_story *s, int64_t time)
{
	if (time < s->first)
		s->first = time;
	if (time > s->last)
		s->last = time;
}

static void story_doc(live_story *s, uint32_t doc)
{
	sl_grow(&s->docs, &s->cap_docs, s->n_docs + 1, sizeof(*s->docs));
	s->docs[s->n_docs++] = doc;
}

static uint32_t add_doc(sl_placer *p, const char *id, int64_t time,
			uint32_t story, const char *original,
			int64_t root_time, const sl_fingerprint *fp)
{
	live_doc *d;
	uint32_t i;

	sl_grow(&p->docs, &p->cap_docs, p->n_docs + 1, sizeof(*p->docs));
	i = (uint32_t)p->n_docs++;
	d = &p->docs[i];
	d->id = sl_strdup(id);
	d->original = original ? sl_strdup(original) : NULL;
	d->time = time;
	d->root_time = root_time;
	d->story = story;
	d->fp = *fp;
	sl_lsh_add(p->lsh, i, fp);
	story_doc(&p->stories[story], i);
	touch(&p->stories[story], time);
	if (time > p->max_time)
		p->max_time = time;
	return i;
}

/* The live article this one copies (the closest), or -1. */
static long find_original(sl_placer *p, int64_t time, const sl_fingerprint *fp)
{
	size_t n = sl_lsh_candidates(p->lsh, fp, &p->found, &p->cap_found);
	double best = 0;
	long at = -1;

	for (size_t i = 0; i < n; i++) {
		const live_doc *d = &p->docs[p->found[i]];
		double c;

		if (llabs(d->time - time) > COPY_WINDOW ||
		    !sl_fingerprint_is_copy(&d->fp, fp))
			continue;
		c = sl_fingerprint_containment(&d->fp, fp);
		if (c > best) {
			best = c;
			at = (long)p->found[i];
		}
	}
	return at;
}

/* The n heaviest terms of v, heaviest first: their weights into w and,
 * unless ids is NULL, their ids. Returns how many (fewer if v has fewer). */
static size_t top_terms(const sl_vec *v, size_t n, float *w, uint64_t *ids)
{
	size_t k = 0;

	for (size_t i = 0; i < v->n; i++) {
		size_t j = k < n ? k++ : n;

		if (j == n && v->t[i].w <= w[n - 1])
			continue;
		if (j == n)
			j--;
		/* Insert into the descending top. */
		for (; j > 0 && w[j - 1] < v->t[i].w; j--) {
			w[j] = w[j - 1];
			if (ids)
				ids[j] = ids[j - 1];
		}
		w[j] = v->t[i].w;
		if (ids)
			ids[j] = v->t[i].id;
	}
	return k;
}

/* The weight of the KEY_TERMS-th heaviest term of v (0 if fewer). */
static float key_weight(const sl_vec *v)
{
	float top[KEY_TERMS];

	return top_terms(v, KEY_TERMS, top, NULL) < KEY_TERMS ?
		       0 :
		       top[KEY_TERMS - 1];
}

/* The ids of v's own terms: its OWN_TERMS heaviest that weigh OWN_SHARE
 * of the heaviest or more. Returns how many. */
static size_t own_terms(const sl_vec *v, uint64_t *ids)
{
	float w[OWN_TERMS];
	size_t k = top_terms(v, OWN_TERMS, w, ids);

	while (k > 1 && w[k - 1] < OWN_SHARE * w[0])
		k--;
	return k;
}

/* Is one of these terms in the story's core? */
static int core_has_any(live_story *s, const uint64_t *ids, size_t n)
{
	if (s->core_stale)
		make_core(s);
	for (size_t i = 0; i < n; i++) {
		size_t lo = 0, hi = s->n_core;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (s->core[mid].id < ids[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < s->n_core && s->core[lo].id == ids[i])
			return 1;
	}
	return 0;
}

/* A copy of v in the stories' terms: a name whose stem the stories do not
 * know but whose word as written they do (another language's coverage)
 * counts as that word; weighted by sl_vec_story_weights. */
static void in_story_terms(const sl_placer *p, const sl_vec *v, sl_vec *out)
{
	size_t moved = 0;

	out->n = v->n;
	out->t = sl_malloc((v->n + 1) * sizeof(*out->t));
	memcpy(out->t, v->t, v->n * sizeof(*out->t));
	for (size_t i = 0; i < out->n; i++) {
		sl_vec_term *t = &out->t[i];

		t->text = NULL;
		if (t->word != t->id &&
		    sl_hmap_get(&p->by_term, t->id) == SL_HMAP_NONE &&
		    sl_hmap_get(&p->by_term, t->word) != SL_HMAP_NONE) {
			t->id = t->word;
			moved++;
		}
	}
	if (moved)
		qsort(out->t, out->n, sizeof(*out->t), by_id);
	sl_vec_story_weights(out);
}

/*
 * The best live story for a vector at a time, or -1; its score. A story
 * is one event: besides matching its core, the article must have one of
 * its own heaviest terms (what sets it apart: names, places, the thing
 * it is about; up to OWN_TERMS, those weighing OWN_SHARE of the
 * heaviest) in the core (the terms half the members use). Without that,
 * reports that share only a template ("Shr 52 cts vs 43 cts, net, revs",
 * one company's quarter each) made one story of hundreds of companies.
 */
static long best_story(sl_placer *p, const sl_vec *v, int64_t time,
		       double *score)
{
	uint32_t q = ++p->query, top[CANDIDATES];
	size_t n_found = 0, n_top = 0, n_own;
	long best = -1;
	uint64_t own[OWN_TERMS];

	*score = 0;
	if (q == 0) {
		memset(p->mark, 0, p->cap_acc * sizeof(*p->mark));
		q = p->query = 1;
	}
	/* A first score from the article's key terms alone picks the
	 * candidates: a story worth joining shares some of them. */
	float key = key_weight(v);

	for (size_t i = 0; i < v->n; i++) {
		uint32_t li;

		if (v->t[i].w < key)
			continue;
		li = sl_hmap_get(&p->by_term, v->t[i].id);
		if (li == SL_HMAP_NONE)
			continue;
		for (size_t k = 0; k < p->lists[li].n; k++) {
			uint32_t s = p->lists[li].v[k];

			if (p->mark[s] != q) {
				p->mark[s] = q;
				p->acc[s] = 0;
				sl_grow(&p->found, &p->cap_found, n_found + 1,
					sizeof(*p->found));
				p->found[n_found++] = s;
			}
			p->acc[s] += v->t[i].w;
		}
	}
	for (size_t i = 0; i < n_found; i++) {
		uint32_t s = p->found[i];
		size_t k;

		if (gap_to(&p->stories[s], time) > p->window)
			continue;
		/* Insert into the top candidates: by first score, then by
		 * slot, so that the choice does not depend on list order. */
		for (k = n_top; k > 0; k--) {
			uint32_t o = top[k - 1];

			if (p->acc[o] > p->acc[s] ||
			    (p->acc[o] == p->acc[s] && o < s))
				break;
			if (k < CANDIDATES)
				top[k] = o;
		}
		if (k < CANDIDATES) {
			top[k] = s;
			if (n_top < CANDIDATES)
				n_top++;
		}
	}
	n_own = own_terms(v, own);
	for (size_t i = 0; i < n_top; i++) {
		live_story *st = &p->stories[top[i]];
		double sc;

		if (!core_has_any(st, own, n_own))
			continue;
		sc = core_similarity(st, v) * sl_story_decay(gap_to(st, time));
		if (sc > *score || (sc == *score && best >= 0 &&
				    st->id < p->stories[best].id)) {
			*score = sc;
			best = (long)top[i];
		}
	}
	return best;
}

/* Drop the stories that ended long before the newest article, then
 * rebuild the tables over what is left. */
static void sweep(sl_placer *p)
{
	int64_t cutoff = p->max_time - p->window - SL_STORY_SLACK;
	uint32_t *remap = sl_malloc((p->n_stories + 1) * sizeof(*remap));
	size_t ns = 0, nd = 0;

	drop_tables(p);
	for (size_t i = 0; i < p->n_stories; i++) {
		live_story *s = &p->stories[i];

		if (s->last < cutoff) {
			free(s->terms);
			free(s->core);
			free(s->docs);
			remap[i] = UINT32_MAX;
			continue;
		}
		remap[i] = (uint32_t)ns;
		s->n_docs = 0; /* renumbered below */
		p->stories[ns] = *s;
		sl_hmap_put(&p->by_id, story_key(s->id), (uint32_t)ns, 0);
		for (size_t k = 0; k < s->n_terms; k++)
			list_add(p, s->terms[k].id, (uint32_t)ns);
		ns++;
	}
	p->n_stories = ns;
	for (size_t i = 0; i < p->n_docs; i++) {
		live_doc *d = &p->docs[i];

		if (remap[d->story] == UINT32_MAX) {
			free(d->id);
			free(d->original);
			continue;
		}
		d->story = remap[d->story];
		p->docs[nd] = *d;
		sl_lsh_add(p->lsh, (uint32_t)nd, &d->fp);
		story_doc(&p->stories[d->story], (uint32_t)nd);
		nd++;
	}
	p->n_docs = nd;
	free(remap);
}

/* Every SWEEP placements, drop the ended stories once they are a quarter
 * of those held: the tables are rebuilt then, so not too often. */
static void after_add(sl_placer *p)
{
	int64_t cutoff = p->max_time - p->window - SL_STORY_SLACK;
	size_t ended = 0;

	if (++p->since_sweep < SWEEP)
		return;
	p->since_sweep = 0;
	for (size_t i = 0; i < p->n_stories; i++)
		ended += p->stories[i].last < cutoff;
	if (ended * 4 >= p->n_stories && ended)
		sweep(p);
}

/* A copy family of a story, named by its original old, follows id (of
 * time) from now on: old and its copies become id's copies. The story's
 * core keeps old's terms for the family's. */
static void reroot(sl_placer *p, uint32_t story, const char *old,
		   const char *id, int64_t time)
{
	char *name = sl_strdup(old); /* old may be freed below */
	const live_story *s = &p->stories[story];

	for (size_t i = 0; i < s->n_docs; i++) {
		live_doc *m = &p->docs[s->docs[i]];

		if (strcmp(m->original ? m->original : m->id, name))
			continue;
		free(m->original);
		m->original = sl_strdup(id);
		m->root_time = time;
	}
	free(p->rerooted);
	p->rerooted = name;
}

void sl_placer_place(sl_placer *p, const char *id, int64_t time,
		     const sl_doc_text *d, const sl_df_source *df,
		     sl_placement *out)
{
	const sl_analysis *an = d->an;
	sl_fingerprint fp;
	long orig;

	sl_doc_text bare = *d;

	bare.keep_text = 0;
	sl_fingerprint_of(an, &fp);
	out->copy_of = NULL;
	out->rerooted = NULL;
	out->score = 0;
	/* Every article gets its vector, copies too: the rail reads it. */
	sl_vec_of(&out->vec, &bare, df);
	orig = find_original(p, time, &fp);
	if (orig >= 0) {
		const live_doc *o = &p->docs[orig];
		const char *root = o->original ? o->original : o->id;
		uint32_t story = o->story, d;
		int64_t root_time = o->root_time;

		if (time < root_time) {
			/* Published before the family's original: it is the
			 * original, the rest of the family its copies. */
			reroot(p, story, root, id, time);
			d = add_doc(p, id, time, story, NULL, time, &fp);
			out->rerooted = p->rerooted;
		} else {
			d = add_doc(p, id, time, story, root, root_time, &fp);
		}
		out->story = p->stories[story].id;
		out->copy_of = p->docs[d].original;
		out->score = 1;
	} else {
		double score;
		sl_vec v;
		long s;

		in_story_terms(p, &out->vec, &v);
		s = best_story(p, &v, time, &score);
		if (s < 0 || score < SL_STORY_JOIN) {
			s = new_story(p, p->next_id, time);
			score = 0;
		}
		add_member(p, (uint32_t)s, &v);
		free(v.t);
		add_doc(p, id, time, (uint32_t)s, NULL, time, &fp);
		out->story = p->stories[s].id;
		out->score = score;
	}
	after_add(p);
}

void sl_placer_restore(sl_placer *p, const char *id, int64_t time,
		       const sl_doc_text *d, const sl_df_source *df,
		       int64_t story, const char *copy_of, int64_t root_time)
{
	const sl_analysis *an = d->an;
	uint32_t slot = sl_hmap_get(&p->by_id, story_key(story));
	sl_fingerprint fp;

	if (slot == SL_HMAP_NONE)
		slot = new_story(p, story, time);
	sl_fingerprint_of(an, &fp);
	if (!copy_of) {
		sl_vec v, in_terms;

		sl_doc_text bare = *d;

		bare.keep_text = 0;
		sl_vec_of(&v, &bare, df);
		in_story_terms(p, &v, &in_terms);
		add_member(p, slot, &in_terms);
		free(in_terms.t);
		sl_vec_clear(&v);
	}
	add_doc(p, id, time, slot, copy_of,
		root_time != SL_TIME_NONE ? root_time : time, &fp);
	after_add(p);
}
