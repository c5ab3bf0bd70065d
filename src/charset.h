/*
 * charset.h - outside bytes to UTF-8: the character set a page or feed
 * declares (HTTP header, byte-order mark, <meta>, XML declaration) or,
 * when none is declared, UTF-8 if the bytes are valid and windows-1252
 * otherwise; converted with iconv.
 */
#ifndef SL_CHARSET_H
#define SL_CHARSET_H

#include <stddef.h>

#include "util/mem.h"

/*
 * Append bytes[0..len) to out as valid UTF-8 (NUL-terminated), without a
 * byte-order mark. declared is the HTTP header's charset or NULL. Bytes
 * the character set cannot decode become U+FFFD; an unknown label is
 * read as if nothing were declared. Writes the label used to used[32]
 * when used is not NULL.
 */
void sl_charset_to_utf8(sl_buf *out, const char *bytes, size_t len,
			const char *declared, char used[32]);

#endif
