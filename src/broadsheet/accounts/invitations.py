"""Invitations: how a new staff member arrives, with a role chosen by someone allowed to give it.

The link carries a random token; only its SHA-256 is stored, so the database alone opens
nothing. A link works once, until it expires or is revoked, and only while the person
who sent it may still give that role.
"""

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from broadsheet.accounts import permissions, services
from broadsheet.accounts.models import Invitation, User
from broadsheet.core.addresses import absolute_url
from broadsheet.core.selectors import get_site_settings

logger = logging.getLogger(__name__)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def pending_invitations() -> QuerySet[Invitation]:
    """Sent, not yet used, revoked or expired."""
    return Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def create_invitation(
    *, actor: User, email: str, role: str, request: HttpRequest | None = None
) -> tuple[Invitation, str]:
    """Invite `email` as `role` and email them the link; returns the invitation and its token.

    A newer invitation to the same address replaces the older ones still pending, so the
    newest link is the one that works. If the email cannot be sent, nothing is kept.
    """
    if not permissions.can_invite(actor, role):
        raise PermissionDenied("You may not invite someone with that role.")
    email = User.objects.normalize_email(email).strip()
    existing = User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).first()
    if existing is not None:
        if permissions.is_staff_account(existing) and existing.is_active:
            raise ValidationError(f"{email} already has a staff account.")
        if permissions.is_staff_account(existing):
            raise ValidationError(f"{email} has a suspended account; reactivate it instead.")
        raise ValidationError(f"There is already an account for {email}.")
    try:
        # The address becomes the login, so it must be one.
        User._meta.get_field("username").run_validators(email)
    except ValidationError as error:
        raise ValidationError(
            f"{email} cannot be used to sign in here: a login has at most 150 letters, "
            "digits and @ . + - _ characters."
        ) from error
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.create(
        email=email,
        role=role,
        token_hash=hash_token(token),
        invited_by=actor,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_DAYS),
    )
    try:
        send_invitation_email(invitation, token, request=request)
    except Exception as error:
        logger.exception("Could not send the invitation email to %s", email)
        invitation.delete()
        raise ValidationError(
            f"The invitation email to {email} could not be sent, so no invitation was made. "
            "Check the site's mail settings and try again.",
            code="not_sent",
        ) from error
    # Sent: earlier links to this address stop working.
    pending_invitations().filter(email__iexact=email).exclude(pk=invitation.pk).update(
        revoked_at=now
    )
    return invitation, token


def invitation_link(token: str, request: HttpRequest | None = None) -> str:
    return absolute_url(reverse("accounts:invitation", args=[token]), request)


def send_invitation_email(
    invitation: Invitation, token: str, *, request: HttpRequest | None = None
) -> None:
    """A plain-text email with the link, through the default mailer."""
    site = get_site_settings()
    context = {
        "invitation": invitation,
        "link": invitation_link(token, request),
        "site_title": site.title,
        "inviter": invitation.invited_by.public_name if invitation.invited_by else "Someone",
        "expires": date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT"),
        "days": settings.INVITATION_DAYS,
    }
    body = render_to_string("accounts/invitation_email.html", context)
    subject = f"You are invited to join {site.title}"
    EmailMessage(subject, body, to=[invitation.email]).send()


def problem(invitation: Invitation | None, now: datetime.datetime | None = None) -> str:
    """Why this invitation cannot be used, in words for the person holding the link; or ""."""
    now = now or timezone.now()
    if invitation is None:
        return "This invitation link is not valid. Check that you copied all of it."
    if invitation.accepted_at:
        return "This invitation has already been used. If it was you, log in instead."
    if invitation.revoked_at:
        return "This invitation was withdrawn. Ask the person who invited you for a new one."
    if invitation.expires_at <= now:
        return (
            "This invitation expired on "
            f"{date_format(timezone.localtime(invitation.expires_at), 'DATE_FORMAT')}. "
            "Ask the person who invited you for a new one."
        )
    if invitation.invited_by is None or not permissions.can_invite(
        invitation.invited_by, invitation.role
    ):
        return "This invitation is no longer valid. Ask someone on the staff for a new one."
    return ""


def find_invitation(token: str) -> Invitation | None:
    return (
        Invitation.objects.filter(token_hash=hash_token(token)).select_related("invited_by").first()
    )


def accept_invitation(*, token: str, display_name: str, password: str) -> User:
    """Create the staff account the invitation promises; works once.

    Raises ValidationError: a plain message when the link cannot be used, or
    {"display_name"/"password": ...} when the chosen name or password will not do.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("invited_by")
            .filter(token_hash=hash_token(token))
            .first()
        )
        if message := problem(invitation):
            raise ValidationError(message, code="unusable")
        assert invitation is not None  # problem() refuses a missing one
        display_name = display_name.strip()
        if not display_name:
            raise ValidationError({"display_name": "Enter the name readers will see."})
        candidate = User(
            username=invitation.email, email=invitation.email, display_name=display_name
        )
        try:
            password_validation.validate_password(password, user=candidate)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
        try:
            user = services.create_staff_user(
                email=invitation.email,
                role=invitation.role,
                password=password,
                display_name=display_name,
            )
        except ValidationError as error:
            raise ValidationError(error.messages, code="unusable") from error
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


def revoke_invitation(*, actor: User, invitation: Invitation) -> Invitation:
    """Withdraw a pending invitation; its link stops working at once."""
    if not permissions.can_invite(actor, invitation.role):
        raise PermissionDenied("You may not withdraw an invitation for that role.")
    if invitation.accepted_at:
        raise ValidationError("That invitation has already been accepted.")
    if not invitation.revoked_at:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation
