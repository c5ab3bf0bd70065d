#!/usr/bin/python3
"""Tests of the extraction benchmark's own parts, on small hand-made inputs.

    /usr/bin/python3 bench/test_extract_eval.py [-v]

They check the body scorer of bench/extract_eval.py (the one of
scrapinghub/article-extraction-benchmark's evaluate.py: case-kept \\w+
words, multisets of 4-word shingles, per-page normalised counts, P and R
averaged over pages, F1 of the two means) against figures worked out by
hand, and the HTML-to-text step, the field normalisers, the time rule,
the readers and the section builders.  No Storyline binary is needed; the
one test that replays the published peer outputs is skipped without
../shared/data.
"""

import json
import os
import sys
import tempfile
import unittest

# Import the scripts beside this file without leaving bytecode in the tree.
sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import extract_eval as ev  # noqa: E402

SCRAPINGHUB = os.path.join(HERE, "..", "..", "shared", "data", "extraction", "scrapinghub")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def jsonl(path, recs):
    write(path, "".join(json.dumps(r) + "\n" for r in recs))


class Words(unittest.TestCase):
    def test_tokens_keep_case_and_split_on_non_word(self):
        self.assertEqual(ev.tokens("Hello, world! It's 3.5 km—far"),
                         ["Hello", "world", "It", "s", "3", "5", "km", "far"])
        self.assertEqual(ev.tokens("Grüße aus Köln"), ["Grüße", "aus", "Köln"])
        self.assertEqual(ev.tokens(None), [])

    def test_shingles_are_a_multiset(self):
        s = ev.shingles("a b c d a b c d")
        self.assertEqual(sum(s.values()), 5)
        self.assertEqual(s[("a", "b", "c", "d")], 2)
        self.assertEqual(s[("d", "a", "b", "c")], 1)

    def test_short_and_empty_texts(self):
        self.assertEqual(dict(ev.shingles("one two")), {("one", "two"): 1})
        self.assertEqual(dict(ev.shingles("  ,. ")), {})


class BodyCounts(unittest.TestCase):
    def test_identical(self):
        self.assertEqual(ev.body_counts("a b c d e", "a b c d e"), (1.0, 0.0, 0.0))

    def test_one_word_changed_at_the_end(self):
        # true: abcd bcde; pred: abcd bcdx -> tp 1, fp 1, fn 1, over 3.
        tp, fp, fn = ev.body_counts("a b c d e", "a b c d x")
        self.assertAlmostEqual(tp, 1 / 3)
        self.assertAlmostEqual(fp, 1 / 3)
        self.assertAlmostEqual(fn, 1 / 3)
        self.assertAlmostEqual(ev.precision_of(tp, fp, fn), 0.5)
        self.assertAlmostEqual(ev.recall_of(tp, fp, fn), 0.5)

    def test_repeats_count(self):
        # true has (x x x x) twice, pred once: recall 1/2, not 1 as with sets.
        c = ev.body_counts("x x x x x", "x x x x")
        self.assertAlmostEqual(ev.precision_of(*c), 1.0)
        self.assertAlmostEqual(ev.recall_of(*c), 0.5)

    def test_case_matters_as_upstream(self):
        c = ev.body_counts("Hello world foo bar", "hello world foo bar")
        self.assertEqual(c[0], 0.0)

    def test_empty_sides(self):
        self.assertEqual(ev.body_counts("a b c d", ""), (0.0, 0.0, 1.0))
        self.assertEqual(ev.body_counts("", "a b c d"), (0.0, 1.0, 0.0))
        self.assertEqual(ev.body_counts("", ""), (0.0, 0.0, 0.0))
        self.assertEqual(ev.precision_of(0, 0, 1), 0.0)
        self.assertEqual(ev.recall_of(0, 1, 0), 0.0)

    def test_page_f1(self):
        self.assertAlmostEqual(ev.page_f1(ev.body_counts("a b c d e", "a b c d x")), 0.5)
        self.assertEqual(ev.page_f1((0.0, 0.0, 1.0)), 0.0)

    def test_exact_match_ignores_punctuation_only(self):
        self.assertTrue(ev.exact_match("One, two; three.", "One two three"))
        self.assertFalse(ev.exact_match("One two three", "one two three"))


