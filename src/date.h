/*
 * date.h - dates as feeds and web pages write them (RFC 3339 / ISO 8601,
 * RFC 822 / 1123 / 2822 as feeds really write them, and day-month-year
 * dates in English, German, French, Spanish, Italian, Portuguese and
 * Dutch), read into seconds since the epoch. Internal: the readers of
 * feeds and pages call it; the public API keeps sl_time_parse for the
 * strict form.
 */
#ifndef SL_DATE_H
#define SL_DATE_H

#include <stdint.h>

/*
 * Parse a date as feeds and pages write it; 0 and *out (seconds since the
 * epoch, UTC), or SL_EINVAL (with sl_error_set message) when it is not a
 * date. *out is written only on success.
 *
 * Accepted (case-insensitive words, surrounding blanks, a trailing
 * "(comment)" or several):
 * - everything sl_time_parse accepts, with the same result;
 * - ISO 8601 dates with '-', '/' or '.' ("2026/11/20", one-digit month
 *   and day allowed), compact "20261120" and "20261120T091500Z", a 'T' or
 *   blanks before the time, blanks before the zone, named zones;
 * - RFC 822 family: "[Day,] D Mon YYYY [hh:mm[:ss] [zone]]" with a two-
 *   or four-digit year, '-' or '/' between the parts (RFC 850), the
 *   month-first forms "Nov 20, 2026", JavaScript's
 *   "Fri Nov 20 2026 09:15:00 GMT+0100 (CET)" and asctime's
 *   "Fri Nov 20 09:15:00 [UTC] 2026";
 * - month and day names in en, de, fr, es, it, pt, nl (full, abbreviated
 *   with or without '.', any prefix of three letters or more that names
 *   one month), "20. November 2026", "20 de noviembre de 2026",
 *   "1er novembre", "20.11.2026", "9:15 p.m.", "09:15 Uhr", "at 9:15".
 * Day names are skipped unchecked; a missing zone is UTC. The zone names,
 * the military letters and the two-digit years are read as date.c
 * documents. Refused: anything else, impossible dates and times, years
 * outside 0000-9999, and instants that fall outside them once moved to
 * UTC.
 */
int sl_date_parse(int64_t *out, const char *text);

#endif
