/*
 * html_check.h - what the extraction and sanitizer fuzz targets assert
 * of sanitized HTML: only allowed tags, no attribute outside the
 * allow-list, no URL that is not http(s) or mailto. The sanitizer
 * escapes '<' in text, so every '<' in its output opens a tag.
 */
#ifndef FUZZ_HTML_CHECK_H
#define FUZZ_HTML_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Whether s is valid UTF-8 (no overlong check: the readers' own). */
static inline int fuzz_valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int n = *p < 0x80 ? 0 : (*p >> 5) == 6 ? 1 : (*p >> 4) == 14 ? 2
			: (*p >> 3) == 30 ? 3 : -1;

		if (n < 0)
			return 0;
		p++;
		for (int i = 0; i < n; i++, p++)
			if ((*p & 0xC0) != 0x80)
				return 0;
	}
	return 1;
}

/* Abort unless s (may be NULL) is valid UTF-8, naming what it is. */
static inline void fuzz_check_utf8(const char *who, const char *what,
				   const char *s)
{
	if (s && !fuzz_valid_utf8(s)) {
		fprintf(stderr, "%s: %s is not valid UTF-8\n", who, what);
		abort();
	}
}

static const char *const fuzz_allowed_tags[] = {
	"p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "b", "strong", "i",
	"em", "u", "s", "del", "ins", "sub", "sup", "small", "mark", "q",
	"cite", "abbr", "code", "kbd", "samp", "var", "pre", "blockquote",
	"ul", "ol", "li", "dl", "dt", "dd", "a", "img", "figure",
	"figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr",
	"th", "td", "time", NULL};

static const char *const fuzz_allowed_attrs[] = {
	"href", "title", "rel", "src", "alt", "width", "height", "colspan",
	"rowspan", "start", "datetime", NULL};

static inline int fuzz_in_list(const char *s, size_t n,
			       const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && strncmp(s, *list, n) == 0)
			return 1;
	return 0;
}

static inline void fuzz_fail(const char *what, const char *html,
			     const char *at)
{
	fprintf(stderr, "fuzz: %s at offset %td of:\n%s\n", what, at - html,
		html);
	abort();
}

/* Whether the URL in v[0..end) has a scheme, as a browser's URL parser
 * reads one (leading C0 and space trimmed, tabs and newlines ignored),
 * that is not http, https or mailto. */
static inline int fuzz_bad_scheme(const char *v, const char *end)
{
	char s[32];
	size_t k = 0;

	while (v < end && (unsigned char)*v <= ' ')
		v++;
	for (; v < end; v++) {
		char c = *v;

		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == ':')
			break;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (k && ((c >= '0' && c <= '9') || c == '+' || c == '-' ||
			     c == '.'))))
			return 0; /* no scheme: a relative URL */
		if (k < sizeof(s) - 1)
			s[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	if (v >= end || !k)
		return 0;
	s[k] = '\0';
	return strcmp(s, "http") && strcmp(s, "https") && strcmp(s, "mailto");
}

/* Abort unless html is what the sanitizer may write. */
static inline void fuzz_check_sanitized(const char *html)
{
	for (const char *p = strchr(html, '<'); p; p = strchr(p, '<')) {
		const char *end = strchr(p, '>'), *name = p + 1, *a;
		size_t n;

		if (!end)
			fuzz_fail("unclosed tag", html, p);
		if (*name == '/')
			name++;
		n = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789");
		if (!fuzz_in_list(name, n, fuzz_allowed_tags))
			fuzz_fail("tag not on the allow-list", html, p);
		for (a = name + n; a < end;) {
			const char *value, *close;
			size_t an;

			while (*a == ' ')
				a++;
			if (a >= end)
				break;
			an = strspn(a, "abcdefghijklmnopqrstuvwxyz");
			if (!an || a[an] != '=' || a[an + 1] != '"')
				fuzz_fail("malformed attribute", html, a);
			if (!fuzz_in_list(a, an, fuzz_allowed_attrs))
				fuzz_fail("attribute not on the allow-list",
					  html, a);
			value = a + an + 2;
			close = strchr(value, '"');
			if (!close || close > end)
				fuzz_fail("unterminated attribute", html, a);
			if ((an == 4 && !strncmp(a, "href", 4)) ||
			    (an == 3 && !strncmp(a, "src", 3))) {
				if (fuzz_bad_scheme(value, close))
					fuzz_fail("URL with a scheme that is "
						  "not allowed",
						  html, value);
			}
			a = close + 1;
		}
		p = end;
	}
}

#endif
