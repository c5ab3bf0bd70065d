#!/usr/bin/python3
"""Score related-story rails: Storyline's `related --all` beside the peers.

Each scoring subcommand reads rails (JSON lines, one object per query, in
the shape of `storyline related --all --json`) plus the ground truth,
prints its section of the related table on stdout and writes the figures
as JSON (--out).  `table` prints the closing table from those JSON files.

    related_eval.py queries --articles REUTERS.jsonl --out QUERIES.txt
    related_eval.py reuters --articles REUTERS.jsonl [--storyline RAILS.jsonl]
                            --peer NAME=RAILS.jsonl ... --out reuters.json
    related_eval.py bbc --articles BBC.jsonl [--storyline RAILS.jsonl]
                            --peer NAME=RAILS.jsonl ... --out bbc.json
        (reuters and bbc: [--stories STORYLINE.db] adds each peer under
        the rail's rule, one item per story: see below)
    related_eval.py sample --labels labels.tsv --rails RAILS.jsonl
                            [--articles sample.jsonl] --out sample.json
    related_eval.py speed --time TIME.txt [--time-cores TIME.txt --cores N] --rails RAILS.jsonl [--cpu N] --out speed.json
    related_eval.py table RESULT.json... [--txt OUT.txt] [--json OUT.json]

A rail line is {"id":QUERY,"related":[{"id":ID,...},...]}, best first.
The scorers read each item's "id"; the sample checks also read "story",
"same_story" and "why".  Extra fields are ignored.

* queries: the Reuters queries, the ModApte test documents (lewissplit
  TEST, topics_attr YES) with at least one topic, one id a line.
* reuters: relevant = shares at least one topic with the query; bbc:
  relevant = same category (the id is bbc-CATEGORY-NNN), every article a
  query.  Figures per system, over the top 10: precision@10 (relevant
  found / 10: a short rail's missing places count as not relevant),
  precision over the items shown, nDCG@10 (binary gain, ideal DCG from
  the relevant documents in the collection, at most 10), redundancy@10
  (the share of item pairs in a rail whose title + body are near copies:
  word 5-shingle Jaccard >= 0.8), mean rail length and the share of empty
  rails.  With --stories (Storyline's database, after its ingest), each
  peer is scored a second time under the rail's own rule: its rail read
  down, beyond the top 10 (the peers list 40), keeping the first item of
  each Storyline story and leaving out the query's copies, so that the
  cost of showing each story once is seen apart from the ranking.  These
  columns ("NAME 1/story") are shown only, not targets.
* sample: the checks (i)-(iv) of bench/README.md on the labelled sample.
* speed: `related --all` wall time (GNU time "%e %M") on one core and on
  every core of the machine (a thread each), the latter against <= 10 s.

Missing a target is reported (MISS), not an error: the exit status is 0
unless an input is missing or malformed.  See bench/README.md.
"""

import argparse
import json
import math
import os
import re
import sqlite3
import sys

from eval_common import (fail, fmt, full_text, ratio, read_jsonl_articles,
                         words, write_result)

PROG = "related_eval"

K = 10                          # rail places scored
NEAR_COPY_JACCARD = 0.8         # word 5-shingle Jaccard of near copies
SHINGLE_WORDS = 5
SPEED_TARGET_S = 10.0           # related --all on Reuters
REDUNDANCY_FACTOR = 1 / 3       # Storyline's redundancy <= this x each peer's
LIST_LIMIT = 25                 # items listed on stdout; JSON has them all


def warn(msg):
    print("%s: warning: %s" % (PROG, msg), file=sys.stderr)


# ---------------------------------------------------------------- reading --

