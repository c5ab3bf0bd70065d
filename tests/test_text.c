/* The shared text analysis: tokens, folding, stop words, stems, flags,
 * term frequencies per field and the language guess. */
#include <criterion/criterion.h>
#include <string.h>

#include "text.h"
#include "util/strtab.h"
#include "util/utf8.h"

static sl_analyzer *an;

static void setup(void)
{
	an = sl_analyzer_new();
}

static void teardown(void)
{
	sl_analyzer_free(an);
}

TestSuite(text, .init = setup, .fini = teardown);

static const sl_analysis *body(const char *text, const char *lang)
{
	return sl_analyze(an, NULL, 0, text, strlen(text), lang);
}

/* The term text of the i-th token. */
static char *term_of(const sl_analysis *res, size_t i)
{
	static char buf[SL_MAX_TOKEN + 1];
	const sl_term *t = &res->terms[res->tokens[i].term];

	memcpy(buf, t->text, t->len);
	buf[t->len] = '\0';
	return buf;
}

/* Index of the first token whose source text is word, or -1. */
static long find_token(const sl_analysis *res, const char *text,
		       const char *word)
{
	for (size_t i = 0; i < res->n_tokens; i++)
		if (res->tokens[i].len == strlen(word) &&
		    !memcmp(text + res->tokens[i].off, word, strlen(word)))
			return (long)i;
	return -1;
}

static uint64_t id_of(const char *text, const char *lang)
{
	const sl_analysis *res = body(text, lang);

	cr_assert_eq(res->n_tokens, 1, "\"%s\" gave %zu tokens", text,
		     res->n_tokens);
	return res->terms[res->tokens[0].term].id;
}

Test(text, words_split_on_space_and_punctuation)
{
	const char *t = "Leaders met; talks (on water) ended.";
	const sl_analysis *res = body(t, "en");

	cr_assert_eq(res->n_tokens, 6);
	cr_assert_eq(find_token(res, t, "water"), 4);
}

Test(text, inflections_share_a_stem)
{
	cr_assert_eq(id_of("flooding", "en"), id_of("floods", "en"));
	cr_assert_eq(id_of("Flooded", "en"), id_of("flood", "en"));
	cr_assert_neq(id_of("flood", "en"), id_of("food", "en"));
}

Test(text, stop_words_are_flagged_not_dropped)
{
	const char *t = "The minister and the mayor";
	const sl_analysis *res = body(t, "en");

	cr_assert_eq(res->n_tokens, 5);
	cr_assert(res->tokens[0].flags & SL_TOK_STOP);
	cr_assert(res->tokens[2].flags & SL_TOK_STOP);
	cr_assert_not(res->tokens[1].flags & SL_TOK_STOP);
	cr_assert_eq(res->field_len[SL_FIELD_BODY], 2,
		     "only content tokens count in the field length");
	cr_assert(res->terms[res->tokens[0].term].stop);
}

/* Days and months are flagged, per language, and stay searchable. */
static int calendar(const char *word, const char *lang)
{
	const sl_analysis *res = body(word, lang);

	cr_assert_eq(res->n_tokens, 1, "\"%s\" gave %zu tokens", word,
		     res->n_tokens);
	cr_assert_not(res->terms[0].stop, "\"%s\" is not a stop word", word);
	return res->terms[0].calendar;
}

Test(text, days_and_months_are_calendar_words)
{
	cr_assert(calendar("Friday", "en"));
	cr_assert(calendar("DECEMBER", "en"));
	cr_assert(calendar("Dienstag", "de"));
	cr_assert(calendar("d'avril", "fr"), "after the elision");
	cr_assert(calendar("mi\xC3\xA9rcoles", "es"));
	cr_assert(calendar("\xD0\xBC\xD0\xB0\xD1\x80\xD1\x82\xD0\xB0", "ru"));
	/* Words that are also news words, and other languages' days. */
	cr_assert_not(calendar("march", "en"), "a protest march");
	cr_assert_not(calendar("minister", "en"));
	cr_assert_not(calendar("Freitag", "en"));
	cr_assert_not(calendar("mars", "fr"), "the planet");
}

Test(text, term_ids_are_the_hash_of_the_text)
{
	const sl_analysis *res = body("water", "en");
	const sl_term *term = &res->terms[0];

	cr_assert_eq(term->id, sl_hash(term->text, term->len));
}

Test(text, hyphens_split)
{
	const char *t = "a long-term plan";
	const sl_analysis *res = body(t, "en");

	cr_assert_geq(find_token(res, t, "long"), 0);
	cr_assert_geq(find_token(res, t, "term"), 0);
}

Test(text, apostrophes_join_and_typographic_ones_match)
{
	const char *t = "The minister's plan";
	const sl_analysis *res = body(t, "en");

	cr_assert_eq(res->n_tokens, 3);
	cr_assert_eq(id_of("don't", "en"), id_of("don\xE2\x80\x99t", "en"));
	cr_assert_eq(id_of("minister's", "en"), id_of("minister", "en"),
		     "the possessive is stemmed away");
}

Test(text, french_elision_is_cut)
{
	const char *t = "l'\xC3\xA9tat et l'eau";
	const sl_analysis *res = body(t, "fr");

	for (size_t i = 0; i < res->n_tokens; i++)
		cr_assert_null(strchr(term_of(res, i), '\''),
			       "term \"%s\" kept the elision", term_of(res, i));
	cr_assert_eq(id_of("l'\xC3\xA9tat", "fr"), id_of("\xC3\xA9tat", "fr"));
}

Test(text, numbers_stay_whole)
{
	const char *t = "12,500 people and 3.7 per cent";
	const sl_analysis *res = body(t, "en");

	cr_assert_str_eq(term_of(res, 0), "12500");
	cr_assert(res->tokens[0].flags & SL_TOK_NUM);
	cr_assert_geq(find_token(res, t, "3.7"), 0);
	cr_assert_str_eq(term_of(res, (size_t)find_token(res, t, "3.7")),
			 "3.7");
}

Test(text, urls_and_emails_stay_whole)
{
	const char *t = "Mail press@example.org or see "
			"https://Example.org/a/b?x=1. Then www.example.com.";
	const sl_analysis *res = body(t, "en");
	long mail = find_token(res, t, "press@example.org");
	long url = find_token(res, t, "https://Example.org/a/b?x=1");
	long www = find_token(res, t, "www.example.com");

	cr_assert_geq(mail, 0);
	cr_assert_geq(url, 0);
	cr_assert_geq(www, 0);
	cr_assert(res->tokens[url].flags & SL_TOK_URL);
	cr_assert_str_eq(term_of(res, (size_t)url),
			 "https://example.org/a/b?x=1");
	cr_assert(res->tokens[mail].flags & SL_TOK_URL);
}

Test(text, acronyms_with_dots)
{
	const char *t = "The U.S. officials met.";
	const sl_analysis *res = body(t, "en");
	long us = find_token(res, t, "U.S");
	long officials = find_token(res, t, "officials");

	cr_assert_geq(us, 0);
	cr_assert_str_eq(term_of(res, (size_t)us), "u.s");
	cr_assert_not(res->tokens[officials].flags & SL_TOK_SENT,
		      "an acronym's dot ends no sentence");
}

Test(text, capitals_and_sentences_are_flagged)
{
	const char *t = "Talks began. Angela Merkel met NATO chiefs.\n\n"
			"later talks";
	const sl_analysis *res = body(t, "en");
	const sl_token *tok = res->tokens;

	cr_assert(tok[0].flags & SL_TOK_SENT);
	cr_assert(tok[find_token(res, t, "Angela")].flags & SL_TOK_SENT);
	cr_assert(tok[find_token(res, t, "Angela")].flags & SL_TOK_CAP);
	cr_assert(tok[find_token(res, t, "Merkel")].flags & SL_TOK_CAP);
	cr_assert_not(tok[find_token(res, t, "Merkel")].flags & SL_TOK_SENT);
	cr_assert(tok[find_token(res, t, "NATO")].flags & SL_TOK_UPPER);
	cr_assert_not(tok[find_token(res, t, "chiefs")].flags & SL_TOK_CAP);
	cr_assert(tok[find_token(res, t, "later")].flags & SL_TOK_SENT,
		  "a paragraph break starts a sentence");
}

