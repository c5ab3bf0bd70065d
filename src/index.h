/*
 * index.h - the in-memory inverted index: BM25F over title and body,
 * compressed postings, MaxScore top-k.
 *
 * Documents are numbered densely as they are added; an update adds a new
 * number and retires the old one. Scores are BM25F with the title
 * boosted; every posting list is cut into blocks of 64 that carry the
 * highest score a posting in them can reach, so a query can skip what
 * cannot enter its top k.
 *
 * One writer and many readers: calls that change the index take a write
 * lock for one document at a time; searches hold a read lock.
 */
#ifndef SL_INDEX_H
#define SL_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "story.h"
#include "text.h"

typedef struct sl_index sl_index;

sl_index *sl_index_new(void);
void sl_index_free(sl_index *ix);

/* What the index keeps of an article besides its terms. */
typedef struct sl_index_doc_info {
	const char *id; /* the article's id (copied) */
	int64_t published;
	const char *outlet; /* may be NULL */
	const char *lang;   /* may be NULL */
	int64_t seq;        /* the store's sequence number */
	/* Its place among stories and its story vector, for the rail. */
	int64_t story;       /* 0: not placed */
	const char *copy_of; /* its original's id when it is a copy */
	const sl_vec *vec;   /* its terms, by id (weights unused); NULL: none */
} sl_index_doc_info;

/* Index an article's analysis; replaces an earlier version of the id. */
void sl_index_add(sl_index *ix, const sl_index_doc_info *info,
		  const sl_analysis *an);

/* The copy family of a story named by its original old follows original
 * (indexed) from now on: old and its copies become original's. */
void sl_index_reroot(sl_index *ix, int64_t story, const char *old,
		     const char *original);

/* Give back the room kept for growth (after a bulk build). */
void sl_index_compact(sl_index *ix);

/* Forget the article with this id; 0, or SL_ENOTFOUND. */
int sl_index_remove(sl_index *ix, const char *id);

/* A query term: a term id with its weight. */
enum { SL_QT_REQUIRED = 1, SL_QT_EXCLUDED = 2 };
typedef struct sl_qterm {
	uint64_t id;
	float weight;
	uint8_t flags; /* SL_QT_* */
} sl_qterm;

/* Accept a candidate that passed the index's own checks (phrases are
 * verified by the caller against the text). 1 accepts. Called with the
 * index's read lock held: it must not call back into the index. */
typedef int (*sl_index_accept_fn)(uint32_t doc, const char *id, void *ctx);

typedef struct sl_index_query {
	const sl_qterm *terms;
	size_t n_terms;
	int64_t since, until; /* SL_TIME_NONE: open */
	const char *outlet;   /* exact outlet name, or NULL */
	const char *lang;     /* language code, or NULL */
	int by_time;          /* newest first instead of best first */
	size_t k;             /* how many hits to return */
	sl_index_accept_fn accept;
	void *accept_ctx;
	const int64_t *skip_stories; /* sorted: their documents are left out */
	size_t n_skip_stories;
	const uint32_t *skip_root; /* an original (sl_index_facts.root): it
				    * and its copies are left out */
	int collapse; /* one hit per text: of an original and its copies
		       * (syndicated), the best only */
} sl_index_query;

typedef struct sl_hit {
	uint32_t doc;
	float score;
} sl_hit;

/*
 * The best q->k documents (fewer when fewer match), best first, into out
 * (room for q->k). *out_total receives the number of matching documents:
 * exact when the search saw every match, else an estimate (*out_exact 0).
 * Returns the number of hits.
 */
size_t sl_index_search(sl_index *ix, const sl_index_query *q, sl_hit *out,
		       size_t *out_total, int *out_exact);

/* The article id of a document number (caller frees), or NULL. */
char *sl_index_doc_id(sl_index *ix, uint32_t doc);

/* How many other live documents carry a document's text: its original
 * and copies, found among the newest 10,000 of its story, whose id goes
 * to *story (0: none). */
size_t sl_index_copies(sl_index *ix, uint32_t doc, int64_t *story);

/*
 * What the rail reads of a candidate without going to the store: kept
 * for every document and written into the snapshot. The vector keeps
 * the terms chosen when the article was indexed with their counts (5
 * bytes a term) and is weighted when read, with the idf of the moment,
 * as sl_vec_of weighs: it stays comparable with fresh vectors as the
 * collection grows.
 */
#define SL_INDEX_NAME 80
typedef struct sl_index_facts {
	uint32_t doc;
	int64_t published;   /* SL_TIME_NONE if undated */
	int64_t story;       /* 0: not placed */
	uint32_t root;       /* its original's id number (its own if it is
			      * one): copies of one text share it */
	char outlet[SL_INDEX_NAME]; /* "" if none (cut if longer) */
	size_t n;            /* terms of its vector, by id, unit length */
	sl_vec_term t[SL_VEC_TERMS];
} sl_index_facts;

/* The live document of an article id; 0, or SL_ENOTFOUND. */
int sl_index_find(sl_index *ix, const char *id, uint32_t *doc);

/* The facts of a live document; 0, or SL_ENOTFOUND (retired). */
int sl_index_facts_get(sl_index *ix, uint32_t doc, sl_index_facts *out);

/* A story as the index knows it: its live documents, the first and last
 * publication time among them, and (when asked) how many outlets. */
typedef struct sl_index_story {
	int64_t size, first, last, outlets;
} sl_index_story;

/* 0, or SL_ENOTFOUND when no live document is in the story. */
int sl_index_story_get(sl_index *ix, int64_t story, int count_outlets,
		       sl_index_story *out);


typedef struct sl_index_stats {
	size_t docs;     /* live documents */
	size_t terms;    /* distinct terms */
	size_t postings; /* postings, retired documents included */
	size_t bytes;    /* memory held by the index */
	int64_t max_seq; /* highest store sequence number indexed */
} sl_index_stats;

void sl_index_stats_get(sl_index *ix, sl_index_stats *out);

/*
 * Write the index to path atomically (a temporary file renamed), with
 * the identity of the store it mirrors.
 */
int sl_index_save(sl_index *ix, const char *path, const char *store_id);

/*
 * Read a snapshot written for the store store_id; *out_max_seq receives
 * the highest store sequence number it holds (index what came after).
 * SL_ENOTFOUND when there is none; SL_EINVAL when it is truncated,
 * corrupt, of another version or of another store: rebuild then.
 */
int sl_index_load(sl_index **out, const char *path, const char *store_id,
		  int64_t *out_max_seq);

/* The BM25F inverse document frequency of a term id (0 if absent). */
double sl_index_idf(sl_index *ix, uint64_t term);

/* Originals holding each term, out[i] for terms[i] (copies left out, an
 * updated document counted once per version), and the originals
 * indexed, into *n_docs: what story and rail vectors weigh by. */
void sl_index_df(sl_index *ix, const uint64_t *terms, size_t n,
		 uint32_t *out, size_t *n_docs);

#endif
