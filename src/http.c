/*
 * http.c - the HTTP server: libmicrohttpd with an internal thread pool
 * over epoll, and what every request goes through before and after its
 * route: caps on URL and body size (414, 413), connection limits and
 * idle timeouts (libmicrohttpd's options), a per-address token bucket
 * (429 with Retry-After), write routes behind a bearer token, ETags with
 * If-None-Match (304), security headers, JSON errors for the API, and
 * Prometheus metrics (requests and latency by route).
 *
 * The engine is shared by the worker threads and, under `storyline run`,
 * a polling round: they take turns on it (sl_engine_enter), which keeps
 * every engine call as it is in the CLI. Routes answer in milliseconds
 * and a round holds its turn only while it stores one feed's items, so
 * turns are short.
 */
#include <arpa/inet.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <jansson.h>
#include <microhttpd.h>

#include "engine_int.h"
#include "error.h"
#include "http.h"
#include "util/strtab.h"

#define RATE_SLOTS 1024 /* addresses the rate limit remembers */
#define STOP_GRACE 10   /* seconds open connections get at a stop */
#define REFRESH_EVERY 1.0 /* seconds between looks at the store */

/* Metrics: one row per route label. */
static const char *const route_labels[] = {
	"article_api", "related_api", "stories_api", "story_api",
	"search_api",  "feeds_api",   "post_articles", "feeds_write",
	"front",       "article",     "story",        "search",
	"feeds",       "style",       "healthz",      "metrics",
	"not_found",   "refused",     NULL};
static const double buckets_ms[] = {1, 5, 10, 25, 50, 100, 250, 500, 1000,
				    2500};
#define N_BUCKETS (sizeof(buckets_ms) / sizeof(buckets_ms[0]))
#define N_ROUTES (sizeof(route_labels) / sizeof(route_labels[0]) - 1)

typedef struct route_stats {
	uint64_t count, by_class[6]; /* 1xx..5xx */
	uint64_t le[N_BUCKETS];
	double sum_ms;
} route_stats;

/*
 * The response cache: a GET answered 200 by a route is kept, keyed by
 * its whole request target, with the engine's change count at the time;
 * it is served again without waiting for a turn on the engine until the
 * engine changes (a commit, an article followed from the store). Slots
 * are direct-mapped by hash: a new response takes its slot. Only while
 * the store was looked at in the last REFRESH_EVERY seconds: otherwise
 * the request goes to the engine, which looks.
 */
#define CACHE_SLOTS 4096
#define CACHE_MAX_URI 1024
#define CACHE_MAX_BODY (256 * 1024)

typedef struct cache_slot {
	char *uri;
	char *body;
	size_t len;
	const char *type, *route;
	uint64_t changes;
} cache_slot;

typedef struct rate_slot {
	char addr[48];
	double tokens, last;
} rate_slot;

struct sl_server {
	struct MHD_Daemon *daemon;
	sl_engine *engine;
	sl_serve_opts opts;
	char *bind, *token;
	int port;
	pthread_mutex_t stats_lock;
	route_stats routes[N_ROUTES];
	rate_slot rates[RATE_SLOTS];
	double started;
	double refreshed; /* when the engine last followed the store */
	pthread_rwlock_t cache_lock;
	cache_slot cache[CACHE_SLOTS];
};

typedef struct conn_state {
	sl_buf body;
	int too_big;
	int started;    /* the handler has seen the headers */
	size_t uri_len; /* the whole request target, query included */
	char *uri;      /* it, for the response cache (when short enough) */
} conn_state;

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sl_serve_opts_init(sl_serve_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->bind = "127.0.0.1";
	o->port = 8080;
	o->threads = 4;
	o->max_body = 4u << 20;
	o->max_url = 2048;
	o->max_connections = 256;
	o->per_ip = 32;
	o->rate = 50;
	o->timeout = 15;
}

/* ------------------------------------------------------------------ */
/* Requests and responses                                              */

const char *sl_request_arg(const sl_request *req, const char *name)
{
	if (!req->conn)
		return req->lookup ? req->lookup(req->lookup_ctx, 0, name)
				   : NULL;
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
					   name);
}

