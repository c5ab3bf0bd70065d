/*
 * html.h - what extraction and sanitizing share about a parsed HTML page
 * (libxml2's tree): parsing outside bytes, tag kinds, attributes, walking
 * without recursion, text with collapsed white space, and URLs made
 * absolute and checked.
 */
#ifndef SL_HTML_H
#define SL_HTML_H

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "util/mem.h"

/* Tags the extractor and sanitizer tell apart; T_OTHER for the rest. */
enum {
	T_OTHER, T_A, T_ABBR, T_ADDRESS, T_AMP_IMG, T_APPLET, T_ARTICLE,
	T_ASIDE, T_AUDIO, T_B, T_BASE, T_BLOCKQUOTE, T_BODY, T_BR, T_BUTTON,
	T_CANVAS, T_CAPTION, T_CENTER, T_CITE, T_CODE, T_DD, T_DEL,
	T_DETAILS, T_DIALOG, T_DIV, T_DL, T_DT, T_EM, T_EMBED, T_FIELDSET,
	T_FIGCAPTION, T_FIGURE, T_FONT, T_FOOTER, T_FORM, T_FRAME,
	T_FRAMESET, T_H1, T_H2, T_H3, T_H4, T_H5, T_H6, T_HEAD, T_HEADER,
	T_HR, T_HTML, T_I, T_IFRAME, T_IMG, T_INPUT, T_INS, T_KBD, T_LABEL,
	T_LI, T_LINK, T_MAIN, T_MAP, T_MARK, T_MATH, T_MENU, T_META, T_NAV,
	T_NOEMBED, T_NOFRAMES, T_NOSCRIPT, T_OBJECT, T_OL, T_OPTION, T_P,
	T_PARAM, T_PICTURE, T_PLAINTEXT, T_PRE, T_Q, T_S, T_SAMP, T_SCRIPT,
	T_SECTION, T_SELECT, T_SMALL, T_SOURCE, T_SPAN, T_STRIKE, T_STRONG,
	T_STYLE, T_SUB, T_SUMMARY, T_SUP, T_SVG, T_TABLE, T_TBODY, T_TD,
	T_TEMPLATE, T_TEXTAREA, T_TFOOT, T_TH, T_THEAD, T_TIME, T_TITLE,
	T_TR, T_TT, T_U, T_UL, T_VAR, T_VIDEO, T_WBR, T_XMP,
	T_COUNT
};

/* Kinds of tag, as flags of sl_html_kind. */
enum {
	K_BLOCK = 1,  /* starts a new line of text */
	K_DROP = 2,   /* never content: removed with everything inside */
	K_INLINE = 4, /* phrasing content */
	K_HEAD = 8    /* h1..h6 */
};

/* Parse a page already converted to UTF-8 (NUL-terminated). NULL when
 * libxml2 finds no document at all. */
htmlDocPtr sl_html_parse(const char *utf8, size_t len, const char *url);

int sl_html_tag(const xmlNode *n);
unsigned sl_html_kind(int tag);

/*
 * HTML5 void elements (embed, source, param, track, input, ...) never
 * hold content, but libxml2's HTML 4 parser lets some of them swallow
 * what follows. Move n's children out to follow it, so that dropping n
 * drops nothing else. No-op for other elements.
 */
void sl_html_hoist_void(xmlNode *n);

/* The attribute's value (case-insensitive name), or NULL. Points into
 * the tree. */
const char *sl_html_attr(const xmlNode *n, const char *name);

/*
 * The next node of a preorder walk of root's subtree after n, without
 * recursion (pages nest 100,000 deep); skip_children steps over n's
 * subtree. NULL at the end.
 */
xmlNode *sl_html_next(xmlNode *n, const xmlNode *root, int skip_children);

/* Append the text of n's subtree with white space collapsed to single
 * spaces (no leading space when b ends in one). */
void sl_html_text(sl_buf *b, const xmlNode *n);

/*
 * url resolved against base (may be NULL) and checked: only http, https
 * and (when allow_mailto) mailto survive; javascript:, data: and the rest
 * give NULL, as does a URL that cannot be parsed. Tabs and newlines
 * inside are dropped first, as browsers do. Caller frees.
 */
char *sl_html_url(const char *url, const char *base, int allow_mailto);

/* The host of an absolute URL without "www." (a site's name when it
 * gives none), or NULL. Caller frees. */
char *sl_html_host(const char *url);

/* Append s[0..n) HTML-escaped (& < > " ') to b. */
void sl_html_escape(sl_buf *b, const char *s, size_t n);

/*
 * The address of an image element (img, amp-img, or a picture's img) as
 * a browser would show it once lazy loading ran: src unless it is a
 * placeholder, else data-src and its kin, else the first srcset
 * candidate; resolved and checked as sl_html_url does. Caller frees.
 */
char *sl_html_img_src(const xmlNode *img, const char *base);

#endif
