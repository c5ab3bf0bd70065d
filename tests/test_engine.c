/* The engine over a real SQLite file: batches, identity, updates,
 * derived fields, walking and counting, schema versions. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine_int.h"
#include "storyline.h"

static char dir[] = "/tmp/storyline-engine-XXXXXX";
static char db_path[256];
static sl_engine *e;

static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(db_path, sizeof(db_path), "%s/test.db", dir);
	cr_assert_eq(sl_engine_open(&e, db_path, SL_OPEN_CREATE), 0, "%s",
		     sl_error_last());
}

static void teardown(void)
{
	char cmd[300];

	sl_engine_free(e);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(engine, .init = setup, .fini = teardown);

static sl_article *make(const char *id, const char *url, const char *title,
			const char *body)
{
	sl_article *a = sl_article_new();

	a->id = id ? strdup(id) : NULL;
	a->url = url ? strdup(url) : NULL;
	a->title = title ? strdup(title) : NULL;
	a->body_text = body ? strdup(body) : NULL;
	return a;
}

/* Add one article in its own batch; returns what happened. */
static sl_add_status add(sl_article *a)
{
	sl_add_status status;

	cr_assert_eq(sl_engine_begin(e), 0, "%s", sl_error_last());
	cr_assert_eq(sl_engine_add(e, a, &status), 0, "%s", sl_error_last());
	cr_assert_eq(sl_engine_commit(e), 0, "%s", sl_error_last());
	return status;
}

static sl_article *get(const char *id)
{
	sl_article *a = NULL;

	cr_assert_eq(sl_engine_get(e, id, &a), 0, "%s", sl_error_last());
	return a;
}

Test(engine, stored_article_comes_back_complete)
{
	sl_article *a = make("a-1", "https://news.example/a?utm_source=x",
			     "Dam opens", NULL);
	sl_article *b;

	a->body_text = strdup("The new dam opened on Monday after ten years "
			      "of work. Officials said it would supply water "
			      "to 40,000 homes.");
	a->outlet = strdup("Example News");
	a->byline = strdup("Ana Ruiz");
	cr_assert_eq(sl_time_parse(&a->published, "2026-11-20T10:00:00Z"), 0);
	a->captions = calloc(1, sizeof(char *));
	a->captions[0] = strdup("The dam at dawn.");
	a->n_captions = 1;
	cr_assert_eq(add(a), SL_ADD_NEW);
	b = get("a-1");
	cr_assert_str_eq(b->title, "Dam opens");
	cr_assert_str_eq(b->outlet, "Example News");
	cr_assert_str_eq(b->byline, "Ana Ruiz");
	cr_assert_str_eq(b->canonical_url, "https://news.example/a");
	cr_assert_str_eq(b->lang, "en", "guessed");
	cr_assert_eq(b->published, a->published);
	cr_assert_neq(b->fetched_at, SL_TIME_NONE);
	cr_assert_eq(b->reading_minutes, 1);
	cr_assert_not_null(b->summary);
	cr_assert_eq(b->n_captions, 1);
	cr_assert_str_eq(b->captions[0], "The dam at dawn.");
	cr_assert_eq(b->seq, 1);
	sl_article_free(a);
	sl_article_free(b);
}

Test(engine, add_needs_a_batch_and_content)
{
	sl_article *a = make("x", NULL, "Title", NULL);
	sl_article *empty = make("y", NULL, NULL, NULL);

	cr_assert_eq(sl_engine_add(e, a, NULL), SL_EINVAL);
	cr_assert_eq(sl_engine_begin(e), 0);
	cr_assert_eq(sl_engine_add(e, empty, NULL), SL_EINVAL);
	cr_assert_not_null(strstr(sl_error_last(), "no title and no body"));
	cr_assert_eq(sl_engine_commit(e), 0);
	sl_article_free(a);
	sl_article_free(empty);
}

