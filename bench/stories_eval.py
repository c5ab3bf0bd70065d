#!/usr/bin/python3
"""Score Storyline's stories, copy links and similarity against ground truth.

Each subcommand reads what `build/storyline` printed plus the ground truth,
prints its section of the stories table on stdout and writes the figures as
JSON (--out).  `table` prints the closing table from those JSON files.

    stories_eval.py bbc --articles BBC.jsonl --groups GROUPS.json
                        --stories STORIES.json --out bbc.json
    stories_eval.py syndication --articles SYND.jsonl --truth TRUTH.json
                        --groups GROUPS.json --stories STORIES.json --out syndication.json
    stories_eval.py semeval --articles SEMEVAL.jsonl --gold GOLD.tsv
                        [--pred SIMILARITY.jsonl] --out semeval.json
    stories_eval.py events --labels labels.tsv --stories STORIES.json --out events.json
    stories_eval.py topics --articles REUTERS.jsonl --stories STORIES.json --out topics.json
    stories_eval.py table RESULT.json... [--txt OUT.txt] [--json OUT.json]

STORIES.json is the output of `storyline stories --all --json`:
    {"stories":[{"id":N,"title":...,"articles":[ID,...],
                 "copies":{ORIGINAL:[COPY,...]},...},...]}
SIMILARITY.jsonl is the output of `storyline similarity --pairs FILE --json`:
one {"a":ID,"b":ID,"score":S,"same_story":B,"why":[...]} per line.
Without --pred, `semeval` scores only the TF-IDF baseline.

Missing a target is reported (MISS), not an error: the exit status is 0
unless an input is missing or malformed.  See bench/README.md.
"""

import argparse
import csv
import json
import math
import sys

from eval_common import (fail, fmt, full_text, ratio, read_jsonl_articles,
                         words, write_result)

PROG = "stories_eval"

# Thresholds used in more than one place.
NEAR_IDENTICAL_JACCARD = 0.9    # word-set Jaccard of "near-identical" texts
NEAR_COPY_CONTAINMENT = 0.8     # 5-word-shingle containment of near copies
SHINGLE_WORDS = 5
LIST_LIMIT = 25                 # items listed on stdout; JSON has them all


# ---------------------------------------------------------------- reading --

class Stories:
    """The parsed output of `storyline stories --all --json`.

    stories: [{"id", "title", "articles": [...], "copies": {...}}]
    story_of: article id -> id of the first story that lists it
    links: [(copy, original, story id)], one per copy listed
    warnings: contract violations found while reading (the scores still
    use what could be read)
    """

    def __init__(self, path):
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
        except ValueError as e:
            fail("%s: not one JSON object (%s); expected the output of "
                 "`storyline stories --all --json`" % (path, e))
        if not isinstance(doc, dict) or not isinstance(doc.get("stories"), list):
            fail('%s: no "stories" list at the top level' % path)
        self.stories, self.story_of, self.links, self.warnings = [], {}, [], []
        in_two = set()
        copy_seen = {}
        for i, st in enumerate(doc["stories"]):
            if not isinstance(st, dict) or not isinstance(st.get("articles"), list):
                fail('%s: story #%d has no "articles" list' % (path, i))
            sid = st.get("id", "#%d" % i)
            members = [str(a) for a in st["articles"]]
            copies = st.get("copies") or {}
            if not isinstance(copies, dict):
                fail('%s: story %s: "copies" is not an object' % (path, sid))
            for aid in members:
                if aid in self.story_of:
                    in_two.add(aid)
                else:
                    self.story_of[aid] = sid
            member_set = set(members)
            for orig, copy_list in copies.items():
                if not isinstance(copy_list, list):
                    fail('%s: story %s: copies of %s is not a list' % (path, sid, orig))
                for c in map(str, copy_list):
                    if c == orig:
                        self.warnings.append("story %s: %s is listed as a copy of itself" % (sid, c))
                        continue
                    if c in copy_seen:
                        self.warnings.append("%s is a copy of both %s and %s" % (c, copy_seen[c], orig))
                    copy_seen[c] = orig
                    if c not in member_set or orig not in member_set:
                        self.warnings.append("story %s: copy link %s -> %s names an article "
                                             "not in its \"articles\"" % (sid, c, orig))
                    self.links.append((c, orig, sid))
            self.stories.append({"id": sid, "title": st.get("title", ""),
                                 "articles": members, "copies": copies})
        if in_two:
            self.warnings.append("%d articles are in more than one story (e.g. %s); "
                                 "the first story counts" % (len(in_two), sorted(in_two)[0]))


