"""Counts filled into stored pages as they are served, from the one place all processes share.

A stored page is the same for every reader and lives until public content changes, but
its counts (views, likes) move every second. Kept in the page, each process would show
the count of the moment it rendered, and readers whose reloads land on different
processes would see counts go back and forth. So templates mark each count
(`{% live_count %}`), the store keeps the page cut at those marks, and every answer
fills them from one indexed query on the database: the same numbers whichever process
or machine answers, never older than the last written views (a second), and a reader's
own like at once. A page whose counts have not changed since the last answer is served
as it was, with its compressed forms and ETag.
"""

import gzip
import hashlib
import re
from dataclasses import dataclass, field

import brotli
from django.db import connection
from django.utils import translation
from django.utils.formats import number_format

from broadsheet.core.board import board

# What a template writes (see `templatetags/live.py`); only this exact shape is filled.
MARK = re.compile(
    rb'<span data-live="(?P<kind>post|comment) (?P<pk>\d+) (?P<count>views|likes)'
    rb'(?P<bare> number)?">(?P<text>[^<]*)</span>'
)
# A post in an API answer (`api.serializers.post_object` writes its id and counts first).
JSON_MARK = re.compile(
    rb'"id": "(?P<hex>[0-9a-f]{24})", "views": (?P<views>\d+), "likes": (?P<likes>\d+)'
)
NOUNS = {"views": "view", "likes": "like"}
COMPRESS_FROM_BYTES = 512


def count_text(n: int, count: str, *, bare: bool = False) -> str:
    """`1,234 views`, or `1,234` alone, in the active language's digit grouping."""
    number = number_format(n, force_grouping=True)
    return number if bare else f"{number} {NOUNS[count]}{'' if n == 1 else 's'}"


def marked(text: str, kind: str, pk: int, count: str, *, bare: bool = False) -> str:
    return f'<span data-live="{kind} {pk} {count}{" number" if bare else ""}">{text}</span>'


@dataclass(frozen=True, slots=True)
class Slot:
    kind: str  # "post" or "comment"
    pk: int
    count: str  # "views" or "likes"
    bare: bool
    json: bool = False  # a JSON number: digits alone, never grouped

    def text(self, n: int) -> bytes:
        return str(n).encode() if self.json else count_text(n, self.count, bare=self.bare).encode()


def _spans(body: bytes) -> list[tuple[int, int, Slot]]:
    """Where each count's text is in a page (HTML marks) or an API answer (JSON), in order."""
    spans = [
        (
            match.start("text"),
            match.end("text"),
            Slot(
                kind=match["kind"].decode(),
                pk=int(match["pk"]),
                count=match["count"].decode(),
                bare=bool(match["bare"]),
            ),
        )
        for match in MARK.finditer(body)
    ]
    for match in JSON_MARK.finditer(body):
        pk = int(match["hex"], 16)
        for count in ("views", "likes"):
            slot = Slot(kind="post", pk=pk, count=count, bare=True, json=True)
            spans.append((match.start(count), match.end(count), slot))
    return sorted(spans, key=lambda span: span[0])


@dataclass(slots=True)
class Rendition:
    """One body as served, with its ETag and compressed forms (made when first asked)."""

    body: bytes
    etag: str = ""
    encoded: dict[str, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.etag = '"' + hashlib.blake2b(self.body, digest_size=12).hexdigest() + '"'

    def encoded_as(self, accepted: str) -> tuple[str, bytes] | None:
        """The body in the best encoding the client accepts, if compressing is worth it."""
        if len(self.body) < COMPRESS_FROM_BYTES:
            return None
        for encoding in ("br", "gzip"):
            if encoding in accepted:
                if encoding not in self.encoded:
                    self.encoded[encoding] = (
                        brotli.compress(self.body, quality=6)
                        if encoding == "br"
                        else gzip.compress(self.body, compresslevel=6, mtime=0)
                    )
                return encoding, self.encoded[encoding]
        return None


@dataclass(frozen=True, slots=True)
class Answer:
    """The last counts filled in, and the settled counts version they were read at (None if
    they were read while counts were being written): replaced whole, so a thread never
    pairs one answer's counts with another's version."""

    values: tuple[int, ...]
    rendition: Rendition
    read_at: int | None


class LiveBody:
    """A stored body cut at its count marks, and the query that fills them."""

    def __init__(self, body: bytes, language: str) -> None:
        self.language = language
        self.parts: list[bytes] = []
        self.slots: list[Slot] = []
        start = 0
        for begin, end, slot in _spans(body):
            self.parts.append(body[start:begin])
            self.slots.append(slot)
            start = end
        self.parts.append(body[start:])
        self.sql, self.params = _counts_query(self.slots)
        self.last: Answer | None = None

    def __bool__(self) -> bool:
        return bool(self.slots)

    def read_counts(self) -> dict[tuple[str, int], tuple[int, int]]:
        """(kind, pk) -> (views, likes), as the database has them now.

        Straight through the driver: on every answer, Django's cursor wrappers cost more
        than the query itself. Errors still arrive as Django's `DatabaseError`.
        """
        connection.ensure_connection()
        with connection.wrap_database_errors:
            cursor = connection.connection.cursor()
            try:
                cursor.execute(self.sql, self.params)
                rows = cursor.fetchall()
            finally:
                cursor.close()
        return {(kind, pk): (views, likes) for kind, pk, views, likes in rows}

    def rendition(self, counts_version: int | None) -> Rendition:
        """The page with the counts the database has now (the same object while they stay
        the same).

        Read at a settled counts version (`core.board`), they are what every process
        reads at that version, and stay right until a count write starts: until then
        the last answer is served again without asking the database.
        """
        last = self.last  # read once: other threads serve this page too
        if last is not None and counts_version is not None and counts_version == last.read_at:
            return last.rendition
        counts = self.read_counts()
        settled = counts_version is not None and board().read().counts == counts_version
        values = tuple(
            counts.get((slot.kind, slot.pk), (0, 0))[slot.count == "likes"] for slot in self.slots
        )
        if last is not None and last.values == values:
            rendition = last.rendition
        else:
            rendition = self._filled(values)
        self.last = Answer(values, rendition, read_at=counts_version if settled else None)
        return rendition

    def _filled(self, values: tuple[int, ...]) -> Rendition:
        with translation.override(self.language):
            texts = [slot.text(n) for n, slot in zip(values, self.slots, strict=True)]
        chunks = [self.parts[0]]
        for text, part in zip(texts, self.parts[1:], strict=True):
            chunks += [text, part]
        return Rendition(b"".join(chunks))


def _counts_query(slots: list[Slot]) -> tuple[str, list[int]]:
    """One round trip for every count on the page, by primary key."""
    from broadsheet.comments.models import Comment
    from broadsheet.content.models import Post

    selects, params = [], []
    for kind, table, views in (
        ("post", Post._meta.db_table, "view_count"),
        ("comment", Comment._meta.db_table, "0"),
    ):
        pks = sorted({slot.pk for slot in slots if slot.kind == kind})
        if pks:
            marks = ", ".join([_placeholder()] * len(pks))
            selects.append(
                f"SELECT '{kind}', id, {views}, like_count FROM {table} WHERE id IN ({marks})"  # noqa: S608 (our own table names)
            )
            params += pks
    return " UNION ALL ".join(selects), params


def _placeholder() -> str:
    """The driver's own parameter style: sqlite3's `?`, psycopg's `%s` (Django's cursors
    translate; the driver's own cursor used here does not)."""
    return "?" if connection.vendor == "sqlite" else "%s"
