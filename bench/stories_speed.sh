#!/usr/bin/env bash
# Storyline stories speed benchmark: what copies and stories cost.
#
#   bench/stories_speed.sh        (normally through `make bench-stories`)
#
# On the generated corpus (bench/gen_corpus.py, as the search benchmark):
#  1. a full ingest of STORIES_N articles into a fresh database, one core:
#     articles/s with analysis, store, index, copy check and story;
#  2. `storyline restory` on that database: copies and stories again for
#     every article, articles/s;
#  3. bench_place: 1,000 new articles (another seed) placed in that store,
#     the assignment (copy check + story) and the whole add timed each.
# With STORIES_1M_DB=path (a database holding a larger corpus, such as the
# search benchmark's build/bench/search-gen-1000000/storyline.db), steps 2
# and 3 also run there.
# Environment: STORIES_N (default 100000), BENCH_CPU (default 0).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

N=${STORIES_N:-100000}
CPU=${BENCH_CPU:-0}
BIG=${STORIES_1M_DB:-}
OUTDIR=build/bench/stories-speed
STORYLINE=build/storyline
PLACE=build/bench_place

. bench/common.sh

case $N in ''|*[!0-9]*|0) die "STORIES_N must be a positive integer" ;; esac
[ -x "$STORYLINE" ] && [ -x "$PLACE" ] ||
    die "$STORYLINE or $PLACE is missing; run make bench-stories"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
command -v taskset >/dev/null 2>&1 || die "taskset is missing (util-linux)"
[ -z "$BIG" ] || [ -s "$BIG" ] || die "STORIES_1M_DB=$BIG does not exist"
mkdir -p "$OUTDIR"

generated_corpus "$N" 1
CORPUS=$GEN_CORPUS
generated_corpus 1000 7
NEW=$GEN_CORPUS

pin() { taskset -c "$CPU" "$@"; }

# timed NAME CMD...: run pinned under GNU time; wall seconds and peak RSS
# into $OUTDIR/NAME.time.
timed() {
    local name=$1
    shift
    pin /usr/bin/time -f '%e %M' -o "$OUTDIR/$name.time" "$@" \
        >"$OUTDIR/$name.log" 2>&1 || die "$name failed; see $OUTDIR/$name.log"
}
wall() { cut -d' ' -f1 "$OUTDIR/$1.time"; }
rss_mb() { awk '{ printf "%.1f", $2 / 1024 }' "$OUTDIR/$1.time"; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

db=$OUTDIR/ingest-$N.db
rm -f "$db" "$db"-* "$db.index"
note "ingesting $N articles (one core)"
timed ingest "$STORYLINE" --db "$db" ingest --quiet "$CORPUS"
note "restory of $N articles"
timed restory "$STORYLINE" --db "$db" restory --quiet
note "placing 1000 new articles among $N"
pin "$PLACE" "$db" "$NEW" >"$OUTDIR/place.json"
stories=$(sqlite3 -batch -noheader "$db" 'SELECT count(DISTINCT story) FROM placements')
copies=$(sqlite3 -batch -noheader "$db" 'SELECT count(*) FROM placements WHERE copy_of IS NOT NULL')

if [ -n "$BIG" ]; then
    big_n=$(sqlite3 -batch -noheader "$BIG" 'SELECT count(*) FROM articles')
    note "restory of $big_n articles in $BIG"
    timed restory-big "$STORYLINE" --db "$BIG" restory --quiet
    note "placing 1000 new articles among $big_n"
    pin "$PLACE" "$BIG" "$NEW" >"$OUTDIR/place-big.json"
fi

"$PY" - "$OUTDIR" "$N" "$(wall ingest)" "$(rss_mb ingest)" "$(wall restory)" \
    "$(rss_mb restory)" "$stories" "$copies" "${big_n:-}" \
    "$( [ -n "$BIG" ] && wall restory-big || true)" \
    "$( [ -n "$BIG" ] && rss_mb restory-big || true)" <<'PY' | tee "$OUTDIR/stories-speed.txt"
import json, sys
out, n, ing_s, ing_mb, rs_s, rs_mb, stories, copies, big_n, big_s, big_mb = sys.argv[1:12]
n = int(n)
def lat(path):
    d = json.load(open(path))
    return d
small = lat(out + "/place.json")
print("Stories speed (bench/stories_speed.sh), one core (taskset), generated corpus")
print("%-58s %12s" % ("", "value"))
print("%-58s %12s" % ("articles in the store", f"{n:,}"))
print("%-58s %12s" % ("stories / copies found", f"{int(stories):,} / {int(copies):,}"))
print("%-58s %12.1f" % ("full ingest (store, index, copies, stories) s", float(ing_s)))
r = n / float(ing_s)
print("%-58s %12s   target >= 5,000: %s" % ("full ingest articles/s", f"{r:,.0f}", "PASS" if r >= 5000 else "MISS"))
print("%-58s %12s" % ("full ingest peak RSS MB", ing_mb))
print("%-58s %12s" % ("restory (copies and stories again) articles/s", f"{n / float(rs_s):,.0f}"))
def place_rows(d, label):
    print("%-58s %12.2f" % (f"{label}: start-up, index + placer s", d["index_ready_s"] + d["placer_ready_s"]))
    for k, name in (("analysis", "analysis"), ("assign", "assign (copy check + story)"), ("add", "whole add (analysis, store, place)")):
        print("%-58s %12s" % (f"{label}: {name} p50 / p99 ms", "%.3f / %.3f" % (d[k]["p50_ms"], d[k]["p99_ms"])))
    a = d["assign"]["p99_ms"]
    print("%-58s %12s" % (f"{label}: assign mean ms", "%.3f" % d["assign"]["mean_ms"]))
    return a
place_rows(small, f"{n:,}")
if big_n:
    big = lat(out + "/place-big.json")
    print("%-58s %12s" % ("larger store: articles", f"{int(big_n):,}"))
    print("%-58s %12s" % ("larger store: restory articles/s", f"{int(big_n) / float(big_s):,.0f}"))
    print("%-58s %12s" % ("larger store: restory peak RSS MB", big_mb))
    a = place_rows(big, f"{int(big_n):,}")
    print("target: assigning a new article <= 1 ms at 1M: p99 %.3f ms (%s)" % (a, "PASS" if a <= 1 else "MISS"))
PY
