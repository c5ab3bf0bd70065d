/*
 * reader.c - article input: JSON lines from a file or standard input.
 *
 * Lines are read with a hard cap (SL_MAX_LINE): a longer line is skipped
 * to its end without being held in memory, and reported with its file
 * and line number like any other rejected line. Blank lines are ignored.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "storyline.h"
#include "util/mem.h"

#define CHUNK (64 * 1024)

struct sl_reader {
	FILE *fp;
	int owns_fp;
	char *name;
	long line;
	char chunk[CHUNK];
	size_t pos, end;
	int eof;
	int seen_text; /* a non-blank line was read */
	sl_buf text;
};

int sl_reader_open_stream(sl_reader **out, FILE *fp, const char *name)
{
	sl_reader *r = sl_calloc(1, sizeof(*r));

	r->fp = fp;
	r->name = sl_strdup(name);
	*out = r;
	return 0;
}

int sl_reader_open(sl_reader **out, const char *path)
{
	sl_reader *r;
	FILE *fp;

	*out = NULL;
	if (!strcmp(path, "-")) {
		fp = stdin;
	} else {
		fp = fopen(path, "rb");
		if (!fp)
			return sl_error_set(errno == ENOENT ? SL_ENOTFOUND :
							      SL_EIO,
					    "%s: %s", path, strerror(errno));
	}
	r = sl_calloc(1, sizeof(*r));
	r->fp = fp;
	r->owns_fp = fp != stdin;
	r->name = sl_strdup(!strcmp(path, "-") ? "<stdin>" : path);
	*out = r;
	return 0;
}

void sl_reader_free(sl_reader *r)
{
	if (!r)
		return;
	if (r->owns_fp)
		fclose(r->fp);
	free(r->name);
	sl_buf_free(&r->text);
	free(r);
}

long sl_reader_line(const sl_reader *r)
{
	return r->line;
}

/*
 * Read the next line into r->text (without its newline). Returns 1 for a
 * line, 0 at the end, SL_ETOOBIG for a line over the cap (consumed), or
 * SL_EIO.
 */
static int read_line(sl_reader *r)
{
	int too_big = 0, any = 0;

	sl_buf_clear(&r->text);
	for (;;) {
		char *nl;
		size_t n;

		if (r->pos == r->end) {
			if (r->eof)
				break;
			r->end = fread(r->chunk, 1, CHUNK, r->fp);
			r->pos = 0;
			if (r->end == 0) {
				if (ferror(r->fp))
					return sl_error_set(SL_EIO,
							    "%s: read error: %s",
							    r->name,
							    strerror(errno));
				r->eof = 1;
				break;
			}
		}
		any = 1;
		nl = memchr(r->chunk + r->pos, '\n', r->end - r->pos);
		n = (nl ? (size_t)(nl - r->chunk) : r->end) - r->pos;
		if (!too_big && r->text.len + n > SL_MAX_LINE) {
			too_big = 1;
			sl_buf_clear(&r->text);
		}
		if (!too_big)
			sl_buf_add(&r->text, r->chunk + r->pos, n);
		r->pos += n;
		if (nl) {
			r->pos++;
			break;
		}
	}
	if (!any)
		return 0;
	r->line++;
	if (too_big)
		return SL_ETOOBIG;
	if (r->text.len && r->text.data[r->text.len - 1] == '\r')
		r->text.data[--r->text.len] = '\0';
	return 1;
}

static int blank(const sl_buf *b)
{
	for (size_t i = 0; i < b->len; i++)
		if (!strchr(" \t\r\f\v", b->data[i]))
			return 0;
	return 1;
}

int sl_reader_next(sl_reader *r, sl_article **out)
{
	int rc;

	*out = NULL;
	for (;;) {
		rc = read_line(r);
		if (rc == 0 || rc == SL_EIO)
			return rc;
		if (rc == SL_ETOOBIG)
			return sl_error_set(SL_ETOOBIG,
					    "%s:%ld: line longer than %d bytes",
					    r->name, r->line, SL_MAX_LINE);
		if (r->line == 1 && r->text.len >= 3 &&
		    !memcmp(r->text.data, "\xEF\xBB\xBF", 3)) {
			/* A byte order mark: not part of the text. */
			memmove(r->text.data, r->text.data + 3,
				r->text.len - 2);
			r->text.len -= 3;
		}
		if (!blank(&r->text))
			break;
	}
	if (!r->seen_text) {
		const char *p = r->text.data;

		r->seen_text = 1;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '<') {
			/* Not JSON lines at all: one error for the file, not
			 * one per line. */
			r->eof = 1;
			r->pos = r->end;
			return sl_error_set(SL_EINVAL,
					    "%s:%ld: looks like HTML or XML; "
					    "this version reads JSON lines "
					    "only",
					    r->name, r->line);
		}
	}
	rc = sl_article_from_json(out, r->text.data, r->text.len);
	if (rc < 0)
		return sl_error_prefix(rc, "%s:%ld", r->name, r->line);
	return 1;
}