Test(text, nfkc_and_case_folding)
{
	cr_assert_eq(id_of("\xEF\xBC\xA6\xEF\xBD\x95\xEF\xBD\x8C\xEF\xBD\x8C",
			   "en"),
		     id_of("full", "en"), "full-width letters");
	cr_assert_eq(id_of("\xEF\xAC\x81nance", "en"), id_of("finance", "en"),
		     "the fi ligature");
	cr_assert_eq(id_of("STRA\xC3\x9F" "E", "de"), id_of("strasse", "de"),
		     "sharp s folds to ss");
	cr_assert_eq(id_of("Z\xC3\xB6" "e", "en"), id_of("zo\xCC\x88" "e", "en"),
		     "composed and decomposed o-umlaut");
	cr_assert_eq(id_of("co\xC2\xAD" "operate", "en"),
		     id_of("cooperate", "en"), "soft hyphen dropped");
}

Test(text, scripts_without_spaces_give_bigrams)
{
	/* Tokyo-to: three Han characters, two bigrams. */
	const char *t = "\xE6\x9D\xB1\xE4\xBA\xAC\xE9\x83\xBD";
	const sl_analysis *res = body(t, NULL);

	cr_assert_eq(res->n_tokens, 2);
	cr_assert(res->tokens[0].flags & SL_TOK_CJK);
	cr_assert_eq(res->tokens[0].len, 6);
	cr_assert_eq(res->tokens[1].off, 3);
	cr_assert_eq(body("\xE6\x9D\xB1", NULL)->n_tokens, 1,
		     "a lone character is a unigram");
}

Test(text, thai_does_not_break)
{
	const char *t = "\xE0\xB8\x81\xE0\xB8\xB2\xE0\xB8\xA3\xE0\xB8\x9B"
			"\xE0\xB8\xA3\xE0\xB8\xB0\xE0\xB8\x8A\xE0\xB8\xB8"
			"\xE0\xB8\xA1";
	const sl_analysis *res = body(t, NULL);

	cr_assert_geq(res->n_tokens, 1);
	cr_assert_str_eq(res->lang, "th");
}

Test(text, long_tokens_are_cut_at_a_code_point)
{
	char word[600];
	const sl_analysis *res;

	for (size_t i = 0; i + 2 < sizeof(word); i += 2)
		memcpy(word + i, "\xC3\xA9", 2); /* é é é ... */
	word[sizeof(word) - 2] = '\0';
	res = body(word, "fr");
	for (size_t i = 0; i < res->n_terms; i++) {
		cr_assert_leq(res->terms[i].len, SL_MAX_TOKEN);
		cr_assert(sl_utf8_valid(res->terms[i].text, res->terms[i].len));
	}
}

Test(text, frequencies_per_field)
{
	const char *title = "Flood warning";
	const char *text = "The flood rose. Floods closed roads.";
	const sl_analysis *res = sl_analyze(an, title, strlen(title), text,
					    strlen(text), "en");
	const sl_term *flood = &res->terms[res->tokens[0].term];

	cr_assert_eq(res->tokens[0].field, SL_FIELD_TITLE);
	cr_assert_eq(flood->tf[SL_FIELD_TITLE], 1);
	cr_assert_eq(flood->tf[SL_FIELD_BODY], 2);
	cr_assert_eq(res->field_len[SL_FIELD_TITLE], 2);
	cr_assert_eq(res->n_words, 6);
	cr_assert_str_eq(sl_token_source(&res->tokens[3], title, text) ,
			 "flood rose. Floods closed roads.");
}

Test(text, empty_input)
{
	const sl_analysis *res = sl_analyze(an, NULL, 0, NULL, 0, NULL);

	cr_assert_eq(res->n_tokens, 0);
	cr_assert_eq(res->n_terms, 0);
	cr_assert_str_eq(res->lang, "en");
	cr_assert_eq(body("  ... !!! ", NULL)->n_tokens, 0);
}

