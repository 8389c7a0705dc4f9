"""The Content API: public posts, pages, tags, authors and the site's settings, read-only.

Answers are Ghost's: `{"posts": [...], "meta": {"pagination": ...}}` for a list and
`{"posts": [post]}` for one (Ghost's client unwraps a one-item list without `meta`).
"""

from django.http import HttpRequest, HttpResponse

from broadsheet.api import selectors, serializers
from broadsheet.api.http import json_response
from broadsheet.api.params import Options, read_options
from broadsheet.core.addresses import site_origin
from broadsheet.core.selectors import get_site_settings

POST_INCLUDES = frozenset({"tags", "authors"})
COUNT_INCLUDES = frozenset({"count.posts"})


def newest_first(orders: dict[str, str]) -> tuple[str, ...]:
    """Ghost's default order, published_at desc, in the columns of what is read (a page
    has no published_at of its own: its creation stands for it)."""
    return ("-" + orders["published_at"],)


def _listed(key: str, objects: list, found: selectors.Found, options: Options) -> HttpResponse:
    meta = serializers.pagination(page=options.page, limit=options.limit, total=found.total)
    return json_response({key: objects, "meta": {"pagination": meta}})


def _post_options(request: HttpRequest, orders: dict[str, str]) -> Options:
    return read_options(
        request.GET, includes=POST_INCLUDES, orders=orders, default_order=newest_first(orders)
    )


def _posts(found: selectors.Found, options: Options, origin: str) -> list[dict]:
    seen: dict = {}
    return [
        serializers.post_object(
            post,
            origin=origin,
            options=options,
            comment_count=found.counts.get(post.pk, 0),
            seen=seen,
        )
        for post in found.rows
    ]


def browse_posts(request: HttpRequest) -> HttpResponse:
    options = _post_options(request, selectors.POST_ORDERS)
    found = selectors.posts(options)
    return _listed("posts", _posts(found, options, site_origin(request)), found, options)


def read_post(request: HttpRequest, id: str | None = None, slug: str | None = None) -> HttpResponse:
    options = _post_options(request, selectors.POST_ORDERS)
    found = selectors.post(selectors.lookup_by(id=id, slug=slug), options)
    return json_response({"posts": _posts(found, options, site_origin(request))})


def _pages(found: selectors.Found, options: Options, origin: str) -> list[dict]:
    return [serializers.page_object(page, origin=origin, options=options) for page in found.rows]


def browse_pages(request: HttpRequest) -> HttpResponse:
    options = _post_options(request, selectors.PAGE_ORDERS)
    found = selectors.pages(options)
    return _listed("pages", _pages(found, options, site_origin(request)), found, options)


def read_page(request: HttpRequest, id: str | None = None, slug: str | None = None) -> HttpResponse:
    options = _post_options(request, selectors.PAGE_ORDERS)
    found = selectors.page(selectors.lookup_by(id=id, slug=slug))
    return json_response({"pages": _pages(found, options, site_origin(request))})


def _tags(found: selectors.Found, options: Options, origin: str) -> list[dict]:
    counted = "count.posts" in options.include
    return [
        serializers.tag_object(
            tag,
            origin=origin,
            post_count=found.counts.get(tag.pk, 0) if counted else None,
            options=options,
        )
        for tag in found.rows
    ]


def tag_options(request: HttpRequest) -> Options:
    return read_options(request.GET, includes=COUNT_INCLUDES, orders=selectors.TAG_ORDERS)


def browse_tags(request: HttpRequest) -> HttpResponse:
    options = tag_options(request)
    found = selectors.tags(options)
    return _listed("tags", _tags(found, options, site_origin(request)), found, options)


def read_tag(request: HttpRequest, id: str | None = None, slug: str | None = None) -> HttpResponse:
    options = tag_options(request)
    found = selectors.tag(selectors.lookup_by(id=id, slug=slug), options)
    return json_response({"tags": _tags(found, options, site_origin(request))})


def _authors(found: selectors.Found, options: Options, origin: str) -> list[dict]:
    counted = "count.posts" in options.include
    return [
        serializers.author_object(
            user,
            origin=origin,
            post_count=found.counts.get(user.pk, 0) if counted else None,
            options=options,
        )
        for user in found.rows
    ]


def author_options(request: HttpRequest) -> Options:
    return read_options(request.GET, includes=COUNT_INCLUDES, orders=selectors.AUTHOR_ORDERS)


def browse_authors(request: HttpRequest) -> HttpResponse:
    options = author_options(request)
    found = selectors.authors(options)
    return _listed("authors", _authors(found, options, site_origin(request)), found, options)


def read_author(
    request: HttpRequest,
    id: str | None = None,
    slug: str | None = None,
) -> HttpResponse:
    options = author_options(request)
    found = selectors.author(selectors.lookup_by(id=id, slug=slug), options)
    return json_response({"authors": _authors(found, options, site_origin(request))})


def read_settings(request: HttpRequest) -> HttpResponse:
    origin = site_origin(request)
    return json_response(
        {"settings": serializers.settings_object(get_site_settings(), origin=origin), "meta": {}}
    )