class Aggregate(unittest.TestCase):
    def test_means_then_harmonic(self):
        pages = [(1.0, 0.0, 0.0),        # perfect
                 (0.0, 0.0, 1.0),        # nothing predicted: recall 0, no precision
                 (1 / 3, 1 / 3, 1 / 3)]  # half right
        m = ev.aggregate(pages)
        self.assertAlmostEqual(m["precision"], (1 + 0.5) / 2)       # 2 pages predicted
        self.assertAlmostEqual(m["recall"], (1 + 0 + 0.5) / 3)      # 3 pages with truth
        self.assertAlmostEqual(m["f1"], 2 * 0.75 * 0.5 / 1.25)      # 0.6, not mean page F1 0.5

    def test_long_pages_weigh_no_more(self):
        long_true = " ".join("w%d" % i for i in range(1000))
        short_true = "alpha beta gamma delta epsilon"
        pages = [ev.body_counts(long_true, long_true), ev.body_counts(short_true, "")]
        self.assertAlmostEqual(ev.aggregate(pages)["recall"], 0.5)

    def test_nothing_to_average(self):
        self.assertEqual(ev.aggregate([(0.0, 0.0, 0.0)])["f1"], None)


class HtmlText(unittest.TestCase):
    def test_blocks_do_not_glue(self):
        self.assertEqual(ev.html_to_text("<div><p>one</p><p>two<br>three</p></div>"),
                         "one\ntwo\nthree")

    def test_scripts_and_comments_dropped_tails_kept(self):
        html = ("<div><p>Keep <b>this</b><script>var x = 1;</script> and that"
                "<!-- not this --> too</p><style>p{}</style></div>")
        self.assertEqual(ev.html_to_text(html), "Keep this and that too")

    def test_whitespace_and_empty(self):
        self.assertEqual(ev.html_to_text("<p>  a \n\t b  </p>"), "a b")
        self.assertEqual(ev.html_to_text(""), "")
        self.assertEqual(ev.html_to_text("   "), "")


class Fields(unittest.TestCase):
    def test_normalize_text(self):
        self.assertEqual(ev.normalize_text("  Hello\u00a0 WORLD \n"), "hello world")
        self.assertEqual(ev.normalize_text("ＡＢＣ"), "abc")
        self.assertIsNone(ev.normalize_text("   "))
        self.assertIsNone(ev.normalize_text(None))

    def test_byline(self):
        self.assertEqual(ev.normalize_byline("By Jane Doe"), "jane doe")
        self.assertEqual(ev.normalize_byline("by: Jane Doe"), "jane doe")
        self.assertEqual(ev.normalize_byline("Byron Smith"), "byron smith")
        self.assertIsNone(ev.normalize_byline("By"))

    def test_lang(self):
        self.assertEqual(ev.primary_lang("en-US"), "en")
        self.assertEqual(ev.primary_lang("pt_BR"), "pt")
        self.assertIsNone(ev.primary_lang(None))

    def test_parse_time(self):
        self.assertEqual(ev.parse_time("2021-11-01T10:52:50+0100"),
                         ev.parse_time("2021-11-01T09:52:50Z"))
        self.assertEqual(ev.parse_time("2015-03-27T13:07:55.096Z"),
                         ("instant", 1427461675))
        self.assertEqual(ev.parse_time("2017-11-03 03:01:00.000000")[0], "local")
        self.assertEqual(ev.parse_time("2020-09-21")[0], "date")
        self.assertIsNone(ev.parse_time("yesterday"))
        self.assertIsNone(ev.parse_time("2020-02-30"))

    def test_same_time(self):
        st = ev.same_time
        self.assertTrue(st("2015-07-10T09:53:00-04:00", "2015-07-10T13:53:00Z"))
        self.assertTrue(st("2015-07-10T09:53:00-04:00", "2015-07-10T13:53:59Z"))
        self.assertFalse(st("2015-07-10T09:53:00-04:00", "2015-07-10T09:53:00Z"))
        # no zone: any whole quarter-hour offset within 14 h
        self.assertTrue(st("2017-11-03 03:01:00", "2017-11-03T08:01:00Z"))
        self.assertTrue(st("2017-11-03 03:01:00", "2017-11-02T21:31:00Z"))
        self.assertFalse(st("2017-11-03 03:01:00", "2017-11-03T08:08:00Z"))
        self.assertFalse(st("2017-11-03 03:01:00", "2017-11-04T03:01:00Z"))
        # a bare date: that date somewhere between UTC-12 and UTC+14
        self.assertTrue(st("2020-09-21", "2020-09-21T12:00:00Z"))
        self.assertTrue(st("2020-09-21", "2020-09-20T10:00:00Z"))
        self.assertFalse(st("2020-09-21", "2020-09-20T09:59:59Z"))
        self.assertFalse(st("2020-09-21", "2020-09-22T12:00:00Z"))
        # null expected: only null is right
        self.assertTrue(st(None, None))
        self.assertFalse(st(None, "2020-09-21T00:00:00Z"))
        self.assertFalse(st("2020-09-21", None))
        self.assertFalse(st("2020-09-21", "garbage"))


