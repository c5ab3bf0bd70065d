/* test_strtab.c - the string interning table: dense, stable indexes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "util/strtab.h"

static uint32_t intern(sl_strtab *t, const char *key, int *created)
{
	return sl_strtab_intern(t, key, strlen(key), sl_hash(key, strlen(key)),
				created);
}

static uint32_t find(const sl_strtab *t, const char *key)
{
	return sl_strtab_find(t, key, strlen(key), sl_hash(key, strlen(key)));
}

Test(strtab, empty_table_finds_nothing)
{
	sl_strtab t;

	sl_strtab_init(&t);
	cr_assert_eq(find(&t, "summit"), SL_STRTAB_NONE);
	cr_assert_eq(t.n, 0);
	sl_strtab_free(&t);
}

Test(strtab, indexes_are_dense_in_insertion_order)
{
	const char *words[] = {"summit", "leaders", "climate", "geneva"};
	sl_strtab t;

	sl_strtab_init(&t);
	for (uint32_t i = 0; i < 4; i++) {
		int created = -1;

		cr_assert_eq(intern(&t, words[i], &created), i);
		cr_assert_eq(created, 1);
	}
	cr_assert_eq(t.n, 4);
	sl_strtab_free(&t);
}

Test(strtab, same_key_same_index)
{
	sl_strtab t;
	int created = -1;

	sl_strtab_init(&t);
	uint32_t first = intern(&t, "summit", NULL);

	intern(&t, "leaders", NULL);
	cr_assert_eq(intern(&t, "summit", &created), first);
	cr_assert_eq(created, 0);
	cr_assert_eq(find(&t, "summit"), first);
	cr_assert_eq(t.n, 2);
	sl_strtab_free(&t);
}

Test(strtab, key_returns_the_bytes)
{
	sl_strtab t;

	sl_strtab_init(&t);
	uint32_t a = intern(&t, "Z\xC3\xBCrich", NULL);
	uint32_t b = intern(&t, "geneva", NULL);

	cr_assert_str_eq(sl_strtab_key(&t, a), "Z\xC3\xBCrich");
	cr_assert_str_eq(sl_strtab_key(&t, b), "geneva");
	sl_strtab_free(&t);
}

Test(strtab, prefixes_are_other_keys)
{
	sl_strtab t;

	sl_strtab_init(&t);
	uint32_t ab = intern(&t, "ab", NULL);
	uint32_t abc = intern(&t, "abc", NULL);
	uint32_t a = intern(&t, "a", NULL);

	cr_assert_neq(ab, abc);
	cr_assert_neq(ab, a);
	cr_assert_eq(find(&t, "abcd"), SL_STRTAB_NONE);
	cr_assert_eq(find(&t, "abc"), abc);
	sl_strtab_free(&t);
}

Test(strtab, empty_key)
{
	sl_strtab t;
	int created = -1;

	sl_strtab_init(&t);
	uint32_t e = intern(&t, "", &created);

	cr_assert_eq(created, 1);
	cr_assert_eq(find(&t, ""), e);
	cr_assert_str_eq(sl_strtab_key(&t, e), "");
	cr_assert_eq(find(&t, "x"), SL_STRTAB_NONE);
	sl_strtab_free(&t);
}

Test(strtab, keys_with_nul_bytes)
{
	sl_strtab t;

	sl_strtab_init(&t);
	uint32_t a = sl_strtab_intern(&t, "a\0b", 3, sl_hash("a\0b", 3), NULL);
	uint32_t c = sl_strtab_intern(&t, "a\0c", 3, sl_hash("a\0c", 3), NULL);

	cr_assert_neq(a, c);
	cr_assert_eq(sl_strtab_find(&t, "a\0b", 3, sl_hash("a\0b", 3)), a);
	cr_assert_eq(sl_strtab_find(&t, "a", 1, sl_hash("a", 1)),
		     SL_STRTAB_NONE);
	cr_assert_eq(sl_strtab_len(&t, a), 3);
	sl_strtab_free(&t);
}

Test(strtab, equal_hashes_still_told_apart)
{
	/* Callers pass the hash; two keys that collide must stay two. */
	sl_strtab t;
	int created = -1;

	sl_strtab_init(&t);
	uint32_t a = sl_strtab_intern(&t, "alpha", 5, 42, NULL);
	uint32_t b = sl_strtab_intern(&t, "bravo", 5, 42, &created);

	cr_assert_eq(created, 1);
	cr_assert_neq(a, b);
	cr_assert_eq(sl_strtab_find(&t, "alpha", 5, 42), a);
	cr_assert_eq(sl_strtab_find(&t, "bravo", 5, 42), b);
	cr_assert_eq(sl_strtab_find(&t, "delta", 5, 42), SL_STRTAB_NONE);
	sl_strtab_free(&t);
}

