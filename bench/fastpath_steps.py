"""Where a stored page's time goes: the fast path's steps, in microseconds per request.

    .venv/bin/python bench/fastpath_steps.py            # a fresh demo site
    BROADSHEET_DATA_DIR=DIR .venv/bin/python bench/fastpath_steps.py --post /posts/x/

Calls the WSGI application in-process (no network, no granian) many times for a post
page that is already stored, as a counted reader would, then times each step on its own
the same way. The whole request minus the steps is what the wrapper itself costs
(headers, dispatch). Numbers are the median of several rounds; the machine should be
quiet.
"""

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36"
)
ROUNDS = 7
CALLS = 5000


def per_call_us(function: Callable[[], object], calls: int = CALLS) -> float:
    """The median over rounds of the mean time of one call."""
    rounds = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(calls):
            function()
        rounds.append((time.perf_counter() - start) / calls * 1e6)
    return statistics.median(rounds)


def environ_for(path: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_USER_AGENT": BROWSER_UA,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }


def steps(application, path: str) -> dict[str, Callable[[], object]]:
    """Each step of serving a stored post page, callable on its own."""
    from broadsheet.analytics.recorder import recorder
    from broadsheet.analytics.services import count_reader_view, is_crawler
    from broadsheet.core.board import board
    from broadsheet.fastpath import app as fastpath_app
    from broadsheet.fastpath.live import LiveBody

    environ = environ_for(path)
    key = fastpath_app._base_key(environ)
    page = application.store.get(key)
    found: dict[str, Callable[[], object]] = {
        "store key (path, query)": lambda: fastpath_app.store_key(
            fastpath_app._base_key(environ), (), fastpath_app._query(environ)
        ),
        "shared numbers (memory map or Redis)": board().read,
        "... and the due-post check": application._read_board,
        "store lookup": lambda: application.store.get(key),
        "crawler detection (cached)": lambda: is_crawler(BROWSER_UA),
        "count the view (build and buffer)": lambda: count_reader_view(page.post_id, environ),
    }
    if isinstance(page.served, LiveBody):
        found["live counts: read the database"] = page.served.read_counts
        found["live counts: fill (read nothing: settled)"] = lambda: page.rendition(
            board().read().counts
        )
    found["(the recorder's buffer is emptied between rounds)"] = recorder._pending.clear
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--post", help="the post page to time (default: the newest post)")
    args = parser.parse_args()
    if "BROADSHEET_DATA_DIR" not in os.environ:
        os.environ["BROADSHEET_DATA_DIR"] = tempfile.mkdtemp(prefix="broadsheet-steps-")
        for command in (["migrate", "-v0"], ["demo"], ["collectstatic", "--no-input", "-v0"]):
            subprocess.run(
                [sys.executable, "-m", "broadsheet", *command], check=True, capture_output=True
            )
    os.environ["BROADSHEET_VIEW_FLUSH_SECONDS"] = "0"  # views stay buffered; nothing writes
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.conf.settings")

    from broadsheet.wsgi import application  # noqa: I001 (sets Django up first)
    from broadsheet.analytics.recorder import recorder
    from broadsheet.content.selectors import newest_post_paths

    path = args.post or newest_post_paths()[0]
    environ = environ_for(path)
    body = b"".join(application(environ, lambda *a: None))
    assert application.store._pages, f"{path} was not stored"

    def request() -> None:
        environ["wsgi.input"] = io.BytesIO()
        for _ in application(environ, lambda *a: None):
            pass

    total = per_call_us(request)
    recorder._pending.clear()
    print(f"post page {path} ({len(body):,} bytes), {ROUNDS} rounds of {CALLS:,} calls")
    print(f"{'step':<44}{'µs':>8}")
    for name, step in steps(application, path).items():
        if name.startswith("("):
            step()
            continue
        cost = per_call_us(step)
        recorder._pending.clear()
        print(f"{name:<44}{cost:>8.1f}")
    print(f"{'the whole request (WSGI call)':<44}{total:>8.1f}")


if __name__ == "__main__":
    main()
