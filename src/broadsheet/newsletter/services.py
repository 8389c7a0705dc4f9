"""Newsletter writes: double opt-in, unsubscribing, and mailing a post exactly once per person.

Sending is split so that a crash never mails anyone twice: `start_send` writes one
`Delivery` row per active subscriber in one transaction (the database refuses a second row
for the same post and person), then `deliver_batch` tasks take pending rows in batches and
mark each one sent in its own small transaction right after the SMTP server accepts it.
"""

import datetime
import uuid

from django.conf import settings
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from broadsheet.accounts import permissions
from broadsheet.accounts.models import User
from broadsheet.accounts.permissions import Action
from broadsheet.accounts.signals import member_added
from broadsheet.content.models import Post
from broadsheet.core.addresses import site_origin
from broadsheet.core.markup import absolute_urls
from broadsheet.core.ratelimit import check_and_count
from broadsheet.newsletter.models import Delivery, Send, Subscriber
from broadsheet.predictions.rendering import with_permalinks

CONFIRM_SALT = "broadsheet.newsletter.confirm"
UNSUBSCRIBE_SALT = "broadsheet.newsletter.unsubscribe"
CONFIRM_MAX_AGE = 7 * 24 * 3600
REQUESTS_PER_HOUR = 5
BATCH_SIZE = 50
MAX_ATTEMPTS = 3
# A batch that took rows and then vanished (a killed worker) gives them back after this.
CLAIM_LEASE = datetime.timedelta(minutes=15)


class InvalidToken(Exception):
    """A forged or expired newsletter link; the page says so (400)."""


def _retry_delay(attempts: int) -> datetime.timedelta:
    base = settings.BROADSHEET_NEWSLETTER_RETRY_SECONDS
    return datetime.timedelta(seconds=base * attempts)


# --- Tokens ---


def confirm_token(subscriber: Subscriber) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(subscriber.pk))


