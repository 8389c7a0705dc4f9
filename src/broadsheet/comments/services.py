"""Writes to comments, one action each: posting (with threading, policy and spam checks),
a commenter's own edits within a short window, stopping reply notices, moderation and
blocking a sender. Each
checks its permission first, writes in one transaction and queues the notices it calls
for on commit; the studio, the admin and the demo all come here."""

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone

from broadsheet.accounts import permissions
from broadsheet.accounts.models import User
from broadsheet.comments import notifications, selectors, signals, spam
from broadsheet.comments.models import MAX_COMMENT_LENGTH, MAX_DEPTH, BlockedSender, Comment
from broadsheet.content.models import Post
from broadsheet.core.addresses import site_origin
from broadsheet.core.markup import plain_text, render_comment, sanitize_comment_html
from broadsheet.core.models import CommentPolicy
from broadsheet.core.ratelimit import RateLimited
from broadsheet.core.selectors import get_site_settings

# How long a commenter may change or withdraw what they wrote.
EDIT_WINDOW = datetime.timedelta(minutes=15)
EDIT_SALT = "broadsheet.comments.edit"


def address_hash(address: str) -> str:
    """A keyed hash of an address, stable so that an address can be blocked; the address
    itself is never stored."""
    key = hashlib.sha256(f"comments:{settings.SECRET_KEY}".encode()).digest()
    return hashlib.blake2b(address.encode(), key=key, digest_size=32).hexdigest()


def post_comment(
    *,
    post: Post,
    name: str,
    body: str,
    email: str = "",
    parent: Comment | None = None,
    member: User | None = None,
    notify_replies: bool = False,
    submission: spam.Submission | None = None,
    approved: bool | None = None,
    created_at: datetime.datetime | None = None,
    origin: str | None = None,
) -> Comment:
    """Store a comment, sanitized, in its thread.

    A reader's comment arrives with a `submission` (its address hash, timing, agent):
    it is rate-limited, checked for spam (caught ones are kept as spam), the site's policy
    decides if it shows, and once it is saved the post's author and the commenter replied
    to hear of it, with links at `origin` (default: SITE_URL). `approved` and `created_at`
    are for content that arrives with its history (the demo, imports): it tells nobody.
    """
    if not permissions.can_comment_on(post, get_site_settings()):
        raise PermissionDenied("This post is not taking comments.")
    # Only a reader's comment tells anyone; a missing address fails here, not in the worker.
    notice_origin = (origin or site_origin()) if submission is not None else None
    if submission is not None and spam.over_rate_limit(submission.address_hash):
        raise RateLimited("You have posted several comments in a short time.")
    # Before the transaction: the spam check may ask a service over the network.
    status, reason = _first_status(
        submission=submission, approved=approved, email=email, member=member
    )
    with transaction.atomic():
        if parent is not None:
            parent = _thread_parent(post, parent)
        comment = Comment.objects.create(
            post=post,
            parent=parent,
            root=(parent.root or parent) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            name=member.public_name if member else name,
            email=member.email if member else email,
            member=member,
            notify_replies=notify_replies and bool(member.email if member else email),
            body=body,
            body_html=render_comment(body),
            status=status,
            spam_reason=reason,
            address_hash=submission.address_hash if submission else "",
            created_at=created_at or timezone.now(),
        )
        if notice_origin is not None:
            notifications.queue_notices(comment, origin=notice_origin)
        if comment.approved:
            signals.comment_published.send(Comment, comment=comment)
    return comment


@dataclass
class ArrivingComment:
    """A comment as another platform had it. In a thread given whole (`import_thread`),
    `parent` is the index of the comment it answers in the same list, or None."""

    name: str
    email: str
    author_url: str
    body_html: str
    status: str
    created_at: datetime.datetime
    parent: int | None = None


def import_comment(
    *, post: Post, comment: Comment | None, parent: Comment | None, arriving: ArrivingComment
) -> Comment:
    """Write (or update) a comment that arrives with its history from another platform.

    The importer has checked its own permission; nothing here tells anyone, applies the
    policy or the spam checks (the source decided the comment's state), or asks whether
    the post takes comments now. Threads follow the same depth rule as a reader's reply.
    """
    while parent is not None and parent.depth >= MAX_DEPTH and parent.parent is not None:
        parent = parent.parent
    comment = _imported_fields(comment or Comment(post=post), arriving, parent=parent)
    comment.save()
    return comment


