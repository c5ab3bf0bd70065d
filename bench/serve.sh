#!/usr/bin/env bash
# Storyline serving benchmark: wrk on loopback against the related-stories
# rail (/api/articles/{id}/related), the article page (/article/{id}) and
# /healthz of a server holding 100,000 generated articles, and, in the same
# run, a static file of the rail's size served by `python3 -m http.server`
# as a reference.  Requests/s, p50, p99, non-2xx answers and socket errors
# per endpoint, the server's peak RSS, and the target: >= 20,000 req/s for
# the JSON rail with p99 <= 10 ms (on 2 cores).
#
# Usage: bench/serve.sh              (normally through `make bench-serve`)
# Environment:
#   STORYLINE          the CLI (default build/storyline)
#   SERVE_N, SERVE_SEED  the generated corpus (default 100000 articles, seed 1)
#   SERVE_IDS          article ids the wrk script rotates through, spread
#                      over the store (default 16); the server's response
#                      cache holds them all
#   SERVE_COLD_IDS     ids of a second rail run, more than the response cache
#                      holds (4,096 slots), so that rails are computed
#                      (default 20000; 0: no such run)
#   SERVE_THREADS      the server's worker threads (default 2)
#   SERVE_CONNS        wrk connections (default 64)
#   SERVE_WRK_THREADS  wrk threads (default 2)
#   SERVE_DURATION     each measured run (default 10s)
#   SERVE_WARMUP       a rail run before the measured ones (default 3s; 0: none)
#   SERVE_CPU, WRK_CPU the server's core and wrk's (default 1 and 0 on a
#                      machine with 2 cores or more; unpinned on one core)
#   SERVE_LIMITS       auto (default): `storyline serve --rate 0` when the CLI
#                      has that option, else build/bench/serve/serve_nolimit,
#                      the same library server with the per-address rate
#                      limit and connection cap off; cli: the CLI as it is
#                      (limits on); harness: serve_nolimit in any case
#   SERVE_CLI_ROW      1 (default): when the harness is used, also a rail run
#                      against the CLI as shipped, limits on; 0: not
#   SERVE_TARGET_RPS, SERVE_TARGET_P99_MS  the target (20000, 10)
#   SERVE_REBUILD=1    rebuild the database even when it is current
#
# Everything goes under build/bench/serve/: the database (rebuilt only when
# it is missing, older than the corpus or SERVE_REBUILD=1), the wrk scripts
# and outputs, the static file, the table in serve.txt and the figures in
# serve.json.  Missing the target prints MISS; the script fails only when
# something cannot run.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

STORYLINE=${STORYLINE:-build/storyline}
N=${SERVE_N:-100000}
SEED=${SERVE_SEED:-1}
N_IDS=${SERVE_IDS:-16}
N_COLD=${SERVE_COLD_IDS:-20000}
THREADS=${SERVE_THREADS:-2}
CONNS=${SERVE_CONNS:-64}
WRK_THREADS=${SERVE_WRK_THREADS:-2}
DURATION=${SERVE_DURATION:-10s}
WARMUP=${SERVE_WARMUP:-3s}
LIMITS=${SERVE_LIMITS:-auto}
CLI_ROW=${SERVE_CLI_ROW:-1}
TARGET_RPS=${SERVE_TARGET_RPS:-20000}
TARGET_P99=${SERVE_TARGET_P99_MS:-10}
OUTDIR=build/bench/serve
BUILD=${BUILD:-build}

. bench/common.sh

posint() { case $2 in ''|*[!0-9]*|0) die "$1 must be a positive integer" ;; esac; }
secs() { case $2 in 0|[1-9]*[0-9]s|[1-9]s) ;; *) die "$1 must be seconds like 10s (or 0)" ;; esac; }

