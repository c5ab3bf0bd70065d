/*
 * serve.c - storyline serve: the JSON API and the web pages over HTTP
 * until SIGINT or SIGTERM, then a clean stop (requests in flight finish,
 * the database closes). serve_start is shared with `run`.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define MAX_TOKEN 4096

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

/* The write token: $STORYLINE_TOKEN, else the first line of
 * --token-file. NULL when neither (writes are off). */
static char *read_token(const options *o)
{
	const char *env = getenv("STORYLINE_TOKEN");
	size_t len;
	char *data, *nl;

	if (env && *env)
		return strdup(env);
	if (!o->token_file)
		return NULL;
	if (!(data = slurp(o->token_file, MAX_TOKEN, &len)))
		return NULL;
	if ((nl = strpbrk(data, "\r\n")))
		*nl = '\0';
	if (!*data) {
		free(data);
		return NULL;
	}
	return data;
}

int serve_start(options *o, sl_engine *e, sl_server **out)
{
	sl_serve_opts so;
	char *token = read_token(o);
	int rc;

	*out = NULL;
	if (o->token_file && !token) {
		fprintf(stderr, "storyline: %s: no token in it\n",
			o->token_file);
		return EXIT_USAGE;
	}
	sl_serve_opts_init(&so);
	if (o->bind)
		so.bind = o->bind;
	if (o->port >= 0)
		so.port = (int)o->port;
	if (o->threads > 0)
		so.threads = (int)o->threads;
	if (o->rate >= 0)
		so.rate = o->rate;
	if (o->per_ip >= 0)
		so.per_ip = (int)o->per_ip;
	so.token = token;
	rc = sl_server_start(out, e, &so); /* keeps its own copy */
	if (rc < 0) {
		fprintf(stderr, "storyline: %s\n", sl_error_last());
		rc = EXIT_ENV;
	} else {
		printf("storyline: serving %s on http://%s%s%s:%d/ (writes "
		       "%s)\n",
		       o->db, strchr(so.bind, ':') ? "[" : "", so.bind,
		       strchr(so.bind, ':') ? "]" : "", sl_server_port(*out),
		       token ? "with the token" : "off");
		fflush(stdout);
	}
	free(token);
	return rc;
}

int cmd_serve(options *o)
{
	sl_engine *e;
	sl_server *s;
	struct sigaction sa = {0};
	int rc;

	if (o->n_args)
		return usage_error("%s", "serve takes no arguments");
	if (sl_engine_open(&e, o->db, SL_OPEN_CREATE) < 0)
		return env_error();
	if ((rc = serve_start(o, e, &s)) != 0) {
		sl_engine_free(e);
		return rc;
	}
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stopping)
		pause();
	sl_server_stop(s);
	sl_engine_free(e);
	if (!o->quiet)
		fprintf(stderr, "storyline: stopped\n");
	return 0;
}
