/*
 * store_sqlite.c - the embedded store: one SQLite file in WAL mode.
 *
 * Durability: synchronous=FULL with WAL makes COMMIT return only after the
 * log is on disk, so a batch the engine acknowledged survives kill -9 and
 * power loss; readers never block the writer. The schema carries its
 * version in PRAGMA user_version and is moved forward by the migrations
 * below, each in its own transaction, never backward.
 */
#include <errno.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "store.h"
#include "util/hmap.h"
#include "util/mem.h"

/* Migration i moves the schema from version i to i + 1. */
static const char *const migrations[] = {
	"CREATE TABLE articles ("
	"  id TEXT PRIMARY KEY NOT NULL,"
	"  seq INTEGER NOT NULL UNIQUE,"
	"  url TEXT,"
	"  canonical_url TEXT,"
	"  outlet TEXT,"
	"  title TEXT,"
	"  byline TEXT,"
	"  published INTEGER,"
	"  fetched_at INTEGER NOT NULL,"
	"  lang TEXT,"
	"  body_text TEXT,"
	"  body_html TEXT,"
	"  summary TEXT,"
	"  image TEXT,"
	"  captions TEXT,"
	"  reading_minutes INTEGER NOT NULL DEFAULT 1,"
	"  extra TEXT,"
	"  content_hash INTEGER NOT NULL"
	");"
	"CREATE INDEX articles_by_url ON articles(canonical_url);"
	"CREATE INDEX articles_by_published ON articles(published);",

	"CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT);"
	"INSERT INTO meta VALUES ('store_id', lower(hex(randomblob(16))));",

	/* Where each article went: its story and, for a copy, its original.
	 * time is the article's (published, else fetched) for story ranges. */
	"CREATE TABLE placements ("
	"  id TEXT PRIMARY KEY NOT NULL,"
	"  story INTEGER NOT NULL,"
	"  copy_of TEXT,"
	"  time INTEGER NOT NULL"
	") WITHOUT ROWID;"
	"CREATE INDEX placements_by_story ON placements(story, time);",

	/* Followed feeds, and which article each of their items became
	 * (items are known by guid, link or title and date: the key). */
	"CREATE TABLE feeds ("
	"  id INTEGER PRIMARY KEY,"
	"  url TEXT NOT NULL UNIQUE,"
	"  title TEXT, outlet TEXT, site TEXT, category TEXT,"
	"  etag TEXT, last_modified TEXT,"
	"  status TEXT NOT NULL DEFAULT 'new', error TEXT,"
	"  items INTEGER NOT NULL DEFAULT 0,"
	"  added INTEGER, last_fetch INTEGER, last_new INTEGER,"
	"  next_poll INTEGER, interval INTEGER, ttl INTEGER,"
	"  failures INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE TABLE feed_items ("
	"  feed INTEGER NOT NULL, key TEXT NOT NULL, article TEXT NOT NULL,"
	"  PRIMARY KEY (feed, key)"
	") WITHOUT ROWID;",

	/* The newest stories without reading every placement. */
	"CREATE INDEX IF NOT EXISTS placements_by_time ON placements(time, story);",
};
#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))
/* A read-only open takes a store of this version on unmigrated: what came
 * since only adds indexes, which make reads faster, not different. */
#define READABLE_FROM 4

/* Columns read back into an article, in this order. */
#define ARTICLE_COLUMNS                                                    \
	"id, seq, url, canonical_url, outlet, title, byline, published, "  \
	"fetched_at, lang, body_text, body_html, summary, image, captions, " \
	"reading_minutes, extra"
/* The same for an article as a list shows it (a rail item, a result):
 * the texts left out, so that listing ten items reads ten short rows. */
#define CARD_COLUMNS                                                       \
	"id, seq, url, canonical_url, outlet, title, byline, published, "  \
	"fetched_at, lang, NULL, NULL, summary, image, NULL, "              \
	"reading_minutes, NULL"

typedef struct sqlite_store {
	sl_store base;
	sqlite3 *db;
	char *path;
	int64_t seq; /* highest sequence number, valid inside a batch */
	int in_batch;
	int readonly;
	char store_id[64];
	sqlite3_stmt *find, *insert, *update, *get, *get_card, *by_url, *place;
	sqlite3_stmt *placement, *story_stats; /* prepared when first used */
	sqlite3_stmt *feed_item, *feed_item_put;
} sqlite_store;

static int db_error(sqlite_store *s, const char *what)
{
	return sl_error_set(SL_EIO, "%s: %s: %s", s->path, what,
			    sqlite3_errmsg(s->db));
}

static int exec(sqlite_store *s, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = sl_error_set(SL_EIO, "%s: %s", s->path,
				      msg ? msg : sqlite3_errmsg(s->db));

		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

static int prepare(sqlite_store *s, sqlite3_stmt **out, const char *sql)
{
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out,
			       NULL) != SQLITE_OK)
		return db_error(s, "prepare");
	return 0;
}