# ---- prerequisites --------------------------------------------------------
posint SERVE_N "$N"
posint SERVE_IDS "$N_IDS"
case $N_COLD in ''|*[!0-9]*) die "SERVE_COLD_IDS must be a number" ;; esac
posint SERVE_THREADS "$THREADS"
posint SERVE_CONNS "$CONNS"
posint SERVE_WRK_THREADS "$WRK_THREADS"
secs SERVE_DURATION "$DURATION"
[ "$DURATION" != 0 ] || die "SERVE_DURATION must not be 0"
secs SERVE_WARMUP "$WARMUP"
case $SEED in ''|*[!0-9]*) die "SERVE_SEED must be a number" ;; esac
case $LIMITS in auto|cli|harness) ;; *) die "SERVE_LIMITS must be auto, cli or harness" ;; esac
[ -x "$STORYLINE" ] || die "$STORYLINE is missing; build it first (make)"
[ -x "$PY" ] || die "$PY is missing (Debian's python3: the static reference and the tables)"
command -v wrk >/dev/null 2>&1 || die "wrk is missing; install it: apt-get install wrk"
command -v curl >/dev/null 2>&1 || die "curl is missing; install it: apt-get install curl"
command -v sqlite3 >/dev/null 2>&1 || die "sqlite3 is missing; install it: apt-get install sqlite3"
HAVE_TASKSET=0
command -v taskset >/dev/null 2>&1 && HAVE_TASKSET=1

mkdir -p "$OUTDIR"
# Results of this run only: an old figure must not reach the table.
rm -f "$OUTDIR"/*.wrk "$OUTDIR"/*.lua "$OUTDIR"/*.rss "$OUTDIR"/serve.txt \
    "$OUTDIR"/serve.json "$OUTDIR"/server-*.log "$OUTDIR"/static.log "$OUTDIR"/rows.tsv \
    "$OUTDIR"/load.before "$OUTDIR"/load.after "$OUTDIR"/cold.ids

# ---- cores ------------------------------------------------------------------
NCPU=$(nproc)
SERVER_PIN=() WRK_PIN=()
if [ "$HAVE_TASKSET" = 1 ] && [ "$NCPU" -ge 2 ]; then
    SERVER_CPU=${SERVE_CPU:-1} WRK_CPU_USED=${WRK_CPU:-0}
    SERVER_PIN=(taskset -c "$SERVER_CPU") WRK_PIN=(taskset -c "$WRK_CPU_USED")
    PINNING="server pinned to cpu $SERVER_CPU, wrk to cpu $WRK_CPU_USED (taskset), $NCPU cores"
else
    PINNING="not pinned: $NCPU core(s)$([ "$HAVE_TASKSET" = 1 ] || echo ', no taskset'); server and wrk share"
fi

# ---- the database, built once -------------------------------------------------
generated_corpus "$N" "$SEED"
DB=$OUTDIR/gen-$N$([ "$SEED" = 1 ] || echo "-seed$SEED").db
STAMP=$DB.done
if [ "${SERVE_REBUILD:-0}" = 1 ] || [ ! -s "$DB" ] || stale "$STAMP" "$GEN_CORPUS"; then
    note "building $DB from $GEN_CORPUS"
    rm -f "$STAMP"
    DB=$(fresh_db "$(basename "$DB" .db)")
    ingest "$DB" "$GEN_CORPUS"
    echo "$GEN_CORPUS $(stat -c %s "$GEN_CORPUS")" >"$STAMP"
fi
N_STORED=$(sqlite3 -batch -noheader "file:$DB?mode=ro" 'SELECT count(*) FROM articles') ||
    die "cannot read $DB"
[ "$N_STORED" -gt 0 ] || die "$DB holds no articles"

# N_IDS ids spread evenly over the store (in insertion order).
# spread N: N ids spread evenly over the store (in insertion order).
spread() {
    local n=$1 step
    [ "$n" -le "$N_STORED" ] || die "$n ids asked for, more than the store holds ($N_STORED)"
    step=$((N_STORED / n))
    sqlite3 -batch -noheader "file:$DB?mode=ro" "
        SELECT id FROM (SELECT id, row_number() OVER (ORDER BY rowid) - 1 AS r FROM articles)
        WHERE r % $step = $((step / 2)) ORDER BY r LIMIT $n"
}
mapfile -t IDS < <(spread "$N_IDS")
[ "${#IDS[@]}" -eq "$N_IDS" ] || die "could not pick $N_IDS article ids from $DB"
if [ "$N_COLD" -gt 0 ]; then
    spread "$N_COLD" >"$OUTDIR/cold.ids"
    [ "$(wc -l <"$OUTDIR/cold.ids")" -eq "$N_COLD" ] || die "could not pick $N_COLD article ids from $DB"
fi

# ---- the server without limits, when the CLI cannot turn them off -------------
# serve_nolimit DB PORT THREADS: sl_server_start as `storyline serve` calls
# it, but with rate = 0 and per_ip = 0.  Built from the library the CLI is
# built from, and rebuilt when the library or its header is newer.
HARNESS=$OUTDIR/serve_nolimit
build_harness() {
    local lib=$BUILD/libstoryline.a
    [ -f "$lib" ] || die "$lib is missing; build it first (make)"
    stale "$HARNESS" "$lib" include/storyline.h "$0" || return 0
    command -v gcc >/dev/null 2>&1 || die "gcc is missing (needed for $HARNESS)"
    pkg-config --exists sqlite3 jansson libutf8proc libxxhash libxml-2.0 libcurl libmicrohttpd ||
        die "the library's development files are missing (scripts/install-deps)"
    note "compiling $HARNESS"
    cat >"$HARNESS.c" <<'C'
/* Written by bench/serve.sh: `storyline serve` without the per-address
 * rate limit and connection cap, so that one loopback client can load it. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "storyline.h"

static volatile sig_atomic_t stopping;
static void on_stop(int sig) { (void)sig; stopping = 1; }

int main(int argc, char **argv)
{
	sl_engine *e;
	sl_server *s;
	sl_serve_opts so;
	struct sigaction sa = {0};

	if (argc != 4) {
		fprintf(stderr, "usage: serve_nolimit DB PORT THREADS\n");
		return 2;
	}
	if (sl_engine_open(&e, argv[1], 0) < 0) {
		fprintf(stderr, "serve_nolimit: %s\n", sl_error_last());
		return 3;
	}
	sl_serve_opts_init(&so);
	so.port = atoi(argv[2]);
	so.threads = atoi(argv[3]);
	so.rate = 0;   /* no per-address rate limit */
	so.per_ip = 0; /* no per-address connection cap */
	if (sl_server_start(&s, e, &so) < 0) {
		fprintf(stderr, "serve_nolimit: %s\n", sl_error_last());
		return 3;
	}
	printf("storyline: serving %s on http://%s:%d/ (writes off)\n", argv[1],
	       so.bind, sl_server_port(s));
	fflush(stdout);
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stopping)
		pause();
	sl_server_stop(s);
	sl_engine_free(e);
	return 0;
}
C
    # shellcheck disable=SC2046
    gcc -std=c11 -O2 -D_GNU_SOURCE -Iinclude -o "$HARNESS.tmp" "$HARNESS.c" "$lib" \
        $(pkg-config --libs sqlite3 jansson libutf8proc libxxhash libxml-2.0 libcurl libmicrohttpd) \
        -lstemmer -lm -lpthread || die "compiling $HARNESS failed"
    mv "$HARNESS.tmp" "$HARNESS"
}

