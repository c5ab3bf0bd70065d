/* The inverted index: BM25F against a reference computation, ranking,
 * filters, required and excluded terms, updates, and MaxScore giving the
 * same top k as scoring everything. */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "index.h"
#include "storyline.h"
#include "text.h"
#include "util/mem.h"
#include "util/strtab.h"

static sl_analyzer *an;
static sl_index *ix;

static void setup(void)
{
	an = sl_analyzer_new();
	ix = sl_index_new();
}

/* The snapshot tests' folder, made on first use (see snap_path). */
static char snap_dir[] = "/tmp/storyline-snap-XXXXXX";
static int snap_made;

static void teardown(void)
{
	sl_index_free(ix);
	sl_analyzer_free(an);
	if (snap_made) { /* each test runs in a process of its own */
		char path[sizeof(snap_dir) + 16];

		snprintf(path, sizeof(path), "%s/test.index", snap_dir);
		unlink(path);
		rmdir(snap_dir);
	}
}

TestSuite(index, .init = setup, .fini = teardown);

static void add(const char *id, const char *title, const char *body,
		const char *outlet, const char *when)
{
	sl_index_doc_info info = {
	    .id = id, .published = SL_TIME_NONE, .outlet = outlet, .lang = "en"};
	const sl_analysis *res = sl_analyze(an, title, strlen(title), body,
					    strlen(body), "en");

	if (when)
		cr_assert_eq(sl_time_parse(&info.published, when), 0);
	sl_index_add(ix, &info, res);
}

static uint64_t term(const char *word)
{
	const sl_analysis *res = sl_analyze(an, NULL, 0, word, strlen(word),
					    "en");

	cr_assert_eq(res->n_terms, 1);
	return res->terms[0].id;
}

/* Search for the given words; returns hits (static), n in *n. */
static sl_hit *search(const char *words, int flags, size_t k,
		      sl_index_query *base, size_t *n)
{
	static sl_hit hits[1024];
	static sl_qterm qt[32];
	sl_index_query q = {0};
	char buf[256], *save = NULL;
	size_t total;
	int exact;

	if (base)
		q = *base;
	else
		q.since = q.until = SL_TIME_NONE;
	q.n_terms = 0;
	snprintf(buf, sizeof(buf), "%s", words);
	for (char *w = strtok_r(buf, " ", &save); w;
	     w = strtok_r(NULL, " ", &save)) {
		int f = 0;

		if (*w == '+' || *w == '-') {
			f = *w == '+' ? SL_QT_REQUIRED : SL_QT_EXCLUDED;
			w++;
		}
		qt[q.n_terms].id = term(w);
		qt[q.n_terms].weight = 1;
		qt[q.n_terms].flags = (uint8_t)(f | flags);
		q.n_terms++;
	}
	q.terms = qt;
	q.k = k;
	*n = sl_index_search(ix, &q, hits, &total, &exact);
	return hits;
}

static char *id_of(uint32_t doc)
{
	static char buf[64];
	char *id = sl_index_doc_id(ix, doc);

	snprintf(buf, sizeof(buf), "%s", id ? id : "(none)");
	free(id);
	return buf;
}

/* BM25F as documented in index.c, computed here independently. */
static double reference(double n_docs, double df, double tf_title,
			double tf_body, double len_title, double len_body,
			double avg_title, double avg_body)
{
	double idf = log(1 + (n_docs - df + 0.5) / (df + 0.5));
	double x = 2.5 * tf_title / (1 - 0.5 + 0.5 * len_title / avg_title) +
		   tf_body / (1 - 0.75 + 0.75 * len_body / avg_body);

	return idf * x / (1.2 + x);
}

Test(index, bm25f_matches_the_reference)
{
	size_t n;
	sl_hit *h;

	/* Content tokens (title, body): d1 (2, 4), d2 (1, 6), d3 (2, 2). */
	add("d1", "river dam", "river flood town river", NULL, NULL);
	add("d2", "council", "vote budget river school road park", NULL,
	    NULL);
	add("d3", "market rally", "shares rose", NULL, NULL);
	h = search("river", 0, 10, NULL, &n);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(id_of(h[0].doc), "d1");
	double avg_t = 5.0 / 3, avg_b = 12.0 / 3;

	cr_assert_float_eq(h[0].score,
			   reference(3, 2, 1, 2, 2, 4, avg_t, avg_b), 1e-4);
	cr_assert_float_eq(h[1].score,
			   reference(3, 2, 0, 1, 1, 6, avg_t, avg_b), 1e-4);
}

/* A term given twice (two words of one stem) weighs as their weights
 * added, beside another term. */
