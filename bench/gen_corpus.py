#!/usr/bin/python3
"""Synthetic news corpus for the Storyline search benchmark.

Usage: /usr/bin/python3 bench/gen_corpus.py N [--seed S] [--jobs J]
           [--reuters build/bench/reuters.jsonl] > OUT.jsonl

Writes N articles as Storyline JSON lines, one compact object per line:

  {"id":"gen-<n>","url":"https://gen<k>.example/a/<n>","outlet":"Outlet <k>",
   "title":...,"published":"2026-03-04T05:06:07Z","lang":"en","body":...,
   "topic":"topic-<t>"}

with n = 1..N.  The output depends only on N, the seed and the Reuters
word counts; it is the same for any --jobs.

How the words are drawn
  * The word model is fitted to Reuters-21578 (the JSON lines made by
    bench/reuters2jsonl.py).  Words are runs of a-z in the lower-cased title
    and body; single letters other than "a" and "i" are dropped (they are
    the "s" of "'s" and the pieces of "U.S.").
  * The head of the vocabulary -- every Reuters word seen at least HEAD_MIN
    times -- is drawn with its Reuters frequency.
  * Below the head, Reuters counts are too small to use one by one, so the
    rest of the probability is a tail: a continuous power law over ranks
    (head+1, head+2, ... without end) with exponent s, holding a share of
    the tokens.  Share and s are fitted so that the model's expected number
    of distinct words equals Reuters' at its full length and at half of it:
    the model reproduces the level and the slope of Reuters' Heaps curve
    (about 1.25% of tokens and s ~ 1.73 for Reuters-21578).  Tail ranks
    first name the rare Reuters words in their frequency order, then
    made-up, pronounceable words (two syllables, then three, ...).  As the
    tail never ends, the vocabulary keeps growing with the corpus, towards
    tokens^(1/s) -- Heaps' law with an exponent near 0.58.
  * Each article belongs to one of TOPICS topics (popularity Zipf-like).  A
    topic is a fixed set of 5-15 words: most from the middle of the head,
    some from the tail (the names of a story).  A share of every article's
    tokens (4, 8 or 12 per cent in the body, more in the title) comes from
    its topic's words, so articles of one topic share unusual words at high
    term frequency and "more like this" queries have real neighbours.

Shape
  * Title: 5-12 words, first word capitalised, no full stop, function words
    (the 40 most frequent Reuters words) left out.
  * Body: log-normal length, median 300 words; sentences of about 18 words
    (6-40), each capitalised and ending with a full stop; paragraphs of 2-5
    sentences separated by a blank line.
  * Published: uniform over 2025-11-01T00:00:00Z .. 2026-10-31T23:59:59Z.
  * Outlet: 50 outlets, outlet k drawn with weight 1/k.

Speed: articles are made in chunks of CHUNK, each with its own random
generator seeded from (seed, chunk number), by --jobs worker processes
(default: the number of usable cores, at most 4); finished chunks are
written in order as soon as they are ready, so memory stays flat.
Standard library only.
"""

import array
import calendar
import functools
import json
import math
import multiprocessing
import os
import random
import re
import sys
import time

TOPICS = 2000
OUTLETS = 50
CHUNK = 2000
HEAD_MIN = 5           # a Reuters word seen this often is drawn as counted
TITLE_SKIP = 40        # the most frequent words are left out of titles
TOPIC_SHARES = (0.04, 0.08, 0.12)   # share of body tokens from the topic
TITLE_TOPIC_SHARE = 0.35
TABLE_BITS = 17        # the body sampler's table: 2^17 slots, 1 MB of pointers
TABLE_SIZE = 1 << TABLE_BITS
MAX_RANK = 10 ** 12    # a cap so a draw far out in the tail stays finite
U32 = next(t for t in "IL" if array.array(t).itemsize == 4)

DATE_FIRST = calendar.timegm((2025, 11, 1, 0, 0, 0))
DATE_LAST = calendar.timegm((2026, 10, 31, 23, 59, 59))

# 20 onsets x 5 vowels: 100 syllables, none with a "q", so a "q" suffix can
# always make a made-up word distinct from every Reuters word.
ONSETS = ("b", "d", "f", "g", "h", "j", "k", "l", "m", "n",
          "p", "r", "s", "t", "v", "z", "br", "st", "tr", "ch")
SYLLABLES = tuple(o + v for o in ONSETS for v in "aeiou")

TOKEN = re.compile(r"[a-z]+")

# Set in the parent before the workers fork; read-only afterwards.
MODEL = None


def die(msg):
    sys.stderr.write("gen_corpus: %s\n" % msg)
    sys.exit(1)


