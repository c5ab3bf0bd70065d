#!/usr/bin/env bash
# storyline serve under load while articles are ingested: wrk hits the
# related-stories rail (three articles in turn) for some seconds while
# 3,000 articles are POSTed to /api/articles in batches of 500 and another
# process ingests 1,000 more into the same database with the CLI. No 5xx,
# no dropped connection (wrk's socket errors: connect, read, write,
# timeout), every answer 2xx (or 429 when the server cannot be started
# without its rate limit), and afterwards every ingested article is served
# (GET /api/articles/ID for all 4,000), found by search, and answers that
# were cached before the ingest (a search) are not served stale.
. "$(dirname "$0")/lib.bash"
if ! command -v curl >/dev/null 2>&1; then
	skip "curl is not installed"
	finish
	exit
fi
# wrk: installed here when we are root on Debian, else the test is skipped.
if ! command -v wrk >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] &&
	command -v apt-get >/dev/null 2>&1; then
	echo "# wrk is missing; installing it (apt-get install -y wrk)"
	DEBIAN_FRONTEND=noninteractive timeout 120 apt-get install -y -qq wrk \
		>"$TMP/apt.log" 2>&1 || true
fi
if ! command -v wrk >/dev/null 2>&1; then
	skip "wrk is not installed and could not be (apt-get install wrk)"
	finish
	exit
fi

SAMPLE=$TOP/examples/sample.jsonl
TOKEN=load-e2e-$$-token
LOAD_SECONDS=${LOAD_SECONDS:-8} # wrk runs this long at least,
LOAD_MAX=${LOAD_MAX:-30}         # and past the ingest, up to this
N_POST=3000 BATCH=500 N_SIDE=1000
db=$TMP/news.db
sl --db "$db" ingest "$SAMPLE" >/dev/null 2>&1
n_before=$(sql "$db" 'SELECT count(*) FROM articles')

# ------------------------------------------------------------------
# The server (stopped at exit: lib.bash).
# Without a way to turn the rate limit off (50 requests a second per
# address), wrk from loopback is mostly answered 429: counted apart, and
# the writes and checks go from other loopback addresses.
RATE_ARGS=()
RATE_OFF=0
if sl help serve 2>&1 | grep -q -- '--rate'; then
	RATE_ARGS=(--rate 0)
	RATE_OFF=1
else
	echo "# storyline serve has no --rate option: the load runs against the rate limit" \
		"(50 requests a second per address); 429s are counted as acceptable"
fi

STORYLINE_TOKEN=$TOKEN "$STORYLINE" --db "$db" serve --port 0 "${RATE_ARGS[@]}" \
	>"$TMP/serve.out" 2>&1 &
SPID=$!
SERVER_PIDS+=("$SPID")
if ! PORT=$(served_port "$TMP/serve.out" "$SPID"); then
	cat "$TMP/serve.out" >&2
	not_ok "storyline serve starts and says where"
	finish
	exit
fi
BASE=http://127.0.0.1:$PORT
ok "storyline serve${RATE_ARGS[*]:+ ${RATE_ARGS[*]}} starts on port $PORT"

# Loopback addresses other than 127.0.0.1 (each has its own rate budget).
ALT=0
if curl -s --noproxy '*' -m 5 --interface 127.0.0.2 -o /dev/null "$BASE/healthz" 2>/dev/null; then
	ALT=1
fi
# xcurl ADDR-INDEX CURL-ARGS...: curl from 127.0.0.ADDR-INDEX when the
# rate limit is on and other addresses work, else from 127.0.0.1.
xcurl() {
	local a=$1
	shift
	if [ "$RATE_OFF" = 0 ] && [ "$ALT" = 1 ]; then
		curl -s --noproxy '*' --interface "127.0.0.$a" "$@"
	else
		curl -s --noproxy '*' "$@"
	fi
}
# code ADDR URL [CURL ARGS...]: the status of one GET (its body in $TMP/body).
code() {
	local a=$1 u=$2
	shift 2
	xcurl "$a" -m 20 -o "$TMP/body" -w '%{http_code}' "$@" "$u"
}
jbody() { jget "$(cat "$TMP/body")" "$1"; }

