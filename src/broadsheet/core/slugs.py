"""Addresses made from titles and names: one rule for posts, pages and tags."""

from django.db.models import Model, QuerySet
from django.utils.text import slugify


def slug_base(text: str, *, max_length: int, fallback: str) -> str:
    """`text` as an address part, cut short enough to leave room for a `-N` suffix."""
    return slugify(text)[:max_length].strip("-") or fallback


def unique_slug(
    rows: QuerySet[Model],
    text: str,
    *,
    max_length: int,
    fallback: str,
    exclude_pk: int | None = None,
) -> str:
    """The first of `base`, `base-2`, `base-3`, ... that no row of `rows` has.

    One indexed lookup when `base` is free (the usual case); only a taken one reads the
    slugs that start with it (a prefix scan, which grows with the table on SQLite).
    """
    base = slug_base(text, max_length=max_length, fallback=fallback)
    others = rows.exclude(pk=exclude_pk)
    if not others.filter(slug=base).exists():
        return base
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
