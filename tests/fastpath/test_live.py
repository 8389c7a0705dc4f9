"""A stored page's counts, filled as it is served (`fastpath.live.LiveBody`)."""

import threading

import pytest

from broadsheet.content.models import Post
from broadsheet.core.board import board
from broadsheet.fastpath import live
from broadsheet.fastpath.live import LiveBody


def like_count_page(post: Post) -> LiveBody:
    return LiveBody(live.marked("1 like", "post", post.pk, "likes").encode(), "en")


@pytest.mark.django_db(transaction=True)  # two threads, two connections: committed rows
def test_a_reader_never_gets_older_counts_while_another_thread_fills_new_ones(post, monkeypatch):
    """Thread A has read the new counts and is filling them in; a reader at the same counts
    version meanwhile gets the new counts, not the answer from before the like."""
    Post.objects.filter(pk=post.pk).update(like_count=1)
    page = like_count_page(post)
    assert b">1 like<" in page.rendition(board().read().counts).body
    with board().counts_write():
        Post.objects.filter(pk=post.pk).update(like_count=2)
    version = board().read().counts
    assert version is not None

    filling, go_on = threading.Event(), threading.Event()
    real_count_text = live.count_text

    def count_text_paused_in_thread_a(*args, **kwargs):
        # A pause, not a stand-in: thread A stops where it fills in the counts it has read.
        if threading.current_thread().name == "A":
            filling.set()
            go_on.wait(timeout=10)
        return real_count_text(*args, **kwargs)

    monkeypatch.setattr(live, "count_text", count_text_paused_in_thread_a)
    answers = {}
    thread_a = threading.Thread(
        name="A", target=lambda: answers.update(a=page.rendition(version).body)
    )
    thread_a.start()
    try:
        assert filling.wait(timeout=10)
        answers["b"] = page.rendition(version).body
    finally:
        go_on.set()
        thread_a.join(timeout=10)

    assert b">2 likes<" in answers["a"]
    assert b">2 likes<" in answers["b"]
