"""People added through Django's admin."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from broadsheet.accounts.models import User


def test_the_admin_adds_a_person_with_a_public_address(client, make_staff):
    client.force_login(make_staff("owner", "Ada Admin"))
    url = reverse("admin:broadsheet_accounts_user_add")

    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "username": "grace",
            "usable_password": "true",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
            "display_name": "Grace Hopper",
            "slug": "grace",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(username="grace").slug == "grace"


def test_group_ids_past_64_bits_are_a_form_error(client, make_staff):
    admin_user = make_staff("owner", "Ada Admin")
    client.force_login(admin_user)
    url = reverse("admin:broadsheet_accounts_user_change", args=[admin_user.pk])

    response = client.post(
        url, {"username": admin_user.username, "groups": ["9223372036854775808"]}
    )

    assert response.status_code == 200 and "errornote" in response.content.decode()


# --- Roles: only through `accounts.services.change_role` ------------------------------------


def change_page_data(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "slug": user.slug,
        "is_active": "on",
        "role": user.role,
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def save_in_admin(client, user: User, **changes):
    url = reverse("admin:broadsheet_accounts_user_change", args=[user.pk])
    return client.post(url, change_page_data(user, **changes))


@pytest.fixture
def administrator_client(client, make_staff):
    client.force_login(make_staff("administrator", "Ada Admin"))
    return client


@pytest.mark.parametrize(
    ("role", "is_staff", "is_superuser"),
    [("editor", True, False), ("contributor", True, False), ("administrator", True, True)],
)
def test_a_role_set_in_the_admin_brings_its_flags(
    administrator_client, make_staff, role, is_staff, is_superuser
):
    person = make_staff("author", "Grace")

    response = save_in_admin(administrator_client, person, role=role)

    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert (person.role, person.is_staff, person.is_superuser) == (role, is_staff, is_superuser)


def test_the_admin_cannot_make_a_reader_staff_without_a_role(administrator_client, make_author):
    # The bug: the admin's "staff status" box made a reader staff with no role.
    reader = make_author("Reader")

    response = save_in_admin(administrator_client, reader, is_staff="on", is_superuser="on")

    assert response.status_code == 302, response.content.decode()[:2000]
    reader.refresh_from_db()
    assert (reader.role, reader.is_staff, reader.is_superuser) == ("", False, False)


@pytest.mark.parametrize("role", ["owner", "", "not-a-role"])  # no role: suspend instead
def test_the_admin_refuses_a_role_its_user_may_not_give(administrator_client, make_staff, role):
    person = make_staff("editor", "Grace")

    response = save_in_admin(administrator_client, person, role=role)

    assert response.status_code == 200 and "errornote" in response.content.decode()
    person.refresh_from_db()
    assert (person.role, person.is_superuser) == ("editor", False)


def test_nobody_changes_their_own_role_in_the_admin(client, make_staff):
    admin_user = make_staff("administrator", "Ada Admin")
    client.force_login(admin_user)

    response = save_in_admin(client, admin_user, role="editor", display_name="Still Ada")

    assert response.status_code == 200 and "errornote" in response.content.decode()
    admin_user.refresh_from_db()
    assert (admin_user.role, admin_user.display_name) == ("administrator", "Ada Admin")


def test_other_fields_save_without_touching_the_role(administrator_client, make_staff):
    person = make_staff("editor", "Grace")

    response = save_in_admin(administrator_client, person, display_name="Grace H.")

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.display_name, person.role, person.is_staff) == ("Grace H.", "editor", True)


# --- Suspension: only through `suspend_user` and `reactivate_user` ---------------------------


def test_unticking_active_in_the_admin_suspends_and_signs_them_out(
    administrator_client, make_staff, django_capture_on_commit_callbacks
):
    person = make_staff("editor", "Grace")
    their_browser = Client()
    their_browser.force_login(person)

    with django_capture_on_commit_callbacks(execute=True):
        response = save_in_admin(administrator_client, person, is_active=None)

    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert not person.is_active
    # The bug: the box was saved as typed, and their sessions lived on.
    assert not Session.objects.filter(session_key=their_browser.session.session_key).exists()

    response = save_in_admin(administrator_client, person, is_active="on")

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_active and person.role == "editor"


@pytest.mark.parametrize("whom", ["owner", "self"])
def test_the_admin_refuses_a_suspension_its_user_may_not_make(client, make_staff, whom):
    # The bug: anyone with the admin could suspend the owner, or themselves.
    admin_user = make_staff("administrator", "Ada Admin")
    person = make_staff("owner") if whom == "owner" else admin_user
    client.force_login(admin_user)

    response = save_in_admin(client, person, is_active=None)

    assert response.status_code == 200 and "errornote" in response.content.decode()
    person.refresh_from_db()
    assert person.is_active
