"""RSS 2.0 and Atom feeds: how Wix Blog, Substack, Medium and Blogger sites come in, and
WordPress sites whose export is not at hand.

The document is read with defusedxml first, element by element (memory stays flat): a web
page, malformed XML or a document declaring entities is refused with `BadSource`, which
feedparser alone would accept (it only sets `bozo`). Each item, once complete, is handed
to feedparser on its own, which knows the many ways feeds write content, dates and people.

A feed's items are posts, or comments when it is a comments feed (WordPress titles it
"Comments on: X" or "Comments for X", and links each comment as `<post>#comment-N`);
this is decided once per feed, at its first item. A WordPress comments feed does not say
which comment answers which, so every comment is a top comment (`parent_key` "").

Only a source that came from a URL brings in more from the web, always through `fetch`:
- the next pages: Atom's `<link rel="next">`, or for a WordPress feed `?paged=2`, 3, ...
  until a page fails or brings no item not already seen, at most `MAX_PAGES` pages a feed;
- the comments of each post whose item has `wfw:commentRss` and `slash:comments` > 0, when
  that comments feed is on the same host as the source (its pages count separately).
"""

import datetime
import html
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

import defusedxml.ElementTree as SafeET
import feedparser
from defusedxml import DefusedXmlException

from broadsheet.importers.base import BadSource, Reader, Source
from broadsheet.importers.dates import aware, parse_datetime
from broadsheet.importers.records import Author, Comment, Item, Media, Record, Skip, Term

MAX_PAGES = 50

ATOM = "http://www.w3.org/2005/Atom"
_ATOM_ENTRY = f"{{{ATOM}}}entry"
_ATOM_LINK = f"{{{ATOM}}}link"
_ATOM_TITLE = f"{{{ATOM}}}title"
_ATOM_GENERATOR = f"{{{ATOM}}}generator"
_BLOGGER_KIND = "http://schemas.google.com/g/2005#kind"  # "this entry is a post": no tag
_COMMENTS_TITLE = re.compile(r"Comments (on:|for) ")
_COMMENT_FRAGMENT = re.compile(r"comment-\d+")
_PAGE_SUFFIX = re.compile(r"\.html?$")
_HTML_START = re.compile(rb"<!doctype html|<html[\s>]", re.IGNORECASE)


@dataclass
class _Channel:
    """What a feed says about itself, noted as the parse passes it."""

    title: str = ""
    link: str = ""  # the site (or, for one post's comments, the post)
    next_url: str = ""  # Atom paging (RFC 5005)
    generator: str = ""

    @property
    def by_wordpress(self) -> bool:
        return "wordpress.org" in self.generator  # <generator>https://wordpress.org/?v=6.4

    def note(self, element: ET.Element) -> None:
        if element.tag == _ATOM_LINK:
            rel = element.get("rel", "alternate")
            if rel == "next":
                self.next_url = element.get("href", "")
            elif rel == "alternate" and not self.link:
                self.link = element.get("href", "")
        elif element.tag == "link":
            self.link = (element.text or "").strip()
        elif element.tag in ("title", _ATOM_TITLE):
            self.title = "".join(element.itertext()).strip()
        elif element.tag in ("generator", _ATOM_GENERATOR):  # Atom names the site in uri=
            self.generator = f"{element.get('uri', '')} {element.text or ''}".strip()


class _Entry(NamedTuple):
    channel: _Channel
    key: str  # the guid (Atom id), else the link
    data: Any  # feedparser's entry


def _web_page(name: str) -> BadSource:
    return BadSource(
        f"{name} is a web page, not a feed: give the feed's address instead "
        "(often /feed/, /rss.xml or /atom.xml; the page names it in a "
        '<link rel="alternate" type="application/rss+xml">).'
    )


