/* test_utf8.c - UTF-8 decoding, encoding, validation, repair and cutting. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

#define REPLACEMENT "\xEF\xBF\xBD"

static void expect_decode(const char *s, size_t n, int32_t want_cp,
			  size_t want_len)
{
	int32_t cp = -1;
	size_t len = sl_utf8_decode(s, n, &cp);

	cr_assert_eq(cp, want_cp, "code point of %zu bytes: U+%04X", n,
		     (unsigned)cp);
	cr_assert_eq(len, want_len, "bytes consumed");
}

/* The repaired form of s[0..n), as a C string the caller frees. */
static char *repaired(const char *s, size_t n)
{
	sl_buf b = {0};

	sl_utf8_repair(&b, s, n);
	cr_assert_not_null(b.data);
	return sl_buf_detach(&b);
}

static void expect_repair(const char *s, const char *want)
{
	char *got = repaired(s, strlen(s));

	cr_assert_str_eq(got, want);
	cr_assert(sl_utf8_valid(got, strlen(got)));
	free(got);
}

Test(utf8, decode_each_length)
{
	expect_decode("A", 1, 'A', 1);
	expect_decode("\xC3\xA9", 2, 0xE9, 2);         /* é */
	expect_decode("\xE2\x82\xAC", 3, 0x20AC, 3);   /* € */
	expect_decode("\xF0\x9F\x93\xB0", 4, 0x1F4F0, 4); /* 📰 */
	expect_decode("\xF4\x8F\xBF\xBF", 4, 0x10FFFF, 4);
	expect_decode(REPLACEMENT, 3, 0xFFFD, 3);
}

Test(utf8, decode_reads_one_code_point)
{
	expect_decode("\xC3\xA9t\xC3\xA9", 5, 0xE9, 2);
}

Test(utf8, decode_invalid_consumes_one_byte)
{
	expect_decode("\x80", 1, 0xFFFD, 1);            /* lone continuation */
	expect_decode("\xC0\xAF", 2, 0xFFFD, 1);        /* overlong '/' */
	expect_decode("\xC1\xBF", 2, 0xFFFD, 1);        /* overlong */
	expect_decode("\xE0\x80\xAF", 3, 0xFFFD, 1);    /* overlong */
	expect_decode("\xF0\x80\x80\xAF", 4, 0xFFFD, 1); /* overlong */
	expect_decode("\xED\xA0\x80", 3, 0xFFFD, 1);    /* surrogate */
	expect_decode("\xED\xBF\xBF", 3, 0xFFFD, 1);    /* surrogate */
	expect_decode("\xF4\x90\x80\x80", 4, 0xFFFD, 1); /* past U+10FFFF */
	expect_decode("\xF5\x80\x80\x80", 4, 0xFFFD, 1);
	expect_decode("\xFF", 1, 0xFFFD, 1);
	expect_decode("\xC3(", 2, 0xFFFD, 1);          /* bad continuation */
	expect_decode("\xE2\x82(", 3, 0xFFFD, 1);
}

Test(utf8, decode_truncated_by_length)
{
	/* The bytes are there, but past n: they must not be read. */
	expect_decode("\xE2\x82\xAC", 2, 0xFFFD, 1);
	expect_decode("\xF0\x9F\x93\xB0", 3, 0xFFFD, 1);
	expect_decode("\xC3\xA9", 1, 0xFFFD, 1);
}

Test(utf8, encode_each_length)
{
	static const struct {
		int32_t cp;
		const char *bytes;
	} cases[] = {
		{0x41, "A"},
		{0x7F, "\x7F"},
		{0x80, "\xC2\x80"},
		{0xE9, "\xC3\xA9"},
		{0x7FF, "\xDF\xBF"},
		{0x800, "\xE0\xA0\x80"},
		{0x20AC, "\xE2\x82\xAC"},
		{0xFFFF, "\xEF\xBF\xBF"},
		{0x10000, "\xF0\x90\x80\x80"},
		{0x10FFFF, "\xF4\x8F\xBF\xBF"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[4];
		size_t len = sl_utf8_encode(out, cases[i].cp);

		cr_assert_eq(len, strlen(cases[i].bytes), "U+%04X",
			     (unsigned)cases[i].cp);
		cr_assert_eq(memcmp(out, cases[i].bytes, len), 0, "U+%04X",
			     (unsigned)cases[i].cp);
	}
}

Test(utf8, encode_invalid_gives_replacement)
{
	const int32_t bad[] = {-1, 0xD800, 0xDFFF, 0x110000, INT32_MAX};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char out[4];

		cr_assert_eq(sl_utf8_encode(out, bad[i]), 3);
		cr_assert_eq(memcmp(out, REPLACEMENT, 3), 0);
	}
}

