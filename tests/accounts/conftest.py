"""People with each role, and helpers that log in the way a browser does (through the form)."""

import pyotp
import pytest
from django.urls import reverse

from broadsheet.accounts.models import Role

PASSWORD = "a perfectly long test password"


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def owner(make_staff):
    return make_staff(Role.OWNER, "Olive Owner", email="olive@example.com", password=PASSWORD)


@pytest.fixture
def administrator(make_staff):
    return make_staff(Role.ADMINISTRATOR, "Adam Admin", email="adam@example.com", password=PASSWORD)


@pytest.fixture
def editor(make_staff):
    return make_staff(Role.EDITOR, "Edna Editor", email="edna@example.com", password=PASSWORD)


@pytest.fixture
def author_member(make_staff):
    return make_staff(Role.AUTHOR, "Arthur Author", email="arthur@example.com", password=PASSWORD)


@pytest.fixture
def contributor(make_staff):
    return make_staff(
        Role.CONTRIBUTOR, "Connie Contributor", email="connie@example.com", password=PASSWORD
    )


@pytest.fixture
def log_in():
    """POST the login form (Django's `client.login()` has no request, which axes refuses)."""

    def post(client, username: str, password: str = PASSWORD, **extra):
        return client.post(
            reverse("accounts:login"), {"username": username, "password": password}, **extra
        )

    return post


@pytest.fixture
def with_two_factor():
    """Give `user` a TOTP secret; returns the pyotp.TOTP that makes their codes."""

    def give(user) -> pyotp.TOTP:
        user.totp_secret = pyotp.random_base32()
        user.save(update_fields=["totp_secret"])
        return pyotp.TOTP(user.totp_secret)

    return give
