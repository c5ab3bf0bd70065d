/*
 * fuzz_store.h - the small store the fuzz targets of the engine's front
 * doors (a search, the HTTP routes) work on: eight articles in three
 * languages, with outlets, dates (one undated), a syndicated copy (f8
 * of f1) and characters that need escaping, in a real SQLite file in a
 * temporary folder made at the first call and removed at exit.
 */
#ifndef FUZZ_STORE_H
#define FUZZ_STORE_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storyline.h"

static const char *const articles[] = {
	"{\"id\":\"f1\",\"title\":\"Harbour strike halts ferries to the "
	"islands\",\"body\":\"Dock workers walked out at dawn in Port "
	"Avel. The union says talks on night-shift pay broke down; the "
	"ferry company calls the strike \\\"unlawful\\\" & will go to "
	"court.\",\"outlet\":\"Coast Herald\",\"lang\":\"en\","
	"\"published\":\"2026-03-02T06:00:00Z\"}",
	"{\"id\":\"f2\",\"title\":\"Ferry strike enters second day\","
	"\"body\":\"No sailings left Port Avel on Tuesday. Islanders "
	"queued for the one emergency boat; prices <in shops> rose.\","
	"\"outlet\":\"Island Post\",\"lang\":\"en\","
	"\"published\":\"2026-03-03T09:30:00Z\"}",
	"{\"id\":\"f3\",\"title\":\"Council votes on a new bridge\","
	"\"body\":\"The river bridge at Millford will cost 40m; the vote "
	"was 7 to 4. Critics said the old bridge could be repaired.\","
	"\"outlet\":\"Millford Times\",\"lang\":\"en\","
	"\"published\":\"2026-02-20T18:00:00Z\"}",
	"{\"id\":\"f4\",\"title\":\"Fährstreik: Inseln ohne Verbindung\","
	"\"body\":\"Die Hafenarbeiter in Port Avel streiken weiter. Die "
	"Reederei will vor Gericht ziehen.\",\"outlet\":\"Nordblatt\","
	"\"lang\":\"de\",\"published\":\"2026-03-03T11:00:00Z\"}",
	"{\"id\":\"f5\",\"title\":\"Grève des ferries à Port Avel\","
	"\"body\":\"Les dockers ont cessé le travail ; les îles sont "
	"coupées du continent depuis lundi.\",\"outlet\":\"Le Littoral\","
	"\"lang\":\"fr\",\"published\":\"2026-03-02T15:00:00Z\"}",
	"{\"id\":\"f6\",\"title\":\"Cup final: Millford win 2-1 after "
	"extra time\",\"body\":\"A header in the 112th minute settled it. "
	"The coach called it 'the best night of my life'.\","
	"\"outlet\":\"Millford Times\",\"lang\":\"en\","
	"\"published\":\"2026-03-01T21:45:00Z\"}",
	"{\"id\":\"f7\",\"title\":\"Undated notes on bridges and "
	"ferries\",\"body\":\"Bridges last longer than ferries; ferries "
	"cost less at first. A&B's study compared both over 50 years.\","
	"\"outlet\":\"Island Post\",\"lang\":\"en\"}",
	"{\"id\":\"f8\",\"title\":\"Strike halts island ferries\","
	"\"body\":\"Dock workers walked out at dawn in Port "
	"Avel. The union says talks on night-shift pay broke down; the "
	"ferry company calls the strike \\\"unlawful\\\" & will go to "
	"court.\",\"outlet\":\"Wire Today\",\"lang\":\"en\","
	"\"published\":\"2026-03-02T08:00:00Z\"}",
};

static char dir[] = "/tmp/fuzz-search-XXXXXX";
static sl_engine *engine;

static void clean_up(void)
{
	DIR *d;
	struct dirent *ent;

	sl_engine_free(engine);
	engine = NULL;
	if (!(d = opendir(dir)))
		return;
	while ((ent = readdir(d))) {
		char path[sizeof(dir) + 300];

		if (ent->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, ent->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/* The engine on the store, made at the first call. */
static sl_engine *store(void)
{
	char path[sizeof(dir) + 16];

	if (engine)
		return engine;
	if (!mkdtemp(dir))
		abort();
	atexit(clean_up);
	snprintf(path, sizeof(path), "%s/fuzz.db", dir);
	if (sl_engine_open(&engine, path, SL_OPEN_CREATE) < 0 ||
	    sl_engine_begin(engine) < 0)
		abort();
	for (size_t i = 0; i < sizeof(articles) / sizeof(*articles); i++) {
		sl_article *a;

		if (sl_article_from_json(&a, articles[i], strlen(articles[i])) <
			    0 ||
		    sl_engine_add(engine, a, NULL) < 0)
			abort();
		sl_article_free(a);
	}
	if (sl_engine_commit(engine) < 0)
		abort();
	return engine;
}

#endif
