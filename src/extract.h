/*
 * extract.h - extraction's insides that benchmarks read: where the time
 * of this thread's sl_extract calls went.
 */
#ifndef SL_EXTRACT_H
#define SL_EXTRACT_H

#include <stdint.h>

typedef struct sl_extract_times {
	double decode;   /* character set to UTF-8, scripts emptied */
	double parse;    /* libxml2's HTML parser, every attempt */
	double metadata; /* meta tags, JSON-LD, title, byline, times */
	double body;     /* cleaning, scoring, choosing, tidying */
	double output;   /* text, sanitized HTML, fields */
	uint64_t pages, attempts;
} sl_extract_times;

/* Seconds spent so far in each phase by this thread's calls. */
void sl_extract_times_get(sl_extract_times *out);

#endif
