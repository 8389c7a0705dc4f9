"""Every feed parses cleanly with a real feed parser and says the right things."""

import calendar
import datetime
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.urls import reverse

from broadsheet.comments.services import post_comment
from broadsheet.content.models import Post
from broadsheet.content.services import save_post


def parse(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, (url, feed.get("bozo_exception"))
    return feed


def as_utc(struct) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(calendar.timegm(struct), tz=datetime.UTC)


@pytest.fixture
def site(make_post, make_tag, make_author):
    economy = make_tag("Economy")
    other = make_author("Bo Other", slug="bo")
    posts = {
        "old": make_post("Old thinking", days_ago=10, tags=[economy], body="Old **body** text."),
        "new": make_post("New thinking", days_ago=1, body="Fresh paragraph here."),
        "other": make_post("Someone else", author=other, days_ago=2),
        "draft": make_post("Unfinished", status=Post.Status.DRAFT),
        "future": make_post("Not yet", days_ago=-2),
    }
    posts["old"].body += "\n\nA correction."
    save_post(posts["old"], now=posts["old"].published_at + datetime.timedelta(days=1))
    return posts, economy, other


@pytest.mark.parametrize("name", ["rss", "atom"])
def test_site_feed(client, site, name):
    posts, _, _ = site
    feed = parse(client, reverse(f"feeds:{name}"))

    assert feed.feed.title == "Broadsheet"
    titles = [entry.title for entry in feed.entries]
    assert titles == ["New thinking", "Someone else", "Old thinking"]  # newest first, no drafts
    old = feed.entries[2]
    assert old.link == f"http://testserver{posts['old'].get_absolute_url()}"
    assert as_utc(old.published_parsed) == posts["old"].published_at.replace(microsecond=0)
    assert "<strong>body</strong>" in old.content[0].value  # the full text
    assert "A correction." in old.content[0].value
    assert [t.term for t in old.tags] == ["Economy"]
    if name == "atom":
        assert as_utc(old.updated_parsed) == posts["old"].updated_at.replace(microsecond=0)
        assert old.author == "Ada Writer"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_author_and_tag_feeds(client, site, kind):
    _, economy, other = site
    suffix = "_atom" if kind == "atom" else "_rss"

    by_author = parse(client, reverse(f"feeds:author{suffix}", args=[other.slug]))
    by_tag = parse(client, reverse(f"feeds:tag{suffix}", args=[economy.slug]))

    assert [e.title for e in by_author.entries] == ["Someone else"]
    assert by_author.feed.title == "Bo Other · Broadsheet"
    assert [e.title for e in by_tag.entries] == ["Old thinking"]
    assert client.get(reverse(f"feeds:tag{suffix}", args=["nope"])).status_code == 404


def test_comments_feed(client, post):
    post_comment(post=post, name="Grace", body="Shown <b>safely</b>")
    post_comment(post=post, name="Held", body="Not yet", approved=False)

    feed = parse(client, reverse("feeds:post_comments", args=[post.slug]))

    assert [e.title for e in feed.entries] == ["Comment by Grace"]
    assert feed.entries[0].link.startswith(f"http://testserver{post.get_absolute_url()}#comment-")
    assert "&lt;b&gt;" in feed.entries[0].summary or "<b>" not in feed.entries[0].summary


def test_no_feed_for_a_draft(client, make_post):
    draft = make_post("Draft", status=Post.Status.DRAFT)

    assert client.get(reverse("feeds:post_comments", args=[draft.slug])).status_code == 404


def test_sitemap_lists_what_is_published(client, site):
    posts, economy, other = site
    index = ET.fromstring(client.get(reverse("feeds:sitemap")).content)
    locations = []
    for sitemap in index:
        url = sitemap.find("{http://www.sitemaps.org/schemas/sitemap/0.9}loc").text
        body = client.get(url.removeprefix("http://testserver")).content
        locations += [
            loc.text
            for loc in ET.fromstring(body).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
        ]

    assert f"http://testserver{posts['new'].get_absolute_url()}" in locations
    assert f"http://testserver{economy.get_absolute_url()}" in locations
    assert f"http://testserver{other.get_absolute_url()}" in locations
    assert not any("unfinished" in loc or "not-yet" in loc for loc in locations)


def test_robots_txt(client, db):
    text = client.get("/robots.txt").content.decode()

    assert "Disallow: /admin/" in text and "Sitemap: http://testserver/sitemap.xml" in text


@pytest.mark.parametrize("extra", [0, 1], ids=["few", "many"])
@pytest.mark.parametrize(
    "url, queries",
    [("/feed/", 2), ("/feed/atom/", 2), ("tag", 3), ("/sitemap-posts.xml", 2), ("/sitemap.xml", 4)],
)
def test_feed_query_counts_are_fixed(
    client, make_post, make_tag, django_assert_num_queries, extra, url, queries
):
    tags = [make_tag(f"Tag {n}") for n in range(2 + 8 * extra)]
    for n in range(3 + 25 * extra):
        post = make_post(f"Post {n}", days_ago=n + 1, tags=tags)
        for c in range(extra * 3):
            post_comment(post=post, name="R", body=f"c{c}")
    url = tags[0].get_absolute_url() + "feed/" if url == "tag" else url
    client.get(url)

    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
