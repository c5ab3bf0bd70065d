#!/usr/bin/env bash
# Storyline stories quality benchmark: exact copies (BBC), syndication
# copies (generated from BBC), same-story similarity (SemEval-2022 Task 8)
# events (the sample corpus) and topics (Reuters-21578).  See bench/README.md.
#
# Usage: bench/stories.sh            (normally through `make bench-stories`)
# Environment:
#   STORYLINE                 the binary (default build/storyline)
#   REUTERS_DIR               Reuters-21578 (default ../shared/data/corpora/reuters21578)
#   BBC_DIR                   BBC corpus (default ../shared/data/corpora/bbc)
#   SEMEVAL_CSV               SemEval pairs (default
#                             ../shared/data/pairs/semeval2022-task8-train.csv)
#   STORIES_SYND_N            originals to copy (default 300)
#   STORIES_SYND_SEED         seed of the copies (default 1)
#   STORIES_SKIP_BBC=1, STORIES_SKIP_SYNDICATION=1, STORIES_SKIP_SEMEVAL=1,
#   STORIES_SKIP_EVENTS=1, STORIES_SKIP_TOPICS=1
#                             leave a part out
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

STORYLINE=${STORYLINE:-build/storyline}
BBC_DIR=${BBC_DIR:-../shared/data/corpora/bbc}
SEMEVAL_CSV=${SEMEVAL_CSV:-../shared/data/pairs/semeval2022-task8-train.csv}
SYND_N=${STORIES_SYND_N:-300}
SYND_SEED=${STORIES_SYND_SEED:-1}
OUTDIR=build/bench/stories
EVAL=bench/stories_eval.py

. bench/common.sh

skip() { [ "${1:-0}" = 1 ]; }

# ---- prerequisites --------------------------------------------------------
[ -x "$PY" ] || die "$PY is missing (Debian's python3)"
[ -x "$STORYLINE" ] || die "$STORYLINE is missing; build it first (make)"
case $SYND_N in ''|*[!0-9]*|0) die "STORIES_SYND_N must be a positive integer" ;; esac
case $SYND_SEED in ''|*[!0-9]*) die "STORIES_SYND_SEED must be a non-negative integer" ;; esac

# require_command CMD: stop unless the binary has the command CMD.
require_command() {
    "$STORYLINE" help "$1" >/dev/null 2>&1 ||
        die "$STORYLINE has no '$1' command ('$STORYLINE help $1' failed); this benchmark needs" \
            "'stories --all --json' and 'similarity --pairs FILE --json' (see bench/README.md)"
}

