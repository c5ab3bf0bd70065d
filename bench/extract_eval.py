#!/usr/bin/python3
"""Score Storyline's HTML extraction against ground truth and peers.

    extract_eval.py pagelist --data SCRAPINGHUB_DIR --dir UNPACKED_DIR > LIST
    extract_eval.py scrapinghub --data SCRAPINGHUB_DIR --pred STORYLINE.jsonl
                    [--peer NAME=FILE.jsonl]... [--min-f1 0.96]
                    [--min-precision X] [--min-recall X] [--worst 10] [--out R.json]
    extract_eval.py readability --data READABILITY_PAGES_DIR --pred STORYLINE.jsonl
                    [--peer NAME=FILE.jsonl]... [--min-title X] [--min-byline X]
                    [--min-outlet X] [--min-published X] [--min-lang X]
                    [--min-readerable X] [--min-body-f1 X] [--list 8] [--out R.json]
    extract_eval.py speed --set NAME --storyline S.json [--peer P.json]
                    [--peer-name NAME] [--cpu N] [--min-ratio 10] [--max-p99-ms 20]
                    [--out R.json]
    extract_eval.py targets R.json... [--txt OUT.txt]

PREDICTIONS (STORYLINE.jsonl, and every --peer file) are JSON lines, one
page a line:

    {"id": PAGE, ...the object of sl_extracted_to_json()...}

PAGE is the file stem of the page the line comes from: the scrapinghub id
(html/<id>.html.gz) or the readability-pages folder name.  The fields read
are "body_text" (or "body"), "title", "byline", "outlet", "published"
(RFC 3339, absent or null when unknown), "lang" and "readerable".  A line
{"id": PAGE, "error": "..."} is a page the extractor refused: it scores
as an empty body and as wrong on every metadata field, as does a page with
no line at all.  bench/bench_extract.c and bench/extract_peer.py write
this shape.

The body score is the one of scrapinghub/article-extraction-benchmark's
evaluate.py, reproduced exactly (see `body_counts` and `aggregate`); with
it the peer outputs shipped with the data give their published figures
(the table says so on its "scorer calibration" line).  On the readability
pages the truth is the text of expected.html (html_to_text, one block
element a line) and only the pages expected to be readerable are scored.

S.json and P.json are the one-object summaries bench_extract and
extract_peer.py print.  R.json (--out) holds a section's figures and its
target rows ["label", "value", "target", "PASS|MISS"]; `targets` prints
the rows of several of them and counts the PASS and MISS.

Missing a target is reported (MISS), not an error: the exit status is 0
unless an input is missing or malformed.  See bench/README.md.
"""

import argparse
import calendar
import datetime
import json
import os
import re
import statistics
import sys
import unicodedata
from collections import Counter

from eval_common import read_jsonl_articles

sys.dont_write_bytecode = True
from eval_common import fail, fmt, write_result  # noqa: E402

PROG = "extract_eval"

# F1 of the peer outputs in ../shared/data/extraction/scrapinghub/peer-outputs
# as published in the upstream README (article-extraction-benchmark), by file
# stem.  The scorer must give these within CALIBRATION_TOLERANCE.
PUBLISHED_F1 = {
    "rs_trafilatura": 0.970, "trafilatura": 0.958, "newspaper": 0.949,
    "readability_js": 0.947, "readability": 0.922, "goose3": 0.896,
    "boilerpipe": 0.860, "justext": 0.804, "html-text": 0.665,
}
PEER_LABELS = {
    "rs_trafilatura": "rs-trafilatura", "trafilatura": "trafilatura",
    "newspaper": "newspaper4k", "readability_js": "Readability.js",
    "readability": "readability-lxml", "goose3": "goose3",
    "boilerpipe": "boilerpipe", "justext": "jusText",
    "html-text": "html-text (whole page)",
}
CALIBRATION_TOLERANCE = 0.005
WORST_PEERS = ("trafilatura", "rs_trafilatura", "readability_js")
SHINGLE = 4


# ------------------------------------------------------------- scoring --
# The scrapinghub scorer (upstream evaluate.py, string_shingle_matching and
# metrics_from_tp_fp_fns):
# - words are the matches of \w+ (Unicode), case kept;
# - shingles are the runs of 4 consecutive words, as a multiset (a shingle
#   that occurs twice counts twice); a text of 1-3 words is one shingle of
#   all its words, an empty text has none;
# - per page, tp/fp/fn are the multiset overlap and differences, then
#   divided by tp+fp+fn so that long pages weigh no more than short ones;
# - precision is averaged over the pages whose prediction has shingles,
#   recall over the pages whose truth has shingles (so an empty prediction
#   costs recall only), and F1 is the harmonic mean of those two means; it
#   is NOT the mean of per-page F1s, nor a micro average.

_WORD = re.compile(r"\w+")


