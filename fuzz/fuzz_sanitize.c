/*
 * fuzz_sanitize.c - fuzz target for sl_sanitize_html, the allow-list
 * cleaner of article HTML (feed content, extracted bodies).
 *
 * The input is the HTML fragment; a base URL is given when its first
 * byte is odd, so both the resolving and the relative paths run.
 * Invariants, each an abort when broken:
 * - the output holds only allowed tags and attributes, and no URL
 *   whose scheme is not http, https or mailto (html_check.h);
 * - the output is valid UTF-8 and cleaning it again changes nothing
 *   (what was let through is stable, not an accident of one parse).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html_check.h"
#include "storyline.h"


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *base = size && (data[0] & 1) ? "https://example.org/a/b"
						 : NULL;
	char *once = sl_sanitize_html((const char *)data, size, base);
	char *twice;

	if (!once)
		abort();
	fuzz_check_sanitized(once);
	if (!fuzz_valid_utf8(once)) {
		fprintf(stderr, "fuzz_sanitize: invalid UTF-8 out\n");
		abort();
	}
	twice = sl_sanitize_html(once, strlen(once), base);
	if (strcmp(once, twice) != 0) {
		fprintf(stderr, "fuzz_sanitize: not stable:\n  once:  %s\n"
				"  twice: %s\n",
			once, twice);
		abort();
	}
	free(once);
	free(twice);
	return 0;
}
