#!/usr/bin/env bash
# Feeds and fetching through the real binary against the loopback feed
# server (tests/e2e/feedserver.py; fixtures: tests/fixtures/feeds/README.md):
# loopback refused without --allow-private, discovery from a page, OPML
# import and export, every fixture feed's items stored as articles with the
# fields its README expects, a teaser completed from its page, conditional
# GET on the second round with nothing stored twice, edited items updated in
# place, redirects (permanent ones followed, temporary ones not, loops
# refused), 429 with Retry-After, 500 with backoff, a body over the size
# cap, a slow feed under --timeout, gzip, an HTTP charset, a feed cut off
# half-way, a file that is no feed, removing a feed, and `run` stopped by
# SIGTERM.
. "$(dirname "$0")/lib.bash"
. "$(dirname "$0")/feeds_lib.bash"
# shellcheck disable=SC2119 # no arguments: the defaults
start_feedserver || { skip "no feed server"; finish; exit; }
B=$FEEDS_BASE
FAST=(--host-delay 0)

# now_ms: wall-clock milliseconds.
now_ms() { local t=${EPOCHREALTIME//[.,]/}; echo $((t / 1000)); }
# opml FILE URL...: an OPML file following each URL (text: the URL's path).
opml() {
	local out=$1 u
	shift
	{
		echo '<?xml version="1.0" encoding="UTF-8"?>'
		echo '<opml version="2.0"><head><title>test</title></head><body>'
		for u in "$@"; do
			echo "<outline type=\"rss\" text=\"${u#"$B"/}\" xmlUrl=\"$u\"/>"
		done
		echo '</body></opml>'
	} >"$out"
}
# snap DB: `feeds list --json` of DB, read by feed (taken again after changes).
snap() { sl --db "$1" feeds list --json >"$TMP/list.json"; }
# feed URL FIELD...: those fields of the feed with URL in the last snap,
# joined with '|' (null: empty); nothing when no feed has that URL.
feed() {
	local url=$1 cols='' f
	shift
	for f; do
		cols="${cols:+$cols || '|' || }ifnull(json_extract(value, '\$.$f'), '')"
	done
	sqlite3 -batch -noheader :memory: "SELECT $cols
		FROM json_each(CAST(readfile('$TMP/list.json') AS TEXT), '\$.feeds')
		WHERE json_extract(value, '\$.url') = '$url'"
}
# epoch RFC3339: the time as seconds since 1970 (empty stays empty).
epoch() { [ -z "$1" ] || sqlite3 -batch -noheader :memory: "SELECT strftime('%s', '$1')"; }
# requests SQL: SQL over the server's log as the table r (path, status, inm:
# If-None-Match, n: the request's line in the log, from 0).
requests() {
	sqlite3 -batch -noheader :memory: "CREATE TABLE r AS SELECT key AS n,
		json_extract(value, '\$.path') AS path,
		json_extract(value, '\$.status') AS status,
		json_extract(value, '\$.if_none_match') AS inm
		FROM json_each('[' || replace(rtrim(CAST(readfile('$FEEDS_LOG')
			AS TEXT), char(10)), char(10), ',') || ']'); $1"
}
# load_export DB: `export` of DB as the table ex (id, j) of $TMP/ex.db; exq
# attaches DB as s (for feed_items: which article each item became).
load_export() {
	sl --db "$1" export >"$TMP/export.jsonl"
	rm -f "$TMP/ex.db"
	sqlite3 -batch "$TMP/ex.db" "CREATE TABLE ex AS
		SELECT json_extract(value, '\$.id') AS id, value AS j
		FROM json_each('[' || replace(rtrim(CAST(readfile('$TMP/export.jsonl')
			AS TEXT), char(10)), char(10), ',') || ']')"
	EX_DB=$1
}
# exq SQL: a query on the exported articles (ex) beside the store (s.*).
exq() { sqlite3 -batch -noheader "$TMP/ex.db" "ATTACH '$EX_DB' AS s; $1"; }
# item KEY EXPR: EXPR (over j, the article's export line) for the article
# that the feed item KEY (guid, Atom id, JSON Feed id or link) became.
item() {
	exq "SELECT $2 FROM ex JOIN s.feed_items fi ON fi.article = ex.id
		WHERE fi.key = '$1'"
}
# lacks STRING TEXT: TEXT does not hold STRING.
lacks() { ! grep -qF -- "$1" <<<"$2"; }
# paras EXPR: SQL for the number of blank-line separated paragraphs of EXPR.
paras() { echo "((length($1) - length(replace($1, char(10) || char(10), ''))) / 2 + 1)"; }
body="json_extract(j, '\$.body')"
# from_feed URL: SQL for "the article ex came from feed URL" (feed_items).
from_feed() {
	echo "ex.id IN (SELECT fi.article FROM s.feed_items fi JOIN s.feeds f
		ON f.id = fi.feed WHERE f.url = '$1')"
}
# by_feed_titles URL: the sorted titles of the articles that came from feed URL.
by_feed_titles() {
	exq "SELECT group_concat(t, '|') FROM (SELECT json_extract(j, '\$.title') AS t
		FROM ex WHERE $(from_feed "$1") ORDER BY t)"
}

# -- Loopback is refused without --allow-private ---------------------------
db=$TMP/ssrf.db
check_exit "feeds add of a loopback page without --allow-private" 1 \
	sl --db "$db" feeds add "$B/notfeed.html"
