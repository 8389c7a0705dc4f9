"""Ghost's editor documents as HTML: Lexical (Ghost 5 and later) and Mobiledoc (before).

Ghost's exports hold each post's `html`, so these render only posts that lack it (written
through the Admin API with `lexical` alone, or an old export with `mobiledoc` alone). They
render the nodes and cards that carry a post's words and pictures; any other node keeps the
text of its children and is named in `Rendered.unknown`, for the import report. The writer
sanitises the result, as it does every HTML body.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from typing import Any

from broadsheet.core.markup import render_markdown


class DocumentError(ValueError):
    """A `lexical` or `mobiledoc` value that is not the JSON document it should be."""


@dataclass
class Rendered:
    html: str
    unknown: list[str]  # node and card types that had no rendering, sorted


def render_lexical(document: str) -> Rendered:
    """A post's `lexical` (a JSON string) as HTML."""
    root = _load(document, "lexical").get("root")
    if not isinstance(root, dict):
        raise DocumentError("its lexical document has no root")
    renderer = _Lexical()
    with _not_too_deep("lexical"):
        return Rendered(renderer.children(root), sorted(renderer.unknown))


def render_mobiledoc(document: str) -> Rendered:
    """A post's `mobiledoc` (a JSON string) as HTML."""
    renderer = _Mobiledoc(_load(document, "mobiledoc"))
    with _not_too_deep("mobiledoc"):
        return Rendered(renderer.html(), sorted(renderer.unknown))


@contextmanager
def _not_too_deep(what: str) -> Iterator[None]:
    """Nesting deeper than Python's stack allows (no editor writes it) as a DocumentError."""
    try:
        yield
    except RecursionError:
        raise DocumentError(f"its {what} is nested too deeply to read") from None


def _load(document: str, what: str) -> dict[str, Any]:
    try:
        loaded = json.loads(document)
    except RecursionError:
        raise DocumentError(f"its {what} is nested too deeply to read") from None
    except ValueError as error:
        raise DocumentError(f"its {what} is not valid JSON ({error})") from None
    if not isinstance(loaded, dict):
        raise DocumentError(f"its {what} is not a JSON object")
    return loaded


def _text(mapping: dict[str, Any], key: str) -> str:
    value = mapping.get(key)
    return value if isinstance(value, str) else ""


def _dicts(value: Any) -> Iterator[dict[str, Any]]:
    """The objects of a JSON list; anything else in it (or a missing list) is no content."""
    if isinstance(value, list):
        yield from (entry for entry in value if isinstance(entry, dict))


def _card(name: str, payload: dict[str, Any], unknown: set[str]) -> str:
    """A card, as Lexical and Mobiledoc both store them: a type and the same payload keys."""
    match name:
        case "image":
            return _image(payload)
        case "gallery":
            images = "".join(_img(image) for image in _dicts(payload.get("images")))
            return _figure(images, _text(payload, "caption")) if images else ""
        case "codeblock" | "code":
            language = _text(payload, "language")
            attribute = f' class="language-{escape(language)}"' if language else ""
            code = f"<pre><code{attribute}>{escape(_text(payload, 'code'))}</code></pre>"
            caption = _text(payload, "caption")
            return _figure(code, caption) if caption else code
        case "markdown" | "card-markdown":
            return render_markdown(_text(payload, "markdown"))
        case "html":
            return _text(payload, "html")
        case "embed" | "bookmark":
            metadata = payload.get("metadata")
            title = _text(metadata, "title") if isinstance(metadata, dict) else ""
            return _paragraph_link(_text(payload, "url"), escape(title))
        case "button":
            return _paragraph_link(
                _text(payload, "buttonUrl"), escape(_text(payload, "buttonText"))
            )
        case "callout":
            return f"<blockquote>{_text(payload, 'calloutText')}</blockquote>"
        case "toggle":
            return f"<h3>{_text(payload, 'heading')}</h3>{_text(payload, 'content')}"
        case "horizontalrule" | "hr":
            return "<hr>"
        case "paywall":  # where members-only text began: everything is imported as public
            return ""
    unknown.add(name)
    return ""


def _img(payload: dict[str, Any]) -> str:
    src = _text(payload, "src")
    if not src:
        return ""
    img = f'<img src="{escape(src)}" alt="{escape(_text(payload, "alt"))}">'
    href = _text(payload, "href")
    return f'<a href="{escape(href)}">{img}</a>' if href else img


def _image(payload: dict[str, Any]) -> str:
    img = _img(payload)
    return _figure(img, _text(payload, "caption")) if img else ""


def _figure(inner: str, caption_html: str) -> str:
    caption = f"<figcaption>{caption_html}</figcaption>" if caption_html else ""
    return f"<figure>{inner}{caption}</figure>"


def _paragraph_link(url: str, text_html: str) -> str:
    if not url:
        return f"<p>{text_html}</p>" if text_html else ""
    return f'<p><a href="{escape(url)}">{text_html or escape(url)}</a></p>'


# Lexical's text format bits, outermost first.
_TEXT_FORMATS = (
    (1, "strong"),
    (2, "em"),
    (4, "s"),
    (8, "u"),
    (16, "code"),
    (32, "sub"),
    (64, "sup"),
    (128, "mark"),
)
_LEXICAL_ELEMENTS = {
    "paragraph": "p",
    "quote": "blockquote",
    "extended-quote": "blockquote",
    "aside": "blockquote",
    "listitem": "li",
}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _formatted(text: str, bits: Any) -> str:
    if not isinstance(bits, int):
        return text
    tags = [tag for bit, tag in _TEXT_FORMATS if bits & bit]
    opening = "".join(f"<{tag}>" for tag in tags)
    closing = "".join(f"</{tag}>" for tag in reversed(tags))
    return f"{opening}{text}{closing}"


