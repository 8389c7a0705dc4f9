import re

import pytest
from django.urls import reverse

from broadsheet.integrations import services
from broadsheet.integrations.auth import integration_for_content_key
from broadsheet.integrations.models import Integration, Webhook

LIST = reverse("integrations:list")


@pytest.fixture
def admin_client(client, make_staff):
    client.force_login(make_staff("administrator"))
    return client


@pytest.mark.parametrize(("role", "status"), [("owner", 200), ("administrator", 200),
                                              ("editor", 403), ("contributor", 403)])  # fmt: skip
def test_only_owners_and_administrators(client, make_staff, issued, role, status):
    client.force_login(make_staff(role))
    integration = issued[0]
    assert client.get(LIST).status_code == status
    assert client.get(reverse("integrations:detail", args=[integration.pk])).status_code == status
    client.post(reverse("integrations:revoke", args=[integration.pk]))
    assert (Integration.objects.get().revoked_at is not None) == (status == 200)
    nav = client.get(reverse("studio:posts")).content.decode()
    assert (f'href="{LIST}"' in nav) == (status == 200)


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    assert client.get(LIST).status_code == 302


def test_the_keys_are_shown_once(admin_client):
    response = admin_client.post(LIST, {"name": "Zapier", "role": "author"}, follow=True)
    html = response.content.decode()
    integration = Integration.objects.get()
    assert integration.role == "author"
    assert response.redirect_chain[-1][0] == reverse("integrations:keys", args=[integration.pk])
    content = re.search(r"<code>([0-9a-f]{26})</code>", html).group(1)
    admin = re.search(r"<code>([0-9a-f]{24}:[0-9a-f]{64})</code>", html).group(1)
    assert integration_for_content_key(content) == integration
    assert admin.split(":")[0] == integration.admin_key_id
    assert "http://testserver/ghost/api/admin/" in html
    assert "no-store" in response["Cache-Control"]

    again = admin_client.get(reverse("integrations:keys", args=[integration.pk]))
    html = again.content.decode()
    assert again.status_code == 200 and "cannot be shown again" in html
    assert content not in html and admin.split(":")[1] not in html
    for page in (LIST, reverse("integrations:detail", args=[integration.pk])):
        html = admin_client.get(page).content.decode()
        assert content not in html and admin.split(":")[1] not in html
        assert content[-4:] in html


def test_a_bad_integration_form_is_an_error_not_a_crash(admin_client):
    response = admin_client.post(LIST, {"name": "", "role": "owner"})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert not Integration.objects.exists()


def test_revoke_needs_a_post(admin_client, issued):
    url = reverse("integrations:revoke", args=[issued[0].pk])
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url, follow=True)
    assert "is revoked" in response.content.decode()
    assert not Integration.objects.get().user.is_active


def test_revoke_checks_csrf(client, make_staff, issued):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_staff("owner"))
    response = strict.post(reverse("integrations:revoke", args=[issued[0].pk]))
    assert response.status_code == 403
    assert Integration.objects.get().revoked_at is None


def test_webhooks_are_added_listed_and_deleted(admin_client, issued):
    integration = issued[0]
    url = reverse("integrations:add_webhook", args=[integration.pk])
    response = admin_client.post(
        url,
        {"event": "post.published", "target_url": "https://hooks.example/in", "secret": "s"},
        follow=True,
    )
    assert "https://hooks.example/in" in response.content.decode()
    webhook = Webhook.objects.get()
    assert webhook.secret == "s" and webhook.event == "post.published"
    admin_client.post(reverse("integrations:delete_webhook", args=[integration.pk, webhook.pk]))
    assert not Webhook.objects.exists()


@pytest.mark.parametrize(
    "target", ["ftp://hooks.example/", "not a url", "https://x.example/" + "a" * 2100, ""]
)
def test_a_bad_webhook_address_is_a_form_error(admin_client, issued, target):
    url = reverse("integrations:add_webhook", args=[issued[0].pk])
    response = admin_client.post(url, {"event": "post.published", "target_url": target})
    html = response.content.decode()
    assert response.status_code == 400 and 'class="errorlist"' in html
    assert not Webhook.objects.exists()


def test_an_unknown_event_is_a_form_error(admin_client, issued):
    url = reverse("integrations:add_webhook", args=[issued[0].pk])
    response = admin_client.post(url, {"event": "post.exploded", "target_url": "https://a.b/"})
    assert response.status_code == 400 and not Webhook.objects.exists()


def test_a_webhook_of_another_integration_is_not_found(admin_client, issued):
    other, _ = services.create_integration(actor=None, name="Other")
    webhook = services.add_webhook(
        actor=None, integration=other, event="post.published", target_url="https://a.example/"
    )
    url = reverse("integrations:delete_webhook", args=[issued[0].pk, webhook.pk])
    assert admin_client.post(url).status_code == 404
    assert Webhook.objects.exists()


def test_the_delivery_log_is_shown(admin_client, issued):
    from broadsheet.integrations.models import WebhookDelivery

    webhook = services.add_webhook(
        actor=None, integration=issued[0], event="member.added", target_url="https://a.example/"
    )
    WebhookDelivery.objects.create(
        webhook=webhook, event="member.added", payload="{}", attempts=2, response_code=502,
        error="the target answered 502",
    )  # fmt: skip
    html = admin_client.get(reverse("integrations:detail", args=[issued[0].pk])).content.decode()
    assert "the target answered 502" in html and "502" in html and "member.added" in html
    assert '<th scope="col">Attempts</th>' in html
