/*
 * main.c - the storyline command: argument parsing and output over
 * libstoryline, nothing more.
 *
 * Exit codes (DESIGN.md): 0 success, 1 some inputs rejected (the others
 * kept), 2 usage error, 3 environment error (database, network).
 */
#include <errno.h>
#include <jansson.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "storyline.h"

#include "cli.h"

typedef struct command {
	const char *name;
	int (*run)(options *o);
	const char *usage;
	const char *help;
} command;

static const command *find_command(const char *name);
static int parse_long(const char *text, long long min, long long *out);

int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "storyline: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'storyline help'.\n");
	return EXIT_USAGE;
}

int env_error(void)
{
	fprintf(stderr, "storyline: %s\n", sl_error_last());
	return EXIT_ENV;
}

int lookup_failed(sl_engine *e, int rc)
{
	int code = rc == SL_ENOTFOUND ? EXIT_REJECTED : EXIT_ENV;

	fprintf(stderr, "storyline: %s\n", sl_error_last());
	sl_engine_free(e);
	return code;
}

double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void print_json(json_t *obj)
{
	char *text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);

	puts(text);
	free(text);
	json_decref(obj);
}

json_t *json_time(int64_t t)
{
	char buf[21];

	if (t == SL_TIME_NONE)
		return json_null();
	sl_time_format(buf, t);
	return json_string(buf);
}

/* ------------------------------------------------------------------ */
/* ingest                                                              */

typedef struct ingest_state {
	options *o;
	sl_engine *engine;
	long stored, added, updated, unchanged, rejected;
	long in_batch;
	double started, batch_started, last_progress;
	int progress; /* a live progress line on the terminal */
	char last_id[256];
	char through[512];
} ingest_state;

static void progress_line(ingest_state *st, int final)
{
	double t = now_seconds();
	double elapsed = t - st->started;

	if (!st->progress || (!final && t - st->last_progress < 0.25))
		return;
	st->last_progress = t;
	fprintf(stderr, "\r%ld articles  %.0f/s  %ld rejected\033[K",
		st->stored, elapsed > 0 ? (double)st->stored / elapsed : 0.0,
		st->rejected);
	if (final)
		fprintf(stderr, "\r\033[K");
}

static int commit_batch(ingest_state *st)
{
	if (!st->in_batch)
		return 0;
	if (sl_engine_commit(st->engine) < 0)
		return -1;
	st->in_batch = 0;
	if (st->o->json) {
		json_t *ack = json_object();

		/* An acknowledgement: everything up to here is durable. */
		json_object_set_new(ack, "committed", json_integer(st->stored));
		json_object_set_new(ack, "last_id", json_string(st->last_id));
		json_object_set_new(ack, "through", json_string(st->through));
		print_json(ack);
		fflush(stdout);
	}
	return 0;
}

static int ingest_one(ingest_state *st, sl_article *a)
{
	sl_add_status status;

	if (!st->in_batch) {
		if (sl_engine_begin(st->engine) < 0)
			return -1;
		st->in_batch = 1;
		st->batch_started = now_seconds();
	}
	if (sl_engine_add(st->engine, a, &status) < 0)
		return -1;
	st->stored++;
	st->added += status == SL_ADD_NEW;
	st->updated += status == SL_ADD_UPDATED;
	st->unchanged += status == SL_ADD_UNCHANGED;
	snprintf(st->last_id, sizeof(st->last_id), "%s", a->id);
	return 0;
}

/* ------------------------------------------------------------------ */
/* HTML pages                                                          */

#define MAX_PAGE (16 << 20)

/* The whole of a file ("-": standard input), at most max bytes. */
char *slurp(const char *path, size_t max, size_t *len)
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char *data = NULL;
	size_t cap = 0, n = 0;

	if (!fp) {
		fprintf(stderr, "storyline: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			cap = cap ? cap * 2 : 1 << 16;
			data = realloc(data, cap + 1);
			if (!data)
				abort();
		}
		got = fread(data + n, 1, cap - n, fp);
		n += got;
		if (n > max) {
			fprintf(stderr, "storyline: %s: over %zu bytes\n",
				path, max);
			free(data);
			data = NULL;
			break;
		}
		if (got == 0) {
			if (ferror(fp)) {
				fprintf(stderr, "storyline: %s: %s\n", path,
					strerror(errno));
				free(data);
				data = NULL;
			}
			break;
		}
	}
	if (data)
		data[n] = '\0';
	if (fp != stdin)
		fclose(fp);
	*len = n;
	return data;
}

/* What a file to ingest holds: by its name, else by its first bytes. */
enum { FILE_JSONL, FILE_HTML, FILE_FEED };

static int has_suffix(const char *path, const char *const *suffixes)
{
	const char *dot = strrchr(path, '.');

	for (; dot && *suffixes; suffixes++)
		if (!strcasecmp(dot, *suffixes))
			return 1;
	return 0;
}

static int file_kind(const char *path)
{
	static const char *const html[] = {".html", ".htm", ".xhtml", NULL};
	static const char *const feeds[] = {".xml", ".rss", ".atom", ".rdf",
					    NULL};
	char head[1024];
	const char *c = head;
	size_t n;
	FILE *fp;

	if (has_suffix(path, html))
		return FILE_HTML;
	if (has_suffix(path, feeds))
		return FILE_FEED;
	if (!strcmp(path, "-") || !(fp = fopen(path, "rb")))
		return FILE_JSONL;
	n = fread(head, 1, sizeof(head) - 1, fp);
	fclose(fp);
	head[n] = '\0';
	if (strstr(head, "<rss") || strstr(head, "<feed") ||
	    strstr(head, "<rdf:RDF") || strstr(head, "jsonfeed.org/version"))
		return FILE_FEED;
	while (*c == ' ' || *c == '\n' || *c == '\r' || *c == '\t')
		c++;
	return *c == '<' ? FILE_HTML : FILE_JSONL;
}

