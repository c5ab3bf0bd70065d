/*
 * page.c - the web pages, rendered on the server: complete without
 * JavaScript (the server's Content-Security-Policy allows none), one
 * stylesheet from /style.css, every text escaped, article bodies only
 * as the sanitizer wrote them.
 *
 *   /              top stories now: recency, coverage and outlets
 *   /article/{id}  the reader view and its Recommended Stories rail
 *   /story/{id}    full coverage: every outlet, copies folded, timeline
 *   /search?q=     results with highlighted snippets, pages
 *   /feeds         the followed feeds, their status and errors
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "http.h"
#include "util/utf8.h"

#define FRONT_STORIES 30
#define SEARCH_PAGE 10
#define RAIL_SIZE 20

static const char style_css[] =
	":root{--fg:#1b1b1b;--muted:#5f6368;--line:#e3e3e3;--accent:#0b57d0;"
	"--bg:#fff}*{box-sizing:border-box}body{margin:0;font:17px/1.55 "
	"Georgia,'Times New Roman',serif;color:var(--fg);background:var(--bg)}"
	"header.site{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;"
	"padding:.6rem 1rem;border-bottom:1px solid var(--line);font-family:"
	"system-ui,sans-serif}header.site .brand{font-weight:700;color:var(--fg);"
	"text-decoration:none}header.site form{flex:1;min-width:12rem}"
	"header.site input{width:100%;padding:.35rem .5rem;font:inherit;border:1px "
	"solid var(--line);border-radius:4px}main{max-width:46rem;margin:0 auto;"
	"padding:1rem}a{color:var(--accent)}h1{font-size:1.9rem;line-height:1.2;"
	"margin:.4rem 0}.meta,.why,.outlets,.time,.count{color:var(--muted);"
	"font:14px/1.4 system-ui,sans-serif}.body p{margin:0 0 1em}"
	".body img,figure img{max-width:100%;height:auto}figure{margin:1rem 0}"
	"figcaption,.caption{color:var(--muted);font:14px/1.4 system-ui,"
	"sans-serif}ol.stories,ol.rail,ol.results,ul.members{list-style:none;"
	"padding:0}ol.stories li,ol.rail li,ol.results li,ul.members>li{padding:"
	".7rem 0;border-bottom:1px solid var(--line)}.headline{font-size:1.1rem;"
	"font-weight:700;text-decoration:none;color:var(--fg)}.snippet{margin:"
	".2rem 0}.tag{display:inline-block;margin-right:.3rem;padding:0 .35rem;"
	"border:1px solid var(--line);border-radius:3px}.same{color:#137333}"
	".top{color:#b06000}.subject{color:#5f6368}"
	"details{margin:.3rem 0 0 1rem}svg.timeline{width:100%;"
	"height:auto}.pages{display:flex;gap:1rem;font-family:system-ui,"
	"sans-serif}table.feeds{border-collapse:collapse;width:100%;font:14px/1.4 "
	"system-ui,sans-serif}table.feeds td,table.feeds th{border-bottom:1px "
	"solid var(--line);padding:.3rem;text-align:left;vertical-align:top}"
	".error{color:#b3261e}@media(max-width:600px){body{font-size:16px}h1{"
	"font-size:1.5rem}}\n";

void sl_page_text(sl_buf *b, const char *s)
{
	sl_buf fixed = {0};
	size_t n;

	if (!s)
		return;
	n = strlen(s);
	if (sl_utf8_valid(s, n)) {
		sl_html_escape(b, s, n);
		return;
	}
	/* Text from a request (a query, an id) may be any bytes: invalid
	 * sequences become U+FFFD, so that the page stays UTF-8. */
	sl_utf8_repair(&fixed, s, n);
	sl_html_escape(b, fixed.data, fixed.len);
	sl_buf_free(&fixed);
}

/* href="/article/ID" with the id escaped for a path and an attribute. */
static void article_href(sl_buf *b, const char *id)
{
	sl_buf_adds(b, "/article/");
	for (const unsigned char *c = (const unsigned char *)id; *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
		    *c == '.' || *c == '~')
			sl_buf_addc(b, (char)*c);
		else
			sl_buf_printf(b, "%%%02X", *c);
	}
}

static void query_escape(sl_buf *b, const char *s)
{
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
		    *c == '.' || *c == '~')
			sl_buf_addc(b, (char)*c);
		else
			sl_buf_printf(b, "%%%02X", *c);
	}
}