def warn_all(warnings):
    for w in warnings[:LIST_LIMIT]:
        print("%s: warning: %s" % (PROG, w), file=sys.stderr)
    if len(warnings) > LIST_LIMIT:
        print("%s: warning: ... %d more" % (PROG, len(warnings) - LIST_LIMIT), file=sys.stderr)


# ------------------------------------------------------- text measures --

def word_jaccard(a, b):
    sa, sb = set(words(a)), set(words(b))
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


def shingles(text, k=SHINGLE_WORDS):
    w = words(text)
    if len(w) < k:
        return {" ".join(w)}
    return {" ".join(w[i:i + k]) for i in range(len(w) - k + 1)}


def containment(a, b):
    """Share of the smaller text's 5-word shingles found in the other.

    High when one text is a trimmed or lightly edited copy of the other,
    which a symmetric measure like Jaccard hides when lengths differ."""
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / min(len(sa), len(sb)) if sa and sb else 0.0


class UnionFind:
    def __init__(self):
        self.parent = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        self.parent[self.find(a)] = self.find(b)


# ----------------------------------------------------------- reporting --

def check(value, ok):
    """PASS/MISS for a figure with a target; MISS when it could not be had."""
    if value is None:
        return "MISS"
    return "PASS" if ok(value) else "MISS"


def print_section(result):
    """Print one section: its heading and rows, as in the closing table."""
    for line in render_section(result):
        print(line)
    sys.stdout.flush()


def render_section(result):
    lines = [result["title"]]
    for label, value, target, status in result["rows"]:
        lines.append(("  %-52s %-18s %-12s %s" % (label, value, target, status)).rstrip())
    return lines


# --------------------------------------------------------- a. BBC copies --

def score_bbc(articles, groups, stories):
    """Exact copies in the BBC corpus: found copies and false links."""
    group_of = {a: gi for gi, g in enumerate(groups) for a in g}
    expected = sum(len(g) - 1 for g in groups)

    # A group of k identical files holds k-1 copies.  Which file is "the"
    # original is arbitrary (no dates), so a link either way counts: the
    # copies found in a group are k minus the number of pieces the links
    # inside it leave it in (k-1 when all are linked together).
    uf = UnionFind()
    false_links, unknown = [], []
    for c, o, sid in stories.links:
        if c not in articles or o not in articles:
            unknown.append((c, o))
            continue
        if c in group_of and group_of.get(o) == group_of[c]:
            uf.union(c, o)
        else:
            a, b = full_text(articles[c]), full_text(articles[o])
            false_links.append({"copy": c, "original": o, "story": sid,
                                "word_jaccard": round(word_jaccard(a, b), 4),
                                "containment": round(containment(a, b), 4)})
    found = sum(len(g) - len({uf.find(a) for a in g}) for g in groups)
    missed = [g for g in groups if len({uf.find(a) for a in g}) > 1]
    false_links.sort(key=lambda x: (-x["word_jaccard"], x["copy"]))
    near = [x for x in false_links if x["word_jaccard"] >= NEAR_IDENTICAL_JACCARD]
    near_copy = [x for x in false_links if x["containment"] >= NEAR_COPY_CONTAINMENT]

    rows = [
        ["exact copies found (byte-identical files)", "%d/%d" % (found, expected),
         "all %d" % expected, check(found, lambda v: v == expected)],
        ["false copy links (not byte-identical)", str(len(false_links)), "", ""],
        ["  of them near-identical (word Jaccard >= %.1f)" % NEAR_IDENTICAL_JACCARD,
         str(len(near)), "", ""],
        ["  of them near copies (shingle containment >= %.1f)" % NEAR_COPY_CONTAINMENT,
         str(len(near_copy)), "", ""],
    ]
    if unknown:
        rows.append(["copy links naming unknown ids", str(len(unknown)), "0", "MISS"])
    return {
        "section": "bbc",
        "title": "a. Exact copies, BBC News (%d files, %d byte-identical copies)"
                 % (len(articles), expected),
        "rows": rows,
        "metrics": {"files": len(articles), "expected_copies": expected,
                    "found_copies": found, "copy_links": len(stories.links),
                    "false_links": len(false_links),
                    "false_links_near_identical": len(near),
                    "false_links_near_copy": len(near_copy),
                    "unknown_id_links": len(unknown)},
        "missed_groups": missed,
        "false_links": false_links,
        "warnings": stories.warnings,
    }