/* Extract one page; 0 with *out set, or -1 after saying why. */
static int extract_file(options *o, const char *path, sl_extracted *out)
{
	sl_extract_opts opts;
	size_t len;
	char *html = slurp(path, MAX_PAGE, &len);
	int rc;

	if (!html)
		return -1;
	sl_extract_opts_init(&opts);
	opts.url = o->url;
	opts.charset = o->charset;
	opts.max_bytes = MAX_PAGE;
	rc = sl_extract(out, html, len, &opts);
	free(html);
	if (rc < 0) {
		fprintf(stderr, "storyline: %s: %s\n", path, sl_error_last());
		return -1;
	}
	return 0;
}

static int ingest_html(ingest_state *st, const char *path)
{
	sl_extracted x;
	int rc;

	if (extract_file(st->o, path, &x) < 0) {
		st->rejected++;
		return 0;
	}
	if (!x.readerable || !x.article->body_text) {
		fprintf(stderr, "storyline: %s: no article in the page\n",
			path);
		st->rejected++;
		sl_extracted_clear(&x);
		return 0;
	}
	if (!x.article->url) {
		fprintf(stderr, "storyline: %s: the page names no address of "
				"its own: give it with --url\n",
			path);
		st->rejected++;
		sl_extracted_clear(&x);
		return 0;
	}
	rc = ingest_one(st, x.article);
	snprintf(st->through, sizeof(st->through), "%s", path);
	sl_extracted_clear(&x);
	return rc;
}

static int ingest_feed_file(ingest_state *st, const char *path)
{
	sl_article **items;
	size_t len, n;
	char *data = slurp(path, MAX_PAGE, &len);
	int rc = 0;

	if (!data) {
		st->rejected++;
		return 0;
	}
	if (sl_feed_articles(&items, &n, data, len, st->o->url) < 0) {
		fprintf(stderr, "storyline: %s: %s\n", path, sl_error_last());
		st->rejected++;
		free(data);
		return 0;
	}
	free(data);
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = ingest_one(st, items[i]);
		snprintf(st->through, sizeof(st->through), "%s:%zu", path,
			 i + 1);
	}
	sl_articles_free(items, n);
	return rc;
}

static int ingest_file(ingest_state *st, const char *path)
{
	sl_reader *r;
	sl_article *a;
	int rc;

	if (sl_reader_open(&r, path) < 0) {
		fprintf(stderr, "storyline: %s\n", sl_error_last());
		st->rejected++;
		return 0;
	}
	while ((rc = sl_reader_next(r, &a)) != 0) {
		if (rc < 0) {
			if (st->progress)
				fprintf(stderr, "\r\033[K");
			fprintf(stderr, "storyline: %s\n", sl_error_last());
			st->rejected++;
			if (rc == SL_EIO)
				break;
			continue;
		}
		rc = ingest_one(st, a);
		snprintf(st->through, sizeof(st->through), "%s:%ld", path,
			 sl_reader_line(r));
		sl_article_free(a);
		if (rc < 0) {
			sl_reader_free(r);
			return -1;
		}
		if (st->in_batch >= 1 &&
		    (st->stored % st->o->batch == 0 ||
		     now_seconds() - st->batch_started > 1.0) &&
		    commit_batch(st) < 0) {
			sl_reader_free(r);
			return -1;
		}
		progress_line(st, 0);
	}
	sl_reader_free(r);
	return 0;
}

/* Say so when the store's stories were placed under older rules: new
 * articles join them under the new ones until a restory. */
static void warn_stale_stories(sl_engine *e, const char *db)
{
	sl_stats s;

	if (sl_engine_stats(e, &s) < 0)
		return;
	if (!s.stories_current)
		fprintf(stderr,
			"storyline: the stories in %s were placed under older "
			"rules; `storyline --db %s restory` places them again\n",
			db, db);
	sl_stats_clear(&s);
}

static int cmd_ingest(options *o)
{
	ingest_state st = {0};
	const char *stdin_only[] = {"-"};
	const char **files = o->args;
	int n_files = o->n_args, failed = 0;
	size_t late;

	if (n_files == 0) {
		if (isatty(STDIN_FILENO))
			return usage_error("%s", "ingest needs FILE... or -");
		files = stdin_only;
		n_files = 1;
	}
	st.o = o;
	st.started = now_seconds();
	st.progress = isatty(STDERR_FILENO) && !o->quiet && !o->json;
	if (sl_engine_open(&st.engine, o->db, SL_OPEN_CREATE) < 0)
		return env_error();
	if (o->url && n_files != 1)
		return usage_error("%s", "--url names one page: give one FILE");
	for (int i = 0; i < n_files && !failed; i++) {
		int kind = file_kind(files[i]);

		failed = (kind == FILE_FEED   ? ingest_feed_file(&st, files[i])
			  : kind == FILE_HTML ? ingest_html(&st, files[i])
					      : ingest_file(&st, files[i])) < 0;
	}
	if (!failed && commit_batch(&st) < 0)
		failed = 1;
	progress_line(&st, 1);
	if (failed) {
		/* The open batch is rolled back; committed ones stay. */
		fprintf(stderr, "storyline: %s\n", sl_error_last());
		sl_engine_free(st.engine);
		return EXIT_ENV;
	}
	warn_stale_stories(st.engine, o->db);
	late = sl_engine_late(st.engine);
	if (late)
		fprintf(stderr,
			"storyline: %zu article%s came more than the story "
			"window behind newer news already stored: `storyline "
			"--db %s restory` places everything in publication "
			"order\n",
			late, late == 1 ? "" : "s", o->db);
	sl_engine_free(st.engine);

	double seconds = now_seconds() - st.started;

	if (o->json) {
		json_t *sum = json_object();

		json_object_set_new(sum, "stored", json_integer(st.stored));
		json_object_set_new(sum, "new", json_integer(st.added));
		json_object_set_new(sum, "updated", json_integer(st.updated));
		json_object_set_new(sum, "unchanged",
				    json_integer(st.unchanged));
		json_object_set_new(sum, "rejected", json_integer(st.rejected));
		json_object_set_new(sum, "late", json_integer((json_int_t)late));
		json_object_set_new(sum, "seconds", json_real(seconds));
		print_json(sum);
	} else if (!o->quiet) {
		printf("stored %ld articles (%ld new, %ld updated, %ld "
		       "unchanged), %ld rejected, in %.2f s\n",
		       st.stored, st.added, st.updated, st.unchanged,
		       st.rejected, seconds);
	}
	return st.rejected ? EXIT_REJECTED : 0;
}

