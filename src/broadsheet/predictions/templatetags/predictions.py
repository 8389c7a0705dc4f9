from decimal import Decimal

from django import template

from broadsheet.predictions.blocks import format_probability

register = template.Library()


@register.filter
def percent(probability: Decimal) -> str:
    """0.15 as "15%"."""
    return format_probability(probability)
