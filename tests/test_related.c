/* The rail's choice of items on hand-made candidates: one per story,
 * diversity against near-duplicates, the outlet cap. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "engine_int.h"
#include "related.h"

/* A vector of one term per distinct topic word, for likeness. */
static sl_vec_term terms[12][2];
static sl_vec vecs[12];

static const sl_vec *topic(int t, int u)
{
	/* Unit vectors over two term ids; same (t, u) = identical. */
	int i = t * 3 + u;

	terms[i][0] = (sl_vec_term){.id = 100 + (uint64_t)t, .w = 0.8f};
	terms[i][1] = (sl_vec_term){.id = 200 + (uint64_t)u, .w = 0.6f};
	vecs[i].t = terms[i];
	vecs[i].n = 2;
	return &vecs[i];
}

static sl_rail_cand cand(const char *id, const char *outlet, int64_t story,
			 int64_t time, double score, const sl_vec *v)
{
	return (sl_rail_cand){id, outlet, story, time, score, v, NULL, 0};
}

/* The same, on the article's subject only (tier 1). */
static sl_rail_cand subject(const char *id, const char *outlet, int64_t story,
			    int64_t time, double score, const sl_vec *v)
{
	return (sl_rail_cand){id, outlet, story, time, score, v, NULL, 1};
}

Test(related, one_item_per_story_the_best)
{
	sl_rail_cand c[] = {
	    cand("a1", "A", 1, 100, 0.5, NULL),
	    cand("b1", "B", 2, 100, 0.9, NULL),
	    cand("a2", "B", 1, 200, 0.7, NULL),
	    cand("a3", "C", 1, 300, 0.7, NULL), /* tie: fresher wins */
	    cand("x", "C", 0, 100, 0.6, NULL),	/* own story */
	    cand("y", "C", 0, 100, 0.4, NULL),	/* own story too */
	};
	size_t n = sl_rail_collapse(c, 6);

	cr_assert_eq(n, 4);
	cr_assert_str_eq(c[0].id, "b1");
	cr_assert_str_eq(c[1].id, "a3");
	cr_assert_str_eq(c[2].id, "x");
	cr_assert_str_eq(c[3].id, "y");
}

Test(related, close_items_come_before_items_on_the_subject)
{
	sl_rail_cand c[] = {
	    subject("s-high", "A", 1, 100, 0.9, topic(0, 0)),
	    cand("c-low", "B", 1, 100, 0.2, topic(1, 1)), /* s-high's story */
	    subject("s-other", "C", 2, 100, 0.8, topic(2, 2)),
	    cand("c-mid", "D", 3, 100, 0.3, topic(3, 0)),
	};
	size_t chosen[4], n = sl_rail_collapse(c, 4), k;

	/* A story's item is its close article, whatever the scores. */
	cr_assert_eq(n, 3);
	cr_assert_str_eq(c[0].id, "c-mid");
	cr_assert_str_eq(c[1].id, "c-low");
	cr_assert_str_eq(c[2].id, "s-other");
	/* Diversity reorders within a tier, never across. */
	k = sl_rail_diversify(c, n, 3, chosen);
	cr_assert_eq(k, 3);
	cr_assert_str_eq(c[chosen[0]].id, "c-mid");
	cr_assert_str_eq(c[chosen[1]].id, "c-low");
	cr_assert_str_eq(c[chosen[2]].id, "s-other");
}

Test(related, near_duplicates_are_dropped_and_like_ones_wait)
{
	sl_rail_cand c[] = {
	    cand("a", "A", 1, 0, 1.0, topic(0, 0)),
	    cand("a-again", "B", 2, 0, 0.95, topic(0, 0)), /* same text */
	    cand("a-ish", "C", 3, 0, 0.9, topic(0, 1)),	   /* alike */
	    cand("other", "D", 4, 0, 0.8, topic(2, 2)),	   /* different */
	};
	size_t chosen[4], k = sl_rail_diversify(c, 4, 4, chosen);

	cr_assert_eq(k, 3);
	cr_assert_str_eq(c[chosen[0]].id, "a");
	/* 0.8 - 0 beats 0.9 - 0.25 x 0.64: the different one first. */
	cr_assert_str_eq(c[chosen[1]].id, "other");
	cr_assert_str_eq(c[chosen[2]].id, "a-ish");
}

Test(related, no_outlet_takes_more_than_a_third)
{
	sl_rail_cand c[9];
	size_t chosen[9], k, wire = 0;
	char ids[9][16];

	for (int i = 0; i < 9; i++) {
		snprintf(ids[i], sizeof(ids[i]), "i%d", i);
		/* The six best all come from one wire. */
		c[i] = cand(ids[i],
			    i < 6    ? "Wire"
			    : i == 6 ? "B"
				     : "C",
			    i + 1, 0, 1.0 - i * 0.05, topic(i % 4, i / 4));
	}
	k = sl_rail_diversify(c, 9, 6, chosen);
	for (size_t i = 0; i < 5; i++)
		wire += !strcmp(c[chosen[i]].outlet, "Wire");
	cr_assert_eq(wire, 2, "a third of 6 while the others have items");
	cr_assert_eq(k, 6);
	cr_assert_str_eq(c[chosen[5]].outlet, "Wire",
			 "then the wire again, after everyone else");
	/* One outlet only: the rail is still full. */
	for (int i = 0; i < 9; i++)
		c[i].outlet = "Solo";
	cr_assert_eq(sl_rail_diversify(c, 9, 6, chosen), 6);
}

