/*
 * feeds.c - the feeds an engine follows, and polling rounds over them.
 *
 * A round lists the feeds that are due, fetches them (fetch.c: polite,
 * conditional), reads each answer (feed.c) and stores every item as an
 * article in a batch of its own feed, so a feed that fails costs only
 * itself. An item is known by its guid, else its canonical link, else a
 * hash of its title and date (its key); the article a key became is
 * recorded, so a re-polled item updates its article and never adds a
 * second one, even when its link changed. Items whose text is only a
 * teaser are stored as the feed gives them, then their pages are fetched
 * and extracted (extract.c) and the article is completed.
 *
 * When to poll again: half the feed's typical gap between items (from
 * the dates in its last answer), at least its TTL or Cache-Control
 * max-age, never under 5 minutes or over 24 hours; after an error, 5
 * minutes doubled per error in a row (at most 24 hours), and never
 * sooner than a Retry-After.
 */
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "article.h"
#include "engine_int.h"
#include "error.h"
#include "extract.h"
#include "feed.h"
#include "fetch.h"
#include "html.h"
#include "util/mem.h"
#include "util/strtab.h"

#define MIN_INTERVAL (5 * 60)
#define MAX_INTERVAL (24 * 3600)
#define DEFAULT_INTERVAL 3600
#define TEASER_CHARS 500 /* shorter item text is a teaser */
#define GAP_ITEMS 10     /* newest items the publishing pace is read from */

static int64_t wall_now(void)
{
	return (int64_t)time(NULL);
}

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* ------------------------------------------------------------------ */
/* The list                                                            */

void sl_feed_infos_free(sl_feed_info *feeds, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sl_feed_info *f = &feeds[i];

		free(f->url);
		free(f->title);
		free(f->outlet);
		free(f->site);
		free(f->category);
		free(f->etag);
		free(f->last_modified);
		free(f->status);
		free(f->error);
	}
	free(feeds);
}

char *sl_feed_infos_to_json(const sl_feed_info *feeds, size_t n)
{
	json_t *list = json_array(), *obj = json_object();
	char *text;

	for (size_t i = 0; i < n; i++) {
		const sl_feed_info *f = &feeds[i];
		json_t *item = json_object();

		json_object_set_new(item, "id", json_integer(f->id));
		json_object_set_new(item, "url", json_string(f->url));
		json_object_set_new(item, "title", sl_json_str(f->title));
		json_object_set_new(item, "outlet", sl_json_str(f->outlet));
		json_object_set_new(item, "site", sl_json_str(f->site));
		json_object_set_new(item, "category", sl_json_str(f->category));
		json_object_set_new(item, "status", sl_json_str(f->status));
		json_object_set_new(item, "error", sl_json_str(f->error));
		json_object_set_new(item, "items", json_integer(f->items));
		json_object_set_new(item, "last_fetch",
				    sl_json_time(f->last_fetch));
		json_object_set_new(item, "last_new", sl_json_time(f->last_new));
		json_object_set_new(item, "next_poll",
				    sl_json_time(f->next_poll));
		json_object_set_new(item, "interval", json_integer(f->interval));
		json_object_set_new(item, "failures", json_integer(f->failures));
		json_array_append_new(list, item);
	}
	json_object_set_new(obj, "feeds", list);
	text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(obj);
	return text;
}

static void info_copy(sl_feed_info *dst, const sl_feed_info *src)
{
	*dst = *src;
	dst->url = sl_strdup(src->url);
	dst->title = sl_strdup(src->title);
	dst->outlet = sl_strdup(src->outlet);
	dst->site = sl_strdup(src->site);
	dst->category = sl_strdup(src->category);
	dst->etag = sl_strdup(src->etag);
	dst->last_modified = sl_strdup(src->last_modified);
	dst->status = sl_strdup(src->status);
	dst->error = sl_strdup(src->error);
}

