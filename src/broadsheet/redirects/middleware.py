"""Answering old addresses: what nothing else answers (a 404) and the home page with a
legacy parameter (/?p=12) are looked up (two queries) and sent on with a 301."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from broadsheet.redirects.addresses import LEGACY_QUERY_KEYS, new_address


class OldAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        named = request.path == "/" and not LEGACY_QUERY_KEYS.isdisjoint(request.GET)
        if named and (target := new_address(request.get_full_path())) is not None:
            return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code == 404 and (target := new_address(request.path)) is not None:
            return HttpResponsePermanentRedirect(target)
        return response
