"""`broadsheet serve`: migrate, collect static files, optionally load the demo, then serve."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections
from granian import Granian
from granian.constants import Interfaces

from broadsheet.core import schema

WORKERS_KILL_TIMEOUT = 15  # seconds; writing the last buffered views takes well under one
BACKPRESSURE = 64  # requests a worker accepts before new ones wait in the socket backlog


def default_workers() -> int:
    """A process per core: each serves one request at a time, in microseconds when cached."""
    return max(1, min(os.cpu_count() or 1, 8))


def start_task_worker() -> subprocess.Popen:
    """A one-box site needs nothing else: scheduled posts and mail run beside the server."""
    command = [sys.executable, "-m", "broadsheet.cli", "worker", f"--parent-pid={os.getpid()}"]
    return subprocess.Popen(command)  # noqa: S603 (our own interpreter and module)


def stop_task_worker(worker: subprocess.Popen) -> None:
    """Let a running task finish for a few seconds, then stop the worker regardless."""
    worker.terminate()
    try:
        worker.wait(timeout=5)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


class Command(BaseCommand):
    help = "Serve the site with granian (applies migrations first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=default_workers(), help="Server processes."
        )
        parser.add_argument(
            "--demo", action="store_true", help="Fill an empty site with demo content."
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not run background work here (when `broadsheet worker` runs elsewhere).",
        )
        parser.add_argument(
            "--data-dir",
            help="Folder for the database, media and keys (also BROADSHEET_DATA_DIR). "
            "Every broadsheet command accepts it.",
        )

    def handle(
        self, *args, host: str, port: int, workers: int, demo: bool, no_worker: bool, **options
    ) -> None:
        schema.migrate()
        call_command("collectstatic", interactive=False, verbosity=0)
        if demo:
            call_command("demo")
        wildcard = host in {"0.0.0.0", "::"}  # noqa: S104
        if not wildcard and host not in settings.ALLOWED_HOSTS:
            # The workers read settings afresh: let them answer to the address we listen on.
            os.environ["BROADSHEET_ALLOWED_HOSTS"] = ",".join([*settings.ALLOWED_HOSTS, host])
        url_host = "localhost" if wildcard else host
        self.stdout.write(
            f"Broadsheet is serving {settings.DATA_DIR} at http://{url_host}:{port}/ "
            f"({workers} worker{'s' if workers != 1 else ''}). Stop with Ctrl+C."
        )
        connections.close_all()  # the workers open their own
        worker = None if no_worker else start_task_worker()
        try:
            self.run_server(host=host, port=port, workers=workers)
        finally:
            if worker is not None:
                stop_task_worker(worker)

    def run_server(self, *, host: str, port: int, workers: int) -> None:
        Granian(
            "broadsheet.wsgi:application",
            address=host,
            port=port,
            interface=Interfaces.WSGI,
            workers=workers,
            # One Python thread a worker: with the GIL, more threads only queue for it and
            # stretch the slowest responses; granian's own I/O threads keep connections moving.
            blocking_threads=1,
            backpressure=BACKPRESSURE,
            # A stop never hangs: a worker still busy after this many seconds is killed.
            workers_kill_timeout=WORKERS_KILL_TIMEOUT,
            log_access=False,
        ).serve()