/* ------------------------------------------------------------------ */
/* get, export                                                         */

static void print_article_text(const sl_article *a)
{
	char when[21] = "date unknown";

	if (a->published != SL_TIME_NONE)
		sl_time_format(when, a->published);
	printf("%s\n", a->title ? a->title : "(untitled)");
	if (a->byline && a->outlet)
		printf("%s - %s\n", a->byline, a->outlet);
	else if (a->byline || a->outlet)
		printf("%s\n", a->byline ? a->byline : a->outlet);
	printf("%s · %d min read · %s", when, a->reading_minutes,
	       a->lang ? a->lang : "?");
	if (a->id) /* an extracted page has none until it is stored */
		printf(" · id %s", a->id);
	printf("\n");
	if (a->url)
		printf("%s\n", a->url);
	for (size_t i = 0; i < a->n_captions; i++)
		printf("[%s]\n", a->captions[i]);
	if (a->body_text)
		printf("\n%s\n", a->body_text);
}

static int cmd_get(options *o)
{
	sl_engine *e;
	sl_article *a;
	int rc;

	if (o->n_args != 1)
		return usage_error("%s", "get needs exactly one ID");
	if (sl_engine_open(&e, o->db, SL_OPEN_READONLY) < 0)
		return env_error();
	rc = sl_engine_get(e, o->args[0], &a);
	if (rc < 0)
		return lookup_failed(e, rc);
	if (o->json) {
		char *text = sl_article_to_json(a, SL_JSON_FULL);

		puts(text);
		free(text);
	} else {
		print_article_text(a);
	}
	sl_article_free(a);
	sl_engine_free(e);
	return 0;
}

static int export_one(const sl_article *a, void *ctx)
{
	char *text = sl_article_to_json(a, 0);
	int *write_errno = ctx;

	if (puts(text) == EOF)
		*write_errno = errno ? errno : EIO;
	free(text);
	return *write_errno ? 1 : 0;
}

