#!/usr/bin/env bash
# Storyline search benchmark: the in-memory BM25F index against Xapian and
# SQLite FTS5 on the same corpus and the same query files, each pinned to
# one core.  See bench/README.md.
#
# Usage: bench/search.sh
# Environment:
#   SEARCH_N        articles in the generated corpus (default 1000000)
#   CORPUS          a JSON-lines corpus to use instead of the generated one,
#                   e.g. CORPUS=build/bench/reuters.jsonl SEARCH_N=21578
#   SEARCH_QUERIES  queries of each kind (default 1000)
#   SEARCH_SEED     seed of the corpus and the queries (default 1)
#   SEARCH_REBUILD  1: rebuild the peers' indexes even when they are current
#   SEARCH_FTS5_MAX run only the first N queries of each kind through FTS5
#                   (default: all of them)
#   SEARCH_PASSES   run each query file this many times through every tool,
#                   each query keeping its fastest time (default 1: single
#                   passes, as a reader meets them; more for what the code
#                   costs on a shared, noisy machine)
#   BENCH_CPU       core to pin to (default 0)
#   REUTERS_DIR     Reuters-21578 (default ../shared/data/corpora/reuters21578)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

CPU=${BENCH_CPU:-0}
N=${SEARCH_N:-1000000}
NQ=${SEARCH_QUERIES:-1000}
SEED=${SEARCH_SEED:-1}
REBUILD=${SEARCH_REBUILD:-0}
FTS5_MAX=${SEARCH_FTS5_MAX:-}
PASSES=${SEARCH_PASSES:-1}
REUTERS_SRC=${REUTERS_DIR:-../shared/data/corpora/reuters21578}
OUTDIR=build/bench
REUTERS=$OUTDIR/reuters.jsonl

. bench/common.sh

# ---- prerequisites --------------------------------------------------------
case $N in ''|*[!0-9]*|0) die "SEARCH_N must be a positive integer" ;; esac
case $NQ in ''|*[!0-9]*|0) die "SEARCH_QUERIES must be a positive integer" ;; esac
case $FTS5_MAX in *[!0-9]*|0) die "SEARCH_FTS5_MAX must be a positive integer" ;; esac
case $PASSES in ''|*[!0-9]*|0) die "SEARCH_PASSES must be a positive integer" ;; esac
# Every tool reads it: the peers as SEARCH_PASSES, bench_search as
# BENCH_SEARCH_PASSES.
export SEARCH_PASSES=$PASSES BENCH_SEARCH_PASSES=$PASSES
require_peer_tools

mkdir -p "$OUTDIR"

FTS5=$OUTDIR/peer_fts5_search
build_c_peer bench/peer_fts5_search.c "$FTS5"

# ---- corpus ---------------------------------------------------------------
# Reuters is needed to convert (CORPUS=build/bench/reuters.jsonl) and to fit
# the generator's vocabulary.

if [ -n "${CORPUS:-}" ]; then
    [ "$CORPUS" = "$REUTERS" ] && need_reuters
    [ -s "$CORPUS" ] || die "CORPUS=$CORPUS does not exist or is empty"
    name=$(basename "$CORPUS" .jsonl)
else
    name=gen-$N
    [ "$SEED" != 1 ] && name=gen-$N-seed$SEED
    generated_corpus "$N" "$SEED"
    CORPUS=$GEN_CORPUS
fi

WORK=$OUTDIR/search-$name
mkdir -p "$WORK"
QUSER=$WORK/queries-user.txt
QMLT=$WORK/queries-mlt.txt
QIDS=$WORK/queries-mlt-ids.txt
QSTAMP=$WORK/queries.params
qparams="n=$NQ seed=$SEED"
if [ ! -s "$QUSER" ] || [ ! -s "$QMLT" ] || [ ! -s "$QIDS" ] ||
   [ "$CORPUS" -nt "$QUSER" ] || [ bench/make_queries.py -nt "$QUSER" ] ||
   [ "$(cat "$QSTAMP" 2>/dev/null)" != "$qparams" ]; then
    note "making $NQ + $NQ queries from $CORPUS"
    "$PY" bench/make_queries.py "$CORPUS" "$WORK" --n "$NQ" --seed "$SEED" ||
        die "making the queries failed"
    echo "$qparams" >"$QSTAMP"
