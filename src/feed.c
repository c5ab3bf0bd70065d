/*
 * feed.c - feeds in every format they come in, read into sl_feed.
 *
 * XML feeds go through libxml2's streaming reader: elements are matched
 * by namespace URI and local name, never by prefix (a feed may call the
 * content module "x:"), and an item's fields are read one element at a
 * time, so a feed that breaks off keeps the items before the break. The
 * reader runs without network access, DTD loading or entity
 * substitution beyond XML's five. JSON Feed goes through jansson.
 * Dates go through sl_date_parse; a date that cannot be read is counted
 * and left out, never fatal.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <libxml/uri.h>
#include <libxml/xmlreader.h>

#include "charset.h"
#include "date.h"
#include "error.h"
#include "feed.h"
#include "html.h"
#include "util/mem.h"

#define NS_ATOM "http://www.w3.org/2005/Atom"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_MEDIA "http://search.yahoo.com/mrss/"
#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_RSS1 "http://purl.org/rss/1.0/"
#define NS_RSS090 "http://my.netscape.com/rdf/simple/0.9/"

#define MAX_CATEGORIES 32

/* ------------------------------------------------------------------ */
/* Items                                                               */

static void item_clear(sl_feed_item *it)
{
	free(it->guid);
	free(it->link);
	free(it->title);
	free(it->author);
	free(it->summary);
	free(it->content);
	free(it->image);
	for (size_t i = 0; i < it->n_categories; i++)
		free(it->categories[i]);
	free(it->categories);
}

void sl_feed_free(sl_feed *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n_items; i++)
		item_clear(&f->items[i]);
	free(f->items);
	free(f->title);
	free(f->link);
	free(f->lang);
	free(f->author);
	free(f->error);
	free(f);
}

static sl_feed_item *new_item(sl_feed *f, size_t *cap)
{
	sl_feed_item *it;

	sl_grow(&f->items, cap, f->n_items + 1, sizeof(*f->items));
	it = &f->items[f->n_items++];
	memset(it, 0, sizeof(*it));
	it->published = it->updated = SL_TIME_NONE;
	return it;
}

/* Trimmed copy, or NULL when s is empty or only white space. */
static char *trimmed(const char *s)
{
	const char *end;

	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\n' || end[-1] == '\r'))
		end--;
	return end > s ? sl_strndup(s, (size_t)(end - s)) : NULL;
}

/* Keep the first value of a field; later ones are dropped. */
static void set_first(char **field, char *value)
{
	if (*field || !value) {
		free(value);
		return;
	}
	*field = value;
}

/* Authors and categories gather: "A, B". */
static void add_author(sl_feed_item *it, char *name)
{
	size_t a, b;

	if (!name)
		return;
	if (!it->author) {
		it->author = name;
		return;
	}
	if (strstr(it->author, name)) { /* dc:creator beside author */
		free(name);
		return;
	}
	a = strlen(it->author);
	b = strlen(name);
	it->author = sl_realloc(it->author, a + b + 3);
	memcpy(it->author + a, ", ", 2);
	memcpy(it->author + a + 2, name, b + 1);
	free(name);
}

static void add_category(sl_feed_item *it, char *term)
{
	size_t cap = it->n_categories;

	if (!term || it->n_categories >= MAX_CATEGORIES) {
		free(term);
		return;
	}
	for (size_t i = 0; i < it->n_categories; i++)
		if (strcmp(it->categories[i], term) == 0) {
			free(term);
			return;
		}
	sl_grow(&it->categories, &cap, it->n_categories + 1,
		sizeof(*it->categories));
	it->categories[it->n_categories++] = term;
}

static void set_date(sl_feed_item *it, int64_t *field, const char *text)
{
	int64_t t;

	if (!text || !*text || *field != SL_TIME_NONE)
		return;
	if (sl_date_parse(&t, text) == 0)
		*field = t;
	else
		it->bad_date = 1;
}

