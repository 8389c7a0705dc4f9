"""The search stats page: what readers search for, and what they did not find.

Its own module (not `views.py`): the public search page's views live there."""

from django.http import HttpResponse
from django.shortcuts import render

from broadsheet.accounts.http import AuthenticatedHttpRequest
from broadsheet.accounts.permissions import Action
from broadsheet.core.staff import staff_view
from broadsheet.search import stats


@staff_view(Action.VIEW_STATS)
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """For every writer who sees stats: the searches are the whole site's, but they tell
    nothing of anyone's posts (no post, no reader, only the words and the day)."""
    context = {
        "days": stats.DEFAULT_DAYS,
        "totals": stats.totals(),
        "top": stats.top_queries(),
        "not_found": stats.top_queries(found=False),
    }
    return render(request, "search/stats.html", context)