check "it says the address is private" grep -q "private address" "$TMP/err"
check_eq "no request reached the server" 0 "$(served_count /notfeed.html)"
check_exit "feeds add of a loopback feed with --allow-private" 0 \
	sl --db "$db" feeds add --allow-private "$B/feed10.json"
check_eq "that one was fetched once" 1 "$(served_count /feed10.json)"
check_eq "the refused page was not followed" "$B/feed10.json" \
	"$(sql "$db" 'SELECT group_concat(url) FROM feeds')"
check_exit "fetch of the added feed without --allow-private" 1 \
	sl --db "$db" fetch --all "${FAST[@]}" --json
check_eq "the round counts it as an error" 1 "$(jget "$(cat "$TMP/out")" '$.errors')"
check_eq "no request reached the server in that round" 1 "$(served_count /feed10.json)"
snap "$db"
check_eq "its status is error" error "$(feed "$B/feed10.json" status)"
check "its error says the address is private" \
	grep -q "private address" <<<"$(feed "$B/feed10.json" error)"
check_eq "nothing stored" 0 "$(sql "$db" 'SELECT count(*) FROM articles')"

# -- Discovery from an HTML page -------------------------------------------
db=$TMP/discover.db
check_exit "feeds add of an HTML page (--json)" 0 \
	sl --db "$db" feeds add --allow-private --json "$B/notfeed.html"
out=$(cat "$TMP/out")
check_eq "the page's first feed is followed" "$B/rss2.xml" "$(jget "$out" '$.url')"
check_eq "as a new feed" 1 "$(jget "$out" '$.new')"
check_eq "the other feed is named" "[\"$B/atom.xml\"]" "$(jget "$out" '$.other_feeds')"
check "it has an id" test -n "$(jget "$out" '$.id')"
check_exit "feeds add of the page again (text)" 0 \
	sl --db "$db" feeds add --allow-private "$B/notfeed.html"
check "it says the page links another feed" \
	grep -qF "the page links another feed too: $B/atom.xml" "$TMP/out"
check "it says the feed is followed already" grep -q "already following" "$TMP/out"
check_eq "one feed followed, the page's first" "$B/rss2.xml" \
	"$(sql "$db" 'SELECT group_concat(url) FROM feeds')"
snap "$db"
check_eq "feeds list: status new" new "$(feed "$B/rss2.xml" status)"

# -- OPML import: 7 feeds in folders ---------------------------------------
db=$TMP/news.db
# shellcheck disable=SC2119 # feeds.opml of the fixtures
opml_file=$(opml_with_base)
check_exit "feeds import feeds.opml" 0 sl --db "$db" feeds import "$opml_file" --json
check_eq "7 added, none known" '{"added":7,"known":0}' "$(tr -d ' \n' <"$TMP/out")"
check_exit "feeds import feeds.opml again" 0 sl --db "$db" feeds import "$opml_file" --json
check_eq "none added, 7 known" '{"added":0,"known":7}' "$(tr -d ' \n' <"$TMP/out")"
snap "$db"
check_eq "feeds list has the 7 feeds" 7 "$(sqlite3 -batch -noheader :memory: \
	"SELECT json_array_length(CAST(readfile('$TMP/list.json') AS TEXT), '\$.feeds')")"
# The folders are the categories; titles from text/title; sites from htmlUrl.
while IFS='|' read -r name fields; do
	check_eq "$name: category|title|site|status" "$fields" \
		"$(feed "$B/$name" category title site status)"
done <<'EOF'
rdf.xml|World|Meridian Wire – Top News|https://www.meridianwire.example/top-news|new
feed.json|World|Kell Valley Dispatch|https://kellvalley.example/|new
feed10.json|World|Gull Point Radio – News|https://www.gullpointradio.example/news|new
rss2.xml|Local|Harbour Times – News|https://www.harbourtimes.example/news/|new
atom.xml|Local|Northfield Gazette|https://www.northfieldgazette.example/|new
rss091.xml|Local|Kellmouth Evening Post|http://www.kellmouthpost.example/|new
latin1.xml||L'Écho de Valmont|https://www.echo-valmont.example/|new
EOF

# -- First round: every fixture item becomes an article --------------------
t0=$(date +%s)
check_exit "fetch: the first round" 0 sl --db "$db" fetch --allow-private "${FAST[@]}" --json
t1=$(date +%s)
round=$(cat "$TMP/out")
for kv in feeds=7 fetched=7 errors=0 not_modified=0 items=21 new=21 updated=0 bad_dates=0; do
	check_eq "first round: ${kv%=*}" "${kv#*=}" "$(jget "$round" "\$.${kv%=*}")"
done
check "first round: the teaser's page fetched (pages >= 1)" \
	test "$(jget "$round" '$.pages')" -ge 1
check_eq "21 articles stored" 21 "$(sql "$db" 'SELECT count(*) FROM articles')"
snap "$db"
for kv in rss2.xml=4 rss091.xml=3 atom.xml=4 rdf.xml=3 feed.json=3 feed10.json=2 latin1.xml=2; do
	check_eq "${kv%=*}: ok, ${kv#*=} items in feeds list" "ok|${kv#*=}" \
		"$(feed "$B/${kv%=*}" status items)"
done
check_eq "the server saw our user agent" Storyline \
	"$(served_last /rss2.xml user_agent | cut -d/ -f1)"
load_export "$db"