const char *sl_request_header(const sl_request *req, const char *name)
{
	if (!req->conn)
		return req->lookup ? req->lookup(req->lookup_ctx, 1, name)
				   : NULL;
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

void sl_respond_json(sl_response *res, int status, char *json)
{
	res->status = status;
	res->type = "application/json";
	sl_buf_clear(&res->body);
	sl_buf_adds(&res->body, json ? json : "null");
	sl_buf_addc(&res->body, '\n');
	free(json);
}

void sl_respond_error(sl_response *res, int status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	json_t *obj = json_object(), *err = json_object();

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_object_set_new(err, "status", json_integer(status));
	json_object_set_new(err, "message", json_string(msg));
	json_object_set_new(obj, "error", err);
	sl_respond_json(res, status, json_dumps(obj, JSON_COMPACT |
							    JSON_PRESERVE_ORDER));
	json_decref(obj);
}

/* An error page for a browser, or JSON for the API. */
static void respond_failure(const sl_request *req, sl_response *res,
			    int status, const char *message)
{
	if (!strncmp(req->path, "/api/", 5) || !strcmp(req->path, "/api")) {
		sl_respond_error(res, status, "%s", message);
		return;
	}
	res->status = status;
	res->type = "text/html; charset=utf-8";
	sl_buf_clear(&res->body);
	sl_buf_printf(&res->body,
		      "<!DOCTYPE html><html lang=\"en\"><head><meta "
		      "charset=\"utf-8\"><title>%d</title><link "
		      "rel=\"stylesheet\" href=\"/style.css\"></head><body>"
		      "<main><h1>%d</h1><p>",
		      status, status);
	sl_page_text(&res->body, message);
	sl_buf_adds(&res->body, "</p><p><a href=\"/\">Top stories</a></p>"
				"</main></body></html>\n");
}

/* ------------------------------------------------------------------ */
/* Rate limit and metrics                                              */

static void client_addr(struct MHD_Connection *c, char out[48])
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = info ? info->client_addr : NULL;

	strcpy(out, "?");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			  out, 48);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
			  48);
}

/* A token bucket per address: rate a second, bursts of twice that. 0
 * when the request may go, else the seconds to wait. */
static int64_t rate_wait(sl_server *s, const char *addr)
{
	double t = mono_now(), cap = s->opts.rate * 2;
	size_t slot = (size_t)(sl_hash(addr, strlen(addr)) % RATE_SLOTS);
	rate_slot *r;
	int64_t wait = 0;

	if (s->opts.rate <= 0)
		return 0;
	pthread_mutex_lock(&s->stats_lock);
	r = &s->rates[slot];
	if (strcmp(r->addr, addr) != 0) { /* a new address takes the slot */
		snprintf(r->addr, sizeof(r->addr), "%s", addr);
		r->tokens = cap;
		r->last = t;
	}
	r->tokens += (t - r->last) * s->opts.rate;
	if (r->tokens > cap)
		r->tokens = cap;
	r->last = t;
	if (r->tokens >= 1)
		r->tokens -= 1;
	else
		wait = (int64_t)ceil((1 - r->tokens) / s->opts.rate);
	pthread_mutex_unlock(&s->stats_lock);
	return wait;
}

static void record(sl_server *s, const char *route, int status, double ms)
{
	size_t i = 0;

	while (route_labels[i] && strcmp(route_labels[i], route ? route
								: "not_found"))
		i++;
	if (!route_labels[i])
		i = N_ROUTES - 2; /* not_found */
	pthread_mutex_lock(&s->stats_lock);
	s->routes[i].count++;
	if (status >= 100 && status < 600)
		s->routes[i].by_class[status / 100]++;
	for (size_t b = 0; b < N_BUCKETS; b++)
		if (ms <= buckets_ms[b])
			s->routes[i].le[b]++;
	s->routes[i].sum_ms += ms;
	pthread_mutex_unlock(&s->stats_lock);
}

