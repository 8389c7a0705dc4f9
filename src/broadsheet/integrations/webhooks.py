"""Telling integrations what happened: a delivery per webhook, queued with the write that
caused it and sent by the worker, signed as Ghost signs, retried with backoff, logged.

Ghost's form, so receivers written for Ghost verify us unchanged: a JSON POST whose
`X-Ghost-Signature` is `sha256=<hex>, t=<ms>`, hex being HMAC-SHA256 with the webhook's
secret over the body followed by the timestamp (milliseconds since the epoch, as text).
A webhook without a secret is sent unsigned, as Ghost does.

The target is someone's choice of address, so it goes through `core.outbound`: public
addresses only (unless BROADSHEET_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES), the address checked
is the one connected to, 10 seconds for the whole request, at most 64 KB of the answer
read (and dropped), no redirect followed.
"""

import datetime
import hashlib
import hmac
import http.client
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from broadsheet.core import outbound
from broadsheet.integrations.models import Webhook, WebhookDelivery

TIMEOUT_SECONDS = 10.0
MAX_ANSWER_BYTES = 64 * 1024
# After a failed attempt, the wait before the next; one attempt more than there are waits.
RETRY_DELAYS = (60, 5 * 60, 30 * 60, 2 * 3600)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
KEEP_PER_WEBHOOK = 200  # finished deliveries kept in the log, newest first

Status = WebhookDelivery.Status


def queue_event(event: str, payload: dict) -> None:
    """Queue `payload` (Ghost's shape, e.g. {"post": {"current": …, "previous": …}}) for
    every webhook of an active integration that follows `event`. Call it inside the
    write's transaction: the deliveries commit with it, and are sent only if it commits."""
    webhooks = list(_live().filter(event=event))
    if not webhooks:
        return
    body = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(webhook=webhook, event=event, payload=body) for webhook in webhooks
    )
    for webhook in webhooks:
        _prune(webhook)
    ids = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: _enqueue_all(ids))


def _enqueue_all(delivery_ids: list[int]) -> None:
    for delivery_id in delivery_ids:
        _enqueue(delivery_id)


def _live() -> "QuerySet[Webhook]":
    """Webhooks of integrations still in use (not revoked, their account active)."""
    return Webhook.objects.filter(
        integration__revoked_at__isnull=True, integration__user__is_active=True
    )


def followed(events: Sequence[str]) -> set[str]:
    """Which of `events` some live webhook follows: one small query, so a write on a site
    with no webhooks builds no payload."""
    if not events:
        return set()
    return set(_live().filter(event__in=events).values_list("event", flat=True).distinct())


def _prune(webhook: Webhook) -> None:
    """The log stays bounded: finished deliveries past the newest KEEP_PER_WEBHOOK go."""
    log = webhook.deliveries.order_by("-created_at", "-id")
    keep = list(log.values_list("pk", flat=True)[:KEEP_PER_WEBHOOK])
    if len(keep) == KEEP_PER_WEBHOOK:
        log.exclude(pk__in=keep).exclude(status=Status.PENDING).delete()


def _enqueue(delivery_id: int, run_after: datetime.datetime | None = None) -> None:
    from broadsheet.integrations.tasks import deliver_webhook

    task = deliver_webhook.using(run_after=run_after) if run_after else deliver_webhook
    task.enqueue(delivery_id)