# The items as the fixtures README has them: id (the feed_items key), title,
# author, published (UTC), image, categories, link.
us=$'\x1f'
while IFS=$'\t' read -r key title byline published image cats link; do
	[ "$byline" = - ] && byline=''
	[ "$image" = - ] && image=''
	[ "$cats" = - ] && cats=''
	short=${title:0:40}
	IFS=$us read -r g_title g_byline g_published g_epoch g_store g_image g_cats \
		g_link <<<"$(item "$key" "json_extract(j, '\$.title') || char(31) ||
		ifnull(json_extract(j, '\$.byline'), '') || char(31) ||
		ifnull(json_extract(j, '\$.published'), '') || char(31) ||
		ifnull(strftime('%s', json_extract(j, '\$.published')), '') || char(31) ||
		ifnull((SELECT published FROM s.articles a WHERE a.id = ex.id), '') || char(31) ||
		ifnull(json_extract(j, '\$.image'), '') || char(31) ||
		ifnull((SELECT group_concat(value, '|') FROM json_each(j, '\$.categories')), '') || char(31) ||
		ifnull(json_extract(j, '\$.url'), '')")"
	check_eq "$short: title" "$title" "$g_title"
	check_eq "$short: author" "$byline" "$g_byline"
	if [ "$published" = feed-or-fetch ]; then
		check "$short: no item date: the channel's or the fetch time ($g_published)" \
			test -n "$g_epoch" -a \( "$g_epoch" = "$(epoch 2026-11-26T06:00:00Z)" -o \
			\( "$g_epoch" -ge "$t0" -a "$g_epoch" -le "$t1" \) \)
	else
		check_eq "$short: published (UTC)" "$published" "$g_published"
		check_eq "$short: published in the store" "$(epoch "$published")" "$g_store"
	fi
	[ "$image" = teaser ] || # the teaser's image: below
		check_eq "$short: image" "$image" "$g_image"
	check_eq "$short: categories (extra)" "$cats" "$g_cats"
	check_eq "$short: link" "$link" "$g_link"
done <<EOF
https://www.harbourtimes.example/news/2026/11/25/gull-point-yacht-rescue	Lifeboat crew rescues four from stricken yacht off Gull Point	Amira Holt, Tom Hale	2026-11-25T22:30:00Z	https://media.harbourtimes.example/2026/11/25/gull-point-lifeboat-1280.jpg	News|Emergency services	https://www.harbourtimes.example/news/2026/11/25/gull-point-yacht-rescue
tag:harbourtimes.example,2026-11-25:news/library-closures	Port Ellis council votes to close two branch libraries	Lena Marsh	2026-11-25T08:05:00Z	teaser	Local|Council	$B/teaser-page.html
harbourtimes-article-88213	Ferry timetable cut as Kestrel Line loses second vessel to repairs	Sam Poe	2026-11-24T13:40:00Z	https://media.harbourtimes.example/2026/11/24/kestrel-line-ferry-1024.jpg	Transport	https://www.harbourtimes.example/news/2026/11/24/ferry-timetable-cut
https://www.harbourtimes.example/news/2026/11/24/port-ellis-sea-wall-approved	Port Ellis approves 40 million crown sea wall after winter of floods	Jane Roe	2026-11-24T09:15:00Z	https://media.harbourtimes.example/2026/11/24/sea-wall-plan-1280.jpg	Local|Environment	https://www.harbourtimes.example/news/2026/11/24/port-ellis-sea-wall-approved?utm_source=rss&utm_medium=feed&utm_campaign=news
http://www.kellmouthpost.example/stories/bakery-centenary.html	Kellmouth bakery marks 100 years on Harbour Row	-	feed-or-fetch	-	-	http://www.kellmouthpost.example/stories/bakery-centenary.html
http://www.kellmouthpost.example/stories/bridge-street-roadworks.html	Roadworks to close Bridge Street for three weeks	-	feed-or-fetch	-	-	http://www.kellmouthpost.example/stories/bridge-street-roadworks.html
http://www.kellmouthpost.example/stories/athletic-goalkeeper.html	Kellmouth Athletic sign goalkeeper from Selwyn Rovers	-	feed-or-fetch	-	-	http://www.kellmouthpost.example/stories/athletic-goalkeeper.html
https://www.meridianwire.example/business/2026/11/26/osprey-shareholders-approve-brightline-deal	Osprey Mobile shareholders approve Brightline takeover	Sam Poe	2026-11-26T08:45:30Z	-	Business	https://www.meridianwire.example/business/2026/11/26/osprey-shareholders-approve-brightline-deal
https://www.meridianwire.example/markets/2026/11/25/bank-of-belmora-holds-rates	Bank of Belmora holds rates at 3.75 per cent, signals pause	Lena Marsh	2026-11-25T13:02:00Z	-	Markets	https://www.meridianwire.example/markets/2026/11/25/bank-of-belmora-holds-rates
https://www.meridianwire.example/world/2026/11/24/tessen-dam-talks-to-resume	Arvenia and Corvalia agree to resume Tessen Dam talks in January	Jane Roe	2026-11-24T06:30:00Z	-	World	https://www.meridianwire.example/world/2026/11/24/tessen-dam-talks-to-resume
tag:northfieldgazette.example,2026-11-26:/news/late-night-market	Northfield market to stay open late on Thursdays until Christmas	Northfield Gazette Newsdesk	2026-11-26T06:30:00Z	-	Local news	https://www.northfieldgazette.example/news/2026/11/26/late-night-market
tag:northfieldgazette.example,2026-11-25:/news/gritting-lorries	Gritting lorries on standby as first frost forecast	Priya Nair	2026-11-25T12:00:00Z	-	Weather	https://www.northfieldgazette.example/news/2026/11/25/gritting-lorries-on-standby
tag:northfieldgazette.example,2026-11-25:/news/school-robotics-final	Northfield school wins national robotics final	Owen Tully	2026-11-25T06:45:00Z	-	Education	https://www.northfieldgazette.example/news/2026/11/25/school-robotics-final
tag:northfieldgazette.example,2026-11-24:/news/mill-fire	Fire destroys historic grain store at Northfield mill	Priya Nair, Owen Tully	2026-11-24T18:20:00Z	https://www.northfieldgazette.example/media/2026/11/24/mill-fire-1280.jpg	Local news|fire	https://www.northfieldgazette.example/news/2026/11/mill-fire-destroys-grain-store
https://kellvalley.example/2026/11/26/dunmore-flood-defences-review	Dunmore flood defences to be reviewed after Storm Orla	Rosa Calder, Ben Ashdown	2026-11-26T08:00:00Z	https://kellvalley.example/media/2026/11/mill-meadows-embankment-1200.jpg	Dunmore|Flooding|Storm Orla	https://kellvalley.example/2026/11/26/dunmore-flood-defences-review
kvd-2026-1187	Kell Valley bus routes to switch to electric fleet by 2028	Dispatch Newsroom	2026-11-25T15:30:00Z	-	Transport|Kellmouth	https://kellvalley.example/2026/11/25/electric-buses-by-2028
1190	Riverside walk reopens a year after landslip	Ben Ashdown	2026-11-24T09:00:00Z	https://kellvalley.example/media/2026/11/cray-woods-path-1200.jpg	Dunmore|Outdoors	https://kellvalley.example/2026/11/24/riverside-walk-reopens
gpr-news-5531	Coastguard warns of gale-force winds over the weekend	Dev Kapoor	2026-11-26T17:00:00Z	https://www.gullpointradio.example/media/news/5531-gull-point-waves.jpg	Weather|Coast	https://www.gullpointradio.example/news/5531-coastguard-gale-warning
gpr-news-5529	Gull Point lighthouse keeper's cottage to become a museum	Gull Point Radio Newsroom	2026-11-26T09:20:00Z	-	Heritage	https://www.gullpointradio.example/news/5529-lighthouse-cottage-museum
echo-valmont-20261124-0412	Valmont : la crue de la Lisière inonde la place du Marché	Élodie Fournier	2026-11-24T18:45:00Z	-	Région	https://www.echo-valmont.example/region/2026/11/24/crue-lisiere-place-du-marche
echo-valmont-20261123-0398	Fête de Noël : le marché gourmand déménage à l'Hôtel de ville	Benoît Garçon	2026-11-23T10:00:00Z	-	Culture	https://www.echo-valmont.example/culture/2026/11/23/marche-gourmand-hotel-de-ville
EOF

