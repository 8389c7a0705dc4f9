"""People: one User model from day one, with the public profile an author shows."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse


class User(AbstractUser):
    display_name = models.CharField(max_length=150, blank=True)
    slug = models.SlugField(max_length=150, unique=True, null=True, blank=True)
    bio = models.TextField(blank=True, max_length=2000)
    avatar = models.ImageField(upload_to="avatars/%Y/%m/", blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

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
