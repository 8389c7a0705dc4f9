"""What a server process loads at start: not the libraries only some requests need.

Each of `broadsheet serve`'s processes holds its own copy of every module it imported,
so a library loaded at start costs its size once per process. Importers' readers,
cryptography and PyJWT (the Admin API's tokens), the search's stemmer and speller load
in the process that first needs them; psycopg only on PostgreSQL. This check would have
caught each time they crept in (16 MB a process; 56 MB with search's three).
"""

import subprocess
import sys

LOADED_LATER = (
    "cryptography",
    "jwt",
    "ijson",
    "defusedxml",
    "feedparser",
    "yaml",
    "rich",
    "psycopg",  # on a SQLite site, never
    "snowballstemmer",  # the first search
    "rapidfuzz",  # the first correction
)
START = f"""
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "broadsheet.conf.settings"
import django
django.setup()
import broadsheet.wsgi
from django.urls import get_resolver, resolve
resolve("/")
get_resolver().url_patterns  # every app's URL module and the views it names
print(" ".join(sorted({{m.split(".")[0] for m in sys.modules}} & set({LOADED_LATER!r}))))
"""


def test_a_server_process_starts_without_the_libraries_of_rare_requests(tmp_path):
    env = {"BROADSHEET_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    loaded = subprocess.run(
        [sys.executable, "-c", START], env=env, capture_output=True, text=True, check=True
    ).stdout.split()

    assert loaded == []
