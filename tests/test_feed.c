/* test_feed.c - feeds read from the fixtures (tests/fixtures/feeds, whose
 * README lists what each holds), OPML both ways, feed discovery, and the
 * address check that keeps fetches off private networks. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "fetch.h"
#include "storyline.h"

#define FIXTURES "tests/fixtures/feeds/"
#define BASE "http://127.0.0.1:8000"

/* A fixture with {{BASE}} filled in, as the test server sends it. */
static char *fixture(const char *name, size_t *len)
{
	char path[256], *data, *out, *p;
	FILE *fp;
	long n;
	size_t k = 0;

	snprintf(path, sizeof(path), FIXTURES "%s", name);
	fp = fopen(path, "rb");
	cr_assert_not_null(fp, "cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	data = malloc((size_t)n + 1);
	cr_assert_eq(fread(data, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	data[n] = '\0';
	out = malloc((size_t)n * 2 + 1);
	for (p = data; *p;) {
		if (!strncmp(p, "{{BASE}}", 8)) {
			memcpy(out + k, BASE, strlen(BASE));
			k += strlen(BASE);
			p += 8;
		} else {
			out[k++] = *p++;
		}
	}
	out[k] = '\0';
	free(data);
	*len = k;
	return out;
}

static sl_feed *parse(const char *name, const char *url, const char *charset)
{
	size_t len;
	char *data = fixture(name, &len);
	sl_feed *f = NULL;
	int rc = sl_feed_parse(&f, data, len, url, charset);

	cr_assert_eq(rc, 0, "%s: %s", name, sl_error_last());
	free(data);
	return f;
}

static void expect_time(int64_t t, const char *want, const char *what)
{
	char got[21] = "(none)";

	if (t != SL_TIME_NONE)
		sl_time_format(got, t);
	cr_expect_str_eq(got, want, "%s", what);
}

static int has_category(const sl_feed_item *it, const char *c)
{
	for (size_t i = 0; i < it->n_categories; i++)
		if (!strcmp(it->categories[i], c))
			return 1;
	return 0;
}

Test(feed, rss2)
{
	sl_feed *f = parse("rss2.xml", BASE "/rss2.xml", NULL);
	const sl_feed_item *it;

	cr_assert_eq(f->kind, SL_FEED_RSS);
	cr_assert_eq(f->n_items, 4);
	cr_expect_eq(f->ttl_minutes, 15);
	cr_expect_str_eq(f->lang, "en-gb");
	it = &f->items[0];
	cr_expect_str_eq(it->title, "Lifeboat crew rescues four from stricken "
				    "yacht off Gull Point");
	/* no <link>: the permalink guid is the link */
	cr_expect_str_eq(it->link, "https://www.harbourtimes.example/news/"
				   "2026/11/25/gull-point-yacht-rescue");
	expect_time(it->published, "2026-11-25T22:30:00Z", "EST date");
	cr_expect_str_eq(it->author, "Amira Holt, Tom Hale");
	cr_expect(has_category(it, "Emergency services"));
	cr_expect(it->image && strstr(it->image, "gull-point-lifeboat-1280"));
	cr_expect(it->content && !it->content_text, "content:encoded");
	/* the teaser: its link is its "Read more" */
	it = &f->items[1];
	cr_expect_str_eq(it->link, BASE "/teaser-page.html");
	cr_expect_str_eq(it->guid, "tag:harbourtimes.example,2026-11-25:news/"
				   "library-closures");
	expect_time(it->published, "2026-11-25T08:05:00Z", "no seconds");
	cr_expect_null(it->content);
	/* a relative link, resolved against the channel's */
	it = &f->items[2];
	cr_expect_str_eq(it->link, "https://www.harbourtimes.example/news/"
				   "2026/11/24/ferry-timetable-cut");
	expect_time(it->published, "2026-11-24T13:40:00Z", "+0100");
	cr_expect_str_eq(it->author, "Sam Poe", "email (Name)");
	sl_feed_free(f);
}

Test(feed, rss091_without_guids_or_dates)
{
	sl_feed *f = parse("rss091.xml", NULL, NULL);

	cr_assert_eq(f->n_items, 3);
	cr_expect_null(f->items[0].guid);
	cr_expect_str_eq(f->items[0].link, "http://www.kellmouthpost.example/"
					   "stories/bakery-centenary.html");
	cr_expect_eq(f->items[0].published, SL_TIME_NONE);
	cr_expect_eq(f->bad_dates, 0);
	sl_feed_free(f);
}

Test(feed, rdf_by_namespace_not_prefix)
{
	sl_feed *f = parse("rdf.xml", NULL, NULL);

	cr_assert_eq(f->kind, SL_FEED_RDF);
	cr_assert_eq(f->n_items, 3);
	cr_expect_str_eq(f->items[0].title, "Osprey Mobile shareholders "
					    "approve Brightline takeover");
	/* dc: is bound to another namespace in this file, holding decoys */
	expect_time(f->items[0].published, "2026-11-26T08:45:30Z", "dc:date");
	cr_expect_str_eq(f->items[0].author, "Sam Poe");
	expect_time(f->items[2].published, "2026-11-24T06:30:00Z", "dc:date");
	cr_expect(f->items[2].content != NULL, "content:encoded, other prefix");
	for (size_t i = 0; i < f->n_items; i++)
		cr_expect(!has_category(&f->items[i], "legacy-import"));
	sl_feed_free(f);
}

Test(feed, atom)
{
	sl_feed *f = parse("atom.xml", BASE "/atom.xml", NULL);
	const sl_feed_item *it;

	cr_assert_eq(f->kind, SL_FEED_ATOM);
	cr_assert_eq(f->n_items, 4);
	/* only <updated>, and the feed's author */
	it = &f->items[0];
	cr_expect_eq(it->published, SL_TIME_NONE);
	expect_time(it->updated, "2026-11-26T06:30:00Z", "updated");
	cr_expect_str_eq(it->author, "Northfield Gazette Newsdesk");
	/* nested xml:base, two authors, an enclosure image */
	it = &f->items[3];
	cr_expect_str_eq(it->link, "https://www.northfieldgazette.example/"
				   "news/2026/11/mill-fire-destroys-grain-store");
	expect_time(it->published, "2026-11-24T18:20:00Z", "published");
	cr_expect_str_eq(it->author, "Priya Nair, Owen Tully");
	cr_expect_not_null(it->image);
	sl_feed_free(f);
}

Test(feed, json_feed)
{
	sl_feed *f = parse("feed.json", BASE "/feed.json", NULL);

	cr_assert_eq(f->kind, SL_FEED_JSON);
	cr_assert_eq(f->n_items, 3);
	cr_expect_str_eq(f->items[0].title, "Dunmore flood defences to be "
					    "reviewed after Storm Orla");
	expect_time(f->items[0].published, "2026-11-26T08:00:00Z", "json");
	cr_expect_str_eq(f->items[0].author, "Rosa Calder, Ben Ashdown");
	cr_expect_str_eq(f->items[2].guid, "1190", "a number id");
	sl_feed_free(f);

	f = parse("feed10.json", NULL, NULL);
	cr_assert_eq(f->n_items, 2);
	cr_expect_str_eq(f->items[0].author, "Dev Kapoor");
	expect_time(f->items[0].published, "2026-11-26T17:00:00Z", "1.0");
	sl_feed_free(f);
}

Test(feed, broken_keeps_the_items_before_the_break)
{
	sl_feed *f = parse("broken.xml", NULL, NULL);

	cr_expect_eq(f->n_items, 3, "the cut-off fourth item is dropped");
	cr_expect_not_null(f->error, "the break is reported");
	sl_feed_free(f);
}

Test(feed, character_sets)
{
	sl_feed *f = parse("latin1.xml", NULL, NULL);

	cr_assert_eq(f->n_items, 2);
	cr_expect_str_eq(f->items[0].title, "Valmont : la crue de la Lisi\xc3"
					    "\xa8re inonde la place du March"
					    "\xc3\xa9");
	cr_expect_str_eq(f->items[0].author, "\xc3\x89lodie Fournier");
	sl_feed_free(f);
	f = parse("nocharset.xml", NULL, "windows-1252");
	cr_assert_eq(f->n_items, 2);
	cr_expect_str_eq(f->items[0].title,
			 "Caf\xc3\xa9 owner\xe2\x80\x99s \xe2\x80\x9cpay what "
			 "you can\xe2\x80\x9d lunches now feed 300 a week");
	sl_feed_free(f);
}

Test(feed, not_a_feed)
{
	size_t len;
	char *data = fixture("garbage.xml", &len);
	sl_feed *f = (sl_feed *)1;

	cr_expect_eq(sl_feed_parse(&f, data, len, NULL, NULL), SL_EINVAL);
	cr_expect_null(f);
	cr_expect(strstr(sl_error_last(), "not a feed") != NULL);
	free(data);
	cr_expect_eq(sl_feed_parse(&f, "", 0, NULL, NULL), SL_EINVAL);
	cr_expect_eq(sl_feed_parse(&f, "{\"items\":[]}", 12, NULL, NULL),
		     SL_EINVAL, "JSON without a jsonfeed.org version");
}

/* What libxml2 finds wrong goes into the error, never to stderr (a
 * server's log): bytes that look like a byte order mark of an encoding
 * it cannot read were reported before the reader had its handler. */
Test(feed, malformed_feeds_write_nothing_to_stderr,
     .init = cr_redirect_stderr)
{
	static const char ucs4[] = "\0<\0\0<?xml version=\"1.0\"?><rss>";
	static const char opml[] = "\0<\0\0<opml><body/></opml>";
	sl_feed *f = NULL;
	sl_opml_feed *feeds = NULL;
	size_t n = 0;

	if (sl_feed_parse(&f, ucs4, sizeof(ucs4) - 1,
			  "https://feeds.example.org/a", NULL) == 0)
		sl_feed_free(f);
	if (sl_opml_parse(&feeds, &n, opml, sizeof(opml) - 1) == 0)
		sl_opml_free(feeds, n);
	fflush(stderr);
	cr_assert_stderr_eq_str("");
}

Test(feed, discovery)
{
	size_t len, n;
	char *html = fixture("notfeed.html", &len), **links;

	cr_assert_eq(sl_feed_discover(&links, &n, html, len, BASE "/notfeed."
							     "html"),
		     0);
	cr_assert_eq(n, 2);
	cr_expect_str_eq(links[0], BASE "/rss2.xml");
	cr_expect_str_eq(links[1], BASE "/atom.xml");
	sl_strings_free(links, n);
	free(html);
}

Test(opml, import_nested_and_round_trip)
{
	size_t len, n, n2;
	char *data = fixture("feeds.opml", &len), *written;
	sl_opml_feed *feeds, *again;
	int world = 0, local = 0;

	cr_assert_eq(sl_opml_parse(&feeds, &n, data, len), 0);
	cr_assert_eq(n, 7);
	for (size_t i = 0; i < n; i++) {
		cr_expect(!strncmp(feeds[i].url, BASE, strlen(BASE)));
		world += feeds[i].category &&
			 !strcmp(feeds[i].category, "World");
		local += feeds[i].category &&
			 !strcmp(feeds[i].category, "Local");
	}
	cr_expect_eq(world, 3);
	cr_expect_eq(local, 3);
	written = sl_opml_write(feeds, n, "test");
	cr_assert_eq(sl_opml_parse(&again, &n2, written, strlen(written)), 0);
	cr_assert_eq(n2, n);
	for (size_t i = 0; i < n; i++) {
		cr_expect_str_eq(again[i].url, feeds[i].url);
#define SAME(f) cr_expect((!again[i].f && !feeds[i].f) || \
			  (again[i].f && feeds[i].f &&      \
			   !strcmp(again[i].f, feeds[i].f)), #f)
		SAME(title);
		SAME(site);
		SAME(category);
#undef SAME
	}
	sl_opml_free(feeds, n);
	sl_opml_free(again, n2);
	free(written);
	free(data);
}

static int private_v4(const char *ip)
{
	struct sockaddr_in a = {.sin_family = AF_INET};

	cr_assert_eq(inet_pton(AF_INET, ip, &a.sin_addr), 1);
	return sl_http_private_address(&a);
}

static int private_v6(const char *ip)
{
	struct sockaddr_in6 a = {.sin6_family = AF_INET6};

	cr_assert_eq(inet_pton(AF_INET6, ip, &a.sin6_addr), 1);
	return sl_http_private_address(&a);
}

Test(fetch, private_addresses)
{
	static const char *const refused[] = {
		"127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1",
		"172.31.255.255", "192.168.1.1", "169.254.169.254", "0.0.0.0",
		"100.64.0.1", "224.0.0.1", "255.255.255.255", NULL};
	static const char *const allowed[] = {"93.184.216.34", "8.8.8.8",
					      "172.32.0.1", "100.128.0.1",
					      NULL};

	for (const char *const *ip = refused; *ip; ip++)
		cr_expect(private_v4(*ip), "%s is private", *ip);
	for (const char *const *ip = allowed; *ip; ip++)
		cr_expect(!private_v4(*ip), "%s is public", *ip);
	cr_expect(private_v6("::1"));
	cr_expect(private_v6("::"));
	cr_expect(private_v6("fe80::1"));
	cr_expect(private_v6("fd00:ec2::254"), "cloud metadata over v6");
	cr_expect(private_v6("::ffff:127.0.0.1"), "v4-mapped loopback");
	cr_expect(private_v6("64:ff9b::a9fe:a9fe"), "NAT64 of metadata");
	cr_expect(private_v6("ff02::1"));
	cr_expect(!private_v6("2001:4860:4860::8888"));
}

Test(fetch, charset_of_content_type)
{
	char *c = sl_http_charset("application/rss+xml; charset=\"KOI8-R\"");

	cr_expect_str_eq(c, "KOI8-R");
	free(c);
	cr_expect_null(sl_http_charset("text/html"));
	cr_expect_null(sl_http_charset(NULL));
}
