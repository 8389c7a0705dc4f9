"""The embedded default runs on the SQLite build it ships (`conf.sqlite`), whatever the
system's Python links: the search index needs 3.43's `contentless_delete`."""

import subprocess
import sys

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded default")


def test_the_site_runs_on_the_bundled_sqlite(db):
    assert connection.Database.sqlite_version_info >= (3, 43)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()")
        assert tuple(map(int, cursor.fetchone()[0].split("."))) >= (3, 43)


def test_a_new_process_imports_the_bundled_build_as_sqlite3(tmp_path):
    """As each server process does: settings first, then Django's backend."""
    script = (
        "import django; django.setup(); import sqlite3; "
        "from django.db import connection; "
        "print(sqlite3.sqlite_version, connection.Database.sqlite_version)"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "broadsheet.conf.settings",
        "BROADSHEET_DATA_DIR": str(tmp_path),
    }
    found = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert found.returncode == 0, found.stderr
    ours, djangos = found.stdout.split()
    assert ours == djangos and tuple(map(int, ours.split("."))) >= (3, 43)