static int cmd_export(options *o)
{
	sl_engine *e;
	int rc, write_errno = 0;

	if (o->n_args)
		return usage_error("unexpected argument '%s'", o->args[0]);
	if (sl_engine_open(&e, o->db, SL_OPEN_READONLY) < 0)
		return env_error();
	rc = sl_engine_foreach(e, o->after_seq, export_one, &write_errno);
	sl_engine_free(e);
	if (rc < 0)
		return env_error();
	if (!write_errno && fflush(stdout) != 0)
		write_errno = errno;
	if (write_errno == EPIPE) /* the reader has all it wanted */
		return 0;
	if (write_errno) {
		fprintf(stderr, "storyline: export: %s\n",
			strerror(write_errno));
		return EXIT_ENV;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* search                                                              */

/* Snippets are HTML; on a terminal, matches show in bold. */
static void print_snippet(const char *html, int tty)
{
	static const struct {
		const char *entity, *text;
	} entities[] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"},
			{"&quot;", "\""}, {"&#39;", "'"}};

	for (const char *p = html; *p;) {
		size_t i;

		if (!strncmp(p, "<b>", 3) || !strncmp(p, "</b>", 4)) {
			if (tty)
				fputs(p[1] == 'b' ? "\033[1m" : "\033[0m",
				      stdout);
			p += p[1] == 'b' ? 3 : 4;
			continue;
		}
		for (i = 0; i < sizeof(entities) / sizeof(entities[0]); i++)
			if (!strncmp(p, entities[i].entity,
				     strlen(entities[i].entity)))
				break;
		if (i < sizeof(entities) / sizeof(entities[0])) {
			fputs(entities[i].text, stdout);
			p += strlen(entities[i].entity);
		} else {
			putchar(*p++);
		}
	}
}

static int parse_time_option(const char *name, const char *text,
			     int64_t *out)
{
	if (text && sl_time_parse_bound(out, text, !strcmp(name, "--until")) <
			    0) {
		fprintf(stderr, "storyline: %s: %s\n", name, sl_error_last());
		return -1;
	}
	return 0;
}

static int cmd_search(options *o)
{
	sl_search_opts opts;
	sl_search_result *r;
	sl_engine *e;
	int rc;

	if (o->n_args != 1)
		return usage_error("%s", "search needs one QUERY (quote it)");
	sl_search_opts_init(&opts);
	if (o->limit)
		opts.limit = (size_t)o->limit;
	opts.offset = (size_t)o->offset;
	opts.outlet = o->outlet;
	opts.lang = o->lang;
	if (o->sort && strcmp(o->sort, "time") && strcmp(o->sort, "relevance"))
		return usage_error("--sort takes time or relevance, not '%s'",
				   o->sort);
	opts.by_time = o->sort && !strcmp(o->sort, "time");
	opts.all_copies = o->all_copies;
	if (parse_time_option("--since", o->since, &opts.since) < 0 ||
	    parse_time_option("--until", o->until, &opts.until) < 0)
		return EXIT_USAGE;
	if (sl_engine_open(&e, o->db, SL_OPEN_READONLY) < 0)
		return env_error();
	rc = sl_engine_search(e, o->args[0], &opts, &r);
	if (rc == SL_EINVAL) {
		fprintf(stderr, "storyline: search: %s\n", sl_error_last());
		sl_engine_free(e);
		return EXIT_USAGE;
	}
	if (rc < 0) {
		sl_engine_free(e);
		return env_error();
	}
	if (o->json) {
		char *text = sl_search_result_to_json(r, o->args[0]);

		puts(text);
		free(text);
	} else {
		int tty = isatty(STDOUT_FILENO);

		printf("%s%zu results\n", r->total_exact ? "" : "about ",
		       r->total);
		for (size_t i = 0; i < r->n_hits; i++) {
			const sl_search_hit *h = &r->hits[i];
			char when[21] = "date unknown";

			if (h->published != SL_TIME_NONE)
				sl_time_format(when, h->published);
			printf("\n%zu. %s\n   %s · %s · %s",
			       opts.offset + i + 1,
			       h->title ? h->title : "(untitled)",
			       h->outlet ? h->outlet : "?", when, h->id);
			if (h->copies)
				printf(" · and %zu cop%s", h->copies,
				       h->copies == 1 ? "y" : "ies");
			printf("\n   ");
			print_snippet(h->snippet, tty);
			printf("\n");
		}
	}
	sl_search_result_free(r);
	sl_engine_free(e);
	return 0;
}

/* ------------------------------------------------------------------ */
/* stats                                                               */

static int cmd_stats(options *o)
{
	sl_engine *e;
	sl_stats s;

	if (o->n_args)
		return usage_error("unexpected argument '%s'", o->args[0]);
	if (sl_engine_open(&e, o->db, SL_OPEN_READONLY) < 0)
		return env_error();
	if (sl_engine_stats(e, &s) < 0) {
		sl_engine_free(e);
		return env_error();
	}
	if (o->json) {
		json_t *obj = json_object(), *langs = json_object();

		json_object_set_new(obj, "database", json_string(o->db));
		json_object_set_new(obj, "articles", json_integer(s.articles));
		json_object_set_new(obj, "outlets", json_integer(s.outlets));
		json_object_set_new(obj, "first_published",
				    json_time(s.first_published));
		json_object_set_new(obj, "last_published",
				    json_time(s.last_published));
		json_object_set_new(obj, "max_seq", json_integer(s.max_seq));
		json_object_set_new(obj, "db_bytes", json_integer(s.db_bytes));
		json_object_set_new(obj, "schema_version",
				    json_integer(s.schema_version));
		json_object_set_new(obj, "stories_current",
				    json_boolean(s.stories_current));
		for (size_t i = 0; i < s.n_langs; i++)
			json_object_set_new(langs, s.langs[i].lang,
					    json_integer(s.langs[i].articles));
		json_object_set_new(obj, "languages", langs);
		print_json(obj);
	} else {
		char first[21] = "-", last[21] = "-";

		if (s.first_published != SL_TIME_NONE) {
			sl_time_format(first, s.first_published);
			sl_time_format(last, s.last_published);
		}
		printf("database   %s (%.1f MB, schema %d)\n", o->db,
		       (double)s.db_bytes / 1e6, s.schema_version);
		printf("articles   %lld\n", (long long)s.articles);
		printf("outlets    %lld\n", (long long)s.outlets);
		printf("published  %s .. %s\n", first, last);
		printf("sequence   %lld\n", (long long)s.max_seq);
		printf("stories    %s\n",
		       s.stories_current ?
			       "current" :
			       "placed under older rules (run restory)");
		printf("languages ");
		for (size_t i = 0; i < s.n_langs; i++)
			printf(" %s %lld%s", s.langs[i].lang[0] ?
						     s.langs[i].lang : "?",
			       (long long)s.langs[i].articles,
			       i + 1 < s.n_langs ? "," : "");
		printf("\n");
	}
	sl_stats_clear(&s);
	sl_engine_free(e);
	return 0;
}

/* ------------------------------------------------------------------ */
/* help, version                                                       */

/* ------------------------------------------------------------------ */
/* stories, story, similarity, restory                                 */

static void print_story_text(const sl_story *s, int detail)
{
	char first[21] = "?", last[21] = "?";

	if (s->first != SL_TIME_NONE)
		sl_time_format(first, s->first);
	if (s->last != SL_TIME_NONE)
		sl_time_format(last, s->last);
	printf("story %lld: %s\n  %zu article%s (%zu cop%s), %zu outlet%s, "
	       "%s .. %s\n",
	       (long long)s->id, s->title ? s->title : "(untitled)", s->size,
	       s->size == 1 ? "" : "s", s->n_copies,
	       s->n_copies == 1 ? "y" : "ies", s->n_outlets,
	       s->n_outlets == 1 ? "" : "s", first, last);
	if (!detail)
		return;
	for (size_t i = 0; i < s->n_members; i++) {
		const sl_story_member *m = &s->members[i];
		char when[21] = "date unknown";

		if (m->published != SL_TIME_NONE)
			sl_time_format(when, m->published);
		printf("  %s %s · %s · %s%s%s\n", m->copy_of ? "  ↳" : "-",
		       m->title ? m->title : "(untitled)",
		       m->outlet ? m->outlet : "?", when,
		       m->copy_of ? " · copy of " : "",
		       m->copy_of ? m->copy_of : "");
	}
	if (s->n_names) {
		printf("  names:");
		for (size_t i = 0; i < s->n_names; i++)
			printf("%s %s", i ? "," : "", s->names[i]);
		printf("\n");
	}
	if (s->n_terms) {
		printf("  terms:");
		for (size_t i = 0; i < s->n_terms; i++)
			printf("%s %s", i ? "," : "", s->terms[i]);
		printf("\n");
	}
}

static int cmd_stories(options *o)
{
	sl_stories_opts opts = {.since = SL_TIME_NONE, .limit = 20};
	sl_story *s;
	size_t n;
	sl_engine *e;

	if (o->n_args)
		return usage_error("%s", "stories takes no arguments");
	if (o->sort && strcmp(o->sort, "time") && strcmp(o->sort, "size") &&
	    strcmp(o->sort, "top"))
		return usage_error("--sort takes time, size or top, not '%s'",
				   o->sort);
	opts.by_size = o->sort && !strcmp(o->sort, "size");
	opts.top = o->sort && !strcmp(o->sort, "top");
	opts.limit = o->all ? 0 : o->limit ? (size_t)o->limit : 20;
	if (parse_time_option("--since", o->since, &opts.since) < 0)
		return EXIT_USAGE;
	if (sl_engine_open(&e, o->db, SL_OPEN_READONLY) < 0)
		return env_error();
	if (sl_engine_stories(e, &opts, &s, &n) < 0) {
		sl_engine_free(e);
		return env_error();
	}
	if (o->json) {
		fputs("{\"stories\":[", stdout);
		for (size_t i = 0; i < n; i++) {
			char *text = sl_story_to_json(&s[i], 0);

			printf("%s%s", i ? "," : "", text);
			free(text);
		}
		puts("]}");
	} else {
		for (size_t i = 0; i < n; i++)
			print_story_text(&s[i], 0);
	}
	sl_stories_free(s, n);
	sl_engine_free(e);
	return 0;
}

static int cmd_story(options *o)
{
	long long id;
	sl_story *s;
	sl_engine *e;
	int rc;

	if (o->n_args != 1 || parse_long(o->args[0], 1, &id) < 0)
		return usage_error("%s", "story needs one story number");
	if (sl_engine_open(&e, o->db, SL_OPEN_READONLY) < 0)
		return env_error();
	rc = sl_engine_story(e, id, &s);
	if (rc < 0)
		return lookup_failed(e, rc);
	if (o->json) {
		char *text = sl_story_to_json(s, 1);

		puts(text);
		free(text);
	} else {
		print_story_text(s, 1);
	}
	sl_stories_free(s, 1);
	sl_engine_free(e);
	return 0;
}

/* A stored article by id, else the first article of a JSON-lines file. */
static int load_article(sl_engine *e, const char *name, sl_article **out)
{
	sl_reader *r;
	int rc = sl_engine_get(e, name, out);

	if (rc != SL_ENOTFOUND)
		return rc;
	if (access(name, R_OK) != 0) {
		fprintf(stderr, "storyline: %s: no stored article or readable "
				"file by that name\n", name);
		return SL_ENOTFOUND;
	}
	if (sl_reader_open(&r, name) < 0) {
		fprintf(stderr, "storyline: %s\n", sl_error_last());
		return SL_EIO;
	}
	rc = sl_reader_next(r, out);
	if (rc == 0)
		fprintf(stderr, "storyline: %s: no article in the file\n", name);
	else if (rc < 0)
		fprintf(stderr, "storyline: %s\n", sl_error_last());
	sl_reader_free(r);
	return rc == 1 ? 0 : SL_EINVAL;
}

static void print_similarity(const char *a, const char *b,
			     const sl_similarity *sim, int json)
{
	if (json) {
		json_t *o = json_object(), *why = json_array();

		if (a) {
			json_object_set_new(o, "a", json_string(a));
			json_object_set_new(o, "b", json_string(b));
		}
		json_object_set_new(o, "score", json_real(sim->score));
		json_object_set_new(o, "same_story",
				    json_boolean(sim->same_story));
		json_object_set_new(o, "copy", json_boolean(sim->copy));
		for (size_t i = 0; i < sim->n_why; i++)
			json_array_append_new(why, json_string(sim->why[i]));
		json_object_set_new(o, "why", why);
		print_json(o);
		return;
	}
	if (a)
		printf("%s\t%s\t", a, b);
	printf("%.3f %s%s", sim->score,
	       sim->same_story ? "same story" : "different stories",
	       sim->copy ? " (a copy)" : "");
	for (size_t i = 0; i < sim->n_why; i++)
		printf("%s%s", i ? ", " : ": ", sim->why[i]);
	printf("\n");
}

static int compare(sl_engine *e, const char *x, const char *y, int json,
		   int labelled)
{
	sl_article *a = NULL, *b = NULL;
	sl_similarity sim;
	int rc;

	if ((rc = load_article(e, x, &a)) < 0 ||
	    (rc = load_article(e, y, &b)) < 0) {
		sl_article_free(a);
		return rc == SL_EIO ? EXIT_ENV : EXIT_REJECTED;
	}
	rc = sl_engine_similarity(e, a, b, &sim);
	sl_article_free(a);
	sl_article_free(b);
	if (rc < 0)
		return env_error();
	print_similarity(labelled ? x : NULL, y, &sim, json);
	sl_similarity_clear(&sim);
	return 0;
}

static int cmd_similarity(options *o)
{
	sl_engine *e;
	int rc = 0;

	if (!o->pairs && o->n_args != 2)
		return usage_error("%s", "similarity needs two articles (ids "
					 "or files) or --pairs FILE");
	if (sl_engine_open(&e, o->db, SL_OPEN_READONLY) < 0)
		return env_error();
	if (!o->pairs) {
		rc = compare(e, o->args[0], o->args[1], o->json, 0);
	} else {
		FILE *fp = strcmp(o->pairs, "-") ? fopen(o->pairs, "r") : stdin;
		char line[4096];
		long n = 0;

		if (!fp) {
			fprintf(stderr, "storyline: %s: %s\n", o->pairs,
				strerror(errno));
			sl_engine_free(e);
			return EXIT_ENV;
		}
		while (fgets(line, sizeof(line), fp)) {
			char *tab = strchr(line, '\t'), *end;

			n++;
			line[strcspn(line, "\r\n")] = 0;
			if (!line[0])
				continue;
			if (!tab) {
				fprintf(stderr, "storyline: %s:%ld: expected "
						"\"A<TAB>B\"\n", o->pairs, n);
				rc = EXIT_REJECTED;
				continue;
			}
			*tab = 0;
			end = tab + 1;
			int r = compare(e, line, end, o->json, 1);

			if (r == EXIT_ENV) {
				rc = r;
				break;
			}
			if (r)
				rc = r;
		}
		if (fp != stdin)
			fclose(fp);
	}
	sl_engine_free(e);
	return rc;
}

static void restory_progress(size_t done, size_t total, void *ctx)
{
	options *o = ctx;

	if (!o->quiet)
		fprintf(stderr, "\rrestory: %zu / %zu articles", done, total);
}

/* "90m", "36h", "3d" or seconds: a positive duration, else -1. */
long long parse_duration(const char *text)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(text, &end, 10);
	if (errno || end == text || n <= 0 || n > 36500LL * 86400)
		return -1;
	switch (*end) {
	case 0:
	case 's':
		break;
	case 'm':
		n *= 60;
		break;
	case 'h':
		n *= 3600;
		break;
	case 'd':
		n *= 86400;
		break;
	default:
		return -1;
	}
	return *end && end[1] ? -1 : n;
}

