"""Searching, for readers (what the public may see) and for the studio (what a writer may
see there), with the same engine and the same query language."""

import html
import math
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.utils.html import strip_tags
from django.utils.safestring import SafeString

from broadsheet.accounts.models import User
from broadsheet.content.models import Page, Post, Tag, published_filter
from broadsheet.content.selectors import archive_months
from broadsheet.core.board import board
from broadsheet.search import spelling
from broadsheet.search.engines import engine
from broadsheet.search.models import Entry
from broadsheet.search.query import Query, parse
from broadsheet.search.snippets import snippet
from broadsheet.search.text import Texts

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
    entry: Entry
    snippet: SafeString

    @property
    def post(self) -> Post | None:
        return self.entry.post

    @property
    def page(self) -> Page | None:
        return self.entry.page

    @property
    def thing(self) -> Post | Page:
        return self.entry.post or self.entry.page  # type: ignore[return-value]

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


def search(text: str, *, filters: Filters = Filters(), page: int = 1) -> Results:
    """A page of what readers may see that matches `text`, best first. A page past the
    end shows the last."""
    query = parse(text)
    if query.is_empty:
        return Results(query=query)
    visible = public_entries(filters)
    matches = engine().matching(visible, query)
    count = matches.count()
    corrected = None
    if count == 0 and (correction := spelling.corrected(query)) is not None:
        matches = engine().matching(visible, correction)
        count = matches.count()
        corrected = correction if count else None
    if count == 0:
        return Results(query=query)
    number = min(page, math.ceil(count / PER_PAGE))
    start = (number - 1) * PER_PAGE
    # The page's keys first, then their rows: ranking sorts every match, and a sort of
    # whole rows (bodies and all) cost ten times the ranking itself.
    keys = list(matches.values_list("pk", flat=True)[start : start + PER_PAGE])
    rows = Entry.objects.filter(pk__in=keys).select_related("post__author", "page", "text")
    rows = rows.prefetch_related(Prefetch("post__tags", Tag.objects.only("name", "slug")))
    by_key = {entry.pk: entry for entry in rows}
    entries = [by_key[key] for key in keys]
    shown = corrected or query
    hits = [Hit(entry, snippet(Texts.unpacked(entry.text.packed).body, shown)) for entry in entries]
    return Results(query=query, count=count, hits=hits, number=number, corrected=corrected)


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
