/*
 * serve.c - storyline serve: the JSON API and the web pages over HTTP
 * until SIGINT or SIGTERM, then a clean stop (requests in flight finish,
 * the database closes).
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

int cmd_serve(options *o)
{
	sl_engine *e;
	sl_server *s;
	sl_serve_opts so;
	struct sigaction sa = {0};
	char *token;

	if (o->n_args)
		return usage_error("%s", "serve takes no arguments");
	token = read_token(o);
	if (o->token_file && !token) {
		fprintf(stderr, "storyline: %s: no token in it\n",
			o->token_file);
		return EXIT_USAGE;
	}
	if (sl_engine_open(&e, o->db, SL_OPEN_CREATE) < 0) {
		free(token);
		return env_error();
	}
	sl_serve_opts_init(&so);
	if (o->bind)
		so.bind = o->bind;
	if (o->port >= 0)
		so.port = (int)o->port;
	if (o->threads > 0)
		so.threads = (int)o->threads;
	so.token = token;
	if (sl_server_start(&s, e, &so) < 0) {
		free(token);
		sl_engine_free(e);
		return env_error();
	}
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	printf("storyline: serving %s on http://%s%s%s:%d/ (writes %s)\n",
	       o->db, strchr(so.bind, ':') ? "[" : "", so.bind,
	       strchr(so.bind, ':') ? "]" : "", sl_server_port(s),
	       token ? "with the token" : "off");
	fflush(stdout);
	while (!stopping)
		pause();
	sl_server_stop(s);
	sl_engine_free(e);
	free(token);
	if (!o->quiet)
		fprintf(stderr, "storyline: stopped\n");
	return 0;
}
