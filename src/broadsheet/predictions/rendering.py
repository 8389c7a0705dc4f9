"""Predictions as cards in a post's body.

When a post's Markdown is rendered, each block becomes a card of what it states
(`render_block`, handed to `core.markup`): that is what the body keeps, so feeds, the
newsletter, the API and the search index read the prediction as plain HTML. The post page
then puts in the card of the prediction on the record (`post_body`): its state, its
resolution and its history, which change with no edit of the post.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from broadsheet.content.models import Post
from broadsheet.predictions.blocks import read
from broadsheet.predictions.models import Outcome, Prediction
from broadsheet.predictions.services import describe_change

# A card in a body, as `card.html` writes it; `data-prediction` is the block's place.
# Writers cannot forge one: sanitizing takes `data-` attributes out of what they type.
_CARD = re.compile(
    r'<figure class="prediction[^"]*" id="prediction-\d+" data-prediction="(\d+)">.*?</figure>',
    re.DOTALL,
)

STATE_LABELS = {
    "open": "Open",
    "awaiting": "Awaiting resolution",
    Outcome.TRUE: "Came true",
    Outcome.FALSE: "Did not come true",
    Outcome.VOID: "Voided",
}


@dataclass(frozen=True)
class Resolution:
    label: str
    at: datetime.datetime
    note: str
    source: str


@dataclass(frozen=True)
class HistoryEntry:
    text: str
    at: datetime.datetime


@dataclass(frozen=True)
class Card:
    number: int
    position: int
    statement: str
    probability: Decimal
    resolves_on: datetime.date
    criteria: str = ""
    source: str = ""
    state: str = ""
    state_label: str = ""
    resolution: Resolution | None = None
    withdrawn: bool = False
    history: list[HistoryEntry] = field(default_factory=list)


def render_block(content: str, number: int) -> str:
    """A block as the body keeps it: what it states, or why it cannot be read."""
    try:
        spec = read(content)
    except ValueError as problem:
        return render_to_string(
            "predictions/problem.html", {"number": number, "problem": str(problem)}
        )
    card = Card(
        number=number,
        position=number,
        statement=spec.statement,
        probability=spec.probability,
        resolves_on=spec.resolves_on,
        criteria=spec.criteria,
        source=spec.source,
    )
    return render_to_string("predictions/card.html", {"card": card})


def state_of(prediction: Prediction, today: datetime.date) -> str:
    """open, awaiting (its date has passed, unresolved), or its outcome."""
    if prediction.is_resolved:
        return prediction.outcome
    return "awaiting" if today > prediction.resolves_on else "open"


def card_of(prediction: Prediction, *, today: datetime.date) -> Card:
    """The card of a prediction on the record (its `changes` prefetched)."""
    state = state_of(prediction, today)
    resolution = None
    if prediction.is_resolved and prediction.resolved_at is not None:
        resolution = Resolution(
            label=Outcome(prediction.outcome).label,
            at=prediction.resolved_at,
            note=prediction.resolution_note,
            source=prediction.resolution_source,
        )
    return Card(
        number=prediction.number,
        position=prediction.position or 0,
        statement=prediction.statement,
        probability=prediction.probability,
        resolves_on=prediction.resolves_on,
        criteria=prediction.criteria,
        source=prediction.source,
        state=state,
        state_label=STATE_LABELS[state],
        resolution=resolution,
        withdrawn=prediction.position is None,
        history=[
            HistoryEntry(text=describe_change(change), at=change.at)
            for change in prediction.changes.all()
        ],
    )


def fill(body_html: str, predictions: Iterable[Prediction], *, today: datetime.date) -> str:
    """The body with each block's card replaced by its prediction's on the record."""
    by_position = {p.position: p for p in predictions if p.position is not None}

    def card(match: re.Match) -> str:
        prediction = by_position.get(int(match[1]))
        if prediction is None:  # not on the record (yet): the card of what it states
            return match[0]
        return render_to_string(
            "predictions/card.html", {"card": card_of(prediction, today=today)}
        ).strip()

    return _CARD.sub(card, body_html)


def post_body(post: Post) -> str:
    """A post's body as its page shows it: two queries when it holds predictions, none
    otherwise."""
    if 'data-prediction="' not in post.body_html or post.pk is None:
        return post.body_html
    predictions = post.predictions.filter(position__isnull=False).prefetch_related("changes")
    return fill(post.body_html, predictions, today=timezone.localdate())
