"""Posts, tags, pages, revisions and old addresses. Writes go through `content.services`;
reads through `content.selectors`."""

import datetime
import uuid
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models.lookups import In
from django.urls import reverse
from django.utils import timezone

from broadsheet.core.selectors import get_site_settings


class Tag(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, max_length=500)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("content:tag", kwargs={"slug": self.slug})


PUBLIC_STATUSES = ("published", "scheduled")


def _public_terms() -> dict[str, object]:
    """What the public may see, as lookups: the filter sends them to the database, and
    `Post.is_published` reads them on an instance, so the two cannot drift apart."""
    return {
        "status__literal_in": PUBLIC_STATUSES,
        "published_at__lte": timezone.now(),
        "trashed_at__isnull": True,
    }


def published_filter(prefix: str = "") -> models.Q:
    """The one definition of what the public may see; `prefix` reaches it across a join.

    A scheduled post is public from its time on, whether or not the task that marks it
    published has run yet: no reader ever sees it late because a worker was down.
    The status and trash terms are word for word the WHERE of the public indexes (see
    `Post.Meta.indexes` and `LiteralIn`), so the planner can read the posts from them.
    """
    return models.Q(**{prefix + term: value for term, value in _public_terms().items()})


# How each lookup of `_public_terms` reads on a loaded value (a null date is never due).
_LOOKUPS_IN_PYTHON = {
    "literal_in": lambda value, choices: value in choices,
    "lte": lambda value, bound: value is not None and value <= bound,
    "isnull": lambda value, is_null: (value is None) == is_null,
}


def is_public(row: object) -> bool:
    """Whether `published_filter` would show a row with these fields now (a post, or a
    copy of its status and dates), read from the loaded values."""
    return all(
        _LOOKUPS_IN_PYTHON[lookup](getattr(row, field), value)
        for term, value in _public_terms().items()
        for field, lookup in [term.split("__")]
    )


# What the public indexes hold: the status and trash terms of `published_filter`.
PUBLIC_INDEX_CONDITION = models.Q(status__in=PUBLIC_STATUSES, trashed_at__isnull=True)
# The studio's order, undated drafts first, then newest first, and its index. Spelt as
# `published_at IS NULL`, not `NULLS FIRST`: no index of SQLite's holds its NULLs first in
# a descending order (3.40 read the date's index anyway; 3.50 sorts every post).
STUDIO_ORDER = (
    models.ExpressionWrapper(
        models.Q(published_at__isnull=True), output_field=models.BooleanField()
    ).desc(),
    models.F("published_at").desc(),
    models.F("modified_at").desc(),
    models.F("id").desc(),
)


class LiteralIn(In):
    """`status__literal_in=(...)`: IN with its values written into the SQL.

    SQLite uses a partial index only when the query repeats the index's WHERE terms, and
    it compares the values of an IN list as written: `status IN (?, ?)` with parameters
    never matches an index's `status IN ('published', 'scheduled')`, and the listings
    fell back to sorting every post. Only for constants of our own (checked), never input.
    """

    lookup_name = "literal_in"

    def process_rhs(self, compiler, connection) -> tuple[str, tuple]:
        values = list(self.rhs)
        if not values or not all(isinstance(v, str) and v.isidentifier() for v in values):
            raise ValueError("literal_in takes names written in the code, such as statuses.")
        return "(" + ", ".join(f"'{value}'" for value in values) + ")", ()


# A tag on at most this many posts is read from its own rows and sorted (see `tagged`).
SMALL_TAG = 1000


