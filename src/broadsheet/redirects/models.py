"""An old address and what it names. The target is the thing, not its URL: when a post's
slug changes later, its old addresses follow it."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

PATH_LENGTH = 500


class OldAddress(models.Model):
    # As `addresses.normalise` writes it: "/2022/04/13/slug", "/?p=12", "/post/slug".
    path = models.CharField(max_length=PATH_LENGTH, unique=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "old addresses"
        indexes = [models.Index(fields=["content_type", "object_id"], name="old_address_target")]

    def __str__(self) -> str:
        return self.path
