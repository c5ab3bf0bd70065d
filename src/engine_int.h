/*
 * engine_int.h - the engine's insides, shared by engine.c and the parts
 * that work on the whole engine (search.c). Not part of the public API.
 */
#ifndef SL_ENGINE_INT_H
#define SL_ENGINE_INT_H

#include <pthread.h>

#include "index.h"
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
} pending_doc;

struct sl_engine {
	sl_store *store;
	sl_analyzer *analyzer; /* under lock once readers share the engine */
	pthread_mutex_t lock;
	int in_batch;
	sl_index *index; /* NULL until something needs it */
	pending_doc *pending;
	size_t n_pending, cap_pending;
};

/* Build the index from the store if there is none yet. */
int sl_engine_index_ready(sl_engine *e);

/* Analyse a stored article and add it to the index. */
void sl_engine_index_article(sl_engine *e, const sl_article *a);

#endif