typedef struct feed_list {
	sl_feed_info *feeds;
	size_t n, cap;
} feed_list;

static int collect(const sl_feed_info *f, void *ctx)
{
	feed_list *l = ctx;

	sl_grow(&l->feeds, &l->cap, l->n + 1, sizeof(*l->feeds));
	info_copy(&l->feeds[l->n++], f);
	return 0;
}

int sl_engine_feeds(sl_engine *e, sl_feed_info **out, size_t *n_out)
{
	feed_list l = {0};
	int rc = e->store->ops->feed_list(e->store, collect, &l);

	if (rc < 0) {
		sl_feed_infos_free(l.feeds, l.n);
		return rc;
	}
	*out = l.feeds;
	*n_out = l.n;
	return 0;
}

static int valid_feed_url(const char *url)
{
	return !strncmp(url, "http://", 7) || !strncmp(url, "https://", 8) ||
	       !strncmp(url, "file://", 7);
}

int sl_engine_feed_add(sl_engine *e, const char *url, const char *outlet,
		       const char *site, const char *category, int64_t *out_id)
{
	sl_feed_info f = {0};
	int64_t id = 0;
	int rc;

	if (!url || !valid_feed_url(url))
		return sl_error_set(SL_EINVAL,
				    "%s: not an http, https or file URL",
				    url ? url : "(none)");
	f.url = (char *)url;
	f.outlet = (char *)outlet;
	f.site = (char *)site;
	f.category = (char *)category;
	f.status = "new";
	f.added = wall_now();
	f.last_fetch = f.last_new = f.next_poll = SL_TIME_NONE;
	if ((rc = sl_engine_begin(e)) < 0)
		return rc;
	rc = e->store->ops->feed_add(e->store, &f, &id);
	if (rc < 0) {
		sl_engine_rollback(e);
		return rc;
	}
	if (out_id)
		*out_id = id;
	if (rc == 1) {
		sl_engine_rollback(e);
		return 1;
	}
	return sl_engine_commit(e);
}

typedef struct find_ctx {
	const char *key;
	int64_t id;
} find_ctx;

static int find_feed(const sl_feed_info *f, void *ctx)
{
	find_ctx *c = ctx;
	char num[32];

	snprintf(num, sizeof(num), "%lld", (long long)f->id);
	if (!strcmp(c->key, num) || !strcmp(c->key, f->url)) {
		c->id = f->id;
		return 1;
	}
	return 0;
}

int sl_engine_feed_remove(sl_engine *e, const char *id_or_url)
{
	find_ctx c = {id_or_url, 0};
	int rc = e->store->ops->feed_list(e->store, find_feed, &c);

	if (rc < 0)
		return rc;
	if (!c.id)
		return sl_error_set(SL_ENOTFOUND, "no feed %s", id_or_url);
	if ((rc = sl_engine_begin(e)) < 0)
		return rc;
	if ((rc = e->store->ops->feed_remove(e->store, c.id)) < 0) {
		sl_engine_rollback(e);
		return rc;
	}
	return sl_engine_commit(e);
}

int sl_engine_feeds_import(sl_engine *e, const char *opml, size_t len,
			   size_t *added, size_t *known)
{
	sl_opml_feed *feeds;
	size_t n, n_added = 0, n_known = 0;
	int rc = sl_opml_parse(&feeds, &n, opml, len);

	if (rc < 0)
		return rc;
	if ((rc = sl_engine_begin(e)) < 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		sl_feed_info f = {0};
		int64_t id;

		if (!valid_feed_url(feeds[i].url))
			continue;
		f.url = feeds[i].url;
		f.title = feeds[i].title;
		f.site = feeds[i].site;
		f.category = feeds[i].category;
		f.status = "new";
		f.added = wall_now();
		f.last_fetch = f.last_new = f.next_poll = SL_TIME_NONE;
		rc = e->store->ops->feed_add(e->store, &f, &id);
		if (rc < 0) {
			sl_engine_rollback(e);
			goto done;
		}
		n_added += rc == 0;
		n_known += rc == 1;
	}
	rc = sl_engine_commit(e);
done:
	sl_opml_free(feeds, n);
	if (added)
		*added = n_added;
	if (known)
		*known = n_known;
	return rc < 0 ? rc : 0;
}

