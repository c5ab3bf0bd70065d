/*
 * fetch.c - polite HTTP fetching with libcurl's multi interface.
 *
 * One loop drives every transfer. A request starts only when fewer than
 * opts->concurrency are running, fewer than opts->per_host to its host,
 * and opts->host_delay has passed since the host's last start. Redirects
 * are followed here, not by libcurl: each hop goes back into the queue
 * (so the politeness rules hold for it too), at most five, and a chain of
 * only permanent hops (301, 308) is reported so the caller can update the
 * feed's address. Every connection's address is checked where libcurl
 * opens the socket (CURLOPT_OPENSOCKETFUNCTION): a name that resolves to
 * loopback, a private network, link-local (cloud metadata) or multicast
 * is refused unless allowed, whatever DNS said the first time. Bodies
 * are capped while they arrive; gzip, deflate, brotli and zstd are
 * accepted as libcurl decodes them.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <curl/curl.h>

#include "error.h"
#include "fetch.h"
#include "util/mem.h"

#define DEFAULT_AGENT                                                      \
	"Storyline/" SL_VERSION " (news engine; "                         \
	"+https://github.com/storyline-news/storyline)"
#define ACCEPT                                                             \
	"Accept: application/rss+xml, application/atom+xml, "             \
	"application/feed+json, application/xml;q=0.9, text/xml;q=0.9, "  \
	"text/html;q=0.8, */*;q=0.5"

void sl_fetch_opts_init(sl_fetch_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_bytes = 8u << 20;
	o->timeout = 30;
	o->connect_timeout = 10;
	o->per_host = 2;
	o->host_delay = 1.0;
	o->concurrency = 16;
	o->fetch_pages = 1;
}

void sl_http_req_clear(sl_http_req *r)
{
	free(r->body);
	free(r->content_type);
	free(r->etag_out);
	free(r->last_modified_out);
	free(r->error);
	r->body = r->content_type = r->etag_out = r->last_modified_out =
		r->error = NULL;
	r->len = 0;
	r->status = 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ */
/* Addresses                                                           */

static int private_v4(uint32_t a) /* host order */
{
	return (a >> 24) == 0 ||              /* 0.0.0.0/8 */
	       (a >> 24) == 10 ||             /* 10/8 */
	       (a >> 24) == 127 ||            /* loopback */
	       (a >> 16) == 0xA9FE ||         /* 169.254/16: metadata */
	       (a >> 20) == 0xAC1 ||          /* 172.16/12 */
	       (a >> 16) == 0xC0A8 ||         /* 192.168/16 */
	       (a >> 22) == (0x64400000u >> 22) || /* 100.64/10 shared */
	       (a >> 8) == 0xC00000 ||        /* 192.0.0/24 */
	       (a >> 28) >= 0xE;              /* multicast, reserved */
}

int sl_http_private_address(const void *sockaddr)
{
	const struct sockaddr *sa = sockaddr;

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = sockaddr;

		return private_v4(ntohl(in->sin_addr.s_addr));
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = sockaddr;
		const uint8_t *b = in6->sin6_addr.s6_addr;
		static const uint8_t zero[16];
		static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0,
						   0, 0, 0, 0, 0xff, 0xff};
		static const uint8_t nat64[12] = {0, 0x64, 0xff, 0x9b};

		if (memcmp(b, zero, 15) == 0 && (b[15] == 0 || b[15] == 1))
			return 1; /* :: and ::1 */
		if (memcmp(b, mapped, 12) == 0 || memcmp(b, nat64, 12) == 0)
			return private_v4((uint32_t)b[12] << 24 |
					  (uint32_t)b[13] << 16 |
					  (uint32_t)b[14] << 8 | b[15]);
		return (b[0] & 0xfe) == 0xfc ||            /* fc00::/7 */
		       (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) || /* fe80::/10 */
		       b[0] == 0xff;                       /* multicast */
	}
	return 1; /* other families (unix sockets) are not the internet */
}

/* ------------------------------------------------------------------ */
/* One transfer                                                        */

typedef struct transfer {
	sl_http_req *req;
	CURL *easy;
	struct curl_slist *headers;
	char host[256];
	const sl_fetch_opts *opts;
	int refused;      /* the socket callback said no */
	int too_big;
	int state;        /* 0 waiting, 1 running, 2 done */
} transfer;

