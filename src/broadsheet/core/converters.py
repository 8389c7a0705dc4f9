"""Path converters that refuse, with a 404, what no page can have.

Their regexes bound the digits, so a huge number never reaches a view; `to_python` reads
the rest with `parse_number`, the one way to read a number a client sent. A ValueError
there makes the resolver look no further: the address is not found.
"""

from broadsheet.core.numbers import parse_number
from broadsheet.core.pagination import MAX_PAGE


class YearConverter:
    regex = "[1-9][0-9]{3}"  # no year 0 (datetime has none) and no leading zeros

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


class MonthConverter:
    regex = "0[1-9]|1[0-2]"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:02d}"


class PageConverter:
    """A page of a list in a path (`page/2/`): 1 to MAX_PAGE, written without leading zeros."""

    regex = f"[1-9][0-9]{{0,{len(str(MAX_PAGE)) - 1}}}"

    def to_python(self, value: str) -> int:
        if (number := parse_number(value, maximum=MAX_PAGE)) is None:
            raise ValueError(f"no page {value}")
        return number

    def to_url(self, value: int) -> str:
        return str(value)
