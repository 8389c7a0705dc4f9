import datetime

from django.utils import timezone

from broadsheet.comments.models import Comment
from broadsheet.content.models import Post
from broadsheet.core.markup import render_comment
from broadsheet.core.models import CommentPolicy
from broadsheet.core.selectors import get_site_settings


def post_comment(
    *,
    post: Post,
    name: str,
    body: str,
    approved: bool | None = None,
    created_at: datetime.datetime | None = None,
) -> Comment:
    """Store a comment, sanitized; unless told otherwise, the site's policy decides if it shows.

    `approved` and `created_at` are for content that arrives with its history (the demo,
    imports); a reader's new comment leaves them out.
    """
    if approved is None:
        approved = _policy_lets_through(post=post, name=name)
    return Comment.objects.create(
        post=post,
        name=name,
        body=body,
        body_html=render_comment(body),
        status=Comment.Status.APPROVED if approved else Comment.Status.PENDING,
        created_at=created_at or timezone.now(),
    )


def _policy_lets_through(*, post: Post, name: str) -> bool:
    policy = get_site_settings().comment_policy
    if policy == CommentPolicy.HOLD_FIRST:
        return Comment.objects.approved().filter(name=name).exists()
    return policy == CommentPolicy.OPEN