/* Plain text of an HTML string (an Atom title of type="html"). */
static char *html_text(const char *html)
{
	char *clean = sl_sanitize_html(html, strlen(html), NULL);
	sl_buf b = {0};
	htmlDocPtr doc;

	if (!clean)
		return NULL;
	doc = sl_html_parse(clean, strlen(clean), NULL);
	if (doc) {
		xmlNode *root = xmlDocGetRootElement(doc);

		if (root)
			sl_html_text(&b, root);
		xmlFreeDoc(doc);
	}
	free(clean);
	if (!b.len)
		return (sl_buf_free(&b), NULL);
	{
		char *t = trimmed(b.data);

		sl_buf_free(&b);
		return t;
	}
}

/* url resolved against base; NULL unless it ends up http(s). */
static char *resolve(const char *url, const char *base)
{
	char *u;

	if (!url)
		return NULL;
	u = sl_html_url(url, base, 0);
	if (u && strncmp(u, "http://", 7) && strncmp(u, "https://", 8)) {
		/* still relative: no base to use */
		free(u);
		return NULL;
	}
	return u;
}

/* ------------------------------------------------------------------ */
/* XML                                                                 */

typedef struct xml_state {
	xmlTextReaderPtr r;
	sl_feed *f;
	size_t cap;
	const char *url;
	size_t n_errors;      /* errors libxml2 recovered from, or not */
	char last_error[256]; /* the last one's message */
} xml_state;

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
	xml_state *st = ctx;
	size_t n;

	st->n_errors++;
	snprintf(st->last_error, sizeof(st->last_error), "line %d: %s",
		 e->line, e->message ? e->message : "malformed XML");
	n = strlen(st->last_error); /* libxml2 ends it in a newline */
	while (n && (st->last_error[n - 1] == '\n' ||
		     st->last_error[n - 1] == ' '))
		st->last_error[--n] = '\0';
}

static int is(xmlTextReaderPtr r, const char *ns, const char *name)
{
	const char *local = (const char *)xmlTextReaderConstLocalName(r);
	const char *uri = (const char *)xmlTextReaderConstNamespaceUri(r);

	if (!local || strcmp(local, name) != 0)
		return 0;
	if (!ns) /* RSS 0.9x/2.0 elements have none (RSS 1.0 has its own) */
		return !uri || !strcmp(uri, NS_RSS1) || !strcmp(uri, NS_RSS090);
	return uri && strcmp(uri, ns) == 0;
}

static char *attr(xmlTextReaderPtr r, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
	char *out = v ? trimmed((const char *)v) : NULL;

	xmlFree(v);
	return out;
}

static char *attr_ns(xmlTextReaderPtr r, const char *name, const char *ns)
{
	xmlChar *v = xmlTextReaderGetAttributeNs(r, (const xmlChar *)name,
						 (const xmlChar *)ns);
	char *out = v ? trimmed((const char *)v) : NULL;

	xmlFree(v);
	return out;
}

/* The text of the current element (entities decoded, CDATA kept). */
static char *text(xmlTextReaderPtr r)
{
	xmlChar *v = xmlTextReaderReadString(r);
	char *out = v ? trimmed((const char *)v) : NULL;

	xmlFree(v);
	return out;
}

/* The base URI in effect here (xml:base, else the document's URL). */
static char *base_here(xmlTextReaderPtr r)
{
	xmlChar *b = xmlTextReaderBaseUri(r);
	char *out = b ? sl_strdup((const char *)b) : NULL;

	xmlFree(b);
	return out;
}

/* An Atom text construct: type text, html (escaped) or xhtml (a div of
 * markup). *is_text says which kind came back. */
static char *atom_text(xmlTextReaderPtr r, int *is_text)
{
	char *type = attr(r, "type");
	char *out;

	if (type && strcmp(type, "xhtml") == 0) {
		xmlChar *inner = xmlTextReaderReadInnerXml(r);

		out = inner ? trimmed((const char *)inner) : NULL;
		xmlFree(inner);
		*is_text = 0;
	} else {
		out = text(r);
		*is_text = !type || strcmp(type, "text") == 0 ||
			   strncmp(type, "text/plain", 10) == 0;
		if (type && strstr(type, "html"))
			*is_text = 0;
	}
	free(type);
	return out;
}

