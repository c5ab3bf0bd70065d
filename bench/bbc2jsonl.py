#!/usr/bin/python3
"""Convert the BBC News corpus (Greene & Cunningham, 2006) to Storyline JSON lines.

Usage:
    /usr/bin/python3 bench/bbc2jsonl.py SRC_DIR [--groups GROUPS.json] > OUT.jsonl

SRC_DIR holds <category>/NNN.txt: the first line is the headline, the rest is
the body, one paragraph per non-empty line.  Each file becomes one compact
JSON object, in category and file-name order:

    {"id":"bbc-business-001","url":"https://bbc.example/business/001",
     "outlet":"BBC","title":...,"body":...}

There is no published date (the corpus has none) and no lang (the engine
guesses it).

Encoding: a file is read as UTF-8 when it decodes as UTF-8, otherwise as
latin-1 (one file, sport/199.txt, has a latin-1 pound sign).

With --groups, the groups of byte-identical files (SHA-256 of the raw bytes)
are written as JSON: {"files":N,"groups":[[ID,ID,...],...]}.  They are the
ground truth for the exact-copy benchmark; each group of k files holds k-1
copies.
"""

import argparse
import hashlib
import json
import os
import sys


def decode(raw):
    """Bytes -> (text, encoding): UTF-8 when valid, latin-1 otherwise."""
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def parse_article(text):
    """Split one BBC file into (title, body).

    The first non-empty line is the headline.  Every later non-empty line is
    one paragraph (a few files lack the blank line between paragraphs, so a
    line is the unit, not a blank-line block); paragraphs are joined by
    blank lines, the form the rest of the benchmarks use.
    """
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return "", ""
    return lines[0], "\n\n".join(lines[1:])


def iter_files(src):
    """Yield (category, number, path) for every <category>/NNN.txt, sorted."""
    for category in sorted(os.listdir(src)):
        cdir = os.path.join(src, category)
        if not os.path.isdir(cdir):
            continue
        for name in sorted(os.listdir(cdir)):
            if name.endswith(".txt"):
                yield category, name[:-4], os.path.join(cdir, name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("src", help="corpus directory (<category>/NNN.txt)")
    ap.add_argument("--groups", help="write the byte-identical groups here (JSON)")
    args = ap.parse_args()

    if not os.path.isdir(args.src):
        sys.exit("bbc2jsonl: %s is not a directory" % args.src)

    by_hash = {}
    n_written = n_latin1 = n_skipped = 0
    out = sys.stdout
    for category, number, path in iter_files(args.src):
        with open(path, "rb") as f:
            raw = f.read()
        aid = "bbc-%s-%s" % (category, number)
        by_hash.setdefault(hashlib.sha256(raw).hexdigest(), []).append(aid)
        text, enc = decode(raw)
        n_latin1 += enc == "latin-1"
        title, body = parse_article(text)
        if not title and not body:
            n_skipped += 1
            continue
        rec = {"id": aid, "url": "https://bbc.example/%s/%s" % (category, number),
               "outlet": "BBC", "title": title, "body": body}
        out.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
        n_written += 1

    if n_written == 0:
        sys.exit("bbc2jsonl: no <category>/NNN.txt files under %s" % args.src)

    groups = sorted(sorted(ids) for ids in by_hash.values() if len(ids) > 1)
    if args.groups:
        tmp = args.groups + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            # One group per line, so the file reads and diffs well.
            f.write('{"files":%d,"groups":[\n' % (n_written + n_skipped))
            f.write(",\n".join(json.dumps(g) for g in groups))
            f.write("\n]}\n")
        os.replace(tmp, args.groups)
    print("bbc2jsonl: %d files written (%d read as latin-1, %d empty skipped); "
          "%d byte-identical groups, %d copies"
          % (n_written, n_latin1, n_skipped, len(groups),
             sum(len(g) - 1 for g in groups)), file=sys.stderr)


if __name__ == "__main__":
    main()
