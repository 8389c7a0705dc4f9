"""Cross-site request forgery protection for forms on pages that are cached for everyone.

A page served identically to every reader cannot carry a per-reader token, so these
forms are protected the way modern browsers allow: a browser says where a request comes
from (`Sec-Fetch-Site`, else `Origin`, else `Referer`), and anything from another site is
refused. A request with none of them did not come from a browser and carries no one's
credentials, so it has nothing to forge.
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.csrf import csrf_failure
from django.views.decorators.csrf import csrf_exempt

SAME_SITE_FETCH = {"same-origin", "none"}


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def is_same_origin(request: HttpRequest) -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in SAME_SITE_FETCH
    claimed = request.headers.get("Origin") or request.headers.get("Referer")
    if claimed is None:
        return True
    if claimed == "null":
        return False
    allowed = {f"{request.scheme}://{request.get_host()}".lower()}
    allowed.update(origin.lower() for origin in settings.CSRF_TRUSTED_ORIGINS)
    return _origin_of(claimed) in allowed


def same_origin_required(view: Callable) -> Callable:
    """Refuse form posts that another site made a reader's browser send."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_same_origin(request):
            return csrf_failure(request, reason="The form was sent from another site.")
        return view(request, *args, **kwargs)

    return wrapper