Test(index, a_term_asked_twice_adds_its_weights)
{
	sl_qterm twice[3] = {{.id = term("river"), .weight = 1},
			     {.id = term("flood"), .weight = 0.5f},
			     {.id = term("river"), .weight = 2}};
	sl_qterm once[2] = {{.id = term("river"), .weight = 3},
			    {.id = term("flood"), .weight = 0.5f}};
	sl_index_query q = {.since = SL_TIME_NONE, .until = SL_TIME_NONE,
			    .k = 10};
	sl_hit a[10], b[10];
	size_t na, nb, total;
	int exact;

	add("d1", "river dam", "river flood town river", NULL, NULL);
	add("d2", "flood", "flood flood rain", NULL, NULL);
	add("d3", "council", "vote budget river school road park", NULL,
	    NULL);
	add("d4", "market rally", "shares rose", NULL, NULL);
	q.terms = twice;
	q.n_terms = 3;
	na = sl_index_search(ix, &q, a, &total, &exact);
	q.terms = once;
	q.n_terms = 2;
	nb = sl_index_search(ix, &q, b, &total, &exact);
	cr_assert_eq(na, 3);
	cr_assert_eq(nb, 3);
	for (size_t i = 0; i < na; i++) {
		cr_assert_eq(a[i].doc, b[i].doc);
		cr_assert_float_eq(a[i].score, b[i].score, 1e-5);
	}
	cr_assert_str_eq(id_of(a[0].doc), "d1");
}

static const char *vocab(unsigned i);

/* Doc d of counts_read_back_exactly: kiwi's title and body counts (0, 0
 * for the documents without it). */
static void kiwi_counts(int d, int *title, int *body)
{
	*title = *body = 0;
	if (d % 5 == 2 || (d >= 300 && d < 3300))
		return; /* gaps, and one of 3,000 documents */
	*title = d % 7;             /* 3 and more take an extra integer */
	*body = (d * 13) % 41;      /* up to 40 */
	if (*title == 0 && *body == 0)
		*body = 1;
}

/*
 * Every posting's counts read back exactly, over many blocks (gaps of
 * one document to 3,000, title counts of 0 to 6, body counts of 0 to
 * 40): with every field the same length, BM25F is the reference with
 * averages equal to the lengths, whatever they were frozen at.
 */
Test(index, counts_read_back_exactly)
{
	char title[256], body[512], id[16];
	int n_kiwi = 0;
	size_t n;
	sl_hit *h;

	for (int d = 0; d < 3700; d++) {
		int t, b, o = 0;

		kiwi_counts(d, &t, &b);
		n_kiwi += t || b;
		title[0] = body[0] = '\0';
		for (int i = 0; i < 6; i++)
			o += snprintf(title + o, sizeof(title) - o, "%s ",
				      i < t ? "kiwi" : vocab(d % 50 + i));
		o = 0;
		for (int i = 0; i < 40; i++)
			o += snprintf(body + o, sizeof(body) - o, "%s ",
				      i < b ? "kiwi" : vocab(100 + i));
		snprintf(id, sizeof(id), "k%d", d);
		add(id, title, body, NULL, NULL);
	}
	h = search("kiwi", 0, 1024, NULL, &n);
	cr_assert_eq(n, (size_t)n_kiwi);
	for (size_t i = 0; i < n; i++) {
		int d = atoi(id_of(h[i].doc) + 1), t, b;

		kiwi_counts(d, &t, &b);
		cr_assert_float_eq(h[i].score,
				   reference(3700, n_kiwi, t, b, 6, 40, 6, 40),
				   1e-4, "k%d (%d, %d)", d, t, b);
	}
}

Test(index, title_counts_more_than_body)
{
	size_t n;
	sl_hit *h;

	add("body", "council meeting", "the dam was discussed", NULL, NULL);
	add("title", "dam discussed", "the council meeting", NULL, NULL);
	h = search("dam", 0, 10, NULL, &n);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(id_of(h[0].doc), "title");
}

Test(index, more_query_terms_matched_rank_higher)
{
	size_t n;
	sl_hit *h;

	add("one", "harbour", "strike at the harbour", NULL, NULL);
	add("two", "harbour strike", "dockers strike at the harbour over pay",
	    NULL, NULL);
	add("none", "weather", "sunny and mild", NULL, NULL);
	h = search("harbour strike pay", 0, 10, NULL, &n);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(id_of(h[0].doc), "two");
	cr_assert_gt(h[0].score, h[1].score);
}

Test(index, required_and_excluded_terms)
{
	size_t n;
	sl_hit *h;

	add("a", "flood", "river flood in the town", NULL, NULL);
	add("b", "flood", "flood and landslide in the hills", NULL, NULL);
	add("c", "landslide", "landslide buries road", NULL, NULL);
	h = search("flood -landslide", 0, 10, NULL, &n);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(id_of(h[0].doc), "a");
	h = search("+landslide road", 0, 10, NULL, &n);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(id_of(h[0].doc), "c");
	h = search("+volcano flood", 0, 10, NULL, &n);
	cr_assert_eq(n, 0, "a required term nobody has matches nothing");
}

Test(index, filters_on_time_outlet_language)
{
	sl_index_query q = {0};
	size_t n;
	sl_hit *h;

	add("early", "ferry", "ferry service", "Courier", "2026-11-18T10:00:00Z");
	add("late", "ferry", "ferry service", "Lantern", "2026-11-22T10:00:00Z");
	add("undated", "ferry", "ferry service", "Lantern", NULL);
	q.since = q.until = SL_TIME_NONE;
	cr_assert_eq(sl_time_parse(&q.since, "2026-11-20T00:00:00Z"), 0);
	h = search("ferry", 0, 10, &q, &n);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(id_of(h[0].doc), "late");
	q.since = SL_TIME_NONE;
	cr_assert_eq(sl_time_parse(&q.until, "2026-11-20T00:00:00Z"), 0);
	h = search("ferry", 0, 10, &q, &n);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(id_of(h[0].doc), "early");
	q.until = SL_TIME_NONE;
	q.outlet = "Lantern";
	search("ferry", 0, 10, &q, &n);
	cr_assert_eq(n, 2);
	q.outlet = "Nobody";
	search("ferry", 0, 10, &q, &n);
	cr_assert_eq(n, 0);
	q.outlet = NULL;
	q.lang = "de";
	search("ferry", 0, 10, &q, &n);
	cr_assert_eq(n, 0);
}