HELP=$("$STORYLINE" help serve 2>&1 || true)
CLI_RATE=0
grep -q -- '--rate' <<<"$HELP" && CLI_RATE=1
CLI_PER_IP=''
for o in --per-ip --per-address --max-per-ip; do
    if grep -q -- "$o" <<<"$HELP"; then CLI_PER_IP=$o; break; fi
done
# auto: the CLI itself when it can lift both limits for this many
# connections (--rate 0; the cap of 32 connections per address by an
# option, or not reached), else the harness.
case $LIMITS in
    auto)
        if [ "$CLI_RATE" = 1 ] && { [ -n "$CLI_PER_IP" ] || [ "$CONNS" -le 32 ]; }; then
            MODE=cli-nolimit
        else
            MODE=harness
            if [ "$CLI_RATE" = 1 ]; then
                note "storyline serve has --rate but no option for its cap of 32 connections" \
                    "per address: $CONNS connections from loopback would be refused in part;" \
                    "measuring the library's server without limits ($HARNESS)"
            else
                note "storyline serve has no option to lift its rate limit (50 req/s per" \
                    "address); measuring the library's server without limits ($HARNESS)"
            fi
        fi ;;
    cli) MODE=cli ;;
    harness) MODE=harness ;;
esac
[ "$MODE" = harness ] && build_harness

