# Helpers for the end-to-end tests of feeds and fetching: source this after
# lib.bash. start_feedserver runs tests/e2e/feedserver.py on a free loopback
# port with tests/fixtures/feeds/ as its root (routes: the script's opening
# comment; fixtures: tests/fixtures/feeds/README.md), and stops it when the
# script exits, before lib.bash removes $TMP.
#
#   . "$(dirname "$0")/lib.bash"
#   . "$(dirname "$0")/feeds_lib.bash"
#   start_feedserver || { skip "no feed server"; finish; exit; }
#   sl feeds add "$FEEDS_BASE/count/rss2.xml" --db "$TMP/db"
#   sl fetch --db "$TMP/db"; sl fetch --db "$TMP/db"
#   check_eq "second round is a 304" 1 "$(served_count /count/rss2.xml 304)"

FEEDS_DIR=$TOP/tests/fixtures/feeds
FEEDSERVER=$TOP/tests/e2e/feedserver.py
FEEDS_PYTHON=${FEEDS_PYTHON:-/usr/bin/python3}
FEEDS_BASE='' FEEDS_PORT='' FEEDS_LOG='' FEEDSERVER_PID=''

# start_feedserver [EXTRA ARGS...]: starts the server in the background and
# waits (up to 10 s) for it to listen. Sets FEEDS_BASE (http://127.0.0.1:PORT),
# FEEDS_PORT, FEEDS_LOG (its JSON-lines request log) and FEEDSERVER_PID.
# Returns 1, with the server's stderr, when it does not come up.
start_feedserver() {
	local port_file=$TMP/feedserver.port i
	[ -z "$FEEDSERVER_PID" ] || stop_feedserver
	FEEDS_LOG=$TMP/feedserver.log
	rm -f "$port_file"
	: >"$FEEDS_LOG"
	"$FEEDS_PYTHON" "$FEEDSERVER" --port 0 --root "$FEEDS_DIR" \
		--port-file "$port_file" --log "$FEEDS_LOG" --exit-with-parent \
		"$@" 2>"$TMP/feedserver.err" &
	FEEDSERVER_PID=$!
	for ((i = 0; i < 200; i++)); do
		if [ -s "$port_file" ]; then
			FEEDS_PORT=$(<"$port_file")
			FEEDS_BASE=http://127.0.0.1:$FEEDS_PORT
			return 0
		fi
		if ! kill -0 "$FEEDSERVER_PID" 2>/dev/null; then
			break
		fi
		sleep 0.05
	done
	echo "feedserver did not start:" >&2
	cat "$TMP/feedserver.err" >&2
	stop_feedserver
	return 1
}

# stop_feedserver: stops the server started by start_feedserver, if any.
stop_feedserver() {
	if [ -n "$FEEDSERVER_PID" ]; then
		kill "$FEEDSERVER_PID" 2>/dev/null
		wait "$FEEDSERVER_PID" 2>/dev/null
	fi
	FEEDSERVER_PID='' FEEDS_BASE='' FEEDS_PORT=''
	return 0
}
at_exit stop_feedserver


# feeds_url NAME: the served address of a fixture or route ("rss2.xml",
# "gzip/atom.xml", "status/429?retry-after=2").
feeds_url() { printf '%s/%s\n' "$FEEDS_BASE" "${1#/}"; }

# served_count PATH [STATUS]: how many requests for PATH (the request
# target as sent, query included: "/count/rss2.xml") the server has
# answered, or only those answered with STATUS.
served_count() {
	"$FEEDS_PYTHON" - "$FEEDS_LOG" "$1" "${2:-}" <<'PY'
import json, sys
log, path, status = sys.argv[1:4]
n = 0
with open(log, encoding="utf-8") as f:
    for line in f:
        e = json.loads(line)
        if e["path"] == path and (not status or str(e["status"]) == status):
            n += 1
print(n)
PY
}

# served_last PATH FIELD: FIELD of the last request for PATH, as logged:
# status, if_none_match, if_modified_since, user_agent, accept_encoding,
# bytes, aborted, method. Prints nothing when there is none or it is null.
served_last() {
	"$FEEDS_PYTHON" - "$FEEDS_LOG" "$1" "$2" <<'PY'
import json, sys
log, path, field = sys.argv[1:4]
last = None
with open(log, encoding="utf-8") as f:
    for line in f:
        e = json.loads(line)
        if e["path"] == path:
            last = e
value = None if last is None else last.get(field)
if value is not None:
    print(str(value).lower() if isinstance(value, bool) else value)
PY
}

# served_paths: every path requested so far, in order, one a line.
served_paths() {
	"$FEEDS_PYTHON" -c 'import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    print(json.loads(line)["path"])' "$FEEDS_LOG"
}

# opml_with_base [FILE [OUT]]: FILE (default feeds.opml of the fixtures)
# with {{BASE}} replaced by $FEEDS_BASE, written to OUT (default
# $TMP/NAME); prints OUT.
opml_with_base() {
	local file=${1:-$FEEDS_DIR/feeds.opml} out
	out=${2:-$TMP/$(basename "$file")}
	: "${FEEDS_BASE:?start_feedserver first}"
	sed "s|{{BASE}}|$FEEDS_BASE|g" "$file" >"$out" && printf '%s\n' "$out"
}
