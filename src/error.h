/*
 * error.h - where failures are explained: a per-thread message that
 * sl_error_last() returns, set at the point of failure.
 */
#ifndef SL_ERROR_H
#define SL_ERROR_H

#include "storyline.h"

/* Set the thread's message (printf-style) and return code unchanged. */
int sl_error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prefix the current message with "what: " (keeps code). */
int sl_error_prefix(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void sl_error_clear(void);

#endif
