#!/usr/bin/python3
"""feedparser (Debian's python3-feedparser) as the feed benchmark's peer.

    /usr/bin/python3 bench/feeds_peer.py [--repeat N] [--raw]
                                         (--list LIST | FEED...)

The same input and printout as build/bench_feeds (bench/bench_feeds.c):
LIST has one feed a line, `PATH[<TAB>URL[<TAB>FORMAT[<TAB>...]]]` (as
bench/gen_feeds.py writes it).  Every feed is read into memory first;
then every feed is parsed N times (default 1), the feeds in list order, N
rounds.  Only `feedparser.parse(io.BytesIO(data), response_headers=H)` is
timed.  H holds the headers a fetched feed comes with: "content-type" by
FORMAT as tests/e2e/feedserver.py sends it (application/rss+xml,
application/atom+xml, application/rdf+xml, application/feed+json; no
charset parameter, so the XML declaration speaks; application/xml without
a FORMAT; with no Content-Type at all feedparser flags every feed as bozo)
and "content-location": URL, the base of relative links.  The BytesIO
wrapper is what feedparser's documentation asks for with untrusted bytes
(a bare bytes object is first tried as a file name).  Counting the
entries and freeing the result are not timed.

feedparser's defaults sanitize every HTML field and resolve relative URIs
inside it; --raw turns both off (sanitize_html=False,
resolve_relative_uris=False) to show what that costs.  The tool is then
named "feedparser-raw".

JSON Feed: no released feedparser reads it (6.0.x, Debian 12 has 6.0.10;
the support is on feedparser's development branch, feedparser/parsers/
json.py).  A feedparser without that module is not given the json feeds
at all: they are listed under "unsupported", count no items and take no
time, and "formats" has no "json".

Prints one JSON object: {"tool","version","feeds","runs","items","bytes",
"seconds","items_per_s","feeds_per_s","mb_per_s","p50_ms","p99_ms",
"max_ms","mean_ms","inputs_rss_mb","peak_rss_mb","failed","broken",
"bad_dates","formats":{FORMAT:{"feeds","items","bytes","seconds",
"items_per_s","mb_per_s"}},"counts":{STEM:ITEMS},"unsupported":[STEM..],
"slowest":[{"id","ms"}...]} with the meanings of bench_feeds.c, over the
feeds parsed: items are len(result.entries) in the first round; failed
counts parse() raising; broken counts results with bozo set (feedparser
found the XML ill-formed and fell back to its loose parser); bad_dates
counts entries with a published or updated string and no parsed time.
"""

import argparse
import importlib.util
import io
import json
import os
import resource
import sys
import time

PROG = "feeds_peer"


# As tests/e2e/feedserver.py serves them.
CONTENT_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml",
                 "rdf": "application/rdf+xml", "json": "application/feed+json"}


def fail(msg):
    sys.exit("%s: %s" % (PROG, msg))


def stem(path):
    return os.path.splitext(os.path.basename(path))[0]


def read_list(path):
    feeds = []
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        fail("cannot read %s: %s" % (path, e))
    with f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            cols = line.split("\t")
            feeds.append((cols[0], cols[1] if len(cols) > 1 else "",
                          cols[2] if len(cols) > 2 else ""))
    return feeds


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def kind_of(result):
    """The format label of a parsed feed, from feedparser's version."""
    v = result.get("version", "") or ""
    if v.startswith("atom"):
        return "atom"
    if v == "rss10" or v == "rss090":
        return "rdf"
    if v.startswith("rss"):
        return "rss"
    if v.startswith("json"):
        return "json"
    return "none"


def bad_dates(entries):
    n = 0
    for e in entries:
        for k in ("published", "updated"):
            if e.get(k) and not e.get(k + "_parsed"):
                n += 1
                break
    return n


def main():
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--raw", action="store_true",
                    help="no HTML sanitizing, no relative-URI resolution")
    ap.add_argument("--list", help="PATH[<TAB>URL[<TAB>FORMAT]] lines")
    ap.add_argument("feeds", nargs="*")
    args = ap.parse_args()
    if args.repeat < 1:
        fail("--repeat must be at least 1")
    try:
        import feedparser
    except ImportError:
        fail("cannot import feedparser; install it: apt-get install python3-feedparser")
    reads_json = importlib.util.find_spec("feedparser.parsers.json") is not None

    feeds = read_list(args.list) if args.list else []
    feeds += [(p, "", "") for p in args.feeds]
    if not feeds:
        fail("no feeds (give --list or files)")
    ids = [stem(p) for p, _, _ in feeds]
    if len(set(ids)) != len(ids):
        fail("two feeds have the same file stem")
    todo, unsupported = [], []
    for (p, url, fmt), fid in zip(feeds, ids):
        if not fmt and p.endswith(".json"):
            fmt = "json"
        if fmt == "json" and not reads_json:
            unsupported.append(fid)
            continue
        try:
            with open(p, "rb") as f:
                data = f.read()
        except OSError as e:
            fail("cannot read %s: %s" % (p, e))
        headers = {"content-type": CONTENT_TYPES.get(fmt, "application/xml")}
        if url:
            headers["content-location"] = url
        todo.append({"id": fid, "data": data, "headers": headers,
                     "format": fmt, "items": 0, "ms": [], "seconds": 0.0})
    if not todo:
        fail("no feed this feedparser can read")
    inputs_rss = rss_mb()

    opts = {}
    if args.raw:
        opts = {"sanitize_html": False, "resolve_relative_uris": False}
    parse = feedparser.parse
    clock = time.perf_counter
    seconds = 0.0
    failed = broken = n_bad = 0
    for rnd in range(args.repeat):
        for d in todo:
            err = None
            result = None
            t0 = clock()
            try:
                result = parse(io.BytesIO(d["data"]), response_headers=d["headers"], **opts)
            except Exception as e:  # noqa: BLE001 - a peer failure is data
                err = e
            dt = clock() - t0
            seconds += dt
            d["seconds"] += dt
            d["ms"].append(dt * 1e3)
            if rnd == 0:
                if err is not None:
                    failed += 1
                else:
                    d["items"] = len(result.entries)
                    broken += 1 if result.get("bozo") else 0
                    n_bad += bad_dates(result.entries)
                    if not d["format"]:
                        d["format"] = kind_of(result)
                if not d["format"]:
                    d["format"] = "none"
            result = None   # freed here, outside the timed call

    n = len(todo)
    items = sum(d["items"] for d in todo)
    nbytes = sum(len(d["data"]) for d in todo)
    formats = {}
    for d in todo:
        f = formats.setdefault(d["format"], {"feeds": 0, "items": 0, "bytes": 0, "seconds": 0.0})
        f["feeds"] += 1
        f["items"] += d["items"]
        f["bytes"] += len(d["data"])
        f["seconds"] += d["seconds"]
    for f in formats.values():
        s = f["seconds"]
        f["items_per_s"] = f["items"] * args.repeat / s if s else 0.0
        f["mb_per_s"] = f["bytes"] * args.repeat / 1e6 / s if s else 0.0
    per_feed = [sorted(d["ms"])[len(d["ms"]) // 2] for d in todo]  # as bench_feeds.c
    srt = sorted(per_feed)
    slowest = sorted(zip(per_feed, (d["id"] for d in todo)), reverse=True)[:5]
    out = {
        "tool": "feedparser-raw" if args.raw else "feedparser",
        "version": getattr(feedparser, "__version__", ""),
        "feeds": n, "runs": n * args.repeat, "items": items, "bytes": nbytes,
        "seconds": seconds,
        "items_per_s": items * args.repeat / seconds if seconds else 0.0,
        "feeds_per_s": n * args.repeat / seconds if seconds else 0.0,
        "mb_per_s": nbytes * args.repeat / 1e6 / seconds if seconds else 0.0,
        "p50_ms": srt[n // 2], "p99_ms": srt[int(n * 0.99)], "max_ms": srt[-1],
        "mean_ms": sum(per_feed) / n, "inputs_rss_mb": inputs_rss,
        "peak_rss_mb": rss_mb(), "failed": failed, "broken": broken,
        "bad_dates": n_bad, "formats": formats,
        "counts": {d["id"]: d["items"] for d in todo},
        "unsupported": unsupported,
        "slowest": [{"id": i, "ms": ms} for ms, i in slowest],
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
