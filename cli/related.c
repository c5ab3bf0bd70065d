/*
 * related.c - storyline related: the rail under one article, or under
 * every stored article (--all, the evaluations' input).
 *
 * --all lists the stored articles, then computes their rails on as many
 * threads as the process may run on (--threads N to choose): each thread
 * takes the next article of a window of them, and the rails are printed
 * in store order once the window is done, so the output is the same
 * whatever the number of threads. A rail that fails (an article removed
 * meanwhile) is reported on stderr, naming the article; the others are
 * still printed, and the exit status says that one failed.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define WINDOW_PER_THREAD 256 /* rails per thread between prints */
#define MAX_THREADS	  64

static void print_rail_text(FILE *f, const sl_related *r)
{
	fprintf(f, "%s: %zu related\n", r->id, r->n_items);
	for (size_t i = 0; i < r->n_items; i++) {
		const sl_related_item *it = &r->items[i];
		char when[21] = "date unknown";

		if (it->published != SL_TIME_NONE)
			sl_time_format(when, it->published);
		fprintf(f, "\n%zu. %s%s\n   %s · %s", i + 1,
			it->title ? it->title : "(untitled)",
			it->same_story	 ? "  [more on this story]" :
			it->top_story	 ? "  [top story]" :
			it->same_subject ? "  [same subject]" :
					   "",
			it->outlet ? it->outlet : "?", when);
		if (it->other_outlets)
			fprintf(f, " · %zu more outlet%s", it->other_outlets,
				it->other_outlets == 1 ? "" : "s");
		if (it->n_why) {
			fprintf(f, "\n   why:");
			for (size_t k = 0; k < it->n_why; k++)
				fprintf(f, "%s %s", k ? "," : "", it->why[k]);
		}
		fprintf(f, "\n");
	}
}

/* The rail under id as it is printed (a JSON line, or text), into *out;
 * 0, or < 0 with the library's message. */
static int rail_text(sl_engine *e, const char *id, const sl_related_opts *o,
		     int json, char **out)
{
	sl_related *r;
	int rc = sl_engine_related(e, id, o, &r);

	*out = NULL;
	if (rc < 0)
		return rc;
	if (json) {
		char *text = sl_related_to_json(r);
		size_t n = strlen(text);

		*out = realloc(text, n + 2);
		if (!*out) {
			free(text);
			sl_related_free(r);
			return SL_ENOMEM;
		}
		memcpy(*out + n, "\n", 2);
	} else {
		size_t n;
		FILE *f = open_memstream(out, &n);

		if (!f) {
			sl_related_free(r);
			return SL_ENOMEM;
		}
		print_rail_text(f, r);
		fclose(f);
	}
	sl_related_free(r);
	return 0;
}

/* --all: the ids, a window of them, and what each rail came to. */
typedef struct rails {
	sl_engine *e;
	const sl_related_opts *opts;
	int json;
	char **ids;
	size_t n_ids, cap;
	size_t from, to; /* the window */
	size_t next;	 /* the next id to take, atomic */
	char **text;	 /* per id of the window: the rail */
	int *rc;	 /* ... or why not */
	char **err;
} rails;

static int list_id(const sl_article *a, void *ctx)
{
	rails *r = ctx;

	if (r->n_ids == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 1024;
		char **ids = realloc(r->ids, cap * sizeof(*ids));

		if (!ids)
			return 1;
		r->ids = ids;
		r->cap = cap;
	}
	if (!(r->ids[r->n_ids] = strdup(a->id)))
		return 1;
	r->n_ids++;
	return 0;
}

/* The rail of the window's i-th id, into its place. */
static void rail_at(rails *r, size_t i)
{
	size_t k = i - r->from;

	r->rc[k] = rail_text(r->e, r->ids[i], r->opts, r->json, &r->text[k]);
	if (r->rc[k] < 0)
		r->err[k] = strdup(sl_error_last());
}

static void *rail_worker(void *arg)
{
	rails *r = arg;
	size_t i;

	while ((i = __atomic_fetch_add(&r->next, 1, __ATOMIC_RELAXED)) <
	       r->to)
		rail_at(r, i);
	return NULL;
}

