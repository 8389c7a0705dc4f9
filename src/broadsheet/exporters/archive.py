"""Broadsheet's own archive: one zip holding the whole site, readable without Broadsheet.

- `site.json`: everything readers and writers see, and the site's history (revisions,
  daily stats), in the shape `docs/site-json.schema.json` describes. People are named by
  username, posts by slug, images by their stored file name; no database id but a
  comment's, which only ties replies to their comment inside the file. No secret is in
  it: no password, two-factor secret, token, or reader or address hash.
- predictions on the record with their history of changes and resolutions, those of
  deleted posts too (`post` null): a restore brings the record back as it was, not made
  again from the posts' text.
- `posts/<slug>.md`, `pages/<slug>.md`: each text as Markdown with YAML front matter,
  as Jekyll and Hugo keep posts, for any Markdown tool (a cover is named by its path in
  the archive; images in the text keep their addresses on the site, /media/…).
- `media/<file name>`: the stored originals of images and avatars (the smaller copies
  are made again when the archive is restored).

Written entry by entry, and site.json item by item, from querysets read in chunks: memory
stays the same whatever the size of the site.
"""

import datetime
import io
import shutil
import time
import zipfile
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

import yaml
from django.core.files.storage import default_storage
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.analytics.models import DailyPostStats, DailyReferral
from broadsheet.comments.models import Comment
from broadsheet.content.models import Page, Post, Revision, SlugRedirect, Tag
from broadsheet.core.models import SiteSettings
from broadsheet.core.selectors import editable_site_settings
from broadsheet.exporters.jsonstream import ObjectWriter
from broadsheet.exporters.rows import grouped, in_chunks, tags_of
from broadsheet.media.models import Image
from broadsheet.newsletter.models import Subscriber
from broadsheet.predictions.models import Change, Prediction

FORMAT, VERSION = "broadsheet-export", 1
SITE_JSON = "site.json"
MEDIA_FOLDER = "media/"
# site.json's arrays, in the order they are written. A restore reads the file once, in
# this order: whatever an item names (an author, a cover, a post) has come before it.
SECTIONS = (
    "site",
    "staff",
    "tags",
    "media",
    "posts",
    "predictions",
    "pages",
    "redirects",
    "comments",
    "subscribers",
)
# Lists added since version 1 was first written: an archive from before one lacks it
# (a restore reads it as empty), and a Broadsheet from before one notes it and restores
# the rest. A change an older Broadsheet would misread needs a new VERSION instead.
LATER_SECTIONS = ("predictions",)
DRAFT_STATUSES = (Post.Status.DRAFT, Post.Status.REVIEW)
COMMENT_CHUNK = 1000  # comments read per query


def moment(value: datetime.datetime | None) -> str | None:
    """A time as site.json writes it: ISO 8601 in UTC, to the second."""
    if value is None:
        return None
    return value.astimezone(datetime.UTC).replace(microsecond=0).isoformat()


def day(value: datetime.date) -> str:
    return value.isoformat()


def default_file_name(today: datetime.date, extension: str) -> str:
    return f"broadsheet-export-{today.isoformat()}.{extension}"


@dataclass
class ExportSummary:
    """What an export wrote: counts per kind, and stored files that could not be read."""

    counts: dict[str, int] = field(default_factory=dict)
    missing_files: list[str] = field(default_factory=list)


def write_archive(target: IO[bytes], *, now: datetime.datetime | None = None) -> ExportSummary:
    """Write the whole site as a zip to `target` (a seekable binary file)."""
    summary = ExportSummary()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # Its size is not known in advance: past 2 GB it needs the Zip64 fields.
        entry = archive.open(SITE_JSON, "w", force_zip64=True)
        with io.TextIOWrapper(entry, encoding="utf-8", newline="\n") as text:
            _write_site_json(text, now=now or timezone.now(), summary=summary)
        _write_markdown(archive)
        for name in _media_names():
            if not _copy_stored_file(archive, name):
                summary.missing_files.append(name)
    return summary


