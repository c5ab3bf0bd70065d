#!/usr/bin/python3
"""Tests of the related-stories benchmark's own parts, on small hand-made inputs.

    /usr/bin/python3 bench/test_related_eval.py [-v]

They check the scorers (bench/related_eval.py) against figures worked out
by hand: precision in both views, nDCG, redundancy, the target checks, the
rail reader and the sample checks (i)-(iv); and the peers
(bench/related_peers.py) on a tiny corpus.  No Storyline binary and no
../shared data are needed; the Xapian peer's test is skipped without
python3-xapian.
"""

import contextlib
import io
import json
import math
import os
import sys
import shutil
import tempfile
import unittest

# Import the scripts beside this file without leaving bytecode in the tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import related_eval as ev  # noqa: E402
import related_peers as rp  # noqa: E402

LOREM = ("The council approved the new budget on Monday after a long debate. "
         "Members said the plan would fund road repairs and two new schools. "
         "Opposition members voted against it and called the figures optimistic.")
OTHER = ("A storm brought heavy snow to the northern hills overnight. "
         "Several roads were closed and schools stayed shut on Tuesday. "
         "Forecasters expect milder weather by the end of the week.")


def rails_of(obj):
    """{query: [ids]} -> parsed rails, as read from JSON lines."""
    lines = [json.dumps({"id": q, "related": [{"id": d} for d in ids]})
             for q, ids in obj.items()]
    rails, warnings = ev.parse_rails(lines)
    assert not warnings, warnings
    return rails


def item(aid, story=None, same=False, why=()):
    it = {"id": aid, "same_story": same, "why": list(why)}
    if story is not None:
        it["story"] = story
    return it


class Measures(unittest.TestCase):
    def test_precision_both_views(self):
        # A rail of 4 items, 3 relevant: 3/10 over the places, 3/4 shown.
        rel = [1, 0, 1, 1]
        self.assertAlmostEqual(ev.precision_at_k(rel), 0.3)
        self.assertAlmostEqual(ev.precision_shown(rel), 0.75)
        self.assertIsNone(ev.precision_shown([]))
        self.assertEqual(ev.precision_at_k([]), 0.0)
        # Only the first k places count.
        self.assertAlmostEqual(ev.precision_at_k([1] * 12), 1.0)
        self.assertAlmostEqual(ev.precision_shown([0] * 10 + [1, 1]), 0.0)

    def test_ndcg_by_hand(self):
        # Relevant at ranks 1 and 3, 2 relevant in the collection:
        # DCG = 1 + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3).
        self.assertAlmostEqual(ev.ndcg_at_k([1, 0, 1], 2), 1.5 / (1 + 1 / math.log2(3)))
        # The ideal is capped at 10 places however many are relevant.
        self.assertAlmostEqual(ev.ndcg_at_k([1] * 10, 500), 1.0)
        idcg10 = sum(1 / math.log2(i + 2) for i in range(10))
        self.assertAlmostEqual(ev.ndcg_at_k([0] * 9 + [1], 50), (1 / math.log2(11)) / idcg10)
        # A short rail that finds all there is to find is perfect.
        self.assertAlmostEqual(ev.ndcg_at_k([1, 1], 2), 1.0)
        self.assertEqual(ev.ndcg_at_k([0, 0], 3), 0.0)
        self.assertIsNone(ev.ndcg_at_k([0], 0))

    def test_shingles_and_jaccard(self):
        self.assertEqual(ev.shingles("One two three"), frozenset(["one two three"]))
        s = ev.shingles("a b c d e f")          # two 5-shingles
        self.assertEqual(len(s), 2)
        self.assertAlmostEqual(ev.jaccard(s, ev.shingles("a b c d e g")), 1 / 3)
        self.assertEqual(ev.jaccard(frozenset(), frozenset()), 1.0)

    def test_near_copies(self):
        a = ev.shingles(LOREM)
        self.assertTrue(ev.near_copies(a, ev.shingles(LOREM.upper() + " ")))
        # One word changed in the middle of a 34-word text: 5 of its 30
        # shingles differ, J = 25/35 = 0.714 < 0.8 ...
        edited = LOREM.replace("plan", "scheme")
        self.assertFalse(ev.near_copies(a, ev.shingles(edited)))
        # ... while the last word changed alters one shingle: J = 29/31.
        self.assertTrue(ev.near_copies(a, ev.shingles(LOREM.replace("optimistic", "rosy"))))
        # Appending a short tail keeps it a near copy.
        self.assertTrue(ev.near_copies(a, ev.shingles(LOREM + " Updated.")))
        self.assertFalse(ev.near_copies(a, ev.shingles(OTHER)))
        # Too different in size: rejected without the intersection.
        self.assertFalse(ev.near_copies(a, ev.shingles(LOREM + " " + OTHER)))

    def test_redundancy_pairs(self):
        a, b = ev.shingles(LOREM), ev.shingles(OTHER)
        self.assertEqual(ev.redundancy([a, a, b]), (1, 3))
        self.assertEqual(ev.redundancy([a, a, b, b]), (2, 6))
        self.assertEqual(ev.redundancy([a]), (0, 0))