# Ids: the guid / Atom id / JSON Feed id as written (a number as a string),
# kept in extra.
check_eq "guids kept in extra" \
	"harbourtimes-article-88213|1190|kvd-2026-1187|tag:northfieldgazette.example,2026-11-24:/news/mill-fire|https://www.harbourtimes.example/news/2026/11/24/port-ellis-sea-wall-approved" \
	"$(exq "SELECT group_concat(ifnull(json_extract(j, '\$.guid'), 'none'), '|') FROM
	(SELECT 1 AS o, 'harbourtimes-article-88213' AS k UNION SELECT 2, '1190'
	 UNION SELECT 3, 'kvd-2026-1187'
	 UNION SELECT 4, 'tag:northfieldgazette.example,2026-11-24:/news/mill-fire'
	 UNION SELECT 5, 'https://www.harbourtimes.example/news/2026/11/24/port-ellis-sea-wall-approved'
	 ORDER BY o) w JOIN s.feed_items fi ON fi.key = w.k JOIN ex ON ex.id = fi.article")"
sea=https://www.harbourtimes.example/news/2026/11/24/port-ellis-sea-wall-approved
check_eq "utm_* parameters are not in the canonical URL" "$sea" \
	"$(item "$sea" "(SELECT canonical_url FROM s.articles a WHERE a.id = ex.id)")"
check "a relative <img> in the content is made absolute against the item's link" \
	grep -qF 'https://www.harbourtimes.example/media/2026/11/24/quay-street-flood-800.jpg' \
	<<<"$(item "$sea" "json_extract(j, '\$.body_html')")"
check_eq "no two articles share a canonical URL" 0 \
	"$(sql "$db" 'SELECT count(*) - count(DISTINCT canonical_url) FROM articles')"
check_eq "every article has an outlet" 0 \
	"$(sql "$db" "SELECT count(*) FROM articles WHERE ifnull(outlet, '') = ''")"
check_eq "the French feed's articles are in French" "fr fr" "$(exq \
	"SELECT group_concat(json_extract(j, '\$.lang'), ' ') FROM ex
	 WHERE $(from_feed "$B/latin1.xml")")"

# Bodies: the full content where the feed carries it.
yacht=https://www.harbourtimes.example/news/2026/11/25/gull-point-yacht-rescue
check_eq "yacht rescue: 6 paragraphs from content:encoded, first and last" "6|1|1" \
	"$(item "$yacht" "$(paras "$body") || '|' ||
	($body LIKE 'Four sailors were lifted from a yacht that lost its mast%') || '|' ||
	($body LIKE '%The Port Ellis station has launched 61 times this year, its busiest year since 2011.')")"