Test(index, newest_first)
{
	sl_index_query q = {0};
	size_t n;
	sl_hit *h;

	add("mid", "vote", "vote vote vote", NULL, "2026-11-20T10:00:00Z");
	add("new", "vote", "a vote", NULL, "2026-11-22T10:00:00Z");
	add("old", "vote", "vote", NULL, "2026-11-18T10:00:00Z");
	q.since = q.until = SL_TIME_NONE;
	q.by_time = 1;
	h = search("vote", 0, 2, &q, &n);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(id_of(h[0].doc), "new");
	cr_assert_str_eq(id_of(h[1].doc), "mid");
}

Test(index, filters_alone_list_documents)
{
	sl_index_query q = {0};
	size_t n;

	add("a", "one", "text", "Courier", NULL);
	add("b", "two", "text", "Lantern", NULL);
	q.since = q.until = SL_TIME_NONE;
	q.outlet = "Courier";
	search("", 0, 10, &q, &n);
	cr_assert_eq(n, 1);
}

Test(index, an_update_replaces_the_old_version)
{
	sl_index_stats st;
	size_t n;

	add("x", "bridge", "old bridge text", NULL, NULL);
	add("x", "tunnel", "new tunnel text", NULL, NULL);
	search("bridge", 0, 10, NULL, &n);
	cr_assert_eq(n, 0, "the old version is gone");
	search("tunnel", 0, 10, NULL, &n);
	cr_assert_eq(n, 1);
	sl_index_stats_get(ix, &st);
	cr_assert_eq(st.docs, 1);
	cr_assert_eq(sl_index_remove(ix, "x"), 0);
	search("tunnel", 0, 10, NULL, &n);
	cr_assert_eq(n, 0);
	cr_assert_eq(sl_index_remove(ix, "x"), SL_ENOTFOUND);
	cr_assert_eq(sl_index_remove(ix, "never"), SL_ENOTFOUND);
}

/* A corpus large enough for blocks and pruning: random Zipf-ish words. */
static const char *vocab(unsigned i)
{
	static char words[400][8];

	if (!words[i][0])
		snprintf(words[i], sizeof(words[i]), "w%c%c%c",
			 'a' + i % 26, 'a' + (i / 26) % 26, 'a' + i / 676);
	return words[i];
}

static unsigned zipf(unsigned *seed)
{
	double u = (rand_r(seed) + 1.0) / (RAND_MAX + 2.0);

	return (unsigned)(400 * pow(u, 3)); /* low ids far more common */
}

/* Every document's time, by number, for expect_exhaustive(). */
static int64_t when[11000];

/*
 * The top 10 of q (its time filter set by round: none, a window, an
 * open end) are the 10 best of every match, filtered here.
 */
static void expect_exhaustive(sl_index_query *q, unsigned *seed, int round)
{
	static sl_hit all[11000], top[10];
	size_t n_all, n_top, n_want = 0, total;
	int exact;

	q->since = q->until = SL_TIME_NONE;
	q->k = 11000; /* everything: nothing can be pruned */
	n_all = sl_index_search(ix, q, all, &total, &exact);
	cr_assert(exact);
	cr_assert_eq(total, n_all);
	if (round % 3) {
		int64_t lo = 1780000000 + rand_r(seed) % 6000000;

		q->since = round % 3 == 1 ? lo : SL_TIME_NONE;
		q->until = lo + 86400 + rand_r(seed) % 600000;
	}
	for (size_t i = 0; i < n_all; i++) {
		int64_t t = when[all[i].doc];

		if (q->since != SL_TIME_NONE &&
		    (t == SL_TIME_NONE || t < q->since))
			continue;
		if (q->until != SL_TIME_NONE &&
		    (t == SL_TIME_NONE || t > q->until))
			continue;
		all[n_want++] = all[i];
	}
	q->k = 10;
	n_top = sl_index_search(ix, q, top, &total, &exact);
	cr_assert_eq(n_top, n_want < 10 ? n_want : 10, "round %d", round);
	for (size_t i = 0; i < n_top; i++) {
		cr_assert_eq(top[i].doc, all[i].doc, "round %d, rank %zu",
			     round, i);
		cr_assert_float_eq(top[i].score, all[i].score, 1e-5);
	}
}

/* The time of the d-th document of a test corpus, as ISO 8601 (NULL for
 * a few undated ones), recorded in when[docno]. */
static const char *time_of_doc(int d, uint32_t docno, unsigned *seed)
{
	static char iso[32];
	time_t t = 1780000000 + d * 600 + rand_r(seed) % 7200;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	when[docno] = d % 97 == 5 ? SL_TIME_NONE : (int64_t)t;
	return d % 97 == 5 ? NULL : iso;
}

