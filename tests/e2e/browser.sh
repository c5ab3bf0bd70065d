#!/usr/bin/env bash
# The web pages of `storyline serve` in a real browser (Debian's chromium,
# headless): the front page, an article followed from it with its
# Recommended Stories rail, the story page with its SVG timeline, a search,
# all rendered with no script, no console errors and no CSP violations;
# the layout at a phone's width. Screenshots and the DOMs the browser built
# stay in $BUILD/e2e-artifacts/ (browser-*.png, browser-*.html).
#
# Chromium is installed when missing (apt-get, as root or through sudo);
# where it cannot be installed or started, the browser checks are skipped.
# CHROMIUM=/path/to/chrome picks another binary. The pages' DOMs come from
# --dump-dom, the desktop screenshots from --screenshot; the phone-size
# checks and screenshots, and the pages with JavaScript off, drive one
# browser over its DevTools protocol (--remote-debugging-pipe, Python's
# standard library only): without python3 those are skipped and the phone
# screenshots taken with --screenshot.
. "$(dirname "$0")/lib.bash"
SAMPLE=$TOP/examples/sample.jsonl
BUILD=${BUILD:-$TOP/build}
ART=$BUILD/e2e-artifacts
CHROMIUM=${CHROMIUM:-chromium}
db=$TMP/news.db
T_START=$SECONDS

# ---------------------------------------------------------------- chromium
install_chromium() {
	local run=
	if [ "$(id -u)" -ne 0 ]; then
		sudo -n true 2>/dev/null || return 1
		run="sudo -n"
	fi
	command -v apt-get >/dev/null 2>&1 || return 1
	echo "# installing chromium (apt-get install chromium)"
	export DEBIAN_FRONTEND=noninteractive
	$run apt-get install -y -qq --no-install-recommends chromium \
		>"$TMP/apt.log" 2>&1 ||
		{ $run apt-get update -qq >>"$TMP/apt.log" 2>&1 &&
		  $run apt-get install -y -qq --no-install-recommends chromium \
			>>"$TMP/apt.log" 2>&1; }
}

give_up() {
	skip "browser tests: $1"
	finish
	exit
}

if ! command -v "$CHROMIUM" >/dev/null 2>&1; then
	[ "$CHROMIUM" = chromium ] && install_chromium
	command -v "$CHROMIUM" >/dev/null 2>&1 ||
		give_up "no $CHROMIUM, and it could not be installed (apt-get install chromium needs root or sudo and a Debian mirror)$(tail -n 3 "$TMP/apt.log" 2>/dev/null | tr '\n' ' ')"
fi
version=$("$CHROMIUM" --version 2>/dev/null | head -n 1)
echo "# browser: ${version:-$CHROMIUM (no --version)}"

# The flags the issue asks for, plus console messages on stderr (each one
# a line with ":CONSOLE"), and no scroll bars in the screenshots (phones
# overlay theirs).
HEADLESS=--headless
chrome_flags() {
	printf '%s\n' "$HEADLESS" --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update \
		--disable-sync --hide-scrollbars --enable-logging=stderr --v=0
}
runs=0
# browse NAME URL [FLAG...]: one run of the browser with a fresh profile;
# the DOM it built in $TMP/NAME.html, its log in $TMP/NAME.log.
browse() {
	local name=$1 url=$2 flags
	shift 2
	runs=$((runs + 1))
	mapfile -t flags < <(chrome_flags)
	timeout -k 5 30 "$CHROMIUM" "${flags[@]}" \
		--user-data-dir="$TMP/profile-$runs" "$@" "$url" \
		>"$TMP/$name.html" 2>"$TMP/$name.log"
}
# dom NAME URL [FLAG...]: browse with --dump-dom; the DOM as one line in
# $TMP/NAME.dom, a copy kept as an artefact.
dom() {
	local name=$1 url=$2
	shift 2
	browse "$name" "$url" --dump-dom "$@" || return 1
	tr '\n' ' ' <"$TMP/$name.html" >"$TMP/$name.dom"
	cp "$TMP/$name.html" "$ART/browser-$name.html"
	[ -s "$TMP/$name.dom" ]
}

