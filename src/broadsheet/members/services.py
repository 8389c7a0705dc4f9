"""Members: readers with an account and no role, who sign in with a link sent by email.

No passwords: the emailed link proves the address. The link is signed (nothing is stored),
lasts 30 minutes and works once, because it carries the account's `last_login`, which
signing in changes.
"""

from django.contrib.auth.models import update_last_login
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from broadsheet.accounts import permissions
from broadsheet.accounts.models import User
from broadsheet.accounts.signals import member_added
from broadsheet.core.ratelimit import check_and_count

LINK_SALT = "broadsheet.members.login-link"
LINK_MAX_AGE = 30 * 60
LINKS_PER_HOUR = 5


class InvalidLink(Exception):
    """The link is forged, expired or already used; the page says so (400)."""


def _find(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).order_by("pk").first()


def _stamp(user: User | None) -> str:
    return user.last_login.isoformat() if user and user.last_login else ""


def make_login_token(*, email: str, name: str = "", user: User | None = None) -> str:
    """A signed token for `email`; it stops working once the account signs in again."""
    return signing.dumps({"e": email, "n": name, "l": _stamp(user)}, salt=LINK_SALT)


def request_login_link(*, email: str, name: str = "", ip: str, origin: str) -> None:
    """Mail a sign-in (or sign-up) link to `email`.

    The caller shows the same message whatever happens here, so the page never tells
    whether an address has an account. Staff get a pointer to the staff login instead
    (their accounts have passwords and two-factor codes); suspended accounts get nothing.
    """
    email = User.objects.normalize_email(email).strip()
    check_and_count("member-link", [email, f"ip:{ip}"], limit=LINKS_PER_HOUR)
    user = _find(email)
    if user is not None and not user.is_active:
        return
    context: dict[str, object] = {
        "site_url": origin,
        "name": name or (user.public_name if user else ""),
    }
    if user is not None and permissions.is_staff_account(user):
        context["login_url"] = origin + reverse("accounts:login")
        template = "members/email_staff.txt"
    else:
        token = make_login_token(email=email, name=name.strip(), user=user)
        context["link"] = origin + reverse("members:login", kwargs={"token": token})
        context["new"] = user is None
        template = "members/email_link.txt"
    message = EmailMultiAlternatives(
        subject="Your sign-in link" if user else "Finish signing up",
        body=render_to_string(template, context),
        to=[email],
    )
    message.send()


def check_login_token(token: str) -> tuple[str, str, User | None]:
    """(email, name, existing account) for a good token; `InvalidLink` for any other."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
        email, name, stamp = str(data["e"]), str(data["n"]), str(data["l"])
    except signing.SignatureExpired as error:
        raise InvalidLink("This link has expired. Ask for a new one.") from error
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvalidLink("This link is not valid. Ask for a new one.") from error
    user = _find(email)
    if user is not None and (
        _stamp(user) != stamp or permissions.is_staff_account(user) or not user.is_active
    ):
        raise InvalidLink("This link has already been used. Ask for a new one.")
    return email, name, user


def complete_login(*, token: str) -> User:
    """The member the link is for, created on first use; the link is spent afterwards.

    `last_login` is set here (not only by `login`), so the token cannot be used twice
    even if signing in fails later.
    """
    with transaction.atomic():
        email, name, user = check_login_token(token)
        if user is None:
            user = User(
                username=email,
                email=email,
                display_name=(name or email.split("@")[0])[:150],
            )
            user.set_unusable_password()
            if User.objects.filter(username__iexact=email).exists():
                raise InvalidLink("This link is not valid. Ask for a new one.")
            user.save()
            member_added.send(User, user=user)
        update_last_login(User, user)
    return user


def update_member_name(*, user: User, display_name: str) -> User:
    """A member changes the name shown with their comments."""
    name = display_name.strip()
    if not name:
        raise ValidationError({"display_name": "Please give a name."})
    if len(name) > 150:
        raise ValidationError({"display_name": "At most 150 characters."})
    user.display_name = name
    user.save(update_fields=["display_name"])
    return user


def delete_member(*, actor: User, user: User) -> None:
    """Delete a member and what is theirs: comments (by the FK cascade) and subscription.

    Staff accounts are managed in the studio and are never deleted from here.
    """
    if not permissions.can_delete_member(actor, user):
        raise PermissionDenied(
            "Staff accounts cannot be deleted here, and a member can delete only their own."
        )
    from broadsheet.newsletter.services import forget_member

    with transaction.atomic():
        forget_member(user=user)
        user.delete()
