#!/usr/bin/env bash
# Rail latency at scale (issue: Recommended Stories, speed): the rail of
# N articles spread over a store of the generated corpus (bench/gen_corpus.py,
# SEARCH_N articles, default 1,000,000), one core, timed by build/bench_rail.
#
# Two stores of the same articles:
#   bytime  - ingested in publication order, as feeds deliver news: the
#             +-7-day candidate window covers a few of the index's
#             4,096-document windows and the rest are skipped;
#   random  - the generator's order (dates drawn at random over a year),
#             the search benchmark's store (bench/search.sh builds it).
#             Its index is rebuilt from the store, which numbers articles
#             in publication order (an index built as they were stored,
#             in this order, holds some of every week in every window:
#             nothing is skipped, p50 20.9 ms instead of 1.8 ms); its
#             stories were placed in the generator's order.
# The second is measured only when bench/search.sh has built it.
#
# Usage: bench/rail_speed.sh   (make bench-rail)
# Environment: SEARCH_N (default 1000000), RAILS (default 1000),
#              BENCH_CPU (default 1)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. bench/common.sh

N=${SEARCH_N:-1000000}
RAILS=${RAILS:-1000}
BENCH_CPU=${BENCH_CPU:-1}
STORYLINE=${STORYLINE:-build/storyline}
[ -x build/bench_rail ] && [ -x "$STORYLINE" ] || die "build first: make build/bench_rail"
command -v taskset >/dev/null 2>&1 || die "taskset is missing (apt-get install util-linux)"

generated_corpus "$N" 1
BYTIME_CORPUS=build/bench/gen-$N-bytime.jsonl
if [ ! -s "$BYTIME_CORPUS" ] || [ "$GEN_CORPUS" -nt "$BYTIME_CORPUS" ]; then
    note "sorting $GEN_CORPUS by publication time -> $BYTIME_CORPUS"
    "$PY" - "$GEN_CORPUS" >"$BYTIME_CORPUS.tmp" <<'PYEOF'
import json, sys
with open(sys.argv[1], "rb") as f:
    lines = f.readlines()
lines.sort(key=lambda l: json.loads(l).get("published") or "")
sys.stdout.buffer.writelines(lines)
PYEOF
    mv "$BYTIME_CORPUS.tmp" "$BYTIME_CORPUS"
fi
WORK=build/bench/rail-gen-$N-bytime
DB=$WORK/storyline.db
if [ ! -s "$DB" ] || [ "$BYTIME_CORPUS" -nt "$DB" ]; then
    rm -rf "$WORK"; mkdir -p "$WORK"
    note "ingesting $BYTIME_CORPUS (minutes at a million)"
    start=$(date +%s)
    taskset -c "$BENCH_CPU" "$STORYLINE" --db "$DB" ingest --quiet "$BYTIME_CORPUS"
    note "ingested in $(( $(date +%s) - start )) s"
fi

run() { # label db
    local out
    out=$(taskset -c "$BENCH_CPU" build/bench_rail "$2" "$RAILS") || die "bench_rail $2 failed"
    echo "$out" >"$WORK/rail-$1.json"
    "$PY" - "$1" "$out" <<'PYEOF'
import json, sys
r = json.loads(sys.argv[2])
print("%-8s %9d articles  index ready %6.1f s  rails %5d  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  items %.1f"
      % (sys.argv[1], r["articles"], r["index_ready_s"], r["rails"], r["p50_ms"],
         r["p99_ms"], r["max_ms"], r["mean_items"]))
def share(same, n):
    return "%.3f (%d of %d)" % (same / n, same, n) if n else "- (none)"
print("%-8s items of the article's own topic: close %s, same subject %s"
      % ("", share(r["close_same_topic"], r["close_items"]),
         share(r["subject_same_topic"], r["subject_items"])))
PYEOF
}
echo "rail latency, one core (taskset -c $BENCH_CPU), $RAILS rails spread over the store:"
run bytime "$DB"
RANDOM_DB=build/bench/search-gen-$N/storyline.db
if [ -s "$RANDOM_DB" ]; then
    run random "$RANDOM_DB"
else
    echo "random   (no store: bench/search.sh builds $RANDOM_DB)"
fi
