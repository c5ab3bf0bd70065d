/*
 * bench_common.h - what Storyline's own benchmark programs share
 * (bench_search.c, bench_place.c, bench_rail.c, bench_analysis.c,
 * bench_extract.c, bench_feeds.c): a monotonic clock, latency
 * percentiles, and for the programs that read input files, failing by
 * name, allocation that cannot fail, peak RSS, and input lists.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <time.h>

static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts ms[0..n-1] and sums them up: {"queries","p50_ms","p99_ms",
 * "max_ms","mean_ms"}, p50/p99 = sorted[n/2], sorted[floor(0.99 n)]. */
static inline json_t *latency(double *ms, size_t n)
{
	json_t *o = json_object();
	double sum = 0;

	qsort(ms, n, sizeof(double), cmp_double);
	for (size_t i = 0; i < n; i++)
		sum += ms[i];
	json_object_set_new(o, "queries", json_integer((json_int_t)n));
	json_object_set_new(o, "p50_ms", json_real(n ? ms[n / 2] : 0));
	json_object_set_new(o, "p99_ms",
			    json_real(n ? ms[(size_t)(n * 0.99)] : 0));
	json_object_set_new(o, "max_ms", json_real(n ? ms[n - 1] : 0));
	json_object_set_new(o, "mean_ms", json_real(n ? sum / n : 0));
	return o;
}

/* Fail with exit status 3: "PROGRAM: " and fmt with arg. */
static inline void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", program_invocation_short_name);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(3);
}

static inline void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("%s", "out of memory");
	return p;
}

static inline char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		die("%s", "out of memory");
	return d;
}

/* Peak resident memory so far, in MB (10^6 bytes). */
static inline double rss_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss * 1024.0 / 1e6; /* KiB on Linux */
}

/* A file's name without its folder and last extension (the input's id). */
static inline char *stem_of(const char *path)
{
	const char *base = strrchr(path, '/');
	char *s = xstrdup(base ? base + 1 : path), *dot;

	if ((dot = strrchr(s, '.')) && dot != s)
		*dot = '\0';
	return s;
}

/* The whole of a file, its length into *len; fails by name. */
static inline char *read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, got;
	char *data;

	if (!f)
		die("cannot open %s", path);
	data = xrealloc(NULL, cap);
	*len = 0;
	while ((got = fread(data + *len, 1, cap - *len, f)) > 0) {
		*len += got;
		if (*len == cap)
			data = xrealloc(data, cap *= 2);
	}
	if (ferror(f))
		die("cannot read %s", path);
	fclose(f);
	return data;
}

/*
 * An input list: a line per input, its fields separated by tabs (the
 * file's path first). Each non-empty line goes to fn with its first max
 * fields (NULL where a line has fewer; max <= 8).
 */
static inline void read_list(const char *list, size_t max,
			     void (*fn)(char **fields, void *ctx), void *ctx)
{
	FILE *f = fopen(list, "r");
	char *line = NULL, *fields[8];
	size_t cap = 0;
	ssize_t len;

	if (!f)
		die("cannot open %s", list);
	while ((len = getline(&line, &cap, f)) >= 0) {
		char *at = line, *tab;

		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!len)
			continue;
		for (size_t i = 0; i < max; i++) {
			fields[i] = at;
			if (at && (tab = strchr(at, '\t'))) {
				*tab = '\0';
				at = tab + 1;
			} else {
				at = NULL;
			}
		}
		fn(fields, ctx);
	}
	free(line);
	fclose(f);
}

#endif
