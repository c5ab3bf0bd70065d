/*
 * storyline.h - the public interface of libstoryline, a news engine.
 *
 * This is the only header a program needs. An engine (sl_engine) owns one
 * store (a SQLite file by default) and the text analysis shared by every
 * later part. Articles go in through sl_engine_add inside a batch
 * (sl_engine_begin .. sl_engine_commit) and come back out as sl_article.
 *
 * Conventions:
 * - Calls return 0 on success or a negative SL_E* code; the message that
 *   explains the failure is in sl_error_last() (per thread).
 * - Output parameters come first and are named out.
 * - The caller owns what a _new/_open/_get call hands back and releases it
 *   with the matching _free, which accepts NULL.
 * - Strings are UTF-8 and NUL-terminated; a NULL field means "absent".
 * - Times are seconds since the Unix epoch, UTC; SL_TIME_NONE is "unknown".
 */
#ifndef STORYLINE_H
#define STORYLINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define SL_API __attribute__((visibility("default")))
#else
#define SL_API
#endif

#define SL_VERSION "0.1.0"

/* Error codes: what a caller can act on. */
enum {
	SL_OK = 0,
	SL_EINVAL = -1,    /* bad argument or malformed input */
	SL_ENOTFOUND = -2, /* no such article or file */
	SL_EIO = -3,       /* file, database or network failure */
	SL_ENOMEM = -4,    /* out of memory */
	SL_ETOOBIG = -5,   /* input over a size cap */
	SL_EVERSION = -6   /* database written by a newer storyline */
};

#define SL_TIME_NONE INT64_MIN

/* Message for the last failure in this thread ("" when none). */
SL_API const char *sl_error_last(void);

/* ------------------------------------------------------------------ */
/* Articles                                                            */

typedef struct sl_article {
	char *id;            /* stable id; derived from the URL when absent */
	char *url;           /* as given */
	char *canonical_url; /* derived by the engine */
	char *outlet;
	char *title;
	char *byline;
	int64_t published;  /* SL_TIME_NONE when unknown */
	int64_t fetched_at; /* when the engine first took the article in */
	char *lang;         /* ISO 639-1 code; guessed when absent */
	char *body_text;    /* paragraphs separated by a blank line */
	char *body_html;    /* sanitized HTML, or NULL */
	char *summary;      /* given, or the first sentences of the body */
	char *image;        /* lead image URL */
	char **captions;    /* photo captions */
	size_t n_captions;
	int reading_minutes; /* derived from the word count, at least 1 */
	int64_t seq;         /* store sequence number, grows on every change */
	char *extra;         /* unknown input fields as a JSON object, or NULL */
} sl_article;

/* A new, empty article (all fields NULL, times SL_TIME_NONE). */
SL_API sl_article *sl_article_new(void);
SL_API void sl_article_free(sl_article *a);

/*
 * Parse one JSON object of the article JSON-lines contract (DESIGN.md).
 * Invalid UTF-8 is repaired. Unknown fields are kept in a->extra. Fails
 * with SL_EINVAL when the text is not a JSON object, a known field has the
 * wrong type, or the article has neither title nor body.
 */
SL_API int sl_article_from_json(sl_article **out, const char *json,
				size_t len);

/* Flags for sl_article_to_json. */
enum {
	SL_JSON_FULL = 1 /* add derived fields: seq, canonical_url, ... */
};

/* The article as one line of compact JSON (no newline); caller frees. */
SL_API char *sl_article_to_json(const sl_article *a, unsigned flags);

/* ------------------------------------------------------------------ */
/* Reading article input                                               */

typedef struct sl_reader sl_reader;

/* Read articles from a JSON-lines file, or standard input for "-". */
SL_API int sl_reader_open(sl_reader **out, const char *path);

/* Read from an open stream; name is used in messages. The stream stays
 * the caller's: sl_reader_free does not close it. */
SL_API int sl_reader_open_stream(sl_reader **out, FILE *fp,
				 const char *name);
SL_API void sl_reader_free(sl_reader *r);

/*
 * Next article. Returns 1 with *out set (caller frees), 0 at the end, or a
 * negative code for an input line that was rejected: the message names the
 * file and line; reading can go on with the next call. SL_EIO is fatal.
 */
SL_API int sl_reader_next(sl_reader *r, sl_article **out);