def small_collection():
    """q1 (topic x) has relevant d1, d2, d3; q2 (topics y, z) has d4 only."""
    arts = {
        "q1": {"title": "Budget", "body": LOREM, "topics": ["x"]},
        "q2": {"title": "Snow", "body": OTHER, "topics": ["y", "z"]},
        "d1": {"title": "Budget", "body": LOREM, "topics": ["x"]},
        "d2": {"title": "Budget copy", "body": LOREM, "topics": ["x", "w"]},
        "d3": {"title": "Other", "body": OTHER + " More.", "topics": ["x"]},
        "d4": {"title": "Snow again", "body": OTHER, "topics": ["z"]},
        "d5": {"title": "None", "body": "Nothing to see here at all today.", "topics": []},
    }
    return ev.reuters_collection(arts)


class Scoring(unittest.TestCase):
    def test_collection(self):
        coll = small_collection()
        self.assertEqual(coll.n_relevant("q1"), 3)
        self.assertEqual(coll.n_relevant("q2"), 1)
        self.assertTrue(coll.relevant("q1", "d2"))
        self.assertFalse(coll.relevant("q1", "q1"))
        self.assertFalse(coll.relevant("q1", "d5"))
        self.assertFalse(coll.relevant("q1", "nope"))

    def test_score_system_by_hand(self):
        coll = small_collection()
        rails = rails_of({"q1": ["d1", "d2", "d4", "d1", "q1", "nope"]})
        f = ev.score_system(coll, ["q1", "q2"], rails)
        # q1: relevant d1, d2 (d1 again, q1 itself and unknown count as not) -> 2/10,
        #     2/6 shown; q2 has no line: an empty rail.
        self.assertEqual(f["missing_rails"], 1)
        self.assertEqual(f["repeated_ids"], 1)
        self.assertEqual(f["self_listed"], 1)
        self.assertEqual(f["unknown_ids"], 1)
        self.assertAlmostEqual(f["precision_at_10"], (0.2 + 0.0) / 2)
        self.assertAlmostEqual(f["precision_shown"], 2 / 6)      # q2 has none shown
        idcg3 = 1 + 1 / math.log2(3) + 1 / math.log2(4)
        self.assertAlmostEqual(f["ndcg_at_10"], ((1 + 1 / math.log2(3)) / idcg3 + 0) / 2)
        self.assertAlmostEqual(f["mean_rail_length"], 3.0)
        self.assertAlmostEqual(f["empty_share"], 0.5)
        # Redundancy over the distinct known items d1, d2, d4, q1: d1, d2
        # and q1 are near copies of each other (3 pairs of 6).
        self.assertEqual(f["redundancy_pairs"], [3, 6])
        self.assertAlmostEqual(f["redundancy_at_10"], 0.5)

    def test_query_with_nothing_relevant_is_not_scored(self):
        arts = {"a": {"title": "t", "body": LOREM, "topics": ["only"]},
                "b": {"title": "t", "body": OTHER, "topics": ["else"]}}
        coll = ev.reuters_collection(arts)
        f = ev.score_system(coll, ["a"], rails_of({"a": ["b"]}))
        self.assertEqual(f["no_relevant"], 1)
        self.assertEqual(f["scored"], 0)
        self.assertIsNone(f["precision_at_10"])

    def test_targets(self):
        coll = small_collection()
        good = rails_of({"q1": ["d1", "d3"], "q2": ["d4"]})         # no near copies
        peer = rails_of({"q1": ["d1", "d2", "q2"], "q2": ["d4", "d3"]})
        res = ev.relevance_section("t", "t", coll, ["q1", "q2"], good,
                                   [("P", peer)], {"precision", "redundancy"})
        rows = {r[0]: r for r in res["rows"]}
        p_row = next(r for k, r in rows.items() if k.startswith("precision@10"))
        r_row = next(r for k, r in rows.items() if k.startswith("redundancy@10"))
        # Storyline (0.2 + 0.1)/2 = 0.15 against the peer's (0.2 + 0.1)/2: not above.
        self.assertEqual(p_row[3], "MISS")
        self.assertEqual(r_row[3], "PASS")      # 0 <= 1/3 of the peer's
        better = rails_of({"q1": ["d1", "d2", "d3"], "q2": ["d4"]})
        res = ev.relevance_section("t", "t", coll, ["q1", "q2"], better,
                                   [("P", peer)], {"precision", "redundancy"})
        rows = {r[0]: r for r in res["rows"]}
        self.assertEqual(next(r for k, r in rows.items() if k.startswith("precision@10"))[3],
                         "PASS")
        # d1 and d2 are near copies: 1 of 3 pairs, above a third of the peer's.
        self.assertEqual(next(r for k, r in rows.items() if k.startswith("redundancy@10"))[3],
                         "MISS")
        # No peers to compare with: n/a.
        res = ev.relevance_section("t", "t", coll, ["q1", "q2"], better, [],
                                   {"precision", "redundancy"})
        self.assertEqual([r[3] for r in res["rows"] if r[2]], ["n/a", "n/a"])
        # Storyline not run: n/a, and the contract rows are left out.
        res = ev.relevance_section("t", "t", coll, ["q1", "q2"], None, [("P", peer)],
                                   {"precision"})
        self.assertEqual(res["rows"][1][3], "n/a")
        self.assertIn("not run", res["rows"][1][1])

    def test_contract_rows(self):
        coll = small_collection()
        sl = ev.parse_rails([json.dumps({"id": "q1", "related": [
            {"id": "d1", "story": 7}, {"id": "d3", "story": 7}]})])[0]
        res = ev.relevance_section("t", "t", coll, ["q1", "q2"], sl, [], {"precision"})
        labels = {r[0]: r[1] for r in res["rows"]}
        self.assertEqual(labels["Storyline: queries without a rail line"], "1")
        self.assertEqual(labels["Storyline: rails with two items of one story"], "1")

    def test_peers_one_item_per_story(self):
        # q1's copy c1 and two items of story 5 in the peer's rail: read
        # down, the first of each story, never q1's copy, past the top 10.
        places = {"q1": (1, "q1"), "c1": (1, "q1"), "d1": (5, "d1"),
                  "d2": (5, "d1"), "d3": (6, "d3")}
        peer = rails_of({"q1": ["c1", "d1", "d2"] + ["x%d" % i for i in range(9)] + ["d3"]})
        kept = ev.one_per_story(peer, places)
        self.assertEqual([it["id"] for it in kept["q1"]],
                         ["d1"] + ["x%d" % i for i in range(9)])
        kept = ev.one_per_story(rails_of({"q1": ["d2", "d1", "d3"]}), places)
        self.assertEqual([it["id"] for it in kept["q1"]], ["d2", "d3"])
        # Scored as columns of their own, not as the targets' peers.
        coll = small_collection()
        res = ev.relevance_section("t", "t", coll, ["q1", "q2"],
                                   rails_of({"q1": ["d1"], "q2": ["d4"]}),
                                   [("P", rails_of({"q1": ["d1", "d2"], "q2": ["d4"]}))],
                                   {"precision"}, {"d1": (5, "d1"), "d2": (5, "d1")})
        self.assertIn("P 1/story", res["metrics"])
        self.assertEqual(res["metrics"]["P 1/story"]["mean_rail_length"], 1.0)
        self.assertEqual(res["rows"][0][1], "Storyline | P | P 1/story")

    def test_read_stories(self):
        import sqlite3
        with tempfile.TemporaryDirectory() as d:
            db = os.path.join(d, "s.db")
            con = sqlite3.connect(db)
            con.execute("CREATE TABLE placements (id TEXT, story INTEGER, copy_of TEXT, time INTEGER)")
            con.executemany("INSERT INTO placements VALUES (?, ?, ?, 0)",
                            [("a", 1, None), ("b", 1, "a")])
            con.commit()
            con.close()
            self.assertEqual(ev.read_stories(db), {"a": (1, "a"), "b": (1, "a")})
            with self.assertRaises(SystemExit):
                ev.read_stories(os.path.join(d, "none.db"))

    def test_queries_and_bbc_labels(self):
        arts = {"r1": {"lewissplit": "TEST", "topics_attr": "YES", "topics": ["x"]},
                "r2": {"lewissplit": "TEST", "topics_attr": "YES", "topics": []},
                "r3": {"lewissplit": "TRAIN", "topics_attr": "YES", "topics": ["x"]},
                "r4": {"lewissplit": "TEST", "topics_attr": "NO", "topics": ["x"]},
                "r5": {"lewissplit": "TEST", "topics_attr": "YES", "topics": ["y", "x"]}}
        self.assertEqual(ev.reuters_queries(arts), ["r1", "r5"])
        coll = ev.bbc_collection({"bbc-tech-001": {}, "bbc-tech-002": {}, "bbc-sport-001": {}})
        self.assertEqual(coll.n_relevant("bbc-tech-001"), 1)
        self.assertFalse(coll.relevant("bbc-tech-001", "bbc-sport-001"))
        with self.assertRaises(SystemExit):
            ev.bbc_collection({"tech-001": {}})


