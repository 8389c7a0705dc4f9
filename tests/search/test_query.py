"""What a reader types, as terms: nothing typed can reach an engine as syntax."""

import pytest

from broadsheet.search.query import LONGEST_QUERY, MOST_TERMS, Term, parse


def test_words_phrases_exclusions_and_prefixes():
    query = parse('Congestion "road pricing" -london econom*')
    assert query.terms == (
        Term(("congestion",)),
        Term(("road", "pricing")),
        Term(("london",), excluded=True),
        Term(("econom",), prefix=True),
    )
    assert query.plain_words == ("congestion",)
    assert str(query) == 'congestion "road pricing" -london econom*'


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("NEAR(war peace)", ["near", "war", "peace"]),
        ("title:war", ["title", "war"]),
        ("war OR peace AND NOT x", ["war", "or", "peace", "and", "not", "x"]),
        ("^war", ["war"]),
        ("'; DROP TABLE posts; --", ["drop", "table", "posts"]),
        ("war\x00peace", ["war", "peace"]),
        ('"unclosed phrase', ["unclosed phrase"]),
    ],
)
def test_syntax_is_read_as_plain_words(typed, words):
    assert [" ".join(term.words) for term in parse(typed).terms] == words


@pytest.mark.parametrize("typed", ["", "   ", "!!! ... ???", '""', "*", "-", "- -"])
def test_nothing_to_look_for(typed):
    assert parse(typed).is_empty


def test_only_exclusions_is_nothing_to_look_for():
    assert parse("-war -peace").is_empty


def test_a_one_letter_prefix_is_a_word():
    assert parse("e*").terms == (Term(("e",)),)


def test_long_input_is_cut():
    query = parse("word " * 10_000)
    assert len(query.terms) == 1
    many = parse(" ".join(f"w{n}" for n in range(1000)))
    assert len(many.terms) == MOST_TERMS
    assert len(str(parse("x" * 10_000))) <= LONGEST_QUERY


def test_corrections_replace_words_in_place():
    query = parse('infrastucture "road infrastucture"')
    fixed = query.with_words_replaced({"infrastucture": "infrastructure"})
    assert str(fixed) == 'infrastructure "road infrastructure"'