int sl_engine_feeds_export(sl_engine *e, char **out)
{
	sl_feed_info *feeds;
	sl_opml_feed *list;
	size_t n;
	int rc = sl_engine_feeds(e, &feeds, &n);

	*out = NULL;
	if (rc < 0)
		return rc;
	list = sl_calloc(n ? n : 1, sizeof(*list));
	for (size_t i = 0; i < n; i++) {
		list[i].url = feeds[i].url;
		list[i].title = feeds[i].title ? feeds[i].title
					       : feeds[i].outlet;
		list[i].site = feeds[i].site;
		list[i].category = feeds[i].category;
	}
	*out = sl_opml_write(list, n, "Storyline feeds");
	free(list);
	sl_feed_infos_free(feeds, n);
	return 0;
}

int64_t sl_engine_next_poll(sl_engine *e)
{
	sl_feed_info *feeds;
	size_t n;
	int64_t next = -1, now = wall_now();

	sl_engine_enter(e);
	if (sl_engine_feeds(e, &feeds, &n) < 0) {
		sl_engine_leave(e);
		return -1;
	}
	sl_engine_leave(e);
	for (size_t i = 0; i < n; i++) {
		int64_t wait = feeds[i].next_poll == SL_TIME_NONE
				       ? 0
				       : feeds[i].next_poll - now;

		if (wait < 0)
			wait = 0;
		if (next < 0 || wait < next)
			next = wait;
	}
	sl_feed_infos_free(feeds, n);
	return next;
}

/* ------------------------------------------------------------------ */
/* Items to articles                                                   */

/* What an item is known by across polls. */
static char *item_key(const sl_feed_item *it)
{
	char buf[40];
	sl_buf b = {0};
	uint64_t h;

	if (it->guid)
		return sl_strdup(it->guid);
	if (it->link) {
		char *canon = NULL;

		if (sl_url_canonical(&canon, it->link) == 0)
			return canon;
		return sl_strdup(it->link);
	}
	if (!it->title)
		return NULL;
	sl_buf_printf(&b, "%s\x1f%lld", it->title, (long long)it->published);
	h = sl_hash(b.data, b.len);
	sl_buf_free(&b);
	snprintf(buf, sizeof(buf), "h:%016llx", (unsigned long long)h);
	return sl_strdup(buf);
}

/* Ends the way teasers end: "…", "...", "[…]", "Read more". */
static int ends_like_teaser(const char *text)
{
	static const char *const ends[] = {
		"\xe2\x80\xa6", "...", "[\xe2\x80\xa6]", "[...]", "read more",
		"continue reading", "read the full story", "more\xc2\xbb",
		"more \xc2\xbb", NULL};
	size_t n = strlen(text);

	while (n && (text[n - 1] == ' ' || text[n - 1] == '\n' ||
		     text[n - 1] == '.' || text[n - 1] == '>' ||
		     text[n - 1] == ']'))
		n--;
	for (const char *const *e = ends; *e; e++) {
		size_t k = strlen(*e);
		const char *tail;

		if (n + (text[n] == ']') < k)
			continue;
		tail = text + n - k;
		if (strncasecmp(tail, *e, k) == 0 ||
		    (n + 1 >= k && strncasecmp(text + n + 1 - k, *e, k) == 0))
			return 1;
	}
	return n >= 3 && strncmp(text + n - 3, "\xe2\x80\xa6", 3) == 0;
}

static int is_teaser(const sl_article *a)
{
	return !a->body_text || strlen(a->body_text) < TEASER_CHARS ||
	       ends_like_teaser(a->body_text);
}

