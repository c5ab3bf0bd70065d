#!/usr/bin/python3
"""Make syndicated copies of BBC articles, for the copy-detection benchmark.

Usage:
    /usr/bin/python3 bench/syndicate.py BBC.jsonl --truth TRUTH.json
        [--n 300] [--seed 1] > OUT.jsonl

BBC.jsonl is the output of bench/bbc2jsonl.py.  OUT.jsonl holds every BBC
article, each now with a "published" time spread over 2005, plus 1 to 3
copies of each of N originals drawn at random (seed SEED).  A copy is what
another outlet's site makes of a wire or partner story:

  - always a new headline, a different outlet and URL, and a published time
    1 to 6 hours after the original;
  - then one or more body edits, each drawn on its own:
      paragraph    drop a short first or last paragraph, or add one of our own
                   at the start or the end, or put an outlet tag in front of
                   the first paragraph ("LAKESIDE GAZETTE - ...");
      truncate     keep 60-90% of the body, cut at a sentence boundary;
      boilerplate  one or two lines of site furniture at the end (or the
                   start): "Additional reporting by ...", a newsletter
                   plug, "first published by ..." credits, a copyright line;
      punctuation  curly quotes and apostrophes, another dash style, an
                   ellipsis character, doubled spaces after full stops.

Lines are sorted by published time, the order a live feed would bring them.

TRUTH.json records what was made:
    {"seed":S,"n":N,"originals":[ID,...],
     "copies":{COPY_ID:{"original":ID,"outlet":...,"hours_after":H,
                        "edits":["headline:lead","truncate:0.71",...]}}}

The output depends only on BBC.jsonl, N and SEED.  Every phrase added here
was written for this script.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import sys

# Invented outlets that republish partner stories.  (name, domain stem)
OUTLETS = [
    ("The Lakeside Gazette", "lakeside-gazette"),
    ("Northbridge Evening Post", "northbridge-post"),
    ("Harrowfield Times", "harrowfield-times"),
    ("The Daily Compass", "daily-compass"),
    ("Westmarch Courier", "westmarch-courier"),
    ("Copperhill Record", "copperhill-record"),
    ("The Morning Ledger", "morning-ledger"),
    ("Saltmarsh Herald", "saltmarsh-herald"),
    ("City Desk Online", "citydesk-online"),
    ("The Weekly Lantern", "weekly-lantern"),
    ("Redfern Chronicle", "redfern-chronicle"),
    ("Open Wire News", "openwire-news"),
]

# Made-up reporter names for credit lines.
FIRST_NAMES = ["Alys", "Bertram", "Cosima", "Dov", "Elin", "Fintan", "Greer",
               "Hallam", "Ines", "Jory", "Kit", "Linnea", "Marek", "Noor"]
LAST_NAMES = ["Ashdown", "Brackley", "Corrin", "Dunmore", "Elsworth", "Fenwick",
              "Garside", "Holroyd", "Iveson", "Jessop", "Kettering", "Lowther"]

# Headline prefixes some sites put on partner copy.
HEADLINE_PREFIXES = ["UPDATE 1-", "UPDATE 2-", "Latest: ", "In brief: ",
                     "From our partners: ", "Explainer: "]

# A paragraph of our own put in front of the story.
INTRO_PARAGRAPHS = [
    "The following report was supplied by our news partners.",
    "Here is the latest on this story, which we are following closely.",
    "This is a developing story and will be updated as more becomes known.",
    "Our partners filed this report earlier today.",
]

# A paragraph of our own put at the end of the story.
OUTRO_PARAGRAPHS = [
    "This article has been updated with further detail.",
    "Readers who have information about this story can contact our newsroom.",
    "More coverage of the subject is available in the {section} section of our site.",
    "We will bring you more on this story as it develops.",
]

# Site furniture: credits, newsletter plugs, copyright lines.
BOILERPLATE = [
    "Additional reporting by {name1} and {name2}.",
    "Additional reporting by {name1}; editing by {name2}.",
    "Sign up for our free morning newsletter to get the day's top stories in your inbox.",
    "Want more stories like this? Sign up for the {outlet} daily briefing.",
    "This story was first published by BBC News and is republished here under a content-sharing agreement.",
    "This article first appeared on the BBC News website and is reproduced with permission.",
    "Copyright 2005 {outlet}. All rights reserved.",
    "Follow {outlet} for the latest updates on this and other stories.",
]

# A sentence ends at . ! or ? (perhaps followed by a closing quote or
# bracket) when whitespace and a capital, digit or opening quote follow.
SENTENCE_END = re.compile(r"""(?<=[.!?])["'\u201d\u2019)]*(?=\s+["'\u201c\u2018(]?[A-Z0-9])""")


def split_sentences(paragraph):
    """A paragraph -> its sentences (text between SENTENCE_END boundaries)."""
    out, start = [], 0
    for m in SENTENCE_END.finditer(paragraph):
        out.append(paragraph[start:m.end()].strip())
        start = m.end()
    tail = paragraph[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


def truncate(paragraphs, fraction):
    """Keep about FRACTION of the body's characters, cut after a sentence.

    The cut is the sentence boundary whose kept length is closest to the
    target, keeping at least one sentence.  Paragraphs before the cut stay
    whole; the paragraph the cut falls in keeps its first sentences.
    """
    total = sum(len(p) for p in paragraphs)
    target = fraction * total
    # Every possible cut: (kept characters, paragraph index, sentences kept).
    cuts, kept = [], 0
    for i, p in enumerate(paragraphs):
        sentences = split_sentences(p)
        for k in range(1, len(sentences) + 1):
            cuts.append((kept + len(" ".join(sentences[:k])), i, k, sentences))
        kept += len(p)
    _, i, k, sentences = min(cuts, key=lambda c: abs(c[0] - target))
    return paragraphs[:i] + [" ".join(sentences[:k])]


def curly_quotes(text):
    """Straight quotes -> typographic ones; an opening quote follows a space."""
    text = re.sub(r'(^|[\s(\[])"', "\\1\u201c", text)
    text = text.replace('"', "\u201d")
    text = re.sub(r"(^|[\s(\[])'", "\\1\u2018", text)
    return text.replace("'", "\u2019")


def punctuation_edits(body, rng):
    """Apply 1-3 of the punctuation edits that change this body.

    Returns (new body, names of the edits applied)."""
    candidates = []
    if '"' in body or "'" in body:
        candidates.append(("curly-quotes", curly_quotes))
    if " - " in body:
        dash = rng.choice([" \u2013 ", " \u2014 ", "\u2014", " -- "])
        candidates.append(("dashes", lambda t, d=dash: t.replace(" - ", d)))
    if "..." in body:
        candidates.append(("ellipsis", lambda t: t.replace("...", "\u2026")))
    candidates.append(("double-space", lambda t: re.sub(r"\. (?=[A-Z])", ".  ", t)))
    chosen = rng.sample(candidates, rng.randint(1, min(3, len(candidates))))
    for _, edit in chosen:
        body = edit(body)
    return body, sorted(name for name, _ in chosen)


def new_headline(title, paragraphs, outlet, rng):
    """A headline other than TITLE, the way another site would write it."""
    kinds = ["lead", "prefix", "suffix", "upper", "colon"]
    kind = rng.choice(kinds)
    lead_words = split_sentences(paragraphs[0])[0].split() if paragraphs else []
    if kind == "lead" and len(lead_words) >= 6:
        # The start of the first sentence, as some aggregators do.
        words = lead_words[:rng.randint(7, 11)]
        headline = " ".join(words).rstrip(",;:.")
    elif kind == "suffix":
        headline = "%s | %s" % (title, outlet)
    elif kind == "upper":
        headline = title.upper()
    elif kind == "colon" and len(title.split()) >= 3:
        # "Subject: rest" from the first two words, a common rewrite.
        words = title.split()
        headline = "%s: %s" % (" ".join(words[:2]), " ".join(words[2:]))
    else:
        kind = "prefix"
        headline = rng.choice(HEADLINE_PREFIXES) + title
    if headline == title:  # an all-caps title, say
        kind, headline = "prefix", HEADLINE_PREFIXES[0] + title
    return headline, "headline:" + kind


def fill(template, rng, outlet, section):
    return template.format(
        name1="%s %s" % (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)),
        name2="%s %s" % (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)),
        outlet=outlet, section=section)


