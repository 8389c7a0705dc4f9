"""Addresses: who sent a request (every rate limit, login lockout and reader hash uses
`client_address`) and the site's own (`site_origin`, for links that leave the site)."""

import ipaddress
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


def client_address(environ: Mapping) -> str:
    """The address of the client that sent this request (a WSGI environ or request.META).

    Directly connected, it is the socket's peer (REMOTE_ADDR). Behind proxies
    (BROADSHEET_BEHIND_PROXY), each proxy appends the address it was sent the request from
    to X-Forwarded-For, after whatever the client wrote there itself; so the client is the
    entry BROADSHEET_TRUSTED_PROXIES from the right, and nothing to its left is believed.
    A header with fewer entries, or with no address in that place, did not come through
    every proxy: the nearest one's address is all that is known.
    """
    remote = environ.get("REMOTE_ADDR", "")
    trusted = settings.BROADSHEET_TRUSTED_PROXIES if settings.BROADSHEET_BEHIND_PROXY else 0
    if trusted < 1:
        return remote
    entries = [entry.strip() for entry in environ.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [entry for entry in entries if entry]
    if len(entries) < trusted:
        return remote
    try:
        return str(ipaddress.ip_address(entries[-trusted]))  # one spelling per address
    except ValueError:
        return remote


def request_address(request: HttpRequest) -> str:
    """The same, for django-axes (AXES_CLIENT_IP_CALLABLE)."""
    return client_address(request.META)


def site_origin(request: HttpRequest | None = None, *, stored: str = "") -> str:
    """The site's address for emails: SITE_URL when set (the one people know), else the
    request's, else one `stored` from an earlier request (work that runs later, such as a
    newsletter send, keeps the address it was started from)."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    if stored:
        return stored
    raise ImproperlyConfigured("Set BROADSHEET_SITE_URL so that emailed links have an address.")


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    return site_origin(request) + path
