/*
 * sanitize.c - the allow-list HTML cleaner.
 *
 * Nothing is copied that is not known to be inert: tags not on the list
 * are unwrapped (their text kept) or, for the ones that hold code, media
 * players or forms, dropped with everything inside; attributes not on
 * the list are dropped, so event handlers and style never pass; URLs go
 * through sl_html_url, which only lets http, https and mailto out. The
 * output is re-serialised from libxml2's tree, never pasted from the
 * input, so comment and CDATA tricks have nothing to hide in.
 */
#include <string.h>

#include "error.h"
#include "sanitize.h"
#include "util/utf8.h"

/* The tag written for an allowed element, or NULL to unwrap it. */
static const char *allowed_tag(int tag)
{
	switch (tag) {
	case T_P: return "p";
	case T_BR: return "br";
	case T_HR: return "hr";
	case T_H1: return "h2"; /* the page's title is not the body's */
	case T_H2: return "h2";
	case T_H3: return "h3";
	case T_H4: return "h4";
	case T_H5: return "h5";
	case T_H6: return "h6";
	case T_B: return "b";
	case T_STRONG: return "strong";
	case T_I: return "i";
	case T_EM: return "em";
	case T_U: return "u";
	case T_S: case T_STRIKE: return "s";
	case T_DEL: return "del";
	case T_INS: return "ins";
	case T_SUB: return "sub";
	case T_SUP: return "sup";
	case T_SMALL: return "small";
	case T_MARK: return "mark";
	case T_Q: return "q";
	case T_CITE: return "cite";
	case T_ABBR: return "abbr";
	case T_CODE: case T_TT: return "code";
	case T_KBD: return "kbd";
	case T_SAMP: return "samp";
	case T_VAR: return "var";
	case T_PRE: return "pre";
	case T_BLOCKQUOTE: return "blockquote";
	case T_UL: return "ul";
	case T_OL: return "ol";
	case T_LI: return "li";
	case T_DL: return "dl";
	case T_DT: return "dt";
	case T_DD: return "dd";
	case T_A: return "a";
	case T_IMG: case T_AMP_IMG: return "img";
	case T_FIGURE: return "figure";
	case T_FIGCAPTION: return "figcaption";
	case T_TABLE: return "table";
	case T_CAPTION: return "caption";
	case T_THEAD: return "thead";
	case T_TBODY: return "tbody";
	case T_TFOOT: return "tfoot";
	case T_TR: return "tr";
	case T_TH: return "th";
	case T_TD: return "td";
	case T_TIME: return "time";
	default: return NULL;
	}
}

/* Dropped with their content: code, players, forms and the like. */
static int dropped(int tag)
{
	return (sl_html_kind(tag) & K_DROP) || tag == T_FORM ||
	       tag == T_FIELDSET || tag == T_LABEL;
}

static int is_void(int tag)
{
	return tag == T_BR || tag == T_HR || tag == T_IMG || tag == T_AMP_IMG;
}

static void add_attr(sl_buf *out, const char *name, const char *value)
{
	sl_buf_addc(out, ' ');
	sl_buf_adds(out, name);
	sl_buf_adds(out, "=\"");
	sl_html_escape(out, value, strlen(value));
	sl_buf_addc(out, '"');
}

/* Copy a numeric attribute (width, colspan, ...) when it is digits. */
static void add_number(sl_buf *out, const xmlNode *n, const char *name)
{
	const char *v = sl_html_attr(n, name);

	if (!v || !*v || strlen(v) > 6 || strspn(v, "0123456789") != strlen(v))
		return;
	add_attr(out, name, v);
}

static void add_text_attr(sl_buf *out, const xmlNode *n, const char *name)
{
	const char *v = sl_html_attr(n, name);

	if (v && *v)
		add_attr(out, name, v);
}

/* Open tag with its allowed attributes; 0 when the element is left out
 * (a link or image whose URL did not pass keeps only its text). */
static int open_tag(sl_buf *out, xmlNode *n, int tag, const char *name,
		    const char *base)
{
	char *url = NULL;

	if (tag == T_IMG || tag == T_AMP_IMG) {
		url = sl_html_img_src(n, base);
		if (!url)
			return 0;
	} else if (tag == T_A) {
		const char *href = sl_html_attr(n, "href");

		url = href ? sl_html_url(href, base, 1) : NULL;
		if (!url)
			return 0;
	}
	sl_buf_addc(out, '<');
	sl_buf_adds(out, name);
	switch (tag) {
	case T_A:
		add_attr(out, "href", url);
		add_text_attr(out, n, "title");
		add_attr(out, "rel", "nofollow noopener noreferrer");
		break;
	case T_IMG: case T_AMP_IMG:
		add_attr(out, "src", url);
		add_text_attr(out, n, "alt");
		add_text_attr(out, n, "title");
		add_number(out, n, "width");
		add_number(out, n, "height");
		break;
	case T_TD: case T_TH:
		add_number(out, n, "colspan");
		add_number(out, n, "rowspan");
		break;
	case T_OL:
		add_number(out, n, "start");
		break;
	case T_ABBR:
		add_text_attr(out, n, "title");
		break;
	case T_TIME:
		add_text_attr(out, n, "datetime");
		break;
	default:
		break;
	}
	sl_buf_addc(out, '>');
	free(url);
	return 1;
}