def tokens(text):
    return _WORD.findall(text or "")


def shingles(text, n=SHINGLE):
    toks = tokens(text)
    return Counter(tuple(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1))
                   if toks[i:i + n])


def body_counts(true, pred):
    """(tp, fp, fn) of pred's shingles against true's, summing to 1 (or 0)."""
    t, p = shingles(true), shingles(pred)
    tp = fp = fn = 0
    for key in t.keys() | p.keys():
        a, b = t.get(key, 0), p.get(key, 0)
        tp += min(a, b)
        fp += max(0, b - a)
        fn += max(0, a - b)
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def precision_of(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_of(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def page_f1(c):
    """F1 of one page, for listing pages; not what the table averages."""
    p, r = precision_of(*c), recall_of(*c)
    return 2 * p * r / (p + r) if p + r else 0.0


def aggregate(counts):
    """{"precision","recall","f1"} of a list of body_counts, as upstream."""
    ps = [precision_of(*c) for c in counts if c[0] + c[1] > 0]
    rs = [recall_of(*c) for c in counts if c[0] + c[2] > 0]
    p = statistics.mean(ps) if ps else None
    r = statistics.mean(rs) if rs else None
    f = 2 * p * r / (p + r) if p is not None and r is not None and p + r else None
    return {"precision": p, "recall": r, "f1": f}


def exact_match(true, pred):
    """Upstream's "accuracy": the same words in the same order."""
    return tokens(true) == tokens(pred)


# ------------------------------------------------------- text of HTML --

_BLOCK = frozenset("""address article aside blockquote body br caption center dd
details dialog dir div dl dt fieldset figcaption figure footer form frame h1 h2 h3
h4 h5 h6 header hgroup hr html iframe legend li main menu nav noframes ol option p
pre section summary table tbody td tfoot th thead title tr ul""".split())
_SKIP = frozenset("script style noscript template head svg".split())
_SPACE = re.compile(r"\s+")


def html_to_text(html):
    """The visible text of an HTML document or fragment (lxml), one block
    element a line, so that words of adjacent paragraphs never run
    together; scripts, styles and comments are left out."""
    import lxml.etree
    import lxml.html

    if not html or not html.strip():
        return ""
    try:
        root = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return ""
    out, skip = [], 0
    stack = [(root, False)]
    while stack:   # depth first, by hand: pages nest deeper than recursion allows
        el, end = stack.pop()
        name = el.tag.lower() if isinstance(el.tag, str) else None   # None: a comment
        if not end:
            if name in _SKIP:
                skip += 1
            elif name in _BLOCK:
                out.append("\n")
            if name and not skip and el.text:
                out.append(_SPACE.sub(" ", el.text))
            stack.append((el, True))
            if name:
                stack.extend((child, False) for child in reversed(el))
            continue
        if name in _SKIP:
            skip -= 1
        elif name in _BLOCK:
            out.append("\n")
        if el is not root and not skip and el.tail:
            out.append(_SPACE.sub(" ", el.tail))
    # Whitespace inside text (newlines included) became one space above, so
    # block boundaries are the only line breaks.
    lines = (" ".join(line.split()) for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line)


# ------------------------------------------------------------- reading --

def read_json(path, what):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        fail("cannot read %s (%s): %s" % (what, path, e))
    except ValueError as e:
        fail("%s (%s) is not JSON: %s" % (what, path, e))


def read_peer_output(path):
    """An upstream output file: {id: {"articleBody"}}, possibly wrapped as
    {"version": V, "output": {...}} -> (version or None, {id: body})."""
    doc = read_json(path, "peer output")
    version = None
    if isinstance(doc, dict) and isinstance(doc.get("output"), dict) and "version" in doc:
        version, doc = doc["version"], doc["output"]
    if not isinstance(doc, dict):
        fail("%s: not an object of pages" % path)
    return version, {k: (v or {}).get("articleBody") or "" for k, v in doc.items()}


def read_predictions(path):
    """JSON-lines predictions -> {id: record}; see the module docstring."""
    return read_jsonl_articles(path)


def body_of(rec):
    if rec is None or rec.get("error") is not None:
        return ""
    body = rec.get("body_text", rec.get("body"))
    return body if isinstance(body, str) else ""


def parse_peer_arg(arg):
    name, sep, path = arg.partition("=")
    if not sep or not name or not path:
        fail("--peer wants NAME=FILE.jsonl, not %r" % arg)
    return name, path


def check_ids(name, preds, ids):
    """Warnings and counts for ids a prediction file lacks or adds."""
    missing = sorted(ids - preds.keys())
    unknown = sorted(preds.keys() - ids)
    if len(missing) == len(ids):
        fail("%s has none of the %d pages (ids are file stems: wrong file?)"
             % (name, len(ids)))
    if unknown:
        print("%s: %s: %d lines for unknown pages, ignored (first: %s)"
              % (PROG, name, len(unknown), unknown[0]), file=sys.stderr)
    return missing


def errors_of(preds, ids):
    return sorted(i for i in ids if i in preds and preds[i].get("error") is not None)


# ----------------------------------------------------------- reporting --

def check(value, ok):
    """PASS/MISS for a figure with a target; MISS when it could not be had."""
    if value is None:
        return "MISS"
    return "PASS" if ok(value) else "MISS"


def target_line(label, value, target, status):
    return ("  %-54s %-10s %-10s %s" % (label, value, target, status)).rstrip()


def short(s, width):
    s = " ".join(str(s).split())
    return s if len(s) <= width else s[:width - 1] + "~"


# ---------------------------------------------------------- pagelist --

def cmd_pagelist(args):
    """PATH<TAB>URL lines of the unpacked scrapinghub pages, sorted by id."""
    truth = read_json(os.path.join(args.data, "ground-truth.json"), "ground truth")
    for pid in sorted(truth):
        url = (truth[pid] or {}).get("url") or ""
        path = os.path.join(args.dir, pid + ".html")
        if not os.path.isfile(path):
            fail("%s is missing (unpack the pages first)" % path)
        if "\t" in path or "\n" in path or "\t" in url or "\n" in url:
            fail("page %s: a tab or newline in its path or URL" % pid)
        print("%s\t%s" % (path, url) if url else path)


# ------------------------------------------------------- scrapinghub --

def score_tool(truth, bodies):
    """Counts per page and the aggregate of one tool's {id: body}."""
    counts = {pid: body_counts(truth[pid], bodies.get(pid, "")) for pid in truth}
    m = aggregate(list(counts.values()))
    m["page_f1_mean"] = statistics.mean(page_f1(c) for c in counts.values())
    m["exact"] = statistics.mean(
        1.0 if exact_match(truth[pid], bodies.get(pid, "")) else 0.0 for pid in truth)
    m["empty"] = sum(1 for pid in truth if not tokens(bodies.get(pid, "")))
    return counts, m


def score_scrapinghub(data, pred_path, peer_args, worst_n, targets):
    gt = read_json(os.path.join(data, "ground-truth.json"), "ground truth")
    if not isinstance(gt, dict) or not gt:
        fail("%s/ground-truth.json: not an object of pages" % data)
    truth = {k: (v or {}).get("articleBody") or "" for k, v in gt.items()}
    urls = {k: (v or {}).get("url") or "" for k, v in gt.items()}
    ids = set(truth)

    tools = []   # (key, label, version, published F1, counts, metrics)
    storyline = None
    if pred_path:
        preds = read_predictions(pred_path)
        missing = check_ids("Storyline", preds, ids)
        errors = errors_of(preds, ids)
        bodies = {k: body_of(v) for k, v in preds.items()}
        counts, m = score_tool(truth, bodies)
        m["missing"], m["errors"] = len(missing), len(errors)
        storyline = {"counts": counts, "metrics": m, "missing": missing, "errors": errors,
                     "bodies": bodies}
        tools.append(("storyline", "Storyline", "", None, counts, m))
    for name, path in peer_args:
        preds = read_predictions(path)
        check_ids(name, preds, ids)
        counts, m = score_tool(truth, {k: body_of(v) for k, v in preds.items()})
        tools.append(("run:" + name, name, "", None, counts, m))
    peer_dir = os.path.join(data, "peer-outputs")
    published = {}
    for fn in sorted(os.listdir(peer_dir)) if os.path.isdir(peer_dir) else []:
        if not fn.endswith(".json"):
            continue
        key = fn[:-5]
        version, bodies = read_peer_output(os.path.join(peer_dir, fn))
        if set(bodies) != ids:
            fail("%s: its pages are not those of the ground truth" % fn)
        counts, m = score_tool(truth, bodies)
        published[key] = counts
        tools.append((key, PEER_LABELS.get(key, key), version or "",
                      PUBLISHED_F1.get(key), counts, m))

    order = [t for t in tools if not t[0].startswith("run:") and t[0] != "storyline"]
    order.sort(key=lambda t: -(t[5]["f1"] or 0))
    tools = [t for t in tools if t[0] == "storyline" or t[0].startswith("run:")] + order

    lines = ["Scrapinghub article-extraction-benchmark, %d pages: body text, "
             "4-word shingles (upstream evaluate.py)" % len(ids),
             "  %-30s %-9s %6s %6s %6s %10s %8s %6s %6s" % (
                 "tool", "version", "P", "R", "F1", "published", "pageF1", "exact", "empty")]
    calib = []
    for key, label, version, pub, counts, m in tools:
        lines.append("  %-30s %-9s %6s %6s %6s %10s %8s %6s %6d" % (
            short(label, 30), short(version, 9), fmt(m["precision"]), fmt(m["recall"]),
            fmt(m["f1"]), fmt(pub), fmt(m["page_f1_mean"]), fmt(m["exact"]), m["empty"]))
        if pub is not None and m["f1"] is not None:
            calib.append((key, m["f1"], pub))
    lines.append("  P and R are means over pages (P over pages with a prediction), F1 their "
                 "harmonic mean; pageF1 is the mean of per-page F1s; exact: the same words; "
                 "empty: pages with no words.")
    off = [(k, f, p) for k, f, p in calib if abs(f - p) > CALIBRATION_TOLERANCE]
    lines.append("  scorer calibration: %d/%d shipped peer outputs give their published F1 "
                 "within %.3f%s" % (len(calib) - len(off), len(calib), CALIBRATION_TOLERANCE,
                                    "" if not off else "; OFF: " + ", ".join(
                                        "%s %.3f vs %.3f" % x for x in off)))

    worst = []
    if storyline:
        m = storyline["metrics"]
        if storyline["missing"]:
            lines.append("  pages without a Storyline line (scored empty): %d, first %s"
                         % (len(storyline["missing"]), storyline["missing"][0]))
        if storyline["errors"]:
            lines.append("  pages Storyline refused (scored empty): %d, first %s"
                         % (len(storyline["errors"]), storyline["errors"][0]))
        ranked = sorted(storyline["counts"].items(), key=lambda kv: (page_f1(kv[1]), kv[0]))
        for pid, c in ranked[:worst_n]:
            worst.append({"id": pid, "url": urls.get(pid, ""),
                          "precision": precision_of(*c), "recall": recall_of(*c),
                          "f1": page_f1(c),
                          "true_words": len(tokens(truth[pid])),
                          "got_words": len(tokens(storyline["bodies"].get(pid, ""))),
                          "peers": {k: page_f1(published[k][pid])
                                    for k in WORST_PEERS if k in published}})
        if worst:
            heads = [k for k in WORST_PEERS if k in published]
            lines.append("  Storyline's %d worst pages (page F1; words: of the truth, got: of "
                         "Storyline's body; then the peers' page F1 on the same page):"
                         % len(worst))
            lines.append(("    %-12s %6s %6s %6s %7s %7s  %s" % (
                "page", "P", "R", "F1", "words", "got", "  ".join(
                    "%-14s" % PEER_LABELS[k][:14] for k in heads))).rstrip())
            for w in worst:
                lines.append(("    %-12s %6s %6s %6s %7d %7d  %s" % (
                    w["id"][:12], fmt(w["precision"]), fmt(w["recall"]), fmt(w["f1"]),
                    w["true_words"], w["got_words"],
                    "  ".join("%-14s" % fmt(w["peers"][k]) for k in heads))).rstrip())
                lines.append("      %s" % w["url"])

    rows = []
    if storyline:
        m = storyline["metrics"]
        for key, label in (("f1", "F1"), ("precision", "precision"), ("recall", "recall")):
            goal = targets.get(key)
            if goal is not None:
                rows.append(["scrapinghub body " + label, fmt(m[key]), ">= %.3f" % goal,
                             check(m[key], lambda v, g=goal: v >= g)])
        if storyline["missing"] and targets:
            rows.append(["scrapinghub pages without a Storyline line",
                         str(len(storyline["missing"])), "0", "MISS"])
    else:
        lines.append("  (no Storyline output given: peers only)")
    for r in rows:
        lines.append(target_line(*r))

    return {
        "section": "scrapinghub",
        "lines": lines,
        "rows": rows,
        "tools": [{"key": k, "label": l, "version": v, "published_f1": p, **m}
                  for k, l, v, p, c, m in tools],
        "calibration": [{"peer": k, "f1": f, "published": p} for k, f, p in calib],
        "worst": worst,
        "storyline_pages": ({pid: round(page_f1(c), 4)
                             for pid, c in storyline["counts"].items()}
                            if storyline else None),
    }


def cmd_scrapinghub(args):
    targets = {"f1": args.min_f1, "precision": args.min_precision, "recall": args.min_recall}
    targets = {k: v for k, v in targets.items() if v is not None}
    res = score_scrapinghub(args.data, args.pred, [parse_peer_arg(p) for p in args.peer],
                            args.worst, targets)
    print("\n".join(res["lines"]))
    if args.out:
        write_result(args.out, res)


# ------------------------------------------------------- readability --
# Text fields (title, byline, outlet) are compared after normalize_text:
# Unicode NFKC (no-break and other odd spaces become spaces, full-width
# forms plain), casefold, every run of whitespace one space, trimmed; an
# empty string is "no value".  Quotes, dashes and other punctuation must
# match.  A byline also loses a leading "by" ("By Jane Doe" = "Jane Doe").
# When the expected value is null, only a null prediction is right.

def normalize_text(s):
    if not isinstance(s, str):
        return None
    s = " ".join(unicodedata.normalize("NFKC", s).casefold().split())
    return s or None


def normalize_byline(s):
    s = normalize_text(s)
    if s:
        s = re.sub(r"^by\b[\s:]*", "", s) or None
    return s


_TIME = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
                   r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?\s*$", re.I)


def parse_time(s):
    """RFC 3339 / ISO 8601 -> ("instant", epoch s) with a zone,
    ("local", epoch s read as UTC) without one, ("date", epoch s of 00:00
    UTC) for a bare date; None when not such a time."""
    if not isinstance(s, str):
        return None
    m = _TIME.match(s)
    if not m:
        return None
    y, mo, d, hh, mi, ss, zone = m.groups()
    try:
        t = calendar.timegm(datetime.datetime(int(y), int(mo), int(d), int(hh or 0),
                                              int(mi or 0), int(ss or 0)).timetuple())
    except ValueError:
        return None
    if hh is None:
        return ("date", t)
    if zone is None:
        return ("local", t)
    if zone.upper() != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        off = int(digits[:2]) * 3600 + int(digits[2:4] or 0) * 60
        t -= sign * off
    return ("instant", t)


def same_time(expected, predicted):
    """Is the predicted published time the expected one?

    - expected with a zone: the same instant, to the minute (|diff| < 60 s);
    - expected without a zone (the page's offset unknown): the same wall
      clock time in some zone, i.e. predicted - expected-as-UTC within
      +-14 h and a whole number of quarter hours (+-60 s);
    - expected a bare date: the predicted instant falls on that date in
      some zone from UTC-12 to UTC+14;
    - expected null: right only when nothing is predicted."""
    e = parse_time(expected) if expected is not None else None
    if expected is None or e is None:
        return predicted is None if expected is None else False
    if predicted is None:
        return False
    p = parse_time(predicted)
    if p is None:
        return False
    kind, t = e
    pt = p[1]
    if kind == "instant":
        return abs(pt - t) < 60
    if kind == "local":
        d = pt - t
        if abs(d) > 14 * 3600 + 60:
            return False
        r = d % 900
        return r < 60 or r > 900 - 60
    return t - 14 * 3600 <= pt < t + 86400 + 12 * 3600


def primary_lang(s):
    s = normalize_text(s)
    return re.split(r"[-_]", s)[0] if s else None


FIELDS = (
    # key, label, expected key, predicted key, normaliser
    ("title", "title", "title", "title", normalize_text),
    ("byline", "byline", "byline", "byline", normalize_byline),
    ("outlet", "outlet (siteName)", "siteName", "outlet", normalize_text),
    ("published", "published time", "publishedTime", "published", None),
    ("lang", "lang (primary subtag, where given)", "lang", "lang", primary_lang),
    ("readerable", "readerable", "readerable", "readerable", None),
)


def read_readability_pages(data):
    pages = {}
    try:
        names = sorted(os.listdir(data))
    except OSError as e:
        fail("cannot list %s: %s" % (data, e))
    for name in names:
        d = os.path.join(data, name)
        if not os.path.isdir(d):
            continue
        meta = read_json(os.path.join(d, "expected-metadata.json"), "expected metadata")
        try:
            with open(os.path.join(d, "expected.html"), encoding="utf-8",
                      errors="replace") as f:
                expected_html = f.read()
        except OSError as e:
            fail("cannot read %s/expected.html: %s" % (d, e))
        if not isinstance(meta, dict):
            fail("%s/expected-metadata.json: not an object" % d)
        pages[name] = {"meta": meta, "body": html_to_text(expected_html)}
    if not pages:
        fail("no page folders in %s" % data)
    return pages


def field_right(key, norm, expected, rec):
    """(right, expected shown, predicted shown) of one field of one page;
    key is the field's name in the prediction."""
    got = None if rec is None else rec.get(key)
    if key == "readerable":
        if got is None:
            return False, expected, None
        return bool(got) == expected, expected, bool(got)
    if key == "published":
        got = got if isinstance(got, str) and got else None
        return same_time(expected, got), expected, got
    e, g = norm(expected), norm(got if isinstance(got, str) else None)
    return e == g, expected, got


def score_readability(data, pred_path, peer_args, targets, list_n):
    pages = read_readability_pages(data)
    ids = set(pages)
    tools = []
    if pred_path:
        tools.append(("Storyline", read_predictions(pred_path), True))
    for name, path in peer_args:
        tools.append((name, read_predictions(path), False))
    lines = ["Readability test pages (mozilla/readability), %d pages: metadata accuracy "
             "and body F1" % len(pages)]
    if not tools:
        lines.append("  (no predictions given)")
        return {"section": "readability", "lines": lines, "rows": [], "tools": []}

    sl_first = tools[0][0] == "Storyline"
    results = []
    readerable_ids = sorted(i for i in ids if pages[i]["meta"].get("readerable") is not False)
    for name, preds, full in tools:
        missing = check_ids(name, preds, ids)
        errors = errors_of(preds, ids)
        res = {"name": name, "missing": missing, "errors": errors, "fields": {},
               "mismatches": {}}
        bad = set(missing) | set(errors)
        for key, label, ekey, pkey, norm in FIELDS:
            right = n = 0
            by_case = {"given": [0, 0], "null": [0, 0]}   # [right, pages]
            wrong = []
            provided = any(pkey in (preds.get(i) or {}) for i in ids)
            if not full and not provided:
                continue    # a peer that does not give the field
            for pid in sorted(ids):
                meta = pages[pid]["meta"]
                if key == "lang" and meta.get("lang") is None:
                    continue
                if key == "readerable" and not isinstance(meta.get("readerable"), bool):
                    continue
                n += 1
                expected = meta.get(ekey)
                case = by_case["null" if expected is None or (
                    norm is not None and norm(expected) is None) else "given"]
                case[1] += 1
                if pid in bad:
                    wrong.append((pid, expected, "(no output)"))
                    continue
                is_right, ev, gv = field_right(pkey, norm, expected, preds.get(pid))
                if is_right:
                    right += 1
                    case[0] += 1
                else:
                    wrong.append((pid, ev, gv))
            res["fields"][key] = {"n": n, "right": right, "accuracy": right / n if n else None,
                                  "given_right": by_case["given"][0],
                                  "given": by_case["given"][1],
                                  "null_right": by_case["null"][0], "null": by_case["null"][1]}
            res["mismatches"][key] = wrong
        counts = {pid: body_counts(pages[pid]["body"],
                                   "" if pid in bad else body_of(preds.get(pid)))
                  for pid in readerable_ids}
        agg = aggregate(list(counts.values()))
        agg["n"] = len(counts)
        agg["worst"] = sorted(((page_f1(c), pid) for pid, c in counts.items()))[:list_n]
        res["body"] = agg
        results.append(res)

    # Storyline's accuracy is also split by case: right where the page
    # gives a value, and null where it gives none (a date Readability.js
    # did not find may still be the page's date: judge from the listing).
    cols = []   # (header, width, tool index, what: "acc" | "given" | "null")
    for i, r in enumerate(results):
        cols.append((r["name"], max(9, min(28, len(r["name"]))), i, "acc"))
        if i == 0 and sl_first:
            cols += [("given", 8, 0, "given"), ("null", 7, 0, "null")]

    def cell(col, key):
        _, w, i, what = col
        f = results[i]["fields"].get(key)
        if f is None:
            v = "-"
        elif what == "acc":
            v = fmt(f["accuracy"])
        elif not f[what]:
            v = "-"
        else:
            v = "%d/%d" % (f[what + "_right"], f[what])
        return "%*s" % (w, v)

    def row(label, pages, cells):
        return "  %-36s %5s %s" % (label, pages, " ".join(cells))

    lines.append(row("field", "pages", ["%*s" % (c[1], short(c[0], c[1])) for c in cols]))
    for key, label, _, _, _ in FIELDS:
        ns = [r["fields"][key]["n"] for r in results if key in r["fields"]]
        if ns:
            lines.append(row(label, ns[0], [cell(c, key) for c in cols]))
    lines.append(row("body F1 (readerable pages)", len(readerable_ids), [
        "%*s" % (c[1], fmt(results[c[2]]["body"]["f1"]) if c[3] == "acc" else "")
        for c in cols]))
    lines.append(row("  body P / R", "", [
        "%*s" % (c[1], "%s/%s" % (fmt(results[c[2]]["body"]["precision"], 2),
                                  fmt(results[c[2]]["body"]["recall"], 2))
                 if c[3] == "acc" else "") for c in cols]).rstrip())
    lines.append("  accuracy after normalising case and whitespace (NFKC, casefold); published:"
                 " same instant to the minute, a zoneless or date-only value matched in any"
                 " zone; expected null: only null is right.")
    if sl_first:
        lines.append("  given: right / pages where the expected value is set; null: null "
                     "predicted / pages where it is null (Readability.js found none).")

    sl = results[0] if sl_first else None
    if sl:
        if sl["missing"]:
            lines.append("  pages without a Storyline line (all wrong): %d, first %s"
                         % (len(sl["missing"]), sl["missing"][0]))
        if sl["errors"]:
            lines.append("  pages Storyline refused (all wrong): %d, first %s"
                         % (len(sl["errors"]), sl["errors"][0]))
        for key, label, _, _, _ in FIELDS:
            wrong = sl["mismatches"].get(key) or []
            if not wrong or not list_n:
                continue
            lines.append("  Storyline %s wrong on %d pages (expected | got)%s:" % (
                label, len(wrong), "" if len(wrong) <= list_n else ", first %d" % list_n))
            for pid, ev, gv in wrong[:list_n]:
                lines.append("    %-28s %s | %s" % (short(pid, 28), short(json.dumps(
                    ev, ensure_ascii=False), 60), short(json.dumps(gv, ensure_ascii=False), 60)))
        if sl["body"]["worst"] and list_n:
            lines.append("  Storyline's worst bodies (page F1): " + ", ".join(
                "%s %.2f" % (pid, f) for f, pid in sl["body"]["worst"]))

    rows = []
    if sl:
        for key, label, _, _, _ in FIELDS:
            goal = targets.get(key)
            if goal is not None:
                acc = sl["fields"][key]["accuracy"]
                rows.append(["readability-pages " + key + " accuracy", fmt(acc),
                             ">= %.3f" % goal, check(acc, lambda v, g=goal: v >= g)])
        goal = targets.get("body_f1")
        if goal is not None:
            rows.append(["readability-pages body F1", fmt(sl["body"]["f1"]), ">= %.3f" % goal,
                         check(sl["body"]["f1"], lambda v, g=goal: v >= g)])
    for r in rows:
        lines.append(target_line(*r))
    return {"section": "readability", "lines": lines, "rows": rows,
            "tools": [{k: v for k, v in r.items()} for r in results]}


def cmd_readability(args):
    targets = {"title": args.min_title, "byline": args.min_byline, "outlet": args.min_outlet,
               "published": args.min_published, "lang": args.min_lang,
               "readerable": args.min_readerable, "body_f1": args.min_body_f1}
    targets = {k: v for k, v in targets.items() if v is not None}
    res = score_readability(args.data, args.pred, [parse_peer_arg(p) for p in args.peer],
                            targets, args.list)
    print("\n".join(res["lines"]))
    if args.out:
        write_result(args.out, res)


# --------------------------------------------------------------- speed --

SPEED_KEYS = ("pages", "runs", "bytes", "seconds", "pages_per_s", "p50_ms", "p99_ms",
              "max_ms", "peak_rss_mb", "inputs_rss_mb")


def read_speed(path, who):
    doc = read_json(path, who + " speed summary")
    if not isinstance(doc, dict):
        fail("%s: not a JSON object" % path)
    for k in SPEED_KEYS:
        if not isinstance(doc.get(k), (int, float)):
            fail('%s: no number "%s" (is it the summary bench_extract / extract_peer.py '
                 'print?)' % (path, k))
    return doc


def speed_section(set_name, sl, peer, peer_name, min_ratio, max_p99, cpu):
    lines = ["Extraction speed, %s: %d pages, %.1f MB, %d runs a page, one core%s" % (
        set_name, sl["pages"], sl["bytes"] / 1e6, sl["runs"] // max(1, sl["pages"]),
        " (taskset -c %s)" % cpu if cpu is not None else "")]
    lines.append("  %-28s %9s %8s %8s %8s %8s %10s %10s %6s" % (
        "tool", "pages/s", "MB/s", "p50 ms", "p99 ms", "max ms", "peak RSS", "over input",
        "failed"))
    tools = [("Storyline", sl)] + ([(("%s %s" % (peer_name, peer.get("version") or "")).strip(),
                                     peer)] if peer else [])
    for name, d in tools:
        lines.append("  %-28s %9.1f %8.1f %8.3f %8.3f %8.3f %7.1f MB %7.1f MB %6d" % (
            short(name, 28), d["pages_per_s"], d["bytes"] / 1e6 / d["seconds"] if d["seconds"]
            else 0, d["p50_ms"], d["p99_ms"], d["max_ms"], d["peak_rss_mb"],
            d["peak_rss_mb"] - d["inputs_rss_mb"], d.get("failed", 0)))
    ratio = None
    if peer and peer["pages_per_s"]:
        ratio = sl["pages_per_s"] / peer["pages_per_s"]
        lines.append("  Storyline's lead: pages/s %.1fx, p50 %.1fx, p99 %.1fx" % (
            ratio, peer["p50_ms"] / sl["p50_ms"] if sl["p50_ms"] else 0,
            peer["p99_ms"] / sl["p99_ms"] if sl["p99_ms"] else 0))
    lines.append("  per page: the median of its runs; pages/s: runs / time inside the "
                 "extraction calls; over input: peak RSS less the RSS with every page loaded.")
    phases = sl.get("phases_ms")
    if phases:
        total = sum(phases.values()) or 1
        lines.append("  Storyline's time per page: " + ", ".join(
            "%s %.2f ms (%d%%)" % (k, v, round(100 * v / total)) for k, v in phases.items())
            + "; %.2f body attempts a page" % sl.get("attempts_per_page", 1))
    for name, d in tools:
        slow = d.get("slowest") or []
        if slow:
            lines.append("  %s slowest: %s" % (name, ", ".join(
                "%s %.1f ms" % (short(s["id"], 16), s["ms"]) for s in slow[:5])))
    rows = []
    if min_ratio is not None:
        rows.append(["%s: pages/s, Storyline / %s" % (set_name, peer_name),
                     "%.1fx" % ratio if ratio is not None else "-", ">= %gx" % min_ratio,
                     check(ratio, lambda v: v >= min_ratio)])
    if max_p99 is not None:
        rows.append(["%s: Storyline p99 ms per page" % set_name, "%.3f" % sl["p99_ms"],
                     "<= %g" % max_p99, check(sl["p99_ms"], lambda v: v <= max_p99)])
    for r in rows:
        lines.append(target_line(*r))
    return {"section": "speed-" + set_name, "lines": lines, "rows": rows, "ratio": ratio,
            "storyline": sl, "peer": peer, "peer_name": peer_name}


def cmd_speed(args):
    sl = read_speed(args.storyline, "Storyline")
    peer = read_speed(args.peer, args.peer_name) if args.peer else None
    res = speed_section(args.set, sl, peer, args.peer_name, args.min_ratio, args.max_p99_ms,
                        args.cpu)
    print("\n".join(res["lines"]))
    if args.out:
        write_result(args.out, res)


# ------------------------------------------------------------- targets --

def cmd_targets(args):
    rows = []
    for path in args.results:
        doc = read_json(path, "result")
        rows += [r for r in doc.get("rows", []) if r[3]]
    lines = ["Extraction targets (bench/extract.sh)",
             target_line("", "value", "target", "result")]
    lines += [target_line(*r) for r in rows]
    statuses = [r[3] for r in rows]
    lines.append("targets: %d PASS, %d MISS" % (statuses.count("PASS"), statuses.count("MISS")))
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.txt:
        with open(args.txt, "w", encoding="utf-8") as f:
            f.write(text)


# ---------------------------------------------------------------- main --

def main():
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("pagelist", help="PATH<TAB>URL list of the unpacked scrapinghub pages")
    p.add_argument("--data", required=True, help="the scrapinghub folder")
    p.add_argument("--dir", required=True, help="where <id>.html were unpacked")
    p.set_defaults(func=cmd_pagelist)

    p = sub.add_parser("scrapinghub", help="body P/R/F1 against the ground truth and peers")
    p.add_argument("--data", required=True, help="the scrapinghub folder")
    p.add_argument("--pred", help="Storyline's JSON lines")
    p.add_argument("--peer", action="append", default=[], metavar="NAME=FILE.jsonl",
                   help="another tool's JSON lines from this run (repeatable)")
    p.add_argument("--worst", type=int, default=10, help="Storyline's worst pages to list")
    p.add_argument("--min-f1", type=float)
    p.add_argument("--min-precision", type=float)
    p.add_argument("--min-recall", type=float)
    p.add_argument("--out", help="write the figures as JSON")
    p.set_defaults(func=cmd_scrapinghub)

    p = sub.add_parser("readability", help="metadata accuracy and body F1, readability pages")
    p.add_argument("--data", required=True, help="the readability-pages folder")
    p.add_argument("--pred", help="Storyline's JSON lines")
    p.add_argument("--peer", action="append", default=[], metavar="NAME=FILE.jsonl")
    p.add_argument("--list", type=int, default=8, help="mismatches listed per field")
    for f in ("title", "byline", "outlet", "published", "lang", "readerable", "body-f1"):
        p.add_argument("--min-" + f, type=float)
    p.add_argument("--out")
    p.set_defaults(func=cmd_readability)

    p = sub.add_parser("speed", help="side-by-side speed table of two summaries")
    p.add_argument("--set", required=True, help="name of the page set")
    p.add_argument("--storyline", required=True, help="bench_extract's summary JSON")
    p.add_argument("--peer", help="extract_peer.py's summary JSON")
    p.add_argument("--peer-name", default="readability-lxml")
    p.add_argument("--min-ratio", type=float)
    p.add_argument("--max-p99-ms", type=float)
    p.add_argument("--cpu", help="the core the runs were pinned to (for the heading)")
    p.add_argument("--out")
    p.set_defaults(func=cmd_speed)

    p = sub.add_parser("targets", help="every PASS/MISS row of result files")
    p.add_argument("results", nargs="+")
    p.add_argument("--txt")
    p.set_defaults(func=cmd_targets)

    args = ap.parse_args()
    if getattr(args, "worst", 0) < 0 or getattr(args, "list", 0) < 0:
        fail("--worst and --list must not be negative")
    args.func(args)


if __name__ == "__main__":
    main()