/* The greedy choice the rail describes, the plain way: every step looks
 * at every candidate against every item chosen so far. */
static size_t greedy(const sl_rail_cand *c, size_t n, size_t limit,
		     size_t *chosen)
{
	size_t k = 0, cap = (limit + 2) / 3;
	int taken[64] = {0};

	for (int round = 0; round < 2; round++)
		while (k < limit) {
			size_t at = n;
			double best = 0;

			for (size_t i = 0; i < n; i++) {
				double like = 0, v;
				size_t same = 0;

				for (size_t j = 0; j < k; j++) {
					double l = sl_vec_cosine(
					    c[i].vec, c[chosen[j]].vec);

					like = l > like ? l : like;
					same += !strcmp(c[i].outlet,
							c[chosen[j]].outlet);
				}
				if (taken[i] || like >= 0.8 ||
				    (round == 0 && same >= cap))
					continue;
				v = c[i].score -
				    0.5 * (like > 0.3 ? like - 0.3 : 0);
				if (at == n || c[i].tier < c[at].tier ||
				    (c[i].tier == c[at].tier && v > best)) {
					best = v;
					at = i;
				}
			}
			if (at == n)
				break;
			taken[at] = 1;
			chosen[k++] = at;
		}
	return k;
}

Test(related, diversity_is_the_plain_greedy_choice)
{
	static sl_vec_term t[40][4];
	static sl_vec v[40];
	static const char *outlets[] = {"A", "B", "C"};
	sl_rail_cand c[40];
	size_t got[40], want[40];
	unsigned seed = 7;

	for (int trial = 0; trial < 300; trial++) {
		size_t n = 1 + rand_r(&seed) % 40;
		size_t limit = 1 + rand_r(&seed) % 12, k;

		for (size_t i = 0; i < n; i++) {
			double norm = 0;

			/* Few term ids: many alike, some the same. */
			v[i].n = 1 + rand_r(&seed) % 4;
			v[i].t = t[i];
			for (size_t j = 0; j < v[i].n; j++) {
				t[i][j].id = j * 3 + rand_r(&seed) % 3;
				t[i][j].w = 1.0f + (float)(rand_r(&seed) % 4);
				norm += t[i][j].w * t[i][j].w;
			}
			for (size_t j = 0; j < v[i].n; j++)
				t[i][j].w = (float)(t[i][j].w / sqrt(norm));
			c[i] = cand("x", outlets[rand_r(&seed) % 3],
				    (int64_t)i + 1, 0,
				    (rand_r(&seed) % 100) / 100.0, &v[i]);
			c[i].tier = rand_r(&seed) % 4 == 0;
		}
		k = sl_rail_diversify(c, n, limit, got);
		cr_assert_eq(k, greedy(c, n, limit, want), "trial %d", trial);
		for (size_t i = 0; i < k; i++)
			cr_assert_eq(got[i], want[i], "trial %d, item %zu",
				     trial, i);
	}
}

Test(related, an_empty_rail_stays_empty)
{
	size_t chosen[1];

	cr_assert_eq(sl_rail_collapse(NULL, 0), 0);
	cr_assert_eq(sl_rail_diversify(NULL, 0, 20, chosen), 0);
}

/* ------------------------------------------------------------------ */
/* Through the engine: a rail follows the store as it changes.         */

#include <stdlib.h>
#include <unistd.h>

#include "storyline.h"

static void put_from(sl_engine *e, const char *id, const char *outlet,
		     const char *title, const char *body, const char *when)
{
	sl_article *a = sl_article_new();

	a->id = strdup(id);
	a->outlet = outlet ? strdup(outlet) : NULL;
	a->title = strdup(title);
	a->body_text = strdup(body);
	cr_assert_eq(sl_time_parse(&a->published, when), 0);
	cr_assert_eq(sl_engine_begin(e), 0);
	cr_assert_eq(sl_engine_add(e, a, NULL), 0, "%s", sl_error_last());
	cr_assert_eq(sl_engine_commit(e), 0);
	sl_article_free(a);
}

static void put(sl_engine *e, const char *id, const char *title,
		const char *body, const char *when)
{
	put_from(e, id, NULL, title, body, when);
}

/* Is item in the rail of id (with this title, if one is given)? */
static int in_rail_as(sl_engine *e, const char *id, const char *item,
		      const char *title)
{
	sl_related *r;
	int found = 0;

	cr_assert_eq(sl_engine_related(e, id, NULL, &r), 0, "%s",
		     sl_error_last());
	for (size_t i = 0; i < r->n_items; i++)
		found |= !strcmp(r->items[i].id, item) &&
			 (!title || !strcmp(r->items[i].title, title));
	sl_related_free(r);
	return found;
}

