/* test_extract.c - HTML pages to articles, and the sanitizer.
 *
 * The pages are tests/fixtures/extract/NAME.html, each beside NAME.json:
 * the fields a careful reader of the page expects (the format and its
 * conventions are in tests/fixtures/extract/README.md). One Test per page,
 * so that a failure names it. Then sl_sanitize_html on hostile fragments,
 * and inputs that must not break the extractor: deep nesting, a page over
 * the size cap, empty and binary input. Tests run from the repository
 * root, as tests/run runs them. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include "storyline.h"

#define FIXTURES "tests/fixtures/extract"

/* Every fixture page; every_page_has_a_test keeps this list and the
 * folder the same. */
static const char *const pages[] = {
    "wire-story",     "blog-comments", "rail-newsletter", "live-updates",
    "paywall-teaser", "jsonld-only",   "latin1",	  "http-charset",
    "front-page",     "multi-article", "lazy-image",	  "amp",
    "hostile",
};
#define N_PAGES (sizeof(pages) / sizeof(pages[0]))

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

/* The whole file as a NUL-terminated buffer; *len excludes the NUL. */
static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *data;
	long size;

	cr_assert_not_null(fp, "cannot open %s (run from the repository root)",
			   path);
	cr_assert_eq(fseek(fp, 0, SEEK_END), 0);
	size = ftell(fp);
	cr_assert_geq(size, 0);
	rewind(fp);
	data = malloc((size_t)size + 1);
	cr_assert_not_null(data);
	cr_assert_eq(fread(data, 1, (size_t)size, fp), (size_t)size, "%s",
		     path);
	data[size] = '\0';
	fclose(fp);
	*len = (size_t)size;
	return data;
}

static json_t *load_expected(const char *page)
{
	char path[256];
	json_error_t err;
	json_t *want;

	snprintf(path, sizeof(path), FIXTURES "/%s.json", page);
	want = json_load_file(path, 0, &err);
	cr_assert(json_is_object(want), "%s:%d: %s", path, err.line, err.text);
	return want;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && memcmp(s + n - t, tail, t) == 0;
}

/* At most 300 bytes of s from off, for failure messages. */
static const char *excerpt(const char *s, size_t off)
{
	static char buf[304];
	size_t n;

	if (!s)
		return "(null)";
	n = strlen(s);
	if (off > n)
		off = n;
	snprintf(buf, sizeof(buf), "%.300s", s + off);
	return buf;
}

/* Paragraphs of a body_text: non-empty runs between blank lines. */
static size_t n_paragraphs(const char *text)
{
	size_t n = 0;
	const char *p = text;

	while (*p) {
		const char *end = strstr(p, "\n\n");
		size_t len = end ? (size_t)(end - p) : strlen(p);

		n += len > 0;
		p += len;
		while (*p == '\n')
			p++;
	}
	return n;
}

/* A string field against the JSON: an absent key is not checked, null
 * means the field must be NULL, a string must match exactly. */
static void expect_field(const char *page, json_t *want, const char *key,
			 const char *got)
{
	json_t *w = json_object_get(want, key);

	if (!w)
		return;
	if (json_is_null(w)) {
		cr_expect_null(got, "%s: %s is \"%s\", want none", page, key,
			       got);
		return;
	}
	if (!got) {
		cr_expect_not_null(got, "%s: %s is NULL, want \"%s\"", page,
				   key, json_string_value(w));
		return;
	}
	cr_expect_str_eq(got, json_string_value(w),
			 "%s: %s is \"%s\", want \"%s\"", page, key, got,
			 json_string_value(w));
}

/* A time field: RFC 3339 in the JSON or null (SL_TIME_NONE). */
static void expect_time(const char *page, json_t *want, const char *key,
			int64_t got)
{
	json_t *w = json_object_get(want, key);
	int64_t t = SL_TIME_NONE;
	char got_text[21] = "none", want_text[21] = "none";

	if (!w)
		return;
	if (json_is_string(w))
		cr_assert_eq(sl_time_parse(&t, json_string_value(w)), 0,
			     "%s: bad %s in the fixture", page, key);
	if (got != SL_TIME_NONE)
		sl_time_format(got_text, got);
	if (t != SL_TIME_NONE)
		sl_time_format(want_text, t);
	cr_expect_eq(got, t, "%s: %s is %s, want %s", page, key, got_text,
		     want_text);
}

/* ------------------------------------------------------------------ */
/* Is this HTML safe? A small tag scanner over the sanitizer's output. */

static const char *const banned_tags[] = {
    "script", "style",	  "iframe",   "frame", "frameset", "object",
    "embed",  "applet",	  "form",     "input", "button",   "textarea",
    "select", "option",	  "meta",     "link",  "base",	   "svg",
    "math",   "template", "noscript", "param", "xml",	   "portal",
};