def parse_rails(lines, name="rails"):
    """Rail lines -> ({query id: [item dict, ...]}, warnings).

    Every non-blank line must be a JSON object with an "id" and a "related"
    list of objects that each have an "id"; anything else fails.  A query
    listed twice keeps its first rail, with a warning."""
    rails, warnings = {}, []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as e:
            fail("%s:%d: not JSON (%s); expected one object per line as "
                 "`storyline related --all --json` prints" % (name, n, e))
        if not isinstance(obj, dict) or "id" not in obj:
            fail('%s:%d: not an object with an "id"' % (name, n))
        related = obj.get("related")
        if not isinstance(related, list):
            fail('%s:%d: no "related" list' % (name, n))
        items = []
        for j, it in enumerate(related):
            if not isinstance(it, dict) or "id" not in it:
                fail('%s:%d: related item #%d has no "id"' % (name, n, j))
            it = dict(it)
            it["id"] = str(it["id"])
            items.append(it)
        qid = str(obj["id"])
        if qid in rails:
            warnings.append("%s: query %s has more than one line; the first counts" % (name, qid))
            continue
        rails[qid] = items
    return rails, warnings


def read_rails(path):
    try:
        with open(path, encoding="utf-8") as f:
            return parse_rails(f, path)
    except OSError as e:
        fail("cannot read %s: %s" % (path, e))


def read_labels(path):
    """labels.tsv -> [(id, event, copy_of or None)].

    An article whose event is "-" or empty is an event of its own."""
    out = []
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        fail("cannot read %s: %s" % (path, e))
    with f:
        header = f.readline().rstrip("\n").split("\t")
        if header[:3] != ["id", "event", "copy_of"]:
            fail("%s: header is not id<TAB>event<TAB>copy_of" % path)
        for n, line in enumerate(f, 2):
            if not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 3:
                fail("%s:%d: fewer than 3 columns" % (path, n))
            aid, event, copy_of = cols[:3]
            if event in ("", "-"):
                event = "own:" + aid
            out.append((aid, event, None if copy_of in ("", "-") else copy_of))
    return out


# ---------------------------------------------------------- the measures --

def shingles(text, k=SHINGLE_WORDS):
    """Word k-shingles; a text of fewer than k words is one shingle."""
    w = words(text)
    if len(w) < k:
        return frozenset([" ".join(w)])
    return frozenset(" ".join(w[i:i + k]) for i in range(len(w) - k + 1))


def jaccard(sa, sb):
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def near_copies(sa, sb, threshold=NEAR_COPY_JACCARD):
    """Jaccard(sa, sb) >= threshold, skipping sets of too different size."""
    small, big = sorted((len(sa), len(sb)))
    if big and small / big < threshold:
        return False            # Jaccard <= small/big
    return jaccard(sa, sb) >= threshold


def precision_at_k(rel, k=K):
    """Relevant among the first k places / k; missing places count as not relevant."""
    return sum(rel[:k]) / k


def precision_shown(rel, k=K):
    """Relevant / items shown in the first k places; None for an empty rail."""
    shown = rel[:k]
    return sum(shown) / len(shown) if shown else None


def ndcg_at_k(rel, n_relevant, k=K):
    """nDCG@k with binary gains; the ideal ranking puts min(n_relevant, k)
    relevant items first.  None when nothing in the collection is relevant."""
    ideal = min(n_relevant, k)
    if ideal <= 0:
        return None
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(rel[:k]))
    idcg = sum(1 / math.log2(i + 2) for i in range(ideal))
    return dcg / idcg


def redundancy(shingle_sets):
    """(near-copy pairs, pairs) among the given items' shingle sets."""
    n = len(shingle_sets)
    near = 0
    for i in range(n):
        for j in range(i + 1, n):
            near += near_copies(shingle_sets[i], shingle_sets[j])
    return near, n * (n - 1) // 2


