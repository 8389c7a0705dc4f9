"""Per-request activation of the site's own time zone and language (site settings)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from broadsheet.core.selectors import get_site_settings


class SiteLocaleMiddleware:
    """Dates on every page, the archive months and the studio's schedule all use the
    site's time zone; `<html lang>` and Django's own words use its language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        site = request.site_settings = get_site_settings()
        with timezone.override(site.timezone), translation.override(site.language):
            request.LANGUAGE_CODE = site.language
            return self.get_response(request)
