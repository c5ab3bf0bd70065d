/*
 * peer_fts5 -- SQLite FTS5 ingest peer for the Storyline ingest benchmark.
 *
 * Usage: peer_fts5 DB FILE.jsonl
 *
 * Creates   CREATE VIRTUAL TABLE docs USING fts5(title, body,
 *                                 tokenize='porter unicode61')
 * in DB (which should not exist yet; WAL journal, synchronous=NORMAL), then
 * inserts the "title" and "body" of every JSON line of FILE.jsonl in ONE
 * transaction through one prepared statement, and prints
 *
 *   {"articles":N,"bytes":B,"seconds":S}
 *
 * N = rows inserted, B = total bytes of the input lines (newlines included),
 * S = CLOCK_MONOTONIC seconds spent reading + parsing + inserting + COMMIT.
 * Opening the database and creating the table are not timed.
 *
 * Blank lines are ignored.  A line that is not a JSON object is an error;
 * a missing or non-string title/body is stored as "".
 *
 * Build: gcc -O2 bench/peer_fts5.c $(pkg-config --cflags --libs sqlite3 jansson)
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *prog = "peer_fts5";

#include "peer_common.h"


int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s DB FILE.jsonl\n", prog);
        return 2;
    }
    const char *db_path = argv[1];
    const char *in_path = argv[2];

    FILE *in = fopen(in_path, "rb");
    if (!in) {
        fprintf(stderr, "%s: cannot open %s: %s\n", prog, in_path,
                strerror(errno));
        return 1;
    }

    sqlite3 *db = NULL;
    if (sqlite3_open(db_path, &db) != SQLITE_OK) {
        fprintf(stderr, "%s: cannot open database %s: %s\n", prog, db_path,
                db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        fclose(in);
        return 1;
    }

    int rc = 1;
    sqlite3_stmt *ins = NULL;
    char *line = NULL;
    size_t cap = 0;
    long long bytes = 0;
    long articles = 0;
    long lineno = 0;
    int in_txn = 0;

    if (exec_sql(db, "PRAGMA journal_mode=WAL") ||
        exec_sql(db, "PRAGMA synchronous=NORMAL") ||
        exec_sql(db, "CREATE VIRTUAL TABLE docs USING fts5(title, body, "
                     "tokenize='porter unicode61')"))
        goto out;
    if (sqlite3_prepare_v2(db, "INSERT INTO docs(title, body) VALUES (?, ?)",
                           -1, &ins, NULL) != SQLITE_OK) {
        fprintf(stderr, "%s: prepare failed: %s\n", prog, sqlite3_errmsg(db));
        goto out;
    }

    double t0 = now_seconds();
    if (exec_sql(db, "BEGIN"))
        goto out;
    in_txn = 1;

    ssize_t n;
    errno = 0;
    while ((n = getline(&line, &cap, in)) != -1) {
        lineno++;
        bytes += n;
        size_t len = trimmed_length(line, (size_t)n);
        if (len == 0)
            continue;

        json_error_t jerr;
        json_t *obj = json_loadb(line, len, 0, &jerr);
        if (!obj) {
            fprintf(stderr, "%s: %s:%ld: bad JSON: %s (column %d)\n", prog,
                    in_path, lineno, jerr.text, jerr.column);
            goto out;
        }
        if (!json_is_object(obj)) {
            fprintf(stderr, "%s: %s:%ld: line is not a JSON object\n", prog,
                    in_path, lineno);
            json_decref(obj);
            goto out;
        }
        int tlen, blen;
        const char *title = member(obj, "title", &tlen);
        const char *body = member(obj, "body", &blen);
        if (sqlite3_bind_text(ins, 1, title, tlen, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_bind_text(ins, 2, body, blen, SQLITE_STATIC) != SQLITE_OK ||
            sqlite3_step(ins) != SQLITE_DONE) {
            fprintf(stderr, "%s: %s:%ld: insert failed: %s\n", prog, in_path,
                    lineno, sqlite3_errmsg(db));
            json_decref(obj);
            goto out;
        }
        sqlite3_reset(ins);
        sqlite3_clear_bindings(ins);
        json_decref(obj);
        articles++;
        errno = 0;
    }
    if (ferror(in)) {
        fprintf(stderr, "%s: error reading %s: %s\n", prog, in_path,
                strerror(errno ? errno : EIO));
        goto out;
    }
    if (exec_sql(db, "COMMIT"))
        goto out;
    in_txn = 0;
    double seconds = now_seconds() - t0;

    printf("{\"articles\":%ld,\"bytes\":%lld,\"seconds\":%.6f}\n", articles,
           bytes, seconds);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "%s: cannot write to stdout: %s\n", prog,
                strerror(errno));
        goto out;
    }
    rc = 0;

out:
    if (in_txn)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_finalize(ins);
    if (sqlite3_close(db) != SQLITE_OK && rc == 0) {
        fprintf(stderr, "%s: closing %s failed: %s\n", prog, db_path,
                sqlite3_errmsg(db));
        rc = 1;
    }
    free(line);
    fclose(in);
    return rc;
}