/* Line number of the last line returned or rejected. */
SL_API long sl_reader_line(const sl_reader *r);

/* Largest accepted input line, in bytes. */
#define SL_MAX_LINE (2 * 1024 * 1024)

/* ------------------------------------------------------------------ */
/* URLs                                                                */

/*
 * Canonical form of an article URL: scheme and host lower-cased, default
 * port, fragment and tracking parameters (utm_*, fbclid, gclid, ...)
 * removed. SL_EINVAL when url is not an absolute http(s) URL. Caller frees.
 */
SL_API int sl_url_canonical(char **out, const char *url);

/* ------------------------------------------------------------------ */
/* Times                                                               */

/* Parse RFC 3339 / ISO 8601 ("2026-11-20T09:15:00+01:00"). */
SL_API int sl_time_parse(int64_t *out, const char *text);

/*
 * A bound of a time range as a reader writes it: a day ("2026-11-20",
 * its first second, or its last with end_of_day) or an RFC 3339 time.
 */
SL_API int sl_time_parse_bound(int64_t *out, const char *text,
			       int end_of_day);

/* Format as RFC 3339 UTC ("2026-11-20T08:15:00Z") into buf[21]. */
SL_API void sl_time_format(char buf[21], int64_t t);

/* ------------------------------------------------------------------ */
/* The engine                                                          */

typedef struct sl_engine sl_engine;

/* Flags for sl_engine_open. */
enum {
	SL_OPEN_CREATE = 1,  /* create the database when it does not exist */
	SL_OPEN_READONLY = 2 /* never write */
};

/*
 * Open the engine on the store at path (a SQLite file). Missing database
 * without SL_OPEN_CREATE, or one that cannot be opened or migrated, is
 * SL_EIO (SL_EVERSION when a newer storyline wrote it).
 */
SL_API int sl_engine_open(sl_engine **out, const char *path, unsigned flags);

/* Close the engine; a batch still open is rolled back. */
SL_API void sl_engine_free(sl_engine *e);

/* Start a batch: the articles added until commit are stored together. */
SL_API int sl_engine_begin(sl_engine *e);

/* Make the batch durable; on return every article of it survives a crash. */
SL_API int sl_engine_commit(sl_engine *e);

/* Forget the batch; nothing stored before it changes. */
SL_API int sl_engine_rollback(sl_engine *e);

/* What sl_engine_add did with an article. */
typedef enum sl_add_status {
	SL_ADD_NEW = 1,      /* a new article */
	SL_ADD_UPDATED = 2,  /* same id, new content */
	SL_ADD_UNCHANGED = 3 /* same id, same content: nothing written */
} sl_add_status;

/*
 * Add or update one article inside the open batch. The engine completes
 * the article in place (canonical URL, id, language, summary, reading
 * time, seq) and analyses its text once for every later part. *out
 * receives what happened (may be NULL). SL_EINVAL when the article has
 * neither title nor body.
 */
SL_API int sl_engine_add(sl_engine *e, sl_article *a, sl_add_status *out);

/* The stored article with this id, or SL_ENOTFOUND. Caller frees. */
SL_API int sl_engine_get(sl_engine *e, const char *id, sl_article **out);

/*
 * Call fn for every stored article with seq > after_seq, in seq order.
 * The article is only valid during the call. A non-zero return from fn
 * stops the walk and is returned.
 */
typedef int (*sl_article_fn)(const sl_article *a, void *ctx);
SL_API int sl_engine_foreach(sl_engine *e, int64_t after_seq, sl_article_fn fn,
			     void *ctx);

typedef struct sl_lang_count {
	char lang[16];
	int64_t articles;
} sl_lang_count;

typedef struct sl_stats {
	int64_t articles;
	int64_t outlets;
	int64_t max_seq;
	int64_t first_published, last_published; /* SL_TIME_NONE if none */
	int64_t db_bytes;                         /* database file(s) size */
	int schema_version;
	int stories_current; /* 0: its stories were placed under older
			      * rules; sl_engine_restory places them again */
	sl_lang_count *langs; /* most articles first */
	size_t n_langs;
} sl_stats;

/* ------------------------------------------------------------------ */
/* Search                                                              */

