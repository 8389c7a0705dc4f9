"""Each of Ghost's events reaches a real local receiver, from the action that causes it,
with the object as the Content API shows it."""

import datetime
import hashlib
import hmac
import json
import time

import pytest
from django.test import override_settings
from django.utils import timezone

from broadsheet.comments.services import moderate, post_comment
from broadsheet.content import services as content
from broadsheet.content.models import Page, Post
from broadsheet.integrations import services
from broadsheet.integrations.models import Event
from broadsheet.members.services import complete_login, make_login_token
from broadsheet.newsletter.models import Subscriber
from broadsheet.newsletter.services import confirm_subscription, confirm_token

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def follow(issued, receiver):
    integration, _ = issued

    def follow(*events: str, secret: str = "s3cret") -> None:
        for event in events:
            services.add_webhook(
                actor=None,
                integration=integration,
                event=event,
                target_url=receiver.url(f"/{event}"),
                secret=secret,
            )

    return follow


def received(receiver) -> list[tuple[str, dict]]:
    return [(request.path.lstrip("/"), json.loads(request.body)) for request in receiver.requests]


def draft(editor, title="Belarus and the war") -> Post:
    return content.save_changes(
        actor=editor, post=Post(), edit=content.Edit(fields={"title": title, "body": "Words."})
    )


@override_settings(SITE_URL="https://example.org")
def test_publishing_editing_unpublishing_and_trashing_tell_their_webhooks(
    follow, receiver, run_tasks, make_staff
):
    follow(*[e for e in Event.values if e.startswith("post.")])
    editor = make_staff("editor")
    post = draft(editor)
    run_tasks()
    assert received(receiver) == []  # a draft is nobody's news

    content.publish(actor=editor, post=post)
    content.save_changes(actor=editor, post=post, edit=content.Edit(fields={"title": "New"}))
    content.unpublish(actor=editor, post=post)
    content.publish(actor=editor, post=post)
    content.trash_post(actor=editor, post=post)
    run_tasks()

    events = [path for path, _ in received(receiver)]
    assert events == [
        "post.published",
        "post.published.edited",
        "post.unpublished",
        "post.published",
        "post.unpublished",
        "post.deleted",
    ]
    first = received(receiver)[0][1]["post"]["current"]
    assert first["title"] == "Belarus and the war"
    assert first["url"] == f"https://example.org/posts/{post.slug}/"
    assert first["id"] == f"{post.pk:024x}" and first["authors"][0]["name"]
    deleted = received(receiver)[-1][1]["post"]
    assert deleted["current"] == {} and deleted["previous"]["title"] == "New"


def test_a_delivery_is_signed_as_ghost_signs(follow, receiver, run_tasks, make_staff):
    follow(Event.POST_PUBLISHED, secret="s3cret")
    editor = make_staff("editor")
    content.publish(actor=editor, post=draft(editor))
    run_tasks()

    (request,) = receiver.requests
    signature, timestamp = request.headers["X-Ghost-Signature"].split(", ")
    expected = hmac.new(
        b"s3cret", request.body + timestamp.removeprefix("t=").encode(), hashlib.sha256
    )
    assert signature == f"sha256={expected.hexdigest()}"


def test_a_scheduled_post_is_published_news_when_its_time_comes(
    follow, receiver, run_tasks, make_staff
):
    follow(Event.POST_PUBLISHED)
    editor = make_staff("editor")
    post = draft(editor)
    soon = timezone.now() + datetime.timedelta(seconds=1)
    content.schedule(actor=editor, post=post, publish_at=soon)
    assert content.publish_due_posts() == 0
    time.sleep(max(0, (soon - timezone.now()).total_seconds()) + 0.05)
    assert content.publish_due_posts() == 1
    run_tasks()

    assert [path for path, _ in received(receiver)] == ["post.published"]


def test_a_page_a_comment_and_a_member_each_have_their_event(
    follow, receiver, run_tasks, make_staff, post
):
    follow(Event.PAGE_PUBLISHED, Event.COMMENT_ADDED)
    owner = make_staff("owner")
    page = content.save_page(actor=owner, page=Page(title="About", status="published"))
    content.save_page(actor=owner, page=page)  # saved again: not news
    held = post_comment(
        post=post,
        name="Ann",
        email="ann@example.org",
        body="First!",
        approved=False,
        origin="https://example.org",
    )
    run_tasks()
    assert [path for path, _ in received(receiver)] == ["page.published"]

    moderate(actor=owner, comment=held, action="approve", origin="https://example.org")
    run_tasks()

    path, payload = received(receiver)[-1]
    assert path == "comment.added"
    assert payload["comment"]["current"]["post"]["slug"] == post.slug
    assert "First!" in payload["comment"]["current"]["html"]


def test_a_revoked_integration_hears_nothing(issued, follow, receiver, run_tasks, make_staff):
    follow(Event.POST_PUBLISHED)
    services.revoke_integration(actor=None, integration=issued[0])
    editor = make_staff("editor")
    content.publish(actor=editor, post=draft(editor))
    run_tasks()

    assert receiver.requests == []


def test_a_new_reader_is_a_member_added_once(follow, receiver, run_tasks):
    follow(Event.MEMBER_ADDED)

    member = complete_login(token=make_login_token(email="ann@example.org", name="Ann"))
    complete_login(token=make_login_token(email="ann@example.org", user=member))  # again
    subscriber = Subscriber.objects.create(email="bo@example.org")
    confirm_subscription(token=confirm_token(subscriber))
    run_tasks()

    members = [payload["member"]["current"] for _, payload in received(receiver)]
    assert [(m["email"], m["name"]) for m in members] == [
        ("ann@example.org", "Ann"),
        ("bo@example.org", None),
    ]


@override_settings(SITE_URL="https://example.org")
def test_a_published_post_s_event_carries_its_predictions(follow, receiver, run_tasks, make_staff):
    follow("post.published")
    editor = make_staff("editor")
    body = "```prediction\nThe ceasefire will hold.\nprobability: 30%\nresolves: 2031-06-30\n```\n"
    post = content.save_changes(
        actor=editor, post=Post(), edit=content.Edit(fields={"title": "Truce", "body": body})
    )

    content.publish(actor=editor, post=post)  # the record is made before the event is told
    run_tasks()

    [(_, payload)] = received(receiver)
    [prediction] = payload["post"]["current"]["predictions"]
    assert (prediction["statement"], prediction["probability"]) == ("The ceasefire will hold.", 0.3)
    assert prediction["url"] == f"https://example.org{post.get_absolute_url()}#prediction-1"