static void host_of(const char *url, char out[256])
{
	const char *h = strstr(url, "://");
	size_t n;

	out[0] = '\0';
	if (!h)
		return;
	h += 3;
	if (strchr(h, '@') && strchr(h, '@') < h + strcspn(h, "/?#"))
		h = strchr(h, '@') + 1;
	n = strcspn(h, "/?#");
	if (n > 255)
		n = 255;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)(h[i] >= 'A' && h[i] <= 'Z' ? h[i] + 32 : h[i]);
	out[n] = '\0';
}

static size_t on_body(char *data, size_t size, size_t n, void *p)
{
	transfer *t = p;
	sl_http_req *r = t->req;
	size_t len = size * n;

	if (r->len + len > t->opts->max_bytes) {
		t->too_big = 1;
		return 0; /* libcurl stops with CURLE_WRITE_ERROR */
	}
	r->body = sl_realloc(r->body, r->len + len + 1);
	memcpy(r->body + r->len, data, len);
	r->len += len;
	r->body[r->len] = '\0';
	return len;
}

/* A header's value (trimmed) if line is "name: value". */
static char *header_value(const char *line, size_t len, const char *name)
{
	size_t n = strlen(name);
	const char *v, *end = line + len;

	if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
		return NULL;
	v = line + n + 1;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' ||
			   end[-1] == ' '))
		end--;
	return sl_strndup(v, (size_t)(end - v));
}

static void set_header(char **field, char *value)
{
	if (!value)
		return;
	free(*field);
	*field = value;
}

static size_t on_header(char *line, size_t size, size_t n, void *p)
{
	transfer *t = p;
	sl_http_req *r = t->req;
	size_t len = size * n;
	char *v;

	if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
		/* a new response (after 100 Continue): forget the last */
		free(r->content_type);
		r->content_type = NULL;
		return len;
	}
	set_header(&r->content_type, header_value(line, len, "content-type"));
	set_header(&r->etag_out, header_value(line, len, "etag"));
	set_header(&r->last_modified_out,
		   header_value(line, len, "last-modified"));
	if ((v = header_value(line, len, "retry-after"))) {
		char *end;
		long s = strtol(v, &end, 10);

		if (end != v && !*end && s >= 0)
			r->retry_after = s;
		else {
			time_t when = curl_getdate(v, NULL);

			if (when > 0)
				r->retry_after = when > time(NULL)
							 ? when - time(NULL)
							 : 0;
		}
		free(v);
	}
	if ((v = header_value(line, len, "cache-control"))) {
		const char *m = strstr(v, "max-age=");

		if (m)
			r->max_age = strtol(m + 8, NULL, 10);
		free(v);
	}
	return len;
}

static curl_socket_t on_open_socket(void *p, curlsocktype purpose,
				    struct curl_sockaddr *addr)
{
	transfer *t = p;

	(void)purpose;
	if (!t->opts->allow_private && sl_http_private_address(&addr->addr)) {
		char ip[INET6_ADDRSTRLEN] = "?";
		const struct sockaddr *sa = (const struct sockaddr *)&addr->addr;

		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET,
				  &((const struct sockaddr_in *)sa)->sin_addr,
				  ip, sizeof(ip));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)sa)->sin6_addr,
				  ip, sizeof(ip));
		t->refused = 1;
		free(t->req->error);
		t->req->error = NULL;
		{
			sl_buf b = {0};

			sl_buf_printf(&b, "refused: %s is a private address "
					  "(--allow-private allows it)",
				      ip);
			t->req->error = sl_buf_detach(&b);
		}
		return CURL_SOCKET_BAD;
	}
	return socket(addr->family, addr->socktype, addr->protocol);
}

static void fail(sl_http_req *r, const char *fmt, const char *arg)
{
	sl_buf b = {0};

	if (r->error)
		return;
	sl_buf_printf(&b, fmt, arg);
	r->error = sl_buf_detach(&b);
}

/* A file: URL, read here (operators point feeds at local files). */
static void read_file_url(sl_http_req *r, size_t max)
{
	char *path = NULL;
	FILE *fp;
	int decoded_len = 0;

	if (!strncmp(r->url, "file://", 7))
		path = curl_easy_unescape(NULL, r->url + 7, 0, &decoded_len);
	if (!path || !(fp = fopen(path, "rb"))) {
		fail(r, "cannot read %s", path ? path : r->url);
		curl_free(path);
		return;
	}
	r->body = sl_malloc(1);
	for (;;) {
		char buf[65536];
		size_t got = fread(buf, 1, sizeof(buf), fp);

		if (!got)
			break;
		if (r->len + got > max) {
			fail(r, "over the %s-byte limit", "response");
			break;
		}
		r->body = sl_realloc(r->body, r->len + got + 1);
		memcpy(r->body + r->len, buf, got);
		r->len += got;
	}
	r->body[r->len] = '\0';
	if (!r->error)
		r->status = 200;
	fclose(fp);
	curl_free(path);
}

