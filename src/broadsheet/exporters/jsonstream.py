"""One large JSON object, written and read a member at a time (site.json).

A site's posts and comments go into site.json as arrays that can be far larger than the
memory a small server has, so neither side holds a whole array: the writer dumps each
item as it comes, and the reader hands out each item as it is decoded (the standard
library's `raw_decode` on a sliding buffer). Only one item is ever in memory.
"""

import json
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any

from broadsheet.importers.base import BadSource

_DUMP_OPTIONS: dict[str, Any] = {"ensure_ascii": False, "indent": 2}
_ITEM_INDENT = "\n    "  # items of a top-level array, two levels in
_SPACE = re.compile(r"[ \t\r\n]*")
_DECODER = json.JSONDecoder()


class ObjectWriter:
    """Writes `{"key": value, "array": [item, ...], ...}` member by member, indented the
    way `json.dumps(indent=2)` would indent the whole object."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.members = 0
        stream.write("{")

    def member(self, key: str, value: Any) -> None:
        self._key(key)
        self.stream.write(json.dumps(value, **_DUMP_OPTIONS).replace("\n", "\n  "))

    def array(self, key: str, items: Iterable[Any]) -> int:
        """Write the items as they come; returns how many there were."""
        self._key(key)
        self.stream.write("[")
        count = 0
        for item in items:
            # JSON strings hold no raw line breaks, so every "\n" is the dump's own.
            item_text = json.dumps(item, **_DUMP_OPTIONS).replace("\n", _ITEM_INDENT)
            self.stream.write(("," if count else "") + _ITEM_INDENT + item_text)
            count += 1
        self.stream.write("\n  ]" if count else "]")
        return count

    def close(self) -> None:
        self.stream.write("\n}\n")

    def _key(self, key: str) -> None:
        self.stream.write(("," if self.members else "") + "\n  " + json.dumps(key) + ": ")
        self.members += 1


def read_members(stream: IO[str], *, name: str = "site.json") -> Iterator[tuple[str, Any]]:
    """Each member of the top-level object, in the file's order, as (key, value).

    An array's value is an iterator over its items, decoded as they are taken; items the
    caller does not take are read past when the next member is asked for. Anything that
    is not JSON raises `BadSource`, naming `name`.
    """
    scanner = _Scanner(stream, name)
    scanner.take("{")
    if scanner.next_char() == "}":
        scanner.take("}")
    else:
        while True:
            key = scanner.value()
            if not isinstance(key, str):
                raise scanner.bad("a member name must be a string")
            scanner.take(":")
            if scanner.next_char() == "[":
                items = _items(scanner)
                yield key, items
                for _ in items:  # whatever the caller left unread
                    pass
            else:
                yield key, scanner.value()
            if scanner.next_char() == "}":
                scanner.take("}")
                break
            scanner.take(",")
    if scanner.next_char():
        raise scanner.bad("there is more after the end of the object")


def _items(scanner: "_Scanner") -> Iterator[Any]:
    scanner.take("[")
    if scanner.next_char() == "]":
        scanner.take("]")
        return
    while True:
        yield scanner.value()
        if scanner.next_char() == "]":
            scanner.take("]")
            return
        scanner.take(",")


class _Scanner:
    """A window on the stream: what is decoded is dropped from the front when more is read.

    A value longer than the window doubles it until the value fits (so a long post is
    decoded a few times, not once per chunk), up to `MAX_VALUE` characters.
    """

    CHUNK = 1 << 16
    MAX_VALUE = 128 << 20

    def __init__(self, stream: IO[str], name: str) -> None:
        self.stream, self.name = stream, name
        self.buffer, self.pos, self.eof = "", 0, False

    def bad(self, problem: str) -> BadSource:
        return BadSource(f"{self.name} is not a Broadsheet export: {problem}.")

    def _read_more(self, *, grow: bool = False) -> bool:
        if self.eof:
            return False
        pending = len(self.buffer) - self.pos
        if grow and pending >= self.MAX_VALUE:
            raise self.bad(f"one value is longer than {self.MAX_VALUE >> 20} MB, or unfinished")
        try:
            chunk = self.stream.read(max(self.CHUNK, pending if grow else 0))
        except UnicodeDecodeError as error:
            raise self.bad("it is not UTF-8 text") from error
        if not chunk:
            self.eof = True
            return False
        self.buffer, self.pos = self.buffer[self.pos :] + chunk, 0
        return True

    def next_char(self) -> str:
        """The next character that is not white space, not taken ("" at the end)."""
        while True:
            self.pos = _SPACE.match(self.buffer, self.pos).end()  # type: ignore[union-attr]  # the pattern matches the empty string
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._read_more():
                return ""

    def take(self, expected: str) -> None:
        found = self.next_char()
        if found != expected:
            raise self.bad(f"expected {expected!r} but found {found or 'the end'!r}")
        self.pos += 1

    def value(self) -> Any:
        self.next_char()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as error:
                if self._read_more(grow=True):  # the value may go on past the window
                    continue
                raise self.bad(error.msg.lower()) from error
            if end == len(self.buffer) and self._read_more(grow=True):
                continue  # a number or word at the window's edge may go on
            self.pos = end
            return value
