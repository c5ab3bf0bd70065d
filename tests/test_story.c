/* Copies and stories: fingerprints, the LSH table, article vectors and
 * online placement. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dedup.h"
#include "story.h"
#include "storyline.h"
#include "text.h"

static sl_analyzer *an;

static void count_background(void);

static void setup(void)
{
	an = sl_analyzer_new();
	count_background();
}

static void teardown(void)
{
	sl_analyzer_free(an);
}

TestSuite(story, .init = setup, .fini = teardown);

/* Every term equally rare: 1 document in 1000. */
static void flat_df(void *ctx, const uint64_t *terms, size_t n, uint32_t *out,
		    size_t *n_docs)
{
	(void)ctx;
	(void)terms;
	for (size_t i = 0; i < n; i++)
		out[i] = 1;
	*n_docs = 1000;
}

static const sl_df_source flat = {flat_df, NULL};

/* Document frequencies counted over the test texts, as the engine counts
 * them over its store. */
typedef struct counted {
	uint64_t id[4096];
	uint32_t n[4096];
	size_t terms, docs;
} counted;

static counted bg;

static void count_doc(const char *title, const char *body)
{
	const sl_analysis *a = sl_analyze(an, title, title ? strlen(title) : 0,
					  body, strlen(body), "en");

	for (size_t i = 0; i < a->n_terms; i++) {
		size_t k;

		for (k = 0; k < bg.terms && bg.id[k] != a->terms[i].id; k++)
			;
		if (k == bg.terms && bg.terms < 4096)
			bg.id[bg.terms++] = a->terms[i].id;
		if (k < 4096)
			bg.n[k]++;
	}
	bg.docs++;
}

static void counted_df(void *ctx, const uint64_t *terms, size_t n,
		       uint32_t *out, size_t *n_docs)
{
	(void)ctx;
	*n_docs = bg.docs;
	for (size_t i = 0; i < n; i++) {
		out[i] = 0;
		for (size_t k = 0; k < bg.terms; k++)
			if (bg.id[k] == terms[i])
				out[i] = bg.n[k];
	}
}

static const sl_df_source counted_src = {counted_df, NULL};

static const char *const paragraphs[] = {
    "The Harrow Valley water board said on Monday that it would close "
    "two of its four treatment works for urgent repairs after inspectors "
    "found cracked filter beds at the Linwood plant.",
    "Residents of Linwood, Ashby and Corran were told to boil their tap "
    "water until further notice, and bottled water stations opened at "
    "three schools and the town hall by early afternoon.",
    "Board chair Miriam Okafor told reporters that the repairs would take "
    "at least ten days and that the cost, put at 6.2 million crowns, would "
    "be met from reserves rather than from higher bills.",
    "Inspectors first raised concerns about the Linwood filters in a "
    "report last spring, which the board said it had acted on by ordering "
    "new parts that have not yet arrived from the supplier.",
    "Local councillors called for an independent review of maintenance "
    "at all four works, and the regional health office said it was "
    "monitoring hospital admissions for stomach illness closely.",
};

/* The text of paragraphs [from, to) joined, into buf. */
static const char *join(char *buf, size_t n, int from, int to)
{
	buf[0] = 0;
	for (int i = from; i < to; i++) {
		strncat(buf, paragraphs[i], n - strlen(buf) - 2);
		strcat(buf, "\n");
	}
	return buf;
}

static void fingerprint(const char *title, const char *body, sl_fingerprint *fp)
{
	const sl_analysis *a = sl_analyze(an, title, title ? strlen(title) : 0,
					  body, body ? strlen(body) : 0, "en");

	sl_fingerprint_of(a, fp);
}

static const char *const other =
    "The Corran ferry service will run a reduced timetable this winter, "
    "its operator said, blaming a shortage of qualified crew and the "
    "late return of one of its two vessels from a refit in the north. "
    "Passenger groups said the change would hit commuters hardest and "
    "asked the transport office to step in before the new year.";

/* Everyday news sentences, so that common words are common. */
static const char *const background[] = {
    "The council said on Tuesday that the new library would open in the "
    "spring, two years later than planned.",
    "Police said two men were arrested after a break-in at a shop in the "
    "town centre on Monday night.",
    "The company said its profits fell in the third quarter and that it "
    "would cut costs this year.",
    "Officials said the road would stay closed for at least ten days "
    "while engineers repair the bridge.",
    "The minister told reporters that the plan would be put to the vote "
    "next week and that talks were going well.",
    "Shares in the group rose after it said sales had been better than "
    "expected over the summer.",
};

