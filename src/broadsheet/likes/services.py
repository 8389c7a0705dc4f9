"""Liking and taking a like back: rate-limited, one transaction, counts moved in the database."""

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.http import Http404

from broadsheet.comments.models import Comment
from broadsheet.content.models import Post
from broadsheet.core.board import board
from broadsheet.core.ratelimit import RateLimited
from broadsheet.likes import ratelimit
from broadsheet.likes.models import Like
from broadsheet.likes.readers import reader_key
from broadsheet.likes.selectors import likeable_comments, likeable_posts


def toggle_like(
    *, reader_id: str, address: str, post: Post | None = None, comment: Comment | None = None
) -> tuple[bool, int]:
    """Like the post or comment for this reader, or take the like back if there is one.

    Returns (liked now, new count). Every attempt counts against the per-minute limits of
    the reader and of `address` (the client's); past them it raises `RateLimited`. The count
    moves with `like_count = like_count ± 1`, so concurrent likes never overwrite each other;
    a second insert for the same reader (two tabs at once) hits the unique constraint and
    counts as "already liked". Raises Http404 unless the thing is public (published post,
    approved comment on one).
    """
    if (post is None) == (comment is None):
        raise ValueError("Like exactly one of a post or a comment.")
    # The rate limiter keeps only hashes of what it counts.
    if not ratelimit.allow_toggle(reader=reader_id, address=address):
        raise RateLimited("That was a lot of likes at once. Please try again in a minute.")
    if post is not None:
        target: dict = {"post_id": post.pk}
        counted: models.QuerySet = likeable_posts().filter(pk=post.pk)
    else:
        assert comment is not None  # exactly one of the two, checked above
        target = {"comment_id": comment.pk}
        counted = likeable_comments().filter(pk=comment.pk)
    key = reader_key(reader_id)

    # A count write: stored pages read counts afresh from here on (`core.board`).
    with board().counts_write(), transaction.atomic():
        if not counted.exists():
            raise Http404("Nothing public to like here.")
        removed, _ = Like.objects.filter(reader_key=key, **target).delete()
        if removed:
            # The guard keeps a hand-edited count from going below zero.
            counted.filter(like_count__gt=0).update(like_count=F("like_count") - 1)
            liked_now = False
        else:
            try:
                with transaction.atomic():
                    Like.objects.create(reader_key=key, **target)
            except IntegrityError:
                # Another request from this browser liked it first: leave the count alone.
                pass
            else:
                counted.update(like_count=F("like_count") + 1)
            liked_now = True
        count = counted.values_list("like_count", flat=True).get()
    return liked_now, count