typedef struct sl_search_opts {
	size_t limit;         /* hits wanted (default 10, at most 1000) */
	size_t offset;        /* hits to skip, for pages */
	int64_t since, until; /* SL_TIME_NONE: open */
	const char *outlet;   /* only this outlet, or NULL */
	const char *lang;     /* only this language, or NULL */
	int by_time;          /* newest first instead of most relevant */
	int all_copies;       /* every copy of a syndicated text, instead of
			       * one hit per text (its best) */
} sl_search_opts;

/* Options with their defaults. */
SL_API void sl_search_opts_init(sl_search_opts *opts);

typedef struct sl_search_hit {
	char *id, *url, *title, *outlet;
	int64_t published;
	double score;
	char *snippet; /* HTML: escaped text, matches in <b>...</b> */
	int64_t story;  /* its story (0: not placed) */
	size_t copies; /* other articles carrying the same text (its
			* original and syndicated copies) */
} sl_search_hit;

typedef struct sl_search_result {
	size_t total;    /* matching articles */
	int total_exact; /* 0 when total is an estimate */
	sl_search_hit *hits;
	size_t n_hits;
} sl_search_result;

/*
 * Search the stored articles with the query language of the search
 * docs (words, "phrases", +required, -excluded, outlet:, lang:, since:,
 * until:). The first search builds the in-memory index from the store;
 * articles committed later are searchable as soon as they commit.
 * SL_EINVAL for a query that cannot be read. Free with
 * sl_search_result_free.
 */
SL_API int sl_engine_search(sl_engine *e, const char *query,
			    const sl_search_opts *opts,
			    sl_search_result **out);
SL_API void sl_search_result_free(sl_search_result *r);

/* {"query","total","total_exact","results":[{"id","url","title","outlet",
 * "published","score","snippet"}]}. Caller frees. */
SL_API char *sl_search_result_to_json(const sl_search_result *r,
				      const char *query);

/* ------------------------------------------------------------------ */
/* Stories and copies                                                  */

/*
 * Every added article is placed as it is stored: a copy of an earlier
 * article (the same text republished, retitled, trimmed or truncated) is
 * linked to its original; every article belongs to a story, the coverage
 * of one event across outlets. Updates keep their place.
 */
typedef struct sl_story_member {
	char *id, *url, *title, *outlet;
	int64_t published; /* SL_TIME_NONE if unknown */
	char *copy_of;     /* the original's id for a copy, else NULL */
} sl_story_member;

typedef struct sl_story {
	int64_t id;
	char *title;      /* representative headline */
	const char *lead; /* the id of the member whose title that is (else
			   * its first original): the article it leads to;
			   * NULL only without members */
	size_t size;      /* articles, copies included */
	size_t n_copies;
	char **outlets;   /* distinct, in order of first coverage */
	size_t n_outlets;
	int64_t first, last; /* article times (published, else fetched) */
	sl_story_member *members; /* in time order */
	size_t n_members;
	char **names, **terms; /* top names and terms (sl_engine_story) */
	size_t n_names, n_terms;
} sl_story;

typedef struct sl_stories_opts {
	int64_t since; /* stories with news at or after; SL_TIME_NONE: all */
	size_t limit;  /* 0 = all */
	int by_size;   /* biggest first instead of newest first */
	int top;       /* the top stories of the moment instead: see below */
} sl_stories_opts;

/* Stories, newest (last article) first or biggest first, with their
 * members. Free with sl_stories_free. The top stories of the moment (the
 * front page's order) are the 200 newest ranked by their coverage
 * (outlets x 2 + log2(1 + articles)), halved every 12 hours between
 * their last article and the newest one of the store. */
SL_API int sl_engine_stories(sl_engine *e, const sl_stories_opts *opts,
			     sl_story **out, size_t *n_out);

/* One story with its members, top names and terms; SL_ENOTFOUND. */
SL_API int sl_engine_story(sl_engine *e, int64_t id, sl_story **out);

/* The story of a stored article (and its original if a copy: caller
 * frees, may be NULL); SL_ENOTFOUND when it has none. */
SL_API int sl_engine_story_of(sl_engine *e, const char *article_id,
			      int64_t *story, char **copy_of);
SL_API void sl_stories_free(sl_story *s, size_t n);

/* JSON object of a story: id, title, size, outlets, first, last,
 * articles (ids), copies ({original: [copy ids]}); with detail also
 * members (id, url, title, outlet, published, copy_of), names, terms.
 * Caller frees. */
SL_API char *sl_story_to_json(const sl_story *s, int detail);

