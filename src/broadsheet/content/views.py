"""The reader's pages. Thin: selectors read, services write, templates show."""

import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from broadsheet.accounts.models import User
from broadsheet.analytics.services import record_view
from broadsheet.content import selectors
from broadsheet.content.models import Page, Tag
from broadsheet.content.post_page import render_post_page
from broadsheet.core.pagination import paginate
from broadsheet.fastpath.decorators import reader_page, shows_view_count
from broadsheet.predictions.selectors import on_record, record_of


@require_safe
@reader_page(reads=("comments", "reply"))
def post_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        post = selectors.get_published_post(slug)
    except Http404:
        if moved_to := selectors.redirected_slug(slug):
            return redirect("content:post", slug=moved_to, permanent=True)
        raise
    record_view(request, post)
    return shows_view_count(render_post_page(request, post), post.pk)


def render_listing(
    request: HttpRequest, template: str, posts, *, page: int, base_url: str, **context
) -> HttpResponse:
    """A page of post cards; `base_url` is the first page, later ones add `page/N/`."""
    page_obj = paginate(posts, page)
    context.update(page_obj=page_obj, base_url=base_url)
    return render(request, template, context)


@require_safe
@reader_page
def post_list(request: HttpRequest, page: int = 1) -> HttpResponse:
    return render_listing(
        request,
        "content/post_list.html",
        selectors.listing(),
        page=page,
        base_url=reverse("content:home"),
    )


@require_safe
@reader_page
def author_detail(request: HttpRequest, slug: str, page: int = 1) -> HttpResponse:
    author = get_object_or_404(User, slug=slug, is_active=True)
    posts = selectors.listing().filter(author=author)
    # The track record heads the first page only: one query, however many predictions.
    record = record_of(on_record(author=author)) if page == 1 else None
    return render_listing(
        request,
        "content/author_detail.html",
        posts,
        page=page,
        base_url=author.get_absolute_url(),
        author=author,
        record=record,
    )


@require_safe
@reader_page
@cache_control(public=True, max_age=86400)
def author_avatar(request: HttpRequest, slug: str) -> HttpResponse:
    """A generated initials avatar for people who have not uploaded a picture."""
    author = get_object_or_404(User, slug=slug, is_active=True)
    return render(request, "content/avatar.svg", {"author": author}, content_type="image/svg+xml")


@require_safe
@reader_page
def tag_detail(request: HttpRequest, slug: str, page: int = 1) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    posts = selectors.listing().tagged(tag)
    return render_listing(
        request,
        "content/tag_detail.html",
        posts,
        page=page,
        base_url=tag.get_absolute_url(),
        tag=tag,
    )


@require_safe
@reader_page
def archive_index(request: HttpRequest) -> HttpResponse:
    return render(request, "content/archive_index.html", {"months": selectors.archive_months()})


@require_safe
@reader_page
def archive_month(request: HttpRequest, year: int, month: int, page: int = 1) -> HttpResponse:
    page_obj = paginate(selectors.month_listing(year, month), page)
    if not page_obj.object_list:
        raise Http404("No posts that month.")
    context = {
        "page_obj": page_obj,
        "month": datetime.date(year, month, 1),
        "base_url": reverse("content:archive_month", kwargs={"year": year, "month": month}),
    }
    return render(request, "content/archive_month.html", context)


@require_safe
@reader_page
def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(Page, slug=slug, status=Page.Status.PUBLISHED)
    return render(request, "content/page_detail.html", {"page": page})
