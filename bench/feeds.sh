#!/usr/bin/env bash
# Storyline feed benchmark: parse throughput (items/s) of sl_feed_parse
# against Debian's python3-feedparser over the same fixture feeds, each
# pinned to one core, with the ratio (target >= 50x); then a polling round
# over 1,000 feeds served on loopback by tests/e2e/feedserver.py: wall
# time and peak memory of `storyline fetch --all`, first with every feed
# new, then with every feed answering 304.
#
# Usage: bench/feeds.sh              (normally through `make bench-feeds`)
# Environment:
#   BENCH_FEEDS          the harness (default build/bench_feeds)
#   STORYLINE            the CLI (default build/storyline)
#   BENCH_CPU            the core every parse run, and the fetcher, is
#                        pinned to (default 0)
#   FEEDS_SERVER_CPU     the core of the feed server (default: the next
#                        core, when there is one; else unpinned)
#   FEEDS_N, FEEDS_SEED  the generated corpus (default 200 feeds, seed 1)
#   FEEDS_REPEAT         parse rounds for Storyline (default 5)
#   FEEDS_PEER_REPEAT    parse rounds for feedparser (default 1)
#   FEEDS_MIN_RATIO      items/s target, Storyline / feedparser (default 50)
#   FEEDS_POLL_N         feeds in the polling round (default 1000)
#   FEEDS_SKIP_PEER=1    leave feedparser out (no ratio)
#   FEEDS_SKIP_RAW=1     leave out the row of feedparser without sanitizing
#   FEEDS_SKIP_POLL=1    leave the polling round out
#
# The corpus (bench/gen_feeds.py) is made under build/bench/feeds/corpus/
# when it is missing, older than the generator or made with other
# FEEDS_N / FEEDS_SEED; everything else this writes is under
# build/bench/feeds/, the printed tables also in feeds.txt and the
# figures in feeds.json.  Missing a target prints MISS; the script fails
# only when something cannot run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

BENCH_FEEDS=${BENCH_FEEDS:-build/bench_feeds}
STORYLINE=${STORYLINE:-build/storyline}
CPU=${BENCH_CPU:-0}
N_FEEDS=${FEEDS_N:-200}
SEED=${FEEDS_SEED:-1}
REPEAT=${FEEDS_REPEAT:-5}
PEER_REPEAT=${FEEDS_PEER_REPEAT:-1}
MIN_RATIO=${FEEDS_MIN_RATIO:-50}
POLL_N=${FEEDS_POLL_N:-1000}
OUTDIR=build/bench/feeds
CORPUS=$OUTDIR/corpus
LIST=$CORPUS/feeds.list
POLLDIR=$OUTDIR/poll
SERVER=tests/e2e/feedserver.py

. bench/common.sh

skip() { [ "${1:-0}" = 1 ]; }
posint() { case $2 in ''|*[!0-9]*|0) die "$1 must be a positive integer" ;; esac; }

# ---- prerequisites --------------------------------------------------------
posint FEEDS_N "$N_FEEDS"
posint FEEDS_REPEAT "$REPEAT"
posint FEEDS_PEER_REPEAT "$PEER_REPEAT"
posint FEEDS_POLL_N "$POLL_N"
[ "$POLL_N" -le 10000 ] || die "FEEDS_POLL_N must be at most 10000 (the server's /many/ range)"
case $SEED in ''|*[!0-9]*) die "FEEDS_SEED must be a number" ;; esac
[ -x "$PY" ] || die "$PY is missing (Debian's python3)"
[ -x "$BENCH_FEEDS" ] ||
    die "$BENCH_FEEDS is missing; build it first (make $BENCH_FEEDS)"
command -v taskset >/dev/null 2>&1 ||
    die "taskset is missing; install it: apt-get install util-linux"