static int is_image(const char *type, const char *medium, const char *url)
{
	const char *dot = url ? strrchr(url, '.') : NULL;

	if (medium)
		return strcmp(medium, "image") == 0;
	if (type)
		return strncmp(type, "image/", 6) == 0;
	return dot && (!strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg") ||
		       !strcasecmp(dot, ".png") || !strcasecmp(dot, ".webp") ||
		       !strcasecmp(dot, ".gif"));
}

/* One element inside an item or entry. Returns 1 when it consumed the
 * element's subtree (the caller skips it), 0 to walk into it. */
static int read_item_field(xml_state *st, sl_feed_item *it)
{
	xmlTextReaderPtr r = st->r;
	int is_text;

	if (is(r, NULL, "title") || is(r, NS_ATOM, "title")) {
		char *t = is(r, NS_ATOM, "title") ? atom_text(r, &is_text)
						  : text(r);

		if (t && is(r, NS_ATOM, "title") && !is_text) {
			char *plain = html_text(t);

			free(t);
			t = plain;
		}
		set_first(&it->title, t);
	} else if (is(r, NULL, "link")) {
		char *href = text(r), *base = base_here(r);

		set_first(&it->link, resolve(href, st->f->link ? st->f->link
								: base));
		free(href);
		free(base);
	} else if (is(r, NS_ATOM, "link")) {
		char *rel = attr(r, "rel"), *href = attr(r, "href");
		char *type = attr(r, "type"), *base = base_here(r);

		if (!rel || !strcmp(rel, "alternate"))
			set_first(&it->link, resolve(href, base));
		else if (!strcmp(rel, "enclosure") &&
			 is_image(type, NULL, href))
			set_first(&it->image, resolve(href, base));
		free(rel);
		free(href);
		free(type);
		free(base);
	} else if (is(r, NULL, "guid") || is(r, NS_ATOM, "id")) {
		char *g = text(r), *permalink = attr(r, "isPermaLink");

		/* A permalink guid is the link when there is none. */
		if (g && is(r, NULL, "guid") &&
		    (!permalink || strcmp(permalink, "false") != 0)) {
			char *base = base_here(r);

			set_first(&it->link, resolve(g, base));
			free(base);
		}
		set_first(&it->guid, g);
		free(permalink);
	} else if (is(r, NULL, "description") || is(r, NS_ATOM, "summary")) {
		is_text = 0;
		if (!it->summary) {
			it->summary = is(r, NS_ATOM, "summary")
					      ? atom_text(r, &is_text)
					      : text(r);
			it->summary_text = is_text;
		}
	} else if (is(r, NS_CONTENT, "encoded")) {
		char *c = text(r);

		if (c) {
			free(it->content);
			it->content = c;
			it->content_text = 0;
		}
	} else if (is(r, NS_ATOM, "content")) {
		char *src = attr(r, "src");

		if (!src && !it->content) {
			it->content = atom_text(r, &is_text);
			it->content_text = is_text;
		}
		free(src);
	} else if (is(r, NULL, "pubDate") || is(r, NS_ATOM, "published") ||
		   is(r, NS_DC, "date") || is(r, NS_ATOM, "issued")) {
		char *d = text(r);

		set_date(it, &it->published, d);
		free(d);
	} else if (is(r, NS_ATOM, "updated") || is(r, NS_ATOM, "modified")) {
		char *d = text(r);

		set_date(it, &it->updated, d);
		free(d);
	} else if (is(r, NULL, "author") || is(r, NS_DC, "creator")) {
		char *a = text(r);

		/* RSS's author is "mail (Name)": the name, or the whole */
		if (a && strchr(a, '(') && strchr(a, ')') > strchr(a, '(')) {
			char *open = strchr(a, '('), *close = strrchr(a, ')');
			char *name = sl_strndup(open + 1,
						(size_t)(close - open - 1));

			free(a);
			a = trimmed(name);
			free(name);
		} else if (a && strchr(a, '@') && !strchr(a, ' ')) {
			free(a); /* an e-mail alone is no byline */
			a = NULL;
		}
		add_author(it, a);
	} else if (is(r, NS_ATOM, "author") || is(r, NS_ATOM, "contributor") ||
		   is(r, NS_MEDIA, "group")) {
		return 0; /* walk in: atom:name, media:content */
	} else if (is(r, NS_ATOM, "name")) {
		add_author(it, text(r));
	} else if (is(r, NULL, "category") || is(r, NS_DC, "subject")) {
		add_category(it, text(r));
	} else if (is(r, NS_ATOM, "category")) {
		char *label = attr(r, "label");

		add_category(it, label ? label : attr(r, "term"));
	} else if (is(r, NULL, "enclosure") || is(r, NS_MEDIA, "content") ||
		   is(r, NS_MEDIA, "thumbnail")) {
		char *url = attr(r, "url"), *type = attr(r, "type");
		char *medium = attr(r, "medium"), *base = base_here(r);

		if (is(r, NS_MEDIA, "thumbnail") || is_image(type, medium, url))
			set_first(&it->image, resolve(url, base));
		free(url);
		free(type);
		free(medium);
		free(base);
	}
	return 1;
}

