/* The search query language: words, phrases, +/-, fields, dates, caps. */
#include <criterion/criterion.h>
#include <string.h>

#include "index.h"
#include "query.h"
#include "storyline.h"

static sl_query q;

static void parse_ok(const char *text)
{
	cr_assert_eq(sl_query_parse(&q, text), 0, "\"%s\": %s", text,
		     sl_error_last());
}

static void fini(void)
{
	sl_query_clear(&q);
}

TestSuite(query, .fini = fini);

Test(query, words_and_phrases)
{
	parse_ok("flood  \"River Kell\" warning");
	cr_assert_eq(q.n_parts, 3);
	cr_assert_str_eq(q.parts[0].text, "flood");
	cr_assert_eq(q.parts[0].kind, SL_PART_WORD);
	cr_assert_str_eq(q.parts[1].text, "River Kell");
	cr_assert_eq(q.parts[1].kind, SL_PART_PHRASE);
	cr_assert_str_eq(q.parts[2].text, "warning");
}

Test(query, required_and_excluded)
{
	parse_ok("+dam -drill -\"oil rig\" a-b -");
	cr_assert_eq(q.n_parts, 5);
	cr_assert_eq(q.parts[0].flags, SL_QT_REQUIRED);
	cr_assert_eq(q.parts[1].flags, SL_QT_EXCLUDED);
	cr_assert_str_eq(q.parts[2].text, "oil rig");
	cr_assert_eq(q.parts[2].flags, SL_QT_EXCLUDED);
	cr_assert_eq(q.parts[3].flags, 0, "a hyphen inside a word");
	cr_assert_str_eq(q.parts[4].text, "-", "a lone dash is a word");
}

Test(query, fields)
{
	parse_ok("outlet:\"Meridian Wire\" lang:de since:2026-11-20 "
		 "until:2026-11-21 strike");
	cr_assert_str_eq(q.outlet, "Meridian Wire");
	cr_assert_str_eq(q.lang, "de");
	cr_assert_eq(q.n_parts, 1);
	int64_t since, until;

	sl_time_parse(&since, "2026-11-20T00:00:00Z");
	sl_time_parse(&until, "2026-11-21T23:59:59Z");
	cr_assert_eq(q.since, since);
	cr_assert_eq(q.until, until, "until a day means its end");
}

Test(query, unknown_field_is_a_word)
{
	parse_ok("time:now");
	cr_assert_eq(q.n_parts, 1);
	cr_assert_str_eq(q.parts[0].text, "time:now");
}

Test(query, filters_alone_are_a_query)
{
	parse_ok("outlet:Lantern");
	cr_assert_eq(q.n_parts, 0);
	cr_assert_str_eq(q.outlet, "Lantern");
}

Test(query, unclosed_quote_closes_at_the_end)
{
	parse_ok("\"river kell");
	cr_assert_str_eq(q.parts[0].text, "river kell");
	cr_assert_eq(q.parts[0].kind, SL_PART_PHRASE);
}

Test(query, bad_input_is_reported)
{
	char big[SL_QUERY_MAX_BYTES + 2];
	char many[4 * (SL_QUERY_MAX_PARTS + 1) + 1] = "";

	cr_assert_eq(sl_query_parse(&q, ""), SL_EINVAL);
	cr_assert_eq(sl_query_parse(&q, "   "), SL_EINVAL);
	cr_assert_eq(sl_query_parse(&q, "\"\""), SL_EINVAL);
	cr_assert_eq(sl_query_parse(&q, "since:yesterday"), SL_EINVAL);
	cr_assert_not_null(strstr(sl_error_last(), "bad date"));
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cr_assert_eq(sl_query_parse(&q, big), SL_EINVAL);
	for (int i = 0; i <= SL_QUERY_MAX_PARTS; i++)
		strcat(many, "ab ");
	cr_assert_eq(sl_query_parse(&q, many), SL_EINVAL);
	cr_assert_eq(sl_query_parse(&q, NULL), SL_EINVAL);
}
