/*
 * article.c - the article record: allocation, tidying of the fields,
 * derived summary and reading time, and the JSON-lines form of
 * DESIGN.md (parse and emit).
 *
 * The JSON form is a contract with other tools: known fields are checked
 * for their type, unknown ones are kept verbatim in `extra` and written
 * back out, so an export re-imports unchanged.
 */
#include "article.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "util/mem.h"
#include "util/utf8.h"

sl_article *sl_article_new(void)
{
	sl_article *a = sl_calloc(1, sizeof(*a));

	a->published = SL_TIME_NONE;
	a->fetched_at = SL_TIME_NONE;
	return a;
}

void sl_article_free(sl_article *a)
{
	if (!a)
		return;
	free(a->id);
	free(a->url);
	free(a->canonical_url);
	free(a->outlet);
	free(a->title);
	free(a->byline);
	free(a->lang);
	free(a->body_text);
	free(a->body_html);
	free(a->summary);
	free(a->image);
	for (size_t i = 0; i < a->n_captions; i++)
		free(a->captions[i]);
	free(a->captions);
	free(a->extra);
	free(a);
}

sl_article *sl_article_copy(const sl_article *a)
{
	sl_article *c = sl_article_new();

	*c = *a;
	c->id = sl_strdup(a->id);
	c->url = sl_strdup(a->url);
	c->canonical_url = sl_strdup(a->canonical_url);
	c->outlet = sl_strdup(a->outlet);
	c->title = sl_strdup(a->title);
	c->byline = sl_strdup(a->byline);
	c->lang = sl_strdup(a->lang);
	c->body_text = sl_strdup(a->body_text);
	c->body_html = sl_strdup(a->body_html);
	c->summary = sl_strdup(a->summary);
	c->image = sl_strdup(a->image);
	c->extra = sl_strdup(a->extra);
	c->captions = a->n_captions ?
			      sl_calloc(a->n_captions, sizeof(char *)) : NULL;
	for (size_t i = 0; i < a->n_captions; i++)
		c->captions[i] = sl_strdup(a->captions[i]);
	return c;
}

/* ------------------------------------------------------------------ */
/* Tidying                                                             */

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* Tidy one field in place; one_line folds all white space to spaces. */
static void tidy(char **field, int one_line)
{
	char *s = *field, *w;
	int pending_space = 0;

	if (!s)
		return;
	if (!one_line) {
		/* Most bodies need no rewriting: look before touching. */
		char *r = s;

		while (*r && (((unsigned char)*r >= 0x20 && *r != 0x7F) ||
			      *r == '\n' || *r == '\t'))
			r++;
		if (!*r) {
			w = r;
			goto trim;
		}
	}
	w = s;
	for (char *r = s; *r; r++) {
		unsigned char c = (unsigned char)*r;

		if (c == '\r') {
			if (r[1] == '\n')
				continue;
			c = '\n';
		}
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
			continue; /* control characters carry nothing */
		if (one_line && is_space(c)) {
			pending_space = w > s;
			continue;
		}
		if (pending_space) {
			*w++ = ' ';
			pending_space = 0;
		}
		*w++ = (char)c;
	}
	*w = '\0';
trim:
	/* Trim both ends. */
	while (w > s && is_space((unsigned char)w[-1]))
		*--w = '\0';
	w = s;
	while (is_space((unsigned char)*w))
		w++;
	if (w != s)
		memmove(s, w, strlen(w) + 1);
	if (!*s) {
		free(s);
		*field = NULL;
	}
}

