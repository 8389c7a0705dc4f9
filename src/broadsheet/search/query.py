"""What a reader can type: words (all must match), `"a phrase"`, `-word` or `-"a phrase"`
to leave out, `word*` for words that start so. Anything else is read as plain words, so
no input can reach an engine as syntax: the engines are handed `Term`s, never the text.
"""

import re
from dataclasses import dataclass, replace

from broadsheet.search.text import LONGEST_WORD, WORD

# A query is cut to this much text and this many terms: enough for any real question.
LONGEST_QUERY = 300
MOST_TERMS = 12
SHORTEST_PREFIX = 2

_CHUNK = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase's words in order
    prefix: bool = False
    excluded: bool = False

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    def __str__(self) -> str:
        text = " ".join(self.words)
        text = f'"{text}"' if self.is_phrase else text + ("*" if self.prefix else "")
        return ("-" if self.excluded else "") + text


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...]

    @property
    def wanted(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if not term.excluded)

    @property
    def unwanted(self) -> tuple[Term, ...]:
        return tuple(term for term in self.terms if term.excluded)

    @property
    def is_empty(self) -> bool:
        """Nothing to look for: no words, or only words to leave out."""
        return not self.wanted

    @property
    def plain_words(self) -> tuple[str, ...]:
        """The wanted single words (not phrases or prefixes): what a speller may correct,
        and what, side by side, would make a phrase worth ranking first."""
        return tuple(t.words[0] for t in self.wanted if not t.is_phrase and not t.prefix)

    def with_words_replaced(self, replacements: dict[str, str]) -> "Query":
        return Query(
            tuple(
                replace(term, words=tuple(replacements.get(w, w) for w in term.words))
                for term in self.terms
            )
        )

    def __str__(self) -> str:
        return " ".join(str(term) for term in self.terms)


def parse(text: str) -> Query:
    terms: list[Term] = []
    for match in _CHUNK.finditer(text.replace("\x00", " ")[:LONGEST_QUERY]):
        quoted_minus, quoted, bare_minus, bare = match.groups()
        if quoted is not None:
            found = _words(quoted)
            if found:
                terms.append(Term(found, excluded=bool(quoted_minus)))
            continue
        found = _words(bare)
        if len(found) == 1:
            prefix = bare.endswith("*") and len(found[0]) >= SHORTEST_PREFIX
            terms.append(Term(found, prefix=prefix, excluded=bool(bare_minus)))
        else:  # `title:war`, `NEAR(a`: the words, each to be matched
            terms.extend(Term((word,)) for word in found)
    return Query(tuple(_unique(terms))[:MOST_TERMS])


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.lower() for word in WORD.findall(text) if len(word) <= LONGEST_WORD)


def _unique(terms: list[Term]) -> list[Term]:
    return list(dict.fromkeys(terms))