static int in_rail(sl_engine *e, const char *id, const char *item)
{
	return in_rail_as(e, id, item, NULL);
}

/* A store of its own for each engine test, in a fresh folder. */
static char store_dir[64], store_path[256];
static sl_engine *e;

static void open_store(void)
{
	strcpy(store_dir, "/tmp/storyline-rail-XXXXXX");
	cr_assert_not_null(mkdtemp(store_dir));
	snprintf(store_path, sizeof(store_path), "%s/t.db", store_dir);
	cr_assert_eq(sl_engine_open(&e, store_path, SL_OPEN_CREATE), 0);
}

static void close_store(void)
{
	char cmd[300];

	sl_engine_free(e);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", store_dir);
	cr_assert_eq(system(cmd), 0);
}

Test(related, a_rail_follows_updates, .init = open_store,
     .fini = close_store)
{
	put(e, "a", "River Kell floods Dunmore",
	    "The River Kell burst its banks in Dunmore on Tuesday and "
	    "hundreds of residents left their homes as the water rose.",
	    "2026-11-18T10:00:00Z");
	put(e, "b", "Dunmore counts the cost of the Kell flood",
	    "Residents of Dunmore returned to homes soaked by the River Kell "
	    "as the water fell back on Wednesday.",
	    "2026-11-19T10:00:00Z");
	put(e, "c", "Orchestra opens its season",
	    "The city orchestra opened its winter season with a new "
	    "symphony by a young composer from the conservatory.",
	    "2026-11-19T12:00:00Z");
	cr_assert(in_rail(e, "a", "b"));
	cr_assert_not(in_rail(e, "a", "c"));
	/* b gets a new headline: the rail shows it. */
	put(e, "b", "Dunmore mops up after the Kell flood",
	    "Residents of Dunmore returned to homes soaked by the River Kell "
	    "as the water fell back on Wednesday.",
	    "2026-11-19T10:00:00Z");
	cr_assert(
	    in_rail_as(e, "a", "b", "Dunmore mops up after the Kell flood"));
	/* b is rewritten about music: the rail drops it. */
	put(e, "b", "A new symphony for the winter",
	    "The conservatory's young composer heard her symphony played "
	    "by the city orchestra for the first time.",
	    "2026-11-19T10:00:00Z");
	cr_assert_not(in_rail(e, "a", "b"));
}

/* Every item's story is the store's, after a restory and after the
 * engine is opened again (from the index snapshot). */
static void stories_agree(sl_engine *e, const char *id, size_t min_items)
{
	sl_related *r;

	cr_assert_eq(sl_engine_related(e, id, NULL, &r), 0, "%s",
		     sl_error_last());
	cr_assert_geq(r->n_items, min_items, "rail of %s", id);
	for (size_t i = 0; i < r->n_items; i++) {
		int64_t story = -1;
		char *copy_of = NULL;

		cr_assert_eq(sl_engine_story_of(e, r->items[i].id, &story,
						&copy_of),
			     0);
		cr_assert_eq(r->items[i].story, story, "item %s",
			     r->items[i].id);
		free(copy_of);
	}
	sl_related_free(r);
}

/* A flood in four reports (one a copy), and other news. */
static void flood_news(void)
{
	const char *flood = "The River Kell burst its banks in Dunmore on "
			    "Tuesday and hundreds of residents left their "
			    "homes as the water rose past the old bridge.";
	put(e, "a", "River Kell floods Dunmore", flood, "2026-11-18T10:00:00Z");
	put(e, "copy", "Kell floods Dunmore", flood, "2026-11-18T11:00:00Z");
	put(e, "b", "Dunmore counts the cost of the Kell flood",
	    "Residents of Dunmore returned to homes soaked by the River Kell "
	    "as the water fell back on Wednesday.",
	    "2026-11-19T10:00:00Z");
	put(e, "c", "Kell flood: Dunmore asks for a new wall",
	    "Dunmore's council asked for a flood wall along the River Kell "
	    "a week after the water reached the bridge.",
	    "2026-11-24T10:00:00Z");
	/* Other news, so that the event's words are rare. */
	put(e, "x1", "Orchestra opens its season",
	    "The city orchestra opened its winter season with a new "
	    "symphony by a young composer from the conservatory.",
	    "2026-11-19T12:00:00Z");
	put(e, "x2", "Dockers strike over pay",
	    "Dockers at the container port walked out on Monday after "
	    "talks over pay and shift patterns broke down.",
	    "2026-11-20T12:00:00Z");
	put(e, "x3", "Chess champion keeps her title",
	    "The defending champion drew the final game in the capital "
	    "and kept her title for a third year.",
	    "2026-11-21T12:00:00Z");
}

