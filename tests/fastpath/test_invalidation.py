"""Which writes move the content generation on: public changes do, private ones must not
(a writer's autosaves would otherwise empty every reader's stored pages every few seconds)."""

import datetime

import pytest
from django.contrib.auth.models import update_last_login
from django.utils import timezone

from broadsheet.content.models import Post
from broadsheet.content.services import Edit, autosave, save_from_editor
from broadsheet.core.board import board


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
    return save_from_editor(actor=writer, post=Post(), edit=edit)


def test_autosaving_a_draft_changes_nothing_public(bumps, writer):
    post = new_draft(writer)

    assert not bumps(lambda: autosave(actor=writer, post=post, fields={"body": "C"}, tag_names=[]))


def test_autosaving_a_published_post_changes_nothing_public(bumps, writer, make_post):
    post = make_post(author=writer)

    assert not bumps(lambda: autosave(actor=writer, post=post, fields={"body": "C"}, tag_names=[]))


def test_publishing_and_editing_a_published_post_do(bumps, writer):
    post = new_draft(writer)
    publish = Edit(fields={}, tag_names=[], action="publish")

    assert bumps(lambda: save_from_editor(actor=writer, post=post, edit=publish))
    edit = Edit(fields={"body": "New"}, tag_names=[])
    assert bumps(lambda: save_from_editor(actor=writer, post=post, edit=edit))


def test_scheduling_does_so_the_fast_path_learns_the_time(bumps, writer):
    post = new_draft(writer)
    when = timezone.now() + datetime.timedelta(hours=1)
    edit = Edit(fields={}, tag_names=[], action="schedule", publish_at=when)

    assert bumps(lambda: save_from_editor(actor=writer, post=post, edit=edit))


def test_signing_in_does_not(bumps, writer):
    assert not bumps(lambda: update_last_login(None, writer))


def test_a_profile_change_does(bumps, writer):
    writer.display_name = "New Name"

    assert bumps(writer.save)
