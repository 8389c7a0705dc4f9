"""An import's images: downloaded or taken from the source folder, stored once per run
through the media pipeline (the same checks and cleaning as an upload), and the bodies'
<img> and Markdown image addresses pointed at the stored copies.

An image that cannot be had is no reason to stop an import: it is recorded in `failures`
and its body keeps the original address.
"""

import html
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from markdown_it import MarkdownIt

from broadsheet.accounts.models import User
from broadsheet.importers.base import BadSource
from broadsheet.importers.fetch import fetch_to_file, media_file_name
from broadsheet.importers.media_urls import wix_original
from broadsheet.importers.models import ImportedThing, key_hash
from broadsheet.importers.records import Media
from broadsheet.media import services
from broadsheet.media.html import (
    Attrs,
    attribute,
    img_tag_text,
    img_tags,
    media_name,
    replace_img_tags,
)
from broadsheet.media.models import Image

_NOT_IMPORTED = ("data:", "#")  # inline pictures and fragments: nothing to fetch
_WEB_ADDRESS = re.compile(r"^https?://", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]+:", re.IGNORECASE)  # two letters at least: "C:" is a path

# Markdown's inline images, found outside code. Escapes and code spans are matched (and
# kept) first, so `\![x](y)` and `` `![x](y)` `` are never taken for images.
_BLANK_LINE = r"\n[ \t]*\n"
_MARKDOWN = re.compile(
    rf"""
    (?P<escape>\\.)
    | (?<!`)(?P<ticks>`+)(?!`)(?:(?!{_BLANK_LINE}).)*?(?<!`)(?P=ticks)(?!`)
    | !\[(?P<alt>(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*)\]
      \([ \t]*\n?[ \t]*
      (?P<dest><(?:[^<>\n\\]|\\.)*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))+)
      (?:[ \t]*\n?[ \t]*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?
      [ \t]*\n?[ \t]*\)
    | (?P<img><img\b(?:[^>"']|"[^"]*"|'[^']*')*>)
    """,
    re.VERBOSE | re.DOTALL | re.IGNORECASE,
)
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_code_finder = MarkdownIt("commonmark")


def normalise_image_url(url: str) -> str:
    """The address to download an image from: Wix's original instead of a resized copy or
    its own `wix:image://` name, and https for a scheme-relative `//host/a.jpg`.

    A query string is kept: a CDN may need it to serve the file (only the stored file's
    *name* drops it, in `media_file_name`).
    """
    url = url.strip()
    return f"https:{url}" if url.startswith("//") else wix_original(url)