static void count_background(void)
{
	memset(&bg, 0, sizeof(bg));
	for (size_t i = 0; i < sizeof(background) / sizeof(*background); i++)
		for (int k = 0; k < 3; k++)
			count_doc(NULL, background[i]);
	for (size_t i = 0; i < sizeof(paragraphs) / sizeof(*paragraphs); i++)
		count_doc(NULL, paragraphs[i]);
	count_doc(NULL, other);
}

Test(story, identical_texts_are_copies)
{
	char body[4096];
	sl_fingerprint a, b;

	join(body, sizeof(body), 0, 5);
	fingerprint("Water works close", body, &a);
	fingerprint("A different headline entirely", body, &b);
	cr_assert_float_eq(sl_fingerprint_jaccard(&a, &b), 1.0, 1e-9);
	cr_assert(sl_fingerprint_is_copy(&a, &b));
}

Test(story, trimmed_truncated_and_retouched_texts_are_copies)
{
	char full[4096], part[4096], edited[4096];
	sl_fingerprint a, b;

	join(full, sizeof(full), 0, 5);
	fingerprint(NULL, full, &a);
	/* First paragraph dropped, a line of boilerplate added. */
	join(part, sizeof(part), 1, 5);
	strcat(part, "Additional reporting by the regional desk.\n");
	fingerprint(NULL, part, &b);
	cr_assert(sl_fingerprint_is_copy(&a, &b), "containment %.2f",
		  sl_fingerprint_containment(&a, &b));
	/* Truncated to three paragraphs of five. */
	join(part, sizeof(part), 0, 3);
	fingerprint(NULL, part, &b);
	cr_assert(sl_fingerprint_is_copy(&a, &b));
	/* Punctuation changed: the words are what count. */
	snprintf(edited, sizeof(edited), "%s", full);
	for (char *p = edited; *p; p++)
		if ((*p == ',' || *p == '.') && p[1] == ' ')
			*p = ';';
	fingerprint(NULL, edited, &b);
	cr_assert_float_eq(sl_fingerprint_jaccard(&a, &b), 1.0, 1e-9);
}

Test(story, different_texts_are_not_copies)
{
	char full[4096], mixed[8192];
	sl_fingerprint a, b, e;

	join(full, sizeof(full), 0, 5);
	fingerprint(NULL, full, &a);
	fingerprint(NULL, other, &b);
	cr_assert_lt(sl_fingerprint_jaccard(&a, &b), 0.1);
	cr_assert_not(sl_fingerprint_is_copy(&a, &b));
	/* One shared paragraph in a longer, different text is a quote,
	 * not a copy. */
	snprintf(mixed, sizeof(mixed), "%s\n%s\n%s\n%s", other, other,
		 paragraphs[2], other);
	fingerprint(NULL, mixed, &b);
	cr_assert_not(sl_fingerprint_is_copy(&a, &b));
	/* Short texts must be identical to count. */
	fingerprint(NULL, "Markets rose on Monday.", &a);
	fingerprint(NULL, "Markets fell on Monday.", &b);
	cr_assert_not(sl_fingerprint_is_copy(&a, &b));
	fingerprint(NULL, NULL, &e);
	cr_assert_eq(e.n_shingles, 0);
	cr_assert_not(sl_fingerprint_is_copy(&e, &e));
}

Test(story, lsh_finds_copies_among_many)
{
	char full[4096], part[4096], noise[512];
	sl_fingerprint fp, q;
	sl_lsh *l = sl_lsh_new();
	uint32_t *found = NULL;
	size_t cap = 0, n, hit = 0;

	for (uint32_t i = 0; i < 200; i++) {
		snprintf(noise, sizeof(noise),
			 "Report %u from the %u district: %s", i, i * 7, other);
		fingerprint(NULL, noise + (i % 5), &fp);
		sl_lsh_add(l, i, &fp);
	}
	join(full, sizeof(full), 0, 5);
	fingerprint(NULL, full, &fp);
	sl_lsh_add(l, 500, &fp);
	join(part, sizeof(part), 1, 4);
	fingerprint(NULL, part, &q);
	n = sl_lsh_candidates(l, &q, &found, &cap);
	for (size_t i = 0; i < n; i++) {
		hit += found[i] == 500;
		if (i)
			cr_assert_lt(found[i - 1], found[i]);
	}
	cr_assert_eq(hit, 1);
	cr_assert_lt(n, 20, "%zu candidates", n);
	free(found);
	sl_lsh_free(l);
}

