#!/usr/bin/env bash
# The Recommended Stories rail on the labelled sample corpus, as a reader
# sees it: related stories only, one item per story, the article and its
# copies never in its own rail, the same event first, an outlet cap, a why
# for every item, and an empty rail rather than padding.
. "$(dirname "$0")/lib.bash"
SAMPLE=$TOP/examples/sample.jsonl
LABELS=$TOP/examples/labels.tsv
db=$TMP/news.db
sl --db "$db" ingest "$SAMPLE" >/dev/null 2>&1
load_labels "$db"

check_exit "related --all" 0 sl --db "$db" related --all --limit 10 --json
cp "$TMP/out" "$TMP/rails.jsonl"
check_eq "a rail for every article" 83 "$(wc -l < "$TMP/rails.jsonl")"
# On threads, the same rails in the same order, one at a time or many.
check_exit "related --all on one thread" 0 \
	sl --db "$db" related --all --limit 10 --json --threads 1
cmp -s "$TMP/out" "$TMP/rails.jsonl"
check_eq "one thread gives the same rails" 0 $?
check_exit "related --all on five threads" 0 \
	sl --db "$db" related --all --limit 10 --json --threads 5
cmp -s "$TMP/out" "$TMP/rails.jsonl"
check_eq "five threads give the same rails" 0 $?
check_eq "in store order" "$(sql "$db" 'SELECT id FROM articles ORDER BY seq' | head -3)" \
	"$(head -3 "$TMP/rails.jsonl" | sed 's/^{"id":"\([^"]*\)".*/\1/')"
check_exit "related --all as text" 0 sl --db "$db" related --all --limit 10 --threads 3
check_eq "a text rail for every article" 83 "$(grep -c ' related$' "$TMP/out")"
# The rails as rows: article, rank, item, story, same_story, why count.
sqlite3 -batch "$db" <<SQL
CREATE TABLE rails AS
SELECT json_extract(r.value, '\$.id') AS article, i.key + 1 AS rank,
       json_extract(i.value, '\$.id') AS item,
       json_extract(i.value, '\$.story') AS story,
       json_extract(i.value, '\$.same_story') AS same,
       json_extract(i.value, '\$.same_subject') AS subject,
       json_array_length(json_extract(i.value, '\$.why')) AS n_why,
       json_extract(i.value, '\$.outlet') AS outlet
FROM json_each('[' || replace(rtrim(CAST(readfile('$TMP/rails.jsonl') AS TEXT),
		char(10)), char(10), ',') || ']') r,
     json_each(json_extract(r.value, '\$.related')) i;
SQL
check "the rails hold items" test "$(sql "$db" 'SELECT count(*) FROM rails')" -gt 100
check_eq "no article in its own rail" 0 \
	"$(sql "$db" 'SELECT count(*) FROM rails WHERE item = article')"
check_eq "no copy of the article, nor its original, in its rail" 0 "$(sql "$db" "
	SELECT count(*) FROM rails r JOIN labels a ON a.id = r.article
	JOIN labels b ON b.id = r.item
	WHERE b.copy_of = a.id OR a.copy_of = b.id
	   OR (a.copy_of != '-' AND a.copy_of = b.copy_of)")"
check_eq "one item per story" 0 "$(sql "$db" "
	SELECT count(*) FROM (SELECT article, story FROM rails
	GROUP BY article, story HAVING count(*) > 1)")"
check_eq "the article's own story at most once, and marked" 0 "$(sql "$db" "
	SELECT count(*) FROM rails r JOIN placements p ON p.id = r.article
	WHERE (r.story = p.story) != r.same")"
check_eq "every item says why" 0 \
	"$(sql "$db" 'SELECT count(*) FROM rails WHERE n_why = 0')"
# Where the article's event has other (non-copy) articles, the first item
# is from that event.
bad=$(sql "$db" "
	SELECT r.article FROM rails r JOIN labels a ON a.id = r.article
	JOIN labels b ON b.id = r.item
	WHERE r.rank = 1 AND a.event != b.event
	  AND (SELECT count(*) FROM labels o WHERE o.event = a.event
	       AND o.id != a.id AND o.copy_of = '-' AND o.id != a.copy_of) > 0")
check_eq "the first item is from the same event" "" "$bad"
# Nothing from an unrelated event comes before the event's own coverage
# in the article's language. The drift pairs of the sample (the flood and
# the landslide, the two strikes) are related, not unrelated.
sql "$db" "CREATE TABLE related_events (a TEXT, b TEXT);
	INSERT INTO related_events VALUES
	('dunmore-flood', 'carrick-landslide'), ('carrick-landslide', 'dunmore-flood'),
	('port-strike', 'rail-strike'), ('rail-strike', 'port-strike');"
check_eq "nothing unrelated before the event's own coverage" "" "$(sql "$db" "
	SELECT r.article || ' #' || r.rank || ' ' || r.item FROM rails r
	JOIN labels a ON a.id = r.article JOIN labels b ON b.id = r.item
	WHERE a.event != b.event
	  AND NOT EXISTS (SELECT 1 FROM related_events x
			  WHERE x.a = a.event AND x.b = b.event)
	  AND r.rank < (SELECT max(r2.rank) FROM rails r2
		JOIN labels c ON c.id = r2.item
		JOIN articles ca ON ca.id = r2.item
		JOIN articles aa ON aa.id = r.article
		WHERE r2.article = r.article AND c.event = a.event
		  AND ca.lang = aa.lang)")"
# An article on the subject but not close to it in the story vectors
# comes, labelled, after every close item: here another final of another
# sport (tests/fixtures/related/subject.jsonl), stored after the sample's
# rails were taken, under the handball final; a standalone article, whose
# subject nothing else shares, gets nothing. The summit's report in
# French is close to the accord: the names they share are spelled alike,
# though French and English stem them apart.
sl --db "$db" ingest "$TOP/tests/fixtures/related/subject.jsonl" >/dev/null 2>&1
check_exit "the handball final's rail, another final stored" 0 \
	sl --db "$db" related --json --limit 10 sl-067
printf '%s' "$(cat "$TMP/out")" >"$TMP/final.json"
final_items() {
	sqlite3 -batch -noheader :memory: "SELECT $1 FROM json_each(json_extract(
		CAST(readfile('$TMP/final.json') AS TEXT), '\$.related')) $2"
}
check_eq "the other final is there, on the subject only" 1 \
	"$(final_items "count(*)" "WHERE json_extract(value, '\$.id') = 'fx-volley'
		AND json_extract(value, '\$.same_subject') = 1")"
check "and the handball coverage, close" test \
	"$(final_items "count(*)" "WHERE json_extract(value, '\$.same_subject') = 0")" -gt 0
check_eq "items on the subject only come after the close ones" "" \
	"$(final_items "group_concat(json_extract(value, '\$.same_subject'), '')" "" |
		grep -E '1+0' || true)"