def cmd_bbc(args):
    articles = read_jsonl_articles(args.articles)
    with open(args.groups, encoding="utf-8") as f:
        groups = json.load(f)["groups"]
    stories = Stories(args.stories)
    warn_all(stories.warnings)
    result = score_bbc(articles, groups, stories)
    print_section(result)
    if result["missed_groups"]:
        print("  identical groups not linked (%d):" % len(result["missed_groups"]))
        for g in result["missed_groups"][:LIST_LIMIT]:
            print("    " + "  ".join(g))
    if result["false_links"]:
        print("  false copy links (copy -> original, word Jaccard, shingle containment):")
        for x in result["false_links"][:LIST_LIMIT]:
            print("    %s -> %s  J=%.3f  C=%.3f" % (x["copy"], x["original"],
                                                   x["word_jaccard"], x["containment"]))
        if len(result["false_links"]) > LIST_LIMIT:
            print("    ... %d more in %s" % (len(result["false_links"]) - LIST_LIMIT, args.out))
    write_result(args.out, result)


# ------------------------------------------------ b. syndication copies --

def edit_kinds(edits):
    """The body-edit kinds of a copy: ["truncate", "punctuation", ...]."""
    return sorted({e.split(":")[0] for e in edits if not e.startswith("headline:")})


def score_syndication(articles, truth, groups, stories):
    """Copy links against generated copy families.

    A family is a BBC original with its generated copies, merged with the
    BBC files byte-identical to it.  A link is correct when both ends are in
    one family.  A link between two families is set aside as ambiguous when
    the families' BBC texts are near copies of each other (5-word shingle
    containment >= 0.8): the BBC corpus itself holds such pairs (updated
    versions of one report), and linking them is not clearly wrong.  Every
    other link is wrong.
    """
    copies = truth["copies"]
    uf = UnionFind()
    for g in groups:
        for a in g[1:]:
            uf.union(a, g[0])
    for cid, info in copies.items():
        uf.union(cid, info["original"])
    bbc_members = {}
    for aid in articles:
        if aid not in copies:
            bbc_members.setdefault(uf.find(aid), []).append(aid)

    near_cache = {}

    def near_copy_families(x, y):
        key = tuple(sorted((uf.find(x), uf.find(y))))
        if key not in near_cache:
            best = 0.0
            for a in bbc_members.get(key[0], []):
                for b in bbc_members.get(key[1], []):
                    best = max(best, containment(articles[a]["body"], articles[b]["body"]))
            near_cache[key] = best
        return near_cache[key] >= NEAR_COPY_CONTAINMENT

    correct = ambiguous = 0
    wrong, unknown, backwards = [], [], []
    linked_to = {}  # generated copy -> original it was linked to
    for c, o, sid in stories.links:
        if c not in articles or o not in articles:
            unknown.append((c, o))
            continue
        if c in copies:
            linked_to[c] = o
        if o in copies and c not in copies and uf.find(c) == uf.find(o):
            backwards.append((c, o))  # a BBC original linked as a copy of its copy
        if uf.find(c) == uf.find(o):
            correct += 1
        elif near_copy_families(c, o):
            ambiguous += 1
        else:
            wrong.append({"copy": c, "original": o, "story": sid,
                          "copy_title": articles[c].get("title", ""),
                          "original_title": articles[o].get("title", ""),
                          "containment": round(containment(articles[c]["body"],
                                                           articles[o]["body"]), 4)})
    n_links = correct + ambiguous + len(wrong)
    precision = ratio(correct, correct + len(wrong))
    precision_strict = ratio(correct, n_links)

    # Recall over the generated copies: linked, as the copy, into its family.
    # A link to a BBC near copy of its original counts too (and is set aside
    # in precision): the corpus holds near-identical pairs such as
    # sport/181 and sport/182, and "the earliest article of that text" may
    # then rightly be the other file.
    recalled, recalled_near, to_true_original, missed = 0, 0, 0, []
    by_kind, by_count = {}, {}
    for cid, info in sorted(copies.items()):
        o = linked_to.get(cid)
        own = o is not None and uf.find(o) == uf.find(cid)
        near = o is not None and not own and near_copy_families(cid, o)
        hit = own or near
        recalled += hit
        recalled_near += near
        to_true_original += o == info["original"]
        if not hit:
            missed.append({"copy": cid, "original": info["original"],
                           "linked_to": o, "edits": info["edits"]})
        kinds = edit_kinds(info["edits"])
        for k in kinds:
            by_kind.setdefault(k, [0, 0])
            by_kind[k][0] += hit
            by_kind[k][1] += 1
        by_count.setdefault(str(len(kinds)), [0, 0])
        by_count[str(len(kinds))][0] += hit
        by_count[str(len(kinds))][1] += 1
    recall = ratio(recalled, len(copies))
    recall_strict = ratio(recalled - recalled_near, len(copies))

    rows = [
        ["copy recall (generated copies linked in family)",
         "%s (%d/%d)" % (fmt(recall), recalled, len(copies)), ">= 0.95",
         check(recall, lambda v: v >= 0.95)],
        ["copy precision (BBC near copies set aside)",
         "%s (%d/%d)" % (fmt(precision), correct, correct + len(wrong)), ">= 0.99",
         check(precision, lambda v: v >= 0.99)],
        ["  links to a BBC near copy (set aside)", str(ambiguous), "", ""],
        ["  recall, links to a near copy not counted", fmt(recall_strict), "", ""],
        ["  precision, links to a near copy counted wrong", fmt(precision_strict), "", ""],
        ["  copies linked to their exact original",
         "%d/%d" % (to_true_original, len(copies)), "", ""],
    ]
    if backwards:
        rows.append(["  originals linked as copies of their copy", str(len(backwards)), "", ""])
    if unknown:
        rows.append(["copy links naming unknown ids", str(len(unknown)), "0", "MISS"])
    return {
        "section": "syndication",
        "title": "b. Syndication copies (%d BBC originals, %d copies of %d, seed %s)"
                 % (len(articles) - len(copies), len(copies), len(truth["originals"]),
                    truth.get("seed")),
        "rows": rows,
        "metrics": {"copies": len(copies), "recalled": recalled, "recall": recall,
                    "recalled_via_near_copy": recalled_near, "recall_strict": recall_strict,
                    "linked_to_true_original": to_true_original,
                    "links": n_links, "correct": correct, "ambiguous": ambiguous,
                    "wrong": len(wrong), "precision": precision,
                    "precision_strict": precision_strict,
                    "backwards": len(backwards), "unknown_id_links": len(unknown)},
        "recall_by_edit": {k: {"recalled": v[0], "copies": v[1], "recall": ratio(*v)}
                           for k, v in sorted(by_kind.items())},
        "recall_by_number_of_edits": {k: {"recalled": v[0], "copies": v[1], "recall": ratio(*v)}
                                      for k, v in sorted(by_count.items())},
        "missed": missed,
        "wrong_links": wrong,
        "backwards_links": backwards,
        "warnings": stories.warnings,
    }