Test(engine, same_content_is_unchanged_new_content_updates)
{
	sl_article *a = make("u-1", NULL, "First", "Body text.");
	sl_article *b = make("u-1", NULL, "First", "Body text.");
	sl_article *c = make("u-1", NULL, "Second", "Body text.");
	sl_article *stored;
	int64_t first_fetch;

	cr_assert_eq(add(a), SL_ADD_NEW);
	first_fetch = a->fetched_at;
	b->fetched_at = first_fetch + 3600; /* polled again an hour later */
	cr_assert_eq(add(b), SL_ADD_UNCHANGED);
	cr_assert_eq(b->seq, 1);
	cr_assert_eq(add(c), SL_ADD_UPDATED);
	cr_assert_eq(c->seq, 2, "an update takes the next sequence number");
	stored = get("u-1");
	cr_assert_str_eq(stored->title, "Second");
	cr_assert_eq(stored->fetched_at, first_fetch,
		     "first fetch time is kept");
	sl_article_free(a);
	sl_article_free(b);
	sl_article_free(c);
	sl_article_free(stored);
}

Test(engine, rollback_keeps_what_was_stored)
{
	sl_article *kept = make("k-1", NULL, "Kept", NULL);
	sl_article *lost = make("k-2", NULL, "Lost", NULL);
	sl_article *edit = make("k-1", NULL, "Edited", NULL);
	sl_article *a = NULL;

	add(kept);
	cr_assert_eq(sl_engine_begin(e), 0);
	cr_assert_eq(sl_engine_add(e, lost, NULL), 0);
	cr_assert_eq(sl_engine_add(e, edit, NULL), 0);
	cr_assert_eq(sl_engine_rollback(e), 0);
	cr_assert_eq(sl_engine_get(e, "k-2", &a), SL_ENOTFOUND);
	a = get("k-1");
	cr_assert_str_eq(a->title, "Kept");
	sl_article_free(a);
	sl_article_free(kept);
	sl_article_free(lost);
	sl_article_free(edit);
}

Test(engine, id_from_the_canonical_url)
{
	sl_article *a = make(NULL, "HTTPS://News.Example:443/story#top",
			     "Story", NULL);
	sl_article *b = make(NULL, "https://news.example/story?fbclid=1",
			     "Story, updated", NULL);
	sl_article *stored;

	cr_assert_eq(add(a), SL_ADD_NEW);
	cr_assert_eq(strlen(a->id), 16, "a 64-bit hex id: %s", a->id);
	cr_assert_eq(add(b), SL_ADD_UPDATED);
	cr_assert_str_eq(b->id, a->id);
	stored = get(a->id);
	cr_assert_str_eq(stored->title, "Story, updated");
	sl_article_free(a);
	sl_article_free(b);
	sl_article_free(stored);
}

Test(engine, url_finds_an_article_that_came_with_an_id)
{
	sl_article *a = make("wire-77", "https://wire.example/77", "Wire", NULL);
	sl_article *b = make(NULL, "https://wire.example/77?utm_medium=rss",
			     "Wire v2", NULL);

	add(a);
	cr_assert_eq(add(b), SL_ADD_UPDATED);
	cr_assert_str_eq(b->id, "wire-77");
	sl_article_free(a);
	sl_article_free(b);
}

Test(engine, id_without_url_is_stable)
{
	sl_article *a = make(NULL, NULL, "Local notice", "Roads close.");
	sl_article *b = make(NULL, NULL, "Local notice", "Roads close.");

	a->outlet = strdup("Town Crier");
	b->outlet = strdup("Town Crier");
	add(a);
	cr_assert_eq(add(b), SL_ADD_UNCHANGED);
	cr_assert_str_eq(a->id, b->id);
	sl_article_free(a);
	sl_article_free(b);
}

static int collect(const sl_article *a, void *ctx)
{
	char *ids = ctx;

	strcat(ids, a->id);
	strcat(ids, " ");
	return 0;
}

static int stop_at_first(const sl_article *a, void *ctx)
{
	(void)a;
	(*(int *)ctx)++;
	return 42;
}

Test(engine, foreach_walks_in_sequence_order)
{
	const char *ids[] = {"w-1", "w-2", "w-3"};
	char seen[64] = "";
	int calls = 0;

	for (int i = 0; i < 3; i++) {
		sl_article *a = make(ids[i], NULL, "T", NULL);

		add(a);
		sl_article_free(a);
	}
	sl_article *again = make("w-1", NULL, "T changed", NULL);

	add(again);
	sl_article_free(again);
	cr_assert_eq(sl_engine_foreach(e, 0, collect, seen), 0);
	cr_assert_str_eq(seen, "w-2 w-3 w-1 ");
	seen[0] = '\0';
	cr_assert_eq(sl_engine_foreach(e, 3, collect, seen), 0);
	cr_assert_str_eq(seen, "w-1 ");
	cr_assert_eq(sl_engine_foreach(e, 0, stop_at_first, &calls), 42);
	cr_assert_eq(calls, 1);
}

