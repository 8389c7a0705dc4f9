from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from broadsheet.accounts.permissions import Action
from broadsheet.analytics import selectors
from broadsheet.analytics.charts import line_chart
from broadsheet.content.models import Post
from broadsheet.core.staff import staff_view


def _period_context(post: Post | None = None) -> dict:
    points = selectors.daily_series(post=post)
    return {
        "points": points,
        "chart": line_chart(points),
        "total_views": sum(p.views for p in points),
        "total_readers": sum(p.readers for p in points),
        "sources": selectors.sources(post=post),
        "referrers": selectors.top_referrers(post=post),
        "days": selectors.DEFAULT_DAYS,
    }


@staff_view(Action.VIEW_STATS)
def overview(request: HttpRequest) -> HttpResponse:
    context = {**_period_context(), "top_posts": selectors.top_posts()}
    return render(request, "analytics/overview.html", context)


@staff_view(Action.VIEW_STATS)
def post_stats(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk)
    return render(request, "analytics/post.html", {**_period_context(post), "post": post})
