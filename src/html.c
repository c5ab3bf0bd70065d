/*
 * html.c - the parsed page: libxml2's HTML parser set up for hostile
 * input, tag kinds, and the small walks extraction and sanitizing share.
 */
#include <string.h>
#include <strings.h>

#include <libxml/uri.h>

#include "html.h"

static const struct {
	const char *name;
	int tag;
	unsigned kind;
} tags[] = { /* sorted by name for bsearch */
	{"a", T_A, K_INLINE},
	{"abbr", T_ABBR, K_INLINE},
	{"address", T_ADDRESS, K_BLOCK},
	{"amp-img", T_AMP_IMG, K_INLINE},
	{"applet", T_APPLET, K_DROP},
	{"article", T_ARTICLE, K_BLOCK},
	{"aside", T_ASIDE, K_BLOCK},
	{"audio", T_AUDIO, K_DROP},
	{"b", T_B, K_INLINE},
	{"base", T_BASE, K_DROP},
	{"blockquote", T_BLOCKQUOTE, K_BLOCK},
	{"body", T_BODY, K_BLOCK},
	{"br", T_BR, K_INLINE},
	{"button", T_BUTTON, K_DROP},
	{"canvas", T_CANVAS, K_DROP},
	{"caption", T_CAPTION, K_BLOCK},
	{"center", T_CENTER, K_BLOCK},
	{"cite", T_CITE, K_INLINE},
	{"code", T_CODE, K_INLINE},
	{"dd", T_DD, K_BLOCK},
	{"del", T_DEL, K_INLINE},
	{"details", T_DETAILS, K_BLOCK},
	{"dialog", T_DIALOG, K_DROP},
	{"div", T_DIV, K_BLOCK},
	{"dl", T_DL, K_BLOCK},
	{"dt", T_DT, K_BLOCK},
	{"em", T_EM, K_INLINE},
	{"embed", T_EMBED, K_DROP},
	{"fieldset", T_FIELDSET, K_BLOCK},
	{"figcaption", T_FIGCAPTION, K_BLOCK},
	{"figure", T_FIGURE, K_BLOCK},
	{"font", T_FONT, K_INLINE},
	{"footer", T_FOOTER, K_BLOCK},
	{"form", T_FORM, K_BLOCK},
	{"frame", T_FRAME, K_DROP},
	{"frameset", T_FRAMESET, K_DROP},
	{"h1", T_H1, K_BLOCK | K_HEAD},
	{"h2", T_H2, K_BLOCK | K_HEAD},
	{"h3", T_H3, K_BLOCK | K_HEAD},
	{"h4", T_H4, K_BLOCK | K_HEAD},
	{"h5", T_H5, K_BLOCK | K_HEAD},
	{"h6", T_H6, K_BLOCK | K_HEAD},
	{"head", T_HEAD, K_DROP},
	{"header", T_HEADER, K_BLOCK},
	{"hr", T_HR, K_BLOCK},
	{"html", T_HTML, K_BLOCK},
	{"i", T_I, K_INLINE},
	{"iframe", T_IFRAME, K_DROP},
	{"img", T_IMG, K_INLINE},
	{"input", T_INPUT, K_DROP},
	{"ins", T_INS, K_INLINE},
	{"kbd", T_KBD, K_INLINE},
	{"label", T_LABEL, K_INLINE},
	{"li", T_LI, K_BLOCK},
	{"link", T_LINK, K_DROP},
	{"main", T_MAIN, K_BLOCK},
	{"map", T_MAP, K_DROP},
	{"mark", T_MARK, K_INLINE},
	{"math", T_MATH, K_DROP},
	{"menu", T_MENU, K_BLOCK},
	{"meta", T_META, K_DROP},
	{"nav", T_NAV, K_BLOCK},
	{"noembed", T_NOEMBED, K_DROP},
	{"noframes", T_NOFRAMES, K_DROP},
	{"noscript", T_NOSCRIPT, K_DROP},
	{"object", T_OBJECT, K_DROP},
	{"ol", T_OL, K_BLOCK},
	{"option", T_OPTION, K_DROP},
	{"p", T_P, K_BLOCK},
	{"param", T_PARAM, K_DROP},
	{"picture", T_PICTURE, K_INLINE},
	{"plaintext", T_PLAINTEXT, K_DROP},
	{"pre", T_PRE, K_BLOCK},
	{"q", T_Q, K_INLINE},
	{"s", T_S, K_INLINE},
	{"samp", T_SAMP, K_INLINE},
	{"script", T_SCRIPT, K_DROP},
	{"section", T_SECTION, K_BLOCK},
	{"select", T_SELECT, K_DROP},
	{"small", T_SMALL, K_INLINE},
	{"source", T_SOURCE, K_DROP},
	{"span", T_SPAN, K_INLINE},
	{"strike", T_STRIKE, K_INLINE},
	{"strong", T_STRONG, K_INLINE},
	{"style", T_STYLE, K_DROP},
	{"sub", T_SUB, K_INLINE},
	{"summary", T_SUMMARY, K_BLOCK},
	{"sup", T_SUP, K_INLINE},
	{"svg", T_SVG, K_DROP},
	{"table", T_TABLE, K_BLOCK},
	{"tbody", T_TBODY, K_BLOCK},
	{"td", T_TD, K_BLOCK},
	{"template", T_TEMPLATE, K_DROP},
	{"textarea", T_TEXTAREA, K_DROP},
	{"tfoot", T_TFOOT, K_BLOCK},
	{"th", T_TH, K_BLOCK},
	{"thead", T_THEAD, K_BLOCK},
	{"time", T_TIME, K_INLINE},
	{"title", T_TITLE, K_DROP},
	{"tr", T_TR, K_BLOCK},
	{"tt", T_TT, K_INLINE},
	{"u", T_U, K_INLINE},
	{"ul", T_UL, K_BLOCK},
	{"var", T_VAR, K_INLINE},
	{"video", T_VIDEO, K_DROP},
	{"wbr", T_WBR, K_INLINE},
	{"xmp", T_XMP, K_DROP},
};

