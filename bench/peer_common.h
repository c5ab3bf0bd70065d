/*
 * peer_common.h - helpers the SQLite FTS5 peers share (peer_fts5.c for
 * ingest, peer_fts5_search.c for search). Each peer defines `prog`, its
 * name for messages, before including this.
 */
#ifndef PEER_COMMON_H
#define PEER_COMMON_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <time.h>

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int exec_sql(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "%s: SQL failed: %s: %s\n", prog, sql,
			err ? err : sqlite3_errmsg(db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

/* String member `key` of obj, or "" (length 0) when absent or not a
 * string. */
static const char *member(json_t *obj, const char *key, int *len)
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_string(v) || json_string_length(v) > 0x7fffffffu) {
		*len = 0;
		return "";
	}
	*len = (int)json_string_length(v);
	return json_string_value(v);
}

/* Length of line[0..n) without its trailing white space. */
static size_t trimmed_length(const char *line, size_t n)
{
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' ||
			 line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	return n;
}

#endif
