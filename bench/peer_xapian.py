#!/usr/bin/python3
"""Xapian ingest peer for the Storyline ingest benchmark.

Usage: /usr/bin/python3 bench/peer_xapian.py DBDIR FILE.jsonl

Run it with Debian's /usr/bin/python3, which has python3-xapian.  DBDIR
should not exist yet (it is created; an existing database is refused so
that runs are never accidentally incremental).

For every non-blank JSON line of FILE.jsonl one document is added:
  * the title is indexed twice: index_text(title, 1, "S") (prefixed terms,
    searchable as a title-only field) and index_text(title) (unprefixed);
  * increase_termpos() separates title and body positions;
  * the body is indexed unprefixed;
  * the TermGenerator uses the English stemmer with STEM_SOME;
  * the document data is the article id.
One commit at the end.  Prints

  {"articles":N,"bytes":B,"seconds":S}

N = documents added, B = total bytes of the input lines (newlines included),
S = time.perf_counter() seconds spent reading + parsing JSON + indexing +
commit.  Opening the database and importing modules are not timed.
Standard library only besides xapian.
"""

import json
import os
import sys
import time


def main(argv):
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        sys.stderr.write("usage: %s DBDIR FILE.jsonl\n" % argv[0])
        return 2
    dbdir, path = argv[1], argv[2]
    try:
        import xapian
    except ImportError as e:
        sys.stderr.write(
            "peer_xapian: cannot import xapian (%s); run with /usr/bin/python3 "
            "and install python3-xapian\n" % e)
        return 1
    if os.path.exists(dbdir):
        sys.stderr.write("peer_xapian: %s already exists; remove it first\n"
                         % dbdir)
        return 1
    try:
        f = open(path, "rb")
    except OSError as e:
        sys.stderr.write("peer_xapian: cannot open %s: %s\n" % (path, e))
        return 1
    try:
        db = xapian.WritableDatabase(dbdir, xapian.DB_CREATE)
    except xapian.Error as e:
        sys.stderr.write("peer_xapian: cannot create database %s: %s\n"
                         % (dbdir, e.get_msg()))
        return 1

    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("english"))
    tg.set_stemming_strategy(xapian.TermGenerator.STEM_SOME)

    articles = 0
    nbytes = 0
    lineno = 0
    loads = json.loads
    try:
        t0 = time.perf_counter()
        with f:
            for raw in f:
                lineno += 1
                nbytes += len(raw)
                if not raw.strip():
                    continue
                try:
                    obj = loads(raw)
                except ValueError as e:
                    sys.stderr.write("peer_xapian: %s:%d: bad JSON: %s\n"
                                     % (path, lineno, e))
                    return 1
                if not isinstance(obj, dict):
                    sys.stderr.write("peer_xapian: %s:%d: line is not a JSON "
                                     "object\n" % (path, lineno))
                    return 1
                title = obj.get("title")
                body = obj.get("body")
                if not isinstance(title, str):
                    title = ""
                if not isinstance(body, str):
                    body = ""
                doc = xapian.Document()
                tg.set_document(doc)
                tg.index_text(title, 1, "S")
                tg.index_text(title)
                tg.increase_termpos()
                tg.index_text(body)
                ident = obj.get("id")
                if isinstance(ident, str):
                    doc.set_data(ident)
                db.add_document(doc)
                articles += 1
        db.commit()
        seconds = time.perf_counter() - t0
    except OSError as e:
        sys.stderr.write("peer_xapian: error reading %s: %s\n" % (path, e))
        return 1
    except xapian.Error as e:
        sys.stderr.write("peer_xapian: xapian error at %s:%d: %s\n"
                         % (path, lineno, e.get_msg()))
        return 1
    finally:
        db.close()

    sys.stdout.write(json.dumps(
        {"articles": articles, "bytes": nbytes, "seconds": round(seconds, 6)},
        separators=(",", ":")) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
