#!/usr/bin/env bash
# Storyline extraction benchmark: sl_extract's speed against
# readability-lxml, and its quality on the scrapinghub
# article-extraction-benchmark (181 pages, body text) and on Mozilla's
# Readability test pages (130 pages, metadata and body).
#
# Usage: bench/extract.sh            (normally through `make bench-extract`)
# Environment:
#   BENCH_EXTRACT          the harness (default build/bench_extract)
#   EXTRACTION_DIR         the data (default ../shared/data/extraction)
#   BENCH_CPU              the core every run is pinned to (default 0)
#   EXTRACT_REPEAT         runs of every page for Storyline (default 5)
#   EXTRACT_PEER_REPEAT    runs of every page for readability-lxml (default 3)
#   EXTRACT_MIN_F1         scrapinghub body F1 target (default 0.96)
#   EXTRACT_MIN_RATIO      pages/s target, Storyline / readability-lxml (default 10)
#   EXTRACT_MAX_P99_MS     per-page p99 target, ms (default 20)
#   EXTRACT_SKIP_PEER=1    leave readability-lxml out (no speed ratio)
#
# Pages are unpacked under build/bench/extract/ (only when missing or
# older than their source); every printed table also goes to
# build/bench/extract/extract.txt.  Missing a target prints MISS; the
# script fails only when something cannot run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

BENCH_EXTRACT=${BENCH_EXTRACT:-build/bench_extract}
DATA=${EXTRACTION_DIR:-../shared/data/extraction}
SH_DIR=$DATA/scrapinghub
RP_DIR=$DATA/readability-pages
CPU=${BENCH_CPU:-0}
REPEAT=${EXTRACT_REPEAT:-5}
PEER_REPEAT=${EXTRACT_PEER_REPEAT:-3}
MIN_F1=${EXTRACT_MIN_F1:-0.96}
MIN_RATIO=${EXTRACT_MIN_RATIO:-10}
MAX_P99=${EXTRACT_MAX_P99_MS:-20}
OUTDIR=build/bench/extract
EVAL=bench/extract_eval.py
PEER=bench/extract_peer.py

. bench/common.sh

skip() { [ "${1:-0}" = 1 ]; }

# ---- prerequisites --------------------------------------------------------
case $REPEAT in ''|*[!0-9]*|0) die "EXTRACT_REPEAT must be a positive integer" ;; esac
case $PEER_REPEAT in ''|*[!0-9]*|0) die "EXTRACT_PEER_REPEAT must be a positive integer" ;; esac

RUN_SH=1 RUN_RP=1
if [ ! -s "$SH_DIR/ground-truth.json" ] || ! ls "$SH_DIR"/html/*.html.gz >/dev/null 2>&1; then
    echo "extract.sh: scrapinghub pages not found at $SH_DIR; skipping that part"
    RUN_SH=0
fi
if ! ls "$RP_DIR"/*/source.html >/dev/null 2>&1; then
    echo "extract.sh: Readability test pages not found at $RP_DIR; skipping that part"
    RUN_RP=0
fi
[ $((RUN_SH + RUN_RP)) -gt 0 ] || { echo "extract.sh: no extraction data; skipping"; exit 0; }

[ -x "$PY" ] || die "$PY is missing (Debian's python3)"
"$PY" -c 'import lxml.html' 2>/dev/null ||
    die "$PY cannot import lxml; install it: apt-get install python3-lxml"
[ -x "$BENCH_EXTRACT" ] ||
    die "$BENCH_EXTRACT is missing; build it first (make $BENCH_EXTRACT)"
command -v taskset >/dev/null 2>&1 ||
    die "taskset is missing; install it: apt-get install util-linux"
RUN_PEER=1
skip "${EXTRACT_SKIP_PEER:-0}" && RUN_PEER=0
if [ "$RUN_PEER" = 1 ]; then
    "$PY" -c 'from readability import Document' 2>/dev/null ||
        die "$PY cannot import readability (readability-lxml); install it:" \
            "apt-get install python3-readability, or set EXTRACT_SKIP_PEER=1"
fi