Test(story, vectors_weigh_names_and_skip_stop_words)
{
	const char *title = "Water works close";
	char body[4096];
	const sl_analysis *a;
	sl_vec v;
	double norm = 0;
	int okafor = 0, the = 0;

	join(body, sizeof(body), 0, 5);
	a = sl_analyze(an, title, strlen(title), body, strlen(body), "en");
	sl_vec_of(&v, &(sl_doc_text){a, title, body, NULL, NULL, 1}, &flat);
	cr_assert_gt(v.n, 10);
	for (size_t i = 0; i < v.n; i++) {
		norm += (double)v.t[i].w * v.t[i].w;
		if (i)
			cr_assert_lt(v.t[i - 1].id, v.t[i].id);
		if (!strcmp(v.t[i].text, "Okafor"))
			okafor = v.t[i].name;
		if (!strcasecmp(v.t[i].text, "the"))
			the = 1;
	}
	cr_assert_float_eq(norm, 1.0, 1e-5);
	cr_assert(okafor, "a name inside a sentence is a name");
	cr_assert_not(the, "stop words are left out");
	cr_assert_float_eq(sl_vec_cosine(&v, &v), 1.0, 1e-5);
	sl_vec_clear(&v);
}

/* The story vector of a text, every term equally rare, surface forms
 * kept. */
static void text_vec(const char *title, const char *body, sl_vec *v)
{
	const sl_analysis *a =
	    sl_analyze(an, title, strlen(title), body, strlen(body), "en");

	sl_vec_of(v, &(sl_doc_text){a, title, body, NULL, NULL, 1}, &flat);
}

Test(story, vectors_leave_out_days_and_months)
{
	const char *title = "Ferry talks resume on Friday";
	const char *text = "Crew leaders and the Corran ferry company meet on "
			   "Friday. The December timetable is at stake, and "
			   "the crews said on Monday they would strike in "
			   "January.";
	sl_vec v;
	int ferry = 0;

	text_vec(title, text, &v);
	for (size_t i = 0; i < v.n; i++) {
		cr_assert(strcasecmp(v.t[i].text, "Friday") &&
				  strcmp(v.t[i].text, "December") &&
				  strcmp(v.t[i].text, "Monday") &&
				  strcmp(v.t[i].text, "January"),
			  "\"%s\" dates the text, it is not its subject",
			  v.t[i].text);
		ferry |= !strcasecmp(v.t[i].text, "ferry");
	}
	cr_assert(ferry);
	sl_vec_clear(&v);
}

Test(story, vectors_leave_out_numbers_and_line_starts)
{
	const char *title = "Brackwater Foods 3rd qtr net";
	/* A table of figures, then prose wrapped at a fixed width: a word
	 * that starts a short line starts a sentence; one that a long line
	 * runs on into is still a name. */
	const char *text =
	    "Shr 52 cts vs 43 cts\n"
	    "Net 12.3 mln vs 10.1 mln\n"
	    "Revs 340.5 mln vs 301.2 mln\n"
	    "The company said the quarter was helped by strong demand from\n"
	    "Castellan and lower costs at its plant in the north of the region.";
	sl_vec v;
	int castellan = 0;

	text_vec(title, text, &v);
	for (size_t i = 0; i < v.n; i++) {
		const char *w = v.t[i].text;

		cr_assert(!(w[0] >= '0' && w[0] <= '9'),
			  "\"%s\": figures match by chance", w);
		if (!strcmp(w, "Net") || !strcmp(w, "Revs") ||
		    !strcmp(w, "Shr"))
			cr_assert_not(v.t[i].name, "\"%s\" starts a line", w);
		if (!strcmp(w, "Castellan"))
			castellan = v.t[i].name;
	}
	cr_assert(castellan, "a wrapped line goes on with its sentence");
	sl_vec_clear(&v);
}

