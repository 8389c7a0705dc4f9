"""Reads for the search stats page (`/stats/search/`): what readers searched for over a
period, from the daily counts `services.record_search` keeps. Each read is one grouped
query, however many days or queries there are."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, Sum
from django.utils import timezone

from broadsheet.search.models import SearchDay

DEFAULT_DAYS = 30  # as the other stats pages
TOP = 25


@dataclass(frozen=True)
class QueryCount:
    query: str
    count: int


@dataclass(frozen=True)
class Totals:
    searches: int
    found_nothing: int


def start_of(days: int) -> datetime.date:
    """The first day of a period of `days` days ending today (in the site's time zone,
    as searches are counted)."""
    return timezone.localdate() - datetime.timedelta(days=days - 1)


def top_queries(
    *, days: int = DEFAULT_DAYS, found: bool | None = None, limit: int = TOP
) -> list[QueryCount]:
    """The most searched queries of the period, most first. `found=False`: only the
    searches that found nothing; None: every search, whatever it found (a query may
    have found nothing one day and something the next)."""
    rows = SearchDay.objects.filter(day__gte=start_of(days))
    if found is not None:
        rows = rows.filter(found=found)
    grouped = rows.values("query").annotate(total=Sum("count")).order_by("-total", "query")[:limit]
    return [QueryCount(row["query"], row["total"]) for row in grouped]


def totals(*, days: int = DEFAULT_DAYS) -> Totals:
    counted = SearchDay.objects.filter(day__gte=start_of(days)).aggregate(
        searches=Sum("count", default=0),
        found_nothing=Sum("count", filter=Q(found=False), default=0),
    )
    return Totals(**counted)