class Readers(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def test_duplicate_id_fails(self):
        p = os.path.join(self.tmp.name, "p.jsonl")
        jsonl(p, [{"id": "a"}, {"id": "a"}])
        with self.assertRaises(SystemExit) as cm:
            ev.read_predictions(p)
        self.assertIn("twice", str(cm.exception.code))

    def test_body_of(self):
        self.assertEqual(ev.body_of({"id": "a", "body_text": "x"}), "x")
        self.assertEqual(ev.body_of({"id": "a", "body": "y"}), "y")
        self.assertEqual(ev.body_of({"id": "a", "error": "no", "body_text": "x"}), "")
        self.assertEqual(ev.body_of(None), "")

    def test_wrapped_and_plain_peer_outputs(self):
        p = os.path.join(self.tmp.name, "w.json")
        write(p, json.dumps({"version": "1.2", "output": {"a": {"articleBody": "t"}}}))
        self.assertEqual(ev.read_peer_output(p), ("1.2", {"a": "t"}))
        write(p, json.dumps({"a": {"articleBody": "t", "url": "u"}, "b": {}}))
        self.assertEqual(ev.read_peer_output(p), (None, {"a": "t", "b": ""}))


LONG = ("The council approved the new budget on Monday after a long debate "
        "and members said the plan would fund road repairs and two new schools")


class Sections(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.d = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def test_scrapinghub(self):
        data = os.path.join(self.d, "sh")
        write(os.path.join(data, "ground-truth.json"), json.dumps({
            "p1": {"articleBody": LONG, "url": "https://a.example/1"},
            "p2": {"articleBody": "Short text of four words here", "url": "https://b/2"},
            "p3": {"articleBody": LONG, "url": "https://c/3"}}))
        write(os.path.join(data, "peer-outputs", "trafilatura.json"), json.dumps({
            "version": "2.0.0", "output": {k: {"articleBody": LONG} for k in ("p1", "p2", "p3")}}))
        pred = os.path.join(self.d, "sl.jsonl")
        jsonl(pred, [{"id": "p1", "body_text": LONG},
                     {"id": "p2", "error": "refused"}])     # p3 missing
        res = ev.score_scrapinghub(data, pred, [], 2, {"f1": 0.96})
        sl = res["tools"][0]
        self.assertEqual(sl["label"], "Storyline")
        self.assertEqual((sl["missing"], sl["errors"], sl["empty"]), (1, 1, 2))
        self.assertAlmostEqual(sl["precision"], 1.0)
        self.assertAlmostEqual(sl["recall"], 1 / 3)
        self.assertEqual([w["id"] for w in res["worst"]], ["p2", "p3"])
        self.assertEqual(res["worst"][0]["url"], "https://b/2")
        self.assertIn("trafilatura", res["worst"][0]["peers"])
        self.assertEqual(res["rows"][0][3], "MISS")
        self.assertEqual(res["rows"][-1][0], "scrapinghub pages without a Storyline line")
        self.assertIn("OFF", "\n".join(res["lines"]))   # 2.0.0 is not 0.958 here

    def test_readability(self):
        data = os.path.join(self.d, "rp")
        for name, meta, body in (
                ("a", {"title": "A Title", "byline": "By Jane Doe", "siteName": None,
                       "publishedTime": "2020-09-21", "lang": "en-US", "readerable": True},
                 "<div><p>%s</p></div>" % LONG),
                ("b", {"title": "B", "byline": None, "siteName": "Site",
                       "publishedTime": None, "readerable": False}, "<p>x</p>"),
                ("c", {"title": "C", "byline": None, "siteName": None,
                       "publishedTime": None, "readerable": True}, "<p>%s</p>" % LONG)):
            write(os.path.join(data, name, "expected-metadata.json"), json.dumps(meta))
            write(os.path.join(data, name, "expected.html"), body)
            write(os.path.join(data, name, "source.html"), "<html></html>")
        pred = os.path.join(self.d, "sl.jsonl")
        jsonl(pred, [
            {"id": "a", "title": " a  title", "byline": "Jane Doe", "lang": "en",
             "published": "2020-09-21T08:00:00Z", "readerable": True, "body_text": LONG},
            {"id": "b", "title": "Not B", "outlet": "SITE", "readerable": True}])
        peer = os.path.join(self.d, "peer.jsonl")
        jsonl(peer, [{"id": k, "title": k.upper(), "body_text": LONG} for k in "abc"])
        res = ev.score_readability(data, pred, [("peer", peer)], {"title": 0.5}, 5)
        sl, pr = res["tools"]
        f = sl["fields"]
        self.assertEqual(sl["missing"], ["c"])
        self.assertEqual((f["title"]["right"], f["title"]["n"]), (1, 3))
        self.assertEqual(f["byline"]["right"], 2)       # a: "by" dropped; b: both null
        self.assertEqual((f["byline"]["given_right"], f["byline"]["given"]), (1, 1))
        self.assertEqual((f["byline"]["null_right"], f["byline"]["null"]), (1, 2))  # c: no line
        self.assertEqual(f["outlet"]["right"], 2)       # a: null = null, b: case
        self.assertEqual(f["published"]["right"], 2)
        self.assertEqual(f["lang"]["n"], 1)
        self.assertEqual(f["readerable"]["right"], 1)   # b is not readerable
        self.assertEqual(sl["body"]["n"], 2)            # a and c, the readerable pages
        self.assertAlmostEqual(sl["body"]["recall"], 0.5)
        self.assertEqual(sorted(pr["fields"]), ["title"])   # the peer gives titles only
        self.assertEqual(pr["fields"]["title"]["right"], 2)   # "A" is not "A Title"
        self.assertAlmostEqual(pr["body"]["f1"], 1.0)
        self.assertEqual(res["rows"], [["readability-pages title accuracy", "0.333",
                                        ">= 0.500", "MISS"]])

    def test_speed(self):
        base = {"pages": 10, "runs": 30, "bytes": 2e6, "seconds": 0.3, "p50_ms": 1.0,
                "p99_ms": 5.0, "max_ms": 6.0, "peak_rss_mb": 50.0, "inputs_rss_mb": 20.0}
        sl = dict(base, pages_per_s=100.0)
        peer = dict(base, pages_per_s=8.0, seconds=3.75, p99_ms=50.0)
        res = ev.speed_section("set", sl, peer, "readability-lxml", 10, 20, "0")
        self.assertAlmostEqual(res["ratio"], 12.5)
        self.assertEqual([r[3] for r in res["rows"]], ["PASS", "PASS"])
        res = ev.speed_section("set", dict(sl, p99_ms=25.0), dict(peer, pages_per_s=20.0),
                               "readability-lxml", 10, 20, None)
        self.assertEqual([r[3] for r in res["rows"]], ["MISS", "MISS"])


@unittest.skipUnless(os.path.isfile(os.path.join(SCRAPINGHUB, "ground-truth.json")),
                     "../shared/data/extraction/scrapinghub is absent")
class Calibration(unittest.TestCase):
    def test_published_figures(self):
        res = ev.score_scrapinghub(SCRAPINGHUB, None, [], 0, {})
        self.assertGreaterEqual(len(res["calibration"]), 9)
        for c in res["calibration"]:
            self.assertAlmostEqual(c["f1"], c["published"], delta=ev.CALIBRATION_TOLERANCE,
                                   msg=c["peer"])


if __name__ == "__main__":
    unittest.main()
