/*
 * order.h - three-way comparisons of plain numbers, for qsort and bsearch.
 */
#ifndef SL_UTIL_ORDER_H
#define SL_UTIL_ORDER_H

#include <stdint.h>

static inline int sl_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static inline int sl_cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

#endif
