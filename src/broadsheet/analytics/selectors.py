"""Reads for the stats pages: daily series, top posts, sources and referrers."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.utils import timezone

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


def daily_series(*, days: int = DEFAULT_DAYS, post: Post | None = None) -> list[DayPoint]:
    """One point a day, zeros included; today's readers come from the live marks."""
    start, today = period(days)
    stats = DailyPostStats.objects.filter(day__gte=start)
    marks = ReaderMark.objects.filter(day=today)
    if post is not None:
        stats, marks = stats.filter(post=post), marks.filter(post=post)
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


def top_posts(*, days: int = DEFAULT_DAYS, limit: int = 10) -> list[Post]:
    start, _ = period(days)
    return list(
        Post.objects.filter(daily_stats__day__gte=start)
        .annotate(period_views=Sum("daily_stats__views"))
        .order_by("-period_views", "-id")
        .only("id", "title", "slug", "view_count")[:limit]
    )


def sources(*, days: int = DEFAULT_DAYS, post: Post | None = None) -> list[dict]:
    start, _ = period(days)
    rows = DailyReferral.objects.filter(day__gte=start)
    if post is not None:
        rows = rows.filter(post=post)
    labels = dict(Source.choices)
    return [
        {"label": labels.get(row["source"], row["source"]), "views": row["views"]}
        for row in rows.values("source").annotate(views=Sum("views")).order_by("-views")
    ]


def top_referrers(
    *, days: int = DEFAULT_DAYS, post: Post | None = None, limit: int = 10
) -> list[dict]:
    start, _ = period(days)
    rows = DailyReferral.objects.filter(day__gte=start).exclude(domain="")
    if post is not None:
        rows = rows.filter(post=post)
    return list(
        rows.values("domain").annotate(views=Sum("views")).order_by("-views", "domain")[:limit]
    )


def reader_marks_to_roll_up(before: datetime.date):
    return (
        ReaderMark.objects.filter(day__lt=before)
        .values("post_id", "day")
        .annotate(readers=Count("id"))
    )
