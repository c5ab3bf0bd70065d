/*
 * mem.c - allocation wrappers that abort on exhaustion, and sl_buf.
 */
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(size_t n)
{
	fprintf(stderr, "storyline: out of memory allocating %zu bytes\n", n);
	abort();
}

void *sl_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory(n);
	return p;
}

void *sl_calloc(size_t count, size_t n)
{
	void *p = calloc(count ? count : 1, n ? n : 1);

	if (!p)
		out_of_memory(count * n);
	return p;
}

void *sl_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		out_of_memory(n);
	return q;
}

char *sl_strndup(const char *s, size_t n)
{
	char *d = sl_malloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *sl_strdup(const char *s)
{
	return s ? sl_strndup(s, strlen(s)) : NULL;
}

void sl_grow(void *items_ptr, size_t *cap, size_t need, size_t item_size)
{
	void **items = items_ptr;
	size_t new_cap = *cap ? *cap : 8;

	if (need <= *cap)
		return;
	while (new_cap < need)
		new_cap *= 2;
	*items = sl_realloc(*items, new_cap * item_size);
	*cap = new_cap;
}

void sl_buf_reserve(sl_buf *b, size_t extra)
{
	sl_grow(&b->data, &b->cap, b->len + extra + 1, 1);
}

void sl_buf_add(sl_buf *b, const void *p, size_t n)
{
	sl_buf_reserve(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void sl_buf_addc(sl_buf *b, char c)
{
	sl_buf_add(b, &c, 1);
}

void sl_buf_adds(sl_buf *b, const char *s)
{
	sl_buf_add(b, s, strlen(s));
}

void sl_buf_printf(sl_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	sl_buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void sl_buf_clear(sl_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void sl_buf_free(sl_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *sl_buf_detach(sl_buf *b)
{
	char *d = b->data ? b->data : sl_strdup("");

	b->data = NULL;
	b->len = b->cap = 0;
	return d;
}
