"""What a reader produces: plain records, the same for every source format.

Readers yield `Item`s (posts and pages, with their authors, terms, cover and comments
inline), and may yield `Media` (a WordPress attachment, known by its id before or after
the posts that use it) and standalone `Comment`s (from a separate comments feed, naming
their item by `item_key`). The writer resolves references at the end of the run, so a
reader may yield records in whatever order its format stores them.

Every `key` is the source's own identity of the thing (a WordPress guid or post id with
the site's address, a Ghost id with the site's address, a feed item's guid or link),
never a title: a second import of the same source matches on it and updates.

Dates are timezone-aware (`datetime` with tzinfo) or None. Text is exactly as the source
holds it once its own escaping is undone (WXR term names are HTML-escaped: a reader
unescapes them, so "Q&A" arrives as one `&`).
"""

import datetime
from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    PUBLISHED = "published"
    DRAFT = "draft"
    REVIEW = "review"  # WordPress "pending"
    SCHEDULED = "scheduled"  # published_at is when
    PRIVATE = "private"  # private or password-protected: kept, never public (a draft here)


class Kind(StrEnum):
    POST = "post"
    PAGE = "page"


class Format(StrEnum):
    """How `Item.body` is written."""

    HTML = "html"  # a fragment as the source rendered it; the writer makes it a safe body
    MARKDOWN = "markdown"  # CommonMark as Jekyll and Hugo hold it; kept as typed


class CommentStatus(StrEnum):
    APPROVED = "approved"
    HELD = "held"  # WordPress comment_approved 0
    SPAM = "spam"


@dataclass
class Author:
    key: str
    name: str
    email: str = ""  # matched against existing accounts; never shown
    slug: str = ""  # the source's own, for its old /author/<slug>/ address
    bio: str = ""
    old_paths: list[str] = field(default_factory=list)


@dataclass
class Term:
    """A tag or a category (Broadsheet has tags only; categories become tags)."""

    name: str
    slug: str = ""
    description: str = ""
    old_paths: list[str] = field(default_factory=list)  # "/category/news/", "/tag/x/"
    internal: bool = False  # Ghost's "#internal" tags: not imported as tags


@dataclass
class Media:
    """An image: `url` is absolute (http/https) or a path relative to the source folder
    or archive. `key` names it for references (`Item.cover_key`); may be empty."""

    url: str
    key: str = ""
    alt: str = ""


@dataclass
class Comment:
    key: str
    body_html: str  # as the source shows it (WordPress keeps plain text with line breaks)
    name: str = ""
    email: str = ""  # private
    url: str = ""  # the commenter's website
    created_at: datetime.datetime | None = None
    status: CommentStatus = CommentStatus.APPROVED
    parent_key: str = ""  # "" for a top comment
    item_key: str = ""  # only for a comment yielded on its own (a comments feed)
    item_link: str = ""  # or the item's permalink, when that is all a feed gives


@dataclass
class Item:
    key: str
    title: str
    kind: Kind = Kind.POST
    body: str = ""
    body_format: Format = Format.HTML
    slug: str = ""  # the source's; kept if free, else suffixed and reported
    status: Status = Status.PUBLISHED
    published_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
    created_at: datetime.datetime | None = None
    excerpt: str = ""  # the writer's own (custom) excerpt, plain text
    seo_title: str = ""
    seo_description: str = ""
    authors: list[Author] = field(default_factory=list)  # the first is the post's author
    terms: list[Term] = field(default_factory=list)
    cover: Media | None = None  # or, when the source names it by reference:
    cover_key: str = ""  # the key of a `Media` record yielded before or after
    cover_alt: str = ""
    comments: list[Comment] = field(default_factory=list)
    link: str = ""  # the original permalink (absolute): links to it are rewritten
    old_paths: list[str] = field(default_factory=list)  # "/2022/04/13/slug/", "/?p=12"
    featured: bool = False  # Ghost's featured, WordPress's sticky, front matter's featured
    uuid: str = ""  # the source's lasting name for it (Ghost's uuid): kept if valid and free


@dataclass
class Skip:
    """A thing a reader saw and left out, with why (a nav menu item, an unknown type):
    the report lists it."""

    what: str
    reason: str


Record = Item | Media | Comment | Skip