/* Prometheus text format. */
static void metrics(sl_server *s, sl_response *res)
{
	sl_stats st;
	sl_feed_info *feeds = NULL;
	size_t n_feeds = 0, n_stories = 0;
	sl_story *stories = NULL;
	sl_stories_opts so = {.since = SL_TIME_NONE};
	sl_buf *b = &res->body;

	res->status = 200;
	res->type = "text/plain; version=0.0.4; charset=utf-8";
	res->route = "metrics";
	if (sl_engine_stats(s->engine, &st) == 0) {
		sl_buf_printf(b, "# HELP storyline_articles Stored articles.\n"
				 "# TYPE storyline_articles gauge\n"
				 "storyline_articles %lld\n",
			      (long long)st.articles);
		sl_buf_printf(b, "# HELP storyline_outlets Distinct outlets.\n"
				 "# TYPE storyline_outlets gauge\n"
				 "storyline_outlets %lld\n",
			      (long long)st.outlets);
		sl_stats_clear(&st);
	}
	if (sl_engine_stories(s->engine, &so, &stories, &n_stories) == 0) {
		sl_buf_printf(b, "# HELP storyline_stories Stories.\n"
				 "# TYPE storyline_stories gauge\n"
				 "storyline_stories %zu\n",
			      n_stories);
		sl_stories_free(stories, n_stories);
	}
	if (sl_engine_feeds(s->engine, &feeds, &n_feeds) == 0) {
		size_t failing = 0;

		for (size_t i = 0; i < n_feeds; i++)
			failing += feeds[i].error != NULL;
		sl_buf_printf(b, "# HELP storyline_feeds Followed feeds.\n"
				 "# TYPE storyline_feeds gauge\n"
				 "storyline_feeds %zu\n"
				 "storyline_feeds_failing %zu\n",
			      n_feeds, failing);
		sl_feed_infos_free(feeds, n_feeds);
	}
	sl_buf_printf(b, "# HELP storyline_uptime_seconds Since the start.\n"
			 "# TYPE storyline_uptime_seconds counter\n"
			 "storyline_uptime_seconds %.0f\n",
		      mono_now() - s->started);
	sl_buf_adds(b, "# HELP storyline_http_requests_total Requests by "
		       "route and status class.\n"
		       "# TYPE storyline_http_requests_total counter\n");
	pthread_mutex_lock(&s->stats_lock);
	for (size_t i = 0; i < N_ROUTES; i++)
		for (int c = 1; c < 6; c++)
			if (s->routes[i].by_class[c])
				sl_buf_printf(
					b,
					"storyline_http_requests_total{route="
					"\"%s\",code=\"%dxx\"} %llu\n",
					route_labels[i], c,
					(unsigned long long)s->routes[i]
						.by_class[c]);
	sl_buf_adds(b, "# HELP storyline_http_request_duration_ms Time to "
		       "answer, by route.\n"
		       "# TYPE storyline_http_request_duration_ms histogram\n");
	for (size_t i = 0; i < N_ROUTES; i++) {
		const route_stats *r = &s->routes[i];

		if (!r->count)
			continue;
		for (size_t k = 0; k < N_BUCKETS; k++)
			sl_buf_printf(b,
				      "storyline_http_request_duration_ms_"
				      "bucket{route=\"%s\",le=\"%g\"} %llu\n",
				      route_labels[i], buckets_ms[k],
				      (unsigned long long)r->le[k]);
		sl_buf_printf(b,
			      "storyline_http_request_duration_ms_bucket{"
			      "route=\"%s\",le=\"+Inf\"} %llu\n"
			      "storyline_http_request_duration_ms_sum{route="
			      "\"%s\"} %.3f\n"
			      "storyline_http_request_duration_ms_count{route="
			      "\"%s\"} %llu\n",
			      route_labels[i], (unsigned long long)r->count,
			      route_labels[i], r->sum_ms, route_labels[i],
			      (unsigned long long)r->count);
	}
	pthread_mutex_unlock(&s->stats_lock);
}

/* ------------------------------------------------------------------ */
/* The response cache                                                  */

static int cacheable(const char *method, const char *uri)
{
	return uri && (!strcmp(method, "GET") || !strcmp(method, "HEAD")) &&
	       strcmp(uri, "/metrics") && strcmp(uri, "/healthz");
}

