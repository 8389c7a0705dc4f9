"""Markdown sites: a Jekyll or Hugo folder (a zip is unpacked into one first; a single
folder inside it, as a GitHub download has, is taken as the site).

What is a post, a page, or neither:
- Jekyll: `_posts/**/YYYY-MM-DD-slug.md` are posts (the name gives date and slug; one not
  so named is left out, as Jekyll leaves it); `_drafts/*.md` are drafts; other files with
  front matter are pages when their `layout` is `page`, else reported as skipped (an
  `index.md` with `layout: home` is the home page, not content); files in other `_` folders
  (collections, layouts, includes) are reported as skipped.
- Hugo: `content/posts/` (or `post/`, `blog/`) holds the posts, whether `x.md` or a page
  bundle `x/index.md` with its images beside it; the rest of `content/` are pages;
  `_index.md` (a section's list page) is skipped.
- A folder that is neither: every Markdown file with front matter is a post.
A Markdown file without front matter (a README) is reported as skipped; folders that are
the site's machinery or output (`.git`, `_site`, `public`, `themes`, `archetypes`,
`layouts`, `node_modules`, `vendor`, `resources`) are not read, nor are files that are not
Markdown (`_config.yml`, templates, styles).

Front matter is YAML (`---`) or TOML (`+++`); its keys are read case-insensitively, as
Hugo does. A date without a zone is in the site's own zone, which only the site's config
tells: it is taken as UTC. The body is kept as typed; each local image it shows (and the
front matter's `image`, `cover` or `featured_image`, the item's cover) is a `Media` with
its path in the source folder: `/x.png` is from the site's root, or Hugo's `static/`.

An item's key is its front matter `slug` when it has one (so a post moved between folders,
or from `_drafts` to `_posts`, stays the same post), else its path in the site.
"""

import datetime
import os
import posixpath
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import frontmatter
import yaml
from frontmatter.default_handlers import BaseHandler, YAMLHandler
from markdown_it import MarkdownIt

from broadsheet.importers.base import BadSource, Reader, Source
from broadsheet.importers.dates import aware, parse_datetime
from broadsheet.importers.records import (
    Author,
    Format,
    Item,
    Kind,
    Media,
    Record,
    Skip,
    Status,
    Term,
)

SUFFIXES = (".md", ".markdown")
NOT_CONTENT = {
    "_site",
    "public",
    "themes",
    "archetypes",
    "layouts",
    "node_modules",
    "vendor",
    "resources",
}
SITE_MARKERS = ("_config.yml", "_config.toml", "_posts", "content", "hugo.toml", "hugo.yaml")
HUGO_POST_SECTIONS = {"posts", "post", "blog"}
DATE_FIELDS = ("date", "publishdate", "pubdate", "published", "lastmod")  # Hugo's order
UPDATED_FIELDS = ("lastmod", "last_modified_at", "modified")
COVER_FIELDS = ("image", "cover", "featured_image")

_DATED_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})-(.+)")
_images = MarkdownIt("commonmark")


class _TomlHandler(BaseHandler):
    """Hugo's `+++` front matter, read with the standard library's TOML parser."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)

    def load(self, fm: str) -> dict[str, Any]:
        return tomllib.loads(fm)


_HANDLERS = (YAMLHandler(), _TomlHandler())


class _Style(StrEnum):
    """Which generator's default address the item had."""

    JEKYLL_POST = "jekyll post"
    JEKYLL_PAGE = "jekyll page"
    HUGO = "hugo"
    NONE = ""


@dataclass
class _Place:
    """What a file's place in the site says about it."""

    kind: Kind
    slug: str  # from the file's name (a bundle's folder)
    style: _Style
    dirs: list[str] = field(default_factory=list)  # Hugo's section; Jekyll's categories
    draft: bool = False
    date: datetime.datetime | None = None  # a Jekyll post's name's


