"""Every write to posts, pages and tags, as named actions. The studio, the admin, the demo
loader and the management commands call these; the importers and the API will too.

Each action checks the actor's permission first (`accounts.permissions`), does its work
in one transaction and queues its side effects with `transaction.on_commit`:

- a post in the editor: `save_changes`, `submit_for_review`, `publish`, `schedule`,
  `unpublish`, `autosave`, `restore_revision`, `trash_post`, `restore_from_trash`;
- pages and tags: `save_page`, `delete_page`, `save_tag`, `delete_tag`;
- the system's own: `publish_due_posts` (the worker), `refresh_archive_months`.

Under all of them, `save_post` is the one write of a post's row: it renders the body,
derives the excerpt and dates, keeps old addresses working and queues the publication
task of a scheduled post. The admin and the demo loader call it directly. How a write
reaches readers' stored pages is told in `fastpath.invalidation`.
"""

import contextlib
import dataclasses
import datetime
import functools
import operator
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from broadsheet.accounts import permissions
from broadsheet.accounts.models import User
from broadsheet.content import revisions, signals
from broadsheet.content.models import Page, Post, Revision, SlugRedirect, Tag
from broadsheet.core.markup import plain_text, render_markdown, truncate_words
from broadsheet.core.slugs import unique_slug
from broadsheet.fastpath.invalidation import private_writes
from broadsheet.media.html import add_responsive_images

EXCERPT_LENGTH = 200
# Editing any of these after publication is an update readers should be told about.
READER_VISIBLE_FIELDS = ("title", "body", "custom_excerpt")
# What the editor may change directly; status and dates change only through actions.
# In the editor's order.
EDITABLE_FIELDS = (
    "title",
    "body",
    "slug",
    "custom_excerpt",
    "seo_title",
    "seo_description",
    "cover_image",
    "cover_alt",
    "featured",
)
# Made slugs stop short of the columns' lengths, leaving room for a `-N`.
POST_SLUG_LENGTH, PAGE_SLUG_LENGTH, TAG_SLUG_LENGTH = 180, 180, 90


def render_body(source: str) -> str:
    """A post's or page's Markdown as the public page shows it (also the live preview)."""
    return add_responsive_images(render_markdown(source))


