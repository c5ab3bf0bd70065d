/*
 * peer_fts5_search -- SQLite FTS5 search peer for the Storyline search
 * benchmark.
 *
 * Usage: peer_fts5_search DB CORPUS.jsonl QUERIES_USER QUERIES_MLT [--build]
 *
 * --build  DB must not exist yet.  It gets
 *            CREATE VIRTUAL TABLE docs USING fts5(title, body,
 *                                 tokenize='porter unicode61');
 *            CREATE TABLE ids(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL);
 *          and the n-th non-blank line of CORPUS.jsonl becomes rowid n in
 *          both: title and body in docs, the article id in ids.  All rows
 *          go in through two prepared statements in ONE transaction, with
 *          the rollback journal (a bulk load into a new file then writes
 *          each page once, where WAL writes it twice: 13% faster at
 *          100,000 articles, twice as fast at 1,000,000).  Then the index
 *          is merged into one segment with FTS5's 'optimize' command, as
 *          one would do before serving a bulk-loaded index.
 *          build_seconds (CLOCK_MONOTONIC) covers reading, parsing, the
 *          inserts, COMMIT and optimize; optimize_seconds is the last part
 *          on its own.
 * Without --build the existing DB is opened and CORPUS.jsonl is not read.
 *
 * Queries, top 10 by bm25 with the title weighted 2 and the body 1:
 *     SELECT rowid FROM docs WHERE docs MATCH ?1
 *     ORDER BY bm25(docs, 2.0, 1.0) LIMIT 10
 *   * user: the words of the line, each as an FTS5 string ("..." with
 *     inner quotes doubled, so no word is read as syntax), joined by OR;
 *   * MLT: the words of the `word:weight ...` line joined the same way.
 *     MATCH has no way to weight a term, so the weights are dropped; the
 *     report says so with "weighted":false.
 * Timed per query with CLOCK_MONOTONIC: prepare, bind, the step loop and
 * finalize.  Building the MATCH string and turning the rowids into article
 * ids (through the ids table) are not timed.
 *
 * Prints one JSON object on stdout:
 *   {"tool":"fts5","build_seconds":S|null,"optimize_seconds":S|null,
 *    "articles":N,"user":{"queries":Q,"p50_ms":..,"p99_ms":..,"mean_ms":..},
 *    "mlt":{...,"weighted":false},"db_bytes":B,
 *    "top10":{"user":[[id,...],...],"mlt":[[id,...],...]}}
 * Percentiles are taken as bench_search.c takes them, so that every column
 * of the table means the same: with the Q times in ascending order
 * (0-based), p50 is the one at index Q/2, p99 the one at floor(0.99 * Q).
 *
 * Build: gcc -std=c11 -Wall -Wextra -Werror -O2 -D_POSIX_C_SOURCE=200809L \
 *            bench/peer_fts5_search.c $(pkg-config --cflags --libs sqlite3 jansson)
 */
#include <errno.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char *prog = "peer_fts5_search";

#include "peer_common.h"


/* A list of query lines, read whole. */
struct lines {
	char **items;
	size_t count;
};

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

/* Reads the non-blank lines of path, without their line ends. */
static int lines_read(struct lines *out, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "%s: cannot open %s: %s\n", prog, path,
			strerror(errno));
		return -1;
	}
	int rc = -1;
	char *line = NULL;
	size_t cap = 0, alloc = 0;
	ssize_t n;
	out->items = NULL;
	out->count = 0;
	while ((n = getline(&line, &cap, f)) != -1) {
		size_t len = trimmed_length(line, (size_t)n);
		if (len == 0)
			continue;
		if (out->count == alloc) {
			size_t grown = alloc ? 2 * alloc : 1024;
			char **items = realloc(out->items, grown * sizeof *items);
			if (!items)
				goto cleanup;
			out->items = items;
			alloc = grown;
		}
		char *copy = malloc(len + 1);
		if (!copy)
			goto cleanup;
		memcpy(copy, line, len);
		copy[len] = '\0';
		out->items[out->count++] = copy;
	}
	if (ferror(f)) {
		fprintf(stderr, "%s: error reading %s\n", prog, path);
		goto cleanup;
	}
	rc = 0;
