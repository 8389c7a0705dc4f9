"""The editor's save, called directly: one change, never two at once, never counts lost."""

import threading

import pytest
from django.db import connection
from django.db.models import F

from broadsheet.content.models import Post
from broadsheet.content.services import Edit, EditConflict, save_from_editor, save_post
from broadsheet.core.board import board


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
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def save(title: str) -> None:
        try:
            copy = Post.objects.get(pk=post.pk)
            start.wait()
            edit = Edit(fields={"title": title}, tag_names=[], based_on=loaded)
            save_from_editor(actor=editor, post=copy, edit=edit)
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