Test(related, a_rail_reads_places_after_restory_and_reopen,
     .init = open_store, .fini = close_store)
{
	flood_news();
	cr_assert_not(in_rail(e, "a", "copy"), "never a copy of itself");
	cr_assert(in_rail(e, "a", "b"));
	stories_agree(e, "a", 1);
	/* A window of an hour splits the event: the rail follows. */
	cr_assert_eq(sl_engine_restory(e, 3600, NULL, NULL), 0);
	stories_agree(e, "a", 1);
	stories_agree(e, "c", 1);
	cr_assert_not(in_rail(e, "a", "copy"));
	sl_engine_free(e);
	cr_assert_eq(sl_engine_open(&e, store_path, 0), 0);
	stories_agree(e, "a", 1);
	cr_assert_not(in_rail(e, "a", "copy"));
}

/* The flood news in e, read (index and stories loaded), then placed
 * again by another engine on the same store, with a window of an hour. */
static void restory_elsewhere(void)
{
	sl_engine *other;

	flood_news();
	stories_agree(e, "a", 1);
	cr_assert_eq(sl_engine_open(&other, store_path, 0), 0);
	cr_assert_eq(sl_engine_restory(other, 3600, NULL, NULL), 0);
	sl_engine_free(other);
}

/* A new report within the hour of c, added through e, joins c's story,
 * numbered as the store says. */
static void d_joins_c(void)
{
	int64_t c_story = 0, d_story = -1;
	char *copy_of = NULL;

	put(e, "d", "Dunmore's flood wall: council votes on Friday",
	    "Dunmore's council will vote on Friday on the flood wall along "
	    "the River Kell that residents asked for after the water rose.",
	    "2026-11-24T10:30:00Z");
	cr_assert_eq(sl_engine_story_of(e, "c", &c_story, &copy_of), 0);
	free(copy_of);
	copy_of = NULL;
	cr_assert_eq(sl_engine_story_of(e, "d", &d_story, &copy_of), 0);
	free(copy_of);
	cr_assert_eq(d_story, c_story, "d joins c's story");
	stories_agree(e, "c", 1);
}

/* A server keeps running while another process places everything again:
 * on its next refresh its rails and its new articles follow the new
 * stories, and what it leaves behind does not bring the old ones back. */
Test(related, another_process_restory_reaches_a_running_engine,
     .init = open_store, .fini = close_store)
{
	restory_elsewhere();
	cr_assert_geq(sl_engine_refresh(e), 0);
	stories_agree(e, "a", 1);
	stories_agree(e, "c", 1);
	d_joins_c();
	sl_engine_free(e);
	cr_assert_eq(sl_engine_open(&e, store_path, 0), 0);
	stories_agree(e, "a", 1);
	stories_agree(e, "c", 1);
}

/* The same with no page asked for in between (a polling round right
 * after another process's restory): the batch itself notices. */
Test(related, a_batch_after_another_process_restory_follows_it,
     .init = open_store, .fini = close_store)
{
	restory_elsewhere();
	d_joins_c();
}

/* A restory that stopped after its commit, before its snapshot: the
 * snapshot left from before holds the old stories and is not trusted. */
Test(related, a_snapshot_from_before_a_restory_is_not_trusted,
     .init = open_store, .fini = close_store)
{
	char snap[300], cmd[700];

	flood_news();
	stories_agree(e, "a", 1);
	sl_engine_free(e);
	snprintf(snap, sizeof(snap), "%s.index", store_path);
	snprintf(cmd, sizeof(cmd), "cp %s %s.old", snap, snap);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(sl_engine_open(&e, store_path, 0), 0);
	cr_assert_eq(sl_engine_restory(e, 3600, NULL, NULL), 0);
	sl_engine_free(e);
	snprintf(cmd, sizeof(cmd), "mv %s.old %s", snap, snap);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(sl_engine_open(&e, store_path, 0), 0);
	stories_agree(e, "a", 1);
	stories_agree(e, "c", 1);
	cr_assert_eq(e->index_source, SL_INDEX_REBUILT);
}

/* Where the store puts id: its original ("" for an original). */
static void copy_of_is(const char *id, const char *original)
{
	int64_t story = 0;
	char *copy_of = NULL;

	cr_assert_eq(sl_engine_story_of(e, id, &story, &copy_of), 0);
	cr_assert_str_eq(copy_of ? copy_of : "", original, "%s", id);
	free(copy_of);
}

static sl_article *report(const char *id, const char *body, const char *when)
{
	sl_article *a = sl_article_new();

	a->id = strdup(id);
	a->title = strdup("River Kell floods Dunmore");
	a->body_text = strdup(body);
	cr_assert_eq(sl_time_parse(&a->published, when), 0);
	return a;
}

/* A feed polled late delivers the wire's report after the copies other
 * sites made of it: the family follows the report published first, in
 * the store, the rails and the stories, in one batch or across batches
 * and processes. */
