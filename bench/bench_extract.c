/*
 * bench_extract.c - the speed of sl_extract on real pages, and its
 * outputs for the scorer (bench/extract.sh, bench/extract_eval.py).
 *
 *   bench_extract [--repeat N] [--out FILE.jsonl] (--list LIST | PAGE.html...)
 *
 * LIST has one page a line, "PATH" or "PATH<TAB>URL" (the URL goes to
 * sl_extract_opts.url). Every page is read into memory first; then every
 * page is extracted N times (default 1): the pages in list order, N
 * rounds. Only the sl_extract call is timed: not reading, not the JSON,
 * not sl_extracted_clear.
 *
 * Prints one JSON object, the same as bench/extract_peer.py:
 * {"tool","pages","runs","bytes","seconds","pages_per_s","p50_ms",
 *  "p99_ms","max_ms","mean_ms","inputs_rss_mb","peak_rss_mb","failed",
 *  "slowest":[{"id","ms"},...]}
 * A page's time is the median of its N runs (sorted[N/2]); p50/p99/max
 * are over pages (p99 = sorted[floor(0.99 n)]); pages_per_s is runs over
 * the seconds spent inside sl_extract. RSS is getrusage's ru_maxrss, once
 * every page is loaded (inputs_rss_mb) and at the end (peak_rss_mb), in
 * MB (10^6 bytes).
 *
 * With --out, the first round's results as JSON lines: {"id":STEM,...the
 * object of sl_extracted_to_json...} (the article's own "id", if any, is
 * kept as "article_id"), or {"id":STEM,"error":"..."} where sl_extract
 * failed. STEM is the file name less ".html" / ".htm".
 *
 * Exit status: 0, or 1 when sl_extract failed on every page; 2 usage, 3
 * a page or the output could not be read or written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "bench_common.h"
#include "extract.h" /* the library's phase times */
#include "storyline.h"

struct page {
	char *path, *url, *id, *html;
	size_t len;
	double *ms; /* one per round */
	double median;
};

static void add_page(struct page **pages, size_t *n, const char *path,
		     const char *url)
{
	struct page *p;

	*pages = xrealloc(*pages, (*n + 1) * sizeof(**pages));
	p = &(*pages)[(*n)++];
	memset(p, 0, sizeof(*p));
	p->path = xstrdup(path);
	p->url = url && *url ? xstrdup(url) : NULL;
	p->id = stem_of(path);
}

/* A list line: path, then the page's URL. */
struct page_list {
	struct page **pages;
	size_t *n;
};

static void list_page(char **fields, void *ctx)
{
	struct page_list *l = ctx;

	add_page(l->pages, l->n, fields[0], fields[1]);
}

/* One JSON line for page p: the extract JSON with "id" first. */
static void write_line(FILE *out, const struct page *p, int rc,
		       const sl_extracted *x)
{
	json_t *o = json_object(), *got = NULL, *v;
	json_error_t jerr;
	const char *key;
	char *js = NULL, *line;

	json_object_set_new(o, "id", json_string(p->id));
	if (rc < 0) {
		const char *why = sl_error_last();

		json_object_set_new(o, "error",
				    json_string(why && *why ? why : "failed"));
	} else if (!(js = sl_extracted_to_json(x))) {
		json_object_set_new(o, "error",
				    json_string("sl_extracted_to_json failed"));
	} else if (!(got = json_loads(js, 0, &jerr)) || !json_is_object(got)) {
		json_object_set_new(o, "error",
				    json_string("sl_extracted_to_json gave no "
						"JSON object"));
	} else {
		json_object_foreach(got, key, v)
			json_object_set(o, strcmp(key, "id") ? key : "article_id", v);
	}
	line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!line || fprintf(out, "%s\n", line) < 0)
		die("%s", "cannot write the output");
	free(line);
	free(js);
	json_decref(got);
	json_decref(o);
}

