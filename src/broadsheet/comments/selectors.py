"""Reads of comments: a page of threads for the post page, which comments take replies,
the moderation queue."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from broadsheet.comments.models import Comment, CommentQuerySet
from broadsheet.content.models import Post
from broadsheet.core.numbers import parse_number

THREADS_PER_PAGE = 50


@dataclass
class Node:
    comment: Comment
    replies: list["Node"] = field(default_factory=list)


@dataclass
class ThreadPage:
    threads: list[Node]
    number: int
    has_next: bool
    total: int  # approved comments on the post, every page


def thread_page(post: Post, page: int = 1) -> ThreadPage:
    """A page of threads, oldest first, each with all its replies: at most three queries
    however many comments (top comments of the page, their replies, and a count when
    there is more than one page)."""
    approved = Comment.objects.approved().filter(post=post)
    start = (max(page, 1) - 1) * THREADS_PER_PAGE
    tops = list(approved.filter(root__isnull=True)[start : start + THREADS_PER_PAGE + 1])
    has_next = len(tops) > THREADS_PER_PAGE
    tops = tops[:THREADS_PER_PAGE]
    replies = list(approved.filter(root__in=[c.pk for c in tops])) if tops else []
    nodes = {c.pk: Node(c) for c in [*tops, *replies]}
    for reply in replies:
        if reply.parent_id in nodes:
            nodes[reply.parent_id].replies.append(nodes[reply.pk])
    threads = [nodes[c.pk] for c in tops]
    visible = [node for node in threads if _worth_showing(node)]
    if has_next or page > 1:
        total = approved.filter(withdrawn=False).count()
    else:  # everything is on this page: no need to ask
        total = sum(not c.withdrawn for c in [*tops, *replies])
    return ThreadPage(threads=visible, number=page, has_next=has_next, total=total)


def _worth_showing(node: Node) -> bool:
    """A withdrawn comment stays only as a placeholder that holds its replies."""
    node.replies = [reply for reply in node.replies if _worth_showing(reply)]
    return not node.comment.withdrawn or bool(node.replies)


def replyable(post: Post) -> CommentQuerySet:
    """The comments on `post` that take replies: approved, not withdrawn. The one rule for
    the reply form (`reply_target`) and for posting a reply (`services.post_comment`)."""
    return Comment.objects.approved().filter(post=post, withdrawn=False)


def reply_target(post: Post, pk: str) -> Comment | None:
    """The comment a reader chose to reply to, if it can still take replies."""
    if (number := parse_number(pk)) is None:
        return None
    return replyable(post).filter(pk=number).first()


def moderation_queue(status: str) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(status=status)
        .select_related("post", "parent")
        .order_by("-created_at", "-id")
    )