def make_copy(orig, outlet, rng):
    """One syndicated copy of ORIG for OUTLET: (title, body, edits)."""
    paragraphs = [p for p in orig["body"].split("\n\n") if p.strip()]
    section = orig["id"].split("-")[1]
    title, headline_edit = new_headline(orig["title"], paragraphs, outlet, rng)
    edits = [headline_edit]

    # Which body edits: each on its own, at least one.
    ops = [op for op, p in (("paragraph", 0.40), ("truncate", 0.40),
                            ("boilerplate", 0.45), ("punctuation", 0.45))
           if rng.random() < p]
    if not ops:
        ops = [rng.choice(["paragraph", "truncate", "boilerplate", "punctuation"])]

    # Paragraph edits: a dropped paragraph goes before truncation, an added
    # one after it, so that truncation never cuts away what was added.
    how = None
    if "paragraph" in ops:
        # Drop a first or last paragraph only when it is a short one (at
        # most a fifth of the body), as a site trims a lead or a kicker.
        choices = ["add-first", "add-last", "outlet-tag"]
        total = sum(len(p) for p in paragraphs)
        if len(paragraphs) >= 3 and len(paragraphs[0]) <= total / 5:
            choices.append("drop-first")
        if len(paragraphs) >= 3 and len(paragraphs[-1]) <= total / 5:
            choices.append("drop-last")
        how = rng.choice(choices)
        edits.append("paragraph:" + how)
    if how == "drop-first":
        paragraphs = paragraphs[1:]
    elif how == "drop-last":
        paragraphs = paragraphs[:-1]

    if "truncate" in ops:
        fraction = rng.uniform(0.60, 0.90)
        paragraphs = truncate(paragraphs, fraction)
        edits.append("truncate:%.2f" % fraction)

    if how == "add-first":
        paragraphs = [rng.choice(INTRO_PARAGRAPHS)] + paragraphs
    elif how == "add-last":
        paragraphs = paragraphs + [fill(rng.choice(OUTRO_PARAGRAPHS), rng, outlet, section)]
    elif how == "outlet-tag":
        paragraphs = ["%s - %s" % (outlet.upper(), paragraphs[0])] + paragraphs[1:]

    if "boilerplate" in ops:
        lines = [fill(t, rng, outlet, section)
                 for t in rng.sample(BOILERPLATE, rng.randint(1, 2))]
        where = "start" if rng.random() < 0.2 else "end"
        paragraphs = lines + paragraphs if where == "start" else paragraphs + lines
        edits.append("boilerplate:%s:%d" % (where, len(lines)))

    body = "\n\n".join(paragraphs)
    if "punctuation" in ops:
        body, names = punctuation_edits(body, rng)
        edits.append("punctuation:" + "+".join(names))
    return title, body, edits


