"""`{% live_count post "views" %}`: a count the fast path fills in as it serves the page."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from broadsheet.comments.models import Comment
from broadsheet.content.models import Post
from broadsheet.fastpath.live import count_text, marked

register = template.Library()


@register.simple_tag
def live_count(obj: Post | Comment, count: str, number: bool = False) -> SafeString:
    """`3 likes` (or `3` with `number=True`) for a post or a comment, marked for filling."""
    # A comment has no views: the fast path's counts query reads them as 0 too.
    kind, views = ("post", obj.view_count) if isinstance(obj, Post) else ("comment", 0)
    n = views if count == "views" else obj.like_count
    text = count_text(n, count, bare=number)
    return mark_safe(marked(text, kind, obj.pk, count, bare=number))  # noqa: S308 (digits and our own words)
