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


# --- Who sees whose stats (`permissions.can_view_post_stats`, `Action.VIEW_SITE_STATS`) ------


@pytest.fixture
def two_writers_stats(make_staff, make_post):
    mine_author, other_author = make_staff("author", "Me"), make_staff("author", "Them")
    mine = make_post("My own piece", author=mine_author)
    theirs = make_post("Their piece", author=other_author)
    today = timezone.localdate()
    write_views([View(mine.pk, today, "a", "ua", "https://www.google.com/", "h", "")] * 2)
    write_views([View(theirs.pk, today, "b", "ua", "https://news.ycombinator.com/", "h", "")] * 7)
    return mine_author, mine, theirs


def test_an_author_sees_only_their_own_posts_in_the_overview(client, two_writers_stats):
    me, mine, theirs = two_writers_stats
    client.force_login(me)

    html = client.get(reverse("analytics:overview")).content.decode()

    assert "your own posts" in html
    assert mine.title in html and "google.com" in html and "<strong>2</strong> views" in html
    assert theirs.title not in html and "news.ycombinator.com" not in html


def test_an_author_may_not_open_another_writers_post_stats(client, two_writers_stats):
    # The bug: any author could open any post's stats page.
    me, mine, theirs = two_writers_stats
    client.force_login(me)

    assert client.get(reverse("analytics:post", args=[mine.pk])).status_code == 200
    assert client.get(reverse("analytics:post", args=[theirs.pk])).status_code == 403


def test_an_editor_sees_every_writers_stats(staff_client, two_writers_stats):
    _, mine, theirs = two_writers_stats

    html = staff_client.get(reverse("analytics:overview")).content.decode()

    assert mine.title in html and theirs.title in html and "<strong>9</strong> views" in html
    assert "your own posts" not in html
    assert staff_client.get(reverse("analytics:post", args=[theirs.pk])).status_code == 200
