"""The prediction actions: keeping the record in step with a published post's text, and
resolving. Each runs inside one transaction; the page store follows their writes
(`fastpath.invalidation`: predictions are a public app).
"""

import dataclasses
import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from broadsheet.accounts import permissions
from broadsheet.accounts.models import User
from broadsheet.content.models import Post
from broadsheet.predictions.blocks import Block, Spec, blocks_of, format_probability
from broadsheet.predictions.models import Change, Outcome, Prediction
from broadsheet.predictions.selectors import site_today

# How long a resolution's note may be (a few sentences and why).
LONGEST_NOTE = 2000

# The fields locked once on the record: an edit of one is kept as a `Change`.
LOCKED = {
    Change.Field.STATEMENT: "statement",
    Change.Field.PROBABILITY: "probability",
    Change.Field.RESOLVES_ON: "resolves_on",
}


_restoring: ContextVar[bool] = ContextVar("predictions_restoring", default=False)


@contextmanager
def record_restored() -> Iterator[None]:
    """Within it, posts written are not brought in step with their text (`sync_post`):
    a restore (`exporters.restore`) writes the record itself as its archive has it, with
    the dates, numbers, changes and resolutions it had, which the text cannot give (made
    again from it, every prediction would be new, made today). The publish check still
    applies."""
    token = _restoring.set(True)
    try:
        yield
    finally:
        _restoring.reset(token)


def is_record_restored() -> bool:
    return _restoring.get()


def check_publishable(post: Post) -> None:
    """Refuse to make public a post whose prediction blocks cannot all be read (a
    prediction is never published half-stated, nor silently left out), or that makes a
    prediction about a date already past when the post is published (what is known
    already is no forecast; a restore brings back the record as it was, dates moved since
    included)."""
    on_record = list(Prediction.objects.filter(post=post).only("statement")) if post.pk else []
    _refuse_unpublishable(post, blocks_of(post.body), on_record)


def _refuse_unpublishable(post: Post, blocks: list[Block], on_record: list[Prediction]) -> None:
    problems = [block.message() for block in blocks if block.spec is None]
    if post.published_at is not None and not is_record_restored():
        published_on = site_today(post.published_at)
        stated = {_normal(prediction.statement) for prediction in on_record}
        problems += [
            f"Prediction {block.number} (line {block.line}): it resolves before the post is "
            f"published ({published_on:%b} {published_on.day}, {published_on.year}); a "
            "prediction is about what is not known yet."
            for block in blocks
            if block.spec is not None
            and block.spec.resolves_on < published_on
            and _normal(block.spec.statement) not in stated
        ]
    if problems:
        raise ValidationError({"body": problems})


def sync_post(post: Post, *, now: datetime.datetime | None = None) -> None:
    """Bring a published post's predictions on the record in step with its text.

    A block is the prediction whose statement it states word for word; the blocks left
    are matched, in order, to the predictions left in the text (an edited statement). A changed
    statement, probability or date is kept as a `Change`; a block taken out of the text
    leaves its prediction on the record, with no place in the post; a new block is a new
    prediction, made now. Called inside the post's write (`receivers`)."""
    blocks = blocks_of(post.body)
    existing = list(Prediction.objects.select_for_update().filter(post=post).order_by("number"))
    _refuse_unpublishable(post, blocks, existing)
    now = now or timezone.now()
    specs = [block.spec for block in blocks if block.spec is not None]
    by_statement = {_normal(p.statement): p for p in reversed(existing)}  # the first wins
    matched: dict[int, Prediction] = {}
    for place, spec in enumerate(specs, start=1):
        if (prediction := by_statement.pop(_normal(spec.statement), None)) is not None:
            matched[place] = prediction
    # Only one still in the text can have been edited into a block: one taken out is gone
    # from it, and a new block is a new prediction.
    unmatched = [p for p in existing if p not in matched.values() and p.position is not None]
    next_number = max((p.number for p in existing), default=0) + 1
    for place, spec in enumerate(specs, start=1):
        prediction = matched.get(place)
        if prediction is None and unmatched:
            prediction = unmatched.pop(0)
        if prediction is None:
            _make(post, spec, number=next_number, position=place, now=now)
            next_number += 1
        else:
            _update(prediction, spec, position=place, post=post, now=now)
    for prediction in unmatched:
        prediction.position = None
        prediction.save(update_fields=["position"])


