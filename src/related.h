/*
 * related.h - the rail's choice of items, apart from where candidates
 * come from, so that it can be tested on hand-made cases.
 */
#ifndef SL_RELATED_H
#define SL_RELATED_H

#include <stddef.h>
#include <stdint.h>

#include "story.h"

/* A candidate item of a rail. */
typedef struct sl_rail_cand {
	const char *id, *outlet; /* outlet may be NULL */
	int64_t story;		 /* 0: a story of its own */
	int64_t time;
	double score;
	const sl_vec *vec;
	const void *data; /* the caller's */
	int tier; /* 0: close to the article; 1: on its subject only: every
		   * tier-0 item comes before every tier-1 item */
} sl_rail_cand;

/* One candidate per story (the best: the lower tier, then the higher
 * score; ties: the freshest, then the smaller id), best first. Returns how many are left in c. */
size_t sl_rail_collapse(sl_rail_cand *c, size_t n);

/*
 * Up to limit of the collapsed candidates, by score less a penalty for
 * likeness to those already chosen (MMR); a candidate almost the same as
 * a chosen one is dropped, and no outlet gets more than a third of the
 * rail (rounded up) while others have candidates left: its further items
 * come after all of theirs. Indexes into c go to chosen; returns how
 * many.
 */
size_t sl_rail_diversify(const sl_rail_cand *c, size_t n, size_t limit,
			 size_t *chosen);

#endif
