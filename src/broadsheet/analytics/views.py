"""The stats pages: the site's (or, for an author, their own posts'), and one post's."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from broadsheet.accounts import permissions
from broadsheet.accounts.http import AuthenticatedHttpRequest
from broadsheet.accounts.models import User
from broadsheet.accounts.permissions import Action
from broadsheet.analytics import selectors
from broadsheet.analytics.charts import line_chart
from broadsheet.content.models import Post
from broadsheet.core.staff import staff_view


def _period_context(*, post: Post | None = None, author: User | None = None) -> dict:
    points = selectors.daily_series(post=post, author=author)
    return {
        "points": points,
        "chart": line_chart(points),
        "total_views": sum(p.views for p in points),
        "total_readers": sum(p.readers for p in points),
        "sources": selectors.sources(post=post, author=author),
        "referrers": selectors.top_referrers(post=post, author=author),
        "days": selectors.DEFAULT_DAYS,
    }


@staff_view(Action.VIEW_STATS)
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The whole site for editors and up; an author sees the same page for their own posts."""
    whole_site = permissions.can(request.user, Action.VIEW_SITE_STATS)
    author = None if whole_site else request.user
    context = {
        **_period_context(author=author),
        "top_posts": selectors.top_posts(author=author),
        "own_posts_only": not whole_site,
    }
    return render(request, "analytics/overview.html", context)


@staff_view(Action.VIEW_STATS)
def post_stats(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk)
    if not permissions.can_view_post_stats(request.user, post):
        raise PermissionDenied("Authors see the stats of their own posts.")
    return render(request, "analytics/post.html", {**_period_context(post=post), "post": post})
