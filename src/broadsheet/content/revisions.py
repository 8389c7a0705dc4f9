"""Revisions: what a post looked like at each save, and readable differences between two.

A revision is a JSON snapshot of the fields a writer edits, so adding a field later
needs no migration of old revisions: a missing key reads as empty.
"""

import dataclasses
import datetime
import difflib

from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.content.models import Post, Revision

# (field, label) in the order a diff shows them.
SNAPSHOT_FIELDS = (
    ("title", "Title"),
    ("slug", "Address"),
    ("body", "Text"),
    ("custom_excerpt", "Excerpt"),
    ("seo_title", "SEO title"),
    ("seo_description", "SEO description"),
    ("cover_alt", "Cover alt text"),
    ("featured", "Featured"),
    ("tags", "Tags"),
)
# Autosaves by the same person this close together update one revision instead of piling up.
AUTOSAVE_WINDOW = datetime.timedelta(minutes=10)


def snapshot(post: Post, *, tag_names: list[str] | None = None) -> dict:
    data = {field: getattr(post, field) for field, _ in SNAPSHOT_FIELDS if field != "tags"}
    if tag_names is None:
        tag_names = [tag.name for tag in post.tags.all()] if post.pk else []
    data["tags"] = sorted(tag_names, key=str.lower)
    data["cover_image"] = post.cover_image_id
    return data


def snapshot_of_edit(post: Post, *, fields: dict, tag_names: list[str]) -> dict:
    """The post as it would be with an editor's fields, without applying them."""
    data = snapshot(post)
    data.update({key: value for key, value in fields.items() if key in dict(SNAPSHOT_FIELDS)})
    data["tags"] = sorted(tag_names, key=str.lower)
    return data


def record(
    post: Post, *, author: User | None, kind: str = Revision.Kind.SAVE, data: dict | None = None
) -> Revision:
    """Keep a revision of `post` (or of `data`, for a version that was not applied)."""
    data = data if data is not None else snapshot(post)
    now = timezone.now()
    if kind == Revision.Kind.AUTOSAVE:
        latest = post.revisions.order_by("-created_at", "-id").first()
        if (
            latest is not None
            and latest.kind == Revision.Kind.AUTOSAVE
            and latest.author_id == (author.pk if author else None)
            and now - latest.created_at < AUTOSAVE_WINDOW
        ):
            latest.data, latest.created_at = data, now
            latest.save(update_fields=["data", "created_at"])
            return latest
    return Revision.objects.create(post=post, author=author, kind=kind, data=data, created_at=now)


@dataclasses.dataclass(frozen=True)
class DiffLine:
    change: str  # "+", "-" or " "
    text: str


@dataclasses.dataclass(frozen=True)
class FieldDiff:
    label: str
    lines: list[DiffLine]


def _as_lines(value) -> list[str]:
    if isinstance(value, bool):  # a flag shows as "Yes", or as nothing, as a missing one
        return ["Yes"] if value else []
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value or "").splitlines()


def diff(old: dict, new: dict) -> list[FieldDiff]:
    """The fields that differ, each as lines kept, removed and added (old → new)."""
    changes = []
    for field, label in SNAPSHOT_FIELDS:
        before, after = _as_lines(old.get(field)), _as_lines(new.get(field))
        if before == after:
            continue
        lines = [
            DiffLine(change=line[0], text=line[2:])
            for line in difflib.ndiff(before, after)
            if not line.startswith("?")
        ]
        changes.append(FieldDiff(label=label, lines=lines))
    return changes