static unsigned kinds[T_COUNT];

htmlDocPtr sl_html_parse(const char *utf8, size_t len, const char *url)
{
	int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
		      HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
		      HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC;

	if (len > (size_t)0x7fffffff)
		return NULL;
	/* No encoding named: libxml2 then reads the bytes as UTF-8 in place
	 * (naming "UTF-8" runs them through a converter, a copy of every
	 * page), and IGNORE_ENC keeps a <meta charset> from switching it. */
	return htmlReadMemory(utf8, (int)len, url, NULL, options);
}

int sl_html_tag(const xmlNode *n)
{
	size_t lo = 0, hi = sizeof(tags) / sizeof(tags[0]);
	const char *name = (const char *)n->name;

	if (n->type != XML_ELEMENT_NODE || !name)
		return T_OTHER;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, tags[mid].name);

		if (c == 0)
			return tags[mid].tag;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return T_OTHER;
}

unsigned sl_html_kind(int tag)
{
	if (!kinds[T_A]) /* filled once; the same values on every thread */
		for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
			kinds[tags[i].tag] = tags[i].kind;
	return tag > 0 && tag < T_COUNT ? kinds[tag] : 0;
}

void sl_html_hoist_void(xmlNode *n)
{
	static const char *const voids[] = {
		"area", "base", "br", "col", "embed", "hr", "img", "input",
		"keygen", "link", "meta", "param", "source", "track", "wbr",
		NULL};
	xmlNode *after = n;

	if (n->type != XML_ELEMENT_NODE || !n->children)
		return;
	for (const char *const *v = voids; *v; v++) {
		if (strcmp((const char *)n->name, *v) != 0)
			continue;
		while (n->children) {
			xmlNode *c = n->children;

			xmlUnlinkNode(c);
			after = xmlAddNextSibling(after, c);
			if (!after) { /* merged into a text node and freed */
				after = n;
				while (after->next)
					after = after->next;
			}
		}
		return;
	}
}

