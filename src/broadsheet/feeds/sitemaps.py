"""sitemap.xml: an index of sections, each a fixed number of queries however large."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse

from broadsheet.accounts.models import User
from broadsheet.content.models import Post, Tag


class HomeSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self) -> list[str]:
        return ["content:home", "content:archive"]

    def location(self, item: str) -> str:
        return reverse(item)


class PostSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Post.objects.published().newest_first().only("slug", "published_at", "updated_at")

    def lastmod(self, item: Post):
        return item.updated_at or item.published_at


class TagSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        published = Post.objects.published().filter(tags=OuterRef("pk"))
        return Tag.objects.filter(Exists(published)).order_by("slug").only("slug")


class AuthorSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        published = Post.objects.published().filter(author=OuterRef("pk"))
        return User.objects.filter(Exists(published), is_active=True).order_by("slug").only("slug")


SITEMAPS = {
    "pages": HomeSitemap,
    "posts": PostSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
