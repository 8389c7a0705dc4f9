"""Predictions as cards in a post's body.

When a post's Markdown is rendered, each block becomes a card of what it states
(`render_block`, handed to `core.markup`): that is what the body keeps, so the newsletter,
the API and the search index read the prediction as plain HTML. The post page and the
feeds then put in the card of the prediction on the record (`post_body`, `fill` with
`in_text`): its state, its resolution and its history, which change with no edit of the
post. Away from the site (feeds, email) a card's anchor links to the post's page
(`with_permalinks`).
"""

import dataclasses
import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.html import escape

from broadsheet.content.models import Post
from broadsheet.predictions.blocks import read
from broadsheet.predictions.models import Outcome, Prediction
from broadsheet.predictions.selectors import site_today
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
    card = Card(number=number, position=number, **dataclasses.asdict(spec))
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


def holds_cards(body_html: str) -> bool:
    """Whether a rendered body has prediction cards: only then is there a record to read."""
    return 'data-prediction="' in body_html


def post_body(post: Post) -> str:
    """A post's body as its page shows it: two queries when it holds predictions, none
    otherwise."""
    if post.pk is None:  # a preview of a post never saved
        return post.body_html
    predictions = in_text([post], history=True).get(post.pk)
    return fill(post.body_html, predictions, today=site_today()) if predictions else post.body_html


def in_text(posts: Sequence[Post], *, history: bool = False) -> dict[int, list[Prediction]]:
    """The predictions in the text of each of `posts` that holds cards, in the text's order,
    by post id (taken-out ones are on the author's record, not in the post): one query
    and, with their `history` (for `card_of`), one more; none when no post holds a card."""
    holding = [post.pk for post in posts if holds_cards(post.body_html)]
    if not holding:
        return {}
    rows = Prediction.objects.filter(post_id__in=holding, position__isnull=False)
    if history:
        rows = rows.prefetch_related("changes")
    found: dict[int, list[Prediction]] = {}
    for prediction in rows.order_by("post_id", "position"):
        assert prediction.post_id is not None  # one of `holding`'s
        found.setdefault(prediction.post_id, []).append(prediction)
    return found


def with_permalinks(html: str, post_url: str) -> str:
    """The cards' anchors (`#prediction-3`) as links to them on the post's page, for a body
    read away from it (a feed, an email), where a bare anchor leads nowhere."""
    return html.replace('href="#prediction-', f'href="{escape(post_url)}#prediction-')