def one_line_ending(text: str) -> str:
    """Bodies are kept with "\n" only: a browser sends a textarea with "\r\n", and a text
    saved unchanged from the editor must compare equal to what was stored."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Every column a save writes; the counts are not among them.
SAVED_COLUMNS = [
    field.name
    for field in Post._meta.concrete_fields
    if not field.primary_key and field.name not in ("view_count", "like_count")
]


def _prepare_text(thing: Post | Page, *, slug_length: int, fallback: str) -> None:
    """What a post's and a page's save share: a slug made from the title when there is
    none, one kind of line ending, and the body rendered."""
    if not thing.slug:
        thing.slug = unique_slug(
            type(thing).objects.all(),
            thing.title,
            max_length=slug_length,
            fallback=fallback,
            exclude_pk=thing.pk,
        )
    thing.body = one_line_ending(thing.body)
    thing.body_html = render_body(thing.body)


def save_post(
    post: Post, *, tags: Iterable[Tag] | None = None, now: datetime.datetime | None = None
) -> Post:
    """Render the post, derive its excerpt and dates, and save it (with `tags`, if given)
    in one transaction.

    A published post whose readable content changes gets `updated_at`, which is what
    the page shows as "Updated: <date>".
    """
    with transaction.atomic():
        stored = Post.objects.select_for_update().filter(pk=post.pk).first() if post.pk else None
        _write(post, stored=stored, tags=tags, now=now)
    return post


def _write(
    post: Post,
    *,
    stored: Post | None,
    tags: Iterable[Tag] | None = None,
    now: datetime.datetime | None = None,
) -> None:
    """`save_post`'s work, for a caller inside a transaction that has locked the row
    already and read it as `stored` (None for a new post)."""
    now = now or timezone.now()
    _prepare_text(post, slug_length=POST_SLUG_LENGTH, fallback="post")
    post.excerpt = post.custom_excerpt.strip() or truncate_words(
        plain_text(post.body_html), EXCERPT_LENGTH
    )
    if post.status == Post.Status.PUBLISHED and post.published_at is None:
        post.published_at = now
    post.published_month = Post.month_of(post.published_at)
    was_public = stored is not None and stored.is_published
    if stored is not None and was_public:
        if post.is_published and _has_visible_edit(stored, post):
            post.updated_at = now
        if stored.slug != post.slug:
            _keep_old_address(stored.slug, post)
    # A draft that never was public changes nothing readers see; a scheduled one does,
    # later (the fast path learns its time from the new content generation).
    with private_writes(not (was_public or post.is_published or post.is_scheduled)):
        if stored is None:
            post.save()
        else:
            # Counts move only by `x = x ± n` (views, likes): a copy loaded before readers
            # came must not write its old numbers back.
            post.save(update_fields=SAVED_COLUMNS)
            post.view_count, post.like_count = stored.view_count, stored.like_count
        if tags is not None:
            post.tags.set(tags)
    if post.is_scheduled:
        _enqueue_publication(post)
    signals.post_changed.send(Post, post=post, was_public=was_public, trashed=False)


def _has_visible_edit(stored: Post, post: Post) -> bool:
    return any(getattr(post, field) != getattr(stored, field) for field in READER_VISIBLE_FIELDS)


def _keep_old_address(old_slug: str, post: Post) -> None:
    """Links to a published post's old address keep working (301 to the new one)."""
    SlugRedirect.objects.filter(old_slug=post.slug).delete()  # the new address is live now
    SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"post": post})


def _enqueue_publication(post: Post) -> None:
    from broadsheet.content.tasks import publish_due

    when = post.published_at
    transaction.on_commit(lambda: publish_due.using(run_after=when).enqueue())


class EditConflict(Exception):
    """Someone saved the post after this editor's copy was loaded. Nothing was applied;
    the editor's version is kept as a revision so neither is lost."""

    def __init__(self, post: Post, kept: Revision) -> None:
        super().__init__("The post was changed by someone else while you were editing.")
        self.post, self.kept = post, kept


@dataclasses.dataclass
class Edit:
    """What a writer changes with an action: field values (of `EDITABLE_FIELDS`), tag
    names (None keeps the tags) and the version the change starts from."""

    fields: dict[str, Any] = dataclasses.field(default_factory=dict)
    tag_names: list[str] | None = None
    # The post's `modified_at` when the writer loaded it; None to apply it whatever changed.
    based_on: datetime.datetime | None = None
    # Whose name the post goes out under; None keeps it (a new post: the actor's own).
    author: User | None = None


def save_changes(*, actor: User, post: Post, edit: Edit) -> Post:
    """Save the writer's changes; the post keeps its status (a new one is a draft)."""
    _check_may_edit(actor, post)
    return _apply_edit(actor=actor, post=post, edit=edit)


def submit_for_review(*, actor: User, post: Post, edit: Edit | None = None) -> Post:
    """A draft goes to the editors, who publish it (contributors cannot)."""
    _check_may_edit(actor, post)
    return _apply_edit(actor=actor, post=post, edit=edit, then=_to_review)


def publish(*, actor: User, post: Post, edit: Edit | None = None) -> Post:
    """Public from now on; a post that is public already keeps its date."""
    _check_may_publish(actor, post)
    return _apply_edit(actor=actor, post=post, edit=edit, then=_to_published)


def schedule(
    *, actor: User, post: Post, publish_at: datetime.datetime | None, edit: Edit | None = None
) -> Post:
    """Public from `publish_at` on; the worker's task marks it published then."""
    _check_may_publish(actor, post)
    then = functools.partial(_to_scheduled, publish_at=publish_at)
    return _apply_edit(actor=actor, post=post, edit=edit, then=then)


