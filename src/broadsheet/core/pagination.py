from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import Http404

PAGE_SIZE = 10


def paginate(queryset: QuerySet, page_number: int, *, per_page: int = PAGE_SIZE) -> Page:
    """A page of results, or 404 for a page that does not exist (no silent last page)."""
    try:
        return Paginator(queryset, per_page, allow_empty_first_page=True).page(page_number)
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404("No such page.") from exc