def _write_site_json(stream: IO[str], *, now: datetime.datetime, summary: ExportSummary) -> None:
    writer = ObjectWriter(stream)
    writer.member("format", FORMAT)
    writer.member("version", VERSION)
    writer.member("exported_at", moment(now))
    writer.member("site", site_entry(editable_site_settings()))
    image_names = dict(Image.objects.values_list("pk", "file"))  # for revisions' covers
    sections: dict[str, Callable[[], Iterator[dict]]] = {
        "staff": lambda: map(person_entry, User.objects.order_by("username").iterator()),
        "tags": lambda: map(tag_entry, Tag.objects.order_by("slug").iterator()),
        "media": lambda: map(image_entry, _images()),
        "posts": lambda: _posts(image_names),
        "predictions": _predictions,
        "pages": lambda: map(page_entry, Page.objects.order_by("slug").iterator()),
        "redirects": _redirects,
        "comments": _comments,
        "subscribers": _subscribers,
    }
    for section in SECTIONS[1:]:
        summary.counts[section] = writer.array(section, sections[section]())
    writer.close()


# --- One entry of each kind ---------------------------------------------------------------


def site_entry(site: SiteSettings) -> dict:
    return {
        "title": site.title,
        "description": site.description,
        "logo": site.logo.file.name if site.logo else None,
        "navigation": [{"label": label, "url": url} for label, url in site.navigation_links],
        "timezone": site.timezone,
        "language": site.language,
        "comment_policy": site.comment_policy,
        "blocked_words": [line.strip() for line in site.blocked_words.splitlines() if line.strip()],
    }


def person_entry(user: User) -> dict:
    return {
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "slug": user.slug,
        "role": user.role,
        "bio": user.bio,
        "avatar": user.avatar.name or None,
        "active": user.is_active,
        "notify_comments": user.notify_comments,
        "joined_at": moment(user.date_joined),
    }


def tag_entry(tag: Tag) -> dict:
    return {"slug": tag.slug, "name": tag.name, "description": tag.description}


def _images() -> Iterator[Image]:
    return Image.objects.order_by("file").select_related("uploaded_by").iterator()


def image_entry(image: Image) -> dict:
    return {
        "file": image.file.name,
        "alt": image.alt,
        "original_name": image.original_name,
        "width": image.width,
        "height": image.height,
        "content_type": image.content_type,
        "uploaded_by": image.uploaded_by.username if image.uploaded_by else None,
        "created_at": moment(image.created_at),
    }


POST_COLUMNS = (
    "id",
    "uuid",
    "slug",
    "title",
    "status",
    "body",
    "custom_excerpt",
    "seo_title",
    "seo_description",
    "cover_alt",
    "featured",
    "published_at",
    "updated_at",
    "created_at",
    "trashed_at",
    "view_count",
    "like_count",
)


def _posts(image_names: dict[int, str]) -> Iterator[dict]:
    """Every post with its history; `image_names` turns the image ids in revisions into
    names. A post's revisions and daily rows, which grow with its age, are read post by
    post; the short lists (tags, old slugs) a chunk of posts at a time."""
    rows = Post.objects.order_by("slug").values(
        *POST_COLUMNS, author_name=F("author__username"), cover=F("cover_image__file")
    )
    for chunk in in_chunks(rows):
        ids = [row["id"] for row in chunk]
        tags = tags_of(ids, "slug")
        redirects = SlugRedirect.objects.filter(post_id__in=ids).order_by("old_slug")
        old_slugs = grouped(redirects.values_list("post_id", "old_slug"))
        for row in chunk:
            post_id = row["id"]
            yield {
                "slug": row["slug"],
                "uuid": str(row["uuid"]),
                "title": row["title"],
                "status": row["status"],
                "author": row["author_name"],
                "tags": tags[post_id],
                "body": row["body"],
                "custom_excerpt": row["custom_excerpt"],
                "seo_title": row["seo_title"],
                "seo_description": row["seo_description"],
                "cover": row["cover"] or None,
                "cover_alt": row["cover_alt"],
                "featured": row["featured"],
                "published_at": moment(row["published_at"]),
                "updated_at": moment(row["updated_at"]),
                "created_at": moment(row["created_at"]),
                "trashed_at": moment(row["trashed_at"]),
                "view_count": row["view_count"],
                "like_count": row["like_count"],
                "old_slugs": old_slugs[post_id],
                "revisions": _revisions(post_id, image_names),
                "daily_stats": [
                    {"day": day(stats_day), "views": views, "readers": readers}
                    for stats_day, views, readers in DailyPostStats.objects.filter(post_id=post_id)
                    .order_by("day")
                    .values_list("day", "views", "readers")
                ],
                "referrals": [
                    {"day": day(ref_day), "source": source, "domain": domain, "views": views}
                    for ref_day, source, domain, views in DailyReferral.objects.filter(
                        post_id=post_id
                    )
                    .order_by("day", "source", "domain")
                    .values_list("day", "source", "domain", "views")
                ],
            }


