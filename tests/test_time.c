/* test_time.c - sl_time_parse and sl_time_format (RFC 3339 times). */
#include <criterion/criterion.h>
#include <string.h>

#include "storyline.h"

/* 2026-11-20T08:15:00Z */
#define SUMMIT 1795162500LL

static int64_t parsed(const char *text)
{
	int64_t t = 0;
	int rc = sl_time_parse(&t, text);

	cr_assert_eq(rc, 0, "rejected \"%s\": %s", text, sl_error_last());
	return t;
}

static void expect_rejected(const char *text)
{
	int64_t t = 0;

	cr_assert_eq(sl_time_parse(&t, text), SL_EINVAL, "accepted \"%s\"",
		     text);
	cr_assert_neq(sl_error_last()[0], '\0', "a message says why");
}

static void expect_format(int64_t t, const char *want)
{
	char buf[21];

	memset(buf, 'x', sizeof(buf));
	sl_time_format(buf, t);
	cr_assert_str_eq(buf, want, "format of %lld", (long long)t);
}

Test(time, utc)
{
	cr_assert_eq(parsed("2026-11-20T08:15:00Z"), SUMMIT);
	cr_assert_eq(parsed("1970-01-01T00:00:00Z"), 0);
}

Test(time, offsets_moved_to_utc)
{
	cr_assert_eq(parsed("2026-11-20T09:15:00+01:00"), SUMMIT);
	cr_assert_eq(parsed("2026-11-20T03:15:00-05:00"), SUMMIT);
	cr_assert_eq(parsed("2026-11-20T13:45:00+05:30"), SUMMIT);
	cr_assert_eq(parsed("2026-11-20T09:15:00+0100"), SUMMIT);
	cr_assert_eq(parsed("2026-11-20T09:15:00+01"), SUMMIT);
	cr_assert_eq(parsed("2026-11-20T08:15:00+00:00"), SUMMIT);
}

Test(time, offset_crosses_the_date)
{
	/* 23:30 at -05:00 is the next day in UTC. */
	cr_assert_eq(parsed("2026-11-20T23:30:00-05:00"),
		     SUMMIT + (15 * 3600 + 15 * 60) + 5 * 3600);
}

Test(time, no_zone_is_utc)
{
	cr_assert_eq(parsed("2026-11-20T08:15:00"), SUMMIT);
}

Test(time, lenient_spellings)
{
	cr_assert_eq(parsed("2026-11-20 08:15:00Z"), SUMMIT);
	cr_assert_eq(parsed("2026-11-20t08:15:00z"), SUMMIT);
	cr_assert_eq(parsed("2026-11-20T08:15Z"), SUMMIT);
	cr_assert_eq(parsed("  2026-11-20T08:15:00Z\t"), SUMMIT);
}

Test(time, fraction_of_a_second_dropped)
{
	cr_assert_eq(parsed("2026-11-20T08:15:00.999Z"), SUMMIT);
	cr_assert_eq(parsed("2026-11-20T08:15:00,5+00:00"), SUMMIT);
}

Test(time, date_alone_is_midnight_utc)
{
	cr_assert_eq(parsed("2026-11-20"), SUMMIT - (8 * 3600 + 15 * 60));
}

Test(time, leap_days)
{
	cr_assert_eq(parsed("2024-02-29T00:00:00Z"), 1709164800);
	cr_assert_eq(parsed("2000-02-29T00:00:00Z") + 86400,
		     parsed("2000-03-01T00:00:00Z"));
	expect_rejected("2026-02-29T00:00:00Z");
	expect_rejected("1900-02-29T00:00:00Z");
}

Test(time, before_1970)
{
	cr_assert_eq(parsed("1969-12-31T23:59:59Z"), -1);
	cr_assert_eq(parsed("1900-01-01T00:00:00Z"), -2208988800LL);
}

Test(time, end_of_day_and_leap_second)
{
	cr_assert_eq(parsed("2026-11-20T24:00:00Z"), parsed("2026-11-21"));
	cr_assert_eq(parsed("2016-12-31T23:59:60Z"),
		     parsed("2016-12-31T23:59:59Z"));
}

Test(time, impossible_fields_rejected)
{
	expect_rejected("2026-13-01T00:00:00Z");
	expect_rejected("2026-00-10T00:00:00Z");
	expect_rejected("2026-04-31T00:00:00Z");
	expect_rejected("2026-11-00T00:00:00Z");
	expect_rejected("2026-11-20T25:00:00Z");
	expect_rejected("2026-11-20T24:00:01Z");
	expect_rejected("2026-11-20T08:60:00Z");
	expect_rejected("2026-11-20T08:15:61Z");
	expect_rejected("2026-11-20T08:15:00+24:00");
	expect_rejected("2026-11-20T08:15:00+01:60");
}

Test(time, malformed_rejected)
{
	expect_rejected("");
	expect_rejected("yesterday");
	expect_rejected("Fri, 20 Nov 2026 08:15:00 GMT");
	expect_rejected("20-11-2026");
	expect_rejected("2026/11/20");
	expect_rejected("2026-1-20");
	expect_rejected("2026-11-20T");
	expect_rejected("2026-11-20T8:15:00Z");
	expect_rejected("2026-11-20T08:15:00.Z");
	expect_rejected("2026-11-20T08:15:00+1");
	expect_rejected("2026-11-20T08:15:00Z junk");
	expect_rejected("2026-11-20Z");
}

Test(time, format_utc)
{
	expect_format(SUMMIT, "2026-11-20T08:15:00Z");
	expect_format(0, "1970-01-01T00:00:00Z");
	expect_format(-1, "1969-12-31T23:59:59Z");
	expect_format(1709164800, "2024-02-29T00:00:00Z");
}

Test(time, format_clamps_outside_four_digit_years)
{
	expect_format(253402300799LL, "9999-12-31T23:59:59Z");
	expect_format(253402300800LL, "9999-12-31T23:59:59Z");
	expect_format(INT64_MAX, "9999-12-31T23:59:59Z");
	expect_format(-62167219200LL, "0000-01-01T00:00:00Z");
	expect_format(-62167219201LL, "0000-01-01T00:00:00Z");
	expect_format(INT64_MIN, "0000-01-01T00:00:00Z");
}

Test(time, format_then_parse_round_trips)
{
	/* A spread of instants from year 0 to 9999, odd seconds included. */
	for (int64_t t = -62167219200LL; t <= 253402300799LL;
	     t += 86400LL * 997 + 3607) {
		char buf[21];
		int64_t back = 0;

		sl_time_format(buf, t);
		cr_assert_eq(sl_time_parse(&back, buf), 0, "%s", buf);
		cr_assert_eq(back, t, "%s", buf);
	}
}