static void time_text(sl_buf *b, int64_t t, int64_t now);

/* A headline linking to its article's page (class cls, if given). */
static void headline_link(sl_buf *b, const char *cls, const char *id,
			  const char *title)
{
	sl_buf_adds(b, "<a ");
	if (cls)
		sl_buf_printf(b, "class=\"%s\" ", cls);
	sl_buf_adds(b, "href=\"");
	article_href(b, id);
	sl_buf_adds(b, "\">");
	sl_page_text(b, title ? title : "(untitled)");
	sl_buf_adds(b, "</a>");
}

/* Where and when: "OUTLET · 3 h ago", the dot only between the two. */
static void source_text(sl_buf *b, const char *outlet, int64_t published,
			int64_t now)
{
	sl_page_text(b, outlet);
	if (outlet && published != SL_TIME_NONE)
		sl_buf_adds(b, " · ");
	time_text(b, published, now);
}

static void time_text(sl_buf *b, int64_t t, int64_t now)
{
	char iso[21];
	int64_t ago;

	if (t == SL_TIME_NONE) /* undated: nothing to say */
		return;
	ago = now - t;
	sl_time_format(iso, t);
	sl_buf_printf(b, "<time datetime=\"%s\">", iso);
	if (ago >= 0 && ago < 60)
		sl_buf_adds(b, "just now");
	else if (ago >= 0 && ago < 3600)
		sl_buf_printf(b, "%lld min ago", (long long)(ago / 60));
	else if (ago >= 0 && ago < 86400)
		sl_buf_printf(b, "%lld h ago", (long long)(ago / 3600));
	else if (ago >= 0 && ago < 7 * 86400)
		sl_buf_printf(b, "%lld days ago", (long long)(ago / 86400));
	else
		sl_buf_printf(b, "%.10s", iso);
	sl_buf_adds(b, "</time>");
}

static void page_start(sl_buf *b, const char *title, const char *query)
{
	sl_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
		       "charset=\"utf-8\"><meta name=\"viewport\" content=\""
		       "width=device-width, initial-scale=1\"><title>");
	sl_page_text(b, title);
	sl_buf_adds(b, " · Storyline</title><link rel=\"stylesheet\" href=\""
		       "/style.css\"></head><body><header class=\"site\"><a "
		       "class=\"brand\" href=\"/\">Storyline</a><form action="
		       "\"/search\" role=\"search\"><input type=\"search\" name="
		       "\"q\" placeholder=\"Search the news\" value=\"");
	sl_page_text(b, query);
	sl_buf_adds(b, "\" aria-label=\"Search\"></form><a href=\"/feeds\">"
		       "Feeds</a></header><main>");
}

static void page_end(sl_buf *b)
{
	sl_buf_adds(b, "</main></body></html>\n");
}

static void html_ok(sl_response *res)
{
	res->status = 200;
	res->type = "text/html; charset=utf-8";
}

static void page_error(sl_response *res, int status, const char *title,
		       const char *message)
{
	sl_buf_clear(&res->body);
	page_start(&res->body, title, NULL);
	sl_buf_adds(&res->body, "<h1>");
	sl_page_text(&res->body, title);
	sl_buf_adds(&res->body, "</h1><p>");
	sl_page_text(&res->body, message);
	sl_buf_adds(&res->body, "</p><p><a href=\"/\">Top stories</a></p>");
	page_end(&res->body);
	res->status = status;
	res->type = "text/html; charset=utf-8";
}

static void outlets_text(sl_buf *b, char *const *outlets, size_t n,
			 size_t max)
{
	for (size_t i = 0; i < n && i < max; i++) {
		if (i)
			sl_buf_adds(b, ", ");
		sl_page_text(b, outlets[i]);
	}
	if (n > max)
		sl_buf_printf(b, " and %zu more", n - max);
}

/* ------------------------------------------------------------------ */
/* / : top stories                                                     */

