"""Which writes move the content generation on: public changes do, private ones must not
(a writer's autosaves would otherwise empty every reader's stored pages every few seconds)."""

import datetime

import pytest
from django.contrib.auth.models import update_last_login
from django.utils import timezone

from broadsheet.content import services
from broadsheet.content.models import Post
from broadsheet.content.services import Edit, autosave, save_changes
from broadsheet.core.board import board
from broadsheet.fastpath.invalidation import private_writes


@pytest.fixture
def bumps(django_capture_on_commit_callbacks):
    """Run `action` and say whether the content generation moved."""

    def moved(action) -> bool:
        before = board().read().content
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return board().read().content != before

    return moved


@pytest.fixture
def writer(make_staff):
    return make_staff("author")


def new_draft(writer) -> Post:
    edit = Edit(fields={"title": "Draft", "body": "B"}, tag_names=[])
    return save_changes(actor=writer, post=Post(), edit=edit)


def test_autosaving_a_draft_changes_nothing_public(bumps, writer):
    post = new_draft(writer)

    assert not bumps(lambda: autosave(actor=writer, post=post, fields={"body": "C"}, tag_names=[]))


def test_autosaving_a_published_post_changes_nothing_public(bumps, writer, make_post):
    post = make_post(author=writer)

    assert not bumps(lambda: autosave(actor=writer, post=post, fields={"body": "C"}, tag_names=[]))


def test_publishing_and_editing_a_published_post_do(bumps, writer):
    post = new_draft(writer)
    assert bumps(lambda: services.publish(actor=writer, post=post))
    edit = Edit(fields={"body": "New"}, tag_names=[])
    assert bumps(lambda: save_changes(actor=writer, post=post, edit=edit))


def test_scheduling_does_so_the_fast_path_learns_the_time(bumps, writer):
    post = new_draft(writer)
    when = timezone.now() + datetime.timedelta(hours=1)
    assert bumps(lambda: services.schedule(actor=writer, post=post, publish_at=when))


def test_unpublishing_does_though_the_post_is_a_draft_now(bumps, writer, make_post):
    post = make_post(author=writer)

    assert bumps(lambda: services.unpublish(actor=writer, post=post))
    assert post.status == Post.Status.DRAFT and not post.is_published


def test_saving_tags_on_a_draft_changes_nothing_public(bumps, writer, make_tag):
    post = new_draft(writer)
    make_tag("Economics")
    edit = Edit(fields={"body": "C"}, tag_names=["Economics"])

    assert not bumps(lambda: save_changes(actor=writer, post=post, edit=edit))
    assert [tag.name for tag in post.tags.all()] == ["Economics"]


def test_a_private_write_announced_as_such_changes_nothing(bumps, make_tag):
    tag = make_tag("Economics")
    tag.description = "Money."

    with private_writes():
        assert not bumps(tag.save)
    assert bumps(tag.save)  # the same write, not announced private


def test_signing_in_does_not(bumps, writer):
    assert not bumps(lambda: update_last_login(None, writer))


def test_a_profile_change_does(bumps, writer):
    writer.display_name = "New Name"

    assert bumps(writer.save)
