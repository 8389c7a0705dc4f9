"""Wix blog posts, as the CSV that Wix's CMS exports from the Blog's Posts collection.

Columns are found by name, in any order, and others are ignored: Title, Slug, Author,
Excerpt, Rich Content, Plain Content, Cover Image, Tags, Categories, Main Category,
Published Date, Last Published Date, Post Page URL, ID. The body is Rich Content: HTML,
or Wix's rich-content JSON (Ricos), rendered here; else Plain Content, a paragraph per
blank-line-separated block. Wix image addresses become their stored file's
(`media_urls.wix_original`). Tags and categories are names or, in older exports, Wix ids,
which the CSV cannot name: those are reported and left out. Only an author's name (or id)
is there, so that is the author's key too.

The file must be UTF-8 (with or without a byte-order mark), as Wix writes it. A file that
is not was re-saved by a spreadsheet, in a code page we cannot know (Polish text saved as
cp1250 reads as valid but wrong cp1252): it is refused, naming the first line that is not
UTF-8, rather than guessed. Dates without a time zone are taken as UTC.
"""

import csv
import datetime
import json
import re
from collections.abc import Iterable, Iterator
from html import escape
from typing import Any
from urllib.parse import urlsplit

from broadsheet.importers.base import BadSource, Reader, Source
from broadsheet.importers.media_urls import wix_media_url, wix_original, wix_originals_in
from broadsheet.importers.records import Author, Item, Media, Record, Skip, Status, Term

_BOM = "\ufeff"
# Rich Content of a long post runs past csv's default 128 KiB field limit.
_FIELD_LIMIT = 64 * 1024 * 1024
# Wix ids: the older 24-hex ids and the UUIDs of the newer collections.
_WIX_ID = re.compile(
    r"[0-9a-f]{24}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE
)
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


def _is_posts_header(columns: Iterable[str]) -> bool:
    names = {column.strip() for column in columns}
    return (
        "Title" in names
        and bool(names & {"Rich Content", "Plain Content"})
        and bool(names & {"Slug", "Post Page URL"})
    )


