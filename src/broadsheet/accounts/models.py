"""People: one User model from day one, with the public profile an author shows.

A staff member has a role (what they may do is `accounts.permissions`); a reader has none.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse


class Role(models.TextChoices):
    """Ordered from most to least trusted; the order is used by `Role.rank`."""

    OWNER = "owner", "Owner"
    ADMINISTRATOR = "administrator", "Administrator"
    EDITOR = "editor", "Editor"
    AUTHOR = "author", "Author"
    CONTRIBUTOR = "contributor", "Contributor"

    @classmethod
    def rank(cls, role: str) -> int:
        """Higher is more trusted; a reader (no role) is 0."""
        values = list(cls.values)
        return len(values) - values.index(role) if role in values else 0


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role, blank=True, db_index=True)
    # Base32 TOTP secret; empty means two-factor login is off.
    totp_secret = models.CharField(max_length=64, blank=True, editable=False)
    # The last time step a code was accepted for, so a code works once.
    totp_last_step = models.BigIntegerField(default=0, editable=False)
    display_name = models.CharField(max_length=150, blank=True)
    notify_comments = models.BooleanField("email me about comments on my posts", default=True)
    slug = models.SlugField(max_length=150, unique=True, null=True, blank=True)
    bio = models.TextField(blank=True, max_length=2000)
    avatar = models.ImageField(upload_to="avatars/%Y/%m/", blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                fields=["role"], condition=models.Q(role="owner"), name="exactly_one_owner"
            )
        ]

    def __str__(self) -> str:
        return self.public_name

    def get_absolute_url(self) -> str:
        return reverse("content:author", kwargs={"slug": self.slug})

    @property
    def public_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def initials(self) -> str:
        words = self.public_name.split()
        return "".join(word[0] for word in words[:2]).upper() or "?"

    @property
    def avatar_hue(self) -> int:
        """A stable colour per person, so a generated avatar is recognisable."""
        digest = hashlib.blake2s((self.slug or self.username).encode(), digest_size=2).digest()
        return int.from_bytes(digest) % 360

    @property
    def avatar_url(self) -> str:
        if self.avatar:
            return self.avatar.url
        return reverse("content:author_avatar", kwargs={"slug": self.slug})

    @property
    def has_two_factor(self) -> bool:
        return bool(self.totp_secret)

    @property
    def is_integration(self) -> bool:
        """The account an API integration acts as (`integrations`): it has a role, but no
        person behind it; it never signs in and is managed on the integrations page."""
        return hasattr(self, "integration")


def staff_people() -> "models.QuerySet[User]":
    """Staff accounts of people: integrations' accounts have a role but are not listed,
    managed or offered as people are."""
    return User.objects.exclude(role="").filter(integration__isnull=True)


class Invitation(models.Model):
    """A link that makes its holder a staff member with `role`; it works once and expires.

    Only a hash of the token is kept, so a leaked database holds no usable link.
    """

    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} as {self.get_role_display()}"
