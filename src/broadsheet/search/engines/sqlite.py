"""SQLite's FTS5: Porter stemming over unicode61 with diacritics removed, ranked by bm25
with the title weighing most; the vocabulary's trigrams in a second FTS5 table.

The index keeps no copy of the text (`content=''`) and forgets a row by its id alone
(`contentless_delete`, SQLite 3.43: the bundled build's, `conf.sqlite`), which a trigger
does as its entry goes, however it goes.
"""

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Expression, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from broadsheet.content.models import Page, Post
from broadsheet.search.engines import (
    PHRASE,
    RANKED,
    RANKED_NOW,
    SCORE,
    Matches,
    RankedWindow,
)
from broadsheet.search.models import Entry, Word
from broadsheet.search.query import Query, Term
from broadsheet.search.text import Texts, fold

INDEX = "broadsheet_search_fts"
TRIGRAMS = "broadsheet_search_word_trigram"
# bm25's weights for title, summary and body.
WEIGHTS = "10.0, 4.0, 1.0"

ENTRY, POST, PAGE = (model._meta.db_table for model in (Entry, Post, Page))
# An entry's copies of its post's or page's status and dates (`Entry.status`) follow
# every write of them, however it is made.
COPY_ON_INSERT = f"""CREATE TRIGGER broadsheet_search_entry_copies AFTER INSERT ON {ENTRY}
BEGIN
    UPDATE {ENTRY} SET
        status = coalesce(
            (SELECT status FROM {POST} WHERE id = NEW.post_id),
            (SELECT status FROM {PAGE} WHERE id = NEW.page_id)
        ),
        published_at = (SELECT published_at FROM {POST} WHERE id = NEW.post_id),
        trashed_at = (SELECT trashed_at FROM {POST} WHERE id = NEW.post_id)
    WHERE id = NEW.id;
END"""
POST_CHANGED = f"""CREATE TRIGGER broadsheet_search_post_seen
AFTER UPDATE OF status, published_at, trashed_at ON {POST}
WHEN OLD.status IS NOT NEW.status OR OLD.published_at IS NOT NEW.published_at
    OR OLD.trashed_at IS NOT NEW.trashed_at
BEGIN
    UPDATE {ENTRY} SET status = NEW.status, published_at = NEW.published_at,
        trashed_at = NEW.trashed_at
    WHERE post_id = NEW.id;
END"""
PAGE_CHANGED = f"""CREATE TRIGGER broadsheet_search_page_seen AFTER UPDATE OF status ON {PAGE}
WHEN OLD.status IS NOT NEW.status
BEGIN
    UPDATE {ENTRY} SET status = NEW.status WHERE page_id = NEW.id;
END"""
# An entry's row in the index goes with the entry, and before its new texts are written.
# (Only then: each delete leaves FTS5 a tombstone, which later searches of older segments
# check; `INSERT OR REPLACE` would leave one for every row inserted.)
ENTRY_GONE = f"""CREATE TRIGGER broadsheet_search_entry_gone AFTER DELETE ON {ENTRY}
BEGIN
    DELETE FROM {INDEX} WHERE rowid = OLD.id;
END"""
ENTRY_CHANGED = f"""CREATE TRIGGER broadsheet_search_entry_changed AFTER UPDATE OF digest ON {ENTRY}
BEGIN
    DELETE FROM {INDEX} WHERE rowid = OLD.id;
END"""
TRIGGERS = [
    "broadsheet_search_entry_copies",
    "broadsheet_search_entry_gone",
    "broadsheet_search_entry_changed",
    "broadsheet_search_post_seen",
    "broadsheet_search_page_seen",
]

INDEX_TABLE = (
    f"CREATE VIRTUAL TABLE {INDEX} USING fts5(title, summary, body, content='', "
    "contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2')"
)
CREATE = [
    INDEX_TABLE,
    # Contentless too: a word is looked up by its id (a word deleted without the index
    # being told, as a test database's flush does, is then merely not found).
    f"CREATE VIRTUAL TABLE {TRIGRAMS} USING fts5(word, content='', tokenize='trigram')",
    COPY_ON_INSERT,
    POST_CHANGED,
    PAGE_CHANGED,
    ENTRY_GONE,
    ENTRY_CHANGED,
]
DROP = [
    f"DROP TABLE IF EXISTS {INDEX}",
    f"DROP TABLE IF EXISTS {TRIGRAMS}",
    *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
]


