/*
 * bench_feeds.c - the speed of sl_feed_parse on fixture feeds
 * (bench/feeds.sh; the peer is bench/feeds_peer.py, feedparser).
 *
 *   bench_feeds [--repeat N] (--list LIST | FEED...)
 *
 * LIST has one feed a line, "PATH[<TAB>URL[<TAB>FORMAT[<TAB>...]]]", as
 * bench/gen_feeds.py writes it: URL goes to sl_feed_parse as the feed's
 * address (the base of relative links), FORMAT (rss, atom, rdf, json)
 * labels the per-format figures; further columns are ignored. Without a
 * FORMAT the kind sl_feed_parse found labels the feed. No charset is
 * passed (as from an HTTP header without one): the bytes speak.
 *
 * Every feed is read into memory first; then every feed is parsed N
 * times (default 1): the feeds in list order, N rounds. Only the
 * sl_feed_parse call is timed: not reading, not counting, not
 * sl_feed_free.
 *
 * Prints one JSON object, the same as bench/feeds_peer.py:
 * {"tool","version","feeds","runs","items","bytes","seconds",
 *  "items_per_s","feeds_per_s","mb_per_s","p50_ms","p99_ms","max_ms",
 *  "mean_ms","inputs_rss_mb","peak_rss_mb","failed","broken","bad_dates",
 *  "formats":{FORMAT:{"feeds","items","bytes","seconds","items_per_s",
 *                     "mb_per_s"}},
 *  "counts":{STEM:ITEMS,...},"slowest":[{"id","ms"},...]}
 * items is the items found in one round; items_per_s is items x N over
 * the seconds spent inside sl_feed_parse, mb_per_s bytes x N / 10^6 over
 * them. A feed's time is the median of its N runs (sorted[N/2]);
 * p50/p99/max are over feeds (p99 = sorted[floor(0.99 n)]). failed:
 * feeds sl_feed_parse refused (counted 0 items); broken: feeds read only
 * in part (f->error set); bad_dates: items with a date it could not read.
 * counts: the items of each feed by file stem (the name less its last
 * extension). RSS is getrusage's ru_maxrss once every feed is loaded
 * (inputs_rss_mb) and at the end (peak_rss_mb), in MB (10^6 bytes).
 *
 * Exit status: 0, or 1 when sl_feed_parse failed on every feed; 2 usage,
 * 3 a feed could not be read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench_common.h"
#include "feed.h"
#include "storyline.h"

struct feed {
	char *path, *url, *format, *id, *data;
	size_t len, items;
	int failed, broken;
	size_t bad_dates;
	double *ms; /* one per round */
	double median;
};

static void add_feed(struct feed **feeds, size_t *n, const char *path,
		     const char *url, const char *format)
{
	struct feed *p;

	*feeds = xrealloc(*feeds, (*n + 1) * sizeof(**feeds));
	p = &(*feeds)[(*n)++];
	memset(p, 0, sizeof(*p));
	p->path = xstrdup(path);
	p->url = url && *url ? xstrdup(url) : NULL;
	p->format = format && *format ? xstrdup(format) : NULL;
	p->id = stem_of(path);
}

/* A list line: path, then the feed's URL and format. */
struct feed_list {
	struct feed **feeds;
	size_t *n;
};

static void list_feed(char **fields, void *ctx)
{
	struct feed_list *l = ctx;

	add_feed(l->feeds, l->n, fields[0], fields[1], fields[2]);
}

static const char *kind_name(int kind)
{
	switch (kind) {
	case SL_FEED_RSS: return "rss";
	case SL_FEED_RDF: return "rdf";
	case SL_FEED_ATOM: return "atom";
	case SL_FEED_JSON: return "json";
	default: return "none";
	}
}

static int cmp_feed_ms(const void *a, const void *b)
{
	const struct feed *x = *(const struct feed *const *)a;
	const struct feed *y = *(const struct feed *const *)b;

	return (y->median > x->median) - (y->median < x->median);
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_feeds [--repeat N] (--list LIST | FEED...)\n");
	exit(2);
}

/* Adds one feed's figures to FORMAT's object in formats. */
static void add_format(json_t *formats, const struct feed *p, double seconds)
{
	json_t *o = json_object_get(formats, p->format);

	if (!o) {
		o = json_pack("{s:i,s:i,s:i,s:f}", "feeds", 0, "items", 0,
			      "bytes", 0, "seconds", 0.0);
		json_object_set_new(formats, p->format, o);
	}
#define ADD(k, v) json_object_set_new(o, k, json_integer( \
		json_integer_value(json_object_get(o, k)) + (json_int_t)(v)))
	ADD("feeds", 1);
	ADD("items", p->items);
	ADD("bytes", p->len);
#undef ADD
	json_object_set_new(o, "seconds",
			    json_real(json_real_value(json_object_get(o, "seconds")) +
				      seconds));
}