cleanup:
	if (rc != 0) {
		if (!ferror(f))
			fprintf(stderr, "%s: out of memory reading %s\n", prog,
				path);
		lines_free(out);
	}
	free(line);
	fclose(f);
	return rc;
}

/*
 * Turns a query line into an FTS5 MATCH expression: each space-separated
 * word becomes "word" (inner quotes doubled), joined with " OR ".  For MLT
 * lines (strip_weight) the ":weight" suffix is cut off first.  Returns a
 * malloc'd string or NULL when out of memory.
 */
static char *match_expr(const char *line, int strip_weight)
{
	size_t len = strlen(line);
	/* Worst case: every byte a quote (doubled) plus quotes and " OR ". */
	char *out = malloc(2 * len + 6 * (len + 1) + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	const char *p = line;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		const char *end = p;
		while (*end && *end != ' ' && *end != '\t')
			end++;
		const char *word_end = end;
		if (strip_weight) {
			const char *colon = NULL;
			for (const char *q = p; q < end; q++)
				if (*q == ':')
					colon = q;
			if (colon)
				word_end = colon;
		}
		if (word_end > p) {
			if (o > 0) {
				memcpy(out + o, " OR ", 4);
				o += 4;
			}
			out[o++] = '"';
			for (const char *q = p; q < word_end; q++) {
				if (*q == '"')
					out[o++] = '"';
				out[o++] = *q;
			}
			out[o++] = '"';
		}
		p = end;
	}
	out[o] = '\0';
	return out;
}

/* String member `key` of obj, or "" (length 0) when absent or not one. */
/* Loads the corpus into a fresh DB; sets the two timings. */
static int build(sqlite3 *db, const char *corpus, double *build_seconds,
		 double *optimize_seconds)
{
	FILE *in = fopen(corpus, "rb");
	if (!in) {
		fprintf(stderr, "%s: cannot open %s: %s\n", prog, corpus,
			strerror(errno));
		return -1;
	}
	int rc = -1, in_txn = 0;
	sqlite3_stmt *ins_doc = NULL, *ins_id = NULL;
	char *line = NULL;
	size_t cap = 0;
	long lineno = 0;
	sqlite3_int64 rowid = 0;

	if (exec_sql(db, "PRAGMA journal_mode=DELETE") ||
	    exec_sql(db, "PRAGMA synchronous=NORMAL") ||
	    exec_sql(db, "CREATE VIRTUAL TABLE docs USING fts5(title, body, "
			 "tokenize='porter unicode61')") ||
	    exec_sql(db, "CREATE TABLE ids(rowid INTEGER PRIMARY KEY, "
			 "id TEXT NOT NULL)"))
		goto cleanup;
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO docs(rowid, title, body) "
			       "VALUES (?1, ?2, ?3)",
			       -1, &ins_doc, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO ids(rowid, id) VALUES (?1, ?2)",
			       -1, &ins_id, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: prepare failed: %s\n", prog,
			sqlite3_errmsg(db));
		goto cleanup;
	}

	double t0 = now_seconds();
	if (exec_sql(db, "BEGIN"))
		goto cleanup;
	in_txn = 1;
	ssize_t n;
	while ((n = getline(&line, &cap, in)) != -1) {
		lineno++;
		size_t len = trimmed_length(line, (size_t)n);
		if (len == 0)
			continue;
		json_error_t jerr;
		json_t *obj = json_loadb(line, len, 0, &jerr);
		if (!obj || !json_is_object(obj)) {
			fprintf(stderr, "%s: %s:%ld: %s\n", prog, corpus, lineno,
				obj ? "line is not a JSON object" : jerr.text);
			json_decref(obj);
			goto cleanup;
		}
		int tlen, blen, ilen;
		const char *title = member(obj, "title", &tlen);
		const char *body = member(obj, "body", &blen);
		const char *id = member(obj, "id", &ilen);
		char fallback[32];
		if (ilen == 0) {
			ilen = snprintf(fallback, sizeof fallback, "line-%ld",
					lineno);
			id = fallback;
		}
		rowid++;
		int ok = sqlite3_bind_int64(ins_doc, 1, rowid) == SQLITE_OK &&
			 sqlite3_bind_text(ins_doc, 2, title, tlen,
					   SQLITE_STATIC) == SQLITE_OK &&
			 sqlite3_bind_text(ins_doc, 3, body, blen,
					   SQLITE_STATIC) == SQLITE_OK &&
			 sqlite3_step(ins_doc) == SQLITE_DONE &&
			 sqlite3_bind_int64(ins_id, 1, rowid) == SQLITE_OK &&
			 sqlite3_bind_text(ins_id, 2, id, ilen,
					   SQLITE_STATIC) == SQLITE_OK &&
			 sqlite3_step(ins_id) == SQLITE_DONE;
		sqlite3_reset(ins_doc);
		sqlite3_reset(ins_id);
		json_decref(obj);
		if (!ok) {
			fprintf(stderr, "%s: %s:%ld: insert failed: %s\n", prog,
				corpus, lineno, sqlite3_errmsg(db));
			goto cleanup;
		}
	}
	if (ferror(in)) {
		fprintf(stderr, "%s: error reading %s\n", prog, corpus);
		goto cleanup;
	}
	if (exec_sql(db, "COMMIT"))
		goto cleanup;
	in_txn = 0;
	double t1 = now_seconds();
	if (exec_sql(db, "INSERT INTO docs(docs) VALUES('optimize')"))
		goto cleanup;
	double t2 = now_seconds();
	*build_seconds = t2 - t0;
	*optimize_seconds = t2 - t1;
	rc = 0;