/* Three reports each of two events, in alternation, and copies. */
static const char *const water[] = {
    "Linwood water works shut after inspectors find cracked filters",
    "Boil-water notice for Linwood, Ashby and Corran as filters fail",
    "Linwood filter repairs to take ten days, says water board chair Okafor",
};
static const char *const ferry[] = {
    "Corran ferry cuts winter timetable over crew shortage",
    "Commuters protest Corran ferry timetable cuts",
    "Transport office asked to step in over Corran ferry crew shortage",
};

static int64_t place(sl_placer *p, const char *id, int64_t t, const char *title,
		     const char *body, const char **copy_of)
{
	const sl_analysis *a =
	    sl_analyze(an, title, strlen(title), body, strlen(body), "en");
	sl_placement pl;

	sl_placer_place(p, id, t, &(sl_doc_text){a, title, body, NULL, NULL, 0},
			&counted_src, &pl);
	sl_vec_clear(&pl.vec);
	if (copy_of)
		*copy_of = pl.copy_of;
	return pl.story;
}

static void place_events(sl_placer *p, int64_t *stories)
{
	char body[4096], id[16];

	for (int i = 0; i < 3; i++) {
		snprintf(id, sizeof(id), "w%d", i);
		join(body, sizeof(body), i, i + 2);
		stories[2 * i] =
		    place(p, id, 1000 + 3600 * i, water[i], body, NULL);
		snprintf(id, sizeof(id), "f%d", i);
		stories[2 * i + 1] =
		    place(p, id, 2000 + 3600 * i, ferry[i], other, NULL);
	}
}

Test(story, one_event_one_story)
{
	sl_placer *p = sl_placer_new(0);
	int64_t s[6];

	place_events(p, s);
	cr_assert_eq(s[0], s[2]);
	cr_assert_eq(s[0], s[4]);
	cr_assert_eq(s[1], s[3]);
	cr_assert_eq(s[1], s[5]);
	cr_assert_neq(s[0], s[1]);
	sl_placer_free(p);
}

Test(story, copies_link_to_the_first_original)
{
	sl_placer *p = sl_placer_new(0);
	char full[4096], part[4096];
	const char *copy_of;
	int64_t s0, s1, s2;

	join(full, sizeof(full), 0, 5);
	s0 = place(p, "orig", 1000, "Water works close", full, &copy_of);
	cr_assert_null(copy_of);
	join(part, sizeof(part), 0, 4);
	s1 = place(p, "copy1", 5000, "Linwood plant shut", part, &copy_of);
	cr_assert_str_eq(copy_of, "orig");
	join(part, sizeof(part), 1, 4);
	s2 = place(p, "copy2", 9000, "Filters fail", part, &copy_of);
	cr_assert_str_eq(copy_of, "orig", "a copy of a copy names the root");
	cr_assert_eq(s0, s1);
	cr_assert_eq(s0, s2);
	/* The same text weeks later is news again, not a copy. */
	place(p, "later", 1000 + 30 * 86400, "Water works close", full,
	      &copy_of);
	cr_assert_null(copy_of);
	sl_placer_free(p);
}

/* Met before their original (a feed polled late): the family follows the
 * one published first, whichever copy it was found to copy. */
static const char *placed_copy(sl_placer *p, const char *id, int64_t t,
			       const char *body, const char **rerooted)
{
	const sl_analysis *a =
	    sl_analyze(an, "Water works close", 17, body, strlen(body), "en");
	sl_placement pl;

	sl_placer_place(
	    p, id, t,
	    &(sl_doc_text){a, "Water works close", body, NULL, NULL, 0},
	    &counted_src, &pl);
	sl_vec_clear(&pl.vec);
	*rerooted = pl.rerooted;
	return pl.copy_of;
}

static const char *placed_part(sl_placer *p, const char *id, int64_t t,
			       int from, int to, const char **rerooted)
{
	char body[4096];

	return placed_copy(p, id, t, join(body, sizeof(body), from, to),
			   rerooted);
}

