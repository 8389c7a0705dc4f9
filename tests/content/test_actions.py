"""The content actions, called directly: who may, what each does, what it refuses, what it
queues, and that one change never applies twice nor loses the counts."""

import contextlib
import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from broadsheet.content import services
from broadsheet.content.models import Page, Post, Revision, Tag
from broadsheet.content.services import Edit, EditConflict, save_post
from broadsheet.core.board import board

ROLES = ("contributor", "author", "editor", "administrator", "owner")
LATER = datetime.timedelta(hours=2)


def test_a_save_from_an_old_copy_keeps_the_views_and_likes_made_since(post):
    stale = Post.objects.get(pk=post.pk)  # an editor opened the post ...
    with board().counts_write():  # ... readers came meanwhile
        Post.objects.filter(pk=post.pk).update(
            view_count=F("view_count") + 40, like_count=F("like_count") + 3
        )

    stale.title = "A sharper headline"
    save_post(stale)

    saved = Post.objects.get(pk=post.pk)
    assert (saved.title, saved.view_count, saved.like_count) == ("A sharper headline", 40, 3)
    assert (stale.view_count, stale.like_count) == (40, 3)


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_one_version_cannot_both_apply(make_staff, make_post):
    editor = make_staff("editor")
    post = make_post("The first headline", author=editor)
    loaded = Post.objects.get(pk=post.pk).modified_at
    start, locking = threading.Barrier(2), threading.Barrier(2)
    outcomes: list[str] = []

    def meet_before_each_lock(execute, sql, params, many, context):
        # Both saves take each lock together (SQLite's BEGIN IMMEDIATE, PostgreSQL's
        # FOR UPDATE), or after a second alone. Had the stale-save check a transaction
        # of its own, both would pass it, then meet again and both write; in one
        # transaction, the second waits for the row and finds it changed.
        if sql.startswith("BEGIN") or "FOR UPDATE" in sql:
            with contextlib.suppress(threading.BrokenBarrierError):
                locking.wait(timeout=1)
        return execute(sql, params, many, context)

    def save(title: str) -> None:
        try:
            copy = Post.objects.get(pk=post.pk)
            start.wait()
            edit = Edit(fields={"title": title}, tag_names=[], based_on=loaded)
            with connection.execute_wrapper(meet_before_each_lock):
                services.save_changes(actor=editor, post=copy, edit=edit)
            outcomes.append(title)
        except EditConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(f"Headline {n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert outcomes.count("conflict") == 1 and len(outcomes) == 2, outcomes
    (applied,) = [title for title in outcomes if title != "conflict"]
    assert Post.objects.get(pk=post.pk).title == applied
    kept = post.revisions.filter(kind="conflict").get()
    assert kept.data["title"] != applied  # the other version is kept, not lost


def test_a_stale_save_changes_nothing_and_keeps_its_version(make_staff, post):
    editor = make_staff("editor")
    loaded = post.modified_at
    services.save_changes(actor=editor, post=post, edit=Edit(fields={"title": "First"}))

    stale = Edit(fields={"title": "Second"}, based_on=loaded)
    with pytest.raises(EditConflict) as conflict:
        services.publish(actor=editor, post=Post.objects.get(pk=post.pk), edit=stale)

    assert Post.objects.get(pk=post.pk).title == "First"
    assert conflict.value.kept.kind == Revision.Kind.CONFLICT
    assert conflict.value.kept.data["title"] == "Second"


def new_draft(actor, **fields) -> Post:
    edit = Edit(fields={"title": "A draft", "body": "Words.", **fields}, tag_names=[])
    return services.save_changes(actor=actor, post=Post(), edit=edit)


def test_a_new_post_is_its_writers_draft_with_a_revision(make_staff):
    contributor = make_staff("contributor")

    post = new_draft(contributor)

    assert (post.author, post.status, post.slug) == (contributor, "draft", "a-draft")
    assert post.revisions.get().data["title"] == "A draft"


def test_a_reader_can_create_nothing(make_author):
    with pytest.raises(PermissionDenied):
        new_draft(make_author("Reader"))


def test_submitting_sends_a_draft_to_review_and_only_a_draft(make_staff, make_post):
    contributor = make_staff("contributor")
    draft = new_draft(contributor)

    assert services.submit_for_review(actor=contributor, post=draft).status == "review"
    editor = make_staff("editor")
    with pytest.raises(ValidationError, match="Only a draft"):
        services.submit_for_review(actor=editor, post=make_post(author=editor))


@pytest.mark.parametrize("role", ROLES)
def test_who_may_publish_schedule_and_unpublish_someone_elses_post(role, make_staff):
    actor, writer = make_staff(role), make_staff("contributor")
    post = new_draft(writer)
    allowed = role not in ("contributor", "author")
    steps = [
        lambda: services.schedule(actor=actor, post=post, publish_at=timezone.now() + LATER),
        lambda: services.unpublish(actor=actor, post=post),
        lambda: services.publish(actor=actor, post=post),
    ]

    for step in steps:
        if allowed:
            step()
        else:
            with pytest.raises(PermissionDenied):
                step()
    assert Post.objects.get(pk=post.pk).is_published == allowed


def test_an_author_publishes_their_own_post_and_a_contributor_does_not(make_staff):
    author, contributor = make_staff("author"), make_staff("contributor")

    post = services.publish(actor=author, post=new_draft(author))
    assert post.is_published and post.status == "published"
    with pytest.raises(PermissionDenied, match="submit the post for review"):
        services.publish(actor=contributor, post=new_draft(contributor))


def test_a_contributor_cannot_edit_their_post_once_published(make_staff):
    contributor, editor = make_staff("contributor"), make_staff("editor")
    post = services.publish(actor=editor, post=new_draft(contributor))

    with pytest.raises(PermissionDenied):
        services.save_changes(actor=contributor, post=post, edit=Edit(fields={"title": "Mine"}))
    with pytest.raises(PermissionDenied):
        services.autosave(actor=contributor, post=post, fields={"title": "Mine"}, tag_names=[])


def test_publishing_a_due_scheduled_post_keeps_its_time(make_staff):
    editor = make_staff("editor")
    post = services.schedule(
        actor=editor, post=new_draft(editor), publish_at=timezone.now() + LATER
    )
    due = timezone.now() - datetime.timedelta(minutes=1)
    Post.objects.filter(pk=post.pk).update(published_at=due)

    post = services.publish(actor=editor, post=Post.objects.get(pk=post.pk))

    assert (post.status, post.published_at) == ("published", due)


@pytest.mark.parametrize(
    ("publish_at", "message"),
    [(None, "Choose the date"), (timezone.now() - LATER, "That time has passed")],
)
def test_scheduling_needs_a_time_to_come(publish_at, message, make_staff):
    editor = make_staff("editor")
    draft = new_draft(editor)

    with pytest.raises(ValidationError, match=message):
        services.schedule(actor=editor, post=draft, publish_at=publish_at)
    assert Post.objects.get(pk=draft.pk).status == "draft"


def test_a_published_post_cannot_be_scheduled(make_staff, make_post):
    editor = make_staff("editor")

    with pytest.raises(ValidationError, match="unpublish it first"):
        services.schedule(actor=editor, post=make_post(), publish_at=timezone.now() + LATER)


def test_scheduling_queues_the_publication_when_it_commits(
    make_staff, django_capture_on_commit_callbacks
):
    editor = make_staff("editor")
    when = timezone.now() + LATER

    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(actor=editor, post=new_draft(editor), publish_at=when)

    assert DBTaskResult.objects.get().run_after == when


def test_a_schedule_rolled_back_queues_nothing(make_staff, django_capture_on_commit_callbacks):
    editor = make_staff("editor")
    draft = new_draft(editor)

    with django_capture_on_commit_callbacks(execute=True) as queued:
        with contextlib.suppress(RuntimeError), transaction.atomic():
            services.schedule(actor=editor, post=draft, publish_at=timezone.now() + LATER)
            raise RuntimeError("something after it failed")
        with pytest.raises(ValidationError):
            services.schedule(actor=editor, post=draft, publish_at=timezone.now() - LATER)

    assert queued == [] and not DBTaskResult.objects.exists()
    assert Post.objects.get(pk=draft.pk).status == "draft"


def test_an_unknown_tag_is_made_only_by_those_who_may(make_staff):
    contributor, author = make_staff("contributor"), make_staff("author")

    with pytest.raises(ValidationError, match="There is no tag “Fresh”"):
        services.save_changes(
            actor=contributor, post=Post(), edit=Edit(fields={"title": "T"}, tag_names=["Fresh"])
        )
    post = services.save_changes(
        actor=author, post=Post(), edit=Edit(fields={"title": "T"}, tag_names=["Fresh"])
    )
    assert [tag.slug for tag in post.tags.all()] == ["fresh"]


def test_a_post_needs_a_title_and_an_address_of_its_own(make_staff, make_post):
    editor = make_staff("editor")
    taken = make_post("Taken")

    with pytest.raises(ValidationError, match="Give the post a title"):
        new_draft(editor, title=" ")
    with pytest.raises(ValidationError, match="already used by “Taken”"):
        new_draft(editor, slug=taken.slug)
    with pytest.raises(ValidationError, match="lowercase letters"):
        new_draft(editor, slug="Not A Slug")


def test_autosave_keeps_a_public_posts_work_aside(make_staff, make_post):
    author = make_staff("author")
    post = make_post("Live", author=author)

    services.autosave(actor=author, post=post, fields={"title": "Live, rewritten"}, tag_names=[])

    assert Post.objects.get(pk=post.pk).title == "Live"
    assert post.revisions.get().kind == Revision.Kind.AUTOSAVE


def test_autosave_from_a_copy_loaded_before_publication_changes_nothing_public(make_staff):
    author, editor = make_staff("author"), make_staff("editor")
    draft = new_draft(author)
    loaded_before = Post.objects.get(pk=draft.pk)  # the writer's editor holds this copy
    services.publish(actor=editor, post=draft)

    fields = {"title": "Half-written"}
    services.autosave(actor=author, post=loaded_before, fields=fields, tag_names=[])

    assert Post.objects.get(pk=draft.pk).title == "A draft"
    assert draft.revisions.filter(kind=Revision.Kind.AUTOSAVE).count() == 1


def test_restoring_a_revision_needs_the_right_to_change_the_post(make_staff):
    contributor, editor = make_staff("contributor"), make_staff("editor")
    post = new_draft(contributor)
    first = post.revisions.get()
    services.save_changes(actor=contributor, post=post, edit=Edit(fields={"title": "Second"}))

    services.restore_revision(actor=contributor, revision=first)
    assert Post.objects.get(pk=post.pk).title == "A draft"
    services.publish(actor=editor, post=post)
    with pytest.raises(PermissionDenied):
        services.restore_revision(actor=contributor, revision=first)
    with pytest.raises(PermissionDenied):
        services.restore_revision(actor=make_staff("author"), revision=first)


def test_trash_and_restore_are_for_those_who_may_edit(make_staff):
    contributor, other = make_staff("contributor"), make_staff("author")
    post = new_draft(contributor)

    with pytest.raises(PermissionDenied):
        services.trash_post(actor=other, post=post)
    assert services.trash_post(actor=contributor, post=post).trashed_at is not None
    with pytest.raises(PermissionDenied):
        services.restore_from_trash(actor=other, post=post)
    assert services.restore_from_trash(actor=contributor, post=post).trashed_at is None


def test_publishing_due_posts_marks_only_those_whose_time_has_come(make_staff):
    editor = make_staff("editor")
    soon = services.schedule(
        actor=editor, post=new_draft(editor), publish_at=timezone.now() + LATER
    )

    assert services.publish_due_posts() == 0
    assert services.publish_due_posts(now=soon.published_at) == 1
    assert Post.objects.get(pk=soon.pk).status == "published"


@pytest.mark.parametrize("role", ("contributor", "author"))
def test_pages_and_tags_are_for_editors_and_above(role, make_staff, make_tag):
    actor = make_staff(role)

    with pytest.raises(PermissionDenied):
        services.save_page(actor=actor, page=Page(title="About"))
    with pytest.raises(PermissionDenied):
        services.save_tag(actor=actor, tag=Tag(name="Economics"))
    with pytest.raises(PermissionDenied):
        services.delete_tag(actor=actor, tag=make_tag("Economics"))


def test_an_editor_saves_pages_and_tags_each_at_an_address_of_its_own(make_staff, make_tag):
    editor = make_staff("editor")
    make_tag("Economics")

    pages = [services.save_page(actor=editor, page=Page(title="About us")) for _ in range(2)]
    tag = services.save_tag(actor=editor, tag=Tag(name="Economics!"))

    assert [page.slug for page in pages] == ["about-us", "about-us-2"]
    assert tag.slug == "economics-2"
    services.delete_tag(actor=editor, tag=tag)
    assert not Tag.objects.filter(pk=tag.pk).exists()


def test_a_page_saved_since_the_copy_was_read_is_refused(make_staff):
    editor = make_staff("editor")
    page = services.save_page(actor=editor, page=Page(title="About", body="One"))
    read_at = page.modified_at
    services.save_page(actor=editor, page=Page.objects.get(pk=page.pk), based_on=read_at)

    stale = Page.objects.get(pk=page.pk)
    stale.body = "Two"
    with pytest.raises(services.StalePage):
        services.save_page(actor=editor, page=stale, based_on=read_at)
    assert Page.objects.get(pk=page.pk).body == "One"
