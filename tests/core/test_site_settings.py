from django.urls import reverse

from broadsheet.core.selectors import get_site_settings


def test_settings_are_read_from_the_cache(django_assert_num_queries, db):
    get_site_settings()

    with django_assert_num_queries(0):
        assert get_site_settings().title == "Broadsheet"


def test_changing_settings_in_the_admin_shows_at_once(client, make_staff, post):
    client.force_login(make_staff("owner", "Owner"))
    client.get(post.get_absolute_url())  # caches the old settings

    response = client.post(
        reverse("admin:broadsheet_core_sitesettings_change", args=[1]),
        {
            "title": "The Long View",
            "description": "Slow news.",
            "timezone": "UTC",
            "language": "en",
            "comment_policy": "open",
        },
    )

    assert response.status_code == 302
    page = client.get(post.get_absolute_url()).content.decode()
    assert "The Long View" in page and "Slow news." in page
