"""Reads for the track record: each a fixed number of queries however many predictions.

Every prediction is on the record, its post withdrawn or not: a prediction is made only
when its post is published, so each one was public once, and withdrawing the post does
not take back what was predicted. Whether its post is still public decides only whether
it is linked (`from_public_post`, by `content.models.published_filter`).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, QuerySet
from django.http import Http404

from broadsheet.accounts.models import User
from broadsheet.content.models import Tag, published_filter
from broadsheet.predictions import scoring
from broadsheet.predictions.models import Outcome, Prediction


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
