"""Cookie-free analytics: daily totals per post, and today's reader marks until roll-up."""

from django.db import models

from broadsheet.content.models import Post


class DailyPostStats(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="daily_stats")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    readers = models.PositiveIntegerField(
        default=0, help_text="Distinct readers; filled in when the day is rolled up."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "day"], name="one_stats_row_a_day")]
        indexes = [models.Index(fields=["day"], name="stats_day_idx")]

    def __str__(self) -> str:
        return f"{self.post_id} on {self.day}: {self.views}"


class Source(models.TextChoices):
    DIRECT = "direct", "Direct or unknown"
    HOME = "home", "Home page"
    TAG = "tag", "Tag pages"
    AUTHOR = "author", "Author pages"
    POST = "post", "Other posts"
    ARCHIVE = "archive", "Archive"
    FEED = "feed", "Feeds"
    SEARCH = "search", "Search engines"
    SOCIAL = "social", "Social networks"
    REFERRAL = "referral", "Other sites"


class DailyReferral(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="daily_referrals")
    day = models.DateField()
    source = models.CharField(max_length=10, choices=Source)
    domain = models.CharField(max_length=253, blank=True)
    views = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "day", "source", "domain"], name="one_referral_row_a_day"
            )
        ]
        indexes = [models.Index(fields=["day", "source"], name="referral_day_idx")]

    def __str__(self) -> str:
        return f"{self.source} {self.domain} on {self.day}: {self.views}"


class ReaderMark(models.Model):
    """That someone read a post today: a salted hash that cannot be traced back.

    The salt changes every day and is deleted after it, and the marks are counted into
    `DailyPostStats.readers` and deleted when the day is rolled up.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    reader = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "day", "reader"], name="one_mark_a_reader")
        ]

    def __str__(self) -> str:
        return f"{self.post_id} on {self.day}"


class DailySalt(models.Model):
    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return str(self.day)
