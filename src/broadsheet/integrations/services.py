"""Writes to integrations and webhooks. Each checks MANAGE_INTEGRATIONS first (an actor of
None is the operator at the command line, as for imports) and runs in one transaction."""

import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from broadsheet.accounts import permissions
from broadsheet.accounts.models import Role, User
from broadsheet.accounts.services import apply_role, unique_user_slug
from broadsheet.core.board import board
from broadsheet.fastpath.invalidation import private_writes
from broadsheet.integrations.models import Event, Integration, Webhook, encrypt_secret

MAX_URL_LENGTH = 2000


@dataclass(frozen=True)
class IssuedKeys:
    """The keys as a client uses them; shown once, then only their hints are kept."""

    content_key: str  # 26 hex digits: Ghost's client checks /[0-9a-f]{26}/
    admin_key: str  # "<24 hex id>:<64 hex secret>"


def hash_content_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _check(actor: User | None) -> None:
    if actor is not None and not permissions.can(actor, permissions.Action.MANAGE_INTEGRATIONS):
        raise PermissionDenied("Your role does not allow managing integrations.")


def create_integration(
    *, actor: User | None, name: str, role: str = Role.EDITOR
) -> tuple[Integration, IssuedKeys]:
    """A new integration with fresh keys, and its account (no usable password, no author
    page) that every API call acts as."""
    _check(actor)
    name = name.strip()
    if not name:
        raise ValidationError("Give the integration a name.", code="name")
    if len(name) > 150:
        raise ValidationError("A name of at most 150 characters, please.", code="name")
    if role not in Role.values or role == Role.OWNER:
        raise ValidationError(f"“{role}” is not a role an integration can have.", code="role")
    content_key = secrets.token_hex(13)
    admin_id, admin_secret = secrets.token_hex(12), secrets.token_hex(32)
    # Its account is on no list of staff. It has an author's address, for the posts a
    # contributor or author integration writes in its own name (it may name nobody else).
    with transaction.atomic(), private_writes():
        user = User(
            username=f"integration-{secrets.token_hex(8)}",
            display_name=name,
            slug=unique_user_slug(name),
        )
        apply_role(user, role)
        user.set_unusable_password()
        user.save()
        integration = Integration.objects.create(
            name=name,
            role=role,
            user=user,
            content_key_hash=hash_content_key(content_key),
            content_key_hint=content_key[-4:],
            admin_key_id=admin_id,
            admin_secret_encrypted=encrypt_secret(admin_secret),
            created_by=actor,
        )
    return integration, IssuedKeys(content_key, f"{admin_id}:{admin_secret}")


def revoke_integration(*, actor: User | None, integration: Integration) -> Integration:
    """Both keys stop working at once: the account is deactivated, and the fast path's
    stored API answers (kept by URL, the content key in it) are dropped with the content
    generation, so none is served again."""
    _check(actor)
    with transaction.atomic():
        integration = (
            Integration.objects.select_for_update().select_related("user").get(pk=integration.pk)
        )
        if integration.revoked_at is not None:
            return integration
        integration.revoked_at = timezone.now()
        integration.save(update_fields=["revoked_at"])
        integration.user.is_active = False
        integration.user.save(update_fields=["is_active"])
        # Not left to the accounts signal: integrations is no public app, and this must
        # hold even if a user's is_active ever became a private field there.
        transaction.on_commit(lambda: board().bump_content())
    return integration


def validate_target_url(url: str) -> str:
    """An http(s) address with a host, at most MAX_URL_LENGTH characters. Where it points
    is checked at each delivery (a name can move), not here."""
    url = url.strip()
    if not url:
        raise ValidationError("Give the address to send the events to.", code="target_url")
    if len(url) > MAX_URL_LENGTH:
        raise ValidationError(
            f"An address of at most {MAX_URL_LENGTH} characters, please.", code="target_url"
        )
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError as error:
        raise ValidationError("That is not a valid address.", code="target_url") from error
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValidationError(
            "Use an http:// or https:// address with a host name.", code="target_url"
        )
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise ValidationError("An address cannot contain spaces.", code="target_url")
    return url


def add_webhook(
    *,
    actor: User | None,
    integration: Integration,
    event: str,
    target_url: str,
    name: str = "",
    secret: str = "",
) -> Webhook:
    _check(actor)
    if event not in Event.values:
        raise ValidationError(f"“{event}” is not an event webhooks can follow.", code="event")
    target_url = validate_target_url(target_url)
    if integration.revoked_at is not None:
        raise ValidationError("This integration is revoked.", code="revoked")
    if len(name.strip()) > 191 or len(secret.strip()) > 191:
        raise ValidationError("Name and secret: at most 191 characters each.", code="name")
    with transaction.atomic():
        return Webhook.objects.create(
            integration=integration,
            event=event,
            target_url=target_url,
            name=name.strip(),
            secret=secret.strip(),
        )


def delete_webhook(*, actor: User | None, webhook: Webhook) -> None:
    """The webhook and its delivery log; a delivery already queued finds nothing and stops."""
    _check(actor)
    with transaction.atomic():
        webhook.delete()