fi

# The FTS5 peer may run a prefix of the same query files (it is slow on
# long OR queries); the table then says how many it ran.
FQUSER=$QUSER
FQMLT=$QMLT
if [ -n "$FTS5_MAX" ] && [ "$FTS5_MAX" -lt "$NQ" ]; then
    FQUSER=$WORK/fts5-queries-user.txt
    FQMLT=$WORK/fts5-queries-mlt.txt
    head -n "$FTS5_MAX" "$QUSER" >"$FQUSER"
    head -n "$FTS5_MAX" "$QMLT" >"$FQMLT"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/storyline-search.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# ---- measuring ------------------------------------------------------------
# measure TOOL CMD... : run CMD pinned to one core under /usr/bin/time, check
# that the last stdout line is a JSON report with the keys every tool must
# print, and store "RSS_KiB WALL_s" and the report as $WORK/TOOL.{time,json}.
measure() {
    local tool=$1 rc=0
    shift
    note "running $tool: $*"
    taskset -c "$CPU" /usr/bin/time -f '%M %e' -o "$TMP/time" "$@" \
        >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "search.sh: $tool failed (exit $rc): $*" >&2
        tail -n 20 "$TMP/stderr" >&2
        exit 1
    fi
    "$PY" - "$tool" "$TMP/stdout" "$WORK/$tool.json" <<'PYEOF' || exit 1
import json, sys
tool, path, out = sys.argv[1:4]
lines = [l for l in open(path, encoding="utf-8", errors="replace") if l.strip()]
if not lines:
    sys.exit("search.sh: %s printed nothing on stdout" % tool)
try:
    rep = json.loads(lines[-1])
except ValueError:
    sys.exit("search.sh: %s: last stdout line is not JSON: %r" % (tool, lines[-1][:200]))
def need(cond, what):
    if not cond:
        sys.exit("search.sh: %s: report lacks %s" % (tool, what))
need(isinstance(rep, dict), "a JSON object")
need(isinstance(rep.get("articles"), int), "integer articles")
for kind in ("user", "mlt"):
    k = rep.get(kind)
    need(isinstance(k, dict), kind)
    for f in ("p50_ms", "p99_ms", "mean_ms"):
        need(isinstance(k.get(f), (int, float)), "numeric %s.%s" % (kind, f))
    need(isinstance(rep.get("top10", {}).get(kind), list), "top10.%s" % kind)
with open(out, "w", encoding="utf-8") as f:
    json.dump(rep, f, separators=(",", ":"))
    f.write("\n")
PYEOF
    tail -n 1 "$TMP/time" >"$WORK/$tool.time"
    note "  $tool done (peak RSS $(cut -d' ' -f1 "$WORK/$tool.time") KiB, wall $(cut -d' ' -f2 "$WORK/$tool.time") s)"
}

# A peer index is rebuilt when it is missing, older than the corpus or the
# peer's source, or when SEARCH_REBUILD=1; the build figures of the last
# build are kept in TOOL-build.json and reused when the index is reused.
# Before a run on a reused index its files are read once, so that all tools
# start warm (Storyline holds its index in memory).
warm() { find "$@" -type f -exec cat {} + >/dev/null 2>&1 || true; }

XDB=$WORK/xapian.db
if [ "$REBUILD" = 1 ] || [ ! -d "$XDB" ] || [ "$CORPUS" -nt "$XDB" ] ||
   [ bench/peer_xapian_search.py -nt "$XDB" ] || [ ! -s "$WORK/xapian-build.json" ]; then
    rm -rf "$XDB"
    measure xapian "$PY" bench/peer_xapian_search.py "$XDB" "$CORPUS" "$QUSER" "$QMLT" --build
    cp "$WORK/xapian.json" "$WORK/xapian-build.json"
    cp "$WORK/xapian.time" "$WORK/xapian-build.time"
else
    warm "$XDB"
    measure xapian "$PY" bench/peer_xapian_search.py "$XDB" "$CORPUS" "$QUSER" "$QMLT"
fi