/* The item's text into the article: its content, else its summary. */
static void item_body(sl_article *a, const sl_feed_item *it,
		      const char *base)
{
	const char *text = it->content ? it->content : it->summary;
	int plain = it->content ? it->content_text : it->summary_text;

	if (!text)
		return;
	if (plain) {
		sl_buf b = {0};

		/* paragraphs of plain text stay paragraphs */
		sl_buf_adds(&b, "<p>");
		for (const char *c = text; *c; c++) {
			if (c[0] == '\n' && c[1] == '\n') {
				sl_buf_adds(&b, "</p><p>");
				while (c[1] == '\n')
					c++;
				continue;
			}
			if (*c == '<')
				sl_buf_adds(&b, "&lt;");
			else if (*c == '&')
				sl_buf_adds(&b, "&amp;");
			else
				sl_buf_addc(&b, *c);
		}
		sl_buf_adds(&b, "</p>");
		sl_extract_fragment(a, b.data, b.len, base);
		sl_buf_free(&b);
	} else {
		sl_extract_fragment(a, text, strlen(text), base);
	}
	if (it->content && it->summary) {
		sl_article s = {0};

		/* the summary as text, the article's own summary */
		if (it->summary_text)
			a->summary = sl_strdup(it->summary);
		else {
			sl_extract_fragment(&s, it->summary,
					    strlen(it->summary), base);
			a->summary = s.body_text;
			s.body_text = NULL;
			free(s.body_html);
			for (size_t i = 0; i < s.n_captions; i++)
				free(s.captions[i]);
			free(s.captions);
			free(s.image);
		}
	}
}

/* Categories and the feed, kept with the article (its extra fields). */
static char *item_extra(const sl_feed_item *it, const sl_feed_info *f)
{
	json_t *obj = json_object(), *cats;
	char *text;

	/* Not the feed it came from: the same item in two feeds is one
	 * article, unchanged whichever was polled last. */
	(void)f;
	if (it->n_categories) {
		cats = json_array();
		for (size_t i = 0; i < it->n_categories; i++)
			json_array_append_new(cats,
					      json_string(it->categories[i]));
		json_object_set_new(obj, "categories", cats);
	}
	if (it->guid)
		json_object_set_new(obj, "guid", json_string(it->guid));
	text = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	return text;
}

static sl_article *item_article(const sl_feed *feed, const sl_feed_item *it,
				const sl_feed_info *f, int64_t now)
{
	sl_article *a = sl_article_new();
	const char *base = it->link ? it->link : feed->link ? feed->link
							    : f->url;

	a->url = sl_strdup(it->link);
	a->title = sl_strdup(it->title);
	a->byline = sl_strdup(it->author);
	a->outlet = sl_strdup(f->outlet ? f->outlet : feed->title);
	if (!a->outlet)
		a->outlet = sl_html_host(feed->link ? feed->link : f->url);
	a->published = it->published != SL_TIME_NONE ? it->published
		       : it->updated != SL_TIME_NONE ? it->updated
						     : now;
	a->image = sl_strdup(it->image);
	if (feed->lang) {
		char code[4] = "";
		size_t k = 0;

		for (const char *c = feed->lang; k < 3 && ((*c >= 'a' &&
			*c <= 'z') || (*c >= 'A' && *c <= 'Z')); c++)
			code[k++] = (char)(*c | 0x20);
		code[k] = '\0';
		if (k >= 2)
			a->lang = sl_strdup(code);
	}
	item_body(a, it, base);
	a->extra = item_extra(it, f);
	return a;
}

/* ------------------------------------------------------------------ */
/* A round                                                             */

typedef struct page_job {
	char *article_id;
	sl_http_req req;
} page_job;

