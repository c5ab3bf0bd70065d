#!/usr/bin/env bash
# HTML pages through the real binary: `extract` gives the article fields,
# `ingest` stores a page as an article, a front page is said to hold no
# article, a page over the size cap and a file that is not HTML are
# refused with their name, and none of that stops the rest of a batch.
. "$(dirname "$0")/lib.bash"
FIX=$TOP/tests/fixtures/extract
db=$TMP/news.db

check_exit "extract a wire story" 0 sl extract --json \
	--url "https://meridianwire.example/world/2026/11/20/port-strike" \
	"$FIX/wire-story.html"
out=$(cat "$TMP/out")
check_eq "title" "$(jget "$(cat "$FIX/wire-story.json")" '$.title')" \
	"$(jget "$out" '$.title')"
check_eq "byline: names only" "Jane Roe, Sam Poe" "$(jget "$out" '$.byline')"
check_eq "readerable" 1 "$(jget "$out" '$.readerable')"
check "body_text holds the story" grep -q "Additional reporting" "$TMP/out"
check "body_html is sanitized HTML" test -n "$(jget "$out" '$.body_html')"
check "reading time" test "$(jget "$out" '$.reading_minutes')" -ge 1

check_exit "extract the hostile page" 0 sl extract --json "$FIX/hostile.html"
for bad in '<script' 'onerror' 'onclick' 'javascript:' 'data:text' \
	'<iframe' '<svg' 'expression('; do
	check "no $bad in the hostile page's output" \
		sh -c "! grep -qi -- '$bad' '$TMP/out'"
done

check_exit "a front page" 0 sl extract --json "$FIX/front-page.html"
check_eq "is not readerable" 0 "$(jget "$(cat "$TMP/out")" '$.readerable')"

check_exit "a KOI8-R page with the charset from HTTP" 0 sl extract --json \
	--charset koi8-r "$FIX/http-charset.html"
check "decoded to UTF-8" grep -q "$(jget "$(cat "$FIX/http-charset.json")" \
	'$.title')" "$TMP/out"

# A page over the 16 MB cap, and a file with no HTML in it.
head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' 'a' > "$TMP/huge.html"
printf 'plain words, not a page\n' > "$TMP/plain.html"
check_exit "extract: the huge page and a good one" 1 sl extract --json \
	"$TMP/huge.html" "$FIX/wire-story.html"
check "the huge page is named" grep -q "huge.html: over" "$TMP/err"
check "the good page still comes out" grep -q '"readerable":true' "$TMP/out"

# ingest: HTML pages beside JSON lines; refused pages name themselves.
check_exit "ingest pages" 1 sl --db "$db" ingest "$FIX/wire-story.html" \
	"$FIX/front-page.html" "$TMP/plain.html" "$FIX/latin1.html" \
	"$TOP/examples/sample.jsonl"
check "the front page is refused by name" \
	grep -q "front-page.html: no article" "$TMP/err"
check "the plain file is refused by name" grep -q "plain.html" "$TMP/err"
check "a page with no address of its own asks for --url" \
	grep -q "latin1.html: .*--url" "$TMP/err"
check_eq "the wire story and the sample are stored" 84 \
	"$(sql "$db" 'SELECT count(*) FROM articles')"
check_eq "the wire story is searchable" 1 "$(sl --db "$db" search \
	'"port ellis"' --json | grep -c '"results":\[{')"
check_exit "one page with --url" 0 sl --db "$db" ingest \
	--url "https://www.example.org/news/ferry" "$FIX/lazy-image.html"
check_eq "stored under its URL" 1 "$(sql "$db" "SELECT count(*) FROM articles
	WHERE url = 'https://www.example.org/news/ferry'")"
finish
