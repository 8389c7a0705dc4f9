"""Django's RSS and Atom generators, carrying each post's full text as well as its summary.

Feed readers show `content:encoded` (RSS) and `<content>` (Atom) as the article and the
description/summary as a teaser, so both are sent.
"""

import re
from typing import Any

from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed, rfc3339_date
from django.utils.xmlutils import SimplerXMLGenerator

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"

# XML 1.0 cannot carry these at all; Django's writer raises on them, which would turn one
# stray form feed pasted into a post into a broken feed for every subscriber.
_XML_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_safe(value: Any) -> Any:
    """Strip characters XML 1.0 forbids from a string, or from each string in a list."""
    if isinstance(value, str):
        return _XML_CONTROL_CHARS.sub("", value)
    if isinstance(value, list | tuple):
        return [xml_safe(v) for v in value]
    return value


class XmlSafeFeedMixin(SyndicationFeed):
    """Clean every text value on the way in, so writing the feed cannot fail."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*[xml_safe(a) for a in args], **_clean(kwargs))

    def add_item(self, *args: Any, **kwargs: Any) -> None:
        super().add_item(*[xml_safe(a) for a in args], **_clean(kwargs))


def _clean(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {key: xml_safe(value) for key, value in kwargs.items()}


class FullContentRss(XmlSafeFeedMixin, Rss201rev2Feed):
    """RSS 2.0 with the full text in `content:encoded` and the edit date in `atom:updated`."""

    def rss_attributes(self) -> dict[str, str]:
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS}

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        # RSS has no element for "last edited"; the Atom namespace is already declared.
        if item["updateddate"] is not None:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class FullContentAtom(XmlSafeFeedMixin, Atom1Feed):
    """Atom 1.0 with the full text in `<content type="html">`."""

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