def _revisions(post_id: int, image_names: dict[int, str]) -> list[dict]:
    revisions = Revision.objects.filter(post_id=post_id).order_by("created_at", "id")
    entries = []
    for kind, author, created_at, data in revisions.values_list(
        "kind", "author__username", "created_at", "data"
    ):
        if "cover_image" in data:  # an image id, which means nothing on another site
            data["cover_image"] = image_names.get(data["cover_image"])
        entries.append(
            {"kind": kind, "author": author, "created_at": moment(created_at), "data": data}
        )
    return entries


PREDICTION_COLUMNS = (
    "id",
    "number",
    "position",
    "post_title",
    "statement",
    "probability",
    "resolves_on",
    "criteria",
    "source",
    "first_probability",
    "made_at",
    "outcome",
    "resolved_at",
    "resolution_note",
    "resolution_source",
    "reminded_at",
)
# Those of a post by their anchors; those of deleted posts (no slug) last, by author and time.
PREDICTION_ORDER = (
    F("post__slug").asc(nulls_last=True),
    "number",
    "author__username",
    "made_at",
    "post_title",
    "id",
)


def _predictions() -> Iterator[dict]:
    """Every prediction on the record, with its changes (a short list each, read a chunk of
    predictions at a time)."""
    rows = Prediction.objects.order_by(*PREDICTION_ORDER).values(
        *PREDICTION_COLUMNS,
        post_slug=F("post__slug"),
        author_name=F("author__username"),
        resolver=F("resolved_by__username"),
    )
    for chunk in in_chunks(rows):
        changes = grouped(
            (row["prediction_id"], row)
            for row in Change.objects.filter(prediction_id__in=[row["id"] for row in chunk])
            .order_by("at", "id")
            .values("prediction_id", "at", "field", "old", "new", "note", by_name=F("by__username"))
        )
        for row in chunk:
            yield {
                "post": row["post_slug"],
                "author": row["author_name"],
                "number": row["number"],
                "position": row["position"],
                "post_title": row["post_title"],
                "statement": row["statement"],
                "probability": fraction(row["probability"]),
                "first_probability": fraction(row["first_probability"]),
                "resolves_on": day(row["resolves_on"]),
                "criteria": row["criteria"],
                "source": row["source"],
                "made_at": moment(row["made_at"]),
                "outcome": row["outcome"],
                "resolved_at": moment(row["resolved_at"]),
                "resolved_by": row["resolver"],
                "resolution_note": row["resolution_note"],
                "resolution_source": row["resolution_source"],
                "reminded_at": moment(row["reminded_at"]),
                "changes": [
                    {
                        "at": moment(change["at"]),
                        "by": change["by_name"],
                        "field": change["field"],
                        "old": change["old"],
                        "new": change["new"],
                        "note": change["note"],
                    }
                    for change in changes[row["id"]]
                ],
            }


def fraction(value: Decimal) -> float:
    """A probability as site.json writes it: a JSON number (0.15); at most four decimals,
    which a float carries exactly enough to be read back as the same Decimal."""
    return float(value)


def page_entry(page: Page) -> dict:
    return {
        "slug": page.slug,
        "title": page.title,
        "status": page.status,
        "body": page.body,
        "seo_description": page.seo_description,
        "created_at": moment(page.created_at),
    }


def _redirects() -> Iterator[dict]:
    rows = SlugRedirect.objects.order_by("old_slug").values_list("old_slug", "post__slug")
    for old_slug, post_slug in rows.iterator():
        yield {"old_slug": old_slug, "post": post_slug}


# Threads in the order they began, each top comment followed by its replies, level by
# level: a reply always comes after the comment it answers.
COMMENT_ORDER = (
    Coalesce("root__created_at", "created_at"),
    Coalesce("root_id", "id"),
    "depth",
    "created_at",
    "id",
)


def _comments() -> Iterator[dict]:
    rows = Comment.objects.order_by(*COMMENT_ORDER).values(
        "id",
        "parent_id",
        "status",
        "name",
        "email",
        "body",
        "created_at",
        "edited_at",
        "withdrawn",
        "like_count",
        "notify_replies",
        "spam_reason",
        post_slug=F("post__slug"),
        member_username=F("member__username"),
    )
    for row in rows.iterator(chunk_size=COMMENT_CHUNK):
        yield {
            "id": row["id"],
            "post": row["post_slug"],
            "parent": row["parent_id"],
            "status": row["status"],
            "name": row["name"],
            "email": row["email"],
            "member": row["member_username"],
            "body": row["body"],
            "created_at": moment(row["created_at"]),
            "edited_at": moment(row["edited_at"]),
            "withdrawn": row["withdrawn"],
            "like_count": row["like_count"],
            "notify_replies": row["notify_replies"],
            "spam_reason": row["spam_reason"],
        }