static int migrate(sqlite_store *s, int readonly)
{
	sqlite3_stmt *st;
	int version, rc;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_error(s, "reading the schema version");
	rc = sqlite3_step(st);
	version = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (version < 0)
		return db_error(s, "reading the schema version");
	if (version > SCHEMA_VERSION)
		return sl_error_set(SL_EVERSION,
				    "%s: schema version %d is newer than this "
				    "storyline knows (%d); upgrade storyline",
				    s->path, version, SCHEMA_VERSION);
	if (version < SCHEMA_VERSION && readonly && version >= READABLE_FROM)
		return 0;
	if (version < SCHEMA_VERSION && readonly)
		return sl_error_set(SL_EIO,
				    "%s: schema version %d needs a migration; "
				    "open it once for writing",
				    s->path, version);
	for (; version < SCHEMA_VERSION; version++) {
		char set_version[64];

		snprintf(set_version, sizeof(set_version),
			 "PRAGMA user_version = %d", version + 1);
		if ((rc = exec(s, "BEGIN IMMEDIATE")) < 0)
			return rc;
		if ((rc = exec(s, migrations[version])) < 0 ||
		    (rc = exec(s, set_version)) < 0 ||
		    (rc = exec(s, "COMMIT")) < 0) {
			exec(s, "ROLLBACK");
			return sl_error_prefix(rc, "migrating to schema %d",
					       version + 1);
		}
	}
	return 0;
}

static void sqlite_close(sl_store *base)
{
	sqlite_store *s = (sqlite_store *)base;

	if (!s)
		return;
	if (s->in_batch)
		exec(s, "ROLLBACK");
	sqlite3_finalize(s->find);
	sqlite3_finalize(s->insert);
	sqlite3_finalize(s->update);
	sqlite3_finalize(s->get);
	sqlite3_finalize(s->get_card);
	sqlite3_finalize(s->by_url);
	sqlite3_finalize(s->place);
	sqlite3_finalize(s->placement);
	sqlite3_finalize(s->story_stats);
	sqlite3_finalize(s->feed_item);
	sqlite3_finalize(s->feed_item_put);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

static int sqlite_begin(sl_store *base)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite3_stmt *st;
	int rc;

	if (s->in_batch)
		return sl_error_set(SL_EINVAL, "a batch is already open");
	if (s->readonly)
		return sl_error_set(SL_EINVAL, "%s: opened read-only", s->path);
	/* IMMEDIATE takes the write lock now, so the highest seq read below
	 * stays the highest until commit, even with other writers. */
	if ((rc = exec(s, "BEGIN IMMEDIATE")) < 0)
		return rc;
	if (sqlite3_prepare_v2(s->db, "SELECT COALESCE(MAX(seq), 0) FROM "
				      "articles",
			       -1, &st, NULL) != SQLITE_OK) {
		rc = db_error(s, "reading the sequence");
		exec(s, "ROLLBACK");
		return rc;
	}
	sqlite3_step(st);
	s->seq = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	s->in_batch = 1;
	return 0;
}

static int sqlite_commit(sl_store *base)
{
	sqlite_store *s = (sqlite_store *)base;
	int rc;

	if (!s->in_batch)
		return sl_error_set(SL_EINVAL, "no batch is open");
	rc = exec(s, "COMMIT");
	if (rc < 0) {
		exec(s, "ROLLBACK");
		s->in_batch = 0;
		return sl_error_prefix(rc, "commit failed, batch rolled back");
	}
	s->in_batch = 0;
	return 0;
}

static int sqlite_rollback(sl_store *base)
{
	sqlite_store *s = (sqlite_store *)base;

	if (!s->in_batch)
		return 0;
	s->in_batch = 0;
	return exec(s, "ROLLBACK");
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void bind_time(sqlite3_stmt *st, int i, int64_t t)
{
	if (t == SL_TIME_NONE)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, t);
}

static char *captions_json(const sl_article *a)
{
	json_t *list;
	char *text;

	if (!a->n_captions)
		return NULL;
	list = json_array();
	for (size_t i = 0; i < a->n_captions; i++)
		json_array_append_new(list, json_string(a->captions[i]));
	text = json_dumps(list, JSON_COMPACT);
	json_decref(list);
	return text;
}

/* Bind the article's fields in the column order shared by insert and
 * update: ?1 id, ?2 seq, then url .. content_hash. */
static void bind_article(sqlite3_stmt *st, const sl_article *a,
			 const char *captions, uint64_t hash)
{
	bind_text(st, 1, a->id);
	sqlite3_bind_int64(st, 2, a->seq);
	bind_text(st, 3, a->url);
	bind_text(st, 4, a->canonical_url);
	bind_text(st, 5, a->outlet);
	bind_text(st, 6, a->title);
	bind_text(st, 7, a->byline);
	bind_time(st, 8, a->published);
	sqlite3_bind_int64(st, 9, a->fetched_at);
	bind_text(st, 10, a->lang);
	bind_text(st, 11, a->body_text);
	bind_text(st, 12, a->body_html);
	bind_text(st, 13, a->summary);
	bind_text(st, 14, a->image);
	bind_text(st, 15, captions);
	sqlite3_bind_int(st, 16, a->reading_minutes);
	bind_text(st, 17, a->extra);
	sqlite3_bind_int64(st, 18, (sqlite3_int64)hash);
}

