/* test_reader.c - reading articles from JSON-lines files and streams. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storyline.h"

#define LINE_A "{\"id\":\"a\",\"title\":\"Leaders meet\"}"
#define LINE_B "{\"id\":\"b\",\"title\":\"Talks end\"}"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

/* A stream holding text[0..len), positioned at its start. */
static FILE *stream_of(const char *text, size_t len)
{
	FILE *fp = tmpfile();

	cr_assert_not_null(fp);
	cr_assert_eq(fwrite(text, 1, len, fp), len);
	rewind(fp);
	return fp;
}

/* A reader over a string literal (NUL bytes included). */
#define OPEN_TEXT(r, fp, lit)                                                \
	do {                                                                  \
		(fp) = stream_of((lit), sizeof(lit) - 1);                     \
		cr_assert_eq(sl_reader_open_stream(&(r), (fp), "feed.jsonl"), \
			     0);                                              \
	} while (0)

/* Expect the next article to have this id and come from this line. */
static void expect_article(sl_reader *r, const char *id, long line)
{
	sl_article *a = NULL;
	int rc = sl_reader_next(r, &a);

	cr_assert_eq(rc, 1, "want article %s, got %d: %s", id, rc,
		     sl_error_last());
	cr_assert_not_null(a);
	cr_assert_str_eq(a->id, id);
	cr_assert_eq(sl_reader_line(r), line, "line of article %s", id);
	sl_article_free(a);
}

/* Expect a rejected line: the code, and a message starting "name:LINE:". */
static void expect_rejected(sl_reader *r, int code, const char *where)
{
	sl_article *a = (sl_article *)1;
	int rc = sl_reader_next(r, &a);

	cr_assert_eq(rc, code, "want %d at %s, got %d (%s)", code, where, rc,
		     sl_error_last());
	cr_assert_null(a);
	cr_assert_eq(strncmp(sl_error_last(), where, strlen(where)), 0,
		     "message \"%s\" should start with \"%s\"",
		     sl_error_last(), where);
}

static void expect_end(sl_reader *r)
{
	sl_article *a = (sl_article *)1;

	cr_assert_eq(sl_reader_next(r, &a), 0, "want the end: %s",
		     sl_error_last());
	cr_assert_null(a);
}

/* A temporary directory for path tests, removed by the test. */
static char *make_dir(void)
{
	char *dir = strdup("/tmp/storyline-test-XXXXXX");

	cr_assert_not_null(mkdtemp(dir));
	return dir;
}

static char *write_file(const char *dir, const char *name, const char *text)
{
	char *path = malloc(strlen(dir) + strlen(name) + 2);
	FILE *fp;

	sprintf(path, "%s/%s", dir, name);
	fp = fopen(path, "wb");
	cr_assert_not_null(fp);
	fputs(text, fp);
	cr_assert_eq(fclose(fp), 0);
	return path;
}

/* ------------------------------------------------------------------ */
/* Streams                                                             */

Test(reader, reads_every_line_then_ends)
{
	sl_reader *r;
	FILE *fp;

	OPEN_TEXT(r, fp, LINE_A "\n" LINE_B "\n");
	cr_assert_eq(sl_reader_line(r), 0);
	expect_article(r, "a", 1);
	expect_article(r, "b", 2);
	expect_end(r);
	expect_end(r); /* the end stays the end */
	sl_reader_free(r);
	fclose(fp);
}

Test(reader, empty_input_ends_at_once)
{
	sl_reader *r;
	FILE *fp = tmpfile();

	cr_assert_eq(sl_reader_open_stream(&r, fp, "empty.jsonl"), 0);
	expect_end(r);
	cr_assert_eq(sl_reader_line(r), 0);
	sl_reader_free(r);
	fclose(fp);
}

Test(reader, blank_lines_skipped_but_counted)
{
	sl_reader *r;
	FILE *fp;

	OPEN_TEXT(r, fp, "\n   \n" LINE_A "\n\t\r\n\n" LINE_B "\n\n \n");
	expect_article(r, "a", 3);
	expect_article(r, "b", 6);
	expect_end(r);
	sl_reader_free(r);
	fclose(fp);
}

