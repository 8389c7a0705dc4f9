"""Daily totals, readers, sources and roll-up, written from buffered views."""

import datetime

from django.utils import timezone

from broadsheet.analytics.models import DailyPostStats, DailyReferral, DailySalt, ReaderMark
from broadsheet.analytics.recorder import View, recorder, write_views
from broadsheet.analytics.rollup import roll_up
from broadsheet.analytics.sources import classify
from broadsheet.content.models import Post

UA = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36"


def view(post, *, address="192.0.2.1", ua=UA, referrer="", day=None, query="") -> View:
    return View(post.pk, day or timezone.localdate(), address, ua, referrer, "blog.example", query)


def test_views_add_to_the_post_and_the_daily_totals(post):
    write_views([view(post), view(post), view(post, address="192.0.2.2")])
    write_views([view(post)])

    assert Post.objects.get(pk=post.pk).view_count == 4
    stats = DailyPostStats.objects.get(post=post)
    assert stats.views == 4
    assert ReaderMark.objects.filter(post=post).count() == 2  # two distinct readers


def test_no_address_is_stored(post):
    write_views([view(post, address="203.0.113.77")])

    mark = ReaderMark.objects.get()
    assert "203.0.113.77" not in mark.reader and len(mark.reader) == 32


def test_roll_up_counts_readers_and_forgets_marks_and_salts(post):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    write_views([view(post, day=yesterday, address=a) for a in ("a", "b", "b", "c")])
    write_views([view(post)])

    roll_up(before=timezone.localdate())

    assert DailyPostStats.objects.get(post=post, day=yesterday).readers == 3
    assert not ReaderMark.objects.filter(day=yesterday).exists()
    assert ReaderMark.objects.filter(day=timezone.localdate()).count() == 1
    assert list(DailySalt.objects.values_list("day", flat=True)) == [timezone.localdate()]


def test_referrals_are_grouped_by_source_and_domain(post):
    write_views(
        [
            view(post, referrer="https://www.google.com/"),
            view(post, referrer="https://news.ycombinator.com/item?id=1"),
            view(post, referrer="https://blog.example/tags/energy/"),
            view(post, query="utm_source=feed"),
            view(post),
        ]
    )

    rows = set(DailyReferral.objects.values_list("source", "domain", "views"))
    assert rows == {
        ("search", "google.com", 1),
        ("social", "news.ycombinator.com", 1),
        ("tag", "", 1),
        ("feed", "", 1),
        ("direct", "", 1),
    }


def test_views_of_a_deleted_post_are_dropped_not_retried(post, make_post):
    doomed = make_post("Doomed")
    recorder.record(view(doomed))
    recorder.record(view(post))
    doomed.delete()

    assert recorder.flush_now() == 2
    assert recorder.pending() == 0
    assert Post.objects.get(pk=post.pk).view_count == 1


def test_classify_edge_cases():
    assert classify(referrer="https://x.company.org/", own_host="a.b") == (
        "referral",
        "x.company.org",
    )
    assert classify(referrer="https://t.co/abc", own_host="a.b") == ("social", "t.co")
    assert classify(referrer="https://www.bing.com/search", own_host="a.b") == (
        "search",
        "bing.com",
    )
    assert classify(referrer="https://a.b/", own_host="a.b:8000") == ("home", "")
    assert classify(referrer="not a url", own_host="a.b") == ("direct", "")
