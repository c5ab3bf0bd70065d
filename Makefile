# Storyline - build, test, benchmark, install.
#
#   make            library (static + shared), the storyline CLI
#   make check      every test: unit (Criterion), end-to-end, fuzz replays
#   make asan       the same tests under AddressSanitizer + UBSan
#   make bench      benchmarks against peers (not tests; prints tables)
#   make bench-search  search at 1M articles against Xapian and FTS5
#   make bench-stories copy and story quality (BBC, SemEval-2022 Task 8,
#                      the labelled sample) against a TF-IDF baseline
#   make bench-related the rail's quality against TF-IDF and Xapian MLT
#   make bench-extract HTML extraction: speed against readability-lxml,
#                      quality on the scrapinghub and Readability pages
#   make bench-feeds   feed parsing against feedparser, polling 1,000 feeds
#   make bench-serve   serving: wrk on the rail, pages, /healthz at 100k articles
#   make demo       ingest the sample corpus and show what was stored
#   make install    PREFIX=/usr/local DESTDIR=
#   make compdb     compile_commands.json for editors (needs bear)
#
# Dependencies come from pkg-config; scripts/install-deps installs them.

MAKEFLAGS += --no-print-directory

VERSION   := 0.1.0
SOVERSION := 0
PREFIX    ?= /usr/local
DESTDIR   ?=
BUILD     ?= build

PKGS      := sqlite3 jansson libutf8proc libxxhash libxml-2.0 libcurl libmicrohttpd
CC        ?= cc
OPT       ?= -O2 -g
SANITIZE  ?=
WARN      := -Wall -Wextra -Werror
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lstemmer -lm -lpthread

CPPFLAGS  += -Iinclude -Isrc -D_GNU_SOURCE
ALL_CFLAGS = -std=c11 $(WARN) $(OPT) $(SANITIZE) $(PKG_CFLAGS) $(CFLAGS) \
	     -MMD -MP
LIB_CFLAGS = $(ALL_CFLAGS) -fPIC -fvisibility=hidden
ALL_LDFLAGS = $(SANITIZE) $(LDFLAGS)