class Reading(unittest.TestCase):
    def test_parse_rails(self):
        rails, warnings = ev.parse_rails([
            '{"id":"a","related":[{"id":"b","story":3},{"id":1}]}', "",
            '{"id":"a","related":[]}'])
        self.assertEqual([it["id"] for it in rails["a"]], ["b", "1"])
        self.assertEqual(len(warnings), 1)
        for bad in ('not json', '{"related":[]}', '{"id":"a"}',
                    '{"id":"a","related":[{"story":1}]}', '[1]'):
            with self.assertRaises(SystemExit):
                ev.parse_rails([bad])

    def test_time_file(self):
        with tempfile.NamedTemporaryFile("w", delete=False) as f:
            f.write("Command exited with non-zero status 1\n7.25 123456\n")
        try:
            self.assertEqual(ev.parse_time_file(f.name), (7.25, 123456))
        finally:
            os.unlink(f.name)

    def test_speed_judged_on_every_core_when_timed_there(self):
        d = tempfile.mkdtemp()
        try:
            def write(name, text):
                path = os.path.join(d, name)
                with open(path, "w") as f:
                    f.write(text)
                return path
            one = write("one.time", "19.5 80000\n")
            cores = write("cores.time", "9.8 90000\n")
            rails = write("rails.jsonl", '{"id":"a","related":[]}\n' * 4)
            out = os.path.join(d, "speed.json")
            args = ev.argparse.Namespace(time=one, time_cores=cores, cores="2",
                                         rails=rails, cpu="1", out=out)
            with contextlib.redirect_stdout(io.StringIO()):
                ev.cmd_speed(args)
            with open(out) as f:
                res = json.load(f)
            self.assertEqual(res["metrics"]["judged_seconds"], 9.8)
            judged = [r for r in res["rows"] if r[2]]
            self.assertEqual(len(judged), 1)
            self.assertIn("2 cores", judged[0][0])
            self.assertEqual(judged[0][3], "PASS")
            # one core only: judged there, and over 10 s it misses
            args.time_cores = None
            with contextlib.redirect_stdout(io.StringIO()):
                ev.cmd_speed(args)
            with open(out) as f:
                res = json.load(f)
            self.assertEqual(res["metrics"]["judged_seconds"], 19.5)
            self.assertEqual([r[3] for r in res["rows"] if r[2]], ["MISS"])
        finally:
            shutil.rmtree(d)