mkdir -p "$ART" || give_up "cannot create $ART"
rm -f "$ART"/browser-*.png "$ART"/browser-*.html "$ART"/browser-*.log \
	"$ART"/browser-*.tsv

# When the first page does not come back: can the browser start at all? A
# page of its own, with a script that logs to the console: its DOM comes
# back, and the console line reaches the log. Skips when it cannot start.
smoke() {
	local page='data:text/html,<p id="smoke">ok</p><script>console.log("storyline-smoke")</script>'
	if dom smoke "$page" && grep -q 'id="smoke"' "$TMP/smoke.dom"; then
		:
	elif HEADLESS=--headless=new && dom smoke "$page" &&
		grep -q 'id="smoke"' "$TMP/smoke.dom"; then
		:
	else
		give_up "$CHROMIUM does not start headless here: $(grep -v -e dbus -e '^$' "$TMP/smoke.log" | tail -n 3 | tr '\n' ' ')"
	fi
	ok "chromium starts headless and dumps the DOM ($HEADLESS)"
	check "the browser's console messages reach its log" \
		grep -q ':CONSOLE.*storyline-smoke' "$TMP/smoke.log"
}

# ------------------------------------------------------------------ server
sl --db "$db" ingest "$SAMPLE" >/dev/null 2>&1
SERVER=
stop_server() {
	if [ -n "$SERVER" ]; then
		kill -TERM "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
		SERVER=
	fi
}
# Chain onto lib.bash's EXIT trap (which removes $TMP).
lib_exit=$(trap -p EXIT)
lib_exit=${lib_exit#"trap -- "}
lib_exit=${lib_exit%" EXIT"}
eval "lib_exit=$lib_exit"
trap 'stop_server; eval "$lib_exit"' EXIT

"$STORYLINE" --db "$db" serve --port 0 >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVER=$!
port=
for _ in $(seq 100); do
	port=$(sed -nE '1s|^storyline: serving .* on http://127\.0\.0\.1:([0-9]+)/.*|\1|p' \
		"$TMP/serve.out")
	[ -n "$port" ] && break
	kill -0 "$SERVER" 2>/dev/null || break
	sleep 0.1
done
if [ -z "$port" ]; then
	not_ok "serve --port 0 says where it serves ($(head -c 300 "$TMP/serve.out" "$TMP/serve.err" | tr '\n' ' '))"
	finish
	exit
fi
ok "serve --port 0 listens on 127.0.0.1:$port"
base=http://127.0.0.1:$port

# ------------------------------------------------------------ DOM helpers
# text_of: a fragment's text, tags dropped, entities read.
text_of() {
	sed -E 's/<[^>]*>//g; s/&nbsp;/ /g; s/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&#39;/'"'"'/g; s/&amp;/\&/g; s/  +/ /g; s/^ //; s/ $//'
}
# items FILE OPEN: the elements starting with the tag OPEN, one per line.
items() {
	awk -v open="$2" '{
		n = split($0, parts, open)
		for (i = 2; i <= n; i++) print open parts[i]
	}' "$1"
}
# png_size FILE: WIDTHxHEIGHT from the PNG header, or nothing.
png_size() {
	[ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
		return 0
	local w h
	w=$(od -An -tu1 -j16 -N4 "$1" | awk '{ print (($1*256+$2)*256+$3)*256+$4 }')
	h=$(od -An -tu1 -j20 -N4 "$1" | awk '{ print (($1*256+$2)*256+$3)*256+$4 }')
	echo "${w}x$h"
}
# shot NAME URL W H: a screenshot into the artefacts, checked.
shot() {
	local name=$1 url=$2 w=$3 h=$4 png=$ART/browser-$1.png size
	browse "shot-$name" "$url" --window-size="$w,$h" --screenshot="$png"
	size=$(stat -c %s "$png" 2>/dev/null || echo 0)
	if [ "$(png_size "$png")" = "${w}x$h" ] && [ "$size" -gt 15000 ]; then
		ok "screenshot $name: ${w}x$h PNG, $size bytes"
	else
		not_ok "screenshot $name (${w}x$h): $(png_size "$png") $size bytes; $(grep -v dbus "$TMP/shot-$name.log" | tail -n 2 | tr '\n' ' ')"
	fi
}

# ------------------------------------------------------------- front page
# Screenshot and DOM in one run of the browser.
front() {
	dom front "$base/" --window-size=1280,2000 \
		--screenshot="$ART/browser-front-desktop.png" &&
		grep -q '<h1>' "$TMP/front.dom"
}
if ! front && { smoke; ! front; }; then
	not_ok "the browser opens / ($(grep -v dbus "$TMP/front.log" | tail -n 2 | tr '\n' ' '))"
	finish
	exit
fi
check "front page: title 'Top stories'" \
	grep -q '<title>Top stories · Storyline</title>' "$TMP/front.dom"
items "$TMP/front.dom" '<li>' | grep 'class="headline" href="/story/' \
	>"$TMP/front.items"
n_front=$(wc -l <"$TMP/front.items")
check "front page: stories listed ($n_front)" test "$n_front" -ge 5
# The first story, as a reader follows it: its headline to /story/ID, its
# "read" link to /article/ID.
first=$(head -n 1 "$TMP/front.items")
story=$(sed -nE 's|.*<a class="headline" href="/story/([0-9]+)">.*|\1|p' <<<"$first")
article=$(sed -nE 's|.*<a href="/article/([^"]+)">read</a>.*|\1|p' <<<"$first")
n_articles=$(sed -nE 's|.*<span class="count">([0-9]+) articles?</span>.*|\1|p' <<<"$first")
check "front page: the first story links to /story/ID ($story)" test -n "$story"
check "front page: and has a read link to /article/ID ($article)" test -n "$article"
if [ -z "$story" ] || [ -z "$article" ]; then
	finish
	exit
fi
s=$(png_size "$ART/browser-front-desktop.png")
check "screenshot front-desktop: 1280x2000 PNG ($s, $(stat -c %s "$ART/browser-front-desktop.png" 2>/dev/null) bytes)" \
	test "$s" = 1280x2000 -a "$(stat -c %s "$ART/browser-front-desktop.png")" -gt 15000

# ----------------------------------------------------------- article page
# check_article NAME ID: the reader view and its rail, as the browser built
# them, against the store (title) and the CLI (the rail, in order).
check_article() {
	local name=$1 id=$2 d=$TMP/$1.dom want got n bad
	want=$(sl --db "$db" get "$id" --json >"$TMP/$name.json" &&
		jget "$(cat "$TMP/$name.json")" '$.title')
	got=$(sed -nE 's|.*<article class="reader"><h1>(.*)</h1>.*|\1|p' "$d" |
		sed 's|</h1>.*||' | text_of)
	check_eq "$name: the h1 is the article's title" "$want" "$got"
	check "$name: the rail 'Recommended Stories'" \
		grep -q '<section class="related"[^>]*><h2 id="rail">Recommended Stories</h2>' "$d"
	sed -E 's|.*<section class="related"||; s|</section>.*||' "$d" >"$TMP/$name.rail"
	items "$TMP/$name.rail" '<li class="item">' >"$TMP/$name.items"
	n=$(wc -l <"$TMP/$name.items")
	check "$name: the rail has items ($n li.item)" test "$n" -ge 1
	bad=$(grep -cv '^<li class="item"><a class="headline" href="/article/[^"]\+">[^<]\+</a>' \
		"$TMP/$name.items")
	check_eq "$name: every rail item has a headline linking to /article/..." 0 "$bad"
	: >"$TMP/$name.whys"
	while IFS= read -r item; do
		sed -nE 's|.*<div class="why">(.*)</div></li>.*|\1|p' <<<"$item" |
			text_of >>"$TMP/$name.whys"
		printf '\n' >>"$TMP/$name.whys"
	done <"$TMP/$name.items"
	sed -i '/^$/d' "$TMP/$name.whys"
	check_eq "$name: every rail item has a .why" "$n" "$(wc -l <"$TMP/$name.whys")"
	bad=$(grep -cvE '(Why: [^ ]|More on this story|Top story now)' "$TMP/$name.whys")
	check_eq "$name: every .why says why ('Why:' tags or 'More on this story')" 0 "$bad"
	sed -nE 's|^<li class="item"><a class="headline" href="/article/([^"]+)">.*|\1|p' \
		"$TMP/$name.items" >"$TMP/$name.rail-ids"
	# The page's rail holds 20 at most.
	sl --db "$db" related "$id" --limit 20 --json >"$TMP/$name.related.json"
	sqlite3 -batch -noheader :memory: "SELECT json_extract(value, '\$.id')
		FROM json_each(json_extract(CAST(readfile('$TMP/$name.related.json')
		AS TEXT), '\$.related'))" >"$TMP/$name.cli-ids"
	check "$name: the rail is the one 'storyline related' gives, in order" \
		cmp -s "$TMP/$name.rail-ids" "$TMP/$name.cli-ids"
	check_eq "$name: the article is not in its own rail" "" \
		"$(grep -Fx "$id" "$TMP/$name.rail-ids")"
}

if dom article "$base/article/$article" --window-size=1280,2000 \
	--screenshot="$ART/browser-article-desktop.png"; then
	ok "the browser opens /article/$article (the front page's read link)"
	check_article article "$article"
	check "article: 'Full coverage' links to the story followed (/story/$story)" \
		grep -q "<a href=\"/story/$story\">Full coverage</a>" "$TMP/article.dom"
	s=$(png_size "$ART/browser-article-desktop.png")
	check "screenshot article-desktop: 1280x2000 PNG ($s, $(stat -c %s "$ART/browser-article-desktop.png" 2>/dev/null) bytes)" \
		test "$s" = 1280x2000 -a "$(stat -c %s "$ART/browser-article-desktop.png")" -gt 15000
	# A reader clicks the first recommendation: that article, its rail.
	next=$(head -n 1 "$TMP/article.rail-ids")
	if [ -n "$next" ] && dom rail-click "$base/article/$next"; then
		ok "the browser follows the first recommendation (/article/$next)"
		check_article rail-click "$next"
	else
		not_ok "the browser follows the first recommendation ('$next')"
	fi
else
	not_ok "the browser opens /article/$article ($(grep -v dbus "$TMP/article.log" | tail -n 2 | tr '\n' ' '))"
fi

# -------------------------------------------------------------- story page
if dom story "$base/story/$story" --window-size=1280,2000 \
	--screenshot="$ART/browser-story-desktop.png"; then
	ok "the browser opens /story/$story (the front page's headline link)"
	check "story: an <svg class=\"timeline\">" \
		grep -q '<figure><svg class="timeline"[^>]*viewBox="0 0 [0-9]\+ [0-9]\+"' "$TMP/story.dom"
	sed -E 's|.*<svg class="timeline"||; s|</svg>.*||' "$TMP/story.dom" >"$TMP/story.svg"
	items "$TMP/story.svg" '<rect class="bar"' >"$TMP/story.bars"
	n=$(wc -l <"$TMP/story.bars")
	check "story: the timeline has rect.bar children ($n)" test "$n" -ge 1
	# Every bar drawn inside the viewBox with a size; the bars' counts (their
	# <title>) add up to the story's articles on the front page.
	read -r vw vh < <(sed -nE 's|^[^>]*viewBox="0 0 ([0-9]+) ([0-9]+)".*|\1 \2|p' "$TMP/story.svg")
	bad=$(awk -v vw="${vw:-0}" -v vh="${vh:-0}" '{
		x = y = w = h = -1
		if (match($0, / x="[-0-9.]+"/)) x = substr($0, RSTART + 4, RLENGTH - 5) + 0
		if (match($0, / y="[-0-9.]+"/)) y = substr($0, RSTART + 4, RLENGTH - 5) + 0
		if (match($0, / width="[-0-9.]+"/)) w = substr($0, RSTART + 8, RLENGTH - 9) + 0
		if (match($0, / height="[-0-9.]+"/)) h = substr($0, RSTART + 9, RLENGTH - 10) + 0
		if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > vw + 0.05 || y + h > vh + 0.05) bad++
	} END { print bad + 0 }' "$TMP/story.bars")
	check_eq "story: every bar has a size and lies inside the viewBox" 0 "$bad"
	sum=$(sed -nE 's|.*<title>([0-9]+)</title></rect>.*|\1|p' "$TMP/story.bars" |
		awk '{ s += $1 } END { print s + 0 }')
	check_eq "story: the bars count the story's articles" "$n_articles" "$sum"
	n=$(items "$TMP/story.dom" '<li>' | grep -c '<a href="/article/')
	check "story: the coverage lists its articles ($n)" test "$n" -ge 1
	check "story: the article followed is in its coverage" \
		grep -q "<a href=\"/article/$article\">" "$TMP/story.dom"
	s=$(png_size "$ART/browser-story-desktop.png")
	check "screenshot story-desktop: 1280x2000 PNG ($s, $(stat -c %s "$ART/browser-story-desktop.png" 2>/dev/null) bytes)" \
		test "$s" = 1280x2000 -a "$(stat -c %s "$ART/browser-story-desktop.png")" -gt 15000