static const char *const url_attrs[] = {
    "href",	"src",	      "srcset", "action", "formaction",
    "poster",	"background", "cite",	"data",	  "xlink:href",
    "longdesc", "usemap",     "lowsrc", "dynsrc", "ping",
};

static int in_list(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(name, list[i]) == 0)
			return 1;
	return 0;
}

/* The value as a browser would act on it: character references decoded,
 * whitespace and control characters (which browsers skip inside a URL
 * scheme) dropped, lower-cased. Enough of HTML's references to catch
 * "java&#x09;script:" and "javascript&colon;". */
static void browser_value(char *out, size_t cap, const char *v, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 1 < cap; i++) {
		unsigned long c = (unsigned char)v[i];

		if (c == '&') {
			const char *semi = memchr(v + i, ';', len - i);
			size_t n = semi ? (size_t)(semi - (v + i)) : 0;

			if (semi && n > 2 && v[i + 1] == '#') {
				c = (v[i + 2] == 'x' || v[i + 2] == 'X')
					? strtoul(v + i + 3, NULL, 16)
					: strtoul(v + i + 2, NULL, 10);
				i += n;
			} else if (semi && n == 6 &&
				   strncasecmp(v + i, "&colon", 6) == 0) {
				c = ':', i += n;
			} else if (semi && n == 4 &&
				   strncasecmp(v + i, "&tab", 4) == 0) {
				c = '\t', i += n;
			} else if (semi && n == 8 &&
				   strncasecmp(v + i, "&newline", 8) == 0) {
				c = '\n', i += n;
			} else if (semi && n == 4 &&
				   strncasecmp(v + i, "&amp", 4) == 0) {
				c = '&', i += n;
			}
		}
		if (c <= 0x20 || c == 0x7F)
			continue;
		out[o++] = c < 0x80 ? (char)tolower((int)c) : '?';
	}
	out[o] = '\0';
}

static void check_attr(const char *what, const char *tag, const char *name,
		       const char *value, size_t value_len)
{
	char v[4096];

	cr_assert(strncasecmp(name, "on", 2) != 0,
		  "%s: event handler %s on <%s> survived", what, name, tag);
	cr_assert(strcasecmp(name, "srcdoc") != 0, "%s: srcdoc on <%s>", what,
		  tag);
	browser_value(v, sizeof(v), value, value_len);
	cr_assert_null(strstr(v, "javascript:"), "%s: %s=\"%.*s\" on <%s>",
		       what, name, (int)value_len, value, tag);
	cr_assert_null(strstr(v, "vbscript:"), "%s: %s=\"%.*s\" on <%s>", what,
		       name, (int)value_len, value, tag);
	cr_assert_null(strstr(v, "expression("), "%s: %s=\"%.*s\" on <%s>",
		       what, name, (int)value_len, value, tag);
	if (in_list(name, url_attrs, sizeof(url_attrs) / sizeof(*url_attrs)))
		cr_assert_null(strstr(v, "data:"), "%s: %s=\"%.*s\" on <%s>",
			       what, name, (int)value_len, value, tag);
}

/* Fails the test when html holds a banned element, an event handler, a
 * script URL, a data: URL or a CSS expression. */
static void expect_clean(const char *html, const char *what)
{
	const char *p = html;

	cr_assert_null(strcasestr(html, "<script"), "%s: <script in %s", what,
		       excerpt(html, 0));
	while ((p = strchr(p, '<'))) {
		char tag[32], name[64];
		size_t n = 0;

		p++;
		if (strncmp(p, "!--", 3) == 0) {
			const char *end = strstr(p + 3, "-->");

			p = end ? end + 3 : p + strlen(p);
			continue;
		}
		if (*p == '/' || *p == '!' || *p == '?')
			p++;
		while (isalnum((unsigned char)*p) || *p == ':' || *p == '-') {
			if (n + 1 < sizeof(tag))
				tag[n++] = *p;
			p++;
		}
		tag[n] = '\0';
		if (n == 0)
			continue; /* a '<' in text (should be &lt;) */
		cr_assert(!in_list(tag, banned_tags,
				   sizeof(banned_tags) / sizeof(*banned_tags)),
			  "%s: <%s> survived: %s", what, tag,
			  excerpt(html, (size_t)(p - html) - n - 1));
		for (;;) {
			const char *value = "";
			size_t value_len = 0, k = 0;

			while (isspace((unsigned char)*p) || *p == '/')
				p++;
			if (!*p || *p == '>')
				break;
			while (*p && !isspace((unsigned char)*p) &&
			       !strchr("=/>", *p)) {
				if (k + 1 < sizeof(name))
					name[k++] = *p;
				p++;
			}
			name[k] = '\0';
			while (isspace((unsigned char)*p))
				p++;
			if (*p == '=') {
				p++;
				while (isspace((unsigned char)*p))
					p++;
				if (*p == '"' || *p == '\'') {
					const char *end = strchr(p + 1, *p);

					value = p + 1;
					value_len = end ? (size_t)(end - value)
							: strlen(value);
					p = value + value_len + (end != NULL);
				} else {
					value = p;
					while (*p &&
					       !isspace((unsigned char)*p) &&
					       *p != '>')
						p++;
					value_len = (size_t)(p - value);
				}
			}
			if (k > 0)
				check_attr(what, tag, name, value, value_len);
		}
	}
}

