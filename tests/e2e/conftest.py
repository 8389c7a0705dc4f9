"""Browser journeys: Playwright drives Debian's Chromium against pytest-django's live server."""

import os

import pytest

# The live server and Playwright's sync API (which runs an event loop) share the test thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
# "HeadlessChrome" is on the crawler list, and crawlers are not counted as readers.
READER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36"
)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "user_agent": READER_UA}


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Relative `page.goto("/")` reaches the live server.

    Also replaces pytest-playwright's fallback `base_url`, which pytest 9 warns about
    (a session fixture defined as an instance method).
    """
    return live_server.url