def cmd_syndication(args):
    articles = read_jsonl_articles(args.articles)
    with open(args.truth, encoding="utf-8") as f:
        truth = json.load(f)
    with open(args.groups, encoding="utf-8") as f:
        groups = json.load(f)["groups"]
    missing = [c for c in truth["copies"] if c not in articles]
    if missing:
        fail("%s lacks %d generated copies named in %s (e.g. %s)"
             % (args.articles, len(missing), args.truth, missing[0]))
    stories = Stories(args.stories)
    warn_all(stories.warnings)
    result = score_syndication(articles, truth, groups, stories)
    print_section(result)
    print("  recall by body edit: " + ", ".join(
        "%s %s (%d)" % (k, fmt(v["recall"], 2), v["copies"])
        for k, v in result["recall_by_edit"].items()))
    print("  recall by number of body edits: " + ", ".join(
        "%s: %s (%d)" % (k, fmt(v["recall"], 2), v["copies"])
        for k, v in result["recall_by_number_of_edits"].items()))
    if result["missed"]:
        print("  missed copies (copy <- original, linked to, edits):")
        for x in result["missed"][:LIST_LIMIT]:
            print("    %s <- %s  linked to %s  %s" % (x["copy"], x["original"],
                                                      x["linked_to"] or "nothing",
                                                      " ".join(x["edits"])))
        if len(result["missed"]) > LIST_LIMIT:
            print("    ... %d more in %s" % (len(result["missed"]) - LIST_LIMIT, args.out))
    if result["wrong_links"]:
        print("  wrong copy links (copy -> original, shingle containment):")
        for x in result["wrong_links"][:LIST_LIMIT]:
            print("    %s -> %s  C=%.3f  %r / %r" % (x["copy"], x["original"], x["containment"],
                                                   x["copy_title"][:40], x["original_title"][:40]))
        if len(result["wrong_links"]) > LIST_LIMIT:
            print("    ... %d more in %s" % (len(result["wrong_links"]) - LIST_LIMIT, args.out))
    write_result(args.out, result)


