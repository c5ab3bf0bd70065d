#!/usr/bin/env bash
# make install into a staging folder (DESTDIR, PREFIX), then build the
# example program against the installed header, library and pkg-config
# file, statically and shared, and run both.
. "$(dirname "$0")/lib.bash"
case "${BUILD:-}" in
*asan*)
	skip "install: the sanitizer build is not for installing"
	finish
	exit
	;;
esac
stage=$TMP/stage
rel=${BUILD#"$TOP"/}
check "make install into DESTDIR" make -s -C "$TOP" BUILD="$rel" install DESTDIR="$stage" PREFIX=/usr
for f in bin/storyline include/storyline.h lib/libstoryline.a lib/libstoryline.so lib/pkgconfig/storyline.pc; do
	check "installed $f" test -e "$stage/usr/$f"
done
check_eq "installed CLI runs" "storyline 0.1.0" "$("$stage/usr/bin/storyline" --version)"
export PKG_CONFIG_PATH=$stage/usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$stage
check "pkg-config knows storyline" pkg-config --exists storyline
check "example builds against the shared library" \
	cc -std=c11 -Wall -Wextra -Werror "$TOP/examples/hello.c" -o "$TMP/hello" \
	$(pkg-config --cflags --libs storyline)
out=$(LD_LIBRARY_PATH=$stage/usr/lib "$TMP/hello" "$TMP/hello.db")
check "example stores and reads back" grep -q '^canonical https://example.org/2026/11/20/bridge$' <<<"$out"
check "example gets a derived language" grep -q '^lang en$' <<<"$out"
# Static: the archive itself, with the private dependencies pkg-config
# lists for it.
check "example builds against the static library" \
	cc -std=c11 -Wall -Wextra -Werror "$TOP/examples/hello.c" -o "$TMP/hello-static" \
	$(pkg-config --cflags storyline) "$stage/usr/lib/libstoryline.a" \
	$(pkg-config --static --libs storyline | sed 's/-lstoryline//; s/-L[^ ]*//g')
check "static example runs" "$TMP/hello-static" "$TMP/hello2.db"
check "uninstall removes it" bash -c "make -s -C '$TOP' BUILD='$rel' uninstall DESTDIR='$stage' PREFIX=/usr && ! test -e '$stage/usr/bin/storyline'"
finish
