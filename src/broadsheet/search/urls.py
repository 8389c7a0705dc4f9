"""The public search page's address. (A placeholder until the page's view is written:
until then `/search/` is, as before, no page.)"""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

app_name = "search"


def results(request: HttpRequest) -> HttpResponse:
    raise Http404("No search page yet.")


urlpatterns = [
    path("", results, name="results"),
]
