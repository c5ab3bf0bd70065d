/*
 * story.h - stories: copies linked to their original, and one event's
 * coverage across outlets grouped, online, as articles arrive.
 *
 * The placer keeps the live part of the picture in memory: the stories
 * that can still take articles, with the term vectors of their members,
 * and the fingerprints of their articles for copy detection. The store
 * keeps where every article went (its placement); the engine writes it in
 * the article's batch and rebuilds the placer from the store on start.
 *
 * An article's vector: its terms weighted by (1 + ln tf) x idf, title
 * occurrences counting three times, names (capitalised words inside a
 * sentence, acronyms) boosted, stop words left out; the heaviest 48,
 * scaled to unit length. A story is matched on its core: the mean of its
 * members' vectors restricted to terms at least half of them share, so
 * an article that matches one member's side topic does not pull a second
 * event in (no chaining).
 */
#ifndef SL_STORY_H
#define SL_STORY_H

#include <stddef.h>
#include <stdint.h>

#include "text.h"

/* Tunables, documented in docs/stories.md. */
#define SL_STORY_WINDOW (3 * 86400)  /* default: closed after 3 days quiet */
#define SL_STORY_SLACK	(11 * 86400) /* kept this much longer in memory */
#define SL_STORY_JOIN	0.15	     /* join at this similarity or more */
/* The placement rules' version: a store records the one its stories were
 * placed under; under another, `storyline restory` places them again.
 * 2: an article must share one of its own heaviest terms with the core,
 * a match may not rest on one term, numbers leave the vectors.
 * 3: a common name weighs as a word (sl_vec_story_weights).
 * 4: idf over originals only, copies left out. */
#define SL_STORY_RULES	4
#define SL_VEC_TERMS	48	     /* terms kept in an article's vector */
#define SL_VEC_TITLE_TF	3	     /* a title occurrence counts 3 times */
#define SL_VEC_NAME_BOOST 2.5f	     /* weight factor of a name */
/* A name in this share of the articles or more is common: a country, a
 * capital, a head of government. It names a topic, not an event
 * (sl_vec_story_weights). Below SL_VEC_COMMON_DOCS articles no name is:
 * 1% is then a handful of articles, which one story's coverage makes. */
#define SL_VEC_COMMON_SHARE 0.01
#define SL_VEC_COMMON_DOCS  1000

/* Document frequencies for idf: out[i] = df of terms[i], all among
 * *n_docs documents. */
typedef struct sl_df_source {
	void (*df)(void *ctx, const uint64_t *terms, size_t n, uint32_t *out,
		   size_t *n_docs);
	void *ctx;
} sl_df_source;

/* One weighted term of an article's vector. */
typedef struct sl_vec_term {
	uint64_t id;
	uint64_t word; /* a name's key unstemmed (sl_term.word), else id */
	float w;
	uint8_t name;	/* written as a name somewhere in the article */
	uint8_t common; /* a name, and common (SL_VEC_COMMON_SHARE) */
	char *text;	/* surface form, when asked for (why), else NULL */
} sl_vec_term;

typedef struct sl_vec {
	sl_vec_term *t; /* by id */
	size_t n;
} sl_vec;

/* An analysed article as placement and the rail read it. */
typedef struct sl_doc_text {
	const sl_analysis *an;
	const char *title, *body; /* the analysed texts */
	const char *outlet;	  /* its words and the byline's are left out */
	const char *byline;	  /* ("told Reuters", "By Meridian Wire") */
	int keep_text; /* give each term its surface form (for why) */
} sl_doc_text;

void sl_vec_of(sl_vec *v, const sl_doc_text *d, const sl_df_source *df);
void sl_vec_clear(sl_vec *v);
double sl_vec_cosine(const sl_vec *a, const sl_vec *b);
/* Weights scaled to unit length (none when all are 0). */
void sl_vec_unit_length(sl_vec_term *t, size_t n);

/* A vector's terms with their counts in the text it was made of (title x
 * SL_VEC_TITLE_TF + body, at most 255) from its analysis, count[i] for
 * v->t[i]: 0 for a term the analysis lacks. Returns how many (at most
 * SL_VEC_TERMS). */
size_t sl_vec_counts(const sl_vec *v, const sl_analysis *an, uint8_t *count);
/* v's weights as story placement judges them: a common name weighs as a
 * word (its boost taken out), then back to unit length. */
void sl_vec_story_weights(sl_vec *v);

/*
 * Names are spelled alike in every language but stemmed apart ("Quiroga"
 * is "quirog" to Spanish, "quiroga" to English). A vector's names whose
 * stems differ from the words as written are its aliases: word -> term.
 */
typedef struct sl_vec_names {
	struct sl_vec_alias {
		uint64_t word, id;
	} *alias; /* by word */
	size_t n;
} sl_vec_names;

void sl_vec_names_of(const sl_vec *v, sl_vec_names *out);
void sl_vec_names_clear(sl_vec_names *nm);

/*
 * Read b in a's terms (a's names from sl_vec_names_of): a term of b that
 * is one of a's names as written, or a name of b written as one of a's
 * terms or names, becomes a's term; b stays sorted by id.
 */
void sl_vec_align(const sl_vec *a, const sl_vec_names *names, sl_vec *b);

/*
 * Why two articles are alike: the surface forms of the terms their
 * vectors share (b's, else a's; a vector made with keep_text), names
 * first, then by weight in both, a common name (either side's flag)
 * ranked as a word; at most max, into why (room for max), each
 * allocated. Returns how many.
 */
size_t sl_vec_shared(const sl_vec *a, const sl_vec *b, char **why,
		     size_t max);

/* The time factor of a gap in seconds between an article and a story. */
double sl_story_decay(int64_t gap);

typedef struct sl_placer sl_placer;

/* A placer whose stories close after window seconds without an article
 * (SL_STORY_WINDOW if 0). */
sl_placer *sl_placer_new(int64_t window);
void sl_placer_free(sl_placer *p);

/* What placing an article decided. */
typedef struct sl_placement {
	int64_t story;
	const char *copy_of; /* original's id, valid until the next call */
	/* A copy published before the original it was found to copy: the
	 * family's old original (valid until the next call), which with its
	 * copies is now this article's copy; else NULL. */
	const char *rerooted;
	double score; /* similarity to the story joined; 0 if new */
	sl_vec vec;   /* the article's vector: the caller's to clear */
} sl_placement;

/*
 * Place an article (id, time: published else fetched, its analysis):
 * a copy joins its original's story (published before that original, it
 * takes its place: see rerooted); else the best matching live story
 * when it matches at SL_STORY_JOIN or more; else a new story, numbered
 * after every story the placer has seen.
 */
void sl_placer_place(sl_placer *p, const char *id, int64_t time,
		     const sl_doc_text *d, const sl_df_source *df,
		     sl_placement *out);

/* Put back an article whose placement is known (rebuilding from the
 * store), in the order it was placed; a copy with its original's time
 * (SL_TIME_NONE: unknown, taken as its own). */
void sl_placer_restore(sl_placer *p, const char *id, int64_t time,
		       const sl_doc_text *d, const sl_df_source *df,
		       int64_t story, const char *copy_of, int64_t root_time);

/* Is news of this time more than the story window behind the newest
 * placed? Its stories, and the copy families in them, may have been
 * let go: placing in publication order (a restory) does better. */
int sl_placer_behind(const sl_placer *p, int64_t time);

/* Stories numbered at most this exist already (from the store). */
void sl_placer_set_next(sl_placer *p, int64_t max_story);

#endif
