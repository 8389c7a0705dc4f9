"""Standalone pages and site settings, edited in the studio and honoured by the site."""

import datetime

import feedparser
import pytest
from django.urls import reverse

from broadsheet.content.models import Page, Post
from broadsheet.core.selectors import get_site_settings


@pytest.fixture
def admin_client(client, make_staff):
    client.force_login(make_staff("administrator"))
    return client


def settings_data(**changes) -> dict:
    data = {
        "title": "The Long View",
        "description": "Slow news.",
        "navigation": "",
        "timezone": "UTC",
        "language": "en",
        "comment_policy": "open",
    }
    data.update(changes)
    return data


def test_a_page_is_published_at_its_own_address_and_not_in_the_post_list(admin_client):
    response = admin_client.post(
        reverse("studio:page_new"),
        {"title": "About us", "body": "We *write*.", "status": "published"},
    )

    assert response.status_code == 302
    page = admin_client.get("/about-us/")
    assert page.status_code == 200 and "<em>write</em>" in page.content.decode()
    assert "About us" not in admin_client.get("/").content.decode()
    feed = feedparser.parse(admin_client.get(reverse("feeds:rss")).content)
    assert all(entry.title != "About us" for entry in feed.entries)


def test_a_draft_page_is_not_public(admin_client):
    admin_client.post(
        reverse("studio:page_new"), {"title": "Contact", "body": "x", "status": "draft"}
    )
    admin_client.logout()

    assert admin_client.get("/contact/").status_code == 404


@pytest.mark.parametrize("slug", ["archive", "studio", "posts", "admin"])
def test_a_page_cannot_take_an_address_the_site_uses(admin_client, slug):
    response = admin_client.post(
        reverse("studio:page_new"), {"title": "X", "slug": slug, "body": "", "status": "published"}
    )

    assert response.status_code == 400
    assert "already a part of the site" in response.content.decode()
    assert not Page.objects.exists()


def test_a_refused_page_edit_links_to_the_page_as_it_is_stored(admin_client):
    page = Page.objects.create(title="About", slug="about", body="Us.", status="published")

    response = admin_client.post(
        reverse("studio:page_edit", args=[page.pk]),
        {"title": " ", "slug": "", "body": "", "status": "published"},
    )

    assert response.status_code == 400
    assert 'href="/about/"' in response.content.decode()


def test_a_refused_tag_edit_names_the_tag_as_it_is_stored(admin_client, make_tag):
    tag = make_tag("Economics")

    response = admin_client.post(
        reverse("studio:tag_edit", args=[tag.pk]), {"name": "Renamed", "slug": "Not a slug!"}
    )

    assert response.status_code == 400
    assert "Edit the tag “Economics”" in response.content.decode()


def test_settings_change_the_title_navigation_and_language(admin_client, post):
    response = admin_client.post(
        reverse("studio:settings"),
        settings_data(
            navigation="About | /about/\nMastodon | https://example.social/@us", language="de"
        ),
    )

    assert response.status_code == 302
    html = admin_client.get(post.get_absolute_url()).content.decode()
    assert "The Long View" in html and '<html lang="de">' in html
    assert '<a href="/about/">About</a>' in html and "https://example.social/@us" in html
    feed = feedparser.parse(admin_client.get(reverse("feeds:rss")).content)
    assert feed.feed.title == "The Long View" and feed.feed.language == "de"


@pytest.mark.parametrize(
    "navigation", ["Evil | javascript:alert(1)", "No separator", "Proto | //evil.example/"]
)
def test_bad_navigation_links_are_refused(admin_client, navigation):
    response = admin_client.post(reverse("studio:settings"), settings_data(navigation=navigation))

    assert response.status_code == 400
    assert "Line 1" in response.content.decode()
    assert get_site_settings().navigation == ""


def test_dates_on_post_pages_are_in_the_sites_time_zone(admin_client, make_post):
    post = make_post("Late night")
    Post.objects.filter(pk=post.pk).update(
        published_at=datetime.datetime(2026, 3, 1, 3, 0, tzinfo=datetime.UTC)
    )
    admin_client.post(reverse("studio:settings"), settings_data(timezone="America/New_York"))

    html = admin_client.get(post.get_absolute_url()).content.decode()

    assert "Feb 28, 2026" in html
    post.refresh_from_db()
    assert post.published_month == datetime.date(2026, 2, 1)  # the archive follows


def test_closed_comments_hide_the_form_and_refuse_posts(admin_client, post):
    admin_client.post(reverse("studio:settings"), settings_data(comment_policy="closed"))
    admin_client.logout()

    html = admin_client.get(post.get_absolute_url()).content.decode()
    response = admin_client.post(
        reverse("comments:create", args=[post.slug]), {"name": "A", "body": "B"}
    )

    assert "Comments are closed." in html and "Post comment" not in html
    assert response.status_code == 302 and not post.comments.exists()


def test_the_logo_shows_in_the_header_without_an_extra_query(
    admin_client, post, settings, tmp_path, django_assert_num_queries
):
    from broadsheet.accounts.models import User
    from broadsheet.media.services import upload_image
    from tests.media.images import encode, marked, upload

    settings.MEDIA_ROOT = tmp_path
    logo = upload_image(
        file=upload(encode(marked((300, 100)), "PNG"), "logo.png", "image/png"),
        alt="",
        uploaded_by=User.objects.get(role="administrator"),
    )
    admin_client.post(reverse("studio:settings"), settings_data(logo=logo.pk))
    admin_client.logout()
    admin_client.get(post.get_absolute_url())

    with django_assert_num_queries(4):
        html = admin_client.get(post.get_absolute_url()).content.decode()

    assert f'<img class="logo" src="{logo.url}" alt="" width="300" height="100">' in html


def test_editors_rename_and_delete_tags(admin_client, make_post, make_tag):
    tag = make_tag("Econ")
    post = make_post("Tagged", tags=[tag])

    admin_client.post(
        reverse("studio:tag_edit", args=[tag.pk]),
        {"name": "Economics", "slug": "economics", "description": "Money."},
    )
    assert admin_client.get("/tags/economics/").status_code == 200
    assert "Economics" in admin_client.get(post.get_absolute_url()).content.decode()

    admin_client.post(reverse("studio:tag_delete", args=[tag.pk]))
    assert not post.tags.exists()
    assert admin_client.get(post.get_absolute_url()).status_code == 200


def test_the_tags_page_counts_posts_in_a_fixed_number_of_queries(
    admin_client, make_post, make_tag, django_assert_max_num_queries
):
    econ, cities = make_tag("Economics"), make_tag("Cities")
    for n in range(3):
        make_post(f"P{n}", tags=[econ] if n else [econ, cities])
    admin_client.get(reverse("studio:tags"))

    with django_assert_max_num_queries(5):
        html = admin_client.get(reverse("studio:tags")).content.decode()

    assert '?tag=economics">3</a>' in html and '?tag=cities">1</a>' in html
