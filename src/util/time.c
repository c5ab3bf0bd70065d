/*
 * time.c - RFC 3339 / ISO 8601 times to and from seconds since the epoch.
 *
 * Civil-date arithmetic is done here (Howard Hinnant's days_from_civil)
 * rather than with timegm/mktime: no locale, no TZ variable, no range
 * surprises on hostile input.
 */
#include <stdio.h>
#include <string.h>

#include "../error.h"
#include "civil.h"
#include "storyline.h"

int64_t sl_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void sl_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int sl_days_in_month(int64_t y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 ? 28 + leap : days[m - 1];
}

/* Read exactly n digits at *p. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

int sl_time_parse(int64_t *out, const char *text)
{
	const char *p = text;
	int year, mon, day, hour = 0, min = 0, sec = 0, off = 0;
	int64_t t;

	while (*p == ' ' || *p == '\t')
		p++;
	if (digits(&p, 4, &year) || *p++ != '-' || digits(&p, 2, &mon) ||
	    *p++ != '-' || digits(&p, 2, &day))
		goto bad;
	if (mon < 1 || mon > 12 || day < 1 || day > sl_days_in_month(year, mon))
		goto bad;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		if (digits(&p, 2, &hour) || *p++ != ':' || digits(&p, 2, &min))
			goto bad;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &sec))
				goto bad;
			if (*p == '.' || *p == ',') {
				p++;
				if (*p < '0' || *p > '9')
					goto bad;
				while (*p >= '0' && *p <= '9')
					p++;
			}
		}
		if (hour > 24 || min > 59 || sec > 60 ||
		    (hour == 24 && (min || sec)))
			goto bad;
		if (sec == 60) /* a leap second is the last second */
			sec = 59;
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int sign = *p++ == '-' ? -1 : 1, oh, om = 0;

			if (digits(&p, 2, &oh))
				goto bad;
			if (*p == ':')
				p++;
			if (*p >= '0' && *p <= '9' && digits(&p, 2, &om))
				goto bad;
			if (oh > 23 || om > 59)
				goto bad;
			off = sign * (oh * 3600 + om * 60);
		}
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p)
		goto bad;
	t = sl_days_from_civil(year, mon, day) * 86400 + hour * 3600 + min * 60 +
	    sec - off;
	/* RFC 3339 cannot write years past 9999 ("9999-12-31T24:00Z"). */
	if (t > SL_TIME_MAX || t < SL_TIME_MIN)
		goto bad;
	*out = t;
	return 0;
bad:
	return sl_error_set(SL_EINVAL, "not an RFC 3339 time: \"%.40s\"",
			    text);
}

int sl_time_parse_bound(int64_t *out, const char *text, int end_of_day)
{
	char buf[32];

	if (strlen(text) == 10) {
		snprintf(buf, sizeof(buf), "%sT%s", text,
			 end_of_day ? "23:59:59Z" : "00:00:00Z");
		text = buf;
	}
	if (sl_time_parse(out, text) < 0)
		return sl_error_set(SL_EINVAL,
				    "bad date \"%.40s\": use 2026-11-20 or "
				    "2026-11-20T10:00:00Z",
				    text);
	return 0;
}

void sl_time_format(char buf[21], int64_t t)
{
	int64_t days = t / 86400, rem = t % 86400, y;
	int m, d;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	sl_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		/* Outside what RFC 3339 can write: clamp, never overflow. */
		memcpy(buf, y < 0 ? "0000-01-01T00:00:00Z" :
				    "9999-12-31T23:59:59Z", 21);
		return;
	}
	snprintf(buf, 21, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)y, m, d,
		 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}
