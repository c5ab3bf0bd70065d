#!/usr/bin/python3
"""Query sets for the Storyline search benchmark.

Usage: /usr/bin/python3 bench/make_queries.py CORPUS.jsonl OUTDIR
           [--n 1000] [--seed S] [--sample 50000]

Writes, into OUTDIR (created if missing):

  queries-user.txt     --n lines, each 1-3 lower-case words separated by one
                       space: what a reader types into a search box.
  queries-mlt.txt      --n lines, each a "more like this" query of (up to)
                       25 weighted words, `word:weight word:weight ...`,
                       highest weight first, weights in (0, 1] with three
                       decimals.
  queries-mlt-ids.txt  the id of the article each MLT query was made from,
                       one per line, in the same order (to check that an
                       engine finds the source itself, or to leave it out).

Statistics come from a sample: every k-th non-blank line, with k chosen so
that at most --sample articles are read (default 50,000), so the script
stays fast on a million articles.  All query source articles are drawn
from that sample, so every query word occurs in the corpus.

Words are runs of letters (Unicode letters, no digits) in the lower-cased
title and body, at least two letters long, not in the small English stop
list below.  df is the number of sampled articles holding a word.

User queries: a random sampled article is the "story the user looks for";
1, 2 or 3 of its words (30/45/25 per cent) are taken, each from a band of
document frequency in the sample: mid (0.05%-2% of articles) three times
in four, frequent (2%-25%) 15 per cent of the time, rare (df >= 2 and below
0.05%) 10 per cent; an empty band falls back to the others.  Words in more
than 25% of articles are never used: nobody searches for them alone, and
an engine that drops them would be compared unfairly with one that walks
their postings.

MLT queries: a random sampled article with at least 25 eligible words
(words with df >= 2, so that a word found only in the source itself -- it
cannot lead to a neighbour -- is not used); each word scores
tf * ln(sample_size / df), tf counted over title and body; the 25 best are
kept (ties by word) and divided by the best score.  The words are surface
forms: two of them may share a stem (e.g. "rate" and "rates"), and an
engine combines them as it does any repeated stemmed term.

Deterministic for a given corpus, --n, --seed and --sample.  Standard
library only.
"""

import json
import math
import os
import random
import re
import sys

WORD = re.compile(r"[^\W\d_]{2,}")
MLT_TERMS = 25
MID_LOW, MID_HIGH, TOO_COMMON = 0.0005, 0.02, 0.25

# Function words a search engine drops or a user never types alone.
STOP = frozenset("""
a about above after again against all almost also although am among an and
another any are around as at be because been before being below between
both but by can cannot could did do does doing done down during each either
else enough even ever every few for from further had has have having he her
here hers herself him himself his how however i if in into is it its itself
just least less many may me might more most much must my myself neither no
nor not now of off often on once one only or other others our ours
ourselves out over own per perhaps rather same shall she should since so
some such than that the their theirs them themselves then there these they
this those though through thus to too under until up upon us very was we
were what whatever when where whether which while who whom whose why will
with within without would yet you your yours yourself yourselves
""".split())


def die(msg):
    sys.stderr.write("make_queries: %s\n" % msg)
    sys.exit(1)


def words_of(obj):
    """The eligible words of one article, in order, repeats kept."""
    out = []
    for field in ("title", "body"):
        text = obj.get(field)
        if isinstance(text, str):
            out.extend(w for w in WORD.findall(text.lower()) if w not in STOP)
    return out


def count_lines(path):
    n = 0
    last = b"\n"
    with open(path, "rb") as f:
        while True:
            block = f.read(1 << 22)
            if not block:
                break
            n += block.count(b"\n")
            last = block[-1:]
    return n + (last != b"\n")


def parse_args(argv):
    usage = ("usage: make_queries.py CORPUS.jsonl OUTDIR [--n 1000] "
             "[--seed S] [--sample 50000]")
    pos = []
    opts = {"--n": 1000, "--sample": 50000, "--seed": "1"}
    i = 1
    while i < len(argv):
        arg = argv[i]
        if arg in ("-h", "--help"):
            sys.stdout.write(usage + "\n")
            sys.exit(0)
        if arg in opts:
            if i + 1 >= len(argv):
                sys.stderr.write("%s needs a value\n%s\n" % (arg, usage))
                sys.exit(2)
            value = argv[i + 1]
            if arg != "--seed":
                if not value.isdigit() or int(value) < 1:
                    sys.stderr.write("%s must be a positive integer\n" % arg)
                    sys.exit(2)
                value = int(value)
            opts[arg] = value
            i += 2
            continue
        pos.append(arg)
        i += 1
    if len(pos) != 2:
        sys.stderr.write(usage + "\n")
        sys.exit(2)
    return pos[0], pos[1], opts["--n"], opts["--seed"], opts["--sample"]


