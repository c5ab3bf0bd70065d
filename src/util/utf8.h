/*
 * utf8.h - UTF-8 decoding, validation and repair.
 *
 * Outside text arrives with broken bytes; everything past the readers may
 * assume valid UTF-8 because the readers repair it here.
 */
#ifndef SL_UTF8_H
#define SL_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "mem.h"

#define SL_UTF8_REPLACEMENT 0xFFFD

/*
 * Decode the code point at s (n >= 1 bytes available). Returns the bytes
 * consumed; an invalid or truncated sequence consumes 1 byte and yields
 * U+FFFD (overlongs, surrogates and values past U+10FFFF are invalid).
 */
size_t sl_utf8_decode(const char *s, size_t n, int32_t *out);

/* Encode cp into out (4 bytes room); returns the length. */
size_t sl_utf8_encode(char *out, int32_t cp);

/* 1 when s[0..n) is valid UTF-8. */
int sl_utf8_valid(const char *s, size_t n);

/* Append s[0..n) to b with every invalid sequence replaced by U+FFFD. */
void sl_utf8_repair(sl_buf *b, const char *s, size_t n);

/* Largest length <= max that does not cut a code point of s[0..n). */
size_t sl_utf8_floor(const char *s, size_t n, size_t max);

#endif
