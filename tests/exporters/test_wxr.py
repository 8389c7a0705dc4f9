"""The WordPress export, read back by real parsers: every post, page, attachment and
comment thread, in the shape WordPress's importer reads."""

import datetime
import io
from pathlib import Path

import defusedxml.ElementTree as ET
import feedparser
import pytest
from django.core.management import CommandError, call_command

from broadsheet.comments.services import post_comment
from broadsheet.content.models import Post
from broadsheet.exporters.wxr import NAMESPACES, write_wxr
from broadsheet.media.models import Image
from tests.exporters.archives import TRICKY_BODY

WP, CONTENT, EXCERPT = (f"{{{NAMESPACES[prefix]}}}" for prefix in ("wp", "content", "excerpt"))
ORIGIN = "https://ledger.example"


def wxr_text() -> str:
    stream = io.StringIO()
    write_wxr(stream, origin=ORIGIN)
    return stream.getvalue()


def no_fetch(url: str) -> Path:
    raise AssertionError(f"reading a WXR file fetches nothing, asked for {url}")


def wp(element, name: str) -> str:
    return element.findtext(WP + name) or ""


@pytest.fixture
def parsed(varied_site):
    main = Post.objects.get(slug="small-things-priced")
    post_comment(post=main, name="Tess", body=TRICKY_BODY + "\x0b", approved=True)
    return ET.fromstring(wxr_text().encode())


def test_the_channel_names_the_site_its_authors_and_tags(parsed):
    channel = parsed.find("channel")

    assert parsed.get("version") == "2.0"
    assert wp(channel, "wxr_version") == "1.2"
    assert wp(channel, "base_site_url") == wp(channel, "base_blog_url") == ORIGIN
    logins = {wp(a, "author_login") for a in channel.findall(WP + "author")}
    assert logins == {"arthur@example.com", "edna@example.com", "olive@example.com"}
    tags = {wp(t, "tag_slug"): wp(t, "tag_name") for t in channel.findall(WP + "tag")}
    assert tags == {"cities": "Cities", "economics": "Economics"}


def test_every_post_page_and_image_is_an_item(parsed):
    items = parsed.find("channel").findall("item")
    by_type: dict[str, list] = {}
    for item in items:
        by_type.setdefault(wp(item, "post_type"), []).append(item)

    assert {k: len(v) for k, v in by_type.items()} == {"attachment": 1, "post": 5, "page": 2}
    ids = [wp(item, "post_id") for item in items]
    assert len(set(ids)) == len(ids)  # one series of ids, as in WordPress
    statuses = {wp(i, "post_name"): wp(i, "status") for i in by_type["post"]}
    assert statuses == {
        "small-things-priced": "publish",
        "half-an-idea": "draft",
        "for-the-editor": "pending",
        "next-week": "future",
        "regrettable": "trash",
    }
    assert {wp(i, "post_name"): wp(i, "status") for i in by_type["page"]} == {
        "about": "publish",
        "colophon": "draft",
    }
    [attachment] = by_type["attachment"]
    image = Image.objects.get()
    assert wp(attachment, "attachment_url") == ORIGIN + image.url

    [main] = [i for i in by_type["post"] if wp(i, "post_name") == "small-things-priced"]
    meta = {wp(m, "meta_key"): wp(m, "meta_value") for m in main.findall(WP + "postmeta")}
    assert meta["_thumbnail_id"] == wp(attachment, "post_id")
    assert meta["_yoast_wpseo_metadesc"] == "Prices, explained."
    terms = {(c.get("domain"), c.get("nicename"), c.text) for c in main.findall("category")}
    assert terms == {("post_tag", "cities", "Cities"), ("post_tag", "economics", "Economics")}
    html = main.findtext(CONTENT + "encoded")
    assert f'src="{ORIGIN}{image.url}"' in html  # absolute, as WordPress fetches it
    assert "<code>a[b[0]]&gt;c</code>" in html
    assert main.findtext(EXCERPT + "encoded") == "Why prices rose."
    published = Post.objects.get(slug="small-things-priced").published_at
    assert wp(main, "post_date_gmt") == published.astimezone(datetime.UTC).strftime(
        "%Y-%m-%d %H:%M:%S"
    )
    assert wp(main, "post_date") != wp(main, "post_date_gmt")  # the site's time: Berlin


def test_comments_keep_their_threads_states_and_text(parsed):
    [main] = [
        item
        for item in parsed.find("channel").findall("item")
        if wp(item, "post_name") == "small-things-priced"
    ]
    comments = main.findall(WP + "comment")

    assert len(comments) == 11
    seen = {"0"}
    for comment in comments:  # a reply comes after its comment: the importer needs that
        assert wp(comment, "comment_parent") in seen
        seen.add(wp(comment, "comment_id"))
    assert {wp(c, "comment_approved") for c in comments} == {"1", "0", "spam", "trash"}
    [tricky] = [c for c in comments if wp(c, "comment_author") == "Tess"]
    assert wp(tricky, "comment_content") == TRICKY_BODY  # "]]>" and all; no \x0b
    by_body = {wp(c, "comment_content"): c for c in comments}
    deepest, above = by_body["Because."], by_body["Why?"]
    assert wp(deepest, "comment_parent") == wp(above, "comment_id")
    assert wp(by_body["Held?"], "comment_author_email") == "q@example.com"


def test_a_featured_post_is_sticky_and_reads_back_as_featured(parsed, tmp_path):
    from broadsheet.importers.base import Source
    from broadsheet.importers.readers.wordpress import WxrReader
    from broadsheet.importers.records import Item

    posts = [i for i in parsed.find("channel").findall("item") if wp(i, "post_type") == "post"]
    sticky = {wp(item, "post_name"): wp(item, "is_sticky") for item in posts}
    assert sticky.pop("small-things-priced") == "1"
    assert set(sticky.values()) == {"0"}

    path = tmp_path / "site.xml"
    path.write_text(wxr_text(), encoding="utf-8")
    reader = WxrReader(Source(name=str(path), path=path), no_fetch)
    items = [record for record in reader.records() if isinstance(record, Item)]
    assert {item.slug for item in items if item.featured} == {"small-things-priced"}


def test_an_rss_reader_reads_it_as_a_feed(parsed):
    feed = feedparser.parse(wxr_text())

    assert not feed.bozo, feed.bozo_exception
    assert len(feed.entries) == 8
    assert "Small things & big prices" in {entry.title for entry in feed.entries}


def test_the_command_writes_wxr_with_the_site_address(varied_site, tmp_path, settings):
    target = tmp_path / "site.xml"
    settings.SITE_URL = ""

    with pytest.raises(CommandError, match="--site-url"):
        call_command("export", format="wxr", output=str(target))
    call_command("export", format="wxr", output=str(target), site_url="https://blog.example/")

    root = ET.parse(Path(target)).getroot()
    assert wp(root.find("channel"), "base_site_url") == "https://blog.example"
