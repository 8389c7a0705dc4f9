"""Counting views fast: the request path appends to a buffer; a thread writes it out.

Each server process keeps counted views in memory for at most
`BROADSHEET_VIEW_FLUSH_SECONDS` (1 s), then adds
them to the database in one transaction (`Post.view_count`, daily totals, referrals,
reader marks). Additions are `x = x + n` updates, so any number of processes and
machines share one count. The buffer counts identical views together (a reader who
reloads), so the work of writing grows with readers, not with requests.
"""

import atexit
import datetime
import hashlib
import logging
import multiprocessing.util
import os
import secrets
import threading
import time
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from broadsheet.analytics.models import DailyPostStats, DailyReferral, DailySalt, ReaderMark
from broadsheet.analytics.rollup import roll_up
from broadsheet.analytics.sources import classify
from broadsheet.content.models import Post
from broadsheet.core.board import board

log = logging.getLogger(__name__)


class View(NamedTuple):
    post_id: int
    day: datetime.date
    address: str
    user_agent: str
    referrer: str
    host: str
    query: str


class ViewRecorder:
    def __init__(self) -> None:
        self._lock = threading.Lock()  # guards the buffer; held for microseconds
        self._writing = threading.Lock()  # one write at a time, so a flush waits for the last
        self._pending: Counter[View] = Counter()
        self._running_in: int | None = None  # the process whose thread and exit hooks exist

    def record(self, view: View) -> None:
        with self._lock:
            self._pending[view] += 1
            if self._running_in != os.getpid():
                self._start()

    def _start(self) -> None:
        """Start writing in this process (server workers are forked after import).

        A graceful stop writes what is left: atexit for ordinary processes, and a
        finalizer for multiprocessing workers (granian's), which skip atexit handlers.
        """
        self._running_in = os.getpid()
        atexit.register(self.flush_now)
        multiprocessing.util.Finalize(self, self.flush_now, exitpriority=10)
        if settings.BROADSHEET_VIEW_FLUSH_SECONDS:
            threading.Thread(target=self._run, name="view-flush", daemon=True).start()

    def pending(self) -> int:
        return self._pending.total()

    def flush_now(self) -> int:
        """Write every buffered view; on failure they go back into the buffer.

        When it returns, every view recorded before the call is written, including those
        the flush thread was writing at that moment: the exit hook relies on it, since the
        process ends (and a daemon thread's open transaction with it) right after.
        """
        with self._writing:
            with self._lock:
                views, self._pending = self._pending, Counter()
            if not views:
                return 0
            try:
                write_views(views)
            except Exception:
                log.exception(
                    "writing %d views failed; keeping them for the next try", views.total()
                )
                with self._lock:
                    self._pending.update(views)
                return 0
            return views.total()

    def _run(self) -> None:
        rolled_up_on = None
        while True:
            time.sleep(settings.BROADSHEET_VIEW_FLUSH_SECONDS)
            connection.close_if_unusable_or_obsolete()
            self.flush_now()
            board().settle_abandoned_writes()
            if (today := timezone.localdate()) != rolled_up_on:
                try:
                    roll_up(before=today)
                    rolled_up_on = today
                except Exception:
                    log.exception("rolling up reader marks failed; will try again")


recorder = ViewRecorder()


def write_views(views: Counter[View] | Iterable[View]) -> None:
    """Add a batch of views (each with how many times it was made) to the totals, in one
    transaction that every process knows is a count write (`core.board`)."""
    batch = views if isinstance(views, Counter) else Counter(views)
    existing = set(
        Post.objects.filter(pk__in={v.post_id for v in batch}).values_list("pk", flat=True)
    )
    batch = Counter({v: n for v, n in batch.items() if v.post_id in existing})  # deleted?
    per_post: Counter[int] = Counter()
    per_day: Counter[tuple] = Counter()
    per_referral: Counter[tuple] = Counter()
    for v, n in batch.items():
        per_post[v.post_id] += n
        per_day[v.post_id, v.day] += n
        source = classify(referrer=v.referrer, own_host=v.host, query=v.query)
        per_referral[v.post_id, v.day, *source] += n
    marks = {(v.post_id, v.day, reader_hash(v)) for v in batch}
    with board().counts_write(), transaction.atomic():
        for post_id, n in per_post.items():
            Post.objects.filter(pk=post_id).update(view_count=F("view_count") + n)
        for (post_id, day), n in per_day.items():
            _add(DailyPostStats, {"post_id": post_id, "day": day}, n)
        for (post_id, day, source, domain), n in per_referral.items():
            _add(
                DailyReferral,
                {"post_id": post_id, "day": day, "source": source, "domain": domain},
                n,
            )
        ReaderMark.objects.bulk_create(
            [ReaderMark(post_id=p, day=d, reader=r) for p, d, r in marks], ignore_conflicts=True
        )


def _add(model, key: dict, n: int) -> None:
    """Add n views to a daily row, creating it if needed (a race is retried as an update)."""
    if model.objects.filter(**key).update(views=F("views") + n):
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, views=n)
    except IntegrityError:
        model.objects.filter(**key).update(views=F("views") + n)


_salts: dict[datetime.date, bytes] = {}


def daily_salt(day: datetime.date) -> bytes:
    """Today's secret salt, shared by every process through the database."""
    if day not in _salts:
        _salts.clear()
        try:
            with transaction.atomic():
                row, _ = DailySalt.objects.get_or_create(
                    day=day, defaults={"salt": secrets.token_hex(32)}
                )
        except IntegrityError:
            row = DailySalt.objects.get(day=day)
        _salts[day] = bytes.fromhex(row.salt)
    return _salts[day]


def reader_hash(view: View) -> str:
    """Same reader, same day, same hash; nothing else can be learnt from it."""
    data = f"{view.address}\n{view.user_agent}".encode()
    return hashlib.blake2b(data, key=daily_salt(view.day), digest_size=16).hexdigest()