/* ------------------------------------------------------------------ */
/* The fixture pages                                                   */

static void check_body(const char *page, json_t *want, const sl_article *a)
{
	const char *text = a->body_text ? a->body_text : "";
	const char *html = a->body_html;
	size_t i, pos = 0;
	json_t *item;

	json_array_foreach(json_object_get(want, "body_contains"), i, item)
	{
		const char *s = json_string_value(item);
		const char *at = strstr(text + pos, s);

		if (!at && strstr(text, s)) {
			cr_expect_fail("%s: body_contains[%zu] is in the body "
				       "but out of order: \"%s\"",
				       page, i, s);
			continue;
		}
		if (!at) {
			cr_expect_fail("%s: body_contains[%zu] missing: \"%s\""
				       "\nbody_text from there: \"%s\"",
				       page, i, s, excerpt(text, pos));
			continue;
		}
		pos = (size_t)(at - text) + strlen(s);
	}
	json_array_foreach(json_object_get(want, "body_excludes"), i, item)
	{
		const char *s = json_string_value(item);
		const char *at = strcasestr(text, s);

		cr_expect_null(at, "%s: body_text holds \"%s\": \"%s\"", page,
			       s, excerpt(text, at ? (size_t)(at - text) : 0));
		at = html ? strcasestr(html, s) : NULL;
		cr_expect_null(at, "%s: body_html holds \"%s\": \"%s\"", page,
			       s, excerpt(html, at ? (size_t)(at - html) : 0));
	}
	json_array_foreach(json_object_get(want, "html_contains"), i, item)
	{
		const char *s = json_string_value(item);

		if (!html) {
			cr_expect_fail("%s: no body_html", page);
			break;
		}
		cr_expect_not_null(strstr(html, s),
				   "%s: body_html lacks \"%s\": \"%s\"", page,
				   s, excerpt(html, 0));
	}
	item = json_object_get(want, "body_ends_with");
	if (item)
		cr_expect(
		    ends_with(text, json_string_value(item)),
		    "%s: body_text should end with \"%s\"; it ends "
		    "\"%s\"",
		    page, json_string_value(item),
		    excerpt(text, strlen(text) > 200 ? strlen(text) - 200 : 0));
	item = json_object_get(want, "min_paragraphs");
	if (item)
		cr_expect_geq(n_paragraphs(text),
			      (size_t)json_integer_value(item),
			      "%s: %zu paragraphs, want at least %lld", page,
			      n_paragraphs(text), json_integer_value(item));
	item = json_object_get(want, "max_paragraphs");
	if (item)
		cr_expect_leq(n_paragraphs(text),
			      (size_t)json_integer_value(item),
			      "%s: %zu paragraphs, want at most %lld", page,
			      n_paragraphs(text), json_integer_value(item));

	/* The shape every body_text has: paragraphs split by one blank line,
	 * no stray whitespace at either end. */
	cr_expect_null(strstr(text, "\n\n\n"), "%s: a run of blank lines",
		       page);
	cr_expect_null(strchr(text, '\r'), "%s: a carriage return", page);
	if (*text) {
		cr_expect(!isspace((unsigned char)text[0]) &&
			      !isspace((unsigned char)text[strlen(text) - 1]),
			  "%s: body_text starts or ends with whitespace", page);
	}
	if (html)
		expect_clean(html, page); /* fatal: the last check */
}

