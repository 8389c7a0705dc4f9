"""The API keys by Ghost's rules; tokens made exactly as @tryghost/admin-api makes them."""

import time

import jwt
import pytest

from broadsheet.core.ratelimit import RateLimited
from broadsheet.integrations import services
from broadsheet.integrations.auth import (
    TokenError,
    check_rate,
    integration_for_admin_token,
    integration_for_content_key,
)


def ghost_token(admin_key: str, *, iat: float | None = None, aud="/admin/", **changes) -> str:
    """As @tryghost/admin-api: HS256 over {} with the hex-decoded secret, kid in the
    header, iat now, exp five minutes later, aud "/admin/"."""
    key_id, secret = admin_key.split(":")
    iat = int(time.time()) if iat is None else int(iat)
    claims = {"iat": iat, "exp": iat + 300, "aud": aud}
    claims.update(changes.pop("claims", {}))
    claims = {k: v for k, v in claims.items() if v is not None}
    key = changes.pop("key", bytes.fromhex(secret))
    headers = {"kid": key_id, **changes.pop("headers", {})}
    return jwt.encode(claims, key, algorithm=changes.pop("algorithm", "HS256"), headers=headers)


def refusal(header: str) -> TokenError:
    with pytest.raises(TokenError) as caught:
        integration_for_admin_token(header)
    return caught.value


def test_a_content_key_finds_its_integration(issued):
    integration, keys = issued
    assert integration_for_content_key(keys.content_key) == integration
    other_digit = "1" if keys.content_key[-1] == "0" else "0"
    assert integration_for_content_key(keys.content_key[:-1] + other_digit) is None
    assert integration_for_content_key("") is None
    assert integration_for_content_key("x" * 10_000) is None


def test_a_revoked_content_key_finds_nothing(issued):
    integration, keys = issued
    services.revoke_integration(actor=None, integration=integration)
    assert integration_for_content_key(keys.content_key) is None


@pytest.mark.parametrize("aud", ["/admin/", "admin", "/v5/admin/", "/admin", ["/x/", "/admin/"]])
def test_a_token_made_as_ghosts_client_makes_it(issued, aud):
    integration, keys = issued
    token = ghost_token(keys.admin_key, aud=aud)
    assert integration_for_admin_token(f"Ghost {token}") == integration
    assert integration_for_admin_token(f"ghost {token}") == integration


@pytest.mark.parametrize(
    "header", ["", "Bearer abc", "Ghost", "Ghost ", "Ghost a b", "Basic Z2hvc3Q="]
)
def test_a_malformed_header(issued, header):
    assert refusal(header).code == "INVALID_AUTH_HEADER"


def test_not_a_jwt(issued):
    error = refusal("Ghost not.a.jwt")
    assert error.code == "INVALID_JWT" and error.status == 400


def test_an_expired_token(issued):
    error = refusal("Ghost " + ghost_token(issued[1].admin_key, iat=time.time() - 301))
    assert error.code == "INVALID_JWT" and "expired" in error.message


def test_a_token_older_than_five_minutes_even_with_a_long_exp(issued):
    token = ghost_token(
        issued[1].admin_key, iat=time.time() - 400, claims={"exp": int(time.time()) + 3600}
    )
    assert "maxAge" in refusal(f"Ghost {token}").message


def test_a_token_from_the_future(issued):
    token = ghost_token(issued[1].admin_key, iat=time.time() + 600)
    assert "future" in refusal(f"Ghost {token}").message


def test_a_token_without_iat(issued):
    token = ghost_token(issued[1].admin_key, claims={"iat": None, "exp": int(time.time()) + 60})
    assert refusal(f"Ghost {token}").code == "INVALID_JWT"


@pytest.mark.parametrize("aud", ["/content/", "/admin/x", "", None, "/administrator/"])
def test_a_token_for_another_audience(issued, aud):
    token = ghost_token(issued[1].admin_key, aud=aud)
    assert "audience" in refusal(f"Ghost {token}").message


def test_a_tampered_signature(issued):
    token = ghost_token(issued[1].admin_key)
    head, claims, sig = token.split(".")
    flipped = ("A" if sig[0] != "A" else "B") + sig[1:]
    assert refusal(f"Ghost {head}.{claims}.{flipped}").code == "INVALID_JWT"


def test_claims_changed_under_a_good_signature(issued):
    token = ghost_token(issued[1].admin_key)
    other = ghost_token(issued[1].admin_key, aud="/v5/admin/")
    head, _, sig = token.split(".")
    assert refusal(f"Ghost {head}.{other.split('.')[1]}.{sig}").code == "INVALID_JWT"


def test_alg_none_is_refused(issued):
    key_id = issued[1].admin_key.split(":")[0]
    token = jwt.encode(
        {"iat": int(time.time()), "aud": "/admin/"}, None, algorithm="none",
        headers={"kid": key_id},
    )  # fmt: skip
    assert refusal(f"Ghost {token}").code == "INVALID_JWT"


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_another_hs_algorithm_is_refused(issued):
    token = ghost_token(issued[1].admin_key, algorithm="HS512")
    assert refusal(f"Ghost {token}").code == "INVALID_JWT"


def test_signed_with_the_secret_as_text_not_its_bytes(issued):
    # A common mistake with Ghost's keys: the hex string used as the key, not decoded.
    secret = issued[1].admin_key.split(":")[1]
    assert refusal("Ghost " + ghost_token(issued[1].admin_key, key=secret)).code == "INVALID_JWT"


def test_signed_with_another_integrations_secret(issued):
    _, other = services.create_integration(actor=None, name="Other")
    wrong = issued[1].admin_key.split(":")[0] + ":" + other.admin_key.split(":")[1]
    assert refusal("Ghost " + ghost_token(wrong)).code == "INVALID_JWT"


def test_an_unknown_kid(issued):
    token = ghost_token(issued[1].admin_key, headers={"kid": "0" * 24})
    assert refusal(f"Ghost {token}").code == "UNKNOWN_ADMIN_API_KEY"


def test_a_missing_kid(issued):
    secret = bytes.fromhex(issued[1].admin_key.split(":")[1])
    token = jwt.encode({"iat": int(time.time()), "aud": "/admin/"}, secret, algorithm="HS256")
    error = refusal(f"Ghost {token}")
    assert error.code == "MISSING_ADMIN_API_KID" and error.status == 400


def test_a_revoked_integrations_token(issued):
    integration, keys = issued
    token = ghost_token(keys.admin_key)
    services.revoke_integration(actor=None, integration=integration)
    assert refusal(f"Ghost {token}").code == "UNKNOWN_ADMIN_API_KEY"


def test_a_changed_secret_key_makes_the_key_unknown_not_a_crash(issued, settings):
    token = ghost_token(issued[1].admin_key)
    settings.SECRET_KEY = "a different secret key for this test" * 2
    assert refusal(f"Ghost {token}").code == "UNKNOWN_ADMIN_API_KEY"


def test_rate_limits_count_reads_and_writes_apart(issued, settings):
    settings.BROADSHEET_API_WRITES_PER_MINUTE = 2
    settings.BROADSHEET_API_READS_PER_MINUTE = 3
    integration, _ = issued
    check_rate(integration, write=True)
    check_rate(integration, write=True)
    with pytest.raises(RateLimited) as caught:
        check_rate(integration, write=True)
    assert 1 <= caught.value.retry_after <= 60
    for _ in range(3):
        check_rate(integration, write=False)
    with pytest.raises(RateLimited):
        check_rate(integration, write=False)
    # Another integration's key has a count of its own.
    other, _ = services.create_integration(actor=None, name="Other")
    check_rate(other, write=True)