check_eq "nor anywhere in the sample's rails" 0 "$(sql "$db" "
	SELECT count(*) FROM rails s JOIN rails c ON c.article = s.article
	WHERE s.subject = 1 AND c.subject = 0 AND c.rank > s.rank")"
check_eq "the accord's rail shows the French report of it, as close" 1 \
	"$(sql "$db" "SELECT count(*) FROM rails
	WHERE article = 'sl-048' AND item = 'sl-047' AND subject = 0")"
check_eq "no items under the standalone articles" 0 "$(sql "$db" "
	SELECT count(*) FROM rails r JOIN labels a ON a.id = r.article
	WHERE a.event LIKE 'standalone-%'")"
check_eq "no outlet over a third of a rail of 10 (4 items)" 0 "$(sql "$db" "
	SELECT count(*) FROM (SELECT article, outlet FROM rails
	GROUP BY article, outlet HAVING count(*) > 4)")"

# A standalone article: nothing related, so nothing; --fill labels the rest.
lone=$(sql "$db" "SELECT id FROM labels WHERE event LIKE 'standalone-%' LIMIT 1")
# (count: the number of related items in a rail's JSON)
count() {
	printf '%s' "$1" > "$TMP/count.json"
	sqlite3 -batch -noheader :memory: "SELECT json_array_length(
		CAST(readfile('$TMP/count.json') AS TEXT), '\$.related')"
}
check_eq "a rail with nothing related is empty" 0 \
	"$(count "$(sl --db "$db" related --json "$lone")")"
