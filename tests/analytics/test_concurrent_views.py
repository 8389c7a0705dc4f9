"""Exact view counts under concurrent load against a live server (no browser).

Requests are answered by the live server's threads, each with its own database
connection, while two more threads keep writing the buffered views, as the flush
threads of two server processes would. Every view must land exactly once: no request
fails on a locked database, no write is lost or doubled, crawlers are never counted.
"""

import logging
import random
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections, transaction
from django.db.models import Sum
from django.utils import timezone

from broadsheet.analytics.models import DailyPostStats
from broadsheet.analytics.recorder import View, recorder
from broadsheet.content.models import Post

BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36"
)
CRAWLER_UAS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36 "
    "(compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
]
THREADS = 16


@pytest.fixture
def counted_post(transactional_db, make_post) -> Post:
    return make_post("Counted under load", body="Every reader counts.")


def fetch(url: str, user_agent: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"User-Agent": user_agent})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read()


def flush_while(busy: threading.Event) -> None:
    """A flush thread, writing what has been buffered every few milliseconds."""
    try:
        while busy.is_set():
            recorder.flush_now()
            busy.wait(0.005)
    finally:
        connections.close_all()  # a thread's connection would outlive the test database


def hammer(url: str, user_agents: list[str]) -> list[tuple[int, bytes]]:
    """Send one GET per user agent from THREADS threads, flushing concurrently."""
    busy = threading.Event()
    busy.set()
    flushers = [threading.Thread(target=flush_while, args=(busy,)) for _ in range(2)]
    for thread in flushers:
        thread.start()
    try:
        with ThreadPoolExecutor(THREADS) as pool:
            return list(pool.map(fetch, [url] * len(user_agents), user_agents))
    finally:
        busy.clear()
        for thread in flushers:
            thread.join()


@pytest.fixture
def counted_views(caplog):
    """After the load: write what is left, and return the post's total and daily views."""

    def views(post: Post) -> tuple[int, int]:
        recorder.flush_now()
        assert recorder.pending() == 0
        failures = [r for r in caplog.records if r.name == "broadsheet.analytics.recorder"]
        assert not failures, [r.getMessage() for r in failures]  # no write had to be retried
        total = Post.objects.get(pk=post.pk).view_count
        daily = DailyPostStats.objects.filter(post=post).aggregate(n=Sum("views"))["n"]
        return total, daily

    caplog.set_level(logging.ERROR, logger="broadsheet.analytics.recorder")
    return views


def test_every_one_of_200_concurrent_reads_is_counted_exactly_once(
    live_server, counted_post, counted_views
):
    responses = hammer(live_server.url + counted_post.get_absolute_url(), [BROWSER_UA] * 200)

    assert [status for status, _ in responses] == [200] * 200
    assert all(b"Counted under load" in body for _, body in responses)
    assert counted_views(counted_post) == (200, 200)


def test_crawlers_among_concurrent_readers_are_not_counted(
    live_server, counted_post, counted_views
):
    user_agents = [BROWSER_UA] * 100 + [CRAWLER_UAS[n % 2] for n in range(50)]
    random.Random(20261127).shuffle(user_agents)  # crawlers interleaved with readers

    responses = hammer(live_server.url + counted_post.get_absolute_url(), user_agents)

    assert [status for status, _ in responses] == [200] * 150
    assert counted_views(counted_post) == (100, 100)


def test_a_flush_returns_only_once_the_write_already_under_way_has_landed(counted_post):
    """The exit hook's flush must not return while the flush thread is still writing:
    the process ends right after, and the thread's open transaction with it."""
    holding, release = threading.Event(), threading.Event()

    def hold_the_post_row() -> None:
        try:
            with transaction.atomic():
                Post.objects.select_for_update().filter(pk=counted_post.pk).update(title="Held")
                holding.set()
                release.wait(10)
        finally:
            connections.close_all()

    def flush() -> None:
        try:
            recorder.flush_now()
        finally:
            connections.close_all()

    locker = threading.Thread(target=hold_the_post_row)
    locker.start()
    holding.wait(10)
    day = timezone.localdate()
    recorder.record(View(counted_post.pk, day, "192.0.2.1", BROWSER_UA, "", "blog.example", ""))
    flush_thread = threading.Thread(target=flush)
    flush_thread.start()
    while recorder.pending():  # the flush thread has taken the views and waits on the row
        threading.Event().wait(0.01)
    exit_flush = threading.Thread(target=flush)
    exit_flush.start()
    exit_flush.join(0.5)
    try:
        assert exit_flush.is_alive(), "returned while the views were still being written"
    finally:
        release.set()
        for thread in (locker, flush_thread, exit_flush):
            thread.join(10)
    assert Post.objects.get(pk=counted_post.pk).view_count == 1