Test(engine, stats_count_articles_outlets_languages)
{
	const char *langs[] = {"en", "en", "de"};
	sl_stats s;

	for (int i = 0; i < 3; i++) {
		char id[8];
		sl_article *a;

		snprintf(id, sizeof(id), "s-%d", i);
		a = make(id, NULL, "Headline", NULL);
		a->lang = strdup(langs[i]);
		a->outlet = strdup(i ? "Two" : "One");
		add(a);
		sl_article_free(a);
	}
	cr_assert_eq(sl_engine_stats(e, &s), 0);
	cr_assert_eq(s.articles, 3);
	cr_assert_eq(s.outlets, 2);
	cr_assert_eq(s.max_seq, 3);
	cr_assert_eq(s.n_langs, 2);
	cr_assert_str_eq(s.langs[0].lang, "en");
	cr_assert_eq(s.langs[0].articles, 2);
	cr_assert_gt(s.db_bytes, 0);
	cr_assert_eq(s.schema_version, 5);
	sl_stats_clear(&s);
}

Test(engine, reopen_finds_everything)
{
	sl_article *a = make("r-1", NULL, "Persisted", NULL);

	add(a);
	sl_engine_free(e);
	cr_assert_eq(sl_engine_open(&e, db_path, SL_OPEN_READONLY), 0, "%s",
		     sl_error_last());
	sl_article_free(a);
	a = get("r-1");
	cr_assert_str_eq(a->title, "Persisted");
	cr_assert_neq(sl_engine_begin(e), 0, "a read-only engine never writes");
	sl_article_free(a);
}

static void set_user_version(const char *path, int version)
{
	sqlite3 *db;
	char sql[64];

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", version);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

Test(engine, newer_schema_is_refused)
{
	sl_engine *other = NULL;

	sl_engine_free(e);
	e = NULL;
	set_user_version(db_path, 99);
	cr_assert_eq(sl_engine_open(&other, db_path, 0), SL_EVERSION);
	cr_assert_not_null(strstr(sl_error_last(), "newer"));
	cr_assert_null(other);
}

/* A store of the schema before (4) gains the index of the newest stories
 * when it is opened for writing; read-only, it is read as it is. One of
 * schema 3 must be migrated first. */
Test(engine, a_store_of_schema_4_is_migrated)
{
	sl_engine *other = NULL;
	sqlite3 *db;
	sqlite3_stmt *st;
	sl_article *a = make("v4-1", NULL, "Before the index", NULL);

	add(a);
	sl_article_free(a);
	sl_engine_free(e);
	e = NULL;
	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "DROP INDEX placements_by_time", NULL,
				  NULL, NULL),
		     SQLITE_OK);
	sqlite3_close(db);
	set_user_version(db_path, 3);
	cr_assert_neq(sl_engine_open(&other, db_path, SL_OPEN_READONLY), 0);
	cr_assert_not_null(strstr(sl_error_last(), "migration"));
	set_user_version(db_path, 4);
	cr_assert_eq(sl_engine_open(&other, db_path, SL_OPEN_READONLY), 0,
		     "%s", sl_error_last());
	{
		sl_stories_opts so = {.since = SL_TIME_NONE, .limit = 5};
		sl_story *st4;
		size_t n;

		cr_assert_eq(sl_engine_stories(other, &so, &st4, &n), 0, "%s",
			     sl_error_last());
		cr_assert_eq(n, 1, "its story, read without the new index");
		sl_stories_free(st4, n);
	}
	sl_engine_free(other);
	cr_assert_eq(sl_engine_open(&e, db_path, 0), 0, "%s", sl_error_last());
	cr_assert_eq(sqlite3_open(db_path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db,
					"SELECT count(*) FROM sqlite_master "
					"WHERE name = 'placements_by_time'",
					-1, &st, NULL),
		     SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	sqlite3_close(db);

	/* Schema 4 with the index made by hand (to try it out) migrates
	 * too: the migration only adds what is missing. */
	sl_engine_free(e);
	e = NULL;
	set_user_version(db_path, 4);
	cr_assert_eq(sl_engine_open(&e, db_path, 0), 0, "%s", sl_error_last());
}

