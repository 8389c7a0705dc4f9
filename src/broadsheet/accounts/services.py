"""Writes to people: staff roles and ownership. Each checks its permission first."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from broadsheet.accounts import permissions
from broadsheet.accounts.models import Role, User


def apply_role(user: User, role: str) -> None:
    """Set `role` and the Django flags that follow from it (not saved).

    Every staff member is `is_staff` (their visits are not counted as readers'); owners
    and administrators are also superusers, so Django's admin stays theirs alone.
    """
    if role and role not in Role.values:
        raise ValidationError(f"Unknown role: {role}")
    user.role = role
    user.is_staff = bool(role)
    user.is_superuser = role in (Role.OWNER, Role.ADMINISTRATOR)


def unique_user_slug(name: str) -> str:
    base = slugify(name)[:140].strip("-") or "writer"
    slug, n = base, 2
    while User.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def check_owner_free(role: str) -> None:
    """One owner per site: a second is refused (`ValidationError`), whoever asks."""
    if role == Role.OWNER and User.objects.filter(role=Role.OWNER).exists():
        raise ValidationError(
            "The site already has an owner. Add this person as an administrator; the owner "
            "can hand over ownership on the staff page."
        )


def create_staff_user(
    *, email: str, role: str, password: str | None, display_name: str = ""
) -> User:
    """A new staff account; the email is the login. No password means none is usable yet."""
    email = User.objects.normalize_email(email).strip()
    if User.objects.filter(username__iexact=email).exists():
        raise ValidationError(f"There is already an account for {email}.")
    check_owner_free(role)
    name = display_name.strip() or email.split("@")[0]
    user = User(username=email, email=email, display_name=name, slug=unique_user_slug(name))
    apply_role(user, role)
    user.set_password(password) if password else user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def create_author_without_login(*, name: str, email: str, role: str, bio: str = "") -> User:
    """A staff account for a writer who arrives with their posts (an import): no usable
    password until they are invited; with no email, a login name of its own."""
    check_owner_free(role)
    name = name.strip()[:150] or email.split("@")[0] or "Author"
    slug = unique_user_slug(name)
    email = User.objects.normalize_email(email).strip()
    user = User(
        username=email or f"imported-{slug}",
        email=email,
        display_name=name,
        slug=slug,
        bio=bio[: User._meta.get_field("bio").max_length or 0],
    )
    apply_role(user, role)
    user.set_unusable_password()
    user.save()
    return user


def change_role(*, actor: User, target: User, role: str) -> User:
    if not permissions.can_change_role(actor, target, role):
        raise PermissionDenied("You may not give that role to that person.")
    with transaction.atomic():
        apply_role(target, role)
        target.save(update_fields=["role", "is_staff", "is_superuser"])
    return target


def transfer_ownership(*, actor: User, to: User) -> None:
    """The owner hands the site to another active staff member and becomes an administrator."""
    if not permissions.can(actor, permissions.Action.TRANSFER_OWNERSHIP):
        raise PermissionDenied("Only the owner can hand over ownership.")
    if to.pk == actor.pk or not permissions.can(to, permissions.Action.USE_STUDIO):
        raise ValidationError("Ownership can only go to another active staff member.")
    with transaction.atomic():
        apply_role(actor, Role.ADMINISTRATOR)
        actor.save(update_fields=["role", "is_staff", "is_superuser"])
        apply_role(to, Role.OWNER)
        to.save(update_fields=["role", "is_staff", "is_superuser"])


# --- Signing in, profiles, suspension (added with the account pages) ---


def login_username(identifier: str) -> str:
    """The account's username for what someone typed in the login box: username or email.

    Failed logins are counted per username (django-axes), so both spellings of one
    account must count as one; an unknown name is passed on as typed.
    """
    identifier = identifier.strip()
    by_username = list(User.objects.filter(username__iexact=identifier)[:2])
    if len(by_username) == 1:
        return by_username[0].username
    by_email = list(User.objects.filter(email__iexact=identifier)[:2])
    if len(by_email) == 1:
        return by_email[0].username
    return identifier


def update_profile(
    *, user: User, display_name: str, email: str, bio: str, notify_comments: bool = True
) -> User:
    """Edit one's own name, address and bio.

    When the login is the email address (as for every invited staff member), it follows
    the new address, so "the email is the login" stays true.
    """
    email = User.objects.normalize_email(email).strip()
    others = User.objects.exclude(pk=user.pk)
    if others.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        raise ValidationError({"email": "Another account already uses this address."})
    if user.email and user.username.lower() == user.email.lower():
        user.username = email
    user.display_name, user.email, user.bio = display_name.strip(), email, bio.strip()
    edited = {"username", "display_name", "email", "bio"}
    try:
        user.full_clean(exclude=[f.name for f in User._meta.fields if f.name not in edited])
    except ValidationError as error:
        errors = error.message_dict
        if "username" in errors:
            errors.setdefault("email", []).extend(errors.pop("username"))
        raise ValidationError(errors) from error
    user.notify_comments = notify_comments
    user.save(update_fields=["username", "display_name", "email", "bio", "notify_comments"])
    return user


def end_sessions(user: User, *, keep: str | None = None) -> int:
    """Sign `user` out everywhere (but the session `keep`); returns how many sessions ended.

    Sessions live in the database, so each is decoded to find whose it is; a small site
    has few, and this runs only when someone is suspended.
    """
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    live = Session.objects.filter(expire_date__gt=timezone.now())
    for session in live.iterator():
        if session.session_key == keep:
            continue
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            store_class().delete(session.session_key)
            ended += 1
    return ended


def suspend_user(*, actor: User, target: User) -> User:
    """Stop a staff member signing in, and end the sessions they have now once that is
    saved (a suspension rolled back signs nobody out)."""
    if not permissions.can_manage_staff_member(actor, target):
        raise PermissionDenied("You may not suspend that person.")
    with transaction.atomic():
        target.is_active = False
        target.save(update_fields=["is_active"])
        transaction.on_commit(lambda: end_sessions(target))
    return target


def reactivate_user(*, actor: User, target: User) -> User:
    """Let a suspended staff member sign in again (with the role they had)."""
    if not permissions.can_manage_staff_member(actor, target):
        raise PermissionDenied("You may not reactivate that person.")
    with transaction.atomic():
        target.is_active = True
        target.save(update_fields=["is_active"])
    return target
