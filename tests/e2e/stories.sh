#!/usr/bin/env bash
# Copies and stories on the labelled sample corpus, as a reader sees them:
# every labelled copy linked to its original, no story mixing two events,
# B-cubed F1 against the labels, the same stories whatever the batches or
# processes, restory equal to the online placement, updates kept in place.
. "$(dirname "$0")/lib.bash"
SAMPLE=$TOP/examples/sample.jsonl
LABELS=$TOP/examples/labels.tsv
db=$TMP/news.db
sl --db "$db" --json ingest "$SAMPLE" 2>"$TMP/online.err" | tail -n 1 > "$TMP/online.json"
load_labels "$db"
placed() { sql "$1" "SELECT id, story, coalesce(copy_of, '-') FROM placements ORDER BY id"; }

check_eq "every article placed" 83 "$(sql "$db" 'SELECT count(*) FROM placements')"
check_eq "every labelled copy linked to its original" 0 "$(sql "$db" "
	SELECT count(*) FROM labels l JOIN placements p USING (id)
	WHERE l.copy_of != '-' AND (p.copy_of IS NULL OR p.copy_of != l.copy_of)")"
check_eq "no false copy links" 0 "$(sql "$db" "
	SELECT count(*) FROM labels l JOIN placements p USING (id)
	WHERE l.copy_of = '-' AND p.copy_of IS NOT NULL")"
check_eq "no story mixes two labelled events" "" "$(sql "$db" "
	SELECT p.story FROM placements p JOIN labels l USING (id)
	GROUP BY p.story HAVING count(DISTINCT l.event) > 1")"
