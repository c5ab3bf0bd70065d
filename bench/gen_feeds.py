#!/usr/bin/python3
"""Fixture feeds for the feed-parsing benchmark (bench/feeds.sh).

    /usr/bin/python3 bench/gen_feeds.py [--feeds N] [--seed S]
                                        [--out build/bench/feeds/corpus]

Writes N feeds (default 200) into the --out folder (emptied of earlier
feeds first) and, last, the list the harnesses read, `feeds.list` in the
same folder, one feed a line:

    PATH <TAB> URL <TAB> FORMAT <TAB> ITEMS

PATH is the file, URL the address it would be served from (the base for
relative links), FORMAT one of rss, atom, rdf, json, and ITEMS the number
of items written (the right answer for the parsers' item counts).  A
summary goes to stderr.  The output depends only on N and the seed.

The feeds are written for this project: invented outlets, people, places
and events in the fictional country of examples/sample.jsonl (Arvenia,
its crowns and towns); no text comes from a real feed.  Each feed has 20
to 50 items, each with a title, link, guid (or rdf:about / JSON id), one
or two dates, authors, categories, a summary and, in most feeds, the full
article as HTML of 3 to 7 blocks (paragraphs with links and emphasis,
subheads, quotes, lists, figures).  The shapes are the ones feeds have on
the web:

  rss   (~45%) RSS 2.0 in two styles: "blog" (WordPress-like: CDATA,
        dc:creator, guid ?p=N, excerpt ending "[&#8230;]", content:encoded,
        wfw/slash/sy modules, "The post ... appeared first on ..." footer)
        and "newsroom" (escaped-HTML descriptions, <author>email (Name)
        </author>, category domains, media:content, enclosures, channel
        image, ttl); RFC 822 dates as GMT, +0000, numeric zones, zone
        names, no weekday, one-digit days, no seconds, a two-digit year.
        A few are ISO-8859-1 or windows-1252 bytes, declared.
  atom  (~25%) Atom 1.0: content type="html" (escaped) or "xhtml", html or
        text summaries and titles, xml:base with relative links, tag: and
        urn:uuid ids, several authors, category term/label, published and
        updated in RFC 3339 shapes (Z, offsets, fractions).
  rdf   (~10%) RSS 1.0: rdf:Seq, rdf:about, dc:creator/dc:subject/dc:date
        (W3CDTF, minutes-only included), content:encoded in some.
  json  (~20%) JSON Feed 1.1: authors arrays, content_html (content_text
        in some), summary, tags, image, date_published/date_modified.

Standard library only.
"""

import argparse
import json
import os
import random
import sys
import uuid
from xml.sax.saxutils import escape, quoteattr

PROG = "gen_feeds"

# ---- the fictional world ---------------------------------------------------

OUTLETS = [
    ("Meridian Wire", "meridianwire"), ("Continental Press Agency", "cpa-news"),
    ("Eastmark Observer", "eastmark"), ("The Harbour Herald", "harbourherald"),
    ("Northgate Chronicle", "northgate"), ("Daily Lantern", "dailylantern"),
    ("The Valley Courier", "valleycourier"), ("The Civic Ledger", "civicledger"),
    ("Kell Valley Dispatch", "kelldispatch"), ("Gull Point Radio", "gullpoint"),
    ("Northfield Gazette", "northfield"), ("Harbour Times", "harbourtimes"),
    ("Saltmere Evening Post", "saltmerepost"), ("The Ardmore Standard", "ardmorestandard"),
    ("Redwater Record", "redwaterrecord"), ("Lowther Weekly", "lowtherweekly"),
    ("Arvenia Business Daily", "abd"), ("The Farrow Signal", "farrowsignal"),
    ("Westcombe Mercury", "westcombe"), ("Glenmire Notes", "glenmirenotes"),
    ("Tarnby Tribune", "tarnby"), ("The Ostrey Beacon", "ostreybeacon"),
    ("Quarry Point Journal", "qpjournal"), ("Bexley Bulletin", "bexley"),
    ("Transit Matters", "transitmatters"), ("The Open Ledger", "openledger"),
    ("Field & Furrow", "fieldandfurrow"), ("Coastline Science", "coastlinesci"),
]
SECTIONS = ["Politics", "Business", "Transport", "Environment", "Health",
            "Education", "Culture", "Sport", "Science", "Local", "Housing",
            "Energy", "Courts", "Technology", "Weather"]
