"""Every feed parses cleanly with a real feed parser and says the right things."""

import calendar
import datetime
import time
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from broadsheet.comments.services import post_comment
from broadsheet.content.models import Post
from broadsheet.content.services import save_post
from broadsheet.core.models import SiteSettings
from broadsheet.core.services import save_site_settings
from broadsheet.feeds.feeds import FEED_SIZE

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
BASE = "http://testserver"


def as_utc(struct: time.struct_time) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(calendar.timegm(struct), tz=datetime.UTC)


def to_second(moment: datetime.datetime) -> datetime.datetime:
    """Feed dates are compared to the second: RSS dates carry no more than that."""
    return moment.astimezone(datetime.UTC).replace(microsecond=0)


@pytest.fixture
def site(publish, new_tag, make_writer):
    """Three public posts by two writers, one edited after publication, plus a draft and a
    scheduled post that must never be syndicated."""
    economy, politics = new_tag("Economy"), new_tag("Politics")
    bo = make_writer("Bo Other", slug="bo")
    posts = {
        "old": publish(
            "Old thinking",
            days_ago=10,
            tags=[politics, economy],
            body="The opening **claim**.\n\nA second paragraph, with evidence.",
        ),
        "new": publish("New thinking", days_ago=1, body="Fresh paragraph here."),
        "other": publish("Someone else", author=bo, days_ago=2, tags=[politics]),
        "draft": publish("Unfinished", status=Post.Status.DRAFT, tags=[economy]),
        "future": publish("Not yet", days_ago=-2, tags=[economy]),
    }
    old = posts["old"]
    old.body += "\n\nA correction."
    save_post(old, now=old.published_at + datetime.timedelta(days=1))
    assert old.updated_at is not None
    return {"posts": posts, "economy": economy, "politics": politics, "bo": bo}


@pytest.fixture
def named_site(db):
    save_site_settings(SiteSettings(title="The Test Gazette", description="News about tests."))


@pytest.mark.parametrize("name", ["rss", "atom"])
def test_site_feed_carries_full_posts_newest_first(read_feed, site, named_site, name):
    posts = site["posts"]

    feed = read_feed(reverse(f"feeds:{name}"))

    assert feed.feed.title == "The Test Gazette"
    assert feed.feed.subtitle == "News about tests."
    assert [e.title for e in feed.entries] == ["New thinking", "Someone else", "Old thinking"]
    for entry, key in zip(feed.entries, ["new", "other", "old"], strict=True):
        post = posts[key]
        url = f"{BASE}{post.get_absolute_url()}"
        assert entry.link == f"{url}?utm_source=feed"  # counted as arriving from a feed
        assert entry.id == url
        assert as_utc(entry.published_parsed) == to_second(post.published_at)
        assert as_utc(entry.updated_parsed) == to_second(post.updated_at or post.published_at)
        assert entry.summary == post.excerpt
    old = feed.entries[2]
    assert "A second paragraph, with evidence." in old.content[0].value
    assert "<strong>claim</strong>" in old.content[0].value
    assert "A correction." in old.content[0].value
    assert old.author == "Ada Writer"
    assert feed.entries[1].author == "Bo Other"
    assert [t.term for t in old.tags] == ["Economy", "Politics"]
    assert "tags" not in feed.entries[0]


def test_rss_uses_content_encoded_and_a_permalink_guid(client, site):
    root = ET.fromstring(client.get(reverse("feeds:rss")).content)

    item = root.find("channel/item")
    assert item.find("guid").get("isPermaLink") == "true"
    assert f"{item.find('guid').text}?utm_source=feed" == item.find("link").text
    assert "<p>Fresh paragraph here.</p>" in item.find(CONTENT_ENCODED).text


def test_atom_uses_html_content(client, site):
    root = ET.fromstring(client.get(reverse("feeds:atom")).content)

    content = root.find(f"{ATOM}entry/{ATOM}content")
    assert content.get("type") == "html"
    assert "<p>Fresh paragraph here.</p>" in content.text


@pytest.mark.parametrize("suffix", ["rss", "atom"])
def test_author_feed_has_only_that_authors_posts(client, read_feed, site, suffix):
    bo = site["bo"]

    theirs = read_feed(reverse(f"feeds:author_{suffix}", args=[bo.slug]))
    ada = read_feed(reverse(f"feeds:author_{suffix}", args=["ada"]))

    assert theirs.feed.title == "Bo Other · Broadsheet"
    assert [e.title for e in theirs.entries] == ["Someone else"]
    assert theirs.entries[0].link.startswith(f"{BASE}{site['posts']['other'].get_absolute_url()}?")
    assert "Some thoughtful analysis" in theirs.entries[0].content[0].value
    assert [e.title for e in ada.entries] == ["New thinking", "Old thinking"]
    assert client.get(reverse(f"feeds:author_{suffix}", args=["nobody"])).status_code == 404


def test_no_feed_for_an_inactive_author(client, site):
    site["bo"].is_active = False
    site["bo"].save()

    assert client.get(reverse("feeds:author_rss", args=["bo"])).status_code == 404


