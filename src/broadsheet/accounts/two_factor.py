"""Two-factor login with time-based codes (TOTP, RFC 6238), as authenticator apps make them.

A correct password for an account with a secret only starts a login: the account waits in
the session (for `PENDING_SECONDS`) until a code arrives. Each accepted code's time step
is recorded, so a code works once, even for two requests racing with it.
"""

import hmac
import time
from typing import Any

import pyotp
import segno
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import login
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.html import escape

from broadsheet.accounts.models import User
from broadsheet.core.selectors import get_site_settings

PENDING_KEY = "accounts:two_factor_pending"
SETUP_KEY = "accounts:two_factor_setup_secret"
PENDING_SECONDS = 5 * 60
# Accept the code of the step before and after the current one (clocks drift, people type).
VALID_WINDOW = 1


class LockedOut(Exception):
    """Too many failed attempts for this account or address: django-axes refuses."""


# --- Codes ---


def normalize_code(code: str) -> str:
    """People paste "123 456" or "123-456"; the code is the six digits."""
    return "".join(ch for ch in code if ch.isdigit())


def matching_step(
    secret: str, code: str, *, after: int = 0, now: float | None = None
) -> int | None:
    """The time step `code` is right for (within the window), if it is later than `after`.

    pyotp's `verify(valid_window=1)` says only yes or no; the step is what makes a code
    single-use, so the window is walked here.
    """
    code = normalize_code(code)
    if len(code) != 6 or not secret:
        return None
    try:
        totp = pyotp.TOTP(secret)
    except ValueError:  # not a usable secret (binascii.Error too): no code can match it
        return None
    current = totp.timecode(time.time() if now is None else now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if step > after and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def use_code(user: User, code: str) -> bool:
    """Accept `code` for `user` once: its step must be newer than the last one accepted.

    The step is recorded with a conditional UPDATE, so of two requests with one code
    only one wins, on SQLite and PostgreSQL alike.
    """
    step = matching_step(user.totp_secret, code, after=user.totp_last_step)
    if step is None:
        return False
    won = User.objects.filter(pk=user.pk, totp_last_step__lt=step).update(totp_last_step=step)
    if won:
        user.totp_last_step = step
    return bool(won)


# --- Setting up and turning off ---


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.email or user.username, issuer_name=get_site_settings().title
    )


def qr_svg(uri: str) -> str:
    """The QR code as inline SVG (no image request, no inline style for the CSP to refuse)."""
    svg = segno.make(uri, error="m").svg_inline(omitsize=True, border=2)
    label = escape("QR code to scan with your authenticator app")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def setup_secret(request: HttpRequest) -> str:
    """The secret being set up, kept in the session until a code confirms it."""
    secret = request.session.get(SETUP_KEY)
    if not secret:
        secret = request.session[SETUP_KEY] = new_secret()
    return secret


def enable(request: HttpRequest, user: User, code: str) -> None:
    """Turn two-factor login on, once a code shows the app holds the session's secret."""
    secret = request.session.get(SETUP_KEY)
    step = matching_step(secret, code) if isinstance(secret, str) else None
    if not isinstance(secret, str) or step is None:
        raise ValidationError(
            {"code": "That code is not right. Check the time on your phone and try the newest."}
        )
    user.totp_secret, user.totp_last_step = secret, step
    user.save(update_fields=["totp_secret", "totp_last_step"])
    del request.session[SETUP_KEY]


def disable(user: User, *, password: str, code: str) -> None:
    """Turn two-factor login off; both the password and a current code are needed."""
    errors = {}
    if not user.check_password(password):
        errors["password"] = "That is not your current password."  # noqa: S105 (a message)
    if not use_code(user, code):
        errors["code"] = "That code is not right (or was already used)."
    if errors:
        raise ValidationError(errors)
    user.totp_secret, user.totp_last_step = "", 0
    user.save(update_fields=["totp_secret", "totp_last_step"])


# --- The second step of a login ---


def begin_login(request: HttpRequest, user: User, *, next_url: str) -> None:
    """The password was right: remember who is signing in, for a few minutes only."""
    request.session[PENDING_KEY] = {
        "user_id": user.pk,
        "backend": getattr(user, "backend", ""),
        "started": time.time(),
        "next": next_url,
    }


def pending(request: HttpRequest) -> dict[str, Any] | None:
    """The login waiting for a code, or None (none, too old, or the account changed)."""
    state = request.session.get(PENDING_KEY)
    if not isinstance(state, dict):
        return None
    if time.time() - float(state.get("started", 0)) > PENDING_SECONDS:
        cancel_login(request)
        return None
    user_id = state.get("user_id")
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None or not user.has_two_factor:
        cancel_login(request)
        return None
    return {**state, "user": user}


def cancel_login(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def finish_login(request: HttpRequest, state: dict[str, Any], code: str) -> bool:
    """Log in with `code`; a wrong code counts as a failed login for django-axes.

    Raises LockedOut when the account or address is locked: the code is not even tried.
    """
    user: User = state["user"]
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        # As axes' own backend does: flag the request; the middleware answers with the
        # lockout page once the failure below is recorded.
        request.axes_locked_out = True  # type: ignore[attr-defined]  # axes' own flag
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        cancel_login(request)
        raise LockedOut
    if not use_code(user, code):
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        return False
    cancel_login(request)
    login(request, user, backend=state.get("backend") or None)
    return True
