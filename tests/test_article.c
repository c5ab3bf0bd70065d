/* test_article.c - the article record: JSON lines in and out, tidying,
 * summaries and reading time. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "util/mem.h"
#include "util/utf8.h"

#define ELLIPSIS "\xE2\x80\xA6"
#define REPLACEMENT "\xEF\xBF\xBD"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

/* Parse a JSON line given as a string literal (NUL bytes included). */
#define FROM_JSON(out, lit) sl_article_from_json((out), (lit), sizeof(lit) - 1)

static sl_article *parsed(const char *json)
{
	sl_article *a = NULL;
	int rc = sl_article_from_json(&a, json, strlen(json));

	cr_assert_eq(rc, 0, "rejected %s: %s", json, sl_error_last());
	cr_assert_not_null(a);
	return a;
}

static void expect_rejected(const char *json)
{
	sl_article *a = (sl_article *)1;
	int rc = sl_article_from_json(&a, json, strlen(json));

	cr_assert_eq(rc, SL_EINVAL, "accepted %s", json);
	cr_assert_null(a, "no article for a rejected line");
	cr_assert_neq(sl_error_last()[0], '\0', "a message says why");
}

/* NULL-safe string comparison for fields. */
static void expect_field(const char *got, const char *want, const char *name)
{
	if (!want) {
		cr_assert_null(got, "%s: \"%s\", want NULL", name, got);
		return;
	}
	cr_assert_not_null(got, "%s: NULL, want \"%s\"", name, want);
	cr_assert_str_eq(got, want, "%s", name);
}

static void expect_same_fields(const sl_article *a, const sl_article *b)
{
	expect_field(b->id, a->id, "id");
	expect_field(b->url, a->url, "url");
	expect_field(b->outlet, a->outlet, "outlet");
	expect_field(b->title, a->title, "title");
	expect_field(b->byline, a->byline, "byline");
	expect_field(b->lang, a->lang, "lang");
	expect_field(b->body_text, a->body_text, "body");
	expect_field(b->body_html, a->body_html, "body_html");
	expect_field(b->summary, a->summary, "summary");
	expect_field(b->image, a->image, "image");
	cr_assert_eq(b->published, a->published, "published");
	cr_assert_eq(b->fetched_at, a->fetched_at, "fetched_at");
	cr_assert_eq(b->n_captions, a->n_captions, "captions");
	for (size_t i = 0; i < a->n_captions; i++)
		expect_field(b->captions[i], a->captions[i], "caption");
	if (!a->extra) {
		cr_assert_null(b->extra, "extra: %s", b->extra);
	} else {
		json_t *want = json_loads(a->extra, 0, NULL);
		json_t *got = b->extra ? json_loads(b->extra, 0, NULL) : NULL;

		cr_assert(json_equal(want, got), "extra: %s, want %s",
			  b->extra, a->extra);
		json_decref(want);
		json_decref(got);
	}
}

/* The JSON text of an article, parsed back into a jansson object. */
static json_t *to_object(const sl_article *a, unsigned flags)
{
	char *text = sl_article_to_json(a, flags);
	json_error_t err;
	json_t *obj;

	cr_assert_not_null(text);
	cr_assert_null(strchr(text, '\n'), "one line: %s", text);
	obj = json_loads(text, 0, &err);
	cr_assert(json_is_object(obj), "%s: %s", text, err.text);
	free(text);
	return obj;
}

static const char *string_of(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* Characters (code points) in s. */
static size_t n_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && memcmp(s + n - t, tail, t) == 0;
}

static void expect_summary(const char *text, size_t max_chars,
			   const char *want)
{
	char *got = sl_summary_of(text, max_chars);

	cr_assert_not_null(got, "summary of \"%s\"", text);
	cr_assert_str_eq(got, want, "summary of \"%s\" in %zu", text,
			 max_chars);
	free(got);
}

/* ------------------------------------------------------------------ */
/* sl_article_from_json                                                */

