"""Searching, for readers (what the public may see) and for the studio (what a writer may
see there), with the same engine and the same query language."""

import datetime
import html
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString

from broadsheet.accounts.models import User
from broadsheet.content.models import (
    PUBLIC_STATUSES,
    Page,
    Post,
    Tag,
    is_public,
    published_filter,
)
from broadsheet.content.selectors import archive_months
from broadsheet.core.board import board
from broadsheet.search import spelling
from broadsheet.search.engines import COUNTED, Matches, QueryMatches, engine
from broadsheet.search.models import Entry
from broadsheet.search.query import Query, parse
from broadsheet.search.snippets import snippet
from broadsheet.search.text import body_text

PER_PAGE = 10


@dataclass(frozen=True)
class Filters:
    tag: Tag | None = None
    author: User | None = None
    year: int | None = None

    @property
    def any(self) -> bool:
        return bool(self.tag or self.author or self.year)


@dataclass(frozen=True)
class Hit:
    """A result as the page shows it: plain values, read in two queries for the page."""

    title: str
    url: str
    snippet: SafeString
    post_id: int | None = None  # None for a page
    page_id: int | None = None
    author: str = ""
    published_at: datetime.datetime | None = None
    tags: list[str] = field(default_factory=list)

    @property
    def snippet_words(self) -> str:
        """A few words from the passage's first match on, for a link that scrolls to it
        (a text fragment, `#:~:text=`; a browser without them opens the page's top)."""
        marked = self.snippet.find("<mark>")
        if marked < 0:
            return ""
        passage = html.unescape(strip_tags(self.snippet[marked:]))
        return " ".join(passage.split()[:4]).rstrip("…")


@dataclass(frozen=True)
class Results:
    query: Query
    count: int = 0
    hits: list[Hit] = field(default_factory=list)
    number: int = 1  # the page of results shown
    # When nothing matched the query as typed but a corrected spelling did: the results
    # are the correction's.
    corrected: Query | None = None

    @property
    def counted_all(self) -> bool:
        """False when there are `engines.COUNTED` matches or more: `count` is that."""
        return self.count < COUNTED

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / PER_PAGE))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def first_number(self) -> int:
        return (self.number - 1) * PER_PAGE + 1


def public_entries(filters: Filters = Filters()) -> QuerySet[Entry]:
    """Entries of what anyone may read now: public posts (`published_filter`, so a
    scheduled post from its time) and published pages; with a filter, posts only. Asked
    of the entries' own copies of status and dates (`Entry.status`): no post is read."""
    entries = Entry.objects.filter(
        Q(published_filter(), post__isnull=False)
        | Q(page__isnull=False, status=Page.Status.PUBLISHED)
    )
    if filters.tag is not None:
        entries = entries.filter(post__tags=filters.tag)
    if filters.author is not None:
        entries = entries.filter(post__author=filters.author)
    if filters.year is not None:
        entries = entries.filter(post__published_month__year=filters.year)
    return entries


def _is_public(entry) -> bool:
    """`public_entries()`'s question, asked of a loaded entry."""
    return is_public(entry) if entry.post_id else entry.status == Page.Status.PUBLISHED


def hidden_entries() -> list[int]:
    """The entries `public_entries()` leaves out, which are few (drafts, the trash, what
    is scheduled): those two indexes of `Entry` can hold, each then asked the rule."""
    never_public = Entry.objects.exclude(status__literal_in=PUBLIC_STATUSES, trashed_at=None)
    not_due = Entry.objects.filter(Q(published_at__gt=timezone.now()) | Q(published_at=None))
    fields = ["pk", "post_id", "status", "published_at", "trashed_at"]
    maybe = never_public.values_list(*fields, named=True).union(not_due.values_list(*fields))
    return [entry.pk for entry in maybe if not _is_public(entry)]


def search(text: str, *, filters: Filters = Filters(), page: int = 1) -> Results:
    """A page of what readers may see that matches `text`, best first. A page past the
    end shows the last."""
    query = parse(text)
    if query.is_empty:
        return Results(query=query)
    matching = _matcher(filters)
    matches = matching(query)
    count = matches.count(at_most=COUNTED)
    corrected = None
    if count == 0 and (correction := spelling.corrected(query)) is not None:
        matches = matching(correction)
        count = matches.count(at_most=COUNTED)
        corrected = correction if count else None
    if count == 0:
        return Results(query=query)
    number = min(page, math.ceil(count / PER_PAGE))
    start = (number - 1) * PER_PAGE
    # The page's keys first, then their rows: ranking sorts every match, and a sort of
    # whole rows (bodies and all) cost ten times the ranking itself.
    keys = matches.keys(start, min(start + PER_PAGE, count))
    shown = corrected or query
    return Results(
        query=query, count=count, hits=_hits(keys, shown), number=number, corrected=corrected
    )