static void read_channel_field(xml_state *st)
{
	xmlTextReaderPtr r = st->r;
	sl_feed *f = st->f;

	if (is(r, NULL, "title") || is(r, NS_ATOM, "title")) {
		set_first(&f->title, text(r));
	} else if (is(r, NULL, "link")) {
		char *base = base_here(r), *href = text(r);

		set_first(&f->link, resolve(href, base));
		free(base);
		free(href);
	} else if (is(r, NS_ATOM, "link")) {
		char *rel = attr(r, "rel"), *href = attr(r, "href");
		char *base = base_here(r);

		if (!rel || !strcmp(rel, "alternate"))
			set_first(&f->link, resolve(href, base));
		free(rel);
		free(href);
		free(base);
	} else if (is(r, NS_ATOM, "name")) { /* inside the feed's author */
		set_first(&f->author, text(r));
	} else if (is(r, NULL, "language") || is(r, NS_DC, "language")) {
		set_first(&f->lang, text(r));
	} else if (is(r, NULL, "ttl")) {
		char *t = text(r);
		long v = t ? strtol(t, NULL, 10) : 0;

		if (v > 0 && v < 100000)
			f->ttl_minutes = (int)v;
		free(t);
	}
}

/* The kind of feed from its root element; 0 when it is not one. */
static int root_kind(xmlTextReaderPtr r)
{
	if (is(r, NULL, "rss"))
		return SL_FEED_RSS;
	if (is(r, NS_RDF, "RDF"))
		return SL_FEED_RDF;
	if (is(r, NS_ATOM, "feed"))
		return SL_FEED_ATOM;
	return 0;
}

static int is_item(xmlTextReaderPtr r)
{
	return is(r, NULL, "item") || is(r, NS_ATOM, "entry");
}

/* The "Read more" link of an item's HTML summary, for items that have
 * no link of their own. */
static char *read_more_link(const char *html, const char *base)
{
	static const char *const words[] = {"read more", "continue reading",
					    "read the full", "full story",
					    "more\xe2\x80\xa6", NULL};
	htmlDocPtr doc = sl_html_parse(html, strlen(html), base);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	char *link = NULL;

	for (xmlNode *n = root; n && !link; n = sl_html_next(n, root, 0)) {
		sl_buf text = {0};
		const char *href;

		if (sl_html_tag(n) != T_A || !(href = sl_html_attr(n, "href")))
			continue;
		sl_html_text(&text, n);
		for (const char *const *w = words; *w && text.len; w++)
			if (strcasestr(text.data, *w))
				link = resolve(href, base);
		sl_buf_free(&text);
	}
	if (doc)
		xmlFreeDoc(doc);
	return link;
}

/* An item read to its end: what it lacks, from what it has. */
static void item_done(sl_feed_item *it, const sl_feed *f, const char *url)
{
	if (!it->link && it->summary && !it->summary_text)
		it->link = read_more_link(it->summary, f->link ? f->link : url);
}

/* The reader walks the whole document; a field element whose value was
 * read is stepped over (Next) instead of walked into (Read). */
