import re
import time

import pyotp
import pytest
from axes.models import AccessAttempt
from django.contrib.auth.signals import user_login_failed
from django.urls import reverse

from broadsheet.accounts import two_factor
from broadsheet.accounts.models import User

CODE_URL = "/account/login/code/"


def wrong_code(totp: pyotp.TOTP) -> str:
    """A code that is right for no step in the accepted window."""
    now = time.time()
    right = {totp.at(now + 30 * k) for k in (-2, -1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


@pytest.fixture
def member(author_member, with_two_factor):
    totp = with_two_factor(author_member)
    return author_member, totp


def test_password_alone_does_not_log_in(client, member, log_in):
    user, _ = member
    response = log_in(client, user.username)
    assert response.status_code == 302 and response.url == CODE_URL
    assert "_auth_user_id" not in client.session
    page = client.get(CODE_URL).content.decode()
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page


def test_right_code_logs_in_and_keeps_next(client, member, password):
    user, totp = member
    client.post(
        "/account/login/?next=/studio/posts/", {"username": user.email, "password": password}
    )
    response = client.post(CODE_URL, {"code": totp.now()})
    assert response.status_code == 302 and response.url == "/studio/posts/"
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.totp_last_step >= totp.timecode(time.time()) - 1


def test_code_with_a_space_is_accepted(client, member, log_in):
    user, totp = member
    log_in(client, user.username)
    code = totp.now()
    response = client.post(CODE_URL, {"code": f"{code[:3]} {code[3:]}"})
    assert response.url == reverse("studio:home")


def test_a_code_works_once(client, member, log_in):
    user, totp = member
    code = totp.now()
    log_in(client, user.username)
    assert client.post(CODE_URL, {"code": code}).status_code == 302
    client.post("/account/logout/")
    log_in(client, user.username)
    response = client.post(CODE_URL, {"code": code})
    assert response.status_code == 400
    assert "already used" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_older_code_after_a_newer_one_is_refused(member):
    user, totp = member
    now = time.time()
    assert two_factor.use_code(user, totp.at(now))
    assert not two_factor.use_code(user, totp.at(now - 30))


def test_wrong_code_is_refused_and_counted_as_a_failed_login(client, member, log_in):
    user, totp = member
    failures = []

    def record(sender, credentials, request, **kwargs):
        failures.append((credentials, request))

    user_login_failed.connect(record)
    try:
        log_in(client, user.username)
        response = client.post(CODE_URL, {"code": wrong_code(totp)})
    finally:
        user_login_failed.disconnect(record)
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session
    [(credentials, request)] = failures
    assert credentials == {"username": user.username} and request is not None
    assert AccessAttempt.objects.get(username=user.username).failures_since_start == 1


def test_five_wrong_codes_lock_the_account(client, member, log_in):
    user, totp = member
    log_in(client, user.username)
    for _ in range(4):
        assert client.post(CODE_URL, {"code": wrong_code(totp)}).status_code == 400
    response = client.post(CODE_URL, {"code": wrong_code(totp)})
    assert response.status_code == 429 and "Please wait 15 minutes" in response.content.decode()
    # Even the right code (or the password again) no longer gets in.
    assert client.post(CODE_URL, {"code": totp.now()}).status_code in (302, 429)
    assert "_auth_user_id" not in client.session
    assert log_in(client, user.username, REMOTE_ADDR="10.9.9.9").status_code == 429


def test_locked_account_cannot_use_a_right_code(client, member, log_in):
    user, totp = member
    log_in(client, user.username)
    for n in range(5):
        client.post(
            "/account/login/",
            {"username": user.username, "password": "x"},
            REMOTE_ADDR=f"10.2.0.{n}",
        )
    response = client.post(CODE_URL, {"code": totp.now()})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_pending_login_expires_after_five_minutes(client, member, log_in):
    user, totp = member
    log_in(client, user.username)
    session = client.session
    session[two_factor.PENDING_KEY]["started"] -= two_factor.PENDING_SECONDS + 1
    session.save()
    response = client.post(CODE_URL, {"code": totp.now()})
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_code_page_without_a_password_first_goes_to_login(client, db):
    response = client.get(CODE_URL)
    assert response.status_code == 302 and response.url == reverse("accounts:login")


def test_letters_are_a_form_error(client, member, log_in):
    user, _ = member
    log_in(client, user.username)
    response = client.post(CODE_URL, {"code": "abcdef"})
    assert response.status_code == 400 and "six digits" in response.content.decode()


# --- Setting up and turning off ---


def test_set_up_with_a_real_code(client, author_member):
    client.force_login(author_member)
    page = client.get("/account/security/")
    assert "Off." in page.content.decode()
    response = client.get("/account/security/two-factor/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="qr"><svg role="img"' in html
    secret = client.session[two_factor.SETUP_KEY]
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    # The secret stays the same while the page is reloaded, until confirmed.
    client.get("/account/security/two-factor/")
    assert client.session[two_factor.SETUP_KEY] == secret

    response = client.post(
        "/account/security/two-factor/", {"code": wrong_code(pyotp.TOTP(secret))}
    )
    assert response.status_code == 400
    author_member.refresh_from_db()
    assert not author_member.has_two_factor

    response = client.post("/account/security/two-factor/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and response.url == "/account/security/"
    author_member.refresh_from_db()
    assert author_member.totp_secret == secret
    assert two_factor.SETUP_KEY not in client.session
    assert "On." in client.get("/account/security/").content.decode()


def test_provisioning_uri_names_the_site_and_the_person(author_member):
    uri = two_factor.provisioning_uri(author_member, pyotp.random_base32())
    assert uri.startswith("otpauth://totp/")
    assert "issuer=Broadsheet" in uri and "arthur%40example.com" in uri


def test_turn_off_needs_password_and_code(client, member, password):
    user, totp = member
    client.force_login(user)
    url = "/account/security/two-factor/disable/"
    response = client.post(url, {"password": "wrong", "code": totp.now()})
    html = response.content.decode()
    assert response.status_code == 400 and "not your current password" in html
    assert User.objects.get(pk=user.pk).has_two_factor
    # The code of the step after (within the window) is still unused.
    response = client.post(url, {"password": password, "code": totp.at(time.time() + 30)})
    assert response.status_code == 302
    assert not User.objects.get(pk=user.pk).has_two_factor


def test_turn_off_is_post_only(client, member):
    user, _ = member
    client.force_login(user)
    assert client.get("/account/security/two-factor/disable/").status_code == 405


def test_qr_code_is_inline_svg_without_styles():
    svg = two_factor.qr_svg("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP")
    assert svg.startswith('<svg role="img"') and "style=" not in svg
    assert re.search(r'viewBox="0 0 \d+ \d+"', svg)


def test_the_admin_login_cannot_skip_the_code(client, owner, with_two_factor, password):
    with_two_factor(owner)
    client.post("/admin/login/?next=/admin/", {"username": owner.username, "password": password})
    assert "_auth_user_id" not in client.session
