/*
 * fuzz_extract.c - fuzz target for sl_extract, HTML pages to articles.
 *
 * The input is the page's bytes; its first byte picks the declared
 * character set ({none, utf-8, windows-1252, koi8-r, shift_jis, gbk,
 * utf-16, a label iconv does not know}[byte % 8]) so that every
 * conversion path runs. Invariants, each an abort when broken:
 * - success gives an article whose text fields are valid UTF-8, whose
 *   body_html passes the sanitizer's checks (html_check.h) and comes
 *   out of the sanitizer unchanged, and whose JSON is an object; a page
 *   with no article has readerable 0;
 * - failure leaves no article and says why.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html_check.h"
#include "storyline.h"

static void check_utf8(const char *what, const char *s)
{
	fuzz_check_utf8("fuzz_extract", what, s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const charsets[] = {
		NULL, "utf-8", "windows-1252", "koi8-r", "shift_jis", "gbk",
		"utf-16", "x-no-such-charset"};
	sl_extract_opts opts;
	sl_extracted x;
	const sl_article *a;
	char *json;
	json_t *obj;

	sl_extract_opts_init(&opts);
	opts.url = "https://news.example.org/2026/11/20/story.html";
	opts.charset = size ? charsets[data[0] % 8] : NULL;
	if (sl_extract(&x, (const char *)data, size, &opts) < 0) {
		if (x.article || !sl_error_last()[0])
			abort();
		return 0;
	}
	a = x.article;
	if (!a || (x.readerable != 0 && x.readerable != 1))
		abort();
	check_utf8("title", a->title);
	check_utf8("byline", a->byline);
	check_utf8("outlet", a->outlet);
	check_utf8("body_text", a->body_text);
	check_utf8("body_html", a->body_html);
	check_utf8("summary", a->summary);
	check_utf8("image", a->image);
	for (size_t i = 0; i < a->n_captions; i++)
		check_utf8("caption", a->captions[i]);
	if (a->body_html) {
		char *again;

		fuzz_check_sanitized(a->body_html);
		/* the body is what a parser reads from it: cleaning it
		 * again changes nothing */
		again = sl_sanitize_html(a->body_html, strlen(a->body_html),
					 opts.url);
		if (strcmp(again, a->body_html) != 0) {
			fprintf(stderr, "fuzz_extract: body_html not stable:\n"
					"  once:  %s\n  again: %s\n",
				a->body_html, again);
			abort();
		}
		free(again);
	}
	if (!x.readerable && a->body_text)
		abort();
	json = sl_extracted_to_json(&x);
	obj = json ? json_loads(json, 0, NULL) : NULL;
	if (!json_is_object(obj)) {
		fprintf(stderr, "fuzz_extract: JSON does not parse: %s\n",
			json ? json : "(null)");
		abort();
	}
	json_decref(obj);
	free(json);
	sl_extracted_clear(&x);
	return 0;
}
