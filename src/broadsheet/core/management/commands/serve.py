"""`broadsheet serve`: migrate, collect static files, optionally load the demo, then serve."""

import os
import resource
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from granian import Granian
from granian.constants import HTTPModes, Interfaces
from granian.http import HTTP1Settings

from broadsheet.core import schema

WORKERS_KILL_TIMEOUT = 15  # seconds; writing the last buffered views takes well under one
# What a slow or idle client may hold (see "Serving limits" in docs/decisions.md).
# granian's backpressure is the number of connections a worker keeps open, idle and
# half-sent ones included (each holds a permit until it closes), not of requests running.
MAX_CONNECTIONS = 1024  # a worker's open connections; more wait in the listen backlog
BACKLOG = 1024  # connections the kernel holds for the workers to accept
HEADER_TIMEOUT = 5  # seconds to send a request's headers, and to start the next one
# A connection's read buffer: headers that do not fit get a 431. hyper checks it between
# reads, so a request's headers can reach a few times this; granian's default is 408 kB.
MAX_HEADER_BYTES = 64 * 1024
OPEN_FILES_SPARE = 128  # descriptors a worker needs besides its connections


def default_workers() -> int:
    """A process per core: each serves one request at a time, in microseconds when cached."""
    return max(1, min(os.cpu_count() or 1, 8))


def open_files_for(connections: int) -> int:
    """Raise this process's open-file limit for `connections` sockets (the workers inherit it).

    Returns how many connections a worker can hold under the limit the system allows.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + OPEN_FILES_SPARE
    if soft != resource.RLIM_INFINITY and soft < wanted:
        soft = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    if soft == resource.RLIM_INFINITY:
        return connections
    return max(1, min(connections, soft - OPEN_FILES_SPARE))


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
            "--max-connections",
            type=int,
            default=MAX_CONNECTIONS,
            help=f"Open connections per worker, idle ones included (default {MAX_CONNECTIONS}).",
        )
        parser.add_argument(
            "--header-timeout",
            type=float,
            default=HEADER_TIMEOUT,
            help="Seconds a client has to send a request's headers; also how long an idle "
            f"connection is kept open (default {HEADER_TIMEOUT}).",
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
        self,
        *args,
        host: str,
        port: int,
        workers: int,
        max_connections: int,
        header_timeout: float,
        demo: bool,
        no_worker: bool,
        **options,
    ) -> None:
        if max_connections < 1 or header_timeout <= 0:
            raise CommandError("--max-connections and --header-timeout must be positive.")
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
        allowed = open_files_for(max_connections)
        if allowed < max_connections:
            self.stderr.write(
                f"The open-file limit allows {allowed} connections per worker, not "
                f"{max_connections}: raise it (ulimit -n) to serve more slow clients."
            )
        worker = None if no_worker else start_task_worker()
        try:
            self.run_server(
                host=host,
                port=port,
                workers=workers,
                max_connections=allowed,
                header_timeout=header_timeout,
            )
        finally:
            if worker is not None:
                stop_task_worker(worker)

    def run_server(
        self, *, host: str, port: int, workers: int, max_connections: int, header_timeout: float
    ) -> None:
        Granian(
            "broadsheet.wsgi:application",
            address=host,
            port=port,
            interface=Interfaces.WSGI,
            workers=workers,
            # One Python thread a worker: with the GIL, more threads only queue for it and
            # stretch the slowest responses; granian's own I/O threads keep connections moving.
            blocking_threads=1,
            # A worker keeps this many connections open, slow and idle ones included; the
            # rest wait in the kernel's backlog. Requests that are ready queue for the one
            # thread, answered in order.
            backpressure=max_connections,
            backlog=BACKLOG,
            # HTTP/1.1 only: browsers speak HTTP/2 only over TLS (a proxy's job here), and
            # the header timeout below is HTTP/1's.
            http=HTTPModes.http1,
            http1_settings=HTTP1Settings(
                # A client that has not sent all its headers in time is cut off, and an idle
                # keep-alive connection is closed after the same time (hyper starts the timer
                # when it waits for a request's first byte).
                header_read_timeout=round(header_timeout * 1000),
                max_buffer_size=MAX_HEADER_BYTES,
            ),
            # A stop never hangs: a worker still busy after this many seconds is killed.
            workers_kill_timeout=WORKERS_KILL_TIMEOUT,
            log_access=False,
        ).serve()
