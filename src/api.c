/*
 * api.c - the JSON API: the routes under /api/, each a thin reading of
 * the request into one engine call and its JSON (the same JSON the CLI
 * prints with --json, from the same library functions).
 *
 *   GET    /api/articles/{id}          the article (all fields)
 *   GET    /api/articles/{id}/related  its rail (?limit=&fill=1)
 *   GET    /api/stories                ?since=&limit=&offset=&sort=size|top
 *   GET    /api/stories/{id}           one story, copies folded
 *   GET    /api/search                 ?q=&limit=&offset=&since=&until=
 *                                       &outlet=&lang=&sort=time
 *                                       &copies=all
 *   GET    /api/feeds                  the followed feeds
 *   POST   /api/articles               JSON lines: stored (token)
 *   POST   /api/feeds                  {"url","outlet"} (token)
 *   DELETE /api/feeds/{id}             (token)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "error.h"
#include "http.h"

#define MAX_LIMIT 100
#define MAX_OFFSET 10000

/* A number argument: 0 and *out (default when absent), or -1 after
 * answering 400. */
static int number_arg(const sl_request *req, sl_response *res,
		      const char *name, long lo, long hi, long dflt, long *out)
{
	const char *v = sl_request_arg(req, name);
	char *end;
	long n;

	*out = dflt;
	if (!v || !*v)
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n < lo || n > hi) {
		sl_respond_error(res, 400, "%s must be a number from %ld to %ld",
				 name, lo, hi);
		return -1;
	}
	*out = n;
	return 0;
}

static int time_arg(const sl_request *req, sl_response *res, const char *name,
		    int end_of_day, int64_t *out)
{
	const char *v = sl_request_arg(req, name);

	*out = SL_TIME_NONE;
	if (!v || !*v)
		return 0;
	if (sl_time_parse_bound(out, v, end_of_day) < 0) {
		sl_respond_error(res, 400, "%s: %s", name, sl_error_last());
		return -1;
	}
	return 0;
}

/* An engine failure: 404 for what is not there, 500 otherwise. */
static void engine_failed(sl_response *res, int rc)
{
	if (rc == SL_ENOTFOUND)
		sl_respond_error(res, 404, "%s", sl_error_last());
	else if (rc == SL_EINVAL)
		sl_respond_error(res, 400, "%s", sl_error_last());
	else
		sl_respond_error(res, 500, "%s", sl_error_last());
}

static void get_article(const sl_request *req, sl_response *res,
			const char *id)
{
	sl_article *a;
	int rc = sl_engine_get(req->engine, id, &a);

	res->route = "article_api";
	if (rc < 0) {
		engine_failed(res, rc);
		return;
	}
	sl_respond_json(res, 200, sl_article_to_json(a, SL_JSON_FULL));
	sl_article_free(a);
}

static void get_related(const sl_request *req, sl_response *res,
			const char *id)
{
	sl_related_opts ro;
	sl_related *r;
	long limit;
	const char *fill = sl_request_arg(req, "fill");
	int rc;

	res->route = "related_api";
	sl_related_opts_init(&ro);
	if (number_arg(req, res, "limit", 1, MAX_LIMIT, (long)ro.limit,
		       &limit) < 0)
		return;
	ro.limit = (size_t)limit;
	ro.fill_top = fill && (!strcmp(fill, "1") || !strcmp(fill, "true"));
	rc = sl_engine_related(req->engine, id, &ro, &r);
	if (rc < 0) {
		engine_failed(res, rc);
		return;
	}
	sl_respond_json(res, 200, sl_related_to_json(r));
	sl_related_free(r);
}

static void get_stories(const sl_request *req, sl_response *res)
{
	sl_stories_opts so = {.since = SL_TIME_NONE};
	sl_story *stories;
	size_t n;
	long limit, offset;
	const char *sort = sl_request_arg(req, "sort");
	sl_buf b = {0};
	int rc;

	res->route = "stories_api";
	if (number_arg(req, res, "limit", 1, MAX_LIMIT, 20, &limit) < 0 ||
	    number_arg(req, res, "offset", 0, MAX_OFFSET, 0, &offset) < 0 ||
	    time_arg(req, res, "since", 0, &so.since) < 0)
		return;
	if (sort && strcmp(sort, "size") && strcmp(sort, "time") &&
	    strcmp(sort, "top")) {
		sl_respond_error(res, 400, "sort is time, size or top");
		return;
	}
	so.by_size = sort && !strcmp(sort, "size");
	so.top = sort && !strcmp(sort, "top");
	so.limit = (size_t)(limit + offset);
	if ((rc = sl_engine_stories(req->engine, &so, &stories, &n)) < 0) {
		engine_failed(res, rc);
		return;
	}
	sl_buf_adds(&b, "{\"stories\":[");
	for (size_t i = (size_t)offset; i < n; i++) {
		char *one = sl_story_to_json(&stories[i], 0);

		if (i > (size_t)offset)
			sl_buf_addc(&b, ',');
		sl_buf_adds(&b, one);
		free(one);
	}
	sl_buf_printf(&b, "],\"offset\":%ld,\"limit\":%ld}", offset, limit);
	sl_stories_free(stories, n);
	sl_respond_json(res, 200, sl_buf_detach(&b));
}