def _subscribers() -> Iterator[dict]:
    rows = Subscriber.objects.order_by("email").select_related("member")
    for subscriber in rows.iterator():
        yield {
            "email": subscriber.email,
            "status": subscriber.status,
            "member": subscriber.member.username if subscriber.member else None,
            "created_at": moment(subscriber.created_at),
            "confirmed_at": moment(subscriber.confirmed_at),
            "unsubscribed_at": moment(subscriber.unsubscribed_at),
        }


# --- Markdown copies ----------------------------------------------------------------------


class _FrontMatterDumper(yaml.SafeDumper):
    """YAML as Jekyll and Hugo read it: times as plain ISO 8601 timestamps."""


_FrontMatterDumper.add_representer(
    datetime.datetime,
    lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat()),
)


def markdown_file(meta: dict[str, Any], body: str) -> str:
    """A Markdown file with YAML front matter; empty fields are left out."""
    kept = {key: value for key, value in meta.items() if value not in (None, "", [])}
    front = yaml.dump(kept, Dumper=_FrontMatterDumper, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n\n{body.rstrip()}\n"


def _write_markdown(archive: zipfile.ZipFile) -> None:
    zone = zoneinfo.ZoneInfo(editable_site_settings().timezone)

    def local(value: datetime.datetime | None) -> datetime.datetime | None:
        return value.astimezone(zone).replace(microsecond=0) if value else None

    authors = {
        person.pk: person.public_name
        for person in User.objects.filter(posts__isnull=False).distinct()
    }
    rows = Post.objects.order_by("slug").values(
        "id",
        "slug",
        "title",
        "status",
        "body",
        "custom_excerpt",
        "cover_alt",
        "featured",
        "published_at",
        "updated_at",
        "created_at",
        "trashed_at",
        "author_id",
        cover=F("cover_image__file"),
    )
    for chunk in in_chunks(rows):
        tags = tags_of([row["id"] for row in chunk], "name")
        for row in chunk:
            meta = {
                "title": row["title"],
                "date": local(row["published_at"] or row["created_at"]),
                "updated": local(row["updated_at"]),
                "slug": row["slug"],
                "tags": sorted(tags[row["id"]], key=str.lower),
                "author": authors[row["author_id"]],
                # Not to be published; a scheduled post is not a draft, its date is ahead.
                "draft": row["status"] in DRAFT_STATUSES or row["trashed_at"] is not None,
                "featured": row["featured"] or None,  # as Jekyll and Hugo themes read it
                "excerpt": row["custom_excerpt"],
                "cover": MEDIA_FOLDER + row["cover"] if row["cover"] else None,
                "cover_alt": row["cover_alt"] if row["cover"] else None,
            }
            archive.writestr(f"posts/{row['slug']}.md", markdown_file(meta, row["body"]))
    for page in Page.objects.order_by("slug").iterator():
        meta = {
            "title": page.title,
            "date": local(page.created_at),
            "slug": page.slug,
            "draft": page.status != Page.Status.PUBLISHED,
            "description": page.seo_description,
        }
        archive.writestr(f"pages/{page.slug}.md", markdown_file(meta, page.body))


# --- Media --------------------------------------------------------------------------------


def _media_names() -> Iterator[str]:
    """Every stored original the site uses: images, then avatars."""
    yield from Image.objects.order_by("file").values_list("file", flat=True).iterator()
    avatars = User.objects.exclude(avatar="").order_by("avatar").values_list("avatar", flat=True)
    yield from avatars.iterator()


def _copy_stored_file(archive: zipfile.ZipFile, name: str) -> bool:
    """Copy one stored file into media/, unrecompressed (images are compressed already)."""
    try:
        source = default_storage.open(name, "rb")
    except OSError:
        return False
    info = zipfile.ZipInfo(MEDIA_FOLDER + name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_STORED
    with source, archive.open(info, "w", force_zip64=True) as entry:
        shutil.copyfileobj(source, entry)
    return True
