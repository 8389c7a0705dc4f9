"""What the API reads, each a fixed number of queries however many posts, tags or
comments there are: the page of rows, its total, and one query per thing included (and
for posts, their predictions, when one of them has any). A `search` costs no query of its
own: the engine's match is part of the page's query."""

import dataclasses
import hashlib
from collections.abc import Mapping
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, QuerySet

from broadsheet.accounts.models import User
from broadsheet.api import ids, nql
from broadsheet.api.errors import NotFound
from broadsheet.api.params import Options
from broadsheet.comments.models import Comment
from broadsheet.content.models import Page, Post, Tag, published_filter
from broadsheet.core.board import board
from broadsheet.predictions.models import Prediction
from broadsheet.predictions.rendering import in_text
from broadsheet.search.engines import engine

TOTAL_SECONDS = 300  # as long as the fast path keeps a page; the generation decides first

POST_ORDERS = {
    "published_at": "published_at",
    "updated_at": "modified_at",
    "created_at": "created_at",
    "title": "title",
    "slug": "slug",
    "featured": "featured",
    "id": "id",
}
PAGE_ORDERS = {
    "published_at": "created_at",
    "updated_at": "modified_at",
    "created_at": "created_at",
    "title": "title",
    "slug": "slug",
    "id": "id",
}
TAG_ORDERS = {"name": "name", "slug": "slug", "id": "id"}
AUTHOR_ORDERS = {"name": "display_name", "slug": "slug", "id": "id"}


@dataclasses.dataclass
class Found:
    """A page of rows, how many there are in all, and the counts that go with them."""

    rows: list[Any]
    total: int
    counts: Mapping[int, int] = dataclasses.field(default_factory=dict)
    # Posts' predictions in their text, by post id (`predictions.rendering.in_text`).
    predictions: Mapping[int, list[Prediction]] = dataclasses.field(default_factory=dict)


def _page_of(
    queryset: QuerySet, options: Options, *, public: str | None = None
) -> tuple[list[Any], int]:
    """A page of rows and how many there are in all. The total of a public list (named
    by `public`) is kept in the shared cache for the content generation: it changes only
    with public content, and counting 100,000 posts costs more than the page (12 ms)."""
    start = (options.page - 1) * options.limit
    rows = list(queryset[start : start + options.limit])
    if options.page == 1 and len(rows) < options.limit:
        return rows, len(rows)  # all of them: no count needed
    if public is None:
        return rows, queryset.order_by().count()
    search = str(options.search) if options.search is not None else ""
    digest = hashlib.blake2b(f"{public}\n{options.filter}\n{search}".encode(), digest_size=16)
    key = f"api:total:{board().read().content}:{digest.hexdigest()}"
    total = cache.get(key)
    if total is None:
        total = queryset.order_by().count()
        cache.set(key, total, timeout=TOTAL_SECONDS)
    return rows, total


def _filtered(queryset: QuerySet, options: Options, fields: Mapping[str, nql.Field]) -> QuerySet:
    return queryset.filter(nql.filter_q(options.filter, fields)) if options.filter else queryset


def _ordered(queryset: QuerySet, options: Options, *tiebreak: str) -> QuerySet:
    """Posts or pages by `order`, then `tiebreak`; with a `search`, only those that match
    it, best first unless `order` was sent. Who may see what is `queryset`'s business:
    the engine joins its index to whatever it is given."""
    if options.search is not None:
        queryset = engine().matching(queryset, options.search, path="search_entry__")
        if not options.order:
            return queryset
    return queryset.order_by(*options.order, *tiebreak)


def posts(options: Options, *, public: bool = True) -> Found:
    """A page of posts: the public ones, or (`public=False`, the Admin API) every post
    not in the trash."""
    queryset = Post.objects.published() if public else _not_trashed()
    queryset = _filtered(queryset, options, nql.POST_FIELDS)
    queryset = _ordered(queryset, options, "-published_at", "-id")
    rows, total = _page_of(
        _post_rows(queryset, options, public=public), options, public="posts" if public else None
    )
    return Found(rows, total, comment_counts(rows), in_text(rows))


def _not_trashed() -> QuerySet:
    return Post.objects.filter(trashed_at__isnull=True)