static void check_page(const char *page)
{
	char path[256];
	json_t *want = load_expected(page);
	sl_extract_opts opts;
	sl_extracted x;
	const sl_article *a;
	size_t len, i;
	char *html;
	json_t *item;
	int rc;

	snprintf(path, sizeof(path), FIXTURES "/%s.html", page);
	html = read_file(path, &len);
	memset(&x, 0, sizeof(x));
	sl_extract_opts_init(&opts);
	opts.url = json_string_value(json_object_get(want, "url"));
	opts.charset = json_string_value(json_object_get(want, "charset"));

	rc = sl_extract(&x, html, len, &opts);
	cr_assert_eq(rc, 0, "%s: sl_extract: %d %s", page, rc, sl_error_last());
	cr_assert_not_null(x.article, "%s: no article", page);
	a = x.article;

	cr_expect_eq(!!x.readerable,
		     json_is_true(json_object_get(want, "readerable")),
		     "%s: readerable is %d", page, x.readerable);
	expect_field(page, want, "title", a->title);
	expect_field(page, want, "byline", a->byline);
	expect_field(page, want, "outlet", a->outlet);
	expect_field(page, want, "lang", a->lang);
	expect_field(page, want, "image", a->image);
	expect_time(page, want, "published", a->published);
	expect_time(page, want, "modified", x.modified);

	json_array_foreach(json_object_get(want, "captions"), i, item)
	{
		const char *c = json_string_value(item);
		size_t k;

		for (k = 0; k < a->n_captions; k++)
			if (a->captions[k] && strstr(a->captions[k], c))
				break;
		cr_expect_lt(k, a->n_captions,
			     "%s: no caption holds \"%s\" (%zu captions%s%s)",
			     page, c, a->n_captions,
			     a->n_captions ? ", the first: " : "",
			     a->n_captions ? a->captions[0] : "");
	}

	if (x.readerable) {
		cr_expect(a->body_text && *a->body_text, "%s: empty body",
			  page);
		cr_expect_geq(a->reading_minutes, 1, "%s: reading_minutes",
			      page);
	} else {
		cr_expect(!a->body_text || !*a->body_text,
			  "%s: not readerable, yet a body: \"%s\"", page,
			  excerpt(a->body_text, 0));
	}
	check_body(page, want, a);

	sl_extracted_clear(&x);
	json_decref(want);
	free(html);
}

Test(extract_page, wire_story)
{
	check_page("wire-story");
}
Test(extract_page, blog_comments)
{
	check_page("blog-comments");
}
Test(extract_page, rail_newsletter)
{
	check_page("rail-newsletter");
}
Test(extract_page, live_updates)
{
	check_page("live-updates");
}
Test(extract_page, paywall_teaser)
{
	check_page("paywall-teaser");
}
Test(extract_page, jsonld_only)
{
	check_page("jsonld-only");
}
Test(extract_page, latin1)
{
	check_page("latin1");
}
Test(extract_page, http_charset)
{
	check_page("http-charset");
}
Test(extract_page, front_page)
{
	check_page("front-page");
}
Test(extract_page, multi_article)
{
	check_page("multi-article");
}
Test(extract_page, lazy_image)
{
	check_page("lazy-image");
}
Test(extract_page, amp)
{
	check_page("amp");
}
Test(extract_page, hostile)
{
	check_page("hostile");
}

/* A page added to the folder without a Test above would never run. */
Test(extract_page, every_page_has_a_test)
{
	DIR *dir = opendir(FIXTURES);
	struct dirent *e;
	size_t n_html = 0;

	cr_assert_not_null(dir,
			   "cannot open %s (run from the repository "
			   "root)",
			   FIXTURES);
	while ((e = readdir(dir))) {
		size_t n = strlen(e->d_name), k;
		char json_path[512];
		FILE *fp;

		if (n < 6 || strcmp(e->d_name + n - 5, ".html") != 0)
			continue;
		n_html++;
		for (k = 0; k < N_PAGES; k++)
			if (strlen(pages[k]) == n - 5 &&
			    strncmp(pages[k], e->d_name, n - 5) == 0)
				break;
		cr_assert_lt(k, N_PAGES, "%s has no Test in test_extract.c",
			     e->d_name);
		snprintf(json_path, sizeof(json_path), FIXTURES "/%.*s.json",
			 (int)(n - 5), e->d_name);
		fp = fopen(json_path, "r");
		cr_assert_not_null(fp, "%s has no expected fields (%s)",
				   e->d_name, json_path);
		fclose(fp);
	}
	closedir(dir);
	cr_assert_eq(n_html, N_PAGES, "%zu pages in %s, %zu listed", n_html,
		     FIXTURES, N_PAGES);
}

/* ------------------------------------------------------------------ */
/* The JSON form                                                       */