static int cmd_restory(options *o)
{
	sl_engine *e;
	sl_stats st;
	double t0 = now_seconds();
	long long window = 0;

	if (o->n_args)
		return usage_error("%s", "restory takes no arguments");
	if (o->window && (window = parse_duration(o->window)) < 0)
		return usage_error("--window takes a duration such as 72h or "
				   "3d, not '%s'", o->window);
	if (sl_engine_open(&e, o->db, 0) < 0)
		return env_error();
	if (sl_engine_restory(e, window, restory_progress, o) < 0) {
		sl_engine_free(e);
		return env_error();
	}
	if (!o->quiet)
		fprintf(stderr, "\n");
	if (sl_engine_stats(e, &st) == 0) {
		fprintf(stderr, "placed %lld articles in %.2f s\n",
			(long long)st.articles, now_seconds() - t0);
		sl_stats_clear(&st);
	}
	sl_engine_free(e);
	return 0;
}

static const command commands[];

/* ------------------------------------------------------------------ */
/* extract                                                             */

static int cmd_extract(options *o)
{
	int rejected = 0;

	if (o->n_args == 0)
		return usage_error("%s", "extract needs FILE.html... or -");
	if (o->url && o->n_args != 1)
		return usage_error("%s", "--url names one page: give one FILE");
	for (int i = 0; i < o->n_args; i++) {
		sl_extracted x;

		if (extract_file(o, o->args[i], &x) < 0) {
			rejected++;
			continue;
		}
		if (o->json) {
			char *text = sl_extracted_to_json(&x);

			puts(text ? text : "null");
			free(text);
		} else {
			if (i)
				printf("\n");
			if (!x.readerable)
				printf("(%s holds no article: a front page or "
				       "a media page)\n",
				       o->args[i]);
			print_article_text(x.article);
		}
		sl_extracted_clear(&x);
	}
	return rejected ? EXIT_REJECTED : 0;
}

