"""What a writer types: a fenced `prediction` block in a post's Markdown.

    ```prediction
    Belarus's own army will take part in ground fighting in Ukraine.
    probability: 15%
    resolves: 2022-12-31
    criteria: Reported by two of Reuters, AP and the BBC.
    source: https://example.com/background
    ```

The statement comes first (one line or several); then the fields, one a line, in any
order. `probability` is a percentage (`15%`, `12.5%`) or a fraction (`0.15`), strictly
between 0 and 100%; `resolves` is the date (YYYY-MM-DD) by which it will be known. A line
that starts with none of the field names continues what came before it, so a statement
or criteria may run over several lines and hold colons of its own.

Nothing here reads the database: the studio's preview, the publish check, the rendering
and the record all parse the same way.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from broadsheet.core.markup import fences

FENCE = "prediction"
FIELDS = ("probability", "resolves", "criteria", "source")
LONGEST_STATEMENT = 500
LONGEST_CRITERIA = 1000
LONGEST_SOURCE = 500

_FIELD_LINE = re.compile(rf"^\s*({'|'.join(FIELDS)})\s*:\s*(.*)$", re.IGNORECASE)
# ASCII digits only (`\d` would take any script's, which Decimal reads too).
_PERCENT = re.compile(r"^([0-9]{1,2}(?:\.[0-9]{1,2})?)\s*%$")
_FRACTION = re.compile(r"^(0?\.[0-9]{1,4})$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class Spec:
    """One prediction as its block states it."""

    statement: str
    probability: Decimal  # a fraction, 0 < p < 1, at most four decimals
    resolves_on: datetime.date
    criteria: str = ""
    source: str = ""


@dataclass(frozen=True)
class Block:
    """A block found in a post: its place (1 for the first), its first line in the
    Markdown (1-based) and what it says, or why it cannot be read."""

    number: int
    line: int
    spec: Spec | None
    problem: str = ""

    def message(self) -> str:
        return f"Prediction {self.number} (line {self.line}): {self.problem}"


def read(content: str) -> Spec:
    """A block's text as a `Spec`; ValueError with a message for the writer if it cannot be."""
    parts: dict[str, list[str]] = {"statement": []}
    current = "statement"
    for line in content.splitlines():
        if not line.strip():
            continue
        field = _FIELD_LINE.match(line)
        if field:
            current = field[1].lower()
            if current in parts:
                raise ValueError(f"“{current}:” is given twice.")
            parts[current] = [field[2].strip()]
        else:
            parts[current].append(line.strip())
    text = {name: " ".join(word for word in lines if word) for name, lines in parts.items()}
    statement = text["statement"]
    if not statement:
        raise ValueError("Start with the statement: what you expect to happen.")
    if len(statement) > LONGEST_STATEMENT:
        raise ValueError(f"Keep the statement under {LONGEST_STATEMENT} characters.")
    if "probability" not in text or not text["probability"]:
        raise ValueError("Add a line “probability: 15%” (or 0.15).")
    if "resolves" not in text or not text["resolves"]:
        raise ValueError("Add a line “resolves: YYYY-MM-DD”, the date it will be known by.")
    if len(text.get("criteria", "")) > LONGEST_CRITERIA:
        raise ValueError(f"Keep the criteria under {LONGEST_CRITERIA} characters.")
    return Spec(
        statement=statement,
        probability=parse_probability(text["probability"]),
        resolves_on=_parse_date(text["resolves"]),
        criteria=text.get("criteria", ""),
        source=_parse_source(text.get("source", "")),
    )


def parse_probability(value: str) -> Decimal:
    """`15%`, `12.5%` or `0.15` as the fraction 0.15; strictly between 0 and 1."""
    value = value.strip()
    try:
        if percent := _PERCENT.match(value):
            probability = Decimal(percent[1]) / 100
        elif fraction := _FRACTION.match(value):
            probability = Decimal(fraction[1])
        else:
            raise InvalidOperation
    except InvalidOperation:
        raise ValueError(
            f"“{value[:20]}” is not a probability: write a percentage (15%, 12.5%) or a "
            "fraction (0.15)."
        ) from None
    if not 0 < probability < 1:
        raise ValueError("A probability must be more than 0% and less than 100%.")
    return probability


def _parse_date(value: str) -> datetime.date:
    try:
        if not _DATE.match(value):
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"“{value[:20]}” is not a date: write it as YYYY-MM-DD (2027-12-31)."
        ) from None


def _parse_source(value: str) -> str:
    if not value:
        return ""
    try:
        if len(value) > LONGEST_SOURCE:
            raise ValidationError("too long")
        _url(value)
    except ValidationError:
        raise ValueError("The source must be a web address (https://…).") from None
    return value


def blocks_of(markdown: str) -> list[Block]:
    """Every prediction block of a post's Markdown, in order."""
    found = []
    for number, (line, content) in enumerate(fences(markdown, FENCE), start=1):
        try:
            found.append(Block(number=number, line=line, spec=read(content)))
        except ValueError as problem:
            found.append(Block(number=number, line=line, spec=None, problem=str(problem)))
    return found


def problems(markdown: str) -> list[str]:
    """What stops a post with this Markdown from being published: one message a block."""
    return [block.message() for block in blocks_of(markdown) if block.spec is None]


def format_probability(probability: Decimal) -> str:
    """0.15 as "15%", 0.125 as "12.5%"."""
    percent = (probability * 100).normalize()
    return f"{percent:f}%"
