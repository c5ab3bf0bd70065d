/*
 * cli.h - what the storyline command's files share: the parsed options,
 * the exit codes and the output helpers (main.c), and the commands that
 * live outside main.c.
 */
#ifndef SL_CLI_H
#define SL_CLI_H

#include <jansson.h>

#include "storyline.h"

enum { EXIT_REJECTED = 1, EXIT_USAGE = 2, EXIT_ENV = 3 };

#define DEFAULT_DB "./storyline.db"
#define DEFAULT_BATCH 1000

typedef struct options {
	const char *db;
	int json;
	int help;
	int quiet;
	long batch;
	long long after_seq;
	long limit, offset;
	const char *since, *until, *outlet, *lang, *sort, *pairs, *window;
	const char *url, *charset;
	int allow_private, no_pages, no_serve;
	double host_delay; /* < 0: the library's default */
	long per_host;
	long timeout;      /* seconds for a response; 0: the default */
	const char *bind, *token_file;
	long port;         /* -1: the default */
	double rate;       /* requests/s per address; < 0: the default */
	long per_ip;       /* connections per address; < 0: the default */
	long threads;
	int all, fill, all_copies;
	const char **args; /* the non-option arguments */
	int n_args;
} options;

int usage_error(const char *fmt, const char *arg);
int env_error(void);
/* A lookup that failed: exit 1 when what was asked for is not there, 3
 * when the store could not answer. Frees the engine. */
int lookup_failed(sl_engine *e, int rc);
double now_seconds(void);
void print_json(json_t *obj);
json_t *json_time(int64_t t);
long long parse_duration(const char *text);
/* The whole of a file ("-": standard input), at most max bytes, with a
 * message naming it when it cannot be read. Caller frees. */
char *slurp(const char *path, size_t max, size_t *len);

/* feeds.c */
int cmd_feeds(options *o);
int cmd_fetch(options *o);
int cmd_run(options *o);

/* related.c */
int cmd_related(options *o);

/* serve.c */
int cmd_serve(options *o);
/* Start serving e as the options say, printing the address; 0, or an
 * exit code after saying why. */
int serve_start(options *o, sl_engine *e, sl_server **out);

#endif
