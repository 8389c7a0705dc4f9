"""Turning what people type into safe HTML: one place, used by posts and comments alike.

markdown-it-py parses, nh3 sanitizes. Sanitizing happens last and always, so no
renderer option can ever let script through.
"""

import html
import re

import nh3
from django.utils.html import strip_tags
from markdown_it import MarkdownIt

_post_markdown = MarkdownIt("commonmark", {"linkify": True, "typographer": True}).enable(
    ["linkify", "table", "strikethrough", "replacements", "smartquotes"]
)

# Readers' text: a small safe subset (emphasis, links, code, quotes, line breaks); headings,
# images, tables and raw HTML stay literal text.
_comment_markdown = MarkdownIt("zero", {"linkify": True, "breaks": True}).enable(
    ["linkify", "newline", "emphasis", "link", "autolink", "backticks", "blockquote", "fence"]
)

_COMMENT_TAGS = {"p", "br", "a", "em", "strong", "code", "pre", "blockquote"}
_URL_SCHEMES = {"http", "https", "mailto"}
_WHITESPACE = re.compile(r"\s+")


def render_markdown(source: str) -> str:
    """A writer's Markdown as sanitized HTML."""
    return sanitize_post_html(_post_markdown.render(source))


def sanitize_post_html(fragment: str) -> str:
    """HTML from anywhere (a writer's raw HTML, an imported blog) as a post may show it."""
    return nh3.clean(fragment, url_schemes=_URL_SCHEMES, link_rel="noopener noreferrer")


def render_comment(text: str) -> str:
    """A reader's text (the safe Markdown subset) as sanitized HTML."""
    return sanitize_comment_html(_comment_markdown.render(text))


def sanitize_comment_html(fragment: str) -> str:
    """A comment's HTML cut to the comment subset; links are marked as user content, so
    search engines do not credit them to the site."""
    return nh3.clean(
        fragment,
        tags=_COMMENT_TAGS,
        attributes={"a": {"href"}},
        url_schemes=_URL_SCHEMES,
        link_rel="nofollow ugc noopener noreferrer",
    )


def plain_text(fragment: str) -> str:
    """The words of an HTML fragment, on one line."""
    return _WHITESPACE.sub(" ", html.unescape(strip_tags(fragment))).strip()


def truncate_words(text: str, limit: int) -> str:
    """Cut at the last word boundary before `limit` characters and add an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    cut = cut.rsplit(" ", 1)[0] if " " in cut else cut[:limit]
    return cut.rstrip(" ,;:.-–—") + "…"


_SITE_RELATIVE = re.compile(r'(\s(?:src|href)=")/(?!/)')
_SRCSET = re.compile(r'(\ssrcset=")([^"]*)"')


def absolute_urls(fragment: str, origin: str) -> str:
    """Site-relative links and images made absolute, for HTML read away from the site
    (feeds, email). `fragment` is our own sanitized output, so attributes are quoted."""
    fragment = _SITE_RELATIVE.sub(rf"\1{origin}/", fragment)
    return _SRCSET.sub(
        lambda m: (
            m[1]
            + ", ".join(
                f"{origin}{item.strip()}" if item.strip().startswith("/") else item.strip()
                for item in m[2].split(",")
            )
            + '"'
        ),
        fragment,
    )