void sl_article_tidy(sl_article *a)
{
	tidy(&a->id, 1);
	tidy(&a->url, 1);
	tidy(&a->outlet, 1);
	tidy(&a->title, 1);
	tidy(&a->byline, 1);
	tidy(&a->lang, 1);
	tidy(&a->body_text, 0);
	tidy(&a->body_html, 0);
	tidy(&a->summary, 1);
	tidy(&a->image, 1);
	for (size_t i = 0; i < a->n_captions; i++)
		tidy(&a->captions[i], 1);
	/* Drop captions that tidied to nothing. */
	size_t kept = 0;

	for (size_t i = 0; i < a->n_captions; i++)
		if (a->captions[i])
			a->captions[kept++] = a->captions[i];
	a->n_captions = kept;
}

/* ------------------------------------------------------------------ */
/* Derived fields                                                      */

int sl_reading_minutes(size_t words)
{
	size_t m = words / SL_WORDS_PER_MINUTE +
		   (words % SL_WORDS_PER_MINUTE >= SL_WORDS_PER_MINUTE / 2);

	return m < 1 ? 1 : (int)(m > 100000 ? 100000 : m);
}

/* A dot after these ends no sentence. */
static int is_abbreviation(const char *word, size_t len)
{
	static const char *const abbrevs[] = {
		"mr", "mrs", "ms", "dr", "st", "gen", "sen", "rep", "gov",
		"lt", "col", "sgt", "jr", "sr", "no", "inc", "co", "corp",
		"ltd", "vs", "prof", "capt", "cmdr", "mt", "ft", NULL};
	size_t i;

	/* Initials: "J", "J.R.R", "U.S". */
	for (i = 0; i < len; i += 2)
		if (!isalpha((unsigned char)word[i]) ||
		    (i + 1 < len && word[i + 1] != '.'))
			break;
	if (i >= len)
		return 1;
	for (const char *const *a = abbrevs; *a; a++)
		if (strlen(*a) == len && strncasecmp(*a, word, len) == 0)
			return 1;
	return 0;
}

/* Does the flattened text end a sentence just before byte i? */
static int ends_sentence(const char *flat, size_t i)
{
	size_t end = i, w;

	while (end > 0 && strchr("\"')]\xBB", flat[end - 1]))
		end--;
	if (end == 0 || !strchr(".!?", flat[end - 1]))
		return 0;
	if (flat[end - 1] != '.')
		return 1;
	w = end - 1;
	while (w > 0 && flat[w - 1] != ' ')
		w--;
	while (w < end - 1 && strchr("\"'([", flat[w]))
		w++;
	return !is_abbreviation(flat + w, end - 1 - w);
}