Test(article_json, reads_every_contract_field)
{
	sl_article *a = parsed(
		"{\"id\":\"ex-1\",\"url\":\"https://example.com/a\","
		"\"outlet\":\"Example News\",\"title\":\"Leaders meet\","
		"\"byline\":\"A. Writer\",\"published\":"
		"\"2026-11-20T09:15:00+01:00\",\"lang\":\"en\","
		"\"body\":\"First paragraph.\\n\\nSecond.\","
		"\"summary\":\"Leaders met.\"}");

	cr_assert_str_eq(a->id, "ex-1");
	cr_assert_str_eq(a->url, "https://example.com/a");
	cr_assert_str_eq(a->outlet, "Example News");
	cr_assert_str_eq(a->title, "Leaders meet");
	cr_assert_str_eq(a->byline, "A. Writer");
	cr_assert_eq(a->published, 1795162500); /* 08:15 UTC */
	cr_assert_str_eq(a->lang, "en");
	cr_assert_str_eq(a->body_text, "First paragraph.\n\nSecond.");
	cr_assert_str_eq(a->summary, "Leaders met.");
	cr_assert_null(a->extra);
	sl_article_free(a);
}

Test(article_json, reads_the_other_known_fields)
{
	sl_article *a = parsed(
		"{\"title\":\"T\",\"body_html\":\"<p>Hi</p>\","
		"\"image\":\"https://example.com/i.jpg\","
		"\"captions\":[\"Leaders in Geneva\",\"The hall\"],"
		"\"fetched_at\":\"2026-11-20T08:15:00Z\"}");

	cr_assert_str_eq(a->body_html, "<p>Hi</p>");
	cr_assert_str_eq(a->image, "https://example.com/i.jpg");
	cr_assert_eq(a->n_captions, 2);
	cr_assert_str_eq(a->captions[0], "Leaders in Geneva");
	cr_assert_str_eq(a->captions[1], "The hall");
	cr_assert_eq(a->fetched_at, 1795162500);
	sl_article_free(a);
}

Test(article_json, body_text_is_another_name_for_body)
{
	sl_article *a = parsed("{\"body_text\":\"Only a body.\"}");

	cr_assert_str_eq(a->body_text, "Only a body.");
	cr_assert_null(a->title);
	cr_assert_null(a->extra);
	sl_article_free(a);
}

Test(article_json, absent_fields_stay_absent)
{
	sl_article *a = parsed("{\"title\":\"Leaders meet\"}");

	cr_assert_null(a->id);
	cr_assert_null(a->url);
	cr_assert_null(a->body_text);
	cr_assert_eq(a->published, SL_TIME_NONE);
	cr_assert_eq(a->fetched_at, SL_TIME_NONE);
	cr_assert_eq(a->n_captions, 0);
	sl_article_free(a);
}

Test(article_json, nulls_mean_absent)
{
	sl_article *a = parsed(
		"{\"id\":null,\"title\":\"T\",\"byline\":null,"
		"\"published\":null,\"body\":null,\"captions\":null,"
		"\"section\":null}");

	cr_assert_null(a->id);
	cr_assert_null(a->byline);
	cr_assert_null(a->body_text);
	cr_assert_eq(a->published, SL_TIME_NONE);
	cr_assert_eq(a->n_captions, 0);
	sl_article_free(a);
}

Test(article_json, unknown_fields_kept_in_extra)
{
	sl_article *a = parsed(
		"{\"title\":\"T\",\"section\":\"World\",\"tags\":[\"a\",\"b\"],"
		"\"score\":3.5,\"meta\":{\"x\":1}}");
	json_t *extra, *want;

	cr_assert_not_null(a->extra);
	extra = json_loads(a->extra, 0, NULL);
	want = json_pack("{s:s, s:[s,s], s:f, s:{s:i}}", "section", "World",
			 "tags", "a", "b", "score", 3.5, "meta", "x", 1);
	cr_assert(json_equal(extra, want), "extra: %s", a->extra);
	cr_assert_null(json_object_get(extra, "title"));
	json_decref(extra);
	json_decref(want);
	sl_article_free(a);
}

Test(article_json, derived_fields_ignored_on_input)
{
	sl_article *a = parsed(
		"{\"title\":\"T\",\"seq\":99,\"reading_minutes\":7,"
		"\"canonical_url\":\"https://elsewhere.example/\"}");

	cr_assert_eq(a->seq, 0);
	cr_assert_eq(a->reading_minutes, 0);
	cr_assert_null(a->canonical_url);
	cr_assert_null(a->extra, "extra: %s", a->extra);
	sl_article_free(a);
}

