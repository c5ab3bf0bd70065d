/*
 * store.h - the record of truth behind one interface.
 *
 * The engine talks to the store only through sl_store_ops, so the
 * embedded SQLite store (store_sqlite.c) and the PostgreSQL store planned
 * for deployments on several machines are two implementations of one
 * contract:
 * - writes happen inside begin .. commit; commit returns only once the
 *   batch is durable; rollback leaves what was stored before untouched;
 * - every insert or change of an article gives it the next sequence
 *   number, so followers can catch up with "seq > last seen";
 * - a put of an article whose content hash equals the stored one changes
 *   nothing and reports SL_ADD_UNCHANGED.
 */
#ifndef SL_STORE_H
#define SL_STORE_H

#include <stdint.h>

#include "storyline.h"

typedef struct sl_store sl_store;

/* An article as a member of a story (strings valid during the call). */
typedef struct sl_member {
	const char *id, *title, *outlet, *url;
	const char *copy_of; /* the original's id for a copy, else NULL */
	int64_t seq, story;
	int64_t published; /* SL_TIME_NONE when unknown */
	int64_t time;      /* published, else when it was fetched */
	/* recent_members only: what placement analyses, and a copy's
	 * original's time (SL_TIME_NONE when unknown). */
	const char *body, *lang, *byline;
	int64_t root_time;
} sl_member;

typedef int (*sl_member_fn)(const sl_member *m, void *ctx);
typedef int (*sl_story_id_fn)(int64_t story, void *ctx);
typedef int (*sl_feed_fn)(const sl_feed_info *f, void *ctx);

typedef struct sl_store_ops {
	const char *name;
	void (*close)(sl_store *s);
	int (*begin)(sl_store *s);
	int (*commit)(sl_store *s);
	int (*rollback)(sl_store *s);
	/* Insert or update by id; sets a->seq, *out_status. */
	int (*put)(sl_store *s, sl_article *a, uint64_t content_hash,
		   sl_add_status *out_status);
	int (*get)(sl_store *s, const char *id, sl_article **out);
	/* The same without the texts (body, HTML, captions, extra): an
	 * article as a list of them shows it. */
	int (*get_card)(sl_store *s, const char *id, sl_article **out);
	/* Id of the article stored under this canonical URL (caller frees),
	 * or SL_ENOTFOUND. */
	int (*id_for_url)(sl_store *s, const char *canonical_url, char **out);
	int (*scan)(sl_store *s, int64_t after_seq, sl_article_fn fn,
		    void *ctx);
	/* Every article in publication order (an undated one at the time
	 * it was fetched; ties in seq order): the order news happened in,
	 * whatever order it was stored in. */
	int (*scan_by_time)(sl_store *s, sl_article_fn fn, void *ctx);
	int (*stats)(sl_store *s, sl_stats *out);
	/* A random id given to the store when it was created: what its
	 * derived files (index snapshots) are checked against. */
	const char *(*id)(sl_store *s);
	/* Where derived files may go ("<database>.index"), or NULL. */
	const char *(*path)(sl_store *s);

	/* Stories. Placements are written in the article's batch. */
	int (*place)(sl_store *s, const char *id, int64_t story,
		     const char *copy_of, int64_t time);
	/* SL_ENOTFOUND for an article not placed; *copy_of: caller frees. */
	int (*placement)(sl_store *s, const char *id, int64_t *story,
			 char **copy_of);
	int (*clear_placements)(sl_store *s);
	/* The copy family of a story named by its original old follows
	 * original from now on: old and its copies become original's. */
	int (*reroot)(sl_store *s, int64_t story, const char *old,
		      const char *original);
	/* Stories whose last article is at or after since (SL_TIME_NONE:
	 * all), newest first or biggest first; limit 0 = all. */
	int (*list_stories)(sl_store *s, int64_t since, size_t limit,
			    int by_size, sl_story_id_fn fn, void *ctx);
	/* A story's members, in time order. */
	int (*story_members)(sl_store *s, int64_t story, sl_member_fn fn,
			     void *ctx);
	/* Every member of the stories with an article at or after since,
	 * by sequence: id, seq, time, copy_of, story, the texts placement
	 * analyses (title, body, lang, outlet, byline) and root_time. */
	int (*recent_members)(sl_store *s, int64_t since, sl_member_fn fn,
			      void *ctx);
	/* A story's size, time span and distinct outlets. */
	int (*story_stats)(sl_store *s, int64_t story, int64_t *size,
			   int64_t *first, int64_t *last, int64_t *outlets);
	/* A setting kept with the data (meta table): SL_ENOTFOUND when
	 * unset; *value: caller frees. set_setting runs in a batch. */
	int (*setting)(sl_store *s, const char *key, char **value);
	int (*set_setting)(sl_store *s, const char *key, const char *value);
	/* Highest story number, latest article time, articles placed. */
	int (*story_bounds)(sl_store *s, int64_t *max_story, int64_t *max_time,
			    int64_t *placed);

	/* Feeds (writes in a batch). feed_add: 1 and the id when the URL is
	 * there already. */
	int (*feed_add)(sl_store *s, const sl_feed_info *f, int64_t *out_id);
	int (*feed_remove)(sl_store *s, int64_t id);
	/* Every feed by id; the record is valid during the call. */
	int (*feed_list)(sl_store *s, sl_feed_fn fn, void *ctx);
	/* Write every field of f back (by f->id). */
	int (*feed_save)(sl_store *s, const sl_feed_info *f);
	/* The article an item key of a feed became (caller frees), or
	 * SL_ENOTFOUND; feed_item_put records it. */
	int (*feed_item)(sl_store *s, int64_t feed, const char *key,
			 char **article_id);
	int (*feed_item_put)(sl_store *s, int64_t feed, const char *key,
			     const char *article_id);
} sl_store_ops;

struct sl_store {
	const sl_store_ops *ops;
};

/* Open the store named by path (a SQLite file). */
int sl_store_open(sl_store **out, const char *path, unsigned flags);

int sl_store_open_sqlite(sl_store **out, const char *path, unsigned flags);

#endif
