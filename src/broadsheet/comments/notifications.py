"""Email about comments: the post's author hears of new ones (if they want), and a
commenter who asked hears of replies, with a one-click way to stop."""

from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from broadsheet.comments.models import Comment

_STOP_SALT = "broadsheet.comments.stop-notices"


def stop_token(comment: Comment) -> str:
    return signing.Signer(salt=_STOP_SALT).sign(str(comment.pk))


def comment_from_stop_token(token: str) -> Comment | None:
    try:
        pk = signing.Signer(salt=_STOP_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Comment.objects.filter(pk=pk).first()


def queue_notices(comment: Comment, *, origin: str, tell_author: bool = True) -> None:
    """Queue the notices a new comment (or, with tell_author=False, a newly approved one)
    calls for, once it is saved. Spam tells nobody."""
    from broadsheet.comments import tasks

    if comment.status == Comment.Status.SPAM:
        return
    transaction.on_commit(lambda: tasks.notify.enqueue(comment.pk, origin, tell_author))


def send_notices(comment: Comment, *, origin: str, tell_author: bool = True) -> int:
    """Send what is due for `comment`; returns how many messages went out."""
    sent = 0
    author = comment.post.author
    wanted = tell_author and author.notify_comments and author.email
    if wanted and comment.member_id != author.pk:
        sent += _send(
            "comments/email/new_comment.txt",
            to=author.email,
            subject=f"New comment on “{comment.post.title}”",
            comment=comment,
            link=origin + (reverse("studio:comments") + f"?status={comment.status}"),
        )
    parent = comment.parent
    if (
        comment.approved
        and parent is not None
        and parent.notify_replies
        and parent.email
        and parent.email.lower() != comment.email.lower()
    ):
        stop = reverse("comments:stop_notices", args=[stop_token(parent)])
        sent += _send(
            "comments/email/reply.txt",
            to=parent.email,
            subject=f"A reply to your comment on “{comment.post.title}”",
            comment=comment,
            link=origin + comment.get_absolute_url(),
            stop=origin + stop,
        )
    return sent


def _send(template: str, *, to: str, subject: str, **context) -> int:
    body = render_to_string(template, context)
    headers = {"List-Unsubscribe": f"<{context['stop']}>"} if "stop" in context else {}
    return EmailMessage(subject, body, to=[to], headers=headers).send()