static int cmp_page_ms(const void *a, const void *b)
{
	const struct page *x = *(const struct page *const *)a;
	const struct page *y = *(const struct page *const *)b;

	return (y->median > x->median) - (y->median < x->median);
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_extract [--repeat N] [--out FILE.jsonl] "
			"(--list LIST | PAGE.html...)\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct page *pages = NULL, **by_ms;
	size_t n = 0, bytes = 0, failed = 0, nslow;
	long repeat = 1;
	const char *out_path = NULL;
	char *tmp_path = NULL;
	FILE *out = NULL;
	double seconds = 0, inputs_rss, *med, sum = 0, runs;
	sl_extract_opts opts;
	sl_extract_times phase;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--repeat") && i + 1 < argc) {
			char *end;

			errno = 0;
			repeat = strtol(argv[++i], &end, 10);
			if (errno || *end || repeat < 1 || repeat > 100000)
				usage();
		} else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
			out_path = argv[++i];
		} else if (!strcmp(argv[i], "--list") && i + 1 < argc) {
			read_list(argv[++i], 2, list_page,
				  &(struct page_list){&pages, &n});
		} else if (argv[i][0] == '-' && argv[i][1]) {
			usage();
		} else {
			add_page(&pages, &n, argv[i], NULL);
		}
	}
	if (!n)
		usage();
	for (size_t i = 0; i < n; i++) {
		pages[i].html = read_whole(pages[i].path, &pages[i].len);
		bytes += pages[i].len;
		pages[i].ms = xrealloc(NULL, (size_t)repeat * sizeof(double));
	}
	inputs_rss = rss_mb();
	if (out_path) {
		tmp_path = xrealloc(NULL, strlen(out_path) + 5);
		sprintf(tmp_path, "%s.tmp", out_path);
		if (!(out = fopen(tmp_path, "w")))
			die("cannot create %s", tmp_path);
	}

	for (long r = 0; r < repeat; r++) {
		for (size_t i = 0; i < n; i++) {
			struct page *p = &pages[i];
			sl_extracted x;
			double t0, dt;
			int rc;

			memset(&x, 0, sizeof(x));
			sl_extract_opts_init(&opts);
			opts.url = p->url;
			t0 = now();
			rc = sl_extract(&x, p->html, p->len, &opts);
			dt = now() - t0;
			seconds += dt;
			p->ms[r] = dt * 1e3;
			if (r == 0) {
				if (rc < 0)
					failed++;
				if (out)
					write_line(out, p, rc, &x);
			}
			if (rc >= 0)
				sl_extracted_clear(&x);
		}
	}
	if (out) {
		if (fclose(out) != 0 || rename(tmp_path, out_path) != 0)
			die("cannot write %s", out_path);
	}

	med = xrealloc(NULL, n * sizeof(double));
	by_ms = xrealloc(NULL, n * sizeof(*by_ms));
	for (size_t i = 0; i < n; i++) {
		qsort(pages[i].ms, (size_t)repeat, sizeof(double), cmp_double);
		pages[i].median = pages[i].ms[repeat / 2];
		med[i] = pages[i].median;
		sum += med[i];
		by_ms[i] = &pages[i];
	}
	qsort(med, n, sizeof(double), cmp_double);
	qsort(by_ms, n, sizeof(*by_ms), cmp_page_ms);
	printf("{\"tool\":\"storyline\",\"pages\":%zu,\"runs\":%zu,\"bytes\":%zu,"
	       "\"seconds\":%.6f,\"pages_per_s\":%.3f,\"p50_ms\":%.4f,"
	       "\"p99_ms\":%.4f,\"max_ms\":%.4f,\"mean_ms\":%.4f,"
	       "\"inputs_rss_mb\":%.1f,\"peak_rss_mb\":%.1f,\"failed\":%zu,"
	       "\"slowest\":[",
	       n, n * (size_t)repeat, bytes, seconds,
	       seconds > 0 ? (double)(n * (size_t)repeat) / seconds : 0.0,
	       med[n / 2], med[(size_t)(n * 0.99)], med[n - 1], sum / n,
	       inputs_rss, rss_mb(), failed);
	sl_extract_times_get(&phase);
	runs = (double)(n * (size_t)repeat);
	nslow = n < 5 ? n : 5;
	for (size_t i = 0; i < nslow; i++) {
		json_t *id = json_string(by_ms[i]->id);
		char *s = json_dumps(id, JSON_ENCODE_ANY);

		printf("%s{\"id\":%s,\"ms\":%.3f}", i ? "," : "", s ? s : "null",
		       by_ms[i]->median);
		free(s);
		json_decref(id);
	}
	printf("],\"phases_ms\":{\"decode\":%.4f,\"parse\":%.4f,"
	       "\"metadata\":%.4f,\"body\":%.4f,\"output\":%.4f},"
	       "\"attempts_per_page\":%.3f}\n",
	       phase.decode * 1e3 / runs, phase.parse * 1e3 / runs,
	       phase.metadata * 1e3 / runs, phase.body * 1e3 / runs,
	       phase.output * 1e3 / runs,
	       phase.pages ? (double)phase.attempts / phase.pages : 0.0);

	for (size_t i = 0; i < n; i++) {
		free(pages[i].path);
		free(pages[i].url);
		free(pages[i].id);
		free(pages[i].html);
		free(pages[i].ms);
	}
	free(pages);
	free(by_ms);
	free(med);
	free(tmp_path);
	return failed == n ? 1 : 0;
}