def unsubscribe_token(subscriber: Subscriber) -> str:
    """Never expires: an unsubscribe link in an old email must still work."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscriber.pk))


def _subscriber_for(token: str, signer: signing.Signer, **unsign) -> Subscriber:
    try:
        pk = int(signer.unsign(token, **unsign))
        return Subscriber.objects.get(pk=pk)
    except signing.SignatureExpired as error:
        raise InvalidToken("This link has expired. Please subscribe again.") from error
    except (signing.BadSignature, ValueError, Subscriber.DoesNotExist) as error:
        raise InvalidToken("This link is not valid.") from error


def subscriber_for_confirm_token(token: str) -> Subscriber:
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    return _subscriber_for(token, signer, max_age=CONFIRM_MAX_AGE)


def subscriber_for_unsubscribe_token(token: str) -> Subscriber:
    return _subscriber_for(token, signing.Signer(salt=UNSUBSCRIBE_SALT))


# --- Subscribing ---


def request_subscription(*, email: str, ip: str, origin: str) -> None:
    """Start a double opt-in: mail a confirmation link unless the address is already in.

    The caller shows one message whatever happened, so nobody learns who subscribes.
    """
    email = User.objects.normalize_email(email).strip().lower()
    check_and_count("newsletter", [email, f"ip:{ip}"], limit=REQUESTS_PER_HOUR)
    with transaction.atomic():
        subscriber, _ = Subscriber.objects.get_or_create(email=email)
        if subscriber.status == Subscriber.Status.ACTIVE:
            return
        if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
            subscriber.status = Subscriber.Status.PENDING
            subscriber.save(update_fields=["status"])
    link = origin + reverse("newsletter:confirm", kwargs={"token": confirm_token(subscriber)})
    context = {"link": link, "site_url": origin}
    mail.EmailMultiAlternatives(
        subject="Confirm your subscription",
        body=render_to_string("newsletter/email_confirm.txt", context),
        to=[email],
    ).send()


def confirm_subscription(*, token: str) -> Subscriber:
    """The person followed the emailed link and pressed the button: they get posts now."""
    with transaction.atomic():
        subscriber = subscriber_for_confirm_token(token)
        if subscriber.status != Subscriber.Status.ACTIVE:
            first_time = subscriber.confirmed_at is None
            subscriber.status = Subscriber.Status.ACTIVE
            subscriber.confirmed_at = timezone.now()
            subscriber.unsubscribed_at = None
            subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
            if first_time and subscriber.member_id is None:
                member_added.send(Subscriber, email=subscriber.email, name="")
    return subscriber


def subscribe_member(*, user: User) -> Subscriber:
    """A signed-in person subscribes in one click: signing in already proved the address."""
    if not user.is_authenticated or not user.email:
        raise ValidationError("Your account has no email address.")
    email = user.email.strip().lower()
    with transaction.atomic():
        subscriber, _ = Subscriber.objects.get_or_create(email=email)
        subscriber.member = user
        if subscriber.status != Subscriber.Status.ACTIVE:
            subscriber.status = Subscriber.Status.ACTIVE
            subscriber.confirmed_at = timezone.now()
            subscriber.unsubscribed_at = None
        subscriber.save()
    return subscriber


def _unsubscribe(subscriber: Subscriber) -> Subscriber:
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])
    return subscriber


def unsubscribe(*, token: str) -> Subscriber:
    """From the link (or the mail client's one-click button) in every newsletter."""
    with transaction.atomic():
        return _unsubscribe(subscriber_for_unsubscribe_token(token))


def unsubscribe_member(*, user: User) -> Subscriber | None:
    """A signed-in person stops the newsletter from their account page."""
    with transaction.atomic():
        subscriber = _find_for(user)
        return _unsubscribe(subscriber) if subscriber else None


def _find_for(user: User) -> Subscriber | None:
    match = Q(member=user)
    if user.email:
        match |= Q(email__iexact=user.email)
    return Subscriber.objects.filter(match).order_by("pk").first()


def forget_member(*, user: User) -> int:
    """Remove a deleted account's subscription (and its delivery history) entirely."""
    match = Q(member=user)
    if user.email:
        match |= Q(email__iexact=user.email)
    deleted, _ = Subscriber.objects.filter(match).delete()
    return deleted


# --- Sending a post ---


def start_send(*, actor: User, post: Post, origin: str = "") -> Send:
    """Queue `post` for every active subscriber; editors and above, published posts, once.

    All rows are written up front in one transaction; the unique constraints make a second
    send of the same post (or a second row for one person) impossible.
    """
    if not permissions.can(actor, Action.SEND_NEWSLETTER):
        raise PermissionDenied("Only editors and administrators send the newsletter.")
    origin = site_origin(stored=origin)  # a missing address fails here, not in the worker
    try:
        with transaction.atomic():
            if not Post.objects.published().filter(pk=post.pk).exists():
                raise ValidationError("Only a published post can be sent.")
            if Send.objects.filter(post=post).exists():
                raise ValidationError("This post has already been sent.")
            send = Send.objects.create(post=post, created_by=actor, origin=origin)
            subscribers = Subscriber.objects.filter(status=Subscriber.Status.ACTIVE)
            rows = [
                Delivery(send=send, post=post, subscriber_id=pk)
                for pk in subscribers.values_list("pk", flat=True)
            ]
            Delivery.objects.bulk_create(rows, batch_size=500)
            send.total = len(rows)
            if not rows:
                send.status = Send.Status.DONE
            send.save(update_fields=["total", "status"])
            if rows:
                transaction.on_commit(lambda: enqueue_batch(send.pk))
    except IntegrityError as error:  # two editors pressed at the same moment
        raise ValidationError("This post has already been sent.") from error
    return send


def enqueue_batch(send_id: int, run_after: datetime.datetime | None = None) -> None:
    from broadsheet.newsletter.tasks import deliver

    task = deliver.using(run_after=run_after) if run_after else deliver
    task.enqueue(send_id)


def build_message(delivery: Delivery, origin: str) -> mail.EmailMultiAlternatives:
    """The post as an email: plain text and HTML, with the RFC 8058 unsubscribe headers."""
    post = delivery.post
    token = unsubscribe_token(delivery.subscriber)
    unsubscribe_url = origin + reverse("newsletter:unsubscribe", kwargs={"token": token})
    post_url = origin + post.get_absolute_url()
    context = {
        "post": post,
        "post_url": post_url,
        "body_html": with_permalinks(absolute_urls(post.body_html, origin), post_url),
        "unsubscribe_url": unsubscribe_url,
        "site_url": origin,
    }
    message = mail.EmailMultiAlternatives(
        subject=post.title,
        body=render_to_string("newsletter/email_post.txt", context),
        to=[delivery.subscriber.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("newsletter/email_post.html", context), "text/html")
    return message


def _claimable(now: datetime.datetime) -> Q:
    """Rows nobody holds: never taken, or taken by a batch that vanished before starting them."""
    stale = Q(claimed_at__lt=now - CLAIM_LEASE, started_at__isnull=True)
    due = Q(retry_after__isnull=True) | Q(retry_after__lte=now)
    return (Q(claimed_at__isnull=True) | stale) & due


def _give_up_on_interrupted(send: Send, now: datetime.datetime) -> None:
    """A row whose sending began in a batch that vanished may have arrived: never resend it."""
    interrupted = Delivery.objects.filter(
        send=send,
        status=Delivery.Status.PENDING,
        started_at__isnull=False,
        claimed_at__lt=now - CLAIM_LEASE,
    )
    count = interrupted.update(
        status=Delivery.Status.FAILED,
        error="Interrupted while sending; not retried, so nobody gets it twice.",
    )
    if count:
        Send.objects.filter(pk=send.pk).update(failed=F("failed") + count)


def _claim(send: Send, batch_size: int) -> str:
    mark = uuid.uuid4().hex
    now = timezone.now()
    with transaction.atomic():
        _give_up_on_interrupted(send, now)
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(_claimable(now), send=send, status=Delivery.Status.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        Delivery.objects.filter(pk__in=ids).update(claimed_by=mark, claimed_at=now)
        Send.objects.filter(pk=send.pk, status=Send.Status.QUEUED).update(
            status=Send.Status.SENDING
        )
    return mark


def _mark_started(delivery: Delivery, mark: str) -> bool:
    """False if another batch took the row over meanwhile (this one was too slow)."""
    still_ours = Delivery.objects.filter(
        pk=delivery.pk, claimed_by=mark, status=Delivery.Status.PENDING, started_at__isnull=True
    )
    return bool(still_ours.update(started_at=timezone.now()))


def _mark_sent(delivery: Delivery) -> None:
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.SENT,
            sent_at=timezone.now(),
            attempts=F("attempts") + 1,
            error="",
        )
        Send.objects.filter(pk=delivery.send_id).update(sent=F("sent") + 1)


def _mark_skipped(delivery: Delivery) -> None:
    """They unsubscribed after the send started: nothing is mailed, it counts as failed."""
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.FAILED, error="Unsubscribed before sending."
        )
        Send.objects.filter(pk=delivery.send_id).update(failed=F("failed") + 1)


def _mark_failed(delivery: Delivery, error: Exception) -> bool:
    """Record a failed attempt; True if the row will be tried again later."""
    attempts = delivery.attempts + 1
    again = attempts < MAX_ATTEMPTS
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.PENDING if again else Delivery.Status.FAILED,
            attempts=attempts,
            error=f"{type(error).__name__}: {error}"[:1000],
            claimed_by="",
            claimed_at=None,
            started_at=None,
            retry_after=timezone.now() + _retry_delay(attempts) if again else None,
        )
        if not again:
            Send.objects.filter(pk=delivery.send_id).update(failed=F("failed") + 1)
    return again