# A labelled sample: event E (a, its copies a2 and a3, b, c), event F (f1,
# f2), standalone s.
LABELS = [("a", "E", None), ("a2", "E", "a"), ("a3", "E", "a"), ("b", "E", None),
          ("c", "E", None), ("f1", "F", None), ("f2", "F", None),
          ("s", "standalone-s", None)]


def sample_rails(**over):
    """Clean rails for every article, with some replaced."""
    rails = {
        "a": [item("b", 1, True), item("c", 2), item("s", 9), item("f1", 5)],
        "a2": [item("b", 1, True), item("c", 2)],
        "a3": [item("c", 2)],
        "b": [item("a", 1, True), item("c", 2), item("f1", 5)],
        "c": [item("b", 1, True), item("a2", 1 + 10)],
        "f1": [item("f2", 5, True), item("a", 1)],
        "f2": [item("f1", 5, True)],
        "s": [],
    }
    rails.update(over)
    return rails


class Sample(unittest.TestCase):
    def test_clean(self):
        c = ev.check_sample(LABELS, sample_rails())
        self.assertEqual((c["order"], c["unique"], c["self"]), ([], [], []))
        self.assertEqual(c["missing"], [])
        res = ev.score_sample(LABELS, sample_rails())
        self.assertEqual([r[3] for r in res["rows"][:3]], ["PASS", "PASS", "PASS"])

    def test_order(self):
        # First item from another event; then F before the last E item
        # (a standalone item in between is allowed).
        c = ev.check_sample(LABELS, sample_rails(
            b=[item("f1", 5), item("a", 1)],
            c=[item("a", 1), item("s", 9), item("f2", 6), item("b", 3)],
            f2=[],                              # empty though f1 exists
            a3=[item("s", 9), item("b", 1)]))   # a standalone first is still wrong
        by = {v["article"]: v["why"] for v in c["order"]}
        self.assertEqual(sorted(by), ["a3", "b", "c", "f2"])
        self.assertIn("rank 1 is f1 (F)", by["b"])
        self.assertIn("rank 3 is f2 (F) before b at rank 4", by["c"])
        self.assertNotIn("rank 2", by["c"])
        self.assertIn("empty rail", by["f2"])
        self.assertIn("rank 1 is s (standalone-s)", by["a3"])

    def test_order_only_within_top_10(self):
        # b, then nine items of another multi-article event G, then c (E)
        # at rank 11: only the top 10 is checked, where nothing precedes b.
        rail = [item("b", 1)] + [item("x%d" % i, 100 + i) for i in range(9)] + [item("c", 2)]
        labels = LABELS + [("x%d" % i, "G", None) for i in range(9)]
        c = ev.check_sample(labels, sample_rails(a=rail))
        self.assertNotIn("a", [v["article"] for v in c["order"]])
        # c moved to rank 10 puts G items before the last E item.
        rail = rail[:9] + [item("c", 2)]
        c = ev.check_sample(labels, sample_rails(a=rail))
        self.assertIn("a", [v["article"] for v in c["order"]])

    def test_own_copies_do_not_count_as_the_event(self):
        # The event of a has b and c besides its copies: a rail of copies only
        # breaks (iii), and (i) does not look past the copy.
        c = ev.check_sample(LABELS, sample_rails(a=[item("a2", 1)]))
        self.assertEqual([v["article"] for v in c["self"]], ["a"])
        # An article whose event is only its copy family is not checked for (i).
        labels = [("p", "P", None), ("p2", "P", "p")]
        c = ev.check_sample(labels, {"p": [], "p2": []})
        self.assertEqual(c["order"], [])

    def test_unique(self):
        c = ev.check_sample(LABELS, sample_rails(
            b=[item("a", 1, True), item("c", 1)],              # one story twice
            f1=[item("f2", 5, True), item("a", 1), item("a2", 8)],  # copies of each other
            f2=[item("f1", 5, True), item("b", 1, True)]))     # two same_story items
        whys = sorted((v["article"], v["why"].split(" ")[0]) for v in c["unique"])
        self.assertEqual(whys, [("b", "story"), ("f1", "a"), ("f2", "2")])

    def test_self_and_copies(self):
        c = ev.check_sample(LABELS, sample_rails(
            a=[item("b", 1), item("a", 0)],
            a2=[item("b", 1), item("a3", 4)],
            b=[item("a", 1), item("a2", 3)]))    # copies of another article: fine here
        got = sorted((v["article"], v["item"]) for v in c["self"])
        self.assertEqual(got, [("a", "a"), ("a2", "a3")])
        # ... but a and a2 in one rail are two items of one copy family.
        self.assertEqual([v["article"] for v in c["unique"]], ["b"])

    def test_standalone_and_contract(self):
        rails = sample_rails(s=[item("f1", 5), item("b", 1, why=["shared: Kell"]),
                                item("zz", 3)])
        del rails["f2"]
        rails["c"] = [{"id": "b"}]                  # no story field
        res = ev.score_sample(LABELS, rails)
        m = res["metrics"]
        self.assertEqual(m["standalone_items"], 3)
        self.assertEqual(m["standalone_items_from_multi"], 2)
        self.assertEqual(m["standalone_items_from_multi_without_why"], 1)
        self.assertEqual(res["missing_rails"], ["f2"])
        self.assertEqual(res["unknown_ids"], [("s", "zz")])
        self.assertEqual(res["items_without_story"], [("c", "b")])
        misses = [r[0] for r in res["rows"] if r[3] == "MISS"]
        self.assertEqual(len(misses), 4)            # (i) for f2 + three contract rows