Test(index, maxscore_gives_the_exhaustive_top_k)
{
	unsigned seed = 42;
	uint32_t next_doc = 0;
	sl_qterm qt[25];

	/* Several windows of documents scored together (WINDOW in index.c),
	 * in rough time order, a few undated: time filters skip windows. */
	for (int d = 0; d < 10000; d++) {
		char id[16], title[128] = "", body[2048] = "";
		int n_title = 3 + rand_r(&seed) % 6;
		int n_body = 20 + rand_r(&seed) % 120;
		const char *iso = time_of_doc(d, next_doc++, &seed);

		snprintf(id, sizeof(id), "doc-%d", d);
		for (int i = 0; i < n_title; i++) {
			strcat(title, vocab(zipf(&seed)));
			strcat(title, " ");
		}
		for (int i = 0; i < n_body; i++) {
			strcat(body, vocab(zipf(&seed)));
			strcat(body, " ");
		}
		add(id, title, body, NULL, iso);
		/* Some are rewritten later (the old version stays in the
		 * lists, retired), some removed: neither may be a hit. */
		if (d % 50 == 7) {
			when[next_doc] = when[next_doc - 1];
			next_doc++;
			add(id, body, title, NULL, iso);
		} else if (d % 31 == 3) {
			cr_assert_eq(sl_index_remove(ix, id), 0);
		}
	}
	for (int round = 0; round < 90; round++) {
		sl_index_query q = {.terms = qt};

		q.n_terms = 1 + rand_r(&seed) % 25;
		for (size_t i = 0; i < q.n_terms; i++) {
			qt[i].id = term(vocab(zipf(&seed)));
			qt[i].weight = 0.2f + (float)(rand_r(&seed) % 100) / 50;
			qt[i].flags = 0;
		}
		expect_exhaustive(&q, &seed, round);
	}
}

/*
 * Two and three common words, each in a third of the documents, mostly
 * once in a long body, now and then in the title or several times: the
 * shape of news text, where the lists' champions (the postings that
 * score highest) bring the candidates and the rest is read only to
 * complete them.
 */
static const char *common[] = {"harbour", "council", "budget", "weather"};

static void champion_corpus(void)
{
	unsigned seed = 7;
	uint32_t next_doc = 0;

	for (int d = 0; d < 9000; d++) {
		char id[16], title[256] = "", body[4096] = "";
		int n_body = 60 + rand_r(&seed) % 200;
		const char *iso = time_of_doc(d, next_doc++, &seed);

		snprintf(id, sizeof(id), "doc-%d", d);
		for (int i = 0; i < 4; i++)
			strcat(strcat(title, vocab(rand_r(&seed) % 400)), " ");
		for (int i = 0; i < n_body; i++)
			strcat(strcat(body, vocab(rand_r(&seed) % 400)), " ");
		for (int w = 0; w < 4; w++) {
			unsigned r = (unsigned)rand_r(&seed) % 100;

			if (r >= 33)
				continue;
			if (r < 2)
				strcat(strcat(title, common[w]), " ");
			for (unsigned i = 0; i < (r < 4 ? 4u : 1u); i++)
				strcat(strcat(body, " "), common[w]);
		}
		add(id, title, body, NULL, iso);
		if (d % 41 == 9)
			cr_assert_eq(sl_index_remove(ix, id), 0);
	}
}

/* Queries of two and three of the common words, each checked against
 * reading everything. */
static void champion_rounds(void)
{
	unsigned seed = 11;
	sl_qterm qt[3];

	for (int round = 0; round < 24; round++) {
		sl_index_query q = {.terms = qt, .n_terms = 2 + round % 2};

		for (size_t i = 0; i < q.n_terms; i++) {
			qt[i].id = term(common[(round / 2 + i) % 4]);
			qt[i].weight = 1;
			qt[i].flags = 0;
		}
		expect_exhaustive(&q, &seed, round);
	}
}

Test(index, champions_give_the_exhaustive_top_k)
{
	champion_corpus();
	champion_rounds();
}

/*
 * A common word beside a rarer one: the rarer one's champions bring the
 * candidates, and the common one, whose champions are many, only
 * completes them where they could enter (champion_lists, way b).
 */
Test(index, a_common_word_completes_a_rarer_ones_champions)
{
	unsigned seed = 5;
	sl_qterm qt[2];

	for (int d = 0; d < 9000; d++) {
		char id[16], title[256] = "", body[4096] = "";
		int n_body = 60 + rand_r(&seed) % 200;
		unsigned r = (unsigned)rand_r(&seed) % 100;
		const char *iso = time_of_doc(d, (uint32_t)d, &seed);

		snprintf(id, sizeof(id), "doc-%d", d);
		for (int i = 0; i < 4; i++)
			strcat(strcat(title, vocab(rand_r(&seed) % 400)), " ");
		for (int i = 0; i < n_body; i++)
			strcat(strcat(body, vocab(rand_r(&seed) % 400)), " ");
		if (r < 60) /* in most documents, now and then often */
			for (int i = r % 7 ? 1 : 3; i > 0; i--)
				strcat(body, " harbour");
		if (r % 8 == 0) { /* in an eighth, seldom in the title */
			if (r == 0)
				strcat(title, " turbine");
			strcat(body, " turbine");
		}
		add(id, title, body, NULL, iso);
	}
	for (int round = 0; round < 12; round++) {
		sl_index_query q = {.terms = qt, .n_terms = 2};

		qt[0] = (sl_qterm){term("harbour"), round % 2 ? 0.5f : 1, 0};
		qt[1] = (sl_qterm){term("turbine"), 1, 0};
		expect_exhaustive(&q, &seed, round);
	}
}

