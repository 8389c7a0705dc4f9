"""What was imported from where, so a second run updates instead of duplicating, and the
studio's import jobs."""

import hashlib

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from broadsheet.accounts.models import Role


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ImportedThing(models.Model):
    """A record's source key (`records.py`) and the object it became."""

    class Kind(models.TextChoices):
        POST = "post"
        PAGE = "page"
        AUTHOR = "author"
        COMMENT = "comment"
        MEDIA = "media"

    kind = models.CharField(max_length=10, choices=Kind)
    # sha256 of the source's key (keys are URLs of any length); the key itself, cut, for people.
    key_hash = models.CharField(max_length=64)
    key = models.CharField(max_length=300)
    # sha256 of the record as last imported: the same again is skipped, unchanged.
    digest = models.CharField(max_length=64, blank=True)
    link = models.CharField(max_length=500, blank=True)  # the source's permalink, normalised
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key_hash"], name="imported_once_per_key")
        ]
        indexes = [
            models.Index(fields=["link"], name="imported_by_link"),
            models.Index(fields=["content_type", "object_id"], name="imported_target"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class ImportJob(models.Model):
    """An import started from the studio, run by the worker; the page shows its progress."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    state = models.CharField(max_length=10, choices=State, default=State.QUEUED)
    source_name = models.CharField(max_length=500)  # the uploaded file's name, or the URL
    upload = models.CharField(max_length=500, blank=True)  # our copy, deleted when done
    format = models.CharField(max_length=20, blank=True)  # "" = detect
    author_role = models.CharField(max_length=20, choices=Role, default=Role.CONTRIBUTOR)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"import of {self.source_name}"

    @property
    def is_active(self) -> bool:
        """Waiting or importing: its page follows it until it ends."""
        return self.state in (self.State.QUEUED, self.State.RUNNING)
