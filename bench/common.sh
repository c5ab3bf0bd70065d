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
