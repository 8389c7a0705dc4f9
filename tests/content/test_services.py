import datetime

from django.utils import timezone

from broadsheet.content.models import Post, published_filter
from broadsheet.content.services import save_post
from broadsheet.core.models import SiteSettings
from broadsheet.core.services import save_site_settings


def test_saving_renders_html_and_derives_an_excerpt(make_post):
    post = make_post(body="A *first* sentence. " + "More words follow here. " * 20)

    assert "<em>first</em>" in post.body_html
    assert post.excerpt.startswith("A first sentence.")
    assert post.excerpt.endswith("…") and len(post.excerpt) <= 201
    assert not post.excerpt[:-1].endswith(" ")


def test_a_custom_excerpt_wins(make_post):
    assert make_post(custom_excerpt="In short: yes.").excerpt == "In short: yes."


def test_slugs_are_made_unique(make_post):
    first = make_post("Same title")
    second = make_post("Same title")

    assert first.slug == "same-title"
    assert second.slug == "same-title-2"


def test_publishing_sets_the_date_once(author):
    post = save_post(Post(title="Draft", author=author, body="x"))
    assert post.published_at is None

    post.status = Post.Status.PUBLISHED
    save_post(post)

    assert post.published_at is not None
    assert post.updated_at is None  # publishing is not an update


def test_editing_a_published_post_sets_updated(post):
    later = post.published_at + datetime.timedelta(days=2)
    post.title = "A better title"

    save_post(post, now=later)

    assert Post.objects.get(pk=post.pk).updated_at == later


def test_saving_without_a_visible_change_does_not_set_updated(post):
    save_post(post, now=timezone.now())

    assert Post.objects.get(pk=post.pk).updated_at is None


def test_editing_a_draft_does_not_set_updated(make_post):
    draft = make_post(status=Post.Status.DRAFT)
    draft.body = "Changed"

    save_post(draft)

    assert draft.updated_at is None


def test_the_archive_month_follows_the_publication_date_in_the_sites_time_zone(make_post):
    save_site_settings(SiteSettings(timezone="America/New_York"))
    post = make_post(days_ago=0)
    post.published_at = datetime.datetime(2026, 3, 1, 3, 0, tzinfo=datetime.UTC)  # Feb 28 there
    save_post(post)

    assert Post.objects.get(pk=post.pk).published_month == datetime.date(2026, 2, 1)


def test_is_published_says_what_the_public_filter_shows_for_every_state(author):
    now = timezone.now()
    times = (None, now - datetime.timedelta(hours=1), now + datetime.timedelta(hours=1))
    posts = [
        Post.objects.create(
            title="P", slug=f"p-{n}", author=author, status=status, published_at=at, trashed_at=gone
        )
        for n, (status, at, gone) in enumerate(
            (status, at, gone)
            for status in Post.Status.values
            for at in times
            for gone in (None, now)
        )
    ]

    shown = set(Post.objects.filter(published_filter()).values_list("pk", flat=True))

    assert {post.pk for post in posts if post.is_published} == shown
    assert len(shown) == 2  # published and scheduled, each with a past date, not trashed