# ---- servers ------------------------------------------------------------------
SERVER_PID='' STATIC_PID=''
stop_pid() {
    local p=$1 i
    [ -n "$p" ] || return 0
    kill -TERM "$p" 2>/dev/null || return 0
    for ((i = 0; i < 100; i++)); do
        kill -0 "$p" 2>/dev/null || break
        sleep 0.05
    done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
}
cleanup() { stop_pid "$SERVER_PID"; stop_pid "$STATIC_PID"; }
SERVER_LOG=''
rm -f "$OUTDIR"/*.crashed
trap cleanup EXIT

# start_server NAME MODE: the server on a free port, pinned; sets SERVER_PID,
# BASE.  MODE: harness, cli (as shipped) or cli-nolimit (--rate 0).
start_server() {
    local name=$1 mode=$2 log=$OUTDIR/server-$1.log port='' t0=$SECONDS cmd
    case $mode in
        harness) cmd=("$HARNESS" "$DB" 0 "$THREADS") ;;
        cli) cmd=("$STORYLINE" --db "$DB" serve --port 0 --threads "$THREADS") ;;
        cli-nolimit)
            cmd=("$STORYLINE" --db "$DB" serve --port 0 --threads "$THREADS" --rate 0)
            [ -z "$CLI_PER_IP" ] || cmd+=("$CLI_PER_IP" 0) ;;
    esac
    env -u STORYLINE_TOKEN "${SERVER_PIN[@]}" "${cmd[@]}" >"$log" 2>&1 &
    SERVER_PID=$! SERVER_LOG=$log
    # Loading the index of 100,000 articles takes a while.
    if ! port=$(scripts/served-port "$log" "$SERVER_PID" 120); then
        cat "$log" >&2
        die "the server ($name) did not start; log: $log"
    fi
    BASE=http://127.0.0.1:$port
    curl -s --noproxy '*' -m 30 -o /dev/null "$BASE/healthz" ||
        die "the server ($name) does not answer /healthz"
    note "server ($name, ${cmd[0]}) up on port $port in $((SECONDS - t0)) s, pid $SERVER_PID"
}

rss_kb() { # PID FIELD: VmHWM or VmRSS in kB
    sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$1/status" 2>/dev/null || true
}

# lua NAME < PATHS: a wrk script taking the paths (one a line) in turn;
# each wrk thread starts at its own place in the list.
lua() {
    local name=$1
    {
        echo '-- written by bench/serve.sh'
        echo 'local paths = {'
        sed 's/.*/  "&",/'
        echo '}'
        cat <<'LUA'
local n = 0
counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end
function init(args)
  n = math.floor((tid or 0) * #paths / 2)
end
function request()
  n = n + 1
  return wrk.format(nil, paths[(n % #paths) + 1])
end
LUA
    } >"$OUTDIR/$name.lua"
}

# run_wrk NAME URL LUA DURATION [CONNECTIONS]: wrk pinned; its output in
# NAME.wrk; the server's RSS (when RSS_PID) in NAME.rss.  A server that
# died during the run is reported in NAME.crashed (and SERVER_PID cleared),
# not taken for a failure of the benchmark.
run_wrk() {
    local name=$1 url=$2 script=$3 dur=$4 conns=${5:-$CONNS} args=() rc=0 st=0
    [ -z "$script" ] || args=(-s "$OUTDIR/$script.lua")
    "${WRK_PIN[@]}" wrk -t"$WRK_THREADS" -c"$conns" -d"$dur" --latency "${args[@]}" "$url" \
        >"$OUTDIR/$name.wrk" 2>&1 || rc=$?
    if [ -n "${RSS_PID:-}" ]; then
        echo "$(rss_kb "$RSS_PID" VmRSS) $(rss_kb "$RSS_PID" VmHWM)" >"$OUTDIR/$name.rss"
    fi
    if [ -n "$SERVER_PID" ] && [ "${RSS_PID:-}" = "$SERVER_PID" ] &&
        ! kill -0 "$SERVER_PID" 2>/dev/null; then
        wait "$SERVER_PID" 2>/dev/null || st=$?
        echo "$st" >"$OUTDIR/$name.crashed"
        note "THE SERVER DIED during $name (exit status $st$([ "$st" -gt 128 ] &&
            echo ", signal $((st - 128))")); log: $SERVER_LOG"
        SERVER_PID='' RSS_PID=''
        return 0
    fi
    [ "$rc" -eq 0 ] || { cat "$OUTDIR/$name.wrk" >&2; die "wrk ($name) failed"; }
    note "$name: $(grep -E '^Requests/sec' "$OUTDIR/$name.wrk" || echo '?')"
}