FDB=$WORK/fts5.db
if [ "$REBUILD" = 1 ] || [ ! -s "$FDB" ] || [ "$CORPUS" -nt "$FDB" ] ||
   [ "$FTS5" -nt "$FDB" ] || [ ! -s "$WORK/fts5-build.json" ]; then
    rm -f "$FDB" "$FDB-wal" "$FDB-shm"
    measure fts5 "$FTS5" "$FDB" "$CORPUS" "$FQUSER" "$FQMLT" --build
    cp "$WORK/fts5.json" "$WORK/fts5-build.json"
    cp "$WORK/fts5.time" "$WORK/fts5-build.time"
else
    warm "$FDB"
    measure fts5 "$FTS5" "$FDB" "$CORPUS" "$FQUSER" "$FQMLT"
fi

# Storyline: bench_search reads the articles from a Storyline database, so
# the corpus is ingested first (once; again when the corpus is newer).  The
# ingest is preparation, not part of the figures; its time is shown apart.
SDB=$WORK/storyline.db
HAVE_STORYLINE=0
if [ -x build/bench_search ]; then
    [ -x build/storyline ] ||
        die "build/bench_search exists but build/storyline is missing; build it (make)"
    if [ ! -s "$SDB" ] || [ "$CORPUS" -nt "$SDB" ] || [ ! -s "$WORK/storyline-ingest.txt" ]; then
        rm -f "$SDB" "$SDB-wal" "$SDB-shm" "$SDB.index" "$WORK/storyline-ingest.txt"
        note "ingesting $CORPUS into $SDB"
        start=$(date +%s.%N)
        rc=0
        taskset -c "$CPU" build/storyline ingest --db "$SDB" "$CORPUS" --json \
            >"$WORK/storyline-ingest.log" 2>&1 || rc=$?
        # Exit 1 means some lines were rejected and the others stored.
        if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
            tail -n 20 "$WORK/storyline-ingest.log" >&2
            die "storyline ingest failed (exit $rc)"
        fi
        echo "$start $(date +%s.%N)" | awk '{ printf "%.1f\n", $2 - $1 }' \
            >"$WORK/storyline-ingest.txt"
    fi
    HAVE_STORYLINE=1
    warm "$SDB"
    measure storyline build/bench_search "$SDB" "$CORPUS" "$QUSER" "$QMLT"
else
    echo "search.sh: storyline: build/bench_search is not built yet; skipping it, peers only"
    rm -f "$WORK/storyline.json" "$WORK/storyline.time"
fi

# ---- report ---------------------------------------------------------------
"$PY" - "$WORK" "$CORPUS" "$CPU" "$HAVE_STORYLINE" "$QIDS" <<'PYEOF'
import json, os, sys
work, corpus, cpu, have_storyline, qids = sys.argv[1:6]
MB = 1e6
tools = (["storyline"] if have_storyline == "1" else []) + ["xapian", "fts5"]
labels = {"storyline": "storyline", "xapian": "xapian", "fts5": "sqlite fts5"}

def load(tool, suffix=""):
    with open(os.path.join(work, tool + suffix + ".json"), encoding="utf-8") as f:
        rep = json.load(f)
    with open(os.path.join(work, tool + suffix + ".time"), encoding="utf-8") as f:
        rss, wall = f.read().split()
    return rep, int(rss), float(wall)

run = {t: load(t) for t in tools}
build = {}
for t in ("xapian", "fts5"):
    build[t] = load(t, "-build")
articles = run[tools[0]][0]["articles"]
sources = [l.strip() for l in open(qids, encoding="utf-8") if l.strip()]

def fmt(v, spec):
    return "-" if v is None else format(v, spec)

out = []
out.append("Search on %s: %s articles, %d user + %d MLT queries, one core (taskset -c %s)"
           % (os.path.basename(corpus), format(articles, ","),
              run["xapian"][0]["user"]["queries"], run["xapian"][0]["mlt"]["queries"], cpu))
head = "{:<26}" + "{:>14}" * len(tools)
out.append(head.format("", *[labels[t] for t in tools]))

def row(label, values, spec):
    out.append(head.format(label, *[fmt(v, spec) for v in values]))

