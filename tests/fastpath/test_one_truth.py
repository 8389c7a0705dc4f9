"""What readers see agrees across server processes: counts, settings and limits.

Two `broadsheet serve` instances of two worker processes each on one site (the same
data folder, or the same PostgreSQL database and Redis), as an operator runs them:
readers' reloads land on any of the four processes.
"""

import http.cookiejar
import itertools
import re
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from urllib.parse import urlencode

import pytest

from tests.live_site import shell, start, stop

BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"
VIEWS = re.compile(r'data-live="post \d+ views">([\d,]+) views?<')
LIKES = re.compile(r'data-live="post \d+ likes">([\d,]+) likes?<')
LIKE_ACTION = re.compile(r'action="(/likes/post/\d+/)"')
POST = "/posts/counted/"


class Reader:
    """A browser with its own cookies (the like cookie, flash messages)."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, url: str, **headers: str) -> str:
        request = urllib.request.Request(url, headers={"User-Agent": BROWSER_UA, **headers})
        with self.opener.open(request, timeout=10) as response:
            return response.read().decode()

    def post(self, base: str, path: str, data: dict | None = None) -> tuple[int, str]:
        """A same-origin form post; a redirect is followed as a browser would."""
        request = urllib.request.Request(
            base + path,
            data=urlencode(data or {}).encode(),
            headers={"User-Agent": BROWSER_UA, "Origin": base, "Sec-Fetch-Site": "same-origin"},
        )
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def counts(page: str) -> tuple[int, int]:
    return tuple(int(pattern.search(page)[1].replace(",", "")) for pattern in (VIEWS, LIKES))


@pytest.fixture
def two_servers(site_env):
    with ExitStack() as servers:
        bases = []
        for _ in range(2):
            server, base = start(site_env, workers=2)
            servers.callback(stop, server)
            bases.append(base)
        yield bases


def test_counts_never_go_back_and_a_like_shows_at_once(two_servers):
    """Reloads interleaved with other readers' views and likes, on any process."""
    reader = Reader()
    like_path = LIKE_ACTION.search(reader.get(two_servers[0] + POST))[1]
    views_made, likes_made = 1, 0
    shown: list[tuple[int, int]] = []
    with ThreadPoolExecutor(4) as others:
        for reload in range(48):
            base = two_servers[reload % 2]
            # Other readers, on both servers, while this one reloads.
            background = [others.submit(Reader().get, b + POST) for b in two_servers * 2]
            views_made += len(background)
            if reload % 8 == 3:
                liker = Reader()
                status, page = liker.post(base, like_path)  # redirected back to the post
                assert status == 200 and "You liked this." in page
                likes_made += 1
                views_made += 1
                for b in two_servers:  # the liker's next pages, from any process
                    assert counts(liker.get(b + POST))[1] >= likes_made
                    views_made += 1
            shown.append(counts(reader.get(base + POST)))
            views_made += 1
            for done in background:
                done.result()
    assert all(
        later[0] >= earlier[0] and later[1] >= earlier[1]
        for earlier, later in itertools.pairwise(shown)
    ), shown

    time.sleep(2.2)  # everything made more than two seconds ago is shown, everywhere
    for base in two_servers:
        for _ in range(3):
            assert counts(reader.get(base + POST, Purpose="prefetch")) == (views_made, likes_made)


def test_a_settings_change_and_a_rate_limit_hold_in_every_process(site_env, two_servers):
    reader = Reader()
    for base in two_servers * 4:  # every process has read (and kept) the settings
        assert "<title>Counted · Broadsheet</title>" in reader.get(base + POST)

    shell(
        site_env,
        "from broadsheet.core.models import SiteSettings; "
        "from broadsheet.core.services import save_site_settings; "
        "save_site_settings(SiteSettings(title='The Long View', comment_policy='closed'))",
    )

    for base in two_servers * 4:
        page = reader.get(base + POST)
        assert "<title>Counted · The Long View</title>" in page
        assert "Comments are closed." in page
    shell(
        site_env,
        "from broadsheet.core.models import SiteSettings; "
        "from broadsheet.core.services import save_site_settings; "
        "save_site_settings(SiteSettings(title='The Long View'))",
    )
    # Five comments an address in ten minutes, however many processes take them.
    answers = [
        reader.post(two_servers[n % 2], f"{POST}comments/", {"name": "Ann", "body": f"No. {n}"})[0]
        for n in range(8)
    ]
    assert answers == [200] * 5 + [429] * 3