Test(story, an_earlier_copy_met_later_becomes_the_original)
{
	sl_placer *p = sl_placer_new(0);
	const char *copy_of, *rerooted;

	copy_of = placed_part(p, "late-a", 8000, 0, 4, &rerooted);
	cr_assert_null(copy_of);
	copy_of = placed_part(p, "late-b", 9000, 1, 4, &rerooted);
	cr_assert_str_eq(copy_of ? copy_of : "(none)", "late-a",
			 "published after its original: not yet met");
	cr_assert_null(rerooted);
	/* Published first, found through late-b: late-a's family is its. */
	copy_of = placed_part(p, "wire", 1000, 0, 5, &rerooted);
	cr_assert_null(copy_of);
	cr_assert_str_eq(rerooted ? rerooted : "(none)", "late-a");
	copy_of = placed_part(p, "late-c", 9500, 1, 4, &rerooted);
	cr_assert_str_eq(copy_of ? copy_of : "(none)", "wire",
			 "the family's members name the new original");
	cr_assert_null(rerooted);
	/* The same time is no reason to move. */
	copy_of = placed_part(p, "same", 1000, 0, 5, &rerooted);
	cr_assert_str_eq(copy_of ? copy_of : "(none)", "wire");
	cr_assert_null(rerooted);
	sl_placer_free(p);
}

/* The same after the placer has let old stories go and renumbered the
 * articles it keeps. */
Test(story, a_family_is_relinked_after_old_stories_are_let_go)
{
	sl_placer *p = sl_placer_new(0);
	const int64_t t0 = 100 * 86400;
	char copy[4096], filler[256];
	const char *copy_of, *rerooted;

	join(copy, sizeof(copy), 0, 4);
	strcat(copy, "Roads into Linwood stay shut until Friday.\n");
	placed_copy(p, "copy", t0, copy, &rerooted);
	/* Enough one-off reports, most of them weeks old, for a sweep. */
	for (int i = 0; i < 4200; i++) {
		char id[16];

		snprintf(id, sizeof(id), "n%d", i);
		snprintf(filler, sizeof(filler),
			 "Report %d: quarry%c%c%c hamlet%c%c near ridge%c%c.", i,
			 'a' + i % 26, 'a' + i / 26 % 26, 'a' + i / 676 % 26,
			 'a' + i / 26 % 26, 'a' + i % 26, 'a' + i / 676 % 26,
			 'a' + i % 26);
		placed_copy(p, id, i < 3500 ? t0 - 60 * 86400 : t0, filler,
			    &rerooted);
	}
	copy_of = placed_part(p, "wire", t0 - 3600, 0, 5, &rerooted);
	cr_assert_null(copy_of);
	cr_assert_str_eq(rerooted ? rerooted : "(none)", "copy");
	/* Word for word the copy, so found through it. */
	copy_of = placed_copy(p, "copy2", t0 + 3600, copy, &rerooted);
	cr_assert_str_eq(copy_of ? copy_of : "(none)", "wire");
	sl_placer_free(p);
}

Test(story, stories_close_after_the_window)
{
	sl_placer *p = sl_placer_new(0);
	char body[4096];
	int64_t a, b;

	join(body, sizeof(body), 0, 2);
	a = place(p, "a", 1000, water[0], body, NULL);
	join(body, sizeof(body), 1, 3);
	b = place(p, "b", 1000 + SL_STORY_WINDOW + 86400, water[1], body, NULL);
	cr_assert_neq(a, b);
	sl_placer_free(p);
}

Test(story, placement_is_deterministic_and_restorable)
{
	sl_placer *p = sl_placer_new(0), *q = sl_placer_new(0),
		  *r = sl_placer_new(0);
	int64_t s[6], t[6];
	char body[4096];

	place_events(p, s);
	place_events(q, t);
	cr_assert_arr_eq(s, t, sizeof(s));
	/* A placer rebuilt from the placements continues the same way. */
	for (int i = 0; i < 3; i++) {
		const sl_analysis *a;
		char id[16];

		join(body, sizeof(body), i, i + 2);
		a = sl_analyze(an, water[i], strlen(water[i]), body,
			       strlen(body), "en");
		snprintf(id, sizeof(id), "w%d", i);
		sl_placer_restore(
		    r, id, 1000 + 3600 * i,
		    &(sl_doc_text){a, water[i], body, NULL, NULL, 0},
		    &counted_src, s[2 * i], NULL, SL_TIME_NONE);
		a = sl_analyze(an, ferry[i], strlen(ferry[i]), other,
			       strlen(other), "en");
		snprintf(id, sizeof(id), "f%d", i);
		sl_placer_restore(
		    r, id, 2000 + 3600 * i,
		    &(sl_doc_text){a, ferry[i], other, NULL, NULL, 0},
		    &counted_src, s[2 * i + 1], NULL, SL_TIME_NONE);
	}
	join(body, sizeof(body), 2, 4);
	cr_assert_eq(place(p, "w9", 20000, water[2], body, NULL),
		     place(r, "w9", 20000, water[2], body, NULL));
	cr_assert_eq(place(p, "n", 20000, "Orchestra season opens",
			   "The city orchestra opened its season with a "
			   "new symphony by a young composer.",
			   NULL),
		     place(r, "n", 20000, "Orchestra season opens",
			   "The city orchestra opened its season with a "
			   "new symphony by a young composer.",
			   NULL));
	sl_placer_free(p);
	sl_placer_free(q);
	sl_placer_free(r);
}