def _normal(statement: str) -> str:
    return " ".join(statement.split()).casefold()


def _make(post: Post, spec: Spec, *, number: int, position: int, now: datetime.datetime) -> None:
    Prediction.objects.create(
        post=post,
        author_id=post.author_id,
        number=number,
        position=position,
        post_title=post.title,
        first_probability=spec.probability,
        made_at=now,
        **dataclasses.asdict(spec),
    )


def _update(
    prediction: Prediction, spec: Spec, *, position: int, post: Post, now: datetime.datetime
) -> None:
    changes = [
        Change(
            prediction=prediction,
            at=now,
            field=field,
            old=_shown(getattr(prediction, name)),
            new=_shown(getattr(spec, name)),
        )
        for field, name in LOCKED.items()
        if getattr(prediction, name) != getattr(spec, name)
    ]
    fresh = {**dataclasses.asdict(spec), "position": position, "post_title": post.title}
    if changes:
        Change.objects.bulk_create(changes)
    if any(getattr(prediction, name) != value for name, value in fresh.items()):
        for name, value in fresh.items():
            setattr(prediction, name, value)
        prediction.save(update_fields=list(fresh))


def _shown(value: object) -> str:
    """A field's value as the history keeps it (a probability as a fraction, a date in ISO)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def resolve(
    *, actor: User, prediction: Prediction, outcome: str, note: str = "", source: str = ""
) -> Prediction:
    """Say how a prediction came out (came true, did not, or voided: it cannot be judged),
    or correct an earlier resolution: every resolution is kept in its history."""
    if not permissions.can_resolve_prediction(actor, prediction):
        raise PermissionDenied("Only the author or an editor can resolve this prediction.")
    if outcome not in (Outcome.TRUE, Outcome.FALSE, Outcome.VOID):
        raise ValidationError({"outcome": "Choose how it came out."})
    note, source = note.strip(), source.strip()
    if len(note) > LONGEST_NOTE:
        raise ValidationError({"note": f"Keep the note under {LONGEST_NOTE} characters."})
    with transaction.atomic():
        prediction = Prediction.objects.select_for_update().get(pk=prediction.pk)
        if (prediction.outcome, prediction.resolution_note, prediction.resolution_source) == (
            outcome,
            note,
            source,
        ):
            return prediction  # sent twice: nothing to correct
        now = timezone.now()
        Change.objects.create(
            prediction=prediction,
            at=now,
            by=actor,
            field=Change.Field.OUTCOME,
            old=prediction.outcome,
            new=outcome,
            note=note,
        )
        prediction.outcome = outcome
        prediction.resolution_note = note
        prediction.resolution_source = source
        prediction.resolved_at = now
        prediction.resolved_by = actor
        prediction.full_clean(exclude=["post", "author", "resolved_by"])
        prediction.save(
            update_fields=[
                "outcome",
                "resolution_note",
                "resolution_source",
                "resolved_at",
                "resolved_by",
            ]
        )
    return prediction


def describe_change(change: Change) -> str:
    """A change as the card's history tells it: "raised to 30%", "date moved to …"."""
    if change.field == Change.Field.PROBABILITY:
        verb = "raised" if Decimal(change.new) > Decimal(change.old) else "lowered"
        return f"{verb} to {format_probability(Decimal(change.new))}"
    if change.field == Change.Field.RESOLVES_ON:
        date = datetime.date.fromisoformat(change.new)
        return f"resolve-by date moved to {date:%b} {date.day}, {date.year}"
    if change.field == Change.Field.STATEMENT:
        return f"statement changed from “{change.old}”"
    label = Outcome(change.new).label
    return f"resolved: {label}" if not change.old else f"resolution corrected: {label}"
