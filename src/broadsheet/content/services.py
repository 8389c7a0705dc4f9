"""Writes to posts and pages. The studio, the admin, the demo and importers all call these.

`save_post` is the low-level write (render, excerpt, dates). The studio's actions go
through `save_from_editor` and friends, which check permissions first, keep a revision
and do everything in one transaction.
"""

import dataclasses
import datetime
import functools
import operator
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from broadsheet.accounts import permissions
from broadsheet.accounts.models import User
from broadsheet.content import revisions
from broadsheet.content.models import Page, Post, Revision, SlugRedirect, Tag
from broadsheet.core.markup import plain_text, render_markdown, truncate_words
from broadsheet.media.html import add_responsive_images

EXCERPT_LENGTH = 200
# Editing any of these after publication is an update readers should be told about.
READER_VISIBLE_FIELDS = ("title", "body", "custom_excerpt")
# What the editor may change directly; status and dates change only through actions.
EDITABLE_FIELDS = (
    "title",
    "slug",
    "body",
    "custom_excerpt",
    "seo_title",
    "seo_description",
    "cover_image",
    "cover_alt",
)


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:180].strip("-") or "post"
    taken = set(
        Post.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def render_body(source: str) -> str:
    """A post's or page's Markdown as the public page shows it (also the live preview)."""
    return add_responsive_images(render_markdown(source))


# Every column a save writes; the counts are not among them.
SAVED_COLUMNS = [
    field.name
    for field in Post._meta.concrete_fields
    if not field.primary_key and field.name not in ("view_count", "like_count")
]


def save_post(post: Post, *, now: datetime.datetime | None = None) -> Post:
    """Render the post, derive its excerpt and dates, and save it in one transaction.

    A published post whose readable content changes gets `updated_at`, which is what
    the page shows as "Updated: <date>".
    """
    now = now or timezone.now()
    with transaction.atomic():
        previous = Post.objects.select_for_update().filter(pk=post.pk).first() if post.pk else None
        if not post.slug:
            post.slug = unique_slug(post.title, exclude_pk=post.pk)
        post.body_html = render_body(post.body)
        post.excerpt = post.custom_excerpt.strip() or truncate_words(
            plain_text(post.body_html), EXCERPT_LENGTH
        )
        if post.status == Post.Status.PUBLISHED and post.published_at is None:
            post.published_at = now
        post.published_month = Post.month_of(post.published_at)
        if _is_visible_edit_of_published(previous, post):
            post.updated_at = now
        if previous is not None and previous.is_published and previous.slug != post.slug:
            _keep_old_address(previous.slug, post)
        # Read by the fast path's invalidation: a draft that never was public changes nothing.
        post.was_public = previous is not None and previous.is_published
        if previous is None:
            post.save()
        else:
            # Counts move only by `x = x ± n` (views, likes): a copy loaded before readers
            # came must not write its old numbers back.
            post.save(update_fields=SAVED_COLUMNS)
            post.view_count, post.like_count = previous.view_count, previous.like_count
    return post


def _is_visible_edit_of_published(previous: Post | None, post: Post) -> bool:
    return (
        previous is not None
        and previous.is_published
        and post.is_published
        and any(getattr(post, f) != getattr(previous, f) for f in READER_VISIBLE_FIELDS)
    )


def _keep_old_address(old_slug: str, post: Post) -> None:
    """Links to a published post's old address keep working (301 to the new one)."""
    SlugRedirect.objects.filter(old_slug=post.slug).delete()  # the new address is live now
    SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"post": post})


class EditConflict(Exception):
    """Someone saved the post after this editor's copy was loaded. Nothing was applied;
    the editor's version is kept as a revision so neither is lost."""

    def __init__(self, post: Post, kept: Revision) -> None:
        super().__init__("The post was changed by someone else while you were editing.")
        self.post, self.kept = post, kept


class Action:
    SAVE = "save"
    SUBMIT = "submit"
    PUBLISH = "publish"
    SCHEDULE = "schedule"
    UNPUBLISH = "unpublish"


@dataclasses.dataclass
class Edit:
    """What the editor sends: field values, tag names and the version it started from."""

    fields: dict
    tag_names: list[str]
    action: str = Action.SAVE
    publish_at: datetime.datetime | None = None
    # The post's `modified_at` when the editor loaded it; None for a new post.
    based_on: datetime.datetime | None = None