cleanup:
	if (in_txn)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_finalize(ins_doc);
	sqlite3_finalize(ins_id);
	free(line);
	fclose(in);
	return rc;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The time at index floor(percent/100 * n) of the ascending times. */
static double percentile(const double *sorted, size_t n, size_t percent)
{
	size_t index = percent * n / 100;
	return sorted[index < n ? index : n - 1];
}

/* {"queries","p50_ms","p99_ms","mean_ms"} of the times; sorts them. */
static json_t *summary(double *times_ms, size_t n)
{
	json_t *obj = json_object();
	if (!obj)
		return NULL;
	json_object_set_new(obj, "queries", json_integer((json_int_t)n));
	if (n == 0) {
		json_object_set_new(obj, "p50_ms", json_null());
		json_object_set_new(obj, "p99_ms", json_null());
		json_object_set_new(obj, "mean_ms", json_null());
		return obj;
	}
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += times_ms[i];
	qsort(times_ms, n, sizeof *times_ms, cmp_double);
	json_object_set_new(obj, "p50_ms",
			    json_real(percentile(times_ms, n, 50)));
	json_object_set_new(obj, "p99_ms",
			    json_real(percentile(times_ms, n, 99)));
	json_object_set_new(obj, "mean_ms", json_real(sum / (double)n));
	return obj;
}

/*
 * One timed query: the top 10 rowids of MATCH expr into rowids (*n_rows
 * of them); returns the milliseconds, or -1 when SQLite failed.
 */