def unpublish(*, actor: User, post: Post, edit: Edit | None = None) -> Post:
    """Out of public view: a draft again, without its publication date."""
    _check_may_publish(actor, post)
    return _apply_edit(actor=actor, post=post, edit=edit, then=_to_draft)


def _check_may_edit(actor: User, post: Post) -> None:
    """Refuse unless `actor` may edit `post`; a new post is the actor's own."""
    if post.pk is None:
        post.author = actor
        if not permissions.can(actor, permissions.Action.CREATE_POST):
            raise PermissionDenied("Your role cannot create posts.")
    elif not permissions.can_edit_post(actor, post):
        raise PermissionDenied("You cannot edit this post.")


def _check_may_publish(actor: User, post: Post) -> None:
    _check_may_edit(actor, post)
    if not permissions.can_publish_post(actor, post):
        raise PermissionDenied("Your role cannot publish; submit the post for review instead.")


def _apply_edit(
    *, actor: User, post: Post, edit: Edit | None, then: Callable[[Post], None] | None = None
) -> Post:
    """Apply `edit` and the action's own change (`then`) as one write, with a revision.

    One transaction from the stale-save check to the write, the row locked once: a
    second save of the same version waits for the row, then finds it changed.
    """
    edit = edit or Edit()
    conflict = None
    new = post.pk is None
    with _forgetting_a_rolled_back_row(post, new=new), transaction.atomic():
        stored = Post.objects.select_for_update().get(pk=post.pk) if post.pk else None
        if stored is not None and edit.based_on not in (None, stored.modified_at):
            conflict = EditConflict(stored, _keep_unapplied(post=stored, actor=actor, edit=edit))
        else:
            for field in EDITABLE_FIELDS:
                if field in edit.fields:
                    setattr(post, field, edit.fields[field])
            post.slug = (post.slug or "").strip()
            tags = None if edit.tag_names is None else _tags_for(actor, edit.tag_names)
            if edit.author is not None and edit.author.pk != post.author_id:
                if not permissions.can(actor, permissions.Action.WRITE_FOR_OTHERS):
                    raise PermissionDenied("Your role cannot write in someone else's name.")
                post.author = edit.author
            if then is not None:
                then(post)
            _check_title_and_slug(post)
            _write(post, stored=stored, tags=tags)
            snapshot = revisions.snapshot(post, tag_names=edit.tag_names)
            revisions.record(post, author=actor, data=snapshot)
    if conflict is not None:  # raised after the commit, so the kept version stays
        raise conflict
    return post


@contextlib.contextmanager
def _forgetting_a_rolled_back_row(post: Post, *, new: bool) -> Iterator[None]:
    """A new post refused after its row was written (a receiver's check inside the
    transaction) is new again: the rollback took its row, and the editor shows it unsaved."""
    try:
        yield
    except Exception:
        if new:
            post.pk, post._state.adding = None, True
        raise


def _keep_unapplied(*, post: Post, actor: User, edit: Edit) -> Revision:
    tag_names = [tag.name for tag in post.tags.all()] if edit.tag_names is None else edit.tag_names
    data = revisions.snapshot_of_edit(post, fields=edit.fields, tag_names=tag_names)
    return revisions.record(post, author=actor, kind=Revision.Kind.CONFLICT, data=data)


def _to_review(post: Post) -> None:
    if post.status not in (Post.Status.DRAFT, Post.Status.REVIEW):
        raise ValidationError("Only a draft can be submitted for review.")
    post.status = Post.Status.REVIEW


def _to_published(post: Post) -> None:
    if not post.is_published:
        post.published_at = timezone.now()
    post.status = Post.Status.PUBLISHED  # also a due scheduled post, public already


