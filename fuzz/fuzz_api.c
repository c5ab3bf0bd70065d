/*
 * fuzz_api.c - the server's routes on arbitrary requests: the JSON API
 * (sl_api_route) and the web pages (sl_page_route), as the server calls
 * them once libmicrohttpd has read a request, on the small store of
 * fuzz_store.h. Writes are let through (the token check is the
 * server's, before the routes), so posted articles and feeds join the
 * store as the campaign goes.
 *
 * Input: byte 0 picks the method (GET, HEAD, POST, DELETE, PUT); then
 * the first line is the path, "?" and the query arguments (name=value,
 * split at "&", taken as given); then "Name: value" header lines up to
 * an empty line; the rest is the body.
 *
 * Checked (abort when broken): a route that answers sets a status of
 * 100-599 and a type when it has a body; a JSON answer parses; an HTML
 * page is valid UTF-8 with no <script> in it (the pages have none of
 * their own: one would be text from a request or an article let out
 * unescaped).
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine_int.h"
#include "fuzz_store.h"
#include "http.h"
#include "storyline.h"
#include "util/utf8.h"

#define MAX_PAIRS 32

typedef struct pairs {
	char *name[MAX_PAIRS], *value[MAX_PAIRS];
	size_t n;
} pairs;

typedef struct lookup_ctx {
	pairs args, headers;
} lookup_ctx;

static const char *lookup(void *ctx, int header, const char *name)
{
	const lookup_ctx *l = ctx;
	const pairs *p = header ? &l->headers : &l->args;

	for (size_t i = 0; i < p->n; i++)
		if (header ? !strcasecmp(p->name[i], name)
			   : !strcmp(p->name[i], name))
			return p->value[i];
	return NULL;
}

static void add(pairs *p, char *name, char *value)
{
	if (p->n < MAX_PAIRS) {
		p->name[p->n] = name;
		p->value[p->n++] = value;
	}
}

/* The line at *s (cut at '\n', which is overwritten), *s moved past it;
 * NULL at the end of the text. */
static char *line(char **s)
{
	char *start = *s, *nl;

	if (!start)
		return NULL;
	nl = strchr(start, '\n');
	if (nl) {
		*nl = '\0';
		*s = nl + 1;
	} else {
		*s = NULL;
	}
	return start;
}

static void check(const sl_response *res)
{
	const char *body = res->body.data ? res->body.data : "";

	if (res->status < 100 || res->status > 599)
		abort();
	if (res->body.len && !res->type)
		abort();
	if (!res->type || !res->body.len)
		return;
	if (!strncmp(res->type, "application/json", 16)) {
		json_t *j = json_loadb(body, res->body.len, 0, NULL);

		if (!j)
			abort();
		json_decref(j);
	} else if (!strncmp(res->type, "text/html", 9)) {
		if (!sl_utf8_valid(body, res->body.len) ||
		    strcasestr(body, "<script"))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = {"GET", "HEAD", "POST", "DELETE",
					      "PUT"};
	sl_engine *e = store();
	sl_serve_opts opts;
	sl_request req = {0};
	sl_response res = {0};
	lookup_ctx l = {0};
	char *text, *rest, *target, *query, *h;

	if (size < 1)
		return 0;
	text = malloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	rest = text;
	target = line(&rest);
	if ((query = strchr(target, '?'))) {
		*query++ = '\0';
		for (char *pair = strtok(query, "&"); pair;
		     pair = strtok(NULL, "&")) {
			char *eq = strchr(pair, '=');

			if (eq)
				*eq++ = '\0';
			add(&l.args, pair, eq ? eq : "");
		}
	}
	while ((h = line(&rest)) && *h && *h != '\r') {
		char *colon = strchr(h, ':');

		if (!colon)
			continue;
		*colon++ = '\0';
		while (*colon == ' ')
			colon++;
		colon[strcspn(colon, "\r")] = '\0';
		add(&l.headers, h, colon);
	}
	sl_serve_opts_init(&opts);
	opts.token = "fuzz";
	req.method = methods[data[0] % 5];
	req.path = target;
	req.body = rest ? rest : "";
	req.body_len = strlen(req.body);
	req.engine = e;
	req.opts = &opts;
	req.now = 1772500000; /* 2026-03-03 */
	req.lookup = lookup;
	req.lookup_ctx = &l;

	sl_engine_enter(e);
	if (sl_api_route(&req, &res) || sl_page_route(&req, &res))
		check(&res);
	sl_engine_leave(e);
	sl_buf_free(&res.body);
	free(text);
	return 0;
}