typedef struct round {
	sl_engine *e;
	const sl_fetch_opts *opts;
	sl_fetch_stats stats;
	sl_feed_info *feeds; /* the due ones */
	size_t n_feeds, done_feeds;
	page_job *pages;
	size_t n_pages, cap_pages;
	int store_failed;
	int64_t now;
} round;

/* When to poll next after an answer with these items. */
static int64_t learn_interval(const sl_feed *feed, const sl_feed_info *f,
			      int64_t max_age)
{
	int64_t times[GAP_ITEMS], interval = DEFAULT_INTERVAL, floor_s = 0;
	size_t n = 0;

	for (size_t i = 0; i < feed->n_items; i++) {
		int64_t t = feed->items[i].published;

		if (t == SL_TIME_NONE)
			continue;
		/* keep the newest GAP_ITEMS, sorted newest first */
		size_t pos = n < GAP_ITEMS ? n++ : GAP_ITEMS;

		while (pos > 0 && times[pos - 1] < t) {
			if (pos < GAP_ITEMS)
				times[pos] = times[pos - 1];
			pos--;
		}
		if (pos < GAP_ITEMS)
			times[pos] = t;
	}
	if (n >= 2 && times[0] > times[n - 1])
		interval = (times[0] - times[n - 1]) / (int64_t)(n - 1) / 2;
	if (feed->ttl_minutes > 0)
		floor_s = (int64_t)feed->ttl_minutes * 60;
	if (max_age > floor_s)
		floor_s = max_age;
	(void)f;
	if (interval < floor_s)
		interval = floor_s;
	return clamp(interval, MIN_INTERVAL, MAX_INTERVAL);
}

static void set_str(char **field, const char *value)
{
	free(*field);
	*field = sl_strdup(value);
}

static void feed_failed(round *r, sl_feed_info *f, const sl_http_req *req,
			const char *why)
{
	int64_t backoff = MIN_INTERVAL;

	f->failures++;
	for (int i = 1; i < f->failures && backoff < MAX_INTERVAL; i++)
		backoff *= 2;
	backoff = clamp(backoff, MIN_INTERVAL, MAX_INTERVAL);
	if (req && req->retry_after > backoff)
		backoff = clamp(req->retry_after, MIN_INTERVAL, MAX_INTERVAL);
	set_str(&f->status, "error");
	set_str(&f->error, why);
	f->next_poll = r->now + backoff;
	r->stats.errors++;
}

/* Store one item; queue its page when it is a teaser. */
static int store_item(round *r, sl_feed_info *f, const sl_feed *feed,
		      const sl_feed_item *it)
{
	sl_engine *e = r->e;
	sl_article *a;
	sl_add_status status;
	char *key = item_key(it), *known = NULL;
	int rc, teaser;

	if (!key || (!it->title && !it->content && !it->summary)) {
		free(key);
		return 0;
	}
	a = item_article(feed, it, f, r->now);
	rc = e->store->ops->feed_item(e->store, f->id, key, &known);
	if (rc < 0 && rc != SL_ENOTFOUND)
		goto done;
	a->id = known; /* NULL: the engine derives it from the URL */
	known = NULL;
	teaser = is_teaser(a);
	rc = sl_engine_add(e, a, &status);
	if (rc == SL_EINVAL) { /* nothing to store: not fatal */
		rc = 0;
		goto done;
	}
	if (rc < 0)
		goto done;
	if ((rc = e->store->ops->feed_item_put(e->store, f->id, key, a->id)) <
	    0)
		goto done;
	r->stats.added += status == SL_ADD_NEW;
	r->stats.updated += status == SL_ADD_UPDATED;
	r->stats.unchanged += status == SL_ADD_UNCHANGED;
	if (status == SL_ADD_NEW) {
		f->items++;
		f->last_new = r->now;
	}
	/* A teaser is completed from its page, once: when it is new. */
	if (teaser && status == SL_ADD_NEW && it->link &&
	    r->opts->fetch_pages) {
		page_job *job;

		sl_grow(&r->pages, &r->cap_pages, r->n_pages + 1,
			sizeof(*r->pages));
		job = &r->pages[r->n_pages++];
		memset(job, 0, sizeof(*job));
		job->article_id = sl_strdup(a->id);
		job->req.url = sl_strdup(it->link);
	}
done:
	free(key);
	free(known);
	sl_article_free(a);
	return rc;
}

