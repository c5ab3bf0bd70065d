/*
 * dedup.c - MinHash fingerprints and their LSH table (see dedup.h).
 *
 * The 64 hash functions are one 64-bit shingle hash mixed with 64 fixed
 * odd multipliers: h_i(x) = high 32 bits of (x ^ seed_i) * mult_i. The
 * LSH table cuts a fingerprint into 32 bands of 2 values: two texts with
 * resemblance J share a band with probability 1 - (1 - J^2)^32, 0.99 at
 * J = 0.4, so trimmed and truncated copies are found, while unrelated
 * texts (J near 0) rarely meet. Candidates are then checked on the whole
 * fingerprint.
 */
#include "dedup.h"

#include <stdlib.h>
#include <string.h>

#include "util/hmap.h"
#include "util/mem.h"

#define SHINGLE 4
#define BANDS 32
#define ROWS (SL_MINHASH / BANDS)

/* Copies: at least this much of the smaller text in the larger... */
#define COPY_CONTAINMENT 0.8
/* ...when the smaller has this many shingles (about as many words)... */
#define COPY_MIN_SHINGLES 30
/* ...and is at least this share of the larger; or near-identical. */
#define COPY_MIN_RATIO 0.4
#define COPY_NEAR_IDENTICAL 0.9

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* Fixed seeds and odd multipliers, the same on every machine. */
static void hash_params(uint64_t seed[SL_MINHASH], uint64_t mult[SL_MINHASH])
{
	for (unsigned i = 0; i < SL_MINHASH; i++) {
		seed[i] = mix(0x9e3779b97f4a7c15ULL * (i + 1));
		mult[i] = mix(0xbf58476d1ce4e5b9ULL * (i + 7)) | 1;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

void sl_fingerprint_of(const sl_analysis *an, sl_fingerprint *out)
{
	static uint64_t seed[SL_MINHASH], mult[SL_MINHASH];
	static int ready;
	uint64_t *sh;
	size_t n = 0, n_tok = 0, distinct = 0;
	unsigned field = SL_FIELD_BODY;

	if (!ready) { /* idempotent: racing threads write the same values */
		hash_params(seed, mult);
		ready = 1;
	}
	for (unsigned i = 0; i < SL_MINHASH; i++)
		out->min[i] = UINT32_MAX;
	out->n_shingles = 0;
	if (an->field_len[SL_FIELD_BODY] == 0)
		field = SL_FIELD_TITLE;
	for (size_t i = 0; i < an->n_tokens; i++)
		n_tok += an->tokens[i].field == field;
	if (n_tok == 0)
		return;
	sh = sl_malloc((n_tok > SHINGLE ? n_tok : 1) * sizeof(*sh));
	{
		uint64_t win[SHINGLE] = {0};
		size_t seen = 0;

		for (size_t i = 0; i < an->n_tokens; i++) {
			const sl_token *t = &an->tokens[i];

			if (t->field != field)
				continue;
			memmove(win, win + 1, (SHINGLE - 1) * sizeof(*win));
			win[SHINGLE - 1] = an->terms[t->term].id;
			if (++seen < SHINGLE)
				continue;
			uint64_t h = 0;

			for (unsigned k = 0; k < SHINGLE; k++)
				h = mix(h ^ win[k]);
			sh[n++] = h;
		}
		if (n == 0) { /* shorter than one shingle: the words */
			uint64_t h = 0;

			for (size_t k = 0; k < seen && k < SHINGLE; k++)
				h = mix(h ^ win[SHINGLE - 1 - k]);
			sh[n++] = h;
		}
	}
	qsort(sh, n, sizeof(*sh), cmp_u64);
	for (size_t i = 0; i < n; i++) {
		if (i && sh[i] == sh[i - 1])
			continue;
		distinct++;
		for (unsigned k = 0; k < SL_MINHASH; k++) {
			uint32_t v = (uint32_t)(((sh[i] ^ seed[k]) * mult[k]) >> 32);

			if (v < out->min[k])
				out->min[k] = v;
		}
	}
	out->n_shingles = (uint32_t)distinct;
	free(sh);
}

double sl_fingerprint_jaccard(const sl_fingerprint *a, const sl_fingerprint *b)
{
	unsigned same = 0;

	if (!a->n_shingles || !b->n_shingles)
		return 0;
	for (unsigned i = 0; i < SL_MINHASH; i++)
		same += a->min[i] == b->min[i];
	return (double)same / SL_MINHASH;
}

double sl_fingerprint_containment(const sl_fingerprint *a,
				  const sl_fingerprint *b)
{
	double j = sl_fingerprint_jaccard(a, b);
	double na = a->n_shingles, nb = b->n_shingles;
	double small = na < nb ? na : nb, c;

	if (small == 0)
		return 0;
	/* |A n B| = J |A u B| and |A u B| = |A| + |B| - |A n B|. */
	c = j * (na + nb) / (1 + j) / small;
	return c > 1 ? 1 : c;
}

int sl_fingerprint_is_copy(const sl_fingerprint *a, const sl_fingerprint *b)
{
	double na = a->n_shingles, nb = b->n_shingles;
	double small = na < nb ? na : nb, large = na < nb ? nb : na;

	if (small == 0)
		return 0;
	if (sl_fingerprint_jaccard(a, b) >= COPY_NEAR_IDENTICAL)
		return 1;
	return small >= COPY_MIN_SHINGLES && small >= COPY_MIN_RATIO * large &&
	       sl_fingerprint_containment(a, b) >= COPY_CONTAINMENT;
}

/* ------------------------------------------------------------------ */
/* LSH                                                                 */

typedef struct bucket {
	uint32_t *items;
	size_t n, cap;
} bucket;

struct sl_lsh {
	sl_hmap keys; /* band key -> bucket */
	bucket *buckets;
	size_t n_buckets, cap_buckets;
	uint32_t *mark; /* per item: last query that saw it */
	size_t cap_mark;
	uint32_t query;
};

static uint64_t band_key(const sl_fingerprint *fp, unsigned band)
{
	uint64_t h = mix(band + 1);

	for (unsigned r = 0; r < ROWS; r++)
		h = mix(h ^ fp->min[band * ROWS + r]);
	return h;
}

sl_lsh *sl_lsh_new(void)
{
	return sl_calloc(1, sizeof(sl_lsh));
}

void sl_lsh_clear(sl_lsh *l)
{
	for (size_t i = 0; i < l->n_buckets; i++)
		free(l->buckets[i].items);
	l->n_buckets = 0;
	sl_hmap_clear(&l->keys);
}

void sl_lsh_free(sl_lsh *l)
{
	if (!l)
		return;
	sl_lsh_clear(l);
	sl_hmap_free(&l->keys);
	free(l->buckets);
	free(l->mark);
	free(l);
}

void sl_lsh_add(sl_lsh *l, uint32_t item, const sl_fingerprint *fp)
{
	if (!fp->n_shingles)
		return;
	for (unsigned b = 0; b < BANDS; b++) {
		uint64_t key = band_key(fp, b);
		uint32_t i = sl_hmap_get(&l->keys, key);
		bucket *bk;

		if (i == SL_HMAP_NONE) {
			sl_grow(&l->buckets, &l->cap_buckets, l->n_buckets + 1,
				sizeof(*l->buckets));
			i = (uint32_t)l->n_buckets++;
			memset(&l->buckets[i], 0, sizeof(bucket));
			sl_hmap_put(&l->keys, key, i, 0);
		}
		bk = &l->buckets[i];
		sl_grow(&bk->items, &bk->cap, bk->n + 1, sizeof(*bk->items));
		bk->items[bk->n++] = item;
	}
	if (item >= l->cap_mark) {
		size_t old = l->cap_mark;

		sl_grow(&l->mark, &l->cap_mark, (size_t)item + 1,
			sizeof(*l->mark));
		memset(l->mark + old, 0, (l->cap_mark - old) * sizeof(*l->mark));
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

size_t sl_lsh_candidates(sl_lsh *l, const sl_fingerprint *fp, uint32_t **out,
			 size_t *cap)
{
	size_t n = 0;

	if (!fp->n_shingles)
		return 0;
	if (++l->query == 0) { /* wrapped: forget old marks */
		memset(l->mark, 0, l->cap_mark * sizeof(*l->mark));
		l->query = 1;
	}
	for (unsigned b = 0; b < BANDS; b++) {
		uint32_t i = sl_hmap_get(&l->keys, band_key(fp, b));

		if (i == SL_HMAP_NONE)
			continue;
		for (size_t k = 0; k < l->buckets[i].n; k++) {
			uint32_t item = l->buckets[i].items[k];

			if (l->mark[item] == l->query)
				continue;
			l->mark[item] = l->query;
			sl_grow(out, cap, n + 1, sizeof(**out));
			(*out)[n++] = item;
		}
	}
	if (n > 1)
		qsort(*out, n, sizeof(**out), cmp_u32);
	return n;
}
