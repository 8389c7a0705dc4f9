"""The Content API: public posts, pages, tags, authors and the site's settings, read-only."""

from django.http import HttpRequest, HttpResponse

from broadsheet.api import selectors, serializers
from broadsheet.api.answers import answer, counted_options, post_options
from broadsheet.api.http import json_response
from broadsheet.core.addresses import site_origin
from broadsheet.core.selectors import get_site_settings

# `id` and `slug` are Ghost's names for the two ways to read one (`{id}/`, `slug/{slug}/`).


def browse_posts(request: HttpRequest) -> HttpResponse:
    options = post_options(request, selectors.POST_ORDERS)
    return answer(request, "posts", selectors.posts(options), options, many=True)


def read_post(request: HttpRequest, id: str | None = None, slug: str | None = None) -> HttpResponse:
    options = post_options(request, selectors.POST_ORDERS)
    found = selectors.post(selectors.lookup_by(id=id, slug=slug), options)
    return answer(request, "posts", found, options)


def browse_pages(request: HttpRequest) -> HttpResponse:
    options = post_options(request, selectors.PAGE_ORDERS)
    return answer(request, "pages", selectors.pages(options), options, many=True)


def read_page(request: HttpRequest, id: str | None = None, slug: str | None = None) -> HttpResponse:
    options = post_options(request, selectors.PAGE_ORDERS)
    return answer(request, "pages", selectors.page(selectors.lookup_by(id=id, slug=slug)), options)


def browse_tags(request: HttpRequest) -> HttpResponse:
    options = counted_options(request, selectors.TAG_ORDERS)
    return answer(request, "tags", selectors.tags(options), options, many=True)


def read_tag(request: HttpRequest, id: str | None = None, slug: str | None = None) -> HttpResponse:
    options = counted_options(request, selectors.TAG_ORDERS)
    found = selectors.tag(selectors.lookup_by(id=id, slug=slug), options)
    return answer(request, "tags", found, options)


def browse_authors(request: HttpRequest) -> HttpResponse:
    options = counted_options(request, selectors.AUTHOR_ORDERS)
    return answer(request, "authors", selectors.authors(options), options, many=True)


def read_author(
    request: HttpRequest,
    id: str | None = None,
    slug: str | None = None,
) -> HttpResponse:
    options = counted_options(request, selectors.AUTHOR_ORDERS)
    found = selectors.author(selectors.lookup_by(id=id, slug=slug), options)
    return answer(request, "authors", found, options)


def read_settings(request: HttpRequest) -> HttpResponse:
    origin = site_origin(request)
    return json_response(
        {"settings": serializers.settings_object(get_site_settings(), origin=origin), "meta": {}}
    )