char *sl_summary_of(const char *text, size_t max_chars)
{
	sl_buf flat = {0};
	size_t chars = 0, last_space = 0, sentence = 0, sentence_chars = 0;
	int pending_space = 0, over = 0;

	if (!text)
		return NULL;
	/* Flatten to one line of at most max_chars characters. */
	for (const char *p = text; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (is_space(c)) {
			pending_space = flat.len > 0;
			continue;
		}
		if ((c & 0xC0) != 0x80 &&
		    chars + (size_t)pending_space + 1 > max_chars) {
			over = 1;
			break;
		}
		if (pending_space) {
			/* A boundary: remember the last one, and the last
			 * sentence end. */
			last_space = flat.len;
			if (ends_sentence(flat.data, flat.len)) {
				sentence = flat.len;
				sentence_chars = chars;
			}
			sl_buf_addc(&flat, ' ');
			chars++;
			pending_space = 0;
		}
		if ((c & 0xC0) != 0x80)
			chars++;
		sl_buf_addc(&flat, (char)c);
	}
	if (!over) {
		if (!flat.len) {
			sl_buf_free(&flat);
			return NULL;
		}
		return sl_buf_detach(&flat);
	}
	/* The limit falls on a boundary: the text so far may end well. */
	if (pending_space) {
		last_space = flat.len;
		if (ends_sentence(flat.data, flat.len)) {
			sentence = flat.len;
			sentence_chars = chars;
		}
	}
	/* Whole sentences when they fill a good part of the limit. */
	if (sentence && sentence_chars * 3 >= max_chars) {
		flat.len = sentence;
		flat.data[sentence] = '\0';
		return sl_buf_detach(&flat);
	}
	/* Else a word boundary (or, in text without spaces, the limit). */
	if (last_space)
		flat.len = last_space;
	while (flat.len > 0 && strchr(",;:-", flat.data[flat.len - 1]))
		flat.len--;
	flat.data[flat.len] = '\0';
	sl_buf_adds(&flat, "\xE2\x80\xA6"); /* … */
	return sl_buf_detach(&flat);
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

enum field_kind { F_STRING, F_TIME, F_LIST, F_DERIVED };

/* Known fields in output order; offsets into sl_article. */
static const struct json_field {
	const char *name;
	enum field_kind kind;
	size_t offset;
} json_fields[] = {
	{"id", F_STRING, offsetof(sl_article, id)},
	{"url", F_STRING, offsetof(sl_article, url)},
	{"outlet", F_STRING, offsetof(sl_article, outlet)},
	{"title", F_STRING, offsetof(sl_article, title)},
	{"byline", F_STRING, offsetof(sl_article, byline)},
	{"published", F_TIME, offsetof(sl_article, published)},
	{"lang", F_STRING, offsetof(sl_article, lang)},
	{"body", F_STRING, offsetof(sl_article, body_text)},
	{"summary", F_STRING, offsetof(sl_article, summary)},
	{"body_html", F_STRING, offsetof(sl_article, body_html)},
	{"image", F_STRING, offsetof(sl_article, image)},
	{"captions", F_LIST, 0},
	{"fetched_at", F_TIME, offsetof(sl_article, fetched_at)},
	/* Derived by the engine: written with SL_JSON_FULL, ignored when
	 * read back so that they never disagree with what they derive from. */
	{"canonical_url", F_DERIVED, 0},
	{"reading_minutes", F_DERIVED, 0},
	{"seq", F_DERIVED, 0},
};
#define N_JSON_FIELDS (sizeof(json_fields) / sizeof(json_fields[0]))

static const struct json_field *find_field(const char *name)
{
	if (!strcmp(name, "body_text")) /* the name extract uses */
		name = "body";
	for (size_t i = 0; i < N_JSON_FIELDS; i++)
		if (!strcmp(json_fields[i].name, name))
			return &json_fields[i];
	return NULL;
}

static char *dup_json_string(const json_t *v)
{
	/* Strings may hold NUL (\u0000); it ends the C string, so drop it. */
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	char *d = sl_malloc(n + 1), *w = d;

	for (size_t i = 0; i < n; i++)
		if (s[i])
			*w++ = s[i];
	*w = '\0';
	return d;
}

/*
 * Replace the \uD800-\uDFFF escapes that are not a valid pair with
 * \uFFFD: JSON writers emit them for broken text, and the parser would
 * otherwise reject the whole line. Returns how many were replaced.
 */
static size_t repair_surrogates(sl_buf *out, const char *s, size_t n)
{
	size_t fixed = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned hi, lo;

		if (s[i] != '\\' || i + 1 >= n) {
			sl_buf_addc(out, s[i]);
			continue;
		}
		if (s[i + 1] != 'u' || i + 6 > n ||
		    sscanf(s + i + 2, "%4x", &hi) != 1) {
			sl_buf_add(out, s + i, 2); /* another escape */
			i++;
			continue;
		}
		if (hi >= 0xD800 && hi <= 0xDBFF && i + 12 <= n &&
		    s[i + 6] == '\\' && s[i + 7] == 'u' &&
		    sscanf(s + i + 8, "%4x", &lo) == 1 && lo >= 0xDC00 &&
		    lo <= 0xDFFF) {
			sl_buf_add(out, s + i, 12); /* a valid pair */
			i += 11;
			continue;
		}
		if (hi >= 0xD800 && hi <= 0xDFFF) {
			sl_buf_adds(out, "\\uFFFD");
			fixed++;
		} else {
			sl_buf_add(out, s + i, 6);
		}
		i += 5;
	}
	return fixed;
}