static void read_xml(xml_state *st)
{
	xmlTextReaderPtr r = st->r;
	sl_feed_item *it = NULL;
	int item_depth = -1, rc = xmlTextReaderRead(r);
	size_t item_errors = 0, last_item_errors = 0;

	while (rc == 1) {
		int type = xmlTextReaderNodeType(r);
		int depth = xmlTextReaderDepth(r), skip = 0;

		if (type == XML_READER_TYPE_END_ELEMENT) {
			if (it && depth == item_depth) {
				item_done(it, st->f, st->url);
				last_item_errors = st->n_errors - item_errors;
				it = NULL;
				item_depth = -1;
			}
		} else if (type != XML_READER_TYPE_ELEMENT) {
			/* text between elements: nothing to do */
		} else if (!st->f->kind) {
			st->f->kind = root_kind(r);
			if (!st->f->kind)
				return;
			if (st->f->kind == SL_FEED_ATOM)
				set_first(&st->f->lang,
					  attr_ns(r, "lang",
						  "http://www.w3.org/XML/"
						  "1998/namespace"));
		} else if (!it && is_item(r)) {
			if (st->f->n_items >= SL_FEED_MAX_ITEMS)
				return;
			it = new_item(st->f, &st->cap);
			item_depth = depth;
			item_errors = st->n_errors;
			set_first(&it->guid, attr_ns(r, "about", NS_RDF));
			if (xmlTextReaderIsEmptyElement(r)) {
				it = NULL;
				item_depth = -1;
			}
		} else if (it) {
			skip = read_item_field(st, it);
		} else {
			read_channel_field(st);
			/* a channel's own fields, not the items inside it;
			 * the feed's author is walked into for its name */
			skip = !is(r, NULL, "channel") &&
			       !is(r, NS_ATOM, "feed") &&
			       !is(r, NS_ATOM, "author");
		}
		rc = skip ? xmlTextReaderNext(r) : xmlTextReaderRead(r);
	}
	if (rc < 0 || xmlTextReaderReadState(r) == XML_TEXTREADER_MODE_ERROR) {
		free(st->f->error);
		st->f->error = sl_strdup(st->last_error[0] ? st->last_error
							   : "malformed XML");
		/* An item cut off by the break is not an item: the one open
		 * when reading stopped, or the last one if the error that
		 * stopped reading came inside it (the reader may close an
		 * element itself when it gives up). */
		if ((it || last_item_errors) && st->f->n_items)
			item_clear(&st->f->items[--st->f->n_items]);
	}
}

/* ------------------------------------------------------------------ */
/* JSON Feed                                                           */

static char *json_text(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? trimmed(json_string_value(v)) : NULL;
}

static void read_json_item(sl_feed *f, sl_feed_item *it, const json_t *o,
			   const char *url)
{
	const json_t *authors = json_object_get(o, "authors"), *tags;
	const json_t *id = json_object_get(o, "id"), *v;
	const char *base = f->link ? f->link : url;
	char *link = json_text(o, "url"), *date;
	size_t i;

	if (json_is_string(id))
		it->guid = trimmed(json_string_value(id));
	else if (json_is_integer(id)) { /* 1.0 feeds that wrote numbers */
		char buf[32];

		snprintf(buf, sizeof(buf), "%lld",
			 (long long)json_integer_value(id));
		it->guid = sl_strdup(buf);
	}
	if (!link)
		link = json_text(o, "external_url");
	it->link = resolve(link, base);
	free(link);
	it->title = json_text(o, "title");
	it->content = json_text(o, "content_html");
	if (!it->content) {
		it->content = json_text(o, "content_text");
		it->content_text = it->content != NULL;
	}
	it->summary = json_text(o, "summary");
	it->summary_text = 1;
	{
		char *img = json_text(o, "image");

		if (!img)
			img = json_text(o, "banner_image");
		it->image = resolve(img, base);
		free(img);
	}
	date = json_text(o, "date_published");
	set_date(it, &it->published, date);
	free(date);
	date = json_text(o, "date_modified");
	set_date(it, &it->updated, date);
	free(date);
	if (!json_is_array(authors)) /* 1.0: one author object */
		authors = json_object_get(o, "author");
	if (json_is_object(authors)) {
		add_author(it, json_text(authors, "name"));
	} else if (json_is_array(authors)) {
		json_array_foreach(authors, i, v)
			if (json_is_object(v))
				add_author(it, json_text(v, "name"));
	}
	tags = json_object_get(o, "tags");
	if (json_is_array(tags))
		json_array_foreach(tags, i, v)
			if (json_is_string(v))
				add_category(it, trimmed(json_string_value(v)));
}