static int is_white(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* A control character other than white space: it carries nothing, and
 * an article's fields are tidied of it later (sl_article_tidy), so it is
 * left out here, where white space is still folded. (Left in, " DEL "
 * came out as two spaces once tidied, which cleaning again folded: the
 * body was not what a parser reads from it.) */
static int is_control(char c)
{
	return ((unsigned char)c < 0x20 && !is_white(c)) || c == 0x7F;
}

/* Text with runs of white space as one space, except inside <pre>, and
 * without control characters. */
static void add_text(sl_buf *out, const char *s, int in_pre)
{
	size_t start = 0, n = strlen(s);

	for (size_t i = 0; i < n; i++) {
		if (is_control(s[i])) {
			sl_html_escape(out, s + start, i - start);
			start = i + 1;
			continue;
		}
		if (in_pre || !is_white(s[i]))
			continue;
		sl_html_escape(out, s + start, i - start);
		if (!out->len || out->data[out->len - 1] != ' ')
			sl_buf_addc(out, ' ');
		while (i + 1 < n && (is_white(s[i + 1]) || is_control(s[i + 1])))
			i++;
		start = i + 1;
	}
	sl_html_escape(out, s + start, n - start);
}

/*
 * The walk keeps no stack: whether an element was opened is known again
 * on the way out (allowed_tag and the URL check are functions of the
 * node), except for links and images whose URL failed, which are marked
 * in a bit of the node that libxml2 leaves to applications (extra).
 */
#define SKIPPED_TAG 0x4000

static void close_tag(sl_buf *out, xmlNode *n, int *in_pre)
{
	int tag = sl_html_tag(n);
	const char *name = allowed_tag(tag);

	if (tag == T_PRE && *in_pre > 0)
		(*in_pre)--;
	if (!name || is_void(tag))
		return;
	if (n->extra & SKIPPED_TAG) {
		n->extra &= (unsigned short)~SKIPPED_TAG;
		return;
	}
	sl_buf_adds(out, "</");
	sl_buf_adds(out, name);
	sl_buf_addc(out, '>');
}

void sl_sanitize_node(sl_buf *out, xmlNode *root, const char *base)
{
	xmlNode *n = root;
	int in_pre = 0;

	while (n) {
		int descend = 0;

		if (n->type == XML_TEXT_NODE ||
		    n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				add_text(out, (const char *)n->content, in_pre);
		} else if (n->type == XML_ELEMENT_NODE) {
			int tag;

			if (n != root)
				sl_html_hoist_void(n);
			tag = sl_html_tag(n);
			const char *name = allowed_tag(tag);

			if (!dropped(tag)) {
				if (name && !open_tag(out, n, tag, name, base))
					n->extra |= SKIPPED_TAG;
				if (tag == T_PRE)
					in_pre++;
				descend = n->children != NULL &&
					  !is_void(tag);
				if (!descend)
					close_tag(out, n, &in_pre);
			}
		}
		if (descend) {
			n = n->children;
			continue;
		}
		/* Next sibling, or climb, closing what we leave. */
		while (n != root && !n->next) {
			n = n->parent;
			close_tag(out, n, &in_pre);
		}
		n = n == root ? NULL : n->next;
	}
}

char *sl_sanitize_reparse(const char *html, size_t len, const char *base_url)
{
	sl_buf text = {0}, out = {0};
	htmlDocPtr doc;
	xmlNode *body = NULL;

	/* Inside a <div>, so that libxml2 does not wrap loose text in an
	 * implied <p> (a fragment's text is not a paragraph of its own). */
	sl_buf_adds(&text, "<div>");
	sl_utf8_repair(&text, html, len);
	sl_buf_reserve(&text, 1);
	text.data[text.len] = '\0';
	doc = sl_html_parse(text.data, text.len, base_url);
	if (doc) {
		xmlNode *root = xmlDocGetRootElement(doc);

		for (xmlNode *c = root ? root->children : NULL; c; c = c->next)
			if (sl_html_tag(c) == T_BODY)
				body = c;
		if (body)
			for (xmlNode *c = body->children; c; c = c->next)
				sl_sanitize_node(&out, c, base_url);
		xmlFreeDoc(doc);
	}
	sl_buf_free(&text);
	return sl_buf_detach(&out);
}

/*
 * libxml2 nests an element by what is open around it: a <p> inside a
 * <span> inside a <p> stays nested, and so do <li>, <td> or <a> inside
 * an unwrapped tag inside their own kind. Once the span is unwrapped the
 * output says <p><p>, which the next parser (a browser, or this one)
 * reads as two paragraphs. So the output of one pass is parsed and
 * cleaned once more: what comes out is the tree a parser reads from it,
 * and cleaning it again changes nothing.
 */
char *sl_sanitize_html(const char *html, size_t len, const char *base_url)
{
	char *once = sl_sanitize_reparse(html, len, base_url), *twice;

	if (!once)
		return NULL;
	twice = sl_sanitize_reparse(once, strlen(once), base_url);
	free(once);
	return twice;
}
