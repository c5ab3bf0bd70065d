#!/usr/bin/python3
"""Xapian search peer for the Storyline search benchmark.

Usage: /usr/bin/python3 bench/peer_xapian_search.py INDEX_DIR CORPUS.jsonl
           QUERIES_USER QUERIES_MLT [--build]

Run it with Debian's /usr/bin/python3, which has python3-xapian.

--build  INDEX_DIR must not exist yet.  Every non-blank line of CORPUS.jsonl
         becomes one document: the title indexed with wdf increment 2 (the
         title counts twice, like Storyline's field weight), then the body
         with increment 1, both through a TermGenerator with the English
         stemmer and STEM_ALL_Z; the article id is the document data.  No
         positions are stored: the benchmark has no phrase queries and
         Storyline's index holds none either, so they would only make the
         build slower and the database bigger.  One commit at the end.
         build_seconds is the time.perf_counter() time of reading, parsing,
         indexing and commit.
Without --build the existing INDEX_DIR is opened and CORPUS.jsonl is not
read (build_seconds is null).

Why STEM_ALL_Z and not STEM_SOME: STEM_SOME leaves words that start with a
capital letter unstemmed, so a capitalised sentence start or an all-caps
Reuters headline would not match the stemmed query term at all, and the
title weight would be lost on Reuters.  STEM_ALL_Z stems every word, as
Storyline and FTS5's porter tokenizer do, which keeps the rankings
comparable.

Queries (BM25Weight with Xapian's default parameters, top 10):
  * user: each line goes through a QueryParser with the same stemmer and
    strategy and default operator OR;
  * MLT: each `word:weight ...` line becomes OP_OR over
    OP_SCALE_WEIGHT(Query("Z" + stem(word)), weight): the BM25 score of
    each term is multiplied by its weight, the usual weighted "more like
    this" sum.  (A within-query frequency would not do: BM25's query-term
    factor saturates, so wqf 100 and wqf 50 score almost alike.)
Only enquire.get_mset(0, 10) is timed (time.perf_counter()); parsing the
query and reading the ids of the results are not.  With SEARCH_PASSES=N
each query file is run N times over and each query keeps its fastest
time, as bench_search.c does with BENCH_SEARCH_PASSES.

Prints one JSON object on stdout:
  {"tool":"xapian","build_seconds":S|null,"articles":N,
   "user":{"queries":Q,"p50_ms":..,"p99_ms":..,"mean_ms":..},
   "mlt":{"queries":Q,"p50_ms":..,"p99_ms":..,"mean_ms":..,"weighted":true},
   "db_bytes":B,"top10":{"user":[[id,...],...],"mlt":[[id,...],...]}}
Percentiles are taken as bench_search.c takes them, so that every column
of the table means the same: with the Q times in ascending order (0-based),
p50 is the one at index Q/2 and p99 the one at index floor(0.99 * Q).
Standard library only besides xapian.
"""

import json
import os
import sys
import time


def die(msg):
    sys.stderr.write("peer_xapian_search: %s\n" % msg)
    sys.exit(1)