Test(engine, empty_sqlite_file_is_migrated)
{
	char path[300];
	sl_engine *other;
	sl_article *a = make("m-1", NULL, "Migrated", NULL);
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/empty.db", dir);
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_close(db);
	cr_assert_eq(sl_engine_open(&other, path, 0), 0, "%s",
		     sl_error_last());
	cr_assert_eq(sl_engine_begin(other), 0);
	cr_assert_eq(sl_engine_add(other, a, NULL), 0);
	cr_assert_eq(sl_engine_commit(other), 0);
	sl_engine_free(other);
	sl_article_free(a);
}

Test(engine, missing_database_is_not_created)
{
	char path[300];
	sl_engine *other = NULL;

	snprintf(path, sizeof(path), "%s/missing.db", dir);
	cr_assert_eq(sl_engine_open(&other, path, 0), SL_EIO);
	cr_assert_not_null(strstr(sl_error_last(), "no such database"));
	cr_assert_neq(access(path, F_OK), 0);
}

Test(engine, postgres_is_named_not_yet_supported)
{
	sl_engine *other = NULL;

	cr_assert_eq(sl_engine_open(&other, "postgres://db.example/news", 0),
		     SL_EINVAL);
	cr_assert_not_null(strstr(sl_error_last(), "PostgreSQL"));
}

static size_t hits_for(const char *query)
{
	sl_search_opts o;
	sl_search_result *r;
	size_t n;

	sl_search_opts_init(&o);
	o.all_copies = 1; /* every article, copies of one text too */
	cr_assert_eq(sl_engine_search(e, query, &o, &r), 0, "%s",
		     sl_error_last());
	n = r->n_hits;
	sl_search_result_free(r);
	return n;
}

Test(engine, articles_are_searchable_once_committed)
{
	sl_article *a = make("s-1", NULL, "Harbour strike", "Dockers stop.");
	sl_article *b = make("s-2", NULL, "Ferry strike", "Crews stop.");
	sl_article *c = make("s-1", NULL, "Harbour deal", "Dockers return.");

	add(a);
	cr_assert_eq(hits_for("strike"), 1, "the first search builds the index");
	cr_assert_eq(sl_engine_begin(e), 0);
	cr_assert_eq(sl_engine_add(e, b, NULL), 0);
	cr_assert_eq(sl_engine_rollback(e), 0);
	cr_assert_eq(hits_for("strike"), 1, "a rolled-back article is not found");
	add(b);
	cr_assert_eq(hits_for("strike"), 2, "a committed one is");
	add(c);
	cr_assert_eq(hits_for("strike"), 1, "an update drops the old words");
	cr_assert_eq(hits_for("deal"), 1);
	sl_article_free(a);
	sl_article_free(b);
	sl_article_free(c);
}

Test(engine, search_reports_bad_queries)
{
	sl_search_result *r = NULL;
	sl_search_opts opts;

	cr_assert_eq(sl_engine_search(e, "since:never", NULL, &r), SL_EINVAL);
	cr_assert_null(r);
	sl_search_opts_init(&opts);
	opts.offset = 5000;
	cr_assert_eq(sl_engine_search(e, "x", &opts, &r), SL_EINVAL);
}