def _site_root(folder: Path) -> Path:
    if not any((folder / marker).exists() for marker in SITE_MARKERS):
        inside = [p for p in folder.iterdir() if p.name[0] not in "._"]  # .DS_Store, __MACOSX
        if len(inside) == 1 and inside[0].is_dir():
            return inside[0]
    return folder


def _markdown_files(root: Path) -> Iterator[Path]:
    """Every Markdown file of the site, in a steady order, outside its machinery."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in NOT_CONTENT)
        for name in sorted(files):
            if name.endswith(SUFFIXES):
                yield Path(folder, name)


def _front_matter(text: str) -> BaseHandler | None:
    return next((handler for handler in _HANDLERS if handler.detect(text.lstrip())), None)


def _dated(name: str) -> tuple[datetime.datetime, str] | None:
    """2024-03-05-slug → (the day, at midnight UTC; "slug")."""
    match = _DATED_NAME.fullmatch(name)
    if not match:
        return None
    try:
        year, month, day = (int(part) for part in match.groups()[:3])
        midnight = datetime.datetime(year, month, day, tzinfo=datetime.UTC)
    except ValueError:
        return None
    return midnight, match[4]


def _place(parts: tuple[str, ...], meta: dict[str, Any], flavour: str) -> _Place | str:
    """Where the file is, as a `_Place`, or why it is not a post or a page."""
    *dirs, filename = parts
    stem = filename.rsplit(".", 1)[0]
    if "_posts" in dirs:
        dated = _dated(stem)
        if not dated:
            return "in _posts/ but not named YYYY-MM-DD-title (Jekyll leaves it out too)"
        categories = dirs[: dirs.index("_posts")]
        return _Place(Kind.POST, dated[1], _Style.JEKYLL_POST, categories, date=dated[0])
    if "_drafts" in dirs:
        return _Place(Kind.POST, stem, _Style.JEKYLL_POST, draft=True)
    if dirs[:1] == ["content"]:
        if stem == "_index":
            return "a Hugo section's list page, not a post or a page"
        bundle = stem == "index" and len(dirs) > 1
        section = dirs[1:-1] if bundle else dirs[1:]
        kind = Kind.POST if section[:1] and section[0] in HUGO_POST_SECTIONS else Kind.PAGE
        return _Place(kind, dirs[-1] if bundle else stem, _Style.HUGO, section)
    if hidden := next((d for d in dirs if d.startswith("_")), None):
        return f"in {hidden}/: a Jekyll collection or theme folder, not posts or pages"
    if flavour == "jekyll":
        if meta.get("layout") == "page":
            return _Place(Kind.PAGE, stem, _Style.JEKYLL_PAGE, dirs)
        return f"its layout is {meta.get('layout')!r}, not 'page': not a post or a page"
    if flavour == "hugo":
        return "outside content/: not a Hugo post or page"
    dated = _dated(stem)
    return _Place(Kind.POST, dated[1] if dated else stem, _Style.NONE, date=dated and dated[0])


def _text(value: Any) -> str:
    """A front matter value that is text (a number too: `title: 1984`), else ""."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    return str(value).strip()


def _words(value: Any) -> list[str]:
    """A list, or a string of names separated by commas or else by spaces (Jekyll)."""
    if isinstance(value, list):
        return [text for v in value if (text := _text(v))]
    text = _text(value)
    return [w.strip() for w in text.split("," if "," in text else None) if w.strip()]


def _when(value: Any) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        return aware(value)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day, tzinfo=datetime.UTC)
    return parse_datetime(value) if isinstance(value, str) else None


def _first_date(meta: dict[str, Any], fields: tuple[str, ...]) -> datetime.datetime | None:
    return next((when for f in fields if (when := _when(meta.get(f)))), None)


def _authors(meta: dict[str, Any]) -> list[Author]:
    names: dict[str, None] = {}
    for value in (meta.get("author"), meta.get("authors")):
        for person in value if isinstance(value, list) else [value]:
            if name := _text(person.get("name") if isinstance(person, dict) else person):
                names[name] = None
    return [Author(key=f"markdown:author:{name}", name=name) for name in names]