PLACES = ["Ardmore", "Bexley", "Caddon", "Dunholm", "Elsworth", "Farrow",
          "Glenmire", "Hollins", "Kessel", "Lowther", "Marrowgate", "Norvale",
          "Ostrey", "Pellham", "Quarry Point", "Redwater", "Saltmere",
          "Tarnby", "Ulverholm", "Westcombe", "Gull Point", "Kell Bridge"]
FIRST = ["Maren", "Tobias", "Ilse", "Jonas", "Zoë", "Søren", "Inés", "Anaïs",
         "Henrik", "Clara", "Mateo", "Freya", "Oskar", "Lena", "Rafael",
         "Nadia", "Emil", "Agnès", "Viktor", "Ruth", "Declan", "Ines", "Pavel",
         "Marta", "Ólafur", "Hannah", "Luca", "Dagny", "Samir", "Élodie"]
LAST = ["Eklund", "Varga", "Holloway", "Brandt", "Okafor", "Lindqvist",
        "Marchetti", "Castell", "Dunmore", "Rask", "Whitcombe", "Novak",
        "Ferreira", "Halden", "Moreau", "Pryce", "Sandoval", "Kerr",
        "Aaltonen", "Baptiste", "Cormack", "Delacroix", "Østergaard",
        "Fenwick", "Quill", "Strand", "Tarrant", "Albescu", "Mbeki", "Ortiz"]
COMPANIES = ["Brightline Telecom", "Osprey Mobile", "Kestrel Capital",
             "Arventel", "Harlow & Pryce", "Northwind Rail", "Saltmere Shipping",
             "Corvane Energy", "Tallis Foods", "Greyhaven Bank", "Larkspur Air",
             "Redwater Steel", "Fennick Pharmaceuticals", "Orla Software",
             "Ashgrove Homes", "Castor Logistics"]
INSTITUTIONS = ["Arvenian Rail Authority", "Ministry of Finance",
                "Central Bank of Arvenia", "Kell Valley Water Board",
                "National Statistics Office", "Farrow District Council",
                "Supreme Court", "Teachers' Union", "Competition Authority",
                "Coastguard", "Meteorological Institute", "Health Directorate",
                "University of Saltmere", "Port of Ostrey", "Energy Regulator"]
ROLES = ["mayor of {place}", "chief executive of {company}",
         "a spokeswoman for the {inst}", "a spokesman for the {inst}",
         "the finance minister", "head of the {inst}", "a councillor in {place}",
         "an economist at {company}", "chair of the {inst}",
         "a researcher at the University of Saltmere", "a resident of {place}",
         "the transport minister", "a union organiser in {place}"]
THINGS = ["bridge", "rail line", "ferry service", "budget", "hospital wing",
          "wind farm", "school merger", "water plant", "housing plan",
          "tram extension", "harbour wall", "tax proposal", "bus network",
          "flood barrier", "library", "fishing quota", "pension reform",
          "broadband rollout", "night train", "recycling scheme"]
VERBS_PAST = ["approved", "delayed", "reopened", "closed", "expanded",
              "reviewed", "funded", "opposed", "postponed", "cleared",
              "rejected", "scaled back", "brought forward", "suspended"]
HEAD_VERBS = ["approves", "delays", "reopens", "closes", "expands", "reviews",
              "funds", "opposes", "postpones", "clears", "rejects",
              "scales back", "suspends", "weighs"]
WEEKDAYS_FULL = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                 "Saturday", "Sunday"]
UNITS = ["weeks", "months", "years"]
CAUSES = ["a dispute over costs", "heavy rain", "a court challenge",
          "a shortage of engineers", "objections from residents",
          "a change of government", "rising interest rates", "a safety review",
          "delays at the supplier", "a strike by maintenance staff"]
QUOTES = [
    "We have listened to {place}, and this is the answer people asked for",
    "Nobody wants to see the {thing} stand empty for another winter",
    "The numbers simply do not add up, and they have not for some time",
    "This is a good day for {place} and a better one for the people who work here",
    "We will keep the pressure on until the {inst} explains itself",
    "It is too early to say what this means for fares",
    "I have lived here forty years and I have never seen the river this high",
    "The money is there; what has been missing is the will to spend it",
    "Our members are tired of promises that arrive on paper and nowhere else",
    "We expect the first results before the end of the year",
    "Every crown we save on the {thing} is a crown we can put into schools",
    "There will be disruption, and we are sorry for it",
]
TIMEFRAMES = ["by the spring", "before the end of the year", "within weeks",
              "next month", "in the new year", "by 2028", "this winter",
              "after the summer"]
SUBHEADS = ["What happens next", "The cost", "A long dispute", "Reaction",
            "Background", "Who is affected", "The numbers", "What they said"]


