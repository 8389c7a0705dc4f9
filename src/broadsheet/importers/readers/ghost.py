"""Ghost's JSON export ("Export content"), as Ghost 5 and 6 write it and older versions did.

The file is one JSON document, `{"db": [{"meta": ..., "data": {table: [rows]}}]}` (or, as
some older versions and migration tools write it, `{"meta": ..., "data": ...}`), holding
the site's tables: posts, and beside them tags, users and the rows that join them. It is
read with ijson, as a stream, twice: first every table but posts (small: a row per tag,
user and link), then the posts one at a time, so memory holds one post's body, never the
export's: the standard json module would hold the whole document, and an export grows
with every post the site ever had. A Ghost zip (the JSON and `content/images/`)
arrives unpacked, as a folder with the JSON at its top.

Ghost's exports do not know the site's address: they write `__GHOST_URL__` where it goes.
Without it (a `url` row in `settings`, which Ghost itself does not write), keys are
`ghost:ghost#post:<id>`, body links become root-relative paths and covers become paths
under the export folder (`content/images/...`).

Members-only and paid posts (`visibility` other than "public") are imported as public: a
Broadsheet site has no paid tiers; the `paywall` card's place is dropped likewise. An
email-only newsletter (status "sent") was never on the site: it is kept, never public.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, BinaryIO

import ijson

from broadsheet.importers.base import BadSource, Reader, Source
from broadsheet.importers.readers.ghost_content import (
    DocumentError,
    Rendered,
    render_lexical,
    render_mobiledoc,
)
from broadsheet.importers.records import Author, Item, Kind, Media, Record, Skip, Status, Term

GHOST_URL = "__GHOST_URL__"
_BOM = b"\xef\xbb\xbf"
# A table's row, under either shape of export: "db.item.data.tags.item" or "data.tags.item".
_ROW = re.compile(r"(?P<data>(?:db\.item\.)?data)\.(?P<table>\w+)\.item")
_POSTS = re.compile(r"(?P<data>(?:db\.item\.)?data)\.posts")
_DEPTH = {"start_map": 1, "start_array": 1, "end_map": -1, "end_array": -1}
_JOIN_TABLES = {"users", "tags", "posts_tags", "posts_authors", "posts_meta", "settings"}
_STATUSES = {
    "published": Status.PUBLISHED,
    "draft": Status.DRAFT,
    "scheduled": Status.SCHEDULED,
    "sent": Status.PRIVATE,
}


def looks_like_export(head: bytes) -> bool:
    """Whether the first bytes of a file are those of a Ghost export."""
    head = head.removeprefix(_BOM).lstrip()
    return (
        head.startswith(b"{")
        and (b'"db"' in head or b'"exported_on"' in head)
        and (b'"data"' in head or b'"posts"' in head)
    )


def _exports_in(folder: Path) -> list[Path]:
    return [
        path
        for path in sorted(folder.glob("*.json"))
        if path.is_file() and looks_like_export(_head(path))
    ]


def _head(path: Path) -> bytes:
    with path.open("rb") as file:
        return file.read(4096)


@dataclass
class _Tables:
    """Everything but the posts, read in the first pass."""

    data_prefix: str = ""  # where the tables are: "db.item.data" or "data"
    post_count: int = 0
    site: str = ""
    users: dict[str, Author] = field(default_factory=dict)
    tags: dict[str, Term] = field(default_factory=dict)
    post_tags: dict[str, list[tuple[float, str]]] = field(default_factory=dict)
    post_authors: dict[str, list[tuple[float, str]]] = field(default_factory=dict)
    post_meta: dict[str, dict[str, str]] = field(default_factory=dict)

    def add(self, table: str, row: dict[str, Any]) -> None:
        row_id = _id(row.get("id"))
        match table:
            case "users":
                slug = _text(row, "slug")
                self.users[row_id] = Author(
                    key="",  # set once the site is known
                    name=_text(row, "name"),
                    email=_text(row, "email"),
                    slug=slug,
                    bio=_text(row, "bio"),
                    old_paths=[f"/author/{slug}/"] if slug else [],
                )
            case "tags":
                name, slug = _text(row, "name"), _text(row, "slug")
                self.tags[row_id] = Term(
                    name=name,
                    slug=slug,
                    description=_text(row, "description"),
                    old_paths=[f"/tag/{slug}/"] if slug else [],
                    internal=name.startswith("#") or row.get("visibility") == "internal",
                )
            case "posts_tags":
                _link(self.post_tags, row, "tag_id")
            case "posts_authors":
                _link(self.post_authors, row, "author_id")
            case "posts_meta":
                fields = ("feature_image_alt", "meta_title", "meta_description")
                self.post_meta[_id(row.get("post_id"))] = {
                    name: _text(row, name) for name in fields
                }
            case "settings" if row.get("key") == "url" and _text(row, "value"):
                self.site = _text(row, "value").rstrip("/")

    def finish(self) -> None:
        for user_id, author in self.users.items():
            author.key = f"ghost:{self.site or 'ghost'}#user:{user_id}"


def _link(links: dict[str, list[tuple[float, str]]], row: dict[str, Any], other: str) -> None:
    order = row.get("sort_order")
    position = order if isinstance(order, int | float) else 0
    links.setdefault(_id(row.get("post_id")), []).append((position, _id(row.get(other))))


def _id(value: Any) -> str:
    return "" if value is None else str(value)


def _text(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    return value if isinstance(value, str) else ""


def _flag(row: dict[str, Any], key: str) -> bool:
    """A yes-or-no column: true/false, or 1/0 as exports from SQLite-backed Ghosts have it."""
    value = row.get(key)
    return value is True or (type(value) is int and value == 1)


class GhostReader(Reader):
    name = "ghost"
    label = "Ghost export (JSON)"

    @classmethod
    def sniff(cls, source: Source) -> bool:
        if source.is_folder:
            return len(_exports_in(source.path)) == 1
        return looks_like_export(source.head())

    @cached_property
    def _export(self) -> Path:
        if not self.source.is_folder:
            return self.source.path
        exports = _exports_in(self.source.path)
        if len(exports) != 1:
            found = ", ".join(path.name for path in exports) or "none"
            raise BadSource(
                f"{self.source.name}: a Ghost export folder holds exactly one export JSON at "
                f"its top (found: {found})"
            )
        return exports[0]

    @cached_property
    def _tables(self) -> _Tables:
        """Every table but posts, in one pass that builds a row at a time."""
        tables = _Tables()
        builder: ijson.ObjectBuilder | None = None
        depth, table = 0, ""
        with self._open() as file:
            for prefix, event, value in self._parsed(ijson.parse(file, use_float=True)):
                if builder is not None:
                    builder.event(event, value)
                    depth += _DEPTH.get(event, 0)
                    if depth == 0:
                        tables.add(table, builder.value)
                        builder = None
                elif event == "start_array" and (posts := _POSTS.fullmatch(prefix)):
                    tables.data_prefix = posts["data"]
                elif event == "start_map" and (row := _ROW.fullmatch(prefix)):
                    if row["table"] == "posts":
                        tables.post_count += 1
                    elif row["table"] in _JOIN_TABLES:
                        table, depth = row["table"], 1
                        builder = ijson.ObjectBuilder()
                        builder.event(event, value)
        if not tables.data_prefix:
            raise BadSource(f"{self.source.name} is JSON but not a Ghost export (no posts table)")
        tables.finish()
        return tables

    def estimate(self) -> int | None:
        return self._tables.post_count

    def records(self) -> Iterator[Record]:
        tables = self._tables
        with self._open() as file:
            posts = ijson.items(file, f"{tables.data_prefix}.posts.item", use_float=True)
            for post in self._parsed(posts):
                yield from self._post(post, tables)

    def _open(self) -> BinaryIO:
        file = self._export.open("rb")
        if file.read(len(_BOM)) != _BOM:
            file.seek(0)
        return file

    def _parsed[T](self, values: Iterator[T]) -> Iterator[T]:
        """`values` from ijson, with its errors as BadSource."""
        try:
            yield from values
        except ijson.JSONError as error:
            detail = error.args[0] if error.args else ""
            if isinstance(detail, bytes):  # the C parser's messages
                detail = detail.decode("utf-8", "replace")
            reason = str(detail).splitlines()[0].rstrip(".")
            raise BadSource(
                f"{self.source.name} is not valid JSON, or is cut short ({reason})"
            ) from None

    def _post(self, post: Any, tables: _Tables) -> Iterator[Record]:
        if not isinstance(post, dict):
            raise BadSource(f"{self.source.name}: a row of the posts table is not an object")
        post_id, title, slug = _id(post.get("id")), _text(post, "title"), _text(post, "slug")
        what = f'Ghost post "{title}" ({post_id})'
        status = _STATUSES.get(_text(post, "status"))
        if status is None:
            yield Skip(what, f"its status {post.get('status')!r} is not one Ghost writes")
            return
        try:
            content = _content(post)
        except DocumentError as error:
            yield Skip(what, f"{error}, and it has no html")
            return
        if content.unknown:
            yield Skip(
                f"{', '.join(content.unknown)} in {what}",
                "not a kind of content Broadsheet imports: left out, any text inside kept",
            )
        site = tables.site
        meta = tables.post_meta.get(post_id, {})
        cover = _text(post, "feature_image")
        authors = _linked(tables.post_authors, tables.users, post_id)
        if not authors and _id(post.get("author_id")) in tables.users:  # before Ghost 1.22
            authors = [tables.users[_id(post.get("author_id"))]]
        yield Item(
            key=f"ghost:{site or 'ghost'}#post:{post_id}",
            title=title,
            kind=Kind.PAGE if post.get("type") == "page" or post.get("page") == 1 else Kind.POST,
            body=content.html.replace(GHOST_URL, site),
            slug=slug,
            status=status,
            published_at=self._date(post, "published_at", what),
            updated_at=self._date(post, "updated_at", what),
            created_at=self._date(post, "created_at", what),
            excerpt=_text(post, "custom_excerpt"),
            seo_title=meta.get("meta_title") or _text(post, "meta_title"),
            seo_description=meta.get("meta_description") or _text(post, "meta_description"),
            authors=authors,
            terms=_linked(tables.post_tags, tables.tags, post_id),
            cover=Media(url=_address(cover, site)) if cover else None,
            cover_alt=(meta.get("feature_image_alt") or _text(post, "feature_image_alt"))
            if cover
            else "",
            link=f"{site}/{slug}/" if site and slug else "",
            old_paths=[f"/{slug}/"] if slug else [],
            featured=_flag(post, "featured"),
            uuid=_text(post, "uuid"),
        )

    def _date(self, post: dict[str, Any], name: str, what: str) -> datetime.datetime | None:
        """An ISO date (Ghost writes UTC), or milliseconds since 1970 as the oldest exports
        wrote them, as an aware UTC datetime."""
        value = post.get(name)
        if value is None or value == "":
            return None
        try:
            if isinstance(value, int | float) and not isinstance(value, bool):
                return datetime.datetime.fromtimestamp(value / 1000, datetime.UTC)
            moment = datetime.datetime.fromisoformat(value)
        except (TypeError, ValueError, OverflowError, OSError):
            raise BadSource(
                f"{self.source.name}: {what} has a {name} that is not a date: {value!r}"
            ) from None
        if moment.tzinfo is None:
            return moment.replace(tzinfo=datetime.UTC)
        return moment.astimezone(datetime.UTC)


def _content(post: dict[str, Any]) -> Rendered:
    """The post's body: Ghost's own `html`, else rendered from its editor document."""
    if html := _text(post, "html"):
        return Rendered(html, [])
    if lexical := _text(post, "lexical"):
        return render_lexical(lexical)
    if mobiledoc := _text(post, "mobiledoc"):
        return render_mobiledoc(mobiledoc)
    return Rendered("", [])


def _linked[T](
    links: dict[str, list[tuple[float, str]]], rows: dict[str, T], post_id: str
) -> list[T]:
    """The post's tags or authors, in their `sort_order`."""
    ordered = sorted(links.get(post_id, []), key=lambda link: link[0])
    return [rows[other] for _, other in ordered if other in rows]


def _address(url: str, site: str) -> str:
    """A Ghost image address: on the site when its address is known, else a path in the
    export folder (`content/images/...`, where Ghost's zip puts them)."""
    if url.startswith(GHOST_URL):
        path = url.removeprefix(GHOST_URL)
    elif url.startswith("/content/"):
        path = url
    else:
        return url
    return site + path if site else path.lstrip("/")