def _cover(meta: dict[str, Any]) -> tuple[str, str]:
    """The front matter's cover image, as (path or URL, alt): a string, or a table such as
    PaperMod's `cover: {image, alt}` or jekyll-seo-tag's `image: {path, alt}`."""
    for name in COVER_FIELDS:
        value = meta.get(name)
        if isinstance(value, dict):
            src = next((_text(value.get(k)) for k in ("image", "path", "src") if value.get(k)), "")
            return src, _text(value.get("alt"))
        if src := _text(value):
            return src, ""
    return "", ""


def _body_images(body: str) -> Iterator[tuple[str, str]]:
    """Each image the Markdown shows, as (src, alt)."""
    for token in _images.parse(body):
        for child in token.children or []:
            if child.type == "image":
                yield str(child.attrs.get("src", "")), child.content


def _paths(values: list[str], own: str) -> list[str]:
    """Old addresses as paths: a full URL gives its path, a relative one is beside `own`."""
    paths = []
    for value in values:
        split = urlsplit(value)
        path = split.path if split.scheme or split.netloc else value
        if not path.startswith("/"):
            path = posixpath.join(posixpath.dirname(own.rstrip("/")) or "/", path)
        paths.append(path)
    return paths


def _default_path(
    place: _Place, slug: str, when: datetime.datetime | None, terms: list[str]
) -> str:
    """Where the generator put the item unless told otherwise: Jekyll's
    /:categories/:year/:month/:day/:title.html and /page.html, Hugo's /section/slug/."""
    if place.style == _Style.JEKYLL_POST and when:
        categories = "".join(f"/{c.lower()}" for c in dict.fromkeys([*place.dirs, *terms]))
        return f"{categories}{when:/%Y/%m/%d}/{slug}.html"
    if place.style == _Style.JEKYLL_PAGE:
        return "/" + "/".join([*place.dirs, f"{place.slug}.html"])
    if place.style == _Style.HUGO:
        return ("/" + "/".join([*place.dirs, slug]) + "/").lower()  # Hugo lowers paths
    return ""