static int cmd_help(options *o)
{
	if (o->n_args == 1) {
		const command *c = find_command(o->args[0]);

		if (!c)
			return usage_error("no command '%s'", o->args[0]);
		printf("usage: storyline %s\n\n%s\n", c->usage, c->help);
		return 0;
	}
	printf("usage: storyline [--db PATH] [--json] COMMAND [ARGS]\n\n"
	       "Storyline %s - a news engine.\n\ncommands:\n",
	       SL_VERSION);
	for (const command *c = commands; c->name; c++)
		printf("  %-34s %.*s\n", c->usage,
		       (int)strcspn(c->help, "\n"), c->help);
	printf("\noptions for every command:\n"
	       "  --db PATH    the database (default %s)\n"
	       "  --json       JSON output\n"
	       "  --help       help for the command\n"
	       "  --version    print the version\n\n"
	       "exit codes: 0 success, 1 some inputs rejected, 2 usage "
	       "error,\n            3 environment error (database, "
	       "network)\n",
	       DEFAULT_DB);
	return 0;
}

static int cmd_version(options *o)
{
	(void)o;
	printf("storyline %s\n", SL_VERSION);
	return 0;
}

static const command commands[] = {
	{"ingest", cmd_ingest,
	 "ingest [--batch N] [--quiet] [--url URL] FILE... | -",
	 "Store articles from JSON-lines files (or standard input), HTML\n"
	 "pages (extracted as `extract` does; --url for a single page that\n"
	 "names no address of its own) and feed files (RSS, Atom, RDF,\n"
	 "JSON Feed: every item).\n\n"
	 "Each line is an article object (DESIGN.md). Bad lines are reported\n"
	 "with file and line and skipped; the rest is stored. Articles are\n"
	 "committed in batches of N (default 1000) or every second; with\n"
	 "--json each commit prints {\"committed\":N,...}: those articles are\n"
	 "durable. Re-ingesting an article updates it, never duplicates it.\n"
	 "Stories and copies are placed as articles come; articles more than\n"
	 "the story window behind the news already stored are counted\n"
	 "(\"late\" in the --json summary): `restory` then places everything\n"
	 "in publication order."},
	{"extract", cmd_extract,
	 "extract [--url URL] [--charset CS] FILE.html... | -",
	 "Turn HTML pages into clean articles, without storing them.\n\n"
	 "Title, byline (names only), outlet, published time, language,\n"
	 "lead image, photo captions, the body as text and as sanitized\n"
	 "HTML. --url gives the page's address (resolves its links, names\n"
	 "the outlet when the page does not), --charset the character set\n"
	 "an HTTP server declared. A page with no article (a front page)\n"
	 "says so (\"readerable\":false with --json). --json gives one\n"
	 "object per page: the article fields plus \"body_text\",\n"
	 "\"modified\" and \"readerable\". ingest takes HTML files too."},
	{"get", cmd_get, "get ID",
	 "Show one stored article (all fields with --json)."},
	{"export", cmd_export, "export [--after-seq N]",
	 "Write stored articles as JSON lines, in store order.\n\n"
	 "The output is what ingest reads: export | ingest round-trips.\n"
	 "--after-seq N starts after sequence number N."},
	{"search", cmd_search,
	 "search QUERY [--limit N] [--offset N] [--since T] [--until T] "
	 "[--outlet X] [--lang xx] [--sort relevance|time] [--all-copies]",
	 "Search the stored articles.\n\n"
	 "QUERY: words (any of them, more matches rank higher), \"a phrase\",\n"
	 "+required, -excluded, outlet:NAME or outlet:\"Two Words\", lang:xx,\n"
	 "since:2026-11-20, until:2026-11-22T12:00:00Z. Results are ranked\n"
	 "with BM25F (title boosted), or newest first with --sort time.\n"
	 "A syndicated text comes once, as its best match, with the number\n"
	 "of other articles carrying it (copies); --all-copies lists every\n"
	 "one. --json gives {\"query\",\"total\",\"results\":[{\"id\",\n"
	 "\"url\",\"title\",\"outlet\",\"published\",\"score\",\"snippet\",\n"
	 "\"story\",\"copies\"}]}, the snippet being HTML with the matches in\n"
	 "<b>."},
	{"stories", cmd_stories,
	 "stories [--since T] [--limit N | --all] [--sort time|size|top]",
	 "List stories: the coverage of one event across outlets.\n\n"
	 "Newest first (by their last article), biggest first with\n"
	 "--sort size, or the top stories of the moment with --sort top (the\n"
	 "front page's order: the 200 newest by coverage, outlets counting\n"
	 "most, halved every 12 hours since their last article); 20 unless\n"
	 "--limit N or --all. --since T keeps the\n"
	 "stories with an article at or after T. --json gives {\"stories\":\n"
	 "[{\"id\",\"title\",\"lead\",\"size\",\"outlets\",\"first\",\n"
	 "\"last\",\"articles\":[ID...],\"copies\":{ORIGINAL:[COPY...]}}]}:\n"
	 "lead is the article whose title is the headline."},
	{"story", cmd_story, "story ID",
	 "Show one story: members in time order (copies under their\n"
	 "original), outlets, time range, top names and terms."},
	{"similarity", cmd_similarity, "similarity A B | --pairs FILE",
	 "How alike two articles are, as story placement judges them.\n\n"
	 "A and B are stored article ids or JSON-lines files (first\n"
	 "article). --pairs FILE reads \"A<TAB>B\" lines. --json gives\n"
	 "{\"score\":0..1,\"same_story\":bool,\"copy\":bool,\"why\":[...]}."},
	{"related", cmd_related,
	 "related ID | --all [--limit N] [--window DURATION] [--fill] "
	 "[--threads N]",
	 "Recommended stories for an article: the rail under it.\n\n"
	 "Related stories only, one item per story (its best article, with\n"
	 "how many other outlets covered it), fresh ones first, no outlet\n"
	 "over a third of the rail, each with why (shared names and terms);\n"
	 "the article's own story at most once, as more on this story; items\n"
	 "only on the same subject (another event of the same kind) after\n"
	 "the close ones, labelled same_subject.\n"
	 "Shorter when nothing more is related; --fill adds the top stories\n"
	 "of the moment, labelled. --limit N (default 20), --window (default\n"
	 "7d) around the article. --all: every article, one JSON line each,\n"
	 "in store order, on as many threads as there are CPUs (--threads).\n"
	 "--json gives {\"id\",\"related\":[{\"id\",\"url\",\"title\",\n"
	 "\"outlet\",\"published\",\"story\",\"score\",\"same_story\",\n"
	 "\"same_subject\",\"top_story\",\"other_outlets\",\"snippet\",\n"
	 "\"why\"}]}."},
	{"restory", cmd_restory, "restory [--window DURATION]",
	 "Place every stored article again (copies and stories), from\n"
	 "scratch in publication order, after a change of parameters or\n"
	 "after articles were stored out of order.\n\n"
	 "--window (e.g. 36h, 3d; default 3d) sets how long a story stays\n"
	 "open without a new article; the store keeps it for later ingests."},
	{"feeds", cmd_feeds,
	 "feeds [list] | add URL [--outlet NAME] | remove ID|URL | "
	 "import FILE.opml | export",
	 "Follow outlets by their feeds (RSS, Atom, RDF, JSON Feed).\n\n"
	 "add fetches URL once: a feed is followed; an HTML page gives the\n"
	 "feeds it links (the first followed, the others named). list shows\n"
	 "each feed's status, last error, articles and next poll (--json).\n"
	 "remove stops following (its articles stay). import reads OPML\n"
	 "(nested outlines become categories); export writes OPML that\n"
	 "imports back unchanged. Loopback and private addresses are\n"
	 "refused unless --allow-private."},
	{"fetch", cmd_fetch,
	 "fetch [--all] [--allow-private] [--no-pages] [--host-delay S] "
	 "[--per-host N] [--timeout S]",
	 "One polling round: every feed that is due (--all: every feed).\n\n"
	 "Conditional GET (ETag, Last-Modified), at most --per-host requests\n"
	 "at once to a host (default 2), --host-delay seconds apart (default\n"
	 "1), --timeout seconds for an answer (default 30), backoff after\n"
	 "errors and Retry-After honoured. New items\n"
	 "become articles, edited items update theirs, nothing is added\n"
	 "twice; teaser items are completed from their pages (not with\n"
	 "--no-pages). Exit 1 when some feeds failed (see feeds list)."},
	{"run", cmd_run,
	 "run [--allow-private] [fetch options] [serve options | --no-serve]",
	 "Poll feeds on their schedules and serve, until SIGINT or SIGTERM.\n\n"
	 "The server (see serve) answers while rounds run: readers wait at\n"
	 "most for one feed's items to be stored. --no-serve only polls.\n"
	 "Each feed is polled again after half its usual gap between\n"
	 "items, at least its TTL or Cache-Control max-age, between 5\n"
	 "minutes and 24 hours; a signal stops it cleanly between items."},
	{"serve", cmd_serve,
	 "serve [--bind 127.0.0.1] [--port 8080] [--threads N] "
	 "[--rate N] [--per-ip N] [--token-file FILE]",
	 "Serve the JSON API and the web pages until SIGINT or SIGTERM.\n\n"
	 "Pages: / (top stories), /article/ID (reader view and its\n"
	 "Recommended Stories), /story/ID (full coverage, timeline),\n"
	 "/search?q=, /feeds. API: /api/articles/ID, /api/articles/ID/\n"
	 "related, /api/stories, /api/stories/ID, /api/search?q=,\n"
	 "/api/feeds; /healthz, /metrics (Prometheus). Writes (POST\n"
	 "/api/articles with JSON lines, POST and DELETE /api/feeds) need\n"
	 "Authorization: Bearer TOKEN, the token from $STORYLINE_TOKEN or\n"
	 "the first line of --token-file; without one, writes are off.\n"
	 "Loopback only unless --bind says otherwise; --port 0 picks one.\n"
	 "--rate N: requests a second per client address (default 50,\n"
	 "bursts of twice that; 0: no limit), --per-ip N: connections at\n"
	 "once from one address (default 32; 0: no limit). Answers are\n"
	 "cached until the store changes; other processes' writes show\n"
	 "within a second."},
	{"stats", cmd_stats, "stats",
	 "Counts, database size and languages of the store, and whether\n"
	 "its stories follow the engine's placement rules."},
	{"help", cmd_help, "help [COMMAND]", "Show help."},
	{"version", cmd_version, "version", "Print the version."},
	{NULL, NULL, NULL, NULL},
};

