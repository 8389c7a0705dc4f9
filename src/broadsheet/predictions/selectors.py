"""Reads of the record, each a fixed number of queries however many predictions: the
studio's lists and the fast path's next deadline; the track record's counts, score and
lists.

A prediction's date is a day in the site's time zone: it awaits resolution from the start
of the next day there, whichever process asks (a request, the worker, the fast path).

Every prediction is on the record, its post withdrawn or not: a prediction is made only
when its post is published, so each one was public once, and withdrawing the post does
not take back what was predicted. Whether its post is still public decides only whether
it is linked (`from_public_post`, by `content.models.published_filter`).
"""

import datetime
import zoneinfo
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import DatabaseError
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from broadsheet.accounts import permissions
from broadsheet.accounts.models import User
from broadsheet.content.models import Tag, published_filter
from broadsheet.core.pagination import Page, paginate
from broadsheet.core.selectors import get_site_settings
from broadsheet.predictions import scoring
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


def on_record(*, author: User | None = None, tag: Tag | None = None) -> QuerySet[Prediction]:
    """The predictions a record counts: all, or one author's, or those in posts with a tag
    (a deleted post's predictions have no tags left: they count only without one)."""
    predictions = Prediction.objects.all()
    if author is not None:
        predictions = predictions.filter(author=author)
    if tag is not None:
        predictions = predictions.filter(post__tags=tag)
    return predictions


def record_of(predictions: QuerySet[Prediction]) -> scoring.Record:
    """The counts, the score and the bins, in one query of two small columns."""
    return scoring.record_of(predictions.order_by().values_list("first_probability", "outcome"))


def _listed(predictions: QuerySet[Prediction]) -> QuerySet[Prediction]:
    """What a line of the lists shows: its author and its post (no body), and whether the
    post is public now."""
    return (
        predictions.select_related("post", "author")
        .defer("post__body", "post__body_html")
        .annotate(
            from_public_post=ExpressionWrapper(
                published_filter("post__"), output_field=BooleanField()
            )
        )
    )


def open_predictions(predictions: QuerySet[Prediction]) -> QuerySet[Prediction]:
    """Not resolved yet, soonest date first: those awaiting resolution lead."""
    return _listed(predictions.filter(outcome=Outcome.OPEN)).order_by("resolves_on", "pk")


def resolved_predictions(predictions: QuerySet[Prediction]) -> QuerySet[Prediction]:
    """Resolved (voided ones too), newest resolution first."""
    return _listed(predictions.exclude(outcome=Outcome.OPEN)).order_by("-resolved_at", "-pk")


def authors_on_record() -> list[User]:
    """The public authors who have made predictions, by name: what the filter offers."""
    authors = User.objects.filter(
        Exists(Prediction.objects.filter(author=OuterRef("pk"))),
        is_active=True,
        slug__isnull=False,
    ).only("slug", "display_name", "first_name", "last_name", "username")
    return sorted(authors, key=lambda author: author.public_name.casefold())


def tags_on_record() -> list[Tag]:
    """The tags of posts with predictions, by name."""
    return list(Tag.objects.filter(Exists(Prediction.objects.filter(post__tags=OuterRef("pk")))))


@dataclass(frozen=True)
class Filters:
    """Whose record and on what, with what the filter form offers."""

    authors: list[User]
    tags: list[Tag]
    author: User | None = None
    tag: Tag | None = None

    @property
    def query(self) -> str:
        """The filters as a query string ("?author=ada"), or "" for none."""
        chosen = {"author": self.author, "tag": self.tag}
        kept = {name: thing.slug for name, thing in chosen.items() if thing is not None}
        return f"?{urlencode(kept)}" if kept else ""

    def predictions(self) -> QuerySet[Prediction]:
        return on_record(author=self.author, tag=self.tag)


def chosen_filters(*, author: str = "", tag: str = "") -> Filters:
    """The filters a reader chose, among those on the record (two queries). An author or
    a tag that is not there is no record to show: `Http404`, never an empty page that
    the fast path would keep for every made-up name."""
    authors, tags = authors_on_record(), tags_on_record()
    chosen_author = next((a for a in authors if a.slug == author), None)
    chosen_tag = next((t for t in tags if t.slug == tag), None)
    if (author and chosen_author is None) or (tag and chosen_tag is None):
        raise Http404("No predictions on the record for that author or tag.")
    return Filters(authors=authors, tags=tags, author=chosen_author, tag=chosen_tag)