/* ------------------------------------------------------------------ */
/* What the rail reads                                                 */

/* Index a document with a place and a vector of the given words (unit
 * weights, "name" marks the first as a name). */
static void add_placed(const char *id, const char *text, const char *outlet,
		       const char *when, int64_t story, const char *copy_of)
{
	const sl_analysis *res =
	    sl_analyze(an, NULL, 0, text, strlen(text), "en");
	sl_index_doc_info info = {.id = id,
				  .published = SL_TIME_NONE,
				  .outlet = outlet,
				  .lang = "en",
				  .story = story,
				  .copy_of = copy_of};
	sl_vec v = {sl_calloc(res->n_terms + 1, sizeof(sl_vec_term)), 0};

	for (size_t i = 0; i < res->n_terms; i++)
		if (!res->terms[i].stop) {
			v.t[v.n] = (sl_vec_term){.id = res->terms[i].id,
						 .word = res->terms[i].id,
						 .w = 1.0f,
						 .name = v.n == 0};
			v.n++;
		}
	for (size_t i = 0; i < v.n; i++)
		v.t[i].w = (float)(1.0 / sqrt((double)v.n));
	/* by id, as vectors are */
	for (size_t i = 1; i < v.n; i++)
		for (size_t j = i; j > 0 && v.t[j - 1].id > v.t[j].id; j--) {
			sl_vec_term x = v.t[j];

			v.t[j] = v.t[j - 1];
			v.t[j - 1] = x;
		}
	info.vec = &v;
	if (when)
		cr_assert_eq(sl_time_parse(&info.published, when), 0);
	sl_index_add(ix, &info, res);
	sl_vec_clear(&v);
}

static void facts_of(sl_index *x, const char *id, sl_index_facts *f)
{
	uint32_t doc;

	cr_assert_eq(sl_index_find(x, id, &doc), 0, "%s is indexed", id);
	cr_assert_eq(sl_index_facts_get(x, doc, f), 0);
}

static void place_three(void)
{
	add_placed("a", "river flood town wall", "Courier",
		   "2026-11-18T10:00:00Z", 7, NULL);
	add_placed("b", "river flood town wall", "Lantern",
		   "2026-11-19T10:00:00Z", 7, "a");
	add_placed("c", "harbour strike pay", "Courier",
		   "2026-11-20T10:00:00Z", 9, NULL);
}

static void check_three(sl_index *x)
{
	sl_index_facts fa, fb, fc;
	sl_index_story st;
	double dot = 0;

	facts_of(x, "a", &fa);
	facts_of(x, "b", &fb);
	facts_of(x, "c", &fc);
	cr_assert_eq(fa.story, 7);
	cr_assert_eq(fc.story, 9);
	cr_assert_eq(fa.root, fb.root, "a copy shares its original's root");
	cr_assert_neq(fa.root, fc.root);
	cr_assert_str_eq(fb.outlet, "Lantern");
	cr_assert_eq(fa.n, 4);
	cr_assert(fa.t[0].id < fa.t[1].id, "terms by id");
	for (size_t i = 0; i < fa.n; i++)
		dot += (double)fa.t[i].w * fb.t[i].w;
	cr_assert_float_eq(dot, 1.0, 1e-3, "weights kept to 8 bits");
	cr_assert_eq(sl_vec_cosine(&(sl_vec){fa.t, fa.n}, &(sl_vec){fc.t, fc.n}),
		     0.0);
	cr_assert_eq(sl_index_story_get(x, 7, 1, &st), 0);
	cr_assert_eq(st.size, 2);
	cr_assert_eq(st.outlets, 2);
	cr_assert_eq(st.last - st.first, 86400);
	cr_assert_eq(sl_index_story_get(x, 8, 1, &st), SL_ENOTFOUND);
}

Test(index, keeps_places_and_vectors_for_the_rail)
{
	sl_index_facts f;
	sl_index_story st;
	uint32_t doc;
	int n_names = 0;

	place_three();
	check_three(ix);
	facts_of(ix, "a", &f);
	for (size_t i = 0; i < f.n; i++)
		n_names += f.t[i].name;
	cr_assert_eq(n_names, 1, "the name flag is kept");

	/* An update keeps the story's count; a removal lowers it. */
	add_placed("b", "river flood town wall barrier", "Lantern",
		   "2026-11-19T11:00:00Z", 7, "a");
	cr_assert_eq(sl_index_story_get(ix, 7, 1, &st), 0);
	cr_assert_eq(st.size, 2);
	cr_assert_eq(sl_index_remove(ix, "b"), 0);
	cr_assert_eq(sl_index_story_get(ix, 7, 1, &st), 0);
	cr_assert_eq(st.size, 1);
	cr_assert_eq(st.outlets, 1);
	cr_assert_eq(sl_index_find(ix, "b", &doc), SL_ENOTFOUND);
}

