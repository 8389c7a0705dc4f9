"""Bounded storage: yesterday's reader marks become a number, and its salt is deleted."""

import datetime

from django.db import transaction

from broadsheet.analytics.models import DailyPostStats, DailySalt, ReaderMark
from broadsheet.analytics.selectors import reader_marks_to_roll_up


def roll_up(*, before: datetime.date) -> int:
    """Count each finished day's readers into its totals; returns the rows rolled up."""
    with transaction.atomic():
        rows = list(reader_marks_to_roll_up(before))
        for row in rows:
            DailyPostStats.objects.filter(post_id=row["post_id"], day=row["day"]).update(
                readers=row["readers"]
            )
        ReaderMark.objects.filter(day__lt=before).delete()
        DailySalt.objects.filter(day__lt=before).delete()
    return len(rows)
