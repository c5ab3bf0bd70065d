#!/usr/bin/python3
"""Convert the Reuters-21578 SGML collection to Storyline JSON lines.

Usage: /usr/bin/python3 bench/reuters2jsonl.py SRC_DIR > OUT.jsonl

SRC_DIR holds reut2-000.sgm ... reut2-021.sgm.  The files are read in
place (never modified) and decoded as latin-1, since a few bytes are not
valid UTF-8.  One compact JSON object is written per record, UTF-8,
ensure_ascii=False:

  {"id":"reuters-<NEWID>","url":"https://reuters.example/article/<NEWID>",
   "outlet":"Reuters","title":...,"published":"1987-02-26T15:01:01Z",
   "body":...,"topics":[...],"places":[...],
   "lewissplit":"TRAIN|TEST|NOT-USED","topics_attr":"YES|NO|BYPASS"}

Text handling:
  * SGML entities (&lt; &gt; &amp; &quot; &#N;) are decoded, then every
    control character except the newline is dropped (tabs become spaces).
  * The "Reuter"/"REUTER" sign-off line at the end of a story is removed
    (also the variants "Reuters", "REUTER...", "REUTER^M").
  * Body: runs of spaces inside a line are collapsed.  A line that starts
    with whitespace (or follows a blank line) starts a new paragraph;
    wrapped lines of one paragraph are joined with one space; paragraphs
    are separated by "\\n\\n".
  * Title: a headline is one line, but Reuters wraps long headlines and
    indents the continuation, so all whitespace in a title is collapsed
    to single spaces.  Case is left as it is (most titles are upper case).
  * TYPE="BRIEF" records are title only: the "Blah blah blah." filler after
    the title is not used, the body is "".
  * TYPE="UNPROC" records have no TITLE/BODY: the raw TEXT becomes the body
    (same paragraph rules) and the title is "".
  * The DATELINE is not part of the body.
  * Records with neither title nor body are skipped and counted.

A summary (records read, written, skipped, dates repaired) goes to stderr.
Standard library only.
"""

import glob
import json
import os
import re
import sys

MONTHS = {m: i + 1 for i, m in enumerate(
    "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())}

RECORD_RE = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)
ATTR_RE = re.compile(r'([A-Z]+)="([^"]*)"')
DATE_RE = re.compile(
    r"(\d{1,2})-([A-Za-z]{3})-(\d{4})\s+(\d{1,3}):(\d{1,2}):(\d{1,2})")
D_RE = re.compile(r"<D>(.*?)</D>", re.S)
TEXT_RE = re.compile(r"<TEXT\b([^>]*)>(.*?)</TEXT>", re.S)
ENTITY_RE = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|lt|gt|amp|quot|apos);")
NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
# every C0/C1 control character except \n (tab is turned into a space first)
CONTROL_RE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
SIGNOFF_RE = re.compile(r"(?i)^\s*reuters?\s*(?:\.\.\.)?\s*(?:\^M)?\s*$")
# sign-off glued to the end of the last sentence: "... he said. REUTER"
TAIL_SIGNOFF_RE = re.compile(
    r"(?i)([.!?\"')])\s+reuters?\s*(?:\.\.\.)?\s*(?:\^M)?\s*$")
# ... and to the last row of a table: "SANTA FE....21.......18....17 REUTER"
TAIL_TABLE_SIGNOFF_RE = re.compile(r"([0-9])\s+REUTER\s*$")
SPACES_RE = re.compile(r"[ \t\r\f\v]+")


def element(text, name):
    """Content of the first <name>...</name> in text, or None."""
    m = re.search(r"<%s\b[^>]*>(.*?)</%s>" % (name, name), text, re.S)
    return m.group(1) if m else None


def decode_entity(m):
    e = m.group(1)
    if e[0] == "#":
        try:
            code = int(e[2:], 16) if e[1] in "xX" else int(e[1:])
            return chr(code)
        except (ValueError, OverflowError):
            return ""
    return NAMED[e]


def clean(raw):
    """Decode entities, drop control characters, normalise line ends."""
    s = raw.replace("\r\n", "\n").replace("\r", "\n")
    s = ENTITY_RE.sub(decode_entity, s)
    s = s.replace("\t", " ")
    return CONTROL_RE.sub("", s)


