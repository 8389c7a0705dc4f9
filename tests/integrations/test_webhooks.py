"""Webhook deliveries against a real local HTTP server, through the real task queue."""

import datetime
import hashlib
import hmac
import json
import re
import time

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from broadsheet.integrations import services, webhooks
from broadsheet.integrations.models import WebhookDelivery
from broadsheet.integrations.tasks import deliver_webhook

PAYLOAD = {"post": {"current": {"id": "a" * 24, "title": "Été", "status": "published"},
                    "previous": {"status": "draft"}}}  # fmt: skip


@pytest.fixture
def hook(issued, receiver):
    def make(event="post.published", secret="the webhook's secret", **fields):
        return services.add_webhook(
            actor=None,
            integration=issued[0],
            event=event,
            target_url=fields.pop("target_url", receiver.url()),
            secret=secret,
        )

    return make


def queued_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=deliver_webhook.module_path))


def queue(django_capture_on_commit_callbacks, event="post.published", payload=PAYLOAD):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        webhooks.queue_event(event, payload)


def test_a_delivery_is_signed_as_ghost_signs(
    hook, receiver, run_tasks, django_capture_on_commit_callbacks
):
    webhook = hook()
    queue(django_capture_on_commit_callbacks)
    run_tasks()

    [received] = receiver.requests
    assert received.path == "/hook"
    assert received.headers["Content-Type"] == "application/json"
    assert re.fullmatch(r"Broadsheet/\S+( \(\+\S+\))?", received.headers["User-Agent"])
    assert json.loads(received.body) == PAYLOAD
    signature, timestamp = re.fullmatch(
        r"sha256=([0-9a-f]{64}), t=(\d+)", received.headers["X-Ghost-Signature"]
    ).groups()
    # What a receiver does: HMAC-SHA256 of the body followed by the timestamp, in ms.
    expected = hmac.new(
        b"the webhook's secret", received.body + timestamp.encode(), hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(signature, expected)
    assert abs(int(timestamp) - time.time() * 1000) < 60_000
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered" and delivery.response_code == 200
    assert delivery.attempts == 1 and delivery.error == "" and delivery.delivered_at
    webhook.refresh_from_db()
    assert webhook.last_status == "delivered" and webhook.last_triggered_at


def test_without_a_secret_no_signature_is_sent(
    hook, receiver, run_tasks, django_capture_on_commit_callbacks
):
    hook(secret="")
    queue(django_capture_on_commit_callbacks)
    run_tasks()
    assert "X-Ghost-Signature" not in receiver.requests[0].headers


def test_only_webhooks_for_the_event_of_active_integrations(
    hook, receiver, run_tasks, django_capture_on_commit_callbacks
):
    hook(event="post.published")
    hook(event="member.added")
    revoked, _ = services.create_integration(actor=None, name="Gone")
    services.add_webhook(
        actor=None, integration=revoked, event="post.published", target_url=receiver.url("/gone")
    )
    services.revoke_integration(actor=None, integration=revoked)
    queue(django_capture_on_commit_callbacks)
    run_tasks()
    assert [r.path for r in receiver.requests] == ["/hook"]
    assert WebhookDelivery.objects.count() == 1


def test_nothing_is_sent_if_the_write_rolls_back(hook, receiver, run_tasks):
    hook()
    with transaction.atomic():
        webhooks.queue_event("post.published", PAYLOAD)
        transaction.set_rollback(True)
    run_tasks()
    assert not receiver.requests and not WebhookDelivery.objects.exists()


def test_a_failing_target_is_retried_later_and_logged(
    hook, receiver, run_tasks, django_capture_on_commit_callbacks
):
    hook()
    receiver.status = 500
    queue(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        run_tasks()

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.response_code == 500 and "500" in delivery.error
    assert delivery.duration_ms is not None
    waiting = [t for t in queued_tasks() if t.status == "READY"]
    assert len(waiting) == 1 and waiting[0].args_kwargs["args"] == [delivery.pk]
    later = timezone.now() + datetime.timedelta(seconds=webhooks.RETRY_DELAYS[0] - 5)
    assert waiting[0].run_after > later
    assert delivery.next_attempt_at > later

    # The retry, when its time comes, succeeds once the target is back.
    receiver.status = 204
    DBTaskResult.objects.filter(pk=waiting[0].pk).update(run_after=timezone.now())
    run_tasks()
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 2
    assert delivery.response_code == 204 and delivery.error == ""
    assert len(receiver.requests) == 2


def test_attempts_stop_after_the_last(hook, receiver, django_capture_on_commit_callbacks):
    hook()
    receiver.status = 503
    queue(django_capture_on_commit_callbacks)
    [delivery] = WebhookDelivery.objects.all()
    for _ in range(webhooks.MAX_ATTEMPTS):
        with django_capture_on_commit_callbacks(execute=True):
            webhooks.attempt_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == webhooks.MAX_ATTEMPTS
    assert delivery.next_attempt_at is None
    assert len(receiver.requests) == webhooks.MAX_ATTEMPTS
    assert webhooks.attempt_delivery(delivery.pk) == "failed"  # a stray task sends nothing
    assert len(receiver.requests) == webhooks.MAX_ATTEMPTS


def test_a_target_that_hangs_times_out(
    hook, receiver, run_tasks, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(webhooks, "TIMEOUT_SECONDS", 1.0)
    hook()
    receiver.hang = True
    queue(django_capture_on_commit_callbacks)
    started = time.monotonic()
    run_tasks()
    assert time.monotonic() - started < 4  # the worker is free again soon after the limit

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert "longer than 1 seconds" in delivery.error and delivery.response_code is None
    assert 900 <= delivery.duration_ms < 4000


def test_a_refused_connection_is_logged(hook, receiver, django_capture_on_commit_callbacks):
    hook(target_url="http://127.0.0.1:9/closed")  # the discard port: nothing listens
    queue(django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert webhooks.attempt_delivery(delivery.pk) == "pending"
    delivery.refresh_from_db()
    assert "refused" in delivery.error or "connection failed" in delivery.error


def test_a_private_address_is_refused_unless_allowed(
    hook, receiver, settings, django_capture_on_commit_callbacks
):
    settings.BROADSHEET_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    hook(target_url=receiver.url().replace("127.0.0.1", "localhost"))
    queue(django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    webhooks.attempt_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert not receiver.requests
    assert "a private or local address" in delivery.error
    assert "BROADSHEET_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES" in delivery.error


def test_a_redirect_is_not_followed(hook, receiver, django_capture_on_commit_callbacks):
    hook()
    receiver.status = 302
    queue(django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    webhooks.attempt_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.response_code == 302
    assert len(receiver.requests) == 1


def test_a_deleted_webhook_stops_its_queued_deliveries(
    hook, receiver, run_tasks, django_capture_on_commit_callbacks
):
    webhook = hook()
    queue(django_capture_on_commit_callbacks)
    services.delete_webhook(actor=None, webhook=webhook)
    run_tasks()
    assert not receiver.requests


def test_the_log_keeps_the_newest_deliveries(hook, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(webhooks, "KEEP_PER_WEBHOOK", 3)
    webhook = hook()
    for n in range(5):
        queue(django_capture_on_commit_callbacks, payload={"n": n})
        WebhookDelivery.objects.filter(payload=json.dumps({"n": n}, separators=(",", ":"))).update(
            status="delivered" if n != 0 else "pending"
        )
    kept = sorted(json.loads(d.payload)["n"] for d in webhook.deliveries.all())
    # The newest three, and the oldest, which is still pending.
    assert kept == [0, 2, 3, 4]
