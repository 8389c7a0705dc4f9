"""Reading a large site in chunks of plain rows, for exports.

Not `prefetch_related` on model instances: each prefetched instance and its related
querysets refer to one another, so they are freed only by a full garbage collection,
which Python runs less often the more memory is in use; an export of 1,500 posts held
three times what one of 300 held. Plain rows (`values()`) hold no such cycles.
"""

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from broadsheet.content.models import Post

CHUNK = 200  # posts read at a time, with what they need from other tables


def in_chunks(rows: QuerySet, size: int = CHUNK) -> Iterator[tuple[dict, ...]]:
    """A `values()` queryset, `size` rows at a time, read from one cursor."""
    return itertools.batched(rows.iterator(chunk_size=size), size)


def grouped(pairs: Iterable[tuple[int, Any]]) -> defaultdict[int, list]:
    """(key, value) pairs as lists of values by key, in the order they came."""
    groups: defaultdict[int, list] = defaultdict(list)
    for key, value in pairs:
        groups[key].append(value)
    return groups


def tags_of(post_ids: list[int], *fields: str) -> defaultdict[int, list]:
    """Each post's tags as (`fields`) tuples, or single values for one field, by slug."""
    links = Post.tags.through.objects.filter(post_id__in=post_ids).order_by("tag__slug")
    columns = [f"tag__{name}" for name in fields]
    if len(fields) == 1:
        return grouped(links.values_list("post_id", *columns))
    return grouped((row[0], row[1:]) for row in links.values_list("post_id", *columns))