Test(reader, bad_line_named_and_reading_goes_on)
{
	sl_reader *r;
	FILE *fp;

	OPEN_TEXT(r, fp, LINE_A "\n\n{\"title\": broken\n" LINE_B "\n");
	expect_article(r, "a", 1);
	expect_rejected(r, SL_EINVAL, "feed.jsonl:3: ");
	cr_assert_eq(sl_reader_line(r), 3);
	expect_article(r, "b", 4);
	expect_end(r);
	sl_reader_free(r);
	fclose(fp);
}

Test(reader, article_without_title_or_body_named)
{
	sl_reader *r;
	FILE *fp;

	OPEN_TEXT(r, fp, LINE_A "\n{\"id\":\"c\",\"url\":\"https://x.example/"
			 "\"}\n" LINE_B "\n");
	expect_article(r, "a", 1);
	expect_rejected(r, SL_EINVAL, "feed.jsonl:2: ");
	cr_assert_not_null(strstr(sl_error_last(), "title"), "%s",
			   sl_error_last());
	expect_article(r, "b", 3);
	sl_reader_free(r);
	fclose(fp);
}

Test(reader, last_line_without_newline)
{
	sl_reader *r;
	FILE *fp;

	OPEN_TEXT(r, fp, LINE_A "\n" LINE_B);
	expect_article(r, "a", 1);
	expect_article(r, "b", 2);
	expect_end(r);
	sl_reader_free(r);
	fclose(fp);
}

Test(reader, crlf_line_ends)
{
	sl_reader *r;
	FILE *fp;

	OPEN_TEXT(r, fp, LINE_A "\r\n\r\n{oops}\r\n" LINE_B "\r\n");
	expect_article(r, "a", 1);
	expect_rejected(r, SL_EINVAL, "feed.jsonl:3: ");
	expect_article(r, "b", 4);
	expect_end(r);
	sl_reader_free(r);
	fclose(fp);
}

Test(reader, byte_order_mark_ignored)
{
	sl_reader *r;
	FILE *fp;

	OPEN_TEXT(r, fp, "\xEF\xBB\xBF" LINE_A "\n" LINE_B "\n");
	expect_article(r, "a", 1);
	expect_article(r, "b", 2);
	expect_end(r);
	sl_reader_free(r);
	fclose(fp);
}

Test(reader, byte_order_mark_on_a_line_of_its_own)
{
	sl_reader *r;
	FILE *fp;

	/* Once the mark is ignored the first line is blank. */
	OPEN_TEXT(r, fp, "\xEF\xBB\xBF\n" LINE_A "\n");
	expect_article(r, "a", 2);
	expect_end(r);
	sl_reader_free(r);
	fclose(fp);
}

Test(reader, html_file_gives_one_error)
{
	sl_reader *r;
	FILE *fp;

	OPEN_TEXT(r, fp, "<!DOCTYPE html>\n<html>\n<body>\n<p>Leaders met."
			 "</p>\n</body>\n</html>\n");
	expect_rejected(r, SL_EINVAL, "feed.jsonl:1: ");
	expect_end(r);
	sl_reader_free(r);
	fclose(fp);
}

Test(reader, xml_feed_with_byte_order_mark_gives_one_error)
{
	sl_reader *r;
	FILE *fp;

	OPEN_TEXT(r, fp, "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<rss>\n"
			 "<channel>\n</channel>\n</rss>\n");
	expect_rejected(r, SL_EINVAL, "feed.jsonl:1: ");
	expect_end(r);
	sl_reader_free(r);
	fclose(fp);
}

Test(reader, html_file_after_blank_line_gives_one_error)
{
	sl_reader *r;
	FILE *fp;

	/* Servers often send a newline before the doctype. */
	OPEN_TEXT(r, fp, "\n<!DOCTYPE html>\n<html>\n<body>\n</body>\n"
			 "</html>\n");
	expect_rejected(r, SL_EINVAL, "feed.jsonl:2: ");
	expect_end(r);
	sl_reader_free(r);
	fclose(fp);
}

