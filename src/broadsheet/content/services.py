"""Writes to posts. The admin, the demo and (later) the studio and importers all call these."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from broadsheet.content.models import Post
from broadsheet.core.markup import plain_text, render_markdown, truncate_words

EXCERPT_LENGTH = 200
# Editing any of these after publication is an update readers should be told about.
READER_VISIBLE_FIELDS = ("title", "body", "custom_excerpt")


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:180].strip("-") or "post"
    taken = set(
        Post.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def save_post(post: Post, *, now=None) -> Post:
    """Render the post, derive its excerpt and dates, and save it in one transaction.

    A published post whose readable content changes gets `updated_at`, which is what
    the page shows as "Updated: <date>".
    """
    now = now or timezone.now()
    with transaction.atomic():
        previous = Post.objects.select_for_update().filter(pk=post.pk).first() if post.pk else None
        if not post.slug:
            post.slug = unique_slug(post.title, exclude_pk=post.pk)
        post.body_html = render_markdown(post.body)
        post.excerpt = post.custom_excerpt.strip() or truncate_words(
            plain_text(post.body_html), EXCERPT_LENGTH
        )
        if post.status == Post.Status.PUBLISHED and post.published_at is None:
            post.published_at = now
        post.published_month = Post.month_of(post.published_at)
        if _is_visible_edit_of_published(previous, post):
            post.updated_at = now
        post.save()
    return post


def _is_visible_edit_of_published(previous: Post | None, post: Post) -> bool:
    return (
        previous is not None
        and previous.is_published
        and post.status == previous.status
        and any(getattr(post, f) != getattr(previous, f) for f in READER_VISIBLE_FIELDS)
    )
