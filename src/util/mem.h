/*
 * mem.h - allocation that never returns NULL, and a growable byte buffer.
 *
 * Like redis' zmalloc, running out of memory aborts with a message: every
 * caller would otherwise carry a failure path it cannot test or act on.
 * Size caps on outside input keep allocations bounded long before that.
 */
#ifndef SL_MEM_H
#define SL_MEM_H

#include <stdarg.h>
#include <stddef.h>

void *sl_malloc(size_t n);
void *sl_calloc(size_t count, size_t n);
void *sl_realloc(void *p, size_t n);
char *sl_strdup(const char *s);
char *sl_strndup(const char *s, size_t n);

/* Grow *items (of item_size bytes) so that it holds at least need items. */
void sl_grow(void *items_ptr, size_t *cap, size_t need, size_t item_size);

/* A byte buffer; data is always NUL-terminated once anything was added. */
typedef struct sl_buf {
	char *data;
	size_t len;
	size_t cap;
} sl_buf;

void sl_buf_reserve(sl_buf *b, size_t extra);
void sl_buf_add(sl_buf *b, const void *p, size_t n);
void sl_buf_addc(sl_buf *b, char c);
void sl_buf_adds(sl_buf *b, const char *s);
void sl_buf_printf(sl_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sl_buf_clear(sl_buf *b); /* len = 0, keeps memory */
void sl_buf_free(sl_buf *b);
/* Hand the data to the caller (never NULL) and reset the buffer. */
char *sl_buf_detach(sl_buf *b);

#endif
