"""Reads for the public pages, each a fixed number of queries however large the site."""

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404

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


def archive_months() -> list[dict]:
    """Each month that has posts, newest first, with how many."""
    return list(
        Post.objects.published()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(count=Count("id"))
        .order_by("-month")
    )
