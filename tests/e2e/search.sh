#!/usr/bin/env bash
# storyline search on the sample corpus, as a reader uses it: ranking,
# phrases, exclusions, filters, order, pages, snippets, bad queries.
. "$(dirname "$0")/lib.bash"
SAMPLE=$TOP/examples/sample.jsonl
LABELS=$TOP/examples/labels.tsv
db=$TMP/news.db
sl --db "$db" ingest "$SAMPLE" >/dev/null

# ids of the results, one per line
ids() {
	sl --db "$db" search --json "$@" > "$TMP/ids.json"
	sqlite3 -batch -noheader :memory: "SELECT json_extract(value, '\$.id')
		FROM json_each(json_extract(CAST(readfile('$TMP/ids.json') AS TEXT), '\$.results'))"
}
event_of() { awk -F'\t' -v id="$1" '$1 == id { print $2 }' "$LABELS"; }
field() { sql "$db" "SELECT $2 FROM articles WHERE id = '$1'"; }

out=$(sl --db "$db" search --json flood)
for key in query total results[0].id results[0].url results[0].title \
	results[0].outlet results[0].published results[0].score results[0].snippet; do
	check "search --json has $key" test -n "$(jget "$out" "\$.$key")"
done
top=$(ids flood --limit 5)
check_eq "five results for flood" 5 "$(wc -l <<<"$top")"
bad=0
for id in $top; do [ "$(event_of "$id")" = dunmore-flood ] || bad=$((bad + 1)); done
check_eq "the top five for flood are the flood story" 0 "$bad"

for id in $(ids '"River Kell"' --limit 20); do
	text="$(field "$id" "title || ' ' || body_text")"
	grep -qi "river kell" <<<"$text" || { not_ok "phrase result $id lacks \"River Kell\""; continue; }
done
ok "every phrase result holds the phrase"

n=0
for id in $(ids 'strike -rail' --limit 50); do
	n=$((n + 1))
	if grep -qiw "rail" <<<"$(field "$id" "title || ' ' || body_text")"; then
		not_ok "excluded word in $id"
	fi
done
check "exclusion leaves the port strike" test "$n" -ge 3

for id in $(ids 'strike outlet:"Meridian Wire"'); do
	check_eq "outlet filter ($id)" "Meridian Wire" "$(field "$id" outlet)"
done
check_eq "lang:de finds the German article" "sl-015" "$(ids 'lang:de')"
check_eq "a language filter with words" "sl-015" "$(ids 'Hochwasser lang:de')"

dates=$(for id in $(ids summit --since 2026-11-21 --limit 50); do field "$id" published; done)
check "since keeps later articles only" test -n "$dates"
check_eq "nothing before since" "" "$(awk '$1 < 1763683200' <<<"$dates")"
times=$(for id in $(ids strike --sort time --limit 20); do field "$id" published; done)
check_eq "--sort time is newest first" "$(sort -rn <<<"$times")" "$times"

# A wire story and its copies (labels.tsv: copy_of) come once, as the
# best of them, with the number of the others; --all-copies lists them.
copy_family() { # the article and its copies, by the labels
	awk -F'\t' -v id="$1" '$1 == id || $3 == id { print $1 }' "$LABELS" | sort
}
family=$(copy_family sl-008)
check_eq "the flood wire story has three copies" 4 "$(wc -l <<<"$family")"
shown=$(ids 'Dunmore evacuation' --limit 50 | sort)
check_eq "one of them among the results" 1 "$(comm -12 <(echo "$family") <(echo "$shown") | wc -l)"
one=$(comm -12 <(echo "$family") <(echo "$shown"))
sl --db "$db" search --json 'Dunmore evacuation' --limit 50 >"$TMP/copies.json"
check_eq "it says how many others carry it" 3 "$(sqlite3 -batch -noheader :memory: "SELECT
	json_extract(value, '\$.copies') FROM json_each(json_extract(CAST(readfile('$TMP/copies.json')
	AS TEXT), '\$.results')) WHERE json_extract(value, '\$.id') = '$one'")"
check_eq "the total counts texts" "$(wc -l <<<"$shown")" "$(jget "$(cat "$TMP/copies.json")" '$.total')"
check_eq "--all-copies lists every copy" 4 \
	"$(comm -12 <(echo "$family") <(ids 'Dunmore evacuation' --limit 50 --all-copies | sort) | wc -l)"
check "the text output says so" grep -q "and 3 copies" <(sl --db "$db" search 'Dunmore evacuation')

all=$(ids flood --limit 6)
page=$(ids flood --limit 3 --offset 3)
check_eq "pages continue each other" 3 "$(wc -l <<<"$page")"
check_eq "page two is the next three" "$(tail -n 3 <<<"$all")" "$page"

# Snippets: matches highlighted, markup in the text escaped.
printf '%s\n' '{"id":"xss-1","title":"Quarry blast <b>test</b>","body":"Residents heard the quarry blast. <script>alert(1)</script> & more."}' |
	sl --db "$db" ingest - >/dev/null
snip=$(jget "$(sl --db "$db" search --json quarry)" '$.results[0].snippet')
check "snippet highlights the match" grep -q '<b>quarry</b>' <<<"$snip"
check "snippet escapes the text's markup" grep -q '&lt;script&gt;alert(1)&lt;/script&gt; &amp; more' <<<"$snip"
check "text output shows the headline" grep -q "Quarry blast" <(sl --db "$db" search quarry)

check_eq "only stop words match nothing" "0" "$(jget "$(sl --db "$db" search --json 'the of and')" '$.total')"
check_exit "a bad date is a usage error" 2 sl --db "$db" search 'since:someday flood'
check "the message names the date" grep -q 'bad date' "$TMP/err"
check_exit "an empty query is a usage error" 2 sl --db "$db" search ''
check_exit "a query must be one argument" 2 sl --db "$db" search
check_exit "a huge query is refused" 2 sl --db "$db" search "$(head -c 5000 /dev/zero | tr '\0' 'a')"
check_exit "a query may start with a dash" 0 sl --db "$db" search '-rail strike'
check_exit "--sort takes two words" 2 sl --db "$db" search flood --sort sideways
check_exit "search on a missing database" 3 sl --db "$TMP/none.db" search flood
finish
