#!/usr/bin/env bash
# Storyline ingest benchmark on Reuters-21578: Storyline against SQLite FTS5
# and Xapian, each pinned to one core.  See bench/README.md.
#
# Usage: bench/ingest.sh            (normally through `make bench`)
# Environment:
#   BENCH_CPU    core to pin to (default 0)
#   BENCH_RUNS   runs per ingest tool, the fastest is kept (default 3)
#   REUTERS_DIR  corpus directory (default ../shared/data/corpora/reuters21578)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

CPU=${BENCH_CPU:-0}
RUNS=${BENCH_RUNS:-3}
CORPUS=${REUTERS_DIR:-../shared/data/corpora/reuters21578}
OUTDIR=build/bench
JSONL=$OUTDIR/reuters.jsonl

. bench/common.sh

# ---- prerequisites --------------------------------------------------------
require_peer_tools
[ -x build/storyline ] ||
    die "build/storyline is missing; build it first (make)"
[ -x build/bench_analysis ] ||
    die "build/bench_analysis is missing; build it first (make build/bench_analysis)"
case $RUNS in ''|*[!0-9]*|0) die "BENCH_RUNS must be a positive integer" ;; esac

if [ ! -d "$CORPUS" ] || ! ls "$CORPUS"/reut2-*.sgm >/dev/null 2>&1; then
    echo "ingest.sh: Reuters-21578 not found at $CORPUS; skipping the ingest benchmark"
    exit 0
fi

mkdir -p "$OUTDIR"

FTS5=build/bench_fts5
if [ ! -x "$FTS5" ]; then
    FTS5=$OUTDIR/peer_fts5
    build_c_peer bench/peer_fts5.c "$FTS5"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/storyline-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# ---- corpus -> JSON lines (once) -----------------------------------------
if [ ! -s "$JSONL" ] || [ bench/reuters2jsonl.py -nt "$JSONL" ]; then
    echo "ingest.sh: converting $CORPUS -> $JSONL" >&2
    "$PY" bench/reuters2jsonl.py "$CORPUS" >"$JSONL.tmp" ||
        { rm -f "$JSONL.tmp"; die "converting Reuters-21578 failed"; }
    mv "$JSONL.tmp" "$JSONL"
fi

# ---- measuring ------------------------------------------------------------
RESULTS=$TMP/results.tsv
: >"$RESULTS"

# measure TOOL CMD... : run CMD pinned to one core under /usr/bin/time, check
# that the last stdout line is a JSON object with the keys the tool must
# report, and append "TOOL<TAB>RSS_KiB<TAB>WALL_s<TAB>JSON" to $RESULTS.
measure() {
    local tool=$1 keys rc=0
    shift
    case $tool in
        storyline) keys=stored,rejected,seconds ;;
        *) keys=articles,bytes,seconds ;;
    esac
    taskset -c "$CPU" /usr/bin/time -f '%M %e' -o "$TMP/time" "$@" \
        >"$TMP/stdout" 2>"$TMP/stderr" || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "ingest.sh: $tool failed (exit $rc): $*" >&2
        tail -n 20 "$TMP/stderr" >&2
        exit 1
    fi
    local rss wall summary
    read -r rss wall < <(tail -n 1 "$TMP/time")
    summary=$("$PY" - "$tool" "$keys" "$TMP/stdout" <<'PYEOF'
import json, sys
tool, keys, path = sys.argv[1], sys.argv[2].split(","), sys.argv[3]
lines = [l for l in open(path, encoding="utf-8", errors="replace") if l.strip()]
if not lines:
    sys.exit("ingest.sh: %s printed nothing on stdout" % tool)
try:
    obj = json.loads(lines[-1])
except ValueError:
    sys.exit("ingest.sh: %s: last stdout line is not JSON: %r" % (tool, lines[-1][:200]))
missing = [k for k in keys if not isinstance(obj, dict) or not isinstance(obj.get(k), (int, float))]
if missing:
    sys.exit("ingest.sh: %s: summary lacks numeric %s: %s" % (tool, ", ".join(missing), lines[-1].strip()[:200]))
if obj["seconds"] <= 0:
    sys.exit("ingest.sh: %s reported seconds <= 0" % tool)
print(json.dumps(obj, separators=(",", ":")))
PYEOF
    ) || exit 1
    printf '%s\t%s\t%s\t%s\n' "$tool" "$rss" "$wall" "$summary" >>"$RESULTS"
    echo "  $tool: $summary  (peak RSS ${rss} KiB, wall ${wall} s)" >&2
}

SDB=$OUTDIR/storyline.db
FDB=$OUTDIR/fts5.db
XDB=$OUTDIR/xapian.db

echo "ingest.sh: $RUNS run(s) per ingest tool on core $CPU" >&2
for ((i = 1; i <= RUNS; i++)); do
    rm -f "$SDB" "$SDB-wal" "$SDB-shm"
    measure storyline build/storyline ingest --db "$SDB" "$JSONL" --json
done
measure analysis build/bench_analysis "$JSONL"
for ((i = 1; i <= RUNS; i++)); do
    rm -f "$FDB" "$FDB-wal" "$FDB-shm"
    measure fts5 "$FTS5" "$FDB" "$JSONL"