static int sqlite_put(sl_store *base, sl_article *a, uint64_t hash,
		      sl_add_status *out_status)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite3_stmt *st;
	char *captions;
	int rc, exists;

	if (!s->in_batch)
		return sl_error_set(SL_EINVAL, "put outside a batch");
	sqlite3_reset(s->find);
	sqlite3_bind_text(s->find, 1, a->id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s->find);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(s, "looking up an article");
	exists = rc == SQLITE_ROW;
	if (exists) {
		int64_t old_seq = sqlite3_column_int64(s->find, 0);
		uint64_t old_hash = (uint64_t)sqlite3_column_int64(s->find, 1);
		int64_t first_fetch = sqlite3_column_int64(s->find, 2);

		a->fetched_at = first_fetch;
		if (old_hash == hash) {
			a->seq = old_seq;
			*out_status = SL_ADD_UNCHANGED;
			sqlite3_reset(s->find);
			return 0;
		}
	}
	sqlite3_reset(s->find);
	a->seq = ++s->seq;
	st = exists ? s->update : s->insert;
	captions = captions_json(a);
	sqlite3_reset(st);
	bind_article(st, a, captions, hash);
	rc = sqlite3_step(st);
	sqlite3_clear_bindings(st);
	free(captions);
	if (rc != SQLITE_DONE)
		return db_error(s, exists ? "updating an article" :
					    "inserting an article");
	*out_status = exists ? SL_ADD_UPDATED : SL_ADD_NEW;
	return 0;
}

static char *column_text(sqlite3_stmt *st, int i)
{
	const unsigned char *v = sqlite3_column_text(st, i);

	return v ? sl_strdup((const char *)v) : NULL;
}

static int64_t column_time(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ?
		       SL_TIME_NONE :
		       sqlite3_column_int64(st, i);
}

/* An article from a row of ARTICLE_COLUMNS. */
static sl_article *read_article(sqlite3_stmt *st)
{
	sl_article *a = sl_article_new();
	char *captions;

	a->id = column_text(st, 0);
	a->seq = sqlite3_column_int64(st, 1);
	a->url = column_text(st, 2);
	a->canonical_url = column_text(st, 3);
	a->outlet = column_text(st, 4);
	a->title = column_text(st, 5);
	a->byline = column_text(st, 6);
	a->published = column_time(st, 7);
	a->fetched_at = column_time(st, 8);
	a->lang = column_text(st, 9);
	a->body_text = column_text(st, 10);
	a->body_html = column_text(st, 11);
	a->summary = column_text(st, 12);
	a->image = column_text(st, 13);
	captions = column_text(st, 14);
	a->reading_minutes = sqlite3_column_int(st, 15);
	a->extra = column_text(st, 16);
	if (captions) {
		json_t *list = json_loads(captions, 0, NULL);
		size_t i;
		json_t *item;

		if (json_is_array(list)) {
			a->captions = sl_calloc(json_array_size(list),
						sizeof(char *));
			json_array_foreach(list, i, item)
				if (json_is_string(item))
					a->captions[a->n_captions++] =
						sl_strdup(json_string_value(item));
		}
		json_decref(list);
		free(captions);
	}
	return a;
}

/* The article id by statement st (s->get or s->get_card). */
static int get_by(sqlite_store *s, sqlite3_stmt *st, const char *id,
		  sl_article **out)
{
	int rc;

	*out = NULL;
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = read_article(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return sl_error_set(SL_ENOTFOUND, "no article with id \"%s\"",
				    id);
	return db_error(s, "reading an article");
}

static int sqlite_get(sl_store *base, const char *id, sl_article **out)
{
	sqlite_store *s = (sqlite_store *)base;

	return get_by(s, s->get, id, out);
}

static int sqlite_get_card(sl_store *base, const char *id, sl_article **out)
{
	sqlite_store *s = (sqlite_store *)base;

	return get_by(s, s->get_card, id, out);
}

static int sqlite_id_for_url(sl_store *base, const char *url, char **out)
{
	sqlite_store *s = (sqlite_store *)base;
	int rc;

	*out = NULL;
	sqlite3_reset(s->by_url);
	sqlite3_bind_text(s->by_url, 1, url, -1, SQLITE_STATIC);
	rc = sqlite3_step(s->by_url);
	if (rc == SQLITE_ROW)
		*out = column_text(s->by_url, 0);
	sqlite3_reset(s->by_url);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return SL_ENOTFOUND;
	return db_error(s, "looking up a URL");
}

/* Each scan has its own statement, so that the callback may scan too
 * (building the index while walking the articles). */
static int sqlite_scan(sl_store *base, int64_t after_seq, sl_article_fn fn,
		       void *ctx)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite3_stmt *st;
	int rc, stop = 0;

	if ((rc = prepare(s, &st, "SELECT " ARTICLE_COLUMNS " FROM articles "
				  "WHERE seq > ?1 ORDER BY seq")) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, after_seq);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sl_article *a = read_article(st);

		stop = fn(a, ctx);
		sl_article_free(a);
		if (stop)
			break;
	}
	if (!stop && rc != SQLITE_DONE)
		stop = db_error(s, "reading articles");
	sqlite3_finalize(st);
	return stop;
}

/* An article's place in time, as the placer sees it: published, else
 * fetched. */
typedef struct when {
	int64_t time, seq, rowid;
} when;

