/*
 * fuzz_url.c - fuzz target for the two small parsers of outside strings:
 * sl_url_canonical (article identity) and sl_time_parse (RFC 3339 times
 * from feeds and JSON).
 *
 * The input is one NUL-terminated string (anything after an inner 0x00 is
 * not seen, as in the C API). Invariants, each an abort when broken:
 * - a canonical URL is an http(s) URL without a fragment, and is its own
 *   canonical form (canonicalizing twice changes nothing: two spellings
 *   of one article must meet in one id);
 * - a parsed time formats (sl_time_format) to text that parses back to
 *   the same second;
 * - whatever int64 the first eight bytes make formats to 20 characters
 *   that parse, to the same value when RFC 3339 can write it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storyline.h"

#define TIME_MIN (-62167219200LL) /* 0000-01-01T00:00:00Z */
#define TIME_MAX 253402300799LL   /* 9999-12-31T23:59:59Z */

static void check_url(const char *text)
{
	char *canonical = NULL, *again = NULL;

	if (sl_url_canonical(&canonical, text) != 0) {
		if (canonical)
			abort(); /* failure leaves *out NULL */
		return;
	}
	if (!canonical)
		abort();
	if (strncmp(canonical, "http://", 7) != 0 &&
	    strncmp(canonical, "https://", 8) != 0) {
		fprintf(stderr, "fuzz_url: not http(s): \"%s\"\n", canonical);
		abort();
	}
	if (strchr(canonical, '#')) {
		fprintf(stderr, "fuzz_url: fragment kept: \"%s\"\n", canonical);
		abort();
	}
	if (sl_url_canonical(&again, canonical) != 0) {
		fprintf(stderr,
			"fuzz_url: canonical URL rejected: \"%s\" (%s)\n",
			canonical, sl_error_last());
		abort();
	}
	if (strcmp(canonical, again) != 0) {
		fprintf(stderr,
			"fuzz_url: canonical form not idempotent:\n"
			"  input:  \"%s\"\n  once:   \"%s\"\n  twice:  \"%s\"\n",
			text, canonical, again);
		abort();
	}
	free(canonical);
	free(again);
}

static void check_format(int64_t t, const char *from)
{
	char buf[21];
	int64_t back;

	memset(buf, 'x', sizeof(buf));
	sl_time_format(buf, t);
	if (buf[20] != '\0' || strlen(buf) != 20) {
		fprintf(stderr, "fuzz_url: sl_time_format(%lld) wrote %zu "
				"characters\n",
			(long long)t, strnlen(buf, sizeof(buf)));
		abort();
	}
	if (sl_time_parse(&back, buf) != 0) {
		fprintf(stderr, "fuzz_url: formatted time does not parse: "
				"%lld -> \"%s\"\n",
			(long long)t, buf);
		abort();
	}
	if (from && back != t) {
		fprintf(stderr,
			"fuzz_url: time does not survive format and parse:\n"
			"  input:  \"%s\"\n  parsed: %lld\n  format: \"%s\"\n"
			"  again:  %lld\n",
			from, (long long)t, buf, (long long)back);
		abort();
	}
	if (!from && t >= TIME_MIN && t <= TIME_MAX && back != t) {
		fprintf(stderr, "fuzz_url: %lld -> \"%s\" -> %lld\n",
			(long long)t, buf, (long long)back);
		abort();
	}
}

static void check_time(const char *text)
{
	int64_t t;

	if (sl_time_parse(&t, text) == 0)
		check_format(t, text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	check_url(text);
	check_time(text);
	if (size >= 8) {
		int64_t t;

		memcpy(&t, data, sizeof(t));
		check_format(t, NULL);
	}
	free(text);
	return 0;
}
