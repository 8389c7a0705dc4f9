from django.http import HttpRequest, HttpResponse

from broadsheet.api.errors import NotFound


def unknown_endpoint(request: HttpRequest) -> HttpResponse:
    """Anything else under /ghost/api/: Ghost's 404, not the reader's HTML page."""
    return NotFound("Resource not found. See /ghost/api/openapi.json for what there is.").response()
