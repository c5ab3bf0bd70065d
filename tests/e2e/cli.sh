#!/usr/bin/env bash
# The storyline command as a user runs it: help and exit codes, ingest of
# the sample corpus, identity and updates, bad input in a batch, export
# round trip, and database errors.
. "$(dirname "$0")/lib.bash"
SAMPLE=$TOP/examples/sample.jsonl
db=$TMP/news.db

check_eq "--version" "storyline 0.1.0" "$(sl --version)"
check "help lists the commands" bash -c "'$STORYLINE' help | grep -q 'ingest' && '$STORYLINE' help | grep -q 'export'"
check "every command has --help" bash -c "for c in ingest get export stats help version; do '$STORYLINE' \$c --help | grep -q \"usage: storyline \$c\" || exit 1; done"
check_exit "unknown command" 2 sl frobnicate
check_exit "unknown option" 2 sl stats --frobnicate
check "usage errors say what is wrong" grep -q "no command 'frobnicate'" <(sl frobnicate 2>&1)

# The sample corpus.
check_exit "ingest the sample corpus" 0 sl --db "$db" ingest "$SAMPLE"
n=$(wc -l < "$SAMPLE")
check_eq "every sample article stored" "$n" "$(sql "$db" 'SELECT COUNT(*) FROM articles')"
check_eq "journal mode is WAL" "wal" "$(sql "$db" 'PRAGMA journal_mode')"
check_eq "schema version recorded" "5" "$(sql "$db" 'PRAGMA user_version')"
stats=$(sl --db "$db" stats --json)
check_eq "stats counts articles" "$n" "$(jget "$stats" '$.articles')"
check_eq "stats counts outlets" "8" "$(jget "$stats" '$.outlets')"
check_eq "French guessed for an article without lang" "fr" \
	"$(sql "$db" "SELECT lang FROM articles WHERE id = 'sl-047'")"
check_eq "Italian guessed for an article without lang" "it" \
	"$(sql "$db" "SELECT lang FROM articles WHERE id = 'sl-069'")"
check_eq "every article has a summary" "0" \
	"$(sql "$db" 'SELECT COUNT(*) FROM articles WHERE summary IS NULL')"
check_eq "derived summaries are short" "0" \
	"$(sql "$db" 'SELECT COUNT(*) FROM articles WHERE length(summary) > 260')"
check_eq "sequence numbers are 1..n" "1 $n $n" \
	"$(sql "$db" 'SELECT MIN(seq), MAX(seq), COUNT(DISTINCT seq) FROM articles' | tr '|' ' ')"
art=$(sl --db "$db" get sl-001 --json)
check_eq "get --json returns the article" "sl-001" "$(jget "$art" '$.id')"
check "get --json has the reading time" test "$(jget "$art" '$.reading_minutes')" -ge 1
check "get shows the headline" grep -q "Brightline" <(sl --db "$db" get sl-001)
check_exit "get of an unknown id" 1 sl --db "$db" get no-such-id

# Re-ingesting changes nothing; an edited article is updated in place.
out=$(sl --db "$db" ingest --json "$SAMPLE" | tail -n 1)
check_eq "re-ingest: all unchanged" "$n" "$(jget "$out" '$.unchanged')"
check_eq "re-ingest: no duplicates" "$n" "$(sql "$db" 'SELECT COUNT(*) FROM articles')"
check_eq "re-ingest: sequence unchanged" "$n" "$(sql "$db" 'SELECT MAX(seq) FROM articles')"
head -n 1 "$SAMPLE" | sed 's/"title":"[^"]*"/"title":"Brightline deal revised"/' > "$TMP/edit.jsonl"
out=$(sl --db "$db" ingest --json "$TMP/edit.jsonl" | tail -n 1)
check_eq "edited article reported as updated" "1" "$(jget "$out" '$.updated')"
check_eq "edited article updated in place" "Brightline deal revised|$((n + 1))" \
	"$(sql "$db" "SELECT title, seq FROM articles WHERE id = 'sl-001'")"

# Identity from the canonical URL when there is no id.
cat > "$TMP/urls.jsonl" <<'JSON'
{"url":"https://www.Example-News.example/world/2026/11/20/quake?utm_source=feed&ref=a","title":"Quake shakes coast","body":"A strong quake shook the coast."}
{"url":"HTTPS://WWW.EXAMPLE-NEWS.EXAMPLE:443/world/2026/11/20/quake?ref=a&fbclid=XYZ#top","title":"Quake shakes coast (updated)","body":"A strong quake shook the coast on Friday."}
JSON
sl --db "$db" ingest "$TMP/urls.jsonl" >/dev/null
check_eq "same canonical URL is one article" "1" \
	"$(sql "$db" "SELECT COUNT(*) FROM articles WHERE canonical_url = 'https://www.example-news.example/world/2026/11/20/quake?ref=a'")"
check_eq "second version won" "Quake shakes coast (updated)" \
	"$(sql "$db" "SELECT title FROM articles WHERE canonical_url LIKE '%quake%'")"