# ------------------------------------------------------------------
# Before: the rail answers, the new articles are not there, and a search
# for their words is answered (and cached, when the server caches) empty.
check_eq "the rail of sl-008 answers before the load" 200 "$(code 2 "$BASE/api/articles/sl-008/related")"
check_eq "load-0000 is not there yet" 404 "$(code 2 "$BASE/api/articles/load-0000")"
check_eq "a search for the new articles' word: 200" 200 "$(code 2 "$BASE/api/search?q=zorblatt&limit=1")"
check_eq "which finds nothing yet" 0 "$(jbody '$.total')"
code 2 "$BASE/api/search?q=quillmarsh&limit=1" >/dev/null
check_eq "nor the other process's word" 0 "$(jbody '$.total')"

# The articles: N_POST for the server (batches of BATCH), N_SIDE for the
# CLI in another process.
gen() { # PREFIX N WORD SEED
	awk -v p="$1" -v n="$2" -v w="$3" -v seed="$4" 'BEGIN { srand(seed)
		for (i = 0; i < n; i++) {
			printf "{\"id\":\"%s-%04d\",\"url\":\"https://%s.example/a/%d\",\"title\":\"%s report %d on the harbour works\",\"outlet\":\"%s Desk\",\"published\":\"2026-11-22T%02d:%02d:00Z\",\"body\":\"", p, i, p, i, w, i, p, 8 + i % 10, i % 60
			for (j = 0; j < 120; j++) printf "v%x ", int(rand() * 40000)
			print "\"}"
		} }'
}
gen load "$N_POST" Zorblatt 5 >"$TMP/load.jsonl"
gen side "$N_SIDE" Quillmarsh 9 >"$TMP/side.jsonl"
split -l "$BATCH" -d -a 2 "$TMP/load.jsonl" "$TMP/batch."

# ------------------------------------------------------------------
# wrk: the rails of three articles in turn, 16 connections; a response
# hook counts the answers by status class, and done() prints the counts
# and the socket errors.
cat >"$TMP/load.lua" <<'LUA'
local paths = {
  "/api/articles/sl-008/related",
  "/api/articles/sl-001/related",
  "/api/articles/sl-042/related?limit=5",
}
local threads = {}
local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  n = (tid or 0)
  s2, s3, s4, s429, s5, sx = 0, 0, 0, 0, 0, 0