tessen=https://www.meridianwire.example/world/2026/11/24/tessen-dam-talks-to-resume
check_eq "Tessen Dam (RDF x:encoded): 5 paragraphs, the credit line kept" "5|1" \
	"$(item "$tessen" "$(paras "$body") || '|' ||
	($body LIKE '%Additional reporting by Lena Marsh; Editing by Tom Hale')")"
check_eq "RDF: no decoy dc: author or date" 0 "$(exq "SELECT count(*) FROM ex
	WHERE json_extract(j, '\$.byline') = 'legacy-import'
	   OR json_extract(j, '\$.published') LIKE '2001-%'")"
fire=tag:northfieldgazette.example,2026-11-24:/news/mill-fire
check_eq "mill fire (Atom html): 5 paragraphs" 5 "$(item "$fire" "$(paras "$body")")"
check "mill fire: a link in the content resolved against the nested xml:base" \
	grep -qF 'href="https://www.northfieldgazette.example/news/2026/10/mill-restoration-plan"' \
	<<<"$(item "$fire" "json_extract(j, '\$.body_html')")"
check_eq "gritting lorries (Atom text): 4 paragraphs" 4 \
	"$(item tag:northfieldgazette.example,2026-11-25:/news/gritting-lorries "$(paras "$body")")"
check "robotics final (Atom xhtml): its markup kept" grep -qF '<em>Magpie</em>' \
	<<<"$(item tag:northfieldgazette.example,2026-11-25:/news/school-robotics-final \
		"json_extract(j, '\$.body_html')")"
check_eq "late-night market (Atom summary only): the summary" \
	"Stalls on Market Square will trade until 9pm every Thursday from next week, with carol singers and a children's lantern parade on December 17." \
	"$(item tag:northfieldgazette.example,2026-11-26:/news/late-night-market "$body")"
dunmore=https://kellvalley.example/2026/11/26/dunmore-flood-defences-review
check_eq "Dunmore review (JSON Feed content_html): 5 paragraphs, the last" "5|1" \
	"$(item "$dunmore" "$(paras "$body") || '|' ||
	($body LIKE '%The first findings are expected by the end of February.')")"
check_eq "electric buses (content_text): 4 paragraphs" 4 "$(item kvd-2026-1187 "$(paras "$body")")"
valmont=$(item echo-valmont-20261124-0412 "$body")
check "Valmont flood (ISO-8859-1): guillemets and accents" grep -qF \
	"« Nous n'avions jamais vu ça, même en 1998 »" <<<"$valmont"
check "Valmont flood: degrees" grep -qF "voisines de 3 °C." <<<"$valmont"
check "bakery (RSS 0.91): a numeric entity decoded" test "$(item \
	http://www.kellmouthpost.example/stories/bakery-centenary.html \
	"$body LIKE 'Hallam’s Bakery, which has sold bread on Harbour Row since 1926,%'")" = 1
check "roadworks (RSS 0.91): &amp; decoded" test "$(item \
	http://www.kellmouthpost.example/stories/bridge-street-roadworks.html \
	"$body LIKE '%Buses will be diverted along Mill Lane & Station Road.'")" = 1

# The teaser: its text comes from teaser-page.html.
teaser=tag:harbourtimes.example,2026-11-25:news/library-closures
check_eq "the teaser's page was fetched once" 1 "$(served_count /teaser-page.html)"
check_eq "teaser: the page's 5 paragraphs, its first and last" "5|1|1" "$(item "$teaser" \
	"$(paras "$body") || '|' ||
	($body LIKE 'Councillors voted by seven to four on Tuesday night to close the Quayside and Millbrook branch libraries from April, saying the savings would protect opening hours at the central library on Market Square.%') || '|' ||
	($body LIKE '%The council said it would publish a timetable for the mobile library service in February and review the arrangement after a year.')")"
teaser_body=$(item "$teaser" "$body")
for bad in "Read more" "Quayside and Millbrook branches to shut in April" \
	"Advertisement" "Share on X" "Topics:" "More from Local" "All rights reserved"; do
	check "teaser: no '$bad' in the body" lacks "$bad" "$teaser_body"
done
teaser_image=$(item "$teaser" "json_extract(j, '\$.image')")
check "teaser: the feed's thumbnail or the page's lead image ($teaser_image)" \
	grep -qxE 'https://media\.harbourtimes\.example/2026/11/25/quayside-library-(320|1280)\.jpg' \
	<<<"$teaser_image"

# get and search see the fetched articles.
id=$(item "$yacht" id)
check_exit "get a fetched article" 0 sl --db "$db" get "$id" --json
check_eq "get: its title" "Lifeboat crew rescues four from stricken yacht off Gull Point" \
	"$(jget "$(cat "$TMP/out")" '$.title')"
check "search finds it" grep -qF "\"id\":\"$id\"" <<<"$(sl --db "$db" search lifeboat --json)"