class World:
    """Random choices of names, numbers and sentences."""

    def __init__(self, rng):
        self.r = rng

    def c(self, seq):
        return self.r.choice(seq)

    def person(self):
        return "%s %s" % (self.c(FIRST), self.c(LAST))

    def fill(self, s):
        r = self.r
        return s.format(
            place=self.c(PLACES), place2=self.c(PLACES), company=self.c(COMPANIES),
            inst=self.c(INSTITUTIONS), thing=self.c(THINGS),
            verb=self.c(VERBS_PAST), weekday=self.c(WEEKDAYS_FULL),
            n=r.randint(2, 19), unit=self.c(UNITS), cause=self.c(CAUSES),
            pct=r.randint(2, 64), money="%d.%d" % (r.randint(1, 40), r.randint(0, 9)),
            count="{:,}".format(r.randint(120, 98000)),
            when=self.c(TIMEFRAMES))

    def role(self):
        return self.fill(self.c(ROLES))

    SENTENCES = [
        "The {thing} in {place} was {verb} on {weekday} after {n} {unit} of {cause}.",
        "Officials at the {inst} said the decision would affect about {count} people in {place} and {place2}.",
        "The plan is expected to cost {money} billion crowns, {pct} per cent more than the first estimate.",
        "{company} said it would {verb_inf} its part of the work {when}.",
        "Work on the {thing} had been due to start in the spring but was held up by {cause}.",
        "Figures from the National Statistics Office show a rise of {pct} per cent since last year.",
        "Residents of {place} have campaigned against the {thing} for {n} {unit}.",
        "The {inst} will publish its full review {when}, a spokeswoman said.",
        "Shares in {company} rose {pct} per cent in early trading in Saltmere.",
        "The council in {place} voted {n} to {n2} in favour of the proposal on {weekday} evening.",
        "Critics say the {thing} was {verb} without a proper consultation.",
        "A similar {thing} in {place2} was {verb} {n} {unit} ago and has since been copied elsewhere.",
        "The {inst} has set aside {money} million crowns for repairs along the Kell.",
        "Talks between {company} and the {inst} are expected to resume {when}.",
        "Passengers between {place} and {place2} face delays of up to {n} minutes while the work goes on.",
        "It is the {ordinal} time in {n} {unit} that the {thing} has been {verb}.",
        "Opposition members called the figures \u201cunrealistic\u201d and asked for an independent audit.",
        "The {inst} said it had received {count} comments during the consultation.",
    ]
    VERBS_INF = ["finish", "pause", "review", "speed up", "hand over",
                 "sell", "expand", "reconsider"]
    ORDINALS = ["second", "third", "fourth", "fifth"]

    def sentence(self):
        s = self.c(self.SENTENCES)
        s = s.replace("{verb_inf}", self.c(self.VERBS_INF))
        s = s.replace("{ordinal}", self.c(self.ORDINALS))
        if "{n} to {n2}" in s:
            yes = self.r.randint(5, 21)
            s = s.replace("{n} to {n2}", "%d to %d" % (yes, self.r.randint(0, yes - 1)))
        return self.fill(s)

    def quote(self):
        q = self.fill(self.c(QUOTES))
        who = self.person()
        if self.r.random() < 0.5:
            return "\u201c%s,\u201d said %s, %s." % (q, who, self.role())
        return "%s, %s, said: \u201c%s.\u201d" % (who, self.role(), q)

    def title(self):
        forms = [
            "{place} {head} {thing} plan",
            "{inst} {head} {thing} after {cause}",
            "{company} {head} {money}bn-crown deal",
            "{thing} in {place}: what the decision means",
            "Residents of {place} split over {thing}",
            "{pct}% rise in {section_l} costs, figures show",
            "{company} shares jump after {inst} ruling",
            "Why the {thing} in {place} keeps being delayed",
            "Live: {place} council votes on {thing}",
            "{inst} warns of delays to {thing}",
        ]
        t = self.fill(self.c(forms).replace("{head}", self.c(HEAD_VERBS))
                      .replace("{section_l}", self.c(SECTIONS).lower()))
        return t[0].upper() + t[1:]


# ---- dates -----------------------------------------------------------------

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
          "Nov", "Dec"]
WDAY = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
# (name, offset minutes) for zone names RFC 822 knows
ZONES = [("GMT", 0), ("UT", 0), ("EST", -300), ("EDT", -240), ("CST", -360),
         ("PST", -480), ("MDT", -360)]
