/*
 * index.c - the in-memory inverted index (see index.h).
 *
 * Postings are appended in document order, so each list is a byte string
 * of variable-length integers: the gap to the previous document, then
 * (body tf << 2 | min(title tf, 3)) and, for title tf >= 3, the rest.
 * Every 64 postings start a block that records its last document, its
 * byte offset and the highest saturation (the tf part of BM25F) of its
 * postings: enough to jump over blocks and to bound scores. Beside it, a
 * list keeps its highest-scoring postings (its champions) as plain
 * records of document and saturation, and a bound for the others: see
 * champ_offer.
 *
 * Saturation depends on the average field lengths. They are frozen and
 * re-frozen (with every block bound recomputed) when the live averages
 * drift by more than 5%, so bounds stay exact without rescoring at every
 * article. idf uses the live document counts.
 *
 * Every document also carries what the rail reads of a candidate: its
 * story, the id of its original, and its story vector (term numbers and
 * counts in one pool, weighted when read). The documents of a story are
 * chained, newest first, from the story's record.
 *
 * Owns: documents (number -> id, lengths, time, outlet, language, place,
 * vector), the term -> posting list map, the stories, and the read-write
 * lock over all of them.
 */
#include "index.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "storyline.h"
#include "util/civil.h"
#include "util/hmap.h"
#include "util/mem.h"
#include "util/order.h"
#include "util/strtab.h"

#define BLOCK 64

/* BM25F parameters: the title counts W_TITLE times a body occurrence. */
#define K1 1.2f
#define B_TITLE 0.5f
#define B_BODY 0.75f
#define W_TITLE 2.5f
#define DRIFT 0.05 /* re-freeze the averages past this relative drift */

typedef struct block {
	uint32_t last_doc; /* first: gallop() reads it */
	uint32_t offset;
	float max_sat;
} block;

/* A posting of a list's champions (see champ_offer). */
typedef struct champ {
	uint32_t doc; /* first: gallop() reads it */
	float sat;
} champ;

typedef struct plist {
	uint8_t *bytes;
	block *blocks;
	champ *champs; /* its postings of saturation CHAMP_SAT or more */
	uint32_t n_bytes, cap_bytes;
	uint32_t n_blocks, cap_blocks;
	uint32_t n_champs, cap_champs;
	uint32_t df; /* postings, retired documents included */
	uint32_t odf; /* of them, of originals: copies left out */
	float max_sat;
	float rest_sat; /* the highest saturation of the others */
	uint64_t key;   /* the term id */
} plist;

typedef struct doc {
	int64_t published;
	int64_t seq;
	uint32_t len[SL_N_FIELDS];
	uint32_t id;     /* index into ids */
	uint32_t outlet; /* index into outlets + 1, 0 = none */
	uint16_t lang;   /* index into langs + 1, 0 = none */
	uint8_t retired;
	uint8_t vec_n;    /* terms of its vector */
	int64_t story;    /* 0 = not placed */
	uint32_t root;    /* ids entry of its original (its own id's) */
	uint32_t next;    /* the story's next older document, or NO_DOC */
	uint32_t vec_off; /* its vector in the pool */
} doc;

#define NO_DOC UINT32_MAX
#define NAME_BIT 0x80000000u /* in a vector term: written as a name */

typedef struct story_rec {
	int64_t id, first, last;
	uint32_t head; /* newest document; the rest through doc.next */
	uint32_t size; /* live documents */
} story_rec;

/*
 * What scoring reads of every candidate, kept apart from the rest of doc
 * so that it stays in cache: 2 bytes a document, and a bit for whether
 * it is retired (gone). Field lengths are quantized to a byte (exact
 * below 48, then in steps of 4%) and scored through a table of 256
 * length normalizations per field. (With the retired flag beside
 * the lengths, 4 bytes a document, scoring waited on twice as many cache
 * lines: at a million articles, 1-3 word queries' p99 -19%, 25-term
 * -8%.)
 */
typedef struct hot {
	uint8_t norm[SL_N_FIELDS];
} hot;

struct sl_index {
	pthread_rwlock_t lock;
	doc *docs;
	hot *hot;
	uint64_t *gone; /* a bit a document: retired */
	size_t n_docs, cap_docs, cap_hot, cap_gone, live;
	size_t n_orig; /* documents indexed as originals, not copies */
	sl_strtab ids; /* article id -> entry; id_doc[entry] = number */
	uint32_t *id_doc;
	size_t cap_id_doc;
	sl_strtab outlets, langs;
	sl_hmap terms; /* term id -> plist index */
	plist *lists;
	size_t n_lists, cap_lists;
	size_t postings, bytes;
	double total_len[SL_N_FIELDS];
	double frozen_avg[SL_N_FIELDS];
	/* Field weight / BM25 length normalization, by length code. */
	float inv_norm[SL_N_FIELDS][256];
	int64_t max_seq;
	uint32_t *vterm; /* vector terms: list number | NAME_BIT */
	uint8_t *vw;     /* their counts (title x 3 + body, at most 255) */
	size_t n_vec, cap_vterm, cap_vw;
	sl_hmap story_of; /* story key -> stories index */
	story_rec *stories;
	size_t n_stories, cap_stories;
	int64_t *win_first, *win_last; /* publication times of each WINDOW
					* of documents (for time filters) */
	size_t cap_win_first, cap_win_last;
};

#define WINDOW 4096 /* documents scored together */
/* A non-essential list is read whole over a window when it has at most
 * this many postings there for each candidate it would complete (half
 * as many where it scores every posting read: see score_window). */
#define STREAM 8

static void set_norms(sl_index *ix);

/* 1 + ln(count) of a vector term, for its 8-bit count. */
static float tf_weight[256];
static pthread_once_t tf_weight_once = PTHREAD_ONCE_INIT;

static void tf_weight_init(void)
{
	for (int c = 1; c < 256; c++)
		tf_weight[c] = (float)(1 + log(c));
}

sl_index *sl_index_new(void)
{
	sl_index *ix = sl_calloc(1, sizeof(*ix));

	pthread_rwlock_init(&ix->lock, NULL);
	sl_strtab_init(&ix->ids);
	sl_strtab_init(&ix->outlets);
	sl_strtab_init(&ix->langs);
	ix->frozen_avg[0] = ix->frozen_avg[1] = 1.0;
	set_norms(ix);
	pthread_once(&tf_weight_once, tf_weight_init);
	return ix;
}

void sl_index_free(sl_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->n_lists; i++) {
		free(ix->lists[i].bytes);
		free(ix->lists[i].blocks);
		free(ix->lists[i].champs);
	}
	free(ix->lists);
	free(ix->docs);
	free(ix->hot);
	free(ix->gone);
	free(ix->id_doc);
	free(ix->vterm);
	free(ix->vw);
	free(ix->stories);
	free(ix->win_first);
	free(ix->win_last);
	sl_hmap_free(&ix->story_of);
	sl_strtab_free(&ix->ids);
	sl_strtab_free(&ix->outlets);
	sl_strtab_free(&ix->langs);
	sl_hmap_free(&ix->terms);
	pthread_rwlock_destroy(&ix->lock);
	free(ix);
}

/* ------------------------------------------------------------------ */
/* Scoring                                                             */

#define EXACT_LENGTHS 48
#define LENGTH_STEP 1.04

static uint8_t length_code(uint32_t len)
{
	double code;

	if (len < EXACT_LENGTHS)
		return (uint8_t)len;
	code = EXACT_LENGTHS + log((double)len / EXACT_LENGTHS) /
				       log(LENGTH_STEP);
	return code >= 255 ? 255 : (uint8_t)code;
}

static double code_length(unsigned code)
{
	if (code < EXACT_LENGTHS)
		return code;
	return EXACT_LENGTHS * pow(LENGTH_STEP, code - EXACT_LENGTHS + 0.5);
}

static void set_norms(sl_index *ix)
{
	static const float b[SL_N_FIELDS] = {B_TITLE, B_BODY};
	static const float w[SL_N_FIELDS] = {W_TITLE, 1.0f};

	for (int f = 0; f < SL_N_FIELDS; f++)
		for (unsigned c = 0; c < 256; c++)
			ix->inv_norm[f][c] =
				(float)(w[f] /
					(1 - b[f] + b[f] * code_length(c) /
							    ix->frozen_avg[f]));
}

/* The tf part of BM25F: 0 <= saturation < 1. */
static inline float saturation(const sl_index *ix, const hot *h,
			       uint32_t tf_title, uint32_t tf_body)
{
	float x = (float)tf_title * ix->inv_norm[0][h->norm[0]] +
		  (float)tf_body * ix->inv_norm[1][h->norm[1]];

	return x / (K1 + x);
}

static double idf_with(double n, uint32_t df)
{
	return log(1.0 + (n - df + 0.5) / (df + 0.5));
}

/* BM25's idf, over every document: what a search weighs. */
static double idf_of(const sl_index *ix, uint32_t df)
{
	return idf_with((double)ix->n_docs, df);
}

/* The idf of story and rail vectors, over originals only: a wire story
 * carried by a hundred sites is one report, not a hundred, and must not
 * make its own words common (they would stop matching its follow-ups). A
 * document that becomes a copy after it was indexed (sl_index_reroot)
 * still counts, as a retired one does in df. */
static double vec_idf_of(const sl_index *ix, const plist *pl)
{
	return idf_with((double)ix->n_orig, pl->odf);
}

/* ------------------------------------------------------------------ */
/* Posting lists                                                       */