static void front_page(const sl_request *req, sl_response *res)
{
	sl_stories_opts so = {.since = SL_TIME_NONE,
			      .limit = FRONT_STORIES,
			      .top = 1};
	sl_story *stories;
	size_t n;
	sl_buf *b = &res->body;

	res->route = "front";
	if (sl_engine_stories(req->engine, &so, &stories, &n) < 0) {
		page_error(res, 500, "Top stories", "The store cannot answer.");
		return;
	}
	html_ok(res);
	page_start(b, "Top stories", NULL);
	sl_buf_adds(b, "<h1>Top stories</h1>");
	if (!n)
		sl_buf_adds(b, "<p>No stories yet: ingest articles or follow "
			       "feeds (storyline feeds add URL).</p>");
	sl_buf_adds(b, "<ol class=\"stories\">");
	for (size_t i = 0; i < n; i++) {
		const sl_story *s = &stories[i];
		const char *lead = s->lead;

		sl_buf_printf(b, "<li><a class=\"headline\" href=\"/story/%lld"
				 "\">",
			      (long long)s->id);
		sl_page_text(b, s->title ? s->title : "(untitled)");
		sl_buf_adds(b, "</a><div class=\"outlets\">");
		outlets_text(b, s->outlets, s->n_outlets, 4);
		sl_buf_printf(b, " · <span class=\"count\">%zu article%s</span>"
				 " · ",
			      s->size, s->size == 1 ? "" : "s");
		time_text(b, s->last, req->now);
		if (lead) {
			sl_buf_adds(b, " · <a href=\"");
			article_href(b, lead);
			sl_buf_adds(b, "\">read</a>");
		}
		sl_buf_adds(b, "</div></li>");
	}
	sl_buf_adds(b, "</ol>");
	page_end(b);
	sl_stories_free(stories, n);
}

/* ------------------------------------------------------------------ */
/* /article/{id}                                                       */

static void rail_item(const sl_request *req, sl_buf *b,
		      const sl_related_item *it, const char *cls)
{
	sl_buf_printf(b, "<li class=\"%s\">", cls);
	headline_link(b, "headline", it->id, it->title);
	sl_buf_adds(b, "<div class=\"meta\">");
	source_text(b, it->outlet, it->published, req->now);
	if (it->other_outlets)
		sl_buf_printf(b, " · <a href=\"/story/%lld\">%zu more "
				 "outlet%s</a>",
			      (long long)it->story, it->other_outlets,
			      it->other_outlets == 1 ? "" : "s");
	sl_buf_adds(b, "</div>");
	if (it->snippet) {
		sl_buf_adds(b, "<p class=\"snippet\">");
		sl_page_text(b, it->snippet);
		sl_buf_adds(b, "</p>");
	}
	sl_buf_adds(b, "<div class=\"why\">");
	if (it->same_story)
		sl_buf_adds(b, "<span class=\"same\">More on this "
			       "story</span> ");
	else if (it->top_story)
		sl_buf_adds(b, "<span class=\"top\">Top story now</span> ");
	else if (it->same_subject)
		sl_buf_adds(b, "<span class=\"subject\">Same subject</span> ");
	if (it->n_why)
		sl_buf_adds(b, "Why: ");
	for (size_t k = 0; k < it->n_why; k++) {
		sl_buf_adds(b, "<span class=\"tag\">");
		sl_page_text(b, it->why[k]);
		sl_buf_adds(b, "</span>");
	}
	sl_buf_adds(b, "</div></li>");
}

/* The rail: the related items, then, where they are fewer than
 * RAIL_SIZE, the top stories of the moment in a list of their own, so
 * that the page is full but nothing unrelated passes for related. */
static void rail(const sl_request *req, sl_buf *b, const char *id)
{
	sl_related_opts ro;
	sl_related *r;
	size_t related = 0;

	sl_related_opts_init(&ro);
	ro.limit = RAIL_SIZE;
	ro.fill_top = 1;
	if (sl_engine_related(req->engine, id, &ro, &r) < 0)
		return;
	while (related < r->n_items && !r->items[related].top_story)
		related++;
	sl_buf_adds(b, "<section class=\"related\" aria-labelledby=\"rail\">"
		       "<h2 id=\"rail\">Recommended Stories</h2>");
	if (!related)
		sl_buf_adds(b, "<p class=\"meta\">Nothing related yet.</p>");
	sl_buf_adds(b, "<ol class=\"rail\">");
	for (size_t i = 0; i < related; i++)
		rail_item(req, b, &r->items[i], "item");
	sl_buf_adds(b, "</ol>");
	if (related < r->n_items) {
		sl_buf_adds(b, "<h3 class=\"top-stories\">Top stories now</h3>"
			       "<ol class=\"rail top-stories\">");
		for (size_t i = related; i < r->n_items; i++)
			rail_item(req, b, &r->items[i], "top-item");
		sl_buf_adds(b, "</ol>");
	}
	sl_buf_adds(b, "</section>");
	sl_related_free(r);
}