Test(text, given_language_is_normalized)
{
	const sl_analysis *res = body("Obrigado", "pt-BR");

	cr_assert_str_eq(res->lang, "pt");
	cr_assert_eq(res->lang_guessed, 0);
	cr_assert(body("hello", "not a tag!")->lang_guessed);
}

static void guesses(const char *text, const char *lang)
{
	const sl_analysis *res = body(text, NULL);

	cr_assert(res->lang_guessed);
	cr_assert_str_eq(res->lang, lang, "\"%.30s...\" guessed as %s",
			 text, res->lang);
}

Test(text, language_guess)
{
	guesses("The council said it would not change the plan for the "
		"river before the vote in the spring.",
		"en");
	guesses("Die Regierung hat am Montag gesagt, dass sie den Plan f"
		"\xC3\xBCr den Fluss nicht \xC3\xA4ndern wird.",
		"de");
	guesses("Le gouvernement a dit lundi qu'il ne changera pas le plan "
		"pour la rivi\xC3\xA8re avant le vote.",
		"fr");
	guesses("El gobierno dijo el lunes que no cambiar\xC3\xA1 el plan "
		"para el r\xC3\xADo antes de la votaci\xC3\xB3n.",
		"es");
	guesses("Il governo ha detto luned\xC3\xAC che non cambier\xC3\xA0 "
		"il piano per il fiume prima del voto.",
		"it");
	guesses("O governo disse na segunda-feira que n\xC3\xA3o vai mudar "
		"o plano para o rio antes da vota\xC3\xA7\xC3\xA3o.",
		"pt");
	guesses("De regering zei maandag dat zij het plan voor de rivier "
		"niet zal veranderen voor de stemming.",
		"nl");
	guesses("\xD0\x9F\xD1\x80\xD0\xB0\xD0\xB2\xD0\xB8\xD1\x82\xD0\xB5\xD0"
		"\xBB\xD1\x8C\xD1\x81\xD1\x82\xD0\xB2\xD0\xBE \xD0\xBD\xD0\xB5 "
		"\xD0\xB1\xD1\x83\xD0\xB4\xD0\xB5\xD1\x82 \xD0\xBC\xD0\xB5\xD0"
		"\xBD\xD1\x8F\xD1\x82\xD1\x8C \xD0\xBF\xD0\xBB\xD0\xB0\xD0\xBD",
		"ru");
	/* Japanese: kana among Han. */
	guesses("\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xA7\xE4\xBC\x9A\xE8\xAD"
		"\xB0\xE3\x81\x8C\xE3\x81\x82\xE3\x82\x8A\xE3\x81\xBE\xE3\x81"
		"\x97\xE3\x81\x9F",
		"ja");
	guesses("\xE4\xB8\xAD\xE5\x9B\xBD\xE6\x94\xBF\xE5\xBA\x9C", "zh");
	guesses("Markets rally", "en"); /* no evidence: the default */
}

Test(text, one_analyzer_serves_several_languages)
{
	/* "die" is a German stop word but an English verb. */
	const char *de = "die Stadt und die Leute";
	const char *en = "they die";
	const sl_analysis *res = body(de, "de");

	cr_assert(res->tokens[0].flags & SL_TOK_STOP);
	res = body(en, "en");
	cr_assert_not(res->tokens[1].flags & SL_TOK_STOP);
	res = body(de, "de");
	cr_assert(res->tokens[0].flags & SL_TOK_STOP);
}

Test(text, tokens_point_into_their_field)
{
	const char *t = "Quell\xE2\x80\x99s lawyer, Corinne Vale, spoke.";
	const sl_analysis *res = body(t, "en");
	long vale = find_token(res, t, "Vale");

	cr_assert_geq(vale, 0);
	cr_assert_eq(find_token(res, t, "Quell\xE2\x80\x99s"), 0);
	for (size_t i = 0; i < res->n_tokens; i++)
		cr_assert_leq(res->tokens[i].off + res->tokens[i].len,
			      strlen(t));
}
