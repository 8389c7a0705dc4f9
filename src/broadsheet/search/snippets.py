"""The passage of a result that matched, with the matched words marked.

Cut here rather than by the engines (FTS5 cannot quote a table that keeps no text, and
PostgreSQL's `ts_headline` reparses whole documents), from the text as indexed, so both
engines show the same passage. A word matches as the engines match it: the same after
folding, the same Porter stem (FTS5's stemmer; near enough to PostgreSQL's), or the start
of it for a prefix term. Everything is escaped; only our `<mark>` is markup.
"""

import functools
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from broadsheet.search.query import Query
from broadsheet.search.text import fold

WIDTH = 32  # words in a passage
_TOKEN = re.compile(r"\w+")


@functools.cache
def _stemmer():
    """Loaded by the first search in a process, not at its start (15 MB)."""
    import snowballstemmer

    return snowballstemmer.stemmer("porter")


@functools.lru_cache(maxsize=20_000)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


class _Matcher:
    def __init__(self, query: Query) -> None:
        self.exact: dict[str, int] = {}
        self.stems: dict[str, int] = {}
        self.prefixes: list[tuple[str, int]] = []
        for number, term in enumerate(query.wanted):
            for word in term.words:
                folded = fold(word)
                if term.prefix:
                    self.prefixes.append((folded, number))
                else:
                    self.exact[folded] = number
                    self.stems[_stem(folded)] = number
        self.starts = {word[:2] for word in self.exact} | {p[:2] for p, _ in self.prefixes}
        # Where a token that `term_of` may take begins: its first two letters are a start
        # in any case (folding ASCII is lower-casing), or one of them is not ASCII.
        starts = "|".join(re.escape(start) for start in sorted(self.starts, reverse=True))
        self.candidates = re.compile(rf"(?<!\w)(?:{starts}|\w?[^\x00-\x7f])", re.IGNORECASE)

    def term_of(self, token: str) -> int | None:
        folded = fold(token)
        if folded[:2] not in self.starts:  # most words: no stemming needed to say no
            return None
        if folded in self.exact:
            return self.exact[folded]
        for prefix, number in self.prefixes:
            if folded.startswith(prefix):
                return number
        return self.stems.get(_stem(folded))


def snippet(text: str, query: Query, *, width: int = WIDTH) -> SafeString:
    """The `width` words of `text` holding the most of the query's terms (its start if
    none), escaped, the matches in `<mark>`."""
    tokens = list(_TOKEN.finditer(text))
    if not tokens:
        return mark_safe("")
    matcher = _Matcher(query)
    # Only the few tokens that may match are looked at (folding each of a body's words
    # was most of a search's time).
    index = {token.start(): i for i, token in enumerate(tokens)}
    matched = (
        (i, matcher.term_of(tokens[i].group()))
        for i in (index.get(m.start()) for m in matcher.candidates.finditer(text))
        if i is not None
    )
    hits = [(i, term) for i, term in matched if term is not None]
    first = _best_window_start(hits, width) if hits else 0
    last = min(len(tokens), first + width) - 1
    marked = {i for i, _ in hits if first <= i <= last}
    start, end = tokens[first].start(), tokens[last].end()
    parts = ["…" if start > 0 else ""]
    cursor = start
    for i in range(first, last + 1):
        token = tokens[i]
        if i in marked:
            parts += [escape(text[cursor : token.start()]), f"<mark>{escape(token.group())}</mark>"]
            cursor = token.end()
    parts += [escape(text[cursor:end]), "…" if end < len(text.rstrip()) else ""]
    return mark_safe("".join(parts))  # noqa: S308 (escaped above)


def _best_window_start(hits: list[tuple[int, int]], width: int) -> int:
    """The first word of the window with the most different terms, then the most hits,
    started a few words before its first hit."""
    best, best_key = hits[0][0], (0, 0)
    low = 0
    for high in range(len(hits)):
        while hits[high][0] - hits[low][0] >= width:
            low += 1
        window = hits[low : high + 1]
        key = (len({term for _, term in window}), len(window))
        if key > best_key:
            best, best_key = hits[low][0], key
    return max(0, best - 4)