class WixCsvReader(Reader):
    name = "wix"
    label = "Wix blog posts (CSV)"

    @classmethod
    def sniff(cls, source: Source) -> bool:
        first_line = source.head().decode("utf-8", "replace").removeprefix(_BOM).split("\n")[0]
        return _is_posts_header(next(csv.reader([first_line]), []))

    def records(self) -> Iterator[Record]:
        csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
        with self.source.path.open("rb") as file:
            rows = csv.reader(self._lines(file), strict=True)
            last_line = 0
            try:
                header = [column.strip() for column in next(rows, [])]
                if not _is_posts_header(header):
                    raise BadSource(
                        f"{self.source.name} is not a Wix posts CSV: its first line must name "
                        "the columns Title, Rich Content or Plain Content, and Slug or Post Page "
                        "URL"
                    )
                last_line = rows.line_num
                for values in rows:
                    line = last_line + 1
                    last_line = rows.line_num
                    if any(values):
                        yield from self._post(dict(zip(header, values, strict=False)), line)
            except csv.Error as error:
                raise BadSource(f"{self.source.name}, line {last_line + 1}: {error}") from None

    def _lines(self, file: Iterable[bytes]) -> Iterator[str]:
        for number, raw in enumerate(file, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise BadSource(
                    f"{self.source.name}, line {number}: not UTF-8 text; export the CSV from "
                    "Wix again, or save it as “CSV UTF-8”"
                ) from None
            yield line.removeprefix(_BOM) if number == 1 else line

    def _post(self, row: dict[str, str], line: int) -> Iterator[Record]:
        def cell(name: str) -> str:
            return row.get(name, "").strip()

        title, address = cell("Title"), cell("Post Page URL")
        what = f'Wix post "{title}" (line {line})'
        identity = cell("ID") or address
        if not identity:
            yield Skip(what, "it has neither an ID nor a Post Page URL to know it by")
            return
        path = urlsplit(address).path
        body, unknown, unreadable = _body(cell("Rich Content"), cell("Plain Content"))
        if unreadable:
            yield Skip(f"Rich Content of {what}", f"{unreadable}: its Plain Content was imported")
        if unknown:
            yield Skip(
                f"{', '.join(unknown)} in {what}",
                "not a kind of content Broadsheet imports: left out, any text inside kept",
            )
        terms: list[Term] = []
        for name in _unique(
            [cell("Main Category"), *_names(cell("Categories")), *_names(cell("Tags"))]
        ):
            if _WIX_ID.fullmatch(name):
                yield Skip(f"tag or category {name} of {what}", "the CSV names it by Wix id only")
            else:
                terms.append(Term(name=name))
        published_at = self._date(cell("Published Date"), "Published Date", line)
        author = cell("Author")
        cover = cell("Cover Image")
        yield Item(
            key=f"wix:{identity}",
            title=title,
            body=body,
            slug=cell("Slug") or path.rstrip("/").rpartition("/")[2],
            status=Status.PUBLISHED if published_at else Status.DRAFT,
            published_at=published_at,
            updated_at=self._date(cell("Last Published Date"), "Last Published Date", line),
            excerpt=cell("Excerpt"),
            authors=[Author(key=f"wix:author:{author}", name=author)] if author else [],
            terms=terms,
            cover=Media(url=wix_original(cover)) if cover else None,
            link=address if urlsplit(address).scheme in ("http", "https") else "",
            old_paths=[path] if path else [],
        )

    def _date(self, value: str, column: str, line: int) -> datetime.datetime | None:
        if not value:
            return None
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise BadSource(
                f"{self.source.name}, line {line}: {column} {value!r} is not an ISO date"
            ) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _names(value: str) -> list[str]:
    """A Tags or Categories cell: a JSON array, or names separated by commas."""
    if value.startswith("["):
        try:
            names = json.loads(value)
        except ValueError:
            names = None
        if isinstance(names, list):
            return [str(name).strip() for name in names if str(name).strip()]
    return [name.strip() for name in value.split(",") if name.strip()]


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for name in names:
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            kept.append(name)
    return kept


def _body(rich: str, plain: str) -> tuple[str, list[str], str]:
    """The post's HTML, the rich-content node types it left out, and why its Rich Content
    could not be read ("" if it could)."""
    if rich.startswith("{"):
        try:
            document = json.loads(rich)
            if isinstance(document, dict) and isinstance(document.get("nodes"), list):
                ricos = _Ricos()
                return ricos.children(document), sorted(ricos.unknown), ""
        except (ValueError, RecursionError):
            pass
        return _paragraphs(plain), [], "it is neither HTML nor Wix's rich-content JSON"
    if rich:
        return wix_originals_in(rich), [], ""
    return _paragraphs(plain), [], ""


def _paragraphs(text: str) -> str:
    blocks = _BLANK_LINES.split(text.replace("\r\n", "\n").strip())
    return "".join(
        f"<p>{escape(block.strip()).replace(chr(10), '<br>')}</p>" for block in blocks if block
    )


# Ricos text decorations that are plain tags.
_DECORATIONS = {
    "BOLD": "strong",
    "ITALIC": "em",
    "UNDERLINE": "u",
    "STRIKETHROUGH": "s",
    "SUPERSCRIPT": "sup",
    "SUBSCRIPT": "sub",
}
_ELEMENTS = {
    "PARAGRAPH": "p",
    "BLOCKQUOTE": "blockquote",
    "BULLETED_LIST": "ul",
    "ORDERED_LIST": "ol",
    "LIST_ITEM": "li",
    "CAPTION": "figcaption",
}


def _data(node: Any, *path: str) -> Any:
    """The value at `path` in nested JSON objects; None where one is missing or no object."""
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _string(node: Any, *path: str) -> str:
    value = _data(node, *path)
    return value if isinstance(value, str) else ""


class _Ricos:
    """Wix's rich content (a tree of `nodes`) as HTML: the nodes that carry a post's words,
    pictures and links; any other node keeps its children's, and is named in `unknown`."""

    def __init__(self) -> None:
        self.unknown: set[str] = set()

    def children(self, node: dict[str, Any]) -> str:
        nodes = node.get("nodes")
        if not isinstance(nodes, list):
            return ""
        return "".join(self.node(child) for child in nodes if isinstance(child, dict))

    def node(self, node: dict[str, Any]) -> str:
        kind = _string(node, "type")
        if kind == "TEXT":
            return self.text(node)
        if kind in _ELEMENTS:
            inner = self.children(node)
            return f"<{_ELEMENTS[kind]}>{inner}</{_ELEMENTS[kind]}>" if inner else ""
        match kind:
            case "HEADING":
                level = _data(node, "headingData", "level")
                tag = f"h{level}" if type(level) is int and 1 <= level <= 6 else "h2"
                return f"<{tag}>{self.children(node)}</{tag}>"
            case "CODE_BLOCK":
                texts = node.get("nodes")
                texts = texts if isinstance(texts, list) else []
                code = "".join(_string(text, "textData", "text") for text in texts)
                return f"<pre><code>{escape(code)}</code></pre>"
            case "DIVIDER":
                return "<hr>"
            case "IMAGE":
                return self.image(node)
            case "LINK_PREVIEW":
                url = _string(node, "linkPreviewData", "link", "url")
                title = _string(node, "linkPreviewData", "title") or url
                return f'<p><a href="{escape(url)}">{escape(title)}</a></p>' if url else ""
            case "HTML":
                return _string(node, "htmlData", "html")
        self.unknown.add(kind)
        return self.children(node)

    def text(self, node: dict[str, Any]) -> str:
        html = escape(_string(node, "textData", "text")).replace("\n", "<br>")
        decorations = _data(node, "textData", "decorations")
        for decoration in decorations if isinstance(decorations, list) else []:
            kind = _string(decoration, "type")
            if tag := _DECORATIONS.get(kind):
                html = f"<{tag}>{html}</{tag}>"
            elif kind == "LINK" and (url := _string(decoration, "linkData", "link", "url")):
                html = f'<a href="{escape(url)}">{html}</a>'
        return html

    def image(self, node: dict[str, Any]) -> str:
        media_id = _string(node, "imageData", "image", "src", "id")
        url = _string(node, "imageData", "image", "src", "url")
        src = wix_media_url(media_id) if media_id else wix_original(url)
        if not src:
            return ""
        img = f'<img src="{escape(src)}" alt="{escape(_string(node, "imageData", "altText"))}">'
        if link := _string(node, "imageData", "link", "url"):
            img = f'<a href="{escape(link)}">{img}</a>'
        return f"<figure>{img}{self.children(node)}</figure>"
