import datetime
import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from broadsheet.accounts import invitations
from broadsheet.accounts.models import Invitation, Role, User
from broadsheet.accounts.services import change_role


@pytest.fixture(autouse=True)
def _no_site_url(settings):
    settings.SITE_URL = "https://news.example.org"


def link_path(inbox, n: int = 1) -> str:
    text = inbox.text_of(inbox.wait_for(n)[n - 1])
    return re.search(r"https://news\.example\.org(/account/invitation/[\w-]+/)", text).group(1)


def test_invitation_email_arrives_with_a_link_that_works_once(client, editor, smtp_inbox):
    invitation, token = invitations.create_invitation(
        actor=editor, email="New.Writer@Example.com", role=Role.AUTHOR
    )
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    lifetime = invitation.expires_at - invitation.created_at
    assert abs(lifetime - datetime.timedelta(days=7)) < datetime.timedelta(seconds=5)

    [message] = smtp_inbox.wait_for(1)
    assert message["To"] == "New.Writer@example.com"
    assert "Edna Editor invites you" in smtp_inbox.text_of(message)
    path = link_path(smtp_inbox)
    assert path == f"/account/invitation/{token}/"

    page = client.get(path)
    html = page.content.decode()
    assert page.status_code == 200 and "as <strong>author</strong>" in html
    assert 'autocomplete="new-password"' in html and 'autocomplete="username"' in html
    response = client.post(
        path,
        {
            "display_name": "Nina Writer",
            "password": "a good long password",
            "password_again": "a good long password",
        },
    )
    assert response.status_code == 302 and response.url == "/studio/"
    user = User.objects.get(email="New.Writer@example.com")
    assert user.role == Role.AUTHOR and user.is_staff and user.display_name == "Nina Writer"
    assert client.session["_auth_user_id"] == str(user.pk)
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at

    # Used: neither the page nor the service accept it again.
    again = client.get(path)
    assert again.status_code == 410 and "already been used" in again.content.decode()
    with pytest.raises(ValidationError, match="already been used"):
        invitations.accept_invitation(
            token=token, display_name="X", password="a good long password"
        )
    assert User.objects.filter(email__iexact="new.writer@example.com").count() == 1


def test_expired_invitation_does_not_work(client, editor, smtp_inbox):
    invitation, token = invitations.create_invitation(
        actor=editor, email="late@example.com", role=Role.CONTRIBUTOR
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.get(f"/account/invitation/{token}/")
    assert response.status_code == 410 and "expired" in response.content.decode()
    with pytest.raises(ValidationError, match="expired"):
        invitations.accept_invitation(
            token=token, display_name="Late", password="a good long password"
        )
    assert not User.objects.filter(email="late@example.com").exists()


def test_revoked_invitation_does_not_work(client, editor, smtp_inbox):
    invitation, token = invitations.create_invitation(
        actor=editor, email="gone@example.com", role=Role.AUTHOR
    )
    client.force_login(editor)
    response = client.post(f"/studio/staff/invitations/{invitation.pk}/revoke/")
    assert response.status_code == 302
    client.post("/account/logout/")
    response = client.get(f"/account/invitation/{token}/")
    assert response.status_code == 410 and "withdrawn" in response.content.decode()
    response = client.post(
        f"/account/invitation/{token}/",
        {
            "display_name": "G",
            "password": "a good long password",
            "password_again": "a good long password",
        },
    )
    assert response.status_code == 410
    assert not User.objects.filter(email="gone@example.com").exists()


def test_unknown_token_is_not_found(client, db):
    response = client.get("/account/invitation/not-a-real-token/")
    assert response.status_code == 404 and "not valid" in response.content.decode()


def test_weak_or_mismatched_password_is_a_form_error(client, editor, smtp_inbox):
    _, token = invitations.create_invitation(actor=editor, email="w@example.com", role=Role.AUTHOR)
    path = f"/account/invitation/{token}/"
    response = client.post(
        path, {"display_name": "W", "password": "short", "password_again": "short"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and 'role="alert"' in html and "too short" in html
    assert 'value="W"' in html  # input kept
    response = client.post(
        path, {"display_name": "W", "password": "a good long password", "password_again": "other"}
    )
    assert response.status_code == 400 and "not the same" in response.content.decode()
    assert client.post(path, {}).status_code == 400
    assert not User.objects.filter(email="w@example.com").exists()
    # Still usable afterwards.
    assert client.get(path).status_code == 200


def test_only_roles_the_actor_may_give(editor, administrator, smtp_inbox):
    with pytest.raises(PermissionDenied):
        invitations.create_invitation(actor=editor, email="a@example.com", role=Role.ADMINISTRATOR)
    with pytest.raises(PermissionDenied):
        invitations.create_invitation(actor=administrator, email="o@example.com", role=Role.OWNER)
    invitations.create_invitation(actor=administrator, email="e@example.com", role=Role.EDITOR)
    assert Invitation.objects.count() == 1


def test_existing_staff_address_is_refused(editor, author_member, smtp_inbox):
    with pytest.raises(ValidationError, match="already has a staff account"):
        invitations.create_invitation(
            actor=editor, email=author_member.email.upper(), role=Role.AUTHOR
        )
    assert Invitation.objects.count() == 0


def test_a_new_invitation_replaces_the_pending_one(client, editor, smtp_inbox):
    _, first = invitations.create_invitation(
        actor=editor, email="twice@example.com", role=Role.AUTHOR
    )
    _, second = invitations.create_invitation(
        actor=editor, email="twice@example.com", role=Role.AUTHOR
    )
    assert client.get(f"/account/invitation/{first}/").status_code == 410
    assert client.get(f"/account/invitation/{second}/").status_code == 200


def test_invitation_dies_when_the_inviter_loses_the_right(
    client, administrator, editor, smtp_inbox
):
    _, token = invitations.create_invitation(actor=editor, email="x@example.com", role=Role.AUTHOR)
    change_role(actor=administrator, target=editor, role=Role.AUTHOR)
    response = client.get(f"/account/invitation/{token}/")
    assert response.status_code == 410 and "no longer valid" in response.content.decode()


def test_nothing_is_kept_when_the_email_cannot_be_sent(editor, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    with pytest.raises(ValidationError, match="could not be sent"):
        invitations.create_invitation(actor=editor, email="x@example.com", role=Role.AUTHOR)
    assert Invitation.objects.count() == 0


def test_revoking_needs_the_right_to_invite_that_role(administrator, editor, smtp_inbox):
    invitation, _ = invitations.create_invitation(
        actor=administrator, email="boss@example.com", role=Role.ADMINISTRATOR
    )
    with pytest.raises(PermissionDenied):
        invitations.revoke_invitation(actor=editor, invitation=invitation)
    invitations.revoke_invitation(actor=administrator, invitation=invitation)
    assert Invitation.objects.get(pk=invitation.pk).revoked_at
