/*
 * utf8.c - UTF-8 decoding, validation and repair (RFC 3629 rules).
 */
#include "utf8.h"

size_t sl_utf8_decode(const char *str, size_t n, int32_t *out)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c = s[0];
	int32_t cp, min;
	size_t len, i;

	if (c < 0x80) {
		*out = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		goto invalid;
	}
	if (n < len)
		goto invalid;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto invalid;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		goto invalid;
	*out = cp;
	return len;
invalid:
	*out = SL_UTF8_REPLACEMENT;
	return 1;
}

size_t sl_utf8_encode(char *out, int32_t cp)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = SL_UTF8_REPLACEMENT;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Length of the valid prefix of s[0..n). */
static size_t valid_prefix(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		int32_t cp;
		size_t len;

		/* Skip ASCII eight bytes at a time: most text is mostly ASCII. */
		while (i + 8 <= n) {
			uint64_t w;

			__builtin_memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		len = sl_utf8_decode(s + i, n - i, &cp);
		if (cp == SL_UTF8_REPLACEMENT && len == 1)
			return i;
		i += len;
	}
	return n;
}

int sl_utf8_valid(const char *s, size_t n)
{
	return valid_prefix(s, n) == n;
}

void sl_utf8_repair(sl_buf *b, const char *s, size_t n)
{
	static const char replacement[] = "\xEF\xBF\xBD";

	while (n > 0) {
		size_t good = valid_prefix(s, n);
		int32_t cp;

		sl_buf_add(b, s, good);
		s += good;
		n -= good;
		if (n == 0)
			break;
		/* One replacement for each maximal invalid run of bytes. */
		sl_buf_add(b, replacement, 3);
		do {
			s++;
			n--;
		} while (n > 0 && sl_utf8_decode(s, n, &cp) == 1 &&
			 cp == SL_UTF8_REPLACEMENT &&
			 (unsigned char)s[0] >= 0x80);
	}
	if (!b->data)
		sl_buf_add(b, "", 0);
}

size_t sl_utf8_floor(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}