# Bad input: reported with file and line, skipped, the rest stored, the
# exit code 1, and nothing stored before changes.
sl --db "$db" export > "$TMP/before.jsonl"
{
	echo '{"id":"bad-1","title":"Good one","body":"Fine text."}'
	echo 'this is not json'
	echo '{"id":"bad-3","byline":"Nobody"}'
	echo '{"id":"bad-4","title":["not","a","string"]}'
	printf '{"id":"bad-5","title":"Long","body":"'
	head -c 3000000 /dev/zero | tr '\0' 'x'
	echo '"}'
	printf '{"id":"bad-6","title":"Caf\xe9 cr\xe8me","body":"Invalid \xff\xfe bytes"}\n'
	echo '["an","array"]'
	echo ''
	echo '{"id":"bad-9","title":"Last good one","body":"Still stored.","published":"2026-11-21T08:00:00+02:00"}'
} > "$TMP/bad.jsonl"
check_exit "a batch with bad lines exits 1" 1 sl --db "$db" ingest "$TMP/bad.jsonl"
err=$(cat "$TMP/err")
check "not-JSON line named" grep -q "bad.jsonl:2: not JSON" <<<"$err"
check "no title and no body named" grep -q "bad.jsonl:3: article has no title and no body" <<<"$err"
check "wrong type named" grep -q 'bad.jsonl:4: field "title" must be a string' <<<"$err"
check "oversize line named" grep -q "bad.jsonl:5: line longer than" <<<"$err"
check "array line named" grep -q "bad.jsonl:7: not a JSON object" <<<"$err"
check_eq "good lines stored, bad skipped" "bad-1 bad-6 bad-9" \
	"$(sql "$db" "SELECT group_concat(id, ' ') FROM (SELECT id FROM articles WHERE id LIKE 'bad-%' ORDER BY id)")"
check_eq "invalid UTF-8 repaired" "Caf� cr�me" "$(sql "$db" "SELECT title FROM articles WHERE id = 'bad-6'")"
check_eq "zone converted to UTC" "2026-11-21T06:00:00Z" \
	"$(jget "$(sl --db "$db" get bad-9 --json)" '$.published')"
sl --db "$db" export | grep -v '"id":"bad-' > "$TMP/after.jsonl"
check "articles stored before are unchanged" cmp -s "$TMP/before.jsonl" "$TMP/after.jsonl"

# An HTML file is refused once, not line by line.
printf '<!doctype html>\n<html><body><p>Hello</p></body></html>\n' > "$TMP/page.html"
check_exit "HTML input is rejected" 1 sl --db "$db" ingest "$TMP/page.html"
check_eq "one error for the HTML file" "1" "$(grep -c storyline: "$TMP/err")"
check_exit "missing input file" 1 sl --db "$db" ingest "$TMP/nope.jsonl"

# Standard input, and the export round trip.
check_exit "ingest from stdin" 0 bash -c "cat '$SAMPLE' | '$STORYLINE' --db '$TMP/stdin.db' ingest -"
check_eq "stdin ingest stored all" "$n" "$(sql "$TMP/stdin.db" 'SELECT COUNT(*) FROM articles')"
sl --db "$db" export > "$TMP/export1.jsonl"
sl --db "$TMP/copy.db" ingest "$TMP/export1.jsonl" >/dev/null
sl --db "$TMP/copy.db" export > "$TMP/export2.jsonl"
check "export | ingest | export is identical" cmp -s "$TMP/export1.jsonl" "$TMP/export2.jsonl"
check_eq "round trip keeps every article" "$(sql "$db" 'SELECT COUNT(*) FROM articles')" \
	"$(sql "$TMP/copy.db" 'SELECT COUNT(*) FROM articles')"
check_eq "export --after-seq" "3" "$(sl --db "$db" export --after-seq "$(( $(sql "$db" 'SELECT MAX(seq) FROM articles') - 3 ))" | wc -l)"
check "unknown fields survive the round trip" grep -q '"foo":{"bar":1}' <(
	echo '{"id":"x-1","title":"Extra","foo":{"bar":1}}' | sl --db "$TMP/extra.db" ingest - >/dev/null &&
	sl --db "$TMP/extra.db" export)

# Database errors: exit code 3 with a clear message.
check_exit "stats on a missing database" 3 sl --db "$TMP/missing.db" stats
check "missing database named" grep -q "missing.db: no such database" "$TMP/err"
check_exit "export on a missing database" 3 sl --db "$TMP/missing.db" export
check_exit "database in a missing folder" 3 sl --db "$TMP/no/such/dir/x.db" ingest "$SAMPLE"
check_exit "database that is a folder" 3 sl --db "$TMP" ingest "$SAMPLE"
printf 'this is not a database at all, just text that fills a page or two\n%.0s' $(seq 1 100) > "$TMP/garbage.db"
check_exit "a file that is not a database" 3 sl --db "$TMP/garbage.db" stats
check_eq "nothing created for a read command" "" "$(ls "$TMP/missing.db" 2>/dev/null)"

# Feed files are ingested item by item, beside JSON lines; a file named
# like a feed that is none is refused by name.
FEEDS=$TOP/tests/fixtures/feeds
check_exit "ingest feed files" 1 sl --db "$TMP/feeds.db" ingest \
	"$FEEDS/atom.xml" "$FEEDS/feed.json" "$FEEDS/garbage.xml"
check "the file that is no feed is named" grep -q "garbage.xml: not a feed" "$TMP/err"
check_eq "every item stored" 7 "$(sql "$TMP/feeds.db" 'SELECT count(*) FROM articles')"
check_eq "items keep their authors" "Priya Nair, Owen Tully" "$(sql "$TMP/feeds.db" \
	"SELECT byline FROM articles WHERE title LIKE 'Fire destroys%'")"
check_exit "ingest them again" 0 sl --db "$TMP/feeds.db" ingest "$FEEDS/atom.xml"
check_eq "no duplicates" 7 "$(sql "$TMP/feeds.db" 'SELECT count(*) FROM articles')"

finish
