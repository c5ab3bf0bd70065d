/*
 * fuzz_feed.c - fuzz target for the feed readers: sl_feed_parse (RSS,
 * RDF, Atom, JSON Feed), sl_opml_parse with sl_opml_write, and
 * sl_feed_discover.
 *
 * The first byte picks the reader ({feed, feed with an HTTP charset,
 * OPML, discovery}[byte % 4]); the rest is the document. Invariants,
 * each an abort when broken:
 * - a feed's texts are valid UTF-8, its links are absolute http(s) URLs,
 *   at most SL_FEED_MAX_ITEMS items, and a refusal leaves no feed;
 * - OPML written from what was read reads back to as many feeds, with
 *   the same URLs;
 * - discovered links are absolute http(s) URLs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "html_check.h"
#include "storyline.h"

static void check_utf8(const char *what, const char *s)
{
	fuzz_check_utf8("fuzz_feed", what, s);
}

static void check_url(const char *what, const char *u)
{
	if (!u)
		return;
	if (strncmp(u, "http://", 7) && strncmp(u, "https://", 8)) {
		fprintf(stderr, "fuzz_feed: %s is not an http(s) URL: %s\n",
			what, u);
		abort();
	}
	check_utf8(what, u);
}

static void feed(const char *data, size_t len, const char *charset)
{
	sl_feed *f = (sl_feed *)1;

	if (sl_feed_parse(&f, data, len, "https://feeds.example.org/a/feed",
			  charset) < 0) {
		if (f)
			abort();
		return;
	}
	if (!f || f->n_items > SL_FEED_MAX_ITEMS)
		abort();
	check_utf8("feed title", f->title);
	check_url("feed link", f->link);
	for (size_t i = 0; i < f->n_items; i++) {
		const sl_feed_item *it = &f->items[i];

		check_url("item link", it->link);
		check_url("item image", it->image);
		check_utf8("title", it->title);
		check_utf8("guid", it->guid);
		check_utf8("author", it->author);
		check_utf8("summary", it->summary);
		check_utf8("content", it->content);
		for (size_t c = 0; c < it->n_categories; c++)
			check_utf8("category", it->categories[c]);
	}
	sl_feed_free(f);
}

static void opml(const char *data, size_t len)
{
	sl_opml_feed *feeds, *again;
	size_t n, n2;
	char *written;

	if (sl_opml_parse(&feeds, &n, data, len) < 0)
		return;
	written = sl_opml_write(feeds, n, "fuzz");
	if (sl_opml_parse(&again, &n2, written, strlen(written)) < 0 ||
	    n2 != n) {
		fprintf(stderr, "fuzz_feed: OPML does not read back:\n%s\n",
			written);
		abort();
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(feeds[i].url, again[i].url) != 0) {
			fprintf(stderr, "fuzz_feed: URL %zu changed: %s -> %s\n",
				i, feeds[i].url, again[i].url);
			abort();
		}
	sl_opml_free(feeds, n);
	sl_opml_free(again, n2);
	free(written);
}

static void discover(const char *data, size_t len)
{
	char **links;
	size_t n;

	if (sl_feed_discover(&links, &n, data, len,
			     "https://news.example.org/") < 0)
		return;
	for (size_t i = 0; i < n; i++)
		check_url("discovered link", links[i]);
	sl_strings_free(links, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *doc = (const char *)data + 1;
	size_t len = size ? size - 1 : 0;

	if (!size)
		return 0;
	switch (data[0] % 4) {
	case 0: feed(doc, len, NULL); break;
	case 1: feed(doc, len, "iso-8859-1"); break;
	case 2: opml(doc, len); break;
	default: discover(doc, len); break;
	}
	return 0;
}
