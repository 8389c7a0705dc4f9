"""Who sent a request: one rule (core.addresses) for every limit and the reader hash.

Behind a proxy, the client writes the left of X-Forwarded-For itself; only what the
trusted proxies appended on the right is believed.
"""

import itertools

import pytest
from django.test import Client
from django.urls import reverse

from broadsheet.analytics.models import ReaderMark
from broadsheet.comments.models import Comment
from broadsheet.core.addresses import client_address
from broadsheet.likes import ratelimit as like_limits
from broadsheet.members import services as members
from broadsheet.newsletter import services as newsletter

BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"
PROXY = "10.0.0.2"  # the proxy in front of the site: every request's REMOTE_ADDR
READER = "198.51.100.7"  # what the proxy saw and appended
_forged = (f"203.0.113.{n % 250}" for n in itertools.count(1))


@pytest.fixture
def behind_proxy(settings):
    settings.BROADSHEET_BEHIND_PROXY = True
    settings.BROADSHEET_TRUSTED_PROXIES = 1


def forged() -> dict:
    """A client that writes a new address of its own on the left of X-Forwarded-For each
    time; the proxy appends the address it really came from."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{next(_forged)}, {READER}"}


def meta(forwarded: str | None, remote: str = PROXY) -> dict:
    environ = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        environ["HTTP_X_FORWARDED_FOR"] = forwarded
    return environ


def test_directly_connected_the_header_is_ignored(settings):
    settings.BROADSHEET_BEHIND_PROXY = False
    assert client_address(meta("203.0.113.1", remote="192.0.2.9")) == "192.0.2.9"


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.1, 198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.1,203.0.113.2 ,  198.51.100.7", "198.51.100.7"),
        (2, "203.0.113.1, 198.51.100.7, 10.0.0.1", "198.51.100.7"),
        (2, "198.51.100.7", PROXY),  # did not come through both proxies
        (1, None, PROXY),
        (1, "", PROXY),
        (1, "203.0.113.1, not-an-address", PROXY),
        (1, "2001:DB8:0:0::1", "2001:db8::1"),  # one spelling per address
        (0, "198.51.100.7", PROXY),
    ],
)
def test_behind_proxies_the_client_is_counted_from_the_right(
    settings, trusted, forwarded, expected
):
    settings.BROADSHEET_BEHIND_PROXY = True
    settings.BROADSHEET_TRUSTED_PROXIES = trusted
    assert client_address(meta(forwarded)) == expected


def test_the_trusted_proxies_default_to_one():
    from broadsheet.conf import settings as defaults

    assert defaults.BROADSHEET_TRUSTED_PROXIES == 1


def test_a_forged_header_does_not_get_past_the_comment_limit(client, post, behind_proxy):
    url = f"{post.get_absolute_url()}comments/"
    answers = [
        client.post(url, {"name": "Ann", "body": f"Comment {n}"}, **forged()).status_code
        for n in range(7)
    ]

    assert answers == [302] * 5 + [429] * 2
    assert Comment.objects.count() == 5
    # Another reader behind the same proxy is not held back by Ann.
    other = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{READER}, 198.51.100.8"}
    assert client.post(url, {"name": "Bo", "body": "Mine"}, **other).status_code == 302


def test_a_forged_header_does_not_get_past_the_like_limit(post, behind_proxy, monkeypatch):
    monkeypatch.setattr(like_limits, "ADDRESS_LIMIT", 2)
    url = reverse("likes:post", args=[post.pk])
    for _ in range(4):  # a new browser each time, and a new forged address
        Client(HTTP_USER_AGENT=BROWSER_UA, HTTP_SEC_FETCH_SITE="same-origin").post(url, **forged())

    post.refresh_from_db()
    assert post.like_count == 2


def test_a_forged_header_does_not_get_past_the_member_link_limit(
    client, db, behind_proxy, smtp_inbox
):
    answers = [
        client.post("/members/", {"email": f"r{n}@example.com"}, **forged()).status_code
        for n in range(members.LINKS_PER_HOUR + 1)
    ]
    assert answers[-1] == 429 and set(answers[:-1]) == {200}


def test_a_forged_header_does_not_get_past_the_newsletter_limit(
    client, db, behind_proxy, smtp_inbox
):
    answers = [
        client.post(
            "/newsletter/subscribe/", {"email": f"s{n}@example.com"}, **forged()
        ).status_code
        for n in range(newsletter.REQUESTS_PER_HOUR + 1)
    ]
    assert answers[-1] == 429 and set(answers[:-1]) == {200}


def test_a_forged_header_does_not_get_past_the_login_lockout(client, make_staff, behind_proxy):
    staff = make_staff("author", password="a perfectly long test password")
    login = reverse("accounts:login")
    for n in range(5):
        client.post(login, {"username": f"nobody{n}@example.com", "password": "x"}, **forged())

    response = client.post(
        login, {"username": staff.username, "password": "a perfectly long test password"}
    )
    assert response.status_code == 302  # another address (the proxy itself) may sign in
    client.logout()
    response = client.post(
        login,
        {"username": staff.username, "password": "a perfectly long test password"},
        **forged(),
    )
    assert response.status_code == 429


def test_a_forged_header_makes_no_new_reader(client, post, behind_proxy, flush_views):
    for _ in range(3):
        client.get(post.get_absolute_url(), HTTP_USER_AGENT=BROWSER_UA, **forged())
    flush_views()

    assert ReaderMark.objects.filter(post=post).count() == 1
