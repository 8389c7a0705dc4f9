"""Uploaded images. Writes go through `media.services`; files through Django's storage API."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models

ALT_MAX_LENGTH = 300


class Image(models.Model):
    file = models.ImageField(upload_to="images/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    alt = models.CharField("alt text", max_length=ALT_MAX_LENGTH, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=50, editable=False)
    size = models.PositiveIntegerField(editable=False, help_text="Bytes, after cleaning.")
    # [{"width": 480, "height": 320, "name": "images/2026/11/x-480.webp"}, ...], narrowest first.
    renditions = models.JSONField(default=list, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="images"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.alt or self.original_name or self.file.name or ""

    @property
    def url(self) -> str:
        return self.file.url

    @property
    def srcset(self) -> str:
        sizes = [f"{default_storage.url(r['name'])} {r['width']}w" for r in self.renditions]
        return ", ".join([*sizes, f"{self.url} {self.width}w"])
