"""What is indexed of a post or a page, and the words in it.

One entry has three texts, weighted in that order: the title; the summary (the writer's
own excerpt, or a page's description, and the tags); the body as plain text.
"""

import hashlib
import html
import json
import re
import unicodedata
from dataclasses import astuple, dataclass

from broadsheet.content.models import Page, Post

# Words as the engines see them: runs of letters and digits (FTS5's unicode61 and
# PostgreSQL's parser both split there).
WORD = re.compile(r"\w+")
LONGEST_WORD = 64

# A tag in nh3's serialization, which every body is (`core.markup`; `media.html` writes
# the `<img>` tags it rewrites the same way): `<`, then attributes
# always in double quotes (a `>` may stand inside one), then `>`. Text holds no `<` (it is
# `&lt;`) and no comments are kept.
_TAG = re.compile(r'<[^">]*(?:"[^"]*"[^">]*)*>')


@dataclass(frozen=True)
class Texts:
    title: str
    summary: str
    body: str

    def digest(self) -> str:
        return hashlib.blake2b(json.dumps(astuple(self)).encode(), digest_size=16).hexdigest()


def of_post(post: Post, tag_names: list[str]) -> Texts:
    return Texts(
        title=post.title,
        summary=" ".join([post.custom_excerpt.strip(), *tag_names]).strip(),
        body=body_text(post.body_html),
    )


def of_page(page: Page) -> Texts:
    return Texts(title=page.title, summary=page.seo_description, body=body_text(page.body_html))


def body_text(sanitized_html: str) -> str:
    """`core.markup.plain_text` of a sanitized body, to the character, but by one regex
    rather than Django's `strip_tags` (an HTML parser run twice): a rebuild reads every
    body, and this was a fifth of its time."""
    # `split()` splits where `\s` matches, at a tenth of the cost of `re.sub`.
    return " ".join(html.unescape(_TAG.sub("", sanitized_html)).split())


def fold(text: str) -> str:
    """Lower case without accents, as both engines compare words: `Kraków` is `krakow`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if decomposed.isascii():  # most text: no combining marks to take out
        return decomposed
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> set[str]:
    """The distinct folded words of a text, for the vocabulary (digits-only words and
    single letters are no help to a speller)."""
    return {
        word
        for word in set(WORD.findall(fold(text)))
        if 1 < len(word) <= LONGEST_WORD and not word.isdigit() and "_" not in word
    }
