"""The record's numbers: counts, the Brier score and the calibration bins that a table of
predictions must give, worked out by hand."""

from decimal import Decimal

import pytest

from broadsheet.predictions.scoring import BASELINE, bin_of, brier_score, calibration, record_of

D = Decimal
TRUE, FALSE, VOID, OPEN = "true", "false", "void", ""


def pairs(*rows: tuple[str, str]) -> list[tuple[Decimal, str]]:
    return [(D(p), outcome) for p, outcome in rows]


# (predictions, made, came true, did not, voided, open, Brier score,
#  the filled bins as {bin: (count, came true, mean probability, observed)})
TABLE = {
    "nothing at all": ([], 0, 0, 0, 0, 0, None, {}),
    "only open ones": (pairs(("0.3", OPEN), ("0.8", OPEN)), 2, 0, 0, 0, 2, None, {}),
    "all voided": (pairs(("0.2", VOID), ("0.6", VOID), ("0.9", VOID)), 3, 0, 0, 3, 0, None, {}),
    "saying 50% earns the baseline": (
        pairs(("0.5", TRUE), ("0.5", FALSE)),
        *(2, 1, 1, 0, 0),
        D("0.25"),
        {5: (2, 1, D("0.5"), D("0.5"))},
    ),
    # (0.3² + 0.3² + 0.7² + 0.22²) / 4 = (0.09 + 0.09 + 0.49 + 0.0484) / 4
    "one bin": (
        pairs(("0.7", TRUE), ("0.7", TRUE), ("0.7", FALSE), ("0.78", TRUE)),
        *(4, 3, 1, 0, 0),
        D("0.1796"),
        {7: (4, 3, D("0.72"), D("0.75"))},
    ),
    # Scored: 0.15 false, 0.05 false, 0.1 true, 0.9 true, 0.95 true:
    # (0.0225 + 0.0025 + 0.81 + 0.01 + 0.0025) / 5. The voided and the open one are not.
    "several bins, voided and open left out": (
        pairs(
            ("0.15", FALSE),
            ("0.05", FALSE),
            ("0.1", TRUE),  # an exact 10%: the second bin
            ("0.9", TRUE),
            ("0.95", TRUE),
            ("0.5", VOID),
            ("0.3", OPEN),
        ),
        *(7, 3, 2, 1, 1),
        D("0.1695"),
        {
            0: (1, 0, D("0.05"), D("0")),
            1: (2, 1, D("0.125"), D("0.5")),
            9: (2, 2, D("0.925"), D("1")),
        },
    ),
    "sure and right is nearly perfect": (
        pairs(("0.9999", TRUE), ("0.0001", FALSE)),
        *(2, 1, 1, 0, 0),
        D("0.00000001"),
        {0: (1, 0, D("0.0001"), D("0")), 9: (1, 1, D("0.9999"), D("1"))},
    ),
    "sure and wrong is nearly the worst": (
        pairs(
            ("0.9999", FALSE),
        ),
        *(1, 0, 1, 0, 0),
        D("0.99980001"),
        {9: (1, 0, D("0.9999"), D("0"))},
    ),
}


@pytest.mark.parametrize(
    "predictions, made, came_true, did_not, voided, open_, brier, filled",
    TABLE.values(),
    ids=TABLE.keys(),
)
def test_a_table_of_predictions_gives_its_counts_score_and_bins(
    predictions, made, came_true, did_not, voided, open_, brier, filled
):
    record = record_of(predictions)

    assert (record.made, record.came_true, record.did_not, record.voided, record.open) == (
        made,
        came_true,
        did_not,
        voided,
        open_,
    )
    assert record.resolved == came_true + did_not
    assert record.brier == brier
    assert record.baseline == BASELINE == D("0.25")
    assert len(record.bins) == 10
    assert {
        k: (b.count, b.came_true, b.mean_probability, b.observed)
        for k, b in enumerate(record.bins)
        if b.count
    } == filled
    assert [b for b in record.bins if not b.count] == [
        b for b in record.bins if b.mean_probability is None and b.observed is None
    ]
    assert record.filled_bins == [record.bins[k] for k in sorted(filled)]


@pytest.mark.parametrize(
    "probability, expected",
    [
        ("0.0001", 0),
        ("0.0999", 0),
        ("0.1", 1),  # an exact 10% goes up, into the second bin
        ("0.10", 1),
        ("0.1999", 1),
        ("0.2", 2),
        ("0.5", 5),
        ("0.8999", 8),
        ("0.9", 9),
        ("0.9999", 9),
    ],
)
def test_each_bin_holds_its_lower_edge_and_not_its_upper(probability, expected):
    assert bin_of(D(probability)) == expected


def test_the_bins_are_named_by_their_edges():
    labels = [b.label for b in calibration([])]

    assert labels[0] == "0–10%" and labels[1] == "10–20%" and labels[9] == "90–100%"
    assert len(labels) == 10


def test_the_score_reads_any_iterable_once():
    assert brier_score(iter(pairs(("0.2", FALSE), ("0.2", FALSE)))) == D("0.04")
    assert record_of(iter(pairs(("0.2", FALSE)))).brier == D("0.04")