# row NAME LABEL WHAT: a row of the table.
row() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$OUTDIR/rows.tsv"; }

printf '/api/articles/%s/related\n' "${IDS[@]}" | lua rail
printf '/article/%s\n' "${IDS[@]}" | lua page
[ "$N_COLD" -eq 0 ] || sed 's|.*|/api/articles/&/related|' "$OUTDIR/cold.ids" | lua cold

# ---- the measured server ----------------------------------------------------
cut -d' ' -f1 /proc/loadavg >"$OUTDIR/load.before" 2>/dev/null || true
start_server main "$MODE"
RSS_PID=$SERVER_PID
echo "$(rss_kb "$SERVER_PID" VmRSS) $(rss_kb "$SERVER_PID" VmHWM)" >"$OUTDIR/start.rss"
# Every id answers, and the sizes of what is served; the rail nearest the
# mean size is kept for the static reference.
STATIC_DIR=$OUTDIR/static
rm -rf "$STATIC_DIR"
mkdir -p "$STATIC_DIR"
RAIL_BYTES=0 PAGE_BYTES=0
for id in "${IDS[@]}"; do
    for kind in rail page; do
        if [ "$kind" = rail ]; then u="$BASE/api/articles/$id/related"; else u="$BASE/article/$id"; fi
        keep=/dev/null
        [ "$kind" = rail ] && keep=$STATIC_DIR/rail-$id.json
        out=$(curl -s --noproxy '*' -m 30 -o "$keep" -w '%{http_code} %{size_download}' "$u")
        [ "${out%% *}" = 200 ] || die "GET $u answered ${out%% *}, not 200"
        if [ "$kind" = rail ]; then RAIL_BYTES=$((RAIL_BYTES + ${out#* })); else PAGE_BYTES=$((PAGE_BYTES + ${out#* })); fi
    done
done
RAIL_BYTES=$((RAIL_BYTES / N_IDS)) PAGE_BYTES=$((PAGE_BYTES / N_IDS))
best='' best_d=''
for f in "$STATIC_DIR"/rail-*.json; do
    d=$(( $(stat -c %s "$f") - RAIL_BYTES )); d=${d#-}
    if [ -z "$best_d" ] || [ "$d" -lt "$best_d" ]; then best=$f best_d=$d; fi
done
mv "$best" "$STATIC_DIR/rail.json"
rm -f "$STATIC_DIR"/rail-*.json
echo "$(rss_kb "$SERVER_PID" VmRSS) $(rss_kb "$SERVER_PID" VmHWM)" >"$OUTDIR/first.rss"

if [ "$WARMUP" != 0 ]; then
    run_wrk warmup "$BASE" rail "$WARMUP"
fi
# restart_if_dead: a server that died in the last run is started again
# for the next one.
restart_if_dead() {
    [ -z "$SERVER_PID" ] || return 0
    start_server main-again "$MODE"
    RSS_PID=$SERVER_PID
}
run_wrk rail "$BASE" rail "$DURATION"
row rail "JSON rail /api/articles/{id}/related" "$N_IDS ids, ~$RAIL_BYTES B"
restart_if_dead
run_wrk page "$BASE" page "$DURATION"
row page "article page /article/{id}" "$N_IDS ids, ~$PAGE_BYTES B"
restart_if_dead
run_wrk healthz "$BASE/healthz" '' "$DURATION"
row healthz "/healthz" "16 B"
restart_if_dead
echo "$(rss_kb "$SERVER_PID" VmRSS) $(rss_kb "$SERVER_PID" VmHWM)" >"$OUTDIR/end.rss"
# Last on this server: rails computed, not cached.
if [ "$N_COLD" -gt 0 ]; then
    run_wrk cold "$BASE" cold "$DURATION"
    row cold "JSON rail, $N_COLD ids (uncached)" "$N_COLD ids in turn: each rail computed (cache of 4,096 slots)"
fi
stop_pid "$SERVER_PID"
SERVER_PID='' RSS_PID=''

# ---- the static reference: python3 -m http.server, pinned where the server was
# The file: a real rail, kept above.
STATIC_PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${SERVER_PIN[@]}" "$PY" -m http.server --bind 127.0.0.1 --directory "$STATIC_DIR" "$STATIC_PORT" \
    >"$OUTDIR/static.log" 2>&1 &
STATIC_PID=$!
for ((i = 0; i < 100; i++)); do
    curl -s --noproxy '*' -m 2 -o /dev/null "http://127.0.0.1:$STATIC_PORT/rail.json" && break
    kill -0 "$STATIC_PID" 2>/dev/null || { cat "$OUTDIR/static.log" >&2; die "python3 -m http.server did not start"; }
    sleep 0.1
done
STATIC_BYTES=$(stat -c %s "$STATIC_DIR/rail.json")
RSS_PID=$STATIC_PID
run_wrk static "http://127.0.0.1:$STATIC_PORT/rail.json" '' "$DURATION"
row static "static file, python3 -m http.server" "$STATIC_BYTES B, HTTP/1.0"
RSS_PID=''
stop_pid "$STATIC_PID"
STATIC_PID=''
rm -f "$OUTDIR/static.log"   # one line per request

# ---- the CLI itself, when the harness was measured ------------------------------
# With --rate 0 (when it has it): at $CONNS connections, over the cap of 32
# per address, and at 32; else as shipped (50 req/s per address).
CLI_DUR=5s
if [ "$MODE" = harness ] && [ "$CLI_ROW" = 1 ]; then
    if [ "$CLI_RATE" = 1 ]; then
        start_server cli cli-nolimit
        RSS_PID=$SERVER_PID
        run_wrk cli-warmup "$BASE" rail 2s 32
        run_wrk cli-rail "$BASE" rail "$CLI_DUR"
        row cli-rail "rail, CLI --rate 0, -c$CONNS" "storyline serve --rate 0: over the cap of 32 connections per address"
        if [ -z "$SERVER_PID" ]; then start_server cli-again cli-nolimit; RSS_PID=$SERVER_PID; fi
        if [ "$CONNS" -gt 32 ]; then
            run_wrk cli-rail32 "$BASE" rail "$CLI_DUR" 32
            row cli-rail32 "rail, CLI --rate 0, -c32" "storyline serve --rate 0: 32 connections, the cap"
        fi
    else
        start_server cli cli
        RSS_PID=$SERVER_PID
        run_wrk cli-rail "$BASE" rail "$CLI_DUR"
        row cli-rail "rail, storyline serve as shipped" "limits on: 50 req/s and 32 connections per address"
    fi
    RSS_PID=''
    stop_pid "$SERVER_PID"
    SERVER_PID=''
fi

# ---- the table --------------------------------------------------------------------
cut -d' ' -f1 /proc/loadavg >"$OUTDIR/load.after" 2>/dev/null || true
case $MODE in
    harness) SERVED_BY="$HARNESS (the library's server, built by this script, rate limit and per-address connection cap off)" ;;
    cli) SERVED_BY="$STORYLINE serve, limits on (50 req/s, 32 connections per address)" ;;
    cli-nolimit) SERVED_BY="$STORYLINE serve --rate 0${CLI_PER_IP:+ $CLI_PER_IP 0}" ;;
esac
"$PY" - "$OUTDIR" "$N_STORED" "$DB" "$THREADS" "$CONNS" "$WRK_THREADS" "$DURATION" \
    "$PINNING" "$SERVED_BY" "$TARGET_RPS" "$TARGET_P99" "$MODE" "$(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2)" \
    "$CLI_DUR" <<'PY' | tee "$OUTDIR/serve.txt"
import json, os, re, sys

(outdir, n_stored, db, threads, conns, wrk_threads, duration, pinning, served_by,
 target_rps, target_p99, mode, wrk_version, cli_dur) = sys.argv[1:15]
target_rps, target_p99 = float(target_rps), float(target_p99)
UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}

def ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    return float(m.group(1)) * UNIT[m.group(2)] if m else None

def parse(name):
    with open(os.path.join(outdir, name + ".wrk"), encoding="utf-8", errors="replace") as f:
        text = f.read()
    r = {"requests": 0, "seconds": 0.0, "rps": 0.0, "non2xx": 0,
         "errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0}}
    m = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", text)
    if m:
        r["requests"] = int(m.group(1))
        r["seconds"] = float(m.group(2)) * UNIT[m.group(3)] / 1000
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if m:
        r["rps"] = float(m.group(1))
    for p in ("50", "75", "90", "99"):
        m = re.search(r"^\s+%s%%\s+(\S+)" % p, text, re.M)
        r["p" + p + "_ms"] = ms(m.group(1)) if m else None
    m = re.search(r"^\s+Latency\s+(\S+)\s+(\S+)\s+(\S+)", text, re.M)
    r["max_ms"] = ms(m.group(3)) if m else None
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    if m:
        r["non2xx"] = int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        r["errors"] = dict(zip(("connect", "read", "write", "timeout"), map(int, m.groups())))
    ok = r["requests"] - r["non2xx"]
    r["ok_rps"] = ok / r["seconds"] if r["seconds"] else 0.0
    return r

def rss(name):
    p = os.path.join(outdir, name + ".rss")
    if not os.path.exists(p):
        return None, None
    v = (open(p).read().split() + ["", ""])[:2]
    return tuple(int(x) / 1024 if x else None for x in v)

def group(n):
    return "{:,}".format(int(round(n)))

def fmt_ms(v):
    return "-" if v is None else ("%.2f" % v if v < 100 else "%.0f" % v)

rows = []
with open(os.path.join(outdir, "rows.tsv"), encoding="utf-8") as f:
    for line in f:
        name, label, what = line.rstrip("\n").split("\t")
        r = parse(name)
        r.update(name=name, label=label, what=what)
        r["rss_mb"], r["peak_rss_mb"] = rss(name)
        cp = os.path.join(outdir, name + ".crashed")
        r["server_crashed"] = int(open(cp).read().strip() or 0) if os.path.exists(cp) else None
        rows.append(r)

print("Serving on loopback: %s articles (%s); wrk %s -t%s -c%s -d%s --latency"
      % (group(int(n_stored)), db, wrk_version, wrk_threads, conns, duration))
print("server: %s, --threads %s" % (served_by, threads))
print("%s" % pinning)
print()
hdr = "%-38s %10s %10s %8s %8s %8s %8s %8s %9s" % (
    "", "req/s", "2xx/s", "p50 ms", "p99 ms", "max ms", "non-2xx", "sock err", "peak RSS")
print(hdr)
print("-" * len(hdr))
for r in rows:
    errs = sum(r["errors"].values())
    print("%-38s %10s %10s %8s %8s %8s %8s %8s %9s%s" % (
        r["label"][:38], group(r["rps"]), group(r["ok_rps"]), fmt_ms(r["p50_ms"]),
        fmt_ms(r["p99_ms"]), fmt_ms(r["max_ms"]), group(r["non2xx"]), group(errs),
        "-" if r["peak_rss_mb"] is None else "%.0f MB" % r["peak_rss_mb"],
        "  CRASHED" if r["server_crashed"] is not None else ""))
print()
for r in rows:
    e = r["errors"]
    extra = ""
    if sum(e.values()):
        extra = " (connect %d, read %d, write %d, timeout %d)" % (
            e["connect"], e["read"], e["write"], e["timeout"])
    print("%-38s %s; %s requests in %.1f s%s" % (
        r["label"][:38], r["what"], group(r["requests"]), r["seconds"], extra))
    if r["server_crashed"] is not None:
        st = r["server_crashed"]
        print("%-38s WARNING: THE SERVER DIED during this run (exit status %d%s); its figures"
              " stop there" % ("", st, ", signal %d%s" % (st - 128, " = SIGSEGV" if st == 139 else "")
                              if st > 128 else ""))
start_rss, _ = rss("start")
first_rss, _ = rss("first")
end_rss, end_hwm = rss("end")
print()
print("server RSS: %s MB after start, %s MB after the first requests, %s MB at the end;"
      " peak (VmHWM) %s MB" % tuple("-" if v is None else "%.0f" % v
                                   for v in (start_rss, first_rss, end_rss, end_hwm)))
print("p50/p99/max: wrk's latency percentiles (closed loop, %s connections: latency under"
      " saturation, not at a fixed rate); 2xx/s: the requests/s less the non-2xx answers."
      % conns)

def loadavg(name):
    try:
        return float(open(os.path.join(outdir, "load." + name)).read().strip())
    except (OSError, ValueError):
        return None
la_before, la_after = loadavg("before"), loadavg("after")
if la_before is not None:
    print("load average (1 min): %.2f before the runs, %.2f after%s" % (
        la_before, la_after if la_after is not None else float("nan"),
        "  WARNING: other work was running on the machine; the figures are disturbed"
        if la_before > 0.5 else ""))

rail = next((r for r in rows if r["name"] == "rail"), None)
cold = next((r for r in rows if r["name"] == "cold"), None)
report = {"articles": int(n_stored), "db": db, "server": served_by, "mode": mode,
          "threads": int(threads), "connections": int(conns), "wrk_threads": int(wrk_threads),
          "duration": duration, "pinning": pinning, "rows": rows,
          "loadavg": {"before": la_before, "after": la_after},
          "server_rss_mb": {"start": start_rss, "first_requests": first_rss, "end": end_rss,
                            "peak": end_hwm},
          "target": {"rps": target_rps, "p99_ms": target_p99}}
if rail:
    ok_rps = rail["ok_rps"] >= target_rps
    ok_p99 = rail["p99_ms"] is not None and rail["p99_ms"] <= target_p99
    clean = (rail["non2xx"] == 0 and sum(rail["errors"].values()) == 0
             and rail["server_crashed"] is None)
    print()
    print("target, JSON rail: >= %s req/s (2xx): %s  %s" % (
        group(target_rps), group(rail["ok_rps"]), "PASS" if ok_rps else "MISS"))
    print("target, JSON rail: p99 <= %g ms: %s ms  %s" % (
        target_p99, fmt_ms(rail["p99_ms"]), "PASS" if ok_p99 else "MISS"))
    print("JSON rail: %s" % ("every answer 2xx, no socket errors" if clean else
                            "WARNING: %s non-2xx answers, %s socket errors"
                            % (group(rail["non2xx"]), group(sum(rail["errors"].values())))))
    report["target"].update(rps_met=ok_rps, p99_met=ok_p99, clean=clean)
if cold:
    c_rps = cold["ok_rps"] >= target_rps and cold["server_crashed"] is None
    c_p99 = cold["p99_ms"] is not None and cold["p99_ms"] <= target_p99 and cold["server_crashed"] is None
    print("uncached rails (%s): %s req/s %s, p99 %s ms %s%s" % (
        cold["label"].split(", ", 1)[1].split(" (")[0], group(cold["ok_rps"]),
        "PASS" if c_rps else "MISS", fmt_ms(cold["p99_ms"]), "PASS" if c_p99 else "MISS",
        "  THE SERVER CRASHED" if cold["server_crashed"] is not None else
        "" if cold["non2xx"] == 0 and sum(cold["errors"].values()) == 0 else
        "  WARNING: %s non-2xx, %s socket errors" % (group(cold["non2xx"]),
                                                     group(sum(cold["errors"].values())))))
    report["target"].update(cold_rps_met=c_rps, cold_p99_met=c_p99)
static = next((r for r in rows if r["name"] == "static"), None)
if rail and static and static["rps"]:
    print("JSON rail / static python3 reference: %.1fx the requests/s" % (rail["ok_rps"] / static["rps"]))
if mode == "harness":
    print()
    print("NOTE: the main rows are the library's server (sl_server_start, as `storyline serve`"
          " calls it)\nwith rate = 0 and per_ip = 0: `storyline serve` cannot lift its cap of 32"
          " connections per\naddress (and, before --rate, its 50 req/s), so %s connections from"
          " one loopback client\nare refused in part.%s"
          % (conns, "  The CLI rows (%s each) show what it gives." % cli_dur
             if any(r["name"].startswith("cli-") for r in rows) else ""))

with open(os.path.join(outdir, "serve.json"), "w", encoding="utf-8") as f:
    json.dump(report, f, indent=1)
    f.write("\n")
PY
