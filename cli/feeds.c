/*
 * feeds.c - the storyline commands that follow outlets: feeds (add,
 * list, remove, import, export), fetch (one polling round) and run
 * (polling on schedule until told to stop).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define MAX_OPML (16 << 20)

static void fetch_opts(const options *o, sl_fetch_opts *f)
{
	sl_fetch_opts_init(f);
	f->all = o->all;
	f->allow_private = o->allow_private;
	f->fetch_pages = !o->no_pages;
	if (o->host_delay >= 0)
		f->host_delay = o->host_delay;
	if (o->per_host > 0)
		f->per_host = (int)o->per_host;
	if (o->timeout > 0)
		f->timeout = o->timeout;
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

static void print_time(const char *label, int64_t t)
{
	char buf[21];

	if (t == SL_TIME_NONE)
		return;
	sl_time_format(buf, t);
	printf("  %s %s\n", label, buf);
}

static int feeds_list(options *o)
{
	sl_engine *e;
	sl_feed_info *feeds;
	size_t n;

	if (sl_engine_open(&e, o->db, SL_OPEN_READONLY) < 0)
		return env_error();
	if (sl_engine_feeds(e, &feeds, &n) < 0) {
		sl_engine_free(e);
		return env_error();
	}
	if (o->json) {
		char *text = sl_feed_infos_to_json(feeds, n);

		puts(text);
		free(text);
	} else {
		for (size_t i = 0; i < n; i++) {
			const sl_feed_info *f = &feeds[i];

			printf("%lld  %s  [%s]  %lld items\n", (long long)f->id,
			       f->url, or_dash(f->status),
			       (long long)f->items);
			if (f->title || f->outlet)
				printf("  %s%s%s\n", or_dash(f->title),
				       f->outlet ? " · " : "",
				       f->outlet ? f->outlet : "");
			if (f->category)
				printf("  category %s\n", f->category);
			if (f->error)
				printf("  error: %s\n", f->error);
			print_time("last fetched", f->last_fetch);
			print_time("next poll   ", f->next_poll);
		}
		if (!n)
			printf("no feeds: storyline feeds add URL, or feeds "
			       "import FILE.opml\n");
	}
	sl_feed_infos_free(feeds, n);
	sl_engine_free(e);
	return 0;
}

static int feeds_add(options *o)
{
	sl_engine *e;
	sl_fetch_opts fo;
	char **found;
	size_t n;
	int64_t id;
	int rc;

	if (o->n_args != 2)
		return usage_error("%s", "feeds add needs one URL");
	fetch_opts(o, &fo);
	/* Fetched once: a feed is added, a page gives the feeds it links. */
	if (sl_feed_probe(o->args[1], &fo, &found, &n) < 0) {
		fprintf(stderr, "storyline: %s\n", sl_error_last());
		return EXIT_REJECTED;
	}
	if (sl_engine_open(&e, o->db, SL_OPEN_CREATE) < 0) {
		sl_strings_free(found, n);
		return env_error();
	}
	rc = sl_engine_feed_add(e, found[0], o->outlet, NULL, NULL, &id);
	if (rc < 0) {
		sl_strings_free(found, n);
		sl_engine_free(e);
		return env_error();
	}
	if (o->json) {
		json_t *obj = json_object(), *more = json_array();

		json_object_set_new(obj, "id", json_integer(id));
		json_object_set_new(obj, "url", json_string(found[0]));
		json_object_set_new(obj, "new", json_boolean(rc == 0));
		for (size_t i = 1; i < n; i++)
			json_array_append_new(more, json_string(found[i]));
		json_object_set_new(obj, "other_feeds", more);
		print_json(obj);
	} else {
		printf("%s feed %lld: %s\n", rc == 0 ? "following" : "already "
			       "following", (long long)id, found[0]);
		for (size_t i = 1; i < n; i++)
			printf("the page links another feed too: %s\n",
			       found[i]);
	}
	sl_strings_free(found, n);
	sl_engine_free(e);
	return 0;
}

