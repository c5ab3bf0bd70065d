/*
 * bench_analysis.c - throughput of the text analysis alone.
 *
 * Reads a JSON-lines file, then times sl_analyze over every article's
 * title and body. "cold" starts each of three passes with a fresh
 * analyzer (empty token cache: every distinct token is folded and
 * stemmed once, as in a first ingest); "warm" runs three more passes on
 * one analyzer (a long-running engine). Best pass of each, as JSON:
 * {"articles":N,"bytes":B,"seconds":S,"mb_per_s":X,"warm_seconds":S,
 *  "warm_mb_per_s":X,"tokens":T}   (MB = 10^6 bytes of title + body)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_common.h"
#include "storyline.h"
#include "text.h"
#include "util/mem.h"

int main(int argc, char **argv)
{
	sl_article **arts = NULL;
	size_t n = 0, cap = 0, bytes = 0, tokens = 0;
	sl_reader *r;
	sl_article *a;
	double best = 1e30, best_warm = 1e30;
	sl_analyzer *warm;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: bench_analysis FILE.jsonl\n");
		return 2;
	}
	if (sl_reader_open(&r, argv[1]) < 0) {
		fprintf(stderr, "bench_analysis: %s\n", sl_error_last());
		return 3;
	}
	while ((rc = sl_reader_next(r, &a)) != 0) {
		if (rc < 0)
			continue;
		sl_grow(&arts, &cap, n + 1, sizeof(*arts));
		arts[n++] = a;
		bytes += (a->title ? strlen(a->title) : 0) +
			 (a->body_text ? strlen(a->body_text) : 0);
	}
	sl_reader_free(r);
	warm = sl_analyzer_new();
	for (int pass = 0; pass < 7; pass++) {
		sl_analyzer *an = pass < 3 ? sl_analyzer_new() : warm;
		double t0 = now(), dt;

		tokens = 0;
		for (size_t i = 0; i < n; i++) {
			const sl_analysis *res = sl_analyze(
				an, arts[i]->title,
				arts[i]->title ? strlen(arts[i]->title) : 0,
				arts[i]->body_text,
				arts[i]->body_text ? strlen(arts[i]->body_text) :
						     0,
				arts[i]->lang);

			tokens += res->n_tokens;
		}
		dt = now() - t0;
		if (pass < 3) {
			if (dt < best)
				best = dt;
			sl_analyzer_free(an);
		} else if (pass > 3 && dt < best_warm) { /* 3 fills the cache */
			best_warm = dt;
		}
	}
	sl_analyzer_free(warm);
	printf("{\"articles\":%zu,\"bytes\":%zu,\"seconds\":%.6f,"
	       "\"mb_per_s\":%.1f,\"warm_seconds\":%.6f,"
	       "\"warm_mb_per_s\":%.1f,\"tokens\":%zu}\n",
	       n, bytes, best, (double)bytes / 1e6 / best, best_warm,
	       (double)bytes / 1e6 / best_warm, tokens);
	for (size_t i = 0; i < n; i++)
		sl_article_free(arts[i]);
	free(arts);
	return 0;
}
