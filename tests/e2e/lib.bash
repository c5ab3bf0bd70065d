# Helpers for the end-to-end tests: each script sources this, runs checks
# against the real binary ($STORYLINE) in a fresh temp folder, and ends
# with `finish`, which prints "NAME: N passed, N failed, N skipped".
set -u
: "${STORYLINE:?set STORYLINE to the storyline binary}"
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SHARED=${SHARED:-$TOP/../shared}
T_NAME=$(basename "$0" .sh)
T_PASSED=0 T_FAILED=0 T_SKIPPED=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/storyline-$T_NAME.XXXXXX")

# at_exit COMMAND: run COMMAND when the script exits, the latest first,
# before $TMP (where servers keep their logs) is removed.
EXIT_HOOKS=()
at_exit() { EXIT_HOOKS=("$1" "${EXIT_HOOKS[@]}"); }
_on_exit() {
	local h
	for h in "${EXIT_HOOKS[@]}"; do
		eval "$h"
	done
	rm -rf "$TMP"
}
trap _on_exit EXIT

# Servers a script starts (their PIDs added to SERVER_PIDS) are stopped
# at exit: SIGTERM, then SIGKILL after 5 s.
SERVER_PIDS=()
stop_servers() {
	local p i
	for p in "${SERVER_PIDS[@]}"; do
		kill -0 "$p" 2>/dev/null || continue
		kill -TERM "$p" 2>/dev/null
		for ((i = 0; i < 50; i++)); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	return 0
}
at_exit stop_servers

# served_port LOG PID: the port storyline serve says it serves on, once it
# has (10 s at most); fails when it does not.
served_port() { "$TOP/scripts/served-port" "$1" "$2" 10; }
sl() { "$STORYLINE" "$@"; }

ok() { echo "ok - $1"; T_PASSED=$((T_PASSED + 1)); }
not_ok() { echo "not ok - $1"; T_FAILED=$((T_FAILED + 1)); }
skip() { echo "skip - $1"; T_SKIPPED=$((T_SKIPPED + 1)); }

# check DESC CMD...: passes when CMD exits 0.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1 (expected '$2', got '$3')"
	fi
}

# check_exit DESC CODE CMD...: passes when CMD exits with CODE.
check_exit() {
	local desc=$1 want=$2 got
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	check_eq "$desc (exit code)" "$want" "$got"
}

# SQL against a store, through the sqlite3 shell.
sql() { sqlite3 -batch -noheader "$1" "$2"; }

# load_labels DB: examples/labels.tsv (id, event, copy_of) as the table
# labels of DB, beside the placements.
load_labels() {
	tail -n +2 "$TOP/examples/labels.tsv" > "$TMP/labels.tsv"
	sqlite3 -batch "$1" <<SQL
CREATE TEMP TABLE x (id TEXT, event TEXT, copy_of TEXT);
.mode tabs
.import $TMP/labels.tsv x
CREATE TABLE labels AS SELECT * FROM x;
SQL
}

finish() {
	echo "$T_NAME: $T_PASSED passed, $T_FAILED failed, $T_SKIPPED skipped"
	[ "$T_FAILED" -eq 0 ]
}

# jget JSON PATH: one value out of a JSON text ("$.a.b").
jget() {
	printf '%s' "$1" > "$TMP/jget.json"
	sqlite3 -batch -noheader :memory: \
		"SELECT json_extract(CAST(readfile('$TMP/jget.json') AS TEXT), '$2')"
}