static void article_page(const sl_request *req, sl_response *res,
			 const char *id)
{
	sl_article *a;
	int64_t story = 0;
	char *original = NULL;
	sl_buf *b = &res->body;

	res->route = "article";
	if (sl_engine_get(req->engine, id, &a) < 0) {
		page_error(res, 404, "Not found", "There is no such article.");
		return;
	}
	sl_engine_story_of(req->engine, id, &story, &original);
	html_ok(res);
	page_start(b, a->title ? a->title : "Article", NULL);
	sl_buf_adds(b, "<article class=\"reader\"><h1>");
	sl_page_text(b, a->title ? a->title : "(untitled)");
	sl_buf_adds(b, "</h1><div class=\"meta byline\">");
	sl_page_text(b, a->byline);
	if (a->byline && a->outlet)
		sl_buf_adds(b, " · ");
	sl_page_text(b, a->outlet);
	sl_buf_adds(b, "</div><div class=\"meta\">");
	time_text(b, a->published, req->now);
	sl_buf_printf(b, " · %d min read", a->reading_minutes);
	if (story)
		sl_buf_printf(b, " · <a href=\"/story/%lld\">Full coverage</a>",
			      (long long)story);
	if (a->url) {
		char *href = sl_html_url(a->url, NULL, 0);

		if (href) {
			sl_buf_adds(b, " · <a rel=\"noopener\" href=\"");
			sl_page_text(b, href);
			sl_buf_adds(b, "\">Original</a>");
			free(href);
		}
	}
	sl_buf_adds(b, "</div>");
	if (a->image) {
		char *src = sl_html_url(a->image, NULL, 0);

		if (src) {
			sl_buf_adds(b, "<figure class=\"lead\"><img alt=\"\" "
				       "src=\"");
			sl_page_text(b, src);
			sl_buf_adds(b, "\">");
			if (a->n_captions) {
				sl_buf_adds(b, "<figcaption>");
				sl_page_text(b, a->captions[0]);
				sl_buf_adds(b, "</figcaption>");
			}
			sl_buf_adds(b, "</figure>");
			free(src);
		}
	}
	sl_buf_adds(b, "<div class=\"body\">");
	if (a->body_html) {
		/* stored sanitized; cleaned again in case it came from a
		 * source that did not sanitize */
		char *clean = sl_sanitize_html(a->body_html,
					       strlen(a->body_html), a->url);

		sl_buf_adds(b, clean ? clean : "");
		free(clean);
	} else if (a->body_text) {
		const char *p = a->body_text;

		while (*p) {
			const char *end = strstr(p, "\n\n");
			size_t n = end ? (size_t)(end - p) : strlen(p);

			sl_buf_adds(b, "<p>");
			sl_html_escape(b, p, n);
			sl_buf_adds(b, "</p>");
			p += n + (end ? 2 : 0);
		}
	}
	sl_buf_adds(b, "</div>");
	for (size_t i = 1; i < a->n_captions; i++) {
		sl_buf_adds(b, "<p class=\"caption\">");
		sl_page_text(b, a->captions[i]);
		sl_buf_adds(b, "</p>");
	}
	sl_buf_adds(b, "</article>");
	rail(req, b, a->id);
	page_end(b);
	free(original);
	sl_article_free(a);
}

/* ------------------------------------------------------------------ */
/* /story/{id}                                                         */

#define SVG_W 640
#define SVG_H 160
#define SVG_PAD 28

/* Articles per hour by outlet: a column per hour, stacked by outlet,
 * with a legend. Inline SVG, no script. */