def _to_scheduled(post: Post, *, publish_at: datetime.datetime | None) -> None:
    if post.is_published:
        raise ValidationError("This post is already published; unpublish it first.")
    if publish_at is None:
        raise ValidationError({"publish_at": "Choose the date and time to publish at."})
    if publish_at <= timezone.now():
        raise ValidationError({"publish_at": "That time has passed; choose a later one."})
    post.status, post.published_at = Post.Status.SCHEDULED, publish_at


def _to_draft(post: Post) -> None:
    post.status, post.published_at, post.updated_at = Post.Status.DRAFT, None, None


def _check_title_and_slug(post: Post) -> None:
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
    longest = Tag._meta.get_field("name").max_length or 0
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


def _unique_tag_slug(name: str, *, exclude_pk: int | None = None) -> str:
    return unique_slug(
        Tag.objects.all(),
        name,
        max_length=TAG_SLUG_LENGTH,
        fallback="tag",
        exclude_pk=exclude_pk,
    )


def _existing_tags(names: Iterable[str]) -> list[Tag]:
    wanted = [Q(name__iexact=name.strip()) for name in names if name.strip()]
    return list(Tag.objects.filter(functools.reduce(operator.or_, wanted))) if wanted else []


def autosave(*, actor: User, post: Post, fields: dict[str, Any], tag_names: list[str]) -> Post:
    """Keep work in progress. An unpublished post is saved as it is; a public one is not
    changed until its writer presses Update: the work waits in an autosave revision."""
    _check_may_edit(actor, post)
    with transaction.atomic():
        # Decided on the locked row: a post published since the editor loaded it is public.
        stored = Post.objects.select_for_update().get(pk=post.pk) if post.pk else None
        if stored is not None and (stored.is_published or stored.is_scheduled):
            data = revisions.snapshot_of_edit(stored, fields=fields, tag_names=tag_names)
            revisions.record(stored, author=actor, kind=Revision.Kind.AUTOSAVE, data=data)
            return stored
        for field in EDITABLE_FIELDS:
            if field in fields:
                setattr(post, field, fields[field])
        post.title = post.title.strip() or "Untitled"
        if post.slug and Post.objects.filter(slug=post.slug).exclude(pk=post.pk).exists():
            post.slug = ""  # the editor shows the clash when the writer saves
        _write(post, stored=stored, tags=_existing_tags(tag_names))
        revisions.record(post, author=actor, kind=Revision.Kind.AUTOSAVE)
    return post


def restore_revision(*, actor: User, revision: Revision) -> Post:
    """Make an old revision current again; the restore is itself a new revision."""
    post = revision.post
    _check_may_edit(actor, post)
    if post.is_published and not permissions.can_publish_post(actor, post):
        raise PermissionDenied("You cannot change a published post.")
    data = revision.data
    with transaction.atomic():
        stored = Post.objects.select_for_update().get(pk=post.pk)
        for field in EDITABLE_FIELDS:
            if field in data and field not in ("cover_image", "featured"):
                setattr(post, field, data[field] or "")
        if "featured" in data:  # a flag: False is not empty text
            post.featured = bool(data["featured"])
        post.cover_image_id = data.get("cover_image")
        post.title = post.title or "Untitled"
        if Post.objects.filter(slug=post.slug).exclude(pk=post.pk).exists():
            post.slug = ""
        _write(post, stored=stored, tags=_existing_tags(data.get("tags", [])))
        revisions.record(post, author=actor, kind=Revision.Kind.RESTORE)
    return post


def trash_post(*, actor: User, post: Post) -> Post:
    """Out of sight everywhere, but nothing is deleted: it can be restored as it was."""
    if not permissions.can_trash_post(actor, post):
        raise PermissionDenied("You cannot move this post to the trash.")
    with transaction.atomic():
        was_public = post.is_published
        post.trashed_at = timezone.now()
        post.save(update_fields=["trashed_at", "modified_at"])
        signals.post_changed.send(Post, post=post, was_public=was_public, trashed=True)
    return post