/* Quarterly results briefs: one template, a different company each. */
static const char *const firms[] = {
    "Aldermoor Holdings", "Brackwater Foods", "Castellan Tooling",
    "Dunfold Paper",      "Eskvale Chemicals", "Farrowgate Retail",
};

static void brief(char *title, char *body, size_t n, int firm, int v)
{
	snprintf(title, 128, "%s 3rd qtr net", firms[firm]);
	snprintf(body, n,
		 "%s said its third quarter results were as follows.\n"
		 "Shr %d cts vs %d cts\nNet %d.%d mln vs %d.%d mln\n"
		 "Revs %d.%d mln vs %d.%d mln\nNine mths\n"
		 "Shr %d cts vs %d cts\nNet %d.%d mln vs %d.%d mln\n",
		 firms[firm], 20 + v, 17 + v, 3 + v, v % 10, 2 + v, (v + 3) % 10,
		 40 + v, v % 7, 35 + v, (v + 2) % 7, 60 + v, 51 + v, 9 + v,
		 (v + 1) % 10, 8 + v, (v + 4) % 10);
}

Test(story, reports_that_share_only_a_template_are_separate_stories)
{
	sl_placer *p = sl_placer_new(0);
	char title[128], body[1024];
	int64_t s[6], again;
	size_t nf = sizeof(firms) / sizeof(*firms);

	/* Results day: the template's words are common, each firm's name
	 * is rare. */
	for (size_t i = 0; i < nf; i++) {
		brief(title, body, sizeof(body), (int)i, (int)i);
		count_doc(title, body);
	}
	for (size_t i = 0; i < nf; i++) {
		char id[16];

		snprintf(id, sizeof(id), "r%zu", i);
		brief(title, body, sizeof(body), (int)i, (int)i);
		s[i] = place(p, id, 1000 + 600 * (int64_t)i, title, body, NULL);
	}
	for (size_t i = 0; i < nf; i++)
		for (size_t j = i + 1; j < nf; j++)
			cr_assert_neq(s[i], s[j], "%s and %s in one story",
				      firms[i], firms[j]);
	/* A second report on one firm's quarter is its story. */
	snprintf(title, sizeof(title), "%s lifts quarterly profit", firms[2]);
	snprintf(body, sizeof(body),
		 "%s said third quarter net rose to 5.2 mln, with revs of "
		 "42.2 mln, and that nine mths shr rose to 62 cts.\n",
		 firms[2]);
	again = place(p, "r2b", 1000 + 600 * 7, title, body, NULL);
	cr_assert_eq(again, s[2]);
	sl_placer_free(p);
}

Test(story, one_word_in_common_is_not_one_event)
{
	sl_placer *p = sl_placer_new(0);
	static const char *const japan[][2] = {
	    {"Japan plans more flexible corporate bond issues",
	     "The finance ministry in Japan wants to let companies issue "
	     "bonds with fewer conditions from next year."},
	    {"Japan's unemployment rate seen rising",
	     "Economists in Japan expect the jobless rate to climb as "
	     "exporters cut hiring."},
	    {"Digital tape players go on sale in Japan",
	     "Electronics makers in Japan began selling the new players "
	     "despite objections from record companies."},
	};
	int64_t s[3];

	for (int i = 0; i < 3; i++) {
		count_doc(japan[i][0], japan[i][1]);
		count_doc(NULL, background[i]);
	}
	for (int i = 0; i < 3; i++) {
		char id[16];

		snprintf(id, sizeof(id), "j%d", i);
		s[i] = place(p, id, 1000 + 3600 * i, japan[i][0], japan[i][1],
			     NULL);
	}
	cr_assert_neq(s[0], s[1]);
	cr_assert_neq(s[0], s[2]);
	cr_assert_neq(s[1], s[2]);
	sl_placer_free(p);
}

