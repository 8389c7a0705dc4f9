import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from broadsheet.content.models import Post
from broadsheet.content.services import save_post
from broadsheet.core.models import SiteSettings
from broadsheet.core.selectors import get_site_settings
from broadsheet.core.services import save_site_settings
from broadsheet.core.signals import site_settings_saved


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


# --- The action: `core.services.save_site_settings` ----------------------------------------

LATE_NIGHT = datetime.datetime(2026, 3, 1, 3, 0, tzinfo=datetime.UTC)  # Feb 28 in New York


@pytest.fixture
def late_post(make_post) -> Post:
    post = make_post("Late night")
    post.published_at = LATE_NIGHT
    return save_post(post)  # filed under March: the site is in UTC


def test_a_time_zone_change_in_the_admin_refiles_the_archive_months(client, make_staff, late_post):
    # The bug: the admin saved the settings without re-filing, so the post stayed in March.
    client.force_login(make_staff("owner", "Owner"))

    response = client.post(
        reverse("admin:broadsheet_core_sitesettings_change", args=[1]),
        {
            "title": "Broadsheet",
            "timezone": "America/New_York",
            "language": "en",
            "comment_policy": "open",
        },
    )

    assert response.status_code == 302
    late_post.refresh_from_db()
    assert late_post.published_month == datetime.date(2026, 2, 1)


def test_saving_the_settings_refiles_the_months_only_when_the_zone_changes(make_staff, late_post):
    owner = make_staff("owner")
    assert Post.objects.get(pk=late_post.pk).published_month == datetime.date(2026, 3, 1)

    save_site_settings(SiteSettings(title="Same zone", timezone="UTC"), actor=owner)
    Post.objects.filter(pk=late_post.pk).update(published_month=datetime.date(2000, 1, 1))
    save_site_settings(SiteSettings(title="Still the same zone", timezone="UTC"), actor=owner)
    assert Post.objects.get(pk=late_post.pk).published_month == datetime.date(2000, 1, 1)

    save_site_settings(SiteSettings(timezone="America/New_York"), actor=owner)
    assert Post.objects.get(pk=late_post.pk).published_month == datetime.date(2026, 2, 1)


@pytest.mark.parametrize("role", ["editor", "author", "contributor"])
def test_only_owners_and_administrators_may_save_the_settings(make_staff, role, db):
    with pytest.raises(PermissionDenied):
        save_site_settings(SiteSettings(title="Taken over"), actor=make_staff(role))

    assert get_site_settings().title == "Broadsheet"


def test_a_reader_may_not_save_the_settings(make_author):
    with pytest.raises(PermissionDenied):
        save_site_settings(SiteSettings(title="Taken over"), actor=make_author("Reader"))


def test_a_failing_consequence_leaves_the_settings_as_they_were(make_staff, late_post):
    def fails(**kwargs):
        raise RuntimeError("re-filing failed")

    site_settings_saved.connect(fails)
    try:
        with pytest.raises(RuntimeError):
            save_site_settings(SiteSettings(timezone="America/New_York"), actor=make_staff("owner"))
    finally:
        site_settings_saved.disconnect(fails)

    assert get_site_settings().timezone == "UTC"
    assert Post.objects.get(pk=late_post.pk).published_month == datetime.date(2026, 3, 1)
