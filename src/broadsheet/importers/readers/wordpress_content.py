"""How WordPress turns stored post content into what its readers saw, for the WXR reader.

WXR holds `post_content` as the editor saved it. WordPress shows it through `the_content`:
oEmbed, blocks, `wpautop` (only for content without blocks), then shortcodes. These pure
functions do the same for what can be done without the old site:

- Block delimiters (`<!-- wp:image {"id":1} -->`, `<!-- /wp:image -->`, `<!-- wp:x /-->`)
  are dropped: the HTML between them is what each block saved. A dynamic block
  (`<!-- wp:latest-posts /-->`) saved no HTML and leaves nothing, except a synced pattern
  (`<!-- wp:block {"ref":22} /-->`), which is replaced by that pattern's content.
- Content without blocks (the classic editor) gets `wpautop`, step for step as WordPress 6
  runs it, so paragraphs and line breaks come out as they were shown. Block content gets
  none (WordPress skips it there too), so it gains no stray <br>.
- WordPress's own shortcodes become plain HTML: [caption] a <figure> with a <figcaption>;
  [embed] and a URL alone on its line (oEmbed) a link, as the player needs the provider;
  [audio] and [video] a link to the file; [gallery] a <figure class="gallery"> of its
  images. Any other shortcode-shaped text (`[name key="value"]`, `[name /]`,
  `[name]…[/name]`) was a plugin's, whose output is not in the export: the tag is dropped
  (text it encloses is kept) and reported. A bare `[word]` stays text: "[sic]" is no
  shortcode, and WordPress shows an unregistered one as typed. `[[name]]` is WordPress's
  escape for a literal `[name]`.
- Nothing inside <pre> changes: code keeps its escaping exactly once.

Galleries and synced patterns name other items of the export by id (`[gallery ids="…"]`,
`{"ref":22}`), and an export lists an attachment after the post it was uploaded to, so they
are usually not read yet when the post is. The renderer asks a `Library`; the WXR reader
answers from an index of the export's attachments and patterns, built by a second
streaming pass the first time a post asks. Considered: placeholders for the writer to
resolve (a contract every writer would need), links to the old attachment pages (a gallery
of links, gone with the old site).
"""

import html
import json
import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Picture:
    """An attachment as a gallery shows it."""

    id: int
    url: str
    alt: str = ""


class Library(Protocol):
    """What the rest of the export holds, for the post being rendered."""

    def pictures(self, ids: list[int] | None) -> list[Picture]:
        """The attachments found, in order; ids None: the post's own images."""
        ...

    def synced_pattern(self, ref: int) -> str | None:
        """The stored content of a synced pattern (a wp_block item), if in the export."""
        ...


@dataclass
class Rendered:
    """A post's HTML, and what of it could not be brought along."""

    html: str
    lost: list[tuple[str, str]] = field(default_factory=list)  # (what, why), for the report


def has_blocks(content: str) -> bool:
    """WordPress's own test (`has_blocks`): a block delimiter anywhere."""
    return "<!-- wp:" in content


def render_post(content: str, library: Library) -> Rendered:
    """A post's `content:encoded` as the HTML its page showed."""
    lost: dict[str, str] = {}
    text = content.replace("\r\n", "\n").replace("\r", "\n")
    blocks = has_blocks(text)
    if blocks:
        text = _BLOCK_DELIMITER.sub("", _inline_synced_patterns(text, library, lost))
    text = _EDITOR_MARKER.sub("", text)

    def convert(part: str) -> str:
        part = _link_bare_urls(_shortcodes(part, library, lost))
        return _BLANK_LINES.sub("\n\n", part) if blocks else part

    text = _outside_pre(text, convert)
    if not blocks:
        text = wpautop(text)
    return Rendered(text.strip(), list(lost.items()))