Test(story, a_common_name_and_a_word_are_not_one_event)
{
	sl_placer *p = sl_placer_new(0);
	/* West Norland is in the news every day: its name is common. */
	static const char *const daily[] = {
	    "Exports from West Norland rose in the spring, the trade office "
	    "said.",
	    "The central bank of West Norland left its rates unchanged.",
	    "Farmers in West Norland marched against the new quotas.",
	    "West Norland car sales fell for a second month.",
	    "A court in West Norland fined the port authority.",
	};
	static const char *const event[][2] = {
	    {"West Norland ship sinks off the Corran coast",
	     "The West Norland cargo ship Stefan sank off the Corran coast "
	     "early today and one of its eight crew is missing, a spokesman "
	     "for the owners said. Rescue boats searched the area."},
	    {"West Norland railway issues domestic stock",
	     "The West Norland federal railway will issue 900 million crowns "
	     "of ten-year stock next week, a spokesman for the finance office "
	     "said. The issue will be priced at par."},
	    {"Missing sailor of sunken West Norland ship Stefan found",
	     "Rescue boats found the missing crew member of the West Norland "
	     "cargo ship Stefan, which sank off the Corran coast, the owners "
	     "said. All eight crew are now safe."},
	};
	int64_t s[3];

	/* In one article of 26 in a store of 2,100: as common as a big
	 * country's name. */
	for (int i = 0; i < 2020; i++)
		count_doc(NULL, background[i % 6]);
	for (int i = 0; i < 80; i++)
		count_doc(NULL, daily[i % 5]);
	for (int i = 0; i < 3; i++)
		count_doc(event[i][0], event[i][1]);
	for (int i = 0; i < 3; i++) {
		char id[16];

		snprintf(id, sizeof(id), "n%d", i);
		s[i] = place(p, id, 1000 + 3600 * i, event[i][0], event[i][1],
			     NULL);
	}
	cr_assert_neq(s[0], s[1], "a shipwreck and a stock issue, one story");
	cr_assert_eq(s[0], s[2], "the shipwreck's follow-up, apart");
	sl_placer_free(p);
}

/* Why two articles are alike: names first, then words, each by weight in
 * both; a common name ("Inc", "U.S") ranks as a word, without its boost. */
Test(story, why_puts_a_common_name_among_the_words)
{
	float boost = SL_VEC_NAME_BOOST;
	sl_vec_term at[] = {
	    {.id = 1, .w = 0.3f * boost, .name = 1, .common = 1, .text = "Inc"},
	    {.id = 2, .w = 0.2f * boost, .name = 1, .text = "Veldmark"},
	    {.id = 3, .w = 0.4f, .text = "crane"},
	    {.id = 4, .w = 0.1f, .text = "harbour"},
	};
	sl_vec_term bt[] = {
	    {.id = 1, .w = 0.3f * boost, .name = 1, .text = "Inc"},
	    {.id = 2, .w = 0.2f * boost, .name = 1, .text = "Veldmark"},
	    {.id = 3, .w = 0.4f, .text = "crane"},
	    {.id = 4, .w = 0.1f, .text = "harbour"},
	};
	sl_vec a = {at, 4}, b = {bt, 4};
	char *why[4];
	size_t n = sl_vec_shared(&a, &b, why, 4);

	cr_assert_eq(n, 4);
	/* Veldmark, the one name; then crane (0.4 x 0.4), Inc (0.3 x 0.3
	 * once unboosted on both sides), harbour (0.1 x 0.1). */
	cr_assert_str_eq(why[0], "Veldmark");
	cr_assert_str_eq(why[1], "crane");
	cr_assert_str_eq(why[2], "Inc");
	cr_assert_str_eq(why[3], "harbour");
	for (size_t i = 0; i < n; i++)
		free(why[i]);
	/* Not common: the name comes first, the heavier name before. */
	at[0].common = 0;
	n = sl_vec_shared(&a, &b, why, 2);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(why[0], "Inc");
	cr_assert_str_eq(why[1], "Veldmark");
	for (size_t i = 0; i < n; i++)
		free(why[i]);
}