class PostQuerySet(models.QuerySet):
    def published(self) -> "PostQuerySet":
        return self.filter(published_filter())

    def tagged(self, tag: "Tag") -> "PostQuerySet":
        """Posts with this tag, by the way that suits the tag (one small query decides).

        A tag on few posts (up to `SMALL_TAG`): those posts, by key, then put in order.
        A tag on more: the newest posts in index order, each asked whether it has the
        tag, which fills a page soon. Left to the planner it went wrong both ways:
        PostgreSQL, estimating every tag as average, walked all 100,000 posts for a rare
        one (250 ms); SQLite sorted every post of a tag, however many.
        """
        links = Post.tags.through.objects.filter(tag=tag)
        few = list(links.values_list("post_id", flat=True)[: SMALL_TAG + 1])
        if len(few) <= SMALL_TAG:
            return self.filter(pk__in=few)
        return self.filter(models.Exists(links.filter(post=models.OuterRef("pk"))))

    def newest_first(self) -> "PostQuerySet":
        return self.order_by("-published_at", "-id")

    def for_listing(self) -> "PostQuerySet":
        """What a card needs: no bodies; authors and tags in one extra query each.

        Not `select_related("author")`: with statistics that say there are few authors,
        SQLite turns such a join around (each author, all their posts, then a sort of
        them all) instead of reading the newest posts in index order and stopping.
        """
        return (
            self.published()
            .newest_first()
            .prefetch_related("author", "tags")
            .defer("body", "body_html")
        )


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "Submitted for review"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, blank=True)
    # A post's lasting name outside this site (Ghost's `uuid`), unchanged by a new slug.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    body = models.TextField("body (Markdown)", blank=True)
    body_html = models.TextField(editable=False, blank=True)
    custom_excerpt = models.CharField(
        max_length=300, blank=True, help_text="Leave empty to use the start of the text."
    )
    excerpt = models.CharField(max_length=300, editable=False, blank=True)
    seo_title = models.CharField("SEO title", max_length=70, blank=True)
    seo_description = models.CharField("SEO description", max_length=160, blank=True)
    cover_image = models.ForeignKey(
        "broadsheet_media.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cover_alt = models.CharField("cover image alt text", max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    featured = models.BooleanField(default=False, help_text="Shown first where a theme asks.")
    trashed_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    published_month = models.DateField(
        null=True, editable=False, help_text="First day of the month of publication (site time)."
    )
    updated_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Last edit after publication."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    modified_at = models.DateTimeField(auto_now=True)
    view_count = models.PositiveBigIntegerField(default=0, editable=False)
    like_count = models.PositiveIntegerField(default=0, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        # The public lists read these in their order, newest first, and stop after a page:
        # partial indexes holding only what `published_filter` can show (status and trash),
        # so that no status column leads an index. One did (status, date), and SQLite
        # without statistics took it for `status IN (...)` and sorted every post.
        # The studio's list (everything, undated drafts first) has an index of its order.
        indexes = [
            # With the condition's columns too, it counts the public posts alone: SQLite
            # 3.50 read every post to count them (180 ms), as it would have had to fetch
            # each row through the index to check a condition the index guarantees.
            models.Index(
                fields=["-published_at", "-id", "status", "trashed_at"],
                name="post_public_idx",
                condition=PUBLIC_INDEX_CONDITION,
            ),
            models.Index(
                fields=["author", "-published_at", "-id"],
                name="post_public_author_idx",
                condition=PUBLIC_INDEX_CONDITION,
            ),
            models.Index(
                fields=["-published_month", "published_at"],
                name="post_public_month_idx",
                condition=PUBLIC_INDEX_CONDITION,
            ),
            models.Index(
                fields=["published_at"],
                name="post_scheduled_idx",
                condition=models.Q(status="scheduled"),
            ),
            models.Index(*STUDIO_ORDER, name="post_studio_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:post", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        """Whether `published_filter` would show this post now, read from the instance."""
        return is_public(self)

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.SCHEDULED and not self.is_published

    @staticmethod
    def month_of(moment: datetime.datetime | None) -> datetime.date | None:
        """The archive month a publication date falls in, in the site's time zone."""
        if moment is None:
            return None
        site_zone = zoneinfo.ZoneInfo(get_site_settings().timezone)
        return timezone.localdate(moment, site_zone).replace(day=1)

    @property
    def last_changed_at(self):
        return self.updated_at or self.published_at or self.modified_at


Post._meta.get_field("status").register_lookup(LiteralIn)


class SlugRedirect(models.Model):
    """A published post's old address, answered with a 301 to its current one."""

    old_slug = models.SlugField(max_length=200, unique=True)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="slug_redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.post.slug}"


class Revision(models.Model):
    """A snapshot of a post's editable fields, kept at every save (who, when, what)."""

    class Kind(models.TextChoices):
        SAVE = "save", "Saved"
        AUTOSAVE = "autosave", "Autosaved"
        RESTORE = "restore", "Restored"
        CONFLICT = "conflict", "Kept from a conflicting save"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.SAVE)
    # {"title": ..., "body": ..., "tags": [names], ...}: see `content.revisions.SNAPSHOT_FIELDS`.
    data = models.JSONField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["post", "-created_at"], name="revision_post_idx")]

    def __str__(self) -> str:
        return f"{self.post_id} at {self.created_at:%Y-%m-%d %H:%M}"


class Page(models.Model):
    """A standalone page (About, Contact): outside the post list, feeds and archive."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.TextField("body (Markdown)", blank=True)
    body_html = models.TextField(editable=False, blank=True)
    seo_description = models.CharField("SEO description", max_length=160, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:page", kwargs={"slug": self.slug})
