from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from broadsheet.analytics import selectors
from broadsheet.analytics.charts import line_chart
from broadsheet.content.models import Post


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


@staff_member_required
def overview(request: HttpRequest) -> HttpResponse:
    context = {**_period_context(), "top_posts": selectors.top_posts()}
    return render(request, "analytics/overview.html", context)


@staff_member_required
def post_stats(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk)
    return render(request, "analytics/post.html", {**_period_context(post), "post": post})
