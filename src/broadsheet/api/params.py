"""The query parameters of Ghost's read endpoints, read once into `Options`.

Ghost's documented parameters: `include`, `fields`, `formats`, `filter`, `limit`, `page`,
`order`. Unknown `include`, `fields` and `formats` values are ignored, as Ghost's own
clients sometimes send values an older Ghost knew; a malformed `limit`, `page` or
`order` is a 422 that says which parameter is wrong.

Broadsheet adds one of its own to the lists of posts and pages, `search`: the site's
search, in the readers' query language (`search.query`), which no input can make fail.
"""

import dataclasses
import re
from collections.abc import Mapping

from broadsheet.api.errors import Invalid
from broadsheet.core.numbers import parse_number
from broadsheet.search.query import Query, parse

DEFAULT_LIMIT = 15
# Ghost 6 caps a page at 100 and reads `limit=all` as 100 (old starters still send it).
MAX_LIMIT = 100
_ORDER_TERM = re.compile(r"\s*([a-z_]+)(?:\s+(asc|desc))?\s*", re.IGNORECASE)


@dataclasses.dataclass(frozen=True)
class Options:
    include: frozenset[str] = frozenset()
    fields: frozenset[str] | None = None  # None: every field
    formats: frozenset[str] = frozenset({"html"})
    filter: str = ""
    limit: int = DEFAULT_LIMIT
    page: int = 1
    order: tuple[str, ...] = ()  # Django's order_by terms; () with a search: best first
    search: Query | None = None  # None: no search (none asked, or nothing to look for)

    def wants(self, field: str) -> bool:
        return self.fields is None or field in self.fields


def _list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def read_options(
    query: Mapping[str, str],
    *,
    includes: frozenset[str] = frozenset(),
    orders: Mapping[str, str] | None = None,
    default_order: tuple[str, ...] = (),
    formats: frozenset[str] = frozenset({"html"}),
    searchable: bool = False,
) -> Options:
    """`orders` maps the names a client may order by to our columns. A list that is
    `searchable` reads `search`; a search is ordered by relevance unless `order` is sent."""
    search = _search(query.get("search")) if searchable else None
    include = frozenset(_list(query.get("include"))) & includes
    fields = frozenset(_list(query.get("fields"))) or None
    asked_formats = frozenset(_list(query.get("formats"))) & {"html", "plaintext"}
    return Options(
        include=include,
        fields=fields,
        formats=asked_formats or formats,
        filter=query.get("filter", "") or "",
        limit=_limit(query.get("limit")),
        page=_page(query.get("page")),
        order=_order(query.get("order"), orders or {}) or (() if search else default_order),
        search=search,
    )


def _search(value: str | None) -> Query | None:
    query = parse(value or "")
    return None if query.is_empty else query


def _limit(value: str | None) -> int:
    if value is None or value == "":
        return DEFAULT_LIMIT
    if value.strip().lower() == "all":
        return MAX_LIMIT
    number = parse_number(value)  # from 1, or None
    if number is None:
        digits = value.strip()
        if digits.isdigit() and digits.strip("0"):  # a huge number: as many as a page holds
            return MAX_LIMIT
        raise Invalid("limit must be a whole number from 1 or 'all'.", context="limit")
    return min(number, MAX_LIMIT)


def _page(value: str | None) -> int:
    if value is None or value == "":
        return 1
    number = parse_number(value)
    if number is None:
        raise Invalid("page must be a whole number from 1.", context="page")
    return number


def _order(value: str | None, orders: Mapping[str, str]) -> tuple[str, ...]:
    if not value:
        return ()
    terms = []
    for part in value.split(","):
        match = _ORDER_TERM.fullmatch(part)
        if match is None or match[1].lower() not in orders:
            known = ", ".join(sorted(orders))
            raise Invalid(f"order: “{part.strip()[:40]}” is not one of: {known}.", context="order")
        column = orders[match[1].lower()]
        descending = (match[2] or "asc").lower() == "desc"
        terms.append(f"-{column}" if descending else column)
    return tuple(terms)