/* A fresh cached response for uri into res; 0 when there is none. */
static int cache_get(sl_server *s, const char *uri, sl_response *res)
{
	size_t i = (size_t)(sl_hash(uri, strlen(uri)) % CACHE_SLOTS);
	uint64_t now_changes = sl_engine_changes(s->engine);
	double refreshed;
	int hit = 0;

	__atomic_load(&s->refreshed, &refreshed, __ATOMIC_ACQUIRE);
	if (mono_now() - refreshed > REFRESH_EVERY)
		return 0; /* time the engine looked at the store */
	pthread_rwlock_rdlock(&s->cache_lock);
	if (s->cache[i].uri && !strcmp(s->cache[i].uri, uri) &&
	    s->cache[i].changes == now_changes) {
		res->status = 200;
		res->type = s->cache[i].type;
		res->route = s->cache[i].route;
		sl_buf_add(&res->body, s->cache[i].body, s->cache[i].len);
		hit = 1;
	}
	pthread_rwlock_unlock(&s->cache_lock);
	return hit;
}

static void cache_put(sl_server *s, const char *uri, const sl_response *res,
		      uint64_t changes)
{
	size_t i = (size_t)(sl_hash(uri, strlen(uri)) % CACHE_SLOTS);
	cache_slot *c = &s->cache[i];

	if (res->status != 200 || res->body.len > CACHE_MAX_BODY)
		return;
	pthread_rwlock_wrlock(&s->cache_lock);
	free(c->uri);
	free(c->body);
	c->uri = sl_strdup(uri);
	c->body = sl_malloc(res->body.len + 1);
	memcpy(c->body, res->body.data ? res->body.data : "", res->body.len);
	c->len = res->body.len;
	c->type = res->type; /* static strings */
	c->route = res->route;
	c->changes = changes;
	pthread_rwlock_unlock(&s->cache_lock);
}

/* ------------------------------------------------------------------ */
/* The handler                                                         */

static int is_write(const char *method)
{
	return !strcmp(method, "POST") || !strcmp(method, "PUT") ||
	       !strcmp(method, "DELETE") || !strcmp(method, "PATCH");
}

/* Writes need "Authorization: Bearer TOKEN": 401 without one, 403 with
 * a wrong one, and 403 when the operator set no token. */
static int authorized(sl_server *s, const sl_request *req, sl_response *res)
{
	const char *auth = sl_request_header(req, "Authorization");
	const char *given;
	size_t a, b;
	unsigned diff = 0;

	if (!s->token) {
		sl_respond_error(res, 403, "writes are off: the server has no "
					   "token (STORYLINE_TOKEN)");
		return 0;
	}
	if (!auth || strncasecmp(auth, "Bearer ", 7) != 0) {
		sl_respond_error(res, 401, "this needs Authorization: Bearer "
					   "TOKEN");
		return 0;
	}
	given = auth + 7;
	a = strlen(given);
	b = strlen(s->token);
	/* compared in time that does not depend on where they differ */
	for (size_t i = 0; i < b; i++)
		diff |= (unsigned char)s->token[i] ^
			(unsigned char)(i < a ? given[i] : 0);
	if (diff || a != b) {
		sl_respond_error(res, 403, "wrong token");
		return 0;
	}
	return 1;
}

static void etag_of(const sl_buf *body, char out[24])
{
	snprintf(out, 24, "\"%016llx\"",
		 (unsigned long long)sl_hash(body->data ? body->data : "",
					     body->len));
}

/* Whether If-None-Match names this ETag (or is "*"). */
static int matches(const char *inm, const char *etag)
{
	if (!inm)
		return 0;
	if (!strcmp(inm, "*"))
		return 1;
	return strstr(inm, etag) != NULL;
}

