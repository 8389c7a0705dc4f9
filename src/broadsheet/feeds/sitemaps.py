"""sitemap.xml: an index of sections, each in pages of at most `PAGE_SIZE` addresses.

Written out here rather than by django.contrib.sitemaps: at 100,000 posts its template
took 220 ms for a page of 5,000 posts (50 ms for 1,000), nearly all of it rendering.
A section reads only what an address and a date need, as tuples, in index order; the
address comes from one `reverse()` per page, not one per post. The index counts each
section once (one query each); a page of a section is one query.
"""

import datetime
from collections.abc import Callable
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.content.models import Page, Post, Tag, published_filter

PAGE_SIZE = 1000  # a page renders in a few ms; 100 of them index 100,000 posts
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"

Entry = tuple[str, datetime.datetime | None]  # a path and when it last changed


def slug_path(view: str) -> Callable[[str], str]:
    """The path of `view` for any slug, from a single `reverse()`."""
    before, after = reverse(view, kwargs={"slug": "slug"}).rsplit("slug", 1)
    return lambda slug: f"{before}{quote(slug)}{after}"


class Section:
    changefreq = "weekly"
    priority = "0.5"

    def count(self) -> int:
        raise NotImplementedError

    def entries(self, start: int, stop: int) -> list[Entry]:
        raise NotImplementedError


class PagesSection(Section):
    """The front page, the archive and the standalone pages (About, Contact)."""

    changefreq = "daily"
    priority = "1.0"

    def published(self):
        return Page.objects.filter(status=Page.Status.PUBLISHED).order_by("title")

    def count(self) -> int:
        return 2 + self.published().count()

    def entries(self, start: int, stop: int) -> list[Entry]:
        # The front page changes with every post: no single date says it.
        fixed = [(reverse("content:home"), None), (reverse("content:archive"), None)]
        page = slug_path("content:page")
        pages = [
            (page(slug), changed)
            for slug, changed in self.published().values_list("slug", "modified_at")
        ]
        return [*fixed, *pages][start:stop]


class PostsSection(Section):
    """Published posts, newest first, each dated by its last edit or its publication."""

    priority = "0.8"

    def posts(self):
        return Post.objects.published().newest_first()

    def count(self) -> int:
        return self.posts().count()

    def entries(self, start: int, stop: int) -> list[Entry]:
        path = slug_path("content:post")
        # Which posts: from the public index alone, however deep the page (PostgreSQL
        # would read every row it skips otherwise: 70 ms for the last page). Then only
        # their rows, in no order: a page of a sitemap is a set.
        page = self.posts().values("pk")[start:stop]
        rows = (
            Post.objects.filter(pk__in=page)
            .order_by()
            .values_list("slug", "published_at", "updated_at")
        )
        return [(path(slug), updated or published) for slug, published, updated in rows]


class TagsSection(Section):
    """Tags with at least one published post; an empty tag page is not worth crawling."""

    def tags(self):
        # From the tag's own rows in the join table: a walk over all posts would be slow.
        tagged = Post.tags.through.objects.filter(published_filter("post__"), tag=OuterRef("pk"))
        return Tag.objects.filter(Exists(tagged)).order_by("slug")

    def count(self) -> int:
        return self.tags().count()

    def entries(self, start: int, stop: int) -> list[Entry]:
        path = slug_path("content:tag")
        return [
            (path(slug), None) for slug in self.tags().values_list("slug", flat=True)[start:stop]
        ]


class AuthorsSection(Section):
    """People with at least one published post: the same people who have a public page."""

    def authors(self):
        published = Post.objects.published().filter(author=OuterRef("pk"))
        return User.objects.filter(Exists(published), is_active=True, slug__gt="").order_by("slug")

    def count(self) -> int:
        return self.authors().count()

    def entries(self, start: int, stop: int) -> list[Entry]:
        path = slug_path("content:author")
        slugs = self.authors().values_list("slug", flat=True)[start:stop]
        return [(path(slug), None) for slug in slugs]


SECTIONS: dict[str, Section] = {
    "pages": PagesSection(),
    "posts": PostsSection(),
    "tags": TagsSection(),
    "authors": AuthorsSection(),
}


def index_xml(origin: str) -> str:
    """Every page of every section; a section with nothing yet still has its first."""
    locations = []
    for name, section in SECTIONS.items():
        first = origin + reverse("feeds:sitemap_section", kwargs={"section": name})
        pages = max(1, -(-section.count() // PAGE_SIZE))
        locations += [first, *(f"{first}?p={page}" for page in range(2, pages + 1))]
    return "".join(
        [
            f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NAMESPACE}">',
            *(f"<sitemap><loc>{escape(location)}</loc></sitemap>" for location in locations),
            "</sitemapindex>\n",
        ]
    )


def section_xml(origin: str, section: Section, entries: list[Entry]) -> str:
    """A <urlset>; dates are days in the site's time zone (the middleware's)."""
    zone = timezone.get_current_timezone()
    tail = f"<changefreq>{section.changefreq}</changefreq><priority>{section.priority}</priority>"
    urls = []
    for path, changed in entries:
        lastmod = f"<lastmod>{changed.astimezone(zone):%Y-%m-%d}</lastmod>" if changed else ""
        urls.append(f"<url><loc>{escape(origin + path)}</loc>{lastmod}{tail}</url>")
    return "".join(
        [
            f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NAMESPACE}">',
            *urls,
            "</urlset>\n",
        ]
    )
