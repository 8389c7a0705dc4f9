"""The newsletter: who gets posts by email, and each post's sending, one row per person.

A `Delivery` row exists once per (post, subscriber), enforced by the database, so a post
is never mailed twice to one person, whatever crashes and restarts happen.
"""

from django.conf import settings
from django.db import models


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        ACTIVE = "active", "Subscribed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    email = models.EmailField(unique=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_subscriptions",
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.status})"


class Send(models.Model):
    """Mailing one post to the subscribers who were active when it started."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        DONE = "done", "Done"

    post = models.OneToOneField(
        "broadsheet_content.Post", on_delete=models.CASCADE, related_name="newsletter_send"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The site's address for links in the mail, when SITE_URL is not set.
    origin = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.post} ({self.sent}/{self.total})"


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    send = models.ForeignKey(Send, on_delete=models.CASCADE, related_name="deliveries")
    post = models.ForeignKey("broadsheet_content.Post", on_delete=models.CASCADE, related_name="+")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A batch task takes rows by writing its own mark here, so two tasks never share one.
    claimed_by = models.CharField(max_length=32, blank=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Set just before the message goes to the SMTP server: a row left with it set and not
    # marked sent (a crash mid-send) may have been delivered, so it is never tried again.
    started_at = models.DateTimeField(null=True, blank=True)
    retry_after = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "subscriber"], name="one_delivery_per_post")
        ]
        indexes = [models.Index(fields=["send", "status"])]

    def __str__(self) -> str:
        return f"{self.post_id} → {self.subscriber_id}: {self.status}"
