/*
 * related.c - Recommended Stories: the rail under an article.
 *
 * For an article A:
 * 1. Candidates: a "more like this" query of the terms of A's story
 *    vector (its 48 heaviest), each weighted by how much A uses it,
 *    sqrt(1 + ln count) (a title occurrence counting 3), the heaviest 1.
 *    Not by idf: BM25 weighs them by their idf already (weighting them
 *    by tf-idf as well counted idf twice and favoured rare side words;
 *    on Reuters-21578 equal weights took precision@10 of the bare query
 *    from 0.66 to 0.74). Not by the names' boost either, and damped:
 *    against equal weights, 1 + ln count with names boosted took
 *    Reuters' precision@10 from 0.698 to 0.641 (BBC 0.631 to 0.640),
 *    undamped without the boost to 0.692 (BBC 0.661), damped it stays
 *    0.698 while BBC's goes to 0.647 (rails of 6.89 -> 7.08 items,
 *    empty 3.4% -> 3.1%; at a million generated articles, items of
 *    another topic 67 -> 70 in 1,000 rails). All
 *    48 rather than the 40 heaviest took the rail's precision from
 *    0.688 to 0.693, and BBC's from 0.611 to 0.621, at no measured cost
 *    in time. The query runs against the index, published within
 *    the window around A (default +-7 days; no window for an undated
 *    A); A and its copies left out. A name is spelled alike in every
 *    language but stemmed apart ("Quiroga" is "quirog" to Spanish), so
 *    A's names whose stems differ from the words as written are looked
 *    for as written too, and a candidate's term that is one of those
 *    words counts as A's name: a Spanish report finds and matches the
 *    English coverage of its event by the names they share. When A's
 *    copies fill the best matches (a wire story carried by a hundred
 *    sites), the index is asked again outside them (see candidates).
 * 2. Relevance, in two tiers; a candidate in neither is not shown,
 *    whatever else. Both look at the story vectors (names boosted, days
 *    and months left out) and want more than names in common: a prime
 *    minister who congratulates a handball team does not put the final
 *    under a summit report, nor do two shared names (a coincidence).
 *    close (tier 0): cosine CLOSE = 0.12 or more, CLOSE_PLAIN = 0.06 or
 *        more without the names' boost, SHARED_CLOSE = 3 terms or more
 *        in common, of them SHARED_CLOSE names or WORDS_CLOSE = 2 words
 *        that are not names (a city and a region are a coincidence with
 *        any third word: a rail strike in Veresk and Veresk's party for
 *        its handball team share "Veresk", "Northern" and "city"; a
 *        report in another language shares its event's names only):
 *        the same event, its follow-ups and neighbours.
 *        Relevance is the geometric mean of the two cosines, so that
 *        names and the rest of the text both count. (Not the index
 *        score: it put a handball final first under a summit report in
 *        another language.)
 *    on the subject (tier 1): the query finds in it SUBJECT = 12% or
 *        more of what it finds in the best match (A itself, as a rule),
 *        the cosine without the names' boost is SUBJECT_PLAIN = 0.04 or
 *        more and SHARED_SUBJECT = 5 terms or more are in common:
 *        another event of the same kind (another earnings report,
 *        another league match). Relevance is that normalised index
 *        score.
 *    Every close item comes before every item on the subject. The
 *    second tier's thresholds are set against chance: among a million
 *    generated articles of 2,000 topics (bench/gen_corpus.py), where an
 *    item of another topic can only be there by chance, 8% / 0.04 / 4
 *    let 2.4 such candidates a rail in, 70% of them of another topic;
 *    12% / 0.04 / 5 let 0.18 in, 89% of them of the article's topic
 *    (close items: 99.8%). On BBC News the tier takes the rails from 4.3
 *    items of 10 to 5.5 (precision@10, same category, 0.39 to 0.50);
 *    looser, it reached 7.7 items (0.68), with chance items at scale.
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
 * 4. One item per story: its best article (the lower tier, then the
 *    higher score; ties: the freshest), with the number of other outlets
 *    covering the story. A's own story comes once, as "more on this
 *    story".
 * 5. Diversity: items are taken greedily, within their tier, by score
 *    minus 0.5 x their highest similarity to the items already taken
 *    beyond 0.3 (MMR that leaves merely related items alone and holds
 *    back near repeats); an item almost the same as one taken
 *    (similarity 0.8 or more) is dropped, and no outlet takes more than
 *    a third of the rail while other outlets have related items: beyond
 *    that, its items only come after everyone else's (a single-outlet
 *    store still gets full rails).
 * 6. No padding: the rail ends when related candidates do. With fill_top
 *    the rest is filled with the top stories of the moment, labelled,
 *    each by the article its headline leads to on the front page.
 *
 * Candidates are judged on what the index keeps of every article (its
 * story, its original, its story vector with 8-bit weights): a rail
 * reads the store for the article itself and for the items it shows
 * (their cards: no body), never for the candidates it passes over, and
 * holds the engine's lock only for those reads.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "engine_int.h"
#include "error.h"
#include "related.h"
#include "util/hmap.h"
#include "util/mem.h"
#include "util/order.h"
#include "util/strtab.h"

#define CANDIDATES    80 /* matches read from the index per pass */
#define PASSES	      3	 /* passes when A's copies fill them */
#define ENOUGH	      2 /* related stories per rail item, then stop */
#define CLOSE	       0.12 /* story-vector cosine, tier 0 */
#define CLOSE_PLAIN    0.06 /* the same without the names' boost */
#define SHARED_CLOSE   3    /* vector terms shared */
#define WORDS_CLOSE    2    /* of them not names, unless all are */
#define SUBJECT	       0.12 /* index score / the best match's, tier 1 */
#define SUBJECT_PLAIN  0.04 /* story-vector cosine, names not boosted */
#define SHARED_SUBJECT 5    /* vector terms shared */
#define FRESH_TAU     (3 * 86400.0)
#define MMR_PENALTY   0.5 /* per unit of likeness above MMR_FREE */
#define MMR_FREE      0.3
#define NEAR_SAME     0.8
#define SNIPPET_CHARS 160
#define WHY_MAX	      6
#define NO_ROOT	      UINT32_MAX

