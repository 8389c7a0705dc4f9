"""Turning what people type into safe HTML: one place, used by posts and comments alike.

markdown-it-py parses, nh3 sanitizes. Sanitizing happens last and always, so no
renderer option can ever let script through.
"""

import html
import re
import secrets
from collections.abc import Callable

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


# Fenced blocks that an app above renders itself (```prediction): info → renderer.
_fence_renderers: dict[str, Callable[[str, int], str]] = {}
_SLOT = re.compile(r"<p>([0-9a-f]{16})-(\d+)</p>\n?")


def render_fence_with(info: str, renderer: Callable[[str, int], str]) -> None:
    """Have fenced blocks marked `info` rendered by `renderer(content, number)` (number 1
    for the first such block) as HTML of the app's own, put in after sanitizing: what a
    writer types cannot pass for it, and it is not cut to the writer's subset."""
    _fence_renderers[info] = renderer


def _fence(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    renderer = _fence_renderers.get(token.info.strip())
    if renderer is None:
        return type(self).fence(self, tokens, idx, options, env)
    counts = env.setdefault("counts", {})
    counts[token.info.strip()] = number = counts.get(token.info.strip(), 0) + 1
    env["slots"].append(renderer(token.content, number))
    return f"<p>{env['secret']}-{len(env['slots']) - 1}</p>\n"


_post_markdown.add_render_rule("fence", _fence)


def fences(source: str, info: str) -> list[tuple[int, str]]:
    """The fenced blocks marked `info` in a writer's Markdown, in order, as (first line,
    1-based; content): the same blocks, counted the same way, as `render_markdown` hands
    to a renderer."""
    return [
        (token.map[0] + 1 if token.map else 0, token.content)
        for token in _post_markdown.parse(source)
        if token.type == "fence" and token.info.strip() == info
    ]


def render_markdown(source: str) -> str:
    """A writer's Markdown as sanitized HTML."""
    env: dict = {"secret": secrets.token_hex(8), "slots": []}
    sanitized = sanitize_post_html(_post_markdown.render(source, env))
    if not env["slots"]:
        return sanitized
    return _SLOT.sub(
        lambda m: env["slots"][int(m[2])] if m[1] == env["secret"] else m[0], sanitized
    )


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
