/*
 * article.h - the article record: life cycle, clean-up of its fields,
 * derived fields (summary, reading time), and its JSON form.
 */
#ifndef SL_ARTICLE_H
#define SL_ARTICLE_H

#include <jansson.h>

#include "util/mem.h"

#include "storyline.h"

/* Words a reader reads in a minute, for the reading time. */
#define SL_WORDS_PER_MINUTE 230

/* Characters a derived summary aims at. */
#define SL_SUMMARY_CHARS 200

/*
 * Tidy the fields in place: control characters dropped, line ends made
 * "\n", one-line fields (title, outlet, byline) on one line with single
 * spaces, outer white space trimmed, empty strings made NULL.
 */
void sl_article_tidy(sl_article *a);

/* The first sentences of text, cut at a word boundary near max_chars
 * characters ("…" added when a sentence had to be cut). Caller frees. */
char *sl_summary_of(const char *text, size_t max_chars);

/* Reading time for a word count: at least one minute. */
int sl_reading_minutes(size_t words);

/* A deep copy of a. */
sl_article *sl_article_copy(const sl_article *a);

/* JSON values of optional fields for the library's JSON output (stories,
 * rails): a string or null, an RFC 3339 time or null. */
json_t *sl_json_str(const char *s);
json_t *sl_json_time(int64_t t);
/* The same written straight into b, for output made often enough that
 * building a jansson tree to print it counts (every rail). s is UTF-8,
 * as everything past the readers is; written as jansson writes it. */
void sl_json_add_str(sl_buf *b, const char *s);
void sl_json_add_time(sl_buf *b, int64_t t);
/* A double as jansson writes it (17 significant digits, ".0" when it
 * would read as an integer). */
void sl_json_add_real(sl_buf *b, double v);

#endif