def attempt_delivery(delivery_id: int) -> str:
    """Send a pending delivery once, keep what happened, and queue the next attempt if it
    failed and attempts remain. Its status, afterwards."""
    delivery = (
        WebhookDelivery.objects.select_related("webhook__integration__user")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:  # its webhook was deleted, or the log pruned
        return "gone"
    if delivery.status != Status.PENDING:
        return delivery.status
    webhook = delivery.webhook
    integration = webhook.integration
    revoked = integration.revoked_at is not None or not integration.user.is_active
    if revoked:  # nothing more goes to it, now or later
        outcome = Outcome(None, "the integration was revoked", 0)
    else:
        outcome = send(webhook.target_url, delivery.payload.encode(), secret=webhook.secret)
    now = timezone.now()
    delivery.attempts += 1
    delivery.response_code = outcome.status
    delivery.error = outcome.error
    delivery.duration_ms = outcome.duration_ms
    delivery.next_attempt_at = None
    if outcome.ok:
        delivery.status, delivery.delivered_at = Status.DELIVERED, now
    elif delivery.attempts < MAX_ATTEMPTS and not revoked:
        wait = RETRY_DELAYS[delivery.attempts - 1]
        delivery.next_attempt_at = now + datetime.timedelta(seconds=wait)
    else:
        delivery.status = Status.FAILED
    fields = ["attempts", "response_code", "error", "duration_ms", "next_attempt_at"]
    fields += ["status", "delivered_at"]
    with transaction.atomic():
        # An update, not a save: the webhook may have been deleted while this was sent.
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            **{name: getattr(delivery, name) for name in fields}
        )
        Webhook.objects.filter(pk=webhook.pk).update(
            last_triggered_at=now,
            last_status=Status.DELIVERED if outcome.ok else Status.FAILED,
        )
        if delivery.next_attempt_at is not None:
            when = delivery.next_attempt_at
            transaction.on_commit(lambda: _enqueue(delivery.pk, run_after=when))
    return delivery.status


@dataclass(frozen=True)
class Outcome:
    status: int | None  # the HTTP status, if an answer came
    error: str  # empty when delivered
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and not self.error


def signature(secret: str, body: bytes, timestamp_ms: int) -> str:
    """The X-Ghost-Signature header's value."""
    digest = hmac.new(secret.encode(), body + str(timestamp_ms).encode(), hashlib.sha256)
    return f"sha256={digest.hexdigest()}, t={timestamp_ms}"


def user_agent() -> str:
    try:
        version = metadata.version("broadsheet")
    except metadata.PackageNotFoundError:
        version = "0"
    site = f" (+{settings.SITE_URL})" if settings.SITE_URL else ""
    return f"Broadsheet/{version}{site}"


def send(url: str, body: bytes, *, secret: str = "") -> Outcome:
    """POST `body` to `url` within TIMEOUT_SECONDS; what came of it. Never raises for
    anything the network or the target does."""
    started = time.monotonic()
    status, error = None, ""
    try:
        status = _post(url, body, secret, deadline=started + TIMEOUT_SECONDS)
    except _Failed as failure:
        status, error = failure.status, str(failure)
    if status is not None and not 200 <= status < 300 and not error:
        error = f"the target answered {status}"
    return Outcome(status, error, int((time.monotonic() - started) * 1000))


class _Failed(Exception):
    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.status = status


def _post(url: str, body: bytes, secret: str, *, deadline: float) -> int:
    try:
        target = outbound.parse(url, purpose="sent to")
        addresses = outbound.checked_addresses(
            target.host,
            target.port,
            allow_private=settings.BROADSHEET_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES,
            setting="BROADSHEET_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES",
        )
    except (outbound.BadAddress, outbound.AddressRefused) as error:
        raise _Failed(str(error)) from error
    headers = {
        "Content-Type": "application/json",
        "Content-Length": str(len(body)),
        "User-Agent": user_agent(),
        "Accept-Encoding": "identity",
        "Connection": "close",
    }
    if secret:
        headers["X-Ghost-Signature"] = signature(secret, body, int(time.time() * 1000))
    seconds = max(deadline - time.monotonic(), 0.1)
    with outbound.timed_connection(target, addresses, seconds=seconds) as timed:
        try:
            response = timed.answer("POST", target.path, headers=headers, body=body)
            response.read(MAX_ANSWER_BYTES)  # read, so the target sees its answer taken
            if time.monotonic() >= deadline:
                raise _Failed(_late(), response.status)
            return response.status
        except (OSError, http.client.HTTPException) as error:
            if time.monotonic() >= deadline:
                raise _Failed(_late()) from error
            raise _Failed(outbound.describe(error)) from error


def _late() -> str:
    return f"the target took longer than {TIMEOUT_SECONDS:g} seconds"