# The corpus lies in Oct-Nov 2026; times are seconds since the epoch.
EPOCH0 = 1790812800  # 2026-10-01T00:00:00Z


def civil(t):
    """UTC (y, mo, d, h, mi, s, wday) of epoch seconds t (no time module:
    the output must not depend on the machine's zone)."""
    days, rem = divmod(t, 86400)
    h, rem = divmod(rem, 3600)
    mi, s = divmod(rem, 60)
    wday = (days + 3) % 7  # 1970-01-01 was a Thursday (Mon = 0)
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    mo = mp + 3 if mp < 10 else mp - 9
    return (y + (mo <= 2), mo, d, h, mi, s, wday)


def rfc822(t, style, rng):
    """t in one of the RFC 822 / 1123 shapes feeds use."""
    if style == "gmt":
        off, zone = 0, "GMT"
    elif style == "plus0000":
        off, zone = 0, "+0000"
    elif style == "numeric":
        off = rng.choice([60, 120, -300, -240, 330, 0, 60])
        zone = "%s%02d%02d" % ("+" if off >= 0 else "-", abs(off) // 60, abs(off) % 60)
    else:  # zone names, no weekday, short forms
        zone, off = rng.choice(ZONES)
    y, mo, d, h, mi, s, wd = civil(t + off * 60)
    if style == "names":
        form = rng.randrange(4)
        if form == 0:   # no weekday
            return "%02d %s %d %02d:%02d:%02d %s" % (d, MONTHS[mo - 1], y, h, mi, s, zone)
        if form == 1:   # one-digit day, no seconds
            return "%s, %d %s %d %02d:%02d %s" % (WDAY[wd], d, MONTHS[mo - 1], y, h, mi, zone)
        if form == 2:   # two-digit year (RFC 822 as first written)
            return "%s, %02d %s %02d %02d:%02d:%02d %s" % (WDAY[wd], d, MONTHS[mo - 1], y % 100, h, mi, s, zone)
    return "%s, %02d %s %d %02d:%02d:%02d %s" % (WDAY[wd], d, MONTHS[mo - 1], y, h, mi, s, zone)


def rfc3339(t, style, rng):
    """t in one of the RFC 3339 / W3CDTF shapes feeds use."""
    if style == "z":
        off = 0
    else:
        off = rng.choice([60, 120, -300, -420, 0, 330])
    y, mo, d, h, mi, s, _ = civil(t + off * 60)
    zone = "Z" if (off == 0 and style != "offset") else "%s%02d:%02d" % (
        "+" if off >= 0 else "-", abs(off) // 60, abs(off) % 60)
    if style == "fraction":
        return "%04d-%02d-%02dT%02d:%02d:%02d.%03d%s" % (y, mo, d, h, mi, s, rng.randrange(1000), zone)
    if style == "minutes":   # W3CDTF allows hh:mm
        return "%04d-%02d-%02dT%02d:%02d%s" % (y, mo, d, h, mi, zone)
    return "%04d-%02d-%02dT%02d:%02d:%02d%s" % (y, mo, d, h, mi, s, zone)


# ---- one feed's items --------------------------------------------------------

def slug(text):
    out, dash = [], False
    for ch in text.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")[:60]


class Item:
    pass


def make_items(w, outlet, host, n, start, rng):
    """n items, newest first, of one outlet."""
    items = []
    t = start
    staff = [w.person() for _ in range(rng.randint(3, 8))]
    for k in range(n):
        it = Item()
        it.num = rng.randint(1000, 99999) * 10 + k
        it.title = w.title()
        section = w.c(SECTIONS)
        it.section = section
        it.slug = slug(it.title)
        it.path = "/%s/2026/%s/%s-%d" % (slug(section), "11", it.slug, it.num)
        it.link = "https://%s%s" % (host, it.path)
        it.published = t
        it.updated = t + rng.choice([0, 0, 0, 600, 3600, 7200 + rng.randrange(9000)])
        t -= rng.randint(900, 5 * 3600)
        it.authors = rng.sample(staff, 2 if rng.random() < 0.15 else 1)
        cats = [section] + rng.sample(PLACES + THINGS, rng.randint(0, 3))
        it.categories = [c[0].upper() + c[1:] for c in cats]
        it.lead = " ".join(w.sentence() for _ in range(rng.randint(1, 2)))
        it.blocks = make_blocks(w, host, it, rng)
        it.image = "https://cdn.%s/images/2026/%d.jpg" % (host, it.num)
        items.append(it)
    return items


def inline_html(w, host, sentence, rng, relative):
    """A sentence with a link or emphasis now and then."""
    s = escape(sentence)
    r = rng.random()
    if r < 0.25:
        for name in COMPANIES + INSTITUTIONS + PLACES:
            e = escape(name)
            if e in s:
                href = "/topics/%s" % slug(name)
                if not relative:
                    href = "https://%s%s" % (host, href)
                return s.replace(e, '<a href="%s">%s</a>' % (href, e), 1)
    elif r < 0.35:
        words = s.split(" ")
        i = rng.randrange(len(words))
        words[i] = "<em>%s</em>" % words[i]
        return " ".join(words)
    elif r < 0.42:
        return "<strong>%s</strong>" % s
    return s


def make_blocks(w, host, it, rng):
    """The article body as a list of HTML blocks."""
    relative = rng.random() < 0.3
    blocks = []
    blocks.append("<p>%s</p>" % inline_html(w, host, it.lead, rng, relative))
    for b in range(rng.randint(2, 6)):
        r = rng.random()
        if r < 0.62:
            sents = [inline_html(w, host, w.sentence(), rng, relative)
                     for _ in range(rng.randint(2, 4))]
            if rng.random() < 0.3:
                sents.append(escape(w.quote()))
            blocks.append("<p>%s</p>" % " ".join(sents))
        elif r < 0.72:
            blocks.append("<h2>%s</h2>" % escape(w.c(SUBHEADS)))
        elif r < 0.82:
            blocks.append("<blockquote><p>%s</p></blockquote>" % escape(w.quote()))
        elif r < 0.9:
            lis = "".join("<li>%s</li>" % escape(w.sentence()) for _ in range(rng.randint(2, 4)))
            blocks.append("<ul>%s</ul>" % lis)
        else:
            cap = escape("%s in %s. Photo: %s" % (
                w.c(THINGS).capitalize(), w.c(PLACES), w.person()))
            blocks.append(
                '<figure><img src="https://cdn.%s/images/2026/%d-%d.jpg" '
                'alt="%s" width="1200" height="800" loading="lazy">'
                "<figcaption>%s</figcaption></figure>" % (host, it.num, b, cap, cap))
    return blocks


def cdata(html):
    return "<![CDATA[%s]]>" % html.replace("]]>", "]]]]><![CDATA[>")


# ---- the formats --------------------------------------------------------------

def rss_blog(w, name, host, items, rng, url):
    """WordPress-style RSS 2.0."""
    date_style = rng.choice(["plus0000", "plus0000", "gmt", "numeric"])
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
           ' xmlns:wfw="http://wellformedweb.org/CommentAPI/"'
           ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
           ' xmlns:atom="http://www.w3.org/2005/Atom"'
           ' xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"'
           ' xmlns:slash="http://purl.org/rss/1.0/modules/slash/">',
           "<channel>",
           "\t<title>%s</title>" % escape(name),
           '\t<atom:link href=%s rel="self" type="application/rss+xml" />' % quoteattr(url),
           "\t<link>https://%s</link>" % host,
           "\t<description>%s</description>" % escape("News and notes from %s" % w.c(PLACES)),
           "\t<lastBuildDate>%s</lastBuildDate>" % rfc822(items[0].updated, date_style, rng),
           "\t<language>en-GB</language>",
           "\t<sy:updatePeriod>\n\thourly\t</sy:updatePeriod>",
           "\t<sy:updateFrequency>\n\t1\t</sy:updateFrequency>",
           "\t<generator>https://wordpress.example/?v=6.4.2</generator>"]
    for it in items:
        body = "\n".join(it.blocks)
        excerpt = escape(it.lead[:220].rsplit(" ", 1)[0]) + " [&#8230;]"
        footer = ('<p>The post <a href="%s">%s</a> appeared first on '
                  '<a href="https://%s">%s</a>.</p>' % (it.link, escape(it.title), host, escape(name)))
        out += ["\t<item>",
                "\t\t<title>%s</title>" % escape(it.title),
                "\t\t<link>%s</link>" % it.link,
                "\t\t<comments>%s#respond</comments>" % it.link,
                "\t\t<dc:creator>%s</dc:creator>" % cdata(it.authors[0]),
                "\t\t<pubDate>%s</pubDate>" % rfc822(it.published, date_style, rng)]
        out += ["\t\t<category>%s</category>" % cdata(c) for c in it.categories]
        out += ['\t\t<guid isPermaLink="false">https://%s/?p=%d</guid>' % (host, it.num),
                "\t\t<description>%s</description>" % cdata("<p>%s</p>\n%s" % (excerpt, footer)),
                "\t\t<content:encoded>%s</content:encoded>" % cdata(body + "\n" + footer),
                "\t\t<wfw:commentRss>%s/feed/</wfw:commentRss>" % it.link,
                "\t\t<slash:comments>%d</slash:comments>" % rng.randint(0, 40),
                "\t</item>"]
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def rss_newsroom(w, name, host, items, rng, url):
    """A news organisation's RSS 2.0."""
    date_style = rng.choice(["gmt", "numeric", "names", "names", "plus0000"])
    with_content = rng.random() < 0.8
    out = ['<?xml version="1.0" encoding="%s"?>' % "{{ENCODING}}",
           '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"'
           ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
           ' xmlns:dc="http://purl.org/dc/elements/1.1/">',
           "<channel>",
           "<title>%s - %s</title>" % (escape(name), w.c(SECTIONS)),
           "<link>https://%s/</link>" % host,
           "<description>The latest from %s</description>" % escape(name),
           "<language>en</language>",
           "<copyright>Copyright 2026 %s. All rights reserved.</copyright>" % escape(name),
           "<pubDate>%s</pubDate>" % rfc822(items[0].published, date_style, rng),
           "<ttl>%d</ttl>" % rng.choice([5, 10, 15, 30, 60]),
           "<image><url>https://%s/static/logo.png</url><title>%s</title>"
           "<link>https://%s/</link></image>" % (host, escape(name), host)]
    permalink = rng.random() < 0.5
    for it in items:
        author = it.authors[0]
        email = slug(author).replace("-", ".") + "@" + host
        desc = "<p>%s</p>" % escape(it.lead)
        if rng.random() < 0.3:
            desc += '<p><a href="%s">Read more</a></p>' % it.link
        out += ["<item>",
                "<title>%s</title>" % escape(it.title),
                "<link>%s?ref=rss</link>" % it.link if rng.random() < 0.2 else
                "<link>%s</link>" % it.link,
                "<description>%s</description>" % escape(desc),
                ("<author>%s (%s)</author>" % (email, escape(" and ".join(it.authors))))
                if rng.random() < 0.6 else
                "<dc:creator>%s</dc:creator>" % escape(", ".join(it.authors)),
                "<pubDate>%s</pubDate>" % rfc822(it.published, date_style, rng)]
        out += ['<category domain="https://%s/topics">%s</category>' % (host, escape(c))
                for c in it.categories]
        if permalink:
            out.append("<guid>%s</guid>" % it.link)
        else:
            out.append('<guid isPermaLink="false">%s-%d</guid>' % (slug(name), it.num))
        if rng.random() < 0.7:
            out.append('<media:content url="%s" medium="image" width="1200" height="800">'
                       "<media:credit>%s</media:credit></media:content>"
                       % (it.image, escape(w.person())))
        elif rng.random() < 0.5:
            out.append('<enclosure url="%s" length="%d" type="image/jpeg"/>'
                       % (it.image, rng.randint(40000, 400000)))
        if with_content:
            out.append("<content:encoded>%s</content:encoded>" % cdata("\n".join(it.blocks)))
        out.append("</item>")
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def atom(w, name, host, items, rng, url):
    """Atom 1.0."""
    xhtml = rng.random() < 0.2
    date_style = rng.choice(["z", "offset", "fraction", "z"])
    use_base = rng.random() < 0.4
    uuid_ids = rng.random() < 0.4
    feed_author = w.person()
    base = ' xml:base="https://%s/"' % host if use_base else ""
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom"%s xml:lang="en">' % base,
           "  <title>%s</title>" % escape(name),
           '  <subtitle type="html">%s</subtitle>' % escape("<em>%s</em> from %s" % (w.c(SECTIONS), escape(name))),
           '  <link rel="alternate" type="text/html" href="https://%s/"/>' % host,
           '  <link rel="self" type="application/atom+xml" href=%s/>' % quoteattr(url),
           "  <id>tag:%s,2026:feed</id>" % host,
           "  <updated>%s</updated>" % rfc3339(items[0].updated, date_style, rng),
           "  <author><name>%s</name></author>" % escape(feed_author),
           '  <generator uri="https://gen.example/" version="2.1">Gen</generator>',
           "  <rights>\u00a9 2026 %s</rights>" % escape(name)]
    for it in items:
        eid = ("urn:uuid:%s" % uuid.UUID(int=rng.getrandbits(128), version=4)) if uuid_ids \
            else "tag:%s,2026-11:%d" % (host, it.num)
        href = it.path.lstrip("/") if use_base else it.link
        html_title = rng.random() < 0.15
        title = ('<title type="html">%s</title>' % escape("<b>%s</b>" % escape(it.title))) \
            if html_title else "<title>%s</title>" % escape(it.title)
        out += ["  <entry>", "    " + title,
                '    <link rel="alternate" type="text/html" href="%s"/>' % href,
                "    <id>%s</id>" % eid,
                "    <published>%s</published>" % rfc3339(it.published, date_style, rng),
                "    <updated>%s</updated>" % rfc3339(it.updated, date_style, rng)]
        if rng.random() < 0.85:     # else the feed's author
            for a in it.authors:
                out.append("    <author><name>%s</name><uri>https://%s/people/%s</uri></author>"
                           % (escape(a), host, slug(a)))
        out += ['    <category term="%s" label="%s"/>' % (slug(c), escape(c)) for c in it.categories]
        if rng.random() < 0.5:
            out.append('    <summary type="html">%s</summary>' % escape("<p>%s</p>" % escape(it.lead)))
        else:
            out.append("    <summary>%s</summary>" % escape(it.lead))
        if xhtml:
            out.append('    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">%s</div></content>'
                       % "".join(b.replace('loading="lazy">', 'loading="lazy"/>') for b in it.blocks))
        else:
            out.append('    <content type="html">%s</content>' % escape("\n".join(it.blocks)))
        if rng.random() < 0.2:
            out.append('    <link rel="enclosure" type="image/jpeg" length="123456" href="%s"/>' % it.image)
        out.append("  </entry>")
    out += ["</feed>", ""]
    return "\n".join(out)