def count_reuters(path):
    """Word counts over the Reuters titles and bodies, read in file order.

    Returns (counts, tokens, vocab_at_half): the word -> count map, the
    number of tokens, and how many distinct words the first half of those
    tokens holds (one point of the Heaps curve besides the end point)."""
    counts = {}
    first_seen = []       # token position at which each new word appeared
    tokens = 0
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        die("cannot open %s: %s (make it with bench/reuters2jsonl.py)"
            % (path, e))
    with f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError as e:
                die("%s:%d: bad JSON: %s" % (path, lineno, e))
            for field in ("title", "body"):
                text = obj.get(field)
                if not isinstance(text, str):
                    continue
                for w in TOKEN.findall(text.lower()):
                    if len(w) == 1 and w not in ("a", "i"):
                        continue
                    n = counts.get(w)
                    if n is None:
                        counts[w] = 1
                        first_seen.append(tokens)
                    else:
                        counts[w] = n + 1
                    tokens += 1
    if not counts:
        die("%s holds no words" % path)
    half = tokens // 2
    return counts, tokens, sum(1 for pos in first_seen if pos < half)


def expected_vocab(n_tokens, head_counts, head_total, tail_from, share, s):
    """Expected number of distinct words in n_tokens draws of the model.

    head_counts is {count: how many head words have it}; a head word with
    Reuters count c has probability (1 - share) * c / head_total.  The tail
    holds `share` of the probability as a power law of exponent s over the
    ranks from tail_from on; it is integrated numerically in log rank."""
    seen = 0.0
    for count, n_words in head_counts.items():
        rate = n_tokens * (1.0 - share) * count / head_total
        seen += n_words * -math.expm1(-rate)
    scale = n_tokens * share * (s - 1.0) * tail_from ** (s - 1.0)
    step = 0.01
    y = step / 2
    while True:
        rank = tail_from * math.exp(y)
        rate = scale * rank ** -s
        seen += -math.expm1(-rate) * rank * step
        if rate < 1e-9:
            break
        y += step
    return seen


def fit_tail(counts_by_rank, head, tokens, vocab_at_half):
    """The tail's (share, exponent) that reproduce Reuters' Heaps curve.

    Two unknowns, two equations: the model's expected vocabulary must equal
    Reuters' at the full token count and at half of it.  For a given
    exponent the share follows from the first equation (more share, more
    words); the exponent is then bisected on the second (a flatter tail
    adds relatively more words late, so fewer of them at the half point)."""
    head_counts = {}
    for c in counts_by_rank[:head]:
        head_counts[c] = head_counts.get(c, 0) + 1
    head_total = float(sum(counts_by_rank[:head]))
    vocab = len(counts_by_rank)
    tail_from = head + 0.5

    def share_for(s):
        lo, hi = 1e-6, 0.5
        for _ in range(30):
            mid = (lo + hi) / 2
            if expected_vocab(tokens, head_counts, head_total, tail_from,
                              mid, s) < vocab:
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2

    lo, hi = 1.05, 4.0
    for _ in range(16):
        mid = (lo + hi) / 2
        share = share_for(mid)
        if expected_vocab(tokens // 2, head_counts, head_total, tail_from,
                          share, mid) > vocab_at_half:
            hi = mid
        else:
            lo = mid
    s = (lo + hi) / 2
    return share_for(s), s


class Sampler:
    """Draws words with given weights; for long runs of draws about 1.5
    times faster than random.choices.

    A table of TABLE_SIZE slots holds word i in floor(q_i) slots, where
    q_i = TABLE_SIZE * weight_i / total.  The slots left over (one per unit
    of the summed fractional parts) hold a marker; a draw that lands on one
    is redrawn from the fractional parts with random.choices.  Word i thus
    has probability floor(q_i)/TABLE_SIZE + frac(q_i)/TABLE_SIZE: exactly
    its weight.  One draw is a random 32-bit number and a list index; the
    table is small enough to stay in the CPU's caches (a table big enough
    to give every word whole slots would not, and is slower than
    random.choices)."""

    MARK = "\0"     # no word contains a NUL

    def __init__(self, words, weights):
        total = float(sum(weights))
        self.table = []
        spill_words, spill_cum, spill = [], [], 0.0
        for word, weight in zip(words, weights):
            quota = weight * TABLE_SIZE / total
            whole = int(quota)
            self.table.extend([word] * whole)
            if quota > whole:
                spill += quota - whole
                spill_words.append(word)
                spill_cum.append(spill)
        self.table.extend([self.MARK] * (TABLE_SIZE - len(self.table)))
        self.spill_words = spill_words
        self.spill_cum = spill_cum
        self.shift = 32 - TABLE_BITS

    def draw(self, rng, k):
        """A list of k independent draws."""
        raw = array.array(U32, rng.randbytes(4 * k))
        if sys.byteorder != "little":
            raw.byteswap()
        table, shift = self.table, self.shift
        out = [table[x >> shift] for x in raw]
        n_spill = out.count(self.MARK)
        if n_spill:
            pos = -1
            for word in rng.choices(self.spill_words,
                                    cum_weights=self.spill_cum, k=n_spill):
                pos = out.index(self.MARK, pos + 1)
                out[pos] = word
        return out


