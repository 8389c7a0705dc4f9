"""Pages of a list without counting the whole list.

A COUNT over every published post costs more than the page itself on a large site, and
readers need only "newer" and "older": fetching one row more than a page tells both.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from broadsheet.core.numbers import parse_number

PAGE_SIZE = 10
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Page:
    object_list: list
    number: int
    has_next: bool

    def __iter__(self) -> Iterator:
        return iter(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def paginate(queryset: QuerySet, page_number: int, *, per_page: int = PAGE_SIZE) -> Page:
    """A page of results, or 404 for a page past the end (no silent last page)."""
    start = (page_number - 1) * per_page
    if start < 0:
        raise Http404("No such page.")
    rows = list(queryset[start : start + per_page + 1])
    if page_number > 1 and not rows:
        raise Http404("No such page.")
    return Page(object_list=rows[:per_page], number=page_number, has_next=len(rows) > per_page)


def page_number(value: str | None) -> int:
    """A page number from a query string; anything odd is the first page."""
    return parse_number(value, maximum=MAX_PAGE) or 1


def page_number_or_404(value: str | None) -> int:
    """A page number from a query string; none is the first page, anything odd is no page."""
    if not value:
        return 1
    if (number := parse_number(value, maximum=MAX_PAGE)) is None:
        raise Http404("No such page.")
    return number
