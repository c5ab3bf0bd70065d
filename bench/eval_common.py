"""eval_common.py - what the quality scorers of bench/ share
(stories_eval.py, related_eval.py): failing with the program's name,
reading JSON-lines articles, words, ratios and figures, result files."""
import json
import os
import re
import sys

PROG = os.path.splitext(os.path.basename(sys.argv[0]))[0]


def fail(msg):
    sys.exit("%s: %s" % (PROG, msg))


def read_jsonl_articles(path):
    """JSON-lines articles -> {id: record}, in file order; ids unique."""
    articles = {}
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        fail("cannot read %s: %s" % (path, e))
    with f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError as e:
                fail("%s:%d: not JSON (%s)" % (path, n, e))
            if not isinstance(rec, dict) or "id" not in rec:
                fail("%s:%d: article without an id" % (path, n))
            if str(rec["id"]) in articles:
                fail("%s:%d: id %s occurs twice" % (path, n, rec["id"]))
            articles[str(rec["id"])] = rec
    return articles


def words(text):
    return re.findall(r"\w+", text.lower())


def ratio(num, den):
    return num / den if den else None


def fmt(x, digits=3):
    if x is None:
        return "-"
    if isinstance(x, float):
        return "%.*f" % (digits, x)
    return str(x)


def full_text(rec):
    return "%s\n%s" % (rec.get("title") or "", rec.get("body") or "")


def write_result(path, result):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
        f.write("\n")
    os.replace(tmp, path)