int main(int argc, char **argv)
{
	struct feed *feeds = NULL, **by_ms;
	size_t n = 0, bytes = 0, items = 0, failed = 0, broken = 0;
	size_t bad_dates = 0, nslow;
	long repeat = 1;
	double seconds = 0, inputs_rss, *med, sum = 0, *feed_s;
	json_t *formats, *counts, *slowest, *out, *v;
	const char *key;
	char *js;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--repeat") && i + 1 < argc) {
			char *end;

			errno = 0;
			repeat = strtol(argv[++i], &end, 10);
			if (errno || *end || repeat < 1 || repeat > 100000)
				usage();
		} else if (!strcmp(argv[i], "--list") && i + 1 < argc) {
			read_list(argv[++i], 3, list_feed,
				  &(struct feed_list){&feeds, &n});
		} else if (argv[i][0] == '-' && argv[i][1]) {
			usage();
		} else {
			add_feed(&feeds, &n, argv[i], NULL, NULL);
		}
	}
	if (!n)
		usage();
	for (size_t i = 0; i < n; i++) {
		feeds[i].data = read_whole(feeds[i].path, &feeds[i].len);
		bytes += feeds[i].len;
		feeds[i].ms = xrealloc(NULL, (size_t)repeat * sizeof(double));
	}
	feed_s = xrealloc(NULL, n * sizeof(double));
	memset(feed_s, 0, n * sizeof(double));
	inputs_rss = rss_mb();

	for (long r = 0; r < repeat; r++) {
		for (size_t i = 0; i < n; i++) {
			struct feed *p = &feeds[i];
			sl_feed *f = NULL;
			double t0, dt;
			int rc;

			t0 = now();
			rc = sl_feed_parse(&f, p->data, p->len, p->url, NULL);
			dt = now() - t0;
			seconds += dt;
			feed_s[i] += dt;
			p->ms[r] = dt * 1e3;
			if (r == 0) {
				if (rc < 0 || !f) {
					p->failed = 1;
					failed++;
				} else {
					p->items = f->n_items;
					p->broken = f->error != NULL;
					p->bad_dates = f->bad_dates;
					if (!p->format)
						p->format = xstrdup(kind_name(f->kind));
				}
				if (!p->format)
					p->format = xstrdup("none");
				items += p->items;
				broken += (size_t)p->broken;
				bad_dates += p->bad_dates;
			}
			sl_feed_free(f);
		}
	}

	formats = json_object();
	counts = json_object();
	med = xrealloc(NULL, n * sizeof(double));
	by_ms = xrealloc(NULL, n * sizeof(*by_ms));
	for (size_t i = 0; i < n; i++) {
		qsort(feeds[i].ms, (size_t)repeat, sizeof(double), cmp_double);
		feeds[i].median = feeds[i].ms[repeat / 2];
		med[i] = feeds[i].median;
		sum += med[i];
		by_ms[i] = &feeds[i];
		add_format(formats, &feeds[i], feed_s[i]);
		json_object_set_new(counts, feeds[i].id,
				    json_integer((json_int_t)feeds[i].items));
	}
	json_object_foreach(formats, key, v) {
		double s = json_real_value(json_object_get(v, "seconds"));
		double it = (double)json_integer_value(json_object_get(v, "items"));
		double b = (double)json_integer_value(json_object_get(v, "bytes"));

		json_object_set_new(v, "items_per_s",
				    json_real(s > 0 ? it * repeat / s : 0));
		json_object_set_new(v, "mb_per_s",
				    json_real(s > 0 ? b * repeat / 1e6 / s : 0));
	}
	qsort(med, n, sizeof(double), cmp_double);
	qsort(by_ms, n, sizeof(*by_ms), cmp_feed_ms);
	slowest = json_array();
	nslow = n < 5 ? n : 5;
	for (size_t i = 0; i < nslow; i++)
		json_array_append_new(slowest,
				      json_pack("{s:s,s:f}", "id", by_ms[i]->id,
						"ms", by_ms[i]->median));

	out = json_object();
#define SET(k, v) json_object_set_new(out, k, v)
	SET("tool", json_string("storyline"));
	SET("version", json_string(SL_VERSION));
	SET("feeds", json_integer((json_int_t)n));
	SET("runs", json_integer((json_int_t)(n * (size_t)repeat)));
	SET("items", json_integer((json_int_t)items));
	SET("bytes", json_integer((json_int_t)bytes));
	SET("seconds", json_real(seconds));
	SET("items_per_s",
	    json_real(seconds > 0 ? (double)items * repeat / seconds : 0));
	SET("feeds_per_s",
	    json_real(seconds > 0 ? (double)n * repeat / seconds : 0));
	SET("mb_per_s",
	    json_real(seconds > 0 ? (double)bytes * repeat / 1e6 / seconds : 0));
	SET("p50_ms", json_real(med[n / 2]));
	SET("p99_ms", json_real(med[(size_t)(n * 0.99)]));
	SET("max_ms", json_real(med[n - 1]));
	SET("mean_ms", json_real(sum / n));
	SET("inputs_rss_mb", json_real(inputs_rss));
	SET("peak_rss_mb", json_real(rss_mb()));
	SET("failed", json_integer((json_int_t)failed));
	SET("broken", json_integer((json_int_t)broken));
	SET("bad_dates", json_integer((json_int_t)bad_dates));
	SET("formats", formats);
	SET("counts", counts);
	SET("slowest", slowest);
#undef SET
	js = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(8));
	if (!js || puts(js) < 0)
		die("%s", "cannot write the output");
	free(js);
	json_decref(out);

	for (size_t i = 0; i < n; i++) {
		free(feeds[i].path);
		free(feeds[i].url);
		free(feeds[i].format);
		free(feeds[i].id);
		free(feeds[i].data);
		free(feeds[i].ms);
	}
	free(feeds);
	free(feed_s);
	free(by_ms);
	free(med);
	return failed == n ? 1 : 0;
}
