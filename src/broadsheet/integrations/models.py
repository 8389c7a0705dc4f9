"""Integrations, their webhooks, and the log of every webhook delivery.

An integration holds two keys, as Ghost's do: a Content API key (read-only; only its
SHA-256 is kept, as for invitation tokens) and an Admin API key, an id and a secret that
signs short-lived tokens. The server must recompute those signatures, so the secret cannot
be hashed: it is kept encrypted with a key derived from SECRET_KEY, which lives in the
data folder, so a copy of the database alone signs nothing.
"""

import base64
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

from broadsheet.accounts.models import Role

if TYPE_CHECKING:
    from cryptography.fernet import Fernet


@cache
def _fernet(secret_key: str) -> "Fernet":
    # cryptography loads in the process that signs or checks a token (an Admin API call,
    # a new integration), not in every server process at start (8 MB each, with PyJWT).
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"broadsheet integrations"
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_secret(secret: str) -> str:
    return _fernet(settings.SECRET_KEY).encrypt(secret.encode()).decode()


def decrypt_secret(token: str) -> str:
    """The plain secret; ValueError if SECRET_KEY has changed since it was encrypted."""
    from cryptography.fernet import InvalidToken

    try:
        return _fernet(settings.SECRET_KEY).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("The secret was encrypted with another SECRET_KEY.") from error


class Integration(models.Model):
    """An outside system with API keys; every write it makes is made as `user`, an account
    of its own with `role`, so permissions and revision history need nothing new."""

    name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role, default=Role.EDITOR)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="integration"
    )
    content_key_hash = models.CharField(max_length=64, unique=True, editable=False)
    content_key_hint = models.CharField(max_length=4, editable=False)  # its last 4 characters
    admin_key_id = models.CharField(max_length=24, unique=True, editable=False)
    admin_secret_encrypted = models.TextField(editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def admin_secret(self) -> str:
        return decrypt_secret(self.admin_secret_encrypted)

    @property
    def admin_key_hint(self) -> str:
        """What lists show of the Admin API key: its id (not secret) and no secret."""
        return f"{self.admin_key_id}:…"


class Event(models.TextChoices):
    """Ghost's event names, so a receiver written for Ghost works unchanged."""

    POST_PUBLISHED = "post.published", "Post published"
    POST_PUBLISHED_EDITED = "post.published.edited", "Published post updated"
    POST_UNPUBLISHED = "post.unpublished", "Post unpublished"
    POST_DELETED = "post.deleted", "Post deleted"
    PAGE_PUBLISHED = "page.published", "Page published"
    COMMENT_ADDED = "comment.added", "Comment added"
    MEMBER_ADDED = "member.added", "Member added"


class Webhook(models.Model):
    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="webhooks")
    event = models.CharField(max_length=50, choices=Event)
    target_url = models.URLField(max_length=2000)
    name = models.CharField(max_length=191, blank=True)
    # Ghost signs each delivery with it (X-Ghost-Signature); none, no signature.
    secret = models.CharField(max_length=191, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_triggered_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=20, blank=True)  # the last delivery's status

    class Meta:
        ordering = ["event", "id"]

    def __str__(self) -> str:
        return f"{self.event} → {self.target_url}"


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one webhook, with its last attempt's outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=50)
    payload = models.TextField()  # the JSON body as sent: its bytes are what is signed
    attempts = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["webhook", "-created_at"], name="delivery_log")]

    def __str__(self) -> str:
        return f"{self.event} to {self.webhook.target_url}: {self.status}"
