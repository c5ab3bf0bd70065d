/*
 * http.h - what the server's parts share: a request as the routes see
 * it, the response they fill in, and the two route tables (api.c for
 * /api/..., page.c for the pages). http.c owns the sockets, the caps,
 * the rate limit, ETags and metrics.
 */
#ifndef SL_HTTP_H
#define SL_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "storyline.h"
#include "util/mem.h"

typedef struct sl_request {
	const char *method; /* GET, HEAD, POST, DELETE, ... */
	const char *path;   /* without the query */
	const char *body;   /* the request body (POST), NUL-terminated */
	size_t body_len;
	sl_engine *engine;
	const sl_serve_opts *opts;
	void *conn;         /* the libmicrohttpd connection */
	int64_t now;
	/* Without a connection (conn NULL: the routes' fuzz target), where
	 * query arguments (header 0) and headers (1) come from. */
	const char *(*lookup)(void *ctx, int header, const char *name);
	void *lookup_ctx;
} sl_request;

typedef struct sl_response {
	int status;
	const char *type;  /* Content-Type */
	sl_buf body;
	const char *route; /* the metrics label of the route that answered */
	const char *allow; /* methods, for 405 */
	int64_t retry_after; /* seconds, for 429/503; 0: none */
} sl_response;

/* A query argument, or NULL. */
const char *sl_request_arg(const sl_request *req, const char *name);
/* A request header, or NULL. */
const char *sl_request_header(const sl_request *req, const char *name);

/* The response is this JSON text (taken). */
void sl_respond_json(sl_response *res, int status, char *json);
/* An error as JSON: {"error":{"status":N,"message":"..."}}. */
void sl_respond_error(sl_response *res, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* 1 when the route table answered (res filled in), 0 when no route of
 * its own matches the path. */
int sl_api_route(const sl_request *req, sl_response *res);
int sl_page_route(const sl_request *req, sl_response *res);

/* Append text HTML-escaped. */
void sl_page_text(sl_buf *b, const char *s);

#endif