class Model:
    """Everything a worker needs to write articles; built once, then shared."""

    def __init__(self, reuters_path, seed):
        counts, tokens, vocab_at_half = count_reuters(reuters_path)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        self.words = [w for w, _ in ranked]
        self.known = frozenset(self.words)
        by_rank = [c for _, c in ranked]
        head = sum(1 for c in by_rank if c >= HEAD_MIN)
        if head < 1000 or len(by_rank) - head < 1000:
            die("%s is too small to fit the vocabulary (%d words seen %d+ "
                "times, %d fewer)" % (reuters_path, head, HEAD_MIN,
                                      len(by_rank) - head))
        self.head = head
        self.tail_share, self.zipf_s = fit_tail(by_rank, head, tokens,
                                                vocab_at_half)
        # Tail rank r is the interval [r-0.5, r+0.5) of a continuous law.
        self.tail_from = head + 0.5

        self.body_sampler = Sampler(self.words[:head], by_rank[:head])
        # Titles are short; random.choices is fast enough there.
        self.title_words = self.words[TITLE_SKIP:head]
        self.title_cum = self._cum_list(by_rank[TITLE_SKIP:head])

        rng = random.Random("storyline-gen-topics:%s" % seed)
        self.topics = [self._make_topic(rng) for _ in range(TOPICS)]
        self.topic_cum = self._cum_list(
            [1.0 / (t + 1) ** 0.7 for t in range(TOPICS)])
        self.outlet_cum = self._cum_list(
            [1.0 / (k + 1) for k in range(OUTLETS)])
        self.seed = seed

    @staticmethod
    def _cum_list(weights):
        total = 0.0
        out = []
        for w in weights:
            total += w
            out.append(total)
        return out

    def _make_topic(self, rng):
        """5-15 distinct words and their cumulative weights (1/i^0.8)."""
        n_words = rng.randint(5, 15)
        lo, hi = math.log(200), math.log(self.head)
        chosen = []
        while len(chosen) < n_words:
            if rng.random() < 0.7:
                w = self.words[int(math.exp(rng.uniform(lo, hi))) - 1]
            else:
                w = self.tail_word(rng.random())
            if w not in chosen:
                chosen.append(w)
        return chosen, self._cum_list(
            [1.0 / (i + 1) ** 0.8 for i in range(n_words)])

    def tail_word(self, u):
        """The tail word at quantile u (0 <= u < 1) of the tail power law."""
        x = self.tail_from * (1.0 - u) ** (-1.0 / (self.zipf_s - 1.0))
        rank = int(min(x, MAX_RANK) + 0.5)
        if rank <= len(self.words):
            return self.words[rank - 1]
        return self.made_up(rank - len(self.words) - 1)

    @functools.lru_cache(maxsize=1 << 17)
    def made_up(self, index):
        """The index-th made-up word: 2 syllables first, then 3, ..."""
        n_syl = 2
        span = len(SYLLABLES) ** n_syl
        while index >= span:
            index -= span
            n_syl += 1
            span = len(SYLLABLES) ** n_syl
        parts = []
        for _ in range(n_syl):
            index, digit = divmod(index, len(SYLLABLES))
            parts.append(SYLLABLES[digit])
        word = "".join(parts)
        while word in self.known:
            word += "q"
        return word


def rfc3339(ts):
    y, mo, d, h, mi, s = time.gmtime(ts)[:6]
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % (y, mo, d, h, mi, s)


def binomial(rng, n, p):
    """A normal approximation of a Binomial(n, p) draw, clamped to 0..n."""
    mean = n * p
    x = int(rng.gauss(mean, math.sqrt(mean * (1.0 - p))) + 0.5)
    return min(max(x, 0), n)