# -- Second round: nothing due; with --all, 304s and nothing twice ---------
n_log=$(wc -l <"$FEEDS_LOG")
check_exit "fetch again at once" 0 sl --db "$db" fetch --allow-private "${FAST[@]}" --json
check_eq "no feed is due yet" 0 "$(jget "$(cat "$TMP/out")" '$.feeds')"
check_eq "and no request was made" "$n_log" "$(wc -l <"$FEEDS_LOG")"
check_exit "fetch --all: the second round" 0 sl --db "$db" fetch --all --allow-private "${FAST[@]}" --json
round=$(cat "$TMP/out")
for kv in feeds=7 not_modified=7 fetched=0 new=0 updated=0 errors=0 pages=0; do
	check_eq "second round: ${kv%=*}" "${kv#*=}" "$(jget "$round" "\$.${kv%=*}")"
done
check_eq "second round: each feed asked with If-None-Match, each answered 304" \
	"/atom.xml 304 1|/feed.json 304 1|/feed10.json 304 1|/latin1.xml 304 1|/rdf.xml 304 1|/rss091.xml 304 1|/rss2.xml 304 1" \
	"$(requests "SELECT group_concat(x, '|') FROM (SELECT path || ' ' || status || ' ' ||
		(ifnull(inm, '') != '') AS x FROM r WHERE n >= $n_log ORDER BY path)")"
snap "$db"
check_eq "second round: every feed 'not modified'" 7 "$(sqlite3 -batch -noheader :memory: \
	"SELECT count(*) FROM json_each(CAST(readfile('$TMP/list.json') AS TEXT), '\$.feeds')
	 WHERE json_extract(value, '\$.status') = 'not modified'")"
check_eq "no article added" 21 "$(sql "$db" 'SELECT count(*) FROM articles')"
check_eq "the teaser's page not fetched again" 1 "$(served_count /teaser-page.html)"

# -- Export | import into a fresh store -------------------------------------
fresh=$TMP/fresh.db
sl --db "$db" feeds export >"$TMP/export.opml"
check "feeds export writes OPML" grep -q '<opml version="2.0"' "$TMP/export.opml"
sl --db "$db" feeds export | sl --db "$fresh" feeds import - --json >"$TMP/out"
check_eq "feeds export | feeds import: 7 added" 7 "$(jget "$(cat "$TMP/out")" '$.added')"
q="SELECT group_concat(url || ' [' || ifnull(category, '') || '] ' || ifnull(title, ''), char(10))
	FROM (SELECT * FROM feeds ORDER BY url)"
check_eq "the same feed URLs, categories and titles" "$(sql "$db" "$q")" "$(sql "$fresh" "$q")"

# -- Remove ------------------------------------------------------------------
id091=$(sql "$db" "SELECT id FROM feeds WHERE url = '$B/rss091.xml'")
check_exit "feeds remove ID" 0 sl --db "$db" feeds remove "$id091"
check_exit "feeds remove URL" 0 sl --db "$db" feeds remove "$B/latin1.xml"
check_exit "feeds remove of a feed not followed" 1 sl --db "$db" feeds remove 9999
snap "$db"
check_eq "the removed feeds are gone from the list" "" \
	"$(feed "$B/rss091.xml" id)$(feed "$B/latin1.xml" id)"
check_eq "5 feeds left" 5 "$(sql "$db" 'SELECT count(*) FROM feeds')"
check_eq "their articles stay" 21 "$(sql "$db" 'SELECT count(*) FROM articles')"
n091=$(served_count /rss091.xml)
check_exit "fetch --all after removing" 0 sl --db "$db" fetch --all --allow-private "${FAST[@]}" --json
check_eq "5 feeds polled" 5 "$(jget "$(cat "$TMP/out")" '$.feeds')"
check_eq "a removed feed is not requested" "$n091" "$(served_count /rss091.xml)"

# -- What goes wrong on the web --------------------------------------------
db=$TMP/web.db
opml "$TMP/web.opml" "$B/redirect/301/rss2.xml" "$B/redirect/302/rdf.xml" \
	"$B/loop/a" "$B/status/429?retry-after=7200" "$B/status/500" \
	"$B/slow/10/rss091.xml" \
	"$B/gzip/atom.xml" "$B/charset/windows-1252/nocharset.xml" \
	"$B/broken.xml" "$B/garbage.xml" "$B/mutate/feed.json" "$B/feed10.json"
check_exit "import 12 feeds" 0 sl --db "$db" feeds import "$TMP/web.opml"
before=$(date +%s)
ms=$(now_ms)
check_exit "fetch: a round with failing feeds exits 1" 1 \
	sl --db "$db" fetch --allow-private "${FAST[@]}" --timeout 2 --json
ms=$(($(now_ms) - ms))
after=$(date +%s)
round=$(cat "$TMP/out")
check "the round still finishes quickly (${ms} ms < 8 s)" test "$ms" -lt 8000
check "the round counts the errors" test "$(jget "$round" '$.errors')" -ge 5
snap "$db"

check_eq "301: the feed's URL becomes the target" "$B/rss2.xml" \
	"$(sql "$db" "SELECT url FROM feeds WHERE title = 'redirect/301/rss2.xml'")"
check_eq "301: ok, 4 items" "ok|4" "$(feed "$B/rss2.xml" status items)"
check_eq "302: the feed's URL stays" "$B/redirect/302/rdf.xml" \
	"$(sql "$db" "SELECT url FROM feeds WHERE title = 'redirect/302/rdf.xml'")"
check_eq "302: ok, 3 items" "ok|3" "$(feed "$B/redirect/302/rdf.xml" status items)"

check_eq "redirect loop: error" error "$(feed "$B/loop/a" status)"
check "redirect loop: the error mentions redirects" \
	grep -qi redirect <<<"$(feed "$B/loop/a" error)"
