"""Reads for the stats pages: daily series, top posts, sources and referrers.

Each read covers the whole site, one `post`, or the posts of one `author` (what an author
sees; `accounts.permissions.can_view_post_stats` decides who sees what).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.analytics.models import DailyPostStats, DailyReferral, ReaderMark, Source
from broadsheet.content.models import Post

DEFAULT_DAYS = 30


@dataclass(frozen=True)
class DayPoint:
    day: datetime.date
    views: int
    readers: int


def period(days: int = DEFAULT_DAYS) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today - datetime.timedelta(days=days - 1), today


def _of[M: (DailyPostStats, DailyReferral, ReaderMark)](
    rows: QuerySet[M], post: Post | None, author: User | None
) -> QuerySet[M]:
    """The rows of one post, or of one author's posts, or all of them."""
    if post is not None:
        rows = rows.filter(post=post)
    if author is not None:
        rows = rows.filter(post__author=author)
    return rows


def daily_series(
    *, days: int = DEFAULT_DAYS, post: Post | None = None, author: User | None = None
) -> list[DayPoint]:
    """One point a day, zeros included; today's readers come from the live marks."""
    start, today = period(days)
    stats = _of(DailyPostStats.objects.filter(day__gte=start), post, author)
    marks = _of(ReaderMark.objects.filter(day=today), post, author)
    totals = {
        row["day"]: row
        for row in stats.values("day").annotate(views=Sum("views"), readers=Sum("readers"))
    }
    live_readers = marks.count()
    points = []
    for offset in range(days):
        day = start + datetime.timedelta(days=offset)
        row = totals.get(day, {"views": 0, "readers": 0})
        readers = live_readers if day == today else row["readers"]
        points.append(DayPoint(day, row["views"], readers))
    return points


def top_posts(
    *, days: int = DEFAULT_DAYS, author: User | None = None, limit: int = 10
) -> list[Post]:
    start, _ = period(days)
    posts = Post.objects.filter(daily_stats__day__gte=start)
    if author is not None:
        posts = posts.filter(author=author)
    return list(
        posts.annotate(period_views=Sum("daily_stats__views"))
        .order_by("-period_views", "-id")
        .only("id", "title", "slug", "view_count")[:limit]
    )


def sources(
    *, days: int = DEFAULT_DAYS, post: Post | None = None, author: User | None = None
) -> list[dict]:
    start, _ = period(days)
    rows = _of(DailyReferral.objects.filter(day__gte=start), post, author)
    labels = dict(Source.choices)
    return [
        {"label": labels.get(row["source"], row["source"]), "views": row["views"]}
        for row in rows.values("source").annotate(views=Sum("views")).order_by("-views")
    ]


def top_referrers(
    *,
    days: int = DEFAULT_DAYS,
    post: Post | None = None,
    author: User | None = None,
    limit: int = 10,
) -> list[dict]:
    start, _ = period(days)
    rows = _of(DailyReferral.objects.filter(day__gte=start).exclude(domain=""), post, author)
    by_domain = rows.values("domain").annotate(views=Sum("views")).order_by("-views", "domain")
    return [dict(row) for row in by_domain[:limit]]


def reader_marks_to_roll_up(before: datetime.date):
    return (
        ReaderMark.objects.filter(day__lt=before)
        .values("post_id", "day")
        .annotate(readers=Count("id"))
    )