end
function request()
  n = n + 1
  return wrk.format(nil, paths[(n % #paths) + 1])
end
function response(status, headers, body)
  if status >= 200 and status < 300 then s2 = s2 + 1
  elseif status == 429 then s429 = s429 + 1
  elseif status >= 500 and status < 600 then s5 = s5 + 1
  elseif status >= 400 and status < 500 then s4 = s4 + 1
  elseif status >= 300 and status < 400 then s3 = s3 + 1
  else sx = sx + 1 end
end
function done(summary, latency, requests)
  local t = {s2 = 0, s3 = 0, s4 = 0, s429 = 0, s5 = 0, sx = 0}
  for _, th in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + (th:get(k) or 0) end
  end
  local e = summary.errors
  io.write(string.format("LOAD requests=%d 2xx=%d 3xx=%d 4xx=%d 429=%d 5xx=%d other=%d\n",
    summary.requests, t.s2, t.s3, t.s4, t.s429, t.s5, t.sx))
  io.write(string.format("LOAD errors connect=%d read=%d write=%d timeout=%d status=%d\n",
    e.connect, e.read, e.write, e.timeout, e.status))
  io.write(string.format("LOAD latency_ms p50=%.2f p99=%.2f max=%.2f\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
LUA
wrk_t0=$SECONDS
wrk -t2 -c16 -d"${LOAD_MAX}s" --timeout 5s --latency -s "$TMP/load.lua" "$BASE" \
	>"$TMP/wrk.out" 2>&1 &
wrk_pid=$!
sleep 0.5

# Meanwhile: the CLI ingests N_SIDE articles from another process, and
# the batches are POSTed one after the other.
t0=$SECONDS
sl --db "$db" ingest "$TMP/side.jsonl" >"$TMP/side.out" 2>&1 &
side=$!
post_bad=0 post_new=0 post_codes=''
for f in "$TMP"/batch.*; do
	for _ in 1 2 3 4 5; do
		c=$(xcurl 3 -m 60 -H "Authorization: Bearer $TOKEN" -H 'Expect:' \
			--data-binary @"$f" -o "$TMP/post.body" -w '%{http_code}' "$BASE/api/articles")
		[ "$c" = 429 ] || break
		sleep 1
	done
	post_codes="$post_codes $c"
	if [ "$c" = 200 ]; then
		post_new=$((post_new + $(jget "$(cat "$TMP/post.body")" '$.new')))
	else
		post_bad=$((post_bad + 1))
	fi
done
post_s=$((SECONDS - t0))
wait "$side"
side_rc=$?
ingest_s=$((SECONDS - t0))
# wrk goes on a second past the ingest, and LOAD_SECONDS at least; then
# SIGINT stops it (it prints its summary and runs done()).
wrk_running=0
kill -0 "$wrk_pid" 2>/dev/null && wrk_running=1
sleep 1
while [ $((SECONDS - wrk_t0)) -lt "$LOAD_SECONDS" ] && kill -0 "$wrk_pid" 2>/dev/null; do
	sleep 0.2
done
kill -INT "$wrk_pid" 2>/dev/null
wait "$wrk_pid"
wrk_rc=$?
wrk_s=$((SECONDS - wrk_t0))

check_eq "every batch POST is answered 200 (codes:$post_codes)" 0 "$post_bad"
check_eq "the server stored every POSTed article" "$N_POST" "$post_new"
check_eq "the CLI ingest in another process finishes with 0" 0 "$side_rc"
check "the ingest ran while wrk was loading the server (${ingest_s} s, wrk ${wrk_s} s)" \
	test "$wrk_running" = 1
check_eq "wrk runs to its end" 0 "$wrk_rc"
load=$(grep '^LOAD requests=' "$TMP/wrk.out")
errs=$(grep '^LOAD errors' "$TMP/wrk.out")
lat=$(grep '^LOAD latency_ms' "$TMP/wrk.out")
if [ -z "$load" ] || [ -z "$errs" ]; then
	cat "$TMP/wrk.out" >&2
	not_ok "wrk prints its summary"
else
	field() { sed -n "s/.* $2=\([0-9]*\).*/\1/p" <<<"$1"; }
	echo "# wrk: ${load#LOAD }; ${errs#LOAD }; ${lat#LOAD }"
	echo "# ingest: $N_POST POSTed in $post_s s, $N_SIDE by the CLI; all done $ingest_s s after the start"
	n_req=$(field "$load" requests) n2=$(field "$load" 2xx) n429=$(field "$load" 429)
	check "wrk sent requests ($n_req)" test "${n_req:-0}" -gt 0
	check "rails were served under load (${n2:-0} answered 2xx)" test "${n2:-0}" -gt 0
	check_eq "no 5xx under load" 0 "$(field "$load" 5xx)"
	check_eq "no dropped connections (connect errors)" 0 "$(field "$errs" connect)"
	check_eq "no dropped connections (read errors)" 0 "$(field "$errs" read)"
	check_eq "no dropped connections (write errors)" 0 "$(field "$errs" write)"
	check_eq "no request timed out (5 s)" 0 "$(field "$errs" timeout)"
	if [ "$RATE_OFF" = 1 ]; then
		check_eq "every answer 2xx (--rate 0)" "$n_req" "$n2"
	else
		check_eq "every answer 2xx or 429 (rate limit on)" 0 \
			"$(($(field "$load" 3xx) + $(field "$load" 4xx) + $(field "$load" other)))"
		echo "# $n429 answers were 429: the rate limit, which this server cannot turn off"
	fi
fi

# ------------------------------------------------------------------
# Afterwards: every ingested article is served. The server follows the
# other process's writes within a second or so.
sleep 1.5
check_eq "the store holds every article" $((n_before + N_POST + N_SIDE)) \
	"$(sql "$db" 'SELECT count(*) FROM articles')"
ids=$( { sed -n 's/^{"id":"\([^"]*\)".*/\1/p' "$TMP/load.jsonl" "$TMP/side.jsonl"; } )
n_ids=$(wc -l <<<"$ids")
: >"$TMP/codes"
if [ "$RATE_OFF" = 1 ] || [ "$ALT" = 1 ]; then
	# 100 ids a curl (a burst's worth when the limit is on), each curl
	# from its own loopback address.
	i=0 a=10 pids=()
	while IFS= read -r chunk; do
		[ -n "$chunk" ] || continue
		tr ' ' '\n' <<<"$chunk" | sed '/^$/d' |
			awk -v b="$BASE" '{ printf "url = \"%s/api/articles/%s\"\noutput = \"/dev/null\"\n", b, $1 }' \
			>"$TMP/get.$i.cfg"
		xcurl "$a" -m 60 --parallel --parallel-max 8 -K "$TMP/get.$i.cfg" \
			-w '%{http_code} %{url_effective}\n' >"$TMP/codes.$i" 2>/dev/null &
		pids+=($!)
		i=$((i + 1)) a=$((a + 1))
		if [ "${#pids[@]}" -ge 8 ]; then wait "${pids[@]}"; pids=(); fi
	done < <(xargs -n 100 <<<"$ids")
	[ "${#pids[@]}" -eq 0 ] || wait "${pids[@]}"
	cat "$TMP"/codes.* >"$TMP/codes"
	checked=$n_ids
else
	# From 127.0.0.1 alone, at the limit's pace: a sample of 300.
	for id in $(shuf -n 300 --random-source=<(yes) <<<"$ids"); do
		for _ in 1 2 3; do
			c=$(curl -s --noproxy '*' -m 20 -o /dev/null -w '%{http_code}' "$BASE/api/articles/$id")
			[ "$c" = 429 ] || break
			sleep 1
		done
		echo "$c $BASE/api/articles/$id" >>"$TMP/codes"
	done
	checked=300
fi
# A request that got no answer at all (000: the client gave up under a
# sanitizer build on a small machine) is asked once more, alone, and
# counted: an article that is not there still fails.
n_again=0
if grep -q '^000 ' "$TMP/codes"; then
	grep '^000 ' "$TMP/codes" | cut -d' ' -f2 >"$TMP/again"
	grep -v '^000 ' "$TMP/codes" >"$TMP/codes.ok"
	while read -r u; do
		n_again=$((n_again + 1))
		echo "$(curl -s --noproxy '*' -m 60 -o /dev/null -w '%{http_code}' "$u") $u"
	done <"$TMP/again" >>"$TMP/codes.ok"
	mv "$TMP/codes.ok" "$TMP/codes"
	echo "# $n_again GETs had no answer in the parallel pass and were asked again"
fi
n200=$(grep -c '^200 ' "$TMP/codes")
check_eq "every ingested article is served: GET /api/articles/ID 200 ($checked checked)" \
	"$checked" "$n200"
if [ "$n200" != "$checked" ]; then
	grep -v '^200 ' "$TMP/codes" | head -n 5 | sed 's/^/#   /'
fi
check_eq "load-2999 is there" 200 "$(code 4 "$BASE/api/articles/load-2999")"
check_eq "with its title" "Zorblatt report 2999 on the harbour works" "$(jbody '$.title')"
check_eq "a POSTed article has a rail" 200 "$(code 4 "$BASE/api/articles/load-0042/related")"
check_eq "its article page" 200 "$(code 4 "$BASE/article/load-0042")"
check_eq "an article of the other process has a page" 200 "$(code 4 "$BASE/article/side-0999")"
# The searches asked before the ingest: not served from a stale cache.
check_eq "search finds every POSTed article" "$N_POST" \
	"$(code 4 "$BASE/api/search?q=zorblatt&limit=1" >/dev/null; jbody '$.total')"
side_total=$(code 4 "$BASE/api/search?q=quillmarsh&limit=1" >/dev/null; jbody '$.total')
check_eq "and every article of the other process" "$N_SIDE" "$side_total"
if [ "$side_total" != "$N_SIDE" ]; then
	# A URL never asked before (not in any cache), and the CLI's own view.
	fresh=$(code 4 "$BASE/api/search?q=quillmarsh&limit=3" >/dev/null; jbody '$.total')
	cli=$(sl --db "$db" search quillmarsh --json 2>/dev/null | grep -o '"total":[0-9]*')
	echo "# search for the other process's articles: $side_total; on a URL never asked" \
		"before: $fresh; storyline search: ${cli#\"total\":} (articles stored: $(sql "$db" \
		"SELECT count(*) FROM articles WHERE id LIKE 'side-%'"))"
fi
check_eq "the rail of sl-008 still answers" 200 "$(code 4 "$BASE/api/articles/sl-008/related")"
check_eq "/healthz" 200 "$(code 4 "$BASE/healthz")"
check "the server is still up" kill -0 "$SPID"
kill -TERM "$SPID" 2>/dev/null
wait "$SPID"
check_eq "SIGTERM: the server exits with 0" 0 "$?"
SPID=''
finish
