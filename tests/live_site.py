"""Real `broadsheet serve` processes on a site of their own, for tests that need several.

The site runs on the database the suite runs on (a fresh SQLite folder, or a fresh
PostgreSQL database next to the test one) and, when BROADSHEET_REDIS_URL is set, with
Redis, as an operator would run it.
"""

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from tests.core.test_cli import wait_for

BROADSHEET = [sys.executable, "-m", "broadsheet"]
SEED = (
    "from broadsheet.accounts.models import User; from broadsheet.content.models import Post; "
    "from broadsheet.content.services import save_post; "
    "a = User.objects.create_user(username='w', password=None, display_name='W', slug='w'); "
    "save_post(Post(title='Counted', slug='counted', author=a, body='Hi', status='published'))"
)


@pytest.fixture
def site_env(tmp_path: Path):
    """The environment of a migrated site with one published post at /posts/counted/."""
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
    shell(env, SEED)
    yield env
    if database:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {database} WITH (FORCE)")


def shell(env: dict, code: str) -> str:
    """Run Python in another process of the site (as a studio save on another server)."""
    return subprocess.run(
        [*BROADSHEET, "shell", "--no-imports", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def start(env: dict, *serve_args: str, workers: int = 2) -> tuple[subprocess.Popen, str]:
    from tests.core.test_cli import free_port

    port = free_port()
    server = subprocess.Popen(
        [*BROADSHEET, "serve", "--port", str(port), "--workers", str(workers), *serve_args],
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