static int by_when(const void *a, const void *b)
{
	const when *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* The times first, sorted here (small rows: no sort of whole articles
 * in SQLite's temporary files), then each article by its rowid; or, when
 * the table is in that order already (news stored as it came), the
 * table from end to end. */
static int sqlite_scan_by_time(sl_store *base, sl_article_fn fn, void *ctx)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite3_stmt *st;
	when *w = NULL;
	size_t n = 0, cap = 0, unsorted = 0;
	int rc, stop = 0;

	if ((rc = prepare(s, &st, "SELECT coalesce(published, fetched_at), "
				  "seq, rowid FROM articles")) < 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sl_grow(&w, &cap, n + 1, sizeof(*w));
		w[n].time = sqlite3_column_int64(st, 0);
		w[n].seq = sqlite3_column_int64(st, 1);
		w[n++].rowid = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(w);
		return db_error(s, "reading the articles' times");
	}
	for (size_t i = 1; i < n; i++)
		unsorted += by_when(&w[i - 1], &w[i]) > 0;
	if (unsorted)
		qsort(w, n, sizeof(*w), by_when);
	if ((rc = prepare(s, &st,
			  unsorted ? "SELECT " ARTICLE_COLUMNS " FROM articles "
				     "WHERE rowid = ?1"
				   : "SELECT " ARTICLE_COLUMNS " FROM articles "
				     "ORDER BY rowid")) < 0) {
		free(w);
		return rc;
	}
	for (size_t i = 0; i < n && !stop; i++) {
		if (unsorted)
			sqlite3_bind_int64(st, 1, w[i].rowid);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			sl_article *a = read_article(st);

			stop = fn(a, ctx);
			sl_article_free(a);
		} else if (rc != SQLITE_DONE) {
			stop = db_error(s, "reading articles");
		} else if (!unsorted) {
			break; /* deleted since */
		}
		if (unsorted)
			sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	free(w);
	return stop;
}

static int64_t file_size(const char *path, const char *suffix)
{
	char name[4096];
	struct stat st;

	snprintf(name, sizeof(name), "%s%s", path, suffix);
	return stat(name, &st) == 0 ? (int64_t)st.st_size : 0;
}

static int sqlite_stats(sl_store *base, sl_stats *out)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite3_stmt *st;
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	if (sqlite3_prepare_v2(s->db,
			       "SELECT COUNT(*), COUNT(DISTINCT outlet), "
			       "COALESCE(MAX(seq), 0), MIN(published), "
			       "MAX(published) FROM articles",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "counting");
	if (sqlite3_step(st) == SQLITE_ROW) {
		out->articles = sqlite3_column_int64(st, 0);
		out->outlets = sqlite3_column_int64(st, 1);
		out->max_seq = sqlite3_column_int64(st, 2);
		out->first_published = column_time(st, 3);
		out->last_published = column_time(st, 4);
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT COALESCE(lang, ''), COUNT(*) FROM "
			       "articles GROUP BY 1 ORDER BY 2 DESC, 1",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "counting languages");
	while (sqlite3_step(st) == SQLITE_ROW) {
		sl_lang_count *lc;

		sl_grow(&out->langs, &cap, out->n_langs + 1,
			sizeof(*out->langs));
		lc = &out->langs[out->n_langs++];
		snprintf(lc->lang, sizeof(lc->lang), "%s",
			 (const char *)sqlite3_column_text(st, 0));
		lc->articles = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	out->db_bytes = file_size(s->path, "") + file_size(s->path, "-wal");
	out->schema_version = SCHEMA_VERSION;
	return 0;
}

static const char *sqlite_id(sl_store *base)
{
	return ((sqlite_store *)base)->store_id;
}

static const char *sqlite_path(sl_store *base)
{
	return ((sqlite_store *)base)->path;
}

static int read_store_id(sqlite_store *s)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT value FROM meta WHERE key = 'store_id'",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "reading the store id");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(s->store_id, sizeof(s->store_id), "%s",
			 (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_error(s, "no store id");
}

/* ------------------------------------------------------------------ */
/* Stories                                                             */

static int sqlite_place(sl_store *base, const char *id, int64_t story,
			const char *copy_of, int64_t time)
{
	sqlite_store *s = (sqlite_store *)base;
	int rc;

	if (!s->in_batch)
		return sl_error_set(SL_EINVAL, "place outside a batch");
	sqlite3_reset(s->place);
	sqlite3_bind_text(s->place, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->place, 2, story);
	bind_text(s->place, 3, copy_of);
	sqlite3_bind_int64(s->place, 4, time);
	rc = sqlite3_step(s->place);
	sqlite3_clear_bindings(s->place);
	sqlite3_reset(s->place);
	return rc == SQLITE_DONE ? 0 : db_error(s, "placing an article");
}

static int sqlite_reroot(sl_store *base, int64_t story, const char *old,
			 const char *original)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite3_stmt *st;
	int rc;

	if (!s->in_batch)
		return sl_error_set(SL_EINVAL, "reroot outside a batch");
	/* The story's index finds the family: no scan of copy_of. */
	if ((rc = prepare(s, &st,
			  "UPDATE placements SET copy_of = ?3 WHERE story = ?1 "
			  "AND (copy_of = ?2 OR id = ?2)")) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, story);
	sqlite3_bind_text(st, 2, old, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, original, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, "relinking copies");
}

static int sqlite_placement(sl_store *base, const char *id, int64_t *story,
			    char **copy_of)
{
	sqlite_store *s = (sqlite_store *)base;
	int rc;

	*story = 0;
	*copy_of = NULL;
	if (!s->placement &&
	    (rc = prepare(s, &s->placement, "SELECT story, copy_of FROM "
					    "placements WHERE id = ?1")) < 0)
		return rc;
	sqlite3_reset(s->placement);
	sqlite3_bind_text(s->placement, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s->placement);
	if (rc == SQLITE_ROW) {
		*story = sqlite3_column_int64(s->placement, 0);
		*copy_of = column_text(s->placement, 1);
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? SL_ENOTFOUND :
					 db_error(s, "reading a placement");
	}
	sqlite3_reset(s->placement);
	return rc;
}

static int sqlite_clear_placements(sl_store *base)
{
	sqlite_store *s = (sqlite_store *)base;

	if (!s->in_batch)
		return sl_error_set(SL_EINVAL, "clear outside a batch");
	return exec(s, "DELETE FROM placements");
}

/* Stories newest first: placements are read from the newest back, and
 * each story is given at its first (its newest) placement, so that only
 * the recent end of the table is read. */
static int list_newest(sqlite_store *s, sqlite3_stmt *st, size_t limit,
		       sl_story_id_fn fn, void *ctx)
{
	sl_hmap seen = {0};
	size_t n = 0;
	int rc, stop = 0;

	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t story = sqlite3_column_int64(st, 0);

		if (sl_hmap_get(&seen, (uint64_t)story) != SL_HMAP_NONE)
			continue;
		sl_hmap_put(&seen, (uint64_t)story, 0, 0);
		stop = fn(story, ctx);
		if (!stop && limit && ++n == limit) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (!stop && rc != SQLITE_DONE)
		stop = db_error(s, "listing stories");
	sl_hmap_free(&seen);
	return stop;
}

static int sqlite_list_stories(sl_store *base, int64_t since, size_t limit,
			       int by_size, sl_story_id_fn fn, void *ctx)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite3_stmt *st;
	int rc, stop = 0;

	rc = prepare(s, &st,
		     by_size ? "SELECT story FROM placements GROUP BY story "
			       "HAVING max(time) >= ?1 ORDER BY count(*) DESC, "
			       "max(time) DESC, story DESC LIMIT ?2"
			     : "SELECT story FROM placements WHERE time >= ?1 "
			       "ORDER BY time DESC, story DESC");
	if (rc < 0)
		return rc;
	sqlite3_bind_int64(st, 1, since == SL_TIME_NONE ? INT64_MIN : since);
	if (!by_size) {
		stop = list_newest(s, st, limit, fn, ctx);
		sqlite3_finalize(st);
		return stop;
	}
	sqlite3_bind_int64(st, 2, limit ? (sqlite3_int64)limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((stop = fn(sqlite3_column_int64(st, 0), ctx)))
			break;
	if (!stop && rc != SQLITE_DONE)
		stop = db_error(s, "listing stories");
	sqlite3_finalize(st);
	return stop;
}

static int sqlite_story_members(sl_store *base, int64_t story,
				sl_member_fn fn, void *ctx)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite3_stmt *st;
	int rc, stop = 0;

	rc = prepare(s, &st,
		     "SELECT a.id, a.seq, a.title, a.outlet, a.published, "
		     "p.time, p.copy_of, a.url FROM placements p JOIN articles a "
		     "ON a.id = p.id WHERE p.story = ?1 ORDER BY p.time, a.seq");
	if (rc < 0)
		return rc;
	sqlite3_bind_int64(st, 1, story);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sl_member m = {
			.id = (const char *)sqlite3_column_text(st, 0),
			.seq = sqlite3_column_int64(st, 1),
			.title = (const char *)sqlite3_column_text(st, 2),
			.outlet = (const char *)sqlite3_column_text(st, 3),
			.published = column_time(st, 4),
			.time = sqlite3_column_int64(st, 5),
			.copy_of = (const char *)sqlite3_column_text(st, 6),
			.url = (const char *)sqlite3_column_text(st, 7),
			.story = story,
		};

		if ((stop = fn(&m, ctx)))
			break;
	}
	if (!stop && rc != SQLITE_DONE)
		stop = db_error(s, "reading a story");
	sqlite3_finalize(st);
	return stop;
}