static void feed_answered(round *r, sl_feed_info *f, sl_http_req *req)
{
	sl_feed *feed = NULL;
	char *charset;
	int rc;

	if (req->error || req->status == 0 || req->status >= 400) {
		feed_failed(r, f, req, req->error ? req->error : "no answer");
		return;
	}
	if (req->moved && strcmp(req->url, f->url) != 0)
		set_str(&f->url, req->url); /* followed where it moved */
	f->last_fetch = r->now;
	f->failures = 0;
	if (req->status == 304) {
		set_str(&f->status, "not modified");
		set_str(&f->error, NULL);
		f->next_poll = r->now + (f->interval > 0 ? f->interval
							 : DEFAULT_INTERVAL);
		r->stats.not_modified++;
		return;
	}
	charset = sl_http_charset(req->content_type);
	rc = sl_feed_parse(&feed, req->body, req->len, req->url, charset);
	free(charset);
	if (rc < 0) {
		feed_failed(r, f, req, sl_error_last());
		return;
	}
	r->stats.fetched++;
	set_str(&f->etag, req->etag_out);
	set_str(&f->last_modified, req->last_modified_out);
	if (feed->title && !f->title)
		set_str(&f->title, feed->title);
	if (feed->link && !f->site)
		set_str(&f->site, feed->link);
	for (size_t i = 0; i < feed->n_items && !r->store_failed; i++) {
		r->stats.items++;
		if (store_item(r, f, feed, &feed->items[i]) < 0)
			r->store_failed = 1;
	}
	r->stats.bad_dates += feed->bad_dates;
	f->interval = learn_interval(feed, f, req->max_age);
	f->ttl = feed->ttl_minutes > 0 ? (int64_t)feed->ttl_minutes * 60
				       : req->max_age > 0 ? req->max_age : 0;
	f->next_poll = r->now + f->interval;
	if (feed->error) {
		/* the items before the break are kept; the error is shown */
		sl_buf b = {0};

		sl_buf_printf(&b, "feed breaks off after %zu items: %s",
			      feed->n_items, feed->error);
		set_str(&f->status, "error");
		free(f->error);
		f->error = sl_buf_detach(&b);
		r->stats.errors++;
	} else {
		set_str(&f->status, "ok");
		set_str(&f->error, NULL);
	}
	sl_feed_free(feed);
}

static void on_feed_done(sl_http_req *req, void *ctx)
{
	round *r = ctx;
	sl_feed_info *f = req->user;
	sl_engine *e = r->e;
	int rc;

	r->done_feeds++;
	if (r->store_failed)
		return;
	sl_engine_enter(e);
	if ((rc = sl_engine_begin(e)) < 0) {
		r->store_failed = 1;
		sl_engine_leave(e);
		return;
	}
	feed_answered(r, f, req);
	if (!r->store_failed && e->store->ops->feed_save(e->store, f) < 0)
		r->store_failed = 1;
	if (r->store_failed)
		sl_engine_rollback(e);
	else if (sl_engine_commit(e) < 0)
		r->store_failed = 1;
	sl_engine_leave(e);
	if (r->opts->progress)
		r->opts->progress(&r->stats, r->n_feeds, r->opts->ctx);
}

/* A teaser's page came: its extracted article completes the stored one
 * (the feed's title, link, date and id stay). */
