"""Reads for the public pages, each a fixed number of queries however large the site."""

import datetime

from django.db import DatabaseError
from django.db.models import Count, Exists, F, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from broadsheet.accounts import permissions
from broadsheet.accounts.models import User
from broadsheet.content.models import (
    STUDIO_ORDER,
    Post,
    Revision,
    SlugRedirect,
    Tag,
    published_filter,
)

RECENT_POSTS = 3


def get_published_post(slug: str) -> Post:
    return get_object_or_404(
        Post.objects.published().select_related("author", "cover_image").prefetch_related("tags"),
        slug=slug,
    )


def redirected_slug(old_slug: str) -> str | None:
    """The current slug of a published post that used to live at `old_slug`."""
    return (
        SlugRedirect.objects.filter(old_slug=old_slug)
        .filter(published_filter("post__"))
        .values_list("post__slug", flat=True)
        .first()
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
    posts = listing().filter(published_at__gte=start)
    if (year, month) == (datetime.MAXYEAR, 12):  # the last month there is has no next one
        return posts
    end = timezone.make_aware(datetime.datetime(year + month // 12, month % 12 + 1, 1))
    return posts.filter(published_at__lt=end)


def archive_months() -> list[dict]:
    """Each month that has posts, newest first, with how many: one pass over an index
    (`post_public_month_idx`, in month order, so nothing is sorted or looked up)."""
    return list(
        Post.objects.published()
        .values(month=F("published_month"))
        .annotate(count=Count("*"))
        .order_by("-month")
    )


def newest_post_paths(limit: int = 1) -> list[str]:
    """Pages worth rendering at start; none if the database is not ready yet."""
    try:
        posts = Post.objects.published().newest_first().only("slug")[:limit]
        return [post.get_absolute_url() for post in posts]
    except DatabaseError:
        return []


def studio_posts(user: User, *, status: str = "", author: str = "", tag: str = "") -> QuerySet:
    """The studio's list: everyone's posts for editors, one's own for the others.
    Authors prefetched, not joined: see `PostQuerySet.for_listing`. (Its words are
    searched by `search.selectors.matching_posts`, on top: search stands on content.)"""
    posts = (
        Post.objects.prefetch_related("author", "tags")
        .defer("body", "body_html")
        .order_by(*STUDIO_ORDER)
    )
    if not permissions.can(user, permissions.Action.VIEW_ALL_POSTS):
        posts = posts.filter(author=user)
    if status == "trash":
        posts = posts.filter(trashed_at__isnull=False)
    else:
        posts = posts.filter(trashed_at__isnull=True)
        if status == "published":
            posts = posts.filter(published_filter())
        elif status == "scheduled":
            posts = posts.filter(status=Post.Status.SCHEDULED, published_at__gt=timezone.now())
        elif status:
            posts = posts.filter(status=status)
    if author:
        posts = posts.filter(author__slug=author)
    if tag:
        posts = posts.filter(tags__slug=tag)
    return posts


def studio_authors(user: User) -> list[User]:
    """Staff who have written a post: a look at each one's first post, not a join of
    every post made distinct (40 ms at 100,000 posts on PostgreSQL)."""
    if not permissions.can(user, permissions.Action.VIEW_ALL_POSTS):
        return []
    wrote = Post.objects.filter(author=OuterRef("pk"))
    return list(User.objects.exclude(role="").filter(Exists(wrote)))


def newer_autosave(post: Post) -> Revision | None:
    """Work autosaved on a public post after its last real save, waiting to be used."""
    latest = post.revisions.order_by("-created_at", "-id").first()
    if latest and latest.kind == Revision.Kind.AUTOSAVE and latest.created_at > post.modified_at:
        return latest
    return None


def form_initial_from(revision: Revision) -> dict:
    """An editor form's starting values from a revision (loaded, not yet saved)."""
    data = revision.data
    initial = {key: data.get(key) or "" for key in data if key not in ("tags", "cover_image")}
    initial["tags"] = ", ".join(data.get("tags", []))
    initial["cover_image"] = data.get("cover_image")
    return initial


def next_scheduled_timestamp() -> float | None:
    """When the next scheduled post goes public (a Unix time), if any; None if unknown."""
    try:
        moment = (
            Post.objects.filter(status=Post.Status.SCHEDULED, published_at__gt=timezone.now())
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )
    except DatabaseError:
        return None
    return moment.timestamp() if moment else None


def tags_with_post_counts() -> list[tuple[Tag, int]]:
    """Every tag with how many posts have it (drafts included), counted from the link
    table alone: joining posts made this 350 ms on 100,000 posts; grouping the links
    takes 45."""
    links = Post.tags.through.objects.values_list("tag_id").annotate(n=Count("id"))
    counts: dict[int, int] = dict(links)
    return [(tag, counts.get(tag.pk, 0)) for tag in Tag.objects.all()]
