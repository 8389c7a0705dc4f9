"""A track record's numbers, from each prediction's first probability and its outcome.

Pure functions over `(first_probability, outcome)` pairs, in `Decimal` throughout (the
probabilities are stored as decimals, so sums and means are exact): the selectors read
the two columns, the pages show what these return.

- The Brier score is the mean of (p - o)² over the predictions resolved as came true
  (o = 1) or did not (o = 0): 0 is perfect, and `BASELINE` (0.25) is what saying 50% to
  everything earns. Voided predictions (they could not be judged) and open ones are not
  scored; with none resolved there is no score (None), not a perfect 0.
- Calibration groups the same predictions into ten bins by probability (see `bin_of`):
  for each, how many, their mean probability and how often they came true.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from broadsheet.predictions.models import Outcome

BASELINE = Decimal("0.25")
BINS = 10

# What a resolved prediction scores as: the outcome as a number.
OUTCOME_VALUES: dict[str, int] = {Outcome.TRUE: 1, Outcome.FALSE: 0}

Pair = tuple[Decimal, str]


@dataclass(frozen=True)
class Bin:
    """Predictions resolved true or false whose probability is in [lower, upper)."""

    lower: Decimal
    upper: Decimal
    count: int
    came_true: int
    mean_probability: Decimal | None  # None for an empty bin
    observed: Decimal | None  # how often they came true, from 0 to 1; None when empty

    @property
    def label(self) -> str:
        return f"{self.lower * 100:.0f}–{self.upper * 100:.0f}%"


@dataclass(frozen=True)
class Record:
    made: int
    came_true: int
    did_not: int
    voided: int
    open: int  # not resolved yet, whether or not its date has passed
    brier: Decimal | None
    bins: tuple[Bin, ...]
    baseline: Decimal = BASELINE

    @property
    def resolved(self) -> int:
        """Resolved as came true or did not: the predictions that are scored."""
        return self.came_true + self.did_not

    @property
    def filled_bins(self) -> list[Bin]:
        return [b for b in self.bins if b.count]


def bin_of(probability: Decimal) -> int:
    """The bin (0 to 9) of a probability. Bin k holds k tenths up to but not including
    k + 1 tenths: an exact 10% is in the second bin (10 to 20%), the first holds only what
    is below 10%, and the last holds 90% and up (a probability is always below 100%)."""
    return min(int(probability * BINS), BINS - 1)


def scored(pairs: Iterable[Pair]) -> list[tuple[Decimal, int]]:
    """The pairs that count for the score: resolved true or false, the outcome as 1 or 0."""
    return [(p, OUTCOME_VALUES[outcome]) for p, outcome in pairs if outcome in OUTCOME_VALUES]


def brier_score(pairs: Iterable[Pair]) -> Decimal | None:
    """The mean of (p - outcome)² over the scored predictions; None when there are none."""
    resolved = scored(pairs)
    if not resolved:
        return None
    return sum(((p - o) ** 2 for p, o in resolved), Decimal(0)) / len(resolved)


def calibration(pairs: Iterable[Pair]) -> tuple[Bin, ...]:
    """The ten bins of the scored predictions, empty ones included."""
    grouped: list[list[tuple[Decimal, int]]] = [[] for _ in range(BINS)]
    for p, o in scored(pairs):
        grouped[bin_of(p)].append((p, o))
    return tuple(_bin(k, members) for k, members in enumerate(grouped))


def _bin(k: int, members: list[tuple[Decimal, int]]) -> Bin:
    count = len(members)
    came_true = sum(o for _, o in members)
    return Bin(
        lower=Decimal(k) / BINS,
        upper=Decimal(k + 1) / BINS,
        count=count,
        came_true=came_true,
        mean_probability=sum((p for p, _ in members), Decimal(0)) / count if count else None,
        observed=Decimal(came_true) / count if count else None,
    )


def record_of(pairs: Iterable[Pair]) -> Record:
    """The counts, the score and the bins of one set of predictions."""
    pairs = list(pairs)
    outcomes = [outcome for _, outcome in pairs]
    return Record(
        made=len(pairs),
        came_true=outcomes.count(Outcome.TRUE),
        did_not=outcomes.count(Outcome.FALSE),
        voided=outcomes.count(Outcome.VOID),
        open=outcomes.count(Outcome.OPEN),
        brier=brier_score(pairs),
        bins=calibration(pairs),
    )
