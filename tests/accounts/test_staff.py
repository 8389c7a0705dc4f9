import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from broadsheet.accounts.models import Invitation, Role, User

STAFF = "/studio/staff/"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://news.example.org"


def role_options(html: str) -> set[str]:
    """The roles the invite form offers."""
    select = re.search(r'<select name="role"[^>]*id="id_role"[^>]*>(.*?)</select>', html, re.S)
    return set(re.findall(r'<option value="(\w+)"', select.group(1)))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.OWNER, 200),
        (Role.ADMINISTRATOR, 200),
        (Role.EDITOR, 200),
        (Role.AUTHOR, 403),
        (Role.CONTRIBUTOR, 403),
    ],
)
def test_who_sees_the_staff_page(client, make_staff, role, status):
    client.force_login(make_staff(role))
    assert client.get(STAFF).status_code == status


def test_readers_and_anonymous_visitors(client, make_author):
    response = client.get(STAFF)
    assert response.status_code == 302 and response.url.startswith("/account/login/")
    client.force_login(make_author("Rita Reader"))
    assert client.get(STAFF).status_code == 403


def test_page_lists_staff_and_pending_invitations(client, owner, editor, author_member, smtp_inbox):
    client.force_login(editor)
    client.post(f"{STAFF}invite/", {"email": "soon@example.com", "role": Role.CONTRIBUTOR})
    html = client.get(STAFF).content.decode()
    for name in ("Olive Owner", "Edna Editor", "Arthur Author", "soon@example.com"):
        assert name in html
    assert html.count('name="csrfmiddlewaretoken"') >= 3
    assert 'aria-current="page"' in html


def test_editor_invites_authors_and_contributors_only(client, editor, smtp_inbox):
    client.force_login(editor)
    assert role_options(client.get(STAFF).content.decode()) == {"author", "contributor"}
    response = client.post(f"{STAFF}invite/", {"email": "a@example.com", "role": Role.AUTHOR})
    assert response.status_code == 302
    assert smtp_inbox.wait_for(1)[0]["To"] == "a@example.com"
    response = client.post(
        f"{STAFF}invite/", {"email": "b@example.com", "role": Role.ADMINISTRATOR}
    )
    html = response.content.decode()
    assert response.status_code == 400 and 'role="alert"' in html
    assert 'value="b@example.com"' in html  # input kept
    assert list(Invitation.objects.values_list("email", flat=True)) == ["a@example.com"]


def test_administrator_invites_anyone_but_an_owner(client, administrator):
    client.force_login(administrator)
    options = role_options(client.get(STAFF).content.decode())
    assert options == {"administrator", "editor", "author", "contributor"}


def test_invite_to_an_existing_staff_address_is_a_field_error(client, editor, author_member):
    client.force_login(editor)
    response = client.post(f"{STAFF}invite/", {"email": author_member.email, "role": Role.AUTHOR})
    html = response.content.decode()
    assert response.status_code == 400 and "already has a staff account" in html
    assert 'id="id_email_error"' in html


def test_bad_invite_input_is_not_a_crash(client, editor):
    client.force_login(editor)
    assert client.post(f"{STAFF}invite/", {"email": "nope", "role": "king"}).status_code == 400
    assert client.post(f"{STAFF}invite/", {}).status_code == 400


def test_change_role(client, editor, author_member):
    client.force_login(editor)
    response = client.post(f"{STAFF}{author_member.pk}/role/", {"role": Role.CONTRIBUTOR})
    assert response.status_code == 302
    assert User.objects.get(pk=author_member.pk).role == Role.CONTRIBUTOR
    # An editor cannot make anyone an editor: the form refuses, nothing changes.
    client.post(f"{STAFF}{author_member.pk}/role/", {"role": Role.EDITOR})
    assert User.objects.get(pk=author_member.pk).role == Role.CONTRIBUTOR
    assert client.post(f"{STAFF}{author_member.pk}/role/", {"role": "king"}).status_code == 302


def test_editor_cannot_manage_an_administrator(client, editor, administrator):
    client.force_login(editor)
    assert client.post(f"{STAFF}{administrator.pk}/role/", {"role": Role.AUTHOR}).status_code == 403
    assert client.post(f"{STAFF}{administrator.pk}/suspend/").status_code == 403
    assert User.objects.get(pk=administrator.pk).role == Role.ADMINISTRATOR