def mean(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else None


# ----------------------------------------------------- relevance scoring --

class Collection:
    """Articles with label sets: relevant = the label sets intersect."""

    def __init__(self, articles, labels_of):
        self.articles = articles
        self.labels_of = labels_of          # id -> frozenset of labels
        self.by_label = {}
        for aid, labels in labels_of.items():
            for lab in labels:
                self.by_label.setdefault(lab, set()).add(aid)
        self._shingles = {}
        self._n_rel = {}

    def relevant(self, query, doc):
        if doc == query or doc not in self.labels_of:
            return False
        return not self.labels_of[query].isdisjoint(self.labels_of[doc])

    def n_relevant(self, query):
        """Documents in the collection, other than the query, that are relevant."""
        if query not in self._n_rel:
            labels = self.labels_of[query]
            if len(labels) == 1:
                n = len(self.by_label[next(iter(labels))])
            else:
                n = len(set().union(*(self.by_label[lab] for lab in labels)))
            self._n_rel[query] = n - 1
        return self._n_rel[query]

    def shingles(self, aid):
        s = self._shingles.get(aid)
        if s is None:
            s = self._shingles[aid] = shingles(full_text(self.articles[aid]))
        return s


def score_system(coll, queries, rails, k=K):
    """The figures of one system's rails over the queries.

    A query without a rail line is scored as an empty rail and counted in
    "missing".  Over the first k items: a repeated id or the query itself
    counts as not relevant; unknown ids count as not relevant and are left
    out of the redundancy."""
    p10, pshown, ndcg, red, lengths = [], [], [], [], []
    near_pairs = all_pairs = 0
    missing, no_relevant, self_listed, unknown, repeated, two_of_story = 0, 0, 0, 0, 0, 0
    empty = []
    for q in queries:
        items = rails.get(q)
        if items is None:
            missing += 1
            items = []
        top = items[:k]
        ids = [it["id"] for it in top]
        rel, seen = [], set()
        for d in ids:
            if d in seen:
                repeated += 1
                rel.append(0)
                continue
            seen.add(d)
            if d not in coll.labels_of:
                unknown += 1
            rel.append(1 if coll.relevant(q, d) else 0)
        self_listed += q in seen
        stories = [it["story"] for it in top if it.get("story") is not None]
        two_of_story += len(stories) != len(set(map(json.dumps, stories)))
        lengths.append(len(ids))
        if not ids:
            empty.append(q)
        n_rel = coll.n_relevant(q)
        if n_rel == 0:
            no_relevant += 1
            continue                    # as trec_eval: no relevant, not scored
        p10.append(precision_at_k(rel, k))
        pshown.append(precision_shown(rel, k))
        ndcg.append(ndcg_at_k(rel, n_rel, k))
        sets = [coll.shingles(d) for d in seen if d in coll.articles]
        if len(sets) >= 2:
            near, pairs = redundancy(sets)
            red.append(near / pairs)
            near_pairs += near
            all_pairs += pairs
    return {
        "queries": len(queries), "scored": len(p10), "no_relevant": no_relevant,
        "precision_at_10": mean(p10),
        "precision_shown": mean(pshown),
        "ndcg_at_10": mean(ndcg),
        "redundancy_at_10": mean(red),
        "redundancy_rails": len(red),
        "redundancy_pairs": [near_pairs, all_pairs],
        "mean_rail_length": mean(lengths),
        "empty_share": ratio(len(empty), len(queries)),
        "empty_rails": len(empty),
        "empty_examples": empty[:200],
        "missing_rails": missing, "self_listed": self_listed,
        "unknown_ids": unknown, "repeated_ids": repeated,
        "rails_with_two_items_of_one_story": two_of_story,
    }


def status(ok):
    """PASS/MISS; n/a when the figure could not be had (Storyline not run)."""
    if ok is None:
        return "n/a"
    return "PASS" if ok else "MISS"


def read_stories(path):
    """id -> (story, original) from a Storyline database's placements."""
    if not os.path.exists(path):
        fail("%s: no such database" % path)
    try:
        con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
        rows = con.execute("SELECT id, story, coalesce(copy_of, id) FROM placements")
        places = {aid: (story, root) for aid, story, root in rows}
        con.close()
    except sqlite3.Error as e:
        fail("%s: cannot read its placements: %s" % (path, e))
    return places


def one_per_story(rails, places, k=K):
    """Each rail read down to k items: the first of each story, never
    the query's copies (or original)."""
    out = {}
    for q, items in rails.items():
        own = places.get(q, (None, q))[1]
        kept, stories = [], set()
        for it in items:
            story, root = places.get(it["id"], (None, it["id"]))
            if root == own or (story is not None and story in stories):
                continue
            stories.add(story)
            kept.append(it)
            if len(kept) == k:
                break
        out[q] = kept
    return out


def relevance_section(section, title, coll, queries, storyline, peers, targets,
                      places=None):
    """Score Storyline (may be None: not run) and the peers; build the rows.
    With places (read_stories), each peer again, one item per story.

    targets: a subset of {"precision", "redundancy"}."""
    systems = [("Storyline", storyline)] + list(peers)
    if places is not None:
        systems += [(name + " 1/story", one_per_story(rails, places))
                    for name, rails in peers]
    figures = {}
    for name, rails in systems:
        figures[name] = score_system(coll, queries, rails) if rails is not None else None
    names = [n for n, _ in systems]

    def row(label, key, digits=3, target="", ok=None):
        vals = [fmt(figures[n][key], digits) if figures[n] else "not run" for n in names]
        return [label, " | ".join(vals), target, status(ok) if target else ""]

    sl = figures["Storyline"]
    peer_figs = [figures[n] for n, _ in peers]
    ok_p = ok_r = None
    if sl is not None and sl["precision_at_10"] is not None and peer_figs:
        ok_p = all(sl["precision_at_10"] > (p["precision_at_10"] or 0) for p in peer_figs)
        if sl["redundancy_at_10"] is not None or sl["redundancy_rails"] == 0:
            mine = sl["redundancy_at_10"] or 0.0
            ok_r = all(mine <= (p["redundancy_at_10"] or 0.0) * REDUNDANCY_FACTOR
                       for p in peer_figs)
    rows = [["", " | ".join(names), "", ""]]
    rows.append(row("precision@10 (missing places not relevant)", "precision_at_10",
                    target="> both peers" if "precision" in targets else "", ok=ok_p))
    rows.append(row("precision over the items shown", "precision_shown"))
    rows.append(row("nDCG@10 (binary gain)", "ndcg_at_10"))
    rows.append(row("redundancy@10 (pairs of near copies, J5 >= %.1f)" % NEAR_COPY_JACCARD,
                    "redundancy_at_10", digits=4,
                    target="<= 1/3 of peers'" if "redundancy" in targets else "", ok=ok_r))
    rows.append(row("mean rail length (top %d)" % K, "mean_rail_length", digits=2))
    rows.append(row("share of queries with an empty rail", "empty_share"))
    if any(f and f["no_relevant"] for f in figures.values()):
        rows.append(row("queries with nothing relevant (not scored)", "no_relevant"))
    if sl is not None:
        for key, label in (("missing_rails", "queries without a rail line"),
                           ("self_listed", "rails listing the query itself"),
                           ("unknown_ids", "items naming unknown ids"),
                           ("repeated_ids", "items repeating an id in one rail"),
                           ("rails_with_two_items_of_one_story",
                            "rails with two items of one story")):
            if sl[key]:
                rows.append(["Storyline: " + label, str(sl[key]), "0", "MISS"])
    return {"section": section, "title": title, "rows": rows, "metrics": figures}


def parse_peer_args(specs):
    peers = []
    for spec in specs or []:
        name, sep, path = spec.partition("=")
        if not sep or not name or not path:
            fail("--peer wants NAME=RAILS.jsonl, not %r" % spec)
        rails, warnings = read_rails(path)
        for w in warnings[:LIST_LIMIT]:
            warn(w)
        peers.append((name, rails))
    return peers


def read_storyline(path):
    if not path:
        return None
    rails, warnings = read_rails(path)
    for w in warnings[:LIST_LIMIT]:
        warn(w)
    return rails


def reuters_queries(articles):
    """ModApte test documents with at least one topic, in file order."""
    return [aid for aid, a in articles.items()
            if a.get("lewissplit") == "TEST" and a.get("topics_attr") == "YES"
            and a.get("topics")]


def reuters_collection(articles):
    for aid, a in articles.items():
        if not isinstance(a.get("topics"), list):
            fail("article %s has no topics list; convert Reuters with bench/reuters2jsonl.py" % aid)
    return Collection(articles, {aid: frozenset(a["topics"]) for aid, a in articles.items()})


BBC_ID = re.compile(r"^bbc-([a-z]+)-\d+$")


def bbc_collection(articles):
    labels = {}
    for aid in articles:
        m = BBC_ID.match(aid)
        if not m:
            fail("id %s is not bbc-CATEGORY-NNN; convert BBC with bench/bbc2jsonl.py" % aid)
        labels[aid] = frozenset([m.group(1)])
    return Collection(articles, labels)


def print_section(result):
    for line in render_section(result):
        print(line)
    sys.stdout.flush()


def render_section(result):
    lines = [result["title"]]
    for label, value, target, st in result["rows"]:
        lines.append(("  %-50s %-25s %-17s %s" % (label, value, target, st)).rstrip())
    return lines


def print_empty(result):
    sl = result["metrics"].get("Storyline")
    if sl and sl["empty_rails"]:
        ex = sl["empty_examples"][:LIST_LIMIT]
        print("  Storyline's empty rails (%d), e.g.: %s" % (sl["empty_rails"], " ".join(ex)))


def cmd_queries(args):
    articles = read_jsonl_articles(args.articles)
    queries = reuters_queries(articles)
    if not queries:
        fail("%s has no ModApte test document with a topic" % args.articles)
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("".join(q + "\n" for q in queries))
    os.replace(tmp, args.out)


def cmd_reuters(args):
    articles = read_jsonl_articles(args.articles)
    coll = reuters_collection(articles)
    queries = reuters_queries(articles)
    if not queries:
        fail("%s has no ModApte test document with a topic" % args.articles)
    result = relevance_section(
        "reuters",
        "a. Reuters-21578: %d ModApte test queries with a topic, %d candidates; "
        "relevant = shares a topic" % (len(queries), len(articles)),
        coll, queries, read_storyline(args.storyline), parse_peer_args(args.peer),
        {"precision", "redundancy"}, read_stories(args.stories) if args.stories else None)
    print_section(result)
    print_empty(result)
    write_result(args.out, result)


def cmd_bbc(args):
    articles = read_jsonl_articles(args.articles)
    coll = bbc_collection(articles)
    queries = list(articles)
    result = relevance_section(
        "bbc",
        "b. BBC News: every one of %d articles a query; relevant = same category (%d)"
        % (len(articles), len(coll.by_label)),
        coll, queries, read_storyline(args.storyline), parse_peer_args(args.peer),
        {"precision"}, read_stories(args.stories) if args.stories else None)
    print_section(result)
    print_empty(result)
    write_result(args.out, result)


# ------------------------------------------------------ c. sample checks --

def check_sample(labels, rails, k=K):
    """The rail checks on the labelled sample.

    labels: [(id, event, copy_of or None)]; rails: {id: [item, ...]}.
    Returns a dict of violation lists (i) order, (ii) one per story/copy
    family, (iii) self and copies, the standalone report (iv), and the
    contract problems (missing rails, unknown ids, items without a story)."""
    event = {a: e for a, e, _ in labels}
    family = {a: (c or a) for a, _, c in labels}
    members = {}
    for a, e, _ in labels:
        members.setdefault(e, []).append(a)
    multi = {e for e, m in members.items() if len(m) > 1}

    v_order, v_unique, v_self = [], [], []
    standalone = []
    missing, unknown, no_story = [], [], []
    lengths = []
    for a, e, _ in labels:
        items = rails.get(a)
        if items is None:
            missing.append(a)
            items = []
        lengths.append(len(items))
        ids = [it["id"] for it in items]
        unknown += [(a, d) for d in ids if d not in event]

        # (iii) the article itself and its copy family never appear.
        for rank, d in enumerate(ids, 1):
            if d == a:
                v_self.append({"article": a, "item": d, "rank": rank, "why": "the article itself"})
            elif d in family and family[d] == family[a]:
                v_self.append({"article": a, "item": d, "rank": rank,
                               "why": "a copy of the same text (copy family %s)" % family[a]})

        # (ii) one item per story, per copy family, and one same_story item.
        seen_story, seen_family = {}, {}
        n_same = 0
        for rank, it in enumerate(items, 1):
            d = it["id"]
            st = it.get("story")
            if st is None:
                no_story.append((a, d))
            else:
                key = json.dumps(st)
                if key in seen_story:
                    v_unique.append({"article": a, "item": d, "rank": rank,
                                     "why": "story %s already at rank %d (%s)"
                                            % (st, seen_story[key][0], seen_story[key][1])})
                else:
                    seen_story[key] = (rank, d)
            if d in family:
                f = family[d]
                if f in seen_family:
                    v_unique.append({"article": a, "item": d, "rank": rank,
                                     "why": "a copy of %s at rank %d (copy family %s)"
                                            % (seen_family[f][1], seen_family[f][0], f)})
                else:
                    seen_family[f] = (rank, d)
            n_same += it.get("same_story") is True
        if n_same > 1:
            v_unique.append({"article": a, "item": None, "rank": None,
                             "why": "%d items marked same_story" % n_same})

        # (i) same event first; no other multi-article event before the
        # last same-event item of the top k.
        if e in multi:
            others = [m for m in members[e] if family[m] != family[a]]
            if others:
                top = ids[:k]
                if not top:
                    v_order.append({"article": a, "event": e, "why": "empty rail, though the "
                                    "event has %d other articles" % len(others)})
                else:
                    why = []
                    if event.get(top[0]) != e:
                        why.append("rank 1 is %s (%s)" % (top[0], event.get(top[0], "unknown id")))
                    same = [r for r, d in enumerate(top) if event.get(d) == e]
                    if same:
                        last = same[-1]
                        for r in range(last):
                            d = top[r]
                            if r == 0 and why:
                                continue
                            if event.get(d) != e and event.get(d) in multi:
                                why.append("rank %d is %s (%s) before %s at rank %d"
                                           % (r + 1, d, event[d], top[last], last + 1))
                    if why:
                        v_order.append({"article": a, "event": e, "why": "; ".join(why),
                                        "rail": top})
        else:
            # (iv) what a standalone article is shown.
            entry = {"article": a, "event": e, "items": len(ids), "from_multi": 0,
                     "from_multi_without_why": 0, "list": []}
            for it in items:
                d = it["id"]
                em = event.get(d)
                has_why = bool(it.get("why"))
                if em in multi:
                    entry["from_multi"] += 1
                    entry["from_multi_without_why"] += not has_why
                entry["list"].append({"id": d, "event": em, "why": it.get("why") or []})
            standalone.append(entry)
    return {"order": v_order, "unique": v_unique, "self": v_self,
            "standalone": standalone, "missing": missing, "unknown": unknown,
            "no_story": no_story, "mean_length": mean(lengths),
            "articles": len(labels), "multi_events": len(multi),
            "events": len(members)}


def score_sample(labels, rails):
    c = check_sample(labels, rails)
    st = c["standalone"]
    n_items = sum(s["items"] for s in st)
    n_multi = sum(s["from_multi"] for s in st)
    n_nowhy = sum(s["from_multi_without_why"] for s in st)

    def art_count(vs):
        return len({v["article"] for v in vs})

    rows = [
        ["(i) articles whose rail puts another event first",
         "%d (%d articles)" % (len(c["order"]), art_count(c["order"])), "0",
         status(not c["order"])],
        ["(ii) two items of one story or copy family",
         "%d (%d articles)" % (len(c["unique"]), art_count(c["unique"])), "0",
         status(not c["unique"])],
        ["(iii) the article itself or its copies listed",
         "%d (%d articles)" % (len(c["self"]), art_count(c["self"])), "0",
         status(not c["self"])],
        ["(iv) items shown to %d standalone articles" % len(st), str(n_items), "", ""],
        ["  of them from multi-article events", str(n_multi), "", ""],
        ["  of them with an empty why", str(n_nowhy), "", ""],
        ["mean rail length (limit 20)", fmt(c["mean_length"], 2), "", ""],
    ]
    if c["missing"]:
        rows.append(["articles without a rail line", str(len(c["missing"])), "0", "MISS"])
    if c["unknown"]:
        rows.append(["items naming unknown ids", str(len(c["unknown"])), "0", "MISS"])
    if c["no_story"]:
        rows.append(['items without a "story" field', str(len(c["no_story"])), "0", "MISS"])
    return {
        "section": "sample",
        "title": "c. Sample corpus: %d articles, %d events (%d with several articles)"
                 % (c["articles"], c["events"], c["multi_events"]),
        "rows": rows,
        "metrics": {"articles": c["articles"], "violations_order": len(c["order"]),
                    "violations_unique": len(c["unique"]),
                    "violations_self": len(c["self"]),
                    "standalone_articles": len(st), "standalone_items": n_items,
                    "standalone_items_from_multi": n_multi,
                    "standalone_items_from_multi_without_why": n_nowhy,
                    "mean_rail_length": c["mean_length"],
                    "missing_rails": len(c["missing"]), "unknown_ids": len(c["unknown"]),
                    "items_without_story": len(c["no_story"])},
        "violations": {"order": c["order"], "unique": c["unique"], "self": c["self"]},
        "standalone": st,
        "missing_rails": c["missing"], "unknown_ids": c["unknown"],
        "items_without_story": c["no_story"],
    }


def cmd_sample(args):
    labels = read_labels(args.labels)
    rails, warnings = read_rails(args.rails)
    for w in warnings[:LIST_LIMIT]:
        warn(w)
    titles = {}
    if args.articles:
        titles = {a: (r.get("title") or "") for a, r in read_jsonl_articles(args.articles).items()}
    result = score_sample(labels, rails)
    print_section(result)

    def t(aid):
        return " %r" % titles[aid][:60] if aid in titles else ""

    for key, head in (("order", "(i) order"), ("unique", "(ii) one per story/copy family"),
                      ("self", "(iii) self or copies")):
        vs = result["violations"][key]
        if vs:
            print("  %s violations:" % head)
            for v in vs[:LIST_LIMIT]:
                item = " item %s%s at rank %s:" % (v["item"], t(v["item"]), v["rank"]) \
                    if v.get("item") else ""
                print("    %s%s:%s %s" % (v["article"], t(v["article"]), item, v["why"]))
            if len(vs) > LIST_LIMIT:
                print("    ... %d more in %s" % (len(vs) - LIST_LIMIT, args.out))
    shown = [s for s in result["standalone"] if s["items"]]
    if shown:
        print("  (iv) what standalone articles are shown (id: event, * = empty why):")
        for s in shown:
            print("    %s%s: %s" % (s["article"], t(s["article"]), ", ".join(
                "%s %s%s" % (x["id"], x["event"] or "?", "" if x["why"] else "*")
                for x in s["list"])))
    for a, d in result["unknown_ids"][:LIST_LIMIT]:
        print("  rail of %s names unknown id %s" % (a, d))
    write_result(args.out, result)


# --------------------------------------------------------------- d. speed --

def parse_time_file(path):
    """GNU time -f '%e %M' output -> (wall seconds, peak RSS KB); the last
    line that parses counts (time adds a 'Command exited ...' line)."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as e:
        fail("cannot read %s: %s" % (path, e))
    for line in reversed(lines):
        parts = line.split()
        if len(parts) == 2:
            try:
                return float(parts[0]), int(parts[1])
            except ValueError:
                pass
    fail("%s: no '%%e %%M' line from GNU time" % path)


def cmd_speed(args):
    """One core (pinned) and, with --time-cores, every core of the machine,
    a thread each: the target is on the whole machine's run when there is
    one (the issue sets no core count for `related --all`; the rail's own
    latency target, per article on one core, is the C side's)."""
    wall, rss = parse_time_file(args.time)
    with open(args.rails, encoding="utf-8") as f:
        n = sum(1 for line in f if line.strip())
    per_s = n / wall if wall > 0 else None
    where = " (taskset -c %s)" % args.cpu if args.cpu is not None else ""
    cores = parse_time_file(args.time_cores) if args.time_cores else None
    judged = cores[0] if cores else wall
    rows = [
        ["related --all, wall seconds, one core%s" % where, fmt(wall, 2),
         "" if cores else "<= %g s" % SPEED_TARGET_S,
         "" if cores else status(wall <= SPEED_TARGET_S)],
        ["  articles/s (%d rails)" % n, fmt(per_s, 0) if per_s else "-", "", ""],
        ["  peak RSS MB", fmt(rss / 1024, 1), "", ""],
    ]
    if cores:
        rows += [
            ["related --all, wall seconds, %s cores" % args.cores, fmt(cores[0], 2),
             "<= %g s" % SPEED_TARGET_S, status(cores[0] <= SPEED_TARGET_S)],
            ["  peak RSS MB", fmt(cores[1] / 1024, 1), "", ""],
        ]
    rows.append(["related ID at 1M articles", "measured by the C side", "", ""])
    result = {"section": "speed", "title": "d. Speed: related --all on Reuters-21578 (default window)",
              "rows": rows,
              "metrics": {"wall_seconds": wall, "peak_rss_kb": rss, "rails": n,
                          "articles_per_s": per_s, "cpu": args.cpu,
                          "cores": int(args.cores) if cores else None,
                          "cores_wall_seconds": cores[0] if cores else None,
                          "cores_peak_rss_kb": cores[1] if cores else None,
                          "judged_seconds": judged}}
    print_section(result)
    write_result(args.out, result)


# ------------------------------------------------------------- table --

def cmd_table(args):
    results = []
    for path in args.results:
        with open(path, encoding="utf-8") as f:
            results.append(json.load(f))
    lines = ["Storyline related stories (bench/related.sh)",
             ("  %-50s %-25s %-17s %s" % ("", "value", "target", "result")).rstrip()]
    for res in results:
        lines += render_section(res)
    statuses = [row[3] for res in results for row in res["rows"] if row[3]]
    tail = "targets: %d PASS, %d MISS" % (statuses.count("PASS"), statuses.count("MISS"))
    if statuses.count("n/a"):
        tail += ", %d not checked (Storyline not run)" % statuses.count("n/a")
    lines.append(tail)
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.txt:
        with open(args.txt, "w", encoding="utf-8") as f:
            f.write(text)
    if args.json:
        write_result(args.json, {"sections": results})


def main():
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)

    p = sub.add_parser("queries", help="the Reuters ModApte test queries, one id a line")
    p.add_argument("--articles", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_queries)

    for name, func, helptext in (("reuters", cmd_reuters, "topic relevance on Reuters-21578"),
                                 ("bbc", cmd_bbc, "category relevance on BBC News")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--articles", required=True)
        p.add_argument("--storyline", help="`related --all --json` output (absent: not run)")
        p.add_argument("--peer", action="append", metavar="NAME=RAILS.jsonl")
        p.add_argument("--stories", metavar="STORYLINE.db",
                       help="also score each peer one item per Storyline story")
        p.add_argument("--out", required=True)
        p.set_defaults(func=func)

    p = sub.add_parser("sample", help="rail checks on the labelled sample corpus")
    p.add_argument("--labels", required=True)
    p.add_argument("--rails", required=True)
    p.add_argument("--articles", help="sample.jsonl, for titles in the listings")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_sample)

    p = sub.add_parser("speed", help="wall time of related --all")
    p.add_argument("--time", required=True, help="GNU time -f '%%e %%M' output")
    p.add_argument("--rails", required=True)
    p.add_argument("--cpu")
    p.add_argument("--time-cores", help="the same on every core, a thread each")
    p.add_argument("--cores", default="all")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_speed)

    p = sub.add_parser("table", help="the closing table from the sections' JSON")
    p.add_argument("results", nargs="+")
    p.add_argument("--txt")
    p.add_argument("--json")
    p.set_defaults(func=cmd_table)

    args = ap.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
