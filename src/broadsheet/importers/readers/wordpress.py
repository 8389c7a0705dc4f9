"""WordPress's export (Tools → Export): WXR, an RSS 2.0 file with `wp:` elements.

The file is streamed (`iterparse`, each finished child of <channel> cleared), so a 2 GB
export reads in the memory of its largest post. What is kept across the file is small and
counted by the site's people and terms, not its posts: authors and terms (items name them
by login and slug), and, only once a post needs it (a classic [gallery], a synced
pattern), an index of attachments and patterns (see `wordpress_content`).

WXR versions 1.0 to 1.2 share their shape; the namespace URI carries the version (and some
exporters write https://). A folder (an unpacked WordPress.com zip) may hold several
files of one export: they are read in name order.

Keys are the site's address (`wp:base_blog_url`, the blog's own; `wp:base_site_url` is the
network's on a multisite, shared by every blog) with the WordPress id: `…?p=12`,
`…#author:login`, `…#attachment:34`, `…#comment:56`. Old paths are as WordPress served
them, percent-encoding included, under the blog's path when it lives in a folder.
"""

import datetime
import html
import mimetypes
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.parsers import expat

import defusedxml
from defusedxml.ElementTree import iterparse

from broadsheet.importers.base import BadSource, Fetch, Reader, Source
from broadsheet.importers.readers.wordpress_content import (
    Picture,
    comment_html,
    plain_text,
    render_post,
)
from broadsheet.importers.records import (
    Author,
    Comment,
    CommentStatus,
    Item,
    Kind,
    Media,
    Record,
    Skip,
    Status,
    Term,
)

_WXR_NAMESPACE = re.compile(rb"""xmlns:wp=["']https?://wordpress\.org/export/""")
_POST_OR_PAGE = re.compile(rb"<wp:post_type>(?:<!\[CDATA\[)?(?:post|page)(?:\]\]>)?</wp:post_type>")
_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
_WP_NAMESPACE = re.compile(r"https?://wordpress\.org/export/\d+\.\d+/(excerpt/)?")
_CUT_SHORT = {
    expat.errors.codes[error]
    for error in (
        expat.errors.XML_ERROR_NO_ELEMENTS,
        expat.errors.XML_ERROR_UNCLOSED_TOKEN,
        expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION,
        expat.errors.XML_ERROR_PARTIAL_CHAR,
    )
}
_TOP_LEVEL = {"item", "wp:author", "wp:category", "wp:tag", "wp:term"}

_STATUSES = {
    "publish": Status.PUBLISHED,
    "draft": Status.DRAFT,
    "pending": Status.REVIEW,
    "future": Status.SCHEDULED,
    "private": Status.PRIVATE,
}
_KINDS = {"post": Kind.POST, "page": Kind.PAGE}
_SKIPPED_TYPES = {
    "nav_menu_item": "a navigation menu entry: menus are not imported",
    "revision": "an earlier version of a post",
    "wp_block": "a synced pattern: the posts that use it get its content",
    "wp_navigation": "a navigation menu: menus are not imported",
    "wp_template": "part of a block theme",
    "wp_template_part": "part of a block theme",
    "wp_global_styles": "part of a block theme",
    "wp_font_family": "a font of the old theme",
    "wp_font_face": "a font of the old theme",
    "custom_css": "the old theme's extra CSS",
    "customize_changeset": "an unsaved change to the old theme",
    "oembed_cache": "WordPress's cache of an embed",
    "user_request": "a personal data request",
}
_COMMENT_STATUSES = {
    "1": CommentStatus.APPROVED,
    "0": CommentStatus.HELD,
    "spam": CommentStatus.SPAM,
}


@lru_cache(maxsize=256)
def _name(tag: str) -> str:
    """A tag by its usual prefix: {http://wordpress.org/export/1.2/}post_id is wp:post_id,
    whatever the version."""
    if not tag.startswith("{"):
        return tag
    uri, _, local = tag[1:].partition("}")
    if wp := _WP_NAMESPACE.fullmatch(uri):
        return f"{'excerpt' if wp[1] else 'wp'}:{local}"
    return f"{_NAMESPACES.get(uri, uri)}:{local}"


def _fields(element: ET.Element) -> dict[str, str]:
    """An element's simple children by name: the shape of every WXR record."""
    return {_name(child.tag): child.text or "" for child in element}


