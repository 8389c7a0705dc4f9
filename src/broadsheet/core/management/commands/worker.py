"""`broadsheet worker`: run queued background tasks (scheduled publishing, mail).

Beside them it keeps the query planner's statistics fresh as the site grows.
"""

import argparse
import logging
import os
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from broadsheet.core.db import keep_statistics_fresh

log = logging.getLogger(__name__)

STATISTICS_EVERY = 300  # seconds between looks (each a few ms; an ANALYZE only when due)


def _exit_when_parent_dies(parent_pid: int) -> None:
    """A worker started by `broadsheet serve` must not outlive it, however serve ends."""
    while True:
        time.sleep(2)
        if os.getppid() != parent_pid:
            os._exit(0)


def _keep_statistics_fresh_forever(every: float) -> None:
    """The site grows by itself (posts, comments, views): its planner statistics follow.
    Off the request path, in the one worker a site runs; `serve` just did it at start."""
    while True:
        time.sleep(every)
        try:
            keep_statistics_fresh()
        except Exception:
            log.exception("Keeping the planner's statistics fresh failed")
        finally:
            connection.close()  # this thread's own; opened again next time


class Command(BaseCommand):
    help = "Run queued background work (django.tasks, database backend) until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between looks at the queue."
        )
        parser.add_argument("--batch", action="store_true", help="Run what is due now, then exit.")
        parser.add_argument("--parent-pid", type=int, help=argparse.SUPPRESS)

    def handle(self, *args, interval: float, batch: bool, parent_pid: int | None, **options):
        if parent_pid:
            threading.Thread(target=_exit_when_parent_dies, args=[parent_pid], daemon=True).start()
        if not batch:
            threading.Thread(
                target=_keep_statistics_fresh_forever,
                args=[STATISTICS_EVERY],
                name="planner-statistics",
                daemon=True,
            ).start()
        call_command(
            "db_worker",
            interval=interval,
            batch=batch,
            startup_delay=False,
            verbosity=options.get("verbosity", 1),
        )