Test(extract_json, carries_the_fields)
{
	json_t *want = load_expected("wire-story");
	const char *first = json_string_value(
	    json_array_get(json_object_get(want, "body_contains"), 0));
	sl_extract_opts opts;
	sl_extracted x;
	json_error_t err;
	json_t *obj, *published;
	size_t len;
	char *html = read_file(FIXTURES "/wire-story.html", &len);
	char *text;
	int64_t t, want_t;

	memset(&x, 0, sizeof(x));
	sl_extract_opts_init(&opts);
	opts.url = json_string_value(json_object_get(want, "url"));
	cr_assert_eq(sl_extract(&x, html, len, &opts), 0, "%s",
		     sl_error_last());
	text = sl_extracted_to_json(&x);
	cr_assert_not_null(text);
	obj = json_loads(text, 0, &err);
	cr_assert(json_is_object(obj), "not JSON (%s): %s", err.text,
		  excerpt(text, 0));

	cr_assert(json_is_string(json_object_get(obj, "title")), "%s", text);
	cr_assert_str_eq(json_string_value(json_object_get(obj, "title")),
			 json_string_value(json_object_get(want, "title")));
	cr_assert(json_is_string(json_object_get(obj, "body_text")), "%s",
		  text);
	cr_assert_not_null(
	    strstr(json_string_value(json_object_get(obj, "body_text")), first),
	    "body_text: %s", text);
	cr_assert(json_is_true(json_object_get(obj, "readerable")), "%s", text);
	published = json_object_get(obj, "published");
	cr_assert(json_is_string(published), "published: %s", text);
	cr_assert_eq(sl_time_parse(&t, json_string_value(published)), 0);
	sl_time_parse(&want_t,
		      json_string_value(json_object_get(want, "published")));
	cr_assert_eq(t, want_t, "published %s", json_string_value(published));

	json_decref(obj);
	free(text);
	sl_extracted_clear(&x);
	json_decref(want);
	free(html);
}

Test(extract_json, not_readerable_says_so)
{
	sl_extract_opts opts;
	sl_extracted x;
	json_t *obj;
	size_t len;
	char *html = read_file(FIXTURES "/front-page.html", &len);
	char *text;

	memset(&x, 0, sizeof(x));
	sl_extract_opts_init(&opts);
	opts.url = "https://www.northfieldgazette.example/";
	cr_assert_eq(sl_extract(&x, html, len, &opts), 0, "%s",
		     sl_error_last());
	text = sl_extracted_to_json(&x);
	cr_assert_not_null(text);
	obj = json_loads(text, 0, NULL);
	cr_assert(json_is_object(obj), "not JSON: %s", excerpt(text, 0));
	cr_assert(json_is_false(json_object_get(obj, "readerable")), "%s",
		  text);
	json_decref(obj);
	free(text);
	sl_extracted_clear(&x);
	free(html);
}

/* ------------------------------------------------------------------ */
/* Inputs that must not break the extractor                           */

/* A recursive walk over the tree would overflow the stack here; the
 * result may be anything, but the call must come back. */
Test(extract_limits, deep_nesting_returns, .timeout = 120)
{
	const size_t depth = 100000;
	const char *open = "<div>", *close = "</div>";
	const char *head = "<!DOCTYPE html><html><head><title>Deep</title>"
			   "</head><body>";
	const char *mid = "<p>A paragraph at the bottom of a very deep page, "
			  "long enough to look like text.</p>";
	const char *tail = "</body></html>";
	size_t len = strlen(head) + depth * (strlen(open) + strlen(close)) +
		     strlen(mid) + strlen(tail);
	char *html = malloc(len + 1), *p = html;
	sl_extract_opts opts;
	sl_extracted x;
	int rc;

	cr_assert_not_null(html);
	p = stpcpy(p, head);
	for (size_t i = 0; i < depth; i++)
		p = stpcpy(p, open);
	p = stpcpy(p, mid);
	for (size_t i = 0; i < depth; i++)
		p = stpcpy(p, close);
	p = stpcpy(p, tail);
	cr_assert_eq((size_t)(p - html), len);

	memset(&x, 0, sizeof(x));
	sl_extract_opts_init(&opts);
	opts.url = "https://deep.example/page";
	rc = sl_extract(&x, html, len, &opts);
	if (rc == 0) {
		cr_assert_not_null(x.article, "success without an article");
		if (x.article->body_html)
			expect_clean(x.article->body_html, "deep page");
	}
	sl_extracted_clear(&x);
	free(html);
}

Test(extract_limits, over_the_cap_is_refused)
{
	sl_extract_opts opts;
	sl_extracted x;
	size_t len;
	char *html = read_file(FIXTURES "/wire-story.html", &len);
	int rc;

	memset(&x, 0, sizeof(x));
	sl_extract_opts_init(&opts);
	cr_assert_geq(opts.max_bytes, (size_t)1 << 20,
		      "the default cap fits real pages");
	opts.url = "https://www.harbourtimes.example/business/2026/11/20/"
		   "port-ellis-dock-workers-walk-out";
	opts.max_bytes = 1024;
	cr_assert_gt(len, opts.max_bytes);
	rc = sl_extract(&x, html, len, &opts);
	cr_assert_eq(rc, SL_EINVAL,
		     "%d for a page of %zu bytes over a cap "
		     "of %zu",
		     rc, len, opts.max_bytes);
	cr_assert_neq(sl_error_last()[0], '\0', "a message says why");
	sl_extracted_clear(&x);

	/* A page of exactly the cap is taken. */
	memset(&x, 0, sizeof(x));
	opts.max_bytes = len;
	rc = sl_extract(&x, html, len, &opts);
	cr_assert_eq(rc, 0, "%d at the cap: %s", rc, sl_error_last());
	cr_assert(x.readerable);
	sl_extracted_clear(&x);
	free(html);
}

