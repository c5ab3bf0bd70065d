/*
 * fuzz_jsonl.c - fuzz target for article input: the bytes are a JSON-lines
 * stream read with sl_reader_next, the way `storyline ingest` reads a
 * file (line cap, CRLF, byte order mark, HTML sniffing, UTF-8 repair, the
 * field contract of sl_article_from_json).
 *
 * Every article that comes out is written back with sl_article_to_json
 * and read again. That is the contract of the JSON form (article.c: "an
 * export re-imports unchanged"), so the target aborts when the export
 * does not parse, when the re-imported article differs from the first in
 * any field, or when exporting it again gives other text. The derived
 * summary of the body is checked to be valid UTF-8.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "storyline.h"
#include "util/utf8.h"

/* Times that RFC 3339 can write; sl_time_format clamps the others. */
#define TIME_MIN (-62167219200LL) /* 0000-01-01T00:00:00Z */
#define TIME_MAX 253402300799LL   /* 9999-12-31T23:59:59Z */

static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_jsonl: %s%s%s\n", what, detail ? ": " : "",
		detail ? detail : "");
	abort();
}

static int same_string(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static void check_string(const char *name, const char *before,
			 const char *after)
{
	if (same_string(before, after))
		return;
	fprintf(stderr, "fuzz_jsonl: field %s changed on re-import:\n"
			"  before: %s\n  after:  %s\n",
		name, before ? before : "(null)", after ? after : "(null)");
	abort();
}

static void check_time(const char *name, int64_t before, int64_t after)
{
	if (before != SL_TIME_NONE && (before < TIME_MIN || before > TIME_MAX))
		return; /* clamped on output, by design */
	if (before != after) {
		fprintf(stderr,
			"fuzz_jsonl: field %s changed on re-import: "
			"%lld -> %lld\n",
			name, (long long)before, (long long)after);
		abort();
	}
}

/* Every field the JSON form carries must survive export and import. */
static void check_same_article(const sl_article *a, const sl_article *b)
{
	check_string("id", a->id, b->id);
	check_string("url", a->url, b->url);
	check_string("outlet", a->outlet, b->outlet);
	check_string("title", a->title, b->title);
	check_string("byline", a->byline, b->byline);
	check_string("lang", a->lang, b->lang);
	check_string("body", a->body_text, b->body_text);
	check_string("body_html", a->body_html, b->body_html);
	check_string("summary", a->summary, b->summary);
	check_string("image", a->image, b->image);
	check_string("extra", a->extra, b->extra);
	check_time("published", a->published, b->published);
	check_time("fetched_at", a->fetched_at, b->fetched_at);
	if (a->n_captions != b->n_captions)
		fail("number of captions changed on re-import", NULL);
	for (size_t i = 0; i < a->n_captions; i++)
		check_string("captions[]", a->captions[i], b->captions[i]);
}

static void check_fields_valid(const sl_article *a)
{
	const char *fields[] = {a->id,      a->url,       a->outlet,
				a->title,   a->byline,    a->lang,
				a->body_text, a->body_html, a->summary,
				a->image,   a->extra};

	if (!a->title && !a->body_text)
		fail("article without title and body accepted", NULL);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i] && !sl_utf8_valid(fields[i], strlen(fields[i])))
			fail("field is not valid UTF-8", fields[i]);
	for (size_t i = 0; i < a->n_captions; i++)
		if (!a->captions[i] || !a->captions[i][0])
			fail("empty caption kept", NULL);
}

static void check_round_trip(const sl_article *a)
{
	char *json = sl_article_to_json(a, 0);
	char *full = sl_article_to_json(a, SL_JSON_FULL);
	char *again = NULL;
	sl_article *b = NULL, *c = NULL;

	if (!json || !full)
		fail("sl_article_to_json returned NULL", NULL);
	if (sl_article_from_json(&b, json, strlen(json)) != 0) {
		fprintf(stderr, "fuzz_jsonl: export does not re-import: %s\n"
				"  export: %s\n",
			sl_error_last(), json);
		abort();
	}
	check_same_article(a, b);
	again = sl_article_to_json(b, 0);
	if (!again || strcmp(json, again) != 0) {
		fprintf(stderr, "fuzz_jsonl: export is not stable:\n"
				"  first:  %s\n  second: %s\n",
			json, again ? again : "(null)");
		abort();
	}
	/* The full form adds derived fields, which import ignores. */
	if (sl_article_from_json(&c, full, strlen(full)) != 0)
		fail("full export does not re-import", full);
	check_same_article(a, c);
	free(json);
	free(full);
	free(again);
	sl_article_free(b);
	sl_article_free(c);
}

static void check_derived(const sl_article *a)
{
	sl_article *copy = sl_article_copy(a);
	char *summary = sl_summary_of(a->body_text, SL_SUMMARY_CHARS);

	check_same_article(a, copy);
	if (summary && !sl_utf8_valid(summary, strlen(summary)))
		fail("summary is not valid UTF-8", summary);
	if (summary && !summary[0])
		fail("summary is empty instead of NULL", NULL);
	free(summary);
	sl_article_free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sl_reader *reader = NULL;
	sl_article *a;
	FILE *fp;
	long last_line = 0;
	int rc;

	if (size == 0)
		return 0; /* fmemopen refuses an empty buffer */
	fp = fmemopen((void *)data, size, "rb");
	if (!fp)
		return 0;
	if (sl_reader_open_stream(&reader, fp, "fuzz") != 0)
		fail("sl_reader_open_stream failed", sl_error_last());
	while ((rc = sl_reader_next(reader, &a)) != 0) {
		long line = sl_reader_line(reader);

		if (line <= last_line)
			fail("sl_reader_next made no progress", NULL);
		last_line = line;
		if (rc == SL_EIO)
			fail("read error on a memory stream", sl_error_last());
		if (rc < 0) {
			if (a)
				fail("rejected line still gave an article",
				     NULL);
			if (!sl_error_last()[0])
				fail("rejected line without a message", NULL);
			continue;
		}
		if (rc != 1 || !a)
			fail("sl_reader_next: unexpected result", NULL);
		check_fields_valid(a);
		check_round_trip(a);
		check_derived(a);
		sl_article_free(a);
	}
	sl_reader_free(reader);
	fclose(fp);
	return 0;
}