def test_administrator_cannot_manage_the_owner(client, owner, administrator):
    client.force_login(administrator)
    html = client.get(STAFF).content.decode()
    assert f"{STAFF}{owner.pk}/suspend/" not in html
    response = client.post(f"{STAFF}{owner.pk}/role/", {"role": Role.ADMINISTRATOR})
    assert response.status_code == 403
    assert client.post(f"{STAFF}{owner.pk}/suspend/").status_code == 403
    owner.refresh_from_db()
    assert owner.role == Role.OWNER and owner.is_active


def test_nobody_manages_themselves(client, administrator):
    client.force_login(administrator)
    assert client.post(f"{STAFF}{administrator.pk}/suspend/").status_code == 403


def test_author_cannot_act(client, author_member, contributor):
    client.force_login(author_member)
    assert client.post(f"{STAFF}{contributor.pk}/suspend/").status_code == 403
    assert (
        client.post(
            f"{STAFF}invite/", {"email": "x@example.com", "role": "contributor"}
        ).status_code
        == 403
    )


def test_suspend_signs_out_and_reactivate_lets_back_in(
    administrator, editor, log_in, django_capture_on_commit_callbacks
):
    boss, member = Client(), Client()
    boss.force_login(administrator)
    assert log_in(member, editor.username).status_code == 302
    assert member.get(STAFF).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        assert boss.post(f"{STAFF}{editor.pk}/suspend/").status_code == 302
    editor.refresh_from_db()
    assert not editor.is_active
    decoded = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(editor.pk) not in decoded and str(administrator.pk) in decoded
    response = member.get(STAFF)
    assert response.status_code == 302 and response.url.startswith("/account/login/")
    assert log_in(Client(), editor.username).status_code == 400
    assert "Suspended" in boss.get(STAFF).content.decode()

    assert boss.post(f"{STAFF}{editor.pk}/reactivate/").status_code == 302
    assert log_in(Client(), editor.username).status_code == 302


def test_actions_are_post_only(client, administrator, editor):
    client.force_login(administrator)
    for path in (
        f"{STAFF}invite/",
        f"{STAFF}{editor.pk}/role/",
        f"{STAFF}{editor.pk}/suspend/",
        f"{STAFF}{editor.pk}/reactivate/",
        f"{STAFF}invitations/1/revoke/",
    ):
        assert client.get(path).status_code == 405, path


def test_unknown_people_and_invitations_are_not_found(client, administrator):
    client.force_login(administrator)
    assert client.post(f"{STAFF}99999/suspend/").status_code == 404
    assert client.post(f"{STAFF}invitations/99999/revoke/").status_code == 404


def test_only_the_owner_hands_over_ownership(client, owner, administrator, editor, password):
    url = f"{STAFF}transfer-ownership/"
    client.force_login(administrator)
    assert "Hand over ownership" not in client.get(STAFF).content.decode()
    assert client.post(url, {"to": editor.pk, "password": password}).status_code == 403

    client.force_login(owner)
    assert "Hand over ownership" in client.get(STAFF).content.decode()
    response = client.post(url, {"to": editor.pk, "password": "wrong"})
    assert response.status_code == 400 and "not your current password" in response.content.decode()
    assert User.objects.get(pk=owner.pk).role == Role.OWNER
    assert client.post(url, {"to": owner.pk, "password": password}).status_code == 400

    response = client.post(url, {"to": editor.pk, "password": password})
    assert response.status_code == 302
    assert User.objects.get(pk=editor.pk).role == Role.OWNER
    assert User.objects.get(pk=owner.pk).role == Role.ADMINISTRATOR
    # No longer the owner: the form is gone and a second try is refused.
    assert client.post(url, {"to": editor.pk, "password": password}).status_code == 403


def test_ownership_goes_only_to_active_staff(client, owner, administrator, editor, password):
    client.force_login(administrator)
    client.post(f"{STAFF}{editor.pk}/suspend/")
    client.force_login(owner)
    response = client.post(f"{STAFF}transfer-ownership/", {"to": editor.pk, "password": password})
    assert response.status_code == 400
    assert User.objects.get(pk=owner.pk).role == Role.OWNER