# B-cubed precision and recall per article, averaged.
f1=$(sql "$db" "
	WITH x AS (SELECT p.id, p.story, l.event FROM placements p
		   JOIN labels l USING (id)),
	per AS (SELECT a.id,
		  1.0 * sum(a.story = b.story AND a.event = b.event) /
			sum(a.story = b.story) AS p,
		  1.0 * sum(a.story = b.story AND a.event = b.event) /
			sum(a.event = b.event) AS r
		FROM x a, x b GROUP BY a.id)
	SELECT printf('%.3f', 2 * avg(p) * avg(r) / (avg(p) + avg(r))) FROM per")
echo "# B-cubed F1 on the sample corpus: $f1"
check "B-cubed F1 >= 0.9 (got $f1)" awk -v f="$f1" 'BEGIN { exit !(f >= 0.9) }'
check_eq "the two drift pairs stay apart" "" "$(sql "$db" "
	SELECT p.story FROM placements p JOIN labels l USING (id)
	WHERE l.event IN ('dunmore-flood', 'carrick-landslide')
	GROUP BY p.story HAVING count(DISTINCT l.event) > 1
	UNION ALL
	SELECT p.story FROM placements p JOIN labels l USING (id)
	WHERE l.event IN ('port-strike', 'rail-strike')
	GROUP BY p.story HAVING count(DISTINCT l.event) > 1")"
placed "$db" > "$TMP/online"

# Same articles, same order: same stories, whatever the batch size or
# the number of processes; restory gives the online result.
sl --db "$TMP/b7.db" ingest --batch 7 "$SAMPLE" >/dev/null 2>&1
check "batches of 7 give the same stories" cmp -s "$TMP/online" <(placed "$TMP/b7.db")
head -n 40 "$SAMPLE" > "$TMP/first.jsonl"
tail -n +41 "$SAMPLE" > "$TMP/rest.jsonl"
sl --db "$TMP/two.db" ingest "$TMP/first.jsonl" >/dev/null 2>&1
sl --db "$TMP/two.db" ingest "$TMP/rest.jsonl" >/dev/null 2>&1
check "two ingest processes give the same stories" cmp -s "$TMP/online" <(placed "$TMP/two.db")
check_exit "restory" 0 sl --db "$db" restory
check "restory gives the online stories" cmp -s "$TMP/online" <(placed "$db")

# An archive stored newest first: copies are met before their originals
# and stories backwards. A copy published before the original it was
# taken for takes its place there and then, so the copy links are right
# as stored; a restory places in publication order, so it gives the
# stories of the news as it came.
tac "$SAMPLE" > "$TMP/backwards.jsonl"
sl --db "$TMP/back.db" --json ingest "$TMP/backwards.jsonl" 2>"$TMP/back.err" | tail -n 1 > "$TMP/back.json"
check "ingest says that articles came behind the news, and to restory" \
	grep -q "articles came more than the story window behind.*restory" "$TMP/back.err"
check "and its summary counts them" grep -q '"late":43' "$TMP/back.json"
check_eq "in order, it says nothing of the kind" "" "$(grep behind "$TMP/online.err")"
check "and its summary counts no late article" grep -q '"late":0' "$TMP/online.json"
load_labels "$TMP/back.db"
copies() { sql "$1" "SELECT id, coalesce(copy_of, '-') FROM placements ORDER BY id"; }
check "stored backwards, every copy names its original, as stored in order" \
	cmp -s <(copies "$db") <(copies "$TMP/back.db")
check_eq "and the labelled ones all" "$(sql "$TMP/back.db" "SELECT count(*) FROM labels WHERE copy_of != '-'")" \
	"$(sql "$TMP/back.db" "SELECT count(*) FROM placements p JOIN labels l USING (id)
		WHERE l.copy_of != '-' AND p.copy_of = l.copy_of")"
check_exit "restory of the backwards store" 0 sl --db "$TMP/back.db" restory
# Stories are named by their first article here: two articles of the same
# minute open their stories in store order, so the numbers may differ.
grouped() { sql "$1" "SELECT id, (SELECT min(id) FROM placements q WHERE q.story = p.story),
	coalesce(copy_of, '-') FROM placements p ORDER BY id"; }
check "restory gives the stories of the news in order" cmp -s <(grouped "$db") <(grouped "$TMP/back.db")

# The window is a setting of the store: shorter, and an event's later
# reports start stories of their own; the next ingest keeps to it.
check_exit "restory --window 2h" 0 sl --db "$db" restory --window 2h
check_eq "the window is kept in the store" 7200 \
	"$(sql "$db" "SELECT value FROM meta WHERE key = 'story_window'")"
n_default=$(cut -d'|' -f2 "$TMP/online" | sort -u | wc -l)
n_short=$(sql "$db" 'SELECT count(DISTINCT story) FROM placements')
check "a 2-hour window makes more stories ($n_short > $n_default)" test "$n_short" -gt "$n_default"
check_exit "restory --window 3d" 0 sl --db "$db" restory --window 3d
check "back to 3 days, back to the online stories" cmp -s "$TMP/online" <(placed "$db")
check_exit "a bad window is a usage error" 2 sl --db "$db" restory --window 3w

# The store records the placement rules its stories follow; a store
# placed under older ones says so until a restory.
check_eq "a new store's stories are current" 1 \
	"$(jget "$(sl --db "$db" stats --json)" '$.stories_current')"
check_eq "the rules are recorded" 4 \
	"$(sql "$db" "SELECT value FROM meta WHERE key = 'story_rules'")"
sqlite3 "$db" "UPDATE meta SET value = '1' WHERE key = 'story_rules'"
check_eq "older rules: not current" 0 \
	"$(jget "$(sl --db "$db" stats --json)" '$.stories_current')"
check_exit "an ingest into it works" 0 sl --db "$db" ingest "$SAMPLE"
check "and says to restory" grep -q "placed under older rules.*restory" "$TMP/err"
check "stats says so too" grep -q "older rules" <<<"$(sl --db "$db" stats)"
check_exit "restory" 0 sl --db "$db" restory
check_eq "current again" 1 \
	"$(jget "$(sl --db "$db" stats --json)" '$.stories_current')"
check_exit "an ingest after it" 0 sl --db "$db" ingest "$SAMPLE"
check "says nothing of rules" test ! -s "$TMP/err"

# Re-ingesting changed articles keeps them where they were.
sed 's/"title":"/"title":"Updated: /' "$SAMPLE" > "$TMP/updated.jsonl"
sl --db "$db" ingest "$TMP/updated.jsonl" >/dev/null 2>&1
check "updates keep their stories" cmp -s "$TMP/online" <(placed "$db")
sl --db "$db" --json ingest "$SAMPLE" 2>"$TMP/online.err" | tail -n 1 > "$TMP/online.json"

# The CLI: stories, story, similarity.
out=$(sl --db "$db" stories --json --all)
printf '%s' "$out" > "$TMP/stories.json"
check_eq "stories --all lists every story" \
	"$(sql "$db" 'SELECT count(DISTINCT story) FROM placements')" \
	"$(sqlite3 -batch -noheader :memory: "SELECT json_array_length(
		CAST(readfile('$TMP/stories.json') AS TEXT), '\$.stories')")"
sqlite3 -batch -noheader :memory: "SELECT json_extract(value, '\$.id') FROM
	json_each(json_extract(CAST(readfile('$TMP/stories.json') AS TEXT), '\$.stories'))" >"$TMP/newest.ids"
check "stories come newest first (their last article), then the higher number" \
	cmp -s "$TMP/newest.ids" <(sql "$db" "SELECT story FROM placements GROUP BY story
		ORDER BY max(time) DESC, story DESC")
since=$(sql "$db" "SELECT time FROM placements ORDER BY time DESC LIMIT 1 OFFSET 20")
sl --db "$db" stories --json --all --since "$(sql "$db" "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', $since, 'unixepoch')")" >"$TMP/since.json"
check_eq "stories --since keeps those with news since" \
	"$(sql "$db" "SELECT count(*) FROM (SELECT story FROM placements GROUP BY story
		HAVING max(time) >= $since)")" \
	"$(sqlite3 -batch -noheader :memory: "SELECT json_array_length(
		CAST(readfile('$TMP/since.json') AS TEXT), '\$.stories')")"
# The top stories of the moment (the front page's order): coverage,
# outlets counting double, halved every 12 hours before the newest news.
sl --db "$db" stories --json --sort top --limit 5 >"$TMP/top.json"
check "stories --sort top ranks by coverage and freshness" \
	cmp -s <(sqlite3 -batch -noheader :memory: "SELECT json_extract(value, '\$.id') FROM
		json_each(json_extract(CAST(readfile('$TMP/top.json') AS TEXT), '\$.stories'))") \
	<(sql "$db" "WITH s AS (SELECT p.story, count(*) n, count(DISTINCT a.outlet) o,
		max(p.time) last FROM placements p JOIN articles a ON a.id = p.id
		GROUP BY p.story), t AS (SELECT max(last) newest FROM s)
		SELECT story FROM s, t ORDER BY (o * 2 + log2(1 + n)) *
		pow(0.5, (newest - last) / 3600.0 / 12) DESC, story DESC LIMIT 5")
for key in id title size outlets first last articles copies; do
	check "stories --json has $key" test -n "$(jget "$out" "\$.stories[0].$key")"
done
story=$(sql "$db" "SELECT story FROM placements WHERE id = 'sl-008'")
out=$(sl --db "$db" story --json "$story")
check_eq "story lists its members" \
	"$(sql "$db" "SELECT count(*) FROM placements WHERE story = $story")" \
	"$(jget "$out" '$.size')"
check "story has names" test -n "$(jget "$out" '$.names[0]')"
check "the flood story is named for Dunmore" grep -qi dunmore <<<"$(jget "$out" '$.title')"
copy=$(sql "$db" "SELECT id FROM labels WHERE copy_of != '-' LIMIT 1")
orig=$(sql "$db" "SELECT copy_of FROM labels WHERE id = '$copy'")
story=$(sql "$db" "SELECT story FROM placements WHERE id = '$copy'")
out=$(sl --db "$db" story --json "$story")
check "story shows the copy under its original" \
	test "$(jget "$out" "\$.copies.$orig[0]")" = "$copy"
out=$(sl --db "$db" similarity --json sl-008 sl-009)
check_eq "two flood reports are the same story" 1 "$(jget "$out" '$.same_story')"
check "the why names the town" grep -q Dunmore <<<"$(jget "$out" '$.why')"
out=$(sl --db "$db" similarity --json sl-008 sl-001)
check_eq "a flood and a merger are not" 0 "$(jget "$out" '$.same_story')"
out=$(sl --db "$db" similarity --json "$copy" "$orig")
check_eq "a copy is recognised as one" 1 "$(jget "$out" '$.copy')"
printf 'sl-008\tsl-009\nsl-008\tsl-001\nbad line\nsl-008\tnope\n' > "$TMP/pairs"
check_exit "similarity --pairs reports bad lines" 1 sl --db "$db" similarity --pairs "$TMP/pairs" --json
check_eq "similarity --pairs answers the good lines" 2 "$(wc -l < "$TMP/out")"
check "a bad pair is named" grep -q "nope" "$TMP/err"
check_exit "story of no story" 1 sl --db "$db" story 99999
check_exit "story needs a number" 2 sl --db "$db" story abc
finish