def deliver_batch(*, send_id: int, batch_size: int = BATCH_SIZE) -> int:
    """Mail one batch of a send's pending rows; queue the next batch. Returns how many sent.

    A row is marked started just before, and sent just after, the SMTP server takes it,
    each in its own transaction: after a crash, rows never started are sent by a later
    batch, and the one row in flight is marked failed rather than risk sending it twice.
    """
    send = Send.objects.select_related("post").filter(pk=send_id).first()
    if send is None or send.status == Send.Status.DONE:
        return 0
    mark = _claim(send, batch_size)
    rows = Delivery.objects.filter(claimed_by=mark, status=Delivery.Status.PENDING)
    origin = site_origin(stored=send.origin)
    sent = 0
    connection = mail.mailers.default
    try:
        for delivery in rows.select_related("subscriber", "post").order_by("pk"):
            try:
                if delivery.subscriber.status != Subscriber.Status.ACTIVE:
                    _mark_skipped(delivery)
                    continue
                message = build_message(delivery, origin)
                if not _mark_started(delivery, mark):
                    continue
                if not connection.send_messages([message]):
                    raise RuntimeError("The mail server did not accept the message.")
            except Exception as error:  # any failure is recorded and retried
                _mark_failed(delivery, error)
                connection.close()
                continue
            _mark_sent(delivery)
            sent += 1
    finally:
        connection.close()
    _schedule_next(send)
    return sent


def _schedule_next(send: Send) -> None:
    """Another batch now, one when a retry or a vanished batch's lease is due, or done."""
    pending = Delivery.objects.filter(send=send, status=Delivery.Status.PENDING)
    if not pending.exists():
        Send.objects.filter(pk=send.pk).update(status=Send.Status.DONE)
        return
    now = timezone.now()
    if pending.filter(_claimable(now)).exists():
        enqueue_batch(send.pk)
        return
    times = []
    for retry_after, claimed_at in pending.values_list("retry_after", "claimed_at"):
        when = retry_after or now
        if claimed_at:
            when = max(when, claimed_at + CLAIM_LEASE)
        times.append(when)
    enqueue_batch(send.pk, run_after=min(times))


def resume_send(*, actor: User, send: Send) -> bool:
    """Queue a batch again for a send whose worker died; harmless if one is still running.

    Returns whether anything was left to send.
    """
    if not permissions.can(actor, Action.SEND_NEWSLETTER):
        raise PermissionDenied("Only editors and administrators send the newsletter.")
    with transaction.atomic():
        if not Delivery.objects.filter(send=send, status=Delivery.Status.PENDING).exists():
            Send.objects.filter(pk=send.pk).update(status=Send.Status.DONE)
            return False
        transaction.on_commit(lambda: enqueue_batch(send.pk))
    return True