def import_thread(*, post: Post, comments: list[ArrivingComment]) -> list[Comment]:
    """Write a post's new comments at once (an import), in as many inserts as the thread
    is deep: the same fields and depth rule as `import_comment`, for thousands of posts.
    Returns the saved comments in the order given."""
    depth: dict[int, int] = {}
    parent_of: dict[int, int | None] = {}
    for start in range(len(comments)):
        chain = []  # from `start` up to the first comment already placed (or a top one)
        n: int | None = start
        while n is not None and n not in depth and n not in chain:
            chain.append(n)
            n = comments[n].parent
            if n is not None and not 0 <= n < len(comments):
                n = None
        if n is not None and n not in depth:  # a loop: its first comment is a top one
            depth[chain[-1]], parent_of[chain[-1]] = 0, None
            chain.pop()
        for n in reversed(chain):
            parent = comments[n].parent
            parent = parent if parent in depth else None
            if parent is not None and depth[parent] >= MAX_DEPTH:
                parent = parent_of[parent]  # replies to the deepest level join its thread
            parent_of[n], depth[n] = parent, depth[parent] + 1 if parent is not None else 0

    rows = [_imported_fields(Comment(post=post), arriving, parent=None) for arriving in comments]
    for level in range(MAX_DEPTH + 1):
        batch = [n for n in range(len(comments)) if depth[n] == level]
        if not batch:
            break  # no comment this deep, so none deeper
        for n in batch:
            if (parent := parent_of[n]) is not None:
                rows[n].parent = rows[parent]
                rows[n].root = rows[parent].root or rows[parent]
                rows[n].depth = level
        Comment.objects.bulk_create([rows[n] for n in batch])
    return rows


def _imported_fields(
    comment: Comment, arriving: ArrivingComment, *, parent: Comment | None
) -> Comment:
    """A comment's fields as it arrives from elsewhere, checked and sanitized."""
    comment.parent = parent
    comment.root = (parent.root or parent) if parent else None
    comment.depth = parent.depth + 1 if parent else 0
    name = arriving.name.strip()
    comment.name = name[: Comment._meta.get_field("name").max_length] or "Anonymous"
    comment.email = arriving.email if _is_email(arriving.email) else ""
    comment.author_url = arriving.author_url if _is_web_address(arriving.author_url) else ""
    comment.body_html = sanitize_comment_html(arriving.body_html)
    comment.body = plain_text(comment.body_html)[:MAX_COMMENT_LENGTH]
    comment.status = arriving.status
    comment.created_at = arriving.created_at
    return comment


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return len(value) <= (Comment._meta.get_field("email").max_length or 0)


def _is_web_address(value: str) -> bool:
    if not value.lower().startswith(("http://", "https://")):
        return False
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return False
    return len(value) <= (Comment._meta.get_field("author_url").max_length or 0)


def _first_status(
    *,
    submission: spam.Submission | None,
    approved: bool | None,
    email: str,
    member: User | None,
) -> tuple[str, str]:
    """(status, spam reason) of a new comment: spam if caught, else as `approved` or the
    site's policy says."""
    if submission is not None:
        reason = spam.spam_reason(submission, blocked_words=get_site_settings().blocked_words)
        if reason:
            return Comment.Status.SPAM, reason
    if approved is None:
        approved = _policy_lets_through(email=email, member=member)
    return (Comment.Status.APPROVED if approved else Comment.Status.PENDING), ""


def _thread_parent(post: Post, parent: Comment) -> Comment:
    """The comment a reply hangs under: one that still takes replies (`selectors.replyable`);
    replies to the deepest level join its thread."""
    if not selectors.replyable(post).filter(pk=parent.pk).exists():
        raise ValidationError("That comment can no longer be replied to.")
    while parent.depth >= MAX_DEPTH and parent.parent is not None:
        parent = parent.parent
    return parent


def _policy_lets_through(*, email: str, member: User | None) -> bool:
    policy = get_site_settings().comment_policy
    if policy == CommentPolicy.HOLD_FIRST:
        earlier = Comment.objects.approved()
        if member is not None:
            return earlier.filter(member=member).exists()
        return bool(email) and earlier.filter(email__iexact=email).exists()
    return policy == CommentPolicy.OPEN


def edit_key(comment: Comment) -> str:
    """Given to the commenter when they post: lets them edit or withdraw for a while."""
    return signing.TimestampSigner(salt=EDIT_SALT).sign(str(comment.pk))


def check_edit_key(comment: Comment, key: str) -> None:
    try:
        value = signing.TimestampSigner(salt=EDIT_SALT).unsign(key, max_age=EDIT_WINDOW)
    except signing.SignatureExpired as error:
        raise PermissionDenied("The time to change this comment has passed.") from error
    except signing.BadSignature as error:
        raise PermissionDenied("This link does not let you change that comment.") from error
    if value != str(comment.pk) or comment.withdrawn:
        raise PermissionDenied("This link does not let you change that comment.")


