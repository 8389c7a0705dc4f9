"""What every reader is: a format's name, a sniff of the content, and its records.

A reader gets a `Source`, already on this machine (a file, or a folder: a zip is
unpacked and a URL downloaded first, by `sources`), and the `fetch` it must use for
anything else it needs from the web (the next page of a feed), so limits and address
checks hold for every byte that comes in.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from broadsheet.importers.records import Record


class BadSource(Exception):
    """Input that cannot be imported, with a message for the person who gave it."""


@dataclass
class Source:
    """One SOURCE given to `broadsheet import`, on disk."""

    name: str  # as given: a path or the URL it was downloaded from
    path: Path  # a file, or a folder (a given folder or an unpacked zip)
    url: str = ""  # the http(s) address it came from, if any

    @property
    def is_folder(self) -> bool:
        return self.path.is_dir()

    @property
    def root(self) -> Path:
        """Where relative media paths start."""
        return self.path if self.is_folder else self.path.parent

    def head(self, size: int = 4096) -> bytes:
        """The first bytes of a file source (b"" for a folder), for sniffing."""
        if self.is_folder:
            return b""
        with self.path.open("rb") as file:
            return file.read(size)


Fetch = Callable[[str], Path]  # an http(s) URL → a downloaded file; raises BadSource


class Reader:
    name: ClassVar[str]  # the --format value: "wxr", "ghost", "feed", "wix", "markdown", ...
    label: ClassVar[str]  # for people: "WordPress export (WXR)"

    def __init__(self, source: Source, fetch: Fetch) -> None:
        self.source = source
        self.fetch = fetch

    @classmethod
    def sniff(cls, source: Source) -> bool:
        """Whether this looks like our format (cheap: the first bytes, file names)."""
        raise NotImplementedError

    def estimate(self) -> int | None:
        """How many items (posts and pages) to expect, for the progress bar, if cheap."""
        return None

    def records(self) -> Iterator[Record]:
        """Every record of the source, streamed: memory must not grow with its size.
        Raises `BadSource` with a clear message for input that cannot be read."""
        raise NotImplementedError