class MarkdownReader(Reader):
    name = "markdown"
    label = "Markdown files (Jekyll, Hugo)"
    root: Path  # the site's folder: the source's, or the one folder inside it
    flavour: str  # "jekyll", "hugo" or ""

    @classmethod
    def sniff(cls, source: Source) -> bool:
        if not source.is_folder:
            return False
        for path in _markdown_files(_site_root(source.path)):
            with path.open(encoding="utf-8-sig", errors="replace") as file:
                if _front_matter(file.read(8)):
                    return True
        return False

    def estimate(self) -> int | None:
        if not self.source.is_folder:
            return None
        return sum(1 for _ in _markdown_files(_site_root(self.source.path)))

    def records(self) -> Iterator[Record]:
        if not self.source.is_folder:
            raise BadSource(
                f"{self.source.name} is a file: a Jekyll or Hugo site is read from its "
                "folder, or a zip of it."
            )
        self.root = _site_root(self.source.path)
        self.flavour = (
            "jekyll"
            if (self.root / "_config.yml").exists() or (self.root / "_posts").is_dir()
            else "hugo"
            if (self.root / "content").is_dir()
            else ""
        )
        items = 0
        for path in _markdown_files(self.root):
            for record in self._file(path):
                items += isinstance(record, Item)
                yield record
        if not items:
            raise BadSource(
                f"{self.source.name} holds no Markdown posts or pages with front matter."
            )

    def _file(self, path: Path) -> Iterator[Record]:
        relative = PurePosixPath(path.relative_to(self.root).as_posix())
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            yield Skip(str(relative), "not UTF-8 text")
            return
        handler = _front_matter(text)
        if handler is None:
            yield Skip(str(relative), "no front matter: not a post or a page")
            return
        try:
            raw, body = frontmatter.parse(text, handler=handler)
        except (yaml.YAMLError, tomllib.TOMLDecodeError) as error:
            yield Skip(str(relative), f"its front matter cannot be read: {error}")
            return
        meta = {str(k).lower(): v for k, v in raw.items()}
        place = _place(relative.parts, meta, self.flavour)
        if isinstance(place, str):
            yield Skip(str(relative), place)
            return
        yield from self._item(relative, path.parent, place, meta, body)

    def _item(
        self, relative: PurePosixPath, folder: Path, place: _Place, meta: dict[str, Any], body: str
    ) -> Iterator[Record]:
        slug = _text(meta.get("slug")) or place.slug
        published_at = _first_date(meta, DATE_FIELDS) or place.date
        categories = _words(meta.get("categories"))
        if category := _text(meta.get("category")):
            categories.append(category)  # Jekyll's one category: its name may hold spaces
        tags = _words(meta.get("tags"))
        draft = place.draft or meta.get("draft") is True or meta.get("published") is False
        own = _text(meta.get("url")) or _text(meta.get("permalink"))
        if ":" in own:  # a permalink pattern (/:year/:title/) is not an address
            own = ""
        if not own and not draft:  # a draft was never at its default address
            own = _default_path(place, slug, published_at, categories)
        aliases = _words(meta.get("aliases")) + _words(meta.get("redirect_from"))
        named = place.slug.replace("-", " ").replace("_", " ")
        item = Item(
            key=f"markdown:{slug if meta.get('slug') else relative}",
            title=_text(meta.get("title")) or named[:1].upper() + named[1:],
            kind=place.kind,
            body=body,
            body_format=Format.MARKDOWN,
            slug=slug,
            status=Status.DRAFT if draft else Status.PUBLISHED,
            published_at=published_at,
            updated_at=_first_date(meta, UPDATED_FIELDS),
            excerpt=next(
                (t for f in ("summary", "description", "excerpt") if (t := _text(meta.get(f)))), ""
            ),
            authors=_authors(meta),
            terms=[Term(name=name) for name in dict.fromkeys(tags + categories)],
            old_paths=list(dict.fromkeys(([own] if own else []) + _paths(aliases, own or "/"))),
            featured=meta.get("featured") is True,  # as Jekyll and Hugo themes mark it
        )
        media: list[Media | Skip] = []
        cover, alt = _cover(meta)
        if cover:
            found = self._local_image(cover, alt, folder, relative)
            if isinstance(found, Skip):
                media.append(found)
            elif found or urlsplit(cover).scheme in ("http", "https"):
                item.cover = found or Media(url=cover, alt=alt)
        # The body's own images: named from the source folder's top, where the writer
        # looks for them (it stores each and puts its new address in the body).
        for src, image_alt in dict.fromkeys(_body_images(body)):
            found = self._local_image(src, image_alt, folder, relative)
            if isinstance(found, Media):
                item.body = item.body.replace(f"]({src}", f"]({found.url}").replace(
                    f'src="{src}"', f'src="{found.url}"'
                )
            elif found is not None:
                media.append(found)
        yield item
        yield from media

    def _local_image(
        self, src: str, alt: str, folder: Path, relative: PurePosixPath
    ) -> Media | Skip | None:
        """An image the item names by a path, which must be a file in the source folder:
        `/x.png` from the site's root or Hugo's static/, else beside the Markdown file.
        None for a URL (the body already links it)."""
        split = urlsplit(src)
        if split.scheme or split.netloc:
            return None
        path = unquote(split.path)
        if not path:
            return None
        if path.startswith("/"):
            candidates = [self.root / path.lstrip("/"), self.root / "static" / path.lstrip("/")]
        else:
            candidates = [folder / path]
        top = self.source.path.resolve()
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved.is_relative_to(top) and resolved.is_file():
                return Media(url=resolved.relative_to(top).as_posix(), alt=alt)
        return Skip(f"{src} in {relative}", "no such image in the folder")