Test(index, a_search_leaves_out_the_stories_and_copies_asked)
{
	sl_index_query q = {.since = SL_TIME_NONE, .until = SL_TIME_NONE};
	int64_t skip[] = {7, 11};
	uint32_t root;
	sl_index_facts f;
	sl_hit *h;
	size_t n;

	place_three();
	add_placed("d", "river flood town", "Herald", "2026-11-21T10:00:00Z",
		   11, NULL);
	add_placed("e", "flood barrier river", "Herald",
		   "2026-11-21T11:00:00Z", 12, NULL);
	h = search("river flood", 0, 10, &q, &n);
	cr_assert_eq(n, 4);
	/* Stories 7 and 11 left out: only e. */
	q.skip_stories = skip;
	q.n_skip_stories = 2;
	h = search("river flood", 0, 10, &q, &n);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(id_of(h[0].doc), "e");
	/* a and its copy b left out, whatever their story. */
	facts_of(ix, "a", &f);
	root = f.root;
	q.skip_stories = NULL;
	q.n_skip_stories = 0;
	q.skip_root = &root;
	h = search("river flood", 0, 10, &q, &n);
	cr_assert_eq(n, 2);
	for (size_t i = 0; i < n; i++)
		cr_assert(!strcmp(id_of(h[i].doc), "d") ||
			      !strcmp(id_of(h[i].doc), "e"),
			  "%s", id_of(h[i].doc));
}

/*
 * Collapsed, a search gives one hit per text: of an original and its
 * copies, the best (by score, or the newest by time), and the k best
 * texts are the first k of scoring everything and keeping the first hit
 * of each text; the total counts texts. Copies are told apart by a word
 * or two now and then, so that the original is not always the best.
 */
Test(index, collapsing_keeps_the_best_of_each_text)
{
	static sl_hit all[4000], top[10];
	static uint32_t root_of[4000];
	unsigned seed = 5;
	sl_qterm qt[25];
	char originals[60][16];
	size_t n_orig = 0, made = 0;

	for (int d = 0; d < 4000; d++) {
		char id[16], title[128] = "", body[2048] = "", iso[32];
		time_t t = 1780000000 + d * 600 + rand_r(&seed) % 300;
		int copy = n_orig && rand_r(&seed) % 5 < 2;
		const char *of = copy ? originals[rand_r(&seed) % n_orig] : NULL;
		sl_index_doc_info info = {.id = id,
					  .outlet = "Wire",
					  .lang = "en",
					  .copy_of = of};
		struct tm tm;
		unsigned text_seed;

		snprintf(id, sizeof(id), "doc-%d", d);
		/* A copy has its original's words (the same seed), and now
		 * and then one more. */
		text_seed = copy ? (unsigned)atoi(of + 4) : (unsigned)d;
		for (int i = 0; i < 4; i++)
			strcat(strcat(title, vocab(zipf(&text_seed))), " ");
		for (int i = 0; i < 60; i++)
			strcat(strcat(body, vocab(zipf(&text_seed))), " ");
		if (copy && rand_r(&seed) % 3 == 0)
			strcat(title, vocab(zipf(&seed)));
		gmtime_r(&t, &tm);
		strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
		cr_assert_eq(sl_time_parse(&info.published, iso), 0);
		sl_index_add(ix, &info,
			     sl_analyze(an, title, strlen(title), body,
					strlen(body), "en"));
		if (!copy) /* the 60 latest originals */
			snprintf(originals[made++ % 60], 16, "%s", id);
		n_orig = made < 60 ? made : 60;
	}
	for (uint32_t doc = 0; doc < 4000; doc++) {
		sl_index_facts f;

		cr_assert_eq(sl_index_facts_get(ix, doc, &f), 0);
		root_of[doc] = f.root;
	}
	for (int round = 0; round < 60; round++) {
		sl_index_query q = {.terms = qt,
				    .since = SL_TIME_NONE,
				    .until = SL_TIME_NONE,
				    .by_time = round % 4 == 3};
		size_t n_all, n_top, n_want = 0, total;
		int exact;

		q.n_terms = 1 + rand_r(&seed) % 25;
		for (size_t i = 0; i < q.n_terms; i++) {
			qt[i].id = term(vocab(zipf(&seed)));
			qt[i].weight = 0.2f + (float)(rand_r(&seed) % 100) / 50;
			qt[i].flags = 0;
		}
		q.k = 4000; /* everything, each copy apart */
		n_all = sl_index_search(ix, &q, all, &total, &exact);
		for (size_t i = 0; i < n_all; i++) { /* the first of each text */
			size_t j = 0;

			while (j < n_want &&
			       root_of[all[j].doc] != root_of[all[i].doc])
				j++;
			if (j == n_want)
				all[n_want++] = all[i];
		}
		q.k = 10;
		q.collapse = 1;
		n_top = sl_index_search(ix, &q, top, &total, &exact);
		cr_assert_eq(n_top, n_want < 10 ? n_want : 10, "round %d",
			     round);
		for (size_t i = 0; i < n_top; i++) {
			cr_assert_eq(top[i].doc, all[i].doc, "round %d, rank %zu",
				     round, i);
			cr_assert_float_eq(top[i].score, all[i].score, 1e-5);
		}
		if (exact)
			cr_assert_eq(total, n_want, "round %d", round);
	}
}