def save_from_editor(*, actor: User, post: Post, edit: Edit) -> Post:
    """Apply an editor's save and its action (publish, schedule, ...) as one change."""
    if post.pk is None and not permissions.can(actor, permissions.Action.CREATE_POST):
        raise PermissionDenied("Your role cannot create posts.")
    if post.pk is not None and not permissions.can_edit_post(actor, post):
        raise PermissionDenied("You cannot edit this post.")
    conflict = None
    # One transaction from the stale-save check to the write: a second save of the same
    # version waits for the row, then finds it changed.
    with transaction.atomic():
        if post.pk is not None:
            current = Post.objects.select_for_update().get(pk=post.pk)
            if edit.based_on is not None and current.modified_at != edit.based_on:
                conflict = EditConflict(
                    current, _keep_unapplied(post=current, actor=actor, edit=edit)
                )
        if conflict is None:
            _apply_edit(actor=actor, post=post, edit=edit)
    if conflict is not None:  # raised after the commit, so the kept version stays
        raise conflict
    if post.is_scheduled:
        _enqueue_publication(post)
    return post


def _apply_edit(*, actor: User, post: Post, edit: Edit) -> None:
    for field in EDITABLE_FIELDS:
        if field in edit.fields:
            setattr(post, field, edit.fields[field])
    post.slug = (post.slug or "").strip()
    tags = _tags_for(actor, edit.tag_names)
    _apply_action(actor, post, edit)
    _check_slug(post)
    save_post(post)
    post.tags.set(tags)
    revisions.record(post, author=actor, data=revisions.snapshot(post, tag_names=edit.tag_names))


def _keep_unapplied(*, post: Post, actor: User, edit: Edit) -> Revision:
    data = revisions.snapshot_of_edit(post, fields=edit.fields, tag_names=edit.tag_names)
    return revisions.record(post, author=actor, kind=Revision.Kind.CONFLICT, data=data)


def _apply_action(actor: User, post: Post, edit: Edit) -> None:
    action = edit.action
    if action == Action.SAVE:
        if post.pk is None:
            post.author = actor
        return
    if action == Action.SUBMIT:
        if post.status not in (Post.Status.DRAFT, Post.Status.REVIEW):
            raise ValidationError("Only a draft can be submitted for review.")
        post.author = post.author if post.author_id else actor
        post.status = Post.Status.REVIEW
        return
    if post.pk is None:
        post.author = actor
    if not permissions.can_publish_post(actor, post):
        raise PermissionDenied("Your role cannot publish; submit the post for review instead.")
    if action == Action.PUBLISH:
        if not post.is_published:
            post.status, post.published_at = Post.Status.PUBLISHED, timezone.now()
    elif action == Action.SCHEDULE:
        if post.is_published:
            raise ValidationError("This post is already published; unpublish it first.")
        if edit.publish_at is None:
            raise ValidationError({"publish_at": "Choose the date and time to publish at."})
        if edit.publish_at <= timezone.now():
            raise ValidationError({"publish_at": "That time has passed; choose a later one."})
        post.status, post.published_at = Post.Status.SCHEDULED, edit.publish_at
    elif action == Action.UNPUBLISH:
        post.status, post.published_at, post.updated_at = Post.Status.DRAFT, None, None
    else:
        raise ValidationError(f"Unknown action: {action}")


def _check_slug(post: Post) -> None:
    if not post.title.strip():
        raise ValidationError({"title": "Give the post a title."})
    if post.slug:
        if slugify(post.slug) != post.slug:
            raise ValidationError(
                {"slug": "Use only lowercase letters, numbers and hyphens in the address."}
            )
        clash = Post.objects.filter(slug=post.slug).exclude(pk=post.pk).first()
        if clash is not None:
            raise ValidationError(
                {"slug": f"The address “{post.slug}” is already used by “{clash.title}”."}
            )


def _tags_for(actor: User, names: Iterable[str]) -> list[Tag]:
    """Existing tags by name (any case); new ones only for those allowed to create tags."""
    tags = []
    longest = Tag._meta.get_field("name").max_length
    for name in dict.fromkeys(n.strip() for n in names if n.strip()):
        if len(name) > longest:  # no tag has such a name, and none can be made with it
            raise ValidationError(
                {"tags": f"A tag name can be at most {longest} characters: “{name[:40]}…”."}
            )
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            if not permissions.can(actor, permissions.Action.CREATE_TAG):
                raise ValidationError({"tags": f"There is no tag “{name}”; ask an editor."})
            tag = Tag.objects.create(name=name, slug=_unique_tag_slug(name))
        tags.append(tag)
    return tags