class MediaImporter:
    """Stores the images one import run meets, each once, and rewrites bodies to use them.

    After the run: `stored` names every file written (for `delete_stored_files` if the
    run's transaction fails), `images_created` the new images, `failures` the
    (address, reason) of each image that could not be imported, and in a dry run
    `would_fetch` how many distinct images would have been (none is fetched or stored).
    """

    def __init__(
        self, *, uploaded_by: User | None, fetch_timeout: float, max_bytes: int, dry_run: bool
    ) -> None:
        self.uploaded_by = uploaded_by
        self.fetch_timeout = fetch_timeout
        self.max_bytes = max_bytes
        self.dry_run = dry_run
        self.stored: list[str] = []
        self.images_created: list[Image] = []
        self.failures: list[tuple[str, str]] = []
        self.would_fetch = 0
        self._seen: dict[str | Path, Image | None] = {}

    def image_for(self, media: Media, *, root: Path | None) -> Image | None:
        """The stored image for `media`: imported the first time its address (or file) is
        seen, the same image after. None when it cannot be, and in a dry run.

        An http(s) address is downloaded; anything else is a file inside `root` (a leading
        "/" means the top of `root`), never one that resolves outside it.
        """
        url = normalise_image_url(media.url)
        try:
            where = url if _WEB_ADDRESS.match(url) else _file_inside(root, url)
        except BadSource as error:
            if url not in self._seen:
                self._fail(media, error)
                self._seen[url] = None
            return None
        if where not in self._seen:
            self._seen[where] = self._earlier(url) or self._import(where, media, key=url)
        return self._seen[where]

    def _earlier(self, key: str) -> Image | None:
        """The image an earlier import stored for the same address, so a second run of the
        same source fetches nothing."""
        thing = ImportedThing.objects.filter(
            kind=ImportedThing.Kind.MEDIA, key_hash=key_hash(key)
        ).first()
        target = thing.target if thing is not None else None
        return target if isinstance(target, Image) else None

    def rewrite(self, html: str, *, root: Path | None) -> str:
        """HTML with each importable <img>'s `src` pointing at the stored image, and its
        `srcset` and `sizes` dropped (the site's renditions replace them). Images that
        fail keep their tags; everything but the changed tags stays character for character.
        """
        found = [tag for tag in img_tags(html) if _importable(attribute(tag[2], "src"))]
        return replace_img_tags(html, found, lambda raw, attrs: self._img(raw, attrs, root))

    def rewrite_markdown(self, text: str, *, root: Path | None) -> str:
        """Markdown with each inline image's address (`![alt](path "title")`, and <img> tags
        written in it) pointing at the stored image; code and the rest stay as typed."""
        pieces, done = [], 0
        for start, end in _code_blocks(text):
            pieces += [self._rewrite_prose(text[done:start], root), text[start:end]]
            done = end
        pieces.append(self._rewrite_prose(text[done:], root))
        return "".join(pieces)

    def _rewrite_prose(self, text: str, root: Path | None) -> str:
        return _MARKDOWN.sub(lambda match: self._markdown_piece(match, root), text)

    def _markdown_piece(self, match: re.Match[str], root: Path | None) -> str:
        if match["img"]:
            return self.rewrite(match["img"], root=root)
        if not match["dest"]:  # an escape or a code span
            return match[0]
        dest = match["dest"]
        url = _unescape_markdown(dest[1:-1] if dest.startswith("<") else dest)
        if not _importable(url):
            return match[0]
        image = self.image_for(Media(url=url, alt=_unescape_markdown(match["alt"])), root=root)
        if image is None:
            return match[0]
        new = f"<{image.url}>" if re.search(r"[\s()<>]", image.url) else image.url
        start, end = match.start("dest") - match.start(), match.end("dest") - match.start()
        return match[0][:start] + new + match[0][end:]

    def _img(self, raw: str, attrs: Attrs, root: Path | None) -> str:
        src = attribute(attrs, "src") or ""
        image = self.image_for(Media(url=src, alt=attribute(attrs, "alt") or ""), root=root)
        if image is None:
            return raw
        kept = [
            (name, image.url if name == "src" else value)
            for name, value in attrs
            if name not in ("srcset", "sizes")
        ]
        return img_tag_text(kept, like=raw)

    def _import(self, where: str | Path, media: Media, *, key: str) -> Image | None:
        if self.dry_run:
            self.would_fetch += 1
            return None
        try:
            if isinstance(where, Path):
                image = self._store(where, media, name=where.name)
            else:
                downloaded = fetch_to_file(
                    where, max_bytes=self.max_bytes, timeout=self.fetch_timeout
                )
                try:
                    image = self._store(downloaded, media, name=media_file_name(media.url))
                finally:
                    downloaded.unlink(missing_ok=True)
        except BadSource as error:
            self._fail(media, error)
            return None
        ImportedThing.objects.create(
            kind=ImportedThing.Kind.MEDIA,
            key_hash=key_hash(key),
            key=key[:300],
            content_type=ContentType.objects.get_for_model(Image),
            object_id=image.pk,
        )
        return image

    def _store(self, file: Path, media: Media, *, name: str) -> Image:
        """Through the media pipeline; its refusal (not an image, too large) is the source's."""
        try:
            image = services.import_image(
                file=file,
                name=name,
                alt=media.alt,
                uploaded_by=self.uploaded_by,
                stored=self.stored,
                max_bytes=self.max_bytes,
            )
        except ValidationError as error:
            raise BadSource(f"could not import {media.url}: {' '.join(error.messages)}") from error
        self.images_created.append(image)
        return image

    def _fail(self, media: Media, error: BadSource) -> None:
        self.failures.append((media.url, str(error)))


def _importable(src: str | None) -> bool:
    """Whether an <img> address is one to import: not empty, not inline data, not ours."""
    src = (src or "").strip()
    return bool(src) and not src.lower().startswith(_NOT_IMPORTED) and media_name(src) is None


def _file_inside(root: Path | None, url: str) -> Path:
    """The file a relative address names inside `root`, after every symlink and "..";
    refused if it is anywhere else, or no readable file."""
    if root is None:
        raise BadSource(f"could not import {url}: a relative path, and the source is no folder")
    if _SCHEME.match(url):
        raise BadSource(f"could not import {url}: only http and https addresses are fetched")
    try:
        relative = unquote(urlsplit(url).path).lstrip("/")
        base = root.resolve()
        path = (base / relative).resolve()
    except (OSError, ValueError, RuntimeError) as error:
        raise BadSource(f"could not import {url}: not a usable path") from error
    if not path.is_relative_to(base):
        raise BadSource(f"could not import {url}: it points outside the source folder")
    if not path.is_file():
        raise BadSource(f"could not import {url}: there is no such file in the source")
    return path


def _code_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of fenced and indented code blocks, whose text is not Markdown."""
    line_starts = [0] + [match.end() for match in re.finditer("\n", text)] + [len(text)]
    blocks = []
    for token in _code_finder.parse(text):
        if token.type in ("fence", "code_block") and token.map:
            first, last = token.map
            blocks.append((line_starts[first], line_starts[min(last, len(line_starts) - 1)]))
    return blocks


def _unescape_markdown(text: str) -> str:
    return html.unescape(_MARKDOWN_ESCAPE.sub(r"\1", text))