Test(article_json, integer_id_kept_as_digits)
{
	sl_article *a = parsed("{\"id\":48213,\"title\":\"T\"}");

	cr_assert_str_eq(a->id, "48213");
	sl_article_free(a);
	/* Past 2^53: digits must not go through a double. */
	a = parsed("{\"id\":9007199254740993,\"title\":\"T\"}");
	cr_assert_str_eq(a->id, "9007199254740993");
	sl_article_free(a);
}

Test(article_json, integer_time_is_seconds)
{
	sl_article *a = parsed("{\"title\":\"T\",\"published\":1795162500}");

	cr_assert_eq(a->published, 1795162500);
	sl_article_free(a);
}

Test(article_json, fields_are_tidied)
{
	sl_article *a = parsed(
		"{\"title\":\"  Leaders\\n  meet\\tin Geneva \","
		"\"outlet\":\"\",\"body\":\"\\r\\nPara one.\\r\\n\\r\\n"
		"Para two.\\n\\n\"}");

	cr_assert_str_eq(a->title, "Leaders meet in Geneva");
	cr_assert_null(a->outlet);
	cr_assert_str_eq(a->body_text, "Para one.\n\nPara two.");
	sl_article_free(a);
}

Test(article_json, escaped_nul_dropped)
{
	sl_article *a = parsed("{\"title\":\"Leaders\\u0000 meet\","
			       "\"body\":\"\\u0000\\u0000Body\"}");

	cr_assert_str_eq(a->title, "Leaders meet");
	cr_assert_str_eq(a->body_text, "Body");
	sl_article_free(a);
}

Test(article_json, raw_nul_byte_does_not_end_the_input)
{
	sl_article *a = (sl_article *)1;

	/* Read as a C string the line would end at the NUL and pass. */
	cr_assert_eq(FROM_JSON(&a, "{\"title\":\"T\"}\0{\"junk\""), SL_EINVAL);
	cr_assert_null(a);
	cr_assert_eq(FROM_JSON(&a, "{\"title\":\"a\0b\"}"), SL_EINVAL);
	cr_assert_null(a);
}

Test(article_json, invalid_utf8_repaired)
{
	sl_article *a = parsed("{\"title\":\"Caf\xE9 talks\","
			       "\"body\":\"Z\xC3\xBCrich \xFF\xFE end\","
			       "\"section\":\"Welt\xE9\"}");

	cr_assert_str_eq(a->title, "Caf" REPLACEMENT " talks");
	cr_assert_str_eq(a->body_text, "Z\xC3\xBCrich " REPLACEMENT " end");
	cr_assert(sl_utf8_valid(a->extra, strlen(a->extra)), "%s", a->extra);
	cr_assert_not_null(strstr(a->extra, "Welt" REPLACEMENT));
	sl_article_free(a);
}

Test(article_json, not_an_object_rejected)
{
	expect_rejected("");
	expect_rejected("   ");
	expect_rejected("[{\"title\":\"T\"}]");
	expect_rejected("\"Leaders meet\"");
	expect_rejected("42");
	expect_rejected("null");
	expect_rejected("{\"title\":\"T\"");
	expect_rejected("{\"title\":\"T\"} {\"title\":\"U\"}");
	expect_rejected("{title:\"T\"}");
	expect_rejected("<html><body>Leaders</body></html>");
}

Test(article_json, no_title_and_no_body_rejected)
{
	expect_rejected("{}");
	expect_rejected("{\"url\":\"https://example.com/a\",\"id\":\"x\"}");
	expect_rejected("{\"title\":\"  \\n \",\"body\":\"\\t\"}");
	expect_rejected("{\"title\":null,\"body\":null}");
	cr_assert_not_null(strstr(sl_error_last(), "title"), "%s",
			   sl_error_last());
}

Test(article_json, title_alone_or_body_alone_is_enough)
{
	sl_article_free(parsed("{\"title\":\"Leaders meet\"}"));
	sl_article_free(parsed("{\"body\":\"Leaders met.\"}"));
}

