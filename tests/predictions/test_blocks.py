"""Reading a prediction block: every accepted form, every refused one with its message."""

import datetime
from decimal import Decimal

import pytest

from broadsheet.predictions.blocks import blocks_of, format_probability, problems, read

STATED = "Belarus's own army will take part in ground fighting in Ukraine."


def block(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def test_the_issue_s_own_example_is_read():
    spec = read(block(STATED, "probability: 15%", "resolves: 2022-12-31"))

    assert spec.statement == STATED
    assert spec.probability == Decimal("0.15")
    assert spec.resolves_on == datetime.date(2022, 12, 31)
    assert (spec.criteria, spec.source) == ("", "")


@pytest.mark.parametrize(
    ("written", "fraction"),
    [
        ("15%", "0.15"),
        ("15 %", "0.15"),
        ("12.5%", "0.125"),
        ("0.5%", "0.005"),
        ("99.99%", "0.9999"),
        ("0.15", "0.15"),
        (".15", "0.15"),
        ("0.0001", "0.0001"),
        ("0.9999", "0.9999"),
    ],
)
def test_a_probability_is_a_percentage_or_a_fraction(written, fraction):
    spec = read(block(STATED, f"probability: {written}", "resolves: 2030-01-01"))

    assert spec.probability == Decimal(fraction)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("0%", "more than 0% and less than 100%"),
        ("100%", "is not a probability"),
        ("0", "is not a probability"),
        ("1", "is not a probability"),
        ("0.0", "more than 0% and less than 100%"),
        ("15", "write a percentage"),
        ("-5%", "is not a probability"),
        ("1.5", "is not a probability"),
        ("12.345%", "is not a probability"),
        ("likely", "is not a probability"),
        ("٣٠%", "is not a probability"),  # Arabic-Indic digits
    ],
)
def test_a_probability_outside_the_forms_or_the_bounds_is_refused(written, message):
    with pytest.raises(ValueError, match=message):
        read(block(STATED, f"probability: {written}", "resolves: 2030-01-01"))


def test_fields_in_any_order_with_criteria_and_a_source_and_a_long_statement():
    spec = read(
        block(
            "resolves: 2027-06-30",
            "Source: https://example.com/background?x=1",
            "probability: 0.7",
        ).replace("resolves", "The euro area grows: more than 1%\nin 2027.\nresolves", 1)
        + "criteria: Eurostat's first estimate,\n  published in July.\n"
    )

    assert spec.statement == "The euro area grows: more than 1% in 2027."
    assert spec.criteria == "Eurostat's first estimate, published in July."
    assert spec.source == "https://example.com/background?x=1"
    assert spec.probability == Decimal("0.7")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (block("probability: 15%", "resolves: 2030-01-01"), "Start with the statement"),
        (block(STATED, "resolves: 2030-01-01"), "probability: 15%"),
        (block(STATED, "probability: 15%"), "resolves: YYYY-MM-DD"),
        (block(STATED, "probability:", "resolves: 2030-01-01"), "probability: 15%"),
        (block(STATED, "probability: 15%", "resolves: 31/12/2030"), "is not a date"),
        (block(STATED, "probability: 15%", "resolves: 2030-02-30"), "is not a date"),
        (block(STATED, "probability: 15%", "resolves: next year"), "is not a date"),
        (
            block(STATED, "probability: 15%", "probability: 20%", "resolves: 2030-01-01"),
            "given twice",
        ),
        (
            block(STATED, "probability: 15%", "resolves: 2030-01-01", "source: ftp://x.org"),
            "web address",
        ),
        (
            block(STATED, "probability: 15%", "resolves: 2030-01-01", "source: javascript:x"),
            "web address",
        ),
        (block("x" * 501, "probability: 15%", "resolves: 2030-01-01"), "under 500"),
        ("", "Start with the statement"),
    ],
)
def test_a_malformed_block_says_what_is_wrong(content, message):
    with pytest.raises(ValueError, match=message):
        read(content)


def test_blocks_are_found_in_order_with_their_lines_and_problems():
    markdown = (
        "Intro.\n\n"
        "```prediction\nFirst.\nprobability: 10%\nresolves: 2030-01-01\n```\n\n"
        "```python\nprobability = 5\n```\n\n"
        "- a list item\n\n  ```prediction\n  Second.\n  probability: 150%\n"
        "  resolves: 2030-01-01\n  ```\n"
    )

    found = blocks_of(markdown)

    assert [(b.number, b.line) for b in found] == [(1, 3), (2, 15)]
    assert found[0].spec is not None and found[0].spec.statement == "First."
    assert found[1].spec is None
    assert problems(markdown) == [
        "Prediction 2 (line 15): “150%” is not a probability: write a percentage (15%, "
        "12.5%) or a fraction (0.15)."
    ]


def test_a_post_without_blocks_has_no_problems():
    assert problems("Just prose, and `prediction` in code.\n\n```\nplain fence\n```") == []


@pytest.mark.parametrize(
    ("fraction", "shown"), [("0.15", "15%"), ("0.125", "12.5%"), ("0.0001", "0.01%")]
)
def test_a_probability_is_shown_as_a_percentage(fraction, shown):
    assert format_probability(Decimal(fraction)) == shown