def edit_own_comment(*, comment: Comment, key: str, body: str) -> Comment:
    """The commenter changes their text, within the edit window, by the key they were given."""
    check_edit_key(comment, key)
    with transaction.atomic():
        comment.body, comment.body_html = body, render_comment(body)
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "body_html", "edited_at"])
    return comment


def withdraw_own_comment(*, comment: Comment, key: str) -> Comment:
    """The text goes; the place stays (marked withdrawn) so that replies keep their thread."""
    check_edit_key(comment, key)
    with transaction.atomic():
        comment.body = comment.body_html = ""
        comment.withdrawn = True
        comment.save(update_fields=["body", "body_html", "withdrawn"])
    return comment


def stop_reply_notices(*, token: str) -> Comment:
    """The commenter, by the link in a reply notice, hears of no more replies to this comment."""
    comment = notifications.comment_from_stop_token(token)
    if comment is None:
        raise PermissionDenied("This link does not stop any notices.")
    with transaction.atomic():
        # An update, not a save: readers never see this flag, so stored pages stay.
        Comment.objects.filter(pk=comment.pk).update(notify_replies=False)
    comment.notify_replies = False
    return comment


class Moderation:
    APPROVE = "approve"
    HOLD = "hold"  # back to the queue; Django's admin can set any status
    REJECT = "reject"
    SPAM = "spam"
    DELETE = "delete"
    BLOCK_ADDRESS = "block_address"
    BLOCK_EMAIL = "block_email"


STATUS_FOR = {
    Moderation.APPROVE: Comment.Status.APPROVED,
    Moderation.HOLD: Comment.Status.PENDING,
    Moderation.REJECT: Comment.Status.REJECTED,
    Moderation.SPAM: Comment.Status.SPAM,
}


def moderate(*, actor: User, comment: Comment, action: str, origin: str | None = None) -> str:
    """Apply a moderator's decision; returns a sentence saying what happened.

    A comment that becomes approved may now be told of: the commenter it replies to hears
    of it once the change is saved, with links at `origin` (default: SITE_URL).
    """
    if action in (Moderation.BLOCK_ADDRESS, Moderation.BLOCK_EMAIL):
        by_email = action == Moderation.BLOCK_EMAIL
        moved = block_sender(actor=actor, comment=comment, by_email=by_email)
        return f"Blocked; {moved} comment{'s' if moved != 1 else ''} from them moved to spam."
    if not permissions.can(actor, permissions.Action.MODERATE_COMMENTS):
        raise PermissionDenied("Your role cannot moderate comments.")
    if action == Moderation.DELETE:
        with transaction.atomic():
            comment.delete()
        return f"Comment by {comment.name} deleted, with its replies."
    if action not in STATUS_FOR:
        raise ValidationError(f"Unknown action: {action}")
    newly_approved = action == Moderation.APPROVE and not comment.approved
    notice_origin = (origin or site_origin()) if newly_approved else None
    with transaction.atomic():
        comment.status = STATUS_FOR[action]
        comment.save(update_fields=["status"])
        if notice_origin is not None:
            notifications.queue_notices(comment, origin=notice_origin, tell_author=False)
            signals.comment_published.send(Comment, comment=comment)
    return f"Comment by {comment.name}: {comment.get_status_display().lower()}."


def block_sender(*, actor: User, comment: Comment, by_email: bool) -> int:
    """Block the sender of `comment` (by address, or by email) so their next comments go
    to spam, and move all they sent to spam now. Returns how many comments moved."""
    if not permissions.can(actor, permissions.Action.BLOCK_SENDER):
        raise PermissionDenied("Your role cannot block senders.")
    if by_email and not comment.email:
        raise ValidationError("This comment has no email address to block.")
    if not by_email and not comment.address_hash:
        raise ValidationError("This comment has no address to block.")
    with transaction.atomic():
        if by_email:
            BlockedSender.objects.get_or_create(email=comment.email.lower(), created_by=actor)
            theirs = Comment.objects.filter(email__iexact=comment.email)
        else:
            BlockedSender.objects.get_or_create(address_hash=comment.address_hash, created_by=actor)
            theirs = Comment.objects.filter(address_hash=comment.address_hash)
        moved = 0
        for each in theirs.exclude(status=Comment.Status.SPAM):
            each.status = Comment.Status.SPAM
            each.save(update_fields=["status"])  # saved one by one: pages showing them refresh
            moved += 1
    return moved