class _Lexical:
    def __init__(self) -> None:
        self.unknown: set[str] = set()

    def children(self, node: dict[str, Any]) -> str:
        return "".join(self.node(child) for child in _dicts(node.get("children")))

    def node(self, node: dict[str, Any]) -> str:
        kind = _text(node, "type")
        if kind in ("text", "extended-text"):
            return _formatted(escape(_text(node, "text")), node.get("format"))
        if kind == "linebreak":
            return "<br>"
        if kind == "tab":
            return "\t"
        if kind in ("link", "autolink"):
            url = _text(node, "url")
            inner = self.children(node)
            return f'<a href="{escape(url)}">{inner}</a>' if url else inner
        if kind in _LEXICAL_ELEMENTS:
            inner = self.children(node)
            if kind == "paragraph" and not inner:
                return ""
            return f"<{_LEXICAL_ELEMENTS[kind]}>{inner}</{_LEXICAL_ELEMENTS[kind]}>"
        if kind in ("heading", "extended-heading"):
            tag = _text(node, "tag") if _text(node, "tag") in _HEADINGS else "h2"
            return f"<{tag}>{self.children(node)}</{tag}>"
        if kind == "list":
            return self.list(node)
        if "children" in node:  # an element we do not know: its content, without it
            self.unknown.add(kind)
            return self.children(node)
        return _card(kind, node, self.unknown)

    def list(self, node: dict[str, Any]) -> str:
        tag = "ol" if node.get("listType") == "number" else "ul"
        start = node.get("start")
        numbered_from = (
            f' start="{start}"' if tag == "ol" and type(start) is int and start != 1 else ""
        )
        return f"<{tag}{numbered_from}>{self.children(node)}</{tag}>"


# Mobiledoc (0.3): sections [1, tag, markers] text, [2, src] image, [3, tag, [markers...]]
# list, [10, card index]; a marker is [0 text | 1 atom, opened markups, closed count, value].
_MARKUP_SECTIONS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
_QUOTE_SECTIONS = {"aside", "pull-quote"}
_MARKUPS = {"a", "b", "code", "em", "i", "s", "strong", "sub", "sup", "u"}


class _Mobiledoc:
    def __init__(self, document: dict[str, Any]) -> None:
        self.unknown: set[str] = set()
        self.markups = self._list(document, "markups")
        self.atoms = self._list(document, "atoms")
        self.cards = self._list(document, "cards")
        self.sections = self._list(document, "sections")

    @staticmethod
    def _list(document: dict[str, Any], key: str) -> list[Any]:
        value = document.get(key, [])
        if not isinstance(value, list):
            raise DocumentError(f"its mobiledoc {key} is not a list")
        return value

    def html(self) -> str:
        return "".join(self.section(section) for section in self.sections)

    def section(self, section: Any) -> str:
        match section:
            case [1, str(tag), list(markers)]:
                tag = tag.lower()
                tag = "blockquote" if tag in _QUOTE_SECTIONS else tag
                tag = tag if tag in _MARKUP_SECTIONS else "p"
                inner = self.markers(markers)
                return f"<{tag}>{inner}</{tag}>" if inner or tag != "p" else ""
            case [2, str(src)]:
                return _image({"src": src})
            case [3, str(tag), list(items)]:
                tag = "ol" if tag.lower() == "ol" else "ul"
                entries = "".join(f"<li>{self.markers(item)}</li>" for item in items)
                return f"<{tag}>{entries}</{tag}>"
            case [10, int(index)] if 0 <= index < len(self.cards):
                match self.cards[index]:
                    case [str(name), dict(payload)]:
                        return _card(name, payload, self.unknown)
        raise DocumentError(f"its mobiledoc has a section it cannot read: {section!r:.80}")

    def markers(self, markers: Any) -> str:
        if not isinstance(markers, list):
            raise DocumentError("its mobiledoc has a list item that is not a list of markers")
        out: list[str] = []
        opened: list[str] = []
        for marker in markers:
            match marker:
                case [0 | 1 as kind, list(opens), int(closes), value]:
                    pass
                case _:
                    raise DocumentError(
                        f"its mobiledoc has a marker it cannot read: {marker!r:.80}"
                    )
            for index in opens:
                tag, start = self.markup(index)
                opened.append(tag)
                out.append(start)
            out.append(self.atom(value) if kind == 1 else escape(str(value)))
            for _ in range(min(closes, len(opened))):
                tag = opened.pop()
                out.append(f"</{tag}>" if tag else "")
        out.extend(f"</{tag}>" for tag in reversed(opened) if tag)
        return "".join(out)

    def markup(self, index: Any) -> tuple[str, str]:
        """The markup's tag and its start tag; ("", "") for a tag we leave out (its text
        stays)."""
        if not (type(index) is int and 0 <= index < len(self.markups)):
            raise DocumentError(f"its mobiledoc names a markup it does not have: {index!r}")
        match self.markups[index]:
            case [str(tag), *rest] if tag.lower() in _MARKUPS:
                tag = tag.lower()
                attributes = rest[0] if rest and isinstance(rest[0], list) else []
                pairs = dict(zip(attributes[::2], attributes[1::2], strict=False))
                href = pairs.get("href")
                if tag == "a" and isinstance(href, str):
                    return tag, f'<a href="{escape(href)}">'
                return tag, f"<{tag}>"
        return "", ""

    def atom(self, index: Any) -> str:
        if type(index) is int and 0 <= index < len(self.atoms):
            match self.atoms[index]:
                case ["soft-return", *_]:
                    return "<br>"
                case [str(name), str(text), *_]:
                    self.unknown.add(name)
                    return escape(text)
        raise DocumentError(f"its mobiledoc names an atom it does not have: {index!r}")