static void get_story(const sl_request *req, sl_response *res,
		      const char *id)
{
	sl_story *s;
	char *end;
	long long n;
	int rc;

	res->route = "story_api";
	errno = 0;
	n = strtoll(id, &end, 10);
	if (errno || *end || n <= 0) {
		sl_respond_error(res, 404, "no story %s", id);
		return;
	}
	if ((rc = sl_engine_story(req->engine, n, &s)) < 0) {
		engine_failed(res, rc);
		return;
	}
	sl_respond_json(res, 200, sl_story_to_json(s, 1));
	sl_stories_free(s, 1);
}

static void get_search(const sl_request *req, sl_response *res)
{
	sl_search_opts so;
	sl_search_result *r;
	const char *q = sl_request_arg(req, "q"), *sort, *copies;
	long limit, offset;
	int rc;

	res->route = "search_api";
	sl_search_opts_init(&so);
	if (!q || !*q) {
		sl_respond_error(res, 400, "search needs q=");
		return;
	}
	if (number_arg(req, res, "limit", 1, MAX_LIMIT, 10, &limit) < 0 ||
	    number_arg(req, res, "offset", 0, MAX_OFFSET, 0, &offset) < 0 ||
	    time_arg(req, res, "since", 0, &so.since) < 0 ||
	    time_arg(req, res, "until", 1, &so.until) < 0)
		return;
	so.limit = (size_t)limit;
	so.offset = (size_t)offset;
	so.outlet = sl_request_arg(req, "outlet");
	so.lang = sl_request_arg(req, "lang");
	sort = sl_request_arg(req, "sort");
	so.by_time = sort && !strcmp(sort, "time");
	copies = sl_request_arg(req, "copies");
	so.all_copies = copies && !strcmp(copies, "all");
	if ((rc = sl_engine_search(req->engine, q, &so, &r)) < 0) {
		engine_failed(res, rc);
		return;
	}
	sl_respond_json(res, 200, sl_search_result_to_json(r, q));
	sl_search_result_free(r);
}

static void get_feeds(const sl_request *req, sl_response *res)
{
	sl_feed_info *feeds;
	size_t n;
	int rc;

	res->route = "feeds_api";
	if ((rc = sl_engine_feeds(req->engine, &feeds, &n)) < 0) {
		engine_failed(res, rc);
		return;
	}
	sl_respond_json(res, 200, sl_feed_infos_to_json(feeds, n));
	sl_feed_infos_free(feeds, n);
}

/* JSON lines in the body, each stored; the batch is committed once. */
static void post_articles(const sl_request *req, sl_response *res)
{
	json_t *out = json_object(), *rejected = json_array();
	size_t added = 0, updated = 0, unchanged = 0, line_no = 0;
	const char *p = req->body, *end = req->body + req->body_len;
	int rc;

	res->route = "post_articles";
	if ((rc = sl_engine_begin(req->engine)) < 0) {
		json_decref(out);
		json_decref(rejected);
		engine_failed(res, rc);
		return;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		sl_article *a = NULL;
		sl_add_status st;

		line_no++;
		if (len && !(len == 1 && p[0] == '\r')) {
			rc = sl_article_from_json(&a, p, len);
			if (rc == 0)
				rc = sl_engine_add(req->engine, a, &st);
			if (rc == 0) {
				added += st == SL_ADD_NEW;
				updated += st == SL_ADD_UPDATED;
				unchanged += st == SL_ADD_UNCHANGED;
			} else if (rc == SL_EINVAL) {
				json_t *r = json_object();

				json_object_set_new(r, "line",
						    json_integer((json_int_t)
								 line_no));
				json_object_set_new(r, "error",
						    json_string(sl_error_last()));
				json_array_append_new(rejected, r);
			} else {
				sl_article_free(a);
				sl_engine_rollback(req->engine);
				json_decref(out);
				json_decref(rejected);
				engine_failed(res, rc);
				return;
			}
			sl_article_free(a);
		}
		p += len + (nl != NULL);
	}
	if ((rc = sl_engine_commit(req->engine)) < 0) {
		json_decref(out);
		json_decref(rejected);
		engine_failed(res, rc);
		return;
	}
	json_object_set_new(out, "stored",
			    json_integer((json_int_t)(added + updated +
						      unchanged)));
	json_object_set_new(out, "new", json_integer((json_int_t)added));
	json_object_set_new(out, "updated", json_integer((json_int_t)updated));
	json_object_set_new(out, "unchanged",
			    json_integer((json_int_t)unchanged));
	json_object_set_new(out, "rejected", rejected);
	sl_respond_json(res, json_array_size(rejected) && !added && !updated &&
				     !unchanged
			     ? 400
			     : 200,
			json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER));
	json_decref(out);
}

