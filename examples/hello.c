/*
 * hello.c - the smallest program on libstoryline: store one article,
 * read it back, print what the engine derived.
 *
 *   cc hello.c $(pkg-config --cflags --libs storyline) -o hello
 *   ./hello news.db
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <storyline.h>

int main(int argc, char **argv)
{
	const char *line =
		"{\"url\":\"https://example.org/2026/11/20/bridge?utm_source=x\","
		"\"outlet\":\"Example Times\",\"title\":\"New bridge opens\","
		"\"body\":\"The bridge opened on Friday. Officials said it "
		"would cut the commute by twenty minutes.\"}";
	sl_engine *engine;
	sl_article *a, *stored;
	int rc = 1;

	if (argc != 2) {
		fprintf(stderr, "usage: hello DB\n");
		return 2;
	}
	if (sl_engine_open(&engine, argv[1], SL_OPEN_CREATE) < 0) {
		fprintf(stderr, "hello: %s\n", sl_error_last());
		return 3;
	}
	if (sl_article_from_json(&a, line, strlen(line)) < 0 ||
	    sl_engine_begin(engine) < 0 || sl_engine_add(engine, a, NULL) < 0 ||
	    sl_engine_commit(engine) < 0 ||
	    sl_engine_get(engine, a->id, &stored) < 0) {
		fprintf(stderr, "hello: %s\n", sl_error_last());
		goto cleanup;
	}
	printf("id %s\ncanonical %s\nlang %s\nminutes %d\nsummary %s\n",
	       stored->id, stored->canonical_url, stored->lang,
	       stored->reading_minutes, stored->summary);
	sl_article_free(stored);
	rc = 0;
cleanup:
	sl_article_free(a);
	sl_engine_free(engine);
	return rc;
}
