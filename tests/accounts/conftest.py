"""People with each role, and helpers that log in the way a browser does (through the form)."""

import itertools

import pyotp
import pytest
from django.urls import reverse

from broadsheet.accounts.models import Role
from broadsheet.accounts.services import create_staff_user

PASSWORD = "a perfectly long test password"
_sequence = itertools.count(1)


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def make_staff(db):
    def make(role: str, email: str | None = None, *, name: str = "", password: str = PASSWORD):
        n = next(_sequence)
        return create_staff_user(
            email=email or f"{role}{n}@example.com",
            role=role,
            password=password,
            display_name=name or f"{role.title()} {n}",
        )

    return make


@pytest.fixture
def owner(make_staff):
    return make_staff(Role.OWNER, "olive@example.com", name="Olive Owner")


@pytest.fixture
def administrator(make_staff):
    return make_staff(Role.ADMINISTRATOR, "adam@example.com", name="Adam Admin")


@pytest.fixture
def editor(make_staff):
    return make_staff(Role.EDITOR, "edna@example.com", name="Edna Editor")


@pytest.fixture
def author_member(make_staff):
    return make_staff(Role.AUTHOR, "arthur@example.com", name="Arthur Author")


@pytest.fixture
def contributor(make_staff):
    return make_staff(Role.CONTRIBUTOR, "connie@example.com", name="Connie Contributor")


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
