"""sitemap.xml lists what the public can read, and robots.txt points crawlers at it."""

import datetime
import xml.etree.ElementTree as ET

from django.urls import reverse
from django.utils import timezone

from broadsheet.content.models import Post
from broadsheet.content.services import save_post

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "http://testserver"


def read_xml(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)


def read_sitemap(client) -> dict[str, str | None]:
    """Each <loc> in every section the index names, with its <lastmod> if any."""
    index = read_xml(client, reverse("feeds:sitemap"))
    assert index.tag == f"{SITEMAP}sitemapindex"
    urls = {}
    for section in index.iter(f"{SITEMAP}loc"):
        root = read_xml(client, section.text.removeprefix(BASE))
        assert root.tag == f"{SITEMAP}urlset"
        urls.update(
            {
                url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
                for url in root.iter(f"{SITEMAP}url")
            }
        )
    return urls


def test_sitemap_lists_published_posts_and_their_tags_and_authors(
    client, publish, new_tag, make_writer
):
    shown, hidden = new_tag("Shown"), new_tag("Hidden")
    drafter = make_writer("Only Drafts", slug="drafter")
    live = publish("Live post", days_ago=3, tags=[shown])
    edited = publish("Edited post", days_ago=5)
    edited.body += "\n\nAn update."
    save_post(edited, now=edited.published_at + datetime.timedelta(days=2))
    draft = publish("Draft post", status=Post.Status.DRAFT, tags=[hidden], author=drafter)
    future = publish("Future post", days_ago=-1, tags=[hidden], author=drafter)

    urls = read_sitemap(client)

    assert f"{BASE}/" in urls
    assert urls[f"{BASE}{live.get_absolute_url()}"] == str(timezone.localdate(live.published_at))
    assert urls[f"{BASE}{edited.get_absolute_url()}"] == str(timezone.localdate(edited.updated_at))
    assert f"{BASE}{shown.get_absolute_url()}" in urls
    assert f"{BASE}{live.author.get_absolute_url()}" in urls
    for absent in (draft, future, hidden, drafter):
        assert f"{BASE}{absent.get_absolute_url()}" not in urls
    posts = [loc for loc in urls if "/posts/" in loc]
    assert len(posts) == 2


def test_empty_site_has_a_valid_sitemap(client, db):
    assert f"{BASE}/" in read_sitemap(client)


def test_robots_txt_allows_crawling_and_names_the_sitemap(client, db):
    response = client.get(reverse("feeds:robots"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Allow: /" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /" not in lines  # nothing public is hidden
    assert f"Sitemap: {BASE}/sitemap.xml" in lines


def test_published_pages_are_in_the_sitemap_and_drafts_are_not(client, db):
    from broadsheet.content.models import Page

    Page.objects.create(title="About", slug="about", status="published")
    Page.objects.create(title="Soon", slug="soon", status="draft")

    urls = read_sitemap(client)

    assert f"{BASE}/about/" in urls and f"{BASE}/soon/" not in urls


def test_robots_txt_keeps_crawlers_out_of_the_studio(client, db):
    lines = client.get(reverse("feeds:robots")).content.decode().splitlines()

    assert "Disallow: /studio/" in lines and "Disallow: /account/" in lines


def test_a_long_section_comes_in_pages_and_ends_with_a_404(client, publish, monkeypatch):
    from broadsheet.feeds import sitemaps

    monkeypatch.setattr(sitemaps, "PAGE_SIZE", 2)
    monkeypatch.setattr("broadsheet.feeds.views.PAGE_SIZE", 2)
    posts = [publish(f"Post {n}", days_ago=n + 1) for n in range(5)]
    section = reverse("feeds:sitemap_section", kwargs={"section": "posts"})

    index = read_xml(client, reverse("feeds:sitemap"))
    listed = [loc.text.removeprefix(BASE) for loc in index.iter(f"{SITEMAP}loc")]
    pages = [loc for loc in listed if loc.startswith(section)]
    in_pages = [
        url.findtext(f"{SITEMAP}loc")
        for page in pages
        for url in read_xml(client, page).iter(f"{SITEMAP}url")
    ]

    assert pages == [section, f"{section}?p=2", f"{section}?p=3"]
    assert sorted(in_pages) == sorted(f"{BASE}{post.get_absolute_url()}" for post in posts)
    assert len(in_pages) == len(set(in_pages)) == 5  # each post on one page
    for missing in ("?p=4", "?p=0", "?p=two"):
        assert client.get(section + missing).status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_sitemap_pages_tell_search_engines_not_to_index_them(client, db):
    response = client.get(reverse("feeds:sitemap"))

    assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"
