"""A real HTTP(S) server on 127.0.0.1 for import tests: each test says what its paths answer."""

import contextlib
import ssl
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

Answer = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Request:
    path: str  # with the query string
    host: str  # the Host header
    server_name: str | None = None  # the TLS SNI, for https


@dataclass
class Site:
    """What the server answers (`answers`, by path without query) and what it was asked."""

    port: int = 0
    scheme: str = "http"
    answers: dict[str, Answer] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)  # ends slow answers

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def serve(
        self,
        path: str,
        body: bytes,
        content_type: str = "image/png",
        status: int = 200,
        headers: dict[str, str] | None = None,
        host: str = "127.0.0.1",
    ) -> str:
        def answer(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(body)

        self.answers[path] = answer
        return self.url(path, host)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        def answer(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(status)
            handler.send_header("Location", location)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        self.answers[path] = answer
        return self.url(path)

    def paths_asked(self) -> list[str]:
        return [request.path for request in self.requests]


def start(site: Site, context: ssl.SSLContext | None = None) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server_name = getattr(self.connection, "server_name_seen", None)
            site.requests.append(Request(self.path, self.headers.get("Host", ""), server_name))
            answer = site.answers.get(self.path.split("?", 1)[0])
            if answer is None:
                self.send_error(404)
                return
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                answer(self)  # a client that gives up early, as it should, is no error

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if context is not None:
        site.scheme = "https"

        def remember_name(sock: ssl.SSLSocket, name: str | None, _: ssl.SSLContext) -> None:
            sock.server_name_seen = name  # type: ignore[attr-defined]

        context.sni_callback = remember_name
        server.socket = context.wrap_socket(server.socket, server_side=True)
    site.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for "localhost" and its key, made by the openssl on this machine."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def drip(body: bytes, *, every: float, stop: threading.Event) -> Answer:
    """An answer that announces `body` and then sends it a byte at a time, slowly."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "image/png")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        for byte in body:
            if stop.wait(every):
                return
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()

    return answer


def announced(size: int, *, stop: threading.Event) -> Answer:
    """An answer that announces a `size`-byte body and then sends nothing: only a client
    that reads no further than the headers is done with it before the test ends."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "image/png")
        handler.send_header("Content-Length", str(size))
        handler.end_headers()
        handler.wfile.flush()
        stop.wait(10)

    return answer


def endless(*, chunked: bool, stop: threading.Event) -> Answer:
    """An answer whose length is not announced and whose body never ends."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        if chunked:
            handler.protocol_version = "HTTP/1.1"
        handler.send_response(200)
        handler.send_header("Content-Type", "image/png")
        if chunked:
            handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        block = b"x" * 65_536
        while not stop.is_set():
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(block), block) if chunked else block)

    return answer
