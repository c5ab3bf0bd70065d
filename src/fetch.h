/*
 * fetch.h - polite HTTP fetching of feeds and pages with libcurl's multi
 * interface: many requests at once, few per host, conditional GET,
 * redirects followed by hand (so each hop is checked and a permanent
 * move is known), a size cap, and no connection to a private address
 * unless allowed.
 */
#ifndef SL_FETCH_H
#define SL_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "storyline.h"

#define SL_FETCH_MAX_REDIRECTS 5

typedef struct sl_http_req {
	/* in */
	char *url;                 /* owned; becomes the final URL */
	const char *etag;          /* If-None-Match, or NULL */
	const char *last_modified; /* If-Modified-Since, or NULL */
	void *user;
	/* out */
	long status;        /* HTTP status; 0 when no answer came */
	char *body;         /* NUL-terminated */
	size_t len;
	char *content_type; /* the header's value, or NULL */
	char *etag_out, *last_modified_out;
	int redirects;      /* hops followed */
	int moved;          /* every hop was permanent (301, 308) */
	int64_t retry_after; /* seconds asked by 429/503, or -1 */
	int64_t max_age;     /* Cache-Control max-age seconds, or -1 */
	char *error;         /* why it failed, or NULL */
} sl_http_req;

typedef void (*sl_http_done_fn)(sl_http_req *r, void *ctx);

/*
 * Fetch every request, at most opts->concurrency at once and
 * opts->per_host to one host, opts->host_delay seconds apart per host;
 * done(r, ctx) is called as each finishes (in this thread). file: URLs
 * are read from disk. Returns 0; each request carries its own outcome.
 */
int sl_http_fetch(sl_http_req **reqs, size_t n, const sl_fetch_opts *opts,
		  sl_http_done_fn done, void *ctx);

/* Free what a request's fetch filled in (not url or user). */
void sl_http_req_clear(sl_http_req *r);

/* The charset parameter of a Content-Type value, or NULL. Caller frees. */
char *sl_http_charset(const char *content_type);

/* Whether an address (AF_INET / AF_INET6 sockaddr) is loopback,
 * private, link-local, shared, multicast, reserved or unspecified. */
int sl_http_private_address(const void *sockaddr);

#endif
