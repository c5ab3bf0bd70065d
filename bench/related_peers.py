#!/usr/bin/python3
"""The peers of the related-stories benchmark: TF-IDF cosine and Xapian MLT.

    related_peers.py tfidf  --articles FILE.jsonl [--queries IDS.txt] [--limit 10] --out RAILS.jsonl
    related_peers.py xapian --articles FILE.jsonl [--queries IDS.txt] [--limit 10]
                            [--index DIR] [--eset 40] --out RAILS.jsonl

Run them with Debian's /usr/bin/python3 (scikit-learn, python3-xapian).

Every non-blank line of FILE.jsonl is a candidate; its text is the title
and the body ("TITLE\\n\\nBODY").  The queries are the ids listed in IDS.txt
(one a line), or every article without --queries.  For each query the
peer writes one line in the shape of `storyline related --all --json`:

    {"id":QUERY,"related":[{"id":ID,"score":S},...]}

best first, at most --limit items, never the query itself.  Only
candidates with a positive score are listed, so a rail is shorter than
--limit only when fewer candidates share a word with the query (this does
not happen on Reuters or BBC).  Ties are broken by corpus order.

* tfidf: scikit-learn's TfidfVectorizer(sublinear_tf=True,
  stop_words="english"), fitted on all candidates; the score is the cosine
  of the L2-normalised rows.
* xapian: every candidate is indexed (no positions) by a TermGenerator
  with the English stemmer, STEM_ALL and the scikit-learn English stop
  words (STOP_ALL: stop words are not indexed).  For each query, a
  relevance set holding only the query document gives
  Enquire.get_eset(--eset, rset), the expanded terms with Xapian's default
  expand weighting; their OP_OR (BM25 with default parameters) is run and
  the top --limit documents other than the query are kept.  The index goes
  to --index (default: a temporary directory, removed at the end).

A summary goes to stderr: {"peer":..,"articles":N,"queries":Q,
"seconds":S,...}.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

from eval_common import read_jsonl_articles

PROG = "related_peers"


def die(msg):
    sys.exit("%s: %s" % (PROG, msg))


def read_articles(path):
    """JSON lines -> (ids, texts), in file order; ids must be unique."""
    articles = read_jsonl_articles(path)
    return list(articles), [article_text(r) for r in articles.values()]


def article_text(rec):
    return "%s\n\n%s" % (rec.get("title") or "", rec.get("body") or "")


def read_queries(path, ids):
    """The query ids of PATH (all ids when PATH is None), as row numbers."""
    index = {a: i for i, a in enumerate(ids)}
    if path is None:
        return list(range(len(ids)))
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            q = line.strip()
            if not q:
                continue
            if q not in index:
                die("%s:%d: query %s is not in the articles" % (path, n, q))
            rows.append(index[q])
    return rows


def top_k(scores, k, exclude):
    """Indices of the k highest positive scores, best first; ties by index.

    scores is a 1-D numpy array; `exclude` (the query's row) never appears."""
    import numpy as np
    scores = scores.copy()
    scores[exclude] = -1.0
    k = min(k, len(scores))
    if k <= 0:
        return []
    # Everything scoring at least the k-th best score, so that ties at the
    # cut are ordered by index too (Reuters has many identical texts).
    kth = -np.partition(-scores, k - 1)[k - 1]
    cand = np.nonzero(scores >= kth)[0]
    cand = cand[np.lexsort((cand, -scores[cand]))]
    return [int(i) for i in cand[:k] if scores[i] > 0]


def rail_line(qid, items):
    return json.dumps({"id": qid, "related": [{"id": a, "score": round(float(s), 6)}
                                              for a, s in items]},
                      ensure_ascii=False, separators=(",", ":"))


def run_tfidf(ids, texts, queries, limit, out):
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    t0 = time.perf_counter()
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    matrix = matrix.tocsr()
    t_fit = time.perf_counter() - t0
    mt = matrix.T.tocsc()
    chunk = 256
    for start in range(0, len(queries), chunk):
        rows = queries[start:start + chunk]
        sims = (matrix[rows] @ mt).toarray()   # rows are L2-normalised: cosine
        for r, q in enumerate(rows):
            s = sims[r]
            best = top_k(s, limit, q)
            out.write(rail_line(ids[q], [(ids[i], s[i]) for i in best]) + "\n")
    return {"fit_seconds": round(t_fit, 3), "terms": int(matrix.shape[1]),
            "numpy": np.__version__}


def run_xapian(ids, texts, queries, limit, out, index_dir, eset_size):
    import xapian
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
    tmp = None
    if index_dir is None:
        tmp = index_dir = tempfile.mkdtemp(prefix="related-xapian-")
        shutil.rmtree(index_dir)
    elif os.path.exists(index_dir):
        shutil.rmtree(index_dir)
    try:
        t0 = time.perf_counter()
        db = xapian.WritableDatabase(index_dir, xapian.DB_CREATE)
        stopper = xapian.SimpleStopper()
        for w in sorted(ENGLISH_STOP_WORDS):
            stopper.add(w)
        tg = xapian.TermGenerator()
        tg.set_stemmer(xapian.Stem("english"))
        tg.set_stemming_strategy(xapian.TermGenerator.STEM_ALL)
        tg.set_stopper(stopper)
        tg.set_stopper_strategy(xapian.TermGenerator.STOP_ALL)
        for text in texts:
            doc = xapian.Document()
            tg.set_document(doc)
            tg.index_text_without_positions(text)
            db.add_document(doc)          # docid = row + 1
        db.commit()
        t_index = time.perf_counter() - t0

        n_terms = 0
        for q in queries:
            # A fresh Enquire for every query: get_eset leaves out the terms
            # of the Enquire's current query, which would be the previous
            # query's terms.
            enquire = xapian.Enquire(db)
            rset = xapian.RSet()
            rset.add_document(q + 1)
            terms = [item.term for item in enquire.get_eset(eset_size, rset)]
            n_terms += len(terms)
            if not terms:
                out.write(rail_line(ids[q], []) + "\n")
                continue
            enquire.set_query(xapian.Query(xapian.Query.OP_OR, terms))
            items = []
            for m in enquire.get_mset(0, limit + 1):
                if m.docid != q + 1 and m.weight > 0:
                    items.append((ids[m.docid - 1], m.weight))
            out.write(rail_line(ids[q], items[:limit]) + "\n")
        db.close()
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return {"index_seconds": round(t_index, 3), "eset": eset_size,
            "mean_expanded_terms": round(n_terms / len(queries), 2) if queries else None,
            "xapian": xapian.version_string()}


def main():
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n")[0])
    ap.add_argument("peer", choices=["tfidf", "xapian"])
    ap.add_argument("--articles", required=True)
    ap.add_argument("--queries", help="query ids, one a line (default: every article)")
    ap.add_argument("--limit", type=int, default=10)
    ap.add_argument("--index", help="xapian: index directory (rebuilt)")
    ap.add_argument("--eset", type=int, default=40, help="xapian: expanded terms")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if args.limit < 1:
        die("--limit must be positive")

    t0 = time.perf_counter()
    ids, texts = read_articles(args.articles)
    queries = read_queries(args.queries, ids)
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        if args.peer == "tfidf":
            info = run_tfidf(ids, texts, queries, args.limit, out)
        else:
            info = run_xapian(ids, texts, queries, args.limit, out, args.index, args.eset)
    os.replace(tmp, args.out)
    summary = {"peer": args.peer, "articles": len(ids), "queries": len(queries),
               "limit": args.limit, "seconds": round(time.perf_counter() - t0, 3)}
    summary.update(info)
    print(json.dumps(summary), file=sys.stderr)


if __name__ == "__main__":
    main()