RUN_PEER=1 RUN_RAW=1 RUN_POLL=1
skip "${FEEDS_SKIP_PEER:-0}" && RUN_PEER=0 RUN_RAW=0
skip "${FEEDS_SKIP_RAW:-0}" && RUN_RAW=0
skip "${FEEDS_SKIP_POLL:-0}" && RUN_POLL=0
if [ "$RUN_PEER" = 1 ]; then
    "$PY" -c 'import feedparser' 2>/dev/null ||
        die "$PY cannot import feedparser; install it: apt-get install python3-feedparser," \
            "or set FEEDS_SKIP_PEER=1"
fi
if [ "$RUN_POLL" = 1 ]; then
    [ -x "$STORYLINE" ] || die "$STORYLINE is missing; build it first (make)"
    [ -x /usr/bin/time ] ||
        die "/usr/bin/time is missing (GNU time); install it: apt-get install time"
    [ -f "$SERVER" ] || die "$SERVER is missing"
fi

mkdir -p "$OUTDIR"
# Results of this run only: an old figure must not reach the tables.
rm -f "$OUTDIR"/*.result.json "$OUTDIR"/*.log "$OUTDIR"/feeds.txt "$OUTDIR"/feeds.json

pin() { taskset -c "$CPU" "$@"; }

# ---- the corpus, made once --------------------------------------------------
PARAMS="feeds=$N_FEEDS seed=$SEED"
if stale "$LIST" bench/gen_feeds.py ||
    [ "$(cat "$CORPUS/params" 2>/dev/null)" != "$PARAMS" ]; then
    note "generating $N_FEEDS feeds (seed $SEED) into $CORPUS"
    rm -f "$CORPUS/params"
    "$PY" bench/gen_feeds.py --feeds "$N_FEEDS" --seed "$SEED" --out "$CORPUS" ||
        die "generating the feeds failed"
    echo "$PARAMS" >"$CORPUS/params"
fi

# ---- the parse runs, one at a time, pinned -----------------------------------
# run_tool NAME CMD...: CMD's JSON into $OUTDIR/NAME.result.json, its stderr
# into $OUTDIR/NAME.log.
run_tool() {
    local name=$1 t0=$SECONDS rc=0
    shift
    pin "$@" >"$OUTDIR/$name.result.json.tmp" 2>"$OUTDIR/$name.log" || rc=$?
    if [ "$rc" -ne 0 ]; then
        tail -n 20 "$OUTDIR/$name.log" >&2
        rm -f "$OUTDIR/$name.result.json.tmp"
        die "$name failed (exit $rc); log: $OUTDIR/$name.log"
    fi
    mv "$OUTDIR/$name.result.json.tmp" "$OUTDIR/$name.result.json"
    note "$name in $((SECONDS - t0)) s"
}

run_tool storyline "$BENCH_FEEDS" --repeat "$REPEAT" --list "$LIST"
if [ "$RUN_PEER" = 1 ]; then
    run_tool feedparser "$PY" bench/feeds_peer.py --repeat "$PEER_REPEAT" --list "$LIST"
fi
if [ "$RUN_RAW" = 1 ]; then
    run_tool feedparser-raw "$PY" bench/feeds_peer.py --raw --repeat "$PEER_REPEAT" --list "$LIST"
fi

# ---- the polling round ----------------------------------------------------------
SERVER_PID=''
stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=''
    fi
}
trap stop_server EXIT

# start_server: tests/e2e/feedserver.py on a free loopback port (as
# tests/e2e/feeds_lib.bash starts it), on its own core when there is one.
start_server() {
    local i ncpu server_cpu=${FEEDS_SERVER_CPU:-} pinning=()
    ncpu=$(nproc)
    if [ -z "$server_cpu" ] && [ "$ncpu" -gt 1 ]; then
        server_cpu=$(( (CPU + 1) % ncpu ))
    fi
    if [ -n "$server_cpu" ]; then pinning=(taskset -c "$server_cpu"); fi
    SERVER_CPU_USED=${server_cpu:-any}
    rm -f "$POLLDIR/server.port"
    : >"$POLLDIR/server.log"
    "${pinning[@]}" "$PY" "$SERVER" --port 0 --root tests/fixtures/feeds \
        --port-file "$POLLDIR/server.port" --log "$POLLDIR/server.log" \
        --exit-with-parent >/dev/null 2>"$POLLDIR/server.err" &
    SERVER_PID=$!
    for ((i = 0; i < 200; i++)); do
        if [ -s "$POLLDIR/server.port" ]; then
            PORT=$(<"$POLLDIR/server.port")
            return 0
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    cat "$POLLDIR/server.err" >&2
    die "the feed server did not start"
}

# poll_round NAME: one `fetch --all` over every feed, timed; its JSON into
# $POLLDIR/NAME.json, "%e %M %U %S" into $POLLDIR/NAME.time, and the server
# log's lines of this round into $POLLDIR/NAME.server.log.
poll_round() {
    local name=$1 rc=0 before
    before=$(wc -l <"$POLLDIR/server.log")
    pin /usr/bin/time -f '%e %M %U %S' -o "$POLLDIR/$name.time" \
        "$STORYLINE" --db "$POLLDIR/poll.db" --json fetch --all --allow-private \
        --host-delay 0 --per-host 16 --no-pages \
        >"$POLLDIR/$name.json" 2>"$POLLDIR/$name.err" || rc=$?
    # Exit 1 is "some feeds failed": the counts say how many.
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
        tail -n 20 "$POLLDIR/$name.err" >&2
        die "fetch ($name) failed (exit $rc); log: $POLLDIR/$name.err"
    fi
    sleep 0.2   # the server logs a request once its response is over
    tail -n "+$((before + 1))" "$POLLDIR/server.log" >"$POLLDIR/$name.server.log"
    note "polling round $name: $(tail -n 1 "$POLLDIR/$name.json")"
}

if [ "$RUN_POLL" = 1 ]; then
    mkdir -p "$POLLDIR"
    rm -f "$POLLDIR"/*.json "$POLLDIR"/*.time "$POLLDIR"/*.log "$POLLDIR"/*.err \
        "$POLLDIR"/curl.*
    start_server
    rm -f "$POLLDIR/poll.db" "$POLLDIR/poll.db-wal" "$POLLDIR/poll.db-shm" "$POLLDIR/poll.db.index"
    "$PY" - "$POLL_N" "http://127.0.0.1:$PORT" >"$POLLDIR/feeds.opml" <<'PY'
import sys
n, base = int(sys.argv[1]), sys.argv[2]
print('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
print("<head><title>Polling benchmark: %d feeds</title></head>\n<body>" % n)
for i in range(n):
    print('<outline type="rss" text="Generated feed %d" title="Generated feed %d"'
          ' xmlUrl="%s/many/%d.xml" htmlUrl="https://many%d.example/"/>'
          % (i, i, base, i, i))
print("</body>\n</opml>")
PY
    "$STORYLINE" --db "$POLLDIR/poll.db" --json feeds import "$POLLDIR/feeds.opml" \
        >"$POLLDIR/import.json" 2>"$POLLDIR/import.err" ||
        { cat "$POLLDIR/import.err" >&2; die "feeds import failed"; }
    poll_round round1
    poll_round round2
    # The server's ceiling: curl fetching the same URLs, 16 at once (as the
    # fetcher's default concurrency), pinned where the fetcher ran.
    if command -v curl >/dev/null 2>&1; then
        for ((i = 0; i < POLL_N; i++)); do
            printf 'url = "http://127.0.0.1:%s/many/%d.xml"\noutput = "/dev/null"\n' "$PORT" "$i"
        done >"$POLLDIR/curl.cfg"
        before=$(wc -l <"$POLLDIR/server.log")
        pin /usr/bin/time -f '%e %M %U %S' -o "$POLLDIR/curl.time" \
            curl -sS --parallel --parallel-max 16 -K "$POLLDIR/curl.cfg" -w '%{http_code}\n' \
            >"$POLLDIR/curl.codes" 2>"$POLLDIR/curl.err" ||
            note "curl failed (see $POLLDIR/curl.err); no server ceiling"
        sleep 0.2
        tail -n "+$((before + 1))" "$POLLDIR/server.log" >"$POLLDIR/curl.server.log"
    fi
    stop_server
fi

# ---- the tables -----------------------------------------------------------------
"$PY" - "$OUTDIR" "$LIST" "$CPU" "$MIN_RATIO" "$RUN_POLL" "${SERVER_CPU_USED:-}" \
    "$(nproc)" <<'PY' | tee "$OUTDIR/feeds.txt"
import json, os, sys

outdir, listing, cpu, min_ratio, run_poll, server_cpu, ncpu = sys.argv[1:8]
min_ratio = float(min_ratio)

def load(name):
    p = os.path.join(outdir, name + ".result.json")
    if not os.path.exists(p):
        return None
    with open(p, encoding="utf-8") as f:
        return json.loads(f.read().strip().splitlines()[-1])

def group(n):
    return "{:,}".format(n)

sl, fp, raw = load("storyline"), load("feedparser"), load("feedparser-raw")
gen = {}
with open(listing, encoding="utf-8") as f:
    for line in f:
        cols = line.rstrip("\n").split("\t")
        if len(cols) >= 4:
            gen[os.path.splitext(os.path.basename(cols[0]))[0]] = (cols[2], int(cols[3]))
report = {"cpu": int(cpu), "target_ratio": min_ratio}

def subset(r, fmts):
    """items, bytes, seconds, items/s, MB/s of r over the formats fmts."""
    it = sum(r["formats"][k]["items"] for k in fmts if k in r["formats"])
    by = sum(r["formats"][k]["bytes"] for k in fmts if k in r["formats"])
    s = sum(r["formats"][k]["seconds"] for k in fmts if k in r["formats"])
    feeds = sum(r["formats"][k]["feeds"] for k in fmts if k in r["formats"])
    reps = r["runs"] // r["feeds"]
    return feeds, it, by, s, it * reps / s if s else 0.0, by * reps / 1e6 / s if s else 0.0

all_fmts = sorted(sl["formats"])
common = sorted(fp["formats"]) if fp else all_fmts
names = {"rss": "RSS", "atom": "Atom", "rdf": "RDF", "json": "JSON"}
label = "/".join(names.get(k, k) for k in common)

print("Feed parsing, one core (cpu %s): %s feeds, %s items, %.1f MB, generated "
      "(bench/gen_feeds.py)" % (cpu, group(sl["feeds"]), group(sl["items"]), sl["bytes"] / 1e6))
print()
hdr = "%-34s %6s %7s %11s %8s %8s %8s %9s" % (
    "", "feeds", "items", "items/s", "MB/s", "p50 ms", "p99 ms", "peak RSS")
print(hdr)
print("-" * len(hdr))

def row(name, r, fmts=None):
    if fmts is None:
        feeds, it, ips, mbs = r["feeds"], r["items"], r["items_per_s"], r["mb_per_s"]
    else:
        feeds, it, _, _, ips, mbs = subset(r, fmts)
    print("%-34s %6s %7s %11s %8.2f %8.3f %8.3f %6.1f MB" % (
        name, group(feeds), group(it), group(round(ips)), mbs, r["p50_ms"],
        r["p99_ms"], r["peak_rss_mb"]))

row("storyline %s (all formats)" % sl["version"], sl)
if fp:
    row("storyline (%s)" % label, sl, common)
    row("feedparser %s" % fp["version"], fp)
if raw:
    row("feedparser, no sanitize/resolve", raw)
print()
print("per format, items/s:  " + "   ".join(
    "%s %s%s" % (names.get(k, k), group(round(sl["formats"][k]["items_per_s"])),
                 (" vs %s" % group(round(fp["formats"][k]["items_per_s"])))
                 if fp and k in fp["formats"] else "")
    for k in all_fmts))
print("p50/p99: per feed, the median of its runs (storyline %d%s); peak RSS: getrusage, "
      "inputs included" % (sl["runs"] // sl["feeds"],
                           (", feedparser %d" % (fp["runs"] // fp["feeds"])) if fp else ""))
report["storyline"] = sl
if fp:
    s_ips = subset(sl, common)[4]
    ratio = s_ips / fp["items_per_s"] if fp["items_per_s"] else 0.0
    ok = ratio >= min_ratio
    print()
    print("ratio storyline / feedparser (%s): %.1fx   target >= %gx: %s" % (
        label, ratio, min_ratio, "ok" if ok else "MISS"))
    report.update(feedparser=fp, ratio=ratio, ratio_formats=common, target_met=ok)
    if raw:
        r2 = s_ips / raw["items_per_s"] if raw["items_per_s"] else 0.0
        print("ratio storyline / feedparser without sanitizing or URI resolution: %.1fx" % r2)
        report.update(feedparser_raw=raw, ratio_raw=r2)
    if fp.get("unsupported"):
        print("feedparser %s does not read JSON Feed (no release does yet): the %d json feeds "
              "are left out of its figures and the ratio" % (fp["version"], len(fp["unsupported"])))

# Item counts: both parsers against what the generator wrote.
print()
bad = []
for stem, (fmt, want) in sorted(gen.items()):
    got_sl = sl["counts"].get(stem)
    got_fp = fp["counts"].get(stem) if fp else None
    if got_sl != want or (fp and stem not in fp.get("unsupported", []) and got_fp != want):
        bad.append((stem, fmt, want, got_sl, got_fp))
checked = "storyline%s" % (" and feedparser" if fp else "")
if not bad:
    print("item counts: %s found the generated count in every feed (%s items)"
          % (checked, group(sum(w for _, w in gen.values()))))
else:
    print("WARNING: item counts differ (between the parsers, or from the generated count) "
          "in %d feeds:" % len(bad))
    for stem, fmt, want, a, b in bad[:20]:
        print("  %s (%s): generated %s, storyline %s%s" % (
            stem, fmt, want, a, (", feedparser %s" % b) if fp else ""))
    if len(bad) > 20:
        print("  ... and %d more" % (len(bad) - 20))
report["count_mismatches"] = [dict(zip(("feed", "format", "generated", "storyline", "feedparser"), b))
                              for b in bad]
notes = []
for name, r in (("storyline", sl), ("feedparser", fp)):
    if r and (r["failed"] or r["broken"] or r["bad_dates"]):
        notes.append("%s: %d failed, %d read in part, %d items with an unreadable date"
                     % (name, r["failed"], r["broken"], r["bad_dates"]))
for n in notes:
    print("WARNING: " + n)

if run_poll == "1":
    poll = os.path.join(outdir, "poll")

    def server_side(name):
        """requests, {status: n}, span s and rate of a round's server log."""
        reqs = []
        with open(os.path.join(poll, name + ".server.log"), encoding="utf-8") as f:
            for line in f:
                try:
                    reqs.append(json.loads(line))
                except ValueError:
                    pass
        span = (max(e["time"] for e in reqs) - min(e["time"] for e in reqs)) if len(reqs) > 1 else 0
        statuses = {}
        for e in reqs:
            statuses[e["status"]] = statuses.get(e["status"], 0) + 1
        return dict(requests=len(reqs), statuses=statuses, server_span_s=span,
                    server_req_per_s=(len(reqs) - 1) / span if span > 0 else 0.0)

    def timing(name):
        with open(os.path.join(poll, name + ".time"), encoding="utf-8") as f:
            wall, kib, user, sys_s = f.read().split()[-4:]
        return dict(wall_s=float(wall), peak_rss_mb=int(kib) * 1024 / 1e6,
                    cpu_s=float(user) + float(sys_s))

    rounds = []
    for name, what in (("round1", "first (all new)"), ("round2", "second (all 304)")):
        with open(os.path.join(poll, name + ".json"), encoding="utf-8") as f:
            j = json.loads(f.read().strip().splitlines()[-1])
        r = dict(round=name, what=what, fetch=j)
        r.update(timing(name))
        r.update(server_side(name))
        rounds.append(r)
    ceiling = None
    codes = os.path.join(poll, "curl.codes")
    if os.path.exists(codes) and os.path.getsize(codes) and os.path.exists(os.path.join(poll, "curl.time")):
        with open(codes, encoding="utf-8") as f:
            got = [c.strip() for c in f if c.strip()]
        ceiling = dict(round="curl", what="curl --parallel 16", responses=len(got),
                       ok=sum(1 for c in got if c == "200"))
        ceiling.update(timing("curl"))
        ceiling.update(server_side("curl"))
    n = rounds[0]["fetch"]["feeds"]
    print()
    print("Polling round: %s feeds (/many/N.xml, 5 items each) from tests/e2e/feedserver.py on "
          "loopback" % group(n))
    print("storyline fetch --all --allow-private --host-delay 0 --per-host 16 --no-pages "
          "(cpu %s; server cpu %s; %s cores)" % (cpu, server_cpu, ncpu))
    print()
    hdr = "%-20s %6s %6s %7s %6s %6s %8s %7s %7s %9s %8s" % (
        "", "feeds", "new", "fetched", "304", "errors", "seconds", "wall s", "cpu s",
        "peak RSS", "feeds/s")
    print(hdr)
    print("-" * len(hdr))
    for r in rounds:
        j = r["fetch"]
        print("%-20s %6s %6s %7s %6s %6s %8.2f %7.2f %7.2f %6.1f MB %8s" % (
            r["what"], group(j["feeds"]), group(j["new"]), group(j["fetched"]),
            group(j["not_modified"]), group(j["errors"]), j["seconds"], r["wall_s"],
            r["cpu_s"], r["peak_rss_mb"],
            group(round(j["feeds"] / j["seconds"])) if j["seconds"] else "-"))
    if ceiling:
        c = ceiling
        print("%-20s %6s %6s %7s %6s %6s %8s %7.2f %7.2f %6.1f MB %8s" % (
            c["what"], group(c["responses"]), "-", group(c["ok"]), "-",
            group(c["responses"] - c["ok"]), "-", c["wall_s"], c["cpu_s"], c["peak_rss_mb"],
            group(round(c["responses"] / c["wall_s"])) if c["wall_s"] else "-"))
    print()
    for r in rounds + ([ceiling] if ceiling else []):
        print("server, %s: %s requests (%s) answered over %.2f s: %s requests/s" % (
            r["what"], group(r["requests"]),
            ", ".join("%s %s" % (group(c), s) for s, c in sorted(r["statuses"].items())),
            r["server_span_s"], group(round(r["server_req_per_s"]))))
    print("seconds: the round as storyline reports it; wall s, cpu s (user + sys) and peak RSS:\n"
          "/usr/bin/time, the whole process.  curl (no validators, all 200s, nothing stored) shows\n"
          "the most this server answers: one Python process (ThreadingHTTPServer, one GIL) on the\n"
          "same %s-core machine answers every request, so the rounds measure it as much as the\n"
          "fetcher.  --no-pages: the generated items are teasers whose links point at\n"
          "https://manyN.example hosts that do not resolve, not at this server." % ncpu)
    report["poll"] = rounds
    if ceiling:
        report["poll_ceiling"] = ceiling

with open(os.path.join(outdir, "feeds.json"), "w", encoding="utf-8") as f:
    json.dump(report, f, indent=1)
    f.write("\n")
PY
