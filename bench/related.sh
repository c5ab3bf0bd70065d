#!/usr/bin/env bash
# Storyline related-stories quality benchmark: topic relevance on
# Reuters-21578 (ModApte test queries), category relevance on BBC News,
# both beside a TF-IDF cosine peer and a Xapian "more like this" peer; the
# rail checks on the labelled sample corpus; and the time of
# `related --all` on Reuters.  See bench/README.md.
#
# Usage: bench/related.sh            (normally through `make bench-related`)
# Environment:
#   STORYLINE                 the binary (default build/storyline)
#   BBC_DIR                   BBC corpus (default ../shared/data/corpora/bbc)
#   REUTERS_DIR               Reuters-21578 (default ../shared/data/corpora/reuters21578)
#   BENCH_CPU                 core that `related --all` on Reuters is pinned to (default 0);
#                             it is also timed on all the machine's cores, a thread each
#   BENCH_RUNS                timed one-core runs of `related --all` on Reuters; the fastest counts (default 1)
#   RELATED_PEERS_ONLY=1      score the peers only; Storyline is not run
#   RELATED_REBUILD_PEERS=1   recompute the peers' rails even when they are current
#   RELATED_SKIP_REUTERS=1, RELATED_SKIP_BBC=1, RELATED_SKIP_SAMPLE=1
#                             leave a part out (no Reuters: no speed part either)
#   RELATED_WINDOW            candidate window on Reuters and BBC, whose queries
#                             draw on the whole collection (default 3650d;
#                             the sample uses the product default, 7 days)
#   RELATED_1M=1              only notes that latency at 1M articles is the C side's
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

STORYLINE=${STORYLINE:-build/storyline}
BBC_DIR=${BBC_DIR:-../shared/data/corpora/bbc}
BENCH_CPU=${BENCH_CPU:-0}
CORES=$(nproc --all)
OUTDIR=build/bench/related
EVAL=bench/related_eval.py
PEERS=bench/related_peers.py

. bench/common.sh

skip() { [ "${1:-0}" = 1 ]; }

# ---- prerequisites --------------------------------------------------------
[ -x "$PY" ] || die "$PY is missing (Debian's python3)"
"$PY" -c 'import numpy, scipy, sklearn' 2>/dev/null ||
    die "$PY cannot import numpy/scipy/sklearn (the TF-IDF peer); install them:" \
        "apt-get install python3-sklearn"
"$PY" -c 'import xapian' 2>/dev/null ||
    die "$PY cannot import xapian (the Xapian peer); install it: apt-get install python3-xapian"
BENCH_RUNS=${BENCH_RUNS:-1}
case $BENCH_CPU in ''|*[!0-9]*) die "BENCH_CPU must be a core number" ;; esac
case $BENCH_RUNS in ''|*[!0-9]*|0) die "BENCH_RUNS must be a positive integer" ;; esac

RUN_SL=1
skip "${RELATED_PEERS_ONLY:-0}" && RUN_SL=0
WINDOW=${RELATED_WINDOW:-3650d}
if [ "$RUN_SL" = 1 ]; then
    [ -x "$STORYLINE" ] || die "$STORYLINE is missing; build it first (make)"
    "$STORYLINE" help related >/dev/null 2>&1 ||
        die "$STORYLINE has no 'related' command ('$STORYLINE help related' failed);" \
            "this benchmark needs 'related --all --limit N --json' (see bench/README.md)." \
            "RELATED_PEERS_ONLY=1 scores the peers alone."
    [ -x /usr/bin/time ] ||
        die "/usr/bin/time is missing (GNU time); install it: apt-get install time"
    command -v taskset >/dev/null 2>&1 ||
        die "taskset is missing; install it: apt-get install util-linux"
fi

RUN_REUTERS=1 RUN_BBC=1 RUN_SAMPLE=1
skip "${RELATED_SKIP_REUTERS:-0}" && RUN_REUTERS=0
skip "${RELATED_SKIP_BBC:-0}" && RUN_BBC=0
skip "${RELATED_SKIP_SAMPLE:-0}" && RUN_SAMPLE=0
[ "$RUN_SL" = 0 ] && RUN_SAMPLE=0    # the sample has no peers
if [ "$RUN_REUTERS" = 1 ]; then
    # need_reuters exits (0) when the corpus is absent: keep that to a subshell.
    (need_reuters) || die "preparing Reuters-21578 failed"
    if [ ! -s "$REUTERS" ]; then
        echo "related.sh: skipping part a (Reuters) and the speed part"
        RUN_REUTERS=0
    fi