def restore_from_trash(*, actor: User, post: Post) -> Post:
    if not permissions.can_trash_post(actor, post):
        raise PermissionDenied("You cannot restore this post.")
    with transaction.atomic():
        post.trashed_at = None
        post.save(update_fields=["trashed_at", "modified_at"])
        signals.post_changed.send(Post, post=post, was_public=False, trashed=False)
    return post


def publish_due_posts(*, now: datetime.datetime | None = None) -> int:
    """Mark scheduled posts whose time has come as published (the worker's job). Readers
    and the studio see them as published from their time on already (`published_filter`,
    `Post.is_published`); this keeps the stored status true."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Post.objects.select_for_update().filter(
                status=Post.Status.SCHEDULED, published_at__lte=now
            )
        )
        for post in due:
            post.status = Post.Status.PUBLISHED
            post.save(update_fields=["status", "modified_at"])
            signals.post_changed.send(Post, post=post, was_public=False, trashed=False)
    return len(due)


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


class StalePage(Exception):
    """The page was saved by someone else after the copy being saved was read; nothing
    was applied."""


def save_page(*, actor: User, page: Page, based_on: datetime.datetime | None = None) -> Page:
    """Render and save a page; one without an address gets one from its title. With
    `based_on` (the `modified_at` the editor started from), a page changed since is
    refused with `StalePage`, decided on the locked row."""
    if not permissions.can(actor, permissions.Action.MANAGE_PAGES):
        raise PermissionDenied("Your role cannot edit pages.")
    return store_page(page, based_on=based_on)


def store_page(page: Page, *, based_on: datetime.datetime | None = None) -> Page:
    """`save_page`'s write, for callers that have checked their own right (imports)."""
    with transaction.atomic():
        locked = Page.objects.select_for_update().filter(pk=page.pk)
        stored = locked.values("status", "modified_at").first() if page.pk else None
        if stored is not None and based_on not in (None, stored["modified_at"]):
            raise StalePage("The page was changed by someone else.")
        was_published = stored is not None and stored["status"] == Page.Status.PUBLISHED
        _prepare_text(page, slug_length=PAGE_SLUG_LENGTH, fallback="page")
        page.save()
        signals.page_changed.send(Page, page=page, was_published=was_published)
    return page


def save_tag(*, actor: User, tag: Tag) -> Tag:
    if not permissions.can(actor, permissions.Action.MANAGE_TAGS):
        raise PermissionDenied("Your role cannot manage tags.")
    return store_tag(tag)


def store_tag(tag: Tag) -> Tag:
    """`save_tag`'s write, for callers that have checked their own right (imports)."""
    with transaction.atomic():
        stored_name = Tag.objects.filter(pk=tag.pk).values_list("name", flat=True).first()
        tag.slug = tag.slug or _unique_tag_slug(tag.name, exclude_pk=tag.pk)
        tag.save()
        if stored_name is not None and stored_name != tag.name:
            signals.tag_changed.send(Tag, post_ids=list(tag.posts.values_list("pk", flat=True)))
    return tag


def delete_page(*, actor: User, page: Page) -> None:
    """The page goes, and its address answers 404 again."""
    if not permissions.can(actor, permissions.Action.MANAGE_PAGES):
        raise PermissionDenied("Your role cannot edit pages.")
    with transaction.atomic():
        page.delete()


def delete_tag(*, actor: User, tag: Tag) -> None:
    """The tag goes; its posts stay, without it."""
    if not permissions.can(actor, permissions.Action.MANAGE_TAGS):
        raise PermissionDenied("Your role cannot manage tags.")
    with transaction.atomic():
        post_ids = list(tag.posts.values_list("pk", flat=True))
        tag.delete()
        signals.tag_changed.send(Tag, post_ids=post_ids)