def rdf(w, name, host, items, rng, url):
    """RSS 1.0."""
    with_content = rng.random() < 0.5
    date_style = rng.choice(["offset", "z", "minutes"])
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
           ' xmlns="http://purl.org/rss/1.0/"'
           ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
           ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
           ' xmlns:syn="http://purl.org/rss/1.0/modules/syndication/">',
           '<channel rdf:about=%s>' % quoteattr(url),
           "<title>%s</title>" % escape(name),
           "<link>https://%s/</link>" % host,
           "<description>%s</description>" % escape("Reports from %s and %s" % (w.c(PLACES), w.c(PLACES))),
           "<dc:language>en</dc:language>",
           "<dc:date>%s</dc:date>" % rfc3339(items[0].published, date_style, rng),
           "<syn:updatePeriod>hourly</syn:updatePeriod>",
           "<items><rdf:Seq>"]
    out += ['<rdf:li rdf:resource="%s"/>' % it.link for it in items]
    out += ["</rdf:Seq></items>", "</channel>"]
    for it in items:
        out += ['<item rdf:about="%s">' % it.link,
                "<title>%s</title>" % escape(it.title),
                "<link>%s</link>" % it.link,
                "<description>%s</description>" % escape(it.lead),
                "<dc:creator>%s</dc:creator>" % escape(", ".join(it.authors)),
                "<dc:date>%s</dc:date>" % rfc3339(it.published, date_style, rng)]
        out += ["<dc:subject>%s</dc:subject>" % escape(c) for c in it.categories]
        if with_content:
            out.append("<content:encoded>%s</content:encoded>" % cdata("\n".join(it.blocks)))
        out.append("</item>")
    out += ["</rdf:RDF>", ""]
    return "\n".join(out)


