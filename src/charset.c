/*
 * charset.c - page and feed bytes to UTF-8.
 *
 * The order follows the HTML standard's encoding sniffing: a byte-order
 * mark wins, then the transport's label, then a <meta charset> or
 * <meta http-equiv=Content-Type> or an XML declaration in the first
 * bytes; but bytes that are valid UTF-8 beyond ASCII are read as UTF-8
 * whatever a label says. Labels are mapped as browsers map them (ISO-8859-1 and ASCII
 * are read as windows-1252, GB2312 as GB18030, Shift_JIS as CP932),
 * because pages are written for browsers, not for the label's letter.
 */
#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>

#include "charset.h"
#include "util/utf8.h"

#define SNIFF_BYTES 4096 /* how far into the page a declaration counts */

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Copy a label (letters, digits, - _ : .) to out[32], lower case. */
static void copy_label(char out[32], const char *s, size_t n)
{
	size_t k = 0;

	while (n && (*s == ' ' || *s == '"' || *s == '\'')) {
		s++;
		n--;
	}
	for (size_t i = 0; i < n && k < 31; i++) {
		int c = (unsigned char)s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		      c == ':' || c == '.'))
			break;
		out[k++] = (char)lower(c);
	}
	out[k] = '\0';
}

/* Case-insensitive search for needle in s[0..n). */
static const char *find_ci(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle);

	for (size_t i = 0; i + m <= n; i++)
		if (strncasecmp(s + i, needle, m) == 0)
			return s + i;
	return NULL;
}

/*
 * The label a page declares in its first bytes: charset= inside a <meta>
 * tag, or encoding= in an XML declaration. Writes "" when none.
 */
static void sniff_declared(char out[32], const char *s, size_t n)
{
	const char *p = s, *end = s + (n < SNIFF_BYTES ? n : SNIFF_BYTES);

	out[0] = '\0';
	if (end - p > 5 && memcmp(p, "<?xml", 5) == 0) {
		const char *close = memchr(p, '>', (size_t)(end - p));
		const char *enc = close ? find_ci(p, (size_t)(close - p),
						  "encoding=") : NULL;

		if (enc) {
			copy_label(out, enc + 9, (size_t)(close - enc - 9));
			return;
		}
	}
	while ((p = find_ci(p, (size_t)(end - p), "<meta")) != NULL) {
		const char *close = memchr(p, '>', (size_t)(end - p));
		const char *cs;

		if (!close)
			return;
		cs = find_ci(p, (size_t)(close - p), "charset=");
		if (cs) {
			copy_label(out, cs + 8, (size_t)(close - cs - 8));
			if (out[0])
				return;
		}
		p = close;
	}
}

/* The iconv name for a label as browsers read it; NULL for UTF-8. */
static const char *iconv_name(const char *label)
{
	static const struct {
		const char *label, *name;
	} map[] = {
		{"utf-8", NULL},	   {"utf8", NULL},
		{"unicode-1-1-utf-8", NULL},
		{"iso-8859-1", "WINDOWS-1252"}, {"iso8859-1", "WINDOWS-1252"},
		{"latin1", "WINDOWS-1252"},	{"l1", "WINDOWS-1252"},
		{"us-ascii", "WINDOWS-1252"},	{"ascii", "WINDOWS-1252"},
		{"cp1252", "WINDOWS-1252"},	{"windows-1252", "WINDOWS-1252"},
		{"x-cp1252", "WINDOWS-1252"},	{"iso-8859-9", "WINDOWS-1254"},
		{"latin5", "WINDOWS-1254"},	{"gb2312", "GB18030"},
		{"gbk", "GB18030"},		{"x-gbk", "GB18030"},
		{"gb18030", "GB18030"},		{"shift_jis", "CP932"},
		{"shift-jis", "CP932"},		{"sjis", "CP932"},
		{"x-sjis", "CP932"},		{"windows-31j", "CP932"},
		{"euc-kr", "CP949"},		{"ks_c_5601-1987", "CP949"},
		{"big5", "BIG5-HKSCS"},		{"koi8-r", "KOI8-R"},
		{"koi8-u", "KOI8-U"},		{"utf-16", "UTF-16LE"},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(label, map[i].label) == 0)
			return map[i].name;
	return label;
}

/* Convert with iconv; 0 when the label is unknown to iconv. */
static int convert(sl_buf *out, const char *s, size_t n, const char *name)
{
	iconv_t cd = iconv_open("UTF-8", name);
	char *in = (char *)s;
	size_t in_left = n;

	if (cd == (iconv_t)-1)
		return 0;
	sl_buf_reserve(out, n + n / 2 + 16);
	while (in_left) {
		char *o = out->data + out->len;
		size_t o_left = out->cap - out->len - 1;
		size_t r = iconv(cd, &in, &in_left, &o, &o_left);

		out->len = (size_t)(o - out->data);
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG) {
			sl_buf_reserve(out, in_left * 2 + 16);
		} else if (errno == EILSEQ) {
			sl_buf_adds(out, "\xEF\xBF\xBD"); /* U+FFFD */
			in++;
			in_left--;
		} else { /* EINVAL: a sequence cut by the end of input */
			sl_buf_adds(out, "\xEF\xBF\xBD");
			break;
		}
	}
	iconv_close(cd);
	sl_buf_reserve(out, 1);
	out->data[out->len] = '\0';
	return 1;
}

static int has_multibyte(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

void sl_charset_to_utf8(sl_buf *out, const char *bytes, size_t len,
			const char *declared, char used[32])
{
	char label[32] = "";
	const char *name;

	if (len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) {
		bytes += 3;
		len -= 3;
		strcpy(label, "utf-8");
	} else if (len >= 2 && memcmp(bytes, "\xFF\xFE", 2) == 0) {
		bytes += 2;
		len -= 2;
		strcpy(label, "utf-16le");
	} else if (len >= 2 && memcmp(bytes, "\xFE\xFF", 2) == 0) {
		bytes += 2;
		len -= 2;
		strcpy(label, "utf-16be");
	} else if (declared && *declared) {
		copy_label(label, declared, strlen(declared));
	}
	if (!label[0])
		sniff_declared(label, bytes, len);
	/* A page that says UTF-16 in its own ASCII bytes is not UTF-16. */
	if (!declared && strncmp(label, "utf-16", 6) == 0 &&
	    !(len >= 2 && (bytes[0] == 0 || bytes[1] == 0)))
		label[0] = '\0';
	if (!label[0])
		strcpy(label, sl_utf8_valid(bytes, len) ? "utf-8"
							 : "windows-1252");
	/* A label other than UTF-8 on bytes that are valid UTF-8 with
	 * characters past ASCII: the label is stale (a server default, a
	 * page re-saved as UTF-8). Text in a legacy encoding is almost never
	 * valid UTF-8 by chance. A byte-order mark is not second-guessed. */
	else if (strcmp(label, "utf-8") != 0 && strncmp(label, "utf-16", 6) &&
		 has_multibyte(bytes, len) && sl_utf8_valid(bytes, len))
		strcpy(label, "utf-8");
	name = iconv_name(label);
	if (used)
		strcpy(used, label);
	if (name && convert(out, bytes, len, name))
		return;
	if (name && !sl_utf8_valid(bytes, len) &&
	    convert(out, bytes, len, "WINDOWS-1252")) {
		if (used)
			strcpy(used, "windows-1252");
		return;
	}
	sl_utf8_repair(out, bytes, len);
	sl_buf_reserve(out, 1);
	out->data[out->len] = '\0';
}