check "redirect loop: a bounded number of hops" test \
	$(($(served_count /loop/a) + $(served_count /loop/b))) -le 12

check_eq "429: error" error "$(feed "$B/status/429?retry-after=7200" status)"
np=$(epoch "$(feed "$B/status/429?retry-after=7200" next_poll)")
check "429: the next poll honours Retry-After: 7200 (in $((np - after)) s)" \
	test -n "$np" -a "$np" -ge $((before + 7200 - 60)) -a "$np" -le $((after + 7200 + 600))

check_eq "500: error, failures = 1" "error|1" "$(feed "$B/status/500" status failures)"
check "500: the error names the status" grep -q 500 <<<"$(feed "$B/status/500" error)"
np500=$(epoch "$(feed "$B/status/500" next_poll)")
check "500: backoff: the next poll is later (in $((np500 - after)) s)" \
	test -n "$np500" -a "$np500" -gt "$after"

# The size cap, in a round of its own with the default timeout: under a
# sanitizer or a loaded machine 8 MiB may take longer than --timeout 2.
db_big=$TMP/big.db
opml "$TMP/big.opml" "$B/big/20" "$B/big/20?chunked=1"
check_exit "import the oversize feeds" 0 sl --db "$db_big" feeds import "$TMP/big.opml"
check_exit "fetch them: errors" 1 sl --db "$db_big" fetch --allow-private "${FAST[@]}" --json
snap "$db_big"
for big in "big/20" "big/20?chunked=1"; do
	check_eq "$big (20 MiB): error" error "$(feed "$B/$big" status)"
	check "$big: the error mentions the limit" grep -qi limit <<<"$(feed "$B/$big" error)"
	check_eq "$big: the transfer was cut short" true "$(served_last "/$big" aborted)"
done
check "big/20?chunked=1: not read much past the 8 MiB cap" \
	test "$(served_last "/big/20?chunked=1" bytes)" -lt $((16 * 1024 * 1024))
snap "$db"

check_eq "slow feed under --timeout 2: error" error "$(feed "$B/slow/10/rss091.xml" status)"
check "slow feed: the error says it timed out" \
	grep -qi "time" <<<"$(feed "$B/slow/10/rss091.xml" error)"

check_eq "gzip: ok, 4 items" "ok|4" "$(feed "$B/gzip/atom.xml" status items)"
check "gzip: Accept-Encoding sent" grep -q gzip <<<"$(served_last /gzip/atom.xml accept_encoding)"
check "gzip: the body came compressed" \
	test "$(served_last /gzip/atom.xml bytes)" -lt "$(wc -c <"$FEEDS_DIR/atom.xml")"

load_export "$db"
check_eq "gzip: the entries stored" \
	"Fire destroys historic grain store at Northfield mill|Gritting lorries on standby as first frost forecast|Northfield market to stay open late on Thursdays until Christmas|Northfield school wins national robotics final" \
	"$(by_feed_titles "$B/gzip/atom.xml")"
cs=$B/charset/windows-1252/nocharset.xml
check_eq "HTTP charset: ok" ok "$(feed "$cs" status)"
# shellcheck disable=SC1112 # typographic quotes in the expected title
check_eq "HTTP charset windows-1252: the titles decoded" \
	'Café owner’s “pay what you can” lunches now feed 300 a week|Quay Street’s last chandlery closes after 82 years' \
	"$(item oqc-2026-0917 "json_extract(j, '\$.title')")|$(item oqc-2026-0914 "json_extract(j, '\$.title')")"
check "HTTP charset: 0x96 0x80 0x85 in a description" grep -qF \
	"– and asked them to pay what they can. Donations have covered €4,500 of costs so far… and the rest?" \
	<<<"$(item oqc-2026-0917 "$body")"
check "HTTP charset: 0x97" grep -qF "Fenwick’s Chandlery — ropes, paint, brass fittings" \
	<<<"$(item oqc-2026-0914 "$body")"
check_eq "HTTP charset: no C1 control or U+FFFD stored" 0 "$(exq "SELECT count(*) FROM ex
	WHERE $(from_feed "$cs") AND (
	   instr(json_extract(j, '\$.title') || json_extract(j, '\$.body'), char(146))
	   OR instr(json_extract(j, '\$.title') || json_extract(j, '\$.body'), char(65533)))")"

check_eq "broken.xml: 3 items kept" 3 "$(feed "$B/broken.xml" items)"
check_eq "broken.xml: the 3 complete items" \
	"Kellmouth Athletic held to goalless draw by ten-man Selwyn|New Year harbour swim called off after safety review|Port Ellis Rowing Club wins estuary regatta for third year running" \
	"$(by_feed_titles "$B/broken.xml")"
check_eq "broken.xml: the cut-off item is not stored" 0 "$(sql "$db" "SELECT count(*)
	FROM articles WHERE title LIKE 'Selwyn Rovers appoint%'")"
check_eq "broken.xml: feeds list shows an error" error "$(feed "$B/broken.xml" status)"
check "broken.xml: with a message" test -n "$(feed "$B/broken.xml" error)"

check_eq "garbage.xml: error" error "$(feed "$B/garbage.xml" status)"
check "garbage.xml: the error says it is not a feed" \
	grep -qi "feed" <<<"$(feed "$B/garbage.xml" error)"
check_eq "garbage.xml: nothing stored" "0|" \
	"$(feed "$B/garbage.xml" items)|$(by_feed_titles "$B/garbage.xml")"