typedef void (*sl_progress_fn)(size_t done, size_t total, void *ctx);

/* Place every stored article again, from scratch, in publication order
 * (after a change of parameters, or after articles were stored out of
 * order: the earliest text of a copy family is its original, and a
 * story gathers its articles whatever order they came in). window > 0 first sets how long a story
 * stays open without a new article (seconds; kept in the store, used by
 * every later add; default 3 days); 0 keeps it. One batch; progress may
 * be NULL. */
/* How many articles this engine placed more than the story window
 * behind the newest news it had (an archive stored out of order): their
 * stories may be split, their copies taken for originals, until a
 * restory. */
SL_API size_t sl_engine_late(sl_engine *e);

SL_API int sl_engine_restory(sl_engine *e, int64_t window,
			     sl_progress_fn progress, void *ctx);

typedef struct sl_similarity {
	double score;   /* 0..1 */
	int same_story; /* at the engine's own threshold */
	int copy;       /* one is a copy of the other */
	char **why;     /* shared names first, then shared terms */
	size_t n_why;
} sl_similarity;

/* How alike two articles are, as story placement judges them (idf from
 * the stored articles). Free with sl_similarity_clear. */
SL_API int sl_engine_similarity(sl_engine *e, const sl_article *a,
				const sl_article *b, sl_similarity *out);
SL_API void sl_similarity_clear(sl_similarity *s);

/* ------------------------------------------------------------------ */
/* Recommended stories: the rail under an article                      */

typedef struct sl_related_opts {
	size_t limit;   /* items wanted (default 20, at most 100) */
	int64_t window; /* candidates published this close to the article,
			 * in seconds (default 7 days) */
	int64_t now;    /* freshness against this time (the live page);
			 * SL_TIME_NONE: against the article's own time */
	int fill_top;   /* fill a short rail with the top stories of the
			 * moment, labelled as such (top_story) */
} sl_related_opts;

/* Options with their defaults. */
SL_API void sl_related_opts_init(sl_related_opts *opts);

typedef struct sl_related_item {
	char *id, *url, *title, *outlet;
	char *snippet; /* from the summary, cut at a word boundary */
	int64_t published;
	int64_t story;
	double score;
	int same_story;       /* more coverage of the article's own story */
	int top_story;        /* filler from the top stories: not related */
	int same_subject;     /* not close to the article: another event of
			       * the same kind, after every close item */
	size_t other_outlets; /* other outlets that covered the story */
	char **why;           /* shared names, then shared terms */
	size_t n_why;
} sl_related_item;

typedef struct sl_related {
	char *id;
	sl_related_item *items; /* best first */
	size_t n_items;
} sl_related;

/*
 * The rail for a stored article: related stories, one item per story,
 * fresh ones first, several outlets, each with its why; shorter (even
 * empty) when nothing more is related. SL_ENOTFOUND for an unknown id.
 * Free with sl_related_free.
 */
SL_API int sl_engine_related(sl_engine *e, const char *id,
			     const sl_related_opts *opts, sl_related **out);
SL_API void sl_related_free(sl_related *r);

/* {"id","related":[{"id","url","title","outlet","published","story",
 * "score","same_story","same_subject","top_story","other_outlets",
 * "snippet","why"}]}.
 * Caller frees. */
SL_API char *sl_related_to_json(const sl_related *r);

/* ------------------------------------------------------------------ */
/* Extraction: an HTML page to a clean article                         */

typedef struct sl_extract_opts {
	const char *url;     /* the page's address: resolves relative links,
			      * names the outlet when the page does not */
	const char *charset; /* from the HTTP Content-Type, or NULL */
	size_t max_bytes;    /* larger pages are refused (default 16 MiB) */
} sl_extract_opts;

/* Options with their defaults. */
SL_API void sl_extract_opts_init(sl_extract_opts *opts);

typedef struct sl_extracted {
	sl_article *article; /* title, byline, outlet, published, lang, url,
			      * image, captions, body_text, body_html
			      * (sanitized), summary, reading_minutes */
	int readerable;      /* 0: the page holds no article (a front page,
			      * a video page); the body is then empty */
	int64_t modified;    /* last modification, or SL_TIME_NONE */
} sl_extracted;