# ------------------------------------------------- c. SemEval same story --

def read_gold(path):
    """GOLD.tsv from semeval2jsonl.py -> list of dicts."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for rec in csv.DictReader(f, delimiter="\t"):
            rec["overall"] = float(rec["overall"])
            rows.append(rec)
    if not rows:
        fail("%s: no pairs" % path)
    return rows


def read_pair_predictions(path):
    """`similarity --pairs --json` output -> {(a, b): {"score", "same_story"}}."""
    pred = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError as e:
                fail("%s:%d: not JSON (%s); expected one object per pair from "
                     "`storyline similarity --pairs FILE --json`" % (path, n, e))
            if not isinstance(obj, dict) or "a" not in obj or "b" not in obj:
                fail('%s:%d: no "a"/"b" ids: %s' % (path, n, line.strip()[:200]))
            score, same = obj.get("score"), obj.get("same_story")
            if not isinstance(score, (int, float)) or not isinstance(same, bool):
                continue  # counted as missing; e.g. an error object for an unknown id
            pred[(str(obj["a"]), str(obj["b"]))] = {"score": float(score), "same_story": same}
    return pred


def pearson(x, y):
    from scipy.stats import pearsonr
    if len(x) < 3:
        return None
    r = pearsonr(x, y)[0]
    return None if math.isnan(r) else float(r)


def spearman(x, y):
    from scipy.stats import spearmanr
    if len(x) < 3:
        return None
    r = spearmanr(x, y)[0]
    return None if math.isnan(r) else float(r)


def best_threshold(scores, labels):
    """The threshold t maximising the accuracy of "same story iff score >= t".

    Candidates are the midpoints between consecutive distinct scores, plus
    one below and one above all of them.  Ties go to the lowest t."""
    import numpy as np
    s = np.unique(scores)
    cands = np.concatenate(([s[0] - 1.0], (s[:-1] + s[1:]) / 2, [s[-1] + 1.0]))
    acc = [np.mean((scores >= t) == labels) for t in cands]
    return float(cands[int(np.argmax(acc))])


def cv_accuracy(scores, labels, folds=5, seed=1):
    """Mean held-out accuracy of a threshold picked on the other folds."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold
    scores, labels = np.asarray(scores, float), np.asarray(labels, bool)
    # Each fold needs both classes; fewer folds for very small inputs.
    folds = min(folds, int(labels.sum()), int((~labels).sum()))
    if folds < 2:
        return None, [], []
    per_fold, thresholds = [], []
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(scores, labels):
        t = best_threshold(scores[train], labels[train])
        thresholds.append(t)
        per_fold.append(float(np.mean((scores[test] >= t) == labels[test])))
    return float(np.mean(per_fold)), per_fold, thresholds