static const command *find_command(const char *name)
{
	for (const command *c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static int parse_long(const char *text, long long min, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(text, &end, 10);
	return errno || end == text || *end || *out < min ? -1 : 0;
}

int main(int argc, char **argv)
{
	options o = {.db = DEFAULT_DB, .batch = DEFAULT_BATCH,
		     .host_delay = -1, .port = -1, .rate = -1, .per_ip = -1};
	const command *cmd = NULL;
	const char *env_db = getenv("STORYLINE_DB");

	static const char *args[4096];

	if (argc > (int)(sizeof(args) / sizeof(args[0])))
		return usage_error("%s", "too many arguments");
	o.args = args;
	signal(SIGPIPE, SIG_IGN);
	/* Ingest allocates and frees a little for every article while the
	 * index grows: keep freed memory instead of handing it back to the
	 * system and faulting it in again a moment later. */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	if (env_db && *env_db)
		o.db = env_db;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		long long num;

		const char **text_opt = NULL;

		if (!strcmp(arg, "--since"))
			text_opt = &o.since;
		else if (!strcmp(arg, "--until"))
			text_opt = &o.until;
		else if (!strcmp(arg, "--outlet"))
			text_opt = &o.outlet;
		else if (!strcmp(arg, "--lang"))
			text_opt = &o.lang;
		else if (!strcmp(arg, "--sort"))
			text_opt = &o.sort;
		else if (!strcmp(arg, "--pairs"))
			text_opt = &o.pairs;
		else if (!strcmp(arg, "--window"))
			text_opt = &o.window;
		else if (!strcmp(arg, "--url"))
			text_opt = &o.url;
		else if (!strcmp(arg, "--charset"))
			text_opt = &o.charset;
		else if (!strcmp(arg, "--bind"))
			text_opt = &o.bind;
		else if (!strcmp(arg, "--token-file"))
			text_opt = &o.token_file;
		if (text_opt) {
			if (i + 1 == argc)
				return usage_error("%s needs a value", arg);
			*text_opt = argv[++i];
			continue;
		}
		if (!strcmp(arg, "--limit") || !strcmp(arg, "--offset")) {
			if (i + 1 == argc)
				return usage_error("%s needs a value", arg);
			if (parse_long(argv[++i], !strcmp(arg, "--limit"),
				       &num) < 0 || num > 1000)
				return usage_error("bad number '%s'", argv[i]);
			if (!strcmp(arg, "--limit"))
				o.limit = (long)num;
			else
				o.offset = (long)num;
			continue;
		}
		if (!strcmp(arg, "--db") || !strcmp(arg, "--batch") ||
		    !strcmp(arg, "--after-seq")) {
			if (i + 1 == argc)
				return usage_error("%s needs a value", arg);
			if (!strcmp(arg, "--db")) {
				o.db = argv[++i];
				continue;
			}
			if (parse_long(argv[++i], !strcmp(arg, "--batch"),
				       &num) < 0)
				return usage_error("bad number '%s'", argv[i]);
			if (!strcmp(arg, "--batch"))
				o.batch = (long)num;
			else
				o.after_seq = num;
		} else if (!strncmp(arg, "--db=", 5)) {
			o.db = arg + 5;
		} else if (!strcmp(arg, "--json")) {
			o.json = 1;
		} else if (!strcmp(arg, "--all")) {
			o.all = 1;
		} else if (!strcmp(arg, "--fill")) {
			o.fill = 1;
		} else if (!strcmp(arg, "--all-copies")) {
			o.all_copies = 1;
		} else if (!strcmp(arg, "--allow-private")) {
			o.allow_private = 1;
		} else if (!strcmp(arg, "--no-pages")) {
			o.no_pages = 1;
		} else if (!strcmp(arg, "--no-serve")) {
			o.no_serve = 1;
		} else if (!strcmp(arg, "--port") ||
			   !strcmp(arg, "--threads")) {
			if (i + 1 == argc)
				return usage_error("%s needs a value", arg);
			if (parse_long(argv[++i], 0, &num) < 0 ||
			    num > (!strcmp(arg, "--port") ? 65535 : 256))
				return usage_error("bad number '%s'", argv[i]);
			if (!strcmp(arg, "--port"))
				o.port = (long)num;
			else
				o.threads = (long)num;
		} else if (!strcmp(arg, "--host-delay") ||
			   !strcmp(arg, "--per-host") ||
			   !strcmp(arg, "--timeout") || !strcmp(arg, "--rate") ||
			   !strcmp(arg, "--per-ip")) {
			char *end;
			double v;

			if (i + 1 == argc)
				return usage_error("%s needs a value", arg);
			v = strtod(argv[++i], &end);
			if (end == argv[i] || *end || v < 0 || v > 3600)
				return usage_error("bad number '%s'", argv[i]);
			if (!strcmp(arg, "--host-delay"))
				o.host_delay = v;
			else if (!strcmp(arg, "--rate"))
				o.rate = v;
			else if (!strcmp(arg, "--per-ip"))
				o.per_ip = (long)v;
			else if (!strcmp(arg, "--timeout")) {
				if ((o.timeout = (long)v) < 1)
					return usage_error("bad number '%s'",
							   argv[i]);
			}
			else if ((o.per_host = (long)v) < 1)
				return usage_error("bad number '%s'", argv[i]);
		} else if (!strcmp(arg, "--quiet") || !strcmp(arg, "-q")) {
			o.quiet = 1;
		} else if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			o.help = 1;
		} else if (!strcmp(arg, "--version")) {
			return cmd_version(&o);
		} else if (arg[0] == '-' && arg[1] && !(cmd && o.n_args == 0 &&
						  !strcmp(cmd->name, "search"))) {
			/* (a search query may start with "-") */
			return usage_error("unknown option '%s'", arg);
		} else if (!cmd) {
			cmd = find_command(arg);
			if (!cmd)
				return usage_error("no command '%s'", arg);
		} else {
			o.args[o.n_args++] = arg;
		}
	}
	if (!cmd) {
		cmd_help(&o);
		return o.help ? 0 : EXIT_USAGE;
	}
	if (o.help) {
		printf("usage: storyline %s\n\n%s\n", cmd->usage, cmd->help);
		return 0;
	}
	return cmd->run(&o);
}
