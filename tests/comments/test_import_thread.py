"""Threads that arrive whole (imports): the same depth rule as a reader's reply, any order,
and no loop or dangling parent can break the write."""

import datetime

import pytest

from broadsheet.comments.models import MAX_DEPTH, Comment
from broadsheet.comments.services import ArrivingComment, import_thread

WHEN = datetime.datetime(2022, 4, 13, 9, 0, tzinfo=datetime.UTC)


def arriving(name: str, parent: int | None = None) -> ArrivingComment:
    return ArrivingComment(
        name=name, email="", author_url="", body_html=f"<p>{name}</p>", status="approved",
        created_at=WHEN, parent=parent,
    )  # fmt: skip


@pytest.mark.django_db
def test_a_long_chain_is_cut_at_the_deepest_level_as_replies_are(post):
    # Children first: c7 at position 0 answers c6 at position 1, ..., c0 is last.
    chain = [arriving(f"c{7 - p}", parent=p + 1 if p < 7 else None) for p in range(8)]
    saved = import_thread(post=post, comments=chain)

    by_name = {c.name: c for c in Comment.objects.all()}
    assert [by_name[f"c{n}"].depth for n in range(8)] == [0, 1, 2, 3, 3, 3, 3, 3][:8]
    assert by_name["c4"].parent == by_name["c2"] and by_name["c7"].root == by_name["c0"]
    assert max(c.depth for c in saved) == MAX_DEPTH


@pytest.mark.django_db
def test_a_loop_and_a_dangling_parent_become_top_comments(post):
    saved = import_thread(
        post=post,
        comments=[arriving("a", parent=1), arriving("b", parent=0), arriving("c", parent=99)],
    )

    assert len(saved) == Comment.objects.count() == 3
    assert Comment.objects.get(name="c").parent is None
    assert sorted(c.depth for c in Comment.objects.filter(name__in="ab")) == [0, 1]
