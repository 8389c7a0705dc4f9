"""The one way to read a number a client sent (a query parameter, a form field, a path).

`str.isdigit()` accepts "²" and other digits `int()` refuses, and `int()` takes any
length; clients may send both. Only ASCII digits, only as many as a real value has.
"""

MAX_DIGITS = 18  # fits a 64-bit id; anything longer is no id or page of ours


def parse_number(value: str | None, *, maximum: int = 10**MAX_DIGITS - 1) -> int | None:
    """`value` as a whole number from 1 to `maximum`, or None if it is anything else."""
    if not value or len(value) > MAX_DIGITS or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= maximum else None