Test(related, a_copy_met_before_its_original_follows_it, .init = open_store,
     .fini = close_store)
{
	const char *flood =
	    "The River Kell burst its banks in Dunmore on Tuesday and "
	    "hundreds of residents left their homes as the water rose past "
	    "the old bridge. Emergency crews from Ashby and Nether Corran "
	    "worked through the night to fill sandbags, and the council "
	    "opened the school hall on Mill Street as a shelter for families "
	    "who could not reach relatives outside the town.";
	char copied[1024];
	sl_article *a[2];

	snprintf(copied, sizeof(copied), "%s Roads into the town stay shut.",
		 flood);
	put(e, "copy", "River Kell floods Dunmore", copied,
	    "2026-11-18T11:00:00Z");
	put(e, "x1", "Orchestra opens its season",
	    "The city orchestra opened its winter season with a new "
	    "symphony by a young composer from the conservatory.",
	    "2026-11-18T12:00:00Z");
	put(e, "wire", "River Kell floods Dunmore", flood,
	    "2026-11-18T10:00:00Z");
	copy_of_is("wire", "");
	copy_of_is("copy", "wire");
	cr_assert_not(in_rail(e, "wire", "copy"), "never a copy of itself");
	cr_assert_not(in_rail(e, "copy", "wire"));
	/* One batch: a copy, then the original. */
	a[0] = report("dock-copy", "Dockers at the container port walked "
		      "out on Monday after talks over pay and shift patterns "
		      "broke down, and the port's owners said ships would be "
		      "sent to other harbours until the strike ends. Union "
		      "leaders said the walkout would last a week.",
		      "2026-11-18T15:00:00Z");
	a[1] = report("dock-wire", a[0]->body_text, "2026-11-18T14:00:00Z");
	cr_assert_eq(sl_engine_begin(e), 0);
	for (int i = 0; i < 2; i++) {
		cr_assert_eq(sl_engine_add(e, a[i], NULL), 0);
		sl_article_free(a[i]);
	}
	cr_assert_eq(sl_engine_commit(e), 0);
	copy_of_is("dock-copy", "dock-wire");
	cr_assert_not(in_rail(e, "dock-wire", "dock-copy"));
	/* Another process: the family is read back with its original's
	 * time, so a copy published between the two, found through the
	 * copy it is word for word, is that original's, not the family's
	 * new head; one published before both is. */
	sl_engine_free(e);
	cr_assert_eq(sl_engine_open(&e, store_path, 0), 0);
	put(e, "copy2", "River Kell floods Dunmore", copied,
	    "2026-11-18T10:30:00Z");
	copy_of_is("copy2", "wire");
	copy_of_is("wire", "");
	put(e, "first", "River Kell floods Dunmore", copied,
	    "2026-11-18T09:30:00Z");
	copy_of_is("first", "");
	copy_of_is("wire", "first");
	copy_of_is("copy", "first");
	copy_of_is("copy2", "first");
	cr_assert_not(in_rail(e, "first", "wire"));
	cr_assert_not(in_rail(e, "copy2", "first"));
	stories_agree(e, "first", 0);
}

/* Names are spelled alike in every language but stemmed apart: a Spanish
 * report of an election finds the English coverage by its names, and a
 * Spanish article that only mentions the country does not. */
Test(related, names_carry_a_rail_across_languages, .init = open_store,
     .fini = close_store)
{
	put(e, "en1", "Valderra votes in a close presidential runoff",
	    "Voters in Valderra chose on Sunday between Ramón Ibáñez, the "
	    "former mayor of Puerto Lindo, and Teodora Quiroga, the governing "
	    "party's candidate. Ibáñez led the first round narrowly, and "
	    "Quiroga's campaign said turnout in the south would decide it.",
	    "2026-11-22T10:00:00Z");
	put(e, "en2", "Ibáñez wins Valderra's presidency",
	    "Ramón Ibáñez won the presidential runoff in Valderra with 52 per "
	    "cent of the vote, and Teodora Quiroga conceded after midnight "
	    "in Puerto Lindo. Ibáñez promised a cleaner government and an "
	    "audit of the ports.",
	    "2026-11-23T01:00:00Z");
	put(e, "en3", "Markets calm after the Valderra election",
	    "The Valderra peso steadied on Monday as investors weighed the "
	    "victory of Ramón Ibáñez over Teodora Quiroga; Ibáñez said the "
	    "central bank would keep its independence.",
	    "2026-11-23T09:00:00Z");
	put(e, "x1", "Orchestra opens its season",
	    "The city orchestra opened its winter season with a new "
	    "symphony by a young composer from the conservatory.",
	    "2026-11-21T12:00:00Z");
	put(e, "x2", "Dockers strike over pay",
	    "Dockers at the container port walked out on Monday after "
	    "talks over pay and shift patterns broke down.",
	    "2026-11-22T12:00:00Z");
	put(e, "es1", "Ibáñez gana la segunda vuelta en Valderra",
	    "El exalcalde de Puerto Lindo Ramón Ibáñez ganó el domingo la "
	    "segunda vuelta de las elecciones presidenciales en Valderra, con "
	    "el 52 por ciento de los votos frente a Teodora Quiroga, candidata "
	    "del partido del gobierno. Quiroga reconoció su derrota después "
	    "de la medianoche.",
	    "2026-11-23T02:00:00Z");
	put(e, "es2", "Empate del Atlético de Valderra en casa",
	    "El equipo de fútbol empató a un gol con el líder del torneo "
	    "ante miles de aficionados en el estadio nuevo; el delantero "
	    "marcó de cabeza en el último minuto del partido.",
	    "2026-11-22T20:00:00Z");
	sl_related *r;
	int english = 0, named = 0;

	cr_assert_eq(sl_engine_related(e, "es1", NULL, &r), 0, "%s",
		     sl_error_last());
	for (size_t i = 0; i < r->n_items; i++) {
		english += !strncmp(r->items[i].id, "en", 2);
		cr_assert(strncmp(r->items[i].id, "x", 1) &&
			      strcmp(r->items[i].id, "es2"),
			  "%s is not about the election", r->items[i].id);
		for (size_t k = 0; k < r->items[i].n_why; k++)
			named |= !strcmp(r->items[i].why[k], "Quiroga");
	}
	sl_related_free(r);
	cr_assert_gt(english, 0, "the English coverage, found by its names");
	cr_assert(named, "the names it shares say why");
	cr_assert_not(in_rail(e, "es2", "es1"));
	cr_assert_not(in_rail(e, "es2", "en2"));
	/* Placement reads names the same way: one story, two languages. */
	int64_t en_story, es_story, other;
	char *copy_of = NULL;

	cr_assert_eq(sl_engine_story_of(e, "en2", &en_story, &copy_of), 0);
	cr_assert_eq(sl_engine_story_of(e, "es1", &es_story, &copy_of), 0);
	cr_assert_eq(sl_engine_story_of(e, "es2", &other, &copy_of), 0);
	cr_assert_eq(es_story, en_story, "the Spanish report joins the story");
	cr_assert_neq(other, en_story);
}

