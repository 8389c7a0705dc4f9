"""HSTS when the site's address is https: browsers then never use plain http for it."""

import json
import os
import subprocess
import sys

import pytest
from django.core.wsgi import get_wsgi_application

from broadsheet.core.selectors import get_site_settings
from broadsheet.fastpath.app import FastPathApp
from tests.fastpath.test_app import caller

YEAR = 365 * 24 * 3600


def settings_with(tmp_path, **env) -> dict:
    """Import the settings afresh with these environment variables, as a server would."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BROADSHEET_", "DJANGO_"))}
    code = (
        "import json; from broadsheet.conf import settings as s; "
        "print(json.dumps({'hsts': getattr(s, 'SECURE_HSTS_SECONDS', 0), "
        "'subdomains': getattr(s, 'SECURE_HSTS_INCLUDE_SUBDOMAINS', False)}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "BROADSHEET_DATA_DIR": str(tmp_path), **env},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def test_an_https_site_sends_hsts_for_a_year_by_default(tmp_path):
    assert settings_with(tmp_path, BROADSHEET_SITE_URL="https://example.com") == {
        "hsts": YEAR,
        "subdomains": False,
    }


def test_its_length_is_a_setting_and_zero_turns_it_off(tmp_path):
    https = {"BROADSHEET_SITE_URL": "https://example.com"}
    assert settings_with(tmp_path, **https, BROADSHEET_HSTS_SECONDS="600")["hsts"] == 600
    assert settings_with(tmp_path, **https, BROADSHEET_HSTS_SECONDS="0")["hsts"] == 0


def test_no_hsts_for_an_http_site_or_none_given(tmp_path):
    assert settings_with(tmp_path, BROADSHEET_SITE_URL="http://example.com")["hsts"] == 0
    assert settings_with(tmp_path)["hsts"] == 0
    assert settings_with(tmp_path, BROADSHEET_HSTS_SECONDS="600")["hsts"] == 0


@pytest.fixture
def https_site(settings):
    settings.SECURE_HSTS_SECONDS = YEAR
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.BROADSHEET_BEHIND_PROXY = True


def test_answers_over_https_carry_it_and_stored_pages_keep_it(https_site, transactional_db, post):
    get_site_settings()
    call = caller(FastPathApp(get_wsgi_application()))

    first = call(post.get_absolute_url(), x_forwarded_proto="https")
    again = call(post.get_absolute_url(), x_forwarded_proto="https")

    assert first.headers["strict-transport-security"] == f"max-age={YEAR}"
    assert again.headers["strict-transport-security"] == f"max-age={YEAR}"
    assert "strict-transport-security" not in call(post.get_absolute_url()).headers


def test_studio_answers_carry_it_too(https_site, client, db):
    response = client.get("/account/login/", HTTP_X_FORWARDED_PROTO="https")
    assert response["Strict-Transport-Security"] == f"max-age={YEAR}"
