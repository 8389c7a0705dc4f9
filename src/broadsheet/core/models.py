"""Site-wide settings, edited by the operator in the admin."""

import zoneinfo

from django.conf import settings
from django.db import models


def _timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


def _language_choices() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


def _default_timezone() -> str:
    return settings.TIME_ZONE


def _default_language() -> str:
    return settings.LANGUAGE_CODE.split("-")[0]


class CommentPolicy(models.TextChoices):
    OPEN = "open", "Show new comments at once"
    HOLD_FIRST = "hold_first", "Hold a first-time commenter's comment for approval"
    HOLD_ALL = "hold_all", "Hold every new comment for approval"
    CLOSED = "closed", "Comments are closed"


class SiteSettings(models.Model):
    """A single row (pk=1): read through `selectors.get_site_settings`, once per generation."""

    title = models.CharField(max_length=120, default="Broadsheet")
    description = models.CharField(max_length=300, blank=True, default="Analysis and commentary.")
    logo = models.ForeignKey(
        "broadsheet_media.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    navigation = models.TextField(
        blank=True,
        help_text="One link a line, as “Label | /path/ or https://…”. Shown in the site header.",
    )
    timezone = models.CharField(max_length=64, choices=_timezone_choices, default=_default_timezone)
    language = models.CharField(max_length=10, choices=_language_choices, default=_default_language)
    comment_policy = models.CharField(
        max_length=20, choices=CommentPolicy, default=CommentPolicy.OPEN
    )
    blocked_words = models.TextField(
        blank=True,
        help_text="One word or phrase a line; a comment containing one goes to spam.",
    )

    class Meta:
        verbose_name = verbose_name_plural = "site settings"

    def __str__(self) -> str:
        return self.title

    @property
    def navigation_links(self) -> list[tuple[str, str]]:
        """(label, url) pairs from the `navigation` text; malformed lines are skipped."""
        links = []
        for line in self.navigation.splitlines():
            label, sep, url = line.partition("|")
            if sep and label.strip() and url.strip():
                links.append((label.strip(), url.strip()))
        return links

    @property
    def comments_open(self) -> bool:
        return self.comment_policy != CommentPolicy.CLOSED