def _utc(value: str) -> datetime.datetime | None:
    """A WordPress "Y-m-d H:i:s" as UTC; None for "0000-00-00 00:00:00" or anything else."""
    try:
        return datetime.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S").replace(
            tzinfo=datetime.UTC
        )
    except ValueError:
        return None


def _int(value: str) -> int:
    return int(value) if value.strip().isdigit() else 0


def nicename(login: str) -> str:
    """The slug WordPress gives a user, for /author/<it>/: `sanitize_title` of the login's
    first 50 characters (a login is ASCII: WordPress strips the rest when it is made)."""
    slug = re.sub(r"[^a-z0-9 _-]", "", login[:50].lower().replace(".", "-"))
    return re.sub(r"-+", "-", re.sub(r"\s+", "-", slug)).strip("-")


@dataclass
class _Entry:
    """One <item>, read: its fields, terms (domain, nicename, name), meta and comments."""

    fields: dict[str, str]
    terms: list[tuple[str, str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def read(cls, element: ET.Element) -> "_Entry":
        entry = cls({})
        for child in element:
            name = _name(child.tag)
            if name == "category":
                entry.terms.append(
                    (child.get("domain", ""), child.get("nicename", ""), child.text or "")
                )
            elif name == "wp:postmeta":
                meta = _fields(child)
                entry.meta[meta.get("wp:meta_key", "")] = meta.get("wp:meta_value", "")
            elif name == "wp:comment":
                entry.comments.append(_fields(child))
            else:
                entry.fields[name] = child.text or ""
        return entry

    def get(self, name: str) -> str:
        return self.fields.get(name, "").strip()

    @property
    def id(self) -> int:
        return _int(self.get("wp:post_id"))

    @property
    def title(self) -> str:
        # Titles are HTML (WordPress shows them raw; kses writes "&" as "&amp;").
        return html.unescape(self.fields.get("title", "")).strip()

    def describe(self) -> str:
        what = f"{self.get('wp:post_type') or 'item'} {self.id}"
        return f'{what} "{self.title}"' if self.title else what


@dataclass(frozen=True)
class _Attachment:
    id: int
    url: str
    alt: str
    parent: int
    order: int

    @classmethod
    def of(cls, entry: _Entry) -> "_Attachment":
        return cls(
            entry.id,
            entry.get("wp:attachment_url") or entry.get("guid"),
            entry.meta.get("_wp_attachment_image_alt", "").strip(),
            _int(entry.get("wp:post_parent")),
            _int(entry.get("wp:menu_order")),
        )

    @property
    def is_image(self) -> bool:
        return (mimetypes.guess_type(self.url)[0] or "").startswith("image/")


def _channel(path: Path) -> Iterator[tuple[str, ET.Element]]:
    """Each finished child of <channel>, by name, cleared once the caller is done with it.

    Everything that makes the file unreadable, or not a WordPress export, is a BadSource."""
    version = ""
    depth = 0
    channel: ET.Element | None = None
    try:
        for event, element in iterparse(str(path), events=("start", "end"), forbid_dtd=True):
            if event == "start":
                depth += 1
                if depth == 1 and element.tag != "rss":
                    root = element.tag.rpartition("}")[2]
                    raise BadSource(
                        f"{path.name} is not a WordPress export: it is a <{root}> document, "
                        "and an export is an RSS file (<rss>)."
                    )
                if depth == 2 and _name(element.tag) == "channel":
                    channel = element
                continue
            depth -= 1
            if depth != 2 or channel is None:
                continue
            name = _name(element.tag)
            if name == "wp:wxr_version":
                version = (element.text or "").strip()
                if not re.fullmatch(r"\d+\.\d+", version):
                    raise BadSource(f"{path.name} names an unknown WXR version: {version!r}.")
            elif name in _TOP_LEVEL and not version:
                raise _not_wxr(path)
            yield name, element
            channel.clear()
    except ET.ParseError as error:
        line, column = error.position
        if error.code in _CUT_SHORT:
            raise BadSource(
                f"{path.name} ends in the middle (line {line}): the export was cut short. "
                "Download or copy it again."
            ) from None
        reason = expat.errors.messages.get(error.code, "malformed")
        raise BadSource(
            f"{path.name} is not well-formed XML (line {line}, column {column}: {reason})."
        ) from None
    except defusedxml.DTDForbidden:
        raise BadSource(
            f"{path.name} declares a DTD (<!DOCTYPE …>). WordPress exports never do, and "
            "one can hide an XML bomb or read files from this machine: refused."
        ) from None
    except defusedxml.DefusedXmlException as error:
        raise BadSource(f"{path.name} uses XML features an export never has ({error}).") from None
    except OSError as error:
        raise BadSource(f"{path.name} cannot be read: {error.strerror or error}.") from None
    if not version:
        raise _not_wxr(path)


def _not_wxr(path: Path) -> BadSource:
    return BadSource(
        f"{path.name} is not a WordPress export: it has no wp:wxr_version. "
        "Export it from WordPress with Tools → Export."
    )


def _is_wxr_file(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return _looks_like_wxr(file.read(4096))
    except OSError:
        return False


def _looks_like_wxr(head: bytes) -> bool:
    return b"<rss" in head and bool(_WXR_NAMESPACE.search(head))


class WxrReader(Reader):
    name = "wxr"
    label = "WordPress export (WXR)"

    def __init__(self, source: Source, fetch: Fetch) -> None:
        super().__init__(source, fetch)
        self._index: _Index | None = None

    @classmethod
    def sniff(cls, source: Source) -> bool:
        if source.is_folder:
            return any(_is_wxr_file(path) for path in source.path.glob("*.xml"))
        return _looks_like_wxr(source.head())

    def estimate(self) -> int | None:
        """Posts and pages, counted by a byte scan for their wp:post_type."""
        count = 0
        try:
            for path in self._files():
                with path.open("rb") as file:
                    tail = b""
                    while chunk := file.read(1 << 20):
                        window = tail + chunk
                        counted = 0  # where the last match ended: no byte is counted twice
                        for match in _POST_OR_PAGE.finditer(window):
                            count += 1
                            counted = match.end()
                        tail = window[max(counted, len(window) - 64) :]
        except (OSError, BadSource):
            return None
        return count

    def records(self) -> Iterator[Record]:
        export = _Export(self)
        for path in self._files():
            yield from export.records(path)

    def _files(self) -> list[Path]:
        if not self.source.is_folder:
            return [self.source.path]
        files = sorted(path for path in self.source.path.glob("*.xml") if _is_wxr_file(path))
        if not files:
            raise BadSource(
                f"{self.source.name} holds no WordPress export (.xml with wp: elements)."
            )
        return files

    def index(self) -> "_Index":
        """The export's attachments and synced patterns by id, read by a second pass the
        first time a post refers to one."""
        if self._index is None:
            self._index = _Index()
            for path in self._files():
                for name, element in _channel(path):
                    if name == "item":
                        self._index.add(_Entry.read(element))
        return self._index


@dataclass
class _Index:
    attachments: dict[int, _Attachment] = field(default_factory=dict)
    patterns: dict[int, str] = field(default_factory=dict)

    def add(self, entry: _Entry) -> None:
        if entry.get("wp:status") == "trash":
            return
        if entry.get("wp:post_type") == "attachment":
            self.attachments[entry.id] = _Attachment.of(entry)
        elif entry.get("wp:post_type") == "wp_block":
            self.patterns[entry.id] = entry.fields.get("content:encoded", "")


class _PostLibrary:
    """The `Library` a post renders with: the export's index, seen from that post."""

    def __init__(self, reader: WxrReader, post_id: int) -> None:
        self.reader = reader
        self.post_id = post_id

    def pictures(self, ids: list[int] | None) -> list[Picture]:
        attachments = self.reader.index().attachments
        if ids is None:  # WordPress's default: the post's images, in their menu order
            chosen = sorted(
                (
                    attachment
                    for attachment in attachments.values()
                    if attachment.parent == self.post_id and attachment.is_image
                ),
                key=lambda attachment: (attachment.order, attachment.id),
            )
        else:
            chosen = [attachments[number] for number in ids if number in attachments]
        return [Picture(each.id, each.url, each.alt) for each in chosen]

    def synced_pattern(self, ref: int) -> str | None:
        return self.reader.index().patterns.get(ref)


class _Export:
    """A reading of the export: the channel's people and terms (kept for the files after,
    which may not list them again), then its items."""

    def __init__(self, reader: WxrReader) -> None:
        self.reader = reader
        self.path = Path()
        self.base = ""
        self.site_url = ""
        self.channel_link = ""
        self.authors: dict[str, Author] = {}
        self.terms: dict[tuple[str, str], Term] = {}
        self.category_parents: dict[str, str] = {}

    def records(self, path: Path) -> Iterator[Record]:
        self.path = path
        for name, element in _channel(path):
            if name == "link":
                self.channel_link = (element.text or "").strip()
            elif name == "wp:base_site_url":
                self.site_url = (element.text or "").strip()
            elif name == "wp:base_blog_url":
                self.base = (element.text or "").strip().rstrip("/")
            elif name == "wp:author":
                self._author(_fields(element))
            elif name in ("wp:category", "wp:tag", "wp:term"):
                self._term(name, _fields(element))
            elif name == "item":
                yield from self._item(_Entry.read(element))

    # --- the channel

    @property
    def site(self) -> str:
        """The blog's address, for keys; an export without any is refused."""
        if not self.base:
            self.base = (self.site_url or self.channel_link).strip().rstrip("/")
            if not self.base:
                raise BadSource(f"{self.path.name} names no site address (wp:base_blog_url).")
        return self.base

    def _path(self, path: str) -> str:
        """A path on the old blog, under its folder if it lives in one."""
        return urlsplit(self.site).path.rstrip("/") + path

    def _author(self, fields: dict[str, str]) -> None:
        login = fields.get("wp:author_login", "").strip()
        if not login:
            return
        slug = nicename(login)
        self.authors[login] = Author(
            key=f"{self.site}#author:{login}",
            name=html.unescape(fields.get("wp:author_display_name", "")).strip() or login,
            email=fields.get("wp:author_email", "").strip(),
            slug=slug,
            old_paths=[self._path(f"/author/{slug}/")],
        )

    def _term(self, element: str, fields: dict[str, str]) -> None:
        if element == "wp:category":
            taxonomy, slug, parent = "category", "wp:category_nicename", "wp:category_parent"
            name, description = "wp:cat_name", "wp:category_description"
        elif element == "wp:tag":
            taxonomy, slug, parent = "post_tag", "wp:tag_slug", ""
            name, description = "wp:tag_name", "wp:tag_description"
        else:
            taxonomy, slug, parent = (
                fields.get("wp:term_taxonomy", ""),
                "wp:term_slug",
                "wp:term_parent",
            )
            name, description = "wp:term_name", "wp:term_description"
        if taxonomy not in ("category", "post_tag") or not fields.get(slug, "").strip():
            return
        self._new_term(
            taxonomy,
            fields[slug].strip(),
            fields.get(name, ""),
            parent=fields.get(parent, "").strip() if parent else "",
            description=fields.get(description, ""),
        )

    def _new_term(
        self, taxonomy: str, nicename: str, name: str, parent: str = "", description: str = ""
    ) -> Term:
        """A category or tag, with the old addresses of its archive."""
        if taxonomy == "category":
            self.category_parents[nicename] = parent
            old_paths = [f"/category/{nicename}/"]
            if parent:
                old_paths.append(f"/category/{'/'.join(self._ancestry(nicename))}/")
        else:
            old_paths = [f"/tag/{nicename}/"]
        term = Term(
            name=html.unescape(name).strip() or unquote(nicename),
            slug=unquote(nicename),
            description=html.unescape(description).strip(),
            old_paths=[self._path(path) for path in old_paths],
        )
        self.terms[taxonomy, nicename] = term
        return term

    def _ancestry(self, nicename: str) -> list[str]:
        """["news", "world", "europe"] for europe; safe from a parent loop."""
        chain = [nicename]
        while (parent := self.category_parents.get(chain[-1], "")) and parent not in chain:
            chain.append(parent)
        return chain[::-1]

    # --- items

    def _item(self, entry: _Entry) -> Iterator[Record]:
        post_type = entry.get("wp:post_type")
        status = entry.get("wp:status")
        if status == "trash":
            yield Skip(entry.describe(), "in WordPress's trash")
        elif post_type == "attachment":
            attachment = _Attachment.of(entry)
            if not attachment.url:
                yield Skip(entry.describe(), "the export gives no address for its file")
                return
            yield Media(
                url=attachment.url, key=f"{self.site}#attachment:{entry.id}", alt=attachment.alt
            )
        elif post_type not in _KINDS:
            reason = _SKIPPED_TYPES.get(post_type, f"a {post_type!r} (a theme's or plugin's type)")
            yield Skip(entry.describe(), reason)
        elif status not in _STATUSES:
            yield Skip(entry.describe(), f"its status {status!r} is not a post's")
        else:
            yield from self._post(entry, _KINDS[post_type], _STATUSES[status])

    def _post(self, entry: _Entry, kind: Kind, status: Status) -> Iterator[Record]:
        if entry.get("wp:post_password") and status in (Status.PUBLISHED, Status.SCHEDULED):
            status = Status.PRIVATE  # password-protected: never public here
        # Drafts and pending posts have no GMT date; their local one is taken as UTC. It is
        # also the creation date: WordPress keeps no other.
        date = _utc(entry.get("wp:post_date_gmt")) or _utc(entry.get("wp:post_date"))
        public_date = status in (Status.PUBLISHED, Status.SCHEDULED, Status.PRIVATE)
        rendered = render_post(
            entry.fields.get("content:encoded", ""), _PostLibrary(self.reader, entry.id)
        )
        comments, skipped = self._comments(entry)
        thumbnail = _int(entry.meta.get("_thumbnail_id", ""))
        creator = entry.get("dc:creator")
        yield Item(
            key=f"{self.site}?p={entry.id}",
            title=entry.title,
            kind=kind,
            body=rendered.html,
            slug=unquote(entry.get("wp:post_name")),
            status=status,
            published_at=date if public_date else None,
            updated_at=_utc(entry.get("wp:post_modified_gmt"))
            or _utc(entry.get("wp:post_modified")),
            created_at=date,
            excerpt=plain_text(entry.fields.get("excerpt:encoded", "")),
            authors=[self._creator(creator)] if creator else [],
            terms=self._item_terms(entry),
            cover_key=f"{self.site}#attachment:{thumbnail}" if thumbnail else "",
            comments=comments,
            link=entry.get("link"),
            old_paths=self._old_paths(entry, kind),
            featured=kind == Kind.POST and entry.get("wp:is_sticky") == "1",  # first on its home
        )
        yield from skipped
        for what, why in rendered.lost:
            yield Skip(f'{what} in "{entry.title}"', why)

    def _creator(self, login: str) -> Author:
        """The item's author; a login the export does not list still names someone."""
        return self.authors.get(login) or Author(key=f"{self.site}#author:{login}", name=login)

    def _item_terms(self, entry: _Entry) -> list[Term]:
        terms = []
        for domain, slug, name in entry.terms:
            taxonomy = "post_tag" if domain == "tag" else domain  # WXR 1.0 wrote "tag"
            if taxonomy in ("category", "post_tag") and slug:
                terms.append(
                    self.terms.get((taxonomy, slug)) or self._new_term(taxonomy, slug, name)
                )
        return terms

    def _old_paths(self, entry: _Entry, kind: Kind) -> list[str]:
        query = "page_id" if kind is Kind.PAGE else "p"
        paths = [self._path(f"/?{query}={entry.id}")]
        if link := entry.get("link"):
            parts = urlsplit(link)
            linked = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            if linked not in paths:
                paths.append(linked)
        return paths

    def _comments(self, entry: _Entry) -> tuple[list[Comment], list[Skip]]:
        comments: list[Comment] = []
        skipped: list[Skip] = []
        for fields in entry.comments:
            comment_id = fields.get("wp:comment_id", "").strip()
            kind = fields.get("wp:comment_type", "").strip() or "comment"
            approved = fields.get("wp:comment_approved", "").strip()
            what = f'{kind} {comment_id} on "{entry.title}"'
            if kind != "comment":
                skipped.append(Skip(what, f"a {kind}, not a reader's comment"))
            elif approved not in _COMMENT_STATUSES:
                reason = "in WordPress's trash" if "trash" in approved else f"status {approved!r}"
                skipped.append(Skip(what, reason))
            else:
                parent = _int(fields.get("wp:comment_parent", ""))
                comments.append(
                    Comment(
                        key=f"{self.site}#comment:{comment_id}",
                        body_html=comment_html(fields.get("wp:comment_content", "")),
                        name=html.unescape(fields.get("wp:comment_author", "")).strip(),
                        email=fields.get("wp:comment_author_email", "").strip(),
                        url=fields.get("wp:comment_author_url", "").strip(),
                        created_at=_utc(fields.get("wp:comment_date_gmt", ""))
                        or _utc(fields.get("wp:comment_date", "")),
                        status=_COMMENT_STATUSES[approved],
                        parent_key=f"{self.site}#comment:{parent}" if parent else "",
                    )
                )
        return comments, skipped
