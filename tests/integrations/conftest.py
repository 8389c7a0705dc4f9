"""A real local HTTP server that records what webhooks POST to it, and an integration."""

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from broadsheet.integrations import services


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """`status` is what it answers; `hang` makes it never answer (until the test ends)."""

    port: int = 0
    status: int = 200
    hang: bool = False
    requests: list[Received] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    on_request: Callable[[], None] | None = None

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def receiver():
    site = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            site.requests.append(Received(self.path, dict(self.headers.items()), body))
            if site.hang:
                site.stop.wait(30)
                return
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                answer = b"x" * 100_000  # more than is read: the rest is dropped
                self.send_response(site.status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield site
    site.stop.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def issued(db):
    """An integration made from the command line (no actor), with its keys as issued."""
    return services.create_integration(actor=None, name="Zapier")
