"""The reader's pages: every element of the reference post page, and a fixed query budget."""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from broadsheet.comments.selectors import THREADS_PER_PAGE
from broadsheet.comments.services import post_comment
from broadsheet.content.models import Post
from broadsheet.content.services import save_post

BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0 Safari/537.36"
)


@pytest.fixture
def reader(client):
    client.defaults["HTTP_USER_AGENT"] = BROWSER_UA
    return client


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_post_page_shows_every_element_of_the_reference_page(reader, make_post, post, make_tag):
    older = [make_post(f"Older post {n}", days_ago=2 + n) for n in range(4)]
    post.tags.set([make_tag("Economics")])
    post_comment(post=post, name="Grace", body="A fine point.")

    response = reader.get(post.get_absolute_url())
    html = response.content.decode()
    text = text_of(response)

    assert response.status_code == 200
    assert 'href="#main"' in html and 'id="main"' in html  # skip link to the content
    assert 'href="#bottom"' in html and 'id="bottom"' in html  # and to the bottom
    assert 'href="#top"' in html and 'id="top"' in html
    assert f'href="{post.author.get_absolute_url()}"' in html
    assert f'src="{post.author.avatar_url}"' in html
    assert '<h1 id="post-title">The economics of small things</h1>' in html
    assert "<p>First paragraph.</p>" in html
    assert "0 views " in text  # this view is written within a second
    assert "1 comment " in text
    assert "A fine point." in text
    assert "Recent Posts" in text
    recent = [p.title for p in older[:3]]
    for title in recent:
        assert title in text
    assert older[3].title not in text  # only the three newest others
    assert f'href="{reverse("content:home")}">See All' in html
    assert "Updated:" not in text  # never edited after publication


def test_updated_date_shows_only_after_an_edit_of_a_published_post(reader, post):
    edited_at = post.published_at + datetime.timedelta(days=3)
    post.body += "\n\nA correction."
    save_post(post, now=edited_at)

    html = reader.get(post.get_absolute_url()).content.decode()

    expected = timezone.localtime(edited_at).strftime("%b %-d, %Y")
    assert (
        f'Updated: <time datetime="{timezone.localtime(edited_at).isoformat()}">{expected}</time>'
        in html
    )


def test_counts_are_pluralised(reader, post):
    post_comment(post=post, name="A", body="one")
    post_comment(post=post, name="B", body="two")
    Post.objects.filter(pk=post.pk).update(view_count=42)

    text = text_of(reader.get(post.get_absolute_url()))

    assert "42 views" in text
    assert "2 comments" in text


def test_bare_urls_in_the_body_become_links(reader, make_post):
    post = make_post(body="See the report (https://example.org/report/2022).")

    html = reader.get(post.get_absolute_url()).content.decode()

    assert '(<a href="https://example.org/report/2022" rel="noopener noreferrer">' in html


@pytest.mark.parametrize(
    "status, days_ago",
    [(Post.Status.DRAFT, 1), (Post.Status.PUBLISHED, -1)],
    ids=["draft", "scheduled-in-the-future"],
)
def test_unpublished_posts_are_invisible(reader, make_post, status, days_ago):
    hidden = make_post("Secret plans", status=status, days_ago=days_ago)
    make_post("Public post", days_ago=2)

    assert reader.get(hidden.get_absolute_url()).status_code == 404
    for url in [
        reverse("content:home"),
        hidden.author.get_absolute_url(),
        reverse("content:archive"),
    ]:
        assert "Secret plans" not in reader.get(url).content.decode()


def test_list_is_newest_first_and_paginated(reader, make_post):
    posts = [make_post(f"Entry {n:02d}", days_ago=n + 1) for n in range(12)]

    first = text_of(reader.get(reverse("content:home")))
    second = reader.get(reverse("content:home_page", kwargs={"page": 2}))

    assert first.index("Entry 00") < first.index("Entry 01") < first.index("Entry 09")
    assert "Entry 10" not in first and "Older posts" in first
    assert second.status_code == 200 and "Entry 11" in text_of(second)
    assert reader.get(reverse("content:home_page", kwargs={"page": 3})).status_code == 404
    assert posts


def test_author_page_lists_only_their_posts(reader, make_post, make_author):
    other = make_author("Bo Other")
    mine = make_post("Mine")
    theirs = make_post("Theirs", author=other)

    text = text_of(reader.get(mine.author.get_absolute_url()))

    assert "Ada Writer" in text and "Mine" in text and theirs.title not in text


def test_tag_page_lists_only_tagged_posts(reader, make_post, make_tag):
    energy = make_tag("Energy")
    make_post("Grid storage", tags=[energy])
    make_post("Housing")

    text = text_of(reader.get(energy.get_absolute_url()))

    assert "Grid storage" in text and "Housing" not in text


def test_monthly_archive(reader, make_post):
    post = make_post("In the archive", days_ago=40)
    local = timezone.localtime(post.published_at)

    index = reader.get(reverse("content:archive")).content.decode()
    month_url = reverse("content:archive_month", kwargs={"year": local.year, "month": local.month})
    month = text_of(reader.get(month_url))

    assert f'href="{month_url}"' in index
    assert "In the archive" in month
    assert reader.get("/archive/1999/01/").status_code == 404
    assert reader.get("/archive/2024/13/").status_code == 404


def test_generated_avatar_is_an_svg_with_initials(reader, author):
    response = reader.get(author.avatar_url)

    assert response["Content-Type"] == "image/svg+xml"
    assert ">AW</text>" in response.content.decode()