def _quoted(words: Iterable[str]) -> str:
    # Words are runs of letters and digits (`search.query`): nothing in them needs escaping,
    # and inside double quotes FTS5 reads no operator.
    return '"' + " ".join(words) + '"'


# A prefix (`con*`) is matched as the words it begins that the vocabulary knows, at most
# this many, the shortest first. Asked for a prefix itself, FTS5 merges the lists of every
# token that begins so before it can find the newest matches: at 100,000 posts a two- or
# three-letter prefix took 0.4 s, and four of them in one query 2 s. As alternatives
# (`"re" OR "read" OR ...`), each list is read only as far as it is needed: 36 and 150 ms.
# A prefix that begins more words is a vague one, and its shortest words the likeliest.
# Digits alone, or a prefix that begins no known word, go to FTS5 as they are (the
# vocabulary keeps no numbers). PostgreSQL's GIN index gains nothing from this: fifty
# common words match every post, and it then tests every row (2 s, against its 0.4).
PREFIX_WORDS = 50


def _prefix_words(start: str) -> list[str]:
    last = ord(start[-1]) + 1
    if start.isdigit() or 0xD800 <= last <= 0xDFFF:  # (no surrogate can be a parameter)
        return []
    # A range of the vocabulary's index (`LIKE` would read the whole table).
    after = start[:-1] + chr(last)
    known = Word.objects.filter(word__gte=start, word__lt=after).order_by(Length("word"), "word")
    return list(known.values_list("word", flat=True)[:PREFIX_WORDS])


def _term(term: Term) -> str:
    if term.prefix and (words := _prefix_words(fold(term.words[0]))):
        return "(" + " OR ".join(_quoted([word]) for word in words) + ")"
    return _quoted(term.words) + ("*" if term.prefix else "")


def match_expression(query: Query) -> str:
    wanted = " AND ".join(_term(term) for term in query.wanted)
    if not query.unwanted:
        return wanted
    return f"({wanted}) NOT ({' OR '.join(_term(term) for term in query.unwanted)})"


# Up to this many hidden entries, a count subtracts those that match (found by their
# ids, a seek each) from the index's own count; past it, every match is checked against
# them (which costs a search of a common word 3 ms more).
FEW_HIDDEN = 30


@dataclass
class IndexMatches(RankedWindow):
    """Matches read from the FTS5 table alone: every row of it is an entry, so leaving
    out the hidden ones is all the entries have to say, and counting and ranking never
    visit an entry row (with them, a common word's search was three to ten times slower).
    The hidden are few: they are left out in Python where that saves a check per match."""

    expression: str
    phrase: str | None  # the plain words side by side, ranked first when there are two
    hidden: frozenset[int]

    def _rows(self, sql: str, params: list) -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _shown(self, rows: list, limit: int) -> list[int]:
        return [row[0] for row in rows if row[0] not in self.hidden][:limit]

    def _matches(self, condition: str, params: list, order: str, limit: int) -> list[int]:
        """Asking for as many more as there are hidden entries, which are then left out."""
        rows = self._rows(
            f"SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH %s {condition} ORDER BY {order} "
            "LIMIT %s",
            [self.expression, *params, limit + len(self.hidden)],
        )
        return self._shown(rows, limit)

    def _find_newest(self) -> list[int]:
        return self._matches("", [], "rowid DESC", RANKED)

    def _best(self, limit: int) -> list[int]:
        floor = self._floor
        order, order_params = f"bm25({INDEX}, {WEIGHTS})", []
        if self.phrase:
            order = (
                f"rowid IN (SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH %s "
                f"AND rowid >= %s) DESC, {order}"
            )
            order_params = [self.phrase, floor]
        ordered = f"{order}, rowid DESC"
        return self._matches("AND rowid >= %s", [floor, *order_params], ordered, limit)

    def _older(self, limit: int) -> list[int]:
        return self._matches("AND rowid < %s", [self._floor], "rowid DESC", limit)

    def _count_up_to(self, at_most: int, condition: str = "", params: tuple = ()) -> int:
        sql = (
            f"SELECT count(*) FROM (SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH %s "
            f"{condition} LIMIT %s)"
        )
        return self._rows(sql, [self.expression, *params, at_most])[0][0]

    def _count(self, at_most: int) -> int:
        if not self.hidden:
            return self._count_up_to(at_most)
        listed = (json.dumps(sorted(self.hidden)),)
        among = "rowid IN (SELECT value FROM json_each(%s))"
        if len(self.hidden) > FEW_HIDDEN:
            return self._count_up_to(at_most, f"AND NOT {among}", listed)
        with_hidden = self._count_up_to(at_most + len(self.hidden))
        if with_hidden == at_most + len(self.hidden):  # at least `at_most` are not hidden
            return at_most
        return with_hidden - self._count_up_to(len(self.hidden), f"AND {among}", listed)


