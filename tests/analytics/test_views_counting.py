"""What counts as a view: people reading, not robots, prefetches, HEAD, the author or staff."""

import pytest

from broadsheet.content.models import Post

BROWSER_UA = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Safari/605.1.15"
)


@pytest.fixture
def views_of(flush_views):
    def views(post) -> int:
        flush_views()
        return Post.objects.get(pk=post.pk).view_count

    return views


def test_each_request_by_a_reader_counts_once(client, post, views_of):
    for _ in range(3):
        client.get(post.get_absolute_url(), HTTP_USER_AGENT=BROWSER_UA)

    assert views_of(post) == 3


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "curl/8.5.0",
        "",
    ],
)
def test_crawlers_do_not_count(client, post, views_of, user_agent):
    client.get(post.get_absolute_url(), HTTP_USER_AGENT=user_agent)

    assert views_of(post) == 0


def test_prefetches_and_head_requests_do_not_count(client, post, views_of):
    client.get(post.get_absolute_url(), HTTP_USER_AGENT=BROWSER_UA, HTTP_SEC_PURPOSE="prefetch")
    client.head(post.get_absolute_url(), HTTP_USER_AGENT=BROWSER_UA)

    assert views_of(post) == 0


def test_the_author_and_staff_do_not_count(client, post, views_of, make_author):
    client.force_login(post.author)
    client.get(post.get_absolute_url(), HTTP_USER_AGENT=BROWSER_UA)
    client.force_login(make_author("Ed Itor", is_staff=True))
    client.get(post.get_absolute_url(), HTTP_USER_AGENT=BROWSER_UA)
    client.force_login(make_author("Some Member"))
    client.get(post.get_absolute_url(), HTTP_USER_AGENT=BROWSER_UA)

    assert views_of(post) == 1


def test_the_page_shows_the_written_count(client, post, flush_views):
    Post.objects.filter(pk=post.pk).update(view_count=21)
    client.get(post.get_absolute_url(), HTTP_USER_AGENT=BROWSER_UA)
    flush_views()

    page = client.get(post.get_absolute_url(), HTTP_USER_AGENT=BROWSER_UA).content.decode()

    assert "22 views" in page


def test_behind_a_proxy_readers_are_told_apart_by_the_forwarded_address(
    client, post, flush_views, settings
):
    from broadsheet.analytics.models import ReaderMark

    settings.BROADSHEET_BEHIND_PROXY = True
    for address in ("198.51.100.1", "198.51.100.2"):
        client.get(
            post.get_absolute_url(),
            HTTP_USER_AGENT=BROWSER_UA,
            # What the client wrote itself, then what the proxy appended.
            HTTP_X_FORWARDED_FOR=f"203.0.113.9, {address}",
        )
    flush_views()

    assert ReaderMark.objects.filter(post=post).count() == 2