/*
 * Extract the article of one HTML page of len bytes. The character set
 * comes from opts->charset, a byte-order mark, or the page's <meta>,
 * else UTF-8 with windows-1252 as the fallback for invalid bytes.
 * SL_EINVAL for a page over the size cap or with no HTML at all; a page
 * without an article is not an error (readerable = 0). Free with
 * sl_extracted_clear.
 */
SL_API int sl_extract(sl_extracted *out, const char *html, size_t len,
		      const sl_extract_opts *opts);
SL_API void sl_extracted_clear(sl_extracted *x);

/* The article fields plus "body_text", "modified" and "readerable" as one
 * JSON object. Caller frees. */
SL_API char *sl_extracted_to_json(const sl_extracted *x);

/*
 * Clean an HTML fragment (a feed's content, an article body) to the
 * allow-list of reading tags: no scripts, styles, frames, forms, event
 * handlers, or javascript:/data: URLs; relative URLs made absolute
 * against base_url when given. Caller frees; NULL on allocation failure.
 */
SL_API char *sl_sanitize_html(const char *html, size_t len,
			      const char *base_url);

/* ------------------------------------------------------------------ */
/* Feeds: outlets followed by their RSS, Atom or JSON feeds            */

typedef struct sl_feed_info {
	int64_t id;
	char *url;      /* follows permanent redirects */
	char *title;    /* the feed's own, once fetched */
	char *outlet;   /* given by the operator, else the feed's title */
	char *site;     /* the site the feed belongs to */
	char *category; /* from OPML: "World/Europe", or NULL */
	char *etag, *last_modified; /* validators for the next request */
	char *status;   /* new, ok, not modified, error */
	char *error;    /* the last error, or NULL */
	int64_t items;  /* articles taken from it */
	int64_t added, last_fetch, last_new, next_poll; /* times */
	int64_t interval; /* seconds between polls, learnt from the feed */
	int64_t ttl;      /* seconds the feed asks to be left alone */
	int failures;     /* errors in a row (backoff) */
} sl_feed_info;

/*
 * Follow a feed (http, https or file URL). 0 and *out_id (may be NULL)
 * for a new feed, 1 when the URL was followed already. outlet, site and
 * category may be NULL.
 */
SL_API int sl_engine_feed_add(sl_engine *e, const char *url,
			      const char *outlet, const char *site,
			      const char *category, int64_t *out_id);
/* Stop following a feed (by id or URL); SL_ENOTFOUND when unknown. Its
 * articles stay. */
SL_API int sl_engine_feed_remove(sl_engine *e, const char *id_or_url);
/* Every followed feed, by id. Free with sl_feed_infos_free. */
SL_API int sl_engine_feeds(sl_engine *e, sl_feed_info **out, size_t *n_out);
SL_API void sl_feed_infos_free(sl_feed_info *feeds, size_t n);
/* {"feeds":[{"id","url","title","outlet","site","category","status",
 * "error","items","last_fetch","last_new","next_poll","interval",
 * "failures"}]}. Caller frees. */
SL_API char *sl_feed_infos_to_json(const sl_feed_info *feeds, size_t n);

typedef struct sl_fetch_stats {
	size_t feeds;        /* feeds polled */
	size_t fetched;      /* answered with content */
	size_t not_modified; /* answered 304 */
	size_t errors;       /* failed (network, HTTP, parse) */
	size_t items;        /* items read */
	size_t added, updated, unchanged; /* articles */
	size_t pages;        /* article pages fetched for teaser items */
	size_t bad_dates;    /* dates that could not be read */
} sl_fetch_stats;

typedef void (*sl_fetch_progress_fn)(const sl_fetch_stats *so_far,
				     size_t feeds_total, void *ctx);

typedef struct sl_fetch_opts {
	int all;            /* poll every feed, not only those due */
	int allow_private;  /* let URLs reach loopback and private networks */
	size_t max_bytes;   /* response cap (default 8 MiB) */
	long timeout;       /* seconds for a whole response (default 30) */
	long connect_timeout; /* seconds (default 10) */
	int per_host;       /* requests at once to one host (default 2) */
	double host_delay;  /* seconds between requests to a host (1.0) */
	int concurrency;    /* requests at once (default 16) */
	int fetch_pages;    /* fetch and extract teaser items' pages (1) */
	const char *user_agent; /* default names Storyline with its URL */
	const volatile int *stop; /* set non-zero to end the round early */
	sl_fetch_progress_fn progress;
	void *ctx;
} sl_fetch_opts;