static int read_field(sl_article *a, const struct json_field *f,
		      const char *name, json_t *v)
{
	char *base = (char *)a;

	if (json_is_null(v) || f->kind == F_DERIVED)
		return 0;
	if (!strcmp(f->name, "id") && json_is_integer(v)) {
		/* Numeric ids from other systems are kept as their digits. */
		char digits[32];

		snprintf(digits, sizeof(digits), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		free(a->id);
		a->id = sl_strdup(digits);
		return 0;
	}
	switch (f->kind) {
	case F_STRING:
		if (!json_is_string(v))
			return sl_error_set(SL_EINVAL,
					    "field \"%s\" must be a string",
					    name);
		free(*(char **)(base + f->offset));
		*(char **)(base + f->offset) = dup_json_string(v);
		return 0;
	case F_TIME: {
		int64_t *t = (int64_t *)(base + f->offset);

		if (json_is_integer(v)) {
			*t = json_integer_value(v);
			return 0;
		}
		if (json_is_string(v) && !json_string_value(v)[0])
			return 0; /* "" is how many feeds say "unknown" */
		if (!json_is_string(v) ||
		    sl_time_parse(t, json_string_value(v)) < 0)
			return sl_error_set(
				SL_EINVAL,
				"field \"%s\" must be an RFC 3339 time", name);
		return 0;
	}
	case F_LIST: {
		size_t i;
		json_t *item;

		if (!json_is_array(v))
			return sl_error_set(SL_EINVAL,
					    "field \"%s\" must be a list",
					    name);
		json_array_foreach(v, i, item) {
			if (!json_is_string(item))
				return sl_error_set(
					SL_EINVAL,
					"field \"%s\" must hold strings", name);
		}
		a->captions = sl_calloc(json_array_size(v), sizeof(char *));
		json_array_foreach(v, i, item)
			a->captions[a->n_captions++] = dup_json_string(item);
		return 0;
	}
	case F_DERIVED:
		break;
	}
	return 0;
}

int sl_article_from_json(sl_article **out, const char *json, size_t len)
{
	sl_buf repaired = {0};
	json_error_t jerr;
	json_t *root = NULL, *extra = NULL, *v;
	const char *key;
	sl_article *a = NULL;
	int rc = 0;

	*out = NULL;
	if (!sl_utf8_valid(json, len)) {
		sl_utf8_repair(&repaired, json, len);
		json = repaired.data;
		len = repaired.len;
	}
	root = json_loadb(json, len, JSON_ALLOW_NUL, &jerr);
	if (!root && strstr(jerr.text, "nicode")) {
		sl_buf fixed = {0};

		if (repair_surrogates(&fixed, json, len))
			root = json_loadb(fixed.data, fixed.len, JSON_ALLOW_NUL,
					  &jerr);
		sl_buf_free(&fixed);
	}
	if (!root) {
		rc = sl_error_set(SL_EINVAL, "not JSON: %s (column %d)",
				  jerr.text, jerr.column);
		goto cleanup;
	}
	if (!json_is_object(root)) {
		rc = sl_error_set(SL_EINVAL, "not a JSON object");
		goto cleanup;
	}
	a = sl_article_new();
	json_object_foreach(root, key, v) {
		const struct json_field *f = find_field(key);

		if (f) {
			rc = read_field(a, f, key, v);
			if (rc < 0)
				goto cleanup;
			continue;
		}
		if (!extra)
			extra = json_object();
		json_object_set(extra, key, v);
	}
	if (extra) {
		a->extra = json_dumps(extra, JSON_COMPACT | JSON_PRESERVE_ORDER);
	}
	sl_article_tidy(a);
	if (!a->title && !a->body_text) {
		rc = sl_error_set(SL_EINVAL, "article has no title and no body");
		goto cleanup;
	}
	*out = a;
	a = NULL;
cleanup:
	sl_article_free(a);
	json_decref(extra);
	json_decref(root);
	sl_buf_free(&repaired);
	return rc;
}

static void set_time(json_t *obj, const char *name, int64_t t)
{
	char buf[21];

	if (t == SL_TIME_NONE)
		return;
	sl_time_format(buf, t);
	json_object_set_new(obj, name, json_string(buf));
}

json_t *sl_json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *sl_json_time(int64_t t)
{
	char buf[21];

	if (t == SL_TIME_NONE)
		return json_null();
	sl_time_format(buf, t);
	return json_string(buf);
}

void sl_json_add_str(sl_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *run;

	if (!s) {
		sl_buf_add(b, "null", 4);
		return;
	}
	sl_buf_addc(b, '"');
	for (run = s; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
		size_t n = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		sl_buf_add(b, run, (size_t)(s - run));
		run = s + 1;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default: n = 6;
		}
		sl_buf_add(b, esc, n);
	}
	sl_buf_add(b, run, (size_t)(s - run));
	sl_buf_addc(b, '"');
}

