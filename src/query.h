/*
 * query.h - the search query language, parsed from what a reader types.
 *
 *   flood warning            words (any of them; more matches rank higher)
 *   "river kell"             a phrase (its words in this order)
 *   +dam -drill              a required word, an excluded word or phrase
 *   outlet:"Meridian Wire"   only this outlet
 *   lang:de                  only this language
 *   since:2026-11-20 until:2026-11-22T12:00:00Z
 *
 * Nothing a reader types is an error: an unclosed quote closes at the
 * end, an unknown "field:" is a word, a bad date is reported. Queries are
 * capped in length and in parts.
 */
#ifndef SL_QUERY_H
#define SL_QUERY_H

#include <stddef.h>
#include <stdint.h>

#define SL_QUERY_MAX_BYTES 2048
#define SL_QUERY_MAX_PARTS 64

enum { SL_PART_WORD = 0, SL_PART_PHRASE = 1 };

typedef struct sl_query_part {
	char *text;
	int kind;  /* SL_PART_* */
	int flags; /* SL_QT_REQUIRED | SL_QT_EXCLUDED (index.h) */
} sl_query_part;

typedef struct sl_query {
	sl_query_part *parts;
	size_t n_parts;
	char *outlet;
	char *lang;
	int64_t since, until; /* SL_TIME_NONE when open */
} sl_query;

/*
 * Parse text into q (caller frees with sl_query_clear). SL_EINVAL for a
 * query that cannot be read (a bad date, over the caps, empty); the
 * message says why.
 */
int sl_query_parse(sl_query *q, const char *text);
void sl_query_clear(sl_query *q);

#endif
