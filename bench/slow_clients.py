"""Slow clients against `broadsheet serve`: are ordinary readers still answered?

    .venv/bin/python bench/slow_clients.py                      # 400 connections for 20 s
    .venv/bin/python bench/slow_clients.py --connections 135 --seconds 20
    .venv/bin/python bench/slow_clients.py -- --header-timeout 30   # arguments for serve

Starts `broadsheet serve` on a fresh demo site (its default settings, or the arguments
after `--`), then opens N connections to it on 127.0.0.1 that each send a request line and
then one header line every 2 s, never ending the request (the "slowloris" attack). A
connection the server closes is opened again at once, as an attacker would. Meanwhile
ordinary readers GET a post page one after another (each given 10 s, a new connection
each). Prints the connections, seconds, how often the server closed a slow connection, and
the readers' latency (p50, max) with how many were answered within 1 s.
"""

import argparse
import asyncio
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import BROADSHEET, BROWSER_UA, shell_output, start_server, wait_for

READER_TIMEOUT = 10  # seconds a reader waits, as in the report that started this
FIRST_POST = (
    "from broadsheet.content.models import Post; "
    "print(Post.objects.published().order_by('pk').first().get_absolute_url())"
)


def raise_open_files(needed: int) -> None:
    """Each slow connection is a file descriptor: lift the soft limit when it is too low."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


class Slowloris:
    """N connections that send their headers one line every `interval` seconds, forever."""

    def __init__(self, host: str, port: int, path: str, *, connections: int, interval: float):
        self.host, self.port, self.path = host, port, path
        self.connections = connections
        self.interval = interval
        self.open = 0  # connections open right now
        self.closed_by_server = 0
        self.refused = 0

    async def one(self, number: int, until: float) -> None:
        while time.monotonic() < until:
            try:
                reader, writer = await asyncio.open_connection(self.host, self.port)
            except OSError:
                self.refused += 1
                await asyncio.sleep(self.interval)
                continue
            self.open += 1
            closed = asyncio.ensure_future(reader.read(65536))  # done when the server hangs up
            try:
                writer.write(
                    f"GET {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                    f"User-Agent: slow-client-{number}\r\n".encode()
                )
                line = 0
                while time.monotonic() < until:
                    await asyncio.wait([closed], timeout=self.interval)
                    if closed.done():
                        self.closed_by_server += 1
                        break
                    line += 1
                    writer.write(f"X-Slow-{line}: {number}\r\n".encode())
                    await writer.drain()
            except OSError:  # reset by the server while writing
                self.closed_by_server += 1
            finally:
                self.open -= 1
                closed.cancel()
                writer.close()

    async def run(self, seconds: float) -> None:
        until = time.monotonic() + seconds
        await asyncio.gather(*(self.one(n, until) for n in range(self.connections)))


def read_pages(url: str, until: float, latencies: list[float | None]) -> None:
    """An ordinary reader: one GET after another; None for one not answered in time."""
    request = urllib.request.Request(url, headers={"User-Agent": BROWSER_UA})
    while time.monotonic() < until:
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=READER_TIMEOUT) as response:
                response.read()
            latencies.append(time.perf_counter() - start)
        except OSError:
            latencies.append(None)
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--connections", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--interval", type=float, default=2, help="seconds between lines")
    parser.add_argument("serve_args", nargs="*", help="after --: arguments for serve")
    args = parser.parse_args()
    raise_open_files(args.connections + 256)

    work = Path(tempfile.mkdtemp(prefix="broadsheet-slow-"))
    env = {**os.environ, "BROADSHEET_DATA_DIR": str(work / "site")}
    subprocess.run([*BROADSHEET, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*BROADSHEET, "demo"], env=env, check=True, capture_output=True)
    path = shell_output(env, FIRST_POST).strip()

    server, base = start_server(env, *args.serve_args)
    latencies: list[float | None] = []
    try:
        wait_for(base + path)
        port = int(base.rsplit(":", 1)[1])
        attack = Slowloris(
            "127.0.0.1", port, path, connections=args.connections, interval=args.interval
        )
        # Readers start once the slow connections are in, and stop when they end.
        start = time.monotonic()
        readers = threading.Thread(
            target=read_pages,
            args=(base + path, start + args.seconds, latencies),
            daemon=True,
        )
        threading.Timer(1, readers.start).start()
        asyncio.run(attack.run(args.seconds))
        readers.join(READER_TIMEOUT + 1)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    answered = sorted(seconds for seconds in latencies if seconds is not None)
    within = sum(seconds <= 1 for seconds in answered)
    print(f"serve arguments:        {' '.join(args.serve_args) or '(defaults)'}")
    print(f"slow connections:       {args.connections} (one header line every {args.interval:g} s)")
    print(f"seconds:                {args.seconds:g}")
    print(f"closed by the server:   {attack.closed_by_server} (then opened again)")
    print(f"connects refused:       {attack.refused}")
    print(f"reader requests:        {len(latencies)}")
    print(f"answered within 1 s:    {within} of {len(latencies)}")
    print(f"not answered in {READER_TIMEOUT} s:  {len(latencies) - len(answered)}")
    if answered:
        print(
            f"reader latency:         p50 {statistics.median(answered) * 1000:.1f} ms, "
            f"max {answered[-1] * 1000:.1f} ms (of those answered)"
        )


if __name__ == "__main__":
    main()