static int read_json_feed(sl_feed *f, const char *data, size_t len,
			  const char *url)
{
	json_error_t err;
	json_t *root = json_loadb(data, len, 0, &err), *items, *o;
	const json_t *version;
	size_t i, cap = 0;

	if (!json_is_object(root)) {
		json_decref(root);
		return sl_error_set(SL_EINVAL, "not a JSON Feed: %s",
				    err.text);
	}
	version = json_object_get(root, "version");
	if (!json_is_string(version) ||
	    !strstr(json_string_value(version), "jsonfeed.org")) {
		json_decref(root);
		return sl_error_set(SL_EINVAL,
				    "not a JSON Feed: no jsonfeed.org version");
	}
	f->kind = SL_FEED_JSON;
	f->title = json_text(root, "title");
	{
		char *home = json_text(root, "home_page_url");

		f->link = resolve(home, url);
		free(home);
	}
	f->lang = json_text(root, "language");
	{
		const json_t *authors = json_object_get(root, "authors");

		if (json_is_array(authors) && json_array_size(authors))
			authors = json_array_get(authors, 0);
		else
			authors = json_object_get(root, "author");
		if (json_is_object(authors))
			f->author = json_text(authors, "name");
	}
	items = json_object_get(root, "items");
	if (json_is_array(items))
		json_array_foreach(items, i, o) {
			if (f->n_items >= SL_FEED_MAX_ITEMS)
				break;
			if (json_is_object(o))
				read_json_item(f, new_item(f, &cap), o, url);
		}
	json_decref(root);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The call                                                            */

static int looks_like_json(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')
			continue;
		return s[i] == '{';
	}
	return 0;
}

int sl_feed_parse(sl_feed **out, const char *data, size_t len,
		  const char *url, const char *charset)
{
	sl_feed *f = sl_calloc(1, sizeof(*f));
	sl_buf utf8 = {0};
	xml_state st = {0};
	int rc = 0;

	*out = NULL;
	sl_charset_to_utf8(&utf8, data, len, charset, NULL);
	if (looks_like_json(utf8.data ? utf8.data : "", utf8.len)) {
		rc = read_json_feed(f, utf8.data, utf8.len, url);
		goto done;
	}
	if (utf8.len > (size_t)0x7fffffff) {
		rc = sl_error_set(SL_EINVAL, "feed too large");
		goto done;
	}
	/* Errors raised before the reader has its handler (a byte order
	 * mark of an encoding libxml2 cannot read) would go to stderr. */
	xmlSetStructuredErrorFunc(&st, on_xml_error);
	st.r = xmlReaderForMemory(utf8.data ? utf8.data : "", (int)utf8.len,
				  url, "UTF-8",
				  XML_PARSE_RECOVER | XML_PARSE_NONET |
					  XML_PARSE_NOERROR |
					  XML_PARSE_NOWARNING |
					  XML_PARSE_NOCDATA | XML_PARSE_COMPACT |
					  XML_PARSE_IGNORE_ENC);
	if (!st.r) {
		xmlSetStructuredErrorFunc(NULL, NULL);
		rc = sl_error_set(SL_EINVAL, "not a feed: nothing to read");
		goto done;
	}
	st.f = f;
	st.url = url;
	xmlTextReaderSetStructuredErrorHandler(st.r, on_xml_error, &st);
	read_xml(&st);
	xmlFreeTextReader(st.r);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (!f->kind)
		rc = sl_error_set(SL_EINVAL,
				  "not a feed: no <rss>, <rdf:RDF>, <feed> or "
				  "JSON Feed");
done:
	for (size_t i = 0; i < f->n_items; i++) {
		f->bad_dates += f->items[i].bad_date;
		if (!f->items[i].author && f->author)
			f->items[i].author = sl_strdup(f->author);
	}
	sl_buf_free(&utf8);
	if (rc < 0) {
		sl_feed_free(f);
		return rc;
	}
	*out = f;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Feed discovery                                                      */

static int is_feed_type(const char *type)
{
	static const char *const types[] = {
		"application/rss+xml", "application/atom+xml",
		"application/rdf+xml", "application/feed+json",
		"application/json", NULL};

	for (const char *const *t = types; type && *t; t++)
		if (strncasecmp(type, *t, strlen(*t)) == 0)
			return 1;
	return 0;
}

static int has_token(const char *list, const char *token)
{
	size_t n = strlen(token);

	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, " \t\n");

		if (len == n && strncasecmp(p, token, n) == 0)
			return 1;
		p += len;
		p += strspn(p, " \t\n");
	}
	return 0;
}