def slugify(text, limit=60):
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "story"


def rfc3339(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bbc_jsonl")
    ap.add_argument("--truth", required=True, help="where to write the ground truth (JSON)")
    ap.add_argument("--n", type=int, default=300, help="originals to copy (default 300)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = ap.parse_args()

    with open(args.bbc_jsonl, encoding="utf-8") as f:
        originals = [json.loads(line) for line in f if line.strip()]
    originals.sort(key=lambda r: r["id"])
    if args.n > len(originals):
        sys.exit("syndicate: --n %d but only %d articles" % (args.n, len(originals)))

    # Separate generators, so changing one part leaves the others' draws alone.
    rng_time = random.Random("%d-published" % args.seed)
    rng_pick = random.Random(args.seed)
    rng_copy = random.Random("%d-copies" % args.seed)

    year_start = dt.datetime(2005, 1, 1, tzinfo=dt.timezone.utc)
    for rec in originals:
        rec["published"] = rfc3339(year_start + dt.timedelta(
            seconds=rng_time.randrange(365 * 86400)))

    sample = rng_pick.sample(originals, args.n)
    records = list(originals)
    truth = {"seed": args.seed, "n": args.n,
             "originals": sorted(r["id"] for r in sample), "copies": {}}
    for orig in sorted(sample, key=lambda r: r["id"]):
        n_copies = rng_copy.choices([1, 2, 3], weights=[5, 3, 2])[0]
        for k, (outlet, domain) in enumerate(rng_copy.sample(OUTLETS, n_copies), 1):
            title, body, edits = make_copy(orig, outlet, rng_copy)
            hours = rng_copy.uniform(1.0, 6.0)
            when = (dt.datetime.strptime(orig["published"], "%Y-%m-%dT%H:%M:%SZ")
                    .replace(tzinfo=dt.timezone.utc) + dt.timedelta(hours=hours))
            cid = "syn-%s-%d" % (orig["id"][len("bbc-"):], k)
            records.append({
                "id": cid,
                "url": "https://%s.example/news/%s/%s-%s" % (
                    domain, when.strftime("%Y/%m/%d"), slugify(title), cid[4:]),
                "outlet": outlet, "title": title, "published": rfc3339(when),
                "body": body})
            truth["copies"][cid] = {"original": orig["id"], "outlet": outlet,
                                    "hours_after": round(hours, 2), "edits": edits}

    records.sort(key=lambda r: (r["published"], r["id"]))
    for rec in records:
        sys.stdout.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")

    tmp = args.truth + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(tmp, args.truth)
    print("syndicate: %d originals, %d copies of %d of them (seed %d)"
          % (len(originals), len(truth["copies"]), args.n, args.seed), file=sys.stderr)


if __name__ == "__main__":
    main()