def comment_html(content: str) -> str:
    """A comment as WordPress shows it: its plain text with line breaks, through wpautop."""
    return wpautop(content.replace("\r\n", "\n").replace("\r", "\n")).strip()


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment (an excerpt), tags dropped and entities undone once."""
    return html.unescape(_TAG.sub("", fragment)).strip()


# --- blocks and markers

# Block delimiters as WordPress's block parser reads them: a name with an optional
# namespace, optional JSON attributes, an optional "/" for a void block.
_BLOCK_DELIMITER = re.compile(
    r"[ \t]*<!--\s+/?wp:[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?\s+"
    r"(?:\{(?:(?!-->).)*?\}\s+)?/?-->[ \t]*\n?",
    re.DOTALL,
)
# The classic editor's "read more", page-break and no-teaser markers: instructions to
# the old theme, not content.
_EDITOR_MARKER = re.compile(r"[ \t]*<!--(?:more|nextpage|noteaser)\b.*?-->[ \t]*\n?", re.DOTALL)
_BLANK_LINES = re.compile(r"\n{3,}")
_PRE = re.compile(r"(<pre[\s>].*?</pre>)", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_SYNCED_PATTERN = re.compile(r"<!--\s+wp:block\s+(\{(?:(?!-->).)*?\})\s+/-->", re.DOTALL)
_NESTED_PATTERNS = 5  # a pattern may use patterns; a loop stops here


def _inline_synced_patterns(
    text: str, library: Library, lost: dict[str, str], depth: int = 0
) -> str:
    def inline(match: re.Match[str]) -> str:
        try:
            ref = int(json.loads(match[1])["ref"])
        except (ValueError, TypeError, KeyError):
            return ""
        if depth == _NESTED_PATTERNS:
            lost[f"synced pattern {ref}"] = "it uses itself"
            return ""
        content = library.synced_pattern(ref)
        if content is None:
            lost[f"synced pattern {ref}"] = "not in the export"
            return ""
        return _inline_synced_patterns(content, library, lost, depth + 1)

    return _SYNCED_PATTERN.sub(inline, text)


def _outside_pre(text: str, convert: Callable[[str], str]) -> str:
    parts = _PRE.split(text)
    return "".join(part if index % 2 else convert(part) for index, part in enumerate(parts))


# --- links for URLs that WordPress would have embedded

# A URL alone on its line, or alone in a paragraph: WordPress's autoembed makes those a
# player; here they become a link.
_URL_LINE = re.compile(r'^([ \t]*)(https?://[^\s<>"]+)[ \t]*$', re.MULTILINE)
_URL_PARAGRAPH = re.compile(r'<p(?: [^>]*)?>\s*(https?://[^\s<>"]+)\s*</p>')


def _link(url: str) -> str:
    """A paragraph linking to a URL taken from HTML source (escaped once, whatever it was)."""
    href = html.escape(html.unescape(url.strip()))
    return f'<p><a href="{href}">{href}</a></p>'


def _link_bare_urls(text: str) -> str:
    text = _URL_PARAGRAPH.sub(lambda match: _link(match[1]), text)
    return _URL_LINE.sub(lambda match: match[1] + _link(match[2]), text)


# --- shortcodes

_OPENING = re.compile(
    r"\[(?P<escape>\[?)(?P<name>[A-Za-z][\w-]*)(?![\w-])"
    r"(?P<attrs>[^\[\]/]*(?:/(?!\])[^\[\]/]*)*)(?P<void>/?)\]"
)
_CLOSING = re.compile(r"\[/([A-Za-z][\w-]*)\]")
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'\]]+))""")
_CAPTIONED = re.compile(r"((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)", re.DOTALL | re.I)
_AUDIO_SOURCES = ("src", "mp3", "m4a", "ogg", "wav", "wma", "flac")
_VIDEO_SOURCES = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv")
_PLUGIN_SHORTCODE = "a plugin's shortcode: what it showed is not in the export"


@dataclass
class _Shortcode:
    name: str
    attrs: dict[str, str]
    content: str | None  # None for a shortcode without a closing tag


def _attributes(text: str) -> dict[str, str]:
    text = text.replace("\xa0", " ").replace("\u200b", " ")
    return {
        match[1].lower(): next(value for value in match.groups()[1:] if value is not None)
        for match in _ATTRIBUTE.finditer(text)
    }


