from django.http import HttpRequest

from broadsheet.core.selectors import get_site_settings


def site(request: HttpRequest) -> dict:
    return {"site": get_site_settings()}
