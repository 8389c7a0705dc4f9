"""Every endpoint of both APIs, once: the URLs (`api.urls`) and the OpenAPI description
(`api.openapi`) are both made from this list, so the two cannot drift apart."""

import dataclasses
import functools
from collections.abc import Callable, Iterable
from typing import Literal

from django.http import HttpRequest, HttpResponse

from broadsheet.api import admin_views, content_views
from broadsheet.api.errors import MethodNotAllowed
from broadsheet.api.http import admin_endpoint, content_endpoint, errors_as_json

Api = Literal["content", "admin"]
Kind = Literal["browse", "read", "add", "edit", "delete", "upload", "object"]


@dataclasses.dataclass(frozen=True)
class Endpoint:
    api: Api
    method: str
    route: str  # below /ghost/api/<api>/, as Django writes it
    view: Callable[..., HttpResponse]
    resource: str  # the key of the answer: "posts", "tags", "settings", ...
    kind: Kind
    summary: str


def _reads(api: Api, resource: str, browse, read, *, noun: str) -> list[Endpoint]:
    return [
        Endpoint(api, "GET", f"{resource}/", browse, resource, "browse", f"Browse {resource}"),
        Endpoint(
            api, "GET", f"{resource}/<str:id>/", read, resource, "read", f"Read a {noun} by id"
        ),
        Endpoint(
            api,
            "GET",
            f"{resource}/slug/<str:slug>/",
            read,
            resource,
            "read",
            f"Read a {noun} by slug",
        ),
    ]


def _writes(resource: str, add, edit, delete, *, noun: str) -> list[Endpoint]:
    return [
        Endpoint("admin", "POST", f"{resource}/", add, resource, "add", f"Add a {noun}"),
        Endpoint("admin", "PUT", f"{resource}/<str:id>/", edit, resource, "edit", f"Edit a {noun}"),
        Endpoint(
            "admin",
            "DELETE",
            f"{resource}/<str:id>/",
            delete,
            resource,
            "delete",
            f"Delete a {noun}",
        ),
    ]


CONTENT = [
    *_reads("content", "posts", content_views.browse_posts, content_views.read_post, noun="post"),
    *_reads("content", "pages", content_views.browse_pages, content_views.read_page, noun="page"),
    *_reads("content", "tags", content_views.browse_tags, content_views.read_tag, noun="tag"),
    *_reads(
        "content",
        "authors",
        content_views.browse_authors,
        content_views.read_author,
        noun="author",
    ),
    Endpoint(
        "content",
        "GET",
        "settings/",
        content_views.read_settings,
        "settings",
        "object",
        "The site's settings",
    ),
]

ADMIN = [
    *_reads("admin", "posts", admin_views.browse_posts, admin_views.read_post, noun="post"),
    *_writes(
        "posts", admin_views.add_post, admin_views.edit_post, admin_views.delete_post, noun="post"
    ),
    *_reads("admin", "pages", admin_views.browse_pages, admin_views.read_page, noun="page"),
    *_writes(
        "pages", admin_views.add_page, admin_views.edit_page, admin_views.delete_page, noun="page"
    ),
    *_reads("admin", "tags", admin_views.browse_tags, admin_views.read_tag, noun="tag"),
    *_writes("tags", admin_views.add_tag, admin_views.edit_tag, admin_views.delete_tag, noun="tag"),
    Endpoint(
        "admin",
        "POST",
        "images/upload/",
        admin_views.upload_image,
        "images",
        "upload",
        "Upload an image",
    ),
    Endpoint("admin", "GET", "site/", admin_views.read_site, "site", "object", "About the site"),
]

ENDPOINTS = CONTENT + ADMIN


def dispatcher(endpoints: Iterable[Endpoint]) -> Callable[..., HttpResponse]:
    """One view for one route: each method to its endpoint, any other a 405."""
    endpoints = list(endpoints)
    door = content_endpoint if endpoints[0].api == "content" else admin_endpoint
    by_method = {endpoint.method: door(endpoint.view) for endpoint in endpoints}
    if "GET" in by_method:
        by_method["HEAD"] = by_method["GET"]
        if endpoints[0].api == "content":
            by_method["OPTIONS"] = by_method["GET"]  # CORS preflight: answered by the door
    allowed = ", ".join(sorted(by_method))

    @errors_as_json
    def dispatch(request: HttpRequest, **kwargs) -> HttpResponse:
        view = by_method.get(request.method or "")
        if view is None:
            raise MethodNotAllowed(f"{request.method} is not allowed here; use {allowed}.")
        return view(request, **kwargs)

    first = by_method[endpoints[0].method]
    functools.update_wrapper(dispatch, first, assigned=(), updated=())
    for mark in ("csrf_exempt", "answers_json", "takes_files"):
        if any(getattr(view, mark, False) for view in by_method.values()):
            setattr(dispatch, mark, True)
    dispatch.endpoints = endpoints  # type: ignore[attr-defined]  # for the OpenAPI test
    return dispatch
