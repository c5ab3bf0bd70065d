/*
 * error.c - the per-thread error message behind sl_error_last().
 *
 * Codes travel up the call chain unchanged; the message is written once,
 * where the failure is understood, and callers may prefix context (the
 * file and line of an input) on the way up.
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char last_message[1024];

const char *sl_error_last(void)
{
	return last_message;
}

int sl_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_message, sizeof(last_message), fmt, ap);
	va_end(ap);
	return code;
}

int sl_error_prefix(int code, const char *fmt, ...)
{
	char prefix[512];
	char old[sizeof(last_message)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, last_message, sizeof(old));
	/* Truncation is fine: the start of the message says the most. */
	size_t n = strlen(prefix);

	if (n > sizeof(last_message) - 3)
		n = sizeof(last_message) - 3;
	memcpy(last_message, prefix, n);
	memcpy(last_message + n, ": ", 2);
	n += 2;
	size_t rest = strnlen(old, sizeof(old) - 1);

	if (rest > sizeof(last_message) - 1 - n)
		rest = sizeof(last_message) - 1 - n;
	memcpy(last_message + n, old, rest);
	last_message[n + rest] = '\0';
	return code;
}

void sl_error_clear(void)
{
	last_message[0] = '\0';
}
