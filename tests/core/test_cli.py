"""The `broadsheet` command, run as an operator would run it."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import brotli
import pytest

from broadsheet.cli import extract_data_dir

BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"
BROADSHEET = [sys.executable, "-m", "broadsheet"]


def test_data_dir_is_taken_from_any_position(monkeypatch):
    monkeypatch.delenv("BROADSHEET_DATA_DIR", raising=False)

    argv = extract_data_dir(["broadsheet", "createsuperuser", "--data-dir", "/srv/site", "-v", "2"])

    assert argv == ["broadsheet", "createsuperuser", "-v", "2"]
    assert os.environ["BROADSHEET_DATA_DIR"] == "/srv/site"
    extract_data_dir(["broadsheet", "--data-dir=/srv/other"])
    assert os.environ["BROADSHEET_DATA_DIR"] == "/srv/other"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    request = urllib.request.Request(url, headers={"User-Agent": BROWSER_UA})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.read().decode()


def wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {process.stdout.read()}")
        try:
            return fetch(url)
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {seconds}s")


@pytest.mark.skipif("BROADSHEET_DATABASE_URL" in os.environ, reason="embedded default only")
def task_workers_of(pid: int) -> list[str]:
    """Command lines of running `broadsheet worker` processes started by process `pid`."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"worker" in args and f"--parent-pid={pid}".encode() in args:
            found.append(b" ".join(args).decode())
    return found


def test_serve_demo_then_commands_act_on_the_same_data_dir(tmp_path: Path):
    data_dir = tmp_path / "site"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BROADSHEET_", "DJANGO_"))}
    server = subprocess.Popen(
        [
            *BROADSHEET,
            "serve",
            "--demo",
            "--port",
            str(port),
            "--workers",
            "1",
            "--data-dir",
            str(data_dir),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        home = wait_for(f"http://127.0.0.1:{port}/", server)
        assert "Latest posts" in home
        assert task_workers_of(server.pid), "serve runs background work beside the site"
        css_url = home.split('rel="stylesheet" href="', 1)[1].split('"')[0]
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{css_url}", headers={"Accept-Encoding": "br"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.headers["Content-Encoding"] == "br"  # pre-compressed
            assert "immutable" in response.headers["Cache-Control"]  # hashed name, kept forever
            assert "prefers-color-scheme" in brotli.decompress(response.read()).decode()
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert not task_workers_of(server.pid), "the worker stops with the server"
    assert "contributor" in output and "password: " in output
    assert f"http://127.0.0.1:{port}/" in output
    assert (data_dir / "broadsheet.sqlite3").exists() and (data_dir / "secret_key").exists()

    subprocess.run(
        [
            *BROADSHEET,
            "adduser",
            "ops@example.com",
            "--role",
            "administrator",
            "--password",
            "a long and unusual passphrase",
            "--data-dir",
            str(data_dir),
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    listed = subprocess.run(
        [
            *BROADSHEET,
            "shell",
            "-c",
            "from broadsheet.accounts.models import User as U; "
            "print(sorted(U.objects.values_list('username', flat=True)))",
            "--data-dir",
            str(data_dir),
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "'ops@example.com'" in listed and "'owner@example.com'" in listed


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("BROADSHEET_", "DJANGO_"))}


def _run_on(data_dir: Path, command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*BROADSHEET, *command, "--data-dir", str(data_dir)],
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_commands_that_fill_a_site_migrate_a_new_data_folder_first(tmp_path: Path):
    for command in (["generate", "--posts", "2", "--comments", "2", "--tags", "1"], ["demo"]):
        data_dir = tmp_path / command[0]
        done = _run_on(data_dir, command)

        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        assert (data_dir / "broadsheet.sqlite3").exists()


@pytest.mark.parametrize(
    "command",
    [
        ["adduser", "ops@example.com", "--role", "owner", "--password", "a long passphrase 42"],
        ["worker", "--batch"],
        ["shell", "-c", "from broadsheet.content.models import Post; Post.objects.count()"],
    ],
    ids=["adduser", "worker", "shell"],
)
def test_other_commands_on_a_new_data_folder_say_in_one_line_what_to_run(tmp_path, command):
    data_dir = tmp_path / "new"
    done = _run_on(data_dir, command)

    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("broadsheet:")]
    assert lines == [
        f"broadsheet: the database in {data_dir} is not set up for this version of "
        f"Broadsheet: run `broadsheet migrate --data-dir {data_dir}` first."
    ], done.stderr
