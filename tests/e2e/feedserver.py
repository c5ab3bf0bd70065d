#!/usr/bin/python3
"""A loopback HTTP server for the feed and fetch tests (stdlib only).

Serves tests/fixtures/feeds/ with the behaviour a fetcher meets on the web:
validators and 304s, gzip, redirects and loops, slow bodies, 429/503 with
Retry-After, oversized bodies, charset labels, content that changes
upstream, and a thousand generated feeds for the polling benchmark.

    feedserver.py --port 0 --root tests/fixtures/feeds \\
        --port-file FILE [--log FILE] [--exit-with-parent]
    feedserver.py --selftest

It binds 127.0.0.1, writes the port to --port-file once it listens (written
to a temp name and renamed, so a reader never sees half of it) and serves
until killed. Every request becomes one JSON line in --log, written when
the response is over:

    {"time": 1795000000.123, "method": "GET", "path": "/count/rss2.xml",
     "status": 304, "if_none_match": "\\"5f1c...\\"",
     "if_modified_since": "Thu, 26 Nov 2026 12:00:00 GMT",
     "user_agent": "storyline/0.1", "accept_encoding": "gzip",
     "bytes": 0, "aborted": false}

Absent request headers are null; "path" is the request target as sent
(query included); "bytes" counts the body bytes written; "aborted" is true
when the client hung up before the body was written in full.

Every fixture body has the literal {{BASE}} replaced by this server's
origin (http://127.0.0.1:PORT), so a feed can link to pages served here.

Routes (FIXTURE is a file name in --root, no folders):
  /FIXTURE                  the file; strong ETag (hash of the body),
                            Last-Modified (the file's mtime); 304 for a
                            matching If-None-Match, else for an
                            If-Modified-Since not before Last-Modified
  /gzip/FIXTURE             Content-Encoding: gzip when the request's
                            Accept-Encoding allows it (its own ETag)
  /redirect/CODE/FIXTURE    CODE in 301 302 303 307 308, Location /FIXTURE
  /redirect/chain/N/FIXTURE N redirects (302) before /FIXTURE
  /loop/a, /loop/b          302 to each other forever
  /slow/SECONDS/FIXTURE     headers at once, then the body trickled out in
                            small pieces over SECONDS (a float)
  /stall/SECONDS/FIXTURE    headers at once, nothing for SECONDS, then the
                            body
  /status/CODE              that status with a short text body; for 429 and
                            503 ?retry-after=N sends Retry-After: N and
                            ?retry-after-date=N an HTTP date N s from now
  /big/MEGABYTES            a body of MEGABYTES MiB (a float): an RSS start
                            then repeated padding items, never closed;
                            ?chunked=1 sends it without Content-Length
  /charset/LABEL/FIXTURE    Content-Type with "; charset=LABEL", or with no
                            charset parameter for LABEL "none"
  /count/FIXTURE            as /FIXTURE; the response carries X-Hit-Count,
                            the hits on this path so far (this one included)
  /mutate/FIXTURE           the first hit gets the fixture; every later hit
                            gets it with each item or entry title followed
                            by " (updated)" (new ETag, later Last-Modified)
  /many/N.xml               N in 0..9999: a generated RSS feed of 5 items
                            (guids many-N-1 .. many-N-5), ETag and 304
  /_hits                    JSON {path: hits} of /count/ and /mutate/
  /_reset                   forgets hits (so /mutate/ starts over)
Anything else is 404. HEAD works wherever GET does.

Content-Type by name: atom.xml application/atom+xml, rdf.xml
application/rdf+xml, any other .xml application/rss+xml (no charset
parameter: the XML declaration speaks), .json application/feed+json, .html
text/html; charset=utf-8, .opml text/x-opml. Generated /many/ feeds have a
fixed Last-Modified (Thu, 26 Nov 2026 12:00:00 GMT).
"""

import argparse
import email.utils
import functools
import gzip
import hashlib
import http.server
import json
import os
import re
import sys
import threading
import time
import urllib.parse

CONTENT_TYPES = {
    ".json": "application/feed+json",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".opml": "text/x-opml",
}
XML_TYPES = {
    "atom.xml": "application/atom+xml",
    "rdf.xml": "application/rdf+xml",
}
REDIRECT_CODES = {301, 302, 303, 307, 308}
MIB = 1024 * 1024
MANY_FEEDS = 10000
# Last-Modified of generated feeds: fixed, so runs compare equal.
MANY_MTIME = email.utils.parsedate_to_datetime(
    "Thu, 26 Nov 2026 12:00:00 GMT").timestamp()


