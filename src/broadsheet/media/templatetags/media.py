"""`{% load media %}`: uploaded images in templates, at every size the browser may want."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from broadsheet.media import html
from broadsheet.media.models import Image

register = template.Library()


@register.simple_tag
def responsive_image(
    image: Image | None,
    alt: str | None = None,
    sizes: str = html.POST_SIZES,
    css_class: str = "",
    eager: bool = False,
) -> SafeString | str:
    """`{% responsive_image post.cover_image alt=post.cover_alt eager=True %}`.

    `alt` defaults to the image's own alt text (pass "" for a decorative image); `eager`
    is for the image seen first (a cover, the logo), which should not wait to be scrolled to.
    Nothing is rendered for no image.
    """
    if image is None:
        return ""
    return html.image_tag(image, alt=alt, sizes=sizes, css_class=css_class, eager=eager)


@register.filter
def markdown_snippet(image: Image) -> str:
    """`{{ image|markdown_snippet }}`: what to paste into a post to show it."""
    return html.markdown_snippet(image)


@register.simple_tag
def thumbnail_image(image: Image, alt: str = "", css_class: str = "") -> SafeString:
    """The 480-pixel copy (or the original when it is smaller), for the studio's lists.

    `alt` is empty by default: where it is used, the alt text is written out beside it.
    """
    url, width, height = html.thumbnail(image)
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="{}"{} loading="lazy" decoding="async">',
        url,
        width,
        height,
        alt,
        format_html(' class="{}"', css_class) if css_class else "",
    )
