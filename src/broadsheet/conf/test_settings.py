"""Test settings: the real settings, with fast hashing and plain static storage."""

import atexit
import os
import shutil
import tempfile
from urllib.parse import urlsplit

# Each test process (and each parallel worker) gets a data folder of its own.
os.environ["BROADSHEET_DATA_DIR"] = tempfile.mkdtemp(prefix="broadsheet-test-")
atexit.register(shutil.rmtree, os.environ["BROADSHEET_DATA_DIR"], ignore_errors=True)

from broadsheet.conf.settings import *  # noqa: E402, F403

# Tests write buffered views when they choose to (`recorder.flush_now()`).
BROADSHEET_VIEW_FLUSH_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: live-server tests need real WAL locking across threads.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405

if CACHES["default"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    # Tests clear the cache and bump generations; each parallel worker gets its own Redis database.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or "0"
    location = urlsplit(CACHES["default"]["LOCATION"])  # noqa: F405
    CACHES["default"]["LOCATION"] = location._replace(path=f"/{10 + int(worker)}").geturl()  # noqa: F405
    BROADSHEET_REDIS_URL = CACHES["default"]["LOCATION"]  # noqa: F405

# Tests import from HTTP servers of their own, on 127.0.0.1.
BROADSHEET_IMPORT_ALLOW_PRIVATE_ADDRESSES = True
# And deliver webhooks to them.
BROADSHEET_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True

# Tests serve static files from the source folders; WhiteNoise only needs the folder to exist.
STATIC_ROOT.mkdir(exist_ok=True)  # noqa: F405
