# Shared by the benchmark scripts (sourced from the repository root):
# failing with the script's name, the peers' prerequisites, and building
# a C peer when it is missing or older than its source.
PY=/usr/bin/python3
BENCH_NAME=${BENCH_NAME:-$(basename "$0")}

die() { echo "$BENCH_NAME: $*" >&2; exit 1; }
note() { echo "$BENCH_NAME: $*" >&2; }

# GNU time, taskset and Debian's python3 with Xapian.
require_peer_tools() {
    [ -x /usr/bin/time ] ||
        die "/usr/bin/time is missing (GNU time); install it: apt-get install time"
    command -v taskset >/dev/null 2>&1 ||
        die "taskset is missing; install it: apt-get install util-linux"
    [ -x "$PY" ] || die "$PY is missing (Debian's python3 is needed for the Xapian peer)"
    "$PY" -c 'import xapian' 2>/dev/null ||
        die "$PY cannot import xapian; install it: apt-get install python3-xapian"
}

# build_c_peer SOURCE BINARY: compile an sqlite3 + jansson peer if needed.
build_c_peer() {
    [ -x "$2" ] && [ ! "$1" -nt "$2" ] && return 0
    command -v gcc >/dev/null 2>&1 || die "gcc is missing (needed for $2)"
    command -v pkg-config >/dev/null 2>&1 || die "pkg-config is missing"
    pkg-config --exists sqlite3 jansson ||
        die "sqlite3/jansson development files missing (apt-get install libsqlite3-dev libjansson-dev)"
    note "compiling $2"
    # shellcheck disable=SC2046
    gcc -std=c11 -Wall -Wextra -Werror -O2 -D_POSIX_C_SOURCE=200809L \
        -o "$2" "$1" $(pkg-config --cflags --libs sqlite3 jansson) ||
        die "compiling $1 failed"
}

# Reuters-21578 as JSON lines, converted once into $REUTERS from
# $REUTERS_SRC; without the corpus the calling benchmark is skipped.
REUTERS_SRC=${REUTERS_SRC:-${REUTERS_DIR:-../shared/data/corpora/reuters21578}}
REUTERS=${REUTERS:-build/bench/reuters.jsonl}
need_reuters() {
    if [ ! -s "$REUTERS" ] || [ bench/reuters2jsonl.py -nt "$REUTERS" ]; then
        if [ ! -d "$REUTERS_SRC" ] || ! ls "$REUTERS_SRC"/reut2-*.sgm >/dev/null 2>&1; then
            echo "$BENCH_NAME: Reuters-21578 not found at $REUTERS_SRC; skipping"
            exit 0
        fi
        note "converting $REUTERS_SRC -> $REUTERS"
        mkdir -p "$(dirname "$REUTERS")"
        "$PY" bench/reuters2jsonl.py "$REUTERS_SRC" >"$REUTERS.tmp" ||
            { rm -f "$REUTERS.tmp"; die "converting Reuters-21578 failed"; }
        mv "$REUTERS.tmp" "$REUTERS"
    fi
}

# generated_corpus N SEED: sets GEN_CORPUS to the generated corpus of N
# articles (bench/gen_corpus.py), made once and kept: a million articles
# take minutes. Delete the file to regenerate it.
generated_corpus() {
    local out=build/bench/gen-$1.jsonl start
    [ "$2" != 1 ] && out=build/bench/gen-$1-seed$2.jsonl
    if [ ! -s "$out" ]; then
        need_reuters
        note "generating $1 articles -> $out"
        start=$(date +%s)
        "$PY" bench/gen_corpus.py "$1" --seed "$2" --reuters "$REUTERS" \
            >"$out.tmp" || { rm -f "$out.tmp"; die "generating the corpus failed"; }
        mv "$out.tmp" "$out"
        note "generated in $(( $(date +%s) - start )) s, $(stat -c %s "$out") bytes"
    fi
    GEN_CORPUS=$out
}

# Shared by stories.sh and related.sh (STORYLINE and OUTDIR set).

# stale OUT DEP...: true when OUT is missing or older than a DEP.
stale() {
    local out=$1 dep
    shift
    [ -s "$out" ] || return 0
    for dep in "$@"; do [ "$dep" -nt "$out" ] && return 0; done
    return 1
}

# fresh_db NAME: path of an emptied database $OUTDIR/NAME.db.
fresh_db() {
    local db=$OUTDIR/$1.db
    rm -f "$db" "$db-wal" "$db-shm" "$db.index"
    echo "$db"
}

# ingest DB FILE: ingest FILE; exit 1 (some lines rejected) is reported and
# tolerated, anything else stops the benchmark.
ingest() {
    local db=$1 file=$2 rc=0 t0=$SECONDS
    local log=${db%.db}-ingest.log
    "$STORYLINE" --db "$db" ingest "$file" >"$log" 2>&1 || rc=$?
    case $rc in
        0) ;;
        1) note "some lines of $file were rejected (see $log):"; tail -n 5 "$log" >&2 ;;
        *) tail -n 20 "$log" >&2; die "ingest of $file failed (exit $rc); log: $log" ;;
    esac
    note "ingested $file into $db in $((SECONDS - t0)) s"
}