class Peers(unittest.TestCase):
    DOCS = [
        ("d0", "Budget vote", LOREM),
        ("d1", "Council budget", LOREM.replace("Monday", "Tuesday")),
        ("d2", "Snow closes roads", OTHER),
        ("d3", "Hills snow", OTHER.replace("Tuesday", "Wednesday")),
        ("d4", "Budget passes", "The council budget passed. Road repairs and schools."),
    ]

    def corpus(self):
        f = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
        with f:
            for aid, title, body in self.DOCS:
                f.write(json.dumps({"id": aid, "title": title, "body": body}) + "\n")
        self.addCleanup(os.unlink, f.name)
        return rp.read_articles(f.name)

    def test_top_k(self):
        import numpy as np
        s = np.array([0.5, 0.9, 0.5, 0.0, 0.5, 0.9])
        self.assertEqual(rp.top_k(s, 3, 1), [5, 0, 2])       # ties by index; 1 left out
        self.assertEqual(rp.top_k(s, 10, 0), [1, 5, 2, 4])   # no zero scores
        self.assertEqual(s[1], 0.9)                          # the input is not changed

    def run_peer(self, name, queries):
        ids, texts = self.corpus()
        out = io.StringIO()
        if name == "tfidf":
            rp.run_tfidf(ids, texts, queries, 2, out)
        else:
            d = tempfile.mkdtemp()
            self.addCleanup(lambda: __import__("shutil").rmtree(d, ignore_errors=True))
            rp.run_xapian(ids, texts, queries, 2, out, os.path.join(d, "x"), 40)
        return {r["id"]: [x["id"] for x in r["related"]]
                for r in map(json.loads, out.getvalue().splitlines())}

    def test_tfidf(self):
        got = self.run_peer("tfidf", [0, 2])
        self.assertEqual(got["d0"][0], "d1")
        self.assertEqual(got["d2"][0], "d3")
        self.assertNotIn("d0", got["d0"])

    def test_xapian(self):
        try:
            __import__("xapian")
        except ImportError:
            self.skipTest("python3-xapian is not installed")
        got = self.run_peer("xapian", [0, 2, 1])
        self.assertEqual(got["d0"][0], "d1")
        self.assertEqual(got["d2"][0], "d3")
        self.assertNotIn("d0", got["d0"])
        # A query's rail does not depend on the queries run before it.
        alone = self.run_peer("xapian", [1])
        self.assertEqual(got["d1"], alone["d1"])


if __name__ == "__main__":
    unittest.main()