static void timeline(sl_buf *b, const sl_story *s)
{
	static const char *const colours[] = {"#0b57d0", "#137333", "#b06000",
					      "#a142f4", "#b3261e", "#007b83",
					      "#5f6368", "#e37400"};
	int64_t first = SL_TIME_NONE, last = SL_TIME_NONE;
	size_t hours, max = 1, *counts;

	for (size_t i = 0; i < s->n_members; i++) {
		int64_t t = s->members[i].published;

		if (t == SL_TIME_NONE)
			continue;
		if (first == SL_TIME_NONE || t < first)
			first = t;
		if (last == SL_TIME_NONE || t > last)
			last = t;
	}
	if (first == SL_TIME_NONE)
		return;
	first -= first % 3600;
	hours = (size_t)((last - first) / 3600) + 1;
	if (hours > 24 * 14)
		hours = 24 * 14; /* two weeks at most */
	counts = sl_calloc(hours * (s->n_outlets + 1), sizeof(*counts));
	for (size_t i = 0; i < s->n_members; i++) {
		int64_t t = s->members[i].published;
		size_t h, o = s->n_outlets, total = 0;

		if (t == SL_TIME_NONE)
			continue;
		h = (size_t)((t - first) / 3600);
		if (h >= hours)
			h = hours - 1;
		for (size_t k = 0; k < s->n_outlets; k++)
			if (s->members[i].outlet &&
			    !strcmp(s->outlets[k], s->members[i].outlet))
				o = k;
		counts[h * (s->n_outlets + 1) + o]++;
		for (size_t k = 0; k <= s->n_outlets; k++)
			total += counts[h * (s->n_outlets + 1) + k];
		if (total > max)
			max = total;
	}
	sl_buf_printf(b, "<figure><svg class=\"timeline\" role=\"img\" "
			 "viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/"
			 "svg\" font-family=\"system-ui, sans-serif\"><title>"
			 "Articles per hour by outlet</title>",
		      SVG_W, SVG_H + 20 * (int)(s->n_outlets < 8 ? s->n_outlets
								  : 8));
	{
		double col = (double)(SVG_W - 2 * SVG_PAD) / (double)hours;
		double unit = (double)(SVG_H - 2 * SVG_PAD) / (double)max;

		sl_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
				 "stroke=\"#999\"/>",
			      SVG_PAD, SVG_H - SVG_PAD, SVG_W - SVG_PAD,
			      SVG_H - SVG_PAD);
		for (size_t h = 0; h < hours; h++) {
			double y = SVG_H - SVG_PAD;

			for (size_t k = 0; k <= s->n_outlets; k++) {
				size_t c = counts[h * (s->n_outlets + 1) + k];

				if (!c)
					continue;
				y -= (double)c * unit;
				sl_buf_printf(
					b,
					"<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" "
					"width=\"%.1f\" height=\"%.1f\" fill=\""
					"%s\"><title>%zu</title></rect>",
					SVG_PAD + (double)h * col, y,
					col > 2 ? col - 1 : col,
					(double)c * unit, colours[k % 8], c);
			}
		}
		sl_buf_printf(b, "<text x=\"%d\" y=\"%d\" font-size=\"16\">"
				 "%d h</text><text x=\"%d\" y=\"%d\" font-size="
				 "\"16\">max %zu an hour</text>",
			      SVG_W - SVG_PAD - 40, SVG_H - 6, (int)hours,
			      SVG_PAD, 18, max);
		for (size_t k = 0; k < s->n_outlets && k < 8; k++) {
			sl_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"12\" "
					 "height=\"12\" fill=\"%s\"/><text x=\"%d\" "
					 "y=\"%d\" font-size=\"16\">",
				      SVG_PAD, SVG_H + 2 + 20 * (int)k,
				      colours[k % 8], SVG_PAD + 18,
				      SVG_H + 13 + 20 * (int)k);
			sl_page_text(b, s->outlets[k]);
			sl_buf_adds(b, "</text>");
		}
	}
	sl_buf_adds(b, "</svg><figcaption>Articles per hour, by outlet"
		       "</figcaption></figure>");
	free(counts);
}

static void member_line(const sl_request *req, sl_buf *b,
			const sl_story_member *m)
{
	headline_link(b, NULL, m->id, m->title);
	sl_buf_adds(b, " <span class=\"meta\">");
	source_text(b, m->outlet, m->published, req->now);
	sl_buf_adds(b, "</span>");
}

