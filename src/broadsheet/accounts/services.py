"""Writes to people: staff roles and ownership. Each checks its permission first."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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


def create_staff_user(
    *, email: str, role: str, password: str | None, display_name: str = ""
) -> User:
    """A new staff account; the email is the login. No password means none is usable yet."""
    email = User.objects.normalize_email(email).strip()
    if User.objects.filter(username__iexact=email).exists():
        raise ValidationError(f"There is already an account for {email}.")
    if role == Role.OWNER and User.objects.filter(role=Role.OWNER).exists():
        raise ValidationError("The site already has an owner; ownership can be handed over.")
    name = display_name.strip() or email.split("@")[0]
    user = User(username=email, email=email, display_name=name, slug=unique_user_slug(name))
    apply_role(user, role)
    user.set_password(password) if password else user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def change_role(*, actor: User, target: User, role: str) -> User:
    if not (
        permissions.can_manage_staff_member(actor, target) and permissions.can_invite(actor, role)
    ):
        raise PermissionDenied("You may not give that role to that person.")
    apply_role(target, role)
    target.save(update_fields=["role", "is_staff", "is_superuser"])
    return target


def transfer_ownership(*, actor: User, to: User) -> None:
    """The owner hands the site to another active staff member and becomes an administrator."""
    if not permissions.can(actor, permissions.Action.TRANSFER_OWNERSHIP):
        raise PermissionDenied("Only the owner can hand over ownership.")
    if to.pk == actor.pk or not to.is_active or not to.role:
        raise ValidationError("Ownership can only go to another active staff member.")
    with transaction.atomic():
        apply_role(actor, Role.ADMINISTRATOR)
        actor.save(update_fields=["role", "is_staff", "is_superuser"])
        apply_role(to, Role.OWNER)
        to.save(update_fields=["role", "is_staff", "is_superuser"])