/* The article a rail is for: its vector with surface forms (for why),
 * read from the store; its place from the index. */
typedef struct subject {
	char *id;
	int64_t published, time;
	int64_t story;
	uint32_t doc, root; /* NO_ROOT: not in the index */
	sl_vec vec;
	float qw[SL_VEC_TERMS]; /* the query weight of each of its terms */
	double plain_norm;
	sl_vec_names names; /* its names as written */
} subject;

/* A candidate: its facts from the index, never from the store. */
typedef struct cand {
	sl_index_facts f;
	char *id;
	sl_vec vec; /* f.t */
	int64_t time;
	int same_story;
} cand;

void sl_related_opts_init(sl_related_opts *o)
{
	o->limit = 20;
	o->window = 7 * 86400;
	o->now = SL_TIME_NONE;
	o->fill_top = 0;
}


static int by_score(const void *a, const void *b)
{
	const sl_rail_cand *x = a, *y = b;

	if (x->tier != y->tier)
		return x->tier > y->tier ? 1 : -1;
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

/* The candidate to take next: the lower tier, then the higher score less
 * its MMR penalty; ties: the first. The penalty of one not brought up to
 * date (like[i] to fewer than all the chosen) is too small, so its value
 * is an upper bound. n when none is left. */
static size_t next_best(const sl_rail_cand *c, size_t n, const uint8_t *out,
			const double *like)
{
	double best = 0;
	size_t at = n;

	for (size_t i = 0; i < n; i++) {
		double v;

		if (out[i])
			continue;
		v = c[i].score -
		    MMR_PENALTY * (like[i] > MMR_FREE ? like[i] - MMR_FREE : 0);
		if (at == n || c[i].tier < c[at].tier ||
		    (c[i].tier == c[at].tier && v > best)) {
			best = v;
			at = i;
		}
	}
	return at;
}

size_t sl_rail_diversify(const sl_rail_cand *c, size_t n, size_t limit,
			 size_t *chosen)
{
	size_t k = 0, cap = (limit + 2) / 3;
	uint8_t *out = sl_calloc(n + 1, 1); /* 1 taken or dropped, 2 capped */
	double *like = sl_calloc(n + 1, sizeof(double)); /* to the chosen */
	size_t *seen = sl_calloc(n + 1, sizeof(size_t)); /* chosen compared */
	size_t *same =
	    sl_calloc(n + 1, sizeof(size_t)); /* of them, its outlet */

	/* Lazy greedy: likeness only ever grows, so a candidate is compared
	 * with the items chosen since its last look only when it comes out
	 * best on its old penalty; if it still does, it is the greedy choice.
	 * The second round lets capped outlets fill what the others could
	 * not: their items come after everyone else's, never before. */
	for (int round = 0; round < 2 && k < limit; round++) {
		for (size_t i = 0; i < n; i++)
			if (out[i] == 2)
				out[i] = 0;
		while (k < limit) {
			size_t at = next_best(c, n, out, like);

			if (at == n)
				break;
			if (seen[at] < k) {
				for (; seen[at] < k; seen[at]++) {
					const sl_rail_cand *x =
					    &c[chosen[seen[at]]];

					if (c[at].vec && x->vec) {
						double l = sl_vec_cosine(
						    c[at].vec, x->vec);

						if (l > like[at])
							like[at] = l;
					}
					same[at] +=
					    c[at].outlet && x->outlet &&
					    !strcmp(c[at].outlet, x->outlet);
				}
				if (like[at] >= NEAR_SAME)
					out[at] = 1; /* a repeat: never */
				else if (round == 0 && same[at] >= cap)
					out[at] = 2; /* not while others wait */
				continue; /* is it still the best? */
			}
			out[at] = 1;
			chosen[k++] = at;
		}
	}
	free(out);
	free(like);
	free(seen);
	free(same);
	return k;
}

/* A vector term's weight without the names' boost. */
static inline double plain(const sl_vec_term *t)
{
	return t->name ? t->w / SL_VEC_NAME_BOOST : t->w;
}

static double plain_norm(const sl_vec *v)
{
	double n = 0;

	for (size_t k = 0; k < v->n; k++)
		n += plain(&v->t[k]) * plain(&v->t[k]);
	return sqrt(n);
}

/* How alike a candidate's story vector is to the article's, in one
 * pass: the cosine (both are unit length), the cosine with the names'
 * boost taken out, and the terms they share, and of them A's names. */
typedef struct likeness {
	double cosine, plain;
	size_t shared, names;
} likeness;

static likeness compare(const subject *a, const sl_vec *b)
{
	likeness l = {0, 0, 0, 0};
	double dot = 0, plain_dot = 0, b_norm = plain_norm(b);
	size_t i = 0, j = 0;
	const sl_vec *v = &a->vec;

	while (i < v->n && j < b->n) {
		if (v->t[i].id < b->t[j].id) {
			i++;
		} else if (v->t[i].id > b->t[j].id) {
			j++;
		} else {
			dot += (double)v->t[i].w * b->t[j].w;
			plain_dot += plain(&v->t[i]) * plain(&b->t[j]);
			l.shared++;
			l.names += v->t[i].name;
			i++;
			j++;
		}
	}
	l.cosine = dot > 1 ? 1 : dot;
	if (a->plain_norm > 0 && b_norm > 0)
		l.plain = plain_dot / (a->plain_norm * b_norm);
	return l;
}

/* The query weights of A's terms from their counts in A (see step 1):
 * sqrt(1 + ln count), the heaviest 1. */
static void query_weights(subject *a, const sl_analysis *an)
{
	uint8_t count[SL_VEC_TERMS];
	size_t n = sl_vec_counts(&a->vec, an, count);
	float top = 0;

	for (size_t i = 0; i < n; i++) {
		a->qw[i] = count[i] ? sqrtf(1 + logf((float)count[i])) : 1;
		if (a->qw[i] > top)
			top = a->qw[i];
	}
	for (size_t i = 0; i < n; i++)
		a->qw[i] /= top;
}

/* A's terms as a query, and the words as written of its names (see
 * sl_vec_align); room for 2 x SL_VEC_TERMS. */
static size_t query_terms(const subject *a, sl_qterm *q)
{
	const sl_vec *v = &a->vec;
	size_t n = 0, terms = v->n < SL_VEC_TERMS ? v->n : SL_VEC_TERMS;

	for (size_t i = 0; i < terms; i++)
		q[n++] = (sl_qterm){
		    .id = v->t[i].id, .weight = a->qw[i], .flags = 0};
	for (size_t i = 0; i < terms; i++)
		if (v->t[i].name && v->t[i].word != v->t[i].id)
			q[n++] = (sl_qterm){.id = v->t[i].word,
					    .weight = a->qw[i],
					    .flags = 0};
	return n;
}

static int64_t time_of(const sl_article *a)
{
	return a->published != SL_TIME_NONE ? a->published : a->fetched_at;
}

/* The article a rail is for. Called with the engine's lock held. */
static int subject_read(sl_engine *e, const char *id, subject *a)
{
	sl_index_facts *f = sl_malloc(sizeof(*f));
	const sl_analysis *an;
	sl_article *art;
	int rc;

	memset(a, 0, sizeof(*a));
	if ((rc = e->store->ops->get(e->store, id, &art)) < 0) {
		free(f);
		return rc;
	}
	a->id = sl_strdup(art->id);
	a->published = art->published;
	a->time = time_of(art);
	a->root = NO_ROOT;
	a->doc = NO_ROOT;
	if (sl_index_find(e->index, art->id, &a->doc) == 0 &&
	    sl_index_facts_get(e->index, a->doc, f) == 0) {
		a->story = f->story;
		a->root = f->root;
	} else {
		char *copy_of = NULL;

		if (e->store->ops->placement(e->store, id, &a->story,
					     &copy_of) < 0)
			a->story = 0;
		free(copy_of);
	}
	an = sl_engine_analyze(e, art);
	sl_engine_vec(e, art, an, 1, &a->vec);
	query_weights(a, an);
	a->plain_norm = plain_norm(&a->vec);
	sl_vec_names_of(&a->vec, &a->names);
	sl_article_free(art);
	free(f);
	return 0;
}

static void subject_clear(subject *a)
{
	free(a->id);
	sl_vec_names_clear(&a->names);
	sl_vec_clear(&a->vec);
}

static void fill_why(sl_related_item *it, const sl_vec *a, const sl_vec *b)
{
	it->why = sl_calloc(WHY_MAX + 1, sizeof(char *));
	it->n_why = sl_vec_shared(a, b, it->why, WHY_MAX);
}

/* An item's words from the store. Called with the engine's lock held;
 * 0, or < 0 when the article is gone. */
static int set_item(sl_engine *e, sl_related_item *it, const char *id)
{
	sl_article *a;

	if (e->store->ops->get_card(e->store, id, &a) < 0)
		return -1;
	it->id = sl_strdup(a->id);
	it->url = a->url ? sl_strdup(a->url) : NULL;
	it->title = a->title ? sl_strdup(a->title) : NULL;
	it->outlet = a->outlet ? sl_strdup(a->outlet) : NULL;
	it->snippet = sl_summary_of(a->summary, SNIPPET_CHARS);
	it->published = a->published;
	sl_article_free(a);
	return 0;
}

/* Hit h as a candidate, into *r and *c, as the rail judges it; best is
 * the score of the query's best match. 1 for a candidate; 0 when it is
 * related in neither tier, -1 when it is A or one of A's copies. */
static int consider(sl_engine *e, const subject *a, const sl_hit *h,
		    float best, int64_t t_ref, sl_rail_cand *r, cand *c)
{
	sl_index_story st;
	double rel, fresh, pace, span;
	likeness like;
	int tier;

	if (h->doc == a->doc)
		return -1;
	if (sl_index_facts_get(e->index, h->doc, &c->f) < 0)
		return 0;
	if (c->f.root == a->root) /* A's copy or original */
		return -1;
	c->vec = (sl_vec){c->f.t, c->f.n};
	sl_vec_align(&a->vec, &a->names, &c->vec);
	like = compare(a, &c->vec);
	if (like.cosine >= CLOSE && like.plain >= CLOSE_PLAIN &&
	    like.shared >= SHARED_CLOSE &&
	    (like.names >= SHARED_CLOSE ||
	     like.shared - like.names >= WORDS_CLOSE)) {
		tier = 0;
		rel = sqrt(like.cosine * like.plain);
	} else if (h->score >= SUBJECT * best && like.plain >= SUBJECT_PLAIN &&
		   like.shared >= SHARED_SUBJECT) {
		tier = 1;
		rel = h->score / best;
	} else {
		return 0;
	}
	if (!(c->id = sl_index_doc_id(e->index, h->doc)))
		return 0;
	if (sl_index_story_get(e->index, c->f.story, 0, &st) < 0)
		st = (sl_index_story){1, c->f.published, c->f.published, 1};
	span = st.first != SL_TIME_NONE && st.last != SL_TIME_NONE
		       ? (double)(st.last - st.first) / 86400.0
		       : 0;
	pace = st.size / (1.0 + span);
	c->time = c->f.published;
	fresh = c->time != SL_TIME_NONE
			? exp(-fabs((double)(c->time - t_ref)) / FRESH_TAU)
			: 0;
	c->same_story = c->f.story && c->f.story == a->story;
	r->id = c->id;
	r->outlet = c->f.outlet[0] ? c->f.outlet : NULL;
	r->story = c->f.story;
	r->time = c->time;
	r->vec = &c->vec;
	r->data = c;
	r->tier = tier;
	r->score = rel * (0.5 + 0.5 * fresh) *
		   (1 + 0.05 * log1p((double)st.size) + 0.05 * log1p(pace));
	return 1;
}

/* Candidates from the index, scored, one per story, best first, into
 * rail (room for CANDIDATES x PASSES) with their facts in info. Reads the
 * index only: no engine lock.
 *
 * The index's best CANDIDATES matches are read in its order until ENOUGH
 * related stories per place are found. When they run out first, and half
 * of them were A and its copies (a wire story carried by a hundred
 * sites), the index is asked again for its best matches but A, its
 * copies and the stories found, up to PASSES times: the rail under a
 * syndicated story is not empty. (Asking again whenever half repeated a
 * story found, a big story's coverage, took the rails of the generated
 * million from 10.1 to 11.9 items, 99.6% of them of the article's topic,
 * but their p99 from 3.7-4.2 to 5.5-5.8 ms, over the 5 ms target.) */
static size_t candidates(sl_engine *e, const subject *a,
			 const sl_related_opts *o, sl_rail_cand *rail,
			 cand *info)
{
	sl_qterm q[2 * SL_VEC_TERMS];
	sl_index_query iq = {0};
	sl_hit hits[CANDIDATES];
	int64_t seen[CANDIDATES * PASSES]; /* the stories found */
	size_t n_hits, total, n = 0, n_seen = 0, stories = 0;
	int exact;
	float best = 0;
	int64_t t_ref = o->now != SL_TIME_NONE ? o->now : a->time;

	iq.terms = q;
	iq.n_terms = query_terms(a, q);
	/* The window, for a dated article; an undated one (no published
	 * time) has nothing to be near, so all is candidate. */
	iq.since = iq.until = SL_TIME_NONE;
	if (a->published != SL_TIME_NONE) {
		iq.since = a->published - o->window;
		iq.until = a->published + o->window;
	}
	iq.k = CANDIDATES;
	for (int pass = 0; pass < PASSES && iq.n_terms; pass++) {
		size_t repeats = 0;

		/* Enough related stories found, in the index's order, to
		 * choose a rail from: the rest are not read. */
		if (stories >= ENOUGH * o->limit)
			break;
		qsort(seen, n_seen, sizeof(*seen), sl_cmp_i64);
		iq.skip_stories = pass ? seen : NULL;
		iq.n_skip_stories = pass ? n_seen : 0;
		iq.skip_root = pass && a->root != NO_ROOT ? &a->root : NULL;
		n_hits = sl_index_search(e->index, &iq, hits, &total, &exact);
		if (pass == 0 && n_hits)
			best = hits[0].score;
		for (size_t i = 0, k; i < n_hits; i++) {
			int got;

			if (stories >= ENOUGH * o->limit)
				break;
			got = consider(e, a, &hits[i], best, t_ref, &rail[n],
				       &info[n]);
			repeats += got < 0;
			if (got <= 0)
				continue;
			for (k = 0; k < n && (!rail[n].story ||
					      rail[k].story != rail[n].story);
			     k++)
				;
			stories += k == n;
			if (k == n && rail[n].story)
				seen[n_seen++] = rail[n].story;
			n++;
		}
		if (n_hits < CANDIDATES || 2 * repeats < n_hits)
			break;
	}
	for (size_t i = 0; i < n; i++) { /* support within the story */
		size_t same = 0;

		for (size_t j = 0; j < n && rail[i].story; j++)
			same += rail[j].story == rail[i].story;
		if (same > 1)
			rail[i].score *= 1 + 0.1 * log((double)same);
	}
	return sl_rail_collapse(rail, n);
}

/* Top stories of the moment for the rest of a short rail, labelled. */
static void fill_top(sl_engine *e, const subject *a, sl_related *r,
		     size_t limit)
{
	sl_top_story *t;
	size_t n;

	/* Enough for the places left, past the stories already shown. */
	if (sl_engine_top_stories(e, SL_TIME_NONE, limit + 2, &t, &n) < 0)
		return;
	pthread_mutex_lock(&e->lock);
	for (size_t i = 0; i < n && r->n_items < limit; i++) {
		sl_related_item *it = &r->items[r->n_items];
		int taken = t[i].id == a->story;
		char *lead = NULL;

		for (size_t k = 0; k < r->n_items && !taken; k++)
			taken = r->items[k].story == t[i].id;
		/* The article its headline leads to, as on the front page. */
		if (taken || !(lead = sl_story_lead(e, t[i].id)) ||
		    set_item(e, it, lead) < 0) {
			free(lead);
			continue;
		}
		free(lead);
		r->n_items++;
		it->story = t[i].id;
		it->top_story = 1;
		it->other_outlets =
		    t[i].outlets > 0 ? (size_t)t[i].outlets - 1 : 0;
		it->why = sl_calloc(1, sizeof(char *));
	}
	pthread_mutex_unlock(&e->lock);
	free(t);
}

int sl_engine_related(sl_engine *e, const char *id, const sl_related_opts *opts,
		      sl_related **out)
{
	sl_related_opts o;
	subject a;
	sl_rail_cand rail[CANDIDATES * PASSES];
	cand *info;
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
	pthread_mutex_lock(&e->lock);
	if ((rc = sl_engine_index_ready(e)) == 0)
		rc = subject_read(e, id, &a);
	pthread_mutex_unlock(&e->lock);
	if (rc < 0)
		return rc;
	info = sl_calloc(CANDIDATES * PASSES, sizeof(*info));
	n = candidates(e, &a, &o, rail, info);
	chosen = sl_calloc(o.limit + 1, sizeof(*chosen));
	k = sl_rail_diversify(rail, n, o.limit, chosen);
	r = sl_calloc(1, sizeof(*r));
	r->id = sl_strdup(a.id);
	r->items = sl_calloc(o.limit + 1, sizeof(*r->items));
	pthread_mutex_lock(&e->lock);
	for (size_t i = 0; i < k; i++) {
		const sl_rail_cand *rc_ = &rail[chosen[i]];
		const cand *ci = rc_->data;
		sl_related_item *it = &r->items[r->n_items];
		sl_index_story st;
		int64_t own = ci->f.outlet[0] ? 1 : 0;

		if (set_item(e, it, ci->id) < 0)
			continue; /* removed meanwhile */
		r->n_items++;
		it->story = ci->f.story;
		it->score = rc_->score;
		it->same_story = ci->same_story;
		it->same_subject = rc_->tier == 1;
		if (sl_index_story_get(e->index, ci->f.story, 1, &st) == 0)
			it->other_outlets =
			    (size_t)(st.outlets > own ? st.outlets - own : 0);
		fill_why(it, &a.vec, &ci->vec);
	}
	pthread_mutex_unlock(&e->lock);
	if (o.fill_top && r->n_items < o.limit)
		fill_top(e, &a, r, o.limit);
	for (size_t i = 0; i < CANDIDATES * PASSES; i++)
		free(info[i].id);
	free(info);
	free(chosen);
	subject_clear(&a);
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
	sl_buf b = {0};

	/* Written directly: building a jansson tree to print it took a
	 * seventh of a rail's time. The same text as jansson's compact,
	 * order-preserving output. */
	sl_buf_adds(&b, "{\"id\":");
	sl_json_add_str(&b, r->id);
	sl_buf_adds(&b, ",\"related\":[");
	for (size_t i = 0; i < r->n_items; i++) {
		const sl_related_item *it = &r->items[i];

		sl_buf_adds(&b, i ? ",{\"id\":" : "{\"id\":");
		sl_json_add_str(&b, it->id);
		sl_buf_adds(&b, ",\"url\":");
		sl_json_add_str(&b, it->url);
		sl_buf_adds(&b, ",\"title\":");
		sl_json_add_str(&b, it->title);
		sl_buf_adds(&b, ",\"outlet\":");
		sl_json_add_str(&b, it->outlet);
		sl_buf_adds(&b, ",\"published\":");
		sl_json_add_time(&b, it->published);
		sl_buf_printf(&b, ",\"story\":%lld,\"score\":",
			      (long long)it->story);
		sl_json_add_real(&b, it->score);
		sl_buf_printf(&b,
			      ",\"same_story\":%s,\"same_subject\":%s,"
			      "\"top_story\":%s,\"other_outlets\":%zu,"
			      "\"snippet\":",
			      it->same_story ? "true" : "false",
			      it->same_subject ? "true" : "false",
			      it->top_story ? "true" : "false", it->other_outlets);
		sl_json_add_str(&b, it->snippet);
		sl_buf_adds(&b, ",\"why\":[");
		for (size_t k = 0; k < it->n_why; k++) {
			if (k)
				sl_buf_addc(&b, ',');
			sl_json_add_str(&b, it->why[k]);
		}
		sl_buf_adds(&b, "]}");
	}
	sl_buf_adds(&b, "]}");
	return sl_buf_detach(&b);
}
