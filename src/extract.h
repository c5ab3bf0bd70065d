/*
 * extract.h - extraction's insides that benchmarks read: where the time
 * of this thread's sl_extract calls went.
 */
#ifndef SL_EXTRACT_H
#define SL_EXTRACT_H

#include <stddef.h>
#include <stdint.h>

typedef struct sl_extract_times {
	double decode;   /* character set to UTF-8, scripts emptied */
	double parse;    /* libxml2's HTML parser, every attempt */
	double metadata; /* meta tags, JSON-LD, title, byline, times */
	double body;     /* cleaning, scoring, choosing, tidying */
	double output;   /* text, sanitized HTML, fields */
	uint64_t pages, attempts;
} sl_extract_times;

#include "storyline.h"

/*
 * A clean fragment of article HTML (a feed item's content) into a's
 * body: body_text as paragraphs (the extractor's writer: frame lines
 * and captions kept out of the text), body_html sanitized, captions,
 * and the first image when a has none. Links resolve against base.
 * Fields already set are replaced only by what the fragment has.
 */
void sl_extract_fragment(sl_article *a, const char *html, size_t len,
			 const char *base);

/* Seconds spent so far in each phase by this thread's calls. */
void sl_extract_times_get(sl_extract_times *out);

#endif
