"""Per-request activation of the site's own time zone and language (site settings), and
keeping signed-in pages out of every cache."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from broadsheet.core.selectors import get_site_settings


class SiteLocaleMiddleware:
    """Dates on every page, the archive months and the studio's schedule all use the
    site's time zone; `<html lang>` and Django's own words use its language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        site = get_site_settings()
        # The same copy for the templates (core.context_processors.site) as for the time zone.
        request.site_settings = site  # type: ignore[attr-defined]  # an attribute of our own on Django's request
        with timezone.override(site.timezone), translation.override(site.language):
            request.LANGUAGE_CODE = site.language
            return self.get_response(request)


# The studio, accounts, stats, members' own pages and Django's admin: never stored anywhere,
# whoever asks (their sign-in pages included).
PRIVATE_PREFIXES = ("/studio/", "/account/", "/stats/", "/admin/", "/members/")


class PrivatePagesMiddleware:
    """`Cache-Control: private, no-store` on every page of the signed-in areas, and on any
    page made for a signed-in person that does not say how it may be cached: no shared
    cache keeps it, and the browser does not keep it on disk for the next user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Only a request with a session can be signed in; asking others would read the
        # session and make every public page vary by cookie.
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES and (
            getattr(request, "user", None) is not None and request.user.is_authenticated
        )
        if request.path.startswith(PRIVATE_PREFIXES) or (
            signed_in and not response.has_header("Cache-Control")
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response
