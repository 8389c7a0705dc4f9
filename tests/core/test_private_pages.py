"""Signed-in pages are kept by no cache: `Cache-Control: private, no-store`."""

import pytest
from django.urls import reverse

from broadsheet.accounts.models import User


def directives(response) -> set[str]:
    value = response.get("Cache-Control", "")
    return {part.strip().split("=")[0] for part in value.split(",") if part.strip()}


def private(response) -> bool:
    return {"private", "no-store"} <= directives(response)


@pytest.fixture
def owner_client(client, make_staff):
    client.force_login(make_staff("owner"))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/studio/",
        "/studio/posts/",
        "/studio/media/",
        "/studio/staff/",
        "/studio/newsletter/",
        "/studio/settings/",
        "/studio/comments/",
        "/account/security/",
        "/account/password/",
        "/stats/",
        "/admin/",
    ],
)
def test_every_studio_account_stats_and_admin_page_is_private(owner_client, url):
    response = owner_client.get(url, follow=True)

    assert response.status_code == 200
    assert private(response), (url, response.get("Cache-Control"))


@pytest.mark.parametrize("url", ["/account/login/", "/studio/", "/members/"])
def test_their_sign_in_pages_are_private_too(client, db, url):
    assert private(client.get(url, follow=True))


def test_a_members_own_page_is_private(client, db):
    member = User(username="m@example.com", email="m@example.com", display_name="Mia")
    member.set_unusable_password()
    member.save()
    client.force_login(member)

    assert private(client.get("/members/account/"))


def test_a_public_page_made_for_a_signed_in_person_is_private(client, make_staff, post):
    client.force_login(make_staff("author"))

    assert private(client.get(post.get_absolute_url()))


def test_public_pages_for_readers_keep_their_own_caching(client, post):
    page = client.get(post.get_absolute_url())
    assert "private" not in directives(page) and "no-store" not in directives(page)

    avatar = client.get(reverse("content:author_avatar", args=[post.author.slug]))
    assert directives(avatar) == {"public", "max-age"}