for kind, name in (("user", "user 1-3 words"), ("mlt", "MLT 25 terms")):
    for stat in ("p50_ms", "p99_ms", "mean_ms"):
        row("%s %s" % (name, stat.replace("_ms", " ms")),
            [run[t][0][kind][stat] for t in tools], ".3f")
    row("%s queries run" % name, [run[t][0][kind]["queries"] for t in tools], "d")

def build_figures(t):
    if t == "storyline":
        rep = run[t][0]
        secs = rep.get("rebuild_seconds")
        return secs, rep.get("index_bytes"), run[t][1]
    rep, rss, _ = build[t]
    return rep.get("build_seconds"), rep.get("db_bytes"), rss

figs = {t: build_figures(t) for t in tools}
row("build s", [figs[t][0] for t in tools], ".1f")
row("build articles/s", [articles / figs[t][0] if figs[t][0] else None for t in tools], ",.0f")
row("index/db MB", [figs[t][1] / MB if figs[t][1] else None for t in tools], ",.1f")
row("index/db bytes/article", [figs[t][1] / articles if figs[t][1] else None for t in tools], ",.0f")
row("peak RSS MB (build run)", [figs[t][2] * 1024 / MB for t in tools], ",.1f")
row("peak RSS MB (this run)", [run[t][1] * 1024 / MB for t in tools], ",.1f")
row("wall s (this run)", [run[t][2] for t in tools], ".1f")
if "storyline" in tools:
    s = run["storyline"][0]
    bits = []
    try:
        with open(os.path.join(work, "storyline-ingest.txt"), encoding="utf-8") as f:
            bits.append("ingest into its store %s s (not in the table)" % f.read().strip())
    except OSError:
        pass
    for key, label, spec, scale in (
            ("terms", "terms", ",d", 1), ("postings", "postings", ",d", 1),
            ("snapshot_bytes", "snapshot MB", ",.1f", 1 / MB),
            ("save_seconds", "snapshot save s", ".2f", 1),
            ("load_seconds", "snapshot load s", ".2f", 1)):
        if isinstance(s.get(key), (int, float)):
            bits.append("%s %s" % (label, format(s[key] * scale if scale != 1 else s[key], spec)))
    w = s.get("writer")
    if isinstance(w, dict) and "max_reader_stall_ms" in w:
        busy = w.get("while_writing", {})
        quiet = w.get("quiet", {})
        bits.append("longest search while %s articles were re-indexed %.3f ms"
                    % (format(busy.get("articles_indexed", 0), ","), w["max_reader_stall_ms"]))
        if isinstance(quiet.get("max_ms"), (int, float)):
            bits.append("longest with no writer %.3f ms" % quiet["max_ms"])
    out.append("storyline: " + "; ".join(bits))

def overlap(a, b):
    """Mean |A n B| / 10 and mean Jaccard over the queries both ran."""
    pairs = list(zip(a, b))
    if not pairs:
        return None, None
    inter = sum(len(set(x) & set(y)) / 10.0 for x, y in pairs) / len(pairs)
    jac = sum(len(set(x) & set(y)) / len(set(x) | set(y)) if (x or y) else 1.0
              for x, y in pairs) / len(pairs)
    return inter, jac

out.append("")
out.append("top-10 agreement, mean |A n B|/10 (mean Jaccard):")
pairs = [("storyline", "xapian"), ("storyline", "fts5"), ("xapian", "fts5")]
for a, b in pairs:
    if a not in tools or b not in tools:
        continue
    cells = []
    for kind in ("user", "mlt"):
        inter, jac = overlap(run[a][0]["top10"][kind], run[b][0]["top10"][kind])
        cells.append("%s %s (%s)" % (kind, fmt(inter, ".3f"), fmt(jac, ".3f")))
    out.append("  %-22s %s" % ("%s vs %s" % (a, b), "   ".join(cells)))
out.append("MLT source article ranked first: " + "   ".join(
    "%s %.3f" % (t, sum(1 for s, r in zip(sources, run[t][0]["top10"]["mlt"])
                     if r and r[0] == s) / max(1, len(run[t][0]["top10"]["mlt"])))
    for t in tools))