Test(engine, index_snapshot_is_used_checked_and_caught_up)
{
	char snap[300];
	sl_article *a = make("n-1", NULL, "Harbour strike", "Dockers stop.");
	sl_article *b = make("n-2", NULL, "Rail strike", "Trains stop.");
	FILE *fp;

	snprintf(snap, sizeof(snap), "%s.index", db_path);
	add(a);
	cr_assert_eq(hits_for("strike"), 1);
	sl_engine_free(e); /* leaves a snapshot */
	cr_assert_eq(access(snap, F_OK), 0, "a snapshot beside the database");

	/* Another writer adds an article after the snapshot. */
	cr_assert_eq(sl_engine_open(&e, db_path, 0), 0);
	add(b);
	sl_engine_free(e);
	cr_assert_eq(sl_engine_open(&e, db_path, SL_OPEN_READONLY), 0);
	cr_assert_eq(hits_for("strike"), 2, "caught up past the snapshot");
	cr_assert_eq(e->index_source, SL_INDEX_SNAPSHOT);
	sl_engine_free(e);

	/* A damaged snapshot is rebuilt, with the same answers. */
	fp = fopen(snap, "r+b");
	fseek(fp, 40, SEEK_SET);
	fputc('#', fp);
	fclose(fp);
	cr_assert_eq(sl_engine_open(&e, db_path, SL_OPEN_READONLY), 0);
	cr_assert_eq(hits_for("strike"), 2);
	cr_assert_eq(e->index_source, SL_INDEX_REBUILT);
	sl_article_free(a);
	sl_article_free(b);
}

/* Four articles stored out of order. */
static void store_out_of_order(void)
{
	static const char *const ids[] = {"late", "undated", "early", "mid"};
	static const int64_t when[] = {300000, SL_TIME_NONE, 100000, 200000};

	for (size_t i = 0; i < 4; i++) {
		sl_article *a = make(ids[i], NULL, "Harbour strike",
				     "Dockers stop work at the harbour.");

		a->published = when[i];
		add(a);
		sl_article_free(a);
	}
}

/* One text carried four times (a wire story and its copies): a search
 * shows it once, saying how many others carry it, unless asked for
 * every copy. */
Test(engine, a_syndicated_text_is_one_hit)
{
	static const char *const ids[] = {"wire", "site-1", "site-2"};
	sl_search_result *r;

	for (size_t i = 0; i < 3; i++) {
		sl_article *a = make(ids[i], NULL, "Harbour strike",
				     "Dockers stop work at the harbour.");

		a->published = 100000 + 3600 * (int64_t)i;
		add(a);
		sl_article_free(a);
	}
	cr_assert_eq(sl_engine_search(e, "harbour strike", NULL, &r), 0, "%s",
		     sl_error_last());
	cr_assert_eq(r->n_hits, 1);
	cr_assert_eq(r->total, 1, "texts, not articles");
	cr_assert_eq(r->hits[0].copies, 2);
	sl_search_result_free(r);
	cr_assert_eq(hits_for("harbour strike"), 3);
}

/* The index numbers them in this order. */
static void numbered(const char *const *order)
{
	cr_assert_eq(hits_for("strike"), 4);
	for (uint32_t d = 0; d < 4; d++) {
		char *id = sl_index_doc_id(e->index, d);

		cr_assert_str_eq(id, order[d], "document %u", d);
		free(id);
	}
}

/* An undated article is where it was fetched: now, the newest. */
static const char *const by_time[] = {"early", "mid", "late", "undated"};

/* An index rebuilt from the store numbers the articles in publication
 * order, however they were stored (an archive imported newest first):
 * a search within dates reads the index's windows of those dates only. */
Test(engine, a_rebuilt_index_follows_publication_order)
{
	char snap[300];

	store_out_of_order();
	sl_engine_free(e);
	snprintf(snap, sizeof(snap), "%s.index", db_path);
	unlink(snap);
	cr_assert_eq(sl_engine_open(&e, db_path, SL_OPEN_READONLY), 0);
	numbered(by_time);
	cr_assert_eq(e->index_source, SL_INDEX_REBUILT);
}

/* Indexed as they were stored, until a restory: it places and indexes
 * everything again in publication order, and its snapshot keeps that. */
Test(engine, a_restory_indexes_in_publication_order)
{
	static const char *const as_stored[] = {"late", "undated", "early",
						"mid"};

	store_out_of_order();
	numbered(as_stored);
	cr_assert_eq(sl_engine_restory(e, 0, NULL, NULL), 0, "%s",
		     sl_error_last());
	numbered(by_time);
	sl_engine_free(e);
	cr_assert_eq(sl_engine_open(&e, db_path, SL_OPEN_READONLY), 0);
	numbered(by_time);
	cr_assert_eq(e->index_source, SL_INDEX_SNAPSHOT);
}
