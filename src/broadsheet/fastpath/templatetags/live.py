"""`{% live_count post "views" %}`: a count the fast path fills in as it serves the page."""

from django import template
from django.db.models import Model
from django.utils.safestring import SafeString, mark_safe

from broadsheet.fastpath.live import count_text, marked

register = template.Library()


@register.simple_tag
def live_count(obj: Model, count: str, number: bool = False) -> SafeString:
    """`3 likes` (or `3` with `number=True`) for a post or a comment, marked for filling."""
    n = obj.view_count if count == "views" else obj.like_count
    text = count_text(n, count, bare=number)
    return mark_safe(marked(text, obj._meta.model_name, obj.pk, count, bare=number))  # noqa: S308 (digits and our own words)
