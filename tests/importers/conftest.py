"""A real local web server per test, and the media fixtures (a media folder of its own)."""

import ssl
import tempfile
from pathlib import Path

import pytest

from tests.importers.web import Site, self_signed_certificate, start
from tests.media.conftest import media_root, stored_files

__all__ = ["media_root", "stored_files"]


@pytest.fixture
def web():
    site = Site()
    server = start(site)
    yield site
    site.stop.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def secure_web(tmp_path, monkeypatch):
    """An https server for "localhost", whose certificate this test's clients trust."""
    cert, key = self_signed_certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    site = Site()
    server = start(site, context)
    yield site
    site.stop.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def temp_dir(tmp_path, monkeypatch) -> Path:
    """Where downloads go in this test, so leftovers can be seen."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder
