#!/usr/bin/python3
"""readability-lxml as the extraction benchmark's speed peer.

    /usr/bin/python3 bench/extract_peer.py [--repeat N] [--out FILE.jsonl]
                                           (--list LIST | PAGE.html...)

The same input and printout as build/bench_extract (bench/bench_extract.c):
LIST has one page a line, `PATH` or `PATH<TAB>URL`.  Every page is read
and decoded (UTF-8, bad bytes replaced, as the upstream benchmark's
run_readability.py reads them) before anything is timed; then every page
is extracted N times (default 1), the pages in list order, N rounds.  Only
`Document(html, url=URL)`, `.summary(html_partial=True)` and `.title()`
are timed: turning the summary into text for the scorer is not.

Prints one JSON object: {"tool","version","pages","runs","bytes",
"seconds","pages_per_s","p50_ms","p99_ms","max_ms","mean_ms",
"inputs_rss_mb","peak_rss_mb","failed","slowest":[{"id","ms"}...]} where
a page's time is the median of its N runs (sorted[N/2]), p50/p99/max are over pages
(p99 = sorted[floor(0.99 n)]), pages_per_s = runs / seconds inside the
timed calls, and RSS is getrusage(RUSAGE_SELF).ru_maxrss: once all pages
are loaded (inputs_rss_mb) and at the end (peak_rss_mb), in MB (10^6 B).

With --out, the first round's results as JSON lines for extract_eval.py:
{"id": STEM, "url", "title", "body_text"} (or {"id", "error"}), where
STEM is the file name without .html and body_text the text of the
summary (extract_eval.html_to_text, one block a line).
"""

import argparse
import json
import os
import resource
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from extract_eval import html_to_text  # noqa: E402

PROG = "extract_peer"


def fail(msg):
    sys.exit("%s: %s" % (PROG, msg))


def stem(path):
    name = os.path.basename(path)
    for ext in (".html", ".htm"):
        if name.endswith(ext):
            return name[:-len(ext)]
    return os.path.splitext(name)[0]


def read_list(path):
    pages = []
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        fail("cannot read %s: %s" % (path, e))
    with f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            p, _, url = line.partition("\t")
            pages.append((p, url or None))
    return pages


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def main():
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--out", help="write the first round's results as JSON lines")
    ap.add_argument("--list", help="PATH[<TAB>URL] lines")
    ap.add_argument("pages", nargs="*")
    args = ap.parse_args()
    if args.repeat < 1:
        fail("--repeat must be at least 1")
    try:
        import readability
        from readability import Document
    except ImportError:
        fail("cannot import readability; install it: apt-get install python3-readability")
    try:
        from importlib.metadata import version
        tool_version = version("readability-lxml")
    except Exception:
        tool_version = getattr(readability, "__version__", "")

    pages = read_list(args.list) if args.list else []
    pages += [(p, None) for p in args.pages]
    if not pages:
        fail("no pages (give --list or files)")
    ids = [stem(p) for p, _ in pages]
    if len(set(ids)) != len(ids):
        fail("two pages have the same file stem")
    htmls, total = [], 0
    for p, _ in pages:
        try:
            with open(p, "rb") as f:
                raw = f.read()
        except OSError as e:
            fail("cannot read %s: %s" % (p, e))
        total += len(raw)
        htmls.append(raw.decode("utf-8", errors="replace"))
    inputs_rss = rss_mb()

    n = len(pages)
    times = [[] for _ in range(n)]
    results = [None] * n
    failed = 0
    seconds = 0.0
    clock = time.perf_counter
    for rnd in range(args.repeat):
        for i, (html, (_, url)) in enumerate(zip(htmls, pages)):
            err = None
            t0 = clock()
            try:
                doc = Document(html, url=url)
                summary = doc.summary(html_partial=True)
                title = doc.title()
            except Exception as e:  # noqa: BLE001 - a peer failure is data
                err = "%s: %s" % (type(e).__name__, e)
            dt = clock() - t0
            seconds += dt
            times[i].append(dt * 1e3)
            if rnd == 0:
                if err:
                    failed += 1
                    results[i] = {"id": ids[i], "error": err}
                else:
                    results[i] = {"id": ids[i], "url": url, "title": title,
                                  "body_text": summary}
    if args.out:
        tmp = args.out + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            for r in results:
                if "body_text" in r:
                    r["body_text"] = html_to_text(r["body_text"])
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        os.replace(tmp, args.out)

    per_page = [sorted(t)[len(t) // 2] for t in times]   # as bench_extract.c
    srt = sorted(per_page)
    slowest = sorted(zip(per_page, ids), reverse=True)[:5]
    out = {
        "tool": "readability-lxml", "version": tool_version, "pages": n,
        "runs": n * args.repeat, "bytes": total, "seconds": round(seconds, 6),
        "pages_per_s": n * args.repeat / seconds if seconds else 0.0,
        "p50_ms": srt[n // 2], "p99_ms": srt[int(n * 0.99)], "max_ms": srt[-1],
        "mean_ms": sum(per_page) / n, "inputs_rss_mb": round(inputs_rss, 1),
        "peak_rss_mb": round(rss_mb(), 1), "failed": failed,
        "slowest": [{"id": i, "ms": round(ms, 3)} for ms, i in slowest],
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
