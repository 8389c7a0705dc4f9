"""'Did you mean': a word the index has never seen, replaced by the closest one it has.

Candidates come from the engine's trigram search of the vocabulary; the closest by
Damerau-Levenshtein distance (a swap of two letters is one edit) wins, within a distance
that grows with the word's length. The caller only offers a correction that finds
something the reader may see, so words of drafts never surface.
"""

from broadsheet.search.engines import engine
from broadsheet.search.models import Word
from broadsheet.search.query import Query
from broadsheet.search.text import fold

CANDIDATES = 40
SHORTEST = 4  # shorter words are too easily another word


def allowed_edits(word: str) -> int:
    return 1 if len(word) < 8 else 2


def corrected(query: Query) -> Query | None:
    """The query with each unknown plain word replaced by its closest known word, or
    None if no word needs (or has) a correction."""
    words = {word: fold(word) for word in query.plain_words}
    known = set(Word.objects.filter(word__in=words.values()).values_list("word", flat=True))
    replacements = {}
    for word, folded in words.items():
        if folded in known or len(folded) < SHORTEST:
            continue
        if closest := _closest(folded):
            replacements[word] = closest
    return query.with_words_replaced(replacements) if replacements else None


def _closest(word: str) -> str | None:
    from rapidfuzz.distance import DamerauLevenshtein

    limit = allowed_edits(word)
    scored = [
        (DamerauLevenshtein.distance(word, candidate, score_cutoff=limit), candidate)
        for candidate in engine().similar_words(word, limit=CANDIDATES)
    ]
    near = [(distance, candidate) for distance, candidate in scored if distance <= limit]
    return (
        min(near, key=lambda pair: (pair[0], abs(len(pair[1]) - len(word)), pair[1]))[1]
        if near
        else None
    )