def content_type(name):
    """The Content-Type of a fixture, by its name."""
    if name in XML_TYPES:
        return XML_TYPES[name]
    ext = os.path.splitext(name)[1].lower()
    if ext == ".xml":
        return "application/rss+xml"
    return CONTENT_TYPES.get(ext, "application/octet-stream")


def with_charset(ctype, label):
    """ctype with its charset parameter replaced by label ("none": dropped)."""
    base = ctype.split(";")[0].strip()
    return base if label.lower() == "none" else f"{base}; charset={label}"


def etag_of(body, suffix=""):
    return '"' + hashlib.sha256(body).hexdigest()[:24] + suffix + '"'


def http_date(ts):
    return email.utils.formatdate(ts, usegmt=True)


def mutate(body):
    """The fixture as edited upstream: each item or entry title gains
    " (updated)"; the channel or feed title is left alone."""
    text = body.decode("latin-1")  # byte-transparent for any charset
    if text.lstrip().startswith("{"):
        feed = json.loads(body)
        for item in feed.get("items", []):
            if isinstance(item.get("title"), str):
                item["title"] += " (updated)"
        return json.dumps(feed, ensure_ascii=False, indent=2).encode("utf-8")
    first = re.search(r"<(?:\w+:)?(?:item|entry)[\s>]", text)
    if not first:
        return body
    head, tail = text[:first.start()], text[first.start():]
    tail = re.sub(r"(<(?:\w+:)?title\b[^>]*>)(.*?)(</(?:\w+:)?title>)",
                  lambda m: m.group(1) + m.group(2) + " (updated)" +
                  m.group(3), tail, flags=re.S)
    return (head + tail).encode("latin-1")


MANY_WORDS = (
    ["council", "harbour", "ferry", "school", "bridge", "market", "river",
     "library", "festival", "hospital", "railway", "museum", "dam", "port"],
    ["approves", "delays", "reopens", "closes", "expands", "reviews",
     "funds", "opposes", "plans", "celebrates"],
    ["Ardmore", "Bexley", "Caddon", "Dunholm", "Elsworth", "Farrow",
     "Glenmire", "Hollins", "Ivybridge", "Jarrow", "Kettering", "Lowther"],
)


@functools.lru_cache(maxsize=None)
def many_feed(n):
    """Feed number n of the polling benchmark: 5 items with guids
    many-N-1..5, the same bytes on every request."""
    nouns, verbs, places = MANY_WORDS
    items = []
    for i in range(1, 6):
        k = n * 7 + i * 13
        noun, verb = nouns[k % len(nouns)], verbs[(k // 3) % len(verbs)]
        place = places[(n + i) % len(places)]
        day = 20 + (n + i) % 7
        hour = (n * 5 + i * 3) % 24
        pub = f"{['Fri', 'Sat', 'Sun', 'Mon', 'Tue', 'Wed', 'Thu'][day - 20]}" \
              f", {day} Nov 2026 {hour:02d}:{(n + i * 11) % 60:02d}:00 GMT"
        title = f"{place} {noun} {verb} plan, feed {n} item {i}"
        desc = (f"The {noun} in {place} {verb} its plan on Tuesday, officials "
                f"said. Residents of {places[(n * 3 + i) % len(places)]} "
                f"will hear more at a meeting next week (feed {n}, "
                f"item {i}).")
        items.append(
            "<item>"
            f"<title>{title}</title>"
            f"<link>https://many{n}.example/news/{n}-{i}</link>"
            f'<guid isPermaLink="false">many-{n}-{i}</guid>'
            f"<pubDate>{pub}</pubDate>"
            f"<description>{desc}</description>"
            "</item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">'
            f"<channel><title>Generated feed {n}</title>"
            f"<link>https://many{n}.example/</link>"
            f"<description>Polling benchmark feed {n}</description>"
            + "".join(items) + "</channel></rss>\n").encode("utf-8")


def accepts_gzip(header):
    """Whether an Accept-Encoding value allows gzip (q > 0)."""
    allowed = None
    for token in (header or "").split(","):
        name, _, params = token.strip().partition(";")
        name = name.strip().lower()
        q = 1.0
        m = re.search(r"q\s*=\s*([0-9.]+)", params)
        if m:
            try:
                q = float(m.group(1))
            except ValueError:
                q = 0.0
        if name in ("gzip", "x-gzip"):
            return q > 0
        if name == "*":
            allowed = q > 0
    return bool(allowed)


@functools.lru_cache(maxsize=None)
def many_etag(body):
    return etag_of(body)


def etag_matches(header, etag):
    """If-None-Match against our strong ETag (weak comparison, RFC 9110)."""
    if header.strip() == "*":
        return True
    bare = etag[2:] if etag.startswith("W/") else etag
    for tag in header.split(","):
        tag = tag.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag == bare:
            return True
    return False


class FeedServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver listens with a backlog of 5: a fetcher opening dozens of
    # connections at once (the 1,000-feed benchmark) would see SYNs dropped
    # and second-long retransmit stalls that are the server's, not its own.
    request_queue_size = 1024

    def __init__(self, addr, root, log_path=None):
        super().__init__(addr, Handler)
        self.root = os.path.abspath(root)
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.started = int(time.time())
        self.hits = {}
        self.lock = threading.Lock()
        self.log_file = open(log_path, "a", encoding="utf-8") \
            if log_path else None

    def hit(self, path):
        with self.lock:
            self.hits[path] = self.hits.get(path, 0) + 1
            return self.hits[path]

    def log(self, entry):
        if not self.log_file:
            return
        line = json.dumps(entry, ensure_ascii=False)
        with self.lock:
            self.log_file.write(line + "\n")
            self.log_file.flush()

    def fixture(self, name):
        """(body, mtime) of a fixture with {{BASE}} filled in, or None."""
        if (not name or "/" in name or "\\" in name or name.startswith(".")
                or "\0" in name):
            return None
        path = os.path.join(self.root, name)
        if not os.path.isfile(path):
            return None
        with open(path, "rb") as f:
            body = f.read()
        body = body.replace(b"{{BASE}}", self.base.encode("ascii"))
        return body, int(os.stat(path).st_mtime)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "feedserver/1"
    # Idle keep-alive connections (and clients that stop reading) are
    # dropped after this many seconds instead of holding a thread forever.
    timeout = 30

    # Quiet: the JSON log is the record; stderr only for real trouble.
    def log_message(self, fmt, *args):
        pass

    def send_response(self, code, message=None):
        self.status = code
        super().send_response(code, message)

    def do_GET(self):
        self.handle_one(send_body=True)

    def do_HEAD(self):
        self.handle_one(send_body=False)

    def handle_one(self, send_body):
        self.status = None
        self.sent = 0
        self.aborted = False
        self.send_body = send_body
        try:
            self.route()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.aborted = True
            self.close_connection = True
        except Exception:  # a bug here: say so, answer 500, keep serving
            import traceback
            traceback.print_exc()
            self.close_connection = True
            if self.status is None:
                try:
                    self.simple(500, "feedserver error")
                except OSError:
                    pass
        finally:
            h = self.headers
            self.server.log({
                "time": round(time.time(), 3),
                "method": self.command,
                "path": self.path,
                "status": self.status,
                "if_none_match": h.get("If-None-Match"),
                "if_modified_since": h.get("If-Modified-Since"),
                "user_agent": h.get("User-Agent"),
                "accept_encoding": h.get("Accept-Encoding"),
                "bytes": self.sent,
                "aborted": self.aborted,
            })

    # -- writing -------------------------------------------------------

    def write(self, data):
        if self.send_body and data:
            self.wfile.write(data)
            self.wfile.flush()
            self.sent += len(data)

    def simple(self, code, text, headers=()):
        body = (text + "\n").encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.write(body)

    def not_found(self):
        self.simple(404, "not found")

    def redirect(self, code, location):
        self.simple(code, f"moved to {location}", [("Location", location)])

    def not_modified(self, etag, mtime, extra=()):
        """True (after sending 304) when the request's validators match."""
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        fresh = False
        if inm is not None:
            fresh = etag_matches(inm, etag)
        elif ims is not None:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
                fresh = mtime <= since
            except (TypeError, ValueError, IndexError):
                fresh = False
        if fresh:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", http_date(mtime))
            for name, value in extra:
                self.send_header(name, value)
            self.end_headers()
        return fresh

    def entity(self, body, ctype, mtime, etag=None, extra=(),
               allow_gzip=False, pace=None):
        """A 200 (or 304) for body. pace: None, ("slow", s) or ("stall", s)."""
        encoding = None
        if allow_gzip and accepts_gzip(self.headers.get("Accept-Encoding")):
            body = gzip.compress(body, mtime=0)
            encoding = "gzip"
        etag = etag or etag_of(body, "-gz" if encoding else "")
        if self.not_modified(etag, mtime, extra):
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", http_date(mtime))
        self.send_header("Cache-Control", "max-age=0")
        if allow_gzip:
            self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if pace is None or not self.send_body:
            self.write(body)
        elif pace[0] == "stall":
            time.sleep(pace[1])
            self.write(body)
        else:
            # About four pieces a second, the first at once and the last
            # at the deadline: bytes keep flowing, so only a total timeout
            # stops the transfer.
            seconds = pace[1]
            pieces = max(2, min(len(body), int(seconds * 4) + 1))
            size = len(body)
            start = time.monotonic()
            for i in range(pieces):
                due = start + seconds * i / (pieces - 1)
                time.sleep(max(0.0, due - time.monotonic()))
                self.write(body[size * i // pieces:size * (i + 1) // pieces])

    def serve_fixture(self, name, **kw):
        found = self.server.fixture(name)
        if found is None:
            return self.not_found()
        body, mtime = found
        ctype = kw.pop("ctype", None) or content_type(name)
        self.entity(body, ctype, mtime, **kw)

    # -- routes --------------------------------------------------------

    def route(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        parts = url.path.split("/")[1:]
        if not parts or parts == [""]:
            return self.not_found()
        head = parts[0]
        n = len(parts)

        if n == 1 and head == "_hits":
            with self.server.lock:
                body = json.dumps(self.server.hits, sort_keys=True)
            return self.simple(200, body)
        if n == 1 and head == "_reset":
            with self.server.lock:
                self.server.hits.clear()
            return self.simple(200, "reset")
        if n == 1:
            return self.serve_fixture(head)

        if head == "gzip" and n == 2:
            return self.serve_fixture(parts[1], allow_gzip=True)

        if head == "redirect" and n == 3 and parts[1].isdigit() \
                and int(parts[1]) in REDIRECT_CODES:
            return self.redirect(int(parts[1]), "/" + parts[2])
        if head == "redirect" and n == 4 and parts[1] == "chain" \
                and parts[2].isdigit():
            hops = int(parts[2])
            if hops == 0:
                return self.serve_fixture(parts[3])
            nxt = "/" + parts[3] if hops == 1 else \
                f"/redirect/chain/{hops - 1}/{parts[3]}"
            return self.redirect(302, nxt)

        if head == "loop" and n == 2 and parts[1] in ("a", "b"):
            return self.redirect(302, "/loop/" + "ba"[parts[1] == "b"])

        if head in ("slow", "stall") and n == 3:
            try:
                seconds = float(parts[1])
            except ValueError:
                return self.not_found()
            if not 0 <= seconds <= 3600:
                return self.not_found()
            return self.serve_fixture(parts[2], pace=(head, seconds))

        if head == "status" and n == 2 and parts[1].isdigit():
            code = int(parts[1])
            if not 200 <= code <= 599 or code in (204, 304):
                return self.not_found()
            extra = []
            if "retry-after" in query:
                extra.append(("Retry-After", query["retry-after"][0]))
            elif "retry-after-date" in query:
                try:
                    delta = float(query["retry-after-date"][0])
                except ValueError:
                    return self.not_found()
                extra.append(("Retry-After", http_date(time.time() + delta)))
            return self.simple(code, f"status {code}", extra)

        if head == "big" and n == 2:
            try:
                size = int(float(parts[1]) * MIB)
            except ValueError:
                return self.not_found()
            if not 0 <= size <= 4096 * MIB:
                return self.not_found()
            return self.big(size, query.get("chunked") == ["1"])

        if head == "charset" and n == 3:
            label = parts[1]
            if not re.fullmatch(r"[A-Za-z0-9._:-]{1,40}", label):
                return self.not_found()
            return self.serve_fixture(
                parts[2], ctype=with_charset(content_type(parts[2]), label))

        if head == "count" and n == 2:
            if self.server.fixture(parts[1]) is None:
                return self.not_found()
            hits = self.server.hit(url.path)
            return self.serve_fixture(parts[1],
                                      extra=[("X-Hit-Count", str(hits))])

        if head == "mutate" and n == 2:
            found = self.server.fixture(parts[1])
            if found is None:
                return self.not_found()
            body, mtime = found
            hits = self.server.hit(url.path)
            if hits > 1:
                body = mutate(body)
                mtime = max(mtime + 1, self.server.started)
            return self.entity(body, content_type(parts[1]), mtime,
                               extra=[("X-Hit-Count", str(hits))])

        if head == "many" and n == 2:
            m = re.fullmatch(r"(0|[1-9][0-9]{0,3})\.xml", parts[1])
            if not m:
                return self.not_found()
            body = many_feed(int(m.group(1)))
            return self.entity(body, "application/rss+xml", MANY_MTIME,
                               etag=many_etag(body))

        return self.not_found()

    def big(self, size, chunked):
        head = (b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">'
                b"<channel><title>Big feed</title>"
                b"<link>https://big.example/</link>\n")
        pad = (b"<item><title>Padding</title><description>"
               + b"x" * 180 + b"</description></item>\n")
        filler = pad * (64 * 1024 // len(pad) + 2)
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        if not self.send_body:
            return
        done = 0
        while done < size:
            if done < len(head):
                piece = head[done:size]
            else:
                phase = (done - len(head)) % len(pad)
                piece = filler[phase:phase + min(size - done, 64 * 1024)]
            if chunked:
                self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
            else:
                self.wfile.write(piece)
            self.sent += len(piece)
            done += len(piece)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


def watch_parent():
    """Exit when the process that started us is gone (a test script killed
    before its EXIT trap could stop us)."""
    parent = os.getppid()

    def loop():
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(0)
    threading.Thread(target=loop, daemon=True).start()


def write_port_file(path, port):
    tmp = f"{path}.tmp.{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(f"{port}\n")
    os.replace(tmp, path)


# -- selftest ----------------------------------------------------------

def selftest(root):
    import tempfile
    import urllib.error
    import urllib.request
    import http.client
    import xml.etree.ElementTree as ET

    log_path = os.path.join(tempfile.mkdtemp(prefix="feedserver-"), "log")
    srv = FeedServer(("127.0.0.1", 0), root, log_path)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = srv.base
    results = {"ok": 0, "failed": 0}

    def check(desc, cond):
        if cond:
            results["ok"] += 1
            print(f"ok - {desc}")
        else:
            results["failed"] += 1
            print(f"not ok - {desc}")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **kw):
            return None
    plain = urllib.request.build_opener(NoRedirect)
    follow = urllib.request.build_opener()

    def get(path, headers=None, opener=plain, method="GET"):
        req = urllib.request.Request(base + path, headers=headers or {},
                                     method=method)
        try:
            with opener.open(req, timeout=30) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def raw_get(path):
        conn = http.client.HTTPConnection("127.0.0.1",
                                          srv.server_address[1], timeout=10)
        conn.request("GET", path)
        r = conn.getresponse()
        out = r.status, r.read()
        conn.close()
        return out

    def fixture(name):
        with open(os.path.join(root, name), "rb") as f:
            return f.read().replace(b"{{BASE}}", base.encode())

    # Fixtures: the ones that must parse do; the broken ones do not.
    for name in ("rss2.xml", "rss091.xml", "rdf.xml", "atom.xml",
                 "latin1.xml", "feeds.opml"):
        try:
            ET.fromstring(fixture(name))
            check(f"{name} is well-formed XML", True)
        except ET.ParseError as e:
            check(f"{name} is well-formed XML ({e})", False)
    for name in ("broken.xml", "garbage.xml", "nocharset.xml"):
        try:
            ET.fromstring(fixture(name))
            check(f"{name} does not parse as it stands", False)
        except ET.ParseError:
            check(f"{name} does not parse as it stands", True)
    for name in ("feed.json", "feed10.json"):
        feed = json.loads(fixture(name))
        check(f"{name} is JSON Feed with items",
              feed["version"].startswith("https://jsonfeed.org/version/")
              and len(feed["items"]) > 0)
    counts = {"rss2.xml": ("item", 4), "rss091.xml": ("item", 3),
              "rdf.xml": ("{http://purl.org/rss/1.0/}item", 3),
              "atom.xml": ("{http://www.w3.org/2005/Atom}entry", 4),
              "latin1.xml": ("item", 2)}
    for name, (tag, want) in counts.items():
        got = len(ET.fromstring(fixture(name)).findall(".//" + tag))
        check(f"{name} has {want} items", got == want)
    latin = ET.fromstring(fixture("latin1.xml"))
    check("latin1.xml decodes to the expected title",
          latin.find(".//item/title").text ==
          "Valmont : la crue de la Lisière inonde la place du Marché")
    cp = ET.fromstring(fixture("nocharset.xml").decode("cp1252"))
    check("nocharset.xml decodes as windows-1252",
          cp.find(".//item/title").text ==
          "Café owner’s “pay what you can” lunches now feed 300 a week")
    broken = ET.XMLPullParser(events=("end",))
    broken.feed(fixture("broken.xml"))
    ended = [el for _, el in broken.read_events() if el.tag == "item"]
    check("broken.xml has 3 complete items", len(ended) == 3)

    # Plain fixture: type, validators, {{BASE}}, 304s.
    status, h, body = get("/rss2.xml")
    check("GET /rss2.xml is 200 application/rss+xml",
          status == 200 and h["Content-Type"] == "application/rss+xml")
    check("{{BASE}} is filled in",
          b"{{BASE}}" not in body and
          (base + "/teaser-page.html").encode() in body)
    etag, lm = h["ETag"], h["Last-Modified"]
    check("strong ETag and Last-Modified",
          etag and etag.startswith('"') and lm)
    status, h2, body2 = get("/rss2.xml", {"If-None-Match": etag})
    check("If-None-Match matching is 304 with no body",
          status == 304 and body2 == b"" and h2["ETag"] == etag)
    status, _, _ = get("/rss2.xml", {"If-None-Match": '"other"'})
    check("If-None-Match not matching is 200", status == 200)
    status, _, _ = get("/rss2.xml", {"If-Modified-Since": lm})
    check("If-Modified-Since = Last-Modified is 304", status == 304)
    status, _, _ = get("/rss2.xml", {
        "If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    check("If-Modified-Since earlier is 200", status == 200)
    status, h, _ = get("/rss2.xml", method="HEAD")
    check("HEAD gives the headers", status == 200 and
          h["ETag"] == etag)
    for name, ctype in (("atom.xml", "application/atom+xml"),
                        ("rdf.xml", "application/rdf+xml"),
                        ("feed.json", "application/feed+json"),
                        ("teaser-page.html", "text/html; charset=utf-8"),
                        ("feeds.opml", "text/x-opml")):
        status, h, _ = get("/" + name)
        check(f"/{name} is {ctype}",
              status == 200 and h["Content-Type"] == ctype)
    check("unknown fixture is 404", get("/nope.xml")[0] == 404)
    check("path traversal is 404",
          raw_get("/../e2e/feedserver.py")[0] == 404 and
          raw_get("/%2e%2e/README.md")[0] == 404)

    # gzip
    plain_body = fixture("atom.xml")
    status, h, body = get("/gzip/atom.xml", {"Accept-Encoding": "gzip"})
    check("/gzip/ with Accept-Encoding gzip is gzipped",
          status == 200 and h["Content-Encoding"] == "gzip" and
          gzip.decompress(body) == plain_body)
    gz_etag = h["ETag"]
    status, h, body = get("/gzip/atom.xml")
    check("/gzip/ without Accept-Encoding is identity",
          status == 200 and h["Content-Encoding"] is None and
          body == plain_body and h["ETag"] != gz_etag)
    status, _, _ = get("/gzip/atom.xml", {"Accept-Encoding": "gzip",
                                          "If-None-Match": gz_etag})
    check("/gzip/ answers 304 to its ETag", status == 304)

    # redirects
    for code in (301, 302, 308):
        status, h, _ = get(f"/redirect/{code}/rss2.xml")
        check(f"/redirect/{code}/ is {code} to /rss2.xml",
              status == code and h["Location"] == "/rss2.xml")
    status, _, body = get("/redirect/301/feed.json", opener=follow)
    check("a followed redirect ends at the fixture",
          status == 200 and body == fixture("feed.json"))
    status, h, _ = get("/redirect/chain/3/rss2.xml")
    check("chain/3 goes to chain/2",
          status == 302 and h["Location"] == "/redirect/chain/2/rss2.xml")
    status, _, body = get("/redirect/chain/3/rss2.xml", opener=follow)
    check("chain/3 followed ends at the fixture",
          status == 200 and body == fixture("rss2.xml"))
    status, h, _ = get("/loop/a")
    status2, h2, _ = get("/loop/b")
    check("/loop/a and /loop/b redirect to each other",
          status == 302 and h["Location"] == "/loop/b" and
          status2 == 302 and h2["Location"] == "/loop/a")
    status, _, _ = get("/loop/a", opener=follow)
    check("a client following /loop/ gives up on a 302", status == 302)

    # slow and stall
    t0 = time.monotonic()
    status, _, body = get("/slow/1/rss091.xml")
    took = time.monotonic() - t0
    check(f"/slow/1/ trickles for about a second ({took:.2f}s)",
          status == 200 and body == fixture("rss091.xml") and
          0.9 <= took < 3)
    t0 = time.monotonic()
    status, _, body = get("/stall/0.5/rss091.xml")
    took = time.monotonic() - t0
    check(f"/stall/0.5/ waits, then sends ({took:.2f}s)",
          status == 200 and body == fixture("rss091.xml") and
          0.45 <= took < 2)
    conn = http.client.HTTPConnection("127.0.0.1", srv.server_address[1],
                                      timeout=10)
    t0 = time.monotonic()
    conn.request("GET", "/slow/30/rss2.xml")
    r = conn.getresponse()
    got_headers = time.monotonic() - t0
    r.read(10)
    conn.close()
    check("/slow/ sends headers at once", r.status == 200 and
          got_headers < 1)

    # statuses
    status, h, _ = get("/status/429?retry-after=7")
    check("429 with Retry-After: 7", status == 429 and
          h["Retry-After"] == "7")
    status, h, _ = get("/status/503?retry-after=120")
    check("503 with Retry-After: 120", status == 503 and
          h["Retry-After"] == "120")
    status, h, _ = get("/status/503?retry-after-date=60")
    check("503 with Retry-After as an HTTP date", status == 503 and
          email.utils.parsedate_to_datetime(h["Retry-After"]) is not None)
    check("500", get("/status/500")[0] == 500)
    check("404", get("/status/404")[0] == 404)

    # big
    status, h, body = get("/big/1")
    check("/big/1 is 1 MiB starting an RSS feed",
          status == 200 and len(body) == MIB and
          int(h["Content-Length"]) == MIB and
          body.startswith(b'<?xml version="1.0"') and b"<rss" in body[:100])
    status, h, body = get("/big/0.5?chunked=1")
    check("/big/0.5?chunked=1 is chunked, 512 KiB",
          status == 200 and h["Content-Length"] is None and
          h["Transfer-Encoding"] == "chunked" and len(body) == MIB // 2)

    # charset
    status, h, body = get("/charset/windows-1252/nocharset.xml")
    check("/charset/windows-1252/ labels the body",
          status == 200 and
          h["Content-Type"] == "application/rss+xml; charset=windows-1252"
          and body == fixture("nocharset.xml"))
    status, h, _ = get("/charset/none/teaser-page.html")
    check("/charset/none/ drops the charset",
          status == 200 and h["Content-Type"] == "text/html")

    # count
    _, h1, _ = get("/count/rss2.xml")
    _, h2, _ = get("/count/rss2.xml", {"If-None-Match": h1["ETag"]})
    status3, h3, _ = get("/count/rss2.xml")
    check("/count/ counts hits, 304s included",
          h1["X-Hit-Count"] == "1" and h2["X-Hit-Count"] == "2" and
          h3["X-Hit-Count"] == "3" and status3 == 200)
    status, _, body = get("/_hits")
    check("/_hits reports them",
          json.loads(body).get("/count/rss2.xml") == 3)

    # mutate
    status, h1, body1 = get("/mutate/rss2.xml")
    status2, h2, body2 = get("/mutate/rss2.xml",
                             {"If-None-Match": h1["ETag"]})
    root1, root2 = ET.fromstring(body1), ET.fromstring(body2)
    t1 = [t.text for t in root1.findall(".//item/title")]
    t2 = [t.text for t in root2.findall(".//item/title")]
    check("/mutate/ first hit is the fixture", body1 == fixture("rss2.xml"))
    check("/mutate/ later hits edit every item title",
          status2 == 200 and h2["ETag"] != h1["ETag"] and
          t2 == [t + " (updated)" for t in t1] and
          root2.findtext("channel/title") == root1.findtext("channel/title"))
    check("/mutate/ Last-Modified moves forward",
          email.utils.parsedate_to_datetime(h2["Last-Modified"]) >
          email.utils.parsedate_to_datetime(h1["Last-Modified"]))
    get("/mutate/atom.xml")
    _, _, body = get("/mutate/atom.xml")
    ns = "{http://www.w3.org/2005/Atom}"
    titles = [e.findtext(ns + "title")
              for e in ET.fromstring(body).findall(ns + "entry")]
    check("/mutate/ edits Atom entry titles",
          all(t.endswith(" (updated)") for t in titles) and
          ET.fromstring(body).findtext(ns + "title") == "Northfield Gazette")
    get("/mutate/feed.json")
    _, _, body = get("/mutate/feed.json")
    check("/mutate/ edits JSON Feed item titles",
          all(i["title"].endswith(" (updated)")
              for i in json.loads(body)["items"]))
    get("/_reset")
    _, _, body = get("/mutate/rss2.xml")
    check("/_reset starts /mutate/ over", body == fixture("rss2.xml"))

    # many
    guids = set()
    for n in (0, 1, 9999):
        status, h, body = get(f"/many/{n}.xml")
        items = ET.fromstring(body).findall(".//item")
        guids.update(i.findtext("guid") for i in items)
        check(f"/many/{n}.xml has 5 items", status == 200 and
              len(items) == 5)
    check("/many/ guids are distinct across feeds", len(guids) == 15)
    _, h, body = get("/many/42.xml")
    _, h2, body2 = get("/many/42.xml")
    check("/many/ is the same on every request",
          body == body2 and h["ETag"] == h2["ETag"])
    status, _, _ = get("/many/42.xml", {"If-None-Match": h["ETag"]})
    check("/many/ answers 304 to its ETag", status == 304)
    check("/many/10000.xml and /many/01.xml are 404",
          get("/many/10000.xml")[0] == 404 and get("/many/01.xml")[0] == 404)

    # the log (the /slow/30 request above ends when its next write fails)
    deadline = time.monotonic() + 5
    while True:
        with open(log_path, encoding="utf-8") as f:
            lines = [json.loads(line) for line in f]
        slow = [e for e in lines if e["path"] == "/slow/30/rss2.xml"]
        if slow or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    srv.shutdown()
    keys = {"time", "method", "path", "status", "if_none_match",
            "if_modified_since", "user_agent", "accept_encoding", "bytes",
            "aborted"}
    check("every request is logged with every field",
          len(lines) > 50 and all(set(e) == keys for e in lines))
    check("the log records validators and statuses",
          any(e["path"] == "/rss2.xml" and e["status"] == 304 and
              e["if_none_match"] == etag for e in lines) and
          any(e["path"] == "/rss2.xml" and e["if_modified_since"] == lm
              for e in lines))
    check("the log records the User-Agent",
          all(e["user_agent"] and e["user_agent"].startswith("Python-urllib")
              for e in lines if e["path"] == "/rss2.xml"))
    check("a client that hangs up is logged as aborted",
          len(slow) == 1 and slow[0]["aborted"] and slow[0]["status"] == 200
          and 0 < slow[0]["bytes"] < len(fixture("rss2.xml")))
    check("gzip responses log the Accept-Encoding sent",
          any(e["path"] == "/gzip/atom.xml" and
              e["accept_encoding"] == "gzip" for e in lines))

    print(f"feedserver selftest: {results['ok']} ok"
          + (f", {results['failed']} failed" if results["failed"] else ""))
    return 0 if results["failed"] == 0 else 1


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_root = os.path.join(here, "..", "fixtures", "feeds")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--root", default=default_root)
    ap.add_argument("--port-file")
    ap.add_argument("--log")
    ap.add_argument("--exit-with-parent", action="store_true",
                    help="exit when the parent process goes away")
    ap.add_argument("--selftest", action="store_true")
    args = ap.parse_args()
    if not os.path.isdir(args.root):
        ap.error(f"--root {args.root}: not a folder")
    if args.selftest:
        return selftest(args.root)
    srv = FeedServer(("127.0.0.1", args.port), args.root, args.log)
    if args.exit_with_parent:
        watch_parent()
    if args.port_file:
        write_port_file(args.port_file, srv.server_address[1])
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