static int sqlite_recent_members(sl_store *base, int64_t since,
				 sl_member_fn fn, void *ctx)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite3_stmt *st;
	int rc, stop = 0;

	/* Every member of every story with an article at or after since,
	 * in the order they were placed (by sequence). */
	rc = prepare(s, &st,
		     "SELECT a.id, a.seq, p.time, p.copy_of, p.story, a.title, "
		     "a.body_text, a.lang, a.outlet, a.byline, r.time "
		     "FROM placements p JOIN articles a ON a.id = p.id "
		     "LEFT JOIN placements r ON r.id = p.copy_of "
		     "WHERE p.story IN (SELECT story FROM placements "
		     "WHERE time >= ?1) ORDER BY a.seq");
	if (rc < 0)
		return rc;
	sqlite3_bind_int64(st, 1, since);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sl_member m = {
			.id = (const char *)sqlite3_column_text(st, 0),
			.seq = sqlite3_column_int64(st, 1),
			.time = sqlite3_column_int64(st, 2),
			.copy_of = (const char *)sqlite3_column_text(st, 3),
			.story = sqlite3_column_int64(st, 4),
			.published = SL_TIME_NONE,
			.title = (const char *)sqlite3_column_text(st, 5),
			.body = (const char *)sqlite3_column_text(st, 6),
			.lang = (const char *)sqlite3_column_text(st, 7),
			.outlet = (const char *)sqlite3_column_text(st, 8),
			.byline = (const char *)sqlite3_column_text(st, 9),
			.root_time = sqlite3_column_type(st, 10) == SQLITE_NULL
					     ? SL_TIME_NONE
					     : sqlite3_column_int64(st, 10),
		};

		if ((stop = fn(&m, ctx)))
			break;
	}
	if (!stop && rc != SQLITE_DONE)
		stop = db_error(s, "reading recent stories");
	sqlite3_finalize(st);
	return stop;
}