Test(strtab, same_low_bits_other_high_bits)
{
	/* Both land in one slot; only the upper half of the hash differs. */
	const uint64_t h1 = 0x0000000100000007ULL, h2 = 0x0000000200000007ULL;
	sl_strtab t;

	sl_strtab_init(&t);
	uint32_t a = sl_strtab_intern(&t, "alpha", 5, h1, NULL);
	uint32_t b = sl_strtab_intern(&t, "bravo", 5, h2, NULL);

	cr_assert_neq(a, b);
	cr_assert_eq(sl_strtab_find(&t, "alpha", 5, h1), a);
	cr_assert_eq(sl_strtab_find(&t, "bravo", 5, h2), b);
	cr_assert_eq(sl_strtab_find(&t, "alpha", 5, h2), SL_STRTAB_NONE);
	sl_strtab_free(&t);
}

Test(strtab, add_after_find)
{
	sl_strtab t;
	const char *key = "geneva";
	uint64_t h = sl_hash(key, 6);

	sl_strtab_init(&t);
	intern(&t, "summit", NULL);
	cr_assert_eq(sl_strtab_find(&t, key, 6, h), SL_STRTAB_NONE);
	cr_assert_eq(sl_strtab_add(&t, key, 6, h), 1);
	cr_assert_eq(sl_strtab_find(&t, key, 6, h), 1);
	cr_assert_eq(intern(&t, key, NULL), 1);
	cr_assert_eq(sl_strtab_len(&t, 1), 6);
	cr_assert_eq(t.n, 2);
	sl_strtab_free(&t);
}

Test(strtab, long_keys_compared_in_full)
{
	/* Equal for the first 16 bytes, then one differs. */
	const char *a = "international-summit-2026";
	const char *b = "international-summit-2027";
	sl_strtab t;

	sl_strtab_init(&t);
	uint32_t ia = sl_strtab_intern(&t, a, strlen(a), 9, NULL);

	cr_assert_eq(sl_strtab_find(&t, b, strlen(b), 9), SL_STRTAB_NONE);
	cr_assert_neq(sl_strtab_intern(&t, b, strlen(b), 9, NULL), ia);
	cr_assert_eq(sl_strtab_find(&t, a, strlen(a), 9), ia);
	sl_strtab_free(&t);
}

Test(strtab, many_keys_survive_growth)
{
	enum { N = 50000 };
	sl_strtab t;
	char key[32];

	sl_strtab_init(&t);
	for (uint32_t i = 0; i < N; i++) {
		int created = -1;

		snprintf(key, sizeof(key), "term-%u", i);
		cr_assert_eq(intern(&t, key, &created), i);
		cr_assert_eq(created, 1, "%s", key);
	}
	cr_assert_eq(t.n, N);
	for (uint32_t i = 0; i < N; i++) {
		snprintf(key, sizeof(key), "term-%u", i);
		cr_assert_eq(find(&t, key), i, "%s", key);
		cr_assert_str_eq(sl_strtab_key(&t, i), key);
	}
	cr_assert_eq(find(&t, "term-50000"), SL_STRTAB_NONE);
	sl_strtab_free(&t);
}

Test(strtab, clear_forgets_every_entry)
{
	sl_strtab t;
	int created = -1;

	sl_strtab_init(&t);
	for (int i = 0; i < 3000; i++) {
		char key[16];

		snprintf(key, sizeof(key), "w%d", i);
		intern(&t, key, NULL);
	}
	sl_strtab_clear(&t);
	cr_assert_eq(t.n, 0);
	cr_assert_eq(find(&t, "w0"), SL_STRTAB_NONE);
	cr_assert_eq(find(&t, "w2999"), SL_STRTAB_NONE);
	/* Indexes start again at 0. */
	cr_assert_eq(intern(&t, "w2999", &created), 0);
	cr_assert_eq(created, 1);
	cr_assert_str_eq(sl_strtab_key(&t, 0), "w2999");
	sl_strtab_free(&t);
}

Test(strtab, free_leaves_a_usable_table)
{
	sl_strtab t;

	sl_strtab_init(&t);
	intern(&t, "summit", NULL);
	sl_strtab_free(&t);
	cr_assert_eq(find(&t, "summit"), SL_STRTAB_NONE);
	cr_assert_eq(intern(&t, "summit", NULL), 0);
	sl_strtab_free(&t);
	sl_strtab_free(&t); /* twice is harmless */
}

Test(strtab, hash_depends_on_every_byte)
{
	cr_assert_eq(sl_hash("summit", 6), sl_hash("summit", 6));
	cr_assert_neq(sl_hash("summit", 6), sl_hash("summiT", 6));
	cr_assert_neq(sl_hash("summit", 6), sl_hash("summit", 5));
	cr_assert_neq(sl_hash("a\0b", 3), sl_hash("a\0c", 3));
}
