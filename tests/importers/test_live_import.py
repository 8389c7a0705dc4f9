"""An import run by `broadsheet import` beside a running `broadsheet serve`: every server
process shows the imported posts at once, though its page store held the old home page,
and the old addresses answer there too."""

import subprocess
import urllib.error
import urllib.request
from pathlib import Path

from tests.core.test_cli import fetch
from tests.live_site import BROADSHEET, start, stop

GHOST = Path(__file__).parent / "fixtures" / "ghost-5.json"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_every_server_process_shows_an_import_at_once(site_env):
    server, url = start(site_env, workers=2)
    try:
        before = [fetch(f"{url}/") for _ in range(4)]  # each worker stores the home page
        assert not any("Zażółć gęślą jaźń" in page for page in before)

        subprocess.run([*BROADSHEET, "import", str(GHOST), "-v0"], env=site_env, check=True)

        after = [fetch(f"{url}/") for _ in range(6)]
        assert all("Zażółć gęślą jaźń 🚀" in page for page in after)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(f"{url}/zazolc-gesla-jazn/", timeout=5)
            raise AssertionError("no redirect")
        except urllib.error.HTTPError as moved:
            assert moved.code == 301
            assert moved.headers["Location"] == "/posts/zazolc-gesla-jazn/"
    finally:
        stop(server)
