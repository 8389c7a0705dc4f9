"""What every API answer shares: the JSON, Ghost's version and CORS headers, ETags, and
the door each request passes (a Content API key, or an Admin API token), with its rate
limit and Ghost-shaped errors. Views raise `api.errors.ApiError`; nothing else escapes."""

import functools
import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, set_response_etag

from broadsheet.api.errors import (
    ApiError,
    BadRequest,
    Invalid,
    NoPermission,
    TooManyRequests,
    Unauthorized,
)
from broadsheet.api.nql import FilterError
from broadsheet.core.ratelimit import RateLimited
from broadsheet.fastpath.app import CACHEABLE_HEADER, EVERY_PARAMETER, READS_HEADER
from broadsheet.integrations import auth
from broadsheet.integrations.models import Integration

# The version of Ghost's API these answers follow (`Accept-Version` is read, any is served).
CONTENT_VERSION = "v6.0"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept-Version, Content-Type",
    "Access-Control-Max-Age": "86400",
}


def json_response(data: Any, *, status: int = 200) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False)
    response = HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    response["Content-Version"] = CONTENT_VERSION
    return response


def conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """An ETag on every read; 304 when the client has it already."""
    set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response) or response


def errors_as_json(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refusals from the actions, as the API says them."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ApiError as error:
            return error.response()
        except PermissionDenied as error:
            return NoPermission(str(error) or "Permission denied.").response()
        except ValidationError as error:
            return Invalid(_message(error)).response()
        except FilterError as error:
            return Invalid(f"filter: {error}", context="filter").response()
        except IntegrityError:
            return Invalid("That clashes with something that exists (a name or slug?).").response()

    return wrapper


def _message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(
            f"{message}" for messages in error.message_dict.values() for message in messages
        )
    return " ".join(error.messages)


def content_endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A Content API read: a valid `?key=`, the key's rate limit, CORS for any origin, and
    an answer the fast path may keep (per full query string: the key is part of it)."""

    @functools.wraps(view)
    @errors_as_json
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            return HttpResponse(status=204)
        integration = auth.integration_for_content_key(request.GET.get("key", ""))
        if integration is None:
            raise Unauthorized("Unknown Content API Key", code="UNKNOWN_CONTENT_API_KEY")
        _count(integration, write=False)
        response = conditional(request, view(request, *args, **kwargs))
        response["Cache-Control"] = "public, max-age=0"
        response[CACHEABLE_HEADER] = "1"
        response[READS_HEADER] = EVERY_PARAMETER
        return response

    wrapper.answers_json = True  # type: ignore[attr-defined]  # a mark for core.uploads
    return _with_cors_on_errors(wrapper)


def _with_cors_on_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """CORS and the version on every answer of the door, its refusals and errors too."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        for name, value in CORS_HEADERS.items():
            response[name] = value
        response["Content-Version"] = CONTENT_VERSION
        return response

    return wrapper


def admin_endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An Admin API call: Ghost's token (`Authorization: Ghost <jwt>`), the key's rate
    limit; the view gets the integration, whose account is the actor of every action."""

    @functools.wraps(view)
    @errors_as_json
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            integration = auth.integration_for_admin_token(request.headers.get("Authorization", ""))
        except auth.TokenError as error:
            refusal = BadRequest if error.status == 400 else Unauthorized  # as Ghost answers
            raise refusal(error.message, code=error.code) from error
        _count(integration, write=request.method not in ("GET", "HEAD"))
        response = view(request, integration, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        if request.method in ("GET", "HEAD"):
            response = conditional(request, response)
        return response

    wrapper.answers_json = True  # type: ignore[attr-defined]
    wrapper.csrf_exempt = True  # type: ignore[attr-defined]  # a token, never a cookie
    return wrapper


def _count(integration: Integration, *, write: bool) -> None:
    try:
        auth.check_rate(integration, write=write)
    except RateLimited as error:
        raise TooManyRequests(str(error), retry_after=error.retry_after or 60) from error