static int sqlite_story_stats(sl_store *base, int64_t story, int64_t *size,
			      int64_t *first, int64_t *last, int64_t *outlets)
{
	sqlite_store *s = (sqlite_store *)base;
	int rc;

	if (!s->story_stats &&
	    (rc = prepare(s, &s->story_stats,
			  "SELECT count(*), min(p.time), max(p.time), "
			  "count(DISTINCT a.outlet) FROM placements p JOIN "
			  "articles a ON a.id = p.id WHERE p.story = ?1")) < 0)
		return rc;
	sqlite3_reset(s->story_stats);
	sqlite3_bind_int64(s->story_stats, 1, story);
	rc = sqlite3_step(s->story_stats);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s->story_stats);
		return db_error(s, "reading a story's size");
	}
	*size = sqlite3_column_int64(s->story_stats, 0);
	*first = sqlite3_column_int64(s->story_stats, 1);
	*last = sqlite3_column_int64(s->story_stats, 2);
	*outlets = sqlite3_column_int64(s->story_stats, 3);
	sqlite3_reset(s->story_stats);
	return 0;
}

static int sqlite_setting(sl_store *base, const char *key, char **value)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite3_stmt *st;
	int rc;

	*value = NULL;
	if ((rc = prepare(s, &st, "SELECT value FROM meta WHERE key = ?1")) < 0)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*value = column_text(st, 0);
		rc = *value ? 0 : SL_ENOTFOUND;
	} else {
		rc = rc == SQLITE_DONE ? SL_ENOTFOUND :
					 db_error(s, "reading a setting");
	}
	sqlite3_finalize(st);
	return rc;
}

static int sqlite_set_setting(sl_store *base, const char *key,
			      const char *value)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite3_stmt *st;
	int rc;

	if (!s->in_batch)
		return sl_error_set(SL_EINVAL, "setting outside a batch");
	if ((rc = prepare(s, &st, "INSERT OR REPLACE INTO meta (key, value) "
				  "VALUES (?1, ?2)")) < 0)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, "writing a setting");
}

static int sqlite_story_bounds(sl_store *base, int64_t *max_story,
			       int64_t *max_time, int64_t *placed)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite3_stmt *st;
	int rc;

	if ((rc = prepare(s, &st, "SELECT coalesce(max(story), 0), "
				  "coalesce(max(time), 0), count(*) "
				  "FROM placements")) < 0)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*max_story = sqlite3_column_int64(st, 0);
		*max_time = sqlite3_column_int64(st, 1);
		*placed = sqlite3_column_int64(st, 2);
		rc = 0;
	} else {
		rc = db_error(s, "reading story bounds");
	}
	sqlite3_finalize(st);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Feeds                                                               */

#define FEED_COLUMNS                                                     \
	"id, url, title, outlet, site, category, etag, last_modified, "  \
	"status, error, items, added, last_fetch, last_new, next_poll, " \
	"interval, ttl, failures"

/* Columns 2.. of FEED_COLUMNS from f, bound from index first. */
static void bind_feed(sqlite3_stmt *st, int first, const sl_feed_info *f)
{
	bind_text(st, first, f->url);
	bind_text(st, first + 1, f->title);
	bind_text(st, first + 2, f->outlet);
	bind_text(st, first + 3, f->site);
	bind_text(st, first + 4, f->category);
	bind_text(st, first + 5, f->etag);
	bind_text(st, first + 6, f->last_modified);
	bind_text(st, first + 7, f->status ? f->status : "new");
	bind_text(st, first + 8, f->error);
	sqlite3_bind_int64(st, first + 9, f->items);
	bind_time(st, first + 10, f->added);
	bind_time(st, first + 11, f->last_fetch);
	bind_time(st, first + 12, f->last_new);
	bind_time(st, first + 13, f->next_poll);
	sqlite3_bind_int64(st, first + 14, f->interval);
	sqlite3_bind_int64(st, first + 15, f->ttl);
	sqlite3_bind_int(st, first + 16, f->failures);
}