def percentile(sorted_ms, percent):
    """The time at index floor(percent/100 * n) of the ascending times."""
    if not sorted_ms:
        return None
    index = min(len(sorted_ms) - 1, len(sorted_ms) * percent // 100)
    return sorted_ms[index]


def summary(times_ms):
    ordered = sorted(times_ms)
    return {
        "queries": len(ordered),
        "p50_ms": round(percentile(ordered, 50), 6) if ordered else None,
        "p99_ms": round(percentile(ordered, 99), 6) if ordered else None,
        "mean_ms": (round(sum(ordered) / len(ordered), 6)
                    if ordered else None),
    }


def read_queries(path):
    try:
        with open(path, encoding="utf-8") as f:
            return [line.strip() for line in f if line.strip()]
    except OSError as e:
        die("cannot read %s: %s" % (path, e))


def parse_mlt(line, path, lineno):
    terms = []
    for item in line.split():
        word, sep, weight = item.rpartition(":")
        try:
            value = float(weight)
        except ValueError:
            value = -1.0
        if not sep or not word or value <= 0:
            die("%s:%d: bad MLT item %r (want word:weight, weight > 0)"
                % (path, lineno, item))
        terms.append((word, value))
    return terms


def build(xapian, index_dir, corpus):
    if os.path.exists(index_dir):
        die("%s already exists; remove it before --build" % index_dir)
    try:
        f = open(corpus, "rb")
    except OSError as e:
        die("cannot open %s: %s" % (corpus, e))
    db = xapian.WritableDatabase(index_dir, xapian.DB_CREATE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("english"))
    tg.set_stemming_strategy(xapian.TermGenerator.STEM_ALL_Z)
    loads = json.loads
    lineno = 0
    try:
        t0 = time.perf_counter()
        with f:
            for raw in f:
                lineno += 1
                if not raw.strip():
                    continue
                try:
                    obj = loads(raw)
                except ValueError as e:
                    die("%s:%d: bad JSON: %s" % (corpus, lineno, e))
                if not isinstance(obj, dict):
                    die("%s:%d: line is not a JSON object" % (corpus, lineno))
                title = obj.get("title")
                body = obj.get("body")
                ident = obj.get("id")
                doc = xapian.Document()
                tg.set_document(doc)
                if isinstance(title, str):
                    tg.index_text_without_positions(title, 2)
                if isinstance(body, str):
                    tg.index_text_without_positions(body)
                doc.set_data(ident if isinstance(ident, str)
                             else "line-%d" % lineno)
                db.add_document(doc)
        db.commit()
        seconds = time.perf_counter() - t0
    except OSError as e:
        die("error reading %s: %s" % (corpus, e))
    except xapian.Error as e:
        die("xapian error at %s:%d: %s" % (corpus, lineno, e.get_msg()))
    finally:
        db.close()
    return seconds


def passes():
    """SEARCH_PASSES: how many times the query files are run (default 1)."""
    value = os.environ.get("SEARCH_PASSES", "1")
    if not value.isdigit() or int(value) < 1:
        die("SEARCH_PASSES must be a positive integer, not %r" % value)
    return int(value)


def run_queries(xapian, enquire, queries, make_query):
    """Times get_mset for each query, its fastest of SEARCH_PASSES runs
    when the file is run more than once; returns (times_ms, top10 id
    lists)."""
    times_ms, tops = [], []
    clock = time.perf_counter
    for lineno, text in enumerate(queries, 1):
        enquire.set_query(make_query(text, lineno))
        t0 = clock()
        mset = enquire.get_mset(0, 10)
        times_ms.append((clock() - t0) * 1000.0)
        ids = []
        for match in mset:
            data = match.document.get_data()
            ids.append(data.decode("utf-8", "replace")
                       if isinstance(data, bytes) else data)
        tops.append(ids)
    for _ in range(passes() - 1):  # the file again, as the others run it
        for i, text in enumerate(queries):
            enquire.set_query(make_query(text, i + 1))
            t0 = clock()
            enquire.get_mset(0, 10)
            times_ms[i] = min(times_ms[i], (clock() - t0) * 1000.0)
    return times_ms, tops


def dir_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(root, name))
            except OSError:
                pass
    return total


def main(argv):
    args = [a for a in argv[1:] if a != "--build"]
    do_build = len(args) != len(argv) - 1
    if len(args) != 4 or any(a.startswith("-") for a in args):
        sys.stderr.write("usage: %s INDEX_DIR CORPUS.jsonl QUERIES_USER "
                         "QUERIES_MLT [--build]\n" % argv[0])
        return 2
    index_dir, corpus, user_path, mlt_path = args
    try:
        import xapian
    except ImportError as e:
        die("cannot import xapian (%s); run with /usr/bin/python3 and "
            "install python3-xapian" % e)

    user_queries = read_queries(user_path)
    mlt_lines = read_queries(mlt_path)
    mlt_terms = [parse_mlt(line, mlt_path, i)
                 for i, line in enumerate(mlt_lines, 1)]

    build_seconds = build(xapian, index_dir, corpus) if do_build else None

    try:
        db = xapian.Database(index_dir)
    except xapian.Error as e:
        die("cannot open %s: %s" % (index_dir, e.get_msg()))
    stemmer = xapian.Stem("english")
    enquire = xapian.Enquire(db)
    enquire.set_weighting_scheme(xapian.BM25Weight())
    parser = xapian.QueryParser()
    parser.set_stemmer(stemmer)
    parser.set_stemming_strategy(xapian.QueryParser.STEM_ALL_Z)
    parser.set_default_op(xapian.Query.OP_OR)
    parser.set_database(db)

    def user_query(text, lineno):
        try:
            return parser.parse_query(text)
        except xapian.Error as e:
            die("%s:%d: cannot parse %r: %s"
                % (user_path, lineno, text, e.get_msg()))

    def stem(word):
        s = stemmer(word.lower())
        return s.decode("utf-8") if isinstance(s, bytes) else s

    def mlt_query(_text, lineno):
        terms = mlt_terms[lineno - 1]
        return xapian.Query(xapian.Query.OP_OR, [
            xapian.Query(xapian.Query.OP_SCALE_WEIGHT,
                         xapian.Query("Z" + stem(word)), weight)
            for word, weight in terms])

    try:
        user_ms, user_top = run_queries(xapian, enquire, user_queries,
                                        user_query)
        mlt_ms, mlt_top = run_queries(xapian, enquire, mlt_lines, mlt_query)
        articles = db.get_doccount()
    except xapian.Error as e:
        die("query failed: %s" % e.get_msg())

    mlt_summary = summary(mlt_ms)
    mlt_summary["weighted"] = True
    report = {
        "tool": "xapian",
        "build_seconds": (round(build_seconds, 6)
                          if build_seconds is not None else None),
        "articles": articles,
        "user": summary(user_ms),
        "mlt": mlt_summary,
        "db_bytes": dir_bytes(index_dir),
        "top10": {"user": user_top, "mlt": mlt_top},
    }
    sys.stdout.write(json.dumps(report, separators=(",", ":")) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