static int feeds_remove(options *o)
{
	sl_engine *e;
	int rc;

	if (o->n_args != 2)
		return usage_error("%s", "feeds remove needs an ID or URL");
	if (sl_engine_open(&e, o->db, 0) < 0)
		return env_error();
	rc = sl_engine_feed_remove(e, o->args[1]);
	if (rc < 0) {
		fprintf(stderr, "storyline: %s\n", sl_error_last());
		sl_engine_free(e);
		return rc == SL_ENOTFOUND ? EXIT_REJECTED : EXIT_ENV;
	}
	if (!o->quiet && !o->json)
		printf("stopped following %s (its articles stay)\n",
		       o->args[1]);
	sl_engine_free(e);
	return 0;
}

static int feeds_import(options *o)
{
	sl_engine *e;
	size_t len, added, known;
	char *opml;
	int rc;

	if (o->n_args != 2)
		return usage_error("%s", "feeds import needs FILE.opml");
	if (!(opml = slurp(o->args[1], MAX_OPML, &len)))
		return EXIT_REJECTED;
	if (sl_engine_open(&e, o->db, SL_OPEN_CREATE) < 0) {
		free(opml);
		return env_error();
	}
	rc = sl_engine_feeds_import(e, opml, len, &added, &known);
	free(opml);
	if (rc < 0) {
		fprintf(stderr, "storyline: %s: %s\n", o->args[1],
			sl_error_last());
		sl_engine_free(e);
		return rc == SL_EINVAL ? EXIT_REJECTED : EXIT_ENV;
	}
	if (o->json) {
		json_t *obj = json_object();

		json_object_set_new(obj, "added", json_integer((long long)added));
		json_object_set_new(obj, "known", json_integer((long long)known));
		print_json(obj);
	} else if (!o->quiet) {
		printf("imported %zu feeds (%zu followed already)\n", added,
		       known);
	}
	sl_engine_free(e);
	return 0;
}

static int feeds_export(options *o)
{
	sl_engine *e;
	char *opml;

	if (sl_engine_open(&e, o->db, SL_OPEN_READONLY) < 0)
		return env_error();
	if (sl_engine_feeds_export(e, &opml) < 0) {
		sl_engine_free(e);
		return env_error();
	}
	fputs(opml, stdout);
	free(opml);
	sl_engine_free(e);
	return 0;
}

int cmd_feeds(options *o)
{
	const char *sub = o->n_args ? o->args[0] : "list";

	if (!strcmp(sub, "list"))
		return feeds_list(o);
	if (!strcmp(sub, "add"))
		return feeds_add(o);
	if (!strcmp(sub, "remove"))
		return feeds_remove(o);
	if (!strcmp(sub, "import"))
		return feeds_import(o);
	if (!strcmp(sub, "export"))
		return feeds_export(o);
	return usage_error("feeds: no subcommand '%s' (add, list, remove, "
			   "import, export)",
			   sub);
}

/* ------------------------------------------------------------------ */
/* fetch, run                                                          */

static volatile int stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

typedef struct progress {
	int live; /* a progress line on the terminal */
	double last;
} progress;

static void on_progress(const sl_fetch_stats *s, size_t total, void *ctx)
{
	progress *p = ctx;
	double t = now_seconds();

	if (!p->live || t - p->last < 0.2)
		return;
	p->last = t;
	fprintf(stderr, "\r%zu/%zu feeds  %zu new  %zu errors\033[K",
		s->fetched + s->not_modified + s->errors, total, s->added,
		s->errors);
}

