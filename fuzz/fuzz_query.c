/*
 * fuzz_query.c - the search query parser on arbitrary bytes: whatever a
 * reader types parses or is refused with a message, never crashes, and
 * what parses is within the caps.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "storyline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	sl_query q;

	memcpy(text, data, size);
	text[size] = '\0';
	if (sl_query_parse(&q, text) == 0) {
		if (q.n_parts > SL_QUERY_MAX_PARTS)
			abort();
		for (size_t i = 0; i < q.n_parts; i++)
			if (!q.parts[i].text[0])
				abort(); /* an empty part */
		sl_query_clear(&q);
	} else if (!sl_error_last()[0]) {
		abort(); /* refused without saying why */
	}
	free(text);
	return 0;
}
