import re

import pytest
from django.test import Client

from broadsheet.accounts.models import User

NEW_PASSWORD = "another quite long password"


def test_password_change_ends_other_sessions(author_member, log_in, password):
    here, elsewhere = Client(), Client()
    assert log_in(here, author_member.username).status_code == 302
    assert log_in(elsewhere, author_member.email).status_code == 302
    assert elsewhere.get("/account/security/").status_code == 200

    response = here.post(
        "/account/password/",
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response.url == "/account/security/"
    # This session stays; the other one is signed out.
    assert here.get("/account/security/").status_code == 200
    response = elsewhere.get("/account/security/")
    assert response.status_code == 302 and response.url.startswith("/account/login/")
    assert User.objects.get(pk=author_member.pk).check_password(NEW_PASSWORD)


def test_password_change_form_shows_errors(client, author_member):
    client.force_login(author_member)
    page = client.get("/account/password/").content.decode()
    assert 'autocomplete="current-password"' in page and 'autocomplete="new-password"' in page
    response = client.post(
        "/account/password/",
        {"old_password": "wrong", "new_password1": "short", "new_password2": "other"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in html
    assert 'aria-invalid="true"' in html and "id_old_password_error" in html


def test_password_change_needs_login(client, db):
    response = client.get("/account/password/")
    assert response.status_code == 302 and response.url.startswith("/account/login/")


@pytest.fixture
def no_site_url(settings):
    settings.SITE_URL = ""


def test_password_reset_end_to_end(client, author_member, smtp_inbox, log_in, no_site_url):
    response = client.post("/account/password/reset/", {"email": author_member.email.upper()})
    assert response.status_code == 302 and response.url == "/account/password/reset/sent/"
    assert "Check your email" in client.get(response.url).content.decode()

    [message] = smtp_inbox.wait_for(1)
    assert message["To"] == author_member.email
    assert "Set a new password" in message["Subject"]
    assert message.get_content_type() == "text/plain"
    text = smtp_inbox.text_of(message)
    link = re.search(r"http://testserver(/account/password/reset/\S+/\S+/)", text).group(1)

    response = client.get(link)
    assert response.status_code == 302  # to the same form without the token in the address
    form_url = response.url
    page = client.get(form_url).content.decode()
    assert 'autocomplete="new-password"' in page
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == "/account/password/reset/done/"

    assert log_in(Client(), author_member.username, NEW_PASSWORD).status_code == 302
    assert log_in(Client(), author_member.username).status_code == 400
    # The link worked once.
    assert "does not work" in client.get(link, follow=True).content.decode()


def test_password_reset_link_uses_site_url_when_set(client, author_member, smtp_inbox, settings):
    settings.SITE_URL = "https://news.example.org"
    client.post("/account/password/reset/", {"email": author_member.email})
    [message] = smtp_inbox.wait_for(1)
    assert "https://news.example.org/account/password/reset/" in smtp_inbox.text_of(message)


def test_password_reset_for_unknown_address_looks_the_same(client, db, smtp_inbox):
    response = client.post("/account/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302 and response.url == "/account/password/reset/sent/"
    assert smtp_inbox.messages == []


def test_password_reset_with_a_bad_address_is_a_form_error(client, db):
    response = client.post("/account/password/reset/", {"email": "not an address"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()


def test_password_reset_link_with_garbage_is_not_a_crash(client, db):
    response = client.get("/account/password/reset/zzz/not-a-token/")
    assert response.status_code == 200 and "does not work" in response.content.decode()