Test(utf8, encode_then_decode_round_trips)
{
	for (int32_t cp = 0; cp <= 0x10FFFF; cp++) {
		char out[4];
		int32_t back = -1;
		size_t len;

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		len = sl_utf8_encode(out, cp);
		cr_assert_eq(sl_utf8_decode(out, len, &back), len);
		cr_assert_eq(back, cp, "U+%04X", (unsigned)cp);
	}
}

Test(utf8, valid)
{
	cr_assert(sl_utf8_valid("", 0));
	cr_assert(sl_utf8_valid("plain ASCII news", 16));
	cr_assert(sl_utf8_valid("Z\xC3\xBCrich \xE2\x82\xAC \xF0\x9F\x93\xB0",
				16));
	/* A NUL byte is valid UTF-8. */
	cr_assert(sl_utf8_valid("a\0b", 3));
}

Test(utf8, invalid)
{
	cr_assert_not(sl_utf8_valid("caf\xE9", 4)); /* Latin-1 */
	cr_assert_not(sl_utf8_valid("\xED\xA0\x80", 3));
	cr_assert_not(sl_utf8_valid("\xC0\xAF", 2));
	cr_assert_not(sl_utf8_valid("ends in \xE2\x82", 10));
	/* Past the eight-byte ASCII fast path. */
	cr_assert_not(sl_utf8_valid("0123456789abcdef\xFF", 17));
	cr_assert_not(sl_utf8_valid("01234567\x80", 9));
}

Test(utf8, valid_respects_length)
{
	/* A sequence cut by n is invalid even if the bytes continue. */
	cr_assert_not(sl_utf8_valid("\xE2\x82\xAC", 2));
	cr_assert(sl_utf8_valid("ab\xFF", 2));
}

Test(utf8, repair_leaves_valid_text_alone)
{
	const char *text = "Z\xC3\xBCrich \xE2\x82\xAC \xF0\x9F\x93\xB0";

	expect_repair(text, text);
}

Test(utf8, repair_latin1)
{
	expect_repair("caf\xE9 cr\xE8me", "caf" REPLACEMENT " cr" REPLACEMENT
					  "me");
}

Test(utf8, repair_one_replacement_per_invalid_run)
{
	expect_repair("a\xFF\xFE\xFD" "b", "a" REPLACEMENT "b");
}

Test(utf8, repair_truncated_sequence)
{
	expect_repair("price \xE2\x82", "price " REPLACEMENT);
	expect_repair("\xE2\x82 euros", REPLACEMENT " euros");
	/* A cut sequence right before a whole one keeps the whole one. */
	expect_repair("\xE2\x82\xE2\x82\xAC", REPLACEMENT "\xE2\x82\xAC");
}

Test(utf8, repair_surrogates_and_overlongs)
{
	expect_repair("x\xED\xA0\x80y", "x" REPLACEMENT "y");
	expect_repair("\xC0\xAF", REPLACEMENT);
}

Test(utf8, repair_keeps_nul_bytes)
{
	char *got = repaired("a\0\xFF", 3);

	cr_assert_eq(memcmp(got, "a\0" REPLACEMENT, 6), 0);
	free(got);
}

Test(utf8, repair_appends)
{
	sl_buf b = {0};

	sl_buf_adds(&b, "title: ");
	sl_utf8_repair(&b, "caf\xE9", 4);
	cr_assert_str_eq(b.data, "title: caf" REPLACEMENT);
	sl_buf_free(&b);
}

Test(utf8, repair_of_nothing_is_empty_string)
{
	sl_buf b = {0};

	sl_utf8_repair(&b, "", 0);
	cr_assert_not_null(b.data);
	cr_assert_str_eq(b.data, "");
	sl_buf_free(&b);
}

Test(utf8, floor_keeps_short_text)
{
	cr_assert_eq(sl_utf8_floor("abc", 3, 10), 3);
	cr_assert_eq(sl_utf8_floor("abc", 3, 3), 3);
}

Test(utf8, floor_cuts_ascii_anywhere)
{
	cr_assert_eq(sl_utf8_floor("abcdef", 6, 4), 4);
	cr_assert_eq(sl_utf8_floor("abcdef", 6, 0), 0);
}

Test(utf8, floor_never_cuts_a_code_point)
{
	/* "a€b": the euro sign takes bytes 1..3. */
	const char *s = "a\xE2\x82\xAC" "b";

	cr_assert_eq(sl_utf8_floor(s, 5, 1), 1);
	cr_assert_eq(sl_utf8_floor(s, 5, 2), 1);
	cr_assert_eq(sl_utf8_floor(s, 5, 3), 1);
	cr_assert_eq(sl_utf8_floor(s, 5, 4), 4);
	cr_assert_eq(sl_utf8_floor("\xF0\x9F\x93\xB0", 4, 3), 0);
}