static int start(CURLM *multi, transfer *t)
{
	const sl_fetch_opts *o = t->opts;
	sl_http_req *r = t->req;
	CURL *e = curl_easy_init();

	if (!e)
		return -1;
	t->easy = e;
	t->refused = t->too_big = 0;
	curl_easy_setopt(e, CURLOPT_URL, r->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_PROXY, ""); /* every hop is checked */
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_USERAGENT,
			 o->user_agent ? o->user_agent : DEFAULT_AGENT);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, o->connect_timeout);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, o->timeout);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
			 (curl_off_t)o->max_bytes);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, t);
	t->headers = curl_slist_append(NULL, ACCEPT);
	/* Validators go to every hop: the URL that issued them is the last
	 * one, behind any temporary redirect; the others ignore them. */
	if (r->etag) {
		char line[1024];

		snprintf(line, sizeof(line), "If-None-Match: %s", r->etag);
		t->headers = curl_slist_append(t->headers, line);
	}
	if (r->last_modified) {
		char line[256];

		snprintf(line, sizeof(line), "If-Modified-Since: %s",
			 r->last_modified);
		t->headers = curl_slist_append(t->headers, line);
	}
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
	curl_multi_add_handle(multi, e);
	t->state = 1;
	return 0;
}

/* A hop finished: done, or queued again for its redirect. */
static int finish(CURLM *multi, transfer *t, CURLcode result)
{
	sl_http_req *r = t->req;
	long status = 0;
	char *next = NULL;

	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	if (result == CURLE_OK && status >= 300 && status < 400 &&
	    status != 304) {
		curl_easy_getinfo(t->easy, CURLINFO_REDIRECT_URL, &next);
		if (next)
			next = sl_strdup(next);
	}
	curl_multi_remove_handle(multi, t->easy);
	curl_easy_cleanup(t->easy);
	curl_slist_free_all(t->headers);
	t->easy = NULL;
	t->headers = NULL;
	if (next) {
		if (r->redirects >= SL_FETCH_MAX_REDIRECTS) {
			free(next);
			fail(r, "more than %s redirects", "5");
			r->status = status;
			t->state = 2;
			return 1;
		}
		if (strncmp(next, "http://", 7) && strncmp(next, "https://", 8)) {
			fail(r, "redirect to a URL that is not http(s): %s",
			     next);
			free(next);
			t->state = 2;
			return 1;
		}
		r->moved = (r->redirects == 0 || r->moved) &&
			   (status == 301 || status == 308);
		r->redirects++;
		free(r->url);
		r->url = next;
		free(r->body);
		r->body = NULL;
		r->len = 0;
		t->state = 0;
		return 0;
	}
	r->status = result == CURLE_OK ? status : 0;
	if (t->too_big || result == CURLE_FILESIZE_EXCEEDED) {
		char cap[32];

		snprintf(cap, sizeof(cap), "%zu", t->opts->max_bytes);
		fail(r, "response over the %s-byte limit", cap);
		r->status = 0;
	} else if (result != CURLE_OK) {
		fail(r, "%s", curl_easy_strerror(result));
	} else if (status >= 400) {
		char what[64];

		snprintf(what, sizeof(what), "HTTP %ld", status);
		fail(r, "%s", what);
	}
	t->state = 2;
	return 1;
}

/* ------------------------------------------------------------------ */
/* The loop                                                            */

typedef struct host_slot {
	char name[256];
	int active;
	double next; /* earliest start of its next request */
	int down;    /* could not be resolved or reached this round */
} host_slot;

static host_slot *slot_for(host_slot **slots, size_t *n, size_t *cap,
			   const char *host)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*slots)[i].name, host) == 0)
			return &(*slots)[i];
	sl_grow(slots, cap, *n + 1, sizeof(**slots));
	memset(&(*slots)[*n], 0, sizeof(**slots));
	strcpy((*slots)[*n].name, host);
	return &(*slots)[(*n)++];
}

static void curl_once(void)
{
	static int ready;

	/* Before any thread: curl_global_init is not thread-safe on old
	 * libcurl; callers fetch from one thread. */
	if (!ready) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		ready = 1;
	}
}