static void on_page_done(sl_http_req *req, void *ctx)
{
	round *r = ctx;
	page_job *job = req->user;
	sl_engine *e = r->e;
	sl_extract_opts eo;
	sl_extracted x;
	sl_article *a = NULL;
	sl_add_status status;
	char *charset;

	if (r->store_failed || req->error || req->status != 200)
		return;
	sl_extract_opts_init(&eo);
	eo.url = req->url;
	charset = sl_http_charset(req->content_type);
	eo.charset = charset;
	if (sl_extract(&x, req->body, req->len, &eo) < 0) {
		free(charset);
		return;
	}
	free(charset);
	r->stats.pages++;
	sl_engine_enter(e);
	if (x.readerable && x.article->body_text &&
	    sl_engine_get(e, job->article_id, &a) == 0 &&
	    (!a->body_text ||
	     strlen(x.article->body_text) > strlen(a->body_text))) {
		sl_article *p = x.article;

#define TAKE(field)                                                        \
	do {                                                               \
		free(a->field);                                            \
		a->field = p->field;                                       \
		p->field = NULL;                                           \
	} while (0)
		TAKE(body_text);
		TAKE(body_html);
		if (!a->image)
			TAKE(image);
		if (!a->byline)
			TAKE(byline);
		if (!a->lang)
			TAKE(lang);
		if (p->n_captions) {
			for (size_t i = 0; i < a->n_captions; i++)
				free(a->captions[i]);
			free(a->captions);
			a->captions = p->captions;
			a->n_captions = p->n_captions;
			p->captions = NULL;
			p->n_captions = 0;
		}
#undef TAKE
		free(a->summary); /* derived again from the full text */
		a->summary = NULL;
		if (sl_engine_begin(e) < 0 ||
		    sl_engine_add(e, a, &status) < 0 || sl_engine_commit(e) < 0) {
			sl_engine_rollback(e);
			r->store_failed = 1;
		}
	}
	sl_engine_leave(e);
	sl_article_free(a);
	sl_extracted_clear(&x);
}