static void print_stats(const options *o, const sl_fetch_stats *s,
			double seconds)
{
	if (o->json) {
		json_t *obj = json_object();

#define N(k, v) json_object_set_new(obj, k, json_integer((long long)(v)))
		N("feeds", s->feeds);
		N("fetched", s->fetched);
		N("not_modified", s->not_modified);
		N("errors", s->errors);
		N("items", s->items);
		N("new", s->added);
		N("updated", s->updated);
		N("unchanged", s->unchanged);
		N("pages", s->pages);
		N("bad_dates", s->bad_dates);
#undef N
		json_object_set_new(obj, "seconds", json_real(seconds));
		print_json(obj);
		fflush(stdout);
	} else if (!o->quiet) {
		printf("polled %zu feeds (%zu fetched, %zu not modified, %zu "
		       "errors): %zu new articles, %zu updated, %zu pages "
		       "fetched, in %.1f s\n",
		       s->feeds, s->fetched, s->not_modified, s->errors,
		       s->added, s->updated, s->pages, seconds);
		fflush(stdout);
	}
}

/* Which feeds are failing, and why, on standard error. */
static void print_feed_errors(sl_engine *e)
{
	sl_feed_info *feeds;
	size_t n;

	if (sl_engine_feeds(e, &feeds, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (feeds[i].error)
			fprintf(stderr, "storyline: %s: %s\n", feeds[i].url,
				feeds[i].error);
	sl_feed_infos_free(feeds, n);
}

static int one_round(sl_engine *e, options *o, sl_fetch_stats *s)
{
	sl_fetch_opts fo;
	progress p = {0};
	double t0 = now_seconds();
	int rc;

	fetch_opts(o, &fo);
	fo.stop = &stop_requested;
	p.live = isatty(STDERR_FILENO) && !o->quiet && !o->json;
	fo.progress = on_progress;
	fo.ctx = &p;
	rc = sl_engine_fetch(e, &fo, s);
	if (p.live)
		fprintf(stderr, "\r\033[K");
	if (rc < 0)
		return env_error();
	print_stats(o, s, now_seconds() - t0);
	if (s->errors && !o->quiet)
		print_feed_errors(e);
	return 0;
}

int cmd_fetch(options *o)
{
	sl_engine *e;
	sl_fetch_stats s;
	int rc;

	if (o->n_args)
		return usage_error("%s", "fetch takes no arguments");
	if (sl_engine_open(&e, o->db, SL_OPEN_CREATE) < 0)
		return env_error();
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	rc = one_round(e, o, &s);
	sl_engine_free(e);
	if (rc)
		return rc;
	return s.errors ? EXIT_REJECTED : 0;
}

int cmd_run(options *o)
{
	sl_engine *e;
	sl_server *server = NULL;
	struct sigaction sa = {0};

	if (o->n_args)
		return usage_error("%s", "run takes no arguments");
	if (sl_engine_open(&e, o->db, SL_OPEN_CREATE) < 0)
		return env_error();
	/* Readers are served while the rounds run: each takes its turn on
	 * the engine for a request or one feed's items. */
	if (!o->no_serve) {
		int rc = serve_start(o, e, &server);

		if (rc) {
			sl_engine_free(e);
			return rc;
		}
	}
	/* No SA_RESTART: a signal ends the wait at once. */
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (!o->quiet && !o->json)
		fprintf(stderr, "storyline: polling feeds until SIGINT or "
				"SIGTERM\n");
	while (!stop_requested) {
		sl_fetch_stats s;
		int64_t wait;
		int rc = one_round(e, o, &s);

		if (rc) {
			sl_server_stop(server);
			sl_engine_free(e);
			return rc;
		}
		o->all = 0; /* later rounds: only what is due */
		wait = sl_engine_next_poll(e);
		if (wait < 0 || wait > 300)
			wait = wait < 0 ? 60 : 300; /* new feeds get noticed */
		while (!stop_requested && wait-- > 0)
			sleep(1);
	}
	sl_server_stop(server);
	if (!o->quiet && !o->json)
		fprintf(stderr, "storyline: stopped\n");
	sl_engine_free(e);
	return 0;
}