out=$(sl --db "$db" related --json --fill --limit 5 "$lone")
printf '%s' "$out" > "$TMP/fill.json"
check_eq "--fill fills with top stories" 5 "$(count "$out")"
check_eq "each labelled as a top story, not related" 5 "$(sqlite3 -batch -noheader :memory: \
	"SELECT count(*) FROM json_each(json_extract(CAST(readfile('$TMP/fill.json') AS TEXT), '\$.related'))
	 WHERE json_extract(value, '\$.top_story') = 1")"

out=$(sl --db "$db" related --json sl-008)
for key in id url title outlet published story score same_story same_subject other_outlets snippet why; do
	check "related --json has $key" test -n "$(jget "$out" "\$.related[0].$key")"
done
# Odd articles beside the sample: title only, body only, one word, a
# 150,000-word body and its copy, Japanese, punctuation only. Placement,
# stories, rails and similarity take them without a crash.
huge=$(awk 'BEGIN { srand(3); split("river Dunmore flood council the and Kell storm water said", w, " ");
	for (i = 0; i < 150000; i++) printf "%s ", w[int(rand() * 10) + 1] }')
cat > "$TMP/odd.jsonl" <<JSON
{"id":"odd-title-only","url":"https://odd.example/1","title":"Only a headline here"}
{"id":"odd-body-only","url":"https://odd.example/2","body":"A body without a headline, about the Kell and Dunmore."}
{"id":"odd-one-word","url":"https://odd.example/3","title":"x","body":"flood"}
{"id":"odd-huge","url":"https://odd.example/4","title":"A very long report","outlet":"Odd Outlet","published":"2026-11-19T10:00:00Z","body":"$huge"}
{"id":"odd-huge-copy","url":"https://odd.example/5","title":"The long report again","outlet":"Another","published":"2026-11-19T12:00:00Z","body":"$huge"}
{"id":"odd-cjk","url":"https://odd.example/6","title":"洪水 ダンモア","lang":"ja","body":"ケル川が氾濫し、ダンモアの町で住民が避難した。ケル川が氾濫し、ダンモアの町で住民が避難した。"}
{"id":"odd-punct","url":"https://odd.example/7","title":"!!! ??? ...","body":"--- *** ### ,,, ... !!!"}
JSON
check_exit "odd articles are stored" 0 sl --db "$db" ingest "$TMP/odd.jsonl"
check_eq "and placed" 7 "$(sql "$db" "SELECT count(*) FROM placements WHERE id LIKE 'odd-%'")"
check_eq "the long report's copy is linked" odd-huge \
	"$(sql "$db" "SELECT copy_of FROM placements WHERE id = 'odd-huge-copy'")"
for id in odd-title-only odd-body-only odd-one-word odd-huge odd-cjk odd-punct; do
	check_exit "a rail for $id" 0 sl --db "$db" related --json "$id"
done
check_exit "rails for everything, odd ones included" 0 sl --db "$db" related --all --json
check_exit "stories with the odd ones" 0 sl --db "$db" stories --all --json
check_exit "similarity of odd ones" 0 sl --db "$db" similarity odd-punct odd-cjk
check_exit "restory with the odd ones" 0 sl --db "$db" restory --quiet

check_exit "related of an unknown id" 1 sl --db "$db" related nope
check_exit "related needs an id" 2 sl --db "$db" related
check_exit "related --window must be a duration" 2 sl --db "$db" related sl-008 --window soon
finish
