/*
 * fuzz_date.c - fuzz target for sl_date_parse, the lenient reader of the
 * dates feeds and pages write (RFC 822 in its many spellings, ISO 8601,
 * month names in seven languages).
 *
 * The input is one NUL-terminated string (anything after an inner 0x00 is
 * not seen, as in the C API), in a buffer of exactly its length plus the
 * NUL so that reading past the end shows under AddressSanitizer.
 * Invariants, each an abort when broken:
 * - a refusal is SL_EINVAL with a message and leaves *out alone;
 * - a date lies in years 0000-9999, and formats (sl_time_format) to text
 *   that sl_date_parse and sl_time_parse both read back to the same
 *   second;
 * - parsing is deterministic: the same text again gives the same answer,
 *   and so does the text with a blank before and after it;
 * - whatever sl_time_parse accepts, sl_date_parse reads the same way.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "storyline.h"

#define TIME_MIN  (-62167219200LL) /* 0000-01-01T00:00:00Z */
#define TIME_MAX  253402300799LL   /* 9999-12-31T23:59:59Z */
#define UNTOUCHED 0x5a5a5a5a5a5aLL

static void fail(const char *what, const char *text)
{
	fprintf(stderr, "fuzz_date: %s: \"%s\"\n", what, text);
	abort();
}

/* sl_date_parse with its contract checked; 0 and *out, or -1. */
static int parse(int64_t *out, const char *text)
{
	int64_t t = UNTOUCHED;
	int rc = sl_date_parse(&t, text);

	if (rc != 0) {
		if (rc != SL_EINVAL)
			fail("refused with a code other than SL_EINVAL", text);
		if (t != UNTOUCHED)
			fail("refused but wrote *out", text);
		if (!sl_error_last()[0])
			fail("refused without a message", text);
		return -1;
	}
	if (t < TIME_MIN || t > TIME_MAX)
		fail("a date outside years 0000-9999", text);
	*out = t;
	return 0;
}

static void check(const char *text, size_t len)
{
	int64_t t = 0, again = 0, back = 0, strict = 0;
	int rc = parse(&t, text);
	char buf[21], *padded;

	/* the same answer twice, and with blanks around the text */
	if (parse(&again, text) != rc || (rc == 0 && again != t))
		fail("not deterministic", text);
	padded = malloc(len + 3);
	if (!padded)
		return;
	padded[0] = ' ';
	memcpy(padded + 1, text, len);
	memcpy(padded + 1 + len, " ", 2);
	if (parse(&again, padded) != rc || (rc == 0 && again != t)) {
		fprintf(stderr, "fuzz_date: %s vs %s with blanks around\n",
			rc == 0 ? "accepted" : "refused",
			rc == 0 ? "something else" : "accepted");
		fail("blanks around the text change it", text);
	}
	free(padded);

	if (sl_time_parse(&strict, text) == 0 && (rc != 0 || strict != t))
		fail("reads an RFC 3339 time unlike sl_time_parse", text);
	if (rc != 0)
		return;
	sl_time_format(buf, t);
	if (parse(&back, buf) != 0 || back != t) {
		fprintf(stderr, "fuzz_date: %lld -> \"%s\" -> %lld\n",
			(long long)t, buf, (long long)back);
		fail("a date does not survive format and parse", text);
	}
	if (sl_time_parse(&strict, buf) != 0 || strict != t)
		fail("a formatted date sl_time_parse reads otherwise", text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	check(text, strlen(text));
	free(text);
	return 0;
}