def _unique_tag_slug(name: str) -> str:
    base = slugify(name)[:90] or "tag"
    slug, n = base, 2
    while Tag.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def autosave(*, actor: User, post: Post, fields: dict, tag_names: list[str]) -> Post:
    """Keep work in progress. An unpublished post is saved as it is; a public one is not
    changed until its writer presses Update: the work waits in an autosave revision."""
    if not permissions.can_edit_post(actor, post):
        raise PermissionDenied("You cannot edit this post.")
    with transaction.atomic():
        if post.is_published or post.is_scheduled:
            data = revisions.snapshot_of_edit(post, fields=fields, tag_names=tag_names)
            revisions.record(post, author=actor, kind=Revision.Kind.AUTOSAVE, data=data)
            return post
        for field in EDITABLE_FIELDS:
            if field in fields:
                setattr(post, field, fields[field])
        post.title = post.title.strip() or "Untitled"
        if post.slug and Post.objects.filter(slug=post.slug).exclude(pk=post.pk).exists():
            post.slug = ""  # the editor shows the clash when the writer saves
        save_post(post)
        post.tags.set(_existing_tags(tag_names))
        revisions.record(post, author=actor, kind=Revision.Kind.AUTOSAVE)
    return post


def _existing_tags(names: Iterable[str]) -> list[Tag]:
    wanted = [Q(name__iexact=name.strip()) for name in names if name.strip()]
    return list(Tag.objects.filter(functools.reduce(operator.or_, wanted))) if wanted else []


def restore_revision(*, actor: User, revision: Revision) -> Post:
    """Make an old revision current again; the restore is itself a new revision."""
    post = revision.post
    if not permissions.can_edit_post(actor, post):
        raise PermissionDenied("You cannot edit this post.")
    if post.is_published and not permissions.can_publish_post(actor, post):
        raise PermissionDenied("You cannot change a published post.")
    data = revision.data
    with transaction.atomic():
        for field in EDITABLE_FIELDS:
            if field in data and field != "cover_image":
                setattr(post, field, data[field] or "")
        post.cover_image_id = data.get("cover_image")
        post.title = post.title or "Untitled"
        if Post.objects.filter(slug=post.slug).exclude(pk=post.pk).exists():
            post.slug = ""
        save_post(post)
        post.tags.set(_existing_tags(data.get("tags", [])))
        revisions.record(post, author=actor, kind=Revision.Kind.RESTORE)
    return post


def trash_post(*, actor: User, post: Post) -> Post:
    """Out of sight everywhere, but nothing is deleted: it can be restored as it was."""
    if not permissions.can_trash_post(actor, post):
        raise PermissionDenied("You cannot move this post to the trash.")
    post.trashed_at = timezone.now()
    post.save(update_fields=["trashed_at", "modified_at"])
    return post


def restore_from_trash(*, actor: User, post: Post) -> Post:
    if not permissions.can_trash_post(actor, post):
        raise PermissionDenied("You cannot restore this post.")
    post.trashed_at = None
    post.save(update_fields=["trashed_at", "modified_at"])
    return post


def publish_due_posts(*, now: datetime.datetime | None = None) -> int:
    """Mark scheduled posts whose time has come as published. Readers already see them
    from their time on (see `published_filter`); this keeps the studio's status true."""
    now = now or timezone.now()
    due = Post.objects.filter(status=Post.Status.SCHEDULED, published_at__lte=now)
    count = 0
    for post in due:
        post.status = Post.Status.PUBLISHED
        post.save(update_fields=["status", "modified_at"])
        count += 1
    return count


def refresh_archive_months(batch_size: int = 2000) -> None:
    """After the site's time zone changes, file each post under its month in the new zone."""
    posts = Post.objects.filter(published_at__isnull=False).only("published_at", "published_month")
    changed = []
    for post in posts.iterator(chunk_size=batch_size):
        month = Post.month_of(post.published_at)
        if month != post.published_month:
            post.published_month = month
            changed.append(post)
    Post.objects.bulk_update(changed, ["published_month"], batch_size=batch_size)


def _enqueue_publication(post: Post) -> None:
    from broadsheet.content.tasks import publish_due

    transaction.on_commit(lambda: publish_due.using(run_after=post.published_at).enqueue())


def save_page(*, actor: User, page: Page) -> Page:
    if not permissions.can(actor, permissions.Action.MANAGE_PAGES):
        raise PermissionDenied("Your role cannot edit pages.")
    page.slug = page.slug or slugify(page.title)[:180] or "page"
    page.body_html = render_body(page.body)
    page.save()
    return page


def save_tag(*, actor: User, tag: Tag) -> Tag:
    if not permissions.can(actor, permissions.Action.MANAGE_TAGS):
        raise PermissionDenied("Your role cannot manage tags.")
    tag.slug = tag.slug or _unique_tag_slug(tag.name)
    tag.save()
    return tag


def delete_tag(*, actor: User, tag: Tag) -> None:
    """The tag goes; its posts stay, without it."""
    if not permissions.can(actor, permissions.Action.MANAGE_TAGS):
        raise PermissionDenied("Your role cannot manage tags.")
    tag.delete()