LIB_SRC   := $(wildcard src/*.c src/util/*.c)
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ   := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard cli/*.c))
TEST_SRC  := $(wildcard tests/test_*.c)
TEST_OBJ  := $(TEST_SRC:%.c=$(BUILD)/obj/%.o)
FUZZ_SRC  := $(wildcard fuzz/fuzz_*.c)
FUZZ_BIN  := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/%)

STATIC    := $(BUILD)/libstoryline.a
SHARED    := $(BUILD)/libstoryline.so.$(VERSION)
CLI       := $(BUILD)/storyline
UNIT      := $(BUILD)/unit-tests

# Keep objects make would see as intermediate (fuzz drivers, benches).
.SECONDARY:

.PHONY: all check asan bench bench-search bench-stories bench-related bench-extract bench-feeds bench-serve demo install uninstall clean compdb tests

all: $(STATIC) $(SHARED) $(CLI) $(BUILD)/storyline.pc

$(BUILD)/obj/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(LIB_CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(STATIC): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(SHARED): $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libstoryline.so.$(SOVERSION) $(ALL_LDFLAGS) \
		-o $@ $^ $(PKG_LIBS)
	ln -sf libstoryline.so.$(VERSION) $(BUILD)/libstoryline.so.$(SOVERSION)
	ln -sf libstoryline.so.$(SOVERSION) $(BUILD)/libstoryline.so

$(CLI): $(CLI_OBJ) $(STATIC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# libcurl and libmicrohttpd are named in Libs.private rather than
# required: a program linked against the static library still takes them
# as shared libraries, as Debian ships no static builds of the TLS,
# compression and IDN libraries they pull in.
PC_SUBST = sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' \
		-e 's|@REQUIRES@|$(filter-out libcurl libmicrohttpd,$(PKGS))|g' \
		-e 's|@LIBS_PRIVATE@|-lcurl -lmicrohttpd -lstemmer -lm -lpthread|g' \
		storyline.pc.in

$(BUILD)/storyline.pc: storyline.pc.in Makefile
	@mkdir -p $(dir $@)
	$(PC_SUBST) > $@

# Unit tests link the static library so they can reach internal symbols.
$(UNIT): $(TEST_OBJ) $(STATIC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) \
		$(shell pkg-config --libs criterion) -lm

# Fuzz targets, built with a plain driver that replays a corpus.
$(BUILD)/fuzz_%: $(BUILD)/obj/fuzz/fuzz_%.o $(BUILD)/obj/fuzz/driver.o $(STATIC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/bench_analysis: $(BUILD)/obj/bench/bench_analysis.o $(STATIC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/bench_search: $(BUILD)/obj/bench/bench_search.o $(STATIC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/bench_place: $(BUILD)/obj/bench/bench_place.o $(STATIC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/bench_rail: $(BUILD)/obj/bench/bench_rail.o $(STATIC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/bench_extract: $(BUILD)/obj/bench/bench_extract.o $(STATIC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/bench_feeds: $(BUILD)/obj/bench/bench_feeds.o $(STATIC)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/bench_fts5: bench/peer_fts5.c
	$(CC) -std=c11 $(WARN) -O2 -D_POSIX_C_SOURCE=200809L $(PKG_CFLAGS) \
		-o $@ $< $(PKG_LIBS)

tests: all $(UNIT) $(FUZZ_BIN)

check: tests
	tests/run $(BUILD)

asan:
	$(MAKE) BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer" \
		SANITIZE="-fsanitize=address,undefined -fno-sanitize-recover=all" \
		check

bench: all $(BUILD)/bench_analysis $(BUILD)/bench_fts5 $(BUILD)/bench_search
	scripts/install-deps bench
	bench/ingest.sh

# Search at scale against Xapian and FTS5 (SEARCH_N articles, default
# 1,000,000: long; SEARCH_N=100000 for a quicker run).
# HTML extraction: speed against readability-lxml (one core), body quality
# on the scrapinghub benchmark, metadata on Readability's test pages.
bench-extract: all $(BUILD)/bench_extract
	scripts/install-deps bench
	/usr/bin/python3 bench/test_extract_eval.py
	bench/extract.sh

# Feed parsing: items/s against feedparser (one core), and a polling round
# over 1,000 feeds served on loopback.
bench-feeds: all $(BUILD)/bench_feeds
	scripts/install-deps bench
	bench/feeds.sh

# Serving: wrk on loopback against the rail, the article page and /healthz of
# a 100,000-article store, beside python3 -m http.server (bench/serve.sh).
bench-serve: all
	scripts/install-deps bench
	bench/serve.sh

bench-search: all $(BUILD)/bench_search
	scripts/install-deps bench
	bench/search.sh

# Copies and stories: quality against the shared data and a TF-IDF peer.
bench-stories: all $(BUILD)/bench_place
	scripts/install-deps bench
	/usr/bin/python3 bench/test_stories_eval.py
	bench/stories.sh
	bench/stories_speed.sh

# Related stories: rail quality against TF-IDF and Xapian MLT peers, and
# speed (bench_rail times rails in a large store).
bench-related: all $(BUILD)/bench_rail
	scripts/install-deps bench
	/usr/bin/python3 bench/test_related_eval.py
	bench/related.sh

# The rail's latency at scale (SEARCH_N articles, default 1,000,000: the
# first run generates and ingests them, which takes minutes).
bench-rail: all $(BUILD)/bench_rail
	bench/rail_speed.sh

demo: all
	scripts/demo $(CLI)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
		$(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 755 $(CLI) $(DESTDIR)$(PREFIX)/bin/storyline
	install -m 644 $(STATIC) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(SHARED) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libstoryline.so.$(VERSION) \
		$(DESTDIR)$(PREFIX)/lib/libstoryline.so.$(SOVERSION)
	ln -sf libstoryline.so.$(SOVERSION) $(DESTDIR)$(PREFIX)/lib/libstoryline.so
	install -m 644 include/storyline.h $(DESTDIR)$(PREFIX)/include/
	$(PC_SUBST) > $(DESTDIR)$(PREFIX)/lib/pkgconfig/storyline.pc

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/storyline \
		$(DESTDIR)$(PREFIX)/lib/libstoryline.* \
		$(DESTDIR)$(PREFIX)/include/storyline.h \
		$(DESTDIR)$(PREFIX)/lib/pkgconfig/storyline.pc

compdb:
	bear --output compile_commands.json -- $(MAKE) -B tests

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
