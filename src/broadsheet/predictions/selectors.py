"""Reads of the record for the studio and for the fast path, each a fixed number of queries.

A prediction's date is a day in the site's time zone: it awaits resolution from the start
of the next day there, whichever process asks (a request, the worker, the fast path).
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.db import DatabaseError
from django.db.models import QuerySet
from django.utils import timezone

from broadsheet.accounts import permissions
from broadsheet.accounts.models import User
from broadsheet.core.pagination import Page, paginate
from broadsheet.core.selectors import get_site_settings
from broadsheet.predictions.models import Outcome, Prediction

# The studio's lists: the ones waiting for a decision are few and all wanted; the resolved
# ones only grow, so they come a page at a time.
WAITING_SHOWN = 100
RESOLVED_PAGE_SIZE = 25


def site_today(now: datetime.datetime | None = None) -> datetime.date:
    """Today in the site's time zone (the worker has no request to set it)."""
    return timezone.localdate(
        now or timezone.now(), zoneinfo.ZoneInfo(get_site_settings().timezone)
    )


def deadline(resolves_on: datetime.date) -> datetime.datetime:
    """The moment a prediction with this date starts awaiting resolution: the start of the
    next day in the site's time zone."""
    zone = zoneinfo.ZoneInfo(get_site_settings().timezone)
    return datetime.datetime.combine(
        resolves_on + datetime.timedelta(days=1), datetime.time(), zone
    )


def next_deadline_timestamp() -> float | None:
    """When the next open prediction starts awaiting resolution (a Unix time), if any;
    None if unknown. Its card changes then with no write at all (`fastpath.app`)."""
    try:
        resolves_on = (
            Prediction.objects.filter(outcome=Outcome.OPEN, resolves_on__gte=site_today())
            .order_by("resolves_on")
            .values_list("resolves_on", flat=True)
            .first()
        )
        return deadline(resolves_on).timestamp() if resolves_on else None
    except DatabaseError:
        return None


def resolvable_by(user: User) -> QuerySet[Prediction]:
    """The predictions `user` may resolve (`permissions.can_resolve_prediction`): those on
    their own record, or everyone's for editors and up; with their post and people."""
    rows = Prediction.objects.select_related("post", "author", "resolved_by")
    if permissions.can(user, permissions.Action.RESOLVE_ALL_PREDICTIONS):
        return rows
    return rows.filter(author=user)


@dataclass(frozen=True)
class StudioPredictions:
    awaiting: list[Prediction]  # the date has passed, unresolved: oldest first
    more_awaiting: bool  # more than are shown
    open: list[Prediction]  # the date is still to come: soonest first
    more_open: bool
    resolved: Page  # newest resolution first
    everyone: bool  # everyone's, not only the user's own


def studio_predictions(user: User, *, page: int, today: datetime.date) -> StudioPredictions:
    """The studio's Predictions page: three queries, however many there are."""
    rows = resolvable_by(user)
    waiting = rows.filter(outcome=Outcome.OPEN).order_by("resolves_on", "pk")
    awaiting = list(waiting.filter(resolves_on__lt=today)[: WAITING_SHOWN + 1])
    still_open = list(waiting.filter(resolves_on__gte=today)[: WAITING_SHOWN + 1])
    resolved = rows.exclude(outcome=Outcome.OPEN).order_by("-resolved_at", "-pk")
    return StudioPredictions(
        awaiting=awaiting[:WAITING_SHOWN],
        more_awaiting=len(awaiting) > WAITING_SHOWN,
        open=still_open[:WAITING_SHOWN],
        more_open=len(still_open) > WAITING_SHOWN,
        resolved=paginate(resolved, page, per_page=RESOLVED_PAGE_SIZE),
        everyone=permissions.can(user, permissions.Action.RESOLVE_ALL_PREDICTIONS),
    )