static int sqlite_feed_add(sl_store *base, const sl_feed_info *f,
			   int64_t *out_id)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite3_stmt *st;
	int rc;

	if (!s->in_batch)
		return sl_error_set(SL_EINVAL, "feed added outside a batch");
	if ((rc = prepare(s, &st, "SELECT id FROM feeds WHERE url = ?1")) < 0)
		return rc;
	sqlite3_bind_text(st, 1, f->url, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out_id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		return 1;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(s, "looking a feed up");
	if ((rc = prepare(s, &st, "INSERT INTO feeds (" FEED_COLUMNS ") "
				  "VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, "
				  "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
				  "?16, ?17)")) < 0)
		return rc;
	bind_feed(st, 1, f);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(s, "adding a feed");
	*out_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static int sqlite_feed_remove(sl_store *base, int64_t id)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite3_stmt *st;
	int rc, changed;

	if (!s->in_batch)
		return sl_error_set(SL_EINVAL, "feed removed outside a batch");
	if ((rc = prepare(s, &st, "DELETE FROM feeds WHERE id = ?1")) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(s, "removing a feed");
	changed = sqlite3_changes(s->db);
	if ((rc = prepare(s, &st, "DELETE FROM feed_items WHERE feed = ?1")) <
	    0)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(s, "removing a feed's items");
	return changed ? 0 : sl_error_set(SL_ENOTFOUND, "no feed %lld",
					  (long long)id);
}

static int sqlite_feed_list(sl_store *base, sl_feed_fn fn, void *ctx)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite3_stmt *st;
	int rc;

	if ((rc = prepare(s, &st, "SELECT " FEED_COLUMNS " FROM feeds "
				  "ORDER BY id")) < 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sl_feed_info f = {
			.id = sqlite3_column_int64(st, 0),
			.url = (char *)sqlite3_column_text(st, 1),
			.title = (char *)sqlite3_column_text(st, 2),
			.outlet = (char *)sqlite3_column_text(st, 3),
			.site = (char *)sqlite3_column_text(st, 4),
			.category = (char *)sqlite3_column_text(st, 5),
			.etag = (char *)sqlite3_column_text(st, 6),
			.last_modified = (char *)sqlite3_column_text(st, 7),
			.status = (char *)sqlite3_column_text(st, 8),
			.error = (char *)sqlite3_column_text(st, 9),
			.items = sqlite3_column_int64(st, 10),
			.added = column_time(st, 11),
			.last_fetch = column_time(st, 12),
			.last_new = column_time(st, 13),
			.next_poll = column_time(st, 14),
			.interval = sqlite3_column_int64(st, 15),
			.ttl = sqlite3_column_int64(st, 16),
			.failures = sqlite3_column_int(st, 17),
		};

		if ((rc = fn(&f, ctx)) != 0) {
			sqlite3_finalize(st);
			return rc;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, "listing feeds");
}

static int sqlite_feed_save(sl_store *base, const sl_feed_info *f)
{
	sqlite_store *s = (sqlite_store *)base;
	sqlite3_stmt *st;
	int rc;

	if (!s->in_batch)
		return sl_error_set(SL_EINVAL, "feed saved outside a batch");
	/* The URL apart: a feed that moved onto another feed's address
	 * keeps its own. */
	if ((rc = prepare(s, &st, "UPDATE OR IGNORE feeds SET url = ?1 "
				  "WHERE id = ?2")) < 0)
		return rc;
	bind_text(st, 1, f->url);
	sqlite3_bind_int64(st, 2, f->id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(s, "saving a feed's address");
	if ((rc = prepare(s, &st, "UPDATE feeds SET url = url, title = ?2, "
				  "outlet = ?3, site = ?4, category = ?5, "
				  "etag = ?6, last_modified = ?7, status = ?8, "
				  "error = ?9, items = ?10, added = ?11, "
				  "last_fetch = ?12, last_new = ?13, "
				  "next_poll = ?14, interval = ?15, ttl = ?16, "
				  "failures = ?17 WHERE id = ?18")) < 0)
		return rc;
	bind_feed(st, 1, f);
	sqlite3_bind_int64(st, 18, f->id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, "saving a feed");
}

static int sqlite_feed_item(sl_store *base, int64_t feed, const char *key,
			    char **article_id)
{
	sqlite_store *s = (sqlite_store *)base;
	int rc;

	*article_id = NULL;
	if (!s->feed_item &&
	    (rc = prepare(s, &s->feed_item, "SELECT article FROM feed_items "
					    "WHERE feed = ?1 AND key = ?2")) <
		    0)
		return rc;
	sqlite3_bind_int64(s->feed_item, 1, feed);
	sqlite3_bind_text(s->feed_item, 2, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(s->feed_item);
	if (rc == SQLITE_ROW)
		*article_id = column_text(s->feed_item, 0);
	sqlite3_reset(s->feed_item);
	if (rc == SQLITE_ROW)
		return *article_id ? 0 : SL_ENOTFOUND;
	return rc == SQLITE_DONE ? SL_ENOTFOUND
				 : db_error(s, "looking an item up");
}

static int sqlite_feed_item_put(sl_store *base, int64_t feed,
				const char *key, const char *article_id)
{
	sqlite_store *s = (sqlite_store *)base;
	int rc;

	if (!s->in_batch)
		return sl_error_set(SL_EINVAL, "item recorded outside a batch");
	if (!s->feed_item_put &&
	    (rc = prepare(s, &s->feed_item_put,
			  "INSERT OR REPLACE INTO feed_items (feed, key, "
			  "article) VALUES (?1, ?2, ?3)")) < 0)
		return rc;
	sqlite3_bind_int64(s->feed_item_put, 1, feed);
	sqlite3_bind_text(s->feed_item_put, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->feed_item_put, 3, article_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s->feed_item_put);
	sqlite3_reset(s->feed_item_put);
	return rc == SQLITE_DONE ? 0 : db_error(s, "recording an item");
}

static const sl_store_ops sqlite_ops = {
	.name = "sqlite",
	.close = sqlite_close,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.put = sqlite_put,
	.get = sqlite_get,
	.get_card = sqlite_get_card,
	.id_for_url = sqlite_id_for_url,
	.scan = sqlite_scan,
	.scan_by_time = sqlite_scan_by_time,
	.stats = sqlite_stats,
	.id = sqlite_id,
	.path = sqlite_path,
	.place = sqlite_place,
	.placement = sqlite_placement,
	.clear_placements = sqlite_clear_placements,
	.list_stories = sqlite_list_stories,
	.story_members = sqlite_story_members,
	.recent_members = sqlite_recent_members,
	.reroot = sqlite_reroot,
	.story_bounds = sqlite_story_bounds,
	.setting = sqlite_setting,
	.story_stats = sqlite_story_stats,
	.set_setting = sqlite_set_setting,
	.feed_add = sqlite_feed_add,
	.feed_remove = sqlite_feed_remove,
	.feed_list = sqlite_feed_list,
	.feed_save = sqlite_feed_save,
	.feed_item = sqlite_feed_item,
	.feed_item_put = sqlite_feed_item_put,
};

int sl_store_open_sqlite(sl_store **out, const char *path, unsigned flags)
{
	sqlite_store *s;
	int oflags, rc;
	int readonly = (flags & SL_OPEN_READONLY) != 0;

	*out = NULL;
	if (!(flags & SL_OPEN_CREATE) && access(path, F_OK) != 0)
		return sl_error_set(SL_EIO,
				    "%s: no such database (storyline ingest "
				    "creates it)",
				    path);
	oflags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (flags & SL_OPEN_CREATE && !readonly)
		oflags |= SQLITE_OPEN_CREATE;
	s = sl_calloc(1, sizeof(*s));
	s->base.ops = &sqlite_ops;
	s->path = sl_strdup(path);
	s->readonly = readonly;
	if (sqlite3_open_v2(path, &s->db, oflags | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		rc = db_error(s, "cannot open database");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 10000);
	/* Reads (rails, pages, search results) come straight from the
	 * mapped file instead of being copied through read(); the mapped
	 * pages count in the resident size, so only the first 256 MiB. */
	exec(s, "PRAGMA mmap_size = 268435456");
	exec(s, "PRAGMA cache_size = -65536");
	sqlite3_extended_result_codes(s->db, 1);
	if (!readonly &&
	    ((rc = exec(s, "PRAGMA journal_mode = WAL")) < 0 ||
	     (rc = exec(s, "PRAGMA synchronous = FULL")) < 0))
		goto fail;
	if ((rc = migrate(s, readonly)) < 0 || (rc = read_store_id(s)) < 0)
		goto fail;
	if ((rc = prepare(s, &s->find,
			  "SELECT seq, content_hash, fetched_at FROM articles "
			  "WHERE id = ?1")) < 0 ||
	    (rc = prepare(s, &s->insert,
			  "INSERT INTO articles (id, seq, url, canonical_url, "
			  "outlet, title, byline, published, fetched_at, lang, "
			  "body_text, body_html, summary, image, captions, "
			  "reading_minutes, extra, content_hash) VALUES (?1, "
			  "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
			  "?14, ?15, ?16, ?17, ?18)")) < 0 ||
	    (rc = prepare(s, &s->update,
			  "UPDATE articles SET seq = ?2, url = ?3, "
			  "canonical_url = ?4, outlet = ?5, title = ?6, "
			  "byline = ?7, published = ?8, fetched_at = ?9, "
			  "lang = ?10, body_text = ?11, body_html = ?12, "
			  "summary = ?13, image = ?14, captions = ?15, "
			  "reading_minutes = ?16, extra = ?17, "
			  "content_hash = ?18 WHERE id = ?1")) < 0 ||
	    (rc = prepare(s, &s->get,
			  "SELECT " ARTICLE_COLUMNS
			  " FROM articles WHERE id = ?1")) < 0 ||
	    (rc = prepare(s, &s->get_card,
			  "SELECT " CARD_COLUMNS
			  " FROM articles WHERE id = ?1")) < 0 ||
	    (rc = prepare(s, &s->by_url,
			  "SELECT id FROM articles WHERE canonical_url = ?1 "
			  "ORDER BY seq LIMIT 1")) < 0 ||
	    (rc = prepare(s, &s->place,
			  "INSERT OR REPLACE INTO placements (id, story, "
			  "copy_of, time) VALUES (?1, ?2, ?3, ?4)")) < 0)
		goto fail;
	*out = &s->base;
	return 0;
fail:
	sqlite_close(&s->base);
	return rc;
}
