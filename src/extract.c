/*
 * extract.c - an HTML page to a clean article.
 *
 * Three passes over libxml2's tree of the page:
 *   1. metadata: <meta> tags, JSON-LD, <title>, <h1>, <time>, bylines,
 *      read before anything is removed;
 *   2. cleaning: what is never article text goes (scripts, navigation,
 *      hidden elements, blocks whose class or id names boilerplate:
 *      comments, share bars, newsletter boxes, related-link rails);
 *   3. the body: paragraphs score their ancestors (Readability's
 *      content score: length and commas, ancestors a level up get half,
 *      further up a third per level), the best container wins, its
 *      siblings with enough score or clean prose join it, and inside it
 *      link-heavy or list-heavy blocks that are not prose are dropped.
 * The result is written twice from the same tree: as paragraphs of text
 * and as sanitized HTML (sanitize.c). When the page's visible text is a
 * shell and its JSON-LD carries the articleBody, that body is used.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "article.h"
#include "charset.h"
#include "date.h"
#include "error.h"
#include "extract.h"
#include "html.h"
#include "sanitize.h"
#include "text.h"
#include "util/utf8.h"

static _Thread_local sl_extract_times times;

static double clock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Add the time since *mark to *phase and move the mark. */
static void lap(double *phase, double *mark)
{
	double t = clock_now();

	*phase += t - *mark;
	*mark = t;
}

void sl_extract_times_get(sl_extract_times *out)
{
	*out = times;
}

#define DEFAULT_MAX_BYTES (16u << 20)
#define MIN_PARAGRAPH 25    /* shorter text scores nothing */
#define SCORE_ANCESTORS 5   /* levels a paragraph's score reaches */
#define TOP_CANDIDATES 5
#define BYLINE_MAX 120      /* longer "byline" elements are not one */
#define READERABLE_MIN 140  /* Readability's isProbablyReaderable ... */
#define READERABLE_SCORE 20 /* ... sum of sqrt(len - 140) over this */
#define MAX_H1 4
#define LD_MAX_DEPTH 8

/* What a body attempt may do; Readability's retries drop them in turn
 * when what is left is too short to be the article. */
enum {
	F_STRIP_UNLIKELY = 1, /* remove blocks named like boilerplate */
	F_WEIGHT_CLASSES = 2, /* class and id words move scores */
	F_CLEAN_BLOCKS = 4,   /* drop non-prose blocks inside the body */
	F_ALL = 7
};

/* ------------------------------------------------------------------ */
/* Class and id words                                                  */

/* Substrings of class/id that name blocks that are never the article:
 * Readability's list. */
static const char *const unlikely_words[] = {
	"-ad-", "ad-break", "agegate", "ai2html", "banner", "breadcrumb",
	"combx", "comment", "community", "cover-wrap", "disqus", "extra",
	"footer", "gdpr", "header", "legends", "menu", "pager", "pagination",
	"popup", "related", "remark", "replies", "rss", "shoutbox", "sidebar",
	"skyscraper", "social", "sponsor", "supplemental", "yom-remote", NULL};

/* ... unless the same attribute also says it holds the article. */
static const char *const maybe_words[] = {
	"and", "article", "body", "column", "content", "main", "shadow",
	"story", "entry", NULL};

/* The boxes news pages put around an article, removed whatever else
 * the attribute says, but only while they are boxes: not holding most
 * of the page's paragraphs ("share-wrapper" around the whole story is
 * the story). Comments and related rails are boxes too when they are
 * named after the article ("article-comments"). */
static const char *const box_words[] = {
	"comment", "related", "cookie", "consent", "most-read", "mostread",
	"most-popular", "newsletter", "outbrain", "promo", "recommend",
	"share", "sharing", "signup", "sign-up", "subscribe", "taboola",
	"trending", "modal", "toolbar", "widget", "sr-only",
	"visually-hidden", "screen-reader", "skip-link", "author-bio",
	"authorbio", "read-more", "readmore", "more-stories", "tags",
	"print-", NULL};

/* Readability's class weights. */
static const char *const negative_words[] = {
	"-ad-", "hidden", "banner", "combx", "comment", "com-", "contact",
	"foot", "footer", "footnote", "gdpr", "masthead", "media", "meta",
	"outbrain", "promo", "related", "scroll", "share", "shoutbox",
	"sidebar", "skyscraper", "sponsor", "shopping", "tags", "tool",
	"widget", NULL};
static const char *const positive_words[] = {
	"article", "body", "content", "entry", "hentry", "h-entry", "main",
	"page", "pagination", "post", "text", "blog", "story", NULL};

static const char *const byline_words[] = {
	"byline", "author", "dateline", "writtenby", "p-author", NULL};

/* Lower-case copy of class + " " + id into buf (truncated). */
static size_t class_id(const xmlNode *n, char *buf, size_t size)
{
	const char *cls = sl_html_attr(n, "class"), *id = sl_html_attr(n, "id");
	size_t k = 0;

	for (int pass = 0; pass < 2; pass++) {
		const char *s = pass ? id : cls;

		if (!s)
			continue;
		if (k && k + 1 < size)
			buf[k++] = ' ';
		for (; *s && k + 1 < size; s++)
			buf[k++] = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
	}
	buf[k] = '\0';
	return k;
}

/* Case-insensitive search for needle in s[0..n). */
static const char *find_ci_n(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle);

	for (size_t i = 0; i + m <= n; i++)
		if (strncasecmp(s + i, needle, m) == 0)
			return s + i;
	return NULL;
}

static int has_word(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (strstr(s, *words))
			return 1;
	return 0;
}

/* +25 for each of class and id that sounds like content, -25 for each
 * that sounds like boilerplate. */
static int class_weight(const xmlNode *n, unsigned flags)
{
	int weight = 0;

	if (!(flags & F_WEIGHT_CLASSES))
		return 0;
	for (int pass = 0; pass < 2; pass++) {
		const char *s = sl_html_attr(n, pass ? "id" : "class");
		char low[256];
		size_t k = 0;

		if (!s || !*s)
			continue;
		for (; *s && k + 1 < sizeof(low); s++)
			low[k++] = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
		low[k] = '\0';
		if (has_word(low, negative_words))
			weight -= 25;
		if (has_word(low, positive_words))
			weight += 25;
	}
	return weight;
}