Test(reader, angle_bracket_later_is_one_bad_line)
{
	sl_reader *r;
	FILE *fp;

	OPEN_TEXT(r, fp, LINE_A "\n<p>stray</p>\n" LINE_B "\n");
	expect_article(r, "a", 1);
	expect_rejected(r, SL_EINVAL, "feed.jsonl:2: ");
	expect_article(r, "b", 3);
	expect_end(r);
	sl_reader_free(r);
	fclose(fp);
}

Test(reader, invalid_utf8_line_repaired_not_rejected)
{
	sl_reader *r;
	FILE *fp;
	sl_article *a = NULL;

	OPEN_TEXT(r, fp, "{\"id\":\"c\",\"title\":\"Caf\xE9 talks\"}\n");
	cr_assert_eq(sl_reader_next(r, &a), 1, "%s", sl_error_last());
	cr_assert_str_eq(a->title, "Caf\xEF\xBF\xBD talks");
	sl_article_free(a);
	sl_reader_free(r);
	fclose(fp);
}

/* ------------------------------------------------------------------ */
/* The line-length cap                                                 */

/* A JSON line of exactly len bytes (padded with spaces), no newline. */
static void write_padded_line(FILE *fp, const char *id, size_t len)
{
	char head[64];
	size_t n = (size_t)snprintf(head, sizeof(head),
				    "{\"id\":\"%s\",\"title\":\"T\"", id);

	cr_assert(len > n + 1);
	fputs(head, fp);
	for (size_t i = n; i < len - 1; i++)
		fputc(' ', fp);
	fputc('}', fp);
}

Test(reader, too_long_line_rejected_and_next_line_read)
{
	FILE *fp = tmpfile();
	sl_reader *r;

	fputs(LINE_A "\n", fp);
	write_padded_line(fp, "big", SL_MAX_LINE + 1);
	fputs("\n" LINE_B "\n", fp);
	rewind(fp);
	cr_assert_eq(sl_reader_open_stream(&r, fp, "feed.jsonl"), 0);
	expect_article(r, "a", 1);
	expect_rejected(r, SL_ETOOBIG, "feed.jsonl:2: ");
	cr_assert_eq(sl_reader_line(r), 2);
	expect_article(r, "b", 3);
	expect_end(r);
	sl_reader_free(r);
	fclose(fp);
}

Test(reader, line_of_exactly_the_cap_accepted)
{
	FILE *fp = tmpfile();
	sl_reader *r;

	write_padded_line(fp, "max", SL_MAX_LINE);
	fputs("\n" LINE_B "\n", fp);
	rewind(fp);
	cr_assert_eq(sl_reader_open_stream(&r, fp, "feed.jsonl"), 0);
	expect_article(r, "max", 1);
	expect_article(r, "b", 2);
	expect_end(r);
	sl_reader_free(r);
	fclose(fp);
}

Test(reader, too_long_last_line_without_newline)
{
	FILE *fp = tmpfile();
	sl_reader *r;

	fputs(LINE_A "\n", fp);
	write_padded_line(fp, "big", 3 * SL_MAX_LINE);
	rewind(fp);
	cr_assert_eq(sl_reader_open_stream(&r, fp, "feed.jsonl"), 0);
	expect_article(r, "a", 1);
	expect_rejected(r, SL_ETOOBIG, "feed.jsonl:2: ");
	expect_end(r);
	sl_reader_free(r);
	fclose(fp);
}

