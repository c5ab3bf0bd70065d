/*
 * fuzz_text.c - fuzz target for the text analysis (tokenizer, folding,
 * stop words, stemming, language guess and the token cache).
 *
 * Input layout: the first byte picks the language argument from a small
 * table (NULL means "guess"); the rest is the title up to the first 0x00
 * byte and the body after it. Without a 0x00 byte there is no title
 * (NULL) and everything is the body. Each part is repaired to valid UTF-8
 * first, as the readers do before anything reaches sl_analyze, and then
 * copied into a buffer of exactly its length with no terminator, so that
 * reading past a field shows under AddressSanitizer.
 *
 * The analyzer is kept for the whole process, so later inputs run through
 * a warm cache; every input is analysed twice and both results must be the
 * same (the second pass is all cache hits).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "util/mem.h"
#include "util/strtab.h"
#include "util/utf8.h"

static const char *const langs[] = {NULL, "en", "de", "fr",
				    "it", "ru", "xx", "pt-BR"};

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_text: %s\n", what);
	abort();
}

/* A field repaired to valid UTF-8, in a buffer of exactly its length. */
static char *repaired_copy(const uint8_t *data, size_t size, size_t *out)
{
	sl_buf b = {0};
	char *copy;

	sl_utf8_repair(&b, (const char *)data, size);
	if (!sl_utf8_valid(b.data, b.len))
		fail("sl_utf8_repair left invalid UTF-8");
	copy = sl_malloc(b.len ? b.len : 1);
	memcpy(copy, b.data, b.len);
	*out = b.len;
	sl_buf_free(&b);
	return copy;
}

/* What one analysis said, copied out of the analyzer. */
typedef struct snapshot {
	char lang[8];
	int lang_guessed;
	sl_token *tokens;
	size_t n_tokens;
	uint64_t *term_ids;
	char **term_texts;
	uint32_t *term_lens;
	uint32_t (*term_tf)[SL_N_FIELDS];
	size_t n_terms;
	size_t n_words;
} snapshot;

static void snapshot_take(snapshot *s, const sl_analysis *res)
{
	memcpy(s->lang, res->lang, sizeof(s->lang));
	s->lang_guessed = res->lang_guessed;
	s->n_tokens = res->n_tokens;
	s->tokens = sl_malloc((res->n_tokens + 1) * sizeof(*s->tokens));
	if (res->n_tokens)
		memcpy(s->tokens, res->tokens,
		       res->n_tokens * sizeof(*s->tokens));
	s->n_terms = res->n_terms;
	s->term_ids = sl_malloc((res->n_terms + 1) * sizeof(*s->term_ids));
	s->term_texts = sl_malloc((res->n_terms + 1) * sizeof(char *));
	s->term_lens = sl_malloc((res->n_terms + 1) * sizeof(uint32_t));
	s->term_tf = sl_malloc((res->n_terms + 1) * sizeof(*s->term_tf));
	for (size_t i = 0; i < res->n_terms; i++) {
		s->term_ids[i] = res->terms[i].id;
		s->term_texts[i] =
			sl_strndup(res->terms[i].text, res->terms[i].len);
		s->term_lens[i] = res->terms[i].len;
		memcpy(s->term_tf[i], res->terms[i].tf, sizeof(s->term_tf[i]));
	}
	s->n_words = res->n_words;
}

static void snapshot_free(snapshot *s)
{
	for (size_t i = 0; i < s->n_terms; i++)
		free(s->term_texts[i]);
	free(s->term_texts);
	free(s->term_ids);
	free(s->term_lens);
	free(s->term_tf);
	free(s->tokens);
}