void sl_json_add_time(sl_buf *b, int64_t t)
{
	char buf[21];

	if (t == SL_TIME_NONE) {
		sl_buf_add(b, "null", 4);
		return;
	}
	sl_time_format(buf, t);
	sl_json_add_str(b, buf);
}

void sl_json_add_real(sl_buf *b, double v)
{
	char buf[32], *e, *digits, *end;
	int n = snprintf(buf, sizeof(buf), "%.17g", v);

	/* jansson's exponent: no '+', no leading zeros ("1e-9", "2e21") */
	if ((e = strchr(buf, 'e'))) {
		digits = e + 1 + (e[1] == '-' || e[1] == '+');
		end = digits;
		while (*end == '0' && end[1])
			end++;
		if (e[1] == '+')
			digits = e + 1;
		memmove(digits, end, strlen(end) + 1);
		n = (int)strlen(buf);
	}
	sl_buf_add(b, buf, (size_t)n);
	if (!strpbrk(buf, ".en")) /* n: inf, nan */
		sl_buf_add(b, ".0", 2);
}

static void set_string(json_t *obj, const char *name, const char *s)
{
	if (s)
		json_object_set_new(obj, name, json_string(s));
}

char *sl_article_to_json(const sl_article *a, unsigned flags)
{
	json_t *obj = json_object();
	const char *base = (const char *)a;
	char *text;

	for (size_t i = 0; i < N_JSON_FIELDS; i++) {
		const struct json_field *f = &json_fields[i];

		switch (f->kind) {
		case F_STRING:
			set_string(obj, f->name,
				   *(char *const *)(base + f->offset));
			break;
		case F_TIME:
			set_time(obj, f->name,
				 *(const int64_t *)(base + f->offset));
			break;
		case F_LIST:
			if (a->n_captions) {
				json_t *list = json_array();

				for (size_t c = 0; c < a->n_captions; c++)
					json_array_append_new(
						list, json_string(a->captions[c]));
				json_object_set_new(obj, f->name, list);
			}
			break;
		case F_DERIVED:
			break;
		}
	}
	if (flags & SL_JSON_FULL) {
		set_string(obj, "canonical_url", a->canonical_url);
		if (a->reading_minutes > 0)
			json_object_set_new(obj, "reading_minutes",
					    json_integer(a->reading_minutes));
		if (a->seq > 0)
			json_object_set_new(obj, "seq", json_integer(a->seq));
	}
	if (a->extra) {
		json_t *extra = json_loads(a->extra, JSON_ALLOW_NUL, NULL);

		/* Known fields win: extra never overrides them. */
		if (json_is_object(extra))
			json_object_update_missing(obj, extra);
		json_decref(extra);
	}
	text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	return text;
}
