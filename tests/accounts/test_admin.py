"""People added through Django's admin."""

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
