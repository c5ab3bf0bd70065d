/*
 * civil.h - calendar arithmetic shared by the time readers (util/time.c,
 * date.c): days since the epoch of a civil date and back, month lengths.
 * Howard Hinnant's algorithms; no locale, no TZ, no range surprises.
 */
#ifndef SL_CIVIL_H
#define SL_CIVIL_H

#include <stdint.h>

/* The times Storyline reads and writes: years 0000 to 9999, UTC. */
#define SL_TIME_MIN (-62167219200LL) /* 0000-01-01T00:00:00Z */
#define SL_TIME_MAX (253402300799LL) /* 9999-12-31T23:59:59Z */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
int64_t sl_days_from_civil(int64_t y, int m, int d);

/* The civil date of a day number. */
void sl_civil_from_days(int64_t z, int64_t *y, int *m, int *d);

/* Days in month m (1-12) of year y. */
int sl_days_in_month(int64_t y, int m);

#endif