static void check_same(const snapshot *s, const sl_analysis *res)
{
	if (strcmp(s->lang, res->lang) != 0 ||
	    s->lang_guessed != res->lang_guessed)
		fail("second analysis chose another language");
	if (s->n_tokens != res->n_tokens || s->n_terms != res->n_terms ||
	    s->n_words != res->n_words)
		fail("second analysis gave other counts");
	for (size_t i = 0; i < s->n_tokens; i++) {
		const sl_token *a = &s->tokens[i], *b = &res->tokens[i];

		if (a->term != b->term || a->off != b->off ||
		    a->len != b->len || a->field != b->field ||
		    a->flags != b->flags)
			fail("second analysis gave another token");
	}
	for (size_t i = 0; i < s->n_terms; i++) {
		const sl_term *t = &res->terms[i];

		if (s->term_ids[i] != t->id ||
		    s->term_lens[i] != t->len ||
		    memcmp(s->term_texts[i], t->text, t->len) != 0 ||
		    memcmp(s->term_tf[i], t->tf, sizeof(t->tf)) != 0)
			fail("second analysis gave another term");
	}
}

static void check_invariants(const sl_analysis *res, size_t title_len,
			     size_t body_len, const char *lang)
{
	const size_t field_len[SL_N_FIELDS] = {title_len, body_len};
	uint64_t tf_sum = 0, body_tokens = 0;
	size_t lang_len = strnlen(res->lang, sizeof(res->lang));
	int prev_field = 0;
	uint64_t prev_off = 0;

	if (lang_len < 2 || lang_len > 3)
		fail("language code is not 2-3 letters");
	for (size_t i = 0; i < lang_len; i++)
		if (res->lang[i] < 'a' || res->lang[i] > 'z')
			fail("language code is not lower-case letters");
	if (res->lang_guessed != (lang == NULL))
		fail("lang_guessed does not match the argument");
	for (size_t i = 0; i < res->n_tokens; i++) {
		const sl_token *tok = &res->tokens[i];

		if (tok->field >= SL_N_FIELDS)
			fail("token field out of range");
		if (tok->len == 0)
			fail("empty token");
		if ((uint64_t)tok->off + tok->len > field_len[tok->field])
			fail("token lies outside its field");
		if (tok->term >= res->n_terms)
			fail("token term index out of range");
		/* Text order: title first, offsets growing. */
		if (tok->field < prev_field ||
		    (i > 0 && tok->field == prev_field &&
		     tok->off <= prev_off))
			fail("tokens are not in text order");
		prev_field = tok->field;
		prev_off = tok->off;
		body_tokens += tok->field == SL_FIELD_BODY;
	}
	for (size_t i = 0; i < res->n_terms; i++) {
		const sl_term *term = &res->terms[i];

		if (!term->text || term->len == 0)
			fail("empty term");
		if (term->len > SL_MAX_TOKEN)
			fail("term longer than SL_MAX_TOKEN");
		if (!sl_utf8_valid(term->text, term->len))
			fail("term is not valid UTF-8");
		if (term->id != sl_hash(term->text, term->len))
			fail("term id is not the hash of its text");
		if (term->tf[0] + term->tf[1] == 0)
			fail("term that no token uses");
		tf_sum += (uint64_t)term->tf[0] + term->tf[1];
	}
	if (tf_sum != res->n_tokens)
		fail("term frequencies do not add up to the token count");
	if (res->n_words > body_tokens)
		fail("more words than body tokens");
	if ((uint64_t)res->field_len[0] + res->field_len[1] > res->n_tokens)
		fail("field lengths exceed the token count");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static sl_analyzer *an;
	const uint8_t *nul;
	const char *lang;
	char *title = NULL, *body;
	size_t title_len = 0, body_len;
	const sl_analysis *res;
	snapshot first;

	if (size == 0)
		return 0;
	if (!an)
		an = sl_analyzer_new(); /* lives as long as the process */
	lang = langs[data[0] % (sizeof(langs) / sizeof(langs[0]))];
	data++;
	size--;
	nul = memchr(data, 0, size);
	if (nul) {
		title = repaired_copy(data, (size_t)(nul - data), &title_len);
		size -= (size_t)(nul - data) + 1;
		data = nul + 1;
	}
	body = repaired_copy(data, size, &body_len);

	res = sl_analyze(an, title, title_len, body, body_len, lang);
	check_invariants(res, title_len, body_len, lang);
	snapshot_take(&first, res);
	res = sl_analyze(an, title, title_len, body, body_len, lang);
	check_same(&first, res);
	snapshot_free(&first);

	free(title);
	free(body);
	return 0;
}