static void put_varint(plist *pl, uint32_t v)
{
	if (pl->n_bytes + 5 > pl->cap_bytes) {
		size_t cap = pl->cap_bytes;

		sl_grow(&pl->bytes, &cap, pl->n_bytes + 5, 1);
		pl->cap_bytes = (uint32_t)cap;
	}
	while (v >= 0x80) {
		pl->bytes[pl->n_bytes++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	pl->bytes[pl->n_bytes++] = (uint8_t)v;
}

static inline uint32_t get_varint(const uint8_t **p)
{
	uint32_t v = 0;
	int shift = 0;

	while (**p & 0x80) {
		v |= (uint32_t)(**p & 0x7F) << shift;
		shift += 7;
		(*p)++;
	}
	v |= (uint32_t)**p << shift;
	(*p)++;
	return v;
}

/*
 * Every list keeps its postings of saturation CHAMP_SAT or more apart
 * (its champions, 4% of the postings of a common word), and the highest
 * saturation of the others (rest_sat). A document that is not among a
 * list's champions scores at most rest_sat there: when the lists' rest
 * cannot lift a document into the hits, only champions are candidates
 * (see champion_lists). Membership follows the averages of when the
 * posting came, and of every re-freeze; rest_sat always covers the
 * others exactly. A champion keeps its saturation, which is all its
 * score needs besides the query's weight: reading champions does not
 * touch the documents' facts (a common word's champions are a hundred
 * thousand documents at a million articles; looking up each one's
 * lengths took most of a two-word query's time).
 */
#define CHAMP_SAT 0.7f

static void champ_offer(sl_index *ix, plist *pl, uint32_t docno, float sat)
{
	if (sat < CHAMP_SAT) {
		if (sat > pl->rest_sat)
			pl->rest_sat = sat;
		return;
	}
	if (pl->n_champs == pl->cap_champs) {
		size_t cap = pl->cap_champs;

		sl_grow(&pl->champs, &cap, pl->n_champs + 1, sizeof(champ));
		ix->bytes += (cap - pl->cap_champs) * sizeof(champ);
		pl->cap_champs = (uint32_t)cap;
	}
	pl->champs[pl->n_champs++] = (champ){docno, sat};
}

static void append_posting(sl_index *ix, plist *pl, uint32_t docno,
			   uint32_t tf_title, uint32_t tf_body, float sat)
{
	uint32_t base;

	if (pl->df % BLOCK == 0) {
		block *b;

		if (pl->n_blocks == pl->cap_blocks) {
			size_t cap = pl->cap_blocks;

			sl_grow(&pl->blocks, &cap, pl->n_blocks + 1,
				sizeof(*pl->blocks));
			ix->bytes += (cap - pl->cap_blocks) * sizeof(block);
			pl->cap_blocks = (uint32_t)cap;
		}
		base = pl->n_blocks ? pl->blocks[pl->n_blocks - 1].last_doc : 0;
		b = &pl->blocks[pl->n_blocks++];
		b->offset = pl->n_bytes;
		b->max_sat = 0;
	} else {
		base = pl->blocks[pl->n_blocks - 1].last_doc;
	}
	size_t cap_before = pl->cap_bytes;

	put_varint(pl, docno - base);
	put_varint(pl, tf_body << 2 | (tf_title < 3 ? tf_title : 3));
	if (tf_title >= 3)
		put_varint(pl, tf_title - 3);
	pl->blocks[pl->n_blocks - 1].last_doc = docno;
	if (sat > pl->blocks[pl->n_blocks - 1].max_sat)
		pl->blocks[pl->n_blocks - 1].max_sat = sat;
	if (sat > pl->max_sat)
		pl->max_sat = sat;
	champ_offer(ix, pl, docno, sat);
	pl->df++;
	ix->postings++;
	ix->bytes += pl->cap_bytes - cap_before;
}

/* A reader over one posting list. */
typedef struct cursor {
	const plist *pl;
	uint32_t block;     /* current block */
	uint32_t left;      /* postings left in the block after this one */
	const uint8_t *p;   /* next posting's bytes */
	uint32_t doc;       /* current document, UINT32_MAX when done */
	uint32_t tf_title, tf_body;
	float weight;       /* query weight x idf */
	float bound;        /* weight x highest saturation of the list */
	uint32_t shallow;   /* a block at or after the current one, for
			     * bounds further on without decoding */
	uint32_t champ;     /* its next champion to look at */
	float key;          /* to sort by */
	uint8_t flags;
} cursor;

#define DONE UINT32_MAX

static uint32_t block_size(const plist *pl, uint32_t b)
{
	return b + 1 < pl->n_blocks ? BLOCK : pl->df - b * BLOCK;
}

/* What a posting of c's list, at doc with these counts, adds to the
 * document's score. */
static inline float score_at(const sl_index *ix, const cursor *c,
			     uint32_t doc, uint32_t tf_title, uint32_t tf_body)
{
	return c->weight * saturation(ix, &ix->hot[doc], tf_title, tf_body);
}

/* What c's current posting adds to its document's score. */
static inline float posting_score(const sl_index *ix, const cursor *c)
{
	return score_at(ix, c, c->doc, c->tf_title, c->tf_body);
}

/* Past a posting's term counts. */
static inline const uint8_t *skip_counts(const uint8_t *p)
{
	int more = (*p & 3) == 3; /* a title count of 3 or more */

	while (*p++ & 0x80)
		;
	if (more)
		while (*p++ & 0x80)
			;
	return p;
}

static inline void decode(cursor *c, uint32_t base)
{
	uint32_t packed;

	c->doc = base + get_varint(&c->p);
	packed = get_varint(&c->p);
	c->tf_body = packed >> 2;
	c->tf_title = packed & 3;
	if (c->tf_title == 3)
		c->tf_title += get_varint(&c->p);
}

static void enter_block(cursor *c, uint32_t b)
{
	const plist *pl = c->pl;

	if (b >= pl->n_blocks) {
		c->doc = DONE;
		return;
	}
	c->block = b;
	c->left = block_size(pl, b) - 1;
	c->p = pl->bytes + pl->blocks[b].offset;
	decode(c, b ? pl->blocks[b - 1].last_doc : 0);
}

/* Start reading pl; the weight and bound set before stay. */
static void cursor_open(cursor *c, const plist *pl)
{
	c->pl = pl;
	c->block = 0;
	enter_block(c, 0);
}

static inline void cursor_next(cursor *c)
{
	if (c->doc == DONE)
		return;
	if (c->left) {
		c->left--;
		decode(c, c->doc);
	} else {
		enter_block(c, c->block + 1);
	}
}

/*
 * The first of n records after record i whose leading document number
 * reaches target (n: none), record i's falling short: gallop, then
 * halve, as a list may be far behind (a time filter skips most of the
 * index). Records are blocks (their last document) or champions.
 */
static uint32_t gallop(const void *recs, size_t size, uint32_t n, uint32_t i,
		       uint32_t target)
{
	const char *r = recs;
	uint32_t step = 1, hi;

#define DOC_AT(j) (*(const uint32_t *)(r + (size_t)(j) * size))
	while (i + step < n && DOC_AT(i + step) < target) {
		i += step;
		step *= 2;
	}
	hi = i + step < n ? i + step : n;
	i++;
	while (i < hi) {
		uint32_t mid = i + (hi - i) / 2;

		if (DOC_AT(mid) < target)
			i = mid + 1;
		else
			hi = mid;
	}
#undef DOC_AT
	return i;
}

/* The first block after b whose last document reaches target, block b's
 * falling short. */
static uint32_t block_reaching(const plist *pl, uint32_t b, uint32_t target)
{
	return gallop(pl->blocks, sizeof(block), pl->n_blocks, b, target);
}

/* Move to the first posting >= target. */
static void cursor_seek(cursor *c, uint32_t target)
{
	const plist *pl = c->pl;

	if (c->doc >= target)
		return;
	if (pl->blocks[c->block].last_doc < target)
		enter_block(c, block_reaching(pl, c->block, target));
	/* Within the block, only the gaps are read until target. */
	while (c->doc < target) {
		const uint8_t *p = c->p;
		uint32_t d;

		if (!c->left) {
			enter_block(c, c->block + 1);
			continue;
		}
		d = c->doc + get_varint(&p);
		c->left--;
		if (d >= target) {
			decode(c, c->doc);
			return;
		}
		c->doc = d;
		c->p = skip_counts(p);
	}
}

/* ------------------------------------------------------------------ */
/* Adding and removing                                                 */

static uint32_t intern_name(sl_strtab *t, const char *name)
{
	if (!name || !*name)
		return 0;
	return sl_strtab_intern(t, name, strlen(name),
				sl_hash(name, strlen(name)), NULL) + 1;
}

static uint32_t find_name(const sl_strtab *t, const char *name)
{
	uint32_t e;

	if (!name || !*name)
		return 0;
	e = sl_strtab_find(t, name, strlen(name), sl_hash(name, strlen(name)));
	return e == SL_STRTAB_NONE ? UINT32_MAX : e + 1;
}

/* Recompute every bound, and the champions, with the current averages. */
static void refreeze(sl_index *ix)
{
	for (int f = 0; f < SL_N_FIELDS; f++) {
		double avg = ix->n_docs ? ix->total_len[f] / ix->n_docs : 1.0;

		if (avg < 1.0)
			avg = 1.0;
		ix->frozen_avg[f] = avg;
	}
	set_norms(ix);
	for (size_t i = 0; i < ix->n_lists; i++) {
		plist *pl = &ix->lists[i];
		cursor c = {0};

		pl->max_sat = 0;
		pl->rest_sat = 0;
		pl->n_champs = 0;
		for (uint32_t b = 0; b < pl->n_blocks; b++)
			pl->blocks[b].max_sat = 0;
		for (cursor_open(&c, pl); c.doc != DONE; cursor_next(&c)) {
			float s = saturation(ix, &ix->hot[c.doc], c.tf_title,
					     c.tf_body);

			if (s > pl->blocks[c.block].max_sat)
				pl->blocks[c.block].max_sat = s;
			if (s > pl->max_sat)
				pl->max_sat = s;
			champ_offer(ix, pl, c.doc, s);
		}
	}
}

static int drifted(const sl_index *ix)
{
	for (int f = 0; f < SL_N_FIELDS; f++) {
		double avg = ix->total_len[f] / ix->n_docs;

		if (avg < 1.0)
			avg = 1.0;
		if (fabs(avg - ix->frozen_avg[f]) > DRIFT * ix->frozen_avg[f])
			return 1;
	}
	return 0;
}

static uint64_t story_key(int64_t story)
{
	return (uint64_t)story * 0x9e3779b97f4a7c15ULL;
}

static story_rec *story_find(const sl_index *ix, int64_t story)
{
	uint32_t i;

	if (!story)
		return NULL;
	i = sl_hmap_get(&ix->story_of, story_key(story));
	return i == SL_HMAP_NONE ? NULL : &ix->stories[i];
}

/* Room in gone for n documents; the new bits clear. */
static void gone_room(sl_index *ix, size_t n)
{
	size_t words = (n + 63) / 64, old = ix->cap_gone;

	if (words <= old)
		return;
	sl_grow(&ix->gone, &ix->cap_gone, words, sizeof(uint64_t));
	memset(ix->gone + old, 0, (ix->cap_gone - old) * sizeof(uint64_t));
}

/* Chain a document into its story, as its newest. */
static void story_link(sl_index *ix, uint32_t docno)
{
	doc *d = &ix->docs[docno];
	story_rec *s;

	d->next = NO_DOC;
	if (!d->story)
		return;
	if (!(s = story_find(ix, d->story))) {
		sl_grow(&ix->stories, &ix->cap_stories, ix->n_stories + 1,
			sizeof(*ix->stories));
		s = &ix->stories[ix->n_stories];
		s->id = d->story;
		s->head = NO_DOC;
		s->size = 0;
		s->first = s->last = SL_TIME_NONE;
		sl_hmap_put(&ix->story_of, story_key(d->story),
			    (uint32_t)ix->n_stories++, 0);
	}
	d->next = s->head;
	s->head = docno;
	s->size += !d->retired;
	if (d->published != SL_TIME_NONE && !d->retired) {
		if (s->first == SL_TIME_NONE || d->published < s->first)
			s->first = d->published;
		if (s->last == SL_TIME_NONE || d->published > s->last)
			s->last = d->published;
	}
}

static void retire(sl_index *ix, uint32_t docno)
{
	if (!ix->docs[docno].retired) {
		story_rec *s = story_find(ix, ix->docs[docno].story);

		if (s && s->size)
			s->size--;
		ix->docs[docno].retired = 1;
		ix->gone[docno / 64] |= 1ULL << (docno % 64);
		ix->live--;
	}
}

/* The ids entry of an article's original: its own, unless copy_of names
 * an indexed article. */
static uint32_t root_of(const sl_index *ix, uint32_t own, const char *copy_of)
{
	uint32_t e;

	if (!copy_of)
		return own;
	e = sl_strtab_find(&ix->ids, copy_of, strlen(copy_of),
			   sl_hash(copy_of, strlen(copy_of)));
	return e == SL_STRTAB_NONE ? own : e;
}

/* Append a vector to the pool (its terms have lists by now). */
static void put_vec(sl_index *ix, doc *d, const sl_vec *v,
		    const uint8_t *count, size_t n)
{
	size_t k = 0;

	sl_grow(&ix->vterm, &ix->cap_vterm, ix->n_vec + n + 1,
		sizeof(*ix->vterm)); /* room was made before the lock */
	sl_grow(&ix->vw, &ix->cap_vw, ix->n_vec + n + 1, 1);
	for (size_t i = 0; i < n; i++) {
		uint32_t li = sl_hmap_get(&ix->terms, v->t[i].id);

		if (li == SL_HMAP_NONE || !count[i])
			continue;
		ix->vterm[ix->n_vec + k] = li | (v->t[i].name ? NAME_BIT : 0);
		ix->vw[ix->n_vec + k] = count[i];
		k++;
	}
	d->vec_off = (uint32_t)ix->n_vec;
	d->vec_n = (uint8_t)k;
	ix->n_vec += k;
}

/* Widen the time span of the document's window. */
static void window_time(sl_index *ix, uint32_t docno)
{
	size_t w = docno / WINDOW;
	int64_t t = ix->docs[docno].published;

	if (docno % WINDOW == 0) {
		sl_grow(&ix->win_first, &ix->cap_win_first, w + 1,
			sizeof(int64_t));
		sl_grow(&ix->win_last, &ix->cap_win_last, w + 1,
			sizeof(int64_t));
		ix->win_first[w] = INT64_MAX;
		ix->win_last[w] = INT64_MIN;
	}
	if (t == SL_TIME_NONE)
		return;
	if (t < ix->win_first[w])
		ix->win_first[w] = t;
	if (t > ix->win_last[w])
		ix->win_last[w] = t;
}

/* A posting list's new storage, copied before the write lock. */
typedef struct regrown {
	uint32_t list;
	uint8_t *bytes; /* the new bytes; after the swap, the old ones */
	uint32_t cap_bytes;
	block *blocks;
	uint32_t cap_blocks;
} regrown;

void sl_index_add(sl_index *ix, const sl_index_doc_info *info,
		  const sl_analysis *an)
{
	size_t id_len = strlen(info->id);
	uint64_t id_hash = sl_hash(info->id, id_len);
	uint32_t docno, entry;
	int created, original;
	doc *d;

	regrown *grown = NULL;
	size_t n_grown = 0, n_vec;
	uint8_t count[SL_VEC_TERMS];

	/* Only this thread changes the index, so it may read it without
	 * the lock, and copy the lists that must grow before taking it:
	 * readers then wait for pointer swaps, not for megabyte copies. */
	for (size_t i = 0; i < an->n_terms; i++) {
		uint32_t li;
		const plist *pl;
		regrown *g;

		if (an->terms[i].stop ||
		    (li = sl_hmap_get(&ix->terms, an->terms[i].id)) ==
			    SL_HMAP_NONE)
			continue;
		pl = &ix->lists[li];
		if (pl->n_bytes + 16 <= pl->cap_bytes &&
		    (pl->df % BLOCK || pl->n_blocks < pl->cap_blocks))
			continue;
		if (!grown)
			grown = sl_malloc(an->n_terms * sizeof(*grown));
		g = &grown[n_grown++];
		g->list = li;
		g->cap_bytes = pl->cap_bytes;
		g->bytes = NULL;
		if (pl->n_bytes + 16 > pl->cap_bytes) {
			g->cap_bytes = pl->cap_bytes * 2 > pl->n_bytes + 64 ?
					       pl->cap_bytes * 2 :
					       pl->n_bytes + 64;
			g->bytes = sl_malloc(g->cap_bytes);
			memcpy(g->bytes, pl->bytes, pl->n_bytes);
		}
		g->cap_blocks = pl->cap_blocks;
		g->blocks = NULL;
		if (pl->df % BLOCK == 0 && pl->n_blocks == pl->cap_blocks) {
			g->cap_blocks = pl->cap_blocks ? pl->cap_blocks * 2 : 4;
			g->blocks = sl_malloc(g->cap_blocks * sizeof(block));
			memcpy(g->blocks, pl->blocks,
			       pl->n_blocks * sizeof(block));
		}
	}

	n_vec = sl_vec_counts(info->vec, an, count);
	/* The vector pool grows the same way: a copy made here, swapped in
	 * under the lock, the old one freed after it. */
	uint32_t *old_vterm = NULL, *new_vterm = NULL;
	uint8_t *old_vw = NULL, *new_vw = NULL;
	size_t new_cap = 0;

	if (ix->n_vec + n_vec + 1 > ix->cap_vterm ||
	    ix->n_vec + n_vec + 1 > ix->cap_vw) {
		new_cap = (ix->n_vec + n_vec + 1) * 2 + 1024;
		new_vterm = sl_malloc(new_cap * sizeof(*new_vterm));
		new_vw = sl_malloc(new_cap);
		if (ix->n_vec) {
			memcpy(new_vterm, ix->vterm,
			       ix->n_vec * sizeof(*new_vterm));
			memcpy(new_vw, ix->vw, ix->n_vec);
		}
	}
	pthread_rwlock_wrlock(&ix->lock);
	if (new_vterm) {
		old_vterm = ix->vterm;
		old_vw = ix->vw;
		ix->vterm = new_vterm;
		ix->vw = new_vw;
		ix->cap_vterm = ix->cap_vw = new_cap;
	}
	for (size_t i = 0; i < n_grown; i++) {
		plist *pl = &ix->lists[grown[i].list];
		void *old;

		if (grown[i].bytes) {
			old = pl->bytes;
			pl->bytes = grown[i].bytes;
			grown[i].bytes = old; /* freed after the lock */
			ix->bytes += grown[i].cap_bytes - pl->cap_bytes;
			pl->cap_bytes = grown[i].cap_bytes;
		}
		if (grown[i].blocks) {
			old = pl->blocks;
			pl->blocks = grown[i].blocks;
			grown[i].blocks = old;
			ix->bytes += (grown[i].cap_blocks - pl->cap_blocks) *
				     sizeof(block);
			pl->cap_blocks = grown[i].cap_blocks;
		}
	}
	entry = sl_strtab_intern(&ix->ids, info->id, id_len, id_hash,
				 &created);
	if (!created)
		retire(ix, ix->id_doc[entry]);
	sl_grow(&ix->id_doc, &ix->cap_id_doc, ix->ids.n, sizeof(uint32_t));
	sl_grow(&ix->docs, &ix->cap_docs, ix->n_docs + 1, sizeof(doc));
	sl_grow(&ix->hot, &ix->cap_hot, ix->n_docs + 1, sizeof(hot));
	gone_room(ix, ix->n_docs + 1);
	docno = (uint32_t)ix->n_docs++;
	ix->id_doc[entry] = docno;
	d = &ix->docs[docno];
	memset(d, 0, sizeof(*d));
	d->published = info->published;
	d->seq = info->seq;
	d->id = entry;
	d->outlet = intern_name(&ix->outlets, info->outlet);
	d->lang = (uint16_t)intern_name(&ix->langs, info->lang);
	d->root = root_of(ix, entry, info->copy_of);
	original = d->root == entry;
	ix->n_orig += original;
	memset(&ix->hot[docno], 0, sizeof(hot));
	for (int f = 0; f < SL_N_FIELDS; f++) {
		d->len[f] = an->field_len[f];
		ix->hot[docno].norm[f] = length_code(an->field_len[f]);
		ix->total_len[f] += an->field_len[f];
	}
	ix->live++;
	if (info->seq > ix->max_seq)
		ix->max_seq = info->seq;
	/* Early on every article moves the averages; later rarely. */
	if (ix->n_docs < 64 || (ix->n_docs % 256 == 0 && drifted(ix)))
		refreeze(ix);

	for (size_t i = 0; i < an->n_terms; i++) {
		const sl_term *t = &an->terms[i];
		uint32_t li;

		if (t->stop)
			continue;
		li = sl_hmap_get(&ix->terms, t->id);
		if (li == SL_HMAP_NONE) {
			li = (uint32_t)ix->n_lists++;
			sl_grow(&ix->lists, &ix->cap_lists, ix->n_lists,
				sizeof(plist));
			memset(&ix->lists[li], 0, sizeof(plist));
			ix->lists[li].key = t->id;
			sl_hmap_put(&ix->terms, t->id, li, 0);
		}
		append_posting(ix, &ix->lists[li], docno, t->tf[0], t->tf[1],
			       saturation(ix, &ix->hot[docno], t->tf[0],
					  t->tf[1]));
		ix->lists[li].odf += original;
	}
	d = &ix->docs[docno];
	d->story = info->story;
	put_vec(ix, d, info->vec, count, n_vec);
	story_link(ix, docno);
	window_time(ix, docno);
	pthread_rwlock_unlock(&ix->lock);
	free(old_vterm);
	free(old_vw);
	for (size_t i = 0; i < n_grown; i++) {
		free(grown[i].bytes);
		free(grown[i].blocks);
	}
	free(grown);
}

void sl_index_reroot(sl_index *ix, int64_t story, const char *old,
		     const char *original)
{
	uint32_t from, to;
	story_rec *s;

	pthread_rwlock_wrlock(&ix->lock);
	from = sl_strtab_find(&ix->ids, old, strlen(old),
			      sl_hash(old, strlen(old)));
	to = sl_strtab_find(&ix->ids, original, strlen(original),
			    sl_hash(original, strlen(original)));
	if (from != SL_STRTAB_NONE && to != SL_STRTAB_NONE &&
	    (s = story_find(ix, story)))
		for (uint32_t d = s->head; d != NO_DOC; d = ix->docs[d].next)
			if (ix->docs[d].root == from)
				ix->docs[d].root = to;
	pthread_rwlock_unlock(&ix->lock);
}

void sl_index_compact(sl_index *ix)
{
	pthread_rwlock_wrlock(&ix->lock);
	ix->bytes = 0;
	for (size_t i = 0; i < ix->n_lists; i++) {
		plist *pl = &ix->lists[i];

		pl->bytes = sl_realloc(pl->bytes, pl->n_bytes);
		pl->cap_bytes = pl->n_bytes;
		pl->blocks = sl_realloc(pl->blocks,
					pl->n_blocks * sizeof(block));
		pl->cap_blocks = pl->n_blocks;
		pl->champs = sl_realloc(pl->champs,
					pl->n_champs * sizeof(champ));
		pl->cap_champs = pl->n_champs;
		ix->bytes += pl->n_bytes + pl->n_blocks * sizeof(block) +
			     pl->n_champs * sizeof(champ);
	}
	/* The per-document arrays keep an eighth of room: growing one of
	 * them copies it under the write lock, a stall readers would feel
	 * right after every build. */
	size_t room = ix->n_docs + ix->n_docs / 8 + 1;

	ix->lists = sl_realloc(ix->lists, ix->n_lists * sizeof(plist));
	ix->cap_lists = ix->n_lists;
	ix->docs = sl_realloc(ix->docs, room * sizeof(doc));
	ix->cap_docs = room;
	ix->hot = sl_realloc(ix->hot, room * sizeof(hot));
	ix->cap_hot = room;
	gone_room(ix, room);
	pthread_rwlock_unlock(&ix->lock);
}

int sl_index_remove(sl_index *ix, const char *id)
{
	uint32_t e;
	int rc = 0;

	pthread_rwlock_wrlock(&ix->lock);
	e = sl_strtab_find(&ix->ids, id, strlen(id), sl_hash(id, strlen(id)));
	if (e == SL_STRTAB_NONE || ix->docs[ix->id_doc[e]].retired)
		rc = SL_ENOTFOUND;
	else
		retire(ix, ix->id_doc[e]);
	pthread_rwlock_unlock(&ix->lock);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Searching                                                           */

/* A bounded heap of the best hits: the worst on top. */
typedef struct heap {
	sl_hit *items;
	int64_t *keys; /* published times, for newest-first order */
	size_t n, k;
	int by_time;
} heap;

/* Does hit x (document, score, time key) rank below hit y? */
static inline int ranks_below(const heap *h, sl_hit x, int64_t kx, sl_hit y,
			      int64_t ky)
{
	if (h->by_time)
		return kx < ky || (kx == ky && x.doc < y.doc);
	return x.score < y.score || (x.score == y.score && x.doc > y.doc);
}

static int worse(const heap *h, size_t a, size_t b)
{
	return ranks_below(h, h->items[a], h->keys[a], h->items[b],
			   h->keys[b]);
}

static void swap(heap *h, size_t a, size_t b)
{
	sl_hit t = h->items[a];
	int64_t k = h->keys[a];

	h->items[a] = h->items[b];
	h->items[b] = t;
	h->keys[a] = h->keys[b];
	h->keys[b] = k;
}

static void sift_down(heap *h, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < h->n && worse(h, l, m))
			m = l;
		if (r < h->n && worse(h, r, m))
			m = r;
		if (m == i)
			return;
		swap(h, i, m);
		i = m;
	}
}

static void heap_push(heap *h, uint32_t docno, float score, int64_t key)
{
	size_t i;

	if (h->n == h->k) { /* replace the worst */
		h->items[0].doc = docno;
		h->items[0].score = score;
		h->keys[0] = key;
		sift_down(h, 0);
		return;
	}
	i = h->n++;
	h->items[i].doc = docno;
	h->items[i].score = score;
	h->keys[i] = key;
	while (i > 0 && worse(h, i, (i - 1) / 2)) {
		swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

/* Would a hit with this score (or time) enter the heap? */
static inline int heap_wants(const heap *h, float score, int64_t key)
{
	if (h->n < h->k)
		return 1;
	if (h->by_time)
		return key > h->keys[0];
	return score > h->items[0].score;
}

typedef struct filter {
	int64_t since, until;
	uint32_t outlet, lang; /* 0 = any; UINT32_MAX = matches nothing */
	int active;            /* any of the above set */
} filter;

/* Does a document pass the filters? Only whether it is retired is kept
 * apart; the rest is read when a filter asks for it. */
static inline int passes(const sl_index *ix, uint32_t docno, const filter *f)
{
	const doc *d;

	if (ix->gone[docno / 64] >> (docno % 64) & 1)
		return 0;
	if (!f->active)
		return 1;
	d = &ix->docs[docno];
	if (f->since != SL_TIME_NONE &&
	    (d->published == SL_TIME_NONE || d->published < f->since))
		return 0;
	if (f->until != SL_TIME_NONE &&
	    (d->published == SL_TIME_NONE || d->published > f->until))
		return 0;
	if (f->outlet && d->outlet != f->outlet)
		return 0;
	if (f->lang && d->lang != f->lang)
		return 0;
	return 1;
}

/* Cursors by their key, lowest first (an insertion sort: a query has a
 * few dozen lists, and a search sorts them at every window). */
static void sort_by_key(cursor **order, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		cursor *c = order[i];
		size_t j = i;

		for (; j > 0 && order[j - 1]->key > c->key; j--)
			order[j] = order[j - 1];
		order[j] = c;
	}
}

/*
 * Choose the non-essential lists of a window: lists whose bounds together
 * cannot beat the k-th best score, so that a document found in none of
 * the others can be passed over. Any such set is correct; the cheapest
 * search leaves out the most postings, so lists are taken by bound per
 * posting, cheapest first, as long as they fit. They end up first in
 * order, in that order; prefix[i] is the sum of the bounds of
 * order[0..i-1]. Candidates are completed from the last one down: the
 * lists that lower what a candidate could still gain the most for each
 * posting read come first (by bound alone, the longest list with the
 * highest bound came first: at a million articles, 25-term queries'
 * p50 -12%, p99 -10%). Returns how many there are.
 */
static size_t split(cursor **order, size_t n, const heap *h, float *prefix)
{
	size_t ne = 0;

	for (size_t i = 0; i < n; i++) /* score per posting */
		order[i]->key = order[i]->bound / (float)order[i]->pl->df;
	sort_by_key(order, n);
	prefix[0] = 0;
	for (size_t i = 0; i < n; i++) {
		cursor *c = order[i];

		if (heap_wants(h, prefix[0] + c->bound, 0))
			continue;
		prefix[0] += c->bound;
		memmove(order + ne + 1, order + ne, (i - ne) * sizeof(*order));
		order[ne++] = c;
	}
	prefix[0] = 0;
	for (size_t i = 0; i < ne; i++)
		prefix[i + 1] = prefix[i] + order[i]->bound;
	return ne;
}

/*
 * Cursors move lazily: a list that only completes scores is decoded
 * where a candidate is, and otherwise left behind, its block records
 * telling what it may hold further on. c->shallow keeps the block that
 * may hold the next document asked about; documents are asked about in
 * ascending order, so it only moves forward.
 *
 * The block c looks on from.
 */
static inline uint32_t ahead(const cursor *c)
{
	return c->shallow > c->block ? c->shallow : c->block;
}

/* The lowest document c may hold from lo on (lo itself when c lags
 * behind lo), or DONE. */
static uint32_t next_from(cursor *c, uint32_t lo)
{
	const plist *pl = c->pl;
	uint32_t b = ahead(c);

	if (c->doc >= lo)
		return c->doc;
	if (b < pl->n_blocks && pl->blocks[b].last_doc < lo)
		b = block_reaching(pl, b, lo);
	c->shallow = b;
	return b < pl->n_blocks ? lo : DONE;
}

/* The most c can add to a document from next_from() to below hi: the
 * highest saturation of the blocks from there to the one that may reach
 * hi. */
static float window_bound(const cursor *c, uint32_t hi)
{
	const plist *pl = c->pl;
	uint32_t b = ahead(c);
	float m = pl->blocks[b].max_sat;

	while (pl->blocks[b].last_doc < hi - 1 && b + 1 < pl->n_blocks)
		if (pl->blocks[++b].max_sat > m)
			m = pl->blocks[b].max_sat;
	return c->weight * m;
}

/* About how many postings c has from next_from() to below hi: its
 * blocks there, whole. */
static uint32_t window_postings(const cursor *c, uint32_t hi)
{
	const plist *pl = c->pl;
	uint32_t b = ahead(c), n = 1;

	while (pl->blocks[b].last_doc < hi - 1 && b + 1 < pl->n_blocks) {
		b++;
		n++;
	}
	return n * BLOCK;
}

/* Required terms present and excluded ones absent at docno? */
static int term_checks(cursor *checks, size_t n, uint32_t docno)
{
	for (size_t i = 0; i < n; i++) {
		cursor *c = &checks[i];

		cursor_seek(c, docno);
		if ((c->flags & SL_QT_EXCLUDED) && c->doc == docno)
			return 0;
		if ((c->flags & SL_QT_REQUIRED) && c->doc != docno)
			return 0;
	}
	return 1;
}

/* Final order of hits: best (or newest) first, then document order. */
typedef struct order_ctx {
	const sl_index *ix;
	int by_time;
} order_ctx;

static int cmp_hits(const void *a, const void *b, void *ctx)
{
	const order_ctx *o = ctx;
	const sl_hit *x = a, *y = b;

	if (o->by_time) {
		int64_t tx = o->ix->docs[x->doc].published;
		int64_t ty = o->ix->docs[y->doc].published;

		if (tx != ty)
			return tx < ty ? 1 : -1;
	} else if (x->score != y->score) {
		return x->score < y->score ? 1 : -1;
	}
	return (x->doc > y->doc) - (x->doc < y->doc);
}

/* One search in progress. */
typedef struct search {
	sl_index *ix;
	const sl_index_query *q;
	filter f;
	heap h;
	cursor *checks; /* required and excluded terms */
	size_t n_checks;
	size_t evaluated; /* candidates fully scored */
	size_t passed;    /* of those, matches (filters and checks): texts
			   * with q->collapse */
	uint64_t *texts;  /* with q->collapse: a bit per ids entry, the
			   * roots of those matches (made on first use) */
	int pruned;       /* some matches were passed over unscored */
} search;

/*
 * With q->collapse, one hit per text: when a document of d's family (its
 * original and copies) is among the hits already, the better of the two
 * stays there (returns 1); 0 when there is none. Scanning the hits is
 * cheap beside what brought d here (a hit is offered only once it beats
 * the k-th best), and pruning stays exact: a document passed over could
 * not beat the k-th best text, let alone its own family's.
 */
static int same_text(search *s, uint32_t d, float score, int64_t when)
{
	heap *h = &s->h;
	const doc *docs = s->ix->docs;

	for (size_t i = 0; i < h->n; i++) {
		sl_hit hit = {d, score};

		if (docs[h->items[i].doc].root != docs[d].root)
			continue;
		if (ranks_below(h, h->items[i], h->keys[i], hit, when)) {
			h->items[i] = hit; /* away from the worst: down */
			h->keys[i] = when;
			sift_down(h, i);
		}
		return 1;
	}
	return 0;
}

/* Count a match; with q->collapse only the first of each text (a bit
 * per root: a search by time offers every match). */
static void count_match(search *s, uint32_t d)
{
	uint32_t root = s->ix->docs[d].root;

	if (!s->q->collapse) {
		s->passed++;
		return;
	}
	if (!s->texts)
		s->texts = sl_calloc(s->ix->ids.n / 64 + 1, sizeof(uint64_t));
	if (!(s->texts[root / 64] >> (root % 64) & 1)) {
		s->texts[root / 64] |= 1ULL << (root % 64);
		s->passed++;
	}
}

/* A match: into the hits if it is good enough and the caller accepts. */
static void offer(search *s, uint32_t d, float score)
{
	const doc *dd = &s->ix->docs[d];
	int64_t when = s->h.by_time ? dd->published : 0;

	if (!term_checks(s->checks, s->n_checks, d))
		return;
	if (s->q->skip_root && dd->root == *s->q->skip_root)
		return;
	if (s->q->n_skip_stories && dd->story &&
	    bsearch(&dd->story, s->q->skip_stories, s->q->n_skip_stories,
		    sizeof(*s->q->skip_stories), sl_cmp_i64))
		return;
	if (!heap_wants(&s->h, score, when)) {
		count_match(s, d);
		return;
	}
	if (s->q->accept &&
	    !s->q->accept(d, sl_strtab_key(&s->ix->ids, dd->id),
			  s->q->accept_ctx))
		return;
	count_match(s, d);
	if (s->q->collapse && same_text(s, d, score, when))
		return;
	heap_push(&s->h, d, score, when);
}

/* Filters only: every live document is a candidate. */
static void scan_all(search *s)
{
	for (uint32_t d = 0; d < s->ix->n_docs; d++)
		if (passes(s->ix, d, &s->f))
			offer(s, d, 0);
}

/* The first champion of pl from k on at or after document lo. */
static uint32_t champ_from(const plist *pl, uint32_t k, uint32_t lo)
{
	if (k >= pl->n_champs || pl->champs[k].doc >= lo)
		return k;
	return gallop(pl->champs, sizeof(champ), pl->n_champs, k, lo);
}

/*
 * The most c can add to document d, without decoding: what its current
 * posting adds when it is at d or past it, else the bound of the block
 * that may hold d (found from the block records alone).
 */
static float bound_at(const sl_index *ix, cursor *c, uint32_t d)
{
	if (c->doc >= d)
		return c->doc == d ? posting_score(ix, c) : 0;
	if (next_from(c, d) == DONE)
		return 0;
	return c->weight * c->pl->blocks[c->shallow].max_sat;
}

/*
 * A candidate of a window with its essential score: add what the
 * non-essential lists order[0..ne-1] hold for it, from the last (see
 * split), as long as what is left could still lift it into the hits:
 * the window's bounds of the lists not yet read (prefix[i]) and the
 * bound of the block of the next one at d, known before it is decoded
 * there.
 */
static void complete_read(search *s, cursor **order, const float *prefix,
			  size_t ne, uint32_t d, float score)
{
	const sl_index *ix = s->ix;
	int by_time = s->h.by_time;

	s->evaluated++;
	if (!passes(ix, d, &s->f))
		return;
	for (size_t i = ne; i-- > 0;) {
		cursor *c = order[i];

		if (!by_time &&
		    !heap_wants(&s->h, score + prefix[i] + bound_at(ix, c, d),
				0)) {
			s->pruned = 1;
			return;
		}
		if (c->doc < d)
			cursor_seek(c, d);
		if (c->doc == d)
			score += posting_score(ix, c);
	}
	offer(s, d, score);
}

/* The first check inline: most candidates of a long list stop there. */
static inline void complete(search *s, cursor **order, const float *prefix,
			    size_t ne, uint32_t d, float score)
{
	if (!s->h.by_time && !heap_wants(&s->h, score + prefix[ne], 0)) {
		s->pruned = 1;
		return;
	}
	complete_read(s, order, prefix, ne, d, score);
}

/* Does a time filter rule out every document of window w? News arrives
 * roughly in time order, so a window of days skips most of a year. */
static int out_of_time(const sl_index *ix, size_t w, const filter *f)
{
	return (f->since != SL_TIME_NONE && ix->win_last[w] < f->since) ||
	       (f->until != SL_TIME_NONE && ix->win_first[w] > f->until);
}

/* What reading the lists by_champions by their champions saves, the
 * lists spared_lists among them no longer read whole: the postings
 * spared less the candidates brought, each costing as many postings as
 * cost says (worth it above 0). */
static double saving(cursor **order, size_t n, uint64_t spared_lists,
		     uint64_t by_champions, double cost)
{
	double spared = 0, brought = 0;

	for (size_t i = 0; i < n; i++) {
		if (spared_lists >> i & 1)
			spared += order[i]->pl->df;
		if (by_champions >> i & 1)
			brought += order[i]->pl->n_champs;
	}
	return spared - brought * cost;
}

/* Does reading c by its champions spare more postings than its
 * champions cost as candidates, at cost postings each? */
static int pays(const cursor *c, double cost)
{
	return c->pl->df > cost * c->pl->n_champs;
}

/* Add to chosen, the longest first, the essential lists order[ne..n-1]
 * that pay at cost (see pays) and whose rest bounds still fit beside sum
 * (and those added before). */
static uint64_t fit(const search *s, cursor **order, size_t ne, size_t n,
		    const float *rest, float sum, uint64_t chosen, double cost)
{
	for (;;) {
		size_t best = n;

		for (size_t i = ne; i < n; i++)
			if (!(chosen >> i & 1) && pays(order[i], cost) &&
			    !heap_wants(&s->h, sum + rest[i], 0) &&
			    (best == n ||
			     order[i]->pl->df > order[best]->pl->df))
				best = i;
		if (best == n)
			return chosen;
		chosen |= 1ULL << best;
		sum += rest[best];
	}
}

/*
 * Which lists of a window, order[0..n-1] (at most 64), are read by their
 * champions alone (bits), the others whole: a document that is none of
 * the first ones' champions scores at most their rest bounds there, so
 * while these together (and the bounds of the lists left to complete
 * candidates) cannot lift a document into the hits, only their
 * champions can be candidates. Two ways:
 *  a. the non-essential lists order[0..ne-1], by their rest bounds, and
 *     the essential ones, the longest first, while their rest bounds
 *     fit: every list is read for candidates (*completing 0);
 *  b. the non-essential lists stay so, their whole bounds counted, read
 *     where a candidate needs them (*completing 1), and the essential
 *     ones whose rest bounds fit beside them, the longest first, of
 *     those that pay at b's candidate cost (see pays). A common word
 *     beside a rarer one ("sharing commissions"): the common one's
 *     100,000 champions are not candidates, the rarer one's 4,000 are
 *     (at a million articles, 4.6 -> 0.43 ms, one core).
 * No more postings are read whole than after split() alone. The way that
 * spares the most postings less the candidates the champions bring,
 * each completed over the n lists (four times over in b, where they are
 * completed by seeking, not by streaming: at a million articles, 25-term
 * queries' p99 -4%, 1-3 words unchanged), when that is above 0 (a
 * common two-word query: a tenth of the postings read; 25 terms:
 * seldom); 0 when neither is, or with no bar yet.
 */
static uint64_t champion_lists(const search *s, cursor **order, size_t ne,
			       size_t n, float *rest, int *completing)
{
	uint64_t non_essential, a = 0, b = 0;
	double save_a = 0, save_b = 0, cost_a = (double)n, cost_b = 4.0 * n;
	float sum_a = 0, sum_b = 0;
	int try_b = 0;

	*completing = 0;
	if (n > 64 || s->h.by_time || s->h.n < s->h.k)
		return 0;
	non_essential = ne < 64 ? (1ULL << ne) - 1 : ~0ULL;
	/* The most each could be worth: every essential list spared. */
	for (size_t i = ne; i < n && ne; i++)
		try_b |= pays(order[i], cost_b);
	if (!try_b &&
	    saving(order, n, ~non_essential, non_essential, cost_a) <= 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const cursor *c = order[i];
		float r = c->weight * c->pl->rest_sat;

		rest[i] = r < c->bound ? r : c->bound;
		if (i < ne) {
			sum_a += rest[i];
			sum_b += c->bound;
		}
	}
	a = fit(s, order, ne, n, rest, sum_a, non_essential, 0);
	save_a = saving(order, n, a & ~non_essential, a, cost_a);
	if (try_b) {
		b = fit(s, order, ne, n, rest, sum_b, 0, cost_b);
		save_b = saving(order, n, b, b, cost_b);
	}
	if (save_b > save_a && save_b > 0) {
		*completing = 1;
		return b;
	}
	return save_a > 0 ? a : 0;
}

/* A score for the document at slot at of a window; in: its list's bit,
 * kept in mask unless that is NULL (no list read by champions). */
static inline void gather(float *acc, uint64_t *mask, uint64_t *seen,
			  uint32_t at, float sc, uint64_t in)
{
	uint64_t bit = 1ULL << (at % 64);

	if (seen[at / 64] & bit) {
		acc[at] += sc;
		if (mask)
			mask[at] |= in;
	} else {
		seen[at / 64] |= bit;
		acc[at] = sc;
		if (mask)
			mask[at] = in;
	}
}

/* A posting of a list read whole that may be a candidate's. */
typedef struct posting_hit {
	uint32_t at, tf_title, tf_body;
} posting_hit;

/*
 * After the essential lists have brought a window's candidates (seen,
 * their scores in acc): the non-essential lists order[..ne-1], from the
 * last, read whole over the window while each has few postings for the
 * candidates left (reading a few postings costs less than a seek), their
 * scores added in the order complete_read() would add them: the postings
 * are kept, without a branch, when they are a candidate's, then scored
 * (whether a posting is a candidate's is a coin toss to the branch
 * predictor: MLT p99 5.2 -> 5.0 ms at 1M articles). Between two,
 * the candidates that can no longer enter are let go. Returns how many
 * lists are left for complete().
 */
static size_t stream_rest(search *s, cursor **order, const float *prefix,
			  size_t ne, uint32_t lo, uint32_t hi, float *acc,
			  uint64_t *seen)
{
	const sl_index *ix = s->ix;
	size_t alive = 0, m;
	posting_hit hit[WINDOW];

	for (uint32_t w = 0; w < WINDOW / 64; w++)
		alive += (size_t)__builtin_popcountll(seen[w]);
	while (ne && window_postings(order[ne - 1], hi) <=
			     STREAM * alive) {
		cursor *c = order[--ne];

		cursor_seek(c, lo);
		m = 0;
		for (; c->doc < hi; cursor_next(c)) {
			uint32_t at = c->doc - lo;

			hit[m] = (posting_hit){at, c->tf_title, c->tf_body};
			m += seen[at / 64] >> (at % 64) & 1;
		}
		for (size_t i = 0; i < m; i++)
			acc[hit[i].at] += score_at(ix, c, lo + hit[i].at,
						   hit[i].tf_title,
						   hit[i].tf_body);
		alive = 0;
		for (uint32_t w = 0; w < WINDOW / 64; w++)
			for (uint64_t bits = seen[w]; bits; bits &= bits - 1) {
				uint32_t at = w * 64 +
					      (uint32_t)__builtin_ctzll(bits);

				if (heap_wants(&s->h, acc[at] + prefix[ne], 0)) {
					alive++;
					continue;
				}
				seen[w] &= ~(1ULL << (at % 64));
				s->pruned = 1;
			}
	}
	return ne;
}

/*
 * One window's candidates: when champion_lists() allows, from every
 * list of the window (or every essential one, the others completing),
 * its champions or all its postings in [lo, hi); otherwise from the
 * essential lists order[ne..n-1], all their postings.
 * They are added up in acc (mask: the lists each document was found in,
 * with champions). Then each candidate in document order: a list read by
 * champions that it is not a champion of adds at most its rest bound,
 * and is read only while the candidate could still enter; complete()
 * adds the non-essential lists, those left after stream_rest(). A
 * single essential list read whole completes its postings as it reads
 * them, without adding up.
 */
static void score_window(search *s, cursor **order, const float *prefix,
			 size_t ne, size_t n, uint32_t lo, uint32_t hi,
			 float *acc, uint64_t *mask)
{
	const sl_index *ix = s->ix;
	uint64_t seen[WINDOW / 64] = {0};
	float rest_of[64], *rest = rest_of;
	int completing;
	uint64_t champs = champion_lists(s, order, ne, n, rest, &completing);
	size_t n_e;

	if (champs && completing) { /* bits and rests from order[ne] on */
		champs >>= ne;
		rest += ne;
	} else if (champs) { /* every list is a source of candidates */
		ne = 0;
	} else {
		mask = NULL;
	}
	n_e = n - ne;

	if (!champs && n_e == 1) {
		cursor *c = order[ne];
		size_t rest = ne;

		/* The best non-essential list, the one every candidate is
		 * completed with first, read whole first when it has few
		 * postings for each of the essential one's. */
		if (ne && window_postings(order[ne - 1], hi) <=
				  STREAM / 2 * window_postings(c, hi)) {
			cursor *best = order[--rest];

			cursor_seek(best, lo);
			for (; best->doc < hi; cursor_next(best))
				gather(acc, NULL, seen, best->doc - lo,
				       posting_score(ix, best), 0);
		}
		cursor_seek(c, lo);
		for (; c->doc < hi; cursor_next(c)) {
			uint32_t at = c->doc - lo;
			float sc = posting_score(ix, c);

			if (rest < ne && (seen[at / 64] >> (at % 64) & 1))
				sc += acc[at];
			complete(s, order, prefix, rest, c->doc, sc);
		}
		return;
	}
	for (size_t i = 0; i < n_e; i++) {
		cursor *c = order[ne + i];
		const plist *pl = c->pl;
		uint64_t in = champs ? 1ULL << i : 0;
		uint32_t k;

		if (!(champs >> i & 1)) {
			cursor_seek(c, lo);
			for (; c->doc < hi; cursor_next(c))
				gather(acc, mask, seen, c->doc - lo,
				       posting_score(ix, c), in);
			continue;
		}
		k = champ_from(pl, c->champ, lo);
		for (; k < pl->n_champs && pl->champs[k].doc < hi; k++) {
			const champ *ch = &pl->champs[k];

			gather(acc, mask, seen, ch->doc - lo,
			       c->weight * ch->sat, in);
		}
		c->champ = k;
	}
	if (!champs)
		ne = stream_rest(s, order, prefix, ne, lo, hi, acc, seen);
	for (uint32_t w = 0; w < WINDOW / 64; w++)
		for (uint64_t bits = seen[w]; bits; bits &= bits - 1) {
			uint32_t at = w * 64 + (uint32_t)__builtin_ctzll(bits);
			uint32_t d = lo + at;
			uint64_t unread = mask ? champs & ~mask[at] : 0;
			float score = acc[at], left = prefix[ne];
			size_t i;

			for (uint64_t u = unread; u; u &= u - 1)
				left += rest[__builtin_ctzll(u)];
			for (i = unread ? n_e : 0; i-- > 0;) { /* highest first */
				cursor *c = order[ne + i];
				float b;

				if (!(unread >> i & 1))
					continue;
				if (!heap_wants(&s->h, score + left, 0))
					break;
				left -= rest[i];
				b = bound_at(ix, c, d);
				if (!heap_wants(&s->h,
						score + left +
							(b < rest[i] ? b : rest[i]),
						0))
					break;
				if (c->doc < d)
					cursor_seek(c, d);
				if (c->doc == d)
					score += posting_score(ix, c);
			}
			if (i != (size_t)-1) {
				s->pruned = 1;
				continue;
			}
			complete(s, order, prefix, ne, d, score);
		}
}

/*
 * Windowed MaxScore over the scored lists. Documents are taken WINDOW
 * numbers at a time. In each window every list is bounded by its blocks
 * there, and split() sets apart the non-essential lists: together they
 * cannot beat the k-th best score, so they only complete the scores of
 * candidates that the other (essential) lists bring; or every list
 * brings its champions only, but the lists that must be read whole
 * (score_window). The non-essential lists are decoded only where a
 * candidate needs them (see next_from); a window none of whose lists
 * can lift a document into the hits is passed over without decoding
 * anything. By time, nothing is pruned.
 */
static void scan_windows(search *s, cursor *scored, size_t n)
{
	float *acc = sl_malloc(WINDOW * sizeof(float));
	uint64_t *mask = sl_malloc(WINDOW * sizeof(uint64_t));
	float *prefix = sl_malloc((n + 1) * sizeof(float));
	cursor **order = sl_malloc(n * sizeof(*order));
	const sl_index *ix = s->ix;
	heap *h = &s->h;

	for (uint32_t from = 0, lo, hi; from != DONE; from = hi) {
		size_t n_order = 0, ne = 0;
		uint32_t next = DONE;

		for (size_t i = 0; i < n; i++) {
			uint32_t d = next_from(&scored[i], from);

			if (d < next)
				next = d;
		}
		if (next == DONE)
			break;
		lo = next - next % WINDOW; /* windows of the time spans */
		hi = lo < DONE - WINDOW ? lo + WINDOW : DONE;
		if (out_of_time(ix, lo / WINDOW, &s->f)) {
			/* On to the next window of the time asked for. */
			size_t w = lo / WINDOW + 1, n_win = (ix->n_docs +
							      WINDOW - 1) /
							     WINDOW;

			while (w < n_win && out_of_time(ix, w, &s->f))
				w++;
			hi = w < n_win ? (uint32_t)(w * WINDOW) : DONE;
			continue;
		}

		for (size_t i = 0; i < n; i++) {
			if (next_from(&scored[i], lo) >= hi)
				continue;
			scored[i].bound = window_bound(&scored[i], hi);
			order[n_order++] = &scored[i];
		}
		prefix[0] = 0;
		if (!h->by_time && h->n == h->k) {
			ne = split(order, n_order, h, prefix);
			if (ne == n_order) { /* nothing here can enter */
				s->pruned = 1;
				continue;
			}
		}
		score_window(s, order, prefix, ne, n_order, lo, hi, acc, mask);
	}
	free(acc);
	free(mask);
	free(prefix);
	free(order);
}

size_t sl_index_search(sl_index *ix, const sl_index_query *q, sl_hit *out,
		       size_t *out_total, int *out_exact)
{
	cursor *scored;
	size_t n_scored = 0, max_df = 0, n_out;
	search s = {.ix = ix, .q = q};
	filter *f = &s.f;
	int impossible = 0, wants_terms = 0;

	*out_total = 0;
	*out_exact = 1;
	if (q->k == 0)
		return 0;
	pthread_rwlock_rdlock(&ix->lock);
	f->since = q->since;
	f->until = q->until;
	f->outlet = find_name(&ix->outlets, q->outlet);
	f->lang = (uint16_t)find_name(&ix->langs, q->lang);
	if (f->outlet == UINT32_MAX || f->lang == (uint16_t)UINT32_MAX)
		impossible = 1;
	f->active = f->since != SL_TIME_NONE || f->until != SL_TIME_NONE ||
		    f->outlet || f->lang;

	scored = sl_calloc(q->n_terms + 1, sizeof(cursor));
	s.checks = sl_calloc(q->n_terms + 1, sizeof(cursor));
	for (size_t i = 0; i < q->n_terms && !impossible; i++) {
		const sl_qterm *qt = &q->terms[i];
		uint32_t li = sl_hmap_get(&ix->terms, qt->id);
		const plist *pl;

		wants_terms |= !(qt->flags & SL_QT_EXCLUDED);
		if (li == SL_HMAP_NONE) {
			if (qt->flags & SL_QT_REQUIRED)
				impossible = 1;
			continue;
		}
		pl = &ix->lists[li];
		if (qt->flags & (SL_QT_REQUIRED | SL_QT_EXCLUDED)) {
			cursor_open(&s.checks[s.n_checks], pl);
			s.checks[s.n_checks++].flags = qt->flags;
		}
		if (qt->flags & SL_QT_EXCLUDED)
			continue;
		/* A term asked for twice (two words of one stem) is one
		 * list, read once, its weights added. */
		cursor *c = scored;

		while (c < scored + n_scored && c->pl != pl)
			c++;
		if (c < scored + n_scored) {
			c->weight += qt->weight * (float)idf_of(ix, pl->df);
			continue;
		}
		n_scored++;
		c->weight = qt->weight * (float)idf_of(ix, pl->df);
		cursor_open(c, pl);
		if (pl->df > max_df)
			max_df = pl->df;
	}
	s.h.k = q->k;
	s.h.by_time = q->by_time;
	s.h.items = out;
	s.h.keys = sl_malloc(q->k * sizeof(int64_t));
	/* Words none of the articles has match nothing; a query of filters
	 * and exclusions only goes through every article. */
	if (impossible || (wants_terms && n_scored == 0))
		;
	else if (n_scored == 0)
		scan_all(&s);
	else
		scan_windows(&s, scored, n_scored);

	n_out = s.h.n;
	qsort_r(out, n_out, sizeof(sl_hit), cmp_hits,
		&(order_ctx){ix, q->by_time});
	*out_total = s.passed;
	if (s.pruned && s.evaluated) {
		size_t est = (size_t)((double)max_df * s.passed / s.evaluated);

		*out_total = est > s.passed ? est : s.passed;
		*out_exact = 0;
	}
	pthread_rwlock_unlock(&ix->lock);
	free(s.texts);
	free(s.h.keys);
	free(scored);
	free(s.checks);
	return n_out;
}

char *sl_index_doc_id(sl_index *ix, uint32_t docno)
{
	char *id;

	pthread_rwlock_rdlock(&ix->lock);
	id = docno < ix->n_docs ?
		     sl_strdup(sl_strtab_key(&ix->ids, ix->docs[docno].id)) :
		     NULL;
	pthread_rwlock_unlock(&ix->lock);
	return id;
}

/* ------------------------------------------------------------------ */
#define COPIES_WALKED 10000 /* a story's newest members looked at for copies */

size_t sl_index_copies(sl_index *ix, uint32_t docno, int64_t *story)
{
	size_t n = 0, walked = 0;
	const story_rec *st;

	pthread_rwlock_rdlock(&ix->lock);
	*story = docno < ix->n_docs ? ix->docs[docno].story : 0;
	if (docno < ix->n_docs && ix->docs[docno].story &&
	    (st = story_find(ix, ix->docs[docno].story))) {
		uint32_t root = ix->docs[docno].root;

		for (uint32_t d = st->head; d != NO_DOC &&
					    walked++ < COPIES_WALKED;
		     d = ix->docs[d].next)
			n += d != docno && !ix->docs[d].retired &&
			     ix->docs[d].root == root;
	}
	pthread_rwlock_unlock(&ix->lock);
	return n;
}

/* What the rail reads                                                 */

int sl_index_find(sl_index *ix, const char *id, uint32_t *docno)
{
	uint32_t e;
	int rc = SL_ENOTFOUND;

	pthread_rwlock_rdlock(&ix->lock);
	e = sl_strtab_find(&ix->ids, id, strlen(id), sl_hash(id, strlen(id)));
	if (e != SL_STRTAB_NONE && !ix->docs[ix->id_doc[e]].retired) {
		*docno = ix->id_doc[e];
		rc = 0;
	}
	pthread_rwlock_unlock(&ix->lock);
	return rc;
}

int sl_index_facts_get(sl_index *ix, uint32_t docno, sl_index_facts *out)
{
	const doc *d;

	pthread_rwlock_rdlock(&ix->lock);
	if (docno >= ix->n_docs || ix->docs[docno].retired) {
		pthread_rwlock_unlock(&ix->lock);
		return SL_ENOTFOUND;
	}
	d = &ix->docs[docno];
	out->doc = docno;
	out->published = d->published;
	out->story = d->story;
	out->root = d->root;
	out->outlet[0] = '\0';
	if (d->outlet)
		snprintf(out->outlet, sizeof(out->outlet), "%s",
			 sl_strtab_key(&ix->outlets, d->outlet - 1));
	out->n = d->vec_n;
	/* The lists are far apart in memory: ask for them all at once. */
	for (size_t i = 0; i < out->n; i++)
		__builtin_prefetch(
		    &ix->lists[ix->vterm[d->vec_off + i] & ~NAME_BIT].df);
	/* Weighted as sl_vec_of does, with today's idf. */
	for (size_t i = 0; i < out->n; i++) {
		uint32_t vt = ix->vterm[d->vec_off + i];
		const plist *pl = &ix->lists[vt & ~NAME_BIT];
		sl_vec_term *t = &out->t[i];
		double w = tf_weight[ix->vw[d->vec_off + i]] *
			   vec_idf_of(ix, pl);

		t->id = t->word = pl->key;
		t->name = (vt & NAME_BIT) != 0;
		t->common = 0; /* the rail does not ask */
		t->w = (float)(w * (t->name ? SL_VEC_NAME_BOOST : 1.0f));
		t->text = NULL;
	}
	pthread_rwlock_unlock(&ix->lock);
	sl_vec_unit_length(out->t, out->n);
	return 0;
}

#define OUTLETS_WALKED 1000

int sl_index_story_get(sl_index *ix, int64_t story, int count_outlets,
		       sl_index_story *out)
{
	const story_rec *s;
	int rc = SL_ENOTFOUND;

	memset(out, 0, sizeof(*out));
	pthread_rwlock_rdlock(&ix->lock);
	if ((s = story_find(ix, story)) && s->size) {
		uint32_t seen[OUTLETS_WALKED];
		size_t walked = 0;

		out->size = s->size;
		out->first = s->first;
		out->last = s->last;
		/* Outlets: distinct among the newest OUTLETS_WALKED live
		 * members (a wire story carried by a hundred sites has a
		 * hundred outlets). */
		for (uint32_t d = s->head; count_outlets && d != NO_DOC &&
					   walked < OUTLETS_WALKED;
		     d = ix->docs[d].next)
			if (!ix->docs[d].retired && ix->docs[d].outlet)
				seen[walked++] = ix->docs[d].outlet;
		qsort(seen, walked, sizeof(*seen), sl_cmp_u32);
		for (size_t i = 0; i < walked; i++)
			out->outlets += i == 0 || seen[i] != seen[i - 1];
		rc = 0;
	}
	pthread_rwlock_unlock(&ix->lock);
	return rc;
}

void sl_index_stats_get(sl_index *ix, sl_index_stats *out)
{
	pthread_rwlock_rdlock(&ix->lock);
	out->docs = ix->live;
	out->terms = ix->n_lists;
	out->postings = ix->postings;
	out->bytes = ix->bytes + ix->cap_docs * sizeof(doc) +
		     ix->cap_hot * sizeof(hot) + ix->cap_gone * 8 +
		     ix->cap_lists * sizeof(plist) +
		     ix->terms.n_slots * sizeof(sl_hmap_slot) +
		     ix->ids.pool_cap + ix->ids.cap * 16 +
		     ix->ids.n_slots * 8 + ix->cap_id_doc * 4 +
		     ix->cap_vterm * sizeof(*ix->vterm) + ix->cap_vw +
		     ix->cap_stories * sizeof(story_rec) +
		     ix->story_of.n_slots * sizeof(sl_hmap_slot) +
		     (ix->cap_win_first + ix->cap_win_last) * sizeof(int64_t);
	out->max_seq = ix->max_seq;
	pthread_rwlock_unlock(&ix->lock);
}

void sl_index_df(sl_index *ix, const uint64_t *terms, size_t n,
		 uint32_t *out, size_t *n_docs)
{
	pthread_rwlock_rdlock(&ix->lock);
	for (size_t i = 0; i < n; i++) {
		uint32_t li = sl_hmap_get(&ix->terms, terms[i]);

		out[i] = li == SL_HMAP_NONE ? 0 : ix->lists[li].odf;
	}
	*n_docs = ix->n_orig;
	pthread_rwlock_unlock(&ix->lock);
}

double sl_index_idf(sl_index *ix, uint64_t term)
{
	uint32_t li;
	double idf = 0;

	pthread_rwlock_rdlock(&ix->lock);
	li = sl_hmap_get(&ix->terms, term);
	if (li != SL_HMAP_NONE)
		idf = idf_of(ix, ix->lists[li].df);
	pthread_rwlock_unlock(&ix->lock);
	return idf;
}

/* ------------------------------------------------------------------ */
/* Snapshots                                                           */

/*
 * A snapshot is the whole index in one file: a header (magic, version,
 * the store's identity and highest sequence number), the sections, and
 * an XXH3 checksum of everything before it. It is written to a temporary
 * name and renamed, so a reader sees the old file or the new one; on
 * load every count and offset is checked against the file's size, so a
 * truncated, corrupt or foreign file is refused, never trusted.
 */
#define SNAP_MAGIC "SLINDEX1"
#define SNAP_VERSION 8 /* 4: vectors without calendar words; 5: blocks
			* of 64, vectors without numbers; 6: champions;
			* 7: df of originals; 8: champions' saturation */
#define STORE_ID_LEN 64

typedef struct writer {
	FILE *fp;
	XXH3_state_t hash;
	int failed;
} writer;

static void put(writer *w, const void *p, size_t n)
{
	if (!n || w->failed)
		return;
	if (fwrite(p, 1, n, w->fp) != n)
		w->failed = 1;
	XXH3_64bits_update(&w->hash, p, n);
}

static void put_u64(writer *w, uint64_t v)
{
	put(w, &v, sizeof(v));
}

static void put_strtab(writer *w, const sl_strtab *t)
{
	put_u64(w, t->n);
	put_u64(w, t->pool_len);
	put(w, t->pool, t->pool_len);
	put(w, t->keys, t->n * sizeof(*t->keys));
	put(w, t->hashes, t->n * sizeof(*t->hashes));
}

int sl_index_save(sl_index *ix, const char *path, const char *store_id)
{
	char tmp[4096], id[STORE_ID_LEN] = {0};
	writer w = {0};
	uint64_t sum;
	int rc = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	snprintf(id, sizeof(id), "%s", store_id ? store_id : "");
	w.fp = fopen(tmp, "wb");
	if (!w.fp)
		return sl_error_set(SL_EIO, "%s: %s", tmp, strerror(errno));
	XXH3_64bits_reset(&w.hash);
	pthread_rwlock_rdlock(&ix->lock);
	put(&w, SNAP_MAGIC, 8);
	put_u64(&w, SNAP_VERSION);
	put(&w, id, sizeof(id));
	put_u64(&w, (uint64_t)ix->max_seq);
	put_u64(&w, ix->n_docs);
	put_u64(&w, ix->live);
	put_u64(&w, ix->n_orig);
	put(&w, ix->docs, ix->n_docs * sizeof(doc));
	put_strtab(&w, &ix->ids);
	put(&w, ix->id_doc, ix->ids.n * sizeof(uint32_t));
	put_strtab(&w, &ix->outlets);
	put_strtab(&w, &ix->langs);
	put(&w, ix->total_len, sizeof(ix->total_len));
	put(&w, ix->frozen_avg, sizeof(ix->frozen_avg));
	put_u64(&w, ix->n_lists);
	for (size_t i = 0; i < ix->n_lists; i++) { /* vectors name them */
		const plist *pl = &ix->lists[i];

		put_u64(&w, pl->key);
		put(&w, &pl->df, sizeof(pl->df));
		put(&w, &pl->odf, sizeof(pl->odf));
		put(&w, &pl->n_bytes, sizeof(pl->n_bytes));
		put(&w, &pl->n_blocks, sizeof(pl->n_blocks));
		put(&w, &pl->max_sat, sizeof(pl->max_sat));
		put(&w, pl->bytes, pl->n_bytes);
		put(&w, pl->blocks, pl->n_blocks * sizeof(block));
		put(&w, &pl->rest_sat, sizeof(pl->rest_sat));
		put(&w, &pl->n_champs, sizeof(pl->n_champs));
		put(&w, pl->champs, pl->n_champs * sizeof(champ));
	}
	put_u64(&w, ix->n_vec);
	put(&w, ix->vterm, ix->n_vec * sizeof(*ix->vterm));
	put(&w, ix->vw, ix->n_vec);
	pthread_rwlock_unlock(&ix->lock);
	sum = XXH3_64bits_digest(&w.hash);
	if (!w.failed && fwrite(&sum, sizeof(sum), 1, w.fp) != 1)
		w.failed = 1;
	if (fflush(w.fp) != 0 || fsync(fileno(w.fp)) != 0)
		w.failed = 1;
	if (fclose(w.fp) != 0)
		w.failed = 1;
	if (w.failed || rename(tmp, path) != 0) {
		rc = sl_error_set(SL_EIO, "%s: %s", path, strerror(errno));
		unlink(tmp);
	}
	return rc;
}

typedef struct reader {
	const uint8_t *p, *end;
	int bad;
} reader;

/* The next n bytes, or NULL (and the reader marked bad) past the end. */
static const void *take(reader *r, size_t n)
{
	const uint8_t *p = r->p;

	if (r->bad || n > (size_t)(r->end - r->p)) {
		r->bad = 1;
		return NULL;
	}
	r->p += n;
	return p;
}

static uint64_t take_u64(reader *r)
{
	const void *p = take(r, 8);
	uint64_t v = 0;

	if (p)
		memcpy(&v, p, 8);
	return v;
}

/* A count of items of size bytes that must fit in what is left. */
static uint64_t take_count(reader *r, size_t size)
{
	uint64_t n = take_u64(r);

	if (n > UINT32_MAX || n * size > (uint64_t)(r->end - r->p))
		r->bad = 1;
	return r->bad ? 0 : n;
}

static void take_strtab(reader *r, sl_strtab *t)
{
	uint64_t n = take_count(r, sizeof(sl_strtab_key_t) + 8);
	uint64_t pool_len = take_count(r, 1);
	const char *pool = take(r, pool_len);
	const sl_strtab_key_t *keys = take(r, n * sizeof(*keys));
	const uint64_t *hashes = take(r, n * sizeof(*hashes));

	if (r->bad)
		return;
	for (uint64_t i = 0; i < n; i++) {
		sl_strtab_key_t k;
		uint64_t h;

		memcpy(&k, keys + i, sizeof(k));
		memcpy(&h, hashes + i, sizeof(h));
		if ((uint64_t)k.off + k.len >= pool_len ||
		    pool[k.off + k.len] != '\0' ||
		    h != sl_hash(pool + k.off, k.len)) {
			r->bad = 1;
			return;
		}
		sl_strtab_add(t, pool + k.off, k.len, h);
	}
}

/* A variable-length integer of at most 32 bits from p, before end. */
static inline int varint_ok(const uint8_t **p, const uint8_t *end,
			    uint32_t *v)
{
	uint64_t x = 0;

	if (*p < end && **p < 0x80) { /* most are one byte */
		*v = *(*p)++;
		return 1;
	}
	for (int shift = 0; shift < 35 && *p < end; shift += 7) {
		uint8_t byte = *(*p)++;

		x |= (uint64_t)(byte & 0x7F) << shift;
		if (!(byte & 0x80)) {
			*v = (uint32_t)x;
			return x <= UINT32_MAX;
		}
	}
	return 0;
}

/* Block b's postings decode within its bytes [p, end), their documents
 * rising from the block before's last to its own (so the blocks' last
 * documents rise too). Searches decode without these checks: a snapshot
 * is read only after them. */
static int block_ok(const plist *pl, uint32_t b, const uint8_t *p,
		    const uint8_t *end)
{
	uint32_t doc = b ? pl->blocks[b - 1].last_doc : 0, v;

	for (uint32_t i = 0; i < block_size(pl, b); i++) {
		if (!varint_ok(&p, end, &v) || (v == 0 && (b || i)) ||
		    v > UINT32_MAX - doc)
			return 0;
		doc += v;
		if (!varint_ok(&p, end, &v) ||
		    ((v & 3) == 3 && !varint_ok(&p, end, &v)))
			return 0;
	}
	return p == end && doc == pl->blocks[b].last_doc;
}

/* Every posting decodes within its block, blocks and champions ascend. */
static int list_ok(const plist *pl, size_t n_docs)
{
	uint32_t expect = 0;

	if (pl->n_blocks != (pl->df + BLOCK - 1) / BLOCK)
		return 0;
	for (uint32_t b = 0; b < pl->n_blocks; b++) {
		const block *bl = &pl->blocks[b];
		uint32_t end = b + 1 < pl->n_blocks ? pl->blocks[b + 1].offset :
						      pl->n_bytes;

		if (bl->offset != expect || end < bl->offset ||
		    end > pl->n_bytes || bl->last_doc >= n_docs ||
		    !(bl->max_sat >= 0 && bl->max_sat < 1) ||
		    !block_ok(pl, b, pl->bytes + bl->offset,
			      pl->bytes + end))
			return 0;
		expect = end;
	}
	for (uint32_t k = 0; k < pl->n_champs; k++)
		if (pl->champs[k].doc >= n_docs ||
		    (k && pl->champs[k].doc <= pl->champs[k - 1].doc) ||
		    !(pl->champs[k].sat >= CHAMP_SAT &&
		      pl->champs[k].sat <= pl->max_sat))
			return 0;
	return expect == pl->n_bytes && pl->rest_sat >= 0 &&
	       pl->rest_sat < 1;
}

int sl_index_load(sl_index **out, const char *path, const char *store_id,
		  int64_t *out_max_seq)
{
	char id[STORE_ID_LEN] = {0};
	uint8_t *data = NULL;
	size_t size = 0;
	FILE *fp;
	reader r;
	sl_index *ix = NULL;
	uint64_t sum, n_lists;
	int rc = 0;

	*out = NULL;
	fp = fopen(path, "rb");
	if (!fp)
		return sl_error_set(SL_ENOTFOUND, "%s: %s", path,
				    strerror(errno));
	if (fseek(fp, 0, SEEK_END) == 0) {
		long len = ftell(fp);

		size = len > 0 ? (size_t)len : 0;
		rewind(fp);
	}
	if (size < 8 + 8) {
		fclose(fp);
		return sl_error_set(SL_EINVAL, "%s: truncated snapshot", path);
	}
	data = sl_malloc(size);
	if (fread(data, 1, size, fp) != size) {
		fclose(fp);
		free(data);
		return sl_error_set(SL_EIO, "%s: read error", path);
	}
	fclose(fp);
	memcpy(&sum, data + size - 8, 8);
	if (memcmp(data, SNAP_MAGIC, 8) != 0 ||
	    XXH3_64bits(data, size - 8) != sum) {
		rc = sl_error_set(SL_EINVAL, "%s: not a snapshot, or corrupt",
				  path);
		goto cleanup;
	}
	r.p = data + 8;
	r.end = data + size - 8;
	r.bad = 0;
	snprintf(id, sizeof(id), "%s", store_id ? store_id : "");
	const void *saved_id;

	if (take_u64(&r) != SNAP_VERSION ||
	    !(saved_id = take(&r, STORE_ID_LEN)) ||
	    memcmp(saved_id, id, STORE_ID_LEN) != 0) {
		rc = sl_error_set(SL_EINVAL,
				  "%s: snapshot of another store or version",
				  path);
		goto cleanup;
	}
	ix = sl_index_new();
	ix->max_seq = (int64_t)take_u64(&r);
	ix->n_docs = take_count(&r, sizeof(doc));
	ix->live = take_u64(&r);
	ix->n_orig = take_u64(&r);
	if (!r.bad && ix->n_docs) {
		/* An eighth of room, as sl_index_compact leaves: growing
		 * these arrays is a copy under the write lock. */
		size_t room = ix->n_docs + ix->n_docs / 8 + 1;

		const void *docs = take(&r, ix->n_docs * sizeof(doc));

		ix->cap_docs = room;
		ix->docs = sl_calloc(room, sizeof(doc));
		if (docs)
			memcpy(ix->docs, docs, ix->n_docs * sizeof(doc));
		ix->cap_hot = room;
		ix->hot = sl_calloc(room, sizeof(hot));
		gone_room(ix, room);
		for (size_t d = 0; d < ix->n_docs; d++) {
			for (int f = 0; f < SL_N_FIELDS; f++)
				ix->hot[d].norm[f] =
					length_code(ix->docs[d].len[f]);
			ix->gone[d / 64] |= (uint64_t)ix->docs[d].retired
					    << (d % 64);
		}
	}
	take_strtab(&r, &ix->ids);
	if (!r.bad && ix->ids.n) {
		const void *p = take(&r, ix->ids.n * sizeof(uint32_t));

		ix->cap_id_doc = ix->ids.n;
		ix->id_doc = sl_malloc(ix->ids.n * sizeof(uint32_t));
		if (p)
			memcpy(ix->id_doc, p, ix->ids.n * sizeof(uint32_t));
	}
	take_strtab(&r, &ix->outlets);
	take_strtab(&r, &ix->langs);
	const void *totals = take(&r, sizeof(ix->total_len));
	const void *avgs = take(&r, sizeof(ix->frozen_avg));

	if (totals && avgs) {
		memcpy(ix->total_len, totals, sizeof(ix->total_len));
		memcpy(ix->frozen_avg, avgs, sizeof(ix->frozen_avg));
		for (int f = 0; f < SL_N_FIELDS; f++) { /* as refreeze sets */
			double t = ix->total_len[f], a = ix->frozen_avg[f];

			if (!(t >= 0 && isfinite(t) && a >= 1 && isfinite(a)))
				r.bad = 1;
		}
		set_norms(ix);
	}
	n_lists = take_count(&r, 8 + 20);
	for (uint64_t i = 0; i < n_lists && !r.bad; i++) {
		uint64_t key = take_u64(&r);
		const void *df = take(&r, 4), *odf = take(&r, 4),
			   *nb = take(&r, 4), *nbl = take(&r, 4),
			   *ms = take(&r, 4);
		plist *pl;

		if (r.bad)
			break;
		sl_grow(&ix->lists, &ix->cap_lists, ix->n_lists + 1,
			sizeof(plist));
		pl = &ix->lists[ix->n_lists];
		memset(pl, 0, sizeof(*pl));
		memcpy(&pl->df, df, 4);
		memcpy(&pl->odf, odf, 4);
		if (pl->odf > pl->df || pl->odf > ix->n_orig) {
			r.bad = 1;
			break;
		}
		memcpy(&pl->n_bytes, nb, 4);
		memcpy(&pl->n_blocks, nbl, 4);
		memcpy(&pl->max_sat, ms, 4);
		pl->key = key;
		const void *bytes = take(&r, pl->n_bytes);
		const void *blocks = take(&r, (size_t)pl->n_blocks *
						      sizeof(block));
		const void *rs = take(&r, 4), *nc = take(&r, 4);
		const void *champs = NULL;

		if (rs && nc) {
			memcpy(&pl->rest_sat, rs, 4);
			memcpy(&pl->n_champs, nc, 4);
			if (pl->n_champs <= pl->df)
				champs = take(&r, (size_t)pl->n_champs *
							  sizeof(champ));
		}
		if (!champs) {
			r.bad = 1;
			break;
		}

		if (r.bad || sl_hmap_get(&ix->terms, key) != SL_HMAP_NONE) {
			r.bad = 1;
			break;
		}
		pl->cap_bytes = pl->n_bytes;
		pl->cap_blocks = pl->n_blocks;
		pl->bytes = sl_malloc(pl->n_bytes ? pl->n_bytes : 1);
		pl->blocks = sl_malloc(pl->n_blocks ? pl->n_blocks *
							      sizeof(block) :
						      1);
		memcpy(pl->bytes, bytes, pl->n_bytes);
		memcpy(pl->blocks, blocks, pl->n_blocks * sizeof(block));
		pl->cap_champs = pl->n_champs;
		pl->champs = sl_malloc(pl->n_champs ? pl->n_champs *
							       sizeof(champ) :
						       1);
		memcpy(pl->champs, champs, pl->n_champs * sizeof(champ));
		ix->n_lists++;
		if (!list_ok(pl, ix->n_docs)) {
			r.bad = 1;
			break;
		}
		sl_hmap_put(&ix->terms, key, (uint32_t)(ix->n_lists - 1), 0);
		ix->postings += pl->df;
		ix->bytes += pl->n_bytes + pl->n_blocks * sizeof(block) +
			     pl->n_champs * sizeof(champ);
	}
	ix->n_vec = take_count(&r, 5);
	if (!r.bad && ix->n_vec) {
		const void *vt = take(&r, ix->n_vec * sizeof(*ix->vterm));
		const void *vw = take(&r, ix->n_vec);

		size_t room = ix->n_vec + ix->n_vec / 8 + 1024;

		ix->vterm = sl_malloc(room * sizeof(*ix->vterm));
		ix->vw = sl_malloc(room);
		ix->cap_vterm = ix->cap_vw = room;
		if (vt && vw) {
			memcpy(ix->vterm, vt, ix->n_vec * sizeof(*ix->vterm));
			memcpy(ix->vw, vw, ix->n_vec);
		}
		for (size_t i = 0; i < ix->n_vec && !r.bad; i++)
			if ((ix->vterm[i] & ~NAME_BIT) >= ix->n_lists || !ix->vw[i])
				r.bad = 1;
	}
	/* Cross-checks: documents and ids point at each other (a live
	 * document is its id's; an older version, retired, is not), times
	 * are times, vectors are in the pool; then stories and time spans
	 * are rebuilt. */
	size_t live = 0;

	for (size_t d = 0; d < ix->n_docs && !r.bad; d++) {
		const doc *dd = &ix->docs[d];

		if (dd->id >= ix->ids.n || dd->outlet > ix->outlets.n ||
		    dd->lang > ix->langs.n || dd->root >= ix->ids.n ||
		    dd->retired > 1 ||
		    (!dd->retired && ix->id_doc[dd->id] != d) ||
		    (dd->published != SL_TIME_NONE &&
		     (dd->published < SL_TIME_MIN ||
		      dd->published > SL_TIME_MAX)) ||
		    dd->vec_n > SL_VEC_TERMS ||
		    (size_t)dd->vec_off + dd->vec_n > ix->n_vec)
			r.bad = 1;
		live += !dd->retired;
	}
	for (size_t d = 0; d < ix->n_docs && !r.bad; d++) {
		story_link(ix, (uint32_t)d);
		window_time(ix, (uint32_t)d);
	}
	for (size_t e = 0; e < ix->ids.n && !r.bad; e++)
		if (ix->id_doc[e] >= ix->n_docs ||
		    ix->docs[ix->id_doc[e]].id != e)
			r.bad = 1;
	if (r.bad || r.p != r.end || ix->live != live ||
	    ix->n_orig > ix->n_docs) {
		rc = sl_error_set(SL_EINVAL, "%s: inconsistent snapshot", path);
		goto cleanup;
	}
	*out_max_seq = ix->max_seq;
	*out = ix;
	ix = NULL;
cleanup:
	sl_index_free(ix);
	free(data);
	return rc;
}