def _entries(path: Path, name: str, channel: _Channel) -> Iterator[Any]:
    """Each item of one feed document, parsed by feedparser, while `channel` is filled in."""
    stack: list[ET.Element] = []
    entry_depth, entry_tag = 0, ""
    try:
        for event, element in SafeET.iterparse(path, events=("start", "end")):
            if event == "start":
                if not stack:
                    entry_depth, entry_tag = _layout(element, name)
                stack.append(element)
                continue
            stack.pop()
            if len(stack) != entry_depth:
                continue
            if element.tag == entry_tag:
                yield _parse_entry(element, atom=entry_tag == _ATOM_ENTRY)
                stack[-1].remove(element)
            else:
                channel.note(element)
    except DefusedXmlException as error:
        raise BadSource(
            f"{name} declares XML entities, which feeds never need and which can expand "
            f"to gigabytes or read files on this machine; it was refused ({error})."
        ) from None
    except ET.ParseError as error:
        with path.open("rb") as file:
            if _HTML_START.search(file.read(1024)):
                raise _web_page(name) from None
        raise BadSource(
            f"{name} is not an RSS or Atom feed: it is not well-formed XML ({error})."
        ) from None
    except OSError as error:
        raise BadSource(f"{name} cannot be read: {error.strerror}.") from None


def _layout(root: ET.Element, name: str) -> tuple[int, str]:
    """How deep a feed's items are, and their tag: <rss><channel><item>, <feed><entry>."""
    if root.tag == "rss":
        return 2, "item"
    if root.tag == f"{{{ATOM}}}feed":
        return 1, _ATOM_ENTRY
    tag = root.tag.rpartition("}")[2]
    if tag == "html":
        raise _web_page(name)
    raise BadSource(f"{name} is not an RSS or Atom feed: it is XML whose root is <{tag}>.")


def _parse_entry(element: ET.Element, *, atom: bool) -> Any:
    """One item, alone in an envelope of its format, through feedparser; content kept as the
    feed holds it (the writer makes it safe)."""
    text = ET.tostring(element, encoding="unicode")
    envelope = (
        f'<feed xmlns="{ATOM}">{text}</feed>'
        if atom
        else f'<rss version="2.0"><channel>{text}</channel></rss>'
    )
    parsed = feedparser.parse(
        io.BytesIO(envelope.encode()), sanitize_html=False, resolve_relative_uris=False
    )
    return parsed.entries[0]


def _with_page(url: str, number: int) -> str:
    split = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(split.query, keep_blank_values=True) if k != "paged"]
    return urlunsplit(split._replace(query=urlencode([*query, ("paged", str(number))])))


def _date(data: Any, field: str) -> datetime.datetime | None:
    """The date as written, zone and all; else feedparser's reading of it (in UTC). Read
    with `dict.get`: feedparser's own `get("updated")` answers the published date."""
    parsed = dict.get(data, f"{field}_parsed")
    return parse_datetime(dict.get(data, field, "")) or (
        aware(datetime.datetime(*parsed[:6])) if parsed else None
    )


def _body(data: Any) -> str:
    """The full content (content:encoded, Atom content), else the summary, as HTML."""
    detail = next(iter(data.get("content", [])), None) or data.get("summary_detail")
    if not detail:
        return ""
    value = detail.get("value", "")
    return html.escape(value) if detail.get("type") == "text/plain" else value


def _terms(data: Any) -> list[Term]:
    names: dict[str, None] = {}
    for tag in data.get("tags", []):
        name = tag.get("label") or tag.get("term")
        if name and tag.get("scheme") != _BLOGGER_KIND:
            names[name] = None
    return [Term(name=name) for name in names]


def _cover(data: Any) -> Media | None:
    """An image enclosure (Substack, Wix): the post's cover."""
    for link in data.get("links", []):
        if link.get("rel") == "enclosure" and link.get("type", "").startswith("image/"):
            return Media(url=link["href"])
    return None


def _slug(path: str) -> str:
    """The link's last path segment, decoded: /2024/03/caf%C3%A9/ → café; Blogger's
    /2024/03/rain.html → rain."""
    return _PAGE_SUFFIX.sub("", unquote(path.rstrip("/").rpartition("/")[2]))


def _site(url: str) -> str:
    split = urlsplit(url)
    return f"{split.scheme}://{split.netloc}{split.path}".rstrip("/")


def _same_host(url: str, other: str) -> bool:
    host = urlsplit(url).hostname
    return host is not None and host == urlsplit(other).hostname


def _is_comments_feed(entry: _Entry) -> bool:
    fragment = urlsplit(entry.data.get("link", "")).fragment
    return bool(_COMMENTS_TITLE.match(entry.channel.title) or _COMMENT_FRAGMENT.fullmatch(fragment))