def _shortcodes(text: str, library: Library, lost: dict[str, str]) -> str:
    """Expand or drop every shortcode in `text` (no <pre> in it)."""
    out: list[str] = []
    position = 0
    closings: defaultdict[str, list[int]] = defaultdict(list)  # found once: no quadratic scans
    for closing_tag in _CLOSING.finditer(text):
        closings[closing_tag[1]].append(closing_tag.start())
    while match := _OPENING.search(text, position):
        name, end = match["name"], match.end()
        content = None
        following = closings.get(name, [])
        if not match["void"] and (index := bisect_left(following, end)) < len(following):
            closing = following[index]  # the first [/name] after it, as WordPress takes it
            content, end = text[end:closing], closing + len(name) + 3
        handler = _HANDLERS.get(name)
        shaped = bool(match["void"] or content is not None or _ATTRIBUTE.search(match["attrs"]))
        out.append(text[position : match.start()])
        if handler is None and not shaped:  # "[sic]": text, as WordPress shows it
            out.append(match[0])
            position = match.end()
            continue
        if match["escape"] and text.startswith("]", end):  # [[name]] is a literal [name]
            out.append(text[match.start() + 1 : end])
            position = end + 1
            continue
        out.append(match["escape"])  # a lone extra "[" stays, as in WordPress
        shortcode = _Shortcode(name, _attributes(match["attrs"]), content)
        if handler is None:
            lost[f"[{name}] shortcode"] = _PLUGIN_SHORTCODE
            out.append(_shortcodes(content or "", library, lost))
        else:
            out.append(handler(shortcode, library, lost))
        position = end
    out.append(text[position:])
    return "".join(out)


def _caption(shortcode: _Shortcode, library: Library, lost: dict[str, str]) -> str:
    """[caption]<img> Text[/caption] (or caption="Text") → <figure> with a <figcaption>."""
    content = _shortcodes(shortcode.content or "", library, lost).strip()
    caption = shortcode.attrs.get("caption", "")
    if not caption and (captioned := _CAPTIONED.search(content)):
        content, caption = captioned[1], captioned[2].strip()
    if not caption:
        return content
    return f"<figure>{content}<figcaption>{caption}</figcaption></figure>"


def _embed(shortcode: _Shortcode, library: Library, lost: dict[str, str]) -> str:
    url = _TAG.sub("", shortcode.content or "").strip()
    if re.fullmatch(r"https?://\S+", url):
        return _link(url)
    lost["[embed] without a URL"] = "nothing to link to"
    return ""


def _media_link(sources: tuple[str, ...]) -> Callable[[_Shortcode, Library, dict[str, str]], str]:
    def link(shortcode: _Shortcode, library: Library, lost: dict[str, str]) -> str:
        url = next((shortcode.attrs[key] for key in sources if shortcode.attrs.get(key)), "")
        if url:
            return _link(url)
        lost[f"[{shortcode.name}] without a file"] = "it played the post's attached file"
        return ""

    return link


def _gallery(shortcode: _Shortcode, library: Library, lost: dict[str, str]) -> str:
    listed = shortcode.attrs.get("ids") or shortcode.attrs.get("include") or ""
    ids = [int(number) for number in re.findall(r"\d+", listed)] or None
    pictures = library.pictures(ids)
    found = {picture.id for picture in pictures}
    for missing in [number for number in ids or () if number not in found]:
        lost[f"gallery image {missing}"] = "not in the export"
    if not pictures:
        if ids is None:
            lost["[gallery] of the post's images"] = "no image attached to it in the export"
        return ""
    images = "".join(
        f'<img src="{html.escape(picture.url)}" alt="{html.escape(picture.alt)}">'
        for picture in pictures
    )
    return f'<figure class="gallery">{images}</figure>'


_HANDLERS: dict[str, Callable[[_Shortcode, Library, dict[str, str]], str]] = {
    "caption": _caption,
    "wp_caption": _caption,
    "embed": _embed,
    "audio": _media_link(_AUDIO_SOURCES),
    "video": _media_link(_VIDEO_SOURCES),
    "gallery": _gallery,
}


# --- wpautop

# WordPress 6's wpautop, step for step (wp-includes/formatting.php). Its patterns are PCRE
# without the u flag, so \s is ASCII whitespace: re.ASCII keeps a non-breaking space text.
_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article"
    r"|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
_A = re.ASCII


def _steps(*pairs: tuple[str, str], flags: int = 0) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(pattern, _A | flags), replacement) for pattern, replacement in pairs]


