"""Predictions on the record: each one a writer published in a post, with every change
made to it since and how it came out.

A prediction is made when its post is first published (a draft's blocks are only text)
and is never deleted with its post: the record is the author's, and a withdrawn post
(unpublished, trashed or deleted) leaves its predictions on it, marked as such. It is
scored by the probability it was first published with (`first_probability`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from broadsheet.predictions.blocks import LONGEST_SOURCE, format_probability


class Outcome(models.TextChoices):
    OPEN = "", "not resolved"
    TRUE = "true", "came true"
    FALSE = "false", "did not come true"
    VOID = "void", "voided"


class Prediction(models.Model):
    post = models.ForeignKey(
        "broadsheet_content.Post",
        null=True,
        on_delete=models.SET_NULL,
        related_name="predictions",
    )
    # Whose record it is on: the post's author when it was first published.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="predictions"
    )
    # Its anchor on the post page (`#prediction-3`); given once, in the post's order.
    number = models.PositiveSmallIntegerField()
    # Its place among the post's blocks now (1 for the first); null once taken out of
    # the text (it stays on the record).
    position = models.PositiveSmallIntegerField(null=True)
    post_title = models.CharField(max_length=200, help_text="As it was: for a deleted post.")
    statement = models.TextField()
    probability = models.DecimalField(max_digits=5, decimal_places=4)
    resolves_on = models.DateField()
    criteria = models.TextField(blank=True)
    source = models.URLField(blank=True, max_length=LONGEST_SOURCE)
    first_probability = models.DecimalField(max_digits=5, decimal_places=4)
    made_at = models.DateTimeField()
    outcome = models.CharField(max_length=5, choices=Outcome, default=Outcome.OPEN, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution_note = models.TextField(blank=True)
    resolution_source = models.URLField(blank=True, max_length=LONGEST_SOURCE)
    # When its author was told it reached its date (once).
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["resolves_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "number"], name="prediction_number"),
            models.CheckConstraint(
                condition=Q(probability__gt=0, probability__lt=1)
                & Q(first_probability__gt=0, first_probability__lt=1),
                name="prediction_probability",
            ),
        ]
        indexes = [
            models.Index(fields=["author", "resolves_on"], name="prediction_author_idx"),
            models.Index(fields=["outcome", "resolves_on"], name="prediction_outcome_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.statement[:60]} ({format_probability(self.probability)})"

    def get_absolute_url(self) -> str:
        return f"{self.post.get_absolute_url()}#prediction-{self.number}" if self.post else ""

    @property
    def is_resolved(self) -> bool:
        return self.outcome != Outcome.OPEN


class Change(models.Model):
    """A change to a prediction once on the record: a locked field edited in the post
    ("raised to 30% on May 2"), or a resolution made or corrected."""

    class Field(models.TextChoices):
        STATEMENT = "statement"
        PROBABILITY = "probability"
        RESOLVES_ON = "resolves_on", "date"
        OUTCOME = "outcome"

    prediction = models.ForeignKey(Prediction, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    field = models.CharField(max_length=12, choices=Field)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old} → {self.new}"