def strip_signoff(lines):
    """Remove trailing blank lines and the Reuter sign-off at the end.

    A few stories carry the sign-off twice ("REUTER" then " Reuter"), and a
    few have it on the last text line ("... he said. REUTER")."""
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and SIGNOFF_RE.match(lines[-1]):
        lines.pop()
        while lines and not lines[-1].strip():
            lines.pop()
    if lines:
        last = TAIL_SIGNOFF_RE.sub(r"\1", lines[-1])
        lines[-1] = TAIL_TABLE_SIGNOFF_RE.sub(r"\1", last)
    return lines


def paragraphs(raw):
    """Body text with Reuters paragraph conventions turned into "\\n\\n"."""
    lines = strip_signoff(clean(raw).split("\n"))
    paras = []
    cur = []
    for line in lines:
        if not line.strip():
            if cur:
                paras.append(" ".join(cur))
                cur = []
            continue
        if line[0] == " " and cur:
            paras.append(" ".join(cur))
            cur = []
        cur.append(SPACES_RE.sub(" ", line).strip())
    if cur:
        paras.append(" ".join(cur))
    return "\n\n".join(p for p in paras if p)


def one_line(raw):
    lines = strip_signoff(clean(raw).split("\n"))
    return " ".join(" ".join(lines).split())


def parse_date(raw, stats):
    """RFC 3339 UTC string from '26-FEB-1987 15:01:01.79', or None."""
    if raw is None:
        return None
    m = DATE_RE.search(clean(raw))
    if not m:
        return None
    day, mon, year, hh, mm, ss = m.groups()
    month = MONTHS.get(mon.upper())
    if month is None:
        return None
    h = int(hh)
    if h > 23:
        # one record has "605:12:19.12": keep the last two digits
        h = int(hh[-2:])
        stats["dates_repaired"] += 1
        if h > 23:
            h = 0
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (
        int(year), month, int(day), h, min(int(mm), 59), min(int(ss), 59))


def list_of(block):
    if block is None:
        return []
    return [clean(d).strip() for d in D_RE.findall(block) if d.strip()]


def convert(attrs_raw, inner, stats):
    attrs = dict(ATTR_RE.findall(attrs_raw))
    newid = attrs.get("NEWID", "").strip()
    title = ""
    body = ""
    tm = TEXT_RE.search(inner)
    if tm:
        text_type = dict(ATTR_RE.findall(tm.group(1))).get("TYPE", "NORM")
        text = tm.group(2)
        if text_type == "UNPROC":
            body = paragraphs(text)
            stats["unproc"] += 1
        else:
            t = element(text, "TITLE")
            if t is not None:
                title = one_line(t)
            if text_type == "BRIEF":
                stats["brief"] += 1
            else:
                b = element(text, "BODY")
                if b is not None:
                    body = paragraphs(b)
    if not title and not body:
        return None
    published = parse_date(element(inner, "DATE"), stats)
    if published is None:
        stats["no_date"] += 1
    return {
        "id": "reuters-" + newid,
        "url": "https://reuters.example/article/" + newid,
        "outlet": "Reuters",
        "title": title,
        "published": published,
        "body": body,
        "topics": list_of(element(inner, "TOPICS")),
        "places": list_of(element(inner, "PLACES")),
        "lewissplit": attrs.get("LEWISSPLIT", ""),
        "topics_attr": attrs.get("TOPICS", ""),
    }


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        sys.stderr.write("usage: %s SRC_DIR > OUT.jsonl\n" % argv[0])
        return 2
    src = argv[1]
    files = sorted(glob.glob(os.path.join(src, "reut2-*.sgm")))
    if not files:
        sys.stderr.write("reuters2jsonl: no reut2-*.sgm files in %s\n" % src)
        return 1
    stats = {"read": 0, "written": 0, "skipped": 0, "brief": 0,
             "unproc": 0, "no_date": 0, "dates_repaired": 0}
    out = open(sys.stdout.fileno(), "w", encoding="utf-8", newline="\n",
               closefd=False)
    for path in files:
        with open(path, encoding="latin-1") as f:
            data = f.read()
        for m in RECORD_RE.finditer(data):
            stats["read"] += 1
            rec = convert(m.group(1), m.group(2), stats)
            if rec is None:
                stats["skipped"] += 1
                continue
            out.write(json.dumps(rec, ensure_ascii=False,
                                 separators=(",", ":")))
            out.write("\n")
            stats["written"] += 1
    out.flush()
    sys.stderr.write(
        "reuters2jsonl: %d files, records read %d, written %d, skipped %d "
        "(no title and no body); brief %d, unproc %d, no date %d, "
        "dates repaired %d\n" % (
            len(files), stats["read"], stats["written"], stats["skipped"],
            stats["brief"], stats["unproc"], stats["no_date"],
            stats["dates_repaired"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