def make_chunk(chunk_no, first, count):
    """Articles first..first+count-1 (1-based ids) as JSON lines text."""
    m = MODEL
    rng = random.Random("storyline-gen:%s:%d" % (m.seed, chunk_no))
    choices = rng.choices
    rand = rng.random
    randint = rng.randint
    gauss = rng.gauss
    body_draw = m.body_sampler.draw
    tail_word = m.tail_word
    tail_share = m.tail_share
    topic_range = range(TOPICS)
    outlet_range = range(1, OUTLETS + 1)
    dumps = json.JSONEncoder(ensure_ascii=False,
                             separators=(",", ":")).encode

    def mix_in(words, topic_words, topic_cum, topic_share):
        """Overwrite random positions with tail words and topic words.

        The background words are independent draws, so writing over random
        positions is the same as drawing each token from the mixture."""
        n = len(words)
        for _ in range(binomial(rng, n, tail_share)):
            words[int(rand() * n)] = tail_word(rand())
        n_topic = binomial(rng, n, topic_share)
        if n_topic:
            for w in choices(topic_words, cum_weights=topic_cum, k=n_topic):
                words[int(rand() * n)] = w

    lines = []
    for n in range(first, first + count):
        topic = choices(topic_range, cum_weights=m.topic_cum)[0]
        topic_words, topic_cum = m.topics[topic]
        outlet = choices(outlet_range, cum_weights=m.outlet_cum)[0]
        published = rfc3339(randint(DATE_FIRST, DATE_LAST))

        title_words = choices(m.title_words, cum_weights=m.title_cum,
                              k=randint(5, 12))
        mix_in(title_words, topic_words, topic_cum, TITLE_TOPIC_SHARE)
        title_words[0] = title_words[0].capitalize()
        title = " ".join(title_words)

        n_body = int(rng.lognormvariate(math.log(300.0), 0.4))
        n_body = max(30, min(n_body, 3000))
        words = body_draw(rng, n_body)
        mix_in(words, topic_words, topic_cum,
               TOPIC_SHARES[randint(0, len(TOPIC_SHARES) - 1)])

        paragraphs = []
        sentences = []
        para_len = randint(2, 5)
        pos = 0
        while pos < n_body:
            length = max(6, min(40, int(gauss(18.0, 6.0))))
            if n_body - pos - length < 6:
                length = n_body - pos
            sentence = words[pos:pos + length]
            pos += length
            sentence[0] = sentence[0].capitalize()
            sentences.append(" ".join(sentence) + ".")
            if len(sentences) == para_len or pos >= n_body:
                paragraphs.append(" ".join(sentences))
                sentences = []
                para_len = randint(2, 5)
        body = "\n\n".join(paragraphs)

        lines.append(dumps({
            "id": "gen-%d" % n,
            "url": "https://gen%d.example/a/%d" % (outlet, n),
            "outlet": "Outlet %d" % outlet,
            "title": title,
            "published": published,
            "lang": "en",
            "body": body,
            "topic": "topic-%d" % topic,
        }))
    lines.append("")
    return "\n".join(lines)


def parse_args(argv):
    usage = ("usage: gen_corpus.py N [--seed S] [--jobs J] "
             "[--reuters FILE.jsonl] > OUT.jsonl")
    n = None
    seed = "1"
    jobs = None
    reuters = "build/bench/reuters.jsonl"
    i = 1
    while i < len(argv):
        arg = argv[i]
        if arg in ("-h", "--help"):
            sys.stdout.write(usage + "\n")
            sys.exit(0)
        if arg in ("--seed", "--jobs", "--reuters"):
            if i + 1 >= len(argv):
                sys.stderr.write("%s needs a value\n%s\n" % (arg, usage))
                sys.exit(2)
            value = argv[i + 1]
            if arg == "--seed":
                seed = value
            elif arg == "--reuters":
                reuters = value
            else:
                if not value.isdigit() or int(value) < 1:
                    sys.stderr.write("--jobs must be a positive integer\n")
                    sys.exit(2)
                jobs = int(value)
            i += 2
            continue
        if n is not None or not arg.isdigit():
            sys.stderr.write(usage + "\n")
            sys.exit(2)
        n = int(arg)
        i += 1
    if n is None:
        sys.stderr.write(usage + "\n")
        sys.exit(2)
    if jobs is None:
        try:
            jobs = len(os.sched_getaffinity(0))
        except AttributeError:
            jobs = os.cpu_count() or 1
        jobs = max(1, min(jobs, 4))
    return n, seed, jobs, reuters


def main(argv):
    global MODEL
    n, seed, jobs, reuters = parse_args(argv)
    MODEL = Model(reuters, seed)
    sys.stderr.write(
        "gen_corpus: %d articles, seed %s, %d job(s); head %d Reuters words, "
        "tail: power law s=%.3f holding %.2f%% of tokens\n"
        % (n, seed, jobs, MODEL.head, MODEL.zipf_s, 100 * MODEL.tail_share))

    chunks = [(c, 1 + c * CHUNK, min(CHUNK, n - c * CHUNK))
              for c in range((n + CHUNK - 1) // CHUNK)]
    out = sys.stdout
    try:
        if jobs == 1 or len(chunks) <= 1:
            for args in chunks:
                out.write(make_chunk(*args))
        else:
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(jobs) as pool:
                # A window of pending chunks keeps memory flat however slowly
                # stdout drains, and keeps the output in chunk order.
                window = []
                for args in chunks:
                    window.append(pool.apply_async(make_chunk, args))
                    if len(window) >= 2 * jobs:
                        out.write(window.pop(0).get())
                for pending in window:
                    out.write(pending.get())
        out.flush()
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); that is not an error here.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