const char *sl_html_attr(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (strcasecmp((const char *)a->name, name) == 0)
			return a->children && a->children->content
				       ? (const char *)a->children->content
				       : "";
	return NULL;
}

xmlNode *sl_html_next(xmlNode *n, const xmlNode *root, int skip_children)
{
	if (!skip_children && n->type == XML_ELEMENT_NODE && n->children)
		return n->children;
	while (n && n != root) {
		if (n->next)
			return n->next;
		n = n->parent;
	}
	return NULL;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Append text with runs of white space (and U+00A0) as one space. */
static void add_collapsed(sl_buf *b, const char *s)
{
	int space = b->len == 0 || b->data[b->len - 1] == ' ' ||
		    b->data[b->len - 1] == '\n';

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == 0xC2 && (unsigned char)s[1] == 0xA0) {
			s++;
			c = ' ';
		}
		if (is_space(c)) {
			if (!space)
				sl_buf_addc(b, ' ');
			space = 1;
			continue;
		}
		sl_buf_addc(b, (char)c);
		space = 0;
	}
}

void sl_html_text(sl_buf *b, const xmlNode *n)
{
	xmlNode *root = (xmlNode *)n, *c;

	if (n->type != XML_ELEMENT_NODE) {
		if (n->content && (n->type == XML_TEXT_NODE ||
				   n->type == XML_CDATA_SECTION_NODE))
			add_collapsed(b, (const char *)n->content);
		return;
	}
	c = root->children;
	while (c) {
		if (c->type == XML_ELEMENT_NODE) {
			int tag = sl_html_tag(c);
			unsigned kind = sl_html_kind(tag);

			if (kind & K_DROP) {
				c = sl_html_next(c, root, 1);
				continue;
			}
			if ((kind & K_BLOCK) || tag == T_BR || tag == T_TD)
				add_collapsed(b, " ");
		} else if (c->type == XML_TEXT_NODE && c->content) {
			add_collapsed(b, (const char *)c->content);
		}
		c = sl_html_next(c, root, 0);
	}
}

/* Scheme of u (lower case) into out[16]; "" when relative. A scheme of
 * 15 characters or more is cut to its first 15, which no allowed scheme
 * matches: it is still a scheme, not a relative URL. */
static void scheme_of(const char *u, char out[16])
{
	size_t i = 0;

	out[0] = '\0';
	for (; u[i]; i++) {
		char c = u[i];

		if (c == ':') {
			size_t n = i < 15 ? i : 15;

			for (size_t k = 0; k < n; k++)
				out[k] = (char)(u[k] >= 'A' && u[k] <= 'Z'
							? u[k] + 32
							: u[k]);
			out[n] = '\0';
			return;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (i > 0 && ((c >= '0' && c <= '9') || c == '+' ||
				 c == '-' || c == '.'))))
			return;
	}
}

static int allowed_scheme(const char *scheme, int allow_mailto)
{
	return !strcmp(scheme, "http") || !strcmp(scheme, "https") ||
	       (allow_mailto && !strcmp(scheme, "mailto"));
}

/* An absolute URL written the one way: the scheme in lower case, and
 * http(s) followed by "//" and a host ("https:/x" and "https:x" are no
 * web address). NULL when it is not. */
static char *absolute(const char *url, const char *scheme)
{
	size_t n = strlen(scheme);
	char *out;

	if (strcmp(scheme, "mailto") != 0 &&
	    (strncmp(url + n, "://", 3) != 0 || !url[n + 3] ||
	     url[n + 3] == '/'))
		return NULL;
	out = sl_strdup(url);
	memcpy(out, scheme, n); /* scheme_of gave it in lower case */
	return out;
}