def json_feed(w, name, host, items, rng, url):
    """JSON Feed 1.1."""
    date_style = rng.choice(["z", "offset", "fraction"])
    text_only = rng.random() < 0.15
    numeric_ids = rng.random() < 0.2
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": name,
        "home_page_url": "https://%s/" % host,
        "feed_url": url,
        "description": "Stories from %s" % w.c(PLACES),
        "icon": "https://%s/icon-512.png" % host,
        "language": "en-GB",
        "authors": [{"name": name, "url": "https://%s/about" % host}],
        "items": [],
    }
    for it in items:
        e = {"id": it.num if numeric_ids else "%s/%d" % (host, it.num),
             "url": it.link, "title": it.title}
        if text_only:
            e["content_text"] = "\n\n".join([it.lead] + [w.sentence() for _ in range(3)])
        else:
            e["content_html"] = "\n".join(it.blocks)
        e["summary"] = it.lead
        e["image"] = it.image
        e["date_published"] = rfc3339(it.published, date_style, rng)
        if it.updated != it.published:
            e["date_modified"] = rfc3339(it.updated, date_style, rng)
        e["authors"] = [{"name": a, "url": "https://%s/people/%s" % (host, slug(a))}
                        for a in it.authors]
        e["tags"] = it.categories
        feed["items"].append(e)
    indent = rng.choice([None, 2, "\t"])
    return json.dumps(feed, ensure_ascii=rng.random() < 0.3, indent=indent) + "\n"