class SqliteEngine:
    def prepare(self, entry: Entry, texts: Texts) -> None:
        """The entry's row holds nothing of its words: the FTS5 table does."""

    def batch_preparer(self) -> Callable[[list[tuple[Entry, Texts]]], None]:
        return lambda writes: None

    def write_many(self, writes: list[tuple[Entry, Texts]]) -> None:
        with connection.cursor() as cursor:  # any old row went as the entry was saved
            cursor.executemany(
                f"INSERT INTO {INDEX} (rowid, title, summary, body) VALUES (%s, %s, %s, %s)",
                [(entry.pk, new.title, new.summary, new.body) for entry, new in writes],
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {INDEX} ({INDEX}) VALUES ('delete-all')")
            cursor.execute(f"INSERT INTO {TRIGRAMS} ({TRIGRAMS}) VALUES ('delete-all')")
        Word.objects.all().delete()

    def matching(self, queryset: QuerySet, query: Query, *, path: str = "") -> QuerySet:
        expression = match_expression(query)
        matches = queryset.filter(**{f"{path}fts__{INDEX}__match": expression})
        # The newest `RANKED` matches are those from this rowid (an entry's id) on; the
        # subquery is evaluated once, and bm25 only for rows it admits.
        floor = (
            f"coalesce((SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH %s "
            f"ORDER BY rowid DESC LIMIT 1 OFFSET {RANKED - 1}), 0)"
        )
        ranked = f'"{INDEX}"."rowid" >= {floor}'
        phrase = query.plain_words
        in_phrase: Expression
        if len(phrase) > 1:
            in_phrase = RawSQL(
                f'{ranked} AND "{INDEX}"."rowid" IN '
                f"(SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH %s)",
                [expression, _quoted(phrase)],
            )
        else:
            in_phrase = Value(False)
        score = f'CASE WHEN {ranked} THEN -bm25("{INDEX}", {WEIGHTS}) ELSE 0 END'
        return matches.annotate(
            **{
                RANKED_NOW: RawSQL(ranked, [expression]),
                PHRASE: in_phrase,
                SCORE: RawSQL(score, [expression]),
            }
        ).order_by(f"-{RANKED_NOW}", f"-{PHRASE}", f"-{SCORE}", "-pk")

    def public_matches(self, query: Query, *, hidden: Sequence[int]) -> Matches:
        phrase = query.plain_words
        return IndexMatches(
            expression=match_expression(query),
            phrase=_quoted(phrase) if len(phrase) > 1 else None,
            hidden=frozenset(hidden),
        )

    def add_words(self, words: Iterable[str]) -> None:
        added = Word.objects.bulk_create(Word(word=word) for word in words)
        if added:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {TRIGRAMS} (rowid, word) VALUES (%s, %s)",
                    [(word.pk, word.word) for word in added],
                )

    def similar_words(self, word: str, *, limit: int) -> list[str]:
        trigrams = {word[i : i + 3] for i in range(len(word) - 2)}
        if not trigrams:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT word.word FROM {TRIGRAMS} JOIN {Word._meta.db_table} AS word "
                f"ON word.id = {TRIGRAMS}.rowid WHERE {TRIGRAMS} MATCH %s "
                f"ORDER BY bm25({TRIGRAMS}) LIMIT %s",
                [" OR ".join(_quoted([t]) for t in sorted(trigrams)), limit],
            )
            return [row[0] for row in cursor.fetchall()]