static void story_page(const sl_request *req, sl_response *res,
		       const char *id)
{
	sl_story *s;
	char *end;
	long long n;
	sl_buf *b = &res->body;

	res->route = "story";
	errno = 0;
	n = strtoll(id, &end, 10);
	if (errno || *end || n <= 0 || sl_engine_story(req->engine, n, &s) < 0) {
		page_error(res, 404, "Not found", "There is no such story.");
		return;
	}
	html_ok(res);
	page_start(b, s->title ? s->title : "Story", NULL);
	sl_buf_adds(b, "<h1>");
	sl_page_text(b, s->title ? s->title : "(untitled)");
	sl_buf_printf(b, "</h1><p class=\"meta\">%zu article%s from %zu "
			 "outlet%s",
		      s->size, s->size == 1 ? "" : "s", s->n_outlets,
		      s->n_outlets == 1 ? "" : "s");
	if (s->n_copies)
		sl_buf_printf(b, " (%zu cop%s folded under %s original)",
			      s->n_copies, s->n_copies == 1 ? "y" : "ies",
			      s->n_copies == 1 ? "its" : "their");
	sl_buf_adds(b, ": ");
	outlets_text(b, s->outlets, s->n_outlets, 12);
	sl_buf_adds(b, "</p>");
	timeline(b, s);
	sl_buf_adds(b, "<h2>Coverage</h2><ul class=\"members\">");
	for (size_t i = 0; i < s->n_members; i++) {
		const sl_story_member *m = &s->members[i];
		size_t copies = 0;

		if (m->copy_of)
			continue; /* shown under its original */
		sl_buf_adds(b, "<li>");
		member_line(req, b, m);
		for (size_t k = 0; k < s->n_members; k++)
			copies += s->members[k].copy_of &&
				  !strcmp(s->members[k].copy_of, m->id);
		if (copies) {
			sl_buf_printf(b, "<details><summary>%zu cop%s</summary>"
					 "<ul>",
				      copies, copies == 1 ? "y" : "ies");
			for (size_t k = 0; k < s->n_members; k++)
				if (s->members[k].copy_of &&
				    !strcmp(s->members[k].copy_of, m->id)) {
					sl_buf_adds(b, "<li>");
					member_line(req, b, &s->members[k]);
					sl_buf_adds(b, "</li>");
				}
			sl_buf_adds(b, "</ul></details>");
		}
		sl_buf_adds(b, "</li>");
	}
	sl_buf_adds(b, "</ul>");
	page_end(b);
	sl_stories_free(s, 1);
}

/* ------------------------------------------------------------------ */
/* /search, /feeds                                                     */

static void search_page(const sl_request *req, sl_response *res)
{
	const char *q = sl_request_arg(req, "q"), *page_arg;
	sl_search_opts so;
	sl_search_result *r = NULL;
	long page = 1;
	sl_buf *b = &res->body;

	res->route = "search";
	page_arg = sl_request_arg(req, "page");
	if (page_arg) {
		char *end;

		page = strtol(page_arg, &end, 10);
		if (*end || page < 1 || page > 1000)
			page = 1;
	}
	html_ok(res);
	page_start(b, q && *q ? q : "Search", q);
	if (!q || !*q) {
		sl_buf_adds(b, "<h1>Search</h1><p>Words, \"phrases\", -excluded,"
			       " outlet:NAME, since:2026-11-20.</p>");
		page_end(b);
		return;
	}
	sl_search_opts_init(&so);
	so.limit = SEARCH_PAGE;
	so.offset = (size_t)(page - 1) * SEARCH_PAGE;
	sl_buf_adds(b, "<h1>Search</h1>");
	if (sl_engine_search(req->engine, q, &so, &r) < 0) {
		sl_buf_adds(b, "<p class=\"error\">");
		sl_page_text(b, sl_error_last());
		sl_buf_adds(b, "</p>");
		page_end(b);
		return;
	}
	sl_buf_printf(b, "<p class=\"meta\">%s%zu result%s</p>",
		      r->total_exact ? "" : "about ", r->total,
		      r->total == 1 ? "" : "s");
	sl_buf_adds(b, "<ol class=\"results\">");
	for (size_t i = 0; i < r->n_hits; i++) {
		const sl_search_hit *h = &r->hits[i];

		sl_buf_adds(b, "<li class=\"result\">");
		headline_link(b, "headline", h->id, h->title);
		sl_buf_adds(b, "<div class=\"meta\">");
		source_text(b, h->outlet, h->published, req->now);
		if (h->copies) { /* its story's coverage lists them */
			if (h->story)
				sl_buf_printf(b, " · <a class=\"copies\" "
						 "href=\"/story/%lld\">",
					      (long long)h->story);
			else
				sl_buf_adds(b, " · <span class=\"copies\">");
			sl_buf_printf(b, "and %zu cop%s%s", h->copies,
				      h->copies == 1 ? "y" : "ies",
				      h->story ? "</a>" : "</span>");
		}
		/* the snippet is HTML already: escaped text, matches in <b> */
		sl_buf_adds(b, "</div><p class=\"snippet\">");
		sl_buf_adds(b, h->snippet ? h->snippet : "");
		sl_buf_adds(b, "</p></li>");
	}
	sl_buf_adds(b, "</ol><nav class=\"pages\">");
	if (page > 1) {
		sl_buf_adds(b, "<a rel=\"prev\" href=\"/search?q=");
		query_escape(b, q);
		sl_buf_printf(b, "&amp;page=%ld\">Newer</a>", page - 1);
	}
	if ((size_t)page * SEARCH_PAGE < r->total) {
		sl_buf_adds(b, "<a rel=\"next\" href=\"/search?q=");
		query_escape(b, q);
		sl_buf_printf(b, "&amp;page=%ld\">More results</a>", page + 1);
	}
	sl_buf_adds(b, "</nav>");
	page_end(b);
	sl_search_result_free(r);
}