def _post_rows(queryset: QuerySet, options: Options, *, public: bool) -> QuerySet:
    """Bodies only when asked for; authors, tags and covers in one query each (joined,
    SQLite turns the newest-first walk around: see `PostQuerySet.for_listing`)."""
    related = ["cover_image"]
    if public:
        queryset = queryset.defer("body")  # the Markdown: only the Admin API answers it
    if "authors" in options.include:
        related.append("author")
    if "tags" in options.include:
        related.append("tags")
    return queryset.prefetch_related(*related)


def comment_counts(posts: list[Post]) -> dict[int, int]:
    """Approved comments per post, for a page of posts: one grouped query."""
    if not posts:
        return {}
    rows = (
        Comment.objects.approved()
        .filter(post_id__in=[post.pk for post in posts])
        .values_list("post_id")
        .annotate(n=Count("id"))
    )
    return dict(rows)


def post(lookup: Mapping[str, Any], options: Options, *, public: bool = True) -> Found:
    queryset = Post.objects.published() if public else _not_trashed()
    found = _post_rows(queryset.filter(**lookup), options, public=public).first()
    if found is None:
        raise NotFound("Post not found.")
    return Found([found], 1, comment_counts([found]), in_text([found]))


def lookup_by(*, id: str | None = None, slug: str | None = None) -> dict[str, Any]:
    """The filter for `{id}` or `slug/{slug}`; an id that is not ours finds nothing."""
    if id is not None:
        pk = ids.decode(id)
        return {"pk": pk} if pk is not None else {"pk__in": []}
    return {"slug": slug}


def pages(options: Options, *, public: bool = True) -> Found:
    queryset = Page.objects.filter(status=Page.Status.PUBLISHED) if public else Page.objects
    queryset = _filtered(queryset.all(), options, nql.PAGE_FIELDS)
    ordered = _ordered(queryset, options, "title", "id")
    rows, total = _page_of(ordered, options, public="pages" if public else None)
    return Found(rows, total)


def page(lookup: Mapping[str, Any], *, public: bool = True) -> Found:
    queryset = Page.objects.filter(status=Page.Status.PUBLISHED) if public else Page.objects
    found = queryset.filter(**lookup).first()
    if found is None:
        raise NotFound("Page not found.")
    return Found([found], 1)


def tags(options: Options) -> Found:
    queryset = _filtered(Tag.objects.all(), options, nql.TAG_FIELDS)
    rows, total = _page_of(queryset.order_by(*options.order, "name", "id"), options, public="tags")
    counts = _tag_post_counts(rows) if "count.posts" in options.include else {}
    return Found(rows, total, counts)


def tag(lookup: Mapping[str, Any], options: Options) -> Found:
    found = Tag.objects.filter(**lookup).first()
    if found is None:
        raise NotFound("Tag not found.")
    counts = _tag_post_counts([found]) if "count.posts" in options.include else {}
    return Found([found], 1, counts)


def _tag_post_counts(tags: list[Tag]) -> dict[int, int]:
    """Public posts per tag, for a page of tags: one grouped query over their links."""
    links = Post.tags.through.objects.filter(
        published_filter("post__"), tag_id__in=[tag.pk for tag in tags]
    )
    return dict(links.values_list("tag_id").annotate(n=Count("id")).order_by())


def public_authors() -> QuerySet:
    """Whoever has a public post: the authors a reader can find on the site (an author or
    contributor integration among them once a post of its own is published)."""
    return User.objects.filter(Exists(Post.objects.published().filter(author=OuterRef("pk"))))


def authors(options: Options) -> Found:
    queryset = _filtered(public_authors(), options, nql.AUTHOR_FIELDS)
    ordered = queryset.order_by(*options.order, "display_name", "id")
    rows, total = _page_of(ordered, options, public="authors")
    counts = _author_post_counts(rows) if "count.posts" in options.include else {}
    return Found(rows, total, counts)


def author(lookup: Mapping[str, Any], options: Options) -> Found:
    found = public_authors().filter(**lookup).first()
    if found is None:
        raise NotFound("Author not found.")
    counts = _author_post_counts([found]) if "count.posts" in options.include else {}
    return Found([found], 1, counts)


def _author_post_counts(users: list[User]) -> dict[int, int]:
    public = Post.objects.published().filter(author_id__in=[user.pk for user in users])
    return dict(public.values_list("author_id").annotate(n=Count("id")).order_by())
