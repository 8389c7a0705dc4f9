"""Recognising a browser without an account, a session or its address.

The like view gives each browser a random id in a long-lived cookie; the database keeps
only a keyed hash of it. The cookie is not the session cookie, so pages stay the same for
everyone and the fast path keeps serving them to readers who have one.
"""

import re
import secrets

from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

READER_COOKIE = "broadsheet_reader"
READER_COOKIE_MAX_AGE = 365 * 24 * 60 * 60
# `secrets.token_urlsafe(24)` makes 32 characters; anything else is not ours.
_READER_ID = re.compile(r"^[A-Za-z0-9_-]{32}$")


def new_reader_id() -> str:
    return secrets.token_urlsafe(24)


def reader_id_from(request: HttpRequest) -> str | None:
    """The browser's id if it sent a well-formed one; a forged or mangled value is ignored."""
    value = request.COOKIES.get(READER_COOKIE, "")
    return value if _READER_ID.fullmatch(value) else None


def reader_key(reader_id: str) -> str:
    """What is stored: 64 hex characters, keyed with SECRET_KEY so ids cannot be guessed back."""
    return salted_hmac("broadsheet.likes.reader", reader_id, algorithm="sha256").hexdigest()


def set_reader_cookie(request: HttpRequest, response: HttpResponse, reader_id: str) -> None:
    response.set_cookie(
        READER_COOKIE,
        reader_id,
        max_age=READER_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