def read_sample(path, n_lines, sample_max):
    """Returns (ids, words-per-article, df) for every k-th non-blank line."""
    step = max(1, -(-n_lines // sample_max))
    ids, docs, df = [], [], {}
    seen = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            seen += 1
            if (seen - 1) % step:
                continue
            try:
                obj = json.loads(line)
            except ValueError as e:
                die("%s:%d: bad JSON: %s" % (path, lineno, e))
            if not isinstance(obj, dict):
                die("%s:%d: line is not a JSON object" % (path, lineno))
            ident = obj.get("id")
            if not isinstance(ident, str):
                ident = "%s:%d" % (os.path.basename(path), lineno)
            words = words_of(obj)
            ids.append(ident)
            docs.append(words)
            for w in set(words):
                df[w] = df.get(w, 0) + 1
            if len(ids) >= sample_max:
                break
    return ids, docs, df


def user_queries(rng, docs, df, n_docs, count):
    bands = ("mid", "frequent", "rare")
    band_cum = (0.75, 0.90, 1.0)
    lengths = (1, 2, 3)
    length_cum = (0.30, 0.75, 1.0)
    queries = []
    attempts = 0
    while len(queries) < count:
        attempts += 1
        if attempts > 100 * count:
            die("cannot find words for user queries in this corpus")
        words = set(docs[rng.randrange(len(docs))])
        by_band = {"mid": [], "frequent": [], "rare": []}
        for w in sorted(words):
            share = df[w] / n_docs
            if share >= TOO_COMMON:
                continue
            if share >= MID_HIGH:
                by_band["frequent"].append(w)
            elif share >= MID_LOW:
                by_band["mid"].append(w)
            elif df[w] >= 2:
                by_band["rare"].append(w)
        n_words = rng.choices(lengths, cum_weights=length_cum)[0]
        query = []
        for _ in range(n_words):
            band = rng.choices(bands, cum_weights=band_cum)[0]
            order = [band] + [b for b in bands if b != band]
            for b in order:
                pool = [w for w in by_band[b] if w not in query]
                if pool:
                    query.append(rng.choice(pool))
                    break
        if len(query) == n_words:
            queries.append(" ".join(query))
    return queries


def mlt_queries(rng, ids, docs, df, n_docs, count):
    queries, sources = [], []
    attempts = 0
    while len(queries) < count:
        attempts += 1
        if attempts > 100 * count:
            die("too few articles with %d usable words for MLT queries"
                % MLT_TERMS)
        pick = rng.randrange(len(docs))
        tf = {}
        for w in docs[pick]:
            if df[w] >= 2:
                tf[w] = tf.get(w, 0) + 1
        if len(tf) < MLT_TERMS:
            continue
        scored = sorted(((n * math.log(n_docs / df[w]), w)
                         for w, n in tf.items()),
                        key=lambda sw: (-sw[0], sw[1]))[:MLT_TERMS]
        best = scored[0][0]
        if best <= 0:
            continue
        queries.append(" ".join(
            "%s:%.3f" % (w, max(0.001, round(score / best, 3)))
            for score, w in scored))
        sources.append(ids[pick])
    return queries, sources


def write_lines(path, lines):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(line + "\n")
    os.replace(tmp, path)


def main(argv):
    corpus, outdir, count, seed, sample_max = parse_args(argv)
    try:
        n_lines = count_lines(corpus)
        ids, docs, df = read_sample(corpus, n_lines, sample_max)
    except OSError as e:
        die("cannot read %s: %s" % (corpus, e))
    if not docs:
        die("%s holds no articles" % corpus)
    n_docs = len(docs)
    rng = random.Random("storyline-queries:%s" % seed)
    users = user_queries(rng, docs, df, n_docs, count)
    mlts, sources = mlt_queries(rng, ids, docs, df, n_docs, count)
    try:
        os.makedirs(outdir, exist_ok=True)
        write_lines(os.path.join(outdir, "queries-user.txt"), users)
        write_lines(os.path.join(outdir, "queries-mlt.txt"), mlts)
        write_lines(os.path.join(outdir, "queries-mlt-ids.txt"), sources)
    except OSError as e:
        die("cannot write to %s: %s" % (outdir, e))
    sys.stderr.write(
        "make_queries: %d user + %d MLT queries from a sample of %d of %d "
        "lines (%d distinct words) -> %s\n"
        % (len(users), len(mlts), n_docs, n_lines, len(df), outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
