"""Which integration a request to the APIs comes from, by Ghost's rules, so Ghost's own
clients (@tryghost/content-api, @tryghost/admin-api) and tools built on them work as they
are. The API views call these and answer a `TokenError` with its status and code."""

import re
import time

from django.conf import settings
from django.db.models import QuerySet

from broadsheet.core.ratelimit import check_in_window
from broadsheet.integrations.models import Integration
from broadsheet.integrations.services import hash_content_key

MAX_TOKEN_AGE = 5 * 60  # Ghost's maxAge: a token is good for five minutes from its iat
CLOCK_SKEW = 60  # how far ahead of ours a client's clock may run (its iat in our future)
# Ghost checks the audience with /\/?admin\/?$/: "/admin/" (v5 on), "admin", "/v5/admin/".
_ADMIN_AUDIENCE = re.compile(r"(?:^|/)admin/?\Z")
_ONLY_HS256 = ["HS256"]


class TokenError(Exception):
    """An Admin API request that is refused: `code` is Ghost's error code for it and
    `status` the HTTP status Ghost answers."""

    def __init__(self, code: str, message: str, *, status: int = 401) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def _active() -> QuerySet[Integration]:
    return Integration.objects.select_related("user").filter(
        revoked_at__isnull=True, user__is_active=True
    )


def integration_for_content_key(key: str) -> Integration | None:
    """The active integration whose Content API key this is, or None. Only the key's
    SHA-256 is stored and looked up, so a comparison's timing says nothing of the key."""
    if not isinstance(key, str) or not key or len(key) > 64:
        return None
    return _active().filter(content_key_hash=hash_content_key(key.strip())).first()


def integration_for_admin_token(authorization_header: str) -> Integration:
    """The integration that signed the `Authorization: Ghost <jwt>` header; `TokenError`
    unless the token is HS256 with its key's secret, says its key id (`kid`), is meant for
    the Admin API (`aud`), and was issued (`iat`, required) in the last five minutes."""
    scheme, _, token = (authorization_header or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "ghost" or not token or " " in token:
        raise TokenError(
            "INVALID_AUTH_HEADER", 'Authorization header format is "Authorization: Ghost [token]"'
        )
    import jwt  # with cryptography: loaded by the first Admin API call, not at start

    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError as error:
        raise TokenError("INVALID_JWT", "Invalid token", status=400) from error
    kid = header.get("kid")
    if not kid:
        raise TokenError("MISSING_ADMIN_API_KID", "Admin API kid missing.", status=400)
    integration = _active().filter(admin_key_id=str(kid)).first() if isinstance(kid, str) else None
    if integration is None:
        raise TokenError("UNKNOWN_ADMIN_API_KEY", "Unknown Admin API Key")
    try:
        secret = bytes.fromhex(integration.admin_secret)
    except ValueError as error:  # not hex, or SECRET_KEY changed since it was issued
        raise TokenError("UNKNOWN_ADMIN_API_KEY", "Unknown Admin API Key") from error
    claims = _verified_claims(token, secret)
    _check_audience(claims.get("aud"))
    _check_age(claims["iat"])
    return integration


def _verified_claims(token: str, secret: bytes) -> dict:
    import jwt

    try:
        return jwt.decode(
            token,
            secret,
            algorithms=_ONLY_HS256,
            options={"require": ["iat"], "verify_aud": False, "verify_iat": False},
        )
    except jwt.ExpiredSignatureError as error:
        raise TokenError("INVALID_JWT", "Invalid token: jwt expired") from error
    except jwt.InvalidTokenError as error:
        raise TokenError("INVALID_JWT", f"Invalid token: {error}") from error


def _check_audience(audience: object) -> None:
    audiences = audience if isinstance(audience, list) else [audience]
    if not any(isinstance(a, str) and _ADMIN_AUDIENCE.search(a) for a in audiences):
        raise TokenError("INVALID_JWT", "Invalid token: jwt audience invalid")


def _check_age(issued_at: object) -> None:
    if not isinstance(issued_at, int | float) or isinstance(issued_at, bool):
        raise TokenError("INVALID_JWT", "Invalid token: iat must be a number")
    now = time.time()
    if issued_at > now + CLOCK_SKEW:
        raise TokenError("INVALID_JWT", "Invalid token: jwt issued in the future")
    if now - issued_at > MAX_TOKEN_AGE:
        raise TokenError("INVALID_JWT", "Invalid token: maxAge exceeded")


def check_rate(integration: Integration, *, write: bool) -> None:
    """Count one API request for this integration's keys; `core.ratelimit.RateLimited`
    (with `retry_after`) past the minute's limit. Reads and writes count apart."""
    if write:
        scope, limit = "api-write", settings.BROADSHEET_API_WRITES_PER_MINUTE
    else:
        scope, limit = "api-read", settings.BROADSHEET_API_READS_PER_MINUTE
    check_in_window(scope, str(integration.pk), limit=limit, window=60)
