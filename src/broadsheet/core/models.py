"""Site-wide settings, edited by the operator in the admin."""

from django.db import models


class SiteSettings(models.Model):
    """A single row (pk=1): read through `selectors.get_site_settings`, which caches it."""

    title = models.CharField(max_length=120, default="Broadsheet")
    description = models.CharField(max_length=300, blank=True, default="Analysis and commentary.")
    hold_comments_for_approval = models.BooleanField(
        default=False,
        help_text="New comments wait for a moderator before they are shown.",
    )

    class Meta:
        verbose_name = verbose_name_plural = "site settings"

    def __str__(self) -> str:
        return self.title
