"""Writing and finding old addresses. One spelling per address, so a lookup is one query:
"/Post/Slug/?utm_source=x" and "/Post/Slug" are the same old address."""

from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from django.contrib.contenttypes.models import ContentType
from django.db import models

from broadsheet.redirects.models import PATH_LENGTH, OldAddress

# Query parameters that name a thing on the platforms we import from (WordPress's
# plain permalinks: /?p=12, /?page_id=3, /?cat=4, /?tag=x, /?author=2). Requests for
# the home page with one of these are answered here, not by the page store.
LEGACY_QUERY_KEYS = frozenset({"p", "page_id", "cat", "tag", "author"})


def normalise(address: str) -> str:
    """The path (decoded, no trailing slash) and, for the home page, its one naming
    parameter; "" for what cannot be an old address of ours."""
    parts = urlsplit(address.strip())
    path = unquote(parts.path or "/")
    if "\x00" in path:  # no address of ours, and PostgreSQL's text cannot hold it
        return ""
    if not path.startswith("/"):
        path = "/" + path
    path = path.rstrip("/") or "/"
    if path == "/":
        query = dict(parse_qsl(parts.query))
        named = [(key, query[key]) for key in sorted(LEGACY_QUERY_KEYS) if query.get(key)]
        return f"/?{urlencode(named[:1])}" if named else ""
    return path if len(path) <= PATH_LENGTH else ""


def keep(addresses: list[str], target: models.Model) -> int:
    """Record old addresses of `target`, in one query (a later import of the same address
    wins); returns how many were given. An address that is `target`'s own is skipped."""
    own = normalise(target.get_absolute_url())  # type: ignore[attr-defined]
    content_type = ContentType.objects.get_for_model(target)
    paths = [p for p in dict.fromkeys(normalise(a) for a in addresses) if p and p != own]
    if not paths:
        return 0
    OldAddress.objects.bulk_create(
        [OldAddress(path=p, content_type=content_type, object_id=target.pk) for p in paths],
        update_conflicts=True,
        unique_fields=["path"],
        update_fields=["content_type", "object_id"],
    )
    return len(paths)


def new_address(address: str) -> str | None:
    """Where an old address points now, or None."""
    path = normalise(address)
    if not path:
        return None
    old = OldAddress.objects.filter(path=path).select_related("content_type").first()
    target = old.target if old is not None else None
    return target.get_absolute_url() if target is not None else None
