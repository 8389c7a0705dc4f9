"""The passage of a result that matched, with the matched words marked.

Cut here rather than by the engines (FTS5 cannot quote a table that keeps no text, and
PostgreSQL's `ts_headline` reparses whole documents), from the text as indexed, so both
engines show the same passage. A word matches as the engines match it: the same after
folding, the same Porter stem (FTS5's stemmer; near enough to PostgreSQL's), or the start
of it for a prefix term. Everything is escaped; only our `<mark>` is markup.
"""

import functools
import re
from itertools import islice, pairwise

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from broadsheet.search.query import Query
from broadsheet.search.text import LONGEST_WORD, fold

WIDTH = 32  # words in a passage
LEAD = 4  # words before its first match
# Words a matcher remembers the answer for: a page's ten bodies hold a few hundred that
# may match. With `_matcher`'s 16, at most about 3 MB a process.
SEEN = 2_000
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
        self.seen: dict[str, int | None] = {}
        for number, term in enumerate(query.wanted):
            for word in term.words:
                folded = fold(word)
                if term.prefix:
                    self.prefixes.append((folded, number))
                else:
                    self.exact[folded] = number
                    self.stems[_stem(folded)] = number
        self.starts = {word[:2] for word in self.exact} | {p[:2] for p, _ in self.prefixes}
        # The words that `term_of` may take: their first two letters are a start in any
        # case (folding ASCII is lower-casing), or one of them is not ASCII.
        starts = "|".join(re.escape(start) for start in sorted(self.starts, reverse=True))
        self.candidates = re.compile(rf"(?<!\w)(?={starts}|\w?[^\x00-\x7f])\w+", re.IGNORECASE)

    def term_of(self, token: str) -> int | None:
        """The number of the term `token` matches, if any (a body repeats its words:
        each is asked once)."""
        if token not in self.seen:
            if len(self.seen) >= SEEN:
                self.seen.clear()
            self.seen[token] = self._term_of(token)
        return self.seen[token]

    def _term_of(self, token: str) -> int | None:
        folded = fold(token)
        if folded[:2] not in self.starts:  # most words: no stemming needed to say no
            return None
        if folded in self.exact:
            return self.exact[folded]
        for prefix, number in self.prefixes:
            if folded.startswith(prefix):
                return number
        return self.stems.get(_stem(folded))


@functools.lru_cache(maxsize=16)
def _matcher(query: Query) -> _Matcher:
    """One a query (in a process): a page's snippets, and a query asked again, share it."""
    return _Matcher(query)


def snippet(text: str, query: Query, *, width: int = WIDTH) -> SafeString:
    """The `width` words of `text` holding the most of the query's terms (its start if
    none), escaped, the matches in `<mark>`.

    Only the few words that may match are looked at, and only the passage is split into
    words: splitting a whole body, and folding each of its words, was most of a search's
    time."""
    matcher = _matcher(query)
    hits = [
        (found.start(), term)
        for found in matcher.candidates.finditer(text)
        if (term := matcher.term_of(found.group())) is not None
    ]
    start = _passage_start(text, _best_window_start(text, hits, width)) if hits else 0
    tokens = list(islice(_TOKEN.finditer(text, start), width))
    if not tokens:
        return mark_safe("")
    start, end = tokens[0].start(), tokens[-1].end()
    if _TOKEN.search(text, end) is None:  # the last word: its sentence's end too
        end = len(text.rstrip())
    marked = {at for at, _ in hits if start <= at < end}
    parts = ["…" if start > 0 else ""]
    cursor = start
    for token in tokens:
        if token.start() in marked:
            parts += [escape(text[cursor : token.start()]), f"<mark>{escape(token.group())}</mark>"]
            cursor = token.end()
    parts += [escape(text[cursor:end]), "…" if end < len(text.rstrip()) else ""]
    return mark_safe("".join(parts))  # noqa: S308 (escaped above)


def _best_window_start(text: str, hits: list[tuple[int, int]], width: int) -> int:
    """Where the first hit is of the window of `width` words with the most different
    terms, then the most hits. Words are counted by the spaces between hits (a body's
    whitespace is single spaces: `text.body_text`)."""
    numbers = [0]
    for (before, _), (at, _) in pairwise(hits):
        numbers.append(numbers[-1] + text.count(" ", before, at))
    best, best_key = 0, (0, 0)
    low = 0
    for high in range(len(hits)):
        while numbers[high] - numbers[low] >= width:
            low += 1
        window = hits[low : high + 1]
        key = (len({term for _, term in window}), len(window))
        if key > best_key:
            best, best_key = low, key
    return hits[best][0]


def _passage_start(text: str, at: int) -> int:
    """A few words before the character `at`, where a word starts."""
    since = max(0, at - LEAD * LONGEST_WORD)
    lead = [found.start() for found in _TOKEN.finditer(text, since, at)]
    if since and lead and lead[0] == since and _TOKEN.match(text[since - 1]):
        lead.pop(0)  # the end of a word cut short by `since`
    return lead[-LEAD] if len(lead) >= LEAD else (lead[0] if lead else at)
