from collections.abc import Callable
from functools import wraps

from django.http import HttpResponse, QueryDict
from django.utils import translation

from broadsheet.fastpath.app import CACHEABLE_HEADER, POST_HEADER, READS_HEADER, SLUG_SUFFIX


def reader_page(
    view: Callable | None = None, *, reads: tuple[str, ...] = (), slugs: tuple[str, ...] = ()
) -> Callable:
    """The page is the same for every anonymous reader: the fast path may keep it.

    `reads` names the query parameters that are numbers and change the page, `slugs`
    those that are slugs (`app.SLUG_VALUE`); the fast path keeps a page per value of those
    and ignores every other parameter, and so does the view: it is shown only those, so a
    parameter it reads but does not name cannot make a page that the store would then
    serve for another address. A view that reads a slug answers one it does not know with
    a 404. The page's language goes with it, so counts filled in later are written the
    same way.
    """
    named = (*reads, *(f"{slug}{SLUG_SUFFIX}" for slug in slugs))

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs) -> HttpResponse:
            request.GET = _only(request.GET, (*reads, *slugs))
            response = view(request, *args, **kwargs)
            response[CACHEABLE_HEADER] = "1"
            if named:
                response[READS_HEADER] = ",".join(named)
            response.setdefault("Content-Language", translation.get_language())
            return response

        return wrapper

    return decorate(view) if view is not None else decorate


def _only(query: QueryDict, names: tuple[str, ...]) -> QueryDict:
    kept = QueryDict(mutable=True)
    for name in names:
        if name in query:
            kept.setlist(name, query.getlist(name))
    kept._mutable = False
    return kept


def shows_view_count(response: HttpResponse, post_id: int) -> HttpResponse:
    """Served from the store, the page still counts as a view of this post."""
    response[POST_HEADER] = str(post_id)
    return response
