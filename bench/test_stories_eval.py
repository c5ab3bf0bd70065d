#!/usr/bin/python3
"""Tests of the stories benchmark's own parts, on small hand-made inputs.

    /usr/bin/python3 bench/test_stories_eval.py [-v]

They check the scorers (bench/stories_eval.py) against figures worked out by
hand, the copy generator's edits (bench/syndicate.py) and the SemEval title
rule (bench/semeval2jsonl.py).  No Storyline binary and no ../shared data
are needed.
"""

import json
import os
import random
import sys
import tempfile
import unittest

# Import the scripts beside this file without leaving bytecode in the tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import semeval2jsonl  # noqa: E402
import stories_eval as ev  # noqa: E402
import syndicate  # noqa: E402

LOREM = ("The council approved the new budget on Monday after a long debate. "
         "Members said the plan would fund road repairs and two new schools. "
         "Opposition members voted against it and called the figures optimistic. "
         "The budget takes effect in April and runs for one year.")
OTHER = ("A storm brought heavy snow to the northern hills overnight. "
         "Several roads were closed and schools stayed shut on Tuesday. "
         "Forecasters expect milder weather by the end of the week.")


def stories_file(stories):
    """Write {"stories": STORIES} to a temp file and parse it back."""
    f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8")
    with f:
        json.dump({"stories": stories}, f)
    try:
        return ev.Stories(f.name)
    finally:
        os.unlink(f.name)


def art(aid, body, title="t"):
    return {"id": aid, "title": title, "body": body}


class BCubed(unittest.TestCase):
    def test_hand_example(self):
        # gold: {a, b} {c}; predicted: {a} {b, c}
        # precision: a 1, b 1/2, c 1/2 -> 2/3; recall: a 1/2, b 1/2, c 1 -> 2/3
        p, r, f = ev.bcubed({"a": 1, "b": 1, "c": 2}, {"a": "X", "b": "Y", "c": "Y"})
        self.assertAlmostEqual(p, 2 / 3)
        self.assertAlmostEqual(r, 2 / 3)
        self.assertAlmostEqual(f, 2 / 3)

    def test_perfect_and_one_blob(self):
        gold = {"a": 1, "b": 1, "c": 2, "d": 3}
        self.assertEqual(ev.bcubed(gold, dict(gold)), (1.0, 1.0, 1.0))
        p, r, _ = ev.bcubed(gold, {k: 0 for k in gold})
        self.assertAlmostEqual(p, (2 / 4 + 2 / 4 + 1 / 4 + 1 / 4) / 4)
        self.assertEqual(r, 1.0)


class StoriesReader(unittest.TestCase):
    def test_links_and_warnings(self):
        st = stories_file([
            {"id": 1, "articles": ["a", "b", "c"], "copies": {"a": ["b", "c"]}},
            {"id": 2, "articles": ["c", "d"], "copies": {"d": ["x"]}},
        ])
        self.assertEqual(sorted(st.links), [("b", "a", 1), ("c", "a", 1), ("x", "d", 2)])
        self.assertEqual(st.story_of["c"], 1)  # the first story wins
        joined = " ".join(st.warnings)
        self.assertIn("more than one story", joined)
        self.assertIn("not in its", joined)

    def test_bad_shape_fails_clearly(self):
        with self.assertRaises(SystemExit) as cm:
            stories_file("nope")
        self.assertIn("stories", str(cm.exception.code))


class BBC(unittest.TestCase):
    def test_found_and_false(self):
        arts = {a: art(a, LOREM) for a in ("x1", "x2", "y1", "y2", "y3")}
        arts["z1"] = art("z1", OTHER)
        arts["z2"] = art("z2", OTHER.replace("Tuesday", "Wednesday"))
        arts["w"] = art("w", "Something else entirely, about chess and a final.")
        groups = [["x1", "x2"], ["y1", "y2", "y3"]]
        st = stories_file([{"id": 1, "articles": list(arts), "copies": {
            "x1": ["x2"], "y1": ["y2"], "z1": ["z2", "w"]}}])
        res = ev.score_bbc(arts, groups, st)
        m = res["metrics"]
        # x: 1 of 1; y: y3 unlinked, so 1 of 2.
        self.assertEqual((m["found_copies"], m["expected_copies"]), (2, 3))
        self.assertEqual(res["missed_groups"], [["y1", "y2", "y3"]])
        self.assertEqual(m["false_links"], 2)
        self.assertEqual(m["false_links_near_identical"], 1)   # z2, one word changed
        self.assertEqual(res["false_links"][0]["copy"], "z2")
        self.assertEqual(res["rows"][0][3], "MISS")

    def test_either_direction_counts(self):
        arts = {a: art(a, LOREM) for a in ("x1", "x2")}
        st = stories_file([{"id": 1, "articles": ["x1", "x2"], "copies": {"x2": ["x1"]}}])
        res = ev.score_bbc(arts, [["x1", "x2"]], st)
        self.assertEqual(res["metrics"]["found_copies"], 1)
        self.assertEqual(res["rows"][0][3], "PASS")


