from collections.abc import Callable
from functools import wraps

from django.http import HttpResponse
from django.utils import translation

from broadsheet.fastpath.app import CACHEABLE_HEADER, POST_HEADER


def reader_page(view: Callable) -> Callable:
    """The page is the same for every anonymous reader: the fast path may keep it.

    Its language goes with it, so counts filled in later are written the same way.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response[CACHEABLE_HEADER] = "1"
        response.setdefault("Content-Language", translation.get_language())
        return response

    return wrapper


def shows_view_count(response: HttpResponse, post_id: int) -> HttpResponse:
    """Served from the store, the page still counts as a view of this post."""
    response[POST_HEADER] = str(post_id)
    return response
