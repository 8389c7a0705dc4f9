"""Ghost's webhook events, from what the actions announce (`content.signals`,
`comments.signals`, `accounts.signals`), each with the object as the Content API shows it.

Payloads are Ghost's: `{"post": {"current": {...}, "previous": {...}}}`. Addresses in them
are absolute when BROADSHEET_SITE_URL is set (a write outside a request has no other way
to know the site's address), else relative.
"""

from typing import Any

from django.conf import settings
from django.db.models.signals import pre_delete

from broadsheet.accounts.models import User
from broadsheet.accounts.signals import member_added
from broadsheet.api import ids, serializers
from broadsheet.api.params import Options
from broadsheet.comments.models import Comment
from broadsheet.comments.signals import comment_published
from broadsheet.content.models import Page, Post
from broadsheet.content.signals import page_changed, post_changed
from broadsheet.integrations.models import Event
from broadsheet.integrations.webhooks import followed, queue_event
from broadsheet.predictions.rendering import in_text

FULL = Options(include=frozenset({"tags", "authors"}), formats=frozenset({"html", "plaintext"}))


def _origin() -> str:
    return settings.SITE_URL.rstrip("/") if settings.SITE_URL else ""


def _post(post: Post) -> dict[str, Any]:
    predictions = in_text([post]).get(post.pk, [])
    return serializers.post_object(post, origin=_origin(), options=FULL, predictions=predictions)


def on_post_changed(sender, *, post: Post, was_public: bool, trashed: bool, **kwargs) -> None:
    is_public = post.is_published and not trashed
    events = []
    if was_public and not is_public:
        events.append(Event.POST_UNPUBLISHED)
    if trashed:
        events.append(Event.POST_DELETED)
    elif is_public:
        events.append(Event.POST_PUBLISHED_EDITED if was_public else Event.POST_PUBLISHED)
    wanted = followed(events)
    if not wanted:
        return
    current = _post(post)
    for event in events:
        if event in wanted:
            if event == Event.POST_DELETED:
                payload = {"post": {"current": {}, "previous": current}}
            else:
                payload = {"post": {"current": current, "previous": {}}}
            queue_event(event, payload)


def on_post_deleted(sender, *, instance: Post, **kwargs) -> None:
    """A post deleted for good (the admin): its last state goes with the event."""
    if followed([Event.POST_DELETED]):
        queue_event(Event.POST_DELETED, {"post": {"current": {}, "previous": _post(instance)}})


def on_page_changed(sender, *, page: Page, was_published: bool, **kwargs) -> None:
    if page.status != Page.Status.PUBLISHED or was_published:
        return
    if followed([Event.PAGE_PUBLISHED]):
        current = serializers.page_object(page, origin=_origin(), options=FULL)
        queue_event(Event.PAGE_PUBLISHED, {"page": {"current": current, "previous": {}}})


def on_comment_published(sender, *, comment: Comment, **kwargs) -> None:
    if not followed([Event.COMMENT_ADDED]):
        return
    post = comment.post
    current = {
        "id": ids.encode(comment.pk),
        "post_id": ids.encode(post.pk),
        "parent_id": ids.encode(comment.parent_id) if comment.parent_id else None,
        "status": "published",
        "html": comment.body_html,
        "created_at": serializers.timestamp(comment.created_at),
        "member": {"name": comment.name},
        "post": {
            "id": ids.encode(post.pk),
            "title": post.title,
            "slug": post.slug,
            "url": _origin() + post.get_absolute_url(),
        },
    }
    queue_event(Event.COMMENT_ADDED, {"comment": {"current": current, "previous": {}}})


def on_member_added(
    sender, *, user: User | None = None, email: str = "", name: str = "", **kwargs
) -> None:
    if not followed([Event.MEMBER_ADDED]):
        return
    current = {
        "id": ids.encode(user.pk) if user else None,
        "email": user.email if user else email,
        "name": user.public_name if user else (name or None),
        "status": "free",
        "created_at": serializers.timestamp(user.date_joined) if user else None,
    }
    queue_event(Event.MEMBER_ADDED, {"member": {"current": current, "previous": {}}})


def connect() -> None:
    post_changed.connect(on_post_changed, dispatch_uid="api.events.post")
    pre_delete.connect(on_post_deleted, sender=Post, dispatch_uid="api.events.post_deleted")
    page_changed.connect(on_page_changed, dispatch_uid="api.events.page")
    comment_published.connect(on_comment_published, dispatch_uid="api.events.comment")
    member_added.connect(on_member_added, dispatch_uid="api.events.member")
