"""Ghost's ids are 24 hexadecimal characters (MongoDB ObjectIds); ours are integers.
A row's API id is its key written as 24 hex digits, so clients that check the form of an
id accept ours, and an id read back needs no lookup table."""

import re

_ID = re.compile(r"[0-9a-f]{24}")


def encode(pk: int) -> str:
    return f"{pk:024x}"


def decode(value: str) -> int | None:
    """The key an API id names; None for anything that is not one of ours."""
    if not isinstance(value, str) or not _ID.fullmatch(value):
        return None
    pk = int(value, 16)
    return pk if 0 < pk < 2**63 else None