def test_missing_pages_get_the_sites_404(reader, db):
    response = reader.get("/posts/no-such-post/")

    assert response.status_code == 404
    assert "That page isn’t here" in response.content.decode()
    assert 'href="/"' in response.content.decode()


def test_seo_metadata_on_the_post_page(reader, post):
    html = reader.get(post.get_absolute_url()).content.decode()

    assert f'<link rel="canonical" href="http://testserver{post.get_absolute_url()}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert '"@type": "BlogPosting"' in html
    assert '"headline": "The economics of small things"' in html


def test_post_page_html_and_css_stay_small(reader, make_post, post):
    from django.contrib.staticfiles import finders

    for n in range(3):
        make_post(f"Recent {n}", days_ago=2 + n)
    html = reader.get(post.get_absolute_url()).content
    css = Path(finders.find("broadsheet/site.css")).read_bytes()

    assert len(html) + len(css) < 30_000


@pytest.mark.parametrize("extra", [0, 1], ids=["few", "many"])
def test_post_page_query_count_is_fixed(
    reader, make_post, make_tag, django_assert_num_queries, extra
):
    """Whatever the number of posts, tags and comments: the same queries."""
    post = make_post("Counted", tags=[make_tag(f"T{n}") for n in range(1 + 5 * extra)])
    for n in range(2 + 20 * extra):
        make_post(f"Other {n}", days_ago=3 + n)
    for n in range(1 + 30 * extra):
        post_comment(post=post, name=f"R{n}", body="Hello")
    reader.get(post.get_absolute_url())  # warms the site-settings cache

    with django_assert_num_queries(5):  # post, tags, top comments, replies, recent posts
        assert reader.get(post.get_absolute_url()).status_code == 200


def test_post_page_queries_stay_fixed_with_pages_of_threads(
    reader, make_post, django_assert_num_queries
):
    """Past one page of conversations: one count more, and never more than that."""
    post = make_post("Busy")
    for n in range(THREADS_PER_PAGE + 5):
        top = post_comment(post=post, name=f"R{n}", body="Hello", approved=True)
        post_comment(post=post, name="Re", body="Hi", parent=top, approved=True)
    reader.get(post.get_absolute_url())

    with django_assert_num_queries(6):  # ... and the count of every comment
        html = reader.get(post.get_absolute_url()).content.decode()
    with django_assert_num_queries(6):
        later = reader.get(post.get_absolute_url() + "?comments=2").content.decode()

    assert f"{(THREADS_PER_PAGE + 5) * 2} comments" in html and "Later conversations" in html
    assert later.count('class="comment"') == 10 and "Earlier conversations" in later  # 5 + replies


def test_a_featured_post_is_marked_where_it_is_listed_and_keeps_its_place(
    reader, make_post, make_tag
):
    tag = make_tag("Economics")
    newer = make_post("Newer plain post", days_ago=1, tags=[tag])
    featured = make_post("Older featured post", days_ago=3, tags=[tag], featured=True)

    for url in (reverse("content:home"), tag.get_absolute_url()):
        text = text_of(reader.get(url))
        assert text.count("Featured") == 1
        assert text.index("Newer plain post") < text.index("Featured Older featured post")
    cards = text_of(reader.get(newer.get_absolute_url())).split("Recent Posts")[1]
    assert "Featured Older featured post" in cards
    assert "Featured" not in text_of(reader.get(featured.get_absolute_url())).split("Recent")[1]


@pytest.mark.parametrize("extra", [0, 1], ids=["few", "many"])
@pytest.mark.parametrize("page", ["home", "tag", "author"])
def test_listing_query_counts_are_fixed(
    reader, make_post, make_tag, django_assert_num_queries, extra, page
):
    tags = [make_tag(f"Tag {n}") for n in range(2 + 10 * extra)]
    for n in range(3 + 25 * extra):
        make_post(f"Post {n}", days_ago=n + 1, tags=tags, featured=n % 2 == 0)  # a column
    url = {
        "home": reverse("content:home"),
        "tag": tags[0].get_absolute_url(),
        "author": Post.objects.first().author.get_absolute_url(),
    }[page]
    reader.get(url)

    # (the tag or author, which of its posts if it is a tag,) posts, their authors, their tags
    # (and an author's track record: one query, `predictions.selectors.record_of`)
    with django_assert_num_queries({"home": 3, "tag": 5, "author": 5}[page]):
        assert reader.get(url).status_code == 200


def test_a_cover_image_is_responsive_and_costs_no_query(
    reader, make_post, django_assert_num_queries, settings, tmp_path, make_staff
):
    from broadsheet.media.services import upload_image
    from tests.media.images import encode, marked, upload

    settings.MEDIA_ROOT = tmp_path
    image = upload_image(
        file=upload(encode(marked((1200, 800)), "JPEG")),
        alt="A bar chart",
        uploaded_by=make_staff("author"),
    )
    post = make_post(
        "Covered",
        cover_image=image,
        cover_alt="Rents rising since 2019",
        body=f"Look:\n\n![The same chart]({image.url})",
    )
    reader.get(post.get_absolute_url())

    with django_assert_num_queries(4):  # post, tags, comments (none), recent posts
        html = reader.get(post.get_absolute_url()).content.decode()

    assert 'alt="Rents rising since 2019"' in html and 'width="1200"' in html
    assert "srcset=" in html and "-480." in html
    assert 'property="og:image"' in html
    in_body = html.split('class="post-body"')[1]
    assert 'loading="lazy"' in in_body and 'width="1200" height="800"' in in_body
    assert "srcset=" in in_body