Test(related, a_place_and_a_region_are_a_coincidence, .init = open_store,
     .fini = close_store)
{
	put(e, "strike", "Rail strike leaves Veresk commuters stranded",
	    "Commuters in Veresk waited for buses that never came on Tuesday "
	    "as the rail strike over pensions closed every station on the "
	    "Northern line. The railway union said the walkout would last two "
	    "days unless the government improved its pension offer. Office "
	    "workers shared taxis, and the city's schools started late.",
	    "2026-11-20T08:00:00Z");
	put(e, "strike-2", "Rail union extends pensions strike",
	    "The railway union extended its strike over pensions by a further "
	    "day after talks with the transport ministry broke down. Trains "
	    "stayed in their depots and stations were shut across the country, "
	    "the union said, until the government improves its pension offer.",
	    "2026-11-21T08:00:00Z");
	put(e, "party", "Veresk throws a party for its handball champions",
	    "Thousands filled the main square of Veresk on Wednesday to cheer "
	    "the handball team that won the Northern Nations title. The "
	    "players rode an open-top bus through the city, the goalkeeper "
	    "lifted the trophy from the town hall balcony, and fans sang "
	    "until midnight.",
	    "2026-11-21T18:00:00Z");
	put(e, "x1", "Orchestra opens its season",
	    "The orchestra opened its winter season with a new symphony by a "
	    "young composer from the conservatory, and the hall was full.",
	    "2026-11-19T12:00:00Z");
	put(e, "x2", "Bakery chain reports higher sales",
	    "A bakery chain said sales rose in the autumn as customers bought "
	    "more bread and fewer cakes, and it plans to open ten shops next "
	    "year.",
	    "2026-11-19T12:00:00Z");
	/* They share "Veresk", "Northern" and "city", and nothing else. */
	cr_assert(in_rail(e, "strike", "strike-2"));
	cr_assert_not(in_rail(e, "strike", "party"));
	cr_assert_not(in_rail(e, "party", "strike"));
}

/* A wire story about a crane collapse ("wire"), and its copies on n
 * sites ("site-0" ...), each its own outlet. */
static void put_wire(sl_engine *e, int n)
{
	static const char *const title = "Crane collapses at Veldmark harbour";
	static const char *const body =
	    "A container crane collapsed onto a cargo ship at Veldmark harbour "
	    "on Monday, injuring two dockworkers, the port authority said. "
	    "Inspectors found cracked welds in the crane's boom, and the "
	    "harbour master halted loading at every berth while engineers "
	    "check the other cranes. The ship's crew were unhurt.";
	char id[32], outlet[32], when[32];

	put_from(e, "wire", "Wire", title, body, "2026-11-23T08:00:00Z");
	cr_assert_eq(sl_engine_begin(e), 0);
	for (int i = 0; i < n; i++) {
		sl_article *a = sl_article_new();

		snprintf(id, sizeof(id), "site-%d", i);
		snprintf(outlet, sizeof(outlet), "Site %d", i);
		snprintf(when, sizeof(when), "2026-11-23T%02d:%02d:00Z",
			 9 + i / 60, i % 60);
		a->id = strdup(id);
		a->outlet = strdup(outlet);
		a->title = strdup(title);
		a->body_text = strdup(body);
		cr_assert_eq(sl_time_parse(&a->published, when), 0);
		cr_assert_eq(sl_engine_add(e, a, NULL), 0);
		sl_article_free(a);
	}
	cr_assert_eq(sl_engine_commit(e), 0);
}

