"""Snippets at their own layer: the passage's place and width, its first word whole."""

from broadsheet.search.query import parse
from broadsheet.search.snippets import LEAD, WIDTH, snippet


def words_of(cut: str) -> list[str]:
    return cut.replace("<mark>", "").replace("</mark>", "").strip("…").split()


def test_the_passage_starts_a_few_words_before_the_match_and_is_as_wide_as_set():
    text = " ".join(f"w{n}" for n in range(200)) + " target " + " ".join(f"v{n}" for n in range(60))
    cut = str(snippet(text, parse("target")))
    assert cut.startswith("…" + " ".join(f"w{n}" for n in range(200 - LEAD, 200)) + " <mark>")
    assert len(words_of(cut)) == WIDTH and cut.endswith("…")


def test_the_window_with_the_most_terms_wins_over_the_first_match():
    text = "rail " + "filler " * 100 + "rail freight together " + "filler " * 100
    cut = str(snippet(text, parse("rail freight")))
    assert "<mark>rail</mark> <mark>freight</mark>" in cut


def test_a_passage_after_long_words_begins_with_a_whole_word():
    long_word = "x" * 60
    text = f"start {' '.join([long_word] * 8)} finding"
    cut = str(snippet(text, parse("finding")))
    assert all(word == long_word for word in words_of(cut)[:-1]), cut
    assert words_of(cut)[-1] == "finding" and cut.startswith("…")


def test_the_same_query_marks_each_text_by_its_own_words():
    query = parse("harbour*")
    assert str(snippet("The harbours were full.", query)) == "The <mark>harbours</mark> were full."
    assert (
        str(snippet("A harbourmaster & <b>", query))
        == "A <mark>harbourmaster</mark> &amp; &lt;b&gt;"
    )
    assert str(snippet("Nothing here.", query)) == "Nothing here."