int sl_feed_discover(char ***out, size_t *n_out, const char *html,
		     size_t len, const char *url)
{
	sl_buf utf8 = {0};
	htmlDocPtr doc;
	char **links = NULL;
	size_t n = 0, cap = 0;
	xmlNode *root;

	*out = NULL;
	*n_out = 0;
	sl_charset_to_utf8(&utf8, html, len, NULL, NULL);
	doc = sl_html_parse(utf8.data ? utf8.data : "", utf8.len, url);
	sl_buf_free(&utf8);
	if (!doc)
		return sl_error_set(SL_EINVAL, "not HTML");
	root = xmlDocGetRootElement(doc);
	for (xmlNode *e = root; e; e = sl_html_next(e, root, 0)) {
		const char *rel, *type, *href;
		char *abs;
		int seen = 0;

		if (e->type != XML_ELEMENT_NODE || sl_html_tag(e) != T_LINK)
			continue;
		rel = sl_html_attr(e, "rel");
		type = sl_html_attr(e, "type");
		href = sl_html_attr(e, "href");
		if (!href || !has_token(rel, "alternate") || !is_feed_type(type))
			continue;
		abs = resolve(href, url);
		for (size_t i = 0; abs && i < n; i++)
			seen |= strcmp(links[i], abs) == 0;
		if (!abs || seen) {
			free(abs);
			continue;
		}
		sl_grow(&links, &cap, n + 1, sizeof(*links));
		links[n++] = abs;
	}
	xmlFreeDoc(doc);
	*out = links;
	*n_out = n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* OPML                                                                */

static char *xml_attr(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *out = v ? trimmed((const char *)v) : NULL;

	xmlFree(v);
	return out;
}

static int is_outline(const xmlNode *n)
{
	return n->type == XML_ELEMENT_NODE && n->name &&
	       strcmp((const char *)n->name, "outline") == 0;
}

/* "World/Europe": the folders (outlines without xmlUrl) above n. */
static char *category_of(xmlNode *n)
{
	char *parts[64];
	size_t k = 0;
	sl_buf b = {0};

	for (xmlNode *a = n->parent; a && is_outline(a) && k < 64;
	     a = a->parent) {
		char *name = xml_attr(a, "text");

		if (!name)
			name = xml_attr(a, "title");
		if (name)
			parts[k++] = name;
	}
	while (k--) {
		if (b.len)
			sl_buf_addc(&b, '/');
		sl_buf_adds(&b, parts[k]);
		free(parts[k]);
	}
	return b.len ? sl_buf_detach(&b) : (sl_buf_free(&b), NULL);
}

void sl_opml_free(sl_opml_feed *feeds, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(feeds[i].url);
		free(feeds[i].title);
		free(feeds[i].site);
		free(feeds[i].category);
	}
	free(feeds);
}