/* The rest of the news: unrelated reports that keep a story's own
 * words rare. */
static const char *const background[] = {
    "The council approved a new budget for road repairs in the city.",
    "Police arrested two men after a break-in at a jewellery shop.",
    "The orchestra opened its winter season with a new symphony.",
    "A bakery chain said sales rose as customers bought more bread.",
    "Farmers warned that the dry summer had cut the wheat harvest.",
    "The football club signed a young striker on a long contract.",
    "Hospital waiting lists grew again, health officials said.",
    "The central bank kept interest rates unchanged this month.",
    "A museum of local history opened in the old railway station.",
    "Teachers voted to accept the pay offer after weeks of talks.",
    "Heavy snow closed mountain passes and delayed many flights.",
    "The film festival gave its top prize to a documentary maker.",
    "A new bridge over the river will open to traffic next spring.",
    "The library extended its opening hours on weekday evenings.",
    "Students protested against higher fees outside parliament.",
    "A storm knocked out power to thousands of homes overnight.",
    "The zoo welcomed twin panda cubs born earlier this week.",
    "Fuel prices fell for the third week in a row, drivers said.",
    "A tech firm opened an office and hired two hundred people.",
    "The marathon drew a record field of runners this weekend.",
};

/* A wire story carried by a hundred sites: its copies fill the index's
 * best matches, and the rail still finds the stories related to it. */
Test(related, a_hundred_copies_do_not_crowd_out_the_rail, .init = open_store,
     .fini = close_store)
{
	/* The rest of the news, so that the crane's words are not: the
	 * first dozen reports, three by three. */
	const char *const *news = background;
	size_t n_news = 12, n = 0;
	char id[32], outlet[32], text[512];
	sl_related *r;

	cr_assert_eq(sl_engine_begin(e), 0);
	for (size_t i = 0; i < n_news; i++)
		for (size_t j = i + 1; j < n_news; j++)
			for (size_t k = j + 1; k < n_news; k++, n++) {
				sl_article *a = sl_article_new();

				snprintf(id, sizeof(id), "news-%zu", n);
				snprintf(outlet, sizeof(outlet), "Paper %zu",
					 n % 7);
				snprintf(text, sizeof(text), "%s %s %s",
					 news[i], news[j], news[k]);
				a->id = strdup(id);
				a->outlet = strdup(outlet);
				a->title = strdup(news[i]);
				a->body_text = strdup(text);
				a->published = 1763460000 + (int64_t)(n % 9) *
								 86400;
				cr_assert_eq(sl_engine_add(e, a, NULL), 0);
				sl_article_free(a);
			}
	cr_assert_eq(sl_engine_commit(e), 0);
	put_from(e, "porthaven", "Coast Daily",
		 "Cracked welds found in Porthaven harbour cranes",
		 "Inspectors at Porthaven harbour found cracked welds in the "
		 "booms of two container cranes, and the port authority "
		 "stopped loading at four berths until engineers repair them. "
		 "Dockworkers said the cranes had been overdue for checks.",
		 "2026-11-21T08:00:00Z");
	put_wire(e, 100);
	cr_assert(in_rail(e, "wire", "porthaven"));
	cr_assert(in_rail(e, "site-50", "porthaven"));
	cr_assert_not(in_rail(e, "wire", "site-3"));
	cr_assert_not(in_rail(e, "wire", "news-0"));
	/* Under the other story, the wire story once, with its outlets. */
	cr_assert_eq(sl_engine_related(e, "porthaven", NULL, &r), 0);
	cr_assert_eq(r->n_items, 1);
	cr_assert_eq(r->items[0].other_outlets, 100, "%zu",
		     r->items[0].other_outlets);
	sl_related_free(r);
}

/* A wire story on sixty sites is one report: its words stay rare, and a
 * follow-up from another outlet still joins its story and shows it as
 * more coverage (counted with its copies, the event's words were in 61
 * of 81 articles, weighed next to nothing, and the follow-up stood
 * alone). */
Test(related, a_syndicated_story_keeps_its_words, .init = open_store,
     .fini = close_store)
{
	char id[32], outlet[32], when[32];
	sl_related *r;
	int found = 0;

	for (size_t i = 0; i < sizeof(background) / sizeof(*background);
	     i++) {
		snprintf(id, sizeof(id), "news-%zu", i);
		snprintf(outlet, sizeof(outlet), "Paper %zu", i % 5);
		snprintf(when, sizeof(when), "2026-11-%02zuT10:00:00Z",
			 16 + i % 6);
		put_from(e, id, outlet, background[i], background[i], when);
	}
	put_wire(e, 60);
	put_from(e, "follow-up", "Harbour Times",
		 "Veldmark harbour resumes loading after crane collapse",
		 "Loading resumed at Veldmark harbour on Wednesday, two days "
		 "after a container crane collapsed onto a cargo ship and "
		 "injured two dockworkers. Engineers checked the other cranes "
		 "for cracked welds, and the port authority reopened every "
		 "berth but the one where the crane fell.",
		 "2026-11-25T09:00:00Z");
	cr_assert_eq(sl_engine_related(e, "follow-up", NULL, &r), 0);
	for (size_t i = 0; i < r->n_items; i++)
		if (r->items[i].same_story) {
			found = 1;
			cr_assert_geq(r->items[i].other_outlets, 60, "%zu",
				      r->items[i].other_outlets);
		}
	cr_assert(found, "the crane story, as more on this story");
	sl_related_free(r);
}

