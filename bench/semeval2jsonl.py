#!/usr/bin/python3
"""Convert SemEval-2022 Task 8 pairs to Storyline JSON lines and a pair list.

Usage:
    /usr/bin/python3 bench/semeval2jsonl.py PAIRS.csv --pairs PAIRS.tsv
        --gold GOLD.tsv > ARTICLES.jsonl

PAIRS.csv has the columns pair_id, lang1, lang2, text1, text2, ...,
Overall (1 = very similar ... 4 = very dissimilar); its texts are long, so
the csv field limit is raised.  Each row gives two articles:

    {"id":"p<pair_id>-1","url":"https://pairs.example/<pair_id>/1",
     "outlet":"SemEval pairs","title":...,"lang":<lang1>,"body":<text1>}

and the same with -2, lang2 and text2.  The title is the text's first
sentence (of at least 4 words, so "U.S." does not end it) when that is
short, at most 20 words, otherwise its first 12 words; in a script written
without spaces (Chinese) the limits are 60 and 40 characters.
The body is the whole text, title included, as the data gives it.

A pair_id occurs more than once in the file (40 ids, with different texts
each time); its second and later rows get ids "p<pair_id>~2-1" and so on,
so that no two texts share an id.

PAIRS.tsv is what `storyline similarity --pairs` reads: "ID_A<TAB>ID_B".
GOLD.tsv has a header and one row per pair, in the same order:
    a  b  pair_id  lang1  lang2  overall
"""

import argparse
import csv
import json
import os
import re
import sys

# A sentence ends at . ! ? or their full-width forms; Latin-script ends need
# whitespace after them, CJK ones do not.
SENTENCE_END = re.compile(r"[.!?](?=\s)|[\u3002\uff01\uff1f]")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def make_title(text):
    """A short headline from the start of TEXT (see the module comment)."""
    text = " ".join(text.split())
    # Chinese and Japanese are written without spaces between words: count
    # characters there instead of words.
    spaced = len(CJK.findall(text)) * 3 < len(text)
    for m in SENTENCE_END.finditer(text):
        first = text[:m.end()]
        # Skip ends that are too early to be a sentence: "U.S.", "Gov.".
        if (len(first.split()) >= 4) if spaced else (len(first) >= 8):
            break
    else:
        first = text
    if spaced:
        if len(first.split()) <= 20:
            return first.rstrip(".")
        return " ".join(text.split()[:12])
    if len(first) <= 60:
        return first.rstrip("\u3002.")
    return text[:40]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("csv_path")
    ap.add_argument("--pairs", required=True, help="write ID_A<TAB>ID_B lines here")
    ap.add_argument("--gold", required=True, help="write the gold scores here (TSV)")
    args = ap.parse_args()

    csv.field_size_limit(sys.maxsize)
    seen = {}
    n_rows = 0
    with open(args.csv_path, encoding="utf-8", newline="") as f, \
            open(args.pairs + ".tmp", "w", encoding="utf-8") as pairs, \
            open(args.gold + ".tmp", "w", encoding="utf-8") as gold:
        reader = csv.DictReader(f)
        need = {"pair_id", "lang1", "lang2", "text1", "text2", "Overall"}
        missing = need - set(reader.fieldnames or [])
        if missing:
            sys.exit("semeval2jsonl: %s lacks the columns %s"
                     % (args.csv_path, ", ".join(sorted(missing))))
        gold.write("a\tb\tpair_id\tlang1\tlang2\toverall\n")
        for row in reader:
            pid = row["pair_id"].strip()
            seen[pid] = seen.get(pid, 0) + 1
            key = pid if seen[pid] == 1 else "%s~%d" % (pid, seen[pid])
            ids = []
            for side in ("1", "2"):
                aid = "p%s-%s" % (key, side)
                text = row["text" + side].strip()
                rec = {"id": aid, "url": "https://pairs.example/%s/%s" % (key, side),
                       "outlet": "SemEval pairs", "title": make_title(text),
                       "lang": row["lang" + side].strip(), "body": text}
                sys.stdout.write(json.dumps(rec, ensure_ascii=False,
                                            separators=(",", ":")) + "\n")
                ids.append(aid)
            pairs.write("%s\t%s\n" % tuple(ids))
            gold.write("\t".join([ids[0], ids[1], pid, row["lang1"].strip(),
                                  row["lang2"].strip(), row["Overall"].strip()]) + "\n")
            n_rows += 1
    os.replace(args.pairs + ".tmp", args.pairs)
    os.replace(args.gold + ".tmp", args.gold)
    print("semeval2jsonl: %d pairs, %d articles (%d repeated pair ids renamed)"
          % (n_rows, 2 * n_rows, sum(n - 1 for n in seen.values())), file=sys.stderr)


if __name__ == "__main__":
    main()