RUN_BBC=1 RUN_SYND=1 RUN_SEMEVAL=1 RUN_EVENTS=1 RUN_TOPICS=1
skip "${STORIES_SKIP_BBC:-0}" && RUN_BBC=0
skip "${STORIES_SKIP_SYNDICATION:-0}" && RUN_SYND=0
skip "${STORIES_SKIP_SEMEVAL:-0}" && RUN_SEMEVAL=0
skip "${STORIES_SKIP_EVENTS:-0}" && RUN_EVENTS=0
skip "${STORIES_SKIP_TOPICS:-0}" && RUN_TOPICS=0
if [ $((RUN_BBC + RUN_SYND)) -gt 0 ] && ! ls "$BBC_DIR"/business/*.txt >/dev/null 2>&1; then
    echo "stories.sh: BBC corpus not found at $BBC_DIR; skipping parts a and b (copies)"
    RUN_BBC=0 RUN_SYND=0
fi
if [ "$RUN_SEMEVAL" = 1 ] && [ ! -f "$SEMEVAL_CSV" ]; then
    echo "stories.sh: SemEval pairs not found at $SEMEVAL_CSV; skipping part c (same story)"
    RUN_SEMEVAL=0
fi
if [ "$RUN_TOPICS" = 1 ] && [ ! -s "$REUTERS" ] && ! ls "$REUTERS_SRC"/reut2-*.sgm >/dev/null 2>&1; then
    echo "stories.sh: Reuters-21578 not found at $REUTERS_SRC; skipping part e (topics)"
    RUN_TOPICS=0
fi
[ $((RUN_BBC + RUN_SYND + RUN_SEMEVAL + RUN_EVENTS + RUN_TOPICS)) -gt 0 ] ||
    { echo "stories.sh: every part is skipped; nothing to do"; exit 0; }

[ $((RUN_BBC + RUN_SYND + RUN_EVENTS + RUN_TOPICS)) -gt 0 ] && require_command stories
[ "$RUN_SEMEVAL" = 1 ] && require_command similarity
if [ "$RUN_SEMEVAL" = 1 ]; then
    "$PY" -c 'import numpy, scipy, sklearn' 2>/dev/null ||
        die "$PY cannot import numpy/scipy/sklearn (needed for part c); install them:" \
            "apt-get install python3-sklearn"
fi

mkdir -p "$OUTDIR"
# Results of this run only: an old section must not reach the closing table.
rm -f "$OUTDIR"/bbc.json "$OUTDIR"/syndication.json "$OUTDIR"/semeval.json \
    "$OUTDIR"/events.json "$OUTDIR"/topics.json "$OUTDIR"/stories.txt "$OUTDIR"/stories.json
RESULTS=()

# stories DB OUT: `stories --all --json` into OUT.
stories() {
    local db=$1 out=$2 rc=0 t0=$SECONDS
    "$STORYLINE" --db "$db" stories --all --json >"$out.tmp" 2>"$out.err" || rc=$?
    if [ "$rc" -ne 0 ]; then
        tail -n 20 "$out.err" >&2
        die "'stories --all --json' failed (exit $rc) on $db"
    fi
    mv "$out.tmp" "$out"
    rm -f "$out.err"
    note "stories of $db in $((SECONDS - t0)) s"
}

# ---- corpus conversions (redone when their inputs change) -----------------
BBC_JSONL=$OUTDIR/bbc.jsonl
BBC_GROUPS=$OUTDIR/bbc-groups.json
if [ $((RUN_BBC + RUN_SYND)) -gt 0 ] &&
    { stale "$BBC_JSONL" bench/bbc2jsonl.py "$BBC_DIR" || [ ! -s "$BBC_GROUPS" ]; }; then
    note "converting $BBC_DIR -> $BBC_JSONL"
    "$PY" bench/bbc2jsonl.py "$BBC_DIR" --groups "$BBC_GROUPS" >"$BBC_JSONL.tmp" ||
        { rm -f "$BBC_JSONL.tmp"; die "converting the BBC corpus failed"; }
    mv "$BBC_JSONL.tmp" "$BBC_JSONL"
fi

# ---- a. exact copies (BBC) ------------------------------------------------
if [ "$RUN_BBC" = 1 ]; then
    note "a. exact copies: BBC News"
    db=$(fresh_db bbc)
    ingest "$db" "$BBC_JSONL"
    stories "$db" "$OUTDIR/bbc-stories.json"
    "$PY" "$EVAL" bbc --articles "$BBC_JSONL" --groups "$BBC_GROUPS" \
        --stories "$OUTDIR/bbc-stories.json" --out "$OUTDIR/bbc.json"
    RESULTS+=("$OUTDIR/bbc.json")
    echo
fi

# ---- b. syndication copies ------------------------------------------------
if [ "$RUN_SYND" = 1 ]; then
    note "b. syndication copies: $SYND_N originals, seed $SYND_SEED"
    SYND=$OUTDIR/syndication-n$SYND_N-s$SYND_SEED
    if stale "$SYND.jsonl" bench/syndicate.py "$BBC_JSONL" || [ ! -s "$SYND-truth.json" ]; then
        "$PY" bench/syndicate.py "$BBC_JSONL" --n "$SYND_N" --seed "$SYND_SEED" \
            --truth "$SYND-truth.json" >"$SYND.jsonl.tmp" ||
            { rm -f "$SYND.jsonl.tmp"; die "generating the syndication copies failed"; }
        mv "$SYND.jsonl.tmp" "$SYND.jsonl"
    fi
    db=$(fresh_db syndication)
    ingest "$db" "$SYND.jsonl"
    stories "$db" "$OUTDIR/syndication-stories.json"
    "$PY" "$EVAL" syndication --articles "$SYND.jsonl" --truth "$SYND-truth.json" \
        --groups "$BBC_GROUPS" --stories "$OUTDIR/syndication-stories.json" \
        --out "$OUTDIR/syndication.json"
    RESULTS+=("$OUTDIR/syndication.json")
    echo
fi

# ---- c. same story (SemEval-2022 Task 8) ----------------------------------
if [ "$RUN_SEMEVAL" = 1 ]; then
    note "c. same story: SemEval-2022 Task 8"
    SEM=$OUTDIR/semeval
    if stale "$SEM.jsonl" bench/semeval2jsonl.py "$SEMEVAL_CSV" ||
        [ ! -s "$SEM-pairs.tsv" ] || [ ! -s "$SEM-gold.tsv" ]; then
        "$PY" bench/semeval2jsonl.py "$SEMEVAL_CSV" --pairs "$SEM-pairs.tsv" \
            --gold "$SEM-gold.tsv" >"$SEM.jsonl.tmp" ||
            { rm -f "$SEM.jsonl.tmp"; die "converting the SemEval pairs failed"; }
        mv "$SEM.jsonl.tmp" "$SEM.jsonl"
    fi
    db=$(fresh_db semeval)
    ingest "$db" "$SEM.jsonl"
    rc=0 t0=$SECONDS
    "$STORYLINE" --db "$db" similarity --pairs "$SEM-pairs.tsv" --json \
        >"$SEM-similarity.jsonl.tmp" 2>"$SEM-similarity.err" || rc=$?
    if [ "$rc" -ne 0 ]; then
        tail -n 20 "$SEM-similarity.err" >&2
        die "'similarity --pairs $SEM-pairs.tsv --json' failed (exit $rc)"
    fi
    mv "$SEM-similarity.jsonl.tmp" "$SEM-similarity.jsonl"
    rm -f "$SEM-similarity.err"
    note "similarity of $(wc -l <"$SEM-pairs.tsv") pairs in $((SECONDS - t0)) s"
    "$PY" "$EVAL" semeval --articles "$SEM.jsonl" --gold "$SEM-gold.tsv" \
        --pred "$SEM-similarity.jsonl" --out "$OUTDIR/semeval.json"
    RESULTS+=("$OUTDIR/semeval.json")
    echo
fi

# ---- d. events (sample corpus) --------------------------------------------
if [ "$RUN_EVENTS" = 1 ]; then
    note "d. events: examples/sample.jsonl"
    db=$(fresh_db events)
    ingest "$db" examples/sample.jsonl
    stories "$db" "$OUTDIR/events-stories.json"
    "$PY" "$EVAL" events --labels examples/labels.tsv \
        --stories "$OUTDIR/events-stories.json" --out "$OUTDIR/events.json"
    RESULTS+=("$OUTDIR/events.json")
    echo
fi

# ---- e. topics (Reuters-21578) ---------------------------------------------
if [ "$RUN_TOPICS" = 1 ]; then
    note "e. topics: Reuters-21578"
    need_reuters
    db=$(fresh_db reuters)
    ingest "$db" "$REUTERS"
    stories "$db" "$OUTDIR/reuters-stories.json"
    "$PY" "$EVAL" topics --articles "$REUTERS" \
        --stories "$OUTDIR/reuters-stories.json" --out "$OUTDIR/topics.json"
    RESULTS+=("$OUTDIR/topics.json")
    echo
fi

# ---- closing table --------------------------------------------------------
"$PY" "$EVAL" table "${RESULTS[@]}" --txt "$OUTDIR/stories.txt" --json "$OUTDIR/stories.json"