char *sl_html_url(const char *url, const char *base, int allow_mailto)
{
	sl_buf clean = {0};
	char scheme[16];
	char *out = NULL;
	xmlChar *built;

	/* Browsers drop tabs and newlines anywhere and trim C0 and space. */
	while (*url && (unsigned char)*url <= ' ')
		url++;
	for (const char *p = url; *p; p++)
		if (*p != '\t' && *p != '\n' && *p != '\r')
			sl_buf_addc(&clean, *p);
	while (clean.len && (unsigned char)clean.data[clean.len - 1] <= ' ')
		clean.data[--clean.len] = '\0';
	if (!clean.len)
		goto done;
	scheme_of(clean.data, scheme);
	if (scheme[0]) {
		if (allowed_scheme(scheme, allow_mailto))
			out = absolute(clean.data, scheme);
		goto done;
	}
	if (!base) {
		/* Relative and nothing to resolve against: keep it if it
		 * cannot be read as a scheme by anyone. */
		out = sl_strdup(clean.data);
		goto done;
	}
	built = xmlBuildURI((const xmlChar *)clean.data,
			    (const xmlChar *)base);
	if (built) {
		scheme_of((const char *)built, scheme);
		if (allowed_scheme(scheme, allow_mailto))
			out = absolute((const char *)built, scheme);
		xmlFree(built);
	}
done:
	sl_buf_free(&clean);
	return out;
}

char *sl_html_host(const char *url)
{
	const char *h = url ? strstr(url, "://") : NULL;
	size_t n;

	if (!h)
		return NULL;
	h += 3;
	if (strncasecmp(h, "www.", 4) == 0)
		h += 4;
	n = strcspn(h, "/:?#");
	return n ? sl_strndup(h, n) : NULL;
}

void sl_html_escape(sl_buf *b, const char *s, size_t n)
{
	size_t start = 0;

	for (size_t i = 0; i < n; i++) {
		const char *rep;

		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		sl_buf_add(b, s + start, i - start);
		sl_buf_adds(b, rep);
		start = i + 1;
	}
	sl_buf_add(b, s + start, n - start);
}

/* A src that only holds the place of the real image. */
static int placeholder(const char *src)
{
	return !*src || strncasecmp(src, "data:", 5) == 0 ||
	       strstr(src, "blank.") || strstr(src, "placeholder") ||
	       strstr(src, "spacer.") || strstr(src, "pixel.") ||
	       strstr(src, "lazy") || strstr(src, "1x1");
}

/* The first URL of a srcset ("a.jpg 1x, b.jpg 2x"). */
static char *first_of_srcset(const char *set, const char *base)
{
	const char *end;
	char *url, *out;

	while (*set == ' ' || *set == ',')
		set++;
	end = set;
	while (*end && *end != ' ' && *end != ',')
		end++;
	if (end == set)
		return NULL;
	url = sl_strndup(set, (size_t)(end - set));
	out = sl_html_url(url, base, 0);
	free(url);
	return out;
}

char *sl_html_img_src(const xmlNode *img, const char *base)
{
	static const char *const lazy[] = {
		"data-src", "data-original", "data-lazy-src", "data-url",
		"data-hi-res-src", "data-full-src", "data-lazy"};
	const char *src = sl_html_attr(img, "src"), *set;

	if (src && !placeholder(src))
		return sl_html_url(src, base, 0);
	for (size_t i = 0; i < sizeof(lazy) / sizeof(lazy[0]); i++) {
		const char *v = sl_html_attr(img, lazy[i]);

		if (v && *v && strncasecmp(v, "data:", 5) != 0)
			return sl_html_url(v, base, 0);
	}
	set = sl_html_attr(img, "data-srcset");
	if (!set)
		set = sl_html_attr(img, "srcset");
	if (set && *set)
		return first_of_srcset(set, base);
	return src && *src && strncasecmp(src, "data:", 5) != 0
		       ? sl_html_url(src, base, 0)
		       : NULL;
}