/* ------------------------------------------------------------------ */
/* Snapshots                                                           */

static void fill(void)
{
	add("a", "river flood", "the river flooded the town", "Courier",
	    "2026-11-18T10:00:00Z");
	add("b", "harbour strike", "dockers strike over pay", "Lantern",
	    "2026-11-19T10:00:00Z");
	add("c", "flood defences", "new flood wall for the river town",
	    "Courier", "2026-11-20T10:00:00Z");
	add("b", "harbour deal", "dockers accept pay offer", "Lantern",
	    "2026-11-21T10:00:00Z");
}

static void same_results(sl_index *x, sl_index *y, const char *words)
{
	sl_qterm qt[8];
	sl_index_query q = {0};
	sl_hit hx[8], hy[8];
	size_t nx, ny, total;
	int exact;
	char buf[128], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", words);
	for (char *w = strtok_r(buf, " ", &save); w;
	     w = strtok_r(NULL, " ", &save)) {
		qt[q.n_terms].id = term(w);
		qt[q.n_terms].weight = 1;
		qt[q.n_terms].flags = 0;
		q.n_terms++;
	}
	q.terms = qt;
	q.since = q.until = SL_TIME_NONE;
	q.k = 8;
	nx = sl_index_search(x, &q, hx, &total, &exact);
	ny = sl_index_search(y, &q, hy, &total, &exact);
	cr_assert_eq(nx, ny, "\"%s\"", words);
	for (size_t i = 0; i < nx; i++) {
		cr_assert_eq(hx[i].doc, hy[i].doc);
		cr_assert_float_eq(hx[i].score, hy[i].score, 1e-6);
	}
}

static char *snap_path(void)
{
	static char path[128];

	/* not the template's last X: mkdtemp may end the name with an X */
	if (!snap_made++) {
		const char *made = mkdtemp(snap_dir);

		/* say why, should a shared /tmp ever refuse */
		cr_assert_not_null(made, "mkdtemp(%s): %s", snap_dir,
				   strerror(errno));
	}
	snprintf(path, sizeof(path), "%s/test.index", snap_dir);
	return path;
}

/* ix saved as store-1's snapshot and loaded again; its sequence number
 * to *seq. */
static sl_index *saved_and_loaded(int64_t *seq)
{
	sl_index *loaded = NULL;

	cr_assert_eq(sl_index_save(ix, snap_path(), "store-1"), 0, "%s",
		     sl_error_last());
	cr_assert_eq(sl_index_load(&loaded, snap_path(), "store-1", seq), 0,
		     "%s", sl_error_last());
	return loaded;
}

/* Vectors weigh terms by their document frequency among originals: a
 * copy adds postings (a search finds it) but not to that count, before
 * and after a snapshot. */
Test(index, copies_do_not_count_in_the_vectors_df)
{
	uint64_t t[2] = {term("river"), term("harbour")};
	uint32_t df[2];
	size_t n_docs;
	sl_index_facts before, after;
	sl_index *loaded;
	int64_t seq;
	sl_hit *h;
	size_t n;
	sl_index_query q = {.since = SL_TIME_NONE, .until = SL_TIME_NONE};

	place_three(); /* a, b (a copy of a), c */
	add_placed("d", "river barge", "Herald", NULL, 13, NULL);
	sl_index_df(ix, t, 2, df, &n_docs);
	cr_assert_eq(n_docs, 3, "a, c and d; b is a copy");
	cr_assert_eq(df[0], 2, "river: a and d, not b");
	cr_assert_eq(df[1], 1);
	h = search("river", 0, 10, &q, &n);
	cr_assert_eq(n, 3, "the copy is still found");
	(void)h;
	/* A copy whose original is not indexed counts as an original. */
	add_placed("e", "river ferry", "Herald", NULL, 14, "not-indexed");
	sl_index_df(ix, t, 2, df, &n_docs);
	cr_assert_eq(n_docs, 4);
	cr_assert_eq(df[0], 3);
	facts_of(ix, "d", &before);
	loaded = saved_and_loaded(&seq);
	sl_index_df(loaded, t, 2, df, &n_docs);
	cr_assert_eq(n_docs, 4);
	cr_assert_eq(df[0], 3);
	cr_assert_eq(df[1], 1);
	facts_of(loaded, "d", &after);
	cr_assert_eq(before.n, after.n);
	for (size_t i = 0; i < before.n; i++)
		cr_assert_eq(before.t[i].w, after.t[i].w, "same weights");
	sl_index_free(loaded);
}

Test(index, snapshot_round_trip)
{
	sl_index *loaded;
	sl_index_stats a, b;
	int64_t seq = -1;

	fill();
	loaded = saved_and_loaded(&seq);
	same_results(ix, loaded, "flood");
	same_results(ix, loaded, "river town");
	same_results(ix, loaded, "strike pay");
	same_results(ix, loaded, "deal");
	sl_index_stats_get(ix, &a);
	sl_index_stats_get(loaded, &b);
	cr_assert_eq(a.docs, b.docs);
	cr_assert_eq(a.terms, b.terms);
	cr_assert_eq(a.postings, b.postings);
	cr_assert_eq(seq, 0);
	cr_assert_eq(sl_index_remove(loaded, "b"), 0, "ids survive");
	sl_index_free(loaded);
}