_BEFORE_SPLIT = _steps(
    (r"<br\s*/?>\s*<br\s*/?>", "\n\n"),  # two <br>s are a paragraph break
    (rf"(<{_BLOCKS}[\s/>])", r"\n\n\1"),  # blocks stand apart
    (rf"(</{_BLOCKS}>)", r"\1\n\n"),
    (r"(<hr\s*?/?>)", r"\1\n\n"),
)
_COLLAPSE = [  # (markers, steps): whitespace that must not become <p> or <br>
    (("<option",), _steps((r"\s*<option", "<option"), (r"</option>\s*", "</option>"))),
    (
        ("</object>",),
        _steps(
            (r"(<object[^>]*>)\s*", r"\1"),
            (r"\s*</object>", "</object>"),
            (r"\s*(</?(?:param|embed)[^>]*>)\s*", r"\1"),
        ),
    ),
    (
        ("<source", "<track"),
        _steps(
            (r"([<\[](?:audio|video)[^>\]]*[>\]])\s*", r"\1"),
            (r"\s*([<\[]/(?:audio|video)[>\]])", r"\1"),
            (r"\s*(<(?:source|track)[^>]*>)\s*", r"\1"),
        ),
    ),
    (
        ("<figcaption",),
        _steps((r"\s*(<figcaption[^>]*>)", r"\1"), (r"</figcaption>\s*", "</figcaption>")),
    ),
]
_AFTER_SPLIT = [
    *_steps(
        (r"<p>\s*</p>", ""),
        (r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>"),
        (rf"<p>\s*(</?{_BLOCKS}[^>]*>)\s*</p>", r"\1"),
        (r"<p>(<li.+?)</p>", r"\1"),
    ),
    *_steps((r"<p><blockquote([^>]*)>", r"<blockquote\1><p>"), flags=re.IGNORECASE),
    *_steps(
        (r"</blockquote></p>", "</p></blockquote>"),
        (rf"<p>\s*(</?{_BLOCKS}[^>]*>)", r"\1"),
        (rf"(</?{_BLOCKS}[^>]*>)\s*</p>", r"\1"),
    ),
]
_LINE_BREAKS = _steps(
    (r"<br>|<br/>", "<br />"),
    (r"(?<!<br />)\s*\n", "<br />\n"),
)
_AFTER_BREAKS = _steps(
    (rf"(</?{_BLOCKS}[^>]*>)\s*<br />", r"\1"),
    (r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1"),
    (r"\n</p>$", "</p>"),
)
# Elements and comments, where a newline is kept as it is (wp_html_split's pattern).
_ELEMENT = re.compile(r"<(?:!--.*?(?:-->|\Z)|!\[CDATA\[.*?(?:\]\]>|\Z)|[^>]*>?)", re.DOTALL)
_KEEP_NEWLINES = re.compile(r"<(script|style|svg|math).*?</\1>", re.DOTALL)
_NEWLINE_IN_ELEMENT = " <!-- wpnl --> "
_KEPT_NEWLINE = "<WPPreserveNewline />"
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n", _A)
_WHOLE_PRE = re.compile(r"<pre.*?</pre>", re.DOTALL)
_PRE_PLACEHOLDER = "<pre wp-pre-tag-{}></pre>"


def _apply(text: str, steps: list[tuple[re.Pattern[str], str]]) -> str:
    for pattern, replacement in steps:
        text = pattern.sub(replacement, text)
    return text


def wpautop(text: str) -> str:
    """Double line breaks → <p>, single ones → <br />, never inside <pre> or around blocks:
    what WordPress does to classic-editor posts and to comments when it shows them."""
    if not text.strip():
        return ""
    kept_pre: list[str] = []

    def keep_pre(match: re.Match[str]) -> str:
        kept_pre.append(match[0])
        return _PRE_PLACEHOLDER.format(len(kept_pre) - 1)

    text = _WHOLE_PRE.sub(keep_pre, text + "\n")
    text = _apply(text, _BEFORE_SPLIT).replace("\r\n", "\n").replace("\r", "\n")
    text = _ELEMENT.sub(lambda match: match[0].replace("\n", _NEWLINE_IN_ELEMENT), text)
    for markers, steps in _COLLAPSE:
        if any(marker in text for marker in markers):
            text = _apply(text, steps)
    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [part for part in _PARAGRAPH_BREAK.split(text) if part]
    text = "".join(f"<p>{part.strip(chr(10))}</p>\n" for part in paragraphs)
    text = _apply(text, _AFTER_SPLIT)
    text = _KEEP_NEWLINES.sub(lambda match: match[0].replace("\n", _KEPT_NEWLINE), text)
    text = _apply(text, _LINE_BREAKS).replace(_KEPT_NEWLINE, "\n")
    text = _apply(text, _AFTER_BREAKS)
    for index, original in enumerate(kept_pre):
        text = text.replace(_PRE_PLACEHOLDER.format(index), original)
    return text.replace(_NEWLINE_IN_ELEMENT, "\n").replace("<!-- wpnl -->", "\n")