int sl_http_fetch(sl_http_req **reqs, size_t n, const sl_fetch_opts *opts,
		  sl_http_done_fn done, void *ctx)
{
	sl_fetch_opts defaults;
	transfer *ts;
	host_slot *slots = NULL;
	size_t n_slots = 0, cap_slots = 0, remaining = n;
	int running = 0;
	CURLM *multi;

	if (!opts) {
		sl_fetch_opts_init(&defaults);
		opts = &defaults;
	}
	curl_once();
	multi = curl_multi_init();
	if (!multi)
		return sl_error_set(SL_EIO, "libcurl: cannot start");
	ts = sl_calloc(n ? n : 1, sizeof(*ts));
	for (size_t i = 0; i < n; i++) {
		ts[i].req = reqs[i];
		ts[i].opts = opts;
		reqs[i]->retry_after = reqs[i]->max_age = -1;
		reqs[i]->moved = 0;
		reqs[i]->redirects = 0;
		host_of(reqs[i]->url, ts[i].host);
		if (!strncmp(reqs[i]->url, "file:", 5)) {
			read_file_url(reqs[i], opts->max_bytes);
			ts[i].state = 2;
			remaining--;
			if (done)
				done(reqs[i], ctx);
		} else if (strncmp(reqs[i]->url, "http://", 7) &&
			   strncmp(reqs[i]->url, "https://", 8)) {
			fail(reqs[i], "not an http, https or file URL: %s",
			     reqs[i]->url);
			ts[i].state = 2;
			remaining--;
			if (done)
				done(reqs[i], ctx);
		}
	}
	while (remaining) {
		double t = now_s(), wait = 0.2;
		CURLMsg *msg;
		int left;

		if (opts->stop && *opts->stop)
			break;
		/* Start what the limits allow, in queue order. */
		for (size_t i = 0; i < n && running < opts->concurrency; i++) {
			host_slot *h;

			if (ts[i].state != 0)
				continue;
			h = slot_for(&slots, &n_slots, &cap_slots, ts[i].host);
			if (h->down) {
				/* one failure to resolve or connect is the
				 * answer for the host's whole queue */
				fail(ts[i].req, "host %s could not be reached",
				     ts[i].host);
				ts[i].state = 2;
				remaining--;
				if (done)
					done(ts[i].req, ctx);
				continue;
			}
			if (h->active >= opts->per_host)
				continue;
			if (h->next > t) {
				if (h->next - t < wait)
					wait = h->next - t;
				continue;
			}
			if (start(multi, &ts[i]) < 0) {
				fail(ts[i].req, "%s", "libcurl: no handle");
				ts[i].state = 2;
				remaining--;
				if (done)
					done(ts[i].req, ctx);
				continue;
			}
			h->active++;
			h->next = t + opts->host_delay;
			running++;
		}
		curl_multi_perform(multi, &running);
		while ((msg = curl_multi_info_read(multi, &left))) {
			transfer *tr;
			host_slot *h;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
					  (char **)&tr);
			h = slot_for(&slots, &n_slots, &cap_slots, tr->host);
			h->active--;
			if (msg->data.result == CURLE_COULDNT_RESOLVE_HOST ||
			    msg->data.result == CURLE_COULDNT_CONNECT)
				h->down = !tr->refused;
			if (finish(multi, tr, msg->data.result)) {
				remaining--;
				if (done)
					done(tr->req, ctx);
			} else {
				host_of(tr->req->url, tr->host);
			}
		}
		curl_multi_poll(multi, NULL, 0, (int)(wait * 1000) + 1, NULL);
	}
	/* Stopped early: what is still running ends here, unanswered. */
	for (size_t i = 0; i < n; i++) {
		if (ts[i].state == 2)
			continue;
		if (ts[i].easy) {
			curl_multi_remove_handle(multi, ts[i].easy);
			curl_easy_cleanup(ts[i].easy);
			curl_slist_free_all(ts[i].headers);
		}
		fail(ts[i].req, "%s", "stopped before an answer");
	}
	free(ts);
	free(slots);
	curl_multi_cleanup(multi);
	return 0;
}

char *sl_http_charset(const char *content_type)
{
	const char *c = content_type ? strcasestr(content_type, "charset=")
				     : NULL;
	size_t n;

	if (!c)
		return NULL;
	c += 8;
	if (*c == '"' || *c == '\'')
		c++;
	n = strcspn(c, "\"'; \t");
	return n ? sl_strndup(c, n) : NULL;
}