/* The threads this process may run on, or as asked. */
static size_t thread_count(const options *o, size_t n_ids)
{
	size_t n = 1;
	cpu_set_t set;

	if (o->threads > 0)
		n = (size_t)o->threads;
	else if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = (size_t)CPU_COUNT(&set);
	if (n > MAX_THREADS)
		n = MAX_THREADS;
	if (n > n_ids)
		n = n_ids;
	return n ? n : 1;
}

static int rails_all(sl_engine *e, const options *o,
		     const sl_related_opts *opts)
{
	rails r = {.e = e, .opts = opts, .json = o->json};
	pthread_t tid[MAX_THREADS];
	size_t threads, window;
	int rc, failed = 0;

	if ((rc = sl_engine_foreach(e, 0, list_id, &r)) != 0) {
		fprintf(stderr, "storyline: listing the articles: %s\n",
			rc < 0 ? sl_error_last() : "out of memory");
		for (size_t i = 0; i < r.n_ids; i++)
			free(r.ids[i]);
		free(r.ids);
		return rc < 0 ? rc : SL_ENOMEM;
	}
	threads = thread_count(o, r.n_ids);
	window = threads * WINDOW_PER_THREAD;
	r.text = calloc(window, sizeof(*r.text));
	r.rc = calloc(window, sizeof(*r.rc));
	r.err = calloc(window, sizeof(*r.err));
	if (!r.text || !r.rc || !r.err) {
		fprintf(stderr, "storyline: out of memory\n");
		rc = SL_ENOMEM;
	}
	/* The first rail on this thread: the index is loaded (or built)
	 * before the others share it. */
	for (r.from = 0; rc == 0 && r.from < r.n_ids; r.from = r.to) {
		size_t started = 0;

		r.to = r.from + window < r.n_ids ? r.from + window : r.n_ids;
		r.next = r.from;
		if (r.from == 0)
			rail_at(&r, r.next++);
		for (; started + 1 < threads; started++)
			if (pthread_create(&tid[started], NULL, rail_worker,
					   &r) != 0)
				break;
		rail_worker(&r);
		for (size_t t = 0; t < started; t++)
			pthread_join(tid[t], NULL);
		for (size_t i = r.from; i < r.to; i++) {
			size_t k = i - r.from;

			if (r.rc[k] < 0) {
				fprintf(stderr, "storyline: related %s: %s\n",
					r.ids[i], r.err[k] ? r.err[k] : "");
				if (!failed || r.rc[k] != SL_ENOTFOUND)
					failed = r.rc[k];
			} else {
				fputs(r.text[k], stdout);
			}
			free(r.text[k]);
			free(r.err[k]);
			r.text[k] = r.err[k] = NULL;
		}
	}
	for (size_t i = 0; i < r.n_ids; i++)
		free(r.ids[i]);
	free(r.ids);
	free(r.text);
	free(r.rc);
	free(r.err);
	return rc < 0 ? rc : failed;
}

int cmd_related(options *o)
{
	sl_related_opts opts;
	sl_engine *e;
	char *text;
	int rc;

	if ((o->all && o->n_args) || (!o->all && o->n_args != 1))
		return usage_error("%s", "related needs one article ID, or "
					 "--all");
	sl_related_opts_init(&opts);
	if (o->limit)
		opts.limit = (size_t)o->limit;
	if (o->window) {
		long long w = parse_duration(o->window);

		if (w < 0)
			return usage_error("--window takes a duration such as "
					   "7d or 36h, not '%s'", o->window);
		opts.window = w;
	}
	opts.fill_top = o->fill;
	if (sl_engine_open(&e, o->db, SL_OPEN_READONLY) < 0)
		return env_error();
	if (o->all) {
		rc = rails_all(e, o, &opts);
		if (rc < 0) { /* what failed is said above */
			sl_engine_free(e);
			return rc == SL_ENOTFOUND ? EXIT_REJECTED : EXIT_ENV;
		}
	} else {
		if ((rc = rail_text(e, o->args[0], &opts, o->json, &text)) < 0)
			return lookup_failed(e, rc);
		fputs(text, stdout);
		free(text);
	}
	sl_engine_free(e);
	return 0;
}