/* A 50 MB page the way pages get that big (inline scripts and state, then
 * the article), with the cap raised to take it, in a process whose
 * address space is capped: the call comes back with the article. Under
 * AddressSanitizer, which reserves terabytes of address space, only the
 * cap on memory is left out. */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#else
#define UNDER_ASAN 0
#endif

Test(extract_limits, fifty_megabytes_within_a_memory_cap, .timeout = 120)
{
	const size_t want = 50u << 20;
	const char *head = "<!DOCTYPE html><html><head><title>Budget night"
			   "</title></head><body>";
	const char *script = "<script>window.__STATE__={\"items\":[1,2,3]};"
			     "</script>\n";
	const char *para = "<p>The council passed the harbour budget late on "
			   "Tuesday, after a debate that ran past midnight, "
			   "and the ferry will run again in the spring.</p>\n";
	char *html = malloc(want + 4096), *p = html;
	size_t len;
	sl_extract_opts opts;
	sl_extracted x;
	int rc;

	cr_assert_not_null(html);
	if (!UNDER_ASAN) {
		struct rlimit cap = {1536u << 20, 1536u << 20};

		cr_assert_eq(setrlimit(RLIMIT_AS, &cap), 0);
	}
	p = stpcpy(p, head);
	while ((size_t)(p - html) < want - (4u << 20))
		p = stpcpy(p, script);
	p = stpcpy(p, "<article>");
	while ((size_t)(p - html) < want)
		p = stpcpy(p, para);
	p = stpcpy(p, "</article></body></html>");
	len = (size_t)(p - html);

	memset(&x, 0, sizeof(x));
	sl_extract_opts_init(&opts);
	rc = sl_extract(&x, html, len, &opts);
	cr_assert_eq(rc, SL_EINVAL, "the default cap refuses %zu bytes", len);
	cr_assert(strstr(sl_error_last(), "limit"), "%s", sl_error_last());

	opts.max_bytes = 64u << 20;
	rc = sl_extract(&x, html, len, &opts);
	cr_assert_eq(rc, 0, "%s", sl_error_last());
	cr_assert(x.readerable);
	cr_assert_not_null(x.article->body_text);
	cr_assert(strstr(x.article->body_text, "harbour budget"));
	cr_assert_null(strstr(x.article->body_text, "__STATE__"));
	sl_extracted_clear(&x);
	free(html);
}

static void expect_no_article(const char *what, const char *input, size_t len)
{
	sl_extract_opts opts;
	sl_extracted x;
	int rc;

	memset(&x, 0, sizeof(x));
	sl_extract_opts_init(&opts);
	opts.url = "https://empty.example/";
	rc = sl_extract(&x, input, len, &opts);
	cr_assert(rc < 0 || !x.readerable, "%s: rc %d, readerable %d", what, rc,
		  x.readerable);
	sl_extracted_clear(&x);
	sl_extracted_clear(&x); /* clearing twice is harmless */
}

Test(extract_limits, empty_and_binary_input)
{
	static const char binary[] = "\x00\x01\xff\xfe\x00<\x00p\x00>\x89PNG"
				     "\r\n\x1a\n\x00\x00\x00\rIHDR";

	expect_no_article("empty", "", 0);
	expect_no_article("spaces", "  \n\t ", 5);
	expect_no_article("bare tags", "<html><body></body></html>", 26);
	expect_no_article("binary", binary, sizeof(binary) - 1);
	expect_no_article("unclosed", "<html><body><p>Half a", 21);
}

/* ------------------------------------------------------------------ */
/* sl_sanitize_html                                                    */

#define BASE "https://www.harbourtimes.example/news/2026/11/20/story.html"

static char *sanitized(const char *html)
{
	char *out = sl_sanitize_html(html, strlen(html), BASE);

	cr_assert_not_null(out, "sanitizing %s", html);
	return out;
}

