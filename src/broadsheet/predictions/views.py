"""The track record's reader page, `/predictions/`: the same for every reader, so the
fast path keeps it (per author, tag and page of each list)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from broadsheet.core.pagination import Page, page_number_or_404, paginate
from broadsheet.fastpath.decorators import reader_page
from broadsheet.predictions import selectors
from broadsheet.predictions.models import Prediction

LIST_SIZE = 20


@dataclass(frozen=True)
class Listing:
    """A page of one of the lists, with links to its neighbours that keep the rest of the
    query (the filters, the other list's page)."""

    page: Page
    previous_url: str
    next_url: str


@require_safe
@reader_page(reads=("open", "resolved"), slugs=("author", "tag"))
def record(request: HttpRequest) -> HttpResponse:
    filters = selectors.chosen_filters(
        author=request.GET.get("author", ""), tag=request.GET.get("tag", "")
    )
    predictions = filters.predictions()
    context = {
        "filters": filters,
        "record": selectors.record_of(predictions),
        "open": _listing(request, "open", selectors.open_predictions(predictions)),
        "resolved": _listing(request, "resolved", selectors.resolved_predictions(predictions)),
        "today": selectors.site_today(),
    }
    return render(request, "predictions/record.html", context)


def _listing(request: HttpRequest, name: str, predictions: QuerySet[Prediction]) -> Listing:
    page = paginate(predictions, page_number_or_404(request.GET.get(name)), per_page=LIST_SIZE)

    def url(number: int) -> str:
        query = {key: value for key, value in request.GET.items() if value and key != name}
        if number > 1:
            query[name] = str(number)
        return f"?{urlencode(query)}#{name}" if query else f"{request.path}#{name}"

    return Listing(
        page=page,
        previous_url=url(page.previous_page_number) if page.has_previous else "",
        next_url=url(page.next_page_number) if page.has_next else "",
    )
