"""Members sign up and sign in with a link sent by email; the link works once, for 30 minutes."""

import re

import pytest
from django.core import signing
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.members import services
from broadsheet.newsletter.models import Subscriber

LINK = re.compile(r"https?://\S+/members/login/\S+/")
SENT = "Check your email"


def ask(client, email, name=""):
    return client.post("/members/", {"email": email, "name": name})


def link_in(smtp_inbox, n):
    message = smtp_inbox.wait_for(n)[n - 1]
    return LINK.search(smtp_inbox.text_of(message))[0]


def path_of(url):
    return "/" + url.split("/", 3)[3]


def test_sign_up_then_sign_in_by_emailed_links(client, db, smtp_inbox):
    response = ask(client, "reader@example.com", "Rita Reader")
    assert response.status_code == 200
    assert SENT in response.content.decode()
    first = link_in(smtp_inbox, 1)
    assert smtp_inbox.messages[0]["To"] == "reader@example.com"

    page = client.get(path_of(first))  # a scanner following the link changes nothing
    assert page.status_code == 200
    assert "Create my account" in page.content.decode()
    assert not User.objects.filter(email="reader@example.com").exists()

    response = client.post(path_of(first))
    assert response.status_code == 302
    assert response["Location"] == "/members/account/"
    member = User.objects.get(email="reader@example.com")
    assert member.display_name == "Rita Reader"
    assert member.role == "" and not member.has_usable_password()
    assert "Rita Reader" in client.get("/members/account/").content.decode()

    client.post("/members/logout/")
    assert client.get("/members/account/").status_code == 302

    assert ask(client, "READER@example.com").status_code == 200
    second = link_in(smtp_inbox, 2)
    assert client.post(path_of(second)).status_code == 302
    assert client.get("/members/account/").status_code == 200
    assert User.objects.filter(email__iexact="reader@example.com").count() == 1


def test_a_link_works_once(client, db, smtp_inbox):
    ask(client, "once@example.com", "Once")
    url = path_of(link_in(smtp_inbox, 1))
    assert client.post(url).status_code == 302
    client.post("/members/logout/")

    again = client.post(url)
    assert again.status_code == 400
    assert "already been used" in again.content.decode()
    assert client.get(url).status_code == 400


def test_an_expired_link_is_refused(client, db, smtp_inbox, monkeypatch):
    ask(client, "late@example.com", "Late")
    url = path_of(link_in(smtp_inbox, 1))
    later = timezone.now().timestamp() + 31 * 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.post(url)
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not User.objects.filter(email="late@example.com").exists()


@pytest.mark.parametrize("token", ["nonsense", "a:b:c", "x" * 300, "%00", "eyJ9:1:2"])
def test_forged_links_get_a_clear_400(client, db, token):
    for method in (client.get, client.post):
        response = method(f"/members/login/{token}/")
        assert response.status_code == 400
        assert "not valid" in response.content.decode()


def test_a_link_signed_for_a_staff_address_does_not_sign_in(client, make_staff):
    editor = make_staff("editor", email="ed@example.com")
    token = services.make_login_token(email=editor.email, user=editor)
    assert client.post(f"/members/login/{token}/").status_code == 400


def test_the_answer_is_the_same_for_known_and_unknown_addresses(client, make_author, smtp_inbox):
    make_author("Known", email="known@example.com")
    known = ask(client, "known@example.com").content.decode()
    unknown = ask(client, "unknown@example.com").content.decode()
    assert known == unknown


def test_staff_are_pointed_to_their_login_instead(client, make_staff, smtp_inbox):
    make_staff("author", email="staffer@example.com")
    assert ask(client, "staffer@example.com").status_code == 200
    text = smtp_inbox.text_of(smtp_inbox.wait_for(1)[0])
    assert "/account/login/" in text or "password" in text
    assert not LINK.search(text)


def test_link_requests_are_rate_limited_per_address(client, db, smtp_inbox):
    for _ in range(services.LINKS_PER_HOUR):
        assert ask(client, "flood@example.com").status_code == 200
    response = ask(client, "flood@example.com", "Typed name")
    assert response.status_code == 429
    body = response.content.decode()
    assert 'role="alert"' in body and "Too many requests" in body
    assert 'value="flood@example.com"' in body and 'value="Typed name"' in body
    smtp_inbox.wait_for(services.LINKS_PER_HOUR)
    assert len(smtp_inbox.messages) == services.LINKS_PER_HOUR


def test_link_requests_are_rate_limited_per_network_address(client, db, smtp_inbox):
    for n in range(services.LINKS_PER_HOUR):
        assert ask(client, f"r{n}@example.com").status_code == 200
    assert ask(client, "another@example.com").status_code == 429


def test_bad_input_is_shown_with_what_was_typed(client, db):
    response = ask(client, "not an address", "Nia")
    assert response.status_code == 400
    body = response.content.decode()
    assert 'role="alert"' in body
    assert 'value="not an address"' in body and 'value="Nia"' in body


def test_a_post_from_another_site_is_refused(client, db):
    response = client.post(
        "/members/", {"email": "x@example.com"}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert response.status_code == 403


@pytest.fixture
def member(db):
    user = User(username="m@example.com", email="m@example.com", display_name="Mia Member")
    user.set_unusable_password()
    user.save()
    return user


def test_the_account_page_needs_signing_in(client, db):
    response = client.get("/members/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/members/")


def test_a_member_changes_their_name(client, member):
    client.force_login(member)
    response = client.post("/members/account/", {"display_name": "  Mia M.  "})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Mia M."

    response = client.post("/members/account/", {"display_name": ""})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == "Mia M."


def test_a_member_subscribes_and_unsubscribes_from_the_account_page(client, member):
    client.force_login(member)
    assert "Get new posts by email" in client.get("/members/account/").content.decode()
    assert client.post("/newsletter/account/subscribe/").status_code == 302
    subscriber = Subscriber.objects.get(email="m@example.com")
    assert subscriber.status == "active" and subscriber.member == member
    assert "Stop the newsletter" in client.get("/members/account/").content.decode()

    client.post("/newsletter/account/unsubscribe/")
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"


def test_a_member_deletes_their_account_and_data(client, member, post):
    Comment.objects.create(
        post=post, name="Mia", member=member, body="Hello", body_html="<p>Hello</p>"
    )
    Subscriber.objects.create(email="m@example.com", member=member, status="active")
    client.force_login(member)
    assert "cannot be undone" in client.get("/members/account/delete/").content.decode()

    response = client.post("/members/account/delete/")
    assert response.status_code == 200
    assert not User.objects.filter(pk=member.pk).exists()
    assert not Comment.objects.filter(body="Hello").exists()
    assert not Subscriber.objects.filter(email="m@example.com").exists()
    assert client.get("/members/account/").status_code == 302  # signed out


def test_staff_accounts_cannot_be_deleted_here(client, make_staff):
    editor = make_staff("editor")
    client.force_login(editor)
    assert "cannot be deleted" in client.get("/members/account/delete/").content.decode()
    assert client.post("/members/account/delete/").status_code == 403
    assert User.objects.filter(pk=editor.pk).exists()


def test_a_mail_server_that_is_down_gives_a_clear_answer(client, db, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # nothing listens
        }
    }
    response = ask(client, "down@example.com", "Dee")
    assert response.status_code == 503
    body = response.content.decode()
    assert 'role="alert"' in body and 'value="down@example.com"' in body
