"""Slow and idle clients cannot lock readers out of `broadsheet serve` (a live server).

bench/slow_clients.py measures the same at full scale (400 connections for 20 s).
"""

import asyncio
import socket
import threading
import time
import urllib.request

from tests.core.test_cli import BROWSER_UA
from tests.live_site import start, stop

SLOW = 80  # more than the 64 connections a worker used to hold, all on one worker
SECONDS = 4
HEADER_TIMEOUT = 2


async def send_headers_slowly(port: int, until: float, closed: list[float]) -> None:
    """Send a request's headers one line every half second; reconnect when cut off."""
    while time.monotonic() < until:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        opened = time.monotonic()
        hung_up = asyncio.ensure_future(reader.read(65536))
        writer.write(b"GET /posts/counted/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        try:
            while time.monotonic() < until:
                await asyncio.wait([hung_up], timeout=0.5)
                if hung_up.done():
                    closed.append(time.monotonic() - opened)
                    break
                writer.write(b"X-Slow: still typing\r\n")
                await writer.drain()
        except OSError:
            closed.append(time.monotonic() - opened)
        finally:
            hung_up.cancel()
            writer.close()


def read_posts(url: str, until: float, latencies: list[float | None]) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": BROWSER_UA})
    while time.monotonic() < until:
        start_time = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=1) as response:
                assert response.status == 200
                response.read()
            latencies.append(time.perf_counter() - start_time)
        except OSError:
            latencies.append(None)
        time.sleep(0.1)


def test_slow_and_idle_clients_do_not_lock_readers_out(site_env):
    server, base = start(
        site_env, "--no-worker", "--header-timeout", str(HEADER_TIMEOUT), workers=1
    )
    try:
        port = int(base.rsplit(":", 1)[1])
        until = time.monotonic() + SECONDS
        closed: list[float] = []
        latencies: list[float | None] = []

        async def attack() -> None:
            await asyncio.gather(*(send_headers_slowly(port, until, closed) for _ in range(SLOW)))

        readers = threading.Thread(
            target=read_posts, args=(f"{base}/posts/counted/", until, latencies)
        )
        threading.Timer(0.5, readers.start).start()  # once the slow connections are in
        # A thread of its own: an earlier test in this process may have left a loop running
        # in this one (Playwright's sync API does).
        attacker = threading.Thread(target=asyncio.run, args=(attack(),))
        attacker.start()
        attacker.join(SECONDS + 30)
        readers.join(5)

        assert len(latencies) >= 10
        assert all(seconds is not None and seconds < 1 for seconds in latencies), latencies
        # Nothing keeps a connection by sending its headers slowly: each was cut off at the
        # header timeout (not before a second of it, and within a second after it).
        assert len(closed) >= SLOW
        assert all(HEADER_TIMEOUT - 1 < seconds < HEADER_TIMEOUT + 1 for seconds in closed)

        # An idle connection, and one left open after a request, are closed the same way.
        with socket.create_connection(("127.0.0.1", port)) as idle:
            idle.settimeout(HEADER_TIMEOUT + 2)
            opened = time.monotonic()
            assert idle.recv(1) == b""
            assert time.monotonic() - opened < HEADER_TIMEOUT + 1
        with socket.create_connection(("127.0.0.1", port)) as kept:
            kept.settimeout(HEADER_TIMEOUT + 2)
            kept.sendall(b"HEAD /posts/counted/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert kept.recv(65536).startswith(b"HTTP/1.1 200")
            answered = time.monotonic()
            assert kept.recv(1) == b""
            assert time.monotonic() - answered < HEADER_TIMEOUT + 1

        # Headers are bounded in size: a browser's worth is fine, a flood is refused (granian's
        # default buffer would take these 400 kB).
        cookie = "a=" + "x" * 20_000
        request = urllib.request.Request(
            f"{base}/posts/counted/", headers={"User-Agent": BROWSER_UA, "Cookie": cookie}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
        with socket.create_connection(("127.0.0.1", port)) as flood:
            flood.settimeout(5)
            flood.sendall(
                b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"x" * 400_000 + b"\r\n\r\n"
            )
            assert flood.recv(65536).startswith(b"HTTP/1.1 431")
    finally:
        stop(server)
