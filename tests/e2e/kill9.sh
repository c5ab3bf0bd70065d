#!/usr/bin/env bash
# Durability: an article acknowledged as stored survives kill -9 of the
# ingest at any moment. Each round kills an ingest of thousands of
# articles at a random point (small random batches, so kills land in and
# between commits), reopens the store, checks its integrity and that every
# acknowledged article is there, and that the next ingest carries on.
. "$(dirname "$0")/lib.bash"
ROUNDS=${KILL9_ROUNDS:-12}
N=${KILL9_ARTICLES:-5000}

# Articles k-00001 .. k-N in input order, about 150 words each.
awk -v n="$N" 'BEGIN {
	srand(7)
	split("summit river flood council minister harbour strike rail court " \
	      "election merger ferry bank rate storm bridge vote talks water " \
	      "treaty union port verdict trial budget health school", w, " ")
	for (i = 1; i <= n; i++) {
		body = ""
		for (j = 0; j < 150; j++)
			body = body w[int(rand() * 27) + 1] (j % 15 == 14 ? ". " : " ")
		printf "{\"id\":\"k-%05d\",\"url\":\"https://wire.example/a/%d\",", i, i
		printf "\"outlet\":\"Wire %d\",\"title\":\"Report %d on %s\",", i % 7, i, w[i % 27 + 1]
		printf "\"published\":\"2026-11-%02dT%02d:00:00Z\",\"body\":\"%s\"}\n", 18 + i % 6, i % 24, body
	}
}' > "$TMP/articles.jsonl"

# How long a whole ingest takes here, so that kills land inside one.
t0=$(date +%s%N)
"$STORYLINE" --db "$TMP/timing.db" ingest --batch 30 "$TMP/articles.jsonl" >/dev/null 2>&1
full_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$full_ms" -gt 20 ] || full_ms=20

acked_total=0 interrupted=0
for round in $(seq 1 "$ROUNDS"); do
	db=$TMP/kill-$round.db
	batch=$(( (RANDOM % 60) + 1 ))
	acks=$TMP/acks-$round
	"$STORYLINE" --db "$db" ingest --json --batch "$batch" "$TMP/articles.jsonl" > "$acks" 2>/dev/null &
	pid=$!
	# Kill at a random point of the ingest (0-90% of a whole run),
	# before, during or after commits.
	delay_ms=$(( RANDOM * full_ms * 9 / 10 / 32768 ))
	sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	# The last complete acknowledgement line.
	committed=$(grep -E '^\{"committed":[0-9]+,.*\}$' "$acks" | tail -n 1 |
		sed -E 's/^\{"committed":([0-9]+),.*/\1/')
	committed=${committed:-0}
	acked_total=$((acked_total + committed))
	[ "$committed" -lt "$N" ] && interrupted=$((interrupted + 1))
	if [ "$committed" -eq 0 ] && [ ! -s "$db" ]; then
		ok "round $round (batch $batch): killed before the store existed"
		continue
	fi
	integrity=$(sql "$db" 'PRAGMA integrity_check' 2>&1)
	if [ "$integrity" != ok ]; then
		not_ok "round $round: integrity_check says: $integrity"
		continue
	fi
	present=$(sql "$db" "SELECT COUNT(*) FROM articles WHERE id <= printf('k-%05d', $committed)" 2>/dev/null)
	# Killed before the first commit: the schema may not be there yet.
	[ "$committed" -eq 0 ] && present=${present:-0}
	if [ "$present" = "$committed" ]; then
		ok "round $round (batch $batch): all $committed acknowledged articles present, store intact"
	else
		not_ok "round $round (batch $batch): $committed acknowledged, $present present"
	fi
done
[ "$acked_total" -gt 0 ] && ok "some rounds acknowledged articles before the kill ($acked_total)" ||
	not_ok "no round acknowledged anything: the test proved nothing"
[ "$interrupted" -ge $((ROUNDS / 2)) ] && ok "most kills landed mid-ingest ($interrupted of $ROUNDS)" ||
	not_ok "only $interrupted of $ROUNDS kills landed mid-ingest: the test proved little"

# After the kill, an ingest into the same store completes and stores each
# article once.
check_exit "ingest completes after the crashes" 0 sl --db "$db" ingest "$TMP/articles.jsonl"
check_eq "every article stored once" "$N" "$(sql "$db" 'SELECT COUNT(*) FROM articles')"
check_eq "sequence numbers unique" "$N" "$(sql "$db" 'SELECT COUNT(DISTINCT seq) FROM articles')"
check_eq "integrity after recovery" "ok" "$(sql "$db" 'PRAGMA integrity_check')"
finish
