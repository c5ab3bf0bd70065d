/*
 * query.c - parse the search query language (see query.h).
 *
 * The parser only splits and classifies; words become terms through the
 * same analysis as documents (engine.c), so a query and a text agree on
 * case, accents, stems and stop words.
 */
#include "query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "index.h"
#include "storyline.h"
#include "util/mem.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* Read one value at *p: quoted (to the closing quote or the end) or up
 * to white space. */
static char *read_value(const char **p, int *quoted)
{
	const char *s = *p, *end;

	*quoted = *s == '"';
	if (*quoted) {
		s++;
		end = strchr(s, '"');
		if (!end)
			end = s + strlen(s);
		*p = *end ? end + 1 : end;
	} else {
		for (end = s; *end && !is_space(*end); end++)
			;
		*p = end;
	}
	return sl_strndup(s, (size_t)(end - s));
}

static int add_part(sl_query *q, size_t *cap, char *text, int kind,
		    int flags)
{
	if (!*text) {
		free(text);
		return 0;
	}
	if (q->n_parts == SL_QUERY_MAX_PARTS) {
		free(text);
		return sl_error_set(SL_EINVAL, "query has more than %d parts",
				    SL_QUERY_MAX_PARTS);
	}
	sl_grow(&q->parts, cap, q->n_parts + 1, sizeof(*q->parts));
	q->parts[q->n_parts].text = text;
	q->parts[q->n_parts].kind = kind;
	q->parts[q->n_parts].flags = flags;
	q->n_parts++;
	return 0;
}

int sl_query_parse(sl_query *q, const char *text)
{
	const char *p = text;
	size_t cap = 0;
	int rc = 0;

	memset(q, 0, sizeof(*q));
	q->since = q->until = SL_TIME_NONE;
	if (!text)
		return sl_error_set(SL_EINVAL, "empty query");
	if (strlen(text) > SL_QUERY_MAX_BYTES)
		return sl_error_set(SL_EINVAL, "query longer than %d bytes",
				    SL_QUERY_MAX_BYTES);
	while (*p && rc == 0) {
		int flags = 0, quoted;
		const char *colon;
		char *value;

		while (is_space(*p))
			p++;
		if (!*p)
			break;
		if ((*p == '-' || *p == '+') && p[1] && !is_space(p[1])) {
			flags = *p == '-' ? SL_QT_EXCLUDED : SL_QT_REQUIRED;
			p++;
		}
		colon = NULL;
		if (*p != '"') {
			for (const char *s = p; *s && !is_space(*s); s++)
				if (*s == ':') {
					colon = s;
					break;
				}
		}
#define FIELD(name) \
	(colon && (size_t)(colon - p) == strlen(name) && \
	 !strncmp(p, name, strlen(name)) && !flags)
		if (FIELD("outlet") || FIELD("lang") || FIELD("since") ||
		    FIELD("until")) {
			char field[8];

			snprintf(field, sizeof(field), "%.*s",
				 (int)(colon - p), p);
			p = colon + 1;
			value = read_value(&p, &quoted);
			if (!strcmp(field, "outlet")) {
				free(q->outlet);
				q->outlet = value;
			} else if (!strcmp(field, "lang")) {
				free(q->lang);
				q->lang = value;
			} else {
				rc = sl_time_parse_bound(
					!strcmp(field, "since") ? &q->since :
								  &q->until,
					value, !strcmp(field, "until"));
				free(value);
			}
			continue;
		}
#undef FIELD
		value = read_value(&p, &quoted);
		rc = add_part(q, &cap, value,
			      quoted ? SL_PART_PHRASE : SL_PART_WORD, flags);
	}
	if (rc == 0 && !q->n_parts && !q->outlet && !q->lang &&
	    q->since == SL_TIME_NONE && q->until == SL_TIME_NONE)
		rc = sl_error_set(SL_EINVAL, "empty query");
	if (rc < 0)
		sl_query_clear(q);
	return rc;
}

void sl_query_clear(sl_query *q)
{
	for (size_t i = 0; i < q->n_parts; i++)
		free(q->parts[i].text);
	free(q->parts);
	free(q->outlet);
	free(q->lang);
	memset(q, 0, sizeof(*q));
	q->since = q->until = SL_TIME_NONE;
}