Test(reader, long_line_across_many_reads_kept_whole)
{
	enum { BODY = 300 * 1024 };
	FILE *fp = tmpfile();
	sl_reader *r;
	sl_article *a = NULL;

	fputs("{\"id\":\"long\",\"body\":\"", fp);
	for (int i = 0; i < BODY; i++)
		fputc("abcdefghij"[i % 10], fp);
	fputs("\"}\n" LINE_B "\n", fp);
	rewind(fp);
	cr_assert_eq(sl_reader_open_stream(&r, fp, "feed.jsonl"), 0);
	cr_assert_eq(sl_reader_next(r, &a), 1, "%s", sl_error_last());
	cr_assert_eq(strlen(a->body_text), BODY);
	cr_assert_eq(a->body_text[BODY - 1], "abcdefghij"[(BODY - 1) % 10]);
	sl_article_free(a);
	expect_article(r, "b", 2);
	expect_end(r);
	sl_reader_free(r);
	fclose(fp);
}

/* ------------------------------------------------------------------ */
/* Files and ownership                                                 */

Test(reader, file_by_path_named_in_messages)
{
	char *dir = make_dir();
	char *path = write_file(dir, "in.jsonl", LINE_A "\n{]\n" LINE_B "\n");
	char where[512];
	sl_reader *r = NULL;

	cr_assert_eq(sl_reader_open(&r, path), 0, "%s", sl_error_last());
	cr_assert_not_null(r);
	expect_article(r, "a", 1);
	snprintf(where, sizeof(where), "%s:2: ", path);
	expect_rejected(r, SL_EINVAL, where);
	expect_article(r, "b", 3);
	expect_end(r);
	sl_reader_free(r);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

Test(reader, missing_file_not_found)
{
	char *dir = make_dir();
	char path[512];
	sl_reader *r = (sl_reader *)1;

	snprintf(path, sizeof(path), "%s/missing.jsonl", dir);
	cr_assert_eq(sl_reader_open(&r, path), SL_ENOTFOUND);
	cr_assert_null(r);
	cr_assert_not_null(strstr(sl_error_last(), path), "%s",
			   sl_error_last());
	rmdir(dir);
	free(dir);
}

Test(reader, directory_is_an_io_error)
{
	char *dir = make_dir();
	sl_reader *r = NULL;
	sl_article *a = NULL;
	int rc = sl_reader_open(&r, dir);

	/* Either the open or the first read must say so. */
	if (rc == 0)
		rc = sl_reader_next(r, &a);
	cr_assert_eq(rc, SL_EIO, "got %d", rc);
	cr_assert_null(a);
	sl_reader_free(r);
	rmdir(dir);
	free(dir);
}

Test(reader, unreadable_stream_is_an_io_error)
{
	char *dir = make_dir();
	char *path = write_file(dir, "out.jsonl", "");
	FILE *fp = fopen(path, "wb"); /* open for writing only */
	sl_reader *r;
	sl_article *a = NULL;

	cr_assert_not_null(fp);
	cr_assert_eq(sl_reader_open_stream(&r, fp, "out.jsonl"), 0);
	cr_assert_eq(sl_reader_next(r, &a), SL_EIO);
	cr_assert_null(a);
	cr_assert_not_null(strstr(sl_error_last(), "out.jsonl"), "%s",
			   sl_error_last());
	sl_reader_free(r);
	fclose(fp);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

Test(reader, stream_stays_open_after_free)
{
	sl_reader *r;
	FILE *fp;

	OPEN_TEXT(r, fp, LINE_A "\n");
	expect_article(r, "a", 1);
	sl_reader_free(r);
	rewind(fp);
	cr_assert_eq(fgetc(fp), '{', "the caller's stream still reads");
	cr_assert_eq(fclose(fp), 0);
}

Test(reader, dash_reads_standard_input)
{
	char *dir = make_dir();
	char *path = write_file(dir, "stdin.jsonl", "{bad\n" LINE_A "\n");
	sl_reader *r = NULL;

	cr_assert_not_null(freopen(path, "rb", stdin));
	cr_assert_eq(sl_reader_open(&r, "-"), 0);
	expect_rejected(r, SL_EINVAL, "<stdin>:1: ");
	expect_article(r, "a", 2);
	expect_end(r);
	sl_reader_free(r);
	/* Standard input is not the reader's to close. */
	rewind(stdin);
	cr_assert_eq(fgetc(stdin), '{');
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

Test(reader, free_null)
{
	sl_reader_free(NULL);
}
