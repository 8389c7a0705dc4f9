"""The search page and the OpenSearch description. The page is never stored (each search
is counted and rate-limited); its results come from `selectors.search`."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from broadsheet.core.addresses import client_address, site_origin
from broadsheet.core.pagination import page_number
from broadsheet.core.ratelimit import RateLimited, check_in_window
from broadsheet.fastpath.decorators import reader_page
from broadsheet.search import selectors, services
from broadsheet.search.forms import SearchForm


@require_safe
def results(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    text = form.value("q")
    filters = selectors.chosen_filters(
        tag=form.value("tag"), author=form.value("author"), year=form.value("year")
    )
    context = {
        "search_query": text,
        "filters": filters,
        "choices": selectors.filter_choices(),
        "results": None,
    }
    if text:
        try:
            check_in_window(
                "search",
                client_address(request.META),
                limit=settings.BROADSHEET_SEARCHES_PER_MINUTE,
            )
        except RateLimited as error:
            response = render(
                request, "search/results.html", {**context, "refused": str(error)}, status=429
            )
            response["Retry-After"] = str(error.retry_after)
            return response
        number = page_number(request.GET.get("page"))
        found = selectors.search(text, filters=filters, page=number)
        services.record_search(found.query, found=bool(found.count), page=number)
        context.update(results=found, page_link=_page_link(request))
    return render(request, "search/results.html", context)


def _page_link(request: HttpRequest) -> str:
    """The page's query string without its page number, to add one to."""
    kept = [(key, value) for key, value in request.GET.items() if key != "page" and value]
    return "?" + urlencode(kept) + ("&" if kept else "")


@require_safe
@reader_page
def opensearch(request: HttpRequest) -> HttpResponse:
    """So that a browser can offer the site as a search engine (linked from every page's
    `<head>`)."""
    return render(
        request,
        "search/opensearch.xml",
        {"origin": site_origin(request)},
        content_type="application/opensearchdescription+xml",
    )