static const char *const hostile[] = {
    "<p>a<script>alert(1)</script>b</p>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT><p>text</p>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<img src=\"x\" ONERROR = \"alert(1)\">",
    "<p onclick=\"alert(1)\" ONMOUSEOVER='alert(2)'>x</p>",
    "<div onpointerenter=alert(1)>x</div>",
    "<details open ontoggle=alert(1)><summary>s</summary>x</details>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\" JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"java&#x09;script:alert(1)\">x</a>",
    "<a href=\"jav&#x0A;ascript:alert(1)\">x</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;"
    "&#58;alert(1)\">x</a>",
    "<a href=\"&#x6A;avascript&colon;alert(1)\">x</a>",
    "<a href=\"\x01javascript:alert(1)\">x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<a href=javascript:alert(1)>x</a>",
    "<img src=\"https://ok.example/a.jpg\" "
    "srcset=\"javascript:alert(1) 1x\">",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">"
    "</noscript>",
    "<!--<script>alert(1)</script>-->",
    "<!--><script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
    "<frameset><frame src=\"https://evil.example/\"></frameset>",
    "<object data=\"https://evil.example/x.swf\"></object>",
    "<embed src=\"https://evil.example/x.swf\">",
    "<applet code=\"X.class\"></applet>",
    "<form action=\"https://evil.example/\"><input name=pw>"
    "<button formaction=\"javascript:alert(1)\">go</button></form>",
    "<style>body{background:url(javascript:alert(1))}</style><p>x</p>",
    "<p style=\"width:expression(alert(1))\">x</p>",
    "<p style=\"background:url(&quot;javascript:alert(1)&quot;)\">x</p>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="
    "\">x</a>",
    "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
    "<img src=\" DATA:text/html,<script>alert(1)</script>\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\"><a href=\"x\">x</a>",
    "<link rel=\"stylesheet\" href=\"https://evil.example/x.css\">",
    "<template><script>alert(1)</script></template><p>x</p>",
    "<video poster=\"javascript:alert(1)\"><source src=x onerror=alert(1)>"
    "</video>",
    "<blockquote cite=\"javascript:alert(1)\">q</blockquote>",
    "<p>x</p></body></html><script>alert(1)</script>",
    "<a href=\"https://ok.example/\" xmlns:xlink=\"http://www.w3.org/1999/"
    "xlink\" xlink:href=\"javascript:alert(1)\">x</a>",
};

Test(sanitize, hostile_fragments_come_out_clean)
{
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		char *out = sanitized(hostile[i]);
		char what[256];

		snprintf(what, sizeof(what), "sanitizing %s -> %s", hostile[i],
			 out);
		expect_clean(out, what);
		cr_assert_null(strstr(out, "evil.example"), "%s", what);
		free(out);
	}
}

/* The script and style bodies are not text either. */
Test(sanitize, script_and_style_text_dropped)
{
	char *out = sanitized("<p>before</p><script>var leaked_secret = 1;"
			      "</script><style>.leaked_style{color:red}"
			      "</style><noscript>leaked_noscript</noscript>"
			      "<p>after</p>");

	cr_assert_null(strstr(out, "leaked_secret"), "%s", out);
	cr_assert_null(strstr(out, "leaked_style"), "%s", out);
	cr_assert_not_null(strstr(out, "before"), "%s", out);
	cr_assert_not_null(strstr(out, "after"), "%s", out);
	free(out);
}

Test(sanitize, reading_markup_survives)
{
	static const char *const keep[] = {
	    "<p>",
	    "<em>two</em>",
	    "<strong>three</strong>",
	    "href=\"https://example.org/four\"",
	    ">four</a>",
	    "<ul>",
	    "<li>five</li>",
	    "<ol>",
	    "<li>five and a half</li>",
	    "<blockquote>",
	    "six",
	    "<h2>seven</h2>",
	    "<figure>",
	    "<img",
	    "src=\"https://example.org/a.jpg\"",
	    "<figcaption>eight</figcaption>",
	    "<table>",
	    "<th>nine</th>",
	    "<td>ten</td>",
	    "<br",
	    "eleven",
	};
	char *out = sanitized(
	    "<p>One <em>two</em> <strong>three</strong> "
	    "<a href=\"https://example.org/four\">four</a></p>"
	    "<ul><li>five</li></ul><ol><li>five and a half</li></ol>"
	    "<blockquote><p>six</p></blockquote><h2>seven</h2>"
	    "<figure><img src=\"https://example.org/a.jpg\" alt=\"alt\">"
	    "<figcaption>eight</figcaption></figure>"
	    "<table><thead><tr><th>nine</th></tr></thead>"
	    "<tbody><tr><td>ten</td></tr></tbody></table>"
	    "<p>line<br>eleven</p>");

	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		cr_assert_not_null(strstr(out, keep[i]), "lost %s: %s", keep[i],
				   out);
	expect_clean(out, "allowed markup");
	free(out);
}