static double timed_match(sqlite3 *db, const char *expr,
			  sqlite3_int64 rowids[10], int *n_rows)
{
	static const char sql[] = "SELECT rowid FROM docs WHERE docs MATCH ?1 "
				  "ORDER BY bm25(docs, 2.0, 1.0) LIMIT 10";
	sqlite3_stmt *stmt = NULL;
	int step = SQLITE_DONE;
	double t0 = now_seconds(), ms;

	*n_rows = 0;
	int prep = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
	if (prep == SQLITE_OK &&
	    sqlite3_bind_text(stmt, 1, expr, -1, SQLITE_STATIC) == SQLITE_OK) {
		while ((step = sqlite3_step(stmt)) == SQLITE_ROW)
			if (*n_rows < 10)
				rowids[(*n_rows)++] =
					sqlite3_column_int64(stmt, 0);
	}
	sqlite3_finalize(stmt);
	ms = (now_seconds() - t0) * 1000.0;
	return prep != SQLITE_OK || step != SQLITE_DONE ? -1 : ms;
}

/* SEARCH_PASSES: how many times the query files are run (default 1). */
static int passes(void)
{
	const char *v = getenv("SEARCH_PASSES");
	int n = v ? atoi(v) : 1;

	return n > 0 ? n : 1;
}

/*
 * Runs every query of `queries`; fills times_ms[i] and appends one array
 * of article ids per query to tops. With SEARCH_PASSES=N the file is run
 * N times over and each query keeps its fastest time, as bench_search.c
 * does with BENCH_SEARCH_PASSES.
 */
static int run_queries(sqlite3 *db, const struct lines *queries,
		       int strip_weight, double *times_ms, json_t *tops)
{
	sqlite3_stmt *lookup = NULL;
	if (sqlite3_prepare_v2(db, "SELECT id FROM ids WHERE rowid = ?1", -1,
			       &lookup, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: prepare failed: %s\n", prog,
			sqlite3_errmsg(db));
		return -1;
	}
	int rc = -1;
	for (size_t i = 0; i < queries->count; i++) {
		char *expr = match_expr(queries->items[i], strip_weight);
		if (!expr) {
			fprintf(stderr, "%s: out of memory\n", prog);
			goto cleanup;
		}
		sqlite3_int64 rowids[10];
		int n_rows;

		times_ms[i] = timed_match(db, expr, rowids, &n_rows);
		if (times_ms[i] < 0) {
			fprintf(stderr, "%s: query %zu (%s) failed: %s\n", prog,
				i + 1, expr, sqlite3_errmsg(db));
			free(expr);
			goto cleanup;
		}
		free(expr);

		json_t *ids = json_array();
		for (int r = 0; r < n_rows; r++) {
			sqlite3_bind_int64(lookup, 1, rowids[r]);
			if (sqlite3_step(lookup) == SQLITE_ROW)
				json_array_append_new(
					ids, json_string((const char *)
							 sqlite3_column_text(
								 lookup, 0)));
			sqlite3_reset(lookup);
		}
		json_array_append_new(tops, ids);
	}
	for (int pass = 1; pass < passes(); pass++)
		for (size_t i = 0; i < queries->count; i++) {
			char *expr = match_expr(queries->items[i],
						strip_weight);
			sqlite3_int64 rowids[10];
			int n_rows;
			double ms = expr ? timed_match(db, expr, rowids,
						       &n_rows) :
					   -1;

			free(expr);
			if (ms >= 0 && ms < times_ms[i])
				times_ms[i] = ms;
		}
	rc = 0;
cleanup:
	sqlite3_finalize(lookup);
	return rc;
}

