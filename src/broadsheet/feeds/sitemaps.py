"""sitemap.xml: an index of sections, each two queries (a count and a page) however large."""

import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse

from broadsheet.accounts.models import User
from broadsheet.content.models import Page, Post, Tag, published_filter


class HomeSitemap(Sitemap):
    """The front page, the archive and the standalone pages (About, Contact)."""

    changefreq = "daily"
    priority = 1.0

    def items(self) -> list[str | Page]:
        pages = Page.objects.filter(status=Page.Status.PUBLISHED).only("slug", "modified_at")
        return ["content:home", "content:archive", *pages]

    def location(self, item: str | Page) -> str:
        return item.get_absolute_url() if isinstance(item, Page) else reverse(item)

    def lastmod(self, item: str | Page) -> datetime.datetime | None:
        return item.modified_at if isinstance(item, Page) else None

    def get_latest_lastmod(self) -> None:
        return None  # the front page changes with every post: no single date says it


class PostSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 5000  # pages of the section render in well under a second

    def items(self) -> QuerySet[Post]:
        # Only what a URL and a date need; bodies can be large.
        return Post.objects.published().newest_first().only("slug", "published_at", "updated_at")

    def lastmod(self, item: Post) -> datetime.datetime | None:
        return item.last_changed_at

    def get_latest_lastmod(self) -> None:
        """The index gives no date: finding it walked every post (Django's default) or,
        with the published filter, could not use an index. Each URL keeps its own."""
        return None


class TagSitemap(Sitemap):
    """Tags with at least one published post; an empty tag page is not worth crawling."""

    changefreq = "weekly"
    priority = 0.5

    def items(self) -> QuerySet[Tag]:
        # From the tag's own rows in the join table: a walk over all posts would be slow.
        tagged = Post.tags.through.objects.filter(published_filter("post__"), tag=OuterRef("pk"))
        return Tag.objects.filter(Exists(tagged)).order_by("slug").only("slug")


class AuthorSitemap(Sitemap):
    """People with at least one published post: the same people who have a public page."""

    changefreq = "weekly"
    priority = 0.5

    def items(self) -> QuerySet[User]:
        published = Post.objects.published().filter(author=OuterRef("pk"))
        return (
            User.objects.filter(Exists(published), is_active=True, slug__gt="")
            .order_by("slug")
            .only("slug")
        )


SITEMAPS: dict[str, type[Sitemap]] = {
    "pages": HomeSitemap,
    "posts": PostSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
