"""What both APIs answer with, made one way: the options each kind of list reads, and
`answer`, Ghost's envelope around the objects (`{"posts": [...], "meta": ...}` for a list,
`{"posts": [post]}` for one, which Ghost's client unwraps)."""

import dataclasses

from django.http import HttpRequest, HttpResponse

from broadsheet.api import selectors, serializers
from broadsheet.api.http import json_response
from broadsheet.api.params import Options, read_options
from broadsheet.core.addresses import site_origin

POST_INCLUDES = frozenset({"tags", "authors"})
COUNT_INCLUDES = frozenset({"count.posts"})


def post_options(request: HttpRequest, orders: dict[str, str], *, admin: bool = False) -> Options:
    """For posts and pages. Newest first, by the column `published_at` stands for (a page
    has none: its creation), or best first for a `search`. Ghost's Admin API sends tags
    and authors with every post."""
    options = read_options(
        request.GET,
        includes=POST_INCLUDES,
        orders=orders,
        default_order=("-" + orders["published_at"],),
        searchable=True,
    )
    if admin:
        return dataclasses.replace(options, include=options.include | POST_INCLUDES)
    return options


def counted_options(request: HttpRequest, orders: dict[str, str]) -> Options:
    """For tags and authors, which may count their posts."""
    return read_options(request.GET, includes=COUNT_INCLUDES, orders=orders)


def answer(
    request: HttpRequest,
    resource: str,
    found: selectors.Found,
    options: Options,
    *,
    many: bool = False,
    admin: bool = False,
    status: int = 200,
) -> HttpResponse:
    objects = serializers.objects(
        resource, found, origin=site_origin(request), options=options, admin=admin
    )
    data: dict = {resource: objects}
    if many:
        meta = serializers.pagination(page=options.page, limit=options.limit, total=found.total)
        data["meta"] = {"pagination": meta}
    return json_response(data, status=status)