int sl_engine_fetch(sl_engine *e, const sl_fetch_opts *opts,
		    sl_fetch_stats *out)
{
	sl_fetch_opts defaults;
	round r = {0};
	sl_feed_info *all;
	sl_http_req *reqs = NULL, **ptrs = NULL;
	size_t n_all;
	int rc;

	if (!opts) {
		sl_fetch_opts_init(&defaults);
		opts = &defaults;
	}
	if (out)
		memset(out, 0, sizeof(*out));
	sl_engine_enter(e);
	rc = sl_engine_feeds(e, &all, &n_all);
	sl_engine_leave(e);
	if (rc < 0)
		return rc;
	r.e = e;
	r.opts = opts;
	r.now = wall_now();
	/* The due feeds, in the order they were added. */
	r.feeds = sl_calloc(n_all ? n_all : 1, sizeof(*r.feeds));
	for (size_t i = 0; i < n_all; i++)
		if (opts->all || all[i].next_poll == SL_TIME_NONE ||
		    all[i].next_poll <= r.now) {
			r.feeds[r.n_feeds++] = all[i];
			memset(&all[i], 0, sizeof(all[i]));
		}
	sl_feed_infos_free(all, n_all);
	r.stats.feeds = r.n_feeds;
	reqs = sl_calloc(r.n_feeds ? r.n_feeds : 1, sizeof(*reqs));
	ptrs = sl_calloc(r.n_feeds ? r.n_feeds : 1, sizeof(*ptrs));
	for (size_t i = 0; i < r.n_feeds; i++) {
		reqs[i].url = sl_strdup(r.feeds[i].url);
		reqs[i].etag = r.feeds[i].etag;
		reqs[i].last_modified = r.feeds[i].last_modified;
		reqs[i].user = &r.feeds[i];
		ptrs[i] = &reqs[i];
	}
	sl_http_fetch(ptrs, r.n_feeds, opts, on_feed_done, &r);
	for (size_t i = 0; i < r.n_feeds; i++) {
		sl_http_req_clear(&reqs[i]);
		free(reqs[i].url);
	}
	free(reqs);
	free(ptrs);
	/* Teasers' pages, the same polite way. */
	if (r.n_pages && !r.store_failed && !(opts->stop && *opts->stop)) {
		ptrs = sl_calloc(r.n_pages, sizeof(*ptrs));
		for (size_t i = 0; i < r.n_pages; i++) {
			r.pages[i].req.user = &r.pages[i];
			ptrs[i] = &r.pages[i].req;
		}
		sl_http_fetch(ptrs, r.n_pages, opts, on_page_done, &r);
		free(ptrs);
	}
	for (size_t i = 0; i < r.n_pages; i++) {
		sl_http_req_clear(&r.pages[i].req);
		free(r.pages[i].req.url);
		free(r.pages[i].article_id);
	}
	free(r.pages);
	sl_feed_infos_free(r.feeds, r.n_feeds);
	if (out)
		*out = r.stats;
	if (r.store_failed) {
		char why[512];

		snprintf(why, sizeof(why), "%s", sl_error_last());
		return sl_error_set(SL_EIO, "storing feed items: %s", why);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Probing a URL                                                       */

void sl_strings_free(char **strings, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(strings[i]);
	free(strings);
}

int sl_feed_probe(const char *url, const sl_fetch_opts *opts, char ***out,
		  size_t *n_out)
{
	sl_http_req req = {0}, *one = &req;
	sl_feed *feed = NULL;
	char *charset;
	int rc;

	*out = NULL;
	*n_out = 0;
	if (!url || !valid_feed_url(url))
		return sl_error_set(SL_EINVAL,
				    "%s: not an http, https or file URL",
				    url ? url : "(none)");
	req.url = sl_strdup(url);
	sl_http_fetch(&one, 1, opts, NULL, NULL);
	if (req.error || req.status != 200) {
		rc = sl_error_set(SL_EIO, "%s: %s", url,
				  req.error ? req.error : "no answer");
		goto done;
	}
	charset = sl_http_charset(req.content_type);
	rc = sl_feed_parse(&feed, req.body, req.len, req.url, charset);
	free(charset);
	if (rc == 0) {
		/* the address to follow: where it moved for good, else the
		 * one given (a temporary redirect may change) */
		*out = sl_calloc(1, sizeof(**out));
		(*out)[0] = sl_strdup(req.moved || !req.redirects ? req.url
								  : url);
		*n_out = 1;
		sl_feed_free(feed);
		goto done;
	}
	rc = sl_feed_discover(out, n_out, req.body, req.len, req.url);
	if (rc == 0 && *n_out == 0)
		rc = sl_error_set(SL_ENOTFOUND,
				  "%s: neither a feed nor a page that links "
				  "one",
				  url);
done:
	sl_http_req_clear(&req);
	free(req.url);
	return rc;
}

/* ------------------------------------------------------------------ */
/* A feed file as articles                                             */

void sl_articles_free(sl_article **articles, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sl_article_free(articles[i]);
	free(articles);
}

int sl_feed_articles(sl_article ***out, size_t *n_out, const char *data,
		     size_t len, const char *url)
{
	sl_feed *feed;
	sl_feed_info f = {0};
	sl_article **list;
	size_t n = 0;
	int rc = sl_feed_parse(&feed, data, len, url, NULL);

	*out = NULL;
	*n_out = 0;
	if (rc < 0)
		return rc;
	f.url = (char *)(url ? url : "file:");
	list = sl_calloc(feed->n_items ? feed->n_items : 1, sizeof(*list));
	for (size_t i = 0; i < feed->n_items; i++) {
		const sl_feed_item *it = &feed->items[i];

		if (!it->title && !it->content && !it->summary)
			continue;
		list[n++] = item_article(feed, it, &f, wall_now());
	}
	sl_feed_free(feed);
	*out = list;
	*n_out = n;
	return 0;
}
