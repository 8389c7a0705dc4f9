"""Exact counts from real servers: two `broadsheet serve` instances, a SIGTERM, a restart.

Runs on the database the suite runs on (a fresh SQLite folder, or a fresh PostgreSQL
database next to the test one) and, when BROADSHEET_REDIS_URL is set, with Redis.
"""

import os
import signal
import subprocess
import sys
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from tests.core.test_cli import fetch, free_port, wait_for

BROADSHEET = [sys.executable, "-m", "broadsheet"]
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"
SEED = (
    "from broadsheet.accounts.models import User; from broadsheet.content.models import Post; "
    "from broadsheet.content.services import save_post; "
    "a = User.objects.create_user(username='w', password=None, display_name='W', slug='w'); "
    "save_post(Post(title='Counted', slug='counted', author=a, body='Hi', status='published'))"
)
READ = (
    "from broadsheet.content.models import Post; print(Post.objects.get(slug='counted').view_count)"
)


@pytest.fixture
def site_env(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BROADSHEET_", "DJANGO_"))}
    env["BROADSHEET_DATA_DIR"] = str(tmp_path / "site")
    if settings.BROADSHEET_REDIS_URL:
        env["BROADSHEET_REDIS_URL"] = settings.BROADSHEET_REDIS_URL
    database = None
    if url := os.environ.get("BROADSHEET_DATABASE_URL"):
        database = f"broadsheet_live_{uuid.uuid4().hex[:8]}"
        admin_url = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {database}")
        env["BROADSHEET_DATABASE_URL"] = url.rsplit("/", 1)[0] + f"/{database}"
    subprocess.run([*BROADSHEET, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*BROADSHEET, "shell", "-c", SEED], env=env, check=True)
    yield env
    if database:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {database} WITH (FORCE)")


def start(env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen(
        [*BROADSHEET, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/", server)
    except BaseException:
        os.killpg(server.pid, signal.SIGKILL)  # never leave a server behind
        raise
    return server, base


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    assert server.wait(timeout=30) == 0


def hammer(urls: list[str], threads: int = 16) -> None:
    with ThreadPoolExecutor(threads) as pool:
        bodies = list(pool.map(fetch, urls))
    assert all("Counted" in body for body in bodies)


def view_count(env: dict) -> int:
    return int(
        subprocess.run(
            [*BROADSHEET, "shell", "--no-imports", "-c", READ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )


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
