import datetime
from decimal import ROUND_HALF_UP, Decimal

from django import template

from broadsheet.predictions.blocks import format_probability
from broadsheet.predictions.chart import calibration_chart
from broadsheet.predictions.models import Prediction
from broadsheet.predictions.rendering import STATE_LABELS, state_of
from broadsheet.predictions.scoring import Record

register = template.Library()


@register.filter
def percent(probability: Decimal) -> str:
    """0.15 as "15%"."""
    return format_probability(probability)


@register.filter
def share(fraction: Decimal) -> str:
    """A mean or a frequency as a whole percentage: 0.3333… as "33%"."""
    return f"{(fraction * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


@register.filter
def state_label(prediction: Prediction, today: datetime.date) -> str:
    """ "Open", "Awaiting resolution", "Came true"…, as the card says it."""
    return STATE_LABELS[state_of(prediction, today)]


@register.inclusion_tag("predictions/_record.html")
def track_record(record: Record) -> dict:
    """The record's counts, score, calibration chart and table (the author page's and
    `/predictions/`'s)."""
    return {"record": record, "chart": calibration_chart(record)}
