"""The shared numbers: every handle (every process) sees every write at once."""

import multiprocessing

import pytest
from django.conf import settings

from broadsheet.core import board as board_module
from broadsheet.core.board import FileBoard, RedisBoard


@pytest.fixture(params=["file", "redis"])
def two_handles(request, tmp_path):
    """Two handles on one board, as two server processes have."""
    if request.param == "file":
        return FileBoard(tmp_path / "board"), FileBoard(tmp_path / "board")
    if not settings.BROADSHEET_REDIS_URL:
        pytest.skip("Redis is not configured")
    first = RedisBoard(settings.BROADSHEET_REDIS_URL)
    first.client.delete(*first.KEYS, first.FINISHED_KEY)
    return first, RedisBoard(settings.BROADSHEET_REDIS_URL)


def test_a_content_change_is_seen_by_every_handle(two_handles):
    one, other = two_handles
    before = other.read().content

    one.bump_content()

    assert other.read().content == before + 1


def test_counts_are_unsettled_while_a_write_is_under_way(two_handles):
    one, other = two_handles
    settled = other.read().counts
    assert settled is not None

    with one.counts_write():
        assert other.read().counts is None
    after = other.read().counts

    assert after is not None and after > settled


def test_a_failed_write_still_settles(two_handles):
    one, other = two_handles
    with pytest.raises(RuntimeError), one.counts_write():
        raise RuntimeError("the transaction failed")

    assert other.read().counts is not None


def test_a_write_abandoned_by_a_dead_process_is_settled_later(two_handles, monkeypatch):
    one, other = two_handles
    unfinished = one.counts_write()
    unfinished.__enter__()  # and never left: its process died
    other.settle_abandoned_writes()  # first seen unsettled
    assert other.read().counts is None

    monkeypatch.setattr(board_module, "ABANDONED_AFTER_SECONDS", -1)
    other.settle_abandoned_writes()

    assert other.read().counts is not None


def _add_many(path, n: int) -> None:
    handle = FileBoard(path)
    for _ in range(n):
        with handle.counts_write():
            handle.bump_content()


def test_processes_never_lose_an_increment(tmp_path):
    path = tmp_path / "board"
    FileBoard(path)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_add_many, args=(path, 300)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    reading = FileBoard(path).read()
    assert reading.content == 900 and reading.counts == 900
