import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from broadsheet.accounts.models import User
from broadsheet.core.board import board
from broadsheet.integrations import services
from broadsheet.integrations.models import Integration, Webhook
from broadsheet.integrations.services import hash_content_key


def test_keys_are_ghosts_shape_and_stored_hashed_or_encrypted(issued):
    integration, keys = issued
    assert len(keys.content_key) == 26 and int(keys.content_key, 16) >= 0
    key_id, secret = keys.admin_key.split(":")
    assert len(key_id) == 24 and len(secret) == 64 and bytes.fromhex(secret)
    stored = Integration.objects.values().get(pk=integration.pk)
    assert stored["content_key_hash"] == hash_content_key(keys.content_key)
    assert stored["content_key_hint"] == keys.content_key[-4:]
    assert stored["admin_key_id"] == key_id
    # Neither key is in the database as it was issued.
    assert not any(keys.content_key in str(v) or secret in str(v) for v in stored.values())
    assert Integration.objects.get(pk=integration.pk).admin_secret == secret


def test_the_secret_needs_the_secret_key(issued, settings):
    integration, _ = issued
    settings.SECRET_KEY = "another site's key" * 3

    with pytest.raises(ValueError, match="another SECRET_KEY"):
        _ = Integration.objects.get(pk=integration.pk).admin_secret


def test_the_integration_acts_as_an_account_of_its_own(issued):
    integration, _ = issued
    user = integration.user
    assert user.role == "editor" and user.display_name == "Zapier" and user.slug == "zapier"
    assert user.username.startswith("integration-") and not user.has_usable_password()
    assert user.is_active and user.is_integration
    assert integration.created_by is None


@pytest.mark.parametrize(("role", "allowed"), [("administrator", True), ("owner", True),
                                               ("editor", False), ("author", False)])  # fmt: skip
def test_only_administrators_and_owners_manage_integrations(make_staff, role, allowed):
    actor = make_staff(role)
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.create_integration(actor=actor, name="Nope")
        assert not Integration.objects.exists()
        return
    integration, _ = services.create_integration(actor=actor, name="Yes", role="author")
    assert integration.created_by == actor and integration.user.role == "author"


@pytest.mark.parametrize("role", ["owner", "king", ""])
def test_an_integration_is_never_an_owner(db, role):
    with pytest.raises(ValidationError):
        services.create_integration(actor=None, name="Greedy", role=role)
    assert not User.objects.exists()


def test_a_name_is_needed(db):
    with pytest.raises(ValidationError):
        services.create_integration(actor=None, name="   ")


def test_revoking_deactivates_and_drops_stored_answers_at_once(
    issued, django_capture_on_commit_callbacks
):
    integration, _ = issued
    before = board().read().content
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_integration(actor=None, integration=integration)
    integration.refresh_from_db()
    assert integration.revoked_at is not None and not integration.user.is_active
    assert board().read().content > before


def test_revoking_is_refused_to_an_editor(issued, make_staff):
    with pytest.raises(PermissionDenied):
        services.revoke_integration(actor=make_staff("editor"), integration=issued[0])
    assert Integration.objects.get().revoked_at is None


@pytest.mark.parametrize("password_set_behind_its_back", [False, True])
def test_integration_accounts_cannot_log_in(client, issued, password_set_behind_its_back):
    user = issued[0].user
    password = "a perfectly long test password"
    if password_set_behind_its_back:  # in Django's admin, say: the login still refuses it
        user.set_password(password)
        user.save()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": password}
    )
    assert response.status_code == 400 and "_auth_user_id" not in client.session


def test_integration_accounts_are_not_on_the_staff_page(client, issued, make_staff):
    client.force_login(make_staff("owner"))
    html = client.get(reverse("staff:list")).content.decode()
    assert "Zapier" not in html
    assert client.post(reverse("staff:suspend", args=[issued[0].user.pk])).status_code == 404


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/hook", "javascript:alert(1)", "https://", "example.com/hook",
     "https://example.com:port/", "https://exa mple.com/", "https://x.example/" + "a" * 2000],
)  # fmt: skip
def test_a_webhook_needs_an_http_address(issued, url):
    with pytest.raises(ValidationError):
        services.add_webhook(
            actor=None, integration=issued[0], event="post.published", target_url=url
        )
    assert not Webhook.objects.exists()


def test_webhooks_are_added_and_deleted(issued, make_staff):
    admin = make_staff("administrator")
    webhook = services.add_webhook(
        actor=admin,
        integration=issued[0],
        event="post.published",
        target_url=" https://example.com/hook ",
        secret="s3cret",
    )
    assert webhook.target_url == "https://example.com/hook"
    with pytest.raises(ValidationError):
        services.add_webhook(
            actor=admin, integration=issued[0], event="post.exploded", target_url="https://a.b/"
        )
    with pytest.raises(PermissionDenied):
        services.delete_webhook(actor=make_staff("editor"), webhook=webhook)
    services.delete_webhook(actor=admin, webhook=webhook)
    assert not Webhook.objects.exists()
