/*
 * engine_int.h - the engine's insides, shared by engine.c and the parts
 * that work on the whole engine (search.c). Not part of the public API.
 */
#ifndef SL_ENGINE_INT_H
#define SL_ENGINE_INT_H

#include <pthread.h>

#include "index.h"
#include "story.h"
#include "util/hmap.h"
#include "storyline.h"
#include "store.h"
#include "text.h"

/* What the index needs of an article added in the open batch. */
typedef struct pending_doc {
	char *id, *outlet, *lang;
	int64_t published, seq;
	sl_term *terms; /* texts dropped: the index keeps ids */
	size_t n_terms;
	uint32_t field_len[SL_N_FIELDS];
	int64_t story;	/* its placement */
	char *copy_of;
	char *rerooted; /* the family's old original, when it took its place */
	sl_vec vec;	/* its story vector */
} pending_doc;

struct sl_engine {
	sl_store *store;
	sl_analyzer *analyzer; /* under lock once readers share the engine */
	pthread_mutex_t lock;
	pthread_mutex_t access; /* turns on the engine: server threads and a
				 * polling round (recursive) */
	int in_batch;
	sl_index *index; /* NULL until something needs it */
	int index_source;     /* SL_INDEX_SNAPSHOT or SL_INDEX_REBUILT */
	size_t index_changes; /* documents added since the last snapshot */
	pending_doc *pending;
	size_t n_pending, cap_pending;
	sl_placer *placer; /* NULL until an add or story call needs it */
	int64_t epoch;     /* the store's placement epoch the index and the
			    * placer were made under (see store_epoch) */
	size_t late;       /* articles placed behind the news: see
			    * sl_engine_late */
	int rules_pending; /* the store has no placement yet: record the
			    * rules (SL_STORY_RULES) with the first */
	sl_hmap pend_df;   /* term -> articles placed in the open batch */
	size_t pend_docs;
	int64_t followed; /* the store's articles up to this sequence number
			   * are all in the index (refresh reads after it;
			   * this process's own commits do not move it, as
			   * another process may commit between them) */
	int64_t (*own)[2]; /* sequence ranges this process committed since
			    * the last refresh: refresh skips them */
	size_t n_own, cap_own;
	uint64_t changes; /* grows with every commit and every article
			   * followed from the store: what a response cache
			   * is checked against (read without the turn) */
	struct {
		struct sl_top_story *t; /* the top stories, best first; NULL
					 * until first ranked */
		size_t n;
		uint64_t changes; /* the change count they were ranked at */
	} top; /* under lock */
};

enum { SL_INDEX_SNAPSHOT = 1, SL_INDEX_REBUILT = 2 };

/* Take and give back the engine's turn: the server's threads and a
 * polling round in the same process use the engine one at a time, each
 * for a request or a feed's items, never for a whole round. */
void sl_engine_enter(sl_engine *e);
void sl_engine_leave(sl_engine *e);

/* The engine's change count (atomic read). */
static inline uint64_t sl_engine_changes(const sl_engine *e)
{
	return __atomic_load_n(&e->changes, __ATOMIC_ACQUIRE);
}

/* The id of a story's lead article (see sl_story.lead), or NULL; the
 * caller frees it. Called with the engine's lock held. */
char *sl_story_lead(sl_engine *e, int64_t story);

/* A story among the top stories of the moment, by its counts. */
typedef struct sl_top_story {
	int64_t id, size, outlets, last;
	double weight;
} sl_top_story;

/*
 * The top stories of the moment, best first (see sl_stories_opts): among
 * the 200 newest (with news since since, SL_TIME_NONE: any), at most
 * limit (0: every story ranked). The ranking is kept until the engine
 * changes. Caller frees *out.
 */
int sl_engine_top_stories(sl_engine *e, int64_t since, size_t limit,
			  sl_top_story **out, size_t *n_out);

/* Load (or build) the index if there is none yet. */
int sl_engine_index_ready(sl_engine *e);

/* Save the index's snapshot beside the database. */
int sl_engine_index_save(sl_engine *e);
/* What a snapshot of the index made under epoch is checked against: the
 * store's id, and the epoch after a restory (e->epoch for the index the
 * engine holds). */
void sl_engine_snapshot_id(sl_engine *e, int64_t epoch, char *buf, size_t n);

/* Load the placer: the index, then the live stories from the store. */
int sl_engine_stories_ready(sl_engine *e);

/* Document frequencies as placement sees them: the index's plus the
 * open batch's. */
sl_df_source sl_engine_df(sl_engine *e);

/* An article's title and body through the engine's analyzer (under the
 * engine's lock where readers share it); valid until its next use. */
const sl_analysis *sl_engine_analyze(sl_engine *e, const sl_article *a);

/* An analysed article's story vector, with the engine's document
 * frequencies (surface forms kept with keep_text, for "why"). */
void sl_engine_vec(sl_engine *e, const sl_article *a, const sl_analysis *an,
		   int keep_text, sl_vec *out);

/* Analyse a stored article and add it to the index, with its placement
 * from the store. */
void sl_engine_index_article(sl_engine *e, const sl_article *a);

#endif