/* Two reports of one concert, in other words. */
static const char *const orchestra[] = {
    "The city orchestra opened its winter season with a new symphony by a "
    "young composer from the conservatory.",
    "The city orchestra opened its winter season on Sunday with a symphony "
    "by a young composer from the conservatory.",
};

static int64_t top_story(sl_engine *e)
{
	sl_stories_opts so = {.since = SL_TIME_NONE, .limit = 3, .top = 1};
	sl_story *s;
	size_t n;
	int64_t id;

	cr_assert_eq(sl_engine_stories(e, &so, &s, &n), 0, "%s",
		     sl_error_last());
	cr_assert_geq(n, 1);
	id = s[0].id;
	sl_stories_free(s, n);
	return id;
}

/* The top stories of the moment follow the news: a story that more
 * outlets take up comes first as soon as they do. */
Test(related, the_top_stories_follow_the_news, .init = open_store,
     .fini = close_store)
{
	int64_t strike, concert, copy_of_none;
	char *copy_of = NULL;
	const char *strike_body =
	    "Dockers at the container port walked out on Monday after talks "
	    "over pay and shift patterns broke down, and ships queued off "
	    "the harbour wall.";

	put_from(e, "s1", "Harbour Post", "Dockers strike over pay",
		 strike_body, "2026-11-23T08:00:00Z");
	put_from(e, "o1", "City Times", "Orchestra opens its season",
		 orchestra[0],
		 "2026-11-23T09:00:00Z");
	put_from(e, "o2", "Evening Star", "A new symphony opens the season",
		 orchestra[1],
		 "2026-11-23T10:00:00Z");
	cr_assert_eq(sl_engine_story_of(e, "o1", &concert, &copy_of), 0);
	cr_assert_eq(sl_engine_story_of(e, "s1", &strike, &copy_of), 0);
	cr_assert_neq(strike, concert);
	cr_assert_eq(top_story(e), concert, "two outlets against one");
	put_from(e, "s2", "Wire One", "Port strike: ships queue off harbour",
		 strike_body, "2026-11-23T11:00:00Z");
	put_from(e, "s3", "Wire Two", "Dockers' walkout leaves ships waiting",
		 strike_body, "2026-11-23T12:00:00Z");
	cr_assert_eq(sl_engine_story_of(e, "s3", &copy_of_none, &copy_of), 0);
	free(copy_of);
	cr_assert_eq(copy_of_none, strike, "the wires join the strike");
	cr_assert_eq(top_story(e), strike, "then three outlets against two");
}

/* A short rail filled with the top stories shows each story by the
 * article its headline leads to on the front page (the most central
 * title), not by whichever came first. */
Test(related, top_story_fillers_are_the_stories_leads, .init = open_store,
     .fini = close_store)
{
	sl_related_opts o;
	sl_related *r;
	sl_story *s;
	int64_t story;
	char *copy_of = NULL;
	int found = 0;

	put_from(e, "o1", "City Times", "Review: a full house on Sunday",
		 orchestra[0],
		 "2026-11-23T08:00:00Z");
	put_from(e, "o2", "Evening Star", "Orchestra opens its winter season",
		 orchestra[1],
		 "2026-11-23T09:00:00Z");
	put_from(e, "o3", "Harbour Post",
		 "City orchestra opens winter season with symphony",
		 "On Sunday the city orchestra opened its winter season, with "
		 "a new symphony by a composer from the conservatory.",
		 "2026-11-23T10:00:00Z");
	put_from(e, "lone", "Valley News", "Bakery chain reports higher sales",
		 "A bakery chain said sales rose in the autumn as customers "
		 "bought more bread and fewer cakes.",
		 "2026-11-23T11:00:00Z");
	cr_assert_eq(sl_engine_story_of(e, "o3", &story, &copy_of), 0);
	cr_assert_eq(sl_engine_story(e, story, &s), 0);
	cr_assert_eq(s->size, 3, "one story of the three");
	cr_assert_str_eq(s->title, "Orchestra opens its winter season");
	cr_assert_str_eq(s->lead, "o2");
	sl_stories_free(s, 1);

	sl_related_opts_init(&o);
	o.fill_top = 1;
	o.limit = 5;
	cr_assert_eq(sl_engine_related(e, "lone", &o, &r), 0, "%s",
		     sl_error_last());
	for (size_t i = 0; i < r->n_items; i++)
		if (r->items[i].story == story) {
			found = 1;
			cr_assert(r->items[i].top_story);
			cr_assert_str_eq(r->items[i].id, "o2");
		}
	cr_assert(found, "the orchestra story fills the rail");
	sl_related_free(r);
}