done
for ((i = 1; i <= RUNS; i++)); do
    rm -rf "$XDB"
    measure xapian "$PY" bench/peer_xapian.py "$XDB" "$JSONL"
done

# ---- report ---------------------------------------------------------------
"$PY" - "$RESULTS" "$JSONL" "$CPU" "$OUTDIR/ingest.txt" "$OUTDIR/ingest.json" <<'PYEOF'
import json, os, sys
results, jsonl, cpu, txt_path, json_path = sys.argv[1:6]
with open(jsonl, "rb") as f:
    n_lines = sum(1 for line in f if line.strip())
n_bytes = os.path.getsize(jsonl)
MB = 1e6

runs = {}
for line in open(results, encoding="utf-8"):
    tool, rss, wall, js = line.rstrip("\n").split("\t", 3)
    runs.setdefault(tool, []).append(
        {"rss_kib": int(rss), "wall_s": float(wall), "report": json.loads(js)})
best = {t: min(r, key=lambda x: x["report"]["seconds"]) for t, r in runs.items()}

def rates(tool):
    b = best[tool]
    rep = b["report"]
    if tool == "storyline":
        arts = rep["stored"] + rep["rejected"]
        byts = n_bytes
    else:
        arts = rep["articles"]
        byts = rep["bytes"]
    s = rep["seconds"]
    return arts / s, byts / MB / s, b["rss_kib"] * 1024 / MB, b["wall_s"], s

rows = [("storyline ingest", "storyline"), ("storyline analysis only", "analysis"),
        ("sqlite fts5 (porter)", "fts5"), ("xapian (python3-xapian)", "xapian")]
ref = rates("storyline")[0]
out = []
out.append("Reuters-21578 ingest, {:,} articles, {:.1f} MB, one core (taskset -c {})"
           .format(n_lines, n_bytes / MB, cpu))
out.append("{:<24} {:>11} {:>9} {:>10} {:>8} {:>9} {:>14}".format(
    "tool", "articles/s", "MB/s", "peak RSS", "seconds", "wall s", "vs storyline"))
summary = {"articles": n_lines, "bytes": n_bytes, "cpu": int(cpu), "tools": {}}
for label, tool in rows:
    aps, mbs, rss, wall, secs = rates(tool)
    summary["tools"][tool] = {"articles_per_s": aps, "mb_per_s": mbs,
                              "peak_rss_kib": best[tool]["rss_kib"],
                              "wall_s": wall, "seconds": secs,
                              "report": best[tool]["report"],
                              "runs": len(runs[tool])}
    if tool == "analysis":
        rep = best[tool]["report"]
        out.append("{:<24} {:>11} {:>9.1f} {:>10} {:>8.3f} {:>9.2f} {:>14}".format(
            "storyline analysis cold", "-", mbs, "-", secs, wall, "-"))
        if "warm_seconds" in rep:
            out.append("{:<24} {:>11} {:>9.1f} {:>10} {:>8.3f} {:>9} {:>14}".format(
                "storyline analysis warm", "-", rep["warm_mb_per_s"], "-",
                rep["warm_seconds"], "-", "-"))
    else:
        out.append("{:<24} {:>11.1f} {:>9.1f} {:>7.1f} MB {:>8.3f} {:>9.2f} {:>13.2f}x".format(
            label, aps, mbs, rss, secs, wall, aps / ref))
st = best["storyline"]["report"]
ing = summary["tools"]["storyline"]["articles_per_s"]
ana = summary["tools"]["analysis"]["mb_per_s"]
warm = best["analysis"]["report"].get("warm_mb_per_s", 0)
out.append("targets: ingest >= 10000 articles/s ({}), analysis >= 100 MB/s "
           "(cold: {}, warm: {})".format(
    "met" if ing >= 10000 else "MISSED", "met" if ana >= 100 else "MISSED",
    "met" if warm >= 100 else "MISSED"))
out.append("cold: a new analyzer meets every word for the first time (a first "
           "ingest); warm: its token cache already holds the vocabulary (a "
           "running engine)")
out.append("storyline: stored {}, rejected {}; best of {} runs per ingest tool; "
           "rates use each tool's own seconds; MB = 10^6 bytes"
           .format(st["stored"], st["rejected"], len(runs["storyline"])))
if st["stored"] + st["rejected"] != n_lines:
    out.append("WARNING: storyline stored+rejected = {} but the input has {} lines"
               .format(st["stored"] + st["rejected"], n_lines))
for tool in ("fts5", "xapian"):
    if best[tool]["report"]["articles"] != n_lines:
        out.append("WARNING: {} indexed {} articles, input has {}".format(
            tool, best[tool]["report"]["articles"], n_lines))
text = "\n".join(out) + "\n"
sys.stdout.write(text)
with open(txt_path, "w", encoding="utf-8") as f:
    f.write(text)
with open(json_path, "w", encoding="utf-8") as f:
    json.dump(summary, f, indent=1)
    f.write("\n")
PYEOF
