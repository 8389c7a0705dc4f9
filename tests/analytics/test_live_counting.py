"""Exact counts from real servers: two `broadsheet serve` instances, a SIGTERM, a restart.

See `tests/live_site.py` for the site they serve.
"""

import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

from tests.core.test_cli import fetch
from tests.live_site import shell, start, stop

READ = (
    "from broadsheet.content.models import Post; print(Post.objects.get(slug='counted').view_count)"
)


def hammer(urls: list[str], threads: int = 16) -> None:
    with ThreadPoolExecutor(threads) as pool:
        bodies = list(pool.map(fetch, urls))
    assert all("Counted" in body for body in bodies)


def view_count(env: dict) -> int:
    return int(shell(env, READ))


def test_every_view_is_counted_across_servers_sigterm_and_restart(site_env):
    with ExitStack() as servers:
        first, first_url = start(site_env)
        servers.callback(stop, first)
        second, second_url = start(site_env)
        servers.callback(stop, second)
        hammer([f"{first_url}/posts/counted/", f"{second_url}/posts/counted/"] * 150)
        bot = urllib.request.Request(
            f"{first_url}/posts/counted/", headers={"User-Agent": "Googlebot/2.1"}
        )
        urllib.request.urlopen(bot, timeout=5).read()
    assert view_count(site_env) == 300

    again, again_url = start(site_env)
    try:
        hammer([f"{again_url}/posts/counted/"] * 100)
    finally:
        stop(again)
    assert view_count(site_env) == 400