static void post_feed(const sl_request *req, sl_response *res)
{
	json_error_t err;
	json_t *in = json_loadb(req->body, req->body_len, 0, &err);
	const json_t *url = json_object_get(in, "url");
	const json_t *outlet = json_object_get(in, "outlet");
	int64_t id = 0;
	int rc;

	res->route = "feeds_write";
	if (!json_is_object(in) || !json_is_string(url)) {
		sl_respond_error(res, 400, "the body is {\"url\":...,\"outlet\":"
					   "...}");
		json_decref(in);
		return;
	}
	/* Over HTTP only the web: a file: feed would read the server's
	 * files into public articles. */
	if (strncmp(json_string_value(url), "http://", 7) &&
	    strncmp(json_string_value(url), "https://", 8)) {
		sl_respond_error(res, 400, "a feed URL is http or https");
		json_decref(in);
		return;
	}
	rc = sl_engine_feed_add(req->engine, json_string_value(url),
				json_is_string(outlet)
					? json_string_value(outlet)
					: NULL,
				NULL, NULL, &id);
	json_decref(in);
	if (rc < 0) {
		engine_failed(res, rc);
		return;
	}
	{
		json_t *o = json_object();

		json_object_set_new(o, "id", json_integer(id));
		json_object_set_new(o, "new", json_boolean(rc == 0));
		sl_respond_json(res, rc == 0 ? 201 : 200,
				json_dumps(o, JSON_COMPACT |
						      JSON_PRESERVE_ORDER));
		json_decref(o);
	}
}

static void delete_feed(const sl_request *req, sl_response *res,
			const char *id)
{
	int rc = sl_engine_feed_remove(req->engine, id);

	res->route = "feeds_write";
	if (rc < 0) {
		engine_failed(res, rc);
		return;
	}
	sl_respond_json(res, 200, sl_strdup("{\"removed\":true}"));
}

/* The rest of path after prefix, when path starts with it and the rest
 * is one non-empty segment (followed by suffix, which may be ""). */
static int segment(const char *path, const char *prefix, const char *suffix,
		   char *out, size_t size)
{
	size_t np = strlen(prefix), ns = strlen(suffix), len;
	const char *seg;

	if (strncmp(path, prefix, np) != 0)
		return 0;
	seg = path + np;
	len = strcspn(seg, "/");
	if (!len || len >= size || strcmp(seg + len, suffix) != 0 ||
	    (ns == 0 && seg[len]))
		return 0;
	memcpy(out, seg, len);
	out[len] = '\0';
	return 1;
}

static int method_is(const sl_request *req, sl_response *res,
		     const char *allowed)
{
	const char *m = req->method;

	if (!strcmp(m, "HEAD"))
		m = "GET";
	if (strstr(allowed, m)) /* "GET", "GET, POST", ... */
		return 1;
	res->allow = allowed;
	res->route = "refused";
	sl_respond_error(res, 405, "%s is not allowed here (%s)", req->method,
			 allowed);
	return 0;
}

int sl_api_route(const sl_request *req, sl_response *res)
{
	const char *path = req->path;
	char id[512];

	if (strncmp(path, "/api/", 5) != 0 && strcmp(path, "/api") != 0)
		return 0;
	if (!strcmp(path, "/api/articles")) {
		if (method_is(req, res, "POST"))
			post_articles(req, res);
	} else if (segment(path, "/api/articles/", "/related", id,
			   sizeof(id))) {
		if (method_is(req, res, "GET"))
			get_related(req, res, id);
	} else if (segment(path, "/api/articles/", "", id, sizeof(id))) {
		if (method_is(req, res, "GET"))
			get_article(req, res, id);
	} else if (!strcmp(path, "/api/stories")) {
		if (method_is(req, res, "GET"))
			get_stories(req, res);
	} else if (segment(path, "/api/stories/", "", id, sizeof(id))) {
		if (method_is(req, res, "GET"))
			get_story(req, res, id);
	} else if (!strcmp(path, "/api/search")) {
		if (method_is(req, res, "GET"))
			get_search(req, res);
	} else if (!strcmp(path, "/api/feeds")) {
		if (method_is(req, res, "GET, POST")) {
			if (!strcmp(req->method, "POST"))
				post_feed(req, res);
			else
				get_feeds(req, res);
		}
	} else if (segment(path, "/api/feeds/", "", id, sizeof(id))) {
		if (method_is(req, res, "DELETE"))
			delete_feed(req, res, id);
	} else {
		res->route = "not_found";
		sl_respond_error(res, 404, "no API route %s", path);
	}
	return 1;
}