FORMATS = [("rss", 45), ("atom", 25), ("rdf", 10), ("json", 20)]


def main():
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n")[0])
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default="build/bench/feeds/corpus")
    args = ap.parse_args()
    if args.feeds < 1 or args.feeds > 100000:
        sys.exit("%s: --feeds must be 1..100000" % PROG)
    os.makedirs(args.out, exist_ok=True)
    for f in os.listdir(args.out):     # earlier feeds and lists only
        if f.endswith((".xml", ".json", ".list", ".tmp")):
            os.remove(os.path.join(args.out, f))

    rng = random.Random(args.seed)
    w = World(rng)
    # The formats in their shares, in a shuffled order.
    kinds = []
    for fmt, share in FORMATS:
        kinds += [fmt] * round(args.feeds * share / 100)
    while len(kinds) < args.feeds:
        kinds.append("rss")
    kinds = kinds[:args.feeds]
    rng.shuffle(kinds)

    lines, n_items, n_bytes, by_fmt = [], 0, 0, {}
    for i, fmt in enumerate(kinds):
        name, site = OUTLETS[i % len(OUTLETS)]
        edition = i // len(OUTLETS)
        if edition:
            name = "%s %s" % (name, ["", "Local", "Business", "Sport", "Culture",
                                     "Opinion", "Science", "Regions", "Travel"][edition % 9]
                              or "Extra")
        host = "%s.example" % site
        n = rng.randint(20, 50)
        start = EPOCH0 + rng.randint(40, 60) * 86400 + rng.randrange(86400)
        items = make_items(w, name, host, n, start, rng)
        encoding = "UTF-8"
        if fmt == "rss":
            style = "blog" if rng.random() < 0.45 else "newsroom"
            ext = ".xml"
            url = "https://%s/%s/%s" % (host, slug(name), "feed/" if style == "blog" else "rss.xml")
            if style == "blog":
                text = rss_blog(w, name, host, items, rng, url)
            else:
                text = rss_newsroom(w, name, host, items, rng, url)
                r = rng.random()
                encoding = "ISO-8859-1" if r < 0.08 else "windows-1252" if r < 0.14 else "UTF-8"
                text = text.replace("{{ENCODING}}", encoding)
            stem = "%03d-%s-%s" % (i, site, style)
        elif fmt == "atom":
            url = "https://%s/%s/atom.xml" % (host, slug(name))
            text, ext, stem = atom(w, name, host, items, rng, url), ".xml", "%03d-%s-atom" % (i, site)
        elif fmt == "rdf":
            url = "https://%s/%s/index.rdf" % (host, slug(name))
            text, ext, stem = rdf(w, name, host, items, rng, url), ".xml", "%03d-%s-rdf" % (i, site)
        else:
            url = "https://%s/%s/feed.json" % (host, slug(name))
            text, ext, stem = json_feed(w, name, host, items, rng, url), ".json", "%03d-%s-json" % (i, site)
        if encoding == "UTF-8":
            data = text.encode("utf-8")
            if fmt == "atom" and rng.random() < 0.05:
                data = b"\xef\xbb\xbf" + data
        else:
            codec = "iso-8859-1" if encoding == "ISO-8859-1" else "cp1252"
            # Inside CDATA a character reference stays as text: the HTML
            # parser reads it later, as it would from a real latin-1 feed.
            data = text.encode(codec, errors="xmlcharrefreplace")
        path = os.path.join(args.out, stem + ext)
        with open(path, "wb") as f:
            f.write(data)
        lines.append("%s\t%s\t%s\t%d\n" % (path, url, fmt, n))
        n_items += n
        n_bytes += len(data)
        s = by_fmt.setdefault(fmt, [0, 0, 0])
        s[0] += 1
        s[1] += n
        s[2] += len(data)
    tmp = os.path.join(args.out, "feeds.list.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.writelines(lines)
    os.replace(tmp, os.path.join(args.out, "feeds.list"))
    print("%s: %d feeds, %d items, %d bytes in %s (%s)" % (
        PROG, args.feeds, n_items, n_bytes, args.out,
        ", ".join("%s %d feeds/%d items/%.1f MB" % (k, v[0], v[1], v[2] / 1e6)
                  for k, v in sorted(by_fmt.items()))), file=sys.stderr)


if __name__ == "__main__":
    main()
