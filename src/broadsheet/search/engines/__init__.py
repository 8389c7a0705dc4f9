"""The two engines behind one interface; which one is the database's business only.

Both are handed parsed terms (`search.query`), never a reader's text, and both join the
entries to whatever queryset they are given, so who may see what is decided by the
caller's filter (`published_filter` for readers, the studio's own for writers).
"""

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

from django.db import connection
from django.db.models import QuerySet

from broadsheet.search.models import Entry
from broadsheet.search.query import Query
from broadsheet.search.text import Texts

SCORE = "search_score"  # higher is better
RANKED_NOW = "search_ranked"  # among the newest `RANKED` matches: ranked, before the rest
# How many of a query's matches, the newest (by entry), are ranked; older ones follow,
# newest first. Ranking is most of a search's cost, and a query that matches thousands of
# posts is a vague one: its best among the newest thousand is what a reader wants.
RANKED = 1000
PHRASE = "search_phrase"  # the wanted words side by side, ranked before the rest
# Matches are counted up to this many, the ranked ones (as Elasticsearch stops counting at
# 10,000 unless asked): past it, "1,000 or more" is all a reader needs of a vague query.
# Counting the 78,000 posts a common pair of words matches was a third of its search; on
# SQLite, finding the ranked window now counts the rest.
COUNTED = RANKED


class Matches(Protocol):
    """A search's matches: how many (up to `at_most`), and the keys (entry ids) of a
    slice, best first."""

    def count(self, at_most: int) -> int: ...

    def keys(self, start: int, stop: int) -> list[int]: ...


@dataclass(frozen=True)
class QueryMatches:
    """Matches as a queryset of entries (`Engine.matching`'s, with `path=""`)."""

    queryset: QuerySet[Entry]

    def count(self, at_most: int) -> int:
        return self.queryset[:at_most].count()

    def keys(self, start: int, stop: int) -> list[int]:
        return list(self.queryset.values_list("pk", flat=True)[start:stop])


class RankedWindow(ABC):
    """The reader's matches as both engines read them without filters: the newest
    `RANKED` found first (newest first, one cheap read of the index), ranked among
    themselves; the older ones after them, newest first. The newest also count the
    matches when there are fewer than `RANKED`, and `COUNTED` is no more than that."""

    @abstractmethod
    def _find_newest(self) -> list[int]:
        """The keys of the newest `RANKED` matches (all, if fewer), in any order."""

    @abstractmethod
    def _best(self, limit: int) -> list[int]:
        """The `limit` best of the newest matches (from `_floor` on), best first."""

    @abstractmethod
    def _older(self, limit: int) -> list[int]:
        """The `limit` newest of the matches older than `_floor`."""

    @abstractmethod
    def _count(self, at_most: int) -> int:
        """How many match, counting no further than `at_most`."""

    @cached_property
    def _newest(self) -> list[int]:
        return self._find_newest()

    @cached_property
    def _floor(self) -> int:
        """The key of the `RANKED`th newest match: it and the newer ones are ranked."""
        return min(self._newest) if len(self._newest) == RANKED else 0

    def count(self, at_most: int) -> int:
        if len(self._newest) < RANKED:
            return min(len(self._newest), at_most)
        return at_most if at_most <= RANKED else self._count(at_most)

    def keys(self, start: int, stop: int) -> list[int]:
        ranked = RANKED if self._floor else stop
        keys = []
        if start < ranked:
            keys += self._best(min(stop, ranked))[start:stop]
        if stop > ranked:
            skip, wanted = max(start, ranked) - ranked, stop - max(start, ranked)
            keys += self._older(skip + wanted)[skip:]
        return keys


class Engine(Protocol):
    def prepare(self, entry: Entry, texts: Texts) -> None:
        """Before an entry is saved: set what its own row holds of its texts (so that
        it is written once)."""

    def batch_preparer(self) -> Callable[[list[tuple[Entry, Texts]]], None]:
        """What does `prepare` for a batch of entries, called in another thread than this
        one (`indexing` makes the next batch there while this one writes): it may use that
        thread's own connection, for what reads no table."""

    def write_many(self, writes: list[tuple[Entry, Texts]]) -> None:
        """For each saved entry (the words of any texts it had went as it was saved),
        index its texts, where the engine keeps them apart from the entry's row."""

    def clear(self) -> None:
        """Empty the index and the vocabulary (a rebuild follows)."""

    def matching(self, queryset: QuerySet, query: Query, *, path: str = "") -> QuerySet:
        """`queryset` (of entries, or of posts with `path="search_entry__"`) cut to what
        matches, annotated with `RANKED_NOW`, `SCORE` and `PHRASE`, best first."""

    def public_matches(self, query: Query, *, hidden: Sequence[int]) -> Matches:
        """What matches among every entry but `hidden` (the few the public may not see
        now), ranked as `matching` ranks: the reader's search without filters, which
        need not look at an entry to know it may be shown."""

    def add_words(self, words: Iterable[str]) -> None:
        """Add words the vocabulary does not hold yet."""

    def similar_words(self, word: str, *, limit: int) -> list[str]:
        """Vocabulary words that share most of their letters with `word`."""


def engine() -> Engine:
    if connection.vendor == "postgresql":
        from broadsheet.search.engines.postgres import PostgresEngine

        return PostgresEngine()
    from broadsheet.search.engines.sqlite import SqliteEngine

    return SqliteEngine()
