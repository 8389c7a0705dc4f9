import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from broadsheet.analytics.charts import line_chart
from broadsheet.analytics.recorder import View, write_views
from broadsheet.analytics.selectors import DayPoint


@pytest.fixture
def staff_client(client, make_staff):
    client.force_login(make_staff("editor"))
    return client


def test_stats_pages_are_for_staff_only(client, make_author, make_staff, post):
    for url in [reverse("analytics:overview"), reverse("analytics:post", args=[post.pk])]:
        assert client.get(url).status_code == 302  # to the login page
        client.force_login(make_author("Reader"))
        assert client.get(url).status_code == 403
        client.force_login(make_staff("contributor"))
        assert client.get(url).status_code == 403
        client.logout()


def test_overview_with_data(staff_client, post):
    write_views(
        [View(post.pk, timezone.localdate(), "a", "ua", "https://www.google.com/", "h", "")] * 3
    )

    html = staff_client.get(reverse("analytics:overview")).content.decode()

    assert "<strong>3</strong> views" in html
    assert "<svg" in html and 'class="views" d="M' in html
    assert post.title in html and "google.com" in html and "Search engines" in html
    assert "A <strong>view</strong> is one request" in html


def test_overview_without_data(staff_client, db):
    html = staff_client.get(reverse("analytics:overview")).content.decode()

    assert "No views in the last 30 days yet." in html and "<svg" in html


def test_post_stats_page(staff_client, post):
    response = staff_client.get(reverse("analytics:post", args=[post.pk]))

    assert response.status_code == 200 and post.title in response.content.decode()


def test_chart_scales_to_a_round_maximum():
    today = datetime.date(2026, 11, 27)
    points = [DayPoint(today - datetime.timedelta(days=n), n * 7, n) for n in range(30)][::-1]

    chart = line_chart(points)

    assert [value for _, value in chart.y_ticks] == [0, 75, 150, 225, 300]
    assert chart.views_path.startswith("M44.0,") and chart.views_path.count("L") == 29
    assert chart.has_data


def test_chart_without_data():
    chart = line_chart([DayPoint(datetime.date(2026, 1, d), 0, 0) for d in range(1, 31)])

    assert not chart.has_data and chart.y_ticks[-1][1] == 1