Test(index, snapshot_keeps_places_and_vectors)
{
	sl_index *loaded;
	int64_t seq = -1;

	place_three();
	loaded = saved_and_loaded(&seq);
	check_three(loaded);
	sl_index_free(loaded);
}

/* A loaded index keeps its champions: without them, or with them and
 * the bound of the others out of step, its top k would differ. */
Test(index, champions_survive_a_snapshot)
{
	sl_index *built, *loaded;
	int64_t seq = -1;

	champion_corpus();
	loaded = saved_and_loaded(&seq);
	built = ix;
	ix = loaded;
	champion_rounds();
	ix = built;
	sl_index_free(loaded);
}

static long file_size(const char *path)
{
	FILE *fp = fopen(path, "rb");
	long n;

	cr_assert_not_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fclose(fp);
	return n;
}

Test(index, damaged_snapshots_are_refused)
{
	sl_index *loaded = NULL;
	int64_t seq;
	long size;
	FILE *fp;

	fill();
	cr_assert_eq(sl_index_save(ix, snap_path(), "store-1"), 0);
	size = file_size(snap_path());
	cr_assert_eq(sl_index_load(&loaded, snap_path(), "store-2", &seq),
		     SL_EINVAL, "another store's snapshot");
	/* One flipped byte in the middle. */
	fp = fopen(snap_path(), "r+b");
	fseek(fp, size / 2, SEEK_SET);
	int c = fgetc(fp);

	fseek(fp, size / 2, SEEK_SET);
	fputc(c ^ 0x10, fp);
	fclose(fp);
	cr_assert_eq(sl_index_load(&loaded, snap_path(), "store-1", &seq),
		     SL_EINVAL, "a corrupt snapshot");
	cr_assert_null(loaded);
	/* Cut short. */
	cr_assert_eq(sl_index_save(ix, snap_path(), "store-1"), 0);
	cr_assert_eq(truncate(snap_path(), size - 100), 0);
	cr_assert_eq(sl_index_load(&loaded, snap_path(), "store-1", &seq),
		     SL_EINVAL, "a truncated snapshot");
	cr_assert_eq(truncate(snap_path(), 5), 0);
	cr_assert_eq(sl_index_load(&loaded, snap_path(), "store-1", &seq),
		     SL_EINVAL, "a stub");
	unlink(snap_path());
	cr_assert_eq(sl_index_load(&loaded, snap_path(), "store-1", &seq),
		     SL_ENOTFOUND);
}

/* ------------------------------------------------------------------ */
/* One writer, several readers                                         */

typedef struct reader_arg {
	int stop;
	size_t searches;
	int bad;
} reader_arg;

static void *reader_main(void *p)
{
	reader_arg *arg = p;
	sl_analyzer *own = sl_analyzer_new(); /* analyzers are per thread */
	const sl_analysis *res = sl_analyze(own, NULL, 0, "river", 5, "en");
	sl_qterm qt = {res->terms[0].id, 1, 0};
	sl_hit hits[10];

	while (!__atomic_load_n(&arg->stop, __ATOMIC_ACQUIRE)) {
		sl_index_query q = {0};
		size_t total, n;
		int exact;

		q.terms = &qt;
		q.n_terms = 1;
		q.since = q.until = SL_TIME_NONE;
		q.k = 10;
		n = sl_index_search(ix, &q, hits, &total, &exact);
		for (size_t i = 1; i < n; i++)
			if (hits[i].score > hits[i - 1].score)
				arg->bad = 1;
		__atomic_add_fetch(&arg->searches, 1, __ATOMIC_RELEASE);
	}
	sl_analyzer_free(own);
	return NULL;
}

Test(index, readers_search_while_a_writer_adds)
{
	pthread_t threads[2];
	reader_arg args[2] = {{0}, {0}};
	size_t n;

	add("seed", "river", "river bank", NULL, NULL);
	for (int t = 0; t < 2; t++)
		pthread_create(&threads[t], NULL, reader_main, &args[t]);
	/* The readers are searching before the writer starts. */
	for (int t = 0; t < 2; t++)
		while (!__atomic_load_n(&args[t].searches, __ATOMIC_ACQUIRE))
			sched_yield();
	for (int d = 0; d < 3000; d++) {
		char id[16];

		snprintf(id, sizeof(id), "w-%d", d);
		add(id, d % 3 ? "river news" : "other news",
		    "the river rose and the town waited by the river", NULL,
		    NULL);
	}
	for (int t = 0; t < 2; t++) {
		__atomic_store_n(&args[t].stop, 1, __ATOMIC_RELEASE);
		pthread_join(threads[t], NULL);
		cr_assert_gt(args[t].searches, 0);
		cr_assert_not(args[t].bad, "results out of order");
	}
	search("river", 0, 10, NULL, &n);
	cr_assert_eq(n, 10);
}