else
	not_ok "the browser opens /story/$story ($(grep -v dbus "$TMP/story.log" | tail -n 2 | tr '\n' ' '))"
fi

# ------------------------------------------------------------------ search
if dom search "$base/search?q=flood"; then
	ok "the browser opens /search?q=flood"
	check "search: the box keeps the query" \
		grep -q '<input type="search" name="q"[^>]* value="flood"' "$TMP/search.dom"
	items "$TMP/search.dom" '<li class="result">' >"$TMP/search.items"
	n=$(wc -l <"$TMP/search.items")
	check "search: results listed ($n li.result)" test "$n" -ge 1
	bad=$(grep -cv '^<li class="result"><a class="headline" href="/article/[^"]\+">' \
		"$TMP/search.items")
	check_eq "search: every result links to /article/..." 0 "$bad"
	# The reader sees why each result is there: the word in its headline
	# or in its snippet.
	bad=$(sed 's|</a>|</a> · |' "$TMP/search.items" | text_of | grep -iv 'flood' |
		sed -E 's/^(.{70}).*/\1…/' | head -n 3 | tr '\n' ';')
	check_eq "search: every result shows 'flood' in its headline or snippet" "" "$bad"
	check "search: the snippets highlight the words found" \
		grep -qi '<b>flood[a-z]*</b>' "$TMP/search.dom"
