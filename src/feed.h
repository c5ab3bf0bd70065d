/*
 * feed.h - feeds as they are written: RSS 0.9x and 2.0, RSS 1.0 (RDF),
 * Atom 1.0, JSON Feed 1.0 and 1.1, read into one shape; the feed links
 * an HTML page advertises; OPML lists of feeds.
 */
#ifndef SL_FEED_H
#define SL_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "storyline.h"

enum { SL_FEED_RSS = 1, SL_FEED_RDF, SL_FEED_ATOM, SL_FEED_JSON };

#define SL_FEED_MAX_ITEMS 10000 /* items past this are not read */

typedef struct sl_feed_item {
	char *guid;     /* guid, Atom id, JSON id, rdf:about; or NULL */
	char *link;     /* absolute: resolved against xml:base, the channel
			 * link or the feed's URL */
	char *title;    /* plain text */
	char *author;   /* names, ", " between */
	char *summary;  /* HTML (or text, see summary_text) */
	char *content;  /* the full content, HTML (or text), or NULL */
	int summary_text, content_text; /* 1: plain text, not HTML */
	char *image;    /* enclosure, media:content/thumbnail, JSON image */
	char **categories;
	size_t n_categories;
	int64_t published, updated; /* SL_TIME_NONE when absent or bad */
	int bad_date;   /* a date was given that could not be read */
} sl_feed_item;

typedef struct sl_feed {
	int kind;
	char *title, *link, *lang;
	char *author;    /* the feed's own author: items without one get it */
	int ttl_minutes; /* RSS <ttl>, or 0 */
	sl_feed_item *items;
	size_t n_items;
	size_t bad_dates; /* items whose dates could not be read */
	char *error;      /* why reading stopped early (the items before it
			   * are kept), or NULL */
} sl_feed;

/*
 * Read a feed of len bytes fetched from url (may be NULL) whose HTTP
 * charset was charset (may be NULL). A feed that breaks off keeps the
 * items read before the break, with the reason in f->error. SL_EINVAL
 * when the bytes are no feed at all. Free with sl_feed_free.
 */
int sl_feed_parse(sl_feed **out, const char *data, size_t len,
		  const char *url, const char *charset);
void sl_feed_free(sl_feed *f);

/* The feed links of an HTML page (<link rel="alternate" type=RSS, Atom
 * or JSON Feed>), absolute, in page order; n_out 0 when none. */
int sl_feed_discover(char ***out, size_t *n_out, const char *html,
		     size_t len, const char *url);

/* One feed of an OPML file. */
typedef struct sl_opml_feed {
	char *url, *title, *site, *category; /* category: the outlines
					      * above it, "A/B" */
} sl_opml_feed;

/* The feeds of an OPML document, nested outlines flattened with their
 * path as category. Free with sl_opml_free. */
int sl_opml_parse(sl_opml_feed **out, size_t *n_out, const char *data,
		  size_t len);
void sl_opml_free(sl_opml_feed *feeds, size_t n);

/* An OPML 2.0 document of feeds, grouped by category, that
 * sl_opml_parse reads back to the same list. Caller frees. */
char *sl_opml_write(const sl_opml_feed *feeds, size_t n, const char *title);

#endif
