"""`broadsheet worker`: run queued background tasks (scheduled publishing, mail).

Beside them it runs the periodic jobs (`BROADSHEET_PERIODIC_JOBS`): it keeps the query
planner's statistics fresh as the site grows, now and then publishes due posts whose task
was never queued, and reminds writers of predictions that have reached their date.
"""

import argparse
import logging
import os
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


def _exit_when_parent_dies(parent_pid: int) -> None:
    """A worker started by `broadsheet serve` must not outlive it, however serve ends."""
    while True:
        time.sleep(2)
        if os.getppid() != parent_pid:
            os._exit(0)


def _every(seconds: float, job: Callable[[], object]) -> None:
    """Run `job` every `seconds` (`settings.BROADSHEET_PERIODIC_JOBS`), off the request
    path, in the one worker a site runs."""
    while True:
        time.sleep(seconds)
        try:
            job()
        except Exception:
            log.exception("%s failed", job.__name__)
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
            for path, seconds in settings.BROADSHEET_PERIODIC_JOBS.items():
                job = import_string(path)
                threading.Thread(
                    target=_every, args=[seconds, job], name=job.__name__, daemon=True
                ).start()
        call_command(
            "db_worker",
            interval=interval,
            batch=batch,
            startup_delay=False,
            verbosity=options.get("verbosity", 1),
        )
