"""Dates as blog sources write them, made timezone-aware for the records."""

import datetime
import email.utils
import re

_SPACE_BEFORE_OFFSET = re.compile(r"\s+(Z|[+-]\d{2}:?\d{2})$")


def aware(value: datetime.datetime) -> datetime.datetime:
    """A date without a zone is taken as UTC: the source's own zone is not known here."""
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def parse_datetime(text: str) -> datetime.datetime | None:
    """An RFC 822 date (RSS: "Tue, 05 Mar 2024 09:30:00 +0000") or an ISO 8601 one (Atom,
    front matter: "2024-03-05T10:30:00+01:00", Jekyll's "2024-03-05 10:30:00 +0100"), with
    its zone kept; None when it is neither."""
    text = text.strip()
    if not text:
        return None
    try:
        return aware(datetime.datetime.fromisoformat(_SPACE_BEFORE_OFFSET.sub(r"\1", text)))
    except ValueError:
        pass
    try:
        return aware(email.utils.parsedate_to_datetime(text))
    except (ValueError, TypeError, IndexError):
        return None