static long long file_bytes(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

int main(int argc, char **argv)
{
	const char *args[4];
	int n_args = 0, do_build = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--build"))
			do_build = 1;
		else if (argv[i][0] == '-' || n_args == 4)
			n_args = 5;
		else
			args[n_args++] = argv[i];
	}
	if (n_args != 4) {
		fprintf(stderr,
			"usage: %s DB CORPUS.jsonl QUERIES_USER QUERIES_MLT "
			"[--build]\n",
			prog);
		return 2;
	}
	const char *db_path = args[0], *corpus = args[1];

	int rc = 1;
	sqlite3 *db = NULL;
	struct lines user = { 0 }, mlt = { 0 };
	double *user_ms = NULL, *mlt_ms = NULL;
	json_t *report = NULL;

	if (lines_read(&user, args[2]) || lines_read(&mlt, args[3]))
		goto cleanup;
	user_ms = malloc((user.count + 1) * sizeof *user_ms);
	mlt_ms = malloc((mlt.count + 1) * sizeof *mlt_ms);
	if (!user_ms || !mlt_ms) {
		fprintf(stderr, "%s: out of memory\n", prog);
		goto cleanup;
	}

	struct stat st;
	if (do_build && stat(db_path, &st) == 0) {
		fprintf(stderr, "%s: %s already exists; remove it before --build\n",
			prog, db_path);
		goto cleanup;
	}
	if (!do_build && stat(db_path, &st) != 0) {
		fprintf(stderr, "%s: %s does not exist; use --build\n", prog,
			db_path);
		goto cleanup;
	}
	if (sqlite3_open(db_path, &db) != SQLITE_OK) {
		fprintf(stderr, "%s: cannot open %s: %s\n", prog, db_path,
			db ? sqlite3_errmsg(db) : "out of memory");
		goto cleanup;
	}

	double build_seconds = 0, optimize_seconds = 0;
	if (do_build &&
	    build(db, corpus, &build_seconds, &optimize_seconds) != 0)
		goto cleanup;

	report = json_object();
	json_t *tops = json_object(), *user_top = json_array(),
	       *mlt_top = json_array();
	if (!report || !tops || !user_top || !mlt_top) {
		json_decref(tops);
		json_decref(user_top);
		json_decref(mlt_top);
		fprintf(stderr, "%s: out of memory\n", prog);
		goto cleanup;
	}
	json_object_set_new(tops, "user", user_top);
	json_object_set_new(tops, "mlt", mlt_top);

	if (run_queries(db, &user, 0, user_ms, user_top) ||
	    run_queries(db, &mlt, 1, mlt_ms, mlt_top)) {
		json_decref(tops);
		goto cleanup;
	}

	sqlite3_int64 articles = 0;
	sqlite3_stmt *count = NULL;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM ids", -1, &count,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(count) == SQLITE_ROW)
		articles = sqlite3_column_int64(count, 0);
	sqlite3_finalize(count);

	json_t *mlt_summary = summary(mlt_ms, mlt.count);
	json_object_set_new(mlt_summary, "weighted", json_false());
	json_object_set_new(report, "tool", json_string("fts5"));
	json_object_set_new(report, "build_seconds",
			    do_build ? json_real(build_seconds) : json_null());
	json_object_set_new(report, "optimize_seconds",
			    do_build ? json_real(optimize_seconds)
				     : json_null());
	json_object_set_new(report, "articles", json_integer(articles));
	json_object_set_new(report, "user", summary(user_ms, user.count));
	json_object_set_new(report, "mlt", mlt_summary);

	/* Close first so that the size is the checkpointed file. */
	if (sqlite3_close(db) != SQLITE_OK) {
		fprintf(stderr, "%s: closing %s failed: %s\n", prog, db_path,
			sqlite3_errmsg(db));
		json_decref(tops);
		goto cleanup;
	}
	db = NULL;
	char wal[4096];
	snprintf(wal, sizeof wal, "%s-wal", db_path);
	json_object_set_new(report, "db_bytes",
			    json_integer(file_bytes(db_path) + file_bytes(wal)));
	json_object_set_new(report, "top10", tops);

	if (json_dumpf(report, stdout, JSON_COMPACT) != 0 ||
	    fputc('\n', stdout) == EOF || fflush(stdout) != 0) {
		fprintf(stderr, "%s: cannot write to stdout\n", prog);
		goto cleanup;
	}
	rc = 0;
cleanup:
	json_decref(report);
	sqlite3_close(db);
	free(user_ms);
	free(mlt_ms);
	lines_free(&user);
	lines_free(&mlt);
	return rc;
}