fi
if [ "$RUN_BBC" = 1 ] && ! ls "$BBC_DIR"/business/*.txt >/dev/null 2>&1; then
    echo "related.sh: BBC corpus not found at $BBC_DIR; skipping part b (BBC)"
    RUN_BBC=0
fi
[ $((RUN_REUTERS + RUN_BBC + RUN_SAMPLE)) -gt 0 ] ||
    { echo "related.sh: every part is skipped; nothing to do"; exit 0; }

mkdir -p "$OUTDIR"
# Results of this run only: an old section must not reach the closing table.
rm -f "$OUTDIR"/reuters.json "$OUTDIR"/bbc.json "$OUTDIR"/sample.json \
    "$OUTDIR"/speed.json "$OUTDIR"/related.txt "$OUTDIR"/related.json
RESULTS=()

# related DB LIMIT OUT [TIMEFILE [WINDOW [CPUS]]]: `related --all --limit
# LIMIT --json` into OUT; with TIMEFILE, under GNU time ('%e %M') pinned to
# CPUS (default BENCH_CPU; `related --all` runs a thread per CPU it may
# use); with WINDOW, `--window WINDOW` (the candidate time window).
related() {
    local db=$1 limit=$2 out=$3 timefile=${4:-} window=${5:-} cpus=${6:-$BENCH_CPU}
    local rc=0 t0=$SECONDS
    local cmd=("$STORYLINE" --db "$db" related --all --limit "$limit" --json)
    [ -n "$window" ] && cmd+=(--window "$window")
    if [ -n "$timefile" ]; then
        cmd=(taskset -c "$cpus" /usr/bin/time -f '%e %M' -o "$timefile" "${cmd[@]}")
    fi
    "${cmd[@]}" >"$out.tmp" 2>"$out.err" || rc=$?
    if [ "$rc" -ne 0 ]; then
        tail -n 20 "$out.err" >&2
        die "'related --all --limit $limit --json' failed (exit $rc) on $db"
    fi
    mv "$out.tmp" "$out"
    rm -f "$out.err"
    note "related --all on $db: $(wc -l <"$out") rails in $((SECONDS - t0)) s"
}

# peer NAME ARTICLES OUT [--queries FILE]: the peer's rails, 40 deep (the
# top 10 is scored; the rest lets it be scored one item per story too),
# recomputed only when the corpus, the queries, the peer or this script
# changed (or RELATED_REBUILD_PEERS=1).
peer() {
    local name=$1 articles=$2 out=$3 queries=${5:-} t0=$SECONDS
    local deps=("$articles" "$PEERS" "${BASH_SOURCE[0]}") args=()
    [ -n "$queries" ] && { deps+=("$queries"); args=(--queries "$queries"); }
    if skip "${RELATED_REBUILD_PEERS:-0}" || stale "$out" "${deps[@]}"; then
        local base
        base=$(basename "$out" .jsonl)
        "$PY" "$PEERS" "$name" --articles "$articles" "${args[@]}" --limit 40 \
            --index "$OUTDIR/$base.xapian" --out "$out" 2>"$OUTDIR/$base.log" ||
            { cat "$OUTDIR/$base.log" >&2; die "the $name peer failed on $articles"; }
        rm -rf "$OUTDIR/$base.xapian"
        note "$name peer on $articles: $(wc -l <"$out") rails in $((SECONDS - t0)) s"
    else
        note "$name peer on $articles: current rails kept ($out)"
    fi
}

# ---- a. Reuters-21578 -----------------------------------------------------
if [ "$RUN_REUTERS" = 1 ]; then
    note "a. Reuters-21578: ModApte test queries against the whole collection"
    Q=$OUTDIR/reuters-queries.txt
    "$PY" "$EVAL" queries --articles "$REUTERS" --out "$Q.new"
    # Keep the old file (and its time) when unchanged, so the peers' rails stay current.
    if cmp -s "$Q.new" "$Q"; then rm -f "$Q.new"; else mv "$Q.new" "$Q"; fi
    peer tfidf "$REUTERS" "$OUTDIR/reuters-tfidf.jsonl" --queries "$Q"
    peer xapian "$REUTERS" "$OUTDIR/reuters-xapian.jsonl" --queries "$Q"
    sl_args=()
    if [ "$RUN_SL" = 1 ]; then
        db=$(fresh_db reuters)
        ingest "$db" "$REUTERS"
        # Quality: candidates from the whole collection (WINDOW).
        related "$db" 10 "$OUTDIR/reuters-related.jsonl" "" "$WINDOW"
        # Speed: the product's default window, as a portal runs it; more
        # timed runs when asked (BENCH_RUNS): the fastest one is kept.
        related "$db" 10 "$OUTDIR/reuters-related-default.jsonl" "$OUTDIR/reuters-related.time"
        for ((run = 2; run <= BENCH_RUNS; run++)); do
            related "$db" 10 "$OUTDIR/reuters-related-again.jsonl" "$OUTDIR/reuters-related-again.time"
            cmp -s "$OUTDIR/reuters-related-default.jsonl" "$OUTDIR/reuters-related-again.jsonl" ||
                note "warning: run $run of 'related --all' printed other rails than run 1"
            if awk -v a="$(cut -d' ' -f1 "$OUTDIR/reuters-related-again.time" | tail -n 1)" \
                -v b="$(cut -d' ' -f1 "$OUTDIR/reuters-related.time" | tail -n 1)" \
                'BEGIN { exit !(a < b) }'; then
                mv "$OUTDIR/reuters-related-again.time" "$OUTDIR/reuters-related.time"
            fi
            rm -f "$OUTDIR/reuters-related-again.jsonl" "$OUTDIR/reuters-related-again.time"
        done
        # And on every core of the machine, a thread each.
        related "$db" 10 "$OUTDIR/reuters-related-again.jsonl" "$OUTDIR/reuters-related-cores.time" \
            "" "0-$((CORES - 1))"
        cmp -s "$OUTDIR/reuters-related-default.jsonl" "$OUTDIR/reuters-related-again.jsonl" ||
            note "warning: 'related --all' on $CORES cores printed other rails than on one"
        rm -f "$OUTDIR/reuters-related-again.jsonl"
        sl_args=(--storyline "$OUTDIR/reuters-related.jsonl" --stories "$db")
    fi
    "$PY" "$EVAL" reuters --articles "$REUTERS" "${sl_args[@]}" \
        --peer "TF-IDF=$OUTDIR/reuters-tfidf.jsonl" --peer "Xapian=$OUTDIR/reuters-xapian.jsonl" \
        --out "$OUTDIR/reuters.json"
    RESULTS+=("$OUTDIR/reuters.json")
    echo
fi

# ---- b. BBC News ----------------------------------------------------------
if [ "$RUN_BBC" = 1 ]; then
    note "b. BBC News: same-category relevance, every article a query"
    BBC_JSONL=$OUTDIR/bbc.jsonl
    if stale "$BBC_JSONL" bench/bbc2jsonl.py "$BBC_DIR"; then
        note "converting $BBC_DIR -> $BBC_JSONL"
        "$PY" bench/bbc2jsonl.py "$BBC_DIR" >"$BBC_JSONL.tmp" ||
            { rm -f "$BBC_JSONL.tmp"; die "converting the BBC corpus failed"; }
        mv "$BBC_JSONL.tmp" "$BBC_JSONL"
    fi
    peer tfidf "$BBC_JSONL" "$OUTDIR/bbc-tfidf.jsonl"
    peer xapian "$BBC_JSONL" "$OUTDIR/bbc-xapian.jsonl"
    sl_args=()
    if [ "$RUN_SL" = 1 ]; then
        db=$(fresh_db bbc)
        ingest "$db" "$BBC_JSONL"
        related "$db" 10 "$OUTDIR/bbc-related.jsonl" "" "$WINDOW"
        sl_args=(--storyline "$OUTDIR/bbc-related.jsonl" --stories "$db")
    fi
    "$PY" "$EVAL" bbc --articles "$BBC_JSONL" "${sl_args[@]}" \
        --peer "TF-IDF=$OUTDIR/bbc-tfidf.jsonl" --peer "Xapian=$OUTDIR/bbc-xapian.jsonl" \
        --out "$OUTDIR/bbc.json"
    RESULTS+=("$OUTDIR/bbc.json")
    echo
fi

# ---- c. sample corpus -----------------------------------------------------
if [ "$RUN_SAMPLE" = 1 ]; then
    note "c. sample corpus: examples/sample.jsonl against examples/labels.tsv"
    db=$(fresh_db sample)
    ingest "$db" examples/sample.jsonl
    related "$db" 20 "$OUTDIR/sample-related.jsonl"
    "$PY" "$EVAL" sample --labels examples/labels.tsv --rails "$OUTDIR/sample-related.jsonl" \
        --articles examples/sample.jsonl --out "$OUTDIR/sample.json"
    RESULTS+=("$OUTDIR/sample.json")
    echo
fi

# ---- d. speed -------------------------------------------------------------
if [ "$RUN_SL" = 1 ] && [ "$RUN_REUTERS" = 1 ]; then
    "$PY" "$EVAL" speed --time "$OUTDIR/reuters-related.time" \
        --time-cores "$OUTDIR/reuters-related-cores.time" --cores "$CORES" \
        --rails "$OUTDIR/reuters-related-default.jsonl" --cpu "$BENCH_CPU" --out "$OUTDIR/speed.json"
    RESULTS+=("$OUTDIR/speed.json")
    echo
fi
if skip "${RELATED_1M:-0}"; then
    note "RELATED_1M=1: the latency of 'related ID' at 1,000,000 articles is measured by" \
        "the C side's own benchmark, not by this script:" \
        "build/bench_rail build/bench/search-gen-1000000/storyline.db (bench/bench_rail.c)"
fi

# ---- closing table --------------------------------------------------------
[ "${#RESULTS[@]}" -gt 0 ] || { echo "related.sh: no part ran"; exit 0; }
"$PY" "$EVAL" table "${RESULTS[@]}" --txt "$OUTDIR/related.txt" --json "$OUTDIR/related.json"