Test(article_json, wrong_type_rejected_naming_the_field)
{
	static const struct {
		const char *json, *field;
	} cases[] = {
		{"{\"title\":5}", "title"},
		{"{\"title\":\"T\",\"body\":[\"a\"]}", "body"},
		{"{\"title\":\"T\",\"url\":{}}", "url"},
		{"{\"title\":\"T\",\"lang\":true}", "lang"},
		{"{\"title\":\"T\",\"id\":1.5}", "id"},
		{"{\"title\":\"T\",\"id\":true}", "id"},
		{"{\"title\":\"T\",\"published\":\"yesterday\"}", "published"},
		{"{\"title\":\"T\",\"published\":1.5e9}", "published"},
		{"{\"title\":\"T\",\"published\":false}", "published"},
		{"{\"title\":\"T\",\"captions\":\"one\"}", "captions"},
		{"{\"title\":\"T\",\"captions\":[\"a\",2]}", "captions"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		expect_rejected(cases[i].json);
		cr_assert_not_null(strstr(sl_error_last(), cases[i].field),
				   "%s: %s", cases[i].json, sl_error_last());
	}
}

Test(article_json, number_for_captions_rejected_and_id_untouched)
{
	sl_article *a = NULL;
	int rc = FROM_JSON(&a, "{\"title\":\"T\",\"captions\":42}");

	/* A number where a list belongs is a wrong type like any other; it
	 * must not turn into the article's id. */
	cr_assert_eq(rc, SL_EINVAL, "accepted; id is \"%s\"",
		     a && a->id ? a->id : "(null)");
	cr_assert_null(a);
	sl_article_free(a);
}

/* ------------------------------------------------------------------ */
/* sl_article_to_json                                                  */

Test(article_json, empty_article_is_empty_object)
{
	sl_article *a = sl_article_new();
	char *text = sl_article_to_json(a, 0);

	cr_assert_str_eq(text, "{}");
	free(text);
	sl_article_free(a);
}

Test(article_json, writes_contract_names_and_rfc3339_times)
{
	sl_article *a = sl_article_new();
	json_t *obj;

	a->id = sl_strdup("ex-1");
	a->title = sl_strdup("Leaders meet");
	a->body_text = sl_strdup("Body.");
	a->published = 1795162500;
	obj = to_object(a, 0);
	cr_assert_str_eq(string_of(obj, "id"), "ex-1");
	cr_assert_str_eq(string_of(obj, "title"), "Leaders meet");
	cr_assert_str_eq(string_of(obj, "body"), "Body.");
	cr_assert_null(json_object_get(obj, "body_text"));
	cr_assert_str_eq(string_of(obj, "published"), "2026-11-20T08:15:00Z");
	/* Absent fields are left out rather than written as null. */
	cr_assert_null(json_object_get(obj, "byline"));
	cr_assert_null(json_object_get(obj, "fetched_at"));
	cr_assert_null(json_object_get(obj, "captions"));
	cr_assert_eq(json_object_size(obj), 4);
	json_decref(obj);
	sl_article_free(a);
}

Test(article_json, derived_fields_only_when_full)
{
	sl_article *a = sl_article_new();
	json_t *obj;

	a->title = sl_strdup("T");
	a->canonical_url = sl_strdup("https://example.com/a");
	a->reading_minutes = 4;
	a->seq = 17;
	obj = to_object(a, 0);
	cr_assert_null(json_object_get(obj, "canonical_url"));
	cr_assert_null(json_object_get(obj, "reading_minutes"));
	cr_assert_null(json_object_get(obj, "seq"));
	json_decref(obj);
	obj = to_object(a, SL_JSON_FULL);
	cr_assert_str_eq(string_of(obj, "canonical_url"),
			 "https://example.com/a");
	cr_assert_eq(
		json_integer_value(json_object_get(obj, "reading_minutes")), 4);
	cr_assert_eq(json_integer_value(json_object_get(obj, "seq")), 17);
	json_decref(obj);
	sl_article_free(a);
}

Test(article_json, extra_written_back_known_fields_win)
{
	sl_article *a = sl_article_new();
	json_t *obj;

	a->title = sl_strdup("Leaders meet");
	a->extra = sl_strdup("{\"section\":\"World\",\"title\":\"Other\"}");
	obj = to_object(a, 0);
	cr_assert_str_eq(string_of(obj, "section"), "World");
	cr_assert_str_eq(string_of(obj, "title"), "Leaders meet");
	json_decref(obj);
	sl_article_free(a);
}

Test(article_json, round_trip_of_a_built_article)
{
	sl_article *a = sl_article_new(), *b = NULL;
	char *text;

	a->id = sl_strdup("ex-7");
	a->url = sl_strdup("https://example.com/world/summit?id=7");
	a->outlet = sl_strdup("Example News");
	a->title = sl_strdup("Leaders meet in \"Gen\xC3\xA8ve\"");
	a->byline = sl_strdup("A. Writer & B. Writer");
	a->published = 1795162500;
	a->fetched_at = 1795162567;
	a->lang = sl_strdup("en");
	a->body_text = sl_strdup("First \\ paragraph.\n\nSecond \xE2\x82\xAC.");
	a->body_html = sl_strdup("<p>First</p>");
	a->summary = sl_strdup("Leaders met.");
	a->image = sl_strdup("https://example.com/i.jpg");
	a->n_captions = 2;
	a->captions = sl_calloc(2, sizeof(char *));
	a->captions[0] = sl_strdup("Leaders in Geneva");
	a->captions[1] = sl_strdup("\xF0\x9F\x93\xB0 The hall");
	a->extra = sl_strdup("{\"section\":\"World\",\"rank\":2}");
	text = sl_article_to_json(a, 0);
	cr_assert_eq(sl_article_from_json(&b, text, strlen(text)), 0, "%s: %s",
		     text, sl_error_last());
	expect_same_fields(a, b);
	free(text);
	sl_article_free(a);
	sl_article_free(b);
}

Test(article_json, round_trip_of_a_json_line)
{
	sl_article *a = parsed(
		"{\"id\":12,\"url\":\"https://example.com/a\","
		"\"title\":\"Leaders meet\",\"published\":"
		"\"2026-11-20T09:15:00.5+01:00\",\"body\":\"Body.\","
		"\"captions\":[\"c\"],\"section\":\"World\",\"tags\":[1,2]}");
	sl_article *b = NULL;
	char *first = sl_article_to_json(a, SL_JSON_FULL), *second;

	cr_assert_eq(sl_article_from_json(&b, first, strlen(first)), 0);
	expect_same_fields(a, b);
	/* Export, import, export: the same line. */
	second = sl_article_to_json(b, SL_JSON_FULL);
	cr_assert_str_eq(second, first);
	free(first);
	free(second);
	sl_article_free(a);
	sl_article_free(b);
}

/* ------------------------------------------------------------------ */
/* sl_article_tidy                                                     */

Test(article_tidy, one_line_fields_folded)
{
	sl_article *a = sl_article_new();

	a->title = sl_strdup("\t Leaders\r\n meet \n\n in   Geneva  ");
	a->byline = sl_strdup("A. Writer\nand B. Writer");
	a->outlet = sl_strdup(" Example\tNews ");
	sl_article_tidy(a);
	cr_assert_str_eq(a->title, "Leaders meet in Geneva");
	cr_assert_str_eq(a->byline, "A. Writer and B. Writer");
	cr_assert_str_eq(a->outlet, "Example News");
	sl_article_free(a);
}

Test(article_tidy, body_keeps_paragraphs_with_unix_line_ends)
{
	sl_article *a = sl_article_new();

	a->body_text = sl_strdup("\r\n  First line\r\nsecond line.\r\n\r\n"
				 "Next\rparagraph.\n\n\n");
	sl_article_tidy(a);
	cr_assert_str_eq(a->body_text,
			 "First line\nsecond line.\n\nNext\nparagraph.");
	sl_article_free(a);
}

Test(article_tidy, control_characters_dropped)
{
	sl_article *a = sl_article_new();

	a->title = sl_strdup("Lead\x01" "ers\x1B meet\x07");
	a->body_text = sl_strdup("Tab\tkept,\x0B\x0C" "form feeds gone.");
	sl_article_tidy(a);
	cr_assert_str_eq(a->title, "Leaders meet");
	cr_assert_str_eq(a->body_text, "Tab\tkept,form feeds gone.");
	sl_article_free(a);
}

Test(article_tidy, delete_character_dropped)
{
	sl_article *a = sl_article_new();

	/* DEL (0x7F) is a control character like those below 0x20. */
	a->title = sl_strdup("Leaders\x7F meet");
	sl_article_tidy(a);
	cr_assert_str_eq(a->title, "Leaders meet");
	sl_article_free(a);
}

Test(article_tidy, multi_byte_text_untouched)
{
	const char *title = "Z\xC3\xBCrich \xE2\x80\x94 "
			    "\xE6\x97\xA5\xE6\x9C\xAC";
	sl_article *a = sl_article_new();

	a->title = sl_strdup(title);
	sl_article_tidy(a);
	cr_assert_str_eq(a->title, title);
	sl_article_free(a);
}

Test(article_tidy, empty_fields_become_null)
{
	sl_article *a = sl_article_new();

	a->title = sl_strdup("   ");
	a->byline = sl_strdup("");
	a->body_text = sl_strdup("\r\n\t\r\n");
	a->summary = sl_strdup("\x01\x02");
	sl_article_tidy(a);
	cr_assert_null(a->title);
	cr_assert_null(a->byline);
	cr_assert_null(a->body_text);
	cr_assert_null(a->summary);
	sl_article_free(a);
}

Test(article_tidy, empty_captions_dropped)
{
	sl_article *a = sl_article_new();

	a->n_captions = 4;
	a->captions = sl_calloc(4, sizeof(char *));
	a->captions[0] = sl_strdup("  ");
	a->captions[1] = sl_strdup("Leaders\nin Geneva");
	a->captions[2] = NULL;
	a->captions[3] = sl_strdup(" The hall ");
	sl_article_tidy(a);
	cr_assert_eq(a->n_captions, 2);
	cr_assert_str_eq(a->captions[0], "Leaders in Geneva");
	cr_assert_str_eq(a->captions[1], "The hall");
	sl_article_free(a);
}

Test(article_tidy, tidy_twice_changes_nothing)
{
	sl_article *a = sl_article_new();

	a->title = sl_strdup(" Leaders \n meet ");
	a->body_text = sl_strdup(" One.\r\n\r\nTwo. ");
	sl_article_tidy(a);
	char *title = sl_strdup(a->title), *body = sl_strdup(a->body_text);

	sl_article_tidy(a);
	cr_assert_str_eq(a->title, title);
	cr_assert_str_eq(a->body_text, body);
	free(title);
	free(body);
	sl_article_free(a);
}

/* ------------------------------------------------------------------ */
/* sl_summary_of                                                       */

Test(summary, short_text_kept_whole)
{
	expect_summary("Leaders met in Geneva.", 200,
		       "Leaders met in Geneva.");
	expect_summary("Leaders met in Geneva", 200, "Leaders met in Geneva");
}

Test(summary, text_of_exactly_the_limit_kept_whole)
{
	expect_summary("Leaders met.", 12, "Leaders met.");
}

Test(summary, white_space_flattened)
{
	expect_summary("  Leaders met.\n\nThey  talked.\t", 200,
		       "Leaders met. They talked.");
}

Test(summary, trailing_white_space_does_not_count)
{
	/* The text fits; the blank lines after it are not text. */
	expect_summary("Leaders met.\n\n", 12, "Leaders met.");
	expect_summary("Leaders met in Geneva.   \n", 22,
		       "Leaders met in Geneva.");
}

Test(summary, one_character_over_the_limit_is_cut)
{
	char *got = sl_summary_of("Leaders met", 10);

	cr_assert_not_null(got);
	cr_assert_str_neq(got, "Leaders met", "11 characters kept in 10");
	cr_assert(n_chars(got) <= 11, "%s", got);
	free(got);
}

Test(summary, nothing_gives_null)
{
	cr_assert_null(sl_summary_of(NULL, 200));
	cr_assert_null(sl_summary_of("", 200));
	cr_assert_null(sl_summary_of(" \n\t\n ", 200));
}

Test(summary, cut_at_sentence_end)
{
	expect_summary("Leaders met in Geneva on Friday. They agreed on a plan "
		       "to cut emissions by half within ten years.",
		       60, "Leaders met in Geneva on Friday.");
}

Test(summary, keeps_several_sentences_that_fit)
{
	expect_summary("Leaders met. They talked. They agreed on a plan to cut "
		       "emissions by half within ten years.",
		       40, "Leaders met. They talked.");
}

Test(summary, question_and_exclamation_end_sentences)
{
	expect_summary("Will the plan hold? Nobody at the summit in Geneva "
		       "would say so on Friday evening.",
		       40, "Will the plan hold?");
	expect_summary("The plan holds! Nobody at the summit in Geneva would "
		       "have said so on Friday evening.",
		       40, "The plan holds!");
}

Test(summary, sentence_end_inside_quotes)
{
	expect_summary("She said \"the plan works.\" Then the leaders agreed "
		       "on a plan to cut emissions by half.",
		       40, "She said \"the plan works.\"");
}

Test(summary, word_boundary_when_no_sentence_end)
{
	expect_summary("The leaders of forty nations agreed on a plan to cut "
		       "emissions by half",
		       30, "The leaders of forty nations" ELLIPSIS);
}

Test(summary, word_boundary_when_sentence_end_too_early)
{
	/* "Yes." would make a summary of four characters out of forty. */
	expect_summary("Yes. The leaders of forty nations agreed on a plan to "
		       "cut emissions by half",
		       42, "Yes. The leaders of forty nations agreed" ELLIPSIS);
}

Test(summary, no_punctuation_before_ellipsis)
{
	expect_summary("Leaders, ministers, aides and reporters filled it", 20,
		       "Leaders, ministers" ELLIPSIS);
}

Test(summary, titles_are_not_sentence_ends)
{
	expect_summary("Talks led by Mr. Smith and Dr. Jones went on until "
		       "late in the night in Geneva",
		       40, "Talks led by Mr. Smith and Dr. Jones" ELLIPSIS);
}

Test(summary, initials_are_not_sentence_ends)
{
	expect_summary("A report by J. Smith and K. Jones found that the talks "
		       "went on late into the night",
		       40, "A report by J. Smith and K. Jones found" ELLIPSIS);
}

Test(summary, dotted_initials_are_not_sentence_ends)
{
	expect_summary("The estate of J.R.R. Tolkien said on Monday that the "
		       "film rights were sold",
		       40, "The estate of J.R.R. Tolkien said on" ELLIPSIS);
}

Test(summary, title_after_parenthesis_is_not_a_sentence_end)
{
	expect_summary("Leaders met (Dr. Jones among them) and talked about "
		       "the plan for the next ten years",
		       40, "Leaders met (Dr. Jones among them) and" ELLIPSIS);
}

Test(summary, multi_byte_text_cut_at_a_word)
{
	/* Two bytes per letter here: the limit counts characters. */
	const char *text = "\xC3\xA9\xC3\xA9\xC3\xA9 \xC3\xA9\xC3\xA9\xC3\xA9 "
			   "\xC3\xA9\xC3\xA9\xC3\xA9 \xC3\xA9\xC3\xA9\xC3\xA9";

	expect_summary(text, 10,
		       "\xC3\xA9\xC3\xA9\xC3\xA9 \xC3\xA9\xC3\xA9\xC3\xA9"
		       ELLIPSIS);
}

Test(summary, text_without_spaces_cut_at_the_limit_in_characters)
{
	/* Japanese has no spaces: cut at 5 characters, not 5 bytes. */
	expect_summary("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE6\x97\xA5"
		       "\xE6\x9C\xAC\xE8\xAA\x9E\xE6\x97\xA5\xE6\x9C\xAC",
		       5,
		       "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE6\x97\xA5"
		       "\xE6\x9C\xAC" ELLIPSIS);
}

Test(summary, never_over_the_limit_never_inside_a_code_point)
{
	const char *text =
		"Z\xC3\xBCrich, Gen\xC3\xA8ve \xE2\x80\x94 Leaders of forty "
		"nations met on Friday. Mr. Smith said the \xE2\x82\xAC" "5bn "
		"plan \xF0\x9F\x93\xB0 would hold; \xE6\x97\xA5\xE6\x9C\xAC"
		"\xE8\xAA\x9E text followed. Others disagreed!";
	size_t total = n_chars(text);

	for (size_t max = 1; max <= total + 5; max++) {
		char *got = sl_summary_of(text, max);
		size_t limit = max;

		cr_assert_not_null(got, "limit %zu", max);
		cr_assert(sl_utf8_valid(got, strlen(got)), "limit %zu: %s",
			  max, got);
		if (ends_with(got, ELLIPSIS))
			limit++;
		cr_assert(n_chars(got) <= limit, "limit %zu: %zu chars: %s",
			  max, n_chars(got), got);
		if (max >= total)
			cr_assert_str_eq(got, text, "limit %zu", max);
		free(got);
	}
}

/* ------------------------------------------------------------------ */
/* sl_reading_minutes                                                  */

Test(reading_minutes, at_least_one_minute)
{
	cr_assert_eq(sl_reading_minutes(0), 1);
	cr_assert_eq(sl_reading_minutes(1), 1);
	cr_assert_eq(sl_reading_minutes(SL_WORDS_PER_MINUTE), 1);
}

Test(reading_minutes, rounded_to_the_nearest_minute)
{
	cr_assert_eq(sl_reading_minutes(SL_WORDS_PER_MINUTE * 3 / 2 - 1), 1);
	cr_assert_eq(sl_reading_minutes(SL_WORDS_PER_MINUTE * 3 / 2), 2);
	cr_assert_eq(sl_reading_minutes(SL_WORDS_PER_MINUTE * 5), 5);
	cr_assert_eq(sl_reading_minutes(1000), 4); /* 4.35 minutes */
	cr_assert_eq(sl_reading_minutes(1100), 5); /* 4.78 minutes */
}

Test(reading_minutes, capped_for_absurd_counts)
{
	cr_assert_eq(sl_reading_minutes((size_t)SL_WORDS_PER_MINUTE * 200000),
		     100000);
	cr_assert_eq(sl_reading_minutes(SIZE_MAX), 100000);
}

Test(article_json, lone_surrogate_escapes_are_repaired)
{
	sl_article *a = parsed("{\"title\":\"a\\ud800b\",\"body\":"
			       "\"pair \\ud83d\\ude00 ok, lone \\udc00\"}");

	cr_assert_str_eq(a->title, "a\xEF\xBF\xBD" "b");
	cr_assert_str_eq(a->body_text, "pair \xF0\x9F\x98\x80 ok, lone "
				       "\xEF\xBF\xBD");
	sl_article_free(a);
}

Test(article_json, empty_published_means_unknown)
{
	sl_article *a = parsed("{\"title\":\"T\",\"published\":\"\"}");

	cr_assert_eq(a->published, SL_TIME_NONE);
	sl_article_free(a);
	expect_rejected("{\"title\":\"T\",\"published\":\"yesterday\"}");
}

/* ------------------------------------------------------------------ */
/* JSON written directly (the rail's output) is jansson's text          */

static char *jansson_text(json_t *v)
{
	char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

	json_decref(v);
	return text;
}

Test(json_out, strings_are_escaped_as_jansson_does)
{
	static const char *const cases[] = {
	    "",
	    "plain words",
	    "a \"quoted\" word and a back\\slash",
	    "tab\there, new\nline, return\r, \b and \f",
	    "\x01\x02\x1f control bytes",
	    "caf\xC3\xA9 \xE6\xB4\xAA\xE6\xB0\xB4 \xF0\x9F\x93\xB0 and / slash",
	    "\x7f delete and \xE2\x80\xA8 line separator",
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sl_buf b = {0};
		char *want = jansson_text(json_string(cases[i]));

		sl_json_add_str(&b, cases[i]);
		cr_assert_str_eq(b.data, want, "case %zu", i);
		free(want);
		sl_buf_free(&b);
	}
	{
		sl_buf b = {0};

		sl_json_add_str(&b, NULL);
		sl_json_add_time(&b, SL_TIME_NONE);
		cr_assert_str_eq(b.data, "nullnull");
		sl_buf_free(&b);
	}
}

Test(json_out, numbers_and_times_are_written_as_jansson_does)
{
	static const double reals[] = {0,    1,	   -2,	0.1,	 1.0 / 3,
				       1e-9, 2e21, 123456789.25, 0.7071067811865476,
				       1e-5, 1.5e300, -3e-100, 1e100};

	for (size_t i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		sl_buf b = {0};
		char *want = jansson_text(json_real(reals[i]));

		sl_json_add_real(&b, reals[i]);
		cr_assert_str_eq(b.data, want, "real %zu (%g)", i, reals[i]);
		free(want);
		sl_buf_free(&b);
	}
	{
		sl_buf b = {0};
		char *want = jansson_text(sl_json_time(1795000000));

		sl_json_add_time(&b, 1795000000);
		cr_assert_str_eq(b.data, want);
		free(want);
		sl_buf_free(&b);
	}
}
