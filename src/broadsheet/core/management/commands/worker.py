"""`broadsheet worker`: run queued background tasks (scheduled publishing, mail)."""

import argparse
import os
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


def _exit_when_parent_dies(parent_pid: int) -> None:
    """A worker started by `broadsheet serve` must not outlive it, however serve ends."""
    while True:
        time.sleep(2)
        if os.getppid() != parent_pid:
            os._exit(0)


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
        call_command(
            "db_worker",
            interval=interval,
            batch=batch,
            startup_delay=False,
            verbosity=options.get("verbosity", 1),
        )
