"""Uploaded images in HTML: the attributes that let a browser lay out and pick the right size.

A post's body is rendered once, when it is saved, so looking images up here costs readers
nothing. Width and height reserve the space before the file arrives (no jumping text);
`srcset` and `sizes` let a phone fetch the 480-pixel copy instead of the original.
"""

import re
from collections.abc import Callable
from html import escape
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils.html import format_html
from django.utils.safestring import SafeString

from broadsheet.media import selectors
from broadsheet.media.models import Image

# A post's column is 40rem wide from 42rem of screen up, the whole width below.
POST_SIZES = "(min-width: 42rem) 40rem, 100vw"
THUMBNAIL_WIDTH = 480

_IMG = re.compile(r"<img\b", re.IGNORECASE)
# Characters that would end the alt text or turn part of it into markup (tags, emphasis, code).
_MARKDOWN_ALT_SPECIALS = re.compile(r"([\\\[\]<>*_`&])")

Attrs = list[tuple[str, str | None]]  # a start tag's, as html.parser gives them


def add_responsive_images(html: str) -> str:
    """Give our images their size, `srcset` and lazy loading; other images only lazy loading.

    Everything but the <img> start tags is returned character for character. Images are
    looked up in one query, and none at all when the HTML shows none of ours.
    """
    found = img_tags(html)
    names = {name for _, _, attrs in found if (name := media_name(attribute(attrs, "src")))}
    images = selectors.images_by_name(names)
    return replace_img_tags(
        html,
        found,
        lambda raw, attrs: _rewrite(
            raw, attrs, images.get(media_name(attribute(attrs, "src")) or "")
        ),
    )


def img_tags(html: str) -> list[tuple[int, str, Attrs]]:
    """Each <img> start tag as (where it starts, its exact text, its decoded attributes).

    html.parser finds them (not in comments, scripts or attribute values); a tag not found
    exactly where the parser says it is is left out, so a caller never cuts the wrong text.
    """
    if not _IMG.search(html):
        return []
    finder = _ImageFinder()
    finder.feed(html)
    finder.close()
    line_starts = [0] + [match.end() for match in re.finditer("\n", html)]
    found, done = [], 0
    for (line, column), raw, attrs in finder.found:
        start = line_starts[line - 1] + column
        if start >= done and html[start : start + len(raw)] == raw:
            found.append((start, raw, attrs))
            done = start + len(raw)
    return found


def replace_img_tags(
    html: str, found: list[tuple[int, str, Attrs]], replace: Callable[[str, Attrs], str]
) -> str:
    """`html` with each found tag replaced by `replace(raw, attrs)`; the rest as it was."""
    pieces, done = [], 0
    for start, raw, attrs in found:
        pieces += [html[done:start], replace(raw, attrs)]
        done = start + len(raw)
    pieces.append(html[done:])
    return "".join(pieces)


def img_tag_text(attrs: Attrs, *, like: str) -> str:
    """An <img> start tag with these attributes, closed as the tag `like` was."""
    parts = ["<img"]
    for name, value in attrs:
        parts.append(f" {name}" if value is None else f' {name}="{escape(value)}"')
    parts.append(" />" if like.rstrip().endswith("/>") else ">")
    return "".join(parts)


def attribute(attrs: Attrs, name: str) -> str | None:
    return next((value for key, value in attrs if key == name), None)


def media_name(src: str | None) -> str | None:
    """The stored file name behind an address of our uploaded media, else None.

    "/media/images/a.jpg" and "https://<one of our hosts>/media/images/a.jpg" are ours;
    the same path on anyone else's host is not.
    """
    if not src:
        return None
    try:
        parts = urlsplit(src.strip())
        media = urlsplit(settings.MEDIA_URL)
    except ValueError:
        return None
    if parts.scheme not in ("", "http", "https"):
        return None
    if media.netloc:  # media served from another host (a CDN): the address must name it
        if parts.netloc.lower() != media.netloc.lower():
            return None
    elif parts.netloc and not _is_our_host(parts.netloc):
        return None
    if not parts.path.startswith(media.path):
        return None
    return unquote(parts.path.removeprefix(media.path)) or None


def image_tag(
    image: Image,
    *,
    alt: str | None = None,
    sizes: str = POST_SIZES,
    css_class: str = "",
    eager: bool = False,
) -> SafeString:
    """An <img> of an uploaded image with every size offered; lazy unless it is seen first."""
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{} loading="{}" '
        'decoding="async">',
        image.url,
        image.srcset,
        sizes,
        image.width,
        image.height,
        image.alt if alt is None else alt,
        format_html(' class="{}"', css_class) if css_class else "",
        "eager" if eager else "lazy",
    )


def thumbnail(image: Image) -> tuple[str, int, int]:
    """(url, width, height) of the copy a library grid needs: the 480 one, else the original."""
    for rendition in image.renditions:
        if rendition["width"] == THUMBNAIL_WIDTH:
            url = image.file.storage.url(rendition["name"])
            return url, rendition["width"], rendition["height"]
    return image.url, image.width, image.height


def markdown_snippet(image: Image) -> str:
    """`![alt](url)`, ready to paste into a post; the alt text comes out as typed."""
    alt = _MARKDOWN_ALT_SPECIALS.sub(r"\\\1", " ".join(image.alt.split()))
    return f"![{alt}]({image.url})"


class _ImageFinder(HTMLParser):
    """Collects each <img> start tag: where it is, its exact text and its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[tuple[int, int], str, Attrs]] = []

    def handle_starttag(self, tag: str, attrs: Attrs) -> None:
        raw = self.get_starttag_text()
        if tag == "img" and raw:
            self.found.append((self.getpos(), raw, attrs))


def _is_our_host(netloc: str) -> bool:
    host, _ = split_domain_port(netloc.lower())
    allowed = list(settings.ALLOWED_HOSTS)
    if site_url := getattr(settings, "SITE_URL", ""):
        allowed.append((urlsplit(site_url).hostname or "").lower())
    return bool(host) and validate_host(host, allowed)


def _rewrite(raw: str, attrs: Attrs, image: Image | None) -> str:
    """The tag with what it lacks added; what the writer set is kept."""
    present = {name for name, _ in attrs}
    extra: dict[str, str] = {}
    if image is not None:
        if not present & {"width", "height"}:
            extra |= {"width": str(image.width), "height": str(image.height)}
        if "srcset" not in present:
            extra["srcset"] = image.srcset
            if "sizes" not in present:
                extra["sizes"] = POST_SIZES
        extra["decoding"] = "async"
    extra["loading"] = "lazy"
    additions = [(name, value) for name, value in extra.items() if name not in present]
    if not additions:
        return raw
    return img_tag_text([*attrs, *additions], like=raw)
