from django.http import HttpRequest

from broadsheet.core.selectors import get_site_settings


def site(request: HttpRequest) -> dict:
    """The middleware has read them already for this request; reuse that copy."""
    return {"site": getattr(request, "site_settings", None) or get_site_settings()}
