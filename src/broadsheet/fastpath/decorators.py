from collections.abc import Callable
from functools import wraps

from django.http import HttpResponse

from broadsheet.fastpath.app import CACHEABLE_HEADER, POST_HEADER


def reader_page(view: Callable) -> Callable:
    """The page is the same for every anonymous reader: the fast path may keep it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response[CACHEABLE_HEADER] = "1"
        return response

    return wrapper


def shows_view_count(response: HttpResponse, post_id: int) -> HttpResponse:
    """Served from the store, the page still counts as a view of this post."""
    response[POST_HEADER] = str(post_id)
    return response