static enum MHD_Result reply(struct MHD_Connection *c, const sl_request *req,
			     sl_response *res)
{
	struct MHD_Response *r;
	enum MHD_Result ok;
	char etag[24] = "";
	int status = res->status ? res->status : 200;
	int html = res->type && !strncmp(res->type, "text/html", 9);

	if (status == 200 && (!strcmp(req->method, "GET") ||
			      !strcmp(req->method, "HEAD"))) {
		etag_of(&res->body, etag);
		if (matches(sl_request_header(req, "If-None-Match"), etag)) {
			status = 304;
			res->body.len = 0;
		}
	}
	r = MHD_create_response_from_buffer(res->body.len,
					    res->body.data ? res->body.data
							   : (char *)"",
					    MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	if (res->type && status != 304)
		MHD_add_response_header(r, "Content-Type", res->type);
	if (etag[0]) {
		MHD_add_response_header(r, "ETag", etag);
		MHD_add_response_header(r, "Cache-Control", "no-cache");
	}
	if (res->allow)
		MHD_add_response_header(r, "Allow", res->allow);
	if (res->retry_after > 0) {
		char v[24];

		snprintf(v, sizeof(v), "%lld", (long long)res->retry_after);
		MHD_add_response_header(r, "Retry-After", v);
	}
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	if (html) {
		/* no script at all; styles from here; images from anywhere
		 * (articles' photos), nothing else */
		MHD_add_response_header(
			r, "Content-Security-Policy",
			"default-src 'none'; style-src 'self'; img-src * "
			"data:; form-action 'self'; base-uri 'none'; "
			"frame-ancestors 'none'");
		MHD_add_response_header(r, "X-Frame-Options", "DENY");
	}
	ok = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	res->status = status;
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	sl_server *s = cls;
	conn_state *cs = *con_cls;
	sl_request req = {0};
	sl_response res = {0};
	double t0;
	enum MHD_Result ok;
	char addr[48];
	int64_t wait;

	(void)version;
	if (!cs) { /* no URI callback ran (it always does): be safe */
		cs = sl_calloc(1, sizeof(*cs));
		*con_cls = cs;
	}
	if (!cs->started) { /* the first call: headers only */
		const char *cl = MHD_lookup_connection_value(
			c, MHD_HEADER_KIND, "Content-Length");

		cs->started = 1;
		/* a body announced too big is refused before it is read */
		if (cl && strtoull(cl, NULL, 10) > s->opts.max_body)
			cs->too_big = 2;
		else
			return MHD_YES;
	}
	if (*upload_size) { /* a piece of the body */
		if (cs->body.len + *upload_size > s->opts.max_body)
			cs->too_big = 1;
		else
			sl_buf_add(&cs->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	t0 = mono_now();
	req.method = method;
	req.path = url;
	req.conn = c;
	req.engine = s->engine;
	req.opts = &s->opts;
	req.now = (int64_t)time(NULL);
	req.body = cs->body.data ? cs->body.data : "";
	req.body_len = cs->body.len;
	client_addr(c, addr);
	if (cs->uri_len > s->opts.max_url || strlen(url) > s->opts.max_url) {
		respond_failure(&req, &res, 414, "URL too long");
		res.route = "refused";
	} else if (cs->too_big) {
		respond_failure(&req, &res, 413, "request body too large");
		res.route = "refused";
	} else if ((wait = rate_wait(s, addr)) > 0) {
		respond_failure(&req, &res, 429, "too many requests: slow down");
		res.retry_after = wait;
		res.route = "refused";
	} else if ((!strcmp(url, "/healthz") || !strcmp(url, "/metrics")) &&
		   strcmp(method, "GET") && strcmp(method, "HEAD")) {
		res.allow = "GET, HEAD";
		res.route = "refused";
		sl_respond_error(&res, 405, "%s is not allowed here (GET, HEAD)",
				 method);
	} else if (!strcmp(url, "/healthz")) {
		res.status = 200;
		res.type = "application/json";
		res.route = "healthz";
		sl_buf_adds(&res.body, "{\"status\":\"ok\"}\n");
	} else if (is_write(method) && !authorized(s, &req, &res)) {
		res.route = "refused";
	} else if (cacheable(method, cs->uri) && cache_get(s, cs->uri, &res)) {
		/* served from the cache, no turn on the engine needed */
	} else {
		uint64_t changes;

		sl_engine_enter(s->engine);
		/* Articles other processes stored (an ingest, a fetch) reach
		 * the pages within a second. */
		if (t0 - s->refreshed > REFRESH_EVERY) {
			sl_engine_refresh(s->engine);
			__atomic_store(&s->refreshed, &t0, __ATOMIC_RELEASE);
		}
		changes = sl_engine_changes(s->engine);
		if (!strcmp(url, "/metrics"))
			metrics(s, &res);
		else if (!sl_api_route(&req, &res) &&
			 !sl_page_route(&req, &res))
			respond_failure(&req, &res, 404, "nothing here");
		sl_engine_leave(s->engine);
		if (cacheable(method, cs->uri))
			cache_put(s, cs->uri, &res, changes);
	}
	ok = reply(c, &req, &res);
	record(s, res.route, res.status, (mono_now() - t0) * 1000);
	sl_buf_free(&res.body);
	return ok;
}

/* Called with the whole request target before the handler: the only
 * place libmicrohttpd shows the query's length. Its result is the
 * connection's state. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	conn_state *cs = sl_calloc(1, sizeof(*cs));

	(void)cls;
	(void)c;
	cs->uri_len = uri ? strlen(uri) : 0;
	if (uri && cs->uri_len <= CACHE_MAX_URI)
		cs->uri = sl_strdup(uri);
	return cs;
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
		    enum MHD_RequestTerminationCode why)
{
	conn_state *cs = *con_cls;

	(void)cls;
	(void)c;
	(void)why;
	if (cs) {
		sl_buf_free(&cs->body);
		free(cs->uri);
		free(cs);
		*con_cls = NULL;
	}
}

/* ------------------------------------------------------------------ */
/* Start and stop                                                      */

int sl_server_start(sl_server **out, sl_engine *e, const sl_serve_opts *opts)
{
	sl_serve_opts defaults;
	sl_server *s;
	struct sockaddr_in6 a6 = {0};
	struct sockaddr_in a4 = {0};
	const struct sockaddr *sa;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_USE_TURBO | MHD_USE_ITC;
	const union MHD_DaemonInfo *info;

	*out = NULL;
	if (!opts) {
		sl_serve_opts_init(&defaults);
		opts = &defaults;
	}
	if (inet_pton(AF_INET, opts->bind, &a4.sin_addr) == 1) {
		a4.sin_family = AF_INET;
		a4.sin_port = htons((uint16_t)opts->port);
		sa = (const struct sockaddr *)&a4;
	} else if (inet_pton(AF_INET6, opts->bind, &a6.sin6_addr) == 1) {
		a6.sin6_family = AF_INET6;
		a6.sin6_port = htons((uint16_t)opts->port);
		sa = (const struct sockaddr *)&a6;
		flags |= MHD_USE_IPv6;
	} else {
		return sl_error_set(SL_EINVAL, "%s: not an IP address to bind",
				    opts->bind);
	}
	s = sl_calloc(1, sizeof(*s));
	s->engine = e;
	s->opts = *opts;
	s->bind = sl_strdup(opts->bind);
	s->opts.bind = s->bind;
	s->token = opts->token && *opts->token ? sl_strdup(opts->token) : NULL;
	s->opts.token = s->token;
	s->started = mono_now();
	pthread_mutex_init(&s->stats_lock, NULL);
	pthread_rwlock_init(&s->cache_lock, NULL);
	s->daemon = MHD_start_daemon(
		flags, (uint16_t)opts->port, NULL, NULL, on_request, s,
		MHD_OPTION_SOCK_ADDR, sa,
		MHD_OPTION_THREAD_POOL_SIZE,
		(unsigned)(opts->threads > 0 ? opts->threads : 1),
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)opts->max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)opts->per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)opts->timeout,
		/* headers beyond this are refused by libmicrohttpd (431) */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
		MHD_OPTION_NOTIFY_COMPLETED, on_done, s,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_END);
	if (!s->daemon) {
		int rc = sl_error_set(SL_EIO, "cannot listen on %s port %d",
				      opts->bind, opts->port);

		sl_server_stop(s);
		return rc;
	}
	info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : opts->port;
	*out = s;
	return 0;
}

int sl_server_port(const sl_server *s)
{
	return s->port;
}

void sl_server_stop(sl_server *s)
{
	if (!s)
		return;
	if (s->daemon) {
		/* Stop accepting, then give the connections open now up to
		 * STOP_GRACE seconds to get their answers out. */
		double until = mono_now() + STOP_GRACE;

		MHD_quiesce_daemon(s->daemon);
		while (mono_now() < until) {
			const union MHD_DaemonInfo *info = MHD_get_daemon_info(
				s->daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);

			if (!info || info->num_connections == 0)
				break;
			{
				struct timespec pause = {0, 20 * 1000 * 1000};

				nanosleep(&pause, NULL);
			}
		}
		MHD_stop_daemon(s->daemon);
	}
	pthread_mutex_destroy(&s->stats_lock);
	pthread_rwlock_destroy(&s->cache_lock);
	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		free(s->cache[i].uri);
		free(s->cache[i].body);
	}
	free(s->bind);
	free(s->token);
	free(s);
}