class FeedReader(Reader):
    name = "feed"
    label = "RSS or Atom feed"

    @classmethod
    def sniff(cls, source: Source) -> bool:
        head = source.head().lower()
        if b"wordpress.org/export/" in head:  # a WordPress export is RSS too: not ours
            return False
        return b"<rss" in head or (b"<feed" in head and ATOM.lower().encode() in head)

    def records(self) -> Iterator[Record]:
        yield from self._feed(self.source.path, self.source.name, self.source.url)

    def _feed(self, path: Path, name: str, url: str, post: Item | None = None) -> Iterator[Record]:
        """The records of one feed and its next pages: posts, or comments (of `post` when
        this is its comments feed, fetched here)."""
        is_comments = True if post else None  # else decided at the first entry
        for entry in self._paged_entries(path, name, url):
            if isinstance(entry, Skip):
                yield entry
                continue
            if is_comments is None:
                is_comments = _is_comments_feed(entry)
            if is_comments:
                yield self._comment(entry, post)
            else:
                item = self._item(entry)
                yield item
                yield from self._comments_of(item, entry.data)

    def _paged_entries(self, path: Path, name: str, url: str) -> Iterator[_Entry | Skip]:
        """Every entry of a feed, each once, then of its next pages when it came from `url`."""
        seen: set[str] = set()
        page_url = url
        for page in range(1, MAX_PAGES + 1):
            channel, fresh = _Channel(), 0
            try:
                for data in _entries(path, name, channel):
                    key = data.get("id") or data.get("link")
                    if not key:
                        yield Skip(f"{data.get('title') or 'an item'} in {name}", "no guid or link")
                    elif key not in seen:
                        seen.add(key)
                        fresh += 1
                        yield _Entry(channel, key, data)
            except BadSource as error:
                if page == 1:
                    raise
                yield Skip(name, str(error))
                return
            if not url or not fresh:
                return
            if channel.next_url:
                next_url = urljoin(page_url, channel.next_url)
            elif channel.by_wordpress:
                next_url = _with_page(url, page + 1)
            else:
                return
            if page == MAX_PAGES:
                yield Skip(next_url, f"past {MAX_PAGES} pages: not read")
                return
            try:
                path = self.fetch(next_url)
            except BadSource as error:
                if channel.next_url:  # (WordPress answers 404 past its last page: the end)
                    yield Skip(next_url, str(error))
                return
            page_url = name = next_url

    def _item(self, entry: _Entry) -> Item:
        data = entry.data
        link = data.get("link", "")
        path = urlsplit(link).path
        site = _site(entry.channel.link or self.source.url or self.source.name)
        return Item(
            key=f"feed:{entry.key}",
            title=data.get("title", ""),
            body=_body(data),
            slug=_slug(path),
            published_at=_date(data, "published"),
            updated_at=_date(data, "updated"),
            authors=[
                Author(
                    key=f"feed:{site}#author:{person['name']}",
                    name=person["name"],
                    email=person.get("email", ""),
                )
                for person in data.get("authors", [])
                if person.get("name")
            ],
            terms=_terms(data),
            cover=_cover(data),
            link=link,
            old_paths=[path] if path.strip("/") else [],
        )

    def _comment(self, entry: _Entry, post: Item | None) -> Comment:
        data = entry.data
        post_link, _, fragment = data.get("link", "").partition("#")
        if post is None and not _COMMENT_FRAGMENT.fullmatch(fragment):
            post_link = entry.channel.link  # one post's comments feed links to the post
        person = data.get("author_detail", {})
        return Comment(
            key=f"feed:{entry.key}",
            body_html=_body(data),
            name=person.get("name", ""),
            email=person.get("email", ""),
            created_at=_date(data, "published"),
            item_key=post.key if post else "",
            item_link=post.link if post else post_link,
        )

    def _comments_of(self, item: Item, data: Any) -> Iterator[Record]:
        """The post's comments, from its own comments feed on the source's host."""
        url = data.get("wfw_commentrss", "")
        count = data.get("slash_comments", "").strip()
        if not (url and count.isdigit() and int(count) and self.source.url):
            return
        if not _same_host(url, self.source.url):
            yield Skip(f"the comments on {item.link}", f"{url} is on another host: not read")
            return
        try:
            yield from self._feed(self.fetch(url), url, url, post=item)
        except BadSource as error:
            yield Skip(f"the comments on {item.link}", str(error))
