/* test_url.c - sl_url_canonical: the URL form that identifies an article. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "storyline.h"

/* Canonical form of url, asserting that it is accepted. */
static void expect_canonical(const char *url, const char *want)
{
	char *got = NULL;
	int rc = sl_url_canonical(&got, url);

	cr_assert_eq(rc, 0, "rejected \"%s\": %s", url, sl_error_last());
	cr_assert_str_eq(got, want, "canonical form of \"%s\"", url);
	free(got);
}

static void expect_rejected(const char *url)
{
	char *got = (char *)"untouched";
	int rc = sl_url_canonical(&got, url);

	cr_assert_eq(rc, SL_EINVAL, "\"%s\" gave %d", url, rc);
	cr_assert_null(got, "no output for a rejected URL");
	cr_assert_neq(sl_error_last()[0], '\0', "a message says why");
}

Test(url, plain_url_unchanged)
{
	expect_canonical("https://example.com/world/2026/summit.html",
			 "https://example.com/world/2026/summit.html");
}

Test(url, scheme_and_host_lower_cased_path_kept)
{
	expect_canonical("HTTPS://News.Example.COM/World/Summit",
			 "https://news.example.com/World/Summit");
}

Test(url, empty_path_becomes_slash)
{
	expect_canonical("https://example.com", "https://example.com/");
	expect_canonical("https://example.com?id=4",
			 "https://example.com/?id=4");
}

Test(url, fragment_removed)
{
	expect_canonical("https://example.com/a#comments",
			 "https://example.com/a");
	expect_canonical("https://example.com/a?id=4#top",
			 "https://example.com/a?id=4");
	/* After '#' nothing is a query any more. */
	expect_canonical("https://example.com/a#x?id=4",
			 "https://example.com/a");
}

Test(url, default_port_removed)
{
	expect_canonical("http://example.com:80/a", "http://example.com/a");
	expect_canonical("https://example.com:443/a", "https://example.com/a");
	expect_canonical("https://example.com:/a", "https://example.com/a");
}

Test(url, other_port_kept)
{
	expect_canonical("https://example.com:8443/a",
			 "https://example.com:8443/a");
	/* 443 is only the default of https. */
	expect_canonical("http://example.com:443/a",
			 "http://example.com:443/a");
}

Test(url, utm_parameters_removed_in_any_case)
{
	expect_canonical("https://example.com/a?utm_source=nl&utm_medium="
			 "email&UTM_Campaign=x",
			 "https://example.com/a");
}

Test(url, click_ids_removed)
{
	expect_canonical("https://example.com/a?fbclid=IwAR0&gclid=Cj0&"
			 "msclkid=1&igshid=2",
			 "https://example.com/a");
}

Test(url, other_parameters_kept_in_order)
{
	expect_canonical("https://example.com/a?b=2&utm_source=x&a=1&fbclid=z",
			 "https://example.com/a?b=2&a=1");
}

Test(url, parameter_only_prefixed_like_tracking_kept)
{
	/* "utm" without the underscore, and names that merely start like a
	 * click id, can name content. */
	expect_canonical("https://example.com/a?utm=1&gclidx=2&page=3",
			 "https://example.com/a?utm=1&gclidx=2&page=3");
}

Test(url, tracking_parameter_without_value_removed)
{
	expect_canonical("https://example.com/a?fbclid&id=7",
			 "https://example.com/a?id=7");
}

Test(url, percent_escapes_upper_cased)
{
	expect_canonical("https://example.com/caf%c3%a9?q=%e2%82%ac",
			 "https://example.com/caf%C3%A9?q=%E2%82%AC");
}

Test(url, broken_percent_escape_kept)
{
	expect_canonical("https://example.com/100%zz%4",
			 "https://example.com/100%zz%4");
}

Test(url, outer_white_space_trimmed)
{
	expect_canonical("  \thttps://example.com/a \r\n",
			 "https://example.com/a");
}

Test(url, user_info_kept_host_lower_cased)
{
	expect_canonical("http://Reader:Secret@Example.com/a",
			 "http://Reader:Secret@example.com/a");
}

Test(url, ipv6_literal)
{
	expect_canonical("http://[2001:DB8::1]:8080/a",
			 "http://[2001:db8::1]:8080/a");
	expect_canonical("http://[::1]:80/a", "http://[::1]/a");
}

Test(url, two_spellings_of_one_article_agree)
{
	char *a = NULL, *b = NULL;

	cr_assert_eq(sl_url_canonical(&a, "HTTPS://Example.com:443/story?id=9"
					  "&utm_source=tw#c"),
		     0);
	cr_assert_eq(sl_url_canonical(&b, "https://example.com/story?fbclid="
					  "x&id=9"),
		     0);
	cr_assert_str_eq(a, b);
	free(a);
	free(b);
}

Test(url, not_http_rejected)
{
	expect_rejected("ftp://example.com/a");
	expect_rejected("mailto:editor@example.com");
	expect_rejected("javascript:alert(1)");
	expect_rejected("//example.com/a");
	expect_rejected("example.com/a");
	expect_rejected("/world/summit.html");
	expect_rejected("");
	expect_rejected("   ");
}

Test(url, scheme_without_host_rejected)
{
	expect_rejected("http://");
	expect_rejected("https://");
	expect_rejected("https:///a");
	expect_rejected("https://?a=1");
	expect_rejected("https://:8080/a");
	expect_rejected("https://user@/a");
}

Test(url, bad_port_rejected)
{
	expect_rejected("https://example.com:99999/a");
	expect_rejected("https://example.com:8o8o/a");
	expect_rejected("https://example.com:-1/a");
	expect_rejected("https://example.com:99999999999999999999/a");
}

Test(url, bad_ipv6_literal_rejected)
{
	expect_rejected("http://[::1/a");
	expect_rejected("http://[::1]x/a");
}

Test(url, null_rejected)
{
	expect_rejected(NULL);
}
