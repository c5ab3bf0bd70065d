/*
 * strtab.h - a string interning table: bytes -> dense index 0..n-1.
 *
 * The analysis looks up every token of every article here, so the table
 * is built for that: open addressing with linear probing over 32-bit
 * slots, the 64-bit hash kept per entry so most mismatches cost no
 * memcmp, and keys packed into one pool. Callers keep per-entry payload
 * in their own arrays indexed by the returned index.
 */
#ifndef SL_STRTAB_H
#define SL_STRTAB_H

#include <stddef.h>
#include <stdint.h>

typedef struct sl_strtab {
	uint32_t *slots; /* entry index + 1, 0 = empty */
	size_t n_slots;  /* power of two */
	uint64_t *hashes;
	uint32_t *offs;
	uint32_t *lens;
	size_t n, cap;
	char *pool;
	size_t pool_len, pool_cap;
} sl_strtab;

#define SL_STRTAB_NONE UINT32_MAX

uint64_t sl_hash(const void *p, size_t n);

void sl_strtab_init(sl_strtab *t);
void sl_strtab_free(sl_strtab *t);
void sl_strtab_clear(sl_strtab *t); /* forget every entry, keep memory */

/* Index of key, or SL_STRTAB_NONE. */
uint32_t sl_strtab_find(const sl_strtab *t, const char *key, size_t len,
			uint64_t hash);

/*
 * Index of key, adding it when absent (*created set to 1 then). Indexes
 * are dense (0..n-1) and stable until sl_strtab_clear.
 */
uint32_t sl_strtab_intern(sl_strtab *t, const char *key, size_t len,
			  uint64_t hash, int *created);

static inline const char *sl_strtab_key(const sl_strtab *t, uint32_t i)
{
	return t->pool + t->offs[i];
}

#endif