class Syndication(unittest.TestCase):
    def setUp(self):
        # o1, o2 BBC originals; t1 is byte-identical to o1; n2 a near copy
        # of o2 (one word changed); c1, c2 generated copies of o1 and o2.
        self.arts = {
            "o1": art("o1", LOREM), "t1": art("t1", LOREM),
            "o2": art("o2", OTHER), "n2": art("n2", OTHER.replace("heavy", "deep")),
            "o3": art("o3", "The museum reopened after a two-year refit with a new wing. "
                            "Visitors queued from dawn to see the collection."),
            "c1": art("c1", LOREM[:150]), "c2": art("c2", OTHER),
        }
        self.truth = {"seed": 1, "originals": ["o1", "o2"],
                      "copies": {"c1": {"original": "o1", "edits": ["headline:upper", "truncate:0.70"]},
                                 "c2": {"original": "o2", "edits": ["headline:lead", "boilerplate:end:1"]}}}
        self.groups = [["o1", "t1"]]

    def score(self, copies):
        st = stories_file([{"id": 1, "articles": list(self.arts), "copies": copies}])
        return ev.score_syndication(self.arts, self.truth, self.groups, st)

    def test_perfect(self):
        m = self.score({"o1": ["c1", "t1"], "o2": ["c2"]})["metrics"]
        self.assertEqual((m["recall"], m["precision"], m["precision_strict"]), (1.0, 1.0, 1.0))

    def test_byte_twin_and_near_copy(self):
        # c1 -> t1 (byte twin of its original): correct.  c2 -> n2 (a near
        # copy of its original): recalled, set aside from precision.
        # o3 -> o1: wrong.
        res = self.score({"t1": ["c1"], "n2": ["c2"], "o1": ["o3"]})
        m = res["metrics"]
        self.assertEqual(m["recall"], 1.0)
        self.assertEqual(m["recall_strict"], 0.5)
        self.assertEqual((m["correct"], m["ambiguous"], m["wrong"]), (1, 1, 1))
        self.assertEqual(m["precision"], 0.5)
        self.assertAlmostEqual(m["precision_strict"], 1 / 3)
        self.assertEqual(res["wrong_links"][0]["copy"], "o3")

    def test_missed_and_breakdown(self):
        res = self.score({"o1": ["c1"]})
        m = res["metrics"]
        self.assertEqual(m["recall"], 0.5)
        self.assertEqual(res["missed"][0]["copy"], "c2")
        self.assertEqual(res["recall_by_edit"]["truncate"]["recall"], 1.0)
        self.assertEqual(res["recall_by_edit"]["boilerplate"]["recall"], 0.0)


class Events(unittest.TestCase):
    def test_mixed_and_copies(self):
        labels = [("a1", "flood", None), ("a2", "flood", "a1"), ("a3", "flood", None),
                  ("b1", "strike", None), ("b2", "strike", None), ("s1", "standalone-x", None)]
        st = stories_file([
            {"id": 1, "title": "Flood", "articles": ["a1", "a2", "a3"], "copies": {"a1": ["a2"]}},
            {"id": 2, "title": "Strike", "articles": ["b1", "b2", "s1"], "copies": {"b1": ["b2"]}},
        ])
        res = ev.score_events(labels, st)
        m = res["metrics"]
        self.assertEqual(m["mixed_stories"], 1)
        self.assertEqual(res["mixed"][0]["events"], {"strike": 2, "standalone-x": 1})
        self.assertEqual((m["copy_recall"], m["copy_precision"]), (1.0, 0.5))
        self.assertEqual(res["false_copy_links"], [["b2", "b1"]])
        # precision: a* 1 each, b1 b2 2/3, s1 1/3 -> (3 + 4/3 + 1/3) / 6
        self.assertAlmostEqual(m["bcubed_precision"], (3 + 4 / 3 + 1 / 3) / 6)
        self.assertEqual(m["bcubed_recall"], 1.0)

    def test_unplaced_articles_are_alone(self):
        labels = [("a1", "flood", None), ("a2", "flood", None)]
        res = ev.score_events(labels, stories_file([]))
        self.assertEqual(res["metrics"]["bcubed_recall"], 0.5)
        self.assertEqual(res["metrics"]["unplaced"], 2)