static int lower_c(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Compare ignoring case, spaces and punctuation (ASCII). */
static int same_text(const char *a, const char *b)
{
	for (;;) {
		while (*a && !((*a >= '0' && *a <= '9') ||
			       (lower_c(*a) >= 'a' && lower_c(*a) <= 'z') ||
			       (unsigned char)*a >= 0x80))
			a++;
		while (*b && !((*b >= '0' && *b <= '9') ||
			       (lower_c(*b) >= 'a' && lower_c(*b) <= 'z') ||
			       (unsigned char)*b >= 0x80))
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (lower_c(*a) != lower_c(*b))
			return 0;
		a++;
		b++;
	}
}

/* ------------------------------------------------------------------ */
/* The page                                                            */

enum { /* metadata keys, first value found wins */
	M_TITLE_OG, M_TITLE_TW, M_TITLE_DC, M_SITE, M_APPNAME, M_IMAGE,
	M_IMAGE_TW, M_PUBLISHED, M_PUBLISHED2, M_MODIFIED, M_AUTHOR,
	M_LOCALE, M_LANG, M_DESC, M_CANONICAL, M_OG_URL, M_TITLE, M_HTML_LANG, M_BASE,
	M_TIME, M_DC_AUTHOR, M_BYLINE_EL,
	M_BYLINE_LAST = M_BYLINE_EL + 3, /* the first four byline elements */
	LD_HEADLINE, LD_AUTHOR, LD_PUBLISHED, LD_MODIFIED, LD_PUBLISHER,
	LD_BODY, LD_IMAGE, LD_LANG,
	M_COUNT
};

static const struct {
	const char *name;
	int key;
} meta_names[] = {
	{"og:title", M_TITLE_OG},
	{"twitter:title", M_TITLE_TW},
	{"dc.title", M_TITLE_DC},
	{"dc:title", M_TITLE_DC},
	{"dcterms.title", M_TITLE_DC},
	{"dcterm:title", M_TITLE_DC},
	{"dcterms:title", M_TITLE_DC},
	{"og:site_name", M_SITE},
	{"application-name", M_APPNAME},
	{"og:image", M_IMAGE},
	{"og:image:url", M_IMAGE},
	{"og:image:secure_url", M_IMAGE},
	{"twitter:image", M_IMAGE_TW},
	{"twitter:image:src", M_IMAGE_TW},
	{"article:published_time", M_PUBLISHED},
	{"og:article:published_time", M_PUBLISHED},
	{"article:published", M_PUBLISHED},
	{"datepublished", M_PUBLISHED},
	{"publish-date", M_PUBLISHED},
	{"publishdate", M_PUBLISHED},
	{"pubdate", M_PUBLISHED},
	{"date", M_PUBLISHED2},
	{"dc.date", M_PUBLISHED2},
	{"dc.date.issued", M_PUBLISHED2},
	{"dcterms.created", M_PUBLISHED2},
	{"sailthru.date", M_PUBLISHED2},
	{"parsely-pub-date", M_PUBLISHED2},
	{"article:modified_time", M_MODIFIED},
	{"og:updated_time", M_MODIFIED},
	{"datemodified", M_MODIFIED},
	{"author", M_AUTHOR},
	{"article:author", M_AUTHOR},
	{"dc.creator", M_DC_AUTHOR},
	{"dc:creator", M_DC_AUTHOR},
	{"dcterm:creator", M_DC_AUTHOR},
	{"dcterms:creator", M_DC_AUTHOR},
	{"sailthru.author", M_AUTHOR},
	{"parsely-author", M_AUTHOR},
	{"byl", M_AUTHOR},
	{"og:locale", M_LOCALE},
	{"content-language", M_LANG},
	{"language", M_LANG},
	{"dc.language", M_LANG},
	{"description", M_DESC},
	{"og:description", M_DESC},
	{"og:url", M_OG_URL},
};

/* Per element: what the body passes learn about its subtree. */
typedef struct nstat {
	float score;
	uint32_t text;   /* bytes of text, white space runs counted once */
	uint32_t link;   /* of which inside links */
	uint32_t commas;
	uint32_t own;    /* text not inside a child block */
	uint32_t n_p, n_img, n_li, n_input, n_heading_text;
	uint8_t scored;
	uint8_t has_block;
} nstat;

#define RETRY_BELOW 500 /* bytes of body text that send us to retry */

typedef struct page {
	unsigned flags;
	double top_score; /* content score of the chosen container */
	int top_marked;   /* the page marks it as the article */
	double top_links; /* its link density, before tidying */
	xmlNode *scope;   /* the <article> or <main> around it, or itself */
	htmlDocPtr doc;
	xmlNode *body;
	const char *url;
	char *meta[M_COUNT];
	char *h1[MAX_H1];
	size_t n_h1;
	nstat *st;
	size_t n_st, cap_st;
	xmlNode **chosen; /* the body's top-level nodes, in order */
	size_t n_chosen, cap_chosen;
} page;

static void set_once(page *p, int key, const char *value)
{
	if (p->meta[key] || !value)
		return;
	while (*value == ' ' || *value == '\t' || *value == '\n' ||
	       *value == '\r')
		value++;
	if (*value)
		p->meta[key] = sl_strdup(value);
}

static const char *base_url(const page *p)
{
	return p->meta[M_BASE] ? p->meta[M_BASE] : p->url;
}

static nstat *stat_of(page *p, xmlNode *n)
{
	uintptr_t i = (uintptr_t)n->_private;

	if (!i) {
		sl_grow(&p->st, &p->cap_st, p->n_st + 1, sizeof(*p->st));
		memset(&p->st[p->n_st], 0, sizeof(*p->st));
		i = ++p->n_st;
		n->_private = (void *)i;
	}
	return &p->st[i - 1];
}

static char *text_of(const xmlNode *n)
{
	sl_buf b = {0};

	sl_html_text(&b, n);
	while (b.len && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	return b.len ? sl_buf_detach(&b) : (sl_buf_free(&b), NULL);
}

/* Text length of a subtree without building it (for small boxes). */
static size_t text_len(const xmlNode *root)
{
	size_t n = 0;

	for (xmlNode *c = root->children; c;) {
		if (c->type == XML_ELEMENT_NODE &&
		    (sl_html_kind(sl_html_tag(c)) & K_DROP)) {
			c = sl_html_next(c, root, 1);
			continue;
		}
		if (c->type == XML_TEXT_NODE && c->content)
			for (const char *s = (const char *)c->content; *s; s++)
				n += *s != ' ' && *s != '\n' && *s != '\t' &&
				     *s != '\r';
		c = sl_html_next(c, root, 0);
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* Pass 1: metadata                                                    */

static const char *ld_string(const json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_object(v)) {
		const json_t *name = json_object_get(v, "name");

		if (!json_is_string(name))
			name = json_object_get(v, "url");
		return json_is_string(name) ? json_string_value(name) : NULL;
	}
	if (json_is_array(v) && json_array_size(v))
		return ld_string(json_array_get(v, 0));
	return NULL;
}

/* Authors as "A, B": a string, a {name} object, or an array of them. */
static char *ld_authors(const json_t *v)
{
	sl_buf b = {0};

	if (json_is_array(v)) {
		size_t i;
		const json_t *item;

		json_array_foreach(v, i, item) {
			const char *s = ld_string(item);

			if (!s || !*s || i >= 8)
				continue;
			if (b.len)
				sl_buf_adds(&b, ", ");
			sl_buf_adds(&b, s);
		}
	} else {
		const char *s = ld_string(v);

		if (s)
			sl_buf_adds(&b, s);
	}
	return b.len ? sl_buf_detach(&b) : (sl_buf_free(&b), NULL);
}

static int ld_type_is(const json_t *obj, int article)
{
	static const char *const articles[] = {
		"NewsArticle", "Article", "ReportageNews", "AnalysisNewsArticle",
		"OpinionNewsArticle", "BackgroundNewsArticle", "BlogPosting",
		"LiveBlogPosting", "Report", "TechArticle", "ScholarlyArticle",
		"SocialMediaPosting", "ReviewNewsArticle", "Review", "Recipe",
		NULL};
	static const char *const pages[] = {"WebPage", "ItemPage", NULL};
	const json_t *type = json_object_get(obj, "@type");
	const char *const *names = article ? articles : pages;

	for (size_t i = 0; i < (json_is_array(type) ? json_array_size(type)
						    : 1); i++) {
		const json_t *t = json_is_array(type) ? json_array_get(type, i)
						      : type;

		if (!json_is_string(t))
			continue;
		for (const char *const *n = names; *n; n++)
			if (strcmp(json_string_value(t), *n) == 0)
				return 1;
	}
	return 0;
}

/* The first object of the wanted kind, depth first. */
static const json_t *ld_find(const json_t *v, int article, int depth)
{
	const char *key;
	const json_t *child, *found;
	size_t i;

	if (depth > LD_MAX_DEPTH)
		return NULL;
	if (json_is_array(v)) {
		json_array_foreach(v, i, child)
			if ((found = ld_find(child, article, depth + 1)))
				return found;
		return NULL;
	}
	if (!json_is_object(v))
		return NULL;
	if (ld_type_is(v, article))
		return v;
	json_object_foreach((json_t *)v, key, child)
		if ((json_is_object(child) || json_is_array(child)) &&
		    (found = ld_find(child, article, depth + 1)))
			return found;
	return NULL;
}

static void read_json_ld(page *p, const char *text)
{
	json_t *root = json_loads(text, JSON_DECODE_ANY, NULL);
	const json_t *art;

	if (!root)
		return;
	art = ld_find(root, 1, 0);
	if (!art)
		art = ld_find(root, 0, 0);
	if (art) {
		const json_t *v = json_object_get(art, "headline");
		char *authors;

		set_once(p, LD_HEADLINE,
			 json_is_string(v) ? json_string_value(v)
					   : ld_string(json_object_get(art,
								      "name")));
		v = json_object_get(art, "author");
		if (!v)
			v = json_object_get(art, "creator");
		authors = ld_authors(v);
		set_once(p, LD_AUTHOR, authors);
		free(authors);
		set_once(p, LD_PUBLISHED,
			 ld_string(json_object_get(art, "datePublished")));
		set_once(p, LD_MODIFIED,
			 ld_string(json_object_get(art, "dateModified")));
		set_once(p, LD_PUBLISHER,
			 ld_string(json_object_get(art, "publisher")));
		set_once(p, LD_BODY,
			 ld_string(json_object_get(art, "articleBody")));
		set_once(p, LD_IMAGE, ld_string(json_object_get(art, "image")));
		set_once(p, LD_LANG,
			 ld_string(json_object_get(art, "inLanguage")));
	}
	json_decref(root);
}

/* Set the metadata key named name (one word of a property list). */
static void read_meta_name(page *p, const char *name, size_t len,
			   const char *content)
{
	for (size_t i = 0; i < sizeof(meta_names) / sizeof(*meta_names); i++) {
		int key = meta_names[i].key;

		if (strlen(meta_names[i].name) != len ||
		    strncasecmp(name, meta_names[i].name, len) != 0)
			continue;
		/* article:author is often a profile URL */
		if ((key == M_AUTHOR || key == M_DC_AUTHOR) &&
		    (strncmp(content, "http", 4) == 0 || strchr(content, '@')))
			continue;
		set_once(p, key, content);
	}
}

static void read_meta(page *p, const xmlNode *n)
{
	const char *content = sl_html_attr(n, "content");
	const char *keys[] = {sl_html_attr(n, "property"),
			      sl_html_attr(n, "name"),
			      sl_html_attr(n, "itemprop"),
			      sl_html_attr(n, "http-equiv")};

	if (!content || !*content)
		return;
	/* property="dc:creator twitter:site_name": each word is a key */
	for (size_t k = 0; k < 4; k++)
		for (const char *w = keys[k]; w && *w;) {
			size_t len = strcspn(w, " \t\n");

			if (len)
				read_meta_name(p, w, len, content);
			w += len;
			w += strspn(w, " \t\n");
		}
}

static int is_byline_element(const xmlNode *n)
{
	const char *rel = sl_html_attr(n, "rel");
	const char *itemprop = sl_html_attr(n, "itemprop");
	char ci[256];

	if ((rel && strcasecmp(rel, "author") == 0) ||
	    (itemprop && strstr(itemprop, "author")))
		return 1;
	return class_id(n, ci, sizeof(ci)) && has_word(ci, byline_words);
}

/* Keep a byline element's text (its itemprop=name when it has one) in
 * the first free of the four byline slots. */
static void add_byline_element(page *p, xmlNode *n)
{
	xmlNode *name = NULL;
	char *text;
	int slot = M_BYLINE_EL;

	for (xmlNode *c = n->children; c && !name; c = sl_html_next(c, n, 0))
		if (c->type == XML_ELEMENT_NODE && sl_html_attr(c, "itemprop") &&
		    strcasecmp(sl_html_attr(c, "itemprop"), "name") == 0)
			name = c;
	text = text_of(name ? name : n);
	if (!text)
		return;
	while (slot <= M_BYLINE_LAST && p->meta[slot])
		if (strcmp(p->meta[slot++], text) == 0) {
			free(text);
			return;
		}
	if (slot <= M_BYLINE_LAST)
		p->meta[slot] = text;
	else
		free(text);
}

static void read_metadata(page *p)
{
	xmlNode *root = xmlDocGetRootElement(p->doc);

	for (xmlNode *n = root; n;) {
		int tag = sl_html_tag(n);
		char *text;

		if (n->type != XML_ELEMENT_NODE) {
			n = sl_html_next(n, root, 0);
			continue;
		}
		switch (tag) {
		case T_HTML:
			set_once(p, M_HTML_LANG, sl_html_attr(n, "lang"));
			break;
		case T_BASE:
			if (!p->meta[M_BASE] && sl_html_attr(n, "href"))
				p->meta[M_BASE] = sl_html_url(
					sl_html_attr(n, "href"), p->url, 0);
			break;
		case T_TITLE:
			text = text_of(n);
			set_once(p, M_TITLE, text);
			free(text);
			break;
		case T_META:
			read_meta(p, n);
			break;
		case T_LINK: {
			const char *rel = sl_html_attr(n, "rel");

			if (rel && strcasecmp(rel, "canonical") == 0)
				set_once(p, M_CANONICAL,
					 sl_html_attr(n, "href"));
			break;
		}
		case T_SCRIPT: {
			const char *type = sl_html_attr(n, "type");

			if (type && strcasecmp(type, "application/ld+json") ==
					    0 &&
			    n->children && n->children->content)
				read_json_ld(p, (const char *)
							n->children->content);
			break;
		}
		case T_H1:
			if (p->n_h1 < MAX_H1 && (text = text_of(n)))
				p->h1[p->n_h1++] = text;
			break;
		case T_TIME:
			set_once(p, M_TIME, sl_html_attr(n, "datetime"));
			break;
		default:
			break;
		}
		if (tag != T_SCRIPT && tag != T_STYLE) {
			const char *itemprop = sl_html_attr(n, "itemprop");

			if (itemprop && strcasecmp(itemprop, "datePublished") ==
						0) {
				set_once(p, M_PUBLISHED,
					 sl_html_attr(n, "datetime"));
				set_once(p, M_PUBLISHED,
					 sl_html_attr(n, "content"));
			}
			if (!p->meta[M_BYLINE_LAST] && tag != T_META &&
			    tag != T_LINK && tag != T_BODY && tag != T_HTML &&
			    is_byline_element(n) &&
			    text_len(n) <= BYLINE_MAX)
				add_byline_element(p, n);
		}
		/* Everything is read, the <head> too; only code is skipped. */
		n = sl_html_next(n, root, tag == T_SCRIPT || tag == T_STYLE ||
					      tag == T_TEMPLATE || tag == T_SVG);
	}
}

/* ------------------------------------------------------------------ */
/* Pass 2: cleaning                                                    */

static int is_hidden(const xmlNode *n)
{
	const char *style = sl_html_attr(n, "style");
	const char *aria = sl_html_attr(n, "aria-hidden");

	if (sl_html_attr(n, "hidden"))
		return 1;
	if (aria && strcmp(aria, "true") == 0)
		return 1;
	if (style) {
		char low[128];
		size_t k = 0;

		for (; *style && k + 1 < sizeof(low); style++)
			if (*style != ' ')
				low[k++] = (char)(*style >= 'A' && *style <= 'Z'
							  ? *style + 32
							  : *style);
		low[k] = '\0';
		if (strstr(low, "display:none") ||
		    strstr(low, "visibility:hidden"))
			return 1;
	}
	return 0;
}

static int bad_role(const xmlNode *n)
{
	static const char *const roles[] = {
		"navigation", "menu", "menubar", "complementary", "alert",
		"alertdialog", "dialog", "contentinfo", "banner", NULL};
	const char *role = sl_html_attr(n, "role");

	if (!role)
		return 0;
	for (const char *const *r = roles; *r; r++)
		if (strcasecmp(role, *r) == 0)
			return 1;
	return 0;
}

/* Whether pass 2 removes n (its whole subtree). */
/* Text inside the <p> elements of a subtree: prose, not lists. */
static size_t para_text_len(const xmlNode *root)
{
	size_t n = 0;
	xmlNode *c = (xmlNode *)root;

	while (c) {
		int p = sl_html_tag(c) == T_P;

		if (p)
			n += text_len(c);
		c = sl_html_next(c, root, p);
	}
	return n;
}

/* Whether pass 2 removes n (its whole subtree); page_text is the text
 * in the page's paragraphs. */
static int is_junk(const xmlNode *n, int tag, size_t page_text,
		   unsigned flags)
{
	char ci[256];

	if (sl_html_kind(tag) & K_DROP)
		return 1;
	if (tag == T_BODY || tag == T_HTML)
		return 0;
	if (tag == T_NAV || tag == T_ASIDE || tag == T_FOOTER ||
	    tag == T_MENU || tag == T_DIALOG)
		return 1;
	if (is_hidden(n) || bad_role(n))
		return 1;
	if ((tag == T_HEADER || tag == T_FORM) && text_len(n) < 500)
		return 1;
	if (tag == T_A || tag == T_ARTICLE || tag == T_MAIN ||
	    !(flags & F_STRIP_UNLIKELY))
		return 0;
	if (!class_id(n, ci, sizeof(ci)))
		return 0;
	if (has_word(ci, byline_words) && text_len(n) <= BYLINE_MAX)
		return 1;
	if (has_word(ci, unlikely_words) && !has_word(ci, maybe_words))
		return 1;
	return has_word(ci, box_words) && para_text_len(n) * 2 < page_text;
}

static void clean(page *p)
{
	size_t page_text = para_text_len(p->body);
	xmlNode *n = p->body->children;

	while (n) {
		xmlNode *next;

		if (n->type == XML_COMMENT_NODE) {
			next = sl_html_next(n, p->body, 1);
			xmlUnlinkNode(n);
			xmlFreeNode(n);
			n = next;
			continue;
		}
		sl_html_hoist_void(n);
		if (n->type == XML_ELEMENT_NODE &&
		    is_junk(n, sl_html_tag(n), page_text, p->flags)) {
			if (getenv("SL_EXTRACT_DEBUG") && text_len(n) > 300)
				fprintf(stderr, "junk <%s class=%s id=%s> %zu\n",
					n->name, sl_html_attr(n, "class"),
					sl_html_attr(n, "id"), text_len(n));
			next = sl_html_next(n, p->body, 1);
			xmlUnlinkNode(n);
			xmlFreeNode(n);
			n = next;
			continue;
		}
		n = sl_html_next(n, p->body, 0);
	}
}

/* ------------------------------------------------------------------ */
/* Pass 3: the body                                                    */

static uint32_t count_commas(const char *s)
{
	uint32_t n = 0;

	for (; *s; s++)
		n += *s == ',' ||
		     /* U+060C arabic, U+FF0C fullwidth, U+3001 ideographic */
		     (s[0] == '\xD8' && s[1] == '\x8C') ||
		     (s[0] == '\xEF' && s[1] == '\xBC' && s[2] == '\x8C') ||
		     (s[0] == '\xE3' && s[1] == '\x80' && s[2] == '\x81');
	return n;
}

static uint32_t count_text(const char *s)
{
	uint32_t n = 0;
	int space = 1;

	for (; *s; s++) {
		int is_space = *s == ' ' || *s == '\n' || *s == '\t' ||
			       *s == '\r';

		n += !is_space || !space;
		space = is_space;
	}
	return n;
}

/* A block that counts as a paragraph: <p>, <pre>, or a block holding
 * no other block (Readability turns those divs into paragraphs). */
static int is_para(page *p, xmlNode *n, int tag)
{
	if (tag == T_P || tag == T_PRE)
		return 1;
	if (tag == T_DIV || tag == T_SECTION || tag == T_ARTICLE ||
	    tag == T_CENTER || tag == T_MAIN)
		return !stat_of(p, n)->has_block;
	return 0;
}

/* Fold a finished element's counts into its parent's. */
static void fold(page *p, xmlNode *n, int tag)
{
	nstat *s = stat_of(p, n), *up;
	unsigned kind = sl_html_kind(tag);

	if (!n->parent || n->parent->type != XML_ELEMENT_NODE)
		return;
	up = stat_of(p, n->parent);
	s = stat_of(p, n); /* stat_of may have moved the array */
	up->text += s->text;
	up->link += tag == T_A ? s->text : s->link;
	up->commas += s->commas;
	up->n_p += s->n_p + (tag == T_P || is_para(p, n, tag));
	up->n_img += s->n_img + (tag == T_IMG || tag == T_AMP_IMG);
	up->n_li += s->n_li + (tag == T_LI);
	up->n_input += s->n_input + (tag == T_INPUT);
	up->n_heading_text += (kind & K_HEAD) ? s->text : s->n_heading_text;
	if ((kind & K_BLOCK) || tag == T_IMG || tag == T_AMP_IMG)
		up->has_block = 1;
	else
		up->own += s->own;
}

/* Counts for every element under the body, children before parents. */
static void measure(page *p)
{
	xmlNode *root = p->body, *n = root->children;

	stat_of(p, root);
	while (n) {
		if (n->type == XML_TEXT_NODE && n->content) {
			uint32_t len = count_text((const char *)n->content);
			nstat *up = stat_of(p, n->parent);

			up->text += len;
			up->own += len;
			up->commas += count_commas((const char *)n->content);
		} else if (n->type == XML_ELEMENT_NODE) {
			stat_of(p, n);
			if (n->children) {
				n = n->children;
				continue;
			}
			fold(p, n, sl_html_tag(n));
		}
		while (n != root && !n->next) {
			n = n->parent;
			if (n != root)
				fold(p, n, sl_html_tag(n));
		}
		n = n == root ? NULL : n->next;
	}
}

static double link_density(const nstat *s)
{
	return s->text ? (double)s->link / s->text : 0;
}

static void init_score(page *p, xmlNode *n)
{
	nstat *s = stat_of(p, n);
	int tag = sl_html_tag(n);

	if (s->scored)
		return;
	s->scored = 1;
	switch (tag) {
	case T_DIV: s->score = 5; break;
	case T_PRE: case T_TD: case T_BLOCKQUOTE: s->score = 3; break;
	case T_ADDRESS: case T_OL: case T_UL: case T_DL: case T_DD:
	case T_DT: case T_LI: case T_FORM: s->score = -3; break;
	case T_H1: case T_H2: case T_H3: case T_H4: case T_H5: case T_H6:
	case T_TH: s->score = -5; break;
	default: s->score = 0; break;
	}
	s->score += (float)class_weight(n, p->flags);
}

/* Readability's content score: each paragraph gives 1 + commas + a point
 * per 100 bytes (at most 3) to its parent, half to the grandparent and a
 * third per level to the ones above. Text directly inside a block that
 * also holds blocks counts as a paragraph of that block. */
static void score_paragraphs(page *p)
{
	xmlNode *root = p->body;

	for (xmlNode *n = root->children; n; n = sl_html_next(n, root, 0)) {
		int tag = sl_html_tag(n);
		nstat *s;
		uint32_t len;
		xmlNode *first;
		double points;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		s = stat_of(p, n);
		if (is_para(p, n, tag) || tag == T_TD ||
		    (tag >= T_H2 && tag <= T_H6)) {
			len = s->text;
			first = n->parent;
		} else if ((sl_html_kind(tag) & K_BLOCK) && s->has_block &&
			   s->own >= MIN_PARAGRAPH) {
			len = s->own;
			first = n;
		} else {
			continue;
		}
		if (len < MIN_PARAGRAPH || !first)
			continue;
		/* text of a block's own has no comma count of its own */
		points = 1 + (first == n ? 0 : s->commas) +
			 (len / 100 > 3 ? 3 : len / 100);
		for (int level = 0; first && level < SCORE_ANCESTORS &&
				    first->type == XML_ELEMENT_NODE;
		     level++, first = first->parent) {
			double div = level == 0 ? 1 : level == 1 ? 2
							       : level * 3;

			init_score(p, first);
			stat_of(p, first)->score += (float)(points / div);
			if (first == root)
				break;
		}
	}
}

static double final_score(page *p, xmlNode *n)
{
	nstat *s = stat_of(p, n);

	return s->score * (1 - link_density(s));
}

static int is_ancestor(const xmlNode *a, const xmlNode *n)
{
	for (n = n ? n->parent : NULL; n; n = n->parent)
		if (n == a)
			return 1;
	return 0;
}

static int element_children(const xmlNode *n)
{
	int k = 0;

	for (const xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			k++;
		else if (c->type == XML_TEXT_NODE && c->content &&
			 count_text((const char *)c->content) > 1)
			return 99; /* text of its own */
	return k;
}

static xmlNode *top_candidate(page *p)
{
	xmlNode *top[TOP_CANDIDATES] = {0}, *root = p->body, *best, *parent;
	double scores[TOP_CANDIDATES] = {0}, last;
	int alternatives;

	for (xmlNode *n = root; n; n = sl_html_next(n, root, 0)) {
		double sc;

		if (n->type != XML_ELEMENT_NODE || !stat_of(p, n)->scored)
			continue;
		sc = final_score(p, n);
		for (int i = 0; i < TOP_CANDIDATES; i++) {
			if (top[i] && sc <= scores[i])
				continue;
			memmove(top + i + 1, top + i,
				(TOP_CANDIDATES - i - 1) * sizeof(*top));
			memmove(scores + i + 1, scores + i,
				(TOP_CANDIDATES - i - 1) * sizeof(*scores));
			top[i] = n;
			scores[i] = sc;
			break;
		}
	}
	best = top[0];
	if (!best)
		return root;
	/* Several near-best candidates under one ancestor: the article is
	 * split into parts, take the ancestor holding them. */
	for (parent = best->parent; parent && parent != root->parent;
	     parent = parent->parent) {
		alternatives = 0;
		for (int i = 1; i < TOP_CANDIDATES; i++)
			if (top[i] && scores[i] >= 0.75 * scores[0] &&
			    is_ancestor(parent, top[i]))
				alternatives++;
		if (alternatives >= 3) {
			best = parent;
			break;
		}
		if (parent == root)
			break;
	}
	init_score(p, best);
	/* Climb while the parent scores about as well. */
	last = stat_of(p, best)->score;
	for (parent = best->parent;
	     parent && parent != root && parent->type == XML_ELEMENT_NODE;
	     parent = parent->parent) {
		nstat *s = stat_of(p, parent);

		if (!s->scored)
			continue;
		if (s->score < last / 3)
			break;
		if (s->score > last) {
			best = parent;
			break;
		}
		last = s->score;
	}
	while (best != root && best->parent && best->parent != root &&
	       element_children(best->parent) == 1)
		best = best->parent;
	return best;
}

static int ends_sentence(const xmlNode *n)
{
	char *text = text_of(n);
	int yes = text && (strstr(text, ". ") ||
			   text[strlen(text) - 1] == '.');

	free(text);
	return yes;
}

static void choose(page *p, xmlNode *n)
{
	sl_grow(&p->chosen, &p->cap_chosen, p->n_chosen + 1,
		sizeof(*p->chosen));
	p->chosen[p->n_chosen++] = n;
}

/* A paragraph beside the body that repeats the page's description: the
 * standfirst, which the article carries as its summary. */
static int is_standfirst(page *p, xmlNode *n)
{
	char *text;
	int same;

	if (!p->meta[M_DESC] || stat_of(p, n)->text > 600)
		return 0;
	text = text_of(n);
	same = text && same_text(text, p->meta[M_DESC]);
	free(text);
	return same;
}

/* The top candidate and the siblings that belong with it. */
static void gather(page *p, xmlNode *top)
{
	double top_score = stat_of(p, top)->score;
	double threshold = top_score * 0.2 > 10 ? top_score * 0.2 : 10;
	const char *top_class = sl_html_attr(top, "class");

	if (top == p->body || !top->parent) {
		choose(p, top);
		return;
	}
	for (xmlNode *s = top->parent->children; s; s = s->next) {
		nstat *ss;
		const char *cls;
		double bonus = 0;
		int tag = sl_html_tag(s);

		if (s == top) {
			choose(p, s);
			continue;
		}
		if (s->type != XML_ELEMENT_NODE)
			continue;
		ss = stat_of(p, s);
		cls = sl_html_attr(s, "class");
		if (top_class && *top_class && cls && !strcmp(cls, top_class))
			bonus = top_score * 0.2;
		if (is_standfirst(p, s)) {
			continue;
		} else if (ss->scored && ss->score + bonus >= threshold) {
			choose(p, s);
		} else if (is_para(p, s, tag)) {
			double ld = link_density(ss);

			if ((ss->text > 80 && ld < 0.25) ||
			    (ss->text > 0 && ss->text <= 80 && ld == 0 &&
			     ends_sentence(s)))
				choose(p, s);
		}
	}
}

/* Remove n and take its counts out of its ancestors up to stop. */
static void drop(page *p, xmlNode *n, xmlNode *stop)
{
	nstat s = *stat_of(p, n);
	int in_link = sl_html_tag(n) == T_A;

	for (xmlNode *a = n->parent; a && a->type == XML_ELEMENT_NODE;
	     a = a->parent) {
		nstat *as = stat_of(p, a);

		as->text -= s.text < as->text ? s.text : as->text;
		as->link -= in_link ? (s.text < as->link ? s.text : as->link)
				    : (s.link < as->link ? s.link : as->link);
		as->commas -= s.commas < as->commas ? s.commas : as->commas;
		as->n_p -= s.n_p < as->n_p ? s.n_p : as->n_p;
		as->n_img -= s.n_img < as->n_img ? s.n_img : as->n_img;
		as->n_li -= s.n_li < as->n_li ? s.n_li : as->n_li;
		as->n_input -= s.n_input < as->n_input ? s.n_input
						       : as->n_input;
		if (sl_html_tag(a) == T_A)
			in_link = 1;
		if (a == stop)
			break;
	}
	xmlUnlinkNode(n);
	xmlFreeNode(n);
}

static int has_ancestor_tag(const xmlNode *n, int tag, const xmlNode *stop)
{
	for (n = n->parent; n && n != stop; n = n->parent)
		if (sl_html_tag(n) == tag)
			return 1;
	return 0;
}

static int is_data_table(const xmlNode *table)
{
	for (xmlNode *n = table->children; n; n = sl_html_next(n, table, 0)) {
		int tag = sl_html_tag(n);

		if (tag == T_TH || tag == T_CAPTION || tag == T_THEAD)
			return 1;
		if (tag == T_TABLE && n != table)
			return 0; /* tables of tables lay pages out */
	}
	return 0;
}

/* Readability's _cleanConditionally: a block inside the article that
 * is not prose (link lists, image strips, forms, fragments). */
static int not_prose(page *p, xmlNode *n, int tag, const xmlNode *stop)
{
	nstat *s = stat_of(p, n);
	int weight = class_weight(n, p->flags), is_list = tag == T_UL || tag == T_OL;
	double ld = link_density(s);
	long li = (long)s->n_li - 100, np = s->n_p, img = s->n_img;
	double heading_density;

	if (tag == T_TABLE && is_data_table(n))
		return 0;
	if (has_ancestor_tag(n, T_TABLE, stop) || has_ancestor_tag(n, T_PRE,
								   stop))
		return 0;
	if (weight < 0)
		return 1;
	if (s->commas >= 10)
		return 0;
	heading_density = s->text ? (double)s->n_heading_text / s->text : 0;
	if (img > 1 && np * 2 < img && !has_ancestor_tag(n, T_FIGURE, stop))
		return 1;
	if (!is_list && li > np)
		return 1;
	if (s->n_input > s->n_p / 3)
		return 1;
	if (!is_list && heading_density < 0.9 && s->text < MIN_PARAGRAPH &&
	    (img == 0 || img > 2) && !has_ancestor_tag(n, T_FIGURE, stop))
		return 1;
	if (!is_list && weight < 25 && ld > 0.2)
		return 1;
	if (weight >= 25 && ld > 0.5)
		return 1;
	if (is_list && ld > 0.5)
		return 1;
	return 0;
}

/* Lines that frame an article rather than tell it, by how they start:
 * "Read more: ...", "Tags: ...", "Subscribe to ...". */
static const char *const frame_starts[] = {
	"read more", "read also", "also read", "see also", "more:",
	"you may also like", "you might also like", "more from",
	"more stories", "more great", "most read", "most popular",
	"popular on", "don't miss", "tags:", "tag:", "tagged", "filed under",
	"sharing is caring", "subscribe", "sign up", "follow us",
	"follow me", "advertisement", "click here", "photo:", "photo by",
	"photograph:", "image:", "image credit", "(photo", "(image",
	"getty images", "continue reading", "story continues", "watch:",
	"listen:", "copyright", "\xc2\xa9", "all rights reserved",
	"this post may contain", "get short url", "this slideshow requires",
	"leave a comment", "like this story", NULL};

/* ... and, when the line is short, these too ("Share", but not "Shares
 * of the company fell 3% after ..."). */
static const char *const short_frame_starts[] = {
	"related", "recommended", "trending", "tags", "share", "comments",
	"comment", "updated", "last updated", "published", "first published",
	"posted on", "posted by", "print", "email", NULL};

#define SHORT_FRAME_WORDS 12
static const char *const months[] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
	"nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL};

static int starts_with_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* A short line that is a date, a time or both ("Nov. 19, 2019 8:03 am
 * ET", "Wednesday 20 November 2019"): starts with a digit or a month or
 * day name, holds a year or a clock time, and is not a sentence. */
static int is_date_line(const char *s, size_t words)
{
	int year = 0, clock = 0, lead = *s >= '0' && *s <= '9';

	for (const char *const *m = months; *m && !lead; m++)
		lead = starts_with_ci(s, *m);
	if (!lead || words > 10)
		return 0;
	for (const char *c = s; *c; c++) {
		if ((c[0] == '1' && c[1] == '9') || (c[0] == '2' && c[1] == '0'))
			year |= c[2] >= '0' && c[2] <= '9' && c[3] >= '0' &&
				c[3] <= '9' && !(c[4] >= '0' && c[4] <= '9');
		if (c[0] == ':' && c > s && c[-1] >= '0' && c[-1] <= '9' &&
		    c[1] >= '0' && c[1] <= '5')
			clock = 1;
	}
	return year || clock;
}

/* A byline line: "By Jane Roe", "By Meg James, Staff Writer". */
static int is_byline_line(const char *s, size_t words)
{
	return words <= 8 && (starts_with_ci(s, "by ") ||
			      starts_with_ci(s, "written by ")) &&
	       !strchr(s, '.');
}

#define FRAME_MAX 160 /* longer lines are content, whatever they start with */

static int starts_frame(const char *text, const char *const *starts)
{
	for (; *starts; starts++)
		if (starts_with_ci(text, *starts)) {
			char next = text[strlen(*starts)];

			/* the whole word: "Share" but not "Shareholders" */
			if (!((next >= 'a' && next <= 'z') ||
			      (next >= 'A' && next <= 'Z')))
				return 1;
		}
	return 0;
}

/* Whether a paragraph of text frames the article (see above). */
static int is_frame_text(const char *text, size_t len)
{
	size_t words = 1;

	if (len > FRAME_MAX)
		return 0;
	for (const char *c = text; *c; c++)
		words += *c == ' ';
	return starts_frame(text, frame_starts) ||
	       (words <= SHORT_FRAME_WORDS &&
		starts_frame(text, short_frame_starts)) ||
	       is_date_line(text, words) || is_byline_line(text, words);
}

static int is_frame_line(page *p, xmlNode *n)
{
	nstat *st = stat_of(p, n);
	char *text;
	int frame;

	if (st->text > FRAME_MAX || st->n_img)
		return 0;
	if (st->text && link_density(st) > 0.8)
		return 1; /* a paragraph that is only a link */
	text = text_of(n);
	if (!text)
		return 0;
	frame = is_frame_text(text, strlen(text));
	free(text);
	return frame;
}

/* Inside the chosen nodes, remove what is not prose, deepest first. */
static void tidy_chosen(page *p, xmlNode *top)
{
	xmlNode **nodes = NULL;
	size_t n_nodes = 0, cap = 0;

	for (size_t i = 0; i < p->n_chosen; i++) {
		xmlNode *r = p->chosen[i];

		for (xmlNode *n = r; n; n = sl_html_next(n, r, 0)) {
			int tag = sl_html_tag(n);

			if (n->type != XML_ELEMENT_NODE)
				continue;
			if (tag == T_TABLE || tag == T_UL || tag == T_OL ||
			    tag == T_DIV || tag == T_SECTION ||
			    tag == T_FORM || tag == T_FIELDSET ||
			    (sl_html_kind(tag) & K_HEAD) || tag == T_P ||
			    tag == T_LI || tag == T_SPAN) {
				sl_grow(&nodes, &cap, n_nodes + 1,
					sizeof(*nodes));
				nodes[n_nodes++] = n;
			}
		}
	}
	while (n_nodes--) {
		xmlNode *n = nodes[n_nodes];
		int tag = sl_html_tag(n), gone;
		int chosen_root = 0;

		for (size_t i = 0; i < p->n_chosen; i++)
			chosen_root |= p->chosen[i] == n;
		if (chosen_root)
			continue;
		if (sl_html_kind(tag) & K_HEAD)
			gone = class_weight(n, p->flags) < 0 ||
			       link_density(stat_of(p, n)) > 0.33 ||
			       is_frame_line(p, n);
		else if (tag == T_P || tag == T_LI || tag == T_SPAN)
			gone = (stat_of(p, n)->text == 0 &&
				stat_of(p, n)->n_img == 0) ||
			       is_frame_line(p, n);
		else if (is_para(p, n, tag))
			gone = is_frame_line(p, n);
		else if (tag == T_DIV || tag == T_SECTION)
			gone = not_prose(p, n, tag, top);
		else
			gone = not_prose(p, n, tag, top);
		if (gone)
			drop(p, n, NULL);
	}
	free(nodes);
}

/* ------------------------------------------------------------------ */
/* Writing the body out                                                */

typedef struct writer {
	sl_buf para;  /* the paragraph being gathered */
	sl_buf text;  /* finished paragraphs, blank line between */
	size_t n_paras;
	double readerable_score;
	char **captions;
	size_t n_captions, cap_captions;
} writer;

static void flush(writer *w)
{
	while (w->para.len && w->para.data[w->para.len - 1] == ' ')
		w->para.data[--w->para.len] = '\0';
	if (!w->para.len)
		return;
	/* Frame lines that sat in a block with other content. */
	if (is_frame_text(w->para.data + (w->para.data[0] == ' '),
			  w->para.len)) {
		sl_buf_clear(&w->para);
		return;
	}
	if (w->text.len)
		sl_buf_adds(&w->text, "\n\n");
	sl_buf_add(&w->text, w->para.data[0] == ' ' ? w->para.data + 1
						    : w->para.data,
		   w->para.len - (w->para.data[0] == ' '));
	if (w->para.len > READERABLE_MIN)
		w->readerable_score += sqrt((double)(w->para.len -
						     READERABLE_MIN));
	w->n_paras++;
	sl_buf_clear(&w->para);
}

static void add_caption(writer *w, const xmlNode *n)
{
	char *text = text_of(n);

	if (!text)
		return;
	for (size_t i = 0; i < w->n_captions; i++)
		if (strcmp(w->captions[i], text) == 0) {
			free(text);
			return;
		}
	sl_grow(&w->captions, &w->cap_captions, w->n_captions + 1,
		sizeof(*w->captions));
	w->captions[w->n_captions++] = text;
}

static int is_caption(const xmlNode *n)
{
	char ci[256];

	return n->type == XML_ELEMENT_NODE && class_id(n, ci, sizeof(ci)) &&
	       strstr(ci, "caption") && text_len(n) < 600;
}

/* Every caption under root (a caption's own subtree is not searched). */
static void add_captions_under(writer *w, xmlNode *root)
{
	xmlNode *n = root;

	while (n) {
		int caption = sl_html_tag(n) == T_FIGCAPTION || is_caption(n);

		if (caption)
			add_caption(w, n);
		n = sl_html_next(n, root, caption);
	}
}

/* Paragraphs of text from the chosen nodes; figure captions go to the
 * captions list, not the body. */
static void write_text(writer *w, xmlNode *root)
{
	xmlNode *n = root;

	while (n) {
		int descend = 0;

		if (n->type == XML_TEXT_NODE && n->content) {
			sl_html_text(&w->para, n);
		} else if (n->type == XML_ELEMENT_NODE) {
			int tag = sl_html_tag(n);
			unsigned kind = sl_html_kind(tag);

			if (tag == T_FIGCAPTION || is_caption(n)) {
				flush(w);
				add_caption(w, n);
			} else if (tag == T_FIGURE) {
				/* a photo's text is its caption, not body */
				flush(w);
				add_captions_under(w, n);
			} else if (!(kind & K_DROP)) {
				if (kind & K_BLOCK || tag == T_BR)
					flush(w);
				descend = n->children != NULL;
			}
		}
		if (descend) {
			n = n->children;
			continue;
		}
		while (n != root && !n->next) {
			n = n->parent;
			if (sl_html_kind(sl_html_tag(n)) & K_BLOCK)
				flush(w);
			else if (sl_html_tag(n) == T_TD ||
				 sl_html_tag(n) == T_TH)
				sl_buf_addc(&w->para, ' ');
		}
		if (n == root)
			break;
		n = n->next;
	}
	flush(w);
}

/* The JSON-LD articleBody as paragraphs (it comes as plain text). */
static void write_ld_body(writer *w, const char *body)
{
	const char *line = body;

	while (*line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *copy = sl_strndup(line, len);
		xmlNode fake = {0};

		fake.type = XML_TEXT_NODE;
		fake.content = (xmlChar *)copy;
		sl_html_text(&w->para, &fake);
		flush(w);
		free(copy);
		line += len + (end != NULL);
	}
}

/* ------------------------------------------------------------------ */
/* Fields                                                              */

/* "Headline | Site" -> "Headline": cut at the last separator when the
 * part after it is short (a site name) and the part before is not. */
static char *strip_site(const char *title, const char *site)
{
	static const char *const seps[] = {" | ", " - ", " – ", " — ",
					   " :: ", " · ", " / ", " » ",
					   NULL};
	const char *cut = NULL;

	for (const char *const *s = seps; *s; s++) {
		const char *at = title, *last = NULL;

		while ((at = strstr(at, *s)) != NULL)
			last = at++;
		if (last && (!cut || last > cut))
			cut = last;
	}
	if (cut) {
		const char *after = cut + 3;
		size_t words_before = 0, words_after = 0;

		while (*after == ' ' || (unsigned char)*after >= 0x80)
			after++; /* the rest of a multi-byte dash */
		for (const char *c = title; c < cut; c++)
			words_before += *c == ' ';
		for (const char *c = after; *c; c++)
			words_after += *c == ' ';
		if ((site && same_text(after, site)) ||
		    (words_before >= 3 && words_after <= 3))
			return sl_strndup(title, (size_t)(cut - title));
	}
	return sl_strdup(title);
}

/* One title from the sources that agree: JSON-LD headline, og:title,
 * twitter:title, the <h1>, <title> without its site name. */
static char *choose_title(page *p, const char *site)
{
	const char *raw[4 + MAX_H1 + 1];
	char *cand[4 + MAX_H1 + 1];
	size_t n = 0;
	char *out = NULL;

	raw[n++] = p->meta[LD_HEADLINE];
	raw[n++] = p->meta[M_TITLE_DC];
	raw[n++] = p->meta[M_TITLE_OG];
	raw[n++] = p->meta[M_TITLE_TW];
	for (size_t i = 0; i < p->n_h1; i++)
		raw[n++] = p->h1[i];
	raw[n++] = p->meta[M_TITLE];
	for (size_t i = 0; i < n; i++)
		cand[i] = raw[i] ? strip_site(raw[i], site) : NULL;
	/* The first that another source agrees with ... */
	for (size_t i = 0; i < n && !out; i++)
		for (size_t j = 0; j < n && cand[i] && !out; j++)
			if (j != i && cand[j] && same_text(cand[i], cand[j]))
				out = cand[i];
	/* ... else the first there is, <title> before an <h1> (pages
	 * use <h1> for logos and section names too). */
	for (size_t i = 0; i < 4 && !out; i++)
		out = cand[i];
	if (!out)
		out = cand[n - 1];
	for (size_t i = 0; i < n && !out; i++)
		out = cand[i];
	for (size_t i = 0; i < n; i++)
		if (cand[i] != out)
			free(cand[i]);
	return out;
}

static int starts_word(const char *s, const char *word)
{
	size_t n = strlen(word);

	return strncasecmp(s, word, n) == 0 &&
	       (s[n] == ' ' || s[n] == ':' || s[n] == '\0');
}

static const char *const organisations[] = {
	"wire", "wires", "news", "press", "agency", "agencies", "reuters",
	"afp", "bureau", "service", "times", "post", "journal", "media",
	"network", "magazine", "daily", "tribune", "gazette", "herald",
	"desk", "team", "project", "union", "institute", "university",
	"foundation", "association", "newsroom", "online", "inc", "ltd",
	NULL};

/* Words a byline uses for roles and places rather than names. */
static int is_role(const char *part)
{
	static const char *const roles[] = {
		"reporter", "correspondent", "editor", "writer", "staff",
		"contributor", "columnist", "producer", "photographer",
		"journalist", "analyst", "published", "updated", "posted",
		"minute", "read", "http", "@", "•", NULL};
	char low[128];
	size_t k = 0;

	for (const char *s = part; *s && k + 1 < sizeof(low); s++)
		low[k++] = (char)lower_c(*s);
	low[k] = '\0';
	for (const char *const *r = roles; *r; r++)
		if (strstr(low, *r))
			return 1;
	/* organisations, as whole words: "Meridian Wire", "City Desk" */
	for (char *save, *w = strtok_r(low, " ,.", &save); w;
	     w = strtok_r(NULL, " ,.", &save))
		for (const char *const *o = organisations; *o; o++)
			if (strcmp(w, *o) == 0)
				return 1;
	for (const char *s = part; *s; s++)
		if (*s >= '0' && *s <= '9')
			return 1;
	return 0;
}

/* Names only: "By Jane Roe and Sam Poe, Staff Writers" -> "Jane Roe, Sam
 * Poe". Parts that are roles, dates or too long to be names go. */
static char *clean_byline(const char *raw)
{
	static const char *const lead[] = {"by", "written by", "posted by",
					   "words by", "story by",
					   "reporting by", "von", "par", "por",
					   "door", "di", NULL};
	sl_buf b = {0}, out = {0};
	char *s;

	sl_buf_adds(&b, raw);
	/* Separators between names all become commas. */
	for (char *sep; (sep = strstr(b.data, " and ")) ||
			(sep = strstr(b.data, " & ")) ||
			(sep = strstr(b.data, " | ")) ||
			(sep = strstr(b.data, " - ")) ||
			(sep = strstr(b.data, ";")) ||
			(sep = strstr(b.data, "\n"));) {
		size_t len = sep[1] == 'a' ? 5 : sep[0] == ';' || sep[0] == '\n'
							  ? 1 : 3;

		memmove(sep + 1, sep + len, strlen(sep + len) + 1);
		sep[0] = ',';
	}
	s = b.data;
	while (s && *s) {
		char *end = strchr(s, ',');
		size_t words = 1;

		if (end)
			*end = '\0';
		while (*s == ' ')
			s++;
		for (const char *const *l = lead; *l; l++)
			if (starts_word(s, *l)) {
				s += strlen(*l);
				while (*s == ' ' || *s == ':')
					s++;
			}
		/* trailing spaces, dashes and bars ("Nicolas Perriault —") */
		for (char *t = s + strlen(s); t > s;) {
			if (t[-1] == ' ' || t[-1] == '|' || t[-1] == '-')
				*--t = '\0';
			else if (t - s >= 3 && (unsigned char)t[-3] == 0xE2 &&
				 (unsigned char)t[-2] == 0x80 &&
				 ((unsigned char)t[-1] == 0x94 ||
				  (unsigned char)t[-1] == 0x93))
				*(t -= 3) = '\0'; /* em or en dash */
			else
				break;
		}
		for (const char *c = s; *c; c++)
			words += *c == ' ';
		if (*s && words <= 5 && !is_role(s) &&
		    !(lower_c(*s) >= 'a' && lower_c(*s) <= 'z' &&
		      *s == lower_c(*s))) {
			if (out.len)
				sl_buf_adds(&out, ", ");
			sl_buf_adds(&out, s);
		}
		s = end ? end + 1 : NULL;
	}
	sl_buf_free(&b);
	return out.len ? sl_buf_detach(&out) : (sl_buf_free(&out), NULL);
}

/* A time as pages write it (date.c), or SL_TIME_NONE. */
static int64_t parse_time(const char *s)
{
	int64_t t;

	return s && sl_date_parse(&t, s) == 0 ? t : SL_TIME_NONE;
}

/* A date in the URL: /2019/11/19/ or /2019-11-19/ or -20191119. */
static int64_t time_from_url(const char *url)
{
	if (!url)
		return SL_TIME_NONE;
	for (const char *s = url; *s; s++) {
		int y, m, d;
		char buf[11];

		if (*s != '/' && *s != '-' && *s != '_')
			continue;
		if (sscanf(s + 1, "%4d/%2d/%2d/", &y, &m, &d) == 3 ||
		    sscanf(s + 1, "%4d-%2d-%2d", &y, &m, &d) == 3) {
			if (y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1 ||
			    d > 31)
				continue;
			snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
			return parse_time(buf);
		}
	}
	return SL_TIME_NONE;
}

/* "en-US" -> "en"; NULL when it does not look like a language tag. */
static char *lang_code(const char *tag)
{
	char code[4];
	size_t k = 0;

	if (!tag)
		return NULL;
	while (*tag == ' ')
		tag++;
	for (; k < 3 && lower_c(*tag) >= 'a' && lower_c(*tag) <= 'z'; tag++)
		code[k++] = (char)lower_c(*tag);
	if (k < 2 || (*tag && *tag != '-' && *tag != '_' && *tag != ' ' &&
		      *tag != ','))
		return NULL;
	code[k] = '\0';
	return sl_strdup(code);
}

/* ------------------------------------------------------------------ */
/* The call                                                            */

void sl_extract_opts_init(sl_extract_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->max_bytes = DEFAULT_MAX_BYTES;
}

void sl_extracted_clear(sl_extracted *x)
{
	if (!x)
		return;
	sl_article_free(x->article);
	memset(x, 0, sizeof(*x));
	x->modified = SL_TIME_NONE;
}

static void page_free(page *p)
{
	for (int i = 0; i < M_COUNT; i++)
		free(p->meta[i]);
	for (size_t i = 0; i < p->n_h1; i++)
		free(p->h1[i]);
	free(p->st);
	free(p->chosen);
	if (p->doc)
		xmlFreeDoc(p->doc);
}

static xmlNode *find_body(htmlDocPtr doc)
{
	xmlNode *root = xmlDocGetRootElement(doc);

	for (xmlNode *c = root ? root->children : NULL; c; c = c->next)
		if (sl_html_tag(c) == T_BODY)
			return c;
	return root;
}

/* u when it is an absolute http(s) URL, as a copy; else NULL. */
static char *absolute_url(const char *u)
{
	char *url = u ? sl_html_url(u, NULL, 0) : NULL;

	if (url && !strstr(url, "://")) {
		free(url);
		url = NULL;
	}
	return url;
}

static void set_fields(page *p, sl_article *a, writer *w)
{
	const char *site = p->meta[M_SITE] ? p->meta[M_SITE]
					    : p->meta[LD_PUBLISHER];
	const char *bylines[] = {
		p->meta[LD_AUTHOR],	  p->meta[M_DC_AUTHOR],
		p->meta[M_AUTHOR],	  p->meta[M_BYLINE_EL],
		p->meta[M_BYLINE_EL + 1], p->meta[M_BYLINE_EL + 2],
		p->meta[M_BYLINE_LAST]};
	const char *img = p->meta[M_IMAGE] ? p->meta[M_IMAGE]
			  : p->meta[LD_IMAGE] ? p->meta[LD_IMAGE]
					      : p->meta[M_IMAGE_TW];
	const char *when[] = {p->meta[LD_PUBLISHED], p->meta[M_PUBLISHED],
			      p->meta[M_PUBLISHED2], p->meta[M_TIME]};

	a->url = p->url ? sl_strdup(p->url) : NULL;
	/* The page's own address when none was given: its canonical link
	 * or og:url, if absolute. */
	if (!a->url)
		a->url = absolute_url(p->meta[M_CANONICAL]);
	if (!a->url)
		a->url = absolute_url(p->meta[M_OG_URL]);
	a->outlet = site ? sl_strdup(site) : NULL;
	if (!a->outlet && p->meta[M_APPNAME])
		a->outlet = sl_strdup(p->meta[M_APPNAME]);
	if (!a->outlet)
		a->outlet = sl_html_host(a->url);
	a->title = choose_title(p, a->outlet);
	/* The first source that names a person. */
	for (size_t i = 0; i < sizeof(bylines) / sizeof(*bylines) &&
			   !a->byline;
	     i++)
		a->byline = bylines[i] ? clean_byline(bylines[i]) : NULL;
	for (size_t i = 0; i < 4 && a->published == SL_TIME_NONE; i++)
		a->published = parse_time(when[i]);
	if (a->published == SL_TIME_NONE)
		a->published = time_from_url(a->url);
	a->lang = lang_code(p->meta[M_HTML_LANG]);
	if (!a->lang)
		a->lang = lang_code(p->meta[LD_LANG]);
	if (!a->lang)
		a->lang = lang_code(p->meta[M_LANG]);
	if (!a->lang)
		a->lang = lang_code(p->meta[M_LOCALE]);
	if (img)
		a->image = sl_html_url(img, base_url(p), 0);
	a->captions = w->captions;
	a->n_captions = w->n_captions;
	w->captions = NULL;
	w->n_captions = 0;
	if (p->meta[M_DESC])
		a->summary = sl_strdup(p->meta[M_DESC]);
}

/* The first image of the article (its lead photo often sits above the
 * body) when the page names no lead image. */
static char *first_image(page *p)
{
	for (size_t i = 0; i <= p->n_chosen; i++) {
		xmlNode *r = i == 0 ? p->scope : p->chosen[i - 1];

		if (!r)
			continue;

		for (xmlNode *n = r; n; n = sl_html_next(n, r, 0)) {
			int tag = sl_html_tag(n);

			if (tag == T_IMG || tag == T_AMP_IMG) {
				char *src = sl_html_img_src(n, base_url(p));

				if (src)
					return src;
			}
		}
	}
	return NULL;
}

/* Drop a first paragraph that repeats the title or the byline. */
static void drop_repeats(sl_buf *text, const sl_article *a)
{
	for (int round = 0; round < 2 && text->len; round++) {
		char *end = strstr(text->data, "\n\n");
		size_t len = end ? (size_t)(end - text->data) : text->len;
		char *first = sl_strndup(text->data, len);
		int repeat = (a->title && same_text(first, a->title)) ||
			     (a->byline && len < BYLINE_MAX &&
			      strstr(first, a->byline));

		free(first);
		if (!repeat)
			return;
		len += end ? 2 : 0;
		memmove(text->data, text->data + len, text->len - len + 1);
		text->len -= len;
	}
}

/* Where the element named tag (lower case, e.g. "script") closes in
 * s[0..n): the '<' of its end tag, or n. */
static size_t end_tag(const char *s, size_t n, const char *tag)
{
	size_t tn = strlen(tag);

	for (const char *c = s; (c = memchr(c, '<', n - (size_t)(c - s)));
	     c++)
		if ((size_t)(s + n - c) > tn + 1 && c[1] == '/' &&
		    strncasecmp(c + 2, tag, tn) == 0)
			return (size_t)(c - s);
	return n;
}

/*
 * Empty every <script> and <style> before parsing, except JSON-LD: on
 * today's pages they are most of the bytes (state blobs, inlined
 * bundles), and libxml2 would copy each into the tree only for the
 * extractor to drop it. Their content ends at the first end tag, as a
 * browser's tokenizer reads it.
 */
static void strip_code(sl_buf *page)
{
	char *s = page->data, *w = page->data;
	size_t n = page->len, i = 0;

	while (i < n) {
		const char *lt = memchr(s + i, '<', n - i);
		size_t at, open_end, close;
		const char *tag;

		if (!lt) {
			memmove(w, s + i, n - i);
			w += n - i;
			break;
		}
		at = (size_t)(lt - s);
		tag = strncasecmp(lt + 1, "script", 6) == 0   ? "script"
		      : strncasecmp(lt + 1, "style", 5) == 0 ? "style"
							     : NULL;
		if (!tag || at + 1 + strlen(tag) >= n ||
		    !strchr(" \t\n\r\f/>", lt[1 + strlen(tag)])) {
			memmove(w, s + i, at + 1 - i);
			w += at + 1 - i;
			i = at + 1;
			continue;
		}
		{
			const char *gt = memchr(lt, '>', n - at);

			if (!gt)
				break; /* an open tag cut by the end: drop it */
			open_end = (size_t)(gt - s) + 1;
		}
		close = open_end + end_tag(s + open_end, n - open_end, tag);
		/* keep the open tag; keep the content of JSON-LD only */
		memmove(w, s + i, open_end - i);
		w += open_end - i;
		if (tag[1] == 'c' && find_ci_n(s + at, open_end - at,
					       "ld+json")) {
			memmove(w, s + open_end, close - open_end);
			w += close - open_end;
		}
		i = close;
	}
	page->len = (size_t)(w - page->data);
	if (page->data)
		page->data[page->len] = '\0';
}

static void writer_reset(writer *w)
{
	for (size_t i = 0; i < w->n_captions; i++)
		free(w->captions[i]);
	w->n_captions = 0;
	w->n_paras = 0;
	w->readerable_score = 0;
	sl_buf_clear(&w->para);
	sl_buf_clear(&w->text);
}

/* The page says this element is its article: <article>, itemprop
 * articleBody, or a class or id such as "article-body", "post-content",
 * "entry-content", "story-text". */
static int is_marked_article(const xmlNode *n)
{
	const char *itemprop = sl_html_attr(n, "itemprop");
	char ci[256];

	if (sl_html_tag(n) == T_ARTICLE ||
	    (itemprop && strcasecmp(itemprop, "articleBody") == 0))
		return 1;
	if (!class_id(n, ci, sizeof(ci)))
		return 0;
	return (strstr(ci, "article") || strstr(ci, "post") ||
		strstr(ci, "entry") || strstr(ci, "story")) &&
	       (strstr(ci, "body") || strstr(ci, "content") ||
		strstr(ci, "text"));
}

#define TRUSTED_SCORE 30 /* a container several real paragraphs vouch for */
#define SHORT_ARTICLE 200
/* A container whose text is this much links is a list of teasers (a
 * front page), not an article, unless it also holds long paragraphs. */
#define TEASER_LINKS 0.3

/* Captions of the article's photos: under the <article> or <main> that
 * holds the body (the lead photo often sits above the text, outside
 * it), or else under the body's own container. Boxes around the
 * article are gone by now, and with them their photos. */
static xmlNode *gather_captions(writer *w, xmlNode *top)
{
	xmlNode *scope = top;

	for (xmlNode *a = top; a && a->type == XML_ELEMENT_NODE; a = a->parent)
		if (sl_html_tag(a) == T_ARTICLE || sl_html_tag(a) == T_MAIN) {
			scope = a;
			break;
		}
	add_captions_under(w, scope);
	return scope;
}

/* One try at the body with p->flags, from a fresh parse unless this is
 * the page's first. */
static int body_attempt(page *p, writer *w, const sl_buf *utf8, int fresh)
{
	xmlNode *top;

	double mark = clock_now();

	times.attempts++;
	if (fresh) {
		xmlFreeDoc(p->doc);
		p->doc = sl_html_parse(utf8->data, utf8->len, p->url);
		lap(&times.parse, &mark);
		if (!p->doc || !(p->body = find_body(p->doc)))
			return -1;
		p->n_st = 0;
		p->n_chosen = 0;
	}
	writer_reset(w);
	clean(p);
	measure(p);
	score_paragraphs(p);
	top = top_candidate(p);
	if (getenv("SL_EXTRACT_DEBUG"))
		fprintf(stderr, "flags %u top <%s class=%s id=%s> score %.1f "
				"text %u\n",
			p->flags, top->name, sl_html_attr(top, "class"),
			sl_html_attr(top, "id"), stat_of(p, top)->score,
			stat_of(p, top)->text);
	p->top_score = stat_of(p, top)->score;
	p->top_marked = is_marked_article(top);
	p->top_links = link_density(stat_of(p, top));
	p->scope = gather_captions(w, top);
	gather(p, top);
	if (p->flags & F_CLEAN_BLOCKS)
		tidy_chosen(p, top);
	lap(&times.body, &mark);
	for (size_t i = 0; i < p->n_chosen; i++)
		write_text(w, p->chosen[i]);
	lap(&times.output, &mark);
	return 0;
}

/*
 * The body, with Readability's retries: when less than RETRY_BELOW bytes
 * of text come out, try again without removing boilerplate-named blocks,
 * then without class weights, then without cleaning inside the body, and
 * keep the longest (redone last, so that the tree is that attempt's).
 */
static int body_attempts(page *p, writer *w, const sl_buf *utf8)
{
	static const unsigned tries[] = {
		F_ALL, F_WEIGHT_CLASSES | F_CLEAN_BLOCKS, F_CLEAN_BLOCKS, 0};
	unsigned best = F_ALL;
	size_t best_len = 0, n_tries = sizeof(tries) / sizeof(*tries);
	int best_prose = 0;

	for (size_t i = 0; i < n_tries; i++) {
		p->flags = tries[i];
		if (body_attempt(p, w, utf8, i > 0) < 0)
			return -1;
		/* Long enough, or short but clearly the article: retrying
		 * would only let comments and rails back in. */
		if (w->text.len >= RETRY_BELOW ||
		    (w->text.len >= SHORT_ARTICLE &&
		     (p->top_score >= TRUSTED_SCORE || p->top_marked)))
			return 0;
		/* the longest, but prose over a list of links */
		if (p->top_links < TEASER_LINKS && !best_prose) {
			best_prose = 1;
			best_len = 0;
		}
		if ((p->top_links < TEASER_LINKS || !best_prose) &&
		    w->text.len > best_len) {
			best_len = w->text.len;
			best = tries[i];
		}
	}
	if (best == tries[n_tries - 1])
		return 0;
	p->flags = best;
	return body_attempt(p, w, utf8, 1);
}

#define GUESS_BYTES 4096 /* the guess reads the first 600 tokens */

/* The shared analysis' guess, for a page that names no language. */
static char *guess_lang(const sl_article *a)
{
	sl_analyzer *an;
	const sl_analysis *res;
	size_t body_len;
	char *lang = NULL;

	if (!a->body_text && !a->title)
		return NULL;
	body_len = a->body_text ? strlen(a->body_text) : 0;
	if (body_len > GUESS_BYTES)
		body_len = sl_utf8_floor(a->body_text, body_len, GUESS_BYTES);
	an = sl_analyzer_new();
	res = sl_analyze(an, a->title, a->title ? strlen(a->title) : 0,
			 a->body_text, body_len, NULL);
	if (res->lang[0])
		lang = sl_strdup(res->lang);
	sl_analyzer_free(an);
	return lang;
}

int sl_extract(sl_extracted *out, const char *html, size_t len,
	       const sl_extract_opts *opts)
{
	sl_extract_opts defaults;
	page p = {0};
	writer w = {0};
	sl_buf utf8 = {0}, body_html = {0};
	sl_article *a = NULL;
	double mark = clock_now();
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->modified = SL_TIME_NONE;
	if (!opts) {
		sl_extract_opts_init(&defaults);
		opts = &defaults;
	}
	if (len > (opts->max_bytes ? opts->max_bytes : DEFAULT_MAX_BYTES))
		return sl_error_set(SL_EINVAL,
				    "page of %zu bytes is over the %zu-byte "
				    "limit",
				    len, opts->max_bytes);
	mark = clock_now();
	times.pages++;
	sl_charset_to_utf8(&utf8, html, len, opts->charset, NULL);
	strip_code(&utf8);
	lap(&times.decode, &mark);
	if (!memchr(utf8.data ? utf8.data : "", '<', utf8.len)) {
		rc = sl_error_set(SL_EINVAL, "not HTML: no tag in %zu bytes",
				  len);
		goto cleanup;
	}
	p.url = opts->url && *opts->url ? opts->url : NULL;
	p.doc = sl_html_parse(utf8.data, utf8.len, p.url);
	lap(&times.parse, &mark);
	if (!p.doc || !(p.body = find_body(p.doc))) {
		rc = sl_error_set(SL_EINVAL, "not HTML: nothing to parse");
		goto cleanup;
	}
	read_metadata(&p);
	lap(&times.metadata, &mark);
	if (body_attempts(&p, &w, &utf8) < 0) {
		rc = sl_error_set(SL_EINVAL, "not HTML: nothing to parse");
		goto cleanup;
	}
	mark = clock_now(); /* the attempts lapped their own phases */
	a = sl_article_new();
	set_fields(&p, a, &w);
	drop_repeats(&w.text, a);
	/* A shell page whose article is in its JSON-LD. */
	if (p.meta[LD_BODY] && strlen(p.meta[LD_BODY]) > w.text.len * 2) {
		sl_buf_clear(&w.text);
		w.readerable_score = 0;
		write_ld_body(&w, p.meta[LD_BODY]);
		p.n_chosen = 0;
	}
	/* Readability's test (some paragraphs of real length), or a short
	 * article: prose, not a column of one-line teasers. */
	out->readerable = w.readerable_score > READERABLE_SCORE ||
			  (w.text.len >= SHORT_ARTICLE &&
			   p.top_links < TEASER_LINKS &&
			   (p.top_marked ||
			    (w.n_paras && w.text.len / w.n_paras >= 60)));
	if (out->readerable) {
		for (size_t i = 0; i < p.n_chosen; i++)
			sl_sanitize_node(&body_html, p.chosen[i],
					 base_url(&p));
		if (!p.n_chosen) /* from JSON-LD: paragraphs of text */
			for (const char *s = w.text.data; s && *s;) {
				const char *end = strstr(s, "\n\n");
				size_t n = end ? (size_t)(end - s) : strlen(s);

				sl_buf_adds(&body_html, "<p>");
				sl_html_escape(&body_html, s, n);
				sl_buf_adds(&body_html, "</p>");
				s += n + (end ? 2 : 0);
			}
		a->body_text = w.text.len ? sl_buf_detach(&w.text) : NULL;
		a->body_html = body_html.len
				       ? sl_sanitize_reparse(body_html.data,
							     body_html.len,
							     base_url(&p))
				       : NULL;
	}
	if (!a->image)
		a->image = first_image(&p);
	if (!a->lang)
		a->lang = guess_lang(a);
	out->modified = parse_time(p.meta[LD_MODIFIED]);
	if (out->modified == SL_TIME_NONE)
		out->modified = parse_time(p.meta[M_MODIFIED]);
	sl_article_tidy(a);
	if (!a->summary && a->body_text)
		a->summary = sl_summary_of(a->body_text, 300);
	if (a->body_text) {
		size_t words = 0;
		int in_word = 0;

		for (const char *s = a->body_text; *s; s++) {
			int space = *s == ' ' || *s == '\n';

			words += !space && !in_word;
			in_word = !space;
		}
		a->reading_minutes = sl_reading_minutes(words);
	}
	out->article = a;
	a = NULL;
cleanup:
	lap(&times.output, &mark);
	for (size_t i = 0; i < w.n_captions; i++)
		free(w.captions[i]);
	free(w.captions);
	sl_buf_free(&w.para);
	sl_buf_free(&w.text);
	sl_buf_free(&body_html);
	sl_buf_free(&utf8);
	sl_article_free(a);
	page_free(&p);
	return rc;
}

void sl_extract_fragment(sl_article *a, const char *html, size_t len,
			 const char *base)
{
	sl_buf utf8 = {0}, body_html = {0};
	writer w = {0};
	htmlDocPtr doc;
	xmlNode *body;

	/* inside a <div>: loose text is not an implied <p> of its own */
	sl_buf_adds(&utf8, "<div>");
	sl_utf8_repair(&utf8, html, len);
	strip_code(&utf8);
	doc = sl_html_parse(utf8.data, utf8.len, base);
	body = doc ? find_body(doc) : NULL;
	if (body) {
		for (xmlNode *n = body->children; n; n = n->next)
			sl_html_hoist_void(n);
		write_text(&w, body);
		for (xmlNode *n = body->children; n; n = n->next)
			sl_sanitize_node(&body_html, n, base);
	}
	if (w.text.len) {
		free(a->body_text);
		a->body_text = sl_buf_detach(&w.text);
	}
	if (body_html.len) {
		free(a->body_html);
		a->body_html = sl_sanitize_reparse(body_html.data,
						   body_html.len, base);
	}
	if (w.n_captions) {
		for (size_t i = 0; i < a->n_captions; i++)
			free(a->captions[i]);
		free(a->captions);
		a->captions = w.captions;
		a->n_captions = w.n_captions;
		w.captions = NULL;
		w.n_captions = 0;
	}
	if (!a->image && body) {
		page p = {0};

		p.scope = body;
		p.url = base;
		a->image = first_image(&p);
	}
	writer_reset(&w);
	free(w.captions);
	sl_buf_free(&w.para);
	sl_buf_free(&w.text);
	sl_buf_free(&body_html);
	sl_buf_free(&utf8);
	if (doc)
		xmlFreeDoc(doc);
}

char *sl_extracted_to_json(const sl_extracted *x)
{
	char *line = sl_article_to_json(x->article, SL_JSON_FULL), *text;
	json_t *obj = json_loads(line, 0, NULL);

	free(line);
	if (!obj)
		return NULL;
	json_object_set_new(obj, "body_text",
			    sl_json_str(x->article->body_text));
	json_object_set_new(obj, "modified", sl_json_time(x->modified));
	json_object_set_new(obj, "readerable", json_boolean(x->readerable));
	text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	return text;
}