static void feeds_page(const sl_request *req, sl_response *res)
{
	sl_feed_info *feeds;
	size_t n;
	sl_buf *b = &res->body;

	res->route = "feeds";
	if (sl_engine_feeds(req->engine, &feeds, &n) < 0) {
		page_error(res, 500, "Feeds", "The store cannot answer.");
		return;
	}
	html_ok(res);
	page_start(b, "Feeds", NULL);
	sl_buf_printf(b, "<h1>Feeds</h1><p class=\"meta\">%zu followed</p>"
			 "<table class=\"feeds\"><thead><tr><th>Feed</th><th>"
			 "Status</th><th>Articles</th><th>Last fetched</th>"
			 "<th>Next poll</th></tr></thead><tbody>",
		      n);
	for (size_t i = 0; i < n; i++) {
		const sl_feed_info *f = &feeds[i];

		sl_buf_adds(b, "<tr><td>");
		sl_page_text(b, f->title ? f->title : f->outlet);
		sl_buf_adds(b, "<br><span class=\"meta\">");
		sl_page_text(b, f->url);
		sl_buf_adds(b, "</span></td><td>");
		sl_page_text(b, f->status);
		if (f->error) {
			sl_buf_adds(b, "<br><span class=\"error\">");
			sl_page_text(b, f->error);
			sl_buf_adds(b, "</span>");
		}
		sl_buf_printf(b, "</td><td>%lld</td><td>",
			      (long long)f->items);
		time_text(b, f->last_fetch, req->now);
		sl_buf_adds(b, "</td><td>");
		if (f->next_poll != SL_TIME_NONE) {
			char iso[21];

			sl_time_format(iso, f->next_poll);
			sl_buf_printf(b, "<time datetime=\"%s\">%s</time>", iso,
				      iso);
		}
		sl_buf_adds(b, "</td></tr>");
	}
	sl_buf_adds(b, "</tbody></table>");
	page_end(b);
	sl_feed_infos_free(feeds, n);
}

int sl_page_route(const sl_request *req, sl_response *res)
{
	const char *path = req->path;
	int get = !strcmp(req->method, "GET") || !strcmp(req->method, "HEAD");

	if (!get) {
		res->allow = "GET, HEAD";
		res->route = "refused";
		page_error(res, 405, "Not allowed",
			   "Pages are read with GET.");
		return 1;
	}
	if (!strcmp(path, "/"))
		front_page(req, res);
	else if (!strcmp(path, "/style.css")) {
		res->status = 200;
		res->type = "text/css; charset=utf-8";
		res->route = "style";
		sl_buf_adds(&res->body, style_css);
	} else if (!strncmp(path, "/article/", 9) && path[9] &&
		   !strchr(path + 9, '/'))
		article_page(req, res, path + 9);
	else if (!strncmp(path, "/story/", 7) && path[7])
		story_page(req, res, path + 7);
	else if (!strcmp(path, "/favicon.ico")) {
		/* browsers ask every site; there is none */
		res->status = 204;
		res->route = "style";
	} else if (!strcmp(path, "/search"))
		search_page(req, res);
	else if (!strcmp(path, "/feeds"))
		feeds_page(req, res);
	else
		return 0;
	return 1;
}
