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
	/* Id of the article stored under this canonical URL (caller frees),
	 * or SL_ENOTFOUND. */
	int (*id_for_url)(sl_store *s, const char *canonical_url, char **out);
	int (*scan)(sl_store *s, int64_t after_seq, sl_article_fn fn,
		    void *ctx);
	int (*stats)(sl_store *s, sl_stats *out);
	/* A random id given to the store when it was created: what its
	 * derived files (index snapshots) are checked against. */
	const char *(*id)(sl_store *s);
	/* Where derived files may go ("<database>.index"), or NULL. */
	const char *(*path)(sl_store *s);
} sl_store_ops;

struct sl_store {
	const sl_store_ops *ops;
};

/* Open the store named by path (a SQLite file). */
int sl_store_open(sl_store **out, const char *path, unsigned flags);

int sl_store_open_sqlite(sl_store **out, const char *path, unsigned flags);

#endif