class Topics(unittest.TestCase):
    def test_purity_counts_labelled_pairs(self):
        articles = {"a": {"id": "a", "topics": ["acq"]},
                    "b": {"id": "b", "topics": ["acq", "earn"]},
                    "c": {"id": "c", "topics": ["ship"]},
                    "d": {"id": "d", "topics": []},
                    "e": {"id": "e", "topics": ["crude"]}}
        st = stories_file([
            {"id": 1, "title": "x", "articles": ["a", "b", "c", "d"]},
            {"id": 2, "title": "y", "articles": ["e"]},
        ])
        res = ev.score_topics(articles, st)
        m = res["metrics"]
        # Labelled pairs of story 1: a-b (acq), a-c, b-c; d has no topic.
        self.assertEqual((m["pairs"], m["pairs_same_topic"]), (3, 1))
        self.assertAlmostEqual(m["purity"], 1 / 3)
        self.assertEqual((m["stories"], m["largest"], m["in_big_stories"]), (2, 4, 0))


class SemEval(unittest.TestCase):
    def test_cv_threshold_separable(self):
        scores = [0.1, 0.2, 0.15, 0.05, 0.8, 0.9, 0.7, 0.95, 0.12, 0.85] * 3
        labels = [s > 0.5 for s in scores]
        acc, folds, thr = ev.cv_accuracy(scores, labels)
        self.assertEqual(acc, 1.0)
        self.assertTrue(all(0.2 < t < 0.7 for t in thr))

    def test_scores_with_predictions(self):
        arts = {"p1-1": art("p1-1", "flood river town water rises"),
                "p1-2": art("p1-2", "flood river town water rescue"),
                "p2-1": art("p2-1", "chess final grandmaster wins"),
                "p2-2": art("p2-2", "flood river town water rises again"),
                "p3-1": art("p3-1", "budget council schools roads"),
                "p3-2": art("p3-2", "budget council schools roads vote")}
        gold = [{"a": "p%d-1" % i, "b": "p%d-2" % i, "lang1": "en", "lang2": "en",
                 "overall": o} for i, o in ((1, 1.0), (2, 4.0), (3, 1.5))] * 5
        pred = {("p1-1", "p1-2"): {"score": 0.9, "same_story": True},
                ("p2-2", "p2-1"): {"score": 0.1, "same_story": False},   # reversed order
                ("p3-1", "p3-2"): {"score": 0.6, "same_story": False}}
        res = ev.score_semeval(arts, gold, pred)
        s = res["metrics"]["storyline"]
        self.assertEqual(s["missing"], 0)
        self.assertAlmostEqual(s["accuracy"], 2 / 3)
        self.assertGreater(s["pearson_all"], 0.9)
        self.assertGreater(res["metrics"]["tfidf"]["pearson_all"], 0.5)


class Generator(unittest.TestCase):
    def test_truncate_at_sentence(self):
        paragraphs = ["One two three. Four five six.", "Seven eight nine. Ten eleven twelve."]
        out = syndicate.truncate(paragraphs, 0.75)
        self.assertEqual(out, ["One two three. Four five six.", "Seven eight nine."])
        self.assertEqual(syndicate.truncate(["Only one sentence here."], 0.6),
                         ["Only one sentence here."])

    def test_curly_quotes(self):
        self.assertEqual(syndicate.curly_quotes('He said "it\'s fine" today'),
                         "He said \u201cit\u2019s fine\u201d today")

    def test_copy_is_edited_and_deterministic(self):
        orig = {"id": "bbc-tech-001", "title": "Chip maker unveils faster design",
                "body": "\n\n".join([LOREM, OTHER, LOREM.replace("council", "board")])}
        a = syndicate.make_copy(orig, "Harrowfield Times", random.Random(5))
        b = syndicate.make_copy(orig, "Harrowfield Times", random.Random(5))
        self.assertEqual(a, b)
        title, body, edits = a
        self.assertNotEqual(title, orig["title"])
        self.assertNotEqual(body, orig["body"])
        self.assertTrue(edits[0].startswith("headline:") and len(edits) >= 2)


class Titles(unittest.TestCase):
    def test_titles(self):
        t = semeval2jsonl.make_title
        self.assertEqual(t("Gov. Smith signs the bill. More text follows here."),
                         "Gov. Smith signs the bill")
        long_text = " ".join("w%d" % i for i in range(40))
        self.assertEqual(t(long_text), " ".join("w%d" % i for i in range(12)))
        self.assertEqual(t("男子被捕，涉嫌酒驾。警方表示事故涉及两辆车。"), "男子被捕，涉嫌酒驾")


if __name__ == "__main__":
    unittest.main()