@pytest.mark.parametrize("suffix", ["rss", "atom"])
def test_tag_feed_has_only_that_tags_published_posts(client, read_feed, site, suffix):
    economy = read_feed(reverse(f"feeds:tag_{suffix}", args=[site["economy"].slug]))
    politics = read_feed(reverse(f"feeds:tag_{suffix}", args=[site["politics"].slug]))

    assert economy.feed.title == "Economy · Broadsheet"
    assert [e.title for e in economy.entries] == ["Old thinking"]  # not the draft or future
    assert economy.entries[0].link.startswith(f"{BASE}{site['posts']['old'].get_absolute_url()}?")
    assert [e.title for e in politics.entries] == ["Someone else", "Old thinking"]
    assert client.get(reverse(f"feeds:tag_{suffix}", args=["nope"])).status_code == 404


def test_feed_holds_the_newest_twenty(read_feed, publish):
    for n in range(FEED_SIZE + 2):
        publish(f"Post {n:02}", days_ago=n + 1)

    feed = read_feed(reverse("feeds:rss"))

    assert len(feed.entries) == FEED_SIZE
    assert feed.entries[0].title == "Post 00"
    assert feed.entries[-1].title == f"Post {FEED_SIZE - 1:02}"


@pytest.mark.parametrize("name", ["rss", "atom"])
def test_empty_site_still_has_a_valid_feed(read_feed, db, name):
    assert read_feed(reverse(f"feeds:{name}")).entries == []


@pytest.mark.parametrize("name", ["rss", "atom"])
def test_control_characters_do_not_break_the_feed(read_feed, publish, name):
    """XML 1.0 cannot carry them; one pasted into a post must not break every reader's feed."""
    publish("Bell\x07 and tab\x0b", body="Form\x0cfeed text.")

    feed = read_feed(reverse(f"feeds:{name}"))

    assert feed.entries[0].title == "Bell and tab"


@pytest.fixture
def discussed(publish):
    post = publish("The title", days_ago=3)
    elsewhere = publish("Another post", days_ago=2)
    now = post.published_at
    post_comment(post=post, name="Grace", body="First, *kindly*.", approved=True, created_at=now)
    post_comment(
        post=post,
        name="Linus",
        body="Second\n\nwith <b>tags</b>",
        approved=True,
        created_at=now + datetime.timedelta(hours=1),
    )
    post_comment(post=post, name="Held", body="Not yet", approved=False, created_at=now)
    post_comment(post=elsewhere, name="Other", body="Elsewhere", approved=True, created_at=now)
    return post


def test_comment_feed_has_approved_comments_newest_first(read_feed, discussed):
    comments = {c.name: c for c in discussed.comments.all()}

    feed = read_feed(reverse("feeds:post_comments", args=[discussed.slug]))

    assert feed.feed.title == "Comments on The title"
    assert [e.title for e in feed.entries] == [
        "Comment by Linus on The title",
        "Comment by Grace on The title",
    ]
    linus, grace = feed.entries
    assert linus.link == f"{BASE}{comments['Linus'].get_absolute_url()}"
    assert linus.link.startswith(f"{BASE}{discussed.get_absolute_url()}#comment-")
    assert linus.author == "Linus"
    assert as_utc(linus.published_parsed) == to_second(comments["Linus"].created_at)
    assert as_utc(linus.updated_parsed) == to_second(comments["Linus"].created_at)
    assert "<p>with &lt;b&gt;tags&lt;/b&gt;</p>" in linus.content[0].value  # escaped, kept
    assert "First, <em>kindly</em>." in grace.content[0].value  # the safe comment subset


def test_comment_feed_is_only_for_published_posts(client, publish):
    draft = publish("Draft", status=Post.Status.DRAFT)
    scheduled = publish("Scheduled", days_ago=-1)

    for slug in (draft.slug, scheduled.slug, "no-such-post"):
        assert client.get(reverse("feeds:post_comments", args=[slug])).status_code == 404


def test_urls_are_where_readers_expect_them():
    assert reverse("feeds:rss") == "/feed/"
    assert reverse("feeds:atom") == "/feed/atom/"
    assert reverse("feeds:author_rss", args=["a"]) == "/authors/a/feed/"
    assert reverse("feeds:author_atom", args=["a"]) == "/authors/a/feed/atom/"
    assert reverse("feeds:tag_rss", args=["t"]) == "/tags/t/feed/"
    assert reverse("feeds:tag_atom", args=["t"]) == "/tags/t/feed/atom/"
    assert reverse("feeds:post_comments", args=["p"]) == "/posts/p/comments/feed/"
    assert reverse("feeds:sitemap") == "/sitemap.xml"
    assert reverse("feeds:robots") == "/robots.txt"


@pytest.mark.parametrize("name", ["rss", "atom"])
def test_links_and_images_in_the_full_text_are_absolute(read_feed, publish, name):
    """A feed reader has no page to resolve /posts/… against."""
    publish("Linked", body="See [the other one](/posts/other/).\n\n![A chart](/media/chart.png)")

    content = read_feed(reverse(f"feeds:{name}")).entries[0].content[0].value

    assert 'href="http://testserver/posts/other/"' in content
    assert 'src="http://testserver/media/chart.png"' in content