if "storyline" in tools:
    s = run["storyline"][0]
    out.append("")
    out.append("speed-up = peer time / storyline time:")
    for kind in ("user", "mlt"):
        cells = []
        for t in ("xapian", "fts5"):
            for stat in ("p50_ms", "p99_ms"):
                ratio = run[t][0][kind][stat] / s[kind][stat] if s[kind][stat] else None
                cells.append("%s %s %sx" % (t, stat[:3], fmt(ratio, ".1f")))
        out.append("  %-5s %s" % (kind, "   ".join(cells)))
    def check(ok):
        return "met" if ok else "MISSED"
    x, f = run["xapian"][0], run["fts5"][0]
    ib = s.get("index_bytes")
    out.append("targets%s:" % ("" if articles >= 1000000 else
                               " (set for 1,000,000 articles; this run has %s)" % format(articles, ",")))
    out.append("  MLT p99 <= 2 ms: %.3f ms (%s)" % (s["mlt"]["p99_ms"], check(s["mlt"]["p99_ms"] <= 2)))
    out.append("  MLT p99 >= 5x faster than xapian: %.1fx (%s)" % (
        x["mlt"]["p99_ms"] / s["mlt"]["p99_ms"], check(x["mlt"]["p99_ms"] >= 5 * s["mlt"]["p99_ms"])))
    out.append("  MLT p99 >= 20x faster than fts5: %.1fx (%s)" % (
        f["mlt"]["p99_ms"] / s["mlt"]["p99_ms"], check(f["mlt"]["p99_ms"] >= 20 * s["mlt"]["p99_ms"])))
    out.append("  user p99 <= 1 ms: %.3f ms (%s)" % (s["user"]["p99_ms"], check(s["user"]["p99_ms"] <= 1)))
    if isinstance(ib, (int, float)):
        out.append("  index <= 1.5 KB (1,536 bytes) per article: %.0f (%s)" % (
            ib / articles, check(ib / articles <= 1536)))
    else:
        out.append("  index <= 1.5 KB per article: no index_bytes in the report (MISSED)")

notes = ["FTS5 MLT queries are unweighted (MATCH cannot weight terms); the others weight each term."
         if not run["fts5"][0]["mlt"].get("weighted", True) else None]
for kind in ("user", "mlt"):
    ran = run["fts5"][0][kind]["queries"]
    most = max(run[t][0][kind]["queries"] for t in tools)
    if ran < most:
        notes.append("fts5 ran the first %d of the %d %s queries (SEARCH_FTS5_MAX); "
                     "its times and ratios cover those only" % (ran, most, kind))
for t in ("xapian", "fts5"):
    if run[t][0].get("build_seconds") is None:
        notes.append("%s: index reused; build figures from its last build" % t)
for t in tools:
    if run[t][0]["articles"] != articles:
        notes.append("WARNING: %s holds %d articles, %s holds %d"
                     % (t, run[t][0]["articles"], tools[0], articles))
out.append("")
out.extend("note: " + n for n in notes if n)
out.append("storyline's build is rebuild_seconds: the in-memory index built from its store")
passes = int(os.environ.get("SEARCH_PASSES", "1"))
out.append("times are each tool's own per-query timings%s; p50/p99 = sorted[n/2], sorted[floor(0.99 n)]; MB = 10^6 bytes"
           % (", each query's fastest of %d passes (SEARCH_PASSES)" % passes if passes > 1 else ""))

text = "\n".join(out) + "\n"
sys.stdout.write(text)
with open(os.path.join(work, "search.txt"), "w", encoding="utf-8") as f:
    f.write(text)
summary = {"corpus": corpus, "articles": articles, "cpu": int(cpu),
           "tools": {t: {k: v for k, v in run[t][0].items() if k != "top10"}
                     for t in tools},
           "builds": {t: {k: v for k, v in build[t][0].items() if k != "top10"}
                      for t in build},
           "peak_rss_kib": {t: run[t][1] for t in tools},
           "build_peak_rss_kib": {t: build[t][1] for t in build}}
with open(os.path.join(work, "search.json"), "w", encoding="utf-8") as f:
    json.dump(summary, f, indent=1)
    f.write("\n")
PYEOF
