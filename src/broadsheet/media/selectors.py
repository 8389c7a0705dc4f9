"""Reads of the media library, each a fixed number of queries."""

from collections.abc import Iterable

from broadsheet.core.pagination import Page, paginate
from broadsheet.media.models import Image

LIBRARY_PAGE_SIZE = 48


def library_page(page_number: int) -> Page:
    """One page of the library, newest first, with each uploader (one query)."""
    return paginate(
        Image.objects.select_related("uploaded_by"), page_number, per_page=LIBRARY_PAGE_SIZE
    )


def images_by_name(names: Iterable[str]) -> dict[str, Image]:
    """Images by their stored file name, in one query (none for no names)."""
    names = set(names)
    if not names:
        return {}
    found = Image.objects.filter(file__in=names)
    return {image.file.name: image for image in found if image.file.name}


def library_has_page(page_number: int) -> bool:
    """Whether a page of the library has any image on it (after a delete, it may not)."""
    start = (page_number - 1) * LIBRARY_PAGE_SIZE
    return start >= 0 and Image.objects.all()[start : start + 1].exists()
