"""Reads for the public pages, each a fixed number of queries however large the site."""

import datetime

from django.db import DatabaseError
from django.db.models import Count, F
from django.shortcuts import get_object_or_404
from django.utils import timezone

from broadsheet.content.models import Post

RECENT_POSTS = 3


def get_published_post(slug: str) -> Post:
    return get_object_or_404(
        Post.objects.published().select_related("author").prefetch_related("tags"), slug=slug
    )


def recent_posts(*, excluding: Post, limit: int = RECENT_POSTS) -> list[Post]:
    return list(
        Post.objects.published()
        .newest_first()
        .exclude(pk=excluding.pk)
        .defer("body", "body_html")[:limit]
    )


def listing():
    return Post.objects.for_listing()


def month_listing(year: int, month: int):
    """A month's posts, by a range on the indexed date (not a per-row date function)."""
    start = timezone.make_aware(datetime.datetime(year, month, 1))
    end = timezone.make_aware(datetime.datetime(year + month // 12, month % 12 + 1, 1))
    return listing().filter(published_at__gte=start, published_at__lt=end)


def archive_months() -> list[dict]:
    """Each month that has posts, newest first, with how many: one pass over an index."""
    return list(
        Post.objects.published()
        .values(month=F("published_month"))
        .annotate(count=Count("id"))
        .order_by("-month")
    )


def newest_post_paths(limit: int = 1) -> list[str]:
    """Pages worth rendering at start; none if the database is not ready yet."""
    try:
        posts = Post.objects.published().newest_first().only("slug")[:limit]
        return [post.get_absolute_url() for post in posts]
    except DatabaseError:
        return []
