"""Browser journeys: Playwright drives Debian's Chromium against pytest-django's live server."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext, Page

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


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def sign_in(context: BrowserContext, base_url: str, user) -> None:
    """Start the browser signed in as `user` (journeys that test signing in do it by hand)."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