check_eq "the same round still fetched feed10.json" "ok|2" "$(feed "$B/feed10.json" status items)"
check_eq "mutate: served once, 3 items" "1 3" \
	"$(served_count /mutate/feed.json) $(feed "$B/mutate/feed.json" items)"
mutate_ids=$(exq "SELECT group_concat(id) FROM (SELECT id FROM ex
	WHERE $(from_feed "$B/mutate/feed.json") ORDER BY id)")
check "mutate: its articles are there" test -n "$mutate_ids"
n_articles=$(sql "$db" 'SELECT count(*) FROM articles')

# Second round: the edited feed updates its articles in place.
check_exit "fetch --all: a second round with failing feeds exits 1" 1 \
	sl --db "$db" fetch --all --allow-private "${FAST[@]}" --timeout 2 --json
round=$(cat "$TMP/out")
now=$(date +%s)
check_eq "second round: new = 0" 0 "$(jget "$round" '$.new')"
check_eq "second round: the 3 edited items updated" 3 "$(jget "$round" '$.updated')"
check_eq "no article added" "$n_articles" "$(sql "$db" 'SELECT count(*) FROM articles')"
load_export "$db"
check_eq "mutate: the same articles" "$mutate_ids" "$(exq "SELECT group_concat(id) FROM
	(SELECT id FROM ex WHERE $(from_feed "$B/mutate/feed.json") ORDER BY id)")"
check_eq "mutate: the titles edited" \
	"Dunmore flood defences to be reviewed after Storm Orla (updated)|Kell Valley bus routes to switch to electric fleet by 2028 (updated)|Riverside walk reopens a year after landslip (updated)" \
	"$(by_feed_titles "$B/mutate/feed.json")"
check_eq "301: the second round goes straight to the new URL" 1 \
	"$(served_count /redirect/301/rss2.xml)"
check_eq "301: and gets a 304" 304 "$(served_last /rss2.xml status)"
check_eq "302: the second round asks the old URL again" 2 \
	"$(served_count /redirect/302/rdf.xml)"
# The validators came from /rdf.xml: sent there, a feed behind a temporary
# redirect gets its 304 like any other.
check_eq "302: the target is asked conditionally and answers 304" 304 \
	"$(served_last /rdf.xml status)"
snap "$db"
check_eq "500: failures = 2 after a second failure" 2 "$(feed "$B/status/500" failures)"
np2=$(epoch "$(feed "$B/status/500" next_poll)")
check "500: the backoff grows ($((np500 - after)) s, then $((np2 - now)) s)" \
	test -n "$np2" -a $((np2 - now)) -gt $((np500 - after))

# -- run: polls until SIGTERM -----------------------------------------------
# (the binary itself in the background, not the sl function: $! must be its
# process, not a subshell's)
db=$TMP/run.db
opml "$TMP/run.opml" "$B/count/feed10.json" "$B/count/rdf.xml"
sl --db "$db" feeds import "$TMP/run.opml" >/dev/null
"$STORYLINE" --db "$db" run --allow-private "${FAST[@]}" --port 0 >"$TMP/run.out" 2>"$TMP/run.err" &
pid=$!
for ((i = 0; i < 100; i++)); do
	[ "$(sql "$db" 'SELECT count(*) FROM articles' 2>/dev/null)" = 5 ] && break
	sleep 0.1
done
check_eq "run: the due feeds fetched" 5 "$(sql "$db" 'SELECT count(*) FROM articles')"
# run serves too: the articles it fetched are on its API.
run_port=$(grep -o '127.0.0.1:[0-9]*' "$TMP/run.out" | head -1 | cut -d: -f2)
check "run: prints the address it serves on" test -n "$run_port"
check_eq "run: its API has the fetched articles in its stories" 5 "$(curl -s --noproxy '*' \
	"http://127.0.0.1:$run_port/api/stories?limit=50" | /usr/bin/python3 -c \
	'import json,sys; print(sum(len(s["articles"]) for s in json.load(sys.stdin)["stories"]))')"
sleep 0.3
ms=$(now_ms)
kill -TERM "$pid"
wait "$pid"
rc=$?
ms=$(($(now_ms) - ms))
check_eq "run: SIGTERM: exit 0" 0 "$rc"
check "run: stops within 3 s (${ms} ms)" test "$ms" -lt 3000
check "run: says it stopped" grep -q stopped "$TMP/run.err"
check_eq "run: each feed polled once" "1 1" \
	"$(served_count /count/feed10.json) $(served_count /count/rdf.xml)"
check_eq "run: the feeds ok" "ok ok" "$(sql "$db" "SELECT group_concat(status, ' ') FROM feeds")"

# SIGTERM while a transfer hangs.
db=$TMP/run2.db
opml "$TMP/run2.opml" "$B/stall/30/feed.json"
sl --db "$db" feeds import "$TMP/run2.opml" >/dev/null
"$STORYLINE" --db "$db" run --allow-private "${FAST[@]}" --no-serve >"$TMP/run.out" 2>"$TMP/run.err" &
pid=$!
sleep 1
ms=$(now_ms)
kill -TERM "$pid"
wait "$pid"
rc=$?
ms=$(($(now_ms) - ms))
check_eq "run: SIGTERM during a stalled transfer: exit 0" 0 "$rc"
check "run: stops within 3 s even then (${ms} ms)" test "$ms" -lt 3000
finish