def tfidf_scores(articles, gold):
    """Cosine of the pair's texts under TF-IDF fitted on all texts."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    ids = sorted(articles)
    index = {a: i for i, a in enumerate(ids)}
    # The body is the whole text; the title only repeats its start.
    matrix = TfidfVectorizer().fit_transform([articles[a]["body"] for a in ids])
    a_rows = matrix[[index[g["a"]] for g in gold]]
    b_rows = matrix[[index[g["b"]] for g in gold]]
    # Rows are L2-normalised, so the row-wise dot product is the cosine.
    return np.asarray(a_rows.multiply(b_rows).sum(axis=1)).ravel()


def score_semeval(articles, gold, pred):
    import numpy as np
    missing_ids = sorted({g[k] for g in gold for k in ("a", "b")} - set(articles))
    if missing_ids:
        fail("the articles file lacks %d ids of the gold pairs (e.g. %s)"
             % (len(missing_ids), missing_ids[0]))
    overall = np.array([g["overall"] for g in gold])
    same = overall <= 2                  # gold: same story
    en = np.array([g["lang1"] == "en" and g["lang2"] == "en" for g in gold])
    cross = np.array([g["lang1"] != g["lang2"] for g in gold])
    target = -overall                    # higher = more similar

    base = tfidf_scores(articles, gold)
    base_cv, base_folds, base_thr = cv_accuracy(base, same)
    tfidf = {"pearson_en": pearson(base[en], target[en]), "pearson_all": pearson(base, target),
             "spearman_all": spearman(base, target),
             "pearson_same_lang": pearson(base[~cross], target[~cross]),
             "pearson_cross_lang": pearson(base[cross], target[cross]),
             "cv_accuracy": base_cv,
             "cv_fold_accuracy": base_folds, "cv_thresholds": base_thr,
             "cv_accuracy_en": cv_accuracy(base[en], same[en])[0]}

    story = None
    n_missing = None
    if pred is not None:
        have = []
        for i, g in enumerate(gold):
            p = pred.get((g["a"], g["b"])) or pred.get((g["b"], g["a"]))
            if p is not None:
                have.append((i, p["score"], p["same_story"]))
        n_missing = len(gold) - len(have)
        if have:
            idx = np.array([h[0] for h in have])
            sc = np.array([h[1] for h in have])
            flag = np.array([h[2] for h in have])
            en_h = en[idx]
            cv, folds, thr = cv_accuracy(sc, same[idx])
            story = {"pairs": len(have), "missing": n_missing,
                     "pearson_en": pearson(sc[en_h], target[idx][en_h]),
                     "pearson_all": pearson(sc, target[idx]),
                     "spearman_all": spearman(sc, target[idx]),
                     "pearson_same_lang": pearson(sc[~cross[idx]], target[idx][~cross[idx]]),
                     "pearson_cross_lang": pearson(sc[cross[idx]], target[idx][cross[idx]]),
                     "accuracy": float(np.mean(flag == same[idx])),
                     "accuracy_en": float(np.mean(flag[en_h] == same[idx][en_h])) if en_h.any() else None,
                     "cv_accuracy": cv, "cv_fold_accuracy": folds, "cv_thresholds": thr,
                     "same_story_rate": float(np.mean(flag))}

    majority = float(max(np.mean(same), 1 - np.mean(same)))
    s = story or {}
    rows = [
        ["", "Storyline | TF-IDF cosine", "", ""],
        ["Pearson(score, -Overall), en-en pairs",
         "%s | %s" % (fmt(s.get("pearson_en")), fmt(tfidf["pearson_en"])), "", ""],
        ["Pearson(score, -Overall), all pairs",
         "%s | %s" % (fmt(s.get("pearson_all")), fmt(tfidf["pearson_all"])), "", ""],
        ["same-story accuracy, Storyline's own threshold",
         "%s | %s" % (fmt(s.get("accuracy")), "-"), "", ""],
        ["same-story accuracy, 5-fold CV threshold",
         "%s | %s" % (fmt(s.get("cv_accuracy")), fmt(tfidf["cv_accuracy"])), "", ""],
        ["  always 'different story' (majority class)", fmt(majority), "", ""],
    ]
    if story is None:
        rows.insert(1, ["Storyline", "not run", "", ""])
    elif n_missing:
        rows.append(["pairs without a Storyline answer", str(n_missing), "0", "MISS"])
    return {
        "section": "semeval",
        "title": "c. Same story, SemEval-2022 Task 8 train (%d pairs, %d en-en; "
                 "Overall <= 2 = same)" % (len(gold), int(en.sum())),
        "rows": rows,
        "metrics": {"pairs": len(gold), "pairs_en": int(en.sum()),
                    "pairs_cross_lang": int(cross.sum()),
                    "same_story_share": float(np.mean(same)), "majority_accuracy": majority,
                    "storyline": story, "tfidf": tfidf},
    }


def cmd_semeval(args):
    articles = read_jsonl_articles(args.articles)
    gold = read_gold(args.gold)
    pred = read_pair_predictions(args.pred) if args.pred else None
    result = score_semeval(articles, gold, pred)
    print_section(result)
    write_result(args.out, result)


# --------------------------------------------------- d. sample events --

def read_labels(path):
    """labels.tsv -> [(id, event, copy_of or None)].

    An article whose event is "-" or empty belongs to no labelled event; it
    is scored as an event of its own, like the standalone-* items."""
    out = []
    with open(path, encoding="utf-8") as f:
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


def bcubed(gold, pred):
    """B-cubed precision, recall and F1 of clusterings {item: label}.

    For each item: precision is the share of its predicted cluster that
    shares its gold label, recall the share of its gold cluster that is in
    its predicted cluster; both are averaged over the items."""
    from collections import Counter
    pair = Counter((pred[i], gold[i]) for i in gold)
    psize = Counter(pred[i] for i in gold)
    gsize = Counter(gold.values())
    p = sum(pair[(pred[i], gold[i])] / psize[pred[i]] for i in gold) / len(gold)
    r = sum(pair[(pred[i], gold[i])] / gsize[gold[i]] for i in gold) / len(gold)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score_events(labels, stories):
    gold = {aid: ev for aid, ev, _ in labels}
    # An article in no story is a story of its own.
    pred = {aid: stories.story_of.get(aid, "alone:" + aid) for aid in gold}
    unplaced = sorted(a for a in gold if a not in stories.story_of)
    unknown = sorted(a for a in stories.story_of if a not in gold)
    p, r, f = bcubed(gold, pred)

    mixed = []
    for st in stories.stories:
        events = {}
        for aid in st["articles"]:
            if aid in gold:
                events[gold[aid]] = events.get(gold[aid], 0) + 1
        if len(events) > 1:
            mixed.append({"story": st["id"], "title": st["title"], "events": events})
    n_pred = len(set(pred.values()))

    # Copy links against the copy_of column: exact (the copy's labelled
    # original), and within the copy family (original and its copies).
    true_links = {aid: orig for aid, _, orig in labels if orig}
    family = {aid: true_links.get(aid, aid) for aid in gold}
    pred_links = {(c, o) for c, o, _ in stories.links}
    exact = sum(1 for c, o in pred_links if true_links.get(c) == o)
    fam = sum(1 for c, o in pred_links
              if c in family and o in family and family[c] == family[o])
    missed = sorted(c for c, o in true_links.items() if (c, o) not in pred_links)
    false = sorted((c, o) for c, o in pred_links if true_links.get(c) != o)
    copy_recall = ratio(len(true_links) - len(missed), len(true_links))
    copy_precision = ratio(exact, len(pred_links))

    rows = [
        ["B-cubed precision", fmt(p), "", ""],
        ["B-cubed recall", fmt(r), "", ""],
        ["B-cubed F1", fmt(f), ">= 0.9", check(f, lambda v: v >= 0.9)],
        ["stories mixing two labelled events", str(len(mixed)), "0",
         check(len(mixed), lambda v: v == 0)],
        ["predicted stories / labelled events",
         "%d / %d" % (n_pred, len(set(gold.values()))), "", ""],
        ["copy recall (copy_of)", "%s (%d/%d)" % (fmt(copy_recall), len(true_links) - len(missed),
                                                  len(true_links)), "", ""],
        ["copy precision (copy_of)", "%s (%d/%d)" % (fmt(copy_precision), exact,
                                                     len(pred_links)), "", ""],
    ]
    if fam != exact:
        rows.append(["  copy links within a copy family", "%d/%d" % (fam, len(pred_links)), "", ""])
    if unplaced:
        rows.append(["  articles in no story (scored alone)", str(len(unplaced)), "", ""])
    return {
        "section": "events",
        "title": "d. Events, examples/sample.jsonl (%d articles, %d events incl. standalone)"
                 % (len(gold), len(set(gold.values()))),
        "rows": rows,
        "metrics": {"articles": len(gold), "events": len(set(gold.values())),
                    "stories": n_pred, "bcubed_precision": p, "bcubed_recall": r,
                    "bcubed_f1": f, "mixed_stories": len(mixed),
                    "copies": len(true_links), "copy_links": len(pred_links),
                    "copy_recall": copy_recall, "copy_precision": copy_precision,
                    "copy_links_in_family": fam, "unplaced": len(unplaced),
                    "unknown_ids": len(unknown)},
        "mixed": mixed,
        "missed_copies": missed,
        "false_copy_links": [list(x) for x in false],
        "warnings": stories.warnings,
    }


def cmd_events(args):
    labels = read_labels(args.labels)
    stories = Stories(args.stories)
    warn_all(stories.warnings)
    result = score_events(labels, stories)
    print_section(result)
    for m in result["mixed"]:
        print("  mixed story %s %r: %s" % (m["story"], m["title"][:50], ", ".join(
            "%s x%d" % kv for kv in sorted(m["events"].items()))))
    if result["missed_copies"]:
        print("  copies not linked to their original: " + " ".join(result["missed_copies"]))
    if result["false_copy_links"]:
        print("  copy links not in copy_of: " + " ".join(
            "%s->%s" % tuple(x) for x in result["false_copy_links"]))
    write_result(args.out, result)


# ----------------------------------------------------- e. Reuters topics --

BIG_STORY = 20  # articles; "stories of 20 or more"


def score_topics(articles, stories):
    """How much of one subject Storyline's stories of Reuters-21578 are.

    Reuters has no event labels, but its topic labels (earn, acq, crude,
    ship...) say what a report is about: two reports of one event share a
    topic, so a story whose members do not is several events, chained by
    what they have in common without being about the same thing (a
    country's name). Purity is the share of pairs of topic-labelled members
    of one story that share a topic, over all stories (a big story counts
    by its pairs: the chains are what it measures)."""
    import itertools
    pairs = same = 0
    sizes = []
    for st in stories.stories:
        members = [a for a in st["articles"] if a in articles]
        sizes.append(len(members))
        labelled = [frozenset(articles[a].get("topics") or ()) for a in members]
        labelled = [t for t in labelled if t]
        for x, y in itertools.combinations(labelled, 2):
            pairs += 1
            same += bool(x & y)
    purity = ratio(same, pairs)
    in_big = sum(n for n in sizes if n >= BIG_STORY)
    biggest = max(sizes) if sizes else 0
    rows = [
        ["story purity (labelled member pairs sharing a topic)",
         "%s (%d/%d)" % (fmt(purity), same, pairs), "", ""],
        ["stories (of them one article)",
         "%d (%d)" % (len(sizes), sum(1 for n in sizes if n == 1)), "", ""],
        ["articles in stories of %d or more" % BIG_STORY, str(in_big), "", ""],
        ["largest story, articles", str(biggest), "", ""],
    ]
    return {
        "section": "topics",
        "title": "e. Topics, Reuters-21578 (%d articles; no event labels: a story's "
                 "members should share a topic)" % len(articles),
        "rows": rows,
        "metrics": {"articles": len(articles), "stories": len(sizes),
                    "pairs": pairs, "pairs_same_topic": same, "purity": purity,
                    "in_big_stories": in_big, "largest": biggest},
        "warnings": stories.warnings,
    }


def cmd_topics(args):
    articles = read_jsonl_articles(args.articles)
    stories = Stories(args.stories)
    warn_all(stories.warnings)
    result = score_topics(articles, stories)
    print_section(result)
    write_result(args.out, result)


# ------------------------------------------------------------- table --

def cmd_table(args):
    results = []
    for path in args.results:
        with open(path, encoding="utf-8") as f:
            results.append(json.load(f))
    lines = ["Storyline stories quality (bench/stories.sh)",
             ("  %-52s %-18s %-12s %s" % ("", "value", "target", "result")).rstrip()]
    for res in results:
        lines += render_section(res)
    statuses = [row[3] for res in results for row in res["rows"] if row[3]]
    lines.append("targets: %d PASS, %d MISS" % (statuses.count("PASS"), statuses.count("MISS")))
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

    p = sub.add_parser("bbc", help="exact copies in the BBC corpus")
    p.add_argument("--articles", required=True)
    p.add_argument("--groups", required=True)
    p.add_argument("--stories", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_bbc)

    p = sub.add_parser("syndication", help="generated syndication copies")
    p.add_argument("--articles", required=True)
    p.add_argument("--truth", required=True)
    p.add_argument("--groups", required=True)
    p.add_argument("--stories", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_syndication)

    p = sub.add_parser("semeval", help="same-story similarity on SemEval-2022 Task 8")
    p.add_argument("--articles", required=True)
    p.add_argument("--gold", required=True)
    p.add_argument("--pred", help="`similarity --pairs` output; without it, baseline only")
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_semeval)

    p = sub.add_parser("events", help="stories against the sample corpus's events")
    p.add_argument("--labels", required=True)
    p.add_argument("--stories", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_events)

    p = sub.add_parser("topics", help="topic purity of the stories of Reuters-21578")
    p.add_argument("--articles", required=True)
    p.add_argument("--stories", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=cmd_topics)

    p = sub.add_parser("table", help="the closing table from the sections' JSON")
    p.add_argument("results", nargs="+")
    p.add_argument("--txt")
    p.add_argument("--json")
    p.set_defaults(func=cmd_table)

    args = ap.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