else
	not_ok "the browser opens /search?q=flood ($(grep -v dbus "$TMP/search.log" | tail -n 2 | tr '\n' ' '))"
fi

# ---------------------------------------------- script, console, CSP, logs
n=0
for f in "$TMP"/*.dom; do
	case $f in */smoke.dom) continue ;; esac
	grep -q '<script' "$f" && n=$((n + 1))
done
check_eq "no page has a <script> (rendered on the server)" 0 "$n"
cat "$TMP"/*.log | grep -v '^$' >"$ART/browser-chromium.log"
grep -h ':CONSOLE' "$TMP"/*.log | grep -v storyline-smoke >"$TMP/console" || true
check_eq "the pages log nothing to the browser's console" "" "$(head -n 3 "$TMP/console")"
check_eq "no Content Security Policy violation" "" \
	"$(grep -h -e 'Content Security Policy' -e 'Refused to' "$TMP"/*.log | grep -v smoke | head -n 3)"

# ------------------------------------------------------ at a phone's size
# Over the DevTools protocol (a pipe: Python's standard library, no other
# package), one browser: each page as a 390x844 phone (mobile viewport) must
# not scroll sideways, must have its stylesheet applied, run no script and
# log nothing; its screenshot is kept. Then the same pages with JavaScript
# off must build the same DOM as --dump-dom did with it on.
xss='%3Cscript%3Econsole.log(%22xss%22)%3C%2Fscript%3E%22%3E%3Cimg%20src%3Dx%20onerror%3Dconsole.log(1)%3E'
PY=${BROWSER_PYTHON-$(command -v python3 || true)} # BROWSER_PYTHON= goes without
if [ -z "$PY" ]; then
	skip "layout at a phone's size, JavaScript off: no python3 to drive the DevTools protocol"
	shot front-phone "$base/" 390 844
	shot article-phone "$base/article/$article" 390 844
	shot story-phone "$base/story/$story" 390 844
else
	cat >"$TMP/cdp.py" <<'PYEOF'
import base64, json, os, select, subprocess, sys, time
chrome, profile, base, flags, art, tmp = sys.argv[1:7]
pages = [a.split('=', 1) for a in sys.argv[7:]]
r_in, w_in = os.pipe()    # our commands: the browser's fd 3
r_out, w_out = os.pipe()  # its answers: the browser's fd 4
def fds():
    os.dup2(r_in, 3)
    os.dup2(w_out, 4)
proc = subprocess.Popen([chrome] + flags.split() + ['--user-data-dir=' + profile,
                        '--remote-debugging-pipe', 'about:blank'],
                        pass_fds=(3, 4), preexec_fn=fds,
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
os.close(r_in)
os.close(w_out)
buf, nid, events = b'', 0, []
def wait(pred, timeout=20):
    global buf
    end = time.time() + timeout
    while True:
        while b'\0' in buf:
            raw, buf = buf.split(b'\0', 1)
            m = json.loads(raw)
            if pred(m):
                if 'error' in m:
                    sys.exit('devtools error: %r' % m['error'])
                return m
            events.append(m)
        if time.time() > end:
            sys.exit('devtools: no answer in %ds' % timeout)
        if select.select([r_out], [], [], 0.5)[0]:
            data = os.read(r_out, 1 << 20)
            if not data:
                sys.exit('devtools: the browser closed the pipe')
            buf += data
def send(method, params=None, session=None):
    global nid
    nid += 1
    msg = {'id': nid, 'method': method, 'params': params or {}}
    if session:
        msg['sessionId'] = session
    os.write(w_in, json.dumps(msg).encode() + b'\0')
    me = nid
    return wait(lambda m: m.get('id') == me).get('result', {})
def open_page(url):
    send('Page.navigate', {'url': url}, session=s)
    wait(lambda m: m.get('method') == 'Page.loadEventFired' and m.get('sessionId') == s)
target = send('Target.createTarget', {'url': 'about:blank'})['targetId']
s = send('Target.attachToTarget', {'targetId': target, 'flatten': True})['sessionId']
for m in ('Page.enable', 'Runtime.enable', 'Log.enable'):
    send(m, session=s)
send('Emulation.setDeviceMetricsOverride', {'width': 390, 'height': 844,
     'deviceScaleFactor': 1, 'mobile': True}, session=s)
JS = r'''(() => {
  const w = document.documentElement.clientWidth, over = [];
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > w + 1)
      over.push(e.tagName.toLowerCase() + (typeof e.className === 'string' && e.className ? '.' + e.className : '') + ' to ' + Math.round(r.right) + 'px');
  }
  const main = document.querySelector('main');
  const svgText = [...document.querySelectorAll('svg.timeline text')].map(t => t.getBoundingClientRect().height);
  return JSON.stringify({width: w, scrollWidth: document.documentElement.scrollWidth,
    over: over.slice(0, 3), scripts: document.scripts.length, images: document.images.length,
    styled: !!main && getComputedStyle(main).maxWidth !== 'none',
    minSvgTextPx: svgText.length ? Math.round(Math.min(...svgText) * 10) / 10 : null});
})()'''
for name, path in pages:
    before = len(events)
    open_page(base + path)
    v = json.loads(send('Runtime.evaluate', {'expression': JS, 'returnByValue': True},
                        session=s)['result']['value'])
    png = send('Page.captureScreenshot', {'format': 'png'}, session=s)['data']
    with open(os.path.join(art, 'browser-%s-phone.png' % name), 'wb') as f:
        f.write(base64.b64decode(png))
    v['console'] = []
    for e in events[before:]:
        p, meth = e.get('params', {}), e.get('method')
        if meth == 'Log.entryAdded':
            v['console'].append('%s: %s (%s)' % (p['entry']['level'], p['entry']['text'],
                                                 p['entry'].get('url', '')))
        elif meth in ('Runtime.consoleAPICalled', 'Runtime.exceptionThrown'):
            v['console'].append(json.dumps(p)[:200])
    print('%s\t%s\t%s' % (name, path, json.dumps(v, ensure_ascii=False)), flush=True)
send('Emulation.setScriptExecutionDisabled', {'value': True}, session=s)
for name, path in pages:
    open_page(base + path)
    root = send('DOM.getDocument', {'depth': 0}, session=s)['root']
    html = send('DOM.getOuterHTML', {'nodeId': root['nodeId']}, session=s)['outerHTML']
    with open(os.path.join(tmp, name + '.nojs.html'), 'w') as f:
        f.write(html)
try:
    send('Browser.close')
    proc.wait(10)
except BaseException:
    proc.kill()
PYEOF
	cdp_flags=$(chrome_flags | grep -v -e '^--enable-logging' -e '^--v=' | tr '\n' ' ')
	runs=$((runs + 1))
	if timeout -k 5 40 "$PY" "$TMP/cdp.py" "$CHROMIUM" "$TMP/profile-$runs" \
		"$base" "$cdp_flags" "$ART" "$TMP" front=/ "article=/article/$article" \
		"story=/story/$story" "search=/search?q=flood" feeds=/feeds \
		"search-xss=/search?q=$xss" >"$TMP/phone.tsv" 2>"$TMP/phone.err"; then
		cp "$TMP/phone.tsv" "$ART/browser-phone.tsv"
		favicon=
		while IFS=$'\t' read -r name _ js; do
			printf '%s' "$js" >"$TMP/phone.json"
			v() { sqlite3 -batch -noheader :memory: \
				"SELECT json_extract(CAST(readfile('$TMP/phone.json') AS TEXT), '$1')"; }
			check "phone $name: no sideways scrolling (scrollWidth $(v '$.scrollWidth'), width $(v '$.width'); overflowing: $(v '$.over'))" \
				test "$(v '$.scrollWidth')" -le "$(v '$.width')" -a "$(v '$.over')" = '[]'
			check_eq "phone $name: the stylesheet applies" 1 "$(v '$.styled')"
			check_eq "phone $name: no script" 0 "$(v '$.scripts')"
			# Every browser asks for /favicon.ico: a 404 there is a
			# console error on every page, reported apart.
			v '$.console' | grep -q 'favicon.ico' && favicon=404
			sqlite3 -batch -noheader :memory: "SELECT value FROM json_each(json_extract(
				CAST(readfile('$TMP/phone.json') AS TEXT), '\$.console'))" |
				grep -v 'favicon.ico' >"$TMP/phone.console"
			check_eq "phone $name: nothing on the browser's console" "" \
				"$(head -n 3 "$TMP/phone.console")"
			[ "$(v '$.minSvgTextPx')" = "" ] ||
				echo "# phone $name: the smallest timeline text is $(v '$.minSvgTextPx') px high"
			[ "$name" != search-xss ] ||
				check_eq "search: a query written as markup adds no element (img, script)" \
					"0 0" "$(v '$.images') $(v '$.scripts')"
			case $name in front | article | story)
				s=$(png_size "$ART/browser-$name-phone.png")
				check "screenshot $name-phone: 390x844 PNG ($s, $(stat -c %s "$ART/browser-$name-phone.png" 2>/dev/null) bytes)" \
					test "$s" = 390x844 -a "$(stat -c %s "$ART/browser-$name-phone.png")" -gt 15000 ;;
			esac
		done <"$TMP/phone.tsv"
		check_eq "phone: every page seen" 6 "$(wc -l <"$TMP/phone.tsv")"
		if [ -n "$favicon" ]; then
			skip "GET /favicon.ico answers 404: a console error on every page in a browser (product bug; passes once the server answers it)"
		else
			ok "no console error for /favicon.ico"
		fi
		# The same DOM with JavaScript off: nothing on the pages is built
		# by a script.
		for name in front article story search; do
			[ -s "$TMP/$name.html" ] || continue
			check "$name: the same DOM with JavaScript off" cmp -s \
				<(tr -d '\n' <"$TMP/$name.html") \
				<(tr -d '\n' <"$TMP/$name.nojs.html" 2>/dev/null)
		done
	else
		not_ok "at a phone's size: the DevTools run failed ($(tail -n 3 "$TMP/phone.err" | tr '\n' ' '))"
	fi
fi

stop_server
echo "# $runs browser runs in $((SECONDS - T_START)) s; artefacts in $ART"
finish