AUTHOR_NAMES = ("display_name", "first_name", "last_name", "username")
SHOWN = [
    "pk",
    "post_id",
    "page_id",
    "post__title",
    "post__slug",
    "post__published_at",
    *(f"post__author__{name}" for name in AUTHOR_NAMES),
    "page__title",
    "page__slug",
    "post__body_html",
    "page__body_html",
]


def _hits(keys: list[int], query: Query) -> list[Hit]:
    """The results of `keys`, in their order, as values: as model instances (an entry,
    its post, author, page and texts, and a manager per post for its tags) they cost
    twenty times the queries."""
    rows = {row[0]: row for row in Entry.objects.filter(pk__in=keys).values_list(*SHOWN)}
    tags: dict[int, list[str]] = defaultdict(list)
    post_ids = [row[1] for row in rows.values() if row[1]]
    tagged = Post.tags.through.objects.filter(post_id__in=post_ids).order_by("tag__name")
    for post_id, name in tagged.values_list("post_id", "tag__name"):
        tags[post_id].append(name)
    hits = []
    for key in keys:
        (_, post_id, page_id, title, slug, published_at, *names) = rows[key][:-4]
        page_title, page_slug, post_body, page_body = rows[key][-4:]
        cut = snippet(body_text(post_body or page_body), query)
        if post_id:
            author = User(**dict(zip(AUTHOR_NAMES, names, strict=True))).public_name
            url = Post(slug=slug).get_absolute_url()
            hits.append(Hit(title, url, cut, post_id, None, author, published_at, tags[post_id]))
        else:
            url = Page(slug=page_slug).get_absolute_url()
            hits.append(Hit(page_title, url, cut, page_id=page_id))
    return hits


def _matcher(filters: Filters) -> Callable[[Query], Matches]:
    """Without filters, the engine leaves out the few hidden entries and need not read
    the rest; a filter (a tag, an author, a year) is a question for the entries' rows."""
    if filters.any:
        visible = public_entries(filters)
        return lambda query: QueryMatches(engine().matching(visible, query))
    hidden = hidden_entries()
    return lambda query: engine().public_matches(query, hidden=hidden)


def matching_posts(posts: QuerySet[Post], text: str) -> QuerySet[Post]:
    """`posts` (the studio's, drafts included) cut to those matching `text`, best first;
    all of them for a query with nothing to look for."""
    query = parse(text)
    if query.is_empty:
        return posts
    return engine().matching(posts, query, path="search_entry__")


@dataclass(frozen=True)
class Choices:
    """What the search page's filters offer: tags and authors with public posts, and the
    years that have posts. (slug, name) pairs."""

    tags: list[tuple[str, str]]
    authors: list[tuple[str, str]]
    years: list[int]


CHOICES_SECONDS = 300


def filter_choices() -> Choices:
    """Kept in the shared cache for the content generation: only public content changes
    them, and grouping 100,000 posts costs more than a search."""
    key = f"search:choices:{board().read().content}"
    choices = cache.get(key)
    if choices is None:
        public = Post.objects.published()
        tags = Tag.objects.filter(pk__in=public.values("tags")).order_by("name")
        authors = User.objects.filter(pk__in=public.values("author")).order_by("display_name")
        choices = Choices(
            tags=list(tags.values_list("slug", "name")),
            authors=[(author.slug or "", author.public_name) for author in authors],
            years=sorted({m["month"].year for m in archive_months()}, reverse=True),
        )
        cache.set(key, choices, timeout=CHOICES_SECONDS)
    return choices


def chosen_filters(*, tag: str | None, author: str | None, year: int | None) -> Filters:
    """Filters from the page's query string; an unknown tag or author is no filter."""
    return Filters(
        tag=Tag.objects.filter(slug=tag).first() if tag else None,
        author=User.objects.filter(slug=author, is_active=True).first() if author else None,
        year=year,
    )