/* Wrappers outside the allow-list go; what they held stays. */
Test(sanitize, unknown_wrappers_keep_their_text)
{
	char *out = sanitized("<div class=\"x\"><section><span>kept text"
			      "</span> <font color=\"red\">also kept</font>"
			      "</section></div><custom-widget>widget text"
			      "</custom-widget>");

	cr_assert_not_null(strstr(out, "kept text"), "%s", out);
	cr_assert_not_null(strstr(out, "also kept"), "%s", out);
	cr_assert_not_null(strstr(out, "widget text"), "%s", out);
	cr_assert_null(strcasestr(out, "<font"), "%s", out);
	cr_assert_null(strcasestr(out, "<custom-widget"), "%s", out);
	free(out);
}

/* Control characters carry nothing: they go, and the white space around
 * them folds as if they had never been there (left in, " DEL " became
 * two spaces once the article was tidied). */
Test(sanitize, control_characters_leave_one_space)
{
	char *out = sanitized("<p>flood \x7f\x7f defences \x01 held</p>"
			      "<pre>a \x7f b</pre>");

	cr_assert_str_eq(out, "<p>flood defences held</p><pre>a  b</pre>");
	free(out);
}

Test(sanitize, relative_urls_made_absolute)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"<a href=\"/business/\">x</a>",
	     "https://www.harbourtimes.example/business/"},
	    {"<a href=\"../19/earlier.html\">x</a>",
	     "https://www.harbourtimes.example/news/2026/11/19/earlier.html"},
	    {"<a href=\"next.html\">x</a>",
	     "https://www.harbourtimes.example/news/2026/11/20/next.html"},
	    {"<img src=\"img/lead.jpg\" alt=\"\">",
	     "https://www.harbourtimes.example/news/2026/11/20/img/lead.jpg"},
	    {"<img src=\"//cdn.harbourtimes.example/x.jpg\" alt=\"\">",
	     "https://cdn.harbourtimes.example/x.jpg"},
	    {"<a href=\"?page=2\">x</a>",
	     "https://www.harbourtimes.example/news/2026/11/20/"
	     "story.html?page=2"},
	    {"<a href=\"https://other.example/a?b=1\">x</a>",
	     "https://other.example/a?b=1"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = sanitized(cases[i].in);

		cr_assert_not_null(strstr(out, cases[i].want),
				   "%s -> %s, want %s", cases[i].in, out,
				   cases[i].want);
		free(out);
	}
}

Test(sanitize, no_base_no_crash)
{
	const char *in = "<p><a href=\"/relative\">x</a> "
			 "<a href=\"javascript:alert(1)\">y</a></p>";
	char *out = sl_sanitize_html(in, strlen(in), NULL);

	cr_assert_not_null(out);
	expect_clean(out, "no base");
	cr_assert_not_null(strstr(out, "x"), "%s", out);
	free(out);
}

Test(sanitize, text_stays_escaped)
{
	char *out = sanitized("<p>5 &lt; 6 &amp;&amp; 7 &gt; 3</p>"
			      "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
			      "<p>Tom &amp; Jerry</p>");

	cr_assert_not_null(strstr(out, "5 &lt; 6 &amp;&amp; 7"), "%s", out);
	cr_assert_not_null(strstr(out, "&lt;script"), "%s", out);
	cr_assert_not_null(strstr(out, "Tom &amp; Jerry"), "%s", out);
	expect_clean(out, "escaped text");
	free(out);

	/* A quote in an attribute cannot close it. */
	out = sanitized("<a href=\"https://example.org/?a=1&amp;b=2\" "
			"title=\"x&quot;&gt;&lt;script&gt;alert(1)&lt;/script"
			"&gt;\">y</a>");
	cr_assert_not_null(strstr(out, "https://example.org/?a=1&amp;b=2"),
			   "%s", out);
	expect_clean(out, "escaped attribute");
	free(out);
}

Test(sanitize, deep_nesting_returns, .timeout = 120)
{
	const size_t depth = 100000;
	size_t len =
	    depth * (strlen("<blockquote>") + strlen("</blockquote>")) +
	    strlen("<p>deep</p>");
	char *html = malloc(len + 1), *p = html, *out;

	cr_assert_not_null(html);
	for (size_t i = 0; i < depth; i++)
		p = stpcpy(p, "<blockquote>");
	p = stpcpy(p, "<p>deep</p>");
	for (size_t i = 0; i < depth; i++)
		p = stpcpy(p, "</blockquote>");
	out = sl_sanitize_html(html, len, BASE);
	if (out)
		expect_clean(out, "deep fragment");
	free(out);
	free(html);
}

Test(sanitize, empty_fragment)
{
	char *out = sl_sanitize_html("", 0, BASE);

	cr_assert_not_null(out);
	cr_assert_eq(strspn(out, " \n"), strlen(out), "\"%s\"", out);
	free(out);
}