mkdir -p "$OUTDIR"
# Results of this run only: an old section must not reach the tables.
rm -f "$OUTDIR"/*-speed.json "$OUTDIR"/*.result.json "$OUTDIR"/extract.txt

pin() { taskset -c "$CPU" "$@"; }

# ---- the pages, unpacked once ---------------------------------------------
# unpack_scrapinghub: html/<id>.html.gz -> $OUTDIR/scrapinghub/<id>.html and
# the list of PATH<TAB>URL lines the harnesses read.
unpack_scrapinghub() {
    local dir=$OUTDIR/scrapinghub gz out n=0
    mkdir -p "$dir"
    for gz in "$SH_DIR"/html/*.html.gz; do
        out=$dir/$(basename "$gz" .gz)
        if [ ! -s "$out" ] || [ "$gz" -nt "$out" ]; then
            gunzip -c "$gz" >"$out.tmp" || { rm -f "$out.tmp"; die "cannot unpack $gz"; }
            mv "$out.tmp" "$out"
            n=$((n + 1))
        fi
    done
    [ "$n" -eq 0 ] || note "unpacked $n scrapinghub pages into $dir"
    if stale "$OUTDIR/scrapinghub.list" "$SH_DIR/ground-truth.json" "$EVAL"; then
        "$PY" "$EVAL" pagelist --data "$SH_DIR" --dir "$dir" >"$OUTDIR/scrapinghub.list.tmp" ||
            { rm -f "$OUTDIR/scrapinghub.list.tmp"; die "listing the scrapinghub pages failed"; }
        mv "$OUTDIR/scrapinghub.list.tmp" "$OUTDIR/scrapinghub.list"
    fi
}

# link_readability: <name>/source.html -> $OUTDIR/readability-pages/<name>.html, a
# symbolic link (the page is read in place; the file stem names the page).
# No URL is given: the test pages' own (fakehost) would name a fake outlet.
link_readability() {
    local dir=$OUTDIR/readability-pages src abs name
    mkdir -p "$dir"
    abs=$(cd "$RP_DIR" && pwd)
    for src in "$abs"/*/source.html; do
        name=$(basename "$(dirname "$src")")
        case $name in *[[:space:]]*) die "page folder with a space: $name" ;; esac
        [ "$(readlink "$dir/$name.html" 2>/dev/null)" = "$src" ] || ln -sfn "$src" "$dir/$name.html"
    done
    for src in "$dir"/*.html; do    # links to pages that are gone
        [ -e "$src" ] || rm -f "$src"
    done
    ls "$dir"/*.html >"$OUTDIR/readability-pages.list"
}

if [ "$RUN_SH" = 1 ]; then unpack_scrapinghub; fi
if [ "$RUN_RP" = 1 ]; then link_readability; fi

# ---- the runs, one at a time, pinned --------------------------------------
# run_tool NAME SET CMD...: CMD's summary JSON into $OUTDIR/NAME-SET-speed.json,
# its stderr into $OUTDIR/NAME-SET.log.
run_tool() {
    local name=$1 set=$2 t0=$SECONDS rc=0
    shift 2
    pin "$@" >"$OUTDIR/$name-$set-speed.json.tmp" 2>"$OUTDIR/$name-$set.log" || rc=$?
    if [ "$rc" -ne 0 ]; then
        tail -n 20 "$OUTDIR/$name-$set.log" >&2
        rm -f "$OUTDIR/$name-$set-speed.json.tmp"
        die "$name on $set failed (exit $rc); log: $OUTDIR/$name-$set.log"
    fi
    mv "$OUTDIR/$name-$set-speed.json.tmp" "$OUTDIR/$name-$set-speed.json"
    note "$name on $set in $((SECONDS - t0)) s"
}

SETS=()
if [ "$RUN_SH" = 1 ]; then SETS+=(scrapinghub); fi
if [ "$RUN_RP" = 1 ]; then SETS+=(readability-pages); fi
for set in "${SETS[@]}"; do
    run_tool storyline "$set" "$BENCH_EXTRACT" --repeat "$REPEAT" \
        --list "$OUTDIR/$set.list" --out "$OUTDIR/storyline-$set.jsonl"
    if [ "$RUN_PEER" = 1 ]; then
        run_tool readability-lxml "$set" "$PY" "$PEER" --repeat "$PEER_REPEAT" \
            --list "$OUTDIR/$set.list" --out "$OUTDIR/readability-lxml-$set.jsonl"
    fi
done

# ---- the tables -----------------------------------------------------------
PEER_NAME="readability-lxml (this run)"
RESULTS=()
{
    for set in "${SETS[@]}"; do
        args=(speed --set "$set" --cpu "$CPU" --storyline "$OUTDIR/storyline-$set-speed.json"
              --out "$OUTDIR/speed-$set.result.json")
        if [ "$RUN_PEER" = 1 ]; then
            args+=(--peer "$OUTDIR/readability-lxml-$set-speed.json")
        fi
        # The targets are set on the real-world pages.
        if [ "$set" = scrapinghub ]; then
            args+=(--max-p99-ms "$MAX_P99")
            if [ "$RUN_PEER" = 1 ]; then args+=(--min-ratio "$MIN_RATIO"); fi
        fi
        "$PY" "$EVAL" "${args[@]}"
        echo
    done
    if [ "$RUN_SH" = 1 ]; then
        args=(scrapinghub --data "$SH_DIR" --pred "$OUTDIR/storyline-scrapinghub.jsonl"
              --min-f1 "$MIN_F1" --out "$OUTDIR/scrapinghub.result.json")
        if [ "$RUN_PEER" = 1 ]; then
            args+=(--peer "$PEER_NAME=$OUTDIR/readability-lxml-scrapinghub.jsonl")
        fi
        "$PY" "$EVAL" "${args[@]}"
        echo
    fi
    if [ "$RUN_RP" = 1 ]; then
        args=(readability --data "$RP_DIR" --pred "$OUTDIR/storyline-readability-pages.jsonl"
              --out "$OUTDIR/readability-pages.result.json")
        if [ "$RUN_PEER" = 1 ]; then
            args+=(--peer "$PEER_NAME=$OUTDIR/readability-lxml-readability-pages.jsonl")
        fi
        "$PY" "$EVAL" "${args[@]}"
        echo
    fi
    for f in "$OUTDIR"/speed-*.result.json "$OUTDIR"/scrapinghub.result.json \
        "$OUTDIR"/readability-pages.result.json; do
        if [ -s "$f" ]; then RESULTS+=("$f"); fi
    done
    "$PY" "$EVAL" targets "${RESULTS[@]}"
} | tee "$OUTDIR/extract.txt"