int sl_opml_parse(sl_opml_feed **out, size_t *n_out, const char *data,
		  size_t len)
{
	xmlDocPtr doc;
	xmlNode *root;
	sl_opml_feed *feeds = NULL;
	size_t n = 0, cap = 0;
	xml_state st = {0}; /* its errors, not reported: see below */

	*out = NULL;
	*n_out = 0;
	if (len > (size_t)0x7fffffff)
		return sl_error_set(SL_EINVAL, "OPML file too large");
	xmlSetStructuredErrorFunc(&st, on_xml_error); /* as above */
	doc = xmlReadMemory(data, (int)len, NULL, NULL,
			    XML_PARSE_RECOVER | XML_PARSE_NONET |
				    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlSetStructuredErrorFunc(NULL, NULL);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root || strcmp((const char *)root->name, "opml") != 0) {
		xmlFreeDoc(doc);
		return sl_error_set(SL_EINVAL, "not OPML: no <opml> element");
	}
	for (xmlNode *e = root; e; e = sl_html_next(e, root, 0)) {
		char *url;
		sl_opml_feed *f;

		if (!is_outline(e) || !(url = xml_attr(e, "xmlUrl")))
			continue;
		sl_grow(&feeds, &cap, n + 1, sizeof(*feeds));
		f = &feeds[n++];
		f->url = url;
		f->title = xml_attr(e, "title");
		if (!f->title)
			f->title = xml_attr(e, "text");
		if (f->title && strcmp(f->title, url) == 0) {
			free(f->title); /* a text that only repeats the URL */
			f->title = NULL;
		}
		f->site = xml_attr(e, "htmlUrl");
		f->category = category_of(e);
		if (!f->category) /* a flat list may say it in an attribute */
			f->category = xml_attr(e, "category");
	}
	xmlFreeDoc(doc);
	*out = feeds;
	*n_out = n;
	return 0;
}

static void opml_attr(sl_buf *b, const char *name, const char *value)
{
	if (!value)
		return;
	sl_buf_printf(b, " %s=\"", name);
	sl_html_escape(b, value, strlen(value));
	sl_buf_addc(b, '"');
}

/* The i-th '/'-separated part of a category, or NULL. */
static size_t part_of(const char *cat, size_t i, const char **start)
{
	const char *p = cat;

	for (size_t k = 0; p && k < i; k++) {
		p = strchr(p, '/');
		if (p)
			p++;
	}
	if (!p || !*p) {
		*start = NULL;
		return 0;
	}
	*start = p;
	return strcspn(p, "/");
}

char *sl_opml_write(const sl_opml_feed *feeds, size_t n, const char *title)
{
	sl_buf b = {0};
	size_t open = 0; /* folders open */
	const char *open_cat = NULL;

	sl_buf_adds(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			"<opml version=\"2.0\">\n  <head>\n    <title>");
	sl_html_escape(&b, title ? title : "Storyline feeds",
		       strlen(title ? title : "Storyline feeds"));
	sl_buf_adds(&b, "</title>\n  </head>\n  <body>\n");
	for (size_t i = 0; i < n; i++) {
		const char *cat = feeds[i].category;
		size_t same = 0;

		/* folders shared with the open path stay open */
		for (;; same++) {
			const char *a, *c;
			size_t la = part_of(open_cat, same, &a);
			size_t lc = part_of(cat, same, &c);

			if (same >= open || !a || !c || la != lc ||
			    strncmp(a, c, la) != 0)
				break;
		}
		for (; open > same; open--) {
			for (size_t k = 0; k < open + 1; k++)
				sl_buf_adds(&b, "  ");
			sl_buf_adds(&b, "</outline>\n");
		}
		for (;;) {
			const char *c;
			size_t lc = part_of(cat, open, &c);
			char *name;

			if (!c)
				break;
			name = sl_strndup(c, lc);
			for (size_t k = 0; k < open + 2; k++)
				sl_buf_adds(&b, "  ");
			sl_buf_adds(&b, "<outline");
			opml_attr(&b, "text", name);
			opml_attr(&b, "title", name);
			sl_buf_adds(&b, ">\n");
			free(name);
			open++;
		}
		open_cat = cat;
		for (size_t k = 0; k < open + 2; k++)
			sl_buf_adds(&b, "  ");
		sl_buf_adds(&b, "<outline type=\"rss\"");
		opml_attr(&b, "text", feeds[i].title ? feeds[i].title
						      : feeds[i].url);
		opml_attr(&b, "title", feeds[i].title);
		opml_attr(&b, "xmlUrl", feeds[i].url);
		opml_attr(&b, "htmlUrl", feeds[i].site);
		sl_buf_adds(&b, "/>\n");
	}
	for (; open > 0; open--) {
		for (size_t k = 0; k < open + 1; k++)
			sl_buf_adds(&b, "  ");
		sl_buf_adds(&b, "</outline>\n");
	}
	sl_buf_adds(&b, "  </body>\n</opml>\n");
	return sl_buf_detach(&b);
}
