"""Counting what readers search for: per day, per query, whether it found anything."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from broadsheet.search.models import SearchDay
from broadsheet.search.query import Query

LONGEST_KEPT = 100


def record_search(query: Query, *, found: bool, page: int = 1) -> None:
    """One more search for `query` today (in the site's time zone). The query is kept as
    parsed (lower case, no stray syntax), cut to 100 characters; nothing else is kept.
    Only a first page counts (paging through results is the same search), and only a
    query with something to look for."""
    text = str(query)[:LONGEST_KEPT]
    if page != 1 or query.is_empty or not text:
        return
    day = timezone.localdate()
    counted = SearchDay.objects.filter(day=day, query=text, found=found)
    if counted.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            SearchDay.objects.create(day=day, query=text, found=found, count=1)
    except IntegrityError:  # another process created today's row first
        counted.update(count=F("count") + 1)