/* Options with their defaults. */
SL_API void sl_fetch_opts_init(sl_fetch_opts *opts);

/*
 * One polling round: every feed that is due (all with opts->all) is
 * fetched politely (conditional GET, per-host limits, backoff), read,
 * and its items stored as articles (teasers completed from their pages).
 * A feed that fails records its error and the round goes on. Returns 0,
 * or SL_EIO when the store fails. out may be NULL.
 */
SL_API int sl_engine_fetch(sl_engine *e, const sl_fetch_opts *opts,
			   sl_fetch_stats *out);

/*
 * What a URL holds, fetched once: a feed (*out is its URL, after any
 * redirect) or an HTML page that advertises feeds (*out lists them, in
 * page order). SL_ENOTFOUND when it is neither, SL_EIO when it cannot be
 * fetched; the message says why. Free with sl_strings_free.
 */
SL_API int sl_feed_probe(const char *url, const sl_fetch_opts *opts,
			 char ***out, size_t *n_out);
SL_API void sl_strings_free(char **strings, size_t n);

/*
 * Follow the feeds of an OPML document (nested outlines kept as
 * "Parent/Child" categories). *added and *known (may be NULL) count the
 * new feeds and those followed already. SL_EINVAL when it is not OPML.
 */
SL_API int sl_engine_feeds_import(sl_engine *e, const char *opml, size_t len,
				  size_t *added, size_t *known);
/* The followed feeds as OPML 2.0, which imports back to the same feeds
 * and categories. Caller frees. */
SL_API int sl_engine_feeds_export(sl_engine *e, char **out);

/*
 * The items of a feed document (RSS, RDF, Atom, JSON Feed) as articles,
 * the way a polling round makes them (no page fetched for teasers): for
 * `ingest` of feed files. url (may be NULL) resolves relative links.
 * SL_EINVAL when it is no feed. Free with sl_articles_free.
 */
SL_API int sl_feed_articles(sl_article ***out, size_t *n_out,
			    const char *data, size_t len, const char *url);
SL_API void sl_articles_free(sl_article **articles, size_t n);

/* Seconds until the next feed is due (0: one is due now; -1: none). */
SL_API int64_t sl_engine_next_poll(sl_engine *e);

/* ------------------------------------------------------------------ */
/* Serving: the JSON API and the web pages over HTTP                   */

typedef struct sl_serve_opts {
	const char *bind;     /* address to listen on (default 127.0.0.1) */
	int port;             /* default 8080; 0 picks a free one */
	int threads;          /* worker threads (default 4) */
	const char *token;    /* bearer token for writes; NULL: writes off */
	size_t max_body;      /* request body cap (default 4 MiB) */
	size_t max_url;       /* URL cap (default 2048 bytes) */
	int max_connections;  /* at once (default 256) */
	int per_ip;           /* connections at once from one address (32) */
	double rate;          /* requests a second per address (default 50,
			       * bursts of twice that); 0: no limit */
	int timeout;          /* seconds a connection may sit idle (15) */
} sl_serve_opts;

SL_API void sl_serve_opts_init(sl_serve_opts *opts);

typedef struct sl_server sl_server;

/*
 * Serve e over HTTP until sl_server_stop: the JSON API (/api/...), the
 * pages (/, /article/ID, /story/ID, /search, /feeds), /healthz and
 * /metrics. Requests run on their own threads and take turns on the
 * engine. SL_EIO when the address cannot be bound.
 */
SL_API int sl_server_start(sl_server **out, sl_engine *e,
			   const sl_serve_opts *opts);
/* The port it listens on (the chosen one when opts->port was 0). */
SL_API int sl_server_port(const sl_server *s);
/* Stop accepting, let requests in flight finish, and free. */
SL_API void sl_server_stop(sl_server *s);

/*
 * Follow the store: articles another process stored since this engine
 * last looked (by sequence number) become searchable here and reach the
 * rails. Returns how many there were, or a negative error. A server
 * calls it now and then; within one process it is never needed.
 */
SL_API int sl_engine_refresh(sl_engine *e);

/* Counts, sizes and languages of the store. Free with sl_stats_clear. */
SL_API int sl_engine_stats(sl_engine *e, sl_stats *out);
SL_API void sl_stats_clear(sl_stats *s);

#ifdef __cplusplus
}
#endif

#endif /* STORYLINE_H */
